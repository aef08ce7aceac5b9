"""Codebooks: codes, their themes, definitions and rules, checked as a whole.

A codebook lists the codes a team applies to its interviews.  Each code has a
definition (with what to include and exclude, and an example) so that coders
apply it the same way, an optional ``theme`` and ``parent`` to group codes,
a colour for charts, and optional *rules* (``keywords``, ``regex`` and
``not``; see :mod:`toolkit.model.rules`) that code text automatically
(:func:`toolkit.analysis.autocode.engine.autocode`).

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
inside the cell).  Reading and writing the files is in
:mod:`toolkit.model.codebook_files`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import CodebookError
from toolkit.io.files import atomic_write, read_table, require_file, write_table
from toolkit.model.code import Code, as_code, check_code
from toolkit.model.codebook_files import (
    CodebookSource,
    codebook_yaml,
    load_yaml,
    rule_list,
    table_entries,
)
from toolkit.model.rules import RULE_COLUMNS
from toolkit.tables import CODEBOOK
from toolkit.wording import did_you_mean

__all__ = [
    "CODEBOOK_COLUMNS",
    "Codebook",
    "as_codebook",
    "read_codebook",
]

#: The columns of the codebook table, in order (defined in :mod:`toolkit.tables`).
CODEBOOK_COLUMNS = CODEBOOK.names


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
    source
        Where it was read from (set by :func:`read_codebook`): messages name
        the file and line, and :meth:`write` keeps the file's comments.

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
        source: CodebookSource | None = None,
    ) -> None:
        where = source or CodebookSource()
        self.name = name
        self.description = description
        self._codes: list[Code] = [as_code(c, i, where) for i, c in enumerate(codes)]
        #: Where the codebook was read from (file, lines, YAML document), for messages
        #: and for writing it back with its comments.
        self.source = where
        self._check()
        self._by_name = {c.code: c for c in self._codes}

    # -- checks --

    def _check(self) -> None:
        where = self.source
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
                close = did_you_mean(code.parent, first)
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
            check_code(code, i, where)

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
                f"no code {name!r} in this codebook{did_you_mean(name, self._by_name)}"
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

    def colors(self, palette: Sequence[str] = ()) -> dict[str, str]:
        """Return each code's colour: its own, else one from `palette` (in turn).

        The codebook knows only the colours it was given; charts and widgets
        pass their palette (:data:`toolkit.present.colours.PALETTE`) to fill
        the others.  Without a palette, codes with no colour are left out.

        Examples
        --------
        >>> book = Codebook([{"code": "a", "color": "teal"}, {"code": "b"}])
        >>> book.colors()
        {'a': 'teal'}
        >>> book.colors(["#0072B2", "#E69F00"])
        {'a': 'teal', 'b': '#E69F00'}
        """
        if not palette:
            return {c.code: c.color for c in self._codes if c.color}
        return {c.code: c.color or palette[i % len(palette)] for i, c in enumerate(self._codes)}

    def children(self, name: str) -> list[str]:
        """Return the codes whose parent is `name`, in codebook order."""
        return [c.code for c in self._codes if c.parent == name]

    # -- changing (returns a new codebook) --

    def _derive(self, codes: list[Code]) -> Codebook:
        # The YAML document is kept, to write the changes back into it.
        kept = CodebookSource(doc=self.source.doc, nodes=self.source.nodes)
        return Codebook(codes, name=self.name, description=self.description, source=kept)

    def add(self, code: Code | Mapping[str, Any]) -> Codebook:
        """Return a new codebook with `code` added at the end."""
        return self._derive([*self._codes, as_code(code, len(self._codes), CodebookSource())])

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
                changes[key] = rule_list(changes[key], key)
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
        codes, source = table_entries(table)
        return cls(codes, name=name, source=source)

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
        return codebook_yaml(
            self._codes, name=self.name, description=self.description, source=self.source
        )


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
    path = require_file(
        path,
        "a codebook file",
        "check the path; starter codebooks are in templates/ (codebook-*.yml)",
        CodebookError,
    )
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        codes, about, source = load_yaml(path)
        return Codebook(codes, **about, source=source)
    if suffix == ".csv":
        table = read_table(path, ["code"], what="codebook")
        unknown = [c for c in table.columns if c not in CODEBOOK_COLUMNS + RULE_COLUMNS]
        if unknown:
            allowed = CODEBOOK_COLUMNS + RULE_COLUMNS
            raise CodebookError(
                f"expected only the columns {', '.join(allowed)}, but found {unknown[0]!r}"
                + did_you_mean(unknown[0], allowed),
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
