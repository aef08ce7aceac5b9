"""Pseudonymise interviews before analysis, keeping an audit of every change.

:func:`pseudonymise_project` copies a whole project folder to a new folder,
replacing in the interviews, ``participants.csv`` and the other tables:

* people's names: each name in ``participants.csv`` (column ``name``) and in
  a list you give, in full and as first name or surname alone, matched
  case-sensitively as capitalised whole words;
* e-mail addresses, UK phone numbers and UK postcodes;
* NHS numbers: ten digits, with or without spaces, only when the check digit
  (modulus 11) is valid;
* dates of birth: a date after "born", "DOB" or "date of birth".

The same person (or address, or number) gets the same pseudonym everywhere in
the project, for example ``[Person 3]`` or ``[phone 1]``.  The original
folder is never changed.  The new folder holds an audit table,
``pseudonymisation-audit.csv``, with one row per replacement: what kind, in
which file, on which line and column of the new file, and what it was
replaced by, but never the original words, so the audit can travel with the
pseudonymised data.  A key from originals to pseudonyms is written only when
you ask for it, to a file outside the new folder.

Automatic pseudonymisation catches what it is told to look for.  Read the
``review`` rows of the audit (capitalised common words that are also names,
such as "Will" at the start of a sentence, left unchanged) and skim the
transcripts before sharing them.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.errors import ProjectError
from toolkit.io.files import atomic_copy, atomic_write, read_table, write_table
from toolkit.io.positions import mismatched_spans
from toolkit.io.transcripts import SUPPORTED_SUFFIXES, _decode

__all__ = [
    "AUDIT_COLUMNS",
    "COMMON_WORD_NAMES",
    "Pseudonymiser",
    "nhs_number_is_valid",
    "pseudonymise_project",
]

#: The columns of the audit table.
AUDIT_COLUMNS = ["file", "interview_id", "kind", "line", "column", "field", "replacement", "action"]

#: Names that are also everyday words.  At the start of a sentence they are
#: left alone and listed for review, since "Will you..." or "Hope so" is far
#: more often the word than the name.
_COMMON_WORDS = """
    Amber April Art Bill Bob Brook Brown Bunny Carol Chance Chase Cook Crystal Dawn Don Dot
    Faith Fern Frank Gay Grace Green Guy Hall Hazel Heather Holly Honey Hope Hunter Iris Ivy
    Jack Jade Jay Jewel Joy June King Lily Long Mark May Max Merry Miles Penny Pearl Pat
    Price Ray Rich Rob Robin Rose Ruby Rush Sage Sandy Skye Sky Star Sue Summer Sunny Violet
    Wade Ward Will Wood Young
"""
COMMON_WORD_NAMES = frozenset(_COMMON_WORDS.split())
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "rev", "sir", "dame", "cllr"}
_PRIORITY = {"email": 0, "nhs_number": 1, "phone": 2, "date_of_birth": 3, "postcode": 4, "name": 5}
_LABELS = {
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "nhs_number": "NHS number",
    "date_of_birth": "date of birth",
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NHS = re.compile(r"(?<![\w+])(?:\d{3}([ -])\d{3}\1\d{4}|\d{10})(?![\w])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44[ \t-]?(?:\(0\)[ \t-]?)?|\(?0)\d{2,4}\)?(?:[ \t-]?\d{3,6}){1,3}"
    r"(?![\w])"
)
_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})(?![\w])"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{_MONTHS})\.?,?[ \t]+\d{{4}}"
    rf"|(?:{_MONTHS})\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
)
_DOB = re.compile(
    r"(?i:\b(?:born(?:[ \t]+on)?|d\.?o\.?b\.?|date[ \t]+of[ \t]+birth(?:[ \t]+is)?"
    r"|birthday(?:[ \t]+is)?))[ \t]*[:\-]?[ \t]*(?P<date>" + _DATE + r")(?![\w])"
)


def nhs_number_is_valid(number: str) -> bool:
    """Return whether ten digits pass the NHS number's modulus 11 check.

    Examples
    --------
    >>> nhs_number_is_valid("943 476 5919"), nhs_number_is_valid("943 476 5918")
    (True, False)
    """
    digits = re.sub(r"\D", "", number)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _uk_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("440"):
        digits = "0" + digits[3:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or digits[1:2] not in set("123578"):
        return False
    # Groups are separated by single spaces or hyphens, never run together oddly.
    if re.search(r"[ \t\n-]{2,}", candidate):
        return False
    if digits[1] == "1":
        return len(digits) in (10, 11)
    return len(digits) == 11


@dataclass
class _Found:
    kind: str
    start: int
    end: int
    replacement: str = ""
    action: str = "replaced"
    value: str = ""  # the normalised identifier, so that equal ones share a pseudonym


@dataclass
class _Person:
    number: int
    full: str
    parts: list[str]


class Pseudonymiser:
    """Find identifiers in text and give each the same pseudonym every time.

    Parameters
    ----------
    names
        People's names to replace, as written (``"Maya Okafor"``, ``"Mrs
        Kamala Shah"``); first names and surnames alone are replaced too.

    Examples
    --------
    >>> p = Pseudonymiser(["Maya Okafor", "Tom Beckett"])
    >>> p.pseudonymise("Maya rang Tom Beckett on 07700 900123. Okafor agreed.")
    '[Person 1] rang [Person 2] on [phone 1]. [Person 1] agreed.'
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.people: list[_Person] = []
        self.tokens: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self._variants: dict[str, set[int]] = {}
        self._full: set[str] = set()
        self._regex: re.Pattern | None = None
        self._originals: dict[tuple[str, str], str] = {}
        for name in names:
            self.add_name(name)

    def add_name(self, name: str) -> str:
        """Register a person's name and return their pseudonym."""
        words = [w for w in str(name).replace(",", " ").split() if w]
        while words and words[0].lower().rstrip(".") in _TITLES:
            words = words[1:]
        full = " ".join(words)
        if not full:
            return ""
        for person in self.people:
            if person.full == full:
                return f"[Person {person.number}]"
        parts = [w for w in words if len(w.rstrip(".")) > 1 and w[0].isupper()]
        person = _Person(len(self.people) + 1, full, parts)
        self.people.append(person)
        self._full.add(full)
        for variant in {full, *parts}:
            self._variants.setdefault(variant, set()).add(person.number)
        self._regex = None
        return f"[Person {person.number}]"

    def pseudonym(self, name: str) -> str:
        """Return the pseudonym of a registered full name, first name or surname."""
        key = " ".join(name.split())
        numbers = self._variants.get(key, set())
        if key in self._full:
            numbers = {p.number for p in self.people if p.full == key}
        if not numbers:
            raise KeyError(name)
        return "[Person " + " or ".join(str(n) for n in sorted(numbers)) + "]"

    def _name_regex(self) -> re.Pattern | None:
        if self._regex is None and self._variants:
            variants = sorted(self._variants, key=len, reverse=True)
            alternatives = "|".join(
                r"[ \t\n\u00a0]+".join(re.escape(w) for w in v.split()) for v in variants
            )
            self._regex = re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w]|['’][a-rt-z])")
        return self._regex

    def _token(self, kind: str, value: str, original: str) -> str:
        key = (kind, value)
        if key not in self.tokens:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.tokens[key] = f"[{_LABELS[kind]} {self.counts[kind]}]"
            self._originals[key] = " ".join(original.split())
        return self.tokens[key]

    def find(self, text: str, protected: Iterable[tuple[int, int]] = ()) -> list[_Found]:
        """Return the identifiers in `text`, left to right, not overlapping each other.

        Spans in `protected` (such as subtitle timing lines) are never touched.
        """
        found: list[_Found] = []
        for m in _EMAIL.finditer(text):
            found.append(_Found("email", m.start(), m.end(), value=m[0].lower()))
        for m in _NHS.finditer(text):
            if nhs_number_is_valid(m[0]):
                found.append(
                    _Found("nhs_number", m.start(), m.end(), value=re.sub(r"\D", "", m[0]))
                )
        for m in _PHONE.finditer(text):
            candidate = m[0]
            # "07700 900123 456 times": drop trailing groups until a phone number is left.
            while candidate and not _uk_phone(candidate):
                cut = max(candidate.rfind(" "), candidate.rfind("-"), candidate.rfind("\t"))
                candidate = candidate[:cut] if cut > 0 else ""
            if candidate:
                digits = re.sub(r"\D", "", candidate)[-10:]
                found.append(_Found("phone", m.start(), m.start() + len(candidate), value=digits))
        for m in _DOB.finditer(text):
            value = " ".join(m["date"].lower().split())
            found.append(_Found("date_of_birth", m.start("date"), m.end("date"), value=value))
        for m in _POSTCODE.finditer(text):
            found.append(_Found("postcode", m.start(), m.end(), value="".join(m[0].split())))
        regex = self._name_regex()
        if regex is not None:
            for m in regex.finditer(text):
                item = self._name_found(text, m)
                if item is not None:
                    found.append(item)
        blocked = sorted(protected)
        found.sort(key=lambda f: (f.start, _PRIORITY[f.kind], -(f.end - f.start)))
        kept: list[_Found] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            if any(a < item.end and item.start < b for a, b in blocked):
                continue
            if not item.replacement:
                original = text[item.start : item.end]
                item.replacement = self._token(item.kind, item.value, original)
            kept.append(item)
        return kept

    def _name_found(self, text: str, m: re.Match) -> _Found | None:
        variant = " ".join(m[0].split())
        replacement = self.pseudonym(variant)
        single = " " not in variant and variant not in self._full
        if single and variant in COMMON_WORD_NAMES and _sentence_start(text, m.start()):
            following = re.match(r"[ \t]+([A-Za-z']+)", text[m.end() : m.end() + 24])
            if following and following[1].lower() in _FUNCTION_WORDS:
                # "Will you...", "Hope so": most likely the word, so a person checks it.
                return _Found("name", m.start(), m.end(), replacement, "review")
        if single and re.fullmatch(_MONTHS, variant) and _is_date_context(text, m):
            return None
        return _Found("name", m.start(), m.end(), replacement)

    def pseudonymise(self, text: str, protected: Iterable[tuple[int, int]] = ()) -> str:
        """Return `text` with every identifier replaced (see :meth:`find`)."""
        return self.replace(text, self.find(text, protected))[0]

    @staticmethod
    def replace(text: str, found: list[_Found]) -> tuple[str, list[tuple[_Found, int, int]]]:
        """Apply `found` to `text`; return the new text and each change's new span."""
        parts, placed, last, shift = [], [], 0, 0
        for item in found:
            new = item.replacement if item.action == "replaced" else text[item.start : item.end]
            parts.append(text[last : item.start])
            parts.append(new)
            start = item.start + shift
            placed.append((item, start, start + len(new)))
            shift += len(new) - (item.end - item.start)
            last = item.end
        parts.append(text[last:])
        return "".join(parts), placed

    def key(self) -> pd.DataFrame:
        """Return the key from each original to its pseudonym (keep it apart from the data)."""
        rows = [
            {"kind": "name", "original": p.full, "replacement": f"[Person {p.number}]"}
            for p in self.people
        ]
        rows += [
            {"kind": kind, "original": self._originals[(kind, value)], "replacement": token}
            for (kind, value), token in self.tokens.items()
        ]
        return pd.DataFrame(rows, columns=["kind", "original", "replacement"])


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 20) : at].rstrip(" \t\"'“‘(*[")
    return not before or before[-1] in ".!?\n:…—-" or before.endswith("**")


def _is_date_context(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 12) : m.start()].lower().split()
    after = text[m.end() : m.end() + 6]
    return bool(
        (before and (before[-1].rstrip(",") in _MONTH_WORDS or before[-1][:1].isdigit()))
        or re.match(r",?[ \t]+\d", after)
    )


#: Words after which a sentence-initial "Will", "Hope", "May" ... is read as the word.
_FUNCTION_WORDS_TEXT = """
    i you we they he she it there this that these those so not me us him her them be all
    everyone everything your my our his their the a an to if
"""
_FUNCTION_WORDS = set(_FUNCTION_WORDS_TEXT.split())

_MONTH_WORDS_TEXT = "in of last next since until till early late mid this by from to before after"
_MONTH_WORDS = set(_MONTH_WORDS_TEXT.split()) | {"during", "every"}


# --- protecting the structure of subtitle files ----------------------------------------


def _structure_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Return the spans of a subtitle file that are structure, not speech."""
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


# --- the project folder --------------------------------------------------------------------


def _line_column(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


class _Audit:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(
        self,
        file: str,
        interview_id: str,
        placed: list[tuple[_Found, int, int]],
        new_text: str,
        *,
        line: int | None = None,
        field: str = "",
    ) -> None:
        for item, start, _end in placed:
            where_line, column = _line_column(new_text, start)
            self.rows.append(
                {
                    "file": file,
                    "interview_id": interview_id,
                    "kind": item.kind,
                    "line": line if line is not None else where_line,
                    "column": column,
                    "field": field,
                    "replacement": item.replacement,
                    "action": item.action,
                }
            )

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=AUDIT_COLUMNS)


def _pseudonymise_text_file(
    source: Path, target: Path, rel: str, kind: str, p: Pseudonymiser, audit: _Audit
) -> None:
    text, _encoding = _decode(source.read_bytes(), source, kind)
    found = p.find(text, _structure_spans(text, kind))
    new_text, placed = p.replace(text, found)
    audit.add(rel, source.stem, placed, new_text)
    atomic_write(target, new_text)


def _pseudonymise_docx(source: Path, target: Path, rel: str, p: Pseudonymiser, audit: _Audit):
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
            audit.rows.append(
                {
                    "file": rel,
                    "interview_id": source.stem,
                    "kind": "document property",
                    "line": 0,
                    "column": 0,
                    "field": name,
                    "replacement": "",
                    "action": "cleared",
                }
            )
    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(target, buffer.getvalue())


def _runs_of(item) -> list:
    return list(item.runs) if hasattr(item, "runs") else [item]


def _docx_paragraphs(document):
    from docx.table import Table

    def walk(container):
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


def _pseudonymise_cells(
    table: pd.DataFrame,
    rel: str,
    p: Pseudonymiser,
    audit: _Audit,
    skip: Iterable[str] = (),
    id_column: str | None = None,
) -> pd.DataFrame:
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


def _pseudonymise_survey(
    source: Path, target: Path, rel: str, p: Pseudonymiser, audit: _Audit, id_column: str | None
) -> None:
    from toolkit.io.transcripts import _ID_NAMES

    if source.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(source)
        for sheet in book.worksheets:
            header = [str(c.value or "").strip() for c in sheet[1]]
            lower = [h.lower() for h in header]
            id_at = header.index(id_column) if id_column in header else None
            if id_at is None:
                id_at = next((lower.index(n) for n in _ID_NAMES if n in lower), None)
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
        atomic_write(target, buffer.getvalue())
        return
    table = read_table(source, what="survey responses")
    lower = {c.lower(): c for c in table.columns}
    id_col = id_column if id_column in table.columns else None
    id_col = id_col or next((lower[n] for n in _ID_NAMES if n in lower), None)
    new = _pseudonymise_cells(
        table, rel, p, audit, skip=[id_col] if id_col else [], id_column=id_col
    )
    write_table(new, target)


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m[0], m.start()) for m in re.finditer(r"\S+|\s+", text)]


def _remap(old: str, new: str, p: Pseudonymiser, positions: list[int], is_end: bool) -> list[int]:
    """Map positions in `old` to `new` (the same text after pseudonymisation).

    A position inside a replaced identifier moves to the edge of its
    replacement, so a coded span keeps covering the same words.
    """
    expected, placed = p.replace(old, p.find(old))
    if expected == new:
        spans = [(f.start, f.end, a, b) for f, a, b in placed]
    else:
        # Rare (an identifier split across subtitle cues): align word by word.
        from difflib import SequenceMatcher

        a_tokens, b_tokens = _tokens(old), _tokens(new)
        matcher = SequenceMatcher(None, [t for t, _ in a_tokens], [t for t, _ in b_tokens])
        spans = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                spans.append(
                    (
                        a_tokens[i1][1] if i1 < len(a_tokens) else len(old),
                        a_tokens[i2][1] if i2 < len(a_tokens) else len(old),
                        b_tokens[j1][1] if j1 < len(b_tokens) else len(new),
                        b_tokens[j2][1] if j2 < len(b_tokens) else len(new),
                    )
                )
    out = []
    for pos in positions:
        shift, mapped = 0, None
        for start, end, new_start, new_end in spans:
            if pos <= start:
                break
            if pos < end:
                mapped = new_end if is_end else new_start
                break
            shift = new_end - end
        out.append(mapped if mapped is not None else pos + shift)
    return out


def _remap_interview(
    old: pd.DataFrame, new: pd.DataFrame, p: Pseudonymiser, positions: list[int], is_end: bool
) -> list[int]:
    """Map positions in an interview's old document to its pseudonymised document.

    Both documents have the same segments in the same order, so a position
    inside a segment is mapped within that segment's text; one between
    segments (a speaker's name, a blank line) moves to the nearest segment edge.
    """
    old_spans = list(zip(old["start"], old["end"], old["text"], strict=True))
    new_spans = list(zip(new["start"], new["end"], new["text"], strict=True))
    out = []
    for pos in positions:
        mapped = None
        for (a, b, text), (c, _d, new_text) in zip(old_spans, new_spans, strict=True):
            if a <= pos <= b and (pos < b or is_end) and (pos > a or not is_end):
                mapped = c + _remap(text, new_text, p, [pos - a], is_end)[0]
                break
            if pos < a:
                mapped = c  # between segments: the start of the next one
                break
        if mapped is None:
            mapped = new_spans[-1][1] if new_spans else pos
        out.append(int(mapped))
    return out


def _pseudonymise_codings(
    source: Path,
    target: Path,
    rel: str,
    p: Pseudonymiser,
    audit: _Audit,
    old_segments: pd.DataFrame,
    new_segments: pd.DataFrame,
) -> None:
    table = read_table(source, what="codings")
    if {"interview_id", "start", "end"} <= set(table.columns):
        table = table.copy()
        old_by = dict(tuple(old_segments.groupby("interview_id")))
        new_by = dict(tuple(new_segments.groupby("interview_id")))
        for interview_id, index in table.groupby("interview_id").groups.items():
            old, new = old_by.get(interview_id), new_by.get(interview_id)
            if old is None or new is None or len(old) != len(new):
                continue
            for column, is_end in (("start", False), ("end", True)):
                cells = table.loc[index, column]
                filled = [c for c in cells if str(c).strip()]
                if not filled:
                    continue  # empty offsets mean "the whole segment"
                values = [int(float(c)) if str(c).strip() else -1 for c in cells]
                mapped = _remap_interview(old, new, p, [v for v in values if v >= 0], is_end)
                it = iter(mapped)
                table.loc[index, column] = [str(next(it)) if v >= 0 else "" for v in values]
    free_text = {"text", "quote", "memo", "note", "notes", "comment"}
    skip = [c for c in table.columns if c not in free_text]
    id_column = "interview_id" if "interview_id" in table.columns else None
    write_table(_pseudonymise_cells(table, rel, p, audit, skip, id_column), target)


def pseudonymise_project(
    source: str | Path,
    target: str | Path,
    names: Iterable[str] = (),
    *,
    key: str | Path | None = None,
) -> pd.DataFrame:
    """Write a pseudonymised copy of a project folder, with an audit table inside it.

    Parameters
    ----------
    source
        The project folder (with ``project.yml``).  It is never changed.
    target
        A new folder for the pseudonymised project; it must not exist yet
        (or be empty), and must not be inside `source`.
    names
        More people's names to replace, besides the ``name`` column of
        ``participants.csv`` (interviewers, people mentioned by name).
    key
        If given, a CSV file (outside `target`) to write the key from
        originals to pseudonyms to.  Keep it apart from the data.

    Returns
    -------
    pandas.DataFrame
        The audit table (also written to ``pseudonymisation-audit.csv`` in
        `target`): ``file, interview_id, kind, line, column, field,
        replacement, action``, with ``line``/``column`` in the new file.
        ``action`` is ``replaced``, ``cleared`` (a Word document's author),
        ``not copied`` (a file in ``interviews/`` the toolkit cannot read, so
        cannot pseudonymise) or ``review`` (left unchanged: check it by hand).

    Raises
    ------
    ProjectError
        If `source` is not a project, `target` exists and is not empty, or
        the written project does not read back with the same interviews.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "pseudonymised"
    >>> audit = tk.pseudonymise_project(tk.sample_project_path(), out, names=["Sam Reid"])
    >>> (out / "pseudonymisation-audit.csv").is_file()
    True
    """
    from toolkit.model.project import open_project, read_participants

    source, target = Path(source).resolve(), Path(target).resolve()
    original = open_project(source)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ProjectError(
            "expected a new folder for the pseudonymised project, but this one already has files",
            path=target,
            hint="choose a folder name that does not exist yet; nothing is ever overwritten",
        )
    if target == source or source in target.parents or target in source.parents:
        raise ProjectError(
            "expected the pseudonymised project outside the original folder, and not around it",
            path=target,
            hint="write it beside the original, for example my-project-pseudonymised",
        )
    if key is not None and (Path(key).resolve() == target or target in Path(key).resolve().parents):
        raise ProjectError(
            "expected the key outside the pseudonymised folder, which is meant to be shared",
            path=key,
            hint="write the key somewhere only the team can reach",
        )
    p = Pseudonymiser()
    participants_file = source / "participants.csv"
    people = read_participants(participants_file) if participants_file.is_file() else None
    if people is not None and "name" in people.columns:
        for name in people["name"]:
            p.add_name(name)
    for name in names:
        p.add_name(name)
    options = original.settings.get("interviews") or {}
    audit = _Audit()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        codings: list[tuple[Path, Path, str]] = []
        for file in sorted(source.rglob("*")):
            rel_path = file.relative_to(source)
            rel = rel_path.as_posix()
            out = work / rel_path
            if rel_path.parts[0] == "output" or any(x.startswith(".") for x in rel_path.parts):
                continue  # generated files are rebuilt from the pseudonymised data
            if file.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            kind = SUPPORTED_SUFFIXES.get(file.suffix.lower())
            if rel_path.parts[0] == "interviews" and kind is None:
                # A file the toolkit cannot read cannot be pseudonymised: leave it out.
                audit.rows.append(
                    {
                        "file": rel,
                        "interview_id": file.stem,
                        "kind": "file",
                        "line": 0,
                        "column": 0,
                        "field": "",
                        "replacement": "",
                        "action": "not copied",
                    }
                )
                continue
            if rel_path.parts[0] == "interviews" and kind is not None:
                if kind == "docx":
                    _pseudonymise_docx(file, out, rel, p, audit)
                elif kind == "survey":
                    _pseudonymise_survey(file, out, rel, p, audit, options.get("id_column"))
                else:
                    _pseudonymise_text_file(file, out, rel, kind, p, audit)
            elif rel == "project.yml":
                _mark_pseudonymised(file, out)
            elif rel == "participants.csv" and people is not None:
                _write_participants(people, out, p, audit)
            elif rel_path.parts[0] == "codings" and file.suffix.lower() == ".csv":
                codings.append((file, out, rel))
            elif file.suffix.lower() == ".csv" and len(rel_path.parts) == 1:
                table = read_table(file, what="table")
                write_table(_pseudonymise_cells(table, rel, p, audit), out)
            else:
                atomic_copy(file, out)
        new_segments = _verify(original, work, p, audit)
        for file, out, rel in codings:
            _pseudonymise_codings(file, out, rel, p, audit, original.segments, new_segments)
        table = audit.table()
        write_table(table, work / "pseudonymisation-audit.csv")
        if target.exists():
            target.rmdir()  # empty, checked above
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if key is not None:
        write_table(p.key(), key)
    return table


def _verify(original, work: Path, p: Pseudonymiser, audit: _Audit) -> pd.DataFrame:
    """Re-read the written project: same interviews, spans that hold, nothing left over."""
    from toolkit.io.transcripts import read_corpus

    corpus = read_corpus(work / "interviews") if (work / "interviews").is_dir() else None
    if corpus is None:
        return original.segments
    before = set(original.documents["interview_id"])
    after = set(corpus.documents["interview_id"])
    bad = mismatched_spans(corpus.documents, corpus.segments)
    if before != after or not bad.empty:
        missing = sorted(before - after) or sorted(set(bad["interview_id"]))
        raise ProjectError(
            "expected the pseudonymised interviews to read back exactly, but "
            + ", ".join(missing[:5])
            + " did not; nothing was written",
            path=work.parent,
            hint="report this as a bug, with the file's format (the original is unchanged)",
        )
    # An identifier split across two subtitle cues is only whole in the document text.
    for doc in corpus.documents.itertuples():
        left = [f for f in p.find(doc.text) if f.action == "replaced"]
        for item in left:
            line, column = _line_column(doc.text, item.start)
            audit.rows.append(
                {
                    "file": doc.source,
                    "interview_id": doc.interview_id,
                    "kind": item.kind,
                    "line": line,
                    "column": column,
                    "field": "document text",
                    "replacement": item.replacement,
                    "action": "review",
                }
            )
    return corpus.segments


def _write_participants(people: pd.DataFrame, out: Path, p: Pseudonymiser, audit: _Audit) -> None:
    table = people.copy()
    rows = people.attrs.get("rows") or list(range(2, len(table) + 2))
    if "name" in table.columns:
        for row, (index, name) in zip(rows, table["name"].items(), strict=True):
            if name:
                token = p.add_name(name)
                table.at[index, "name"] = token
                audit.rows.append(
                    {
                        "file": "participants.csv",
                        "interview_id": table.at[index, "interview_id"],
                        "kind": "name",
                        "line": row,
                        "column": 1,
                        "field": "name",
                        "replacement": token,
                        "action": "replaced",
                    }
                )
    table.attrs = dict(people.attrs)
    skip = ["interview_id", "name"]
    write_table(_pseudonymise_cells(table, "participants.csv", p, audit, skip, "interview_id"), out)


def _mark_pseudonymised(source: Path, target: Path) -> None:
    """Copy project.yml, adding ``settings: pseudonymised: true`` (comments kept)."""
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip, so the team's comments and order survive
    data = yaml.load(source.read_text(encoding="utf-8-sig")) or {}
    settings = data.get("settings") or {}
    settings["pseudonymised"] = True
    data["settings"] = settings
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    atomic_write(target, buffer.getvalue())
