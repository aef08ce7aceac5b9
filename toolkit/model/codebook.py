"""Read, check and write codebooks: codes, their themes, definitions and rules.

A codebook lists the codes a team applies to its interviews.  Each code has a
definition (with what to include and exclude, and an example) so that coders
apply it the same way, an optional ``theme`` and ``parent`` to group codes,
a colour for charts, and optional *rules* that code text automatically
(:func:`toolkit.coding.autocode`):

``keywords``
    Words or phrases, matched case-insensitively as whole words.  A trailing
    ``*`` matches any ending (``volunteer*`` finds volunteer, volunteers,
    volunteering).  A space in a phrase matches any one space, tab or line
    break.
``regex``
    Python regular expressions, matched case-insensitively.  Write
    ``(?-i:...)`` around a part that must match case exactly.
``not``
    Words or phrases (keyword syntax) that veto the code: if one of them
    occurs anywhere in a segment, the code's rules do not code that segment.

YAML is the main format.  The flat form lists codes under ``codes:``; the
nested form lists themes under ``themes:``, each with its codes, and a code
may list its sub-codes under its own ``codes:``::

    codes:
      - code: peak_experience
        theme: Positive core
        definition: A time the speaker felt most alive, proud or effective.
        keywords: [proudest, "at our best", volunteer*]
        regex: ['\\bwent the extra mile\\b']
        not: [not proud]

A CSV codebook has one row per code and the columns of :data:`CODEBOOK_COLUMNS`
plus ``keywords`` and ``not`` (separated by ``;``) and ``regex`` (one per line
inside the cell).

Regular expressions that can take exponential time (nested unbounded
repetition such as ``(a+)+`` or ``(\\w+\\s?)*``) are rejected when the codebook
is read, with a message saying how to rewrite them.  Python's ``re`` module has
no time limit, so the check is made up front instead of at run time; it does
not catch every slow pattern (overlapping alternatives such as ``(a|a)*`` get
through), so keep rules simple.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from toolkit.errors import CodebookError
from toolkit.io.files import atomic_write, cell_text, read_table, write_table
from toolkit.tables import CODEBOOK

try:  # Python 3.11+
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = [
    "CODEBOOK_COLUMNS",
    "RULE_COLUMNS",
    "Code",
    "Codebook",
    "as_codebook",
    "check_regex",
    "keyword_pattern",
    "normalise_keyword",
    "read_codebook",
]

#: The columns of the codebook table, in order (defined in :mod:`toolkit.tables`).
CODEBOOK_COLUMNS = CODEBOOK.names
#: The rule columns a CSV codebook may add (and ``Codebook.rules`` kinds).
RULE_COLUMNS = ["keywords", "regex", "not"]

_TEXT_FIELDS = CODEBOOK_COLUMNS[1:]
_CODE_KEYS = set(CODEBOOK_COLUMNS) | set(RULE_COLUMNS) | {"codes", "memo", "notes"}
_THEME_KEYS = {"theme", "description", "color", "codes", "notes"}
_TOP_KEYS = {"name", "description", "version", "language", "codes", "themes", "notes"}

#: CSS colour names accepted besides ``#rgb`` and ``#rrggbb``.
CSS_COLOURS = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue
    cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey
    darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon
    darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
    deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen
    fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
    hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon
    lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey
    lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
    lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
    mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite
    navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen
    paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
    rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell
    sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan
    teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen""".split()  # noqa: SIM905
)
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


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


# --- where things are, for messages -----------------------------------------


@dataclass
class _Where:
    """Locations of a codebook's parts in its source file, for messages."""

    path: Path | None = None
    kind: str = "memory"  # "yaml", "csv" or "memory"
    # (code index, field, item index or None) -> line (YAML) or row (CSV)
    places: dict[tuple[int, str, int | None], int] = field(default_factory=dict)

    def error(
        self, message: str, index: int | None, key: str = "code", item: int | None = None, **kw
    ) -> CodebookError:
        number = None
        if index is not None:
            for probe in ((index, key, item), (index, key, None), (index, "code", None)):
                if probe in self.places:
                    number = self.places[probe]
                    break
        if self.kind == "csv":
            return CodebookError(message, path=self.path, row=number, **kw)
        if self.kind == "yaml":
            return CodebookError(message, path=self.path, line=number, **kw)
        if number is not None:
            return CodebookError(message, row=number, **kw)
        return CodebookError(message, **kw)

    def describe(self, index: int) -> str:
        """Say where code number `index` is, for messages that mention two places."""
        number = self.places.get((index, "code", None))
        if number is None:
            return f"code number {index + 1}"
        return f"line {number}" if self.kind == "yaml" else f"row {number}"


# --- rules -------------------------------------------------------------------


def normalise_keyword(keyword: str) -> str:
    """Return a keyword with its spaces tidied, or raise ``ValueError`` saying why.

    Spaces, tabs and line breaks inside a phrase become single spaces.  A
    ``*`` is allowed only at the end.

    Examples
    --------
    >>> normalise_keyword("  at   our best ")
    'at our best'
    >>> normalise_keyword("volunteer*")
    'volunteer*'
    """
    if not isinstance(keyword, str):
        raise ValueError(f"expected a word or phrase, but found {type(keyword).__name__}")
    text = " ".join(keyword.split())
    if not text:
        raise ValueError("expected a word or phrase, but found an empty keyword")
    if _CONTROL.search(text):
        raise ValueError("expected printable text, but found a control character")
    stem = text[:-1] if text.endswith("*") else text
    if "*" in stem:
        raise ValueError(
            f"a '*' may only end a keyword (as in 'volunteer*'), but {keyword!r} has one inside"
        )
    if not stem.strip():
        raise ValueError("expected a word before the '*', but found only the '*'")
    if stem != stem.rstrip():
        raise ValueError(f"expected the '*' right after a word, but {keyword!r} has a space first")
    return text


def _walk(items: Any, depth_unbounded: bool, found: list[str]) -> None:
    """Collect descriptions of nested unbounded repeats in a parsed pattern."""
    c = _sre_constants
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _low, high, body = av
            unbounded = high == c.MAXREPEAT or high > 100
            if depth_unbounded and unbounded:
                found.append("repeat")
            _walk(body, depth_unbounded or unbounded, found)
        elif op is c.SUBPATTERN:
            _walk(av[-1], depth_unbounded, found)
        elif op is c.BRANCH:
            for branch in av[1]:
                _walk(branch, depth_unbounded, found)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            _walk(av[1], depth_unbounded, found)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            # An atomic group is never re-entered by backtracking from outside.
            _walk(av, False, found)
        elif op is getattr(c, "POSSESSIVE_REPEAT", None):
            _walk(av[2], False, found)
        elif op is c.GROUPREF_EXISTS:
            _walk(av[1], depth_unbounded, found)
            if av[2] is not None:
                _walk(av[2], depth_unbounded, found)


def check_regex(pattern: str) -> re.Pattern:
    """Compile a rule's regular expression (case-insensitive), or say what is wrong.

    Raises ``ValueError`` with a message for a pattern that does not compile
    (naming the position of the fault), can match an empty string, or repeats
    a repeat (``(a+)+``), which can take exponential time.  Slow patterns are
    refused here, when the codebook is read, rather than stopped by a time
    limit when they run: Python's ``re`` has no time limit.

    Examples
    --------
    >>> check_regex(r"\\bextra mile\\b").pattern
    '\\\\bextra mile\\\\b'
    >>> check_regex("(a+)+")
    Traceback (most recent call last):
    ...
    ValueError: '(a+)+' repeats a part that is itself repeated ...
    """
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("expected a regular expression, but found an empty one")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        where = f" at position {exc.pos} (counting from 0)" if exc.pos is not None else ""
        pointer = ""
        if exc.pos is not None:
            pointer = f": {pattern[: exc.pos]}\u25b6{pattern[exc.pos :]}"
        raise ValueError(
            f"the regular expression '{pattern}' is not valid: {exc.msg}{where}{pointer}"
        ) from None
    parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    if parsed.getwidth()[0] == 0:
        raise ValueError(
            f"the regular expression '{pattern}' can match an empty string, so it would code "
            "every segment"
        )
    found: list[str] = []
    _walk(parsed, False, found)
    if found:
        raise ValueError(
            f"'{pattern}' repeats a part that is itself repeated (a nested quantifier such as "
            "(a+)+ or (\\w+\\s?)*), which can take minutes or hours on a long text"
        )
    return compiled


# --- the codebook ------------------------------------------------------------


class Codebook:
    """A checked codebook: codes in order, with themes, parents and rules.

    Build one with :func:`read_codebook`, :meth:`from_table`, or from a list
    of :class:`Code` objects or dicts.  Every check runs when it is built, so
    a Codebook is always valid.  It is not changed in place: :meth:`add`,
    :meth:`update` and :meth:`remove` return a new Codebook.

    Parameters
    ----------
    codes
        :class:`Code` objects or dicts with the same keys (``not`` or
        ``veto`` for vetoes).
    name, description
        About the codebook as a whole.

    Raises
    ------
    CodebookError
        For a duplicate code, an unknown parent, a cycle of parents, a bad
        keyword, regular expression or colour.

    Examples
    --------
    >>> book = Codebook([{"code": "wish", "theme": "Dreams", "keywords": ["i wish"]},
    ...                  {"code": "transport", "parent": "wish"}])
    >>> book.codes
    ['wish', 'transport']
    >>> book.table[["code", "theme", "parent"]].to_dict("records")[1]
    {'code': 'transport', 'theme': 'Dreams', 'parent': 'wish'}
    """

    def __init__(
        self,
        codes: Iterable[Code | Mapping[str, Any]] = (),
        *,
        name: str = "",
        description: str = "",
        _where: _Where | None = None,
        _doc: Any = None,
        _nodes: dict[str, Any] | None = None,
    ) -> None:
        where = _where or _Where()
        self.name = name
        self.description = description
        self._codes: list[Code] = [_as_code(c, i, where) for i, c in enumerate(codes)]
        self._where = where
        self._doc = _doc
        self._nodes = _nodes or {}
        self._check()
        self._by_name = {c.code: c for c in self._codes}

    # -- checks --

    def _check(self) -> None:
        where = self._where
        first: dict[str, int] = {}
        for i, code in enumerate(self._codes):
            if code.code in first:
                raise where.error(
                    f"expected each code once, but {code.code!r} is already defined at "
                    f"{where.describe(first[code.code])}",
                    i,
                    hint="rename one of them, or merge the two definitions",
                )
            first[code.code] = i
        for i, code in enumerate(self._codes):
            if code.parent and code.parent not in first:
                close = _close_matches(code.parent, first)
                raise where.error(
                    f"expected the parent of {code.code!r} to be a code in this codebook, but "
                    f"found {code.parent!r}{close}",
                    i,
                    "parent",
                    hint="correct the spelling or add that code",
                )
        parents = {c.code: c.parent for c in self._codes}
        for i, code in enumerate(self._codes):
            chain = [code.code]
            current = code.parent
            while current:
                if current == code.code:
                    cycle = " -> ".join([*chain, current])
                    raise where.error(
                        f"expected parents to form a tree, but they go round in a cycle: {cycle}",
                        i,
                        "parent",
                        hint="remove the parent of one of these codes",
                    )
                if current in chain:
                    break  # a cycle further up; reported at its own code
                chain.append(current)
                current = parents.get(current, "")
        for i, code in enumerate(self._codes):
            if code.color and not (
                _HEX_COLOUR.fullmatch(code.color) or code.color.lower() in CSS_COLOURS
            ):
                raise where.error(
                    f"expected a colour such as '#1b9e77' or 'teal' for {code.code!r}, but found "
                    f"{code.color!r}",
                    i,
                    "color",
                    hint='use # and six hexadecimal digits (quote it in YAML: "#1b9e77")',
                )
            for key, values in (("keywords", code.keywords), ("not", code.veto)):
                for j, keyword in enumerate(values):
                    try:
                        normalise_keyword(keyword)
                    except ValueError as exc:
                        raise where.error(
                            f"bad keyword for {code.code!r}: {exc}",
                            i,
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
                    raise where.error(
                        f"bad regex for {code.code!r}: {exc}", i, "regex", j, hint=hint
                    ) from None

    # -- reading --

    @property
    def codes(self) -> list[str]:
        """The code names, in codebook order."""
        return [c.code for c in self._codes]

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Code:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(
                f"no code {name!r} in this codebook{_close_matches(name, self._by_name)}"
            ) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Codebook) and self._codes == other._codes

    def __repr__(self) -> str:
        rules = sum(len(c.keywords) + len(c.regex) for c in self._codes)
        return (
            f"<Codebook{' ' + repr(self.name) if self.name else ''}: {len(self)} codes in "
            f"{len(self.themes)} themes, {rules} rules>"
        )

    def theme_of(self, name: str) -> str:
        """Return a code's theme, inherited from its parents if it has none."""
        code = self[name]
        seen = set()
        while code is not None and code.code not in seen:
            if code.theme:
                return code.theme
            seen.add(code.code)
            code = self._by_name.get(code.parent)
        return ""

    @property
    def themes(self) -> list[str]:
        """The themes, in the order they first appear."""
        return list(dict.fromkeys(t for t in (self.theme_of(c) for c in self.codes) if t))

    @property
    def table(self) -> pd.DataFrame:
        """Return the codebook table: one row per code, columns :data:`CODEBOOK_COLUMNS`.

        A code with no theme of its own gets its parent's.
        """
        rows = [
            [getattr(c, f) for f in CODEBOOK_COLUMNS[:1]]
            + [self.theme_of(c.code)]
            + [getattr(c, f) for f in CODEBOOK_COLUMNS[2:]]
            for c in self._codes
        ]
        return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS, dtype="str")

    @property
    def rules(self) -> pd.DataFrame:
        """The rules as a table: ``code, kind, pattern`` (kind is keyword, regex or not)."""
        rows = [
            (c.code, kind, pattern)
            for c in self._codes
            for kind, patterns in (("keyword", c.keywords), ("regex", c.regex), ("not", c.veto))
            for pattern in patterns
        ]
        return pd.DataFrame(rows, columns=["code", "kind", "pattern"], dtype="str")

    def colors(self) -> dict[str, str]:
        """Return a colour for every code: its own, else one from the chart palette."""
        from toolkit.present.charts import PALETTE

        return {c.code: c.color or PALETTE[i % len(PALETTE)] for i, c in enumerate(self._codes)}

    def children(self, name: str) -> list[str]:
        """Return the codes whose parent is `name`, in codebook order."""
        return [c.code for c in self._codes if c.parent == name]

    # -- changing (returns a new codebook) --

    def _derive(self, codes: list[Code]) -> Codebook:
        return Codebook(
            codes,
            name=self.name,
            description=self.description,
            _doc=self._doc,
            _nodes=self._nodes,
        )

    def add(self, code: Code | Mapping[str, Any]) -> Codebook:
        """Return a new codebook with `code` added at the end."""
        return self._derive([*self._codes, _as_code(code, len(self._codes), _Where())])

    def update(self, name: str, **changes: Any) -> Codebook:
        """Return a new codebook with some fields of code `name` changed.

        Examples
        --------
        >>> book = Codebook([{"code": "wish"}]).update("wish", keywords=["i wish"])
        >>> book["wish"].keywords
        ('i wish',)
        """
        self[name]
        if "not" in changes:
            changes["veto"] = changes.pop("not")
        for key in ("keywords", "regex", "veto"):
            if key in changes:
                changes[key] = _as_list(changes[key], key)
        new = [replace(c, **changes) if c.code == name else c for c in self._codes]
        if "code" in changes and changes["code"] != name:
            new = [replace(c, parent=changes["code"]) if c.parent == name else c for c in new]
        return self._derive(new)

    def remove(self, name: str) -> Codebook:
        """Return a new codebook without code `name` (its sub-codes move up a level)."""
        gone = self[name]
        new = [
            replace(c, parent=gone.parent) if c.parent == name else c
            for c in self._codes
            if c.code != name
        ]
        return self._derive(new)

    # -- tables and files --

    @classmethod
    def from_table(cls, table: pd.DataFrame, *, name: str = "") -> Codebook:
        """Build a codebook from a table with a ``code`` column.

        Other columns used if present: those of :data:`CODEBOOK_COLUMNS`, and
        ``keywords``/``not`` (separated by ``;`` or line breaks) and ``regex``
        (one per line).  Other columns are ignored.  Empty cells and missing
        values count as empty.

        Examples
        --------
        >>> import pandas as pd
        >>> table = pd.DataFrame({"code": ["a", "b"], "parent": ["", "a"], "color": ["red", None]})
        >>> Codebook.from_table(table).codes
        ['a', 'b']
        """
        if not isinstance(table, pd.DataFrame) or "code" not in table.columns:
            raise CodebookError(
                "expected a table with a 'code' column, but found "
                + (
                    f"columns {list(table.columns)}"
                    if isinstance(table, pd.DataFrame)
                    else type(table).__name__
                ),
                path=getattr(table, "attrs", {}).get("path"),
                hint="name the column of code names 'code'",
            )
        rows = table.attrs.get("rows") or list(range(1, len(table) + 1))
        where = _Where(
            path=Path(table.attrs["path"]) if table.attrs.get("path") else None,
            kind="csv" if table.attrs.get("path") else "memory",
        )
        codes = []
        for i, (row, record) in enumerate(zip(rows, table.to_dict("records"), strict=False)):
            for key in [*CODEBOOK_COLUMNS, *RULE_COLUMNS]:
                where.places[(i, key, None)] = row
            entry: dict[str, Any] = {}
            for key in CODEBOOK_COLUMNS:
                entry[key] = _cell(record.get(key))
            entry["keywords"] = _split(_cell(record.get("keywords")), r"[;\n]")
            entry["not"] = _split(_cell(record.get("not")), r"[;\n]")
            entry["regex"] = _split(_cell(record.get("regex")), r"\n")
            codes.append(entry)
        return cls(codes, name=name, _where=where)

    def write(self, path: str | Path) -> Path:
        """Write the codebook to a ``.yml``/``.yaml`` or ``.csv`` file, atomically.

        A codebook read from YAML keeps its layout, order and comments: only
        the codes that changed are rewritten, new codes go at the end.

        Returns
        -------
        Path
            The file written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            table = self.table.copy()
            table["theme"] = [c.theme for c in self._codes]  # as written, not inherited
            table["keywords"] = ["; ".join(c.keywords) for c in self._codes]
            table["regex"] = ["\n".join(c.regex) for c in self._codes]
            table["not"] = ["; ".join(c.veto) for c in self._codes]
            return write_table(table, path)
        if suffix not in (".yml", ".yaml"):
            raise CodebookError(
                f"expected a file name ending .yml, .yaml or .csv, but found {path.name!r}",
                path=path,
                hint="name the file codebook.yml",
            )
        return atomic_write(path, self.to_yaml())

    def to_yaml(self) -> str:
        """Return the codebook as YAML text (its original layout, if read from YAML)."""
        yaml = _yaml()
        if self._doc is not None:
            doc = _updated_document(self)
        else:
            doc = CommentedMap()
            if self.name:
                doc["name"] = self.name
            if self.description:
                doc["description"] = self.description
            doc["codes"] = CommentedSeq(_node_for(c) for c in self._codes)
        buffer = io.StringIO()
        yaml.dump(doc, buffer)
        return buffer.getvalue()


def as_codebook(codebook: Any, *, codes: Iterable[Any] = ()) -> Codebook:
    """Return ``codebook`` as a :class:`Codebook`: the one way any codebook-like value is read.

    Parameters
    ----------
    codebook
        A :class:`Codebook`; a codebook table (a DataFrame with a ``code``
        column; other columns of :data:`CODEBOOK_COLUMNS` used when present);
        a list of code names; or ``None``.
    codes
        With ``codebook=None``: the codes to make a codebook of, in order of
        first appearance (for example ``codings["code"]``), each its own theme.

    Raises
    ------
    CodebookError
        When ``codebook`` is none of these, or its table has no ``code`` column.

    Examples
    --------
    >>> as_codebook(["wishes", "peak"]).codes
    ['wishes', 'peak']
    >>> as_codebook(None, codes=["b", "a", "b"]).table["theme"].tolist()
    ['b', 'a']
    """
    if isinstance(codebook, Codebook):
        return codebook
    if codebook is None:
        names = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
        return Codebook.from_table(pd.DataFrame({"code": names, "theme": names}))
    table = getattr(codebook, "table", codebook)
    if isinstance(table, pd.DataFrame):
        if "code" not in table.columns:
            raise CodebookError(
                "expected a codebook table with a 'code' column, but found "
                + (", ".join(repr(str(c)) for c in table.columns) or "no columns"),
                hint="name the column of code names 'code'",
            )
        return Codebook.from_table(table)
    if isinstance(table, (list, tuple, pd.Series, pd.Index)):
        return Codebook.from_table(pd.DataFrame({"code": [str(c) for c in table]}))
    raise CodebookError(
        "expected a codebook (a Codebook, a table with a 'code' column, or a list of codes), "
        f"but found {type(codebook).__name__}",
        hint="pass project.codebook, or tk.read_codebook('codebook.yml')",
    )


def _close_matches(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=3)
    return f" (did you mean {', '.join(map(repr, close))}?)" if close else ""


def _cell(value: Any) -> str:
    return cell_text(value).strip()


def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def _as_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # "proud, proudest" is a common way to write two keywords.
        return tuple(_split(value, r"[;,]")) if key != "regex" else (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(v if isinstance(v, str) else str(v) for v in value if v is not None)
    raise TypeError(f"expected a list for '{key}', but found {type(value).__name__}")


def _as_code(value: Code | Mapping[str, Any], index: int, where: _Where) -> Code:
    if isinstance(value, Code):
        return value
    if not isinstance(value, Mapping):
        raise where.error(
            f"expected a code (a mapping with 'code:' and its fields), but found "
            f"{type(value).__name__} {value!r}",
            index,
            hint="start each code with '- code: name'",
        )
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
                out[key] = _as_list(val, key)
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
    if _CONTROL.search(out["code"]) or "\n" in out["code"]:
        raise where.error(
            f"expected a code name on one line, but found {out['code']!r}",
            index,
            hint="use letters, digits, spaces and _ in code names",
        )
    return Code(**out)


# --- YAML --------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never split a long regex or phrase over two lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _line(node: Any, key: Any = None, item: int | None = None) -> int | None:
    """Return the 1-based line of a node, one of its keys, or one of its items."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if item is not None:
            return lc.item(item)[0] + 1
        if key is not None:
            return lc.key(key)[0] + 1
        return lc.line + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1 if getattr(lc, "line", None) is not None else None


def _read_yaml(path: Path) -> Codebook:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(
            "expected a UTF-8 text file, but found bytes that are not UTF-8",
            path=path,
            hint="save the codebook as UTF-8",
        ) from None
    try:
        doc = _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CodebookError(
            f"expected valid YAML, but the parser stopped: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="check the indentation, the '- ' before each code and the colon after each key; "
            "quote text that contains ': ' or starts with a special character",
        ) from None
    where = _Where(path=path, kind="yaml")
    if doc is None:
        return Codebook(_where=where, _doc=CommentedMap())
    if isinstance(doc, list):
        top: Any = CommentedMap()
        entries = [(doc, None, "", "")]
        doc_out: Any = doc
    elif isinstance(doc, dict):
        unknown = [k for k in doc if k not in _TOP_KEYS]
        if unknown:
            raise CodebookError(
                f"expected the keys {', '.join(sorted(_TOP_KEYS))} at the top of a codebook, "
                f"but found {unknown[0]!r}",
                path=path,
                line=_line(doc, unknown[0]),
                hint="put each code in the list under 'codes:' (or under a theme in 'themes:')",
            )
        top = doc
        doc_out = doc
        entries = []
        if doc.get("themes") is not None:
            themes = doc["themes"]
            if not isinstance(themes, list):
                raise CodebookError(
                    f"expected a list of themes under 'themes:', but found {type(themes).__name__}",
                    path=path,
                    line=_line(doc, "themes"),
                    hint="start each theme with '- theme: Name'",
                )
            for k, theme in enumerate(themes):
                if not isinstance(theme, dict) or not _cell(theme.get("theme")):
                    raise CodebookError(
                        "expected each entry under 'themes:' to have a 'theme:' name",
                        path=path,
                        line=_line(themes, item=k),
                        hint="start each theme with '- theme: Name' and list its codes under "
                        "'codes:'",
                    )
                bad = [key for key in theme if key not in _THEME_KEYS]
                if bad:
                    raise CodebookError(
                        f"expected the keys {', '.join(sorted(_THEME_KEYS))} in a theme, but "
                        f"found {bad[0]!r}",
                        path=path,
                        line=_line(theme, bad[0]),
                        hint="put code fields inside the codes listed under the theme's 'codes:'",
                    )
                entries.append((theme.get("codes") or [], theme, _cell(theme["theme"]), ""))
        if doc.get("codes") is not None:
            entries.insert(0, (doc["codes"], doc, "", ""))
    else:
        raise CodebookError(
            f"expected a codebook with a 'codes:' list, but found {type(doc).__name__}",
            path=path,
            line=1,
            hint="start the file with 'codes:' and list each code under it",
        )
    codes: list[dict[str, Any]] = []
    nodes: dict[str, Any] = {}

    def visit(seq: Any, owner: Any, theme: str, parent: str) -> None:
        if not isinstance(seq, list):
            raise CodebookError(
                f"expected a list of codes under 'codes:', but found {type(seq).__name__}",
                path=path,
                line=_line(owner, "codes"),
                hint="start each code with '- code: name'",
            )
        for k, node in enumerate(seq):
            index = len(codes)
            where.places[(index, "code", None)] = _line(seq, item=k) or 0
            if not isinstance(node, dict):
                raise where.error(
                    f"expected a code (a mapping with 'code:' and its fields), but found "
                    f"{type(node).__name__} {node!r}",
                    index,
                    hint="start each code with '- code: name' and indent its fields under it",
                )
            where.places[(index, "code", None)] = _line(node, "code") or _line(node) or 0
            unknown = [key for key in node if key not in _CODE_KEYS]
            if unknown:
                close = _close_matches(unknown[0], _CODE_KEYS)
                raise CodebookError(
                    f"expected code fields such as {', '.join(CODEBOOK_COLUMNS + RULE_COLUMNS)}, "
                    f"but found {unknown[0]!r}{close}",
                    path=path,
                    line=_line(node, unknown[0]),
                    hint="correct the key's spelling (keys are lower case)",
                )
            for key in node:
                where.places[(index, key, None)] = _line(node, key) or 0
                value = node[key]
                if isinstance(value, list):
                    for j in range(len(value)):
                        where.places[(index, key, j)] = _line(value, item=j) or 0
            entry = {k: v for k, v in node.items() if k not in ("codes", "memo", "notes")}
            entry.setdefault("theme", theme)
            entry.setdefault("parent", parent)
            codes.append(entry)
            name = _cell(node.get("code"))
            nodes[name] = (seq, node, theme, parent)
            if node.get("codes") is not None:
                visit(node["codes"], node, _cell(entry.get("theme")) or theme, name)

    for seq, owner, theme, parent in entries:
        visit(seq, owner, theme, parent)
    return Codebook(
        codes,
        name=_cell(top.get("name")) if isinstance(top, dict) else "",
        description=_cell(top.get("description")) if isinstance(top, dict) else "",
        _where=where,
        _doc=doc_out,
        _nodes=nodes,
    )


def _flow(values: Iterable[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _node_for(code: Code) -> CommentedMap:
    node = CommentedMap()
    node["code"] = code.code
    for key in _TEXT_FIELDS:
        if getattr(code, key):
            node[key] = getattr(code, key)
    for key, values in (("keywords", code.keywords), ("regex", code.regex), ("not", code.veto)):
        if values:
            node[key] = _flow(values) if key != "regex" else CommentedSeq(values)
    return node


def _updated_document(book: Codebook) -> Any:
    """Return a copy of the source YAML document with the codebook's changes applied."""
    memo: dict[int, Any] = {}
    doc = copy.deepcopy(book._doc, memo)

    def copied(obj: Any) -> Any:
        return memo.get(id(obj), obj)

    wanted = set(book.codes)
    # Remove codes that are gone (their node, and so their nested sub-codes' nodes).
    for name, (seq, node, _theme, _parent) in book._nodes.items():
        if name not in wanted:
            seq_copy, node_copy = copied(seq), copied(node)
            for k, item in enumerate(seq_copy):
                if item is node_copy:
                    del seq_copy[k]
                    # Sub-codes written inside the removed code move up a level.
                    for child in reversed(node_copy.get("codes") or []):
                        seq_copy.insert(k, child)
                    break
    for code in book:
        found = book._nodes.get(code.code)
        if found is None:
            target = _append_target(doc, code)
            target.append(_node_for(code))
            continue
        _seq, node, implied_theme, implied_parent = found
        node = copied(node)
        implied = {"theme": implied_theme, "parent": implied_parent}
        for key in _TEXT_FIELDS:
            value = getattr(code, key)
            if key in node:
                if _cell(node[key]) != value:
                    if value or key in implied:
                        node[key] = value
                    else:
                        del node[key]
            elif value and value != implied.get(key, ""):
                node[key] = value
        for key, values in (("keywords", code.keywords), ("regex", code.regex), ("not", code.veto)):
            current = tuple(_as_list(node.get(key), key)) if key in node else ()
            if current != values:
                if values:
                    node[key] = _flow(values) if key != "regex" else CommentedSeq(values)
                elif key in node:
                    del node[key]
    return doc


def _append_target(doc: Any, code: Code) -> Any:
    if isinstance(doc, list):
        return doc
    for theme in doc.get("themes") or []:
        if isinstance(theme, dict) and _cell(theme.get("theme")) == code.theme and code.theme:
            if theme.get("codes") is None:
                theme["codes"] = CommentedSeq()
            return theme["codes"]
    if doc.get("codes") is None:
        doc["codes"] = CommentedSeq()
    return doc["codes"]


def read_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook from a YAML (``.yml``/``.yaml``) or CSV file.

    Parameters
    ----------
    path
        The codebook file.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        If the file is missing or malformed, or a code is invalid; the message
        names the line (YAML) or row (CSV).

    Examples
    --------
    >>> import toolkit as tk
    >>> book = tk.read_codebook(tk.sample_project_path() / "codebook.yml")
    >>> "peak_experience" in book.codes
    True
    """
    path = Path(path)
    if not path.is_file():
        raise CodebookError(
            "expected a codebook file here, but there is none",
            path=path,
            hint="check the path; starter codebooks are in templates/ (codebook-*.yml)",
        )
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return _read_yaml(path)
    if suffix == ".csv":
        table = read_table(path, ["code"], what="codebook")
        unknown = [c for c in table.columns if c not in CODEBOOK_COLUMNS + RULE_COLUMNS]
        if unknown:
            allowed = CODEBOOK_COLUMNS + RULE_COLUMNS
            raise CodebookError(
                f"expected only the columns {', '.join(allowed)}, but found {unknown[0]!r}"
                + _close_matches(unknown[0], allowed),
                path=path,
                line=1,
                hint="rename or delete that column",
            )
        return Codebook.from_table(table, name=path.stem)
    raise CodebookError(
        f"expected a codebook ending .yml, .yaml or .csv, but found {path.name!r}",
        path=path,
        hint="save the codebook as YAML (codebook.yml) or as a CSV file",
    )


def keyword_pattern(keyword: str) -> str:
    """Return the regular expression a keyword rule stands for (case-insensitive).

    Examples
    --------
    >>> keyword_pattern("volunteer*")
    '(?<!\\\\w)volunteer\\\\w*'
    >>> keyword_pattern("at our best")
    '(?<!\\\\w)at\\\\sour\\\\sbest(?!\\\\w)'
    """
    text = normalise_keyword(keyword)
    wildcard = text.endswith("*")
    stem = text[:-1] if wildcard else text
    body = r"\s".join(re.escape(word) for word in stem.split(" "))
    return r"(?<!\w)" + body + (r"\w*" if wildcard else r"(?!\w)")
