"""Pseudonymise a whole project folder, keeping an audit of every change.

:func:`pseudonymise_project` copies a project folder to a new folder,
pseudonymising the interviews, ``participants.csv``, the coders' files, the
other tables, the codebook, notes and ``project.yml`` on the way (see
:mod:`toolkit.analysis.anonymise`), then reads the new folder back to check
that every interview survived.
:func:`read_names_file` reads a list of more names to replace.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from toolkit.analysis.anonymise.audit import Audit, line_column
from toolkit.analysis.anonymise.codings import pseudonymise_codings
from toolkit.analysis.anonymise.documents import (
    pseudonymise_cells,
    pseudonymise_docx,
    pseudonymise_survey,
    pseudonymise_text_file,
    pseudonymise_yaml,
)
from toolkit.analysis.anonymise.names import project_pseudonymiser
from toolkit.analysis.anonymise.pseudonymiser import Pseudonymiser
from toolkit.errors import ProjectError
from toolkit.io.files import atomic_copy, read_table, require_file, write_table
from toolkit.io.folders import require_new_folder
from toolkit.io.positions import mismatched_spans
from toolkit.io.reading import SUPPORTED_SUFFIXES, read_corpus
from toolkit.model.project import Project, open_project, read_participants

__all__ = ["AUDIT_FILE", "pseudonymise_project", "read_names_file"]

#: The audit's file name, inside the pseudonymised folder.
AUDIT_FILE = "pseudonymisation-audit.csv"


def read_names_file(path: str | Path) -> list[str]:
    """Read a text file of people's names to replace, one per line (blank lines skipped).

    Raises
    ------
    ProjectError
        When there is no such file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "names.txt"
    >>> _ = path.write_text("Sam Reid\\n\\n  Dr Ann Lee  \\n", encoding="utf-8")
    >>> read_names_file(path)
    ['Sam Reid', 'Dr Ann Lee']
    """
    path = require_file(
        path,
        "a text file of names, one per line",
        "check the path of the names file",
        ProjectError,
    )
    text = path.read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip()]


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
        More people's names to replace, besides those the folder names
        already: ``participants.csv``'s names (and speaker labels holding
        them) and the people in ``stakeholders.csv``, ``connections.csv``
        and ``votes.csv`` (see :mod:`toolkit.analysis.anonymise.names`).
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
        ``attrs["path"]`` is the audit file written.

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
    source, target = Path(source).resolve(), Path(target).resolve()
    original = open_project(source)
    require_new_folder(
        target,
        "a new folder for the pseudonymised project",
        "choose a folder name that does not exist yet; nothing is ever overwritten",
        ProjectError,
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
    participants_file = source / "participants.csv"
    people = read_participants(participants_file) if participants_file.is_file() else None
    audit = Audit()
    p = project_pseudonymiser(source, people, names, audit)
    options = original.settings.get("interviews") or {}
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
                audit.note(rel, file.stem, "file", "not copied")
                continue
            if rel_path.parts[0] == "interviews" and kind is not None:
                if kind == "docx":
                    pseudonymise_docx(file, out, rel, p, audit)
                elif kind == "survey":
                    pseudonymise_survey(file, out, rel, p, audit, options.get("id_column"))
                else:
                    pseudonymise_text_file(file, out, rel, kind, p, audit)
            elif rel == "project.yml":
                pseudonymise_yaml(file, out, rel, p, audit, settings={"pseudonymised": True})
            elif file.suffix.lower() in (".yml", ".yaml"):
                # A codebook's regular expressions are patterns, not prose.
                pseudonymise_yaml(file, out, rel, p, audit, patterns=["regex"])
            elif file.suffix.lower() in (".md", ".txt"):
                pseudonymise_text_file(file, out, rel, "text", p, audit)
            elif rel == "participants.csv" and people is not None:
                _write_participants(people, out, p, audit)
            elif rel_path.parts[0] == "codings" and file.suffix.lower() == ".csv":
                codings.append((file, out, rel))
            elif file.suffix.lower() == ".csv" and len(rel_path.parts) == 1:
                table = read_table(file, what="table")
                write_table(pseudonymise_cells(table, rel, p, audit), out)
            else:
                atomic_copy(file, out)
        new_segments = _verify(original, work, p, audit)
        for file, out, rel in codings:
            pseudonymise_codings(file, out, rel, p, audit, original.segments, new_segments)
        table = audit.table()
        write_table(table, work / AUDIT_FILE)
        if target.exists():
            target.rmdir()  # empty, checked above
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if key is not None:
        write_table(p.key(), key)
    table.attrs["path"] = target / AUDIT_FILE
    return table


def _verify(original: Project, work: Path, p: Pseudonymiser, audit: Audit) -> pd.DataFrame:
    """Re-read the written project: same interviews, spans that hold, nothing left over."""
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
            line, column = line_column(doc.text, item.start)
            audit.note(
                doc.source,
                doc.interview_id,
                item.kind,
                "review",
                line=line,
                column=column,
                field="document text",
                replacement=item.replacement,
            )
    return corpus.segments


def _write_participants(people: pd.DataFrame, out: Path, p: Pseudonymiser, audit: Audit) -> Path:
    table = people.copy()
    rows = people.attrs.get("rows") or list(range(2, len(table) + 2))
    if "name" in table.columns:
        for row, (index, name) in zip(rows, table["name"].items(), strict=True):
            if name:
                token = p.add_name(name)
                table.at[index, "name"] = token
                audit.note(
                    "participants.csv",
                    table.at[index, "interview_id"],
                    "name",
                    "replaced",
                    line=row,
                    column=1,
                    field="name",
                    replacement=token,
                )
    table.attrs = dict(people.attrs)
    skip = ["interview_id", "name"]
    return write_table(
        pseudonymise_cells(table, "participants.csv", p, audit, skip, "interview_id"), out
    )
