"""Small words shared by messages and descriptions: "did you mean", plurals, lists, values.

These keep messages alike across the toolkit, so an error from a codebook and
one from a stakeholders file read the same way.

Examples
--------
>>> did_you_mean("peak_experiance", ["peak_experience", "wishes"])
" (did you mean 'peak_experience'?)"
>>> plural(1, "interview"), plural(3, "person", "people")
('1 interview', '3 people')
>>> listing(["a", "b", "c", "d"], limit=2)
'a, b and 2 more'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["did_you_mean", "every", "listing", "plain", "plural"]


def did_you_mean(name: Any, known: Iterable[Any], *, n: int = 3, cutoff: float = 0.6) -> str:
    """Return `` (did you mean 'x'?)`` for the known names closest to ``name``, or ``""``.

    A name that differs only in case is named first, with a note that names are
    case-sensitive.
    """
    name = str(name)
    choices = sorted({str(k) for k in known})
    same = [k for k in choices if k.casefold() == name.casefold() and k != name]
    if same:
        return f" (did you mean '{same[0]}'? names are case-sensitive)"
    close = difflib.get_close_matches(name, choices, n=n, cutoff=cutoff)
    return f" (did you mean {', '.join(map(repr, close))}?)" if close else ""


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """Return ``"1 interview"`` or ``"2 interviews"`` (thousands separated)."""
    return f"{n:,} {word if n == 1 else plural_word or word + 's'}"


def every(n: int, word: str, plural_word: str | None = None) -> str:
    """Return ``"one human coder"``, ``"both human coders"`` or ``"all 3 human coders"``.

    Examples
    --------
    >>> every(1, "human coder"), every(2, "human coder"), every(3, "person", "people")
    ('one human coder', 'both human coders', 'all 3 people')
    """
    if n == 1:
        return f"one {word}"
    many = plural_word or word + "s"
    return f"both {many}" if n == 2 else f"all {n:,} {many}"


def listing(names: Iterable[Any], limit: int = 5, *, sep: str = ", ") -> str:
    """Return the first ``limit`` names joined by ``sep``, then "and N more"."""
    names = [str(x) for x in names]
    shown = sep.join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def plain(value: Any) -> Any:
    """Return ``value`` with numpy and pandas scalars as Python ones, recursively.

    So messages show ``3``, not ``np.int64(3)``, and settings save as plain YAML.
    """
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value
