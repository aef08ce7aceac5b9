"""Old keyword names that still work, with a warning, after a public rename.

When a public function's keyword is renamed, callers who still use the old
name keep working for a while: :func:`renamed_keywords` takes the old names
out of the call, warns once per call with a :class:`DeprecationWarning` that
points at the caller's line, and passes the values on under the new names.
The function's own signature (and so its help and its documentation) shows
only the new names.

Examples
--------
>>> import warnings
>>> @renamed_keywords(level="of")
... def count(codings, *, of="theme"):
...     return of
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     count([], level="code")
'code'
>>> print(caught[0].message)
count(level=) is deprecated: use of='code'
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from toolkit.errors import ToolkitError

__all__ = ["renamed_keywords"]

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(**old_to_new: str) -> Callable[[F], F]:
    """Accept each old keyword as its new name, with a DeprecationWarning.

    Giving both the old and the new keyword in one call is an error, since
    it is not clear which the caller meant.  An old keyword given as ``None``
    counts as not given (the old functions used ``None`` for "not given").
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            moved = [(old, kwargs.pop(old)) for old in old_to_new if old in kwargs]
            moved = [(old, value) for old, value in moved if value is not None]
            if moved:
                for old, value in moved:
                    new = old_to_new[old]
                    if new in kwargs:
                        raise ToolkitError(
                            f"{func.__name__}() was given both {old}= and {new}=, "
                            f"but {old}= is the old name of {new}=",
                            hint=f"give only {new}=",
                        )
                    kwargs[new] = value
                olds = ", ".join(f"{old}=" for old, _ in moved)
                news = ", ".join(f"{old_to_new[old]}={value!r}" for old, value in moved)
                warnings.warn(
                    f"{func.__name__}({olds}) is deprecated: use {news}",
                    DeprecationWarning,
                    stacklevel=2,
                )
            return func(*args, **kwargs)

        wrapper.renamed_keywords = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
