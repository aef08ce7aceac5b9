"""Write a project as a REFI-QDA project file (``.qdpx``) for other tools.

:func:`write_qdpx` writes each interview as a plain-text source (UTF-8,
positions in Unicode code points as the standard asks), each code as a code
(themes become groups that cannot be coded), each coder as a user, each
coding as a text selection with its memo, and each participant as a case
with variables.  The XML is checked against the REFI-QDA schema and the
file written atomically.  What has no place in the standard (coding rules,
energy mapping, speaker turns and timings) stays in the project's own files,
and :func:`qdpx_carry_over` says so.  The project's settings (``settings:`` in
``project.yml``) travel in a project note that :func:`~toolkit.refi.reader.read_qdpx`
reads back (:mod:`toolkit.refi.own_settings`).
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from toolkit.errors import RefiError
from toolkit.io.files import atomic_open, cell_text
from toolkit.model.project import Project
from toolkit.refi.codebook import code_elements, codebook_table
from toolkit.refi.elements import ORIGIN, PROJECT_NS, new_guid, serialise, timestamp, xml_safe
from toolkit.refi.own_settings import SETTINGS_NOTE, settings_note_text, settings_to_keep
from toolkit.refi.report import Report
from toolkit.tables import CODEBOOK, CODINGS
from toolkit.wording import listing, plural

__all__ = ["qdpx_carry_over", "write_qdpx"]


def _variable_type(values: list[str]) -> str:
    """Return the REFI-QDA type of a variable with these values (Integer, Boolean, Date, Text)."""
    present = [v for v in values if v]
    if not present:
        return "Text"
    if all(re.fullmatch(r"-?(0|[1-9]\d{0,17})", v) for v in present):
        return "Integer"
    if all(v in ("true", "false") for v in present):
        return "Boolean"
    if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in present):
        try:
            for v in present:
                datetime.strptime(v, "%Y-%m-%d")
            return "Date"
        except ValueError:
            return "Text"
    return "Text"


def _number(value: object) -> str:
    """Return a whole number as text whether it came as 3, 3.0 or '3'."""
    try:
        return str(int(float(cell_text(value))))
    except ValueError:
        return cell_text(value)


def _codings_for_export(project: Project, report: Report) -> pd.DataFrame:
    """Return the codings to export: blank offsets filled from segments, rule codings left out."""
    codings = project.codings
    if codings is None or codings.empty:
        return pd.DataFrame(columns=CODINGS.names)
    missing = [c for c in ("interview_id", "code") if c not in codings.columns]
    if missing:
        raise RefiError(
            f"expected codings with the columns interview_id, segment_id, start, end and code, "
            f"but {', '.join(missing)} are missing",
            hint="build codings with the toolkit (read_codings or autocode)",
        )
    table = codings.copy()
    for column in CODINGS.names:
        if column not in table.columns:
            table[column] = ""
    # A coding with blank offsets codes its whole segment.
    segments = project.segments
    if segments is not None and len(segments) and {"start", "end"} <= set(segments.columns):
        spans = {
            (cell_text(i), _number(n)): (s, e)
            for i, n, s, e in zip(
                segments["interview_id"],
                segments["segment_id"],
                segments["start"],
                segments["end"],
                strict=True,
            )
        }
        for column, side in (("start", 0), ("end", 1)):
            blank = table[column].map(cell_text) == ""
            if blank.any():
                keys = zip(
                    table["interview_id"].map(cell_text),
                    table["segment_id"].map(cell_text),
                    strict=True,
                )
                whole = [spans.get(k, (None, None))[side] for k in keys]
                table[column] = [
                    w if b else v for v, w, b in zip(table[column], whole, blank, strict=True)
                ]
    method = table["method"].map(cell_text)
    rules = method == "rule"
    if rules.any():
        report.add(
            "codings",
            "codings",
            "not carried",
            f"{plural(int(rules.sum()), 'rule coding')} not exported: they are computed from "
            "the codebook's rules, which stay in the project",
        )
    return table[~rules].reset_index(drop=True)


def _project_xml(project: Project, report: Report) -> tuple[ET.Element, list[tuple[str, str]]]:
    """Return the project's XML root and the source files to pack: (name in archive, text)."""
    now = timestamp()
    documents = project.documents
    texts: dict[str, str] = {}
    for interview_id, text in zip(documents["interview_id"], documents["text"], strict=True):
        key = cell_text(interview_id)
        if not key or key in texts:
            raise RefiError(
                f"expected each document to have its own interview_id, but found {key!r} "
                "empty or twice",
                hint="give every interview a unique id",
            )
        texts[key] = cell_text(text)
    codings = _codings_for_export(project, report)
    codebook = codebook_table(project.codebook)
    known = set(codebook["code"])
    extra = [c for c in dict.fromkeys(codings["code"].map(cell_text)) if c and c not in known]
    if extra:
        codebook = pd.concat(
            [
                codebook,
                pd.DataFrame([{**dict.fromkeys(CODEBOOK.names, ""), "code": c} for c in extra]),
            ],
            ignore_index=True,
        )
        report.add(
            "codebook",
            "codes",
            "converted",
            f"{plural(len(extra), 'code')} used in codings but missing from the codebook "
            f"added: {listing(extra)}",
        )
    coders = [c for c in dict.fromkeys(codings["coder"].map(cell_text)) if c] or []
    if (codings["coder"].map(cell_text) == "").any():
        coders.append("unknown")
    root = ET.Element(
        "Project",
        {
            "name": xml_safe(project.name) or "Untitled project",
            "origin": f"{ORIGIN} (Follow the Energy)",
            "creationDateTime": now,
        },
    )
    user_guids = {c: new_guid("user", c) for c in coders}
    if coders:
        root.set("creatingUserGUID", user_guids[coders[0]])
        users = ET.SubElement(root, "Users")
        for coder in coders:
            ET.SubElement(
                users,
                "User",
                {"guid": user_guids[coder], "name": xml_safe(coder), "id": xml_safe(coder)},
            )
    code_guids: dict[str, str] = {}
    if len(codebook):
        codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        code_guids = code_elements(codes, codebook, report)
        themes = [t for t in dict.fromkeys(codebook["theme"]) if t]
        report.add(
            "codebook",
            "codes",
            "ok",
            f"{plural(len(codebook), 'code')} with their hierarchy, colours and definitions"
            + (f"; {plural(len(themes), 'theme')} as groups of codes" if themes else ""),
        )
    source_guids = {i: new_guid("source", i) for i in texts}
    _cases(root, project.participants, source_guids, report)
    files: list[tuple[str, str]] = []
    notes = [n for n in project.settings.get("notes", []) or [] if isinstance(n, dict)]
    listed = len(notes)
    kept = settings_to_keep(project.settings)
    if kept:
        # The toolkit's own settings travel as a project note (other tools show it as a memo).
        notes.append({"title": SETTINGS_NOTE, "text": settings_note_text(kept), "about": ""})
    note_guids = [new_guid("note", i, n.get("title", "")) for i, n in enumerate(notes)]
    by_document: dict[str, list[dict]] = {}
    skipped, exported = [], 0
    for record in codings.to_dict("records"):
        by_document.setdefault(cell_text(record["interview_id"]), []).append(record)
    if texts:
        sources = ET.SubElement(root, "Sources")
        for interview_id, text in texts.items():
            guid = source_guids[interview_id]
            source = ET.SubElement(
                sources,
                "TextSource",
                {
                    "guid": guid,
                    "name": xml_safe(interview_id),
                    "plainTextPath": f"internal://{guid}.txt",
                    "creationDateTime": now,
                },
            )
            files.append((f"sources/{guid}.txt", text))
            for number, record in enumerate(by_document.pop(interview_id, [])):
                try:
                    start, end = int(record["start"]), int(record["end"])
                except (TypeError, ValueError):
                    start, end = -1, -1
                code = cell_text(record["code"])
                if not (0 <= start < end <= len(text)) or code not in code_guids:
                    skipped.append(f"{interview_id} [{record['start']}:{record['end']}]")
                    continue
                coder = cell_text(record["coder"]) or "unknown"
                selection = ET.SubElement(
                    source,
                    "PlainTextSelection",
                    {
                        "guid": new_guid("selection", interview_id, number, start, end, code),
                        # Other tools show the name; it also lets an importer check positions.
                        "name": xml_safe(" ".join(text[start:end].split())[:60]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                        "creatingUser": user_guids[coder],
                        "creationDateTime": now,
                    },
                )
                memo = xml_safe(record["memo"]).strip()
                if memo:
                    ET.SubElement(selection, "Description").text = memo
                coding = ET.SubElement(
                    selection,
                    "Coding",
                    {
                        "guid": new_guid("coding", interview_id, number, start, end, code, coder),
                        "creatingUser": user_guids[coder],
                        "creationDateTime": now,
                    },
                )
                ET.SubElement(coding, "CodeRef", {"targetGUID": code_guids[code]})
                exported += 1
            for guid_note, note in zip(note_guids, notes, strict=True):
                if note.get("about") == interview_id:
                    ET.SubElement(source, "NoteRef", {"targetGUID": guid_note})
    for interview_id, records in by_document.items():
        skipped.extend(f"{interview_id} [{r['start']}:{r['end']}]" for r in records)
    if notes:
        notes_el = ET.SubElement(root, "Notes")
        for guid_note, note in zip(note_guids, notes, strict=True):
            element = ET.SubElement(
                notes_el,
                "Note",
                {"guid": guid_note, "name": xml_safe(note.get("title", "")) or "Note"},
            )
            ET.SubElement(element, "PlainTextContent").text = xml_safe(note.get("text", ""))
    if project.description:
        ET.SubElement(root, "Description").text = xml_safe(project.description)
    for guid_note, note in zip(note_guids, notes, strict=True):
        if note.get("about") not in texts:
            ET.SubElement(root, "NoteRef", {"targetGUID": guid_note})
    report.add(
        "documents",
        "documents",
        "ok",
        f"{plural(len(texts), 'interview')} as UTF-8 plain-text sources (positions in code "
        "points, as the standard asks)",
    )
    report.add(
        "codings",
        "codings",
        "ok",
        f"{plural(exported, 'coding')} by {plural(len(coders), 'coder')} (users), with memos",
    )
    if skipped:
        report.add(
            "codings",
            "codings",
            "skipped",
            f"{plural(len(skipped), 'coding')} pointed outside their document or at a missing "
            f"document: {listing(skipped)}",
        )
    if listed:
        report.add("notes", "notes", "ok", f"{plural(listed, 'note')} from project.yml")
    if kept:
        report.add(
            "project.yml",
            "settings",
            "converted",
            f"the project's settings ({listing(kept)}) kept in a project note titled "
            f"'{SETTINGS_NOTE}', so importing the file again restores them",
        )
    return root, files


def _cases(
    root: ET.Element,
    participants: pd.DataFrame | None,
    source_guids: dict[str, str],
    report: Report,
) -> None:
    """Write the participants as cases, their attributes as variables."""
    participants = participants if participants is not None else pd.DataFrame()
    variables = [c for c in participants.columns if c != "interview_id"]
    if "interview_id" in participants.columns and len(participants):
        if variables:
            variables_el = ET.SubElement(root, "Variables")
            types = {}
            for column in variables:
                types[column] = _variable_type([cell_text(v) for v in participants[column]])
                ET.SubElement(
                    variables_el,
                    "Variable",
                    {
                        "guid": new_guid("variable", column),
                        "name": xml_safe(column),
                        "typeOfVariable": types[column],
                    },
                )
        cases = ET.SubElement(root, "Cases")
        ids = participants["interview_id"].map(cell_text)
        several = set(ids[ids.duplicated()])
        for number, record in enumerate(participants.to_dict("records")):
            interview_id = cell_text(record["interview_id"])
            # One case per person: an interview with several people (a focus group)
            # has a case for each, named by their label in the transcript.
            label = cell_text(record.get("speaker")) or cell_text(record.get("name"))
            name, key = interview_id, ("case", interview_id)
            if interview_id in several:
                name = label or f"{interview_id} ({number + 1})"
                key = ("case", interview_id, label, number)
            case = ET.SubElement(cases, "Case", {"guid": new_guid(*key), "name": xml_safe(name)})
            for column in variables:
                value = xml_safe(record[column])
                if not value:
                    continue
                holder = ET.SubElement(case, "VariableValue")
                ET.SubElement(
                    holder,
                    "VariableRef",
                    {"targetGUID": new_guid("variable", column)},
                )
                ET.SubElement(holder, f"{types[column]}Value").text = value
            if interview_id in source_guids:
                ET.SubElement(case, "SourceRef", {"targetGUID": source_guids[interview_id]})
        report.add(
            "participants",
            "cases",
            "ok",
            f"{plural(len(participants), 'participant')} as cases with "
            f"{plural(len(variables), 'variable')}",
        )


def _not_carried(project: Project, report: Report) -> None:
    """Tell the user what stays behind in the project's own files."""
    codebook = codebook_table(project.codebook)
    if codebook[["include", "exclude", "example"]].ne("").any().any():
        report.add(
            "codebook",
            "codes",
            "converted",
            "inclusion and exclusion criteria and examples were added to each code's description "
            "(the only place other tools show them)",
        )
    rules = getattr(project.codebook, "rules", None)
    count = len(rules) if rules is not None and hasattr(rules, "__len__") else 0
    if count:
        report.add(
            "codebook.yml",
            "rules",
            "not carried",
            f"{plural(count, 'coding rule')} stay in the project's codebook.yml: REFI-QDA has "
            "no place for them",
        )
    for table, file in (
        (project.stakeholders, "stakeholders.csv"),
        (project.connections, "connections.csv"),
        (project.votes, "votes.csv"),
    ):
        if table is not None and len(table):
            report.add(
                file,
                "energy",
                "not carried",
                f"{plural(len(table), 'row')} stay in {file}: REFI-QDA has no place for "
                "energy mapping",
            )
    segments = project.segments
    if segments is not None and len(segments):
        timed = any(
            c in segments.columns and segments[c].notna().any() and (segments[c] != "").any()
            for c in ("t_start", "t_end")
        )
        speakers = (
            "speaker" in segments.columns and (segments["speaker"].map(cell_text) != "").any()
        )
        if timed or speakers:
            what = " and ".join(
                w for w, flag in (("speakers", speakers), ("timings", timed)) if flag
            )
            report.add(
                "segments",
                "segments",
                "not carried",
                f"speaker turns (with their {what}) stay in the project: other tools get the "
                "plain text, and an import finds the turns again",
            )


def _exported(project: Project) -> tuple[ET.Element, list[tuple[str, str]], Report]:
    """Return the project's XML root, the source files to pack and the carry-over report."""
    report = Report()
    root, files = _project_xml(project, report)
    _not_carried(project, report)
    return root, files, report


def qdpx_carry_over(project: Project) -> pd.DataFrame:
    """Return what :func:`write_qdpx` carries over into a ``.qdpx`` and what stays behind.

    The same export as :func:`write_qdpx`, worked out in memory: nothing is
    written.  Call it before writing to see what other tools will get, or
    after, to keep a record beside the file.  What has no place in the
    REFI-QDA standard (coding rules, energy mapping, speaker turns and
    timings) is named with the file it stays in.

    Parameters
    ----------
    project
        The project, e.g. from :func:`~toolkit.model.project.open_project`.

    Returns
    -------
    pandas.DataFrame
        One row per finding, with the columns ``file, kind, status, detail``
        (:data:`~toolkit.refi.report.REPORT_COLUMNS`).  ``status`` is ``ok``
        (carried over), ``converted``, ``warning`` (e.g. a colour other tools
        cannot read), ``skipped`` or ``not carried`` (stays in the project's
        own files).

    Raises
    ------
    RefiError
        If the project cannot be exported (e.g. two documents share an id),
        as :func:`write_qdpx` would.

    Examples
    --------
    >>> import toolkit as tk
    >>> report = tk.qdpx_carry_over(tk.sample_project())
    >>> list(report.columns)
    ['file', 'kind', 'status', 'detail']
    >>> "documents" in set(report.kind)
    True
    """
    *_, report = _exported(project)
    return report.table()


def write_qdpx(project: Project, path: str | Path) -> Path:
    """Write a project as a REFI-QDA project file (``.qdpx``) for other tools.

    Each interview becomes a plain-text source (UTF-8, positions in Unicode
    code points as the standard asks), each code a code (themes become groups
    that cannot be coded), each coder a user, each coding a text selection
    with its memo, and each participant a case with variables.  The file is
    checked against the REFI-QDA schema and written atomically.  What does
    not carry over stays in the project's own files:
    :func:`qdpx_carry_over` says what.

    Parameters
    ----------
    project
        The project, e.g. from :func:`~toolkit.model.project.open_project`.
    path
        The ``.qdpx`` file to write.

    Returns
    -------
    Path
        The file written.

        Changed in this release: ``write_qdpx`` returns the Path, like every
        writer; it used to return the carry-over report, which is now
        :func:`qdpx_carry_over` (``tk.qdpx_carry_over(project)``).

    Raises
    ------
    RefiError
        If the project cannot be exported (e.g. two documents share an id).

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> project = tk.sample_project()
    >>> path = tk.write_qdpx(project, pathlib.Path(tempfile.mkdtemp()) / "sample.qdpx")
    >>> path.name
    'sample.qdpx'
    >>> report = tk.qdpx_carry_over(project)
    >>> "documents" in set(report.kind)
    True
    """
    path = Path(path)
    root, files, _ = _exported(project)
    xml = serialise(root, PROJECT_NS, "Project.xsd")
    with (
        atomic_open(path, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", xml)
        for name, text in files:
            archive.writestr(name, text.encode("utf-8"))
    return path
