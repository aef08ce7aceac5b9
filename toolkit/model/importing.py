"""Bring transcripts into a project: check each file, then copy it into ``interviews/``.

This is the model's side of reading: :mod:`toolkit.io.reading` reads the
files; :func:`import_interviews` decides what enters a project folder (and
makes the folder a project if it is not one yet).
"""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pandas as pd

from toolkit.docstrings import documented
from toolkit.errors import ToolkitError, TranscriptError
from toolkit.io.coded_sheets import code_columns
from toolkit.io.corpus import REPORT_COLUMNS, report_row
from toolkit.io.decoding import read_transcript_bytes
from toolkit.io.files import atomic_copy, atomic_write
from toolkit.io.reading import (
    OPTION_DOCS,
    SUPPORTED_SUFFIXES,
    candidate_files,
    check_unique,
    error_row,
    is_candidate,
    read_one,
)
from toolkit.io.surveys import survey_table
from toolkit.model.project import new_project, read_participants
from toolkit.wording import listing

__all__ = ["ensure_project", "import_interviews"]


@documented(
    OPTION_DOCS,
    source="""
        A transcript file, or a folder of them (sub-folders included).
        Every file is copied as it is, byte for byte: a survey's Parquet
        files too, which are neither converted nor expanded (the project
        records their rows by copying the files, not by rewriting them).
    """,
    project_dir="The project folder.",
    strict="Import nothing if any file is bad (raise its error instead).",
)
def import_interviews(
    source: str | Path,
    project_dir: str | Path,
    *,
    strict: bool = False,
    merge_cues: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
) -> pd.DataFrame:
    """Copy transcripts into a project's ``interviews/`` folder, checking each one first.

    Every file is read before it is copied, so a bad file never enters the
    project.  A ``participants.csv`` beside the transcripts is copied too,
    unless the project already has participant rows.  If `project_dir` is
    not a project yet, it becomes one (``project.yml`` and the starter files).

    {parameters}

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file, kind, status, detail, interview_id,
        encoding, segments``; ``status`` is ``imported``, ``unchanged``
        (already there), ``error`` (not copied) or ``warning``.

    Raises
    ------
    TranscriptError
        If `source` does not exist, or (with `strict`) a file is bad.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> from toolkit.model.importing import import_interviews
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "project"
    >>> src = tk.sample_project_path() / "interviews" / "int01.txt"
    >>> import_interviews(src, target)[["file", "status"]].values.tolist()
    [['int01.txt', 'imported']]
    """
    source, project_dir = Path(source), Path(project_dir)
    if not source.exists():
        read_transcript_bytes(source)  # raises the "nothing at this path" error
    options = {"merge_cues": merge_cues, "id_column": id_column, "text_column": text_column}
    if source.is_dir():
        files, base = candidate_files(source), source
    else:
        files, base = [source], source.parent
    participants = [p for p in files if p.relative_to(base).as_posix() == "participants.csv"]
    files = [p for p in files if p not in participants]
    interviews = project_dir / "interviews"
    existing: dict[str, str] = {}
    if interviews.is_dir():
        for p in interviews.rglob("*"):
            if p.is_file() and is_candidate(p) and p.suffix.lower() in SUPPORTED_SUFFIXES:
                existing[p.stem] = p.relative_to(interviews).as_posix()
    plan: list[tuple[Path, Path, dict]] = []
    report: list[dict] = []
    owner = dict(existing)
    for file in files:
        name = file.relative_to(base).as_posix()
        target = interviews / name
        try:
            parsed = read_one(file, **options)
            # Compared in blocks: a Parquet export may be gigabytes.
            if target.is_file() and filecmp.cmp(target, file, shallow=False):
                row = report_row(parsed, name)
                row.update(status="unchanged", detail="already in the project: " + row["detail"])
                report.append(row)
                continue
            if target.exists():
                raise TranscriptError(
                    f"expected a new file name, but interviews/{name} already holds a different "
                    "file",
                    path=file,
                    hint="rename one of the two files (its name is its interview id)",
                )
            check_unique(parsed, name, file, owner)
        except TranscriptError as exc:
            if strict:
                raise
            report.append(error_row(name, file, exc))
            continue
        plan.append((file, target, report_row(parsed, name)))
        if parsed.kind == "survey":
            plan[-1][2]["detail"] += _codes_hint(file)
    ensure_project(project_dir)
    interviews.mkdir(parents=True, exist_ok=True)
    for file, target, row in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_copy(file, target)
        row["status"] = "imported"
        report.append(row)
    for file in participants:
        row = {
            "file": "participants.csv",
            "kind": "participants",
            "interview_id": "",
            "encoding": "",
            "segments": 0,
        }
        target = project_dir / "participants.csv"
        has_rows = target.is_file() and len(read_participants(target)) > 0
        if has_rows and target.read_bytes() != file.read_bytes():
            row.update(
                status="warning",
                detail="not copied: the project already has participant rows; merge the two "
                "files by hand",
            )
        else:
            read_participants(file)  # a bad file raises with its row
            atomic_copy(file, target)
            row.update(status="imported", detail="participants copied")
        report.append(row)
    table = pd.DataFrame(report, columns=REPORT_COLUMNS)
    order = {"error": 0, "warning": 1}
    return table.sort_values(
        "status", key=lambda s: s.map(lambda v: order.get(v, 2)), kind="stable"
    ).reset_index(drop=True)


def _codes_hint(file: Path) -> str:
    """Say so when a survey file holds columns of codes, which a plain import keeps as text."""
    try:
        table, _ = survey_table(file, file.read_bytes(), repeated=True)
    except ToolkitError:
        return ""
    found = list(code_columns(table)[0])
    if not found:
        return ""
    return (
        f"; columns {listing(found, 4)} look like codes: to import them as a coder's codings, "
        "run the command again with --coder NAME"
    )


def ensure_project(project_dir: Path) -> Path:
    """Make `project_dir` a project if it is not one: a new project, or just a project.yml.

    An empty or missing folder gets the starter files (:func:`new_project`);
    a folder that already holds files gets only a ``project.yml``.
    """
    project_dir = Path(project_dir)
    if not (project_dir / "project.yml").is_file():
        if project_dir.exists() and any(project_dir.iterdir()):
            atomic_write(project_dir / "project.yml", f"name: {_yaml_quote(project_dir.name)}\n")
        else:
            new_project(project_dir)
    return project_dir


def _yaml_quote(text: str) -> str:
    """Return `text` as a double-quoted YAML string (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
