"""A project: one team's interviews, codebook, codings and energy data.

A project folder looks like this (see ``codesign-toolkit new``)::

    my-project/
      project.yml          name, description, settings
      interviews/          .txt .md .docx .vtt .srt, or a responses .csv
      participants.csv
      codebook.yml
      codings/<coder>.csv  one file per human coder
      stakeholders.csv  connections.csv  votes.csv
      output/              generated: tables, charts, report.html, and
                           codings-rules.csv (the rules' codings, read back as a source)

:func:`open_project` reads such a folder into a :class:`Project` holding the
tidy tables of the design.  :func:`sample_project` opens the fictional sample
project that ships with the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from toolkit import tables
from toolkit.errors import ProjectError, ToolkitError
from toolkit.io.files import read_utf8
from toolkit.io.folders import require_folder, require_new_folder
from toolkit.model.participants import PARTICIPANT_COLUMNS, read_participants
from toolkit.wording import plain

__all__ = [
    "PARTICIPANT_COLUMNS",
    "Project",
    "new_project",
    "open_project",
    "read_participants",
    "read_settings",
    "sample_project",
    "sample_project_path",
    "save_project",
    "templates_path",
]


@dataclass
class Project:
    """The tables of one project, as tidy pandas DataFrames.

    Attributes
    ----------
    name, description
        From ``project.yml``.
    settings
        Other keys of ``project.yml`` (a dict).
    documents
        One row per interview: ``interview_id, text, source, format, encoding``.
    segments
        One row per speaker turn: ``interview_id, segment_id, speaker, start, end,
        text, t_start, t_end``.
    participants
        One row per person in an interview (several in a focus group), with
        their attributes; ``speaker`` and ``interviewer`` columns are optional
        (see :func:`read_participants`).
    codebook
        A :class:`toolkit.model.codebook.Codebook` (``codebook.table`` is the table).
    codings
        The coders' codings (``codings/<coder>.csv``) and, once ``codesign-toolkit
        code`` has run, the rules' codings from ``output/codings-rules.csv``
        (coder ``rules``, method ``rule``); :attr:`human_codings` and
        :attr:`rule_codings` give each apart.
    stakeholders, connections, votes
        The energy-mapping tables.

    Every table has the columns and types of :mod:`toolkit.tables`.
    path
        The project folder, or ``None`` for a project built in memory.
    report
        What loading found, one row per file: ``file, kind, status, detail``.
    """

    name: str = "Untitled project"
    description: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    documents: pd.DataFrame = field(default_factory=tables.empty_documents)
    segments: pd.DataFrame = field(default_factory=tables.empty_segments)
    participants: pd.DataFrame = field(default_factory=tables.empty_participants)
    codebook: Any = None
    codings: pd.DataFrame = field(default_factory=tables.empty_codings)
    stakeholders: pd.DataFrame = field(default_factory=tables.empty_stakeholders)
    connections: pd.DataFrame = field(default_factory=tables.empty_connections)
    votes: pd.DataFrame = field(default_factory=tables.empty_votes)
    path: Path | None = None
    report: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ["file", "kind", "status", "detail"]}
        )
    )

    def __repr__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return (
            f"<Project {self.name!r}{where}: {len(self.documents)} interviews, "
            f"{len(self.segments)} segments, {len(self.codings)} codings, "
            f"{len(self.stakeholders)} stakeholders>"
        )

    @property
    def human_codings(self) -> pd.DataFrame:
        """The codings made by people (or imported from another tool): not the rules'."""
        from toolkit.model.coding_sources import is_rule

        return self.codings[~is_rule(self.codings)]

    @property
    def rule_codings(self) -> pd.DataFrame:
        """The codings made by the codebook's rules (method ``rule``)."""
        from toolkit.model.coding_sources import is_rule

        return self.codings[is_rule(self.codings)]

    @property
    def output_dir(self) -> Path:
        """The folder generated files go to (``output/`` inside the project)."""
        if self.path is None:
            raise ProjectError(
                "this project was built in memory, so it has no output folder",
                hint="save it to a folder first, or pass an output path explicitly",
            )
        return self.path / "output"


def read_settings(path: str | Path) -> dict[str, Any]:
    """Return what the project folder `path`'s ``project.yml`` holds (name, description, settings).

    Only ``project.yml`` is read, not the tables, so this is quick.

    Raises
    ------
    ProjectError
        If there is no ``project.yml``, or it is not UTF-8 YAML holding keys.
    """
    path = Path(path)
    settings_file = path / "project.yml"
    if not settings_file.is_file():
        raise ProjectError(
            "expected a project.yml file in the project folder, but found none",
            path=path,
            hint="run 'codesign-toolkit new FOLDER' to create a project, or add a project.yml "
            "with at least a 'name:' line",
        )
    text = read_utf8(settings_file, "save project.yml as UTF-8", ProjectError)
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProjectError(
            f"expected valid YAML, but the parser stopped: {getattr(exc, 'problem', exc)}",
            path=settings_file,
            line=mark.line + 1 if mark is not None else None,
            hint="check the indentation and the colon after each key",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectError(
            f"expected keys such as 'name:' and 'description:', but found a {type(data).__name__}",
            path=settings_file,
            line=1,
            hint="write 'name: My project' on the first line",
        )
    return data


def open_project(path: str | Path) -> Project:
    """Open a project folder and read every table it has.

    Parameters
    ----------
    path
        The project folder (with a ``project.yml``).

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        If the folder or ``project.yml`` is missing or malformed; other
        :class:`~toolkit.errors.ToolkitError` subclasses for bad tables.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.open_project(tk.sample_project_path())
    >>> project.name
    'Hartwell: getting home well (fictional sample)'
    """
    path = require_folder(
        path,
        "a project folder",
        "check the path, or create a project with 'codesign-toolkit new FOLDER'",
        ProjectError,
    )
    settings = read_settings(path)
    project = Project(
        name=str(settings.pop("name", path.name)),
        description=str(settings.pop("description", "") or ""),
        settings=settings.pop("settings", {}) or {},
        path=path,
    )
    _load_tables(project, path)
    return project


def _load_tables(project: Project, path: Path) -> None:
    # Each domain module reads and validates its own files; this only wires
    # them together, in the order the data flows (files -> segments -> codings).
    from toolkit.io.reading import read_corpus
    from toolkit.model.participants import check_participants, merge_participants

    interviews = path / "interviews"
    corpus = None
    if interviews.is_dir():
        corpus = read_corpus(interviews, **_interview_options(project.settings, path))
        project.documents, project.segments = corpus.documents, corpus.segments
        project.report = corpus.report
    if (path / "participants.csv").is_file():
        project.participants = read_participants(path / "participants.csv")
    if corpus is not None:
        # Survey attribute columns are participants too; then name every
        # transcript without a participant row and every row without a transcript.
        project.participants = merge_participants(project.participants, corpus.participants)
        if (path / "participants.csv").is_file():
            # Survey respondents come with their own rows (and may leave the text empty).
            people = project.participants
            if "kind" in people.columns:
                people = people[people["kind"] != "survey"]
            documents = project.documents[project.documents["format"] != "survey"]
            problems = check_participants(documents, people)
            rows = pd.DataFrame(
                {
                    "file": "participants.csv",
                    "kind": "participants",
                    "status": "warning",
                    "detail": problems["detail"],
                    "interview_id": problems["interview_id"],
                }
            )
            if not rows.empty:
                project.report = pd.concat([project.report, rows], ignore_index=True)
    # The codebook, then the coders' files checked against it and the segments.
    from toolkit.model.codebook import Codebook, read_codebook
    from toolkit.model.codings import read_codings

    project.codebook = Codebook()
    for name in ("codebook.yml", "codebook.yaml", "codebook.csv"):
        if (path / name).is_file():
            project.codebook = read_codebook(path / name)
            break
    if (path / "codings").is_dir():
        try:
            project.codings = read_codings(path / "codings", project.segments, project.codebook)
        except ToolkitError as exc:
            # A coding pointing at an interview that failed to load is a symptom:
            # name the transcript that failed, which is what needs fixing.
            failed = project.report[project.report["status"] == "error"]
            if failed.empty:
                raise
            raise ProjectError(
                f"expected every interview to load, but this one did not "
                f"({failed['detail'].iloc[0]}); the codings need it ({exc.message})",
                path=interviews / str(failed["file"].iloc[0]),
                hint="fix or replace that transcript (the error above says how), then try again",
            ) from None
    else:
        project.codings = tables.empty_codings()
    from toolkit.model.coding_sources import load_rule_codings

    load_rule_codings(project)
    # Energy mapping: connections are checked against the stakeholders' names.
    from toolkit.model import stakeholders

    if (path / "stakeholders.csv").is_file():
        project.stakeholders = stakeholders.read_stakeholders(path / "stakeholders.csv")
    if (path / "connections.csv").is_file():
        project.connections = stakeholders.read_connections(
            path / "connections.csv", project.stakeholders
        )
    if (path / "votes.csv").is_file():
        project.votes = stakeholders.read_votes(path / "votes.csv")


def _interview_options(settings: dict[str, Any], path: Path) -> dict[str, Any]:
    """Return the reading options from ``settings: interviews:`` in project.yml."""
    options = settings.get("interviews") or {}
    allowed = {"merge_cues", "id_column", "text_column", "recursive"}
    if not isinstance(options, dict) or set(options) - allowed:
        raise ProjectError(
            "expected 'interviews:' settings among "
            + ", ".join(sorted(allowed))
            + f", but found {options!r}",
            path=path / "project.yml",
            hint="for a survey file write, under 'settings:', 'interviews: {id_column: "
            "response_id, text_column: response}'",
        )
    return dict(options)


def _check_file_name(name: str, what: str) -> str:
    if (
        not name
        or name != name.strip()
        or name.startswith(".")
        or any(c in name for c in '/\\<>:"|?*\x00')
    ):
        raise ProjectError(
            f"expected {what} usable as a file name, but found {name!r}",
            hint="use letters, digits, spaces, '-' and '_' only",
        )
    return name


def save_project(project: Project, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a project to a project folder that :func:`open_project` reads back.

    Writes ``project.yml``; ``interviews/<interview_id>.txt`` holding each
    document's exact text, so every position stays valid; ``participants.csv``;
    ``codebook.yml``; ``codings/<coder>.csv`` for each human coder (rule
    codings are computed, so they are not saved); and ``stakeholders.csv``,
    ``connections.csv`` and ``votes.csv`` when they have rows.  Each file is
    written to a temporary name and renamed, so none is ever half-written.
    Segments are not saved: they are recomputed from the text on opening.

    Parameters
    ----------
    project
        The project, e.g. from :func:`toolkit.read_qdpx`.
    path
        The folder.  It must not exist or be empty, unless `overwrite`.
    overwrite
        Write into a folder that already has files, replacing the files of
        the same name (other files are left alone).

    Returns
    -------
    Path
        The project folder.

    Raises
    ------
    ProjectError
        If the folder has files and `overwrite` is false, or an interview id
        or coder cannot be a file name.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "copy"
    >>> _ = tk.save_project(tk.sample_project(), folder)
    >>> tk.open_project(folder).name
    'Hartwell: getting home well (fictional sample)'
    """
    import io

    from toolkit.io.files import atomic_write, write_table

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ProjectError(
            "expected a folder for the project, but this is a file",
            path=path,
            hint="choose a folder name",
        )
    if path.is_dir() and any(path.iterdir()) and not overwrite:
        raise ProjectError(
            "expected a new or empty folder, but this one already has files",
            path=path,
            hint="choose another folder, or pass overwrite=True (--overwrite) to replace them",
        )
    ids = [_check_file_name(str(i), "each interview_id") for i in project.documents["interview_id"]]
    folded = [i.casefold() for i in ids]
    if len(set(folded)) != len(folded):
        raise ProjectError(
            "expected each interview_id once (ignoring case, as Windows and macOS do), but "
            "some appear twice",
            hint="rename the interviews so that each id is unique",
        )
    interviews = path / "interviews"
    if interviews.is_dir():
        clashes = [
            f.name
            for f in interviews.iterdir()
            if f.stem.casefold() in set(folded) and f.suffix.lower() != ".txt"
        ]
        if clashes:
            raise ProjectError(
                "expected no other file for an interview being saved, but found "
                + ", ".join(sorted(clashes)),
                path=interviews,
                hint="move those files away first, or save to a new folder",
            )
    settings: dict[str, Any] = {"name": project.name, "description": project.description}
    if project.settings:
        settings["settings"] = plain(project.settings)
    yaml = YAML()  # round-trip mode keeps the keys in order: name first
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(settings, buffer)
    path.mkdir(parents=True, exist_ok=True)
    atomic_write(path / "project.yml", buffer.getvalue())
    for interview_id, text in zip(ids, project.documents["text"], strict=True):
        atomic_write(interviews / f"{interview_id}.txt", str(text))
    participants = project.participants
    if participants is not None and len(participants):
        write_table(participants, path / "participants.csv")
    _save_codebook(project.codebook, path / "codebook.yml")
    _save_codings(project.codings, path / "codings")
    for name in ("stakeholders", "connections", "votes"):
        table = getattr(project, name)
        if table is not None and len(table):
            write_table(table, path / f"{name}.csv")
    return path


def _save_codebook(codebook: Any, file: Path) -> None:
    from toolkit.model.codebook import as_codebook

    if codebook is None or (isinstance(codebook, pd.DataFrame) and codebook.empty):
        return
    as_codebook(codebook).write(file)


def _save_codings(codings: pd.DataFrame | None, folder: Path) -> None:
    from toolkit.model.codings import save_coder_codings

    if codings is None or codings.empty:
        return
    human = codings
    if "method" in codings.columns:
        human = codings[codings["method"].astype(str) != "rule"]
    for coder, rows in human.groupby(human["coder"].astype(str), sort=True):
        _check_file_name(coder, "each coder's name")
        save_coder_codings(rows, folder, coder=coder)


def sample_project_path() -> Path:
    """Return the folder of the built-in fictional sample project."""
    return Path(str(resources.files("toolkit") / "data" / "sample"))


def sample_project() -> Project:
    """Open the built-in sample project (fictional, and labelled so).

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> len(project.participants) >= 16
    True
    """
    return open_project(sample_project_path())


#: Starter files a new project folder gets from ``templates/``.
STARTER_TABLES = [
    "participants.csv",
    "stakeholders.csv",
    "connections.csv",
    "votes.csv",
    "actions.csv",
]
STARTER_CODEBOOK = "codebook-appreciative-inquiry.yml"
#: Copied whole into a new project: the team's key messages, for the report.
STARTER_SUMMARY = "summary.md"


def templates_path() -> Path:
    """Return the folder of facilitator templates and project starter files.

    Installed packages carry it as ``toolkit/templates``; in a source checkout
    it is the repository's top-level ``templates/`` folder.
    """
    packaged = Path(str(resources.files("toolkit"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def new_project(path: str | Path, *, sample: bool = False, name: str | None = None) -> Path:
    """Create a project folder, empty or holding a copy of the sample project.

    An empty project gets ``project.yml``, the starter tables (header rows
    only, so no example data leaks into your analysis, and ``actions.csv``
    for what happens next), a ``summary.md`` for the report's key messages,
    the appreciative inquiry starter codebook and empty ``interviews/``,
    ``codings/`` and ``output/`` folders.

    Parameters
    ----------
    path
        The folder to create.  It must not exist, or be empty.
    sample
        Copy the fictional sample project instead, to try every command on.
    name
        The project's name (default: the folder's name).

    Returns
    -------
    Path
        The new project folder.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> folder = tk.new_project(pathlib.Path(tempfile.mkdtemp()) / "ward-7")
    >>> tk.open_project(folder).name
    'ward-7'
    """
    import shutil

    from toolkit.io.files import atomic_write

    path = require_new_folder(
        path,
        "a new or empty folder for the project",
        "choose another folder name, or empty the folder first",
        ProjectError,
    )
    if sample:
        shutil.copytree(sample_project_path(), path, dirs_exist_ok=True)
        return path
    templates = templates_path()
    path.mkdir(parents=True, exist_ok=True)
    for folder in ("interviews", "codings", "output"):
        (path / folder).mkdir(exist_ok=True)
    title = name or path.name
    atomic_write(
        path / "project.yml",
        "# Settings for this project folder. Lines starting with # are comments.\n"
        f"name: {json_quote(title)}\n"
        "description: ''\n"
        "settings:\n"
        "  language: en-GB\n"
        "  pseudonymised: false\n",
    )
    for table in STARTER_TABLES:
        header = (templates / table).read_text(encoding="utf-8").splitlines()[0]
        atomic_write(path / table, header + "\n")
    codebook = templates / STARTER_CODEBOOK
    if codebook.is_file():
        atomic_write(path / "codebook.yml", codebook.read_text(encoding="utf-8"))
    summary = templates / STARTER_SUMMARY
    if summary.is_file():
        atomic_write(path / "summary.md", summary.read_text(encoding="utf-8"))
    return path


def json_quote(text: str) -> str:
    """Quote a string for YAML (JSON strings are valid YAML scalars)."""
    import json

    return json.dumps(text, ensure_ascii=False)
