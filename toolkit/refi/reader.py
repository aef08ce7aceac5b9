"""Read a REFI-QDA project (``.qdpx``) from NVivo, ATLAS.ti, MAXQDA or QualCoder.

:func:`read_qdpx` turns a ``.qdpx`` into a :class:`~toolkit.model.project.Project`.
What carries over:

- codes, with their hierarchy, colour and description (top-level groups that
  cannot be coded are themes);
- users, who become coders;
- text sources, which become documents, split into segments (turns or
  paragraphs) the way the toolkit splits a ``.txt`` transcript;
- text codings (``PlainTextSelection``), with their coder and memo; a coding
  lies in one segment, so a selection across several becomes one coding per
  segment (the report says how many);
- cases with their variables, which become participants;
- notes: on codings they become the coding's memo; the others are kept in the
  project's settings (``project.yml``) and listed in the report;
- the toolkit's own settings (``pseudonymised``, ``interviewers`` ...), from
  a ``.qdpx`` the toolkit wrote (:mod:`toolkit.refi.own_settings`).

A source whose lines mostly do not start with a speaker's name (a comment
thread, say) stays one document without speakers.

The archive is read defensively (:mod:`toolkit.refi.archive`), each source's
text found whatever the tool's spelling (:mod:`toolkit.refi.sources`), the way
the tool counted positions detected (:mod:`toolkit.refi.counting`) and the
selections placed in segments (:mod:`toolkit.refi.selections`).  The report
(``project.report``) says what carried over, what was converted and what did
not.

Examples
--------
>>> import tempfile, pathlib, toolkit as tk
>>> project = tk.Project(name="Demo")
>>> project.documents = pd.DataFrame(
...     {"interview_id": ["int01"], "text": ["Sam: What helped?\\n\\nAli: The driver 🚗."],
...      "source": ["int01.txt"]})
>>> project.codings = pd.DataFrame(
...     {"interview_id": ["int01"], "segment_id": [2], "start": [24], "end": [34],
...      "code": ["transport"], "coder": ["ann"], "method": ["manual"]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.qdpx"
>>> _ = tk.write_qdpx(project, path)
>>> back = tk.read_qdpx(path)
>>> text = back.documents.text[0]
>>> [text[s:e] for s, e in zip(back.codings.start, back.codings.end)]
['The driver']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from toolkit.errors import RefiError, ToolkitError
from toolkit.io.files import decode_bytes, require_file
from toolkit.io.speakers import few_speakers, text_turns
from toolkit.model.codebook import Codebook, as_codebook
from toolkit.model.project import Project
from toolkit.refi.archive import Archive, docx_text, parse_xml
from toolkit.refi.codebook import codes_to_table
from toolkit.refi.elements import (
    child_elements,
    first_child,
    guid_of,
    local_name,
    safe_name,
    text_of,
    timestamp,
)
from toolkit.refi.own_settings import SETTINGS_NOTE, settings_from_note
from toolkit.refi.report import Report
from toolkit.refi.selections import SelectionPlacer
from toolkit.refi.sources import PendingSource, SourceReader
from toolkit.wording import listing, plural

__all__ = ["ProjectReader", "read_qdpx"]


class ProjectReader(SourceReader, SelectionPlacer):
    """Read one project.qde (and its sources) into the toolkit's tables.

    Reading the sources is :class:`~toolkit.refi.sources.SourceReader`'s part,
    placing their selections :class:`~toolkit.refi.selections.SelectionPlacer`'s.
    """

    def __init__(self, archive: Archive, qde: str, root: ET.Element, positions: str) -> None:
        self.archive = archive
        self.qde = qde
        self.base = str(PurePosixPath(qde).parent) if "/" in qde else ""
        self.root = root
        self.positions = positions
        self.report = Report()
        self.file = archive.path.name
        self.origin = root.get("origin", "") or ""
        self.users: dict[str, str] = {}
        self.codes: dict[str, str] = {}  # code guid -> code name
        self.case_guids: set[str] = set()
        self.case_members: dict[str, list[str]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.used_notes: set[str] = set()
        self.links: dict[str, list[str]] = {}
        self.sources: list[PendingSource] = []
        self.source_attributes: dict[str, dict[str, str]] = {}
        self.source_of_selection: dict[str, str] = {}
        self.taken_ids: set[str] = set()
        self.extra_notes: list[dict[str, str]] = []
        self.variables: dict[str, str] = {}

    # -- the parts of a project, in the order they depend on each other

    def read(self) -> Project:
        """Return the project: its tables, settings and the carry-over report."""
        if self.origin:
            self.report.add(self.qde, "origin", "ok", f"exported by {self.origin}")
        self._users()
        cases = first_child(self.root, "Cases")
        self.case_guids = {
            guid_of(c.get("guid")) for c in ([] if cases is None else child_elements(cases, "Case"))
        }
        self._variables()
        self._notes()
        own = self._own_settings()
        self._links()
        codebook = self._codebook()
        self.read_sources()
        documents, segments, codings = self.place_selections()
        participants = self._cases(documents)
        self._leftovers()
        description = text_of(first_child(self.root, "Description")).strip()
        for ref in child_elements(self.root, "NoteRef"):
            self.note_about(guid_of(ref.get("targetGUID")), "the project")
        self._unreferenced_notes()
        settings: dict[str, Any] = {
            **own,
            "imported_from": {
                "file": self.file,
                "origin": self.origin,
                "imported": timestamp(),
            },
        }
        self._unsplit_sources(documents, segments)
        if self.extra_notes:
            settings["notes"] = self.extra_notes
            self.report.add(
                "notes",
                "notes",
                "ok",
                f"{plural(len(self.extra_notes), 'note')} not attached to a coding kept in the "
                "project settings (project.yml): "
                + listing(n["title"] or n["text"][:40] for n in self.extra_notes),
            )
        return Project(
            name=self.root.get("name") or self.archive.path.stem,
            description=description,
            settings=settings,
            documents=documents,
            segments=segments,
            participants=participants,
            codebook=codebook,
            codings=codings,
            report=self.report.table(),
        )

    def _users(self) -> None:
        users = first_child(self.root, "Users")
        taken: set[str] = set()
        renamed = []
        for user in [] if users is None else child_elements(users, "User"):
            guid = guid_of(user.get("guid"))
            given = (user.get("name") or user.get("id") or "").strip()
            # Each coder's codings are saved as codings/<coder>.csv: the name
            # must be a file name, and unique ignoring case.
            name = safe_name(given, f"user-{guid[:8]}", taken, strip_suffix=False)
            if given and name != given:
                renamed.append(f"'{given}' -> '{name}'")
            self.users[guid] = name
        if renamed:
            self.report.add(
                "users",
                "coders",
                "warning",
                "coder names that cannot be file names, or appear twice, renamed: "
                + listing(renamed),
            )
        if self.users:
            self.report.add(
                "users",
                "coders",
                "ok",
                f"{plural(len(self.users), 'user')} became coders: " + listing(self.users.values()),
            )

    def coder(self, *guids: str) -> str:
        """Return the coder of the first of ``guids`` that is set (a new one if unknown)."""
        for guid in guids:
            if guid:
                if guid not in self.users:
                    self.users[guid] = safe_name(
                        f"user-{guid[:8]}", "user", set(self.users.values()), strip_suffix=False
                    )
                    self.report.add(
                        "users",
                        "coders",
                        "warning",
                        f"a coding names user {guid} who is not in the list of users; "
                        f"called '{self.users[guid]}'",
                    )
                return self.users[guid]
        return "unknown"

    def _variables(self) -> None:
        variables = first_child(self.root, "Variables")
        for variable in [] if variables is None else child_elements(variables, "Variable"):
            self.variables[guid_of(variable.get("guid"))] = variable.get("name") or "variable"

    def variable_value(self, element: ET.Element) -> tuple[str, str] | None:
        """Return (variable name, value) of a ``VariableValue`` element, or None."""
        ref = first_child(element, "VariableRef")
        if ref is None:
            return None
        name = self.variables.get(guid_of(ref.get("targetGUID")))
        if name is None:
            return None
        for child in element:
            if local_name(child.tag) != "VariableRef":
                return name, text_of(child).strip()
        return name, ""

    def _notes(self) -> None:
        notes = first_child(self.root, "Notes")
        for note in [] if notes is None else child_elements(notes, "Note"):
            guid = guid_of(note.get("guid"))
            text = self._read_note_text(note)
            self.notes[guid] = {"title": note.get("name") or "", "text": text}

    def _read_note_text(self, note: ET.Element) -> str:
        content = first_child(note, "PlainTextContent")
        if content is not None:
            return text_of(content).strip()
        found = self.source_bytes(note, note.get("name") or "note")
        if found is None:
            return ""
        raw, _origin, docx = found
        try:
            text = docx_text(raw, _origin) if docx else decode_bytes(raw)[0]
        except ToolkitError:
            return ""
        return text.lstrip("\ufeff").strip()

    def _own_settings(self) -> dict[str, Any]:
        """Return the settings from a .qdpx the toolkit wrote (:mod:`toolkit.refi.own_settings`)."""
        for guid, note in self.notes.items():
            if note["title"] != SETTINGS_NOTE:
                continue
            found = settings_from_note(note["text"])
            if found is None:
                self.report.add(
                    "notes",
                    "settings",
                    "warning",
                    f"the note '{SETTINGS_NOTE}' no longer reads as the toolkit's settings (was "
                    "it edited?); kept as a note, so set the settings in project.yml again",
                )
                continue
            self.used_notes.add(guid)
            found.pop("imported_from", None)  # this import is recorded afresh
            self.report.add(
                "notes",
                "settings",
                "ok",
                f"the project's settings ({listing(found) or 'none'}) restored from the note "
                f"'{SETTINGS_NOTE}'",
            )
            return found
        return {}

    def _unsplit_sources(self, documents: pd.DataFrame, segments: pd.DataFrame) -> None:
        """Say which documents were read without speakers though a few lines looked like names."""
        spoken = set(segments.loc[segments["speaker"].astype(str) != "", "interview_id"])
        plain = []
        for interview_id, text in zip(documents["interview_id"], documents["text"], strict=True):
            if interview_id not in spoken and ":" in text:
                turns = text_turns(text)
                if any(turn[0] for turn in turns) and few_speakers(text, turns):
                    plain.append(interview_id)
        if plain:
            self.report.add(
                "documents",
                "segments",
                "converted",
                f"{plural(len(plain), 'document')} read as text without speakers, as too few of "
                "their lines start with a name to be a transcript (a comment thread, say): "
                + listing(plain),
            )

    def _links(self) -> None:
        # NVivo links an annotation (a Note) to the selection it annotates.
        links = first_child(self.root, "Links")
        for link in [] if links is None else child_elements(links, "Link"):
            origin, target = guid_of(link.get("originGUID")), guid_of(link.get("targetGUID"))
            if origin in self.notes:
                self.links.setdefault(target, []).append(origin)
            elif target in self.notes:
                self.links.setdefault(origin, []).append(target)

    def note_text(self, guids: Iterable[str]) -> list[str]:
        """Return the texts of the notes ``guids`` (marking them used)."""
        texts = []
        for guid in guids:
            note = self.notes.get(guid)
            if note is not None:
                self.used_notes.add(guid)
                if note["text"]:
                    texts.append(note["text"])
        return texts

    def note_about(self, guid: str, about: str) -> None:
        """Keep note ``guid``, if not used yet, in the project settings as being about ``about``."""
        note = self.notes.get(guid)
        if note is not None and guid not in self.used_notes:
            self.used_notes.add(guid)
            self.extra_notes.append({"title": note["title"], "text": note["text"], "about": about})

    def _unreferenced_notes(self) -> None:
        for guid in self.notes:
            self.note_about(guid, "the project")

    def _codebook(self) -> Codebook:
        codebook = first_child(self.root, "CodeBook")
        codes = None if codebook is None else first_child(codebook, "Codes")
        table, self.codes, report = codes_to_table(
            [] if codes is None else child_elements(codes, "Code"),
            used=self._used_code_guids(),
            note_text=self.note_text,
        )
        for status, detail in report:
            self.report.add("codebook", "codes", status, detail)
        return as_codebook(table)

    def _used_code_guids(self) -> set[str]:
        found = {
            guid_of(ref.get("targetGUID"))
            for ref in self.root.iter()
            if local_name(ref.tag) == "CodeRef"
        }
        return found - self.case_guids

    def _cases(self, documents: pd.DataFrame) -> pd.DataFrame:
        """Return the participants: a row per document, or per case where a document has several.

        A case's variables fill its document's row; a document in several
        cases (the people of a focus group) gets a row for each case.  The
        case's name is kept in a ``case`` column unless it is the document's
        id or repeats the row's ``speaker`` or ``name``.
        """
        cases = first_child(self.root, "Cases")
        base: dict[str, dict[str, str]] = {
            i: {"interview_id": i} for i in documents["interview_id"]
        }
        for interview_id, attributes in self.source_attributes.items():
            base.setdefault(interview_id, {"interview_id": interview_id}).update(attributes)
        by_guid = {s.guid: s.interview_id for s in self.sources}
        in_cases: dict[str, list[tuple[str, dict[str, str]]]] = {}
        case_list = [] if cases is None else child_elements(cases, "Case")
        for number, case in enumerate(case_list, start=1):
            name = (case.get("name") or "").strip() or f"case-{number}"
            values = dict(
                filter(None, map(self.variable_value, child_elements(case, "VariableValue")))
            )
            values = {
                ("interview_id (variable)" if k == "interview_id" else k): v
                for k, v in values.items()
            }
            members = [
                by_guid.get(guid_of(r.get("targetGUID"))) for r in child_elements(case, "SourceRef")
            ]
            members += [
                self.source_of_selection.get(guid_of(r.get("targetGUID")))
                for r in child_elements(case, "SelectionRef")
            ]
            members += self.case_members.get(guid_of(case.get("guid")), [])
            members = list(dict.fromkeys(m for m in members if m))
            if not members:
                interview_id = safe_name(name, f"case-{number}", set())
                members = [interview_id]
                base.setdefault(interview_id, {"interview_id": interview_id})
            for interview_id in members:
                in_cases.setdefault(interview_id, []).append((name, values))
        rows, conflicts, named = [], 0, 0
        for interview_id, first in base.items():
            for name, values in in_cases.get(interview_id) or [("", {})]:
                row = dict(first)
                for key, value in values.items():
                    if row.get(key, value) != value:
                        conflicts += 1  # the document's own variable differs from its case's
                        value = f"{row[key]}; {value}"
                    row[key] = value
                if (
                    name
                    and name != interview_id
                    and name
                    not in (
                        row.get("speaker"),
                        row.get("name"),
                    )
                ):
                    row["case"] = name
                    named += 1
                rows.append(row)
        table = pd.DataFrame(rows)
        if "interview_id" not in table.columns:
            table = pd.DataFrame(columns=["interview_id"])
        table = table.fillna("")
        if "case" in table.columns and not named:
            table = table.drop(columns="case")
        # Columns in the order the project declares its variables.
        declared = [v for v in dict.fromkeys(self.variables.values()) if v in table.columns]
        first_columns = [c for c in ("interview_id", "case") if c in table.columns]
        table = table[
            first_columns
            + [c for c in declared if c not in first_columns]
            + [c for c in table.columns if c not in first_columns + declared]
        ]
        if case_list:
            variables = [c for c in table.columns if c not in ("interview_id", "case")]
            several = sum(1 for found in in_cases.values() if len(found) > 1)
            self.report.add(
                "cases",
                "participants",
                "ok",
                f"{plural(len(case_list), 'case')} became participants with "
                f"{plural(len(variables), 'attribute')}"
                + (f": {listing(variables)}" if variables else "")
                + (
                    f"; {plural(several, 'document')} with several cases (a focus group, say) "
                    "got a row for each"
                    if several
                    else ""
                ),
            )
        if conflicts:
            self.report.add(
                "cases",
                "participants",
                "warning",
                f"{plural(conflicts, 'attribute')} had one value on a document and another on "
                "its case; both kept, separated by ';'",
            )
        return table.astype(object)

    def _leftovers(self) -> None:
        for part, why in (
            ("Sets", "sets (groups of codes or documents) have no place in the toolkit"),
            ("Graphs", "graphs (network diagrams) have no place in the toolkit"),
        ):
            element = first_child(self.root, part)
            if element is not None and len(element):
                self.report.add(
                    part.lower(),
                    "not carried",
                    "not carried",
                    f"{plural(len(element), part[:-1].lower())}: {why}",
                )
        links = first_child(self.root, "Links")
        other = (
            0
            if links is None
            else sum(
                1
                for link in child_elements(links, "Link")
                if guid_of(link.get("originGUID")) not in self.notes
                and guid_of(link.get("targetGUID")) not in self.notes
            )
        )
        if other:
            self.report.add(
                "links",
                "not carried",
                "not carried",
                f"{plural(other, 'link')} between codes or selections: no place in the toolkit",
            )


def _find_qde(archive: Archive, report: Report) -> str:
    """Return the name of the project file in the archive (the shallowest ``.qde``)."""
    names = [n for n in archive.names() if n.lower().endswith(".qde")]
    if not names:
        raise RefiError(
            "expected a project file (.qde) inside the archive, but found none",
            path=archive.path,
            hint="export a REFI-QDA project (.qdpx) from the other tool, not a codebook or a "
            "backup in its own format",
        )
    names.sort(key=lambda n: (n.count("/"), n.lower() != "project.qde", n.lower()))
    chosen = names[0]
    if PurePosixPath(chosen).name.lower() != "project.qde":
        report.add(chosen, "archive", "ok", "the project file has another name than project.qde")
    if len(names) > 1:
        report.add(chosen, "archive", "warning", f"several .qde files; read {chosen} only")
    return chosen


def read_qdpx(path: str | Path, *, positions: str = "auto") -> Project:
    """Read a REFI-QDA project file (``.qdpx``) from NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Parameters
    ----------
    path
        The ``.qdpx`` file.
    positions
        ``"auto"`` (default) detects how the other tool counted positions
        (code points, UTF-16 code units or UTF-8 bytes; line breaks as one or
        two characters; a byte-order mark) and converts to code points;
        ``"standard"`` trusts the file to follow the standard.

    Returns
    -------
    Project
        A project built in memory (``path`` is ``None``): documents,
        segments, participants, codebook and codings.  ``project.report``
        says what carried over, what was converted and what did not carry
        over.  Save it with :func:`~toolkit.model.project.save_project`.

    Raises
    ------
    RefiError
        If the file is not a REFI-QDA project, or is unsafe: entries whose
        paths leave the archive, implausible sizes or compression (zip
        bombs), or XML with a document type declaration (entities).

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sample.qdpx"
    >>> _ = tk.write_qdpx(tk.sample_project(), path)
    >>> project = tk.read_qdpx(path)
    >>> len(project.documents) == len(tk.sample_project().documents)
    True
    """
    path = require_file(
        path,
        "a .qdpx file",
        "check the path; export a REFI-QDA project from the other tool first",
        RefiError,
    )
    if path.suffix.lower() == ".qdc":
        raise RefiError(
            "expected a project (.qdpx), but this is a codebook (.qdc)",
            path=path,
            hint="read it with read_qdc",
        )
    with Archive(path) as archive:
        report = Report()
        qde = _find_qde(archive, report)
        root = parse_xml(archive.read(archive.get(qde)), path, qde)
        if local_name(root.tag) != "Project":
            raise RefiError(
                f"expected a REFI-QDA <Project> in {qde}, but found <{local_name(root.tag)}>",
                path=path,
                hint="export a REFI-QDA project from the other tool",
            )
        reader = ProjectReader(archive, qde, root, positions)
        reader.report.rows[:0] = report.rows
        return reader.read()
