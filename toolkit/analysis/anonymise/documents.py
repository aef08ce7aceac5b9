"""Rewriting the files of a project: transcripts, Word documents, surveys and tables.

Each function reads one file (a transcript, a Word document, a survey, a
table, a YAML file such as the codebook), replaces the identifiers a
:class:`~toolkit.analysis.anonymise.pseudonymiser.Pseudonymiser` finds, writes
the result atomically to the target path and records every change in the
:class:`~toolkit.analysis.anonymise.audit.Audit`.  A subtitle file's timing
lines and cue numbers are never touched (:func:`structure_spans`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.analysis.anonymise.audit import Audit
from toolkit.analysis.anonymise.patterns import Found
from toolkit.analysis.anonymise.pseudonymiser import Pseudonymiser
from toolkit.io.decoding import decode_transcript
from toolkit.io.files import atomic_write, read_table, write_table
from toolkit.io.surveys import ID_COLUMN_NAMES

__all__ = [
    "pseudonymise_cells",
    "pseudonymise_docx",
    "pseudonymise_survey",
    "pseudonymise_text_file",
    "pseudonymise_yaml",
    "structure_spans",
]


def structure_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Return the spans of a subtitle file that are structure, not speech.

    For ``kind`` ``"webvtt"`` or ``"srt"``: the WebVTT header, STYLE and
    REGION blocks, each timing line and the cue number before it.  Any other
    kind has none.

    Examples
    --------
    >>> text = "1\\n00:00:01,000 --> 00:00:02,000\\nHello"
    >>> [text[a:b] for a, b in structure_spans(text, "srt")]
    ['00:00:01,000 --> 00:00:02,000', '1']
    """
    if kind not in ("webvtt", "srt"):
        return []
    spans = []
    offset = 0
    lines = text.split("\n")
    in_header = kind == "webvtt"
    block: list[tuple[int, str]] = []
    for line in [*lines, ""]:
        if line.strip() == "" and line == "":
            if block:
                spans += _block_structure(block, kind, in_header)
                in_header = False
            block = []
        else:
            block.append((offset, line))
        offset += len(line) + 1
    return spans


def _block_structure(block: list[tuple[int, str]], kind: str, header: bool) -> list[tuple]:
    first = block[0][1]
    whole = (block[0][0], block[-1][0] + len(block[-1][1]))
    if header or first.startswith(("STYLE", "REGION")):
        return [whole]
    spans = []
    for i, (offset, line) in enumerate(block[:2]):
        if "-->" in line:
            spans.append((offset, offset + len(line)))
            if i == 1:  # the cue identifier (or SubRip number) before the timing line
                spans.append((block[0][0], block[0][0] + len(block[0][1])))
    return spans


def pseudonymise_text_file(
    source: Path, target: Path, rel: str, kind: str, p: Pseudonymiser, audit: Audit
) -> Path:
    """Write a pseudonymised copy of a plain-text or subtitle transcript; return ``target``.

    ``rel`` is the file's path within the project, for the audit; ``kind`` its
    transcript kind (``"text"``, ``"webvtt"``, ``"srt"``...).  The copy is
    written as UTF-8.
    """
    text, _encoding = decode_transcript(source.read_bytes(), source, kind)
    found = p.find(text, structure_spans(text, kind))
    new_text, placed = p.replace(text, found)
    audit.add(rel, source.stem, placed, new_text)
    return atomic_write(target, new_text)


def pseudonymise_docx(source: Path, target: Path, rel: str, p: Pseudonymiser, audit: Audit) -> Path:
    """Write a pseudonymised copy of a Word document; return ``target``.

    Every paragraph (in tables, headers and footers too) is rewritten run by
    run, so the formatting stays; the author, last editor and comments of
    the document's properties are cleared.
    """
    import docx

    document = docx.Document(str(source))
    paragraphs = list(_docx_paragraphs(document))
    for number, paragraph in enumerate(paragraphs, start=1):
        runs = [r for item in paragraph.iter_inner_content() for r in _runs_of(item)]
        texts = [r.text for r in runs]
        full = "".join(texts)
        found = p.find(full)
        if not found:
            continue
        new_full, placed = p.replace(full, found)
        # Rewrite run by run, right to left, so earlier offsets stay valid.
        bounds = []
        at = 0
        for t in texts:
            bounds.append((at, at + len(t)))
            at += len(t)
        for item in reversed([f for f in found if f.action == "replaced"]):
            first = next(i for i, (a, b) in enumerate(bounds) if a <= item.start < b)
            last = next(i for i, (a, b) in enumerate(bounds) if a < item.end <= b)
            a0 = bounds[first][0]
            if first == last:
                t = texts[first]
                texts[first] = t[: item.start - a0] + item.replacement + t[item.end - a0 :]
            else:
                texts[first] = texts[first][: item.start - a0] + item.replacement
                for i in range(first + 1, last):
                    texts[i] = ""
                texts[last] = texts[last][item.end - bounds[last][0] :]
        for run, t in zip(runs, texts, strict=True):
            if run.text != t:
                run.text = t
        audit.add(rel, source.stem, placed, new_full, line=number, field="paragraph")
    properties = document.core_properties
    for name in ("author", "last_modified_by", "comments"):
        if getattr(properties, name):
            setattr(properties, name, "")
            audit.note(rel, source.stem, "document property", "cleared", field=name)
    buffer = io.BytesIO()
    document.save(buffer)
    return atomic_write(target, buffer.getvalue())


def _runs_of(item: Any) -> list:
    return list(item.runs) if hasattr(item, "runs") else [item]


def _docx_paragraphs(document: Any) -> Iterator[Any]:
    from docx.table import Table

    def walk(container: Any) -> Iterator[Any]:
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell appears once per column
                            continue
                        seen.add(id(cell._tc))
                        yield from walk(cell)
            else:
                yield item

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def pseudonymise_cells(
    table: pd.DataFrame,
    rel: str,
    p: Pseudonymiser,
    audit: Audit,
    skip: Iterable[str] = (),
    id_column: str | None = None,
) -> pd.DataFrame:
    """Return a copy of ``table`` with the identifiers in its cells replaced.

    Parameters
    ----------
    table
        A table read with :func:`toolkit.io.files.read_table` (whose
        ``attrs["rows"]`` gives the spreadsheet rows for the audit).
    rel
        The file's path within the project, for the audit.
    skip
        Columns left as they are (ids, codes, numbers).
    id_column
        The column that holds each row's interview id, for the audit.
    """
    out = table.copy()
    rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
    for column in out.columns:
        if column in skip:
            continue
        values = []
        for row, (index, value) in zip(rows, out[column].items(), strict=True):
            text = "" if pd.isna(value) else str(value)
            found = p.find(text) if text else []
            new_text, placed = p.replace(text, found)
            interview_id = str(out.at[index, id_column]) if id_column else ""
            audit.add(rel, interview_id, placed, new_text, line=row, field=column)
            values.append(new_text if found else value)
        out[column] = values
    return out


def pseudonymise_survey(
    source: Path, target: Path, rel: str, p: Pseudonymiser, audit: Audit, id_column: str | None
) -> Path:
    """Write a pseudonymised copy of a survey file (.csv or .xlsx); return ``target``.

    Every text cell is pseudonymised except the response ids (``id_column``,
    or a column named as in :data:`toolkit.io.surveys.ID_COLUMN_NAMES`).
    """
    if source.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(source)
        for sheet in book.worksheets:
            header = [str(c.value or "").strip() for c in sheet[1]]
            lower = [h.lower() for h in header]
            id_at = header.index(id_column) if id_column in header else None
            if id_at is None:
                id_at = next((lower.index(n) for n in ID_COLUMN_NAMES if n in lower), None)
            for row in sheet.iter_rows(min_row=2):
                rid = str(row[id_at].value) if id_at is not None else ""
                for i, cell in enumerate(row):
                    if i == id_at or not isinstance(cell.value, str):
                        continue
                    found = p.find(cell.value)
                    if found:
                        new_text, placed = p.replace(cell.value, found)
                        cell.value = new_text
                        audit.add(rel, rid, placed, new_text, line=cell.row, field=header[i])
        buffer = io.BytesIO()
        book.save(buffer)
        return atomic_write(target, buffer.getvalue())
    table = read_table(source, what="survey responses")
    lower = {c.lower(): c for c in table.columns}
    id_col = id_column if id_column in table.columns else None
    id_col = id_col or next((lower[n] for n in ID_COLUMN_NAMES if n in lower), None)
    new = pseudonymise_cells(
        table, rel, p, audit, skip=[id_col] if id_col else [], id_column=id_col
    )
    return write_table(new, target)


def pseudonymise_yaml(
    source: Path,
    target: Path,
    rel: str,
    p: Pseudonymiser,
    audit: Audit,
    *,
    patterns: Iterable[str] = (),
    settings: dict[str, Any] | None = None,
) -> Path:
    """Write a pseudonymised copy of a YAML file (``codebook.yml``, ``project.yml``); return it.

    Every text value and every comment is pseudonymised; keys, the order,
    the comments' places and the quoting stay as they were.  Values under
    the keys in `patterns` (a codebook's ``regex``) are regular expressions:
    a name in them becomes its pseudonym written as a pattern
    (:func:`pseudonymise_pattern`), so the rule finds the pseudonymised text.
    `settings` are added under ``settings:`` (``{"pseudonymised": True}``
    for ``project.yml``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from toolkit.analysis.anonymise.audit import Audit
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.yml").write_text("# Ask Maya\\nexample: Maya said no\\n")
    >>> _ = pseudonymise_yaml(folder / "c.yml", folder / "o.yml", "c.yml",
    ...                       Pseudonymiser(["Maya Okafor"]), Audit())
    >>> print((folder / "o.yml").read_text(), end="")
    # Ask [Person 1]
    example: '[Person 1] said no'
    """
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: the team's comments and layout survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never split a long phrase or pattern over two lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(source.read_text(encoding="utf-8-sig"))
    pattern_keys = set(patterns)
    changed: list[tuple[tuple, Found]] = []

    def visit(node: Any, path: tuple, pattern: bool) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            here = pattern or key in pattern_keys
            if isinstance(value, (dict, list)):
                visit(value, (*path, key), here)
            elif isinstance(value, str) and value and here:
                new, found = pseudonymise_pattern(value, p)
                if new != value:
                    node[key] = type(value)(new) if type(value) is not str else new
                changed.extend(((*path, key), f) for f in found)
            elif isinstance(value, str) and value:
                found = p.find(value)
                if found:
                    node[key] = _same_style(value, *p.replace(value, found))
                changed.extend(((*path, key), f) for f in found)
        _pseudonymise_comments(node, p)

    if isinstance(data, (dict, list)):
        visit(data, (), False)
    if settings and isinstance(data, dict):
        merged = data.get("settings") or {}
        merged.update(settings)
        data["settings"] = merged
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    written = yaml.load(text)  # for the lines of the changes in the new file
    for path, item in changed:
        line, column = _yaml_place(written, path)
        field = ".".join(str(k) for k in path)
        audit.note(
            rel,
            "",
            item.kind,
            item.action,
            line=line,
            column=column,
            field=field,
            replacement=item.replacement,
        )
    return atomic_write(target, text)


def pseudonymise_pattern(pattern: str, p: Pseudonymiser) -> tuple[str, list[Found]]:
    r"""Return a regular expression with the names in it replaced, and what was found.

    Each name becomes its pseudonym as a pattern (``\[Person\ 1\]``), and a
    ``\b`` beside it a lookaround that works beside a bracket, so the rule
    finds the pseudonymised text as it found the original.  A pattern that
    would no longer compile is left as it is, its names marked ``review``.

    Examples
    --------
    >>> new, _ = pseudonymise_pattern(r"\bTom's (?:number|mobile)", Pseudonymiser(["Tom Beckett"]))
    >>> new
    "(?<!\\w)\\[Person\\ 1\\]'s (?:number|mobile)"
    >>> import re
    >>> bool(re.search(new, "I have [Person 1]'s number"))
    True
    """
    # "\bTom": the escape is not a letter before the name.
    masked = re.sub(r"\\.", "\x00\x00", pattern)
    found = [f for f in p.find(masked) if f.kind == "name"]
    parts, last = [], 0
    for item in found:
        start, end = item.start, item.end
        before = after = ""
        if item.action == "replaced":
            if pattern[start - 2 : start] == r"\b":
                start, before = start - 2, r"(?<!\w)"
            if pattern[end : end + 2] == r"\b":
                end, after = end + 2, r"(?!\w)"
        new = before + re.escape(item.replacement) + after if item.action == "replaced" else ""
        parts += [pattern[last:start], new or pattern[start:end]]
        last = end
    new_pattern = "".join(parts) + pattern[last:]
    try:
        re.compile(new_pattern)
    except re.error:
        for item in found:
            item.action = "review"
        return pattern, found
    return new_pattern, found


def _same_style(old: str, new: str, placed: list[tuple[Found, int, int]]) -> str:
    """Return `new` as the same kind of YAML string as `old` (folded, literal, quoted)."""
    if type(old) is str:
        return new
    value = type(old)(new)
    folds = getattr(old, "fold_pos", None)
    if folds:
        # A folded string breaks its lines at these spaces: move them past the changes.
        moved = []
        for at in folds:
            shift, inside = 0, False
            for item, start, end in placed:
                if item.end <= at:
                    shift += (end - start) - (item.end - item.start)
                elif item.start <= at:
                    inside = True
            if not inside and new[at + shift : at + shift + 1] == " ":
                moved.append(at + shift)
        value.fold_pos = moved
    return value


def _pseudonymise_comments(node: Any, p: Pseudonymiser) -> None:
    """Pseudonymise the comments ruamel keeps beside a mapping or sequence."""
    from ruamel.yaml.tokens import CommentToken

    attached = getattr(node, "ca", None)
    if attached is None:
        return
    stack: list[Any] = [attached.comment, list(attached.items.values()), attached.end]
    while stack:
        thing = stack.pop()
        if isinstance(thing, CommentToken):
            thing.value = p.pseudonymise(thing.value)
        elif isinstance(thing, (list, tuple)):
            stack.extend(thing)


def _yaml_place(data: Any, path: tuple) -> tuple[int, int]:
    """Return the line and column (from 1) of the value at `path` in a loaded YAML file."""
    node = data
    for key in path[:-1]:
        node = node[key]
    try:
        place = node.lc.item(path[-1]) if isinstance(node, list) else node.lc.value(path[-1])
        return place[0] + 1, place[1] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0, 0
