"""Coded spreadsheets: survey answers that already carry codes, in the layouts teams use.

Teams often code free-text answers in a spreadsheet before any software sees
them.  :func:`read_coded_sheet` reads a ``.csv``, ``.tsv`` or ``.xlsx`` file
in any of three layouts, and says which columns it took for what:

a. **One column per code**, each cell a mark: ``1``/``0``, ``TRUE``/``FALSE``,
   ``x``, ``yes``/``no`` or blank (the NHS Friends and Family Test layout).
   The column's header is the code.
b. **Several code columns** holding code names: ``Code 1``, ``Code 2`` ...
   (also ``Theme 1``, ``cat_1``, ``Label 2`` ...) or one header repeated.
c. **One column of codes**, named ``Codes`` (or ``Themes``, ``Categories``,
   ``Labels``, ``Tags``, ``Topics``), the codes separated by ``;`` (or ``,``
   when no cell has a ``;``) or by line breaks.

A code written ``parent->child``, ``parent > child`` or ``parent/child`` is a
code with a parent (``/``, and ``:`` as in ``Press:Trust``, only in names
without spaces, so ``Transport to/ from services`` stays one code).

**Which columns are codes.**  With ``codes=[...]`` exactly those columns
are (a column of marks is layout a, otherwise its cells are code names).
Otherwise a column is a code column when it is named like b or c, or when
every filled cell is a mark (layout a) -- unless its header ends with ``?``
or mentions a score, rating, sentiment, consent or identifiable information:
such flags (``Person identifiable info?``, ``Safeguarding concerns?``) stay
attributes.  An empty column among columns of marks is a code no one used.
Every other column, except the id and the text, is an attribute of the
response.

**Ids.**  The first column named like an id (``Comment ID``, ``ResponseId``,
``Respondent ID``, ``id`` ...) whose values are all filled and unique is the
response id.  Rows that repeat an id with the same text are one response
coded on several rows (one row per code).  Failing that, responses are
numbered by their spreadsheet row, and :attr:`CodedSheet.id_note` says why.

Examples
--------
>>> split_code("technology_glitches->old_device->no_camera")
('technology_glitches', 'old_device', 'no_camera')
>>> split_code("Staff > Attitude"), split_code("Transport to/ from services")
(('Staff', 'Attitude'), ('Transport to/ from services',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.errors import TranscriptError
from toolkit.io.decoding import normalise_text, read_transcript_bytes
from toolkit.io.surveys import TEXT_COLUMN_NAMES, survey_table
from toolkit.wording import did_you_mean, listing, plural

__all__ = [
    "BLANK_MARKS",
    "NO_MARKS",
    "YES_MARKS",
    "CodedSheet",
    "code_columns",
    "describe_sheet",
    "read_coded_sheet",
    "split_code",
]

#: Cells that mark a code as applied (compared in lower case).
YES_MARKS = frozenset({"1", "1.0", "true", "yes", "y", "x", "✓", "✔"})
#: Cells that mark a code as not applied.
NO_MARKS = frozenset({"0", "0.0", "false", "no", "n"})
#: Cells that count as empty.
BLANK_MARKS = frozenset({"", "na", "n/a", "nan", "null", "#n/a"})

_CODE_WORDS = (
    r"codes?|coding|themes?|sub-?themes?|categor(?:y|ies)|cats?|labels?|tags?|topics?|nodes?"
)
# Numbered code columns (layout b): "Code 1", "cat_2", "Theme3".
_NUMBERED = re.compile(rf"^(?:{_CODE_WORDS})[\s_.-]*\d+$", re.IGNORECASE)
# One column of codes (layout c), or a header repeated (layout b).
_CODE_LIST = re.compile(rf"^(?:{_CODE_WORDS})$", re.IGNORECASE)
# Yes/no columns whose header says they are flags about the response, not codes.
_FLAG_WORDS = re.compile(
    r"\?\s*$|identifiable|\bpii\b|consent|sentiment|\bscore|rating", re.IGNORECASE
)
# Headers of free-text columns (compared without case, spaces or punctuation).
_TEXT_WORDS = re.compile(r"answer|comment|response|feedback|freetext|verbatim|text|reply")
_PARENT = re.compile(r"\s*(?:->|→|>)\s*")
# Id columns, in order of preference (compared without case, spaces or punctuation).
_ID_NAMES = [
    "commentid",
    "responseid",
    "interviewid",
    "recordid",
    "submissionid",
    "respondentid",
    "participantid",
    "uniqueid",
    "id",
    "lfdn",
    "respondent",
]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def split_code(name: str) -> tuple[str, ...]:
    """Split a code written with its parents (``a->b``, ``a > b``, ``a/b``, ``a:b``) into a path."""
    parts = [p.strip() for p in _PARENT.split(str(name).strip())]
    if len(parts) == 1 and not re.search(r"\s", parts[0]):
        parts = re.split(r"[/:]", parts[0])
    return tuple(p for p in parts if p)


@dataclass
class CodedSheet:
    """A coded spreadsheet read by :func:`read_coded_sheet`.

    Attributes
    ----------
    path
        The file.
    responses
        One row per response: ``row`` (its first spreadsheet row),
        ``response_id`` (the id in the file, or ``row N``), ``text``
        (normalised), then the attribute columns as in the file.
    codings
        One row per code applied to a response: ``row``, ``response_id``,
        ``code`` (its path: a tuple, parents first), ``column``.
    id_column, text_column
        The columns used (``id_column`` is ``None`` when ids are row numbers).
    id_note
        Why ids are row numbers, or that rows were grouped (else ``""``).
    code_columns
        Each code column and its layout: ``"marks"`` (one column per code),
        ``"names"`` (a cell holds a code name) or ``"list"`` (several,
        separated).
    attributes
        The attribute columns; ``flags`` those of them that hold marks but
        were kept as attributes by the rule above.
    skipped
        Responses with no text (left out, with their codes).
    """

    path: Path
    responses: pd.DataFrame
    codings: pd.DataFrame
    id_column: str | None
    text_column: str
    id_note: str = ""
    code_columns: dict[str, str] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    skipped: int = 0

    @property
    def question(self) -> str:
        """The text column's header: the question the responses answer."""
        return self.text_column


def _filled(column: pd.Series) -> pd.Series:
    return column[~column.str.lower().isin(BLANK_MARKS)]


def _is_marks(column: pd.Series) -> bool:
    cells = _filled(column).str.lower()
    return len(cells) > 0 and bool(cells.isin(YES_MARKS | NO_MARKS).all())


def code_columns(
    table: pd.DataFrame,
    exclude: tuple[str | None, ...] = (),
    repeated: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Return the code columns of a sheet (column -> layout) and the flag columns kept out.

    See the module's notes for the rule.  `exclude` names the id and text
    columns; `repeated` maps renamed repeated headers to the header's name
    (default: ``table.attrs["repeated"]``).
    """
    if repeated is None:
        repeated = table.attrs.get("repeated") or {}
    bases = {c: repeated.get(c, c) for c in table.columns}
    twice = {b for c, b in bases.items() if c != b}
    found: dict[str, str] = {}
    flags: list[str] = []
    for column in table.columns:
        base = bases[column]
        if column in exclude or _key(base) in _ID_NAMES:
            continue
        marks = _is_marks(table[column])
        if not marks and (_NUMBERED.match(base) or (base in twice and _CODE_LIST.match(base))):
            found[column] = "names"
        elif not marks and _CODE_LIST.match(base):
            found[column] = "list"
        elif marks:
            if _FLAG_WORDS.search(base):
                flags.append(column)
            else:
                found[column] = "marks"
    # An empty column among columns of marks is a code that no one used.
    columns = list(table.columns)
    empty = [len(_filled(table[c])) == 0 for c in columns]
    for k, column in enumerate(columns):
        if not empty[k] or column in exclude or _FLAG_WORDS.search(bases[column]):
            continue
        if _key(bases[column]) in _ID_NAMES:
            continue
        left = next((c for c, e in zip(columns[k::-1], empty[k::-1], strict=True) if not e), None)
        right = next((c for c, e in zip(columns[k:], empty[k:], strict=True) if not e), None)
        if found.get(left) == "marks" and (right is None or found.get(right) == "marks"):
            found[column] = "marks"
    return {c: found[c] for c in columns if c in found}, flags


def _column(table: pd.DataFrame, given: str, what: str, path: Path) -> str:
    if given not in table.columns:
        raise TranscriptError(
            f"expected a column {given!r} for the {what}, but the header has "
            + listing((repr(c) for c in table.columns), 12)
            + did_you_mean(given, table.columns),
            path=path,
            line=1,
            hint="use the column's name exactly as in the header (names are case-sensitive)",
        )
    return given


def _text_column(table: pd.DataFrame, skip: set[str], path: Path) -> str:
    """Return the free-text column: named like one, else the one with the longest answers.

    Columns named like answers (``FFT answer``, ``Comments``) are preferred
    to others, and columns of single words (scores, dates) are never taken.
    """
    by_name = {c.lower().strip(): c for c in table.columns if c not in skip}
    for name in TEXT_COLUMN_NAMES:
        if name in by_name:
            return by_name[name]
    lengths, named = {}, {}
    for column in table.columns:
        cells = _filled(table[column])
        if column in skip or not len(cells) or cells.str.split().str.len().mean() < 2:
            continue
        lengths[column] = cells.str.len().mean()
        key = _key(column)
        if _TEXT_WORDS.search(key) and not key.endswith("id"):
            named[column] = lengths[column]
    if not lengths:
        raise TranscriptError(
            "expected a column of free-text responses, but found none among "
            + listing((repr(c) for c in table.columns), 12),
            path=path,
            line=1,
            hint="name the column that holds the answers with --text-column (text_column=...)",
        )
    choice = named or lengths
    return max(choice, key=lambda c: choice[c])


def _ids(
    table: pd.DataFrame, text: pd.Series, given: str | None, path: Path, rows: list[int]
) -> tuple[str | None, str]:
    """Return the id column (or None for row numbers) and a note on the choice."""
    if given is not None:
        candidates = [_column(table, given, "response ids", path)]
    else:
        keys = {_key(c): c for c in reversed(table.columns)}
        candidates = [keys[k] for k in _ID_NAMES if k in keys]
    notes = []
    for column in candidates:
        ids = table[column].map(lambda v: " ".join(str(v).split()))
        if (ids == "").any():
            row = rows[int((ids == "").to_numpy().argmax())]
            notes.append(f"column {column!r} is empty in row {row}")
            continue
        pairs = pd.DataFrame({"id": ids, "text": text}).drop_duplicates()
        if not pairs["id"].duplicated().any():
            if len(pairs) < len(ids):
                return column, (
                    f"rows with the same {column!r} and text are one response coded on several rows"
                )
            return column, ""
        again = pairs["id"][pairs["id"].duplicated()].iloc[0]
        where = [r for r, v in zip(rows, ids, strict=True) if v == again][:2]
        notes.append(
            f"column {column!r} gives {again!r} to different responses (rows {where[0]} "
            f"and {where[1]})"
        )
    if given is not None:
        raise TranscriptError(
            f"expected one id per response in column {given!r}, but {notes[0]}",
            path=path,
            hint="give each response its own id, or leave out --id-column to number the rows",
        )
    if notes:
        return None, notes[0] + ", so responses are numbered by their row"
    return None, "no column is named like an id, so responses are numbered by their row"


def _codes_in(cell: str, layout: str, separator: str) -> list[tuple[str, ...]]:
    if cell.lower() in BLANK_MARKS:
        return []
    parts = cell.split("\n") if layout == "names" else re.split(separator, cell)
    return [path for part in parts if (path := split_code(part))]


def read_coded_sheet(
    path: str | Path,
    *,
    id_column: str | None = None,
    text_column: str | None = None,
    codes: list[str] | tuple[str, ...] | None = None,
    sheet: str | int | None = None,
) -> CodedSheet:
    """Read a spreadsheet of responses that already carry codes.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv`` or ``.xlsx`` file, one row per response (or
        per response and code).
    id_column, text_column
        The response id and free-text columns, if not the ones detected.
    codes
        The code columns, if not the ones detected (see the module's notes).
    sheet
        For Excel files, the sheet name or number (the first by default).

    Raises
    ------
    TranscriptError
        For a file that cannot be read, a named column that is missing, no
        text or code columns, or (with `id_column`) repeated or empty ids;
        the message names the file, and the row or the header.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "fft.csv"
    >>> _ = file.write_text("Comment ID,FFT answer,Staff attitude,Waiting\\n"
    ...                     "c1,The nurses were kind to me,1,\\nc2,I waited four hours,0,1\\n")
    >>> sheet = read_coded_sheet(file)
    >>> sheet.id_column, sheet.text_column, sheet.code_columns
    ('Comment ID', 'FFT answer', {'Staff attitude': 'marks', 'Waiting': 'marks'})
    >>> sheet.codings[["response_id", "code"]].values.tolist()
    [['c1', ('Staff attitude',)], ['c2', ('Waiting',)]]
    """
    path = Path(path)
    raw = read_transcript_bytes(path)
    table, _encoding = survey_table(path, raw, sheet, repeated=True)
    rows = list(table.attrs.get("rows") or range(2, len(table) + 2))
    repeated = dict(table.attrs.get("repeated") or {})
    table.attrs = {}  # pandas copies attrs on every operation: slow for long row lists
    if table.empty:
        raise TranscriptError(
            "expected responses under the header, but found no rows",
            path=path,
            hint="add the responses, one per row",
        )
    given = [_column(table, c, "codes", path) for c in codes or ()]
    skip = {c for c in (id_column, *given) if c}
    text_col = (
        _column(table, text_column, "response text", path)
        if text_column
        else _text_column(table, skip | set(code_columns(table, (), repeated)[0]), path)
    )
    if given:
        layout = {c: "marks" if _is_marks(table[c]) else "list" for c in given}
        flags: list[str] = []
    else:
        layout, flags = code_columns(table, (id_column, text_col), repeated)
    if text_col in layout:
        raise TranscriptError(
            f"expected the text column {text_col!r} to hold answers, not codes",
            path=path,
            line=1,
            hint="name the text column with --text-column",
        )
    text = table[text_col].map(lambda v: normalise_text(str(v)).strip())
    id_col, note = _ids(table.drop(columns=list(layout)), text, id_column, path, rows)
    if not layout:
        raise TranscriptError(
            "expected columns of codes (one column per code holding 1/0 or x, 'Code 1', "
            "'Code 2' ... columns, or a 'Codes' column), but found none among "
            + listing((repr(c) for c in table.columns), 12),
            path=path,
            line=1,
            hint="name the code columns with --codes COLUMN (codes=[...] in Python)",
        )
    attributes = [c for c in table.columns if c not in layout and c not in (id_col, text_col)]
    response_ids = (
        table[id_col].map(lambda v: " ".join(str(v).split()))
        if id_col
        else pd.Series([f"row {r}" for r in rows], dtype=object)
    )
    separators = {c: r"[;\n|]" if table[c].str.contains(";").any() else r"[;,\n|]" for c in layout}
    codings = []
    for column, kind in layout.items():
        cells = table[column].map(str)
        for k, cell in enumerate(cells):
            if kind == "marks":
                found = [split_code(column)] if cell.strip().lower() in YES_MARKS else []
            else:
                found = _codes_in(cell.strip(), kind, separators[column])
            codings += [(rows[k], response_ids.iat[k], code, column) for code in found]
    first = ~response_ids.duplicated()
    keep = first & (text != "")
    responses = pd.DataFrame(
        {"row": [r for r, f in zip(rows, keep, strict=True) if f]}
        | {"response_id": response_ids[keep].tolist(), "text": text[keep].tolist()}
    )
    for column in attributes:
        responses[column] = table[column][keep].tolist()
    coded = pd.DataFrame(codings, columns=["row", "response_id", "code", "column"])
    kept = set(responses["response_id"])
    coded = coded[coded["response_id"].isin(kept)].drop_duplicates(["response_id", "code"])
    return CodedSheet(
        path=path,
        responses=responses.reset_index(drop=True),
        codings=coded.reset_index(drop=True),
        id_column=id_col,
        text_column=text_col,
        id_note=note,
        code_columns=layout,
        attributes=attributes,
        flags=[c for c in flags if c in attributes],
        skipped=int((first & (text == "")).sum()),
    )


def describe_sheet(sheet: CodedSheet) -> list[str]:
    """Return lines saying which columns became what (for the command's output)."""
    kinds = {"marks": "one column per code", "names": "code names", "list": "lists of codes"}
    lines = []
    for kind, words in kinds.items():
        columns = [c for c, k in sheet.code_columns.items() if k == kind]
        if columns:
            lines.append(
                f"codes from {plural(len(columns), 'column')} ({words}): "
                + listing(columns, 8, sep="; ")
            )
    return lines
