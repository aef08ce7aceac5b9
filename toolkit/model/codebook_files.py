"""Codebook files: YAML and CSV read into code entries, and written back keeping comments.

A YAML codebook lists codes under ``codes:`` (the flat form) or themes under
``themes:``, each with its codes (the nested form); a code may list its
sub-codes under its own ``codes:``.  :func:`load_yaml` reads one into plain
code entries, remembering each one's line for messages and its node in the
document, so that :func:`updated_document` can write the codebook back with
its layout, order and comments: only codes that changed are rewritten, new
codes go at the end.

A CSV codebook has one row per code and the codebook table's columns plus
``keywords`` and ``not`` (separated by ``;``) and ``regex`` (one per line
inside the cell): :func:`table_entries` reads such a table.

The :class:`~toolkit.model.codebook.Codebook` itself, and
:func:`~toolkit.model.codebook.read_codebook`, are in
:mod:`toolkit.model.codebook`; this module knows the files only.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from toolkit.errors import CodebookError
from toolkit.io.files import cell_text, read_utf8
from toolkit.model.rules import RULE_COLUMNS
from toolkit.tables import CODEBOOK
from toolkit.wording import did_you_mean

__all__ = [
    "CODE_KEYS",
    "CodebookSource",
    "code_node",
    "codebook_yaml",
    "load_yaml",
    "rule_list",
    "split_cell",
    "table_entries",
    "updated_document",
]

_TEXT_FIELDS = CODEBOOK.names[1:]
#: The keys a code may have in a YAML codebook.
CODE_KEYS = set(CODEBOOK.names) | set(RULE_COLUMNS) | {"codes", "memo", "notes"}
_THEME_KEYS = {"theme", "description", "color", "codes", "notes"}
_TOP_KEYS = {"name", "description", "version", "language", "codes", "themes", "notes"}


@dataclass
class CodebookSource:
    """Where a codebook came from: its file, each code's place in it, its YAML document.

    Attributes
    ----------
    path
        The file, or ``None`` for a codebook built in memory.
    kind
        ``"yaml"``, ``"csv"`` or ``"memory"``.
    places
        ``(code index, field, item index or None)`` -> line (YAML) or row (CSV).
    doc
        The YAML document as read (comments kept), or ``None``.
    nodes
        Each code's name -> ``(list it is in, its node, implied theme, implied parent)``.
    """

    path: Path | None = None
    kind: str = "memory"
    places: dict[tuple[int, str, int | None], int] = field(default_factory=dict)
    doc: Any = None
    nodes: dict[str, Any] = field(default_factory=dict)

    def error(
        self, message: str, index: int | None, key: str = "code", item: int | None = None, **kw
    ) -> CodebookError:
        """Return a CodebookError naming the line or row of code `index` (its `key`, `item`)."""
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

    def not_a_code(self, value: Any, index: int, hint: str) -> CodebookError:
        """Return the error for code number `index` when its entry is not a mapping."""
        return self.error(
            f"expected a code (a mapping with 'code:' and its fields), but found "
            f"{type(value).__name__} {value!r}",
            index,
            hint=hint,
        )

    def describe(self, index: int) -> str:
        """Say where code number `index` is, for messages that mention two places."""
        number = self.places.get((index, "code", None))
        if number is None:
            return f"code number {index + 1}"
        return f"line {number}" if self.kind == "yaml" else f"row {number}"


def _cell(value: Any) -> str:
    return cell_text(value).strip()


def split_cell(text: str, separators: str) -> list[str]:
    """Split a cell at the `separators` (a regex), dropping blank parts."""
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def rule_list(value: Any, key: str) -> tuple[str, ...]:
    """Return the ``keywords``, ``regex`` or ``not`` value of a code as a tuple of texts.

    ``"proud, proudest"`` (a common way to write two keywords) gives two
    keywords; a regex given as text is one pattern.

    Raises
    ------
    TypeError
        For a value that is neither text nor a list.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(split_cell(value, r"[;,]")) if key != "regex" else (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(v if isinstance(v, str) else str(v) for v in value if v is not None)
    raise TypeError(f"expected a list for '{key}', but found {type(value).__name__}")


def table_entries(table: pd.DataFrame) -> tuple[list[dict[str, Any]], CodebookSource]:
    """Return the code entries of a codebook table and where each one is (its row).

    Columns used if present: the codebook table's, and ``keywords``/``not``
    (separated by ``;`` or line breaks) and ``regex`` (one per line).  Other
    columns are ignored; empty cells and missing values count as empty.
    """
    rows = table.attrs.get("rows") or list(range(1, len(table) + 1))
    source = CodebookSource(
        path=Path(table.attrs["path"]) if table.attrs.get("path") else None,
        kind="csv" if table.attrs.get("path") else "memory",
    )
    entries = []
    for i, (row, record) in enumerate(zip(rows, table.to_dict("records"), strict=False)):
        for key in [*CODEBOOK.names, *RULE_COLUMNS]:
            source.places[(i, key, None)] = row
        entry: dict[str, Any] = {key: _cell(record.get(key)) for key in CODEBOOK.names}
        entry["keywords"] = split_cell(_cell(record.get("keywords")), r"[;\n]")
        entry["not"] = split_cell(_cell(record.get("not")), r"[;\n]")
        entry["regex"] = split_cell(_cell(record.get("regex")), r"\n")
        entries.append(entry)
    return entries, source


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


def _only_keys(node: Any, allowed: set[str], place: str, path: Path, hint: str) -> None:
    """Raise unless every key of `node` is `allowed` (`place` says where, e.g. "in a theme")."""
    unknown = [key for key in node if key not in allowed]
    if unknown:
        raise CodebookError(
            f"expected the keys {', '.join(sorted(allowed))} {place}, but found {unknown[0]!r}",
            path=path,
            line=_line(node, unknown[0]),
            hint=hint,
        )


def _listed(value: Any, what: str, owner: Any, key: str, path: Path, hint: str) -> list:
    """Return `value` if it is a list (of `what`, under `key` of `owner`), else raise."""
    if not isinstance(value, list):
        raise CodebookError(
            f"expected a list of {what} under '{key}:', but found {type(value).__name__}",
            path=path,
            line=_line(owner, key),
            hint=hint,
        )
    return value


def load_yaml(path: Path) -> tuple[list[dict[str, Any]], dict[str, str], CodebookSource]:
    """Read a YAML codebook: its code entries, its ``name`` and ``description``, its source.

    Raises
    ------
    CodebookError
        For a file that is not UTF-8 or not valid YAML, or keys out of place,
        naming the line.
    """
    text = read_utf8(path, "save the codebook as UTF-8", CodebookError)
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
    where = CodebookSource(path=path, kind="yaml")
    if doc is None:
        where.doc = CommentedMap()
        return [], {"name": "", "description": ""}, where
    if isinstance(doc, list):
        top: Any = CommentedMap()
        entries = [(doc, None, "", "")]
        doc_out: Any = doc
    elif isinstance(doc, dict):
        _only_keys(
            doc,
            _TOP_KEYS,
            "at the top of a codebook",
            path,
            hint="put each code in the list under 'codes:' (or under a theme in 'themes:')",
        )
        top = doc
        doc_out = doc
        entries = []
        if doc.get("themes") is not None:
            hint = "start each theme with '- theme: Name'"
            themes = _listed(doc["themes"], "themes", doc, "themes", path, hint)
            for k, theme in enumerate(themes):
                if not isinstance(theme, dict) or not _cell(theme.get("theme")):
                    raise CodebookError(
                        "expected each entry under 'themes:' to have a 'theme:' name",
                        path=path,
                        line=_line(themes, item=k),
                        hint="start each theme with '- theme: Name' and list its codes under "
                        "'codes:'",
                    )
                _only_keys(
                    theme,
                    _THEME_KEYS,
                    "in a theme",
                    path,
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
        _listed(seq, "codes", owner, "codes", path, "start each code with '- code: name'")
        for k, node in enumerate(seq):
            index = len(codes)
            where.places[(index, "code", None)] = _line(seq, item=k) or 0
            if not isinstance(node, dict):
                hint = "start each code with '- code: name' and indent its fields under it"
                raise where.not_a_code(node, index, hint)
            where.places[(index, "code", None)] = _line(node, "code") or _line(node) or 0
            unknown = [key for key in node if key not in CODE_KEYS]
            if unknown:
                close = did_you_mean(unknown[0], CODE_KEYS)
                raise CodebookError(
                    f"expected code fields such as {', '.join(CODEBOOK.names + RULE_COLUMNS)}, "
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
    where.doc, where.nodes = doc_out, nodes
    about = {
        "name": _cell(top.get("name")) if isinstance(top, dict) else "",
        "description": _cell(top.get("description")) if isinstance(top, dict) else "",
    }
    return codes, about, where


def _flow(values: Iterable[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def code_node(code: Any) -> CommentedMap:
    """Return the YAML node of a :class:`~toolkit.model.codebook.Code` (its non-empty fields)."""
    node = CommentedMap()
    node["code"] = code.code
    for key in _TEXT_FIELDS:
        if getattr(code, key):
            node[key] = getattr(code, key)
    for key, values in (("keywords", code.keywords), ("regex", code.regex), ("not", code.veto)):
        if values:
            node[key] = _flow(values) if key != "regex" else CommentedSeq(values)
    return node


def updated_document(source: CodebookSource, codes: list[Any]) -> Any:
    """Return a copy of the source YAML document with `codes` (the codebook now) written in.

    Codes that are gone are removed (their sub-codes move up a level), codes
    that changed are rewritten field by field, new codes go at the end (of
    their theme's list, if the document has themes).
    """
    memo: dict[int, Any] = {}
    doc = copy.deepcopy(source.doc, memo)

    def copied(obj: Any) -> Any:
        return memo.get(id(obj), obj)

    wanted = {code.code for code in codes}
    # Remove codes that are gone (their node, and so their nested sub-codes' nodes).
    for name, (seq, node, _theme, _parent) in source.nodes.items():
        if name not in wanted:
            seq_copy, node_copy = copied(seq), copied(node)
            for k, item in enumerate(seq_copy):
                if item is node_copy:
                    del seq_copy[k]
                    # Sub-codes written inside the removed code move up a level.
                    for child in reversed(node_copy.get("codes") or []):
                        seq_copy.insert(k, child)
                    break
    for code in codes:
        found = source.nodes.get(code.code)
        if found is None:
            target = _append_target(doc, code)
            target.append(code_node(code))
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
            current = tuple(rule_list(node.get(key), key)) if key in node else ()
            if current != values:
                if values:
                    node[key] = _flow(values) if key != "regex" else CommentedSeq(values)
                elif key in node:
                    del node[key]
    return doc


def _append_target(doc: Any, code: Any) -> Any:
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


def codebook_yaml(
    codes: list[Any],
    *,
    name: str = "",
    description: str = "",
    source: CodebookSource | None = None,
) -> str:
    """Return a codebook as YAML text: its original layout if `source` has a document.

    Parameters
    ----------
    codes
        The :class:`~toolkit.model.codebook.Code` objects, in order.
    name, description
        Written at the top of a new document.
    source
        Where the codebook was read from, if anywhere.
    """
    yaml = _yaml()
    if source is not None and source.doc is not None:
        doc = updated_document(source, codes)
    else:
        doc = CommentedMap()
        if name:
            doc["name"] = name
        if description:
            doc["description"] = description
        doc["codes"] = CommentedSeq(code_node(c) for c in codes)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()
