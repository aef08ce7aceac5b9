"""One code of a codebook: its fields and rules, built from a mapping and checked.

:class:`Code` is what a :class:`~toolkit.model.codebook.Codebook` holds, one
per code; :func:`as_code` builds one from a YAML or CSV entry and
:func:`check_code` checks its colour and rules, naming the file and line of a
problem.  What needs the whole codebook (unique names, parents, cycles) is
checked in :mod:`toolkit.model.codebook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from toolkit.colour_names import is_colour
from toolkit.io.files import cell_text
from toolkit.model.codebook_files import CodebookSource, rule_list
from toolkit.model.rules import CONTROL_CHARACTERS, check_regex, normalise_keyword

__all__ = ["Code", "as_code", "check_code"]


@dataclass(frozen=True)
class Code:
    """One code of a codebook, with its definition and rules.

    Attributes
    ----------
    code
        The code's name, unique in the codebook (``peak_experience``).
    theme, parent
        The theme it belongs to and the code it is a sub-code of (or ``""``).
    definition, include, exclude, example
        What the code means, what to include and exclude, and an example quote.
    color
        A colour for charts: ``#rrggbb``, ``#rgb`` or a CSS name (or ``""``).
    keywords, regex, veto
        The rules (``veto`` is the YAML key ``not``).

    Examples
    --------
    >>> Code("wish", keywords=("i wish",)).keywords
    ('i wish',)
    """

    code: str
    theme: str = ""
    parent: str = ""
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str = ""
    keywords: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()

    @property
    def has_rules(self) -> bool:
        """Whether the code has keywords or regular expressions to code with."""
        return bool(self.keywords or self.regex)


def as_code(value: Code | Mapping[str, Any], index: int, where: CodebookSource) -> Code:
    """Return a :class:`Code` from a Code or a mapping of its fields (``not`` for vetoes).

    Unknown keys are ignored (the file readers check them); ``where`` names the
    line or row of code number `index` in messages.

    Raises
    ------
    CodebookError
        For an entry that is not a mapping, has no ``code`` name, or a field
        of the wrong kind.
    """
    if isinstance(value, Code):
        return value
    if not isinstance(value, Mapping):
        raise where.not_a_code(value, index, hint="start each code with '- code: name'")
    data = dict(value)
    if "not" in data:
        data["veto"] = data.pop("not")
    known = {f.name for f in fields(Code)}
    name = data.get("code")
    if name is None or (isinstance(name, str) and not name.strip()):
        raise where.error(
            "expected a 'code:' name for every code, but this one has none",
            index,
            hint="add 'code: a_short_name'",
        )
    out: dict[str, Any] = {}
    for key, val in data.items():
        if key not in known:
            continue
        if key in ("keywords", "regex", "veto"):
            try:
                out[key] = rule_list(val, key)
            except TypeError as exc:
                raise where.error(
                    str(exc), index, "not" if key == "veto" else key, hint="write [a, b, c]"
                ) from None
        else:
            if isinstance(val, Mapping | list):
                raise where.error(
                    f"expected text for '{key}', but found a {type(val).__name__}",
                    index,
                    key,
                    hint="put the text on one line after the colon, or quote it",
                )
            out[key] = _cell(val)
    if CONTROL_CHARACTERS.search(out["code"]) or "\n" in out["code"]:
        raise where.error(
            f"expected a code name on one line, but found {out['code']!r}",
            index,
            hint="use letters, digits, spaces and _ in code names",
        )
    return Code(**out)


def check_code(code: Code, index: int, source: CodebookSource) -> None:
    """Check a code's colour, keywords and regular expressions.

    Raises
    ------
    CodebookError
        For a colour that is not one, a bad keyword or a bad or slow regex,
        naming the line or row (``source`` knows where code number `index` is).
    """
    if code.color and not is_colour(code.color):
        raise source.error(
            f"expected a colour such as '#1b9e77' or 'teal' for {code.code!r}, but found "
            f"{code.color!r}",
            index,
            "color",
            hint='use # and six hexadecimal digits (quote it in YAML: "#1b9e77")',
        )
    for key, values in (("keywords", code.keywords), ("not", code.veto)):
        for j, keyword in enumerate(values):
            try:
                normalise_keyword(keyword)
            except ValueError as exc:
                raise source.error(
                    f"bad keyword for {code.code!r}: {exc}",
                    index,
                    key,
                    j,
                    hint="keywords are plain words or phrases; use 'regex' for patterns",
                ) from None
    for j, pattern in enumerate(code.regex):
        try:
            check_regex(pattern)
        except ValueError as exc:
            hint = (
                "bound the repeats, e.g. (\\w{1,20}\\s?){1,5} instead of (\\w+\\s?)+, "
                "or use a keyword phrase"
                if "repeats a part" in str(exc)
                else "check the brackets and backslashes (in YAML, put the pattern in "
                "single quotes)"
            )
            raise source.error(
                f"bad regex for {code.code!r}: {exc}", index, "regex", j, hint=hint
            ) from None


def _cell(value: Any) -> str:
    return cell_text(value).strip()
