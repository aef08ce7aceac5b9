"""Read a transcript file, or a folder of them, whatever their formats.

Teams arrive with the files they really have, so one reader takes them all,
choosing by the file name's ending (:data:`SUPPORTED_SUFFIXES`):

=============  ===============================================================
``.txt``       plain text and Otter.ai exports (:mod:`toolkit.io.text`)
``.md``        Markdown, ``**Name:** text`` (:mod:`toolkit.io.text`)
``.docx``      Word (:mod:`toolkit.io.word`)
``.vtt``       WebVTT from Zoom, Teams and YouTube (:mod:`toolkit.io.subtitles`)
``.srt``       SubRip subtitles (:mod:`toolkit.io.subtitles`)
``.csv``       survey free-text responses, also ``.tsv`` and ``.xlsx``
               (:mod:`toolkit.io.surveys`)
``.parquet``   survey free-text responses in Parquet (:mod:`toolkit.io.parquet`;
               needs the ``scale`` extra)
=============  ===============================================================

Positions
---------
Every document's ``text`` is normalised (Unicode NFC, ``\\n`` line endings).
A segment's ``start`` and ``end`` are code-point offsets into it (end
exclusive), so ``document.text[start:end] == segment.text`` always holds.
For text and Markdown files the document text is the file's text.  For
``.docx``, ``.vtt`` and ``.srt`` the toolkit writes the transcript out as
turns, ``Speaker: text``, separated by blank lines, and the segment spans
cover the text after ``Speaker: ``.  Use :mod:`toolkit.io.positions` to
convert to UTF-8 bytes or UTF-16 units.

Reading
-------
:func:`read_corpus` reads a file or a folder and reports on every file;
:func:`read_transcripts` returns just the segments;
:func:`toolkit.io.surveys.read_survey` reads one survey export;
:func:`toolkit.model.importing.import_interviews` copies checked files into
a project.  In a project, ``project.yml`` can set the reading options::

    settings:
      interviews:
        merge_cues: false
        id_column: response_id
        text_column: response
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.docstrings import documented
from toolkit.errors import TranscriptError
from toolkit.io.corpus import (
    Corpus,
    ParsedFile,
    add_columns,
    build_corpus,
    corpus_from_parsed,
    report_row,
    segment_columns,
)
from toolkit.io.decoding import CONVERT_HINTS, read_transcript_bytes
from toolkit.io.parquet import read_parquet_file
from toolkit.io.subtitles import read_srt, read_vtt
from toolkit.io.surveys import read_survey_file
from toolkit.io.text import read_text_file
from toolkit.io.word import read_docx

__all__ = [
    "OPTION_DOCS",
    "SUPPORTED_SUFFIXES",
    "candidate_files",
    "check_unique",
    "error_row",
    "is_candidate",
    "read_corpus",
    "read_one",
    "read_transcripts",
]

#: File name endings the reader understands, and the kind of file each is.
SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".vtt": "webvtt",
    ".srt": "srt",
    ".csv": "survey",
    ".tsv": "survey",
    ".xlsx": "survey",
    ".parquet": "survey",
}


#: The reading options' descriptions, shared by the docstrings of the functions taking them
#: (see :func:`toolkit.docstrings.documented`).
OPTION_DOCS = {
    "merge_cues": "Merge consecutive subtitle cues of one speaker into one turn.",
    "id_column, text_column": "For survey CSV, Excel and Parquet files: the id and free-text "
    "columns (see\n:func:`toolkit.io.surveys.read_survey`).",
    "recursive": "Also read the files in sub-folders.",
}


def read_one(
    path: Path,
    *,
    merge_cues: bool,
    id_column: str | None,
    text_column: str | None,
    interview_id: str | None = None,
) -> ParsedFile:
    """Read one file with the reader for its name's ending.

    The `interview_id` is the file name without its extension unless given.

    Raises
    ------
    TranscriptError
        If the file's format is not supported (saying how to convert it), or
        the file cannot be read.
    """
    suffix = path.suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise TranscriptError(
            f"expected a transcript ({supported}), but found a '{suffix or 'no extension'}' file",
            path=path,
            hint=CONVERT_HINTS.get(suffix, f"save or export it as one of {supported}"),
        )
    if kind == "survey" and suffix == ".parquet":
        if not path.is_file():
            read_transcript_bytes(path)  # raises the "nothing at this path" error
        return read_parquet_file(path, id_column, text_column)  # read by column, not as bytes
    raw = read_transcript_bytes(path)
    interview_id = interview_id or path.stem
    if kind in ("text", "markdown"):
        return read_text_file(path, interview_id, raw, kind)
    if kind == "webvtt":
        return read_vtt(path, interview_id, raw, merge_cues)
    if kind == "srt":
        return read_srt(path, interview_id, raw, merge_cues)
    if kind == "docx":
        return read_docx(path, interview_id, raw)
    return read_survey_file(path, raw, id_column, text_column)


def is_candidate(path: Path) -> bool:
    """Whether a file (or folder) in an interviews folder may be a transcript.

    Hidden files, Office lock files, ``_``-prefixed names and notes about
    the folder (``README``, ``notes``, ``index``) are not.
    """
    name = path.name
    # Hidden files, Office lock files (~$name.docx) and notes about the folder.
    return not (
        name.startswith((".", "~$", "_"))
        or path.stem.lower() in ("readme", "notes", "index")
        or name.lower() in ("thumbs.db", "desktop.ini")
    )


@documented(
    OPTION_DOCS,
    path="""
        A file, or a folder whose files (and sub-folders', if `recursive`)
        are read in name order.  Each file's name without its extension is
        its ``interview_id``.
    """,
    strict="""
        For a folder: raise the first file's error instead of reporting it.
        A single file always raises.
    """,
)
def read_corpus(
    path: str | Path,
    strict: bool = False,
    *,
    merge_cues: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
    recursive: bool = True,
) -> Corpus:
    """Read a transcript file, or a folder of them, into a :class:`Corpus`.

    {parameters}

    Returns
    -------
    Corpus
        ``documents``, ``segments``, ``participants`` (from surveys) and a
        ``report`` with one row per file (``status`` ``ok`` or ``error``).

    Raises
    ------
    TranscriptError
        For a bad single file, a missing path, or (with `strict`) any bad file.

    Examples
    --------
    >>> import toolkit as tk
    >>> corpus = tk.read_corpus(tk.sample_project_path() / "interviews")
    >>> corpus.report.loc[0, ["file", "kind", "status"]].tolist()
    ['int01.txt', 'text', 'ok']
    """
    path = Path(path)
    options = {"merge_cues": merge_cues, "id_column": id_column, "text_column": text_column}
    if not path.is_dir():
        parsed = read_one(path, **options)
        return corpus_from_parsed([parsed], [report_row(parsed, path.name)])
    files = candidate_files(path, recursive=recursive)
    documents: list[dict] = []
    columns = segment_columns()
    participants: list[dict] = []
    report: list[dict] = []
    errors: list[TranscriptError] = []
    owner: dict[str, str] = {}
    for file in files:
        name = file.relative_to(path).as_posix()
        try:
            parsed = read_one(file, **options)
            check_unique(parsed, name, file, owner)
        except TranscriptError as exc:
            if strict:
                raise
            errors.append(exc)
            report.append(error_row(name, file, exc))
            continue
        report.append(report_row(parsed, name))
        documents.extend(parsed.documents)
        participants.extend(parsed.participants)
        add_columns(columns, parsed)
    corpus = build_corpus(documents, columns, report, participants)
    corpus.errors = errors
    return corpus


def candidate_files(folder: Path, *, recursive: bool = True) -> list[Path]:
    """Return the files in `folder` that may be transcripts (:func:`is_candidate`), in name order.

    A file inside a folder that is not a candidate (``.git``, ``_drafts``) is left out.
    """
    pattern = "**/*" if recursive else "*"
    files = sorted(
        (p for p in folder.glob(pattern) if p.is_file() and is_candidate(p)),
        key=lambda p: p.relative_to(folder).as_posix().lower(),
    )
    return [
        p for p in files if all(is_candidate(Path(part)) for part in p.relative_to(folder).parts)
    ]


def check_unique(parsed: ParsedFile, name: str, file: Path, owner: dict[str, str]) -> None:
    """Raise if a file's interview ids are already taken; else record them in `owner`.

    `owner` maps each id seen so far to the file (`name`) it came from.
    """
    rows = parsed.participants if parsed.kind == "survey" else parsed.documents
    for number, record in enumerate(rows):
        rid = record["interview_id"]
        if rid in owner:
            raise TranscriptError(
                f"expected each interview id once, but '{rid}' is also the id of {owner[rid]} "
                "(duplicate interview ids)",
                path=file,
                row=parsed.rows[number] if parsed.kind == "survey" else None,
                hint="rename one of the files (a transcript's id is its file name without the "
                "extension) or change the response id",
            )
    for record in rows:
        owner[record["interview_id"]] = name


@documented(
    OPTION_DOCS,
    path="A file, or a folder of them (read in name order).",
    strict="For a folder: raise the first file's error instead of skipping the file.",
)
def read_transcripts(
    path: str | Path,
    strict: bool = False,
    *,
    merge_cues: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
    recursive: bool = True,
) -> pd.DataFrame:
    """Read a transcript file or a folder of them into a segments table.

    Bad files in a folder are skipped (see :func:`read_corpus` for the
    report); pass ``strict=True`` to raise instead.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        The segments table (:data:`toolkit.tables.SEGMENTS`).

    Examples
    --------
    >>> import toolkit as tk
    >>> segments = tk.read_transcripts(tk.sample_project_path() / "interviews" / "int01.txt")
    >>> segments.columns.tolist()[:6]
    ['interview_id', 'segment_id', 'speaker', 'start', 'end', 'text']
    """
    return read_corpus(
        path,
        strict,
        merge_cues=merge_cues,
        id_column=id_column,
        text_column=text_column,
        recursive=recursive,
    ).segments


def error_row(name: str, file: Path, exc: TranscriptError) -> dict:
    """Return the report row of a file that could not be read."""
    return {
        "file": name,
        "kind": SUPPORTED_SUFFIXES.get(file.suffix.lower(), "unsupported"),
        "status": "error",
        "detail": exc.without_path(),  # the row names the file already
        "interview_id": "",
        "encoding": "",
        "segments": 0,
    }
