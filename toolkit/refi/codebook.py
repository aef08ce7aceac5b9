"""REFI-QDA codebooks: codes to and from ``Code`` elements, and ``.qdc`` files.

A codebook alone travels as a ``.qdc`` file (:func:`read_qdc`,
:func:`write_qdc`); inside a project it is the ``CodeBook`` element, read and
written by the same :func:`codes_to_table` and :func:`code_elements`.  Codes
keep their hierarchy, colour and definition; inclusion and exclusion criteria
and examples are added to the description, where other tools show them, and
split out again on import.  Themes are top-level groups that cannot be coded.

Examples
--------
>>> _split_description("Getting there.\\n\\nInclude: taxis")["include"]
'taxis'
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from toolkit.colour_names import CSS_COLOURS, HEX_COLOUR
from toolkit.errors import CodebookError, RefiError
from toolkit.io.files import atomic_open, require_file
from toolkit.model.codebook import Codebook, as_codebook
from toolkit.refi.archive import parse_xml
from toolkit.refi.elements import (
    CODEBOOK_NS,
    ORIGIN,
    child_elements,
    first_child,
    guid_of,
    local_name,
    new_guid,
    serialise,
    text_of,
    xml_safe,
)
from toolkit.refi.report import Report
from toolkit.tables import CODEBOOK, check_codebook
from toolkit.wording import listing, plural

__all__ = ["code_elements", "codebook_table", "codes_to_table", "read_qdc", "write_qdc"]

_CRITERIA = (("include", "Include"), ("exclude", "Exclude"), ("example", "Example"))


def _split_description(description: str) -> dict[str, str]:
    """Split a code's description into definition and the criteria this module adds."""
    parts = {"definition": description, "include": "", "exclude": "", "example": ""}
    for column, label in reversed(_CRITERIA):
        marker = f"\n\n{label}: "
        head, found, tail = parts["definition"].rpartition(marker)
        if not found and parts["definition"].startswith(f"{label}: "):
            head, found, tail = "", True, parts["definition"][len(label) + 2 :]
        if found and not parts[column]:
            parts["definition"], parts[column] = head, tail
    return parts


def _join_description(row: dict[str, str]) -> str:
    """Return a code's description: its definition, then the criteria, each labelled."""
    text = row.get("definition", "")
    for column, label in _CRITERIA:
        if row.get(column):
            text += f"\n\n{label}: {row[column]}"
    return text.strip("\n")


def codes_to_table(
    elements: list[ET.Element], used: set[str], note_text: Any = None
) -> tuple[pd.DataFrame, dict[str, str], list[tuple[str, str]]]:
    """Turn REFI ``Code`` elements into a codebook table and a GUID -> code map.

    ``used`` holds the GUIDs of codes that codings refer to (a top-level group
    that cannot be coded and is not used becomes a theme); ``note_text``, if
    given, returns the texts of notes (by GUID), added to the definitions.
    Also returns the findings for the report, as (status, detail) pairs.
    """
    rows: list[dict[str, str]] = []
    guid_to_code: dict[str, str] = {}
    report: list[tuple[str, str]] = []
    names: set[str] = set()
    renamed, categories, noted, themes = [], 0, 0, []
    bad_colours = 0

    def unique(name: str, parent: str) -> str:
        candidate = name
        if candidate.casefold() in names and parent:
            candidate = f"{name} ({parent})"
        number = 2
        while candidate.casefold() in names:
            candidate, number = f"{name} ({number})", number + 1
        names.add(candidate.casefold())
        if candidate != name:
            renamed.append(f"'{name}' -> '{candidate}'")
        return candidate

    def walk(element: ET.Element, parent: str, theme: str) -> None:
        nonlocal categories, noted, bad_colours
        guid = guid_of(element.get("guid"))
        name = (element.get("name") or "").strip() or "unnamed code"
        children = child_elements(element, "Code")
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        if not parent and not theme and not codable and children and guid not in used:
            # A top-level group that cannot be coded is a theme.
            themes.append(name)
            for child in children:
                walk(child, "", name)
            return
        if not codable:
            categories += 1
        parts = _split_description(text_of(first_child(element, "Description")).strip())
        if note_text is not None:
            extra = note_text(
                guid_of(n.get("targetGUID")) for n in child_elements(element, "NoteRef")
            )
            if extra:
                noted += 1
                parts["definition"] = "\n\n".join(filter(None, [parts["definition"], *extra]))
        color = (element.get("color") or "").strip()
        if color and not HEX_COLOUR.fullmatch(color):
            bad_colours += 1
            color = ""
        code = unique(name, parent)
        guid_to_code[guid] = code
        rows.append({"code": code, "theme": theme, "parent": parent, **parts, "color": color})
        for child in children:
            walk(child, code, theme)

    for element in elements:
        walk(element, "", "")
    table = pd.DataFrame(rows, columns=CODEBOOK.names).astype(object)
    detail = f"{plural(len(rows), 'code')} with their hierarchy, colour and description"
    if themes:
        detail += f"; {plural(len(themes), 'top-level group')} became themes: {listing(themes)}"
    report.append(("ok", detail))
    if renamed:
        report.append(
            (
                "warning",
                f"{plural(len(renamed), 'code name')} appeared more than once in the hierarchy; "
                f"renamed to keep codes apart: {listing(renamed)}",
            )
        )
    if categories:
        report.append(
            (
                "converted",
                f"{plural(categories, 'category', 'categories')} marked as not for coding became "
                "codes (the toolkit lets any code group others)",
            )
        )
    if noted:
        report.append(("converted", f"notes on {plural(noted, 'code')} added to the definitions"))
    if bad_colours:
        report.append(
            ("warning", f"{plural(bad_colours, 'colour')} not in #RRGGBB form were left out")
        )
    return table, guid_to_code, report


def codebook_table(codebook: Any) -> pd.DataFrame:
    """Return the codebook table to export, from a Codebook, a codebook table or None.

    The codebook is read with :func:`~toolkit.model.codebook.as_codebook`.  A
    table it refuses (a parent that is not a code, parents in a circle, a
    colour that is not one) is still exported, in the codebook table's shape:
    the export names what it leaves out rather than refusing the project.

    Raises
    ------
    RefiError
        If ``codebook`` is not a codebook, or a table without a ``code`` column.
    """
    try:
        return as_codebook(codebook).table
    except CodebookError as exc:
        if isinstance(codebook, pd.DataFrame) and "code" in codebook.columns:
            return check_codebook(codebook)
        raise RefiError(exc.message, hint=exc.hint) from None


def code_elements(
    parent: ET.Element, table: pd.DataFrame, report: Report | None = None
) -> dict[str, str]:
    """Write codes as nested REFI ``Code`` elements; return code -> GUID.

    A code sits under its parent code; a code without a parent sits under its
    theme, written as a top-level group that cannot be coded.
    """
    rows = table.to_dict("records")
    codes = {row["code"] for row in rows}
    children: dict[str, list[dict]] = {}
    themes: dict[str, list[dict]] = {}
    top: list[dict] = []
    orphans, mixed = [], []
    for row in rows:
        parent_code = row["parent"]
        if parent_code and parent_code in codes and parent_code != row["code"]:
            children.setdefault(parent_code, []).append(row)
            continue
        if parent_code:
            orphans.append(row["code"])
        if row["theme"]:
            themes.setdefault(row["theme"], []).append(row)
        else:
            top.append(row)
    guids: dict[str, str] = {}

    def write(container: ET.Element, row: dict, inherited: str) -> None:
        if row["code"] in guids:
            return
        if row["theme"] != inherited:
            mixed.append(row["code"])
        guid = guids[row["code"]] = new_guid("code", row["code"])
        attributes = {"guid": guid, "name": xml_safe(row["code"]), "isCodable": "true"}
        color = row["color"].strip()
        color = CSS_COLOURS.get(color.lower(), color)
        if HEX_COLOUR.fullmatch(color):
            attributes["color"] = color
        elif color and report is not None:
            report.add(
                "codebook",
                "codes",
                "warning",
                f"code '{row['code']}': colour '{color}' is neither #RRGGBB nor a CSS colour "
                "name; left out",
            )
        element = ET.SubElement(container, "Code", attributes)
        description = xml_safe(_join_description(row))
        if description:
            ET.SubElement(element, "Description").text = description
        for child in children.get(row["code"], []):
            write(element, child, inherited)

    # Keep the codebook's order: each theme where its first code is.
    for row in rows:
        if row in top:
            write(parent, row, "")
        elif row["theme"] in themes:
            theme = row["theme"]
            group = ET.SubElement(
                parent,
                "Code",
                {"guid": new_guid("theme", theme), "name": xml_safe(theme), "isCodable": "false"},
            )
            for member in themes.pop(theme):
                write(group, member, theme)
    # Codes caught in a circle of parents are written at the top level.
    for row in rows:
        if row["code"] not in guids:
            orphans.append(row["code"])
            write(parent, row, row["theme"])
    if report is not None and orphans:
        report.add(
            "codebook",
            "codes",
            "warning",
            f"{plural(len(orphans), 'code')} whose parent is not a code (or in a circle of "
            f"parents) written without a parent: {listing(orphans)}",
        )
    if report is not None and mixed:
        report.add(
            "codebook",
            "codes",
            "warning",
            f"{plural(len(mixed), 'code')} in another theme than their parent; REFI-QDA keeps "
            f"the parent, so on import they take the parent's theme: {listing(mixed)}",
        )
    return guids


def read_qdc(path: str | Path) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) from another tool.

    Codes keep their hierarchy (``parent``), colour and description
    (``definition``; inclusion and exclusion criteria and examples written by
    :func:`write_qdc` are split back out).  Top-level groups that cannot be
    coded become themes; so do sets (ATLAS.ti's code groups) when each code
    is in one set at most.  Anything else that cannot carry over is named in
    a warning.

    Returns
    -------
    Codebook
        The codebook (``.table`` is the codebook table).

    Raises
    ------
    RefiError
        If the file is not a REFI-QDA codebook or holds unsafe XML.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, toolkit as tk
    >>> table = pd.DataFrame({"code": ["transport", "lifts"], "theme": ["Getting home"] * 2,
    ...                       "parent": ["", "transport"], "color": ["#1f77b4", ""]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codes.qdc"
    >>> _ = tk.write_qdc(table, path)
    >>> tk.read_qdc(path).table[["code", "theme", "parent"]].values.tolist()
    [['transport', 'Getting home', ''], ['lifts', 'Getting home', 'transport']]
    """
    path = require_file(
        path,
        "a .qdc codebook file",
        "check the path; export a REFI-QDA codebook from the other tool first",
        RefiError,
    )
    data = path.read_bytes()
    if data.startswith(b"PK"):
        raise RefiError(
            "expected a codebook (.qdc, XML), but this is a zip archive, probably a project",
            path=path,
            hint="read projects (.qdpx) with read_qdpx",
        )
    root = parse_xml(data, path, "the codebook")
    if local_name(root.tag) != "CodeBook":
        raise RefiError(
            f"expected a REFI-QDA <CodeBook>, but found <{local_name(root.tag)}>",
            path=path,
            hint="export a REFI-QDA codebook (.qdc) from the other tool",
        )
    codes = first_child(root, "Codes")
    table, guids, report = codes_to_table(
        [] if codes is None else child_elements(codes, "Code"), used=set()
    )
    sets = first_child(root, "Sets")
    if sets is not None and len(sets):
        membership: dict[str, list[str]] = {}
        for item in child_elements(sets, "Set"):
            for member in child_elements(item, "MemberCode"):
                code = guids.get(guid_of(member.get("guid") or member.get("targetGUID")))
                if code:
                    membership.setdefault(code, []).append(item.get("name") or "set")
        if membership and all(len(v) == 1 for v in membership.values()):
            table["theme"] = [
                t or membership.get(c, [t])[0]
                for c, t in zip(table["code"], table["theme"], strict=True)
            ]
            report.append(("converted", f"{plural(len(sets), 'set')} of codes became themes"))
        else:
            report.append(
                (
                    "not carried",
                    f"{plural(len(sets), 'set')} of codes (a code in several sets) "
                    "have no place in the toolkit",
                )
            )
    problems = [detail for status, detail in report if status in ("warning", "not carried")]
    if problems:
        warnings.warn(f"{path.name}: " + "; ".join(problems), stacklevel=2)
    return as_codebook(table)


def write_qdc(codebook: Codebook | pd.DataFrame, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook file (``.qdc``) for other tools.

    Codes keep their hierarchy, colour and definition; inclusion and exclusion
    criteria and examples are added to the description, where other tools
    show them.  Themes become top-level groups that cannot be coded.  Coding
    rules have no place in the standard and stay in the project's
    ``codebook.yml``.  The file is checked against the REFI-QDA schema.

    Parameters
    ----------
    codebook
        A :class:`~toolkit.model.codebook.Codebook` or a codebook table.
    path
        The ``.qdc`` file to write.

    Returns
    -------
    Path
        The file written.
    """
    table = codebook_table(codebook)
    if not len(table):
        raise RefiError(
            "expected a codebook with at least one code, but it is empty",
            hint="add codes first; a REFI-QDA codebook must hold one or more",
        )
    root = ET.Element("CodeBook", {"origin": f"{ORIGIN} (Follow the Energy)"})
    codes = ET.SubElement(root, "Codes")
    code_elements(codes, table)
    xml = serialise(root, CODEBOOK_NS, "Codebook.xsd")
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        handle.write(xml)
    return path
