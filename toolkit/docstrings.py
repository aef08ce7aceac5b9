"""One wording for the parameters many functions share.

The theme and agreement functions take the same ``codings``, ``segments``,
``codebook``, ``unit`` ... parameters.  Their docstrings write
``{codings}`` (for example) where the shared text goes, and :func:`shared`
fills it in, so the explanation is written once.

Examples
--------
>>> @shared(codings="The codings table.")
... def count(codings):
...     '''Count codings.
...
...     Parameters
...     ----------
...     codings
...         {codings}
...     '''
>>> "The codings table." in count.__doc__
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TypeVar

__all__ = ["shared"]

F = TypeVar("F", bound=Callable)


def shared(**texts: str) -> Callable[[F], F]:
    """Fill ``{name}`` in a function's docstring with ``texts[name]``, indented to fit.

    Only a line that holds nothing but a placeholder is filled in, so other
    braces in the docstring are left as they are.  Each text may run over
    several lines; every line takes the indentation of the placeholder.
    """

    def decorate(func: F) -> F:
        doc = func.__doc__ or ""
        lines = []
        for line in doc.splitlines():
            stripped = line.strip()
            if stripped.startswith("{") and stripped.endswith("}") and stripped[1:-1] in texts:
                indent = line[: len(line) - len(line.lstrip())]
                body = textwrap.dedent(texts[stripped[1:-1]]).strip()
                lines.extend(indent + part if part else "" for part in body.splitlines())
            else:
                lines.append(line)
        func.__doc__ = "\n".join(lines)
        return func

    return decorate
