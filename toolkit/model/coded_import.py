"""Bring a coded spreadsheet into a project: its responses, its codes and one coder's codings.

:func:`import_coded_sheet` reads a spreadsheet whose rows already carry codes
(:mod:`toolkit.io.coded_sheets` knows the layouts) and adds to a project:

- the responses, written to ``interviews/<file>.csv`` as a plain survey file
  (``interview_id, text, question, source, response_id`` and the sheet's
  other columns), so every response carries ``question`` (the text column's
  header) and ``source`` (the file's name) in the participants table;
- the codes the project's codebook does not have yet, with their parents;
- the coder's codings, in ``codings/<coder>.csv`` with method ``import``.

A second coder's copy of the same responses adds only that coder's codings:
its responses are matched to the ones already in the project by id (and
their text must be the same).  Responses whose ids are already taken by
another file's responses get the file's name as a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.errors import CodingError, TranscriptError
from toolkit.io.coded_sheets import CodedSheet, describe_sheet, read_coded_sheet
from toolkit.io.files import read_table, write_table
from toolkit.io.reading import read_corpus
from toolkit.model.code import Code
from toolkit.model.codebook import Codebook, read_codebook
from toolkit.model.codings import (
    RULE_CODER,
    check_coder,
    read_coder_codings,
    save_coder_codings,
)
from toolkit.model.importing import ensure_project
from toolkit.tables import CODINGS
from toolkit.wording import did_you_mean, listing, plural

__all__ = ["CodedImport", "import_coded_sheet"]

#: The columns an imported response has before the sheet's own attributes.
RESPONSE_COLUMNS = ["interview_id", "text", "question", "source", "response_id"]
_CODEBOOKS = ("codebook.yml", "codebook.yaml", "codebook.csv")


def _squash(text: str) -> str:
    return " ".join(str(text).split())


@dataclass
class CodedImport:
    """What :func:`import_coded_sheet` did, and the lines the command prints.

    Attributes
    ----------
    sheet
        The spreadsheet as read (:class:`~toolkit.io.coded_sheets.CodedSheet`).
    coder
        Whose codings these are.
    responses_file
        The ``interviews/`` file written, or ``None`` when every response
        was already in the project.
    codings_file
        The coder's file, ``codings/<coder>.csv``.
    added, matched
        How many responses were added, and how many matched responses
        already in the project (a second coder's copy).
    prefix
        The prefix given to this file's ids because they clashed (or ``""``).
    new_codes
        The codes added to the codebook, as ``(code, parent)``.
    codings
        How many codings were written.
    notes
        Other things to say (clashing ids, codes close to existing ones).
    """

    sheet: CodedSheet
    coder: str
    responses_file: Path | None
    codings_file: Path
    added: int = 0
    matched: int = 0
    prefix: str = ""
    new_codes: list[tuple[str, str]] = field(default_factory=list)
    codings: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """What happened, one line each, in the words the command prints."""
        sheet = self.sheet
        name = sheet.path.name
        lines = [f"Read {name}: {plural(len(sheet.responses), 'response')}"]
        if sheet.id_column:
            lines.append(f"  ids: column {sheet.id_column!r}" + _also(sheet.id_note))
        else:
            lines.append(f"  ids: row numbers ({sheet.id_note})")
        lines.append(f"  text: column {sheet.text_column!r} (kept as each response's question)")
        lines += ["  " + line for line in describe_sheet(sheet)]
        if sheet.attributes:
            lines.append("  attributes: " + listing(sheet.attributes, 12, sep="; "))
        if sheet.flags:
            lines.append(
                "  kept as attributes, not codes (yes/no flags about the response): "
                + listing(sheet.flags, 8, sep="; ")
                + "; name a column with --codes to import it as a code"
            )
        if sheet.skipped:
            lines.append(f"  left out {plural(sheet.skipped, 'response')} with no text")
        lines += ["  " + note for note in self.notes]
        if self.matched:
            lines.append(
                f"  {plural(self.matched, 'response')} already in the project (same id and "
                "text): added this coder's codings to them"
            )
        if self.responses_file is not None:
            lines.append(
                f"  added {plural(self.added, 'response')} to {self.responses_file.parent.name}/"
                f"{self.responses_file.name}"
            )
        if self.new_codes:
            children = sum(1 for _, parent in self.new_codes if parent)
            lines.append(
                f"  added {plural(len(self.new_codes), 'code')} to the codebook"
                + (f" ({children} with a parent)" if children else "")
                + ": "
                + listing((code for code, _ in self.new_codes), 8, sep="; ")
            )
        lines.append(
            f"  wrote {plural(self.codings, 'coding')} by {self.coder} to "
            f"codings/{self.codings_file.name} (method import)"
        )
        return lines


def _also(note: str) -> str:
    return f" ({note})" if note else ""


def _existing(project_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, Codebook, Path]:
    """Return the project's documents, participants, codebook and codebook file.

    Only the interviews and participants are read (not the coders' files,
    which a large project takes a while to check).
    """
    file = next((project_dir / n for n in _CODEBOOKS if (project_dir / n).is_file()), None)
    book = read_codebook(file) if file is not None else Codebook()
    book_file = file or project_dir / _CODEBOOKS[0]
    documents = pd.DataFrame({"interview_id": [], "text": []}, dtype=object)
    people = pd.DataFrame({"interview_id": []}, dtype=object)
    if (project_dir / "interviews").is_dir():
        corpus = read_corpus(project_dir / "interviews")
        documents, people = corpus.documents, corpus.participants
    if (project_dir / "participants.csv").is_file():
        listed = read_table(project_dir / "participants.csv", ["interview_id"], what="participants")
        people = pd.concat([people, listed[["interview_id"]]], ignore_index=True).fillna("")
    return documents, people, book, book_file


def _resolve(
    path: tuple[str, ...], book: Codebook, before: list[str], notes: list[str]
) -> tuple[str, Codebook, list[tuple[str, str]]]:
    """Return the codebook name of a code path, the codebook with it, and the codes added.

    A code with a parent reuses an existing code of the same name and parent,
    else it is named by its whole path (``parent > child``), which stays
    unique when the same sub-code sits under two parents.
    """
    added: list[tuple[str, str]] = []
    parent = ""
    if len(path) > 1:
        parent, book, added = _resolve(path[:-1], book, before, notes)
        leaf = path[-1]
        name = leaf if leaf in book and book[leaf].parent == parent else " > ".join(path)
    else:
        name = path[0]
    if name not in book:
        close = did_you_mean(name, before, cutoff=0.8) if before else ""
        if close:
            notes.append(f"new code {name!r} is close to one in the codebook{close}")
        book = book.add(Code(code=name, parent=parent))
        added.append((name, parent))
    return name, book, added


def _target(folder: Path, stem: str) -> Path:
    target = folder / f"{stem}.csv"
    n = 2
    while target.exists():
        target, n = folder / f"{stem}-{n}.csv", n + 1
    return target


def import_coded_sheet(
    source: str | Path,
    project_dir: str | Path,
    *,
    coder: str,
    id_column: str | None = None,
    text_column: str | None = None,
    codes: list[str] | tuple[str, ...] | None = None,
    sheet: str | int | None = None,
) -> CodedImport:
    """Import a spreadsheet of coded responses into a project, as one coder's codings.

    See :mod:`toolkit.io.coded_sheets` for the layouts and how the id, text
    and code columns are found.  Nothing is written unless the whole file
    can be imported.  If `project_dir` is not a project yet it becomes one,
    with a codebook of the imported codes.

    Parameters
    ----------
    source
        A ``.csv``, ``.tsv`` or ``.xlsx`` file.
    project_dir
        The project folder.
    coder
        Whose coding the spreadsheet holds: it names ``codings/<coder>.csv``.
        Importing the same coder again replaces their codings of these
        responses.
    id_column, text_column, codes, sheet
        Override the detection (see
        :func:`~toolkit.io.coded_sheets.read_coded_sheet`).

    Returns
    -------
    CodedImport
        What was done; ``.lines`` says it in words.

    Raises
    ------
    TranscriptError
        If the spreadsheet cannot be read (naming the row or header).
    CodingError
        If a response matches one already in the project by id but its text
        differs (naming the row), or the coder's name cannot name a file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "fft.csv").write_text(
    ...     "Comment ID,FFT answer,Staff attitude,Waiting\\n"
    ...     "c1,The nurses were kind to me,1,\\nc2,I waited four hours,0,1\\n")
    >>> done = import_coded_sheet(folder / "fft.csv", folder / "project", coder="ann")
    >>> done.added, done.codings, [code for code, _ in done.new_codes]
    (2, 2, ['Staff attitude', 'Waiting'])
    """
    coder = check_coder(coder)
    if coder.lower() == RULE_CODER:
        raise CodingError(
            f"expected a person's name for the coder, but {coder!r} names the codebook's rules",
            hint="use the name of the person who coded the spreadsheet",
        )
    source, project_dir = Path(source), Path(project_dir)
    if source.is_dir():
        raise TranscriptError(
            "expected one spreadsheet (.csv, .tsv or .xlsx) to import with --coder, but this is "
            "a folder",
            path=source,
            hint="import each coded spreadsheet on its own",
        )
    read = read_coded_sheet(
        source, id_column=id_column, text_column=text_column, codes=codes, sheet=sheet
    )
    fresh = not (project_dir / "project.yml").is_file() and not any(
        (project_dir / n).is_file() for n in _CODEBOOKS
    )
    documents, people, book, book_file = _existing(project_dir)
    texts = dict(zip(documents["interview_id"], documents["text"], strict=True))
    taken = set(texts) | set(people["interview_id"])
    known: dict[str, list[tuple[str, str]]] = {}
    if {"response_id", "source"} <= set(people.columns):
        for row in people[people["response_id"] != ""].itertuples(index=False):
            iid = row.interview_id
            known.setdefault(row.response_id, []).append((iid, row.source))
    responses = read.responses
    keys = responses["response_id"].tolist()
    same: dict[str, str] = {}
    differ: dict[str, tuple[str, str]] = {}
    for key, text in zip(keys, responses["text"], strict=True):
        for iid, _source in known.get(key, []):
            if iid in texts and _squash(texts[iid]) == _squash(text):
                same[key] = iid
                break
        else:
            if key in known:
                differ[key] = known[key][0]
    result = CodedImport(read, coder, None, project_dir / "codings" / f"{coder}.csv")
    if not (same and len(same) * 2 >= len(same) + len(differ)):
        same = {}  # another file whose ids happen to repeat some of these
    else:
        if differ:
            key = next(k for k in keys if k in differ)
            row = int(responses.loc[responses["response_id"] == key, "row"].iloc[0])
            iid, where = differ[key]
            raise CodingError(
                f"expected the same text as response {key!r} already in the project (from "
                f"{where}), but this row's text differs: {_squash(texts.get(iid, ''))[:60]!r} "
                f"there, {_squash(responses.loc[responses['row'] == row, 'text'].iloc[0])[:60]!r}"
                " here",
                path=source,
                row=row,
                hint="import the same version of the responses for every coder, or correct the "
                "text in this copy",
            )
        result.matched = len(same)
    new = responses[~responses["response_id"].isin(same)].copy()
    ids = new["response_id"] if read.id_column else new["row"].map(lambda r: f"{source.stem}-r{r}")
    new["interview_id"] = ids.tolist()
    clash = sorted(set(new["interview_id"]) & taken)
    if clash:
        owners = {iid: w for pairs in known.values() for iid, w in pairs}
        owner = owners.get(clash[0]) or "the project"
        result.prefix = re.sub(r"\s+", " ", source.stem).strip() + "-"
        new["interview_id"] = result.prefix + new["interview_id"]
        still = sorted(set(new["interview_id"]) & taken)
        if still:
            raise TranscriptError(
                f"expected new response ids, but {still[0]!r} is already in the project even "
                "with the file's name before it",
                path=source,
                hint="rename the file, or give its responses other ids",
            )
        result.notes.append(
            f"{plural(len(clash), 'id')} already used by responses from {owner} (such as "
            f"{clash[0]!r}), so this file's ids have the prefix {result.prefix!r}"
        )
    seen = {_squash(t) for t in texts.values()}
    twins = sum(_squash(t) in seen for t in new["text"])
    if twins * 2 > len(new) and not result.matched:
        result.notes.append(
            f"{plural(twins, 'response')} of this file read the same as responses already in "
            "the project: if it is another coder's copy of them, give both files the same id "
            "column (--id-column)"
        )
    # The codebook: every code used, with its parents.
    before = book.codes
    names: dict[tuple[str, ...], str] = {}
    for path in dict.fromkeys(read.codings["code"]):
        names[path], book, added = _resolve(path, book, before, result.notes)
        result.new_codes += added
    # The coder's codings, on the matched and the new responses.
    where = dict(zip(new["response_id"], new["interview_id"], strict=True)) | same
    lengths = {iid: len(texts[iid]) for iid in same.values()} | dict(
        zip(new["interview_id"], new["text"].str.len(), strict=True)
    )
    coded = pd.DataFrame(
        {
            "interview_id": read.codings["response_id"].map(where),
            "segment_id": 1,
            "start": 0,
            "code": read.codings["code"].map(lambda path: names[path]),
            "coder": coder,
            "method": "import",
        }
    )
    coded["end"] = coded["interview_id"].map(lengths)
    coded = coded.reindex(columns=CODINGS.names, fill_value="")
    result.codings = len(coded)
    # Everything is checked: now write the project, the codebook, the responses, the codings.
    ensure_project(project_dir)
    if result.new_codes or fresh:
        book.write(book_file)  # a new project's codebook holds the imported codes only
    if len(new):
        table = new[["interview_id", "text"]].assign(
            question=read.text_column, source=source.name, response_id=new["response_id"]
        )
        for column in read.attributes:
            label = column if column not in RESPONSE_COLUMNS else f"{column} (in the file)"
            table[label] = new[column].tolist()
        result.responses_file = write_table(
            table, _target(project_dir / "interviews", re.sub(r"[^\w.-]+", "-", source.stem))
        )
        result.added = len(new)
    earlier = (
        read_coder_codings(result.codings_file)
        if result.codings_file.is_file()
        else pd.DataFrame(columns=CODINGS.names)
    )
    kept = earlier[~earlier["interview_id"].astype(str).isin(set(where.values()))]
    save_coder_codings(
        pd.concat([kept, coded], ignore_index=True), result.codings_file.parent, coder
    )
    return result
