"""The sources of a REFI-QDA project: finding each text in the archive and its selections.

A source's text may be inside the project file (``PlainTextContent``), in a
plain-text file in the archive (``plainTextPath``: any encoding, with or
without a byte-order mark) or only in a Word file (``richTextPath``).  Tools
spell the paths differently (``internal://``, ``sources/`` or ``Sources/``,
relative or absolute paths); :class:`SourceReader` finds the entry whatever
the spelling, and never opens a file outside the archive.  A PDF source's
text representation is read like a text source; pictures, PDF areas, audio
and video are named in the report as not carried.

:class:`SourceReader` is a part of :class:`~toolkit.refi.reader.ProjectReader`;
each source becomes a :class:`PendingSource` whose selections are placed in
:mod:`toolkit.refi.selections` once the way of counting positions is known.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import numpy as np

from toolkit.errors import ToolkitError
from toolkit.io.files import decode_bytes
from toolkit.refi.archive import docx_text, entry_name
from toolkit.refi.counting import SourceText, selection_name
from toolkit.refi.elements import (
    child_elements,
    first_child,
    guid_of,
    local_name,
    new_guid,
    safe_name,
    text_of,
)
from toolkit.wording import plural

__all__ = ["PendingSource", "Selection", "SourceReader"]

_BOM = b"\xef\xbb\xbf"
#: The encoding recorded for text held in the project file itself.
IN_PROJECT_FILE = "qde (XML)"
#: The encoding recorded for text read from a Word file.
IN_WORD_FILE = "docx (XML)"


@dataclass
class Selection:
    """A ``PlainTextSelection``: a span of a source, with its codings and notes.

    ``start`` and ``end`` are as the file gives them (-1 when unreadable);
    ``codings`` holds (code GUID, user GUID, note GUIDs) for each coding.
    """

    guid: str
    start: int
    end: int
    name: str
    user: str
    memo: list[str]
    codings: list[tuple[str, str, list[str]]]  # (code guid, user guid, note guids)
    notes: list[str]


@dataclass
class PendingSource:
    """A source whose text is read and whose selections wait to be placed in it.

    ``starts``, ``ends`` and ``names`` are its selections' positions and names,
    as :func:`~toolkit.refi.counting.choose_counting` reads them.
    """

    guid: str
    name: str
    interview_id: str
    origin: str
    text: SourceText
    user: str
    selections: list[Selection]
    encoding: str = "utf-8"
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    names: list[str] = field(default_factory=list)


class SourceReader:
    """Read a project's sources: a part of :class:`~toolkit.refi.reader.ProjectReader`.

    It uses the reader's archive, root element, report and collections, and
    its :meth:`variable_value` and :meth:`note_about`; it fills ``sources``,
    ``source_attributes``, ``source_of_selection`` and ``extra_notes``.
    """

    def read_sources(self) -> None:
        """Read every source; name those the toolkit cannot carry (pictures, media)."""
        sources = first_child(self.root, "Sources")
        skipped: dict[str, int] = {}
        lost = 0
        for element in [] if sources is None else list(sources):
            kind = local_name(element.tag)
            if kind == "TextSource":
                self._text_source(element, element.get("name") or _path_stem(element))
                continue
            representation = first_child(element, "Representation")
            if kind == "PDFSource" and representation is not None:
                # The PDF's text representation carries its text codings.
                self._text_source(representation, element.get("name") or "", kind="PDF's text")
            else:
                skipped[kind] = skipped.get(kind, 0) + 1
            lost += sum(
                1
                for node in element.iter()
                if local_name(node.tag)
                in (
                    "PictureSelection",
                    "PDFSelection",
                    "AudioSelection",
                    "VideoSelection",
                    "TranscriptSelection",
                )
            )
        if skipped or lost:
            kinds = ", ".join(
                plural(n, k.replace("Source", " source").lower()) for k, n in skipped.items()
            )
            self.report.add(
                "sources",
                "not carried",
                "not carried",
                f"{kinds or 'PDF areas'}: the toolkit codes text only"
                + (
                    f"; {plural(lost, 'coding')} on pictures, PDF areas or media not imported"
                    if lost
                    else ""
                ),
            )

    def source_bytes(self, element: ET.Element, label: str) -> tuple[bytes, str, bool] | None:
        """Find a source's plain text (or, failing that, Word) file in the archive."""
        plain = element.get("plainTextPath")
        rich = element.get("richTextPath")
        if plain:
            info = self._find_entry(plain, label)
            if info is not None:
                data = self.archive.read(info)
                if data.strip(b"\xef\xbb\xbf \t\r\n") or not rich:
                    return data, entry_name(info.filename), False
                # NVivo can export an empty plain-text file beside the Word file.
        if rich and rich.lower().split("?")[0].endswith(".docx"):
            info = self._find_entry(rich, label)
            if info is not None:
                return self.archive.read(info), entry_name(info.filename), True
        return None

    def _find_entry(self, reference: str, label: str) -> zipfile.ZipInfo | None:
        """Find the archive entry a source path points to, whatever the tool's spelling."""
        scheme, sep, rest = reference.strip().partition("://")
        if not sep:
            scheme, rest = "internal", reference.strip()
        rest = entry_name(rest).lstrip("/")
        names = [rest, unquote(rest)]
        if scheme.lower() == "internal":
            for name in names:
                candidates = [f"sources/{name}", name]
                if self.base:
                    candidates = [f"{self.base}/{c}" for c in candidates] + candidates
                for candidate in candidates:
                    info = self.archive.get(candidate)
                    if info is not None and not info.is_dir():
                        return info
        # Relative and absolute paths point outside the archive.  Never open
        # them; a tool may still have packed a copy, found by its file name.
        for name in names:
            matches = self.archive.by_base.get(PurePosixPath(name).name.casefold(), [])
            if len(matches) == 1:
                if scheme.lower() != "internal":
                    self.report.add(
                        label,
                        "document",
                        "warning",
                        f"the source points outside the archive ({reference}); used the copy "
                        f"inside it ({matches[0].filename})",
                    )
                return matches[0]
        return None

    def _text_source(self, element: ET.Element, name: str, kind: str = "text") -> None:
        guid = guid_of(element.get("guid")) or new_guid("source", name, len(self.sources))
        label = name or guid
        interview_id = safe_name(name, f"source-{len(self.sources) + 1}", self.taken_ids)
        selections = [
            self._read_selection(s) for s in child_elements(element, "PlainTextSelection")
        ]
        coded = sum(len(s.codings) for s in selections)
        try:
            raw, origin, had_bom, encoding = self._source_text(element, label)
        except ToolkitError as exc:
            self.taken_ids.discard(interview_id.casefold())
            self.report.add(
                label,
                "document",
                "skipped",
                f"cannot read its text ({exc.message})"
                + (f"; {plural(coded, 'coding')} on it lost" if coded else ""),
            )
            return
        if raw is None or not raw.strip():
            self.taken_ids.discard(interview_id.casefold())
            self.report.add(
                label,
                "document",
                "skipped",
                (
                    "its text is not in the archive (no plain-text or Word file found)"
                    if raw is None
                    else "its text is empty"
                )
                + (f"; {plural(coded, 'coding')} on it lost" if coded else ""),
            )
            return
        for value in child_elements(element, "VariableValue"):
            pair = self.variable_value(value)
            if pair:
                self.source_attributes.setdefault(interview_id, {})[pair[0]] = pair[1]
        description = text_of(first_child(element, "Description")).strip()
        if description:
            self.extra_notes.append(
                {"title": f"Description of {label}", "text": description, "about": interview_id}
            )
        for ref in child_elements(element, "NoteRef"):
            self.note_about(guid_of(ref.get("targetGUID")), interview_id)
        for selection in selections:
            self.source_of_selection[selection.guid] = interview_id
        source = PendingSource(
            guid=guid,
            name=label,
            interview_id=interview_id,
            origin=f"{self.file}:{origin}" if origin else self.file,
            text=SourceText(raw, had_bom),
            user=guid_of(element.get("creatingUser")),
            selections=selections,
            encoding=encoding,
        )
        source.starts = np.array([s.start for s in selections], dtype=np.int64)
        source.ends = np.array([s.end for s in selections], dtype=np.int64)
        source.names = [selection_name(s.name) for s in selections]
        self.sources.append(source)
        if kind != "text":
            self.report.add(label, "document", "converted", f"imported the {kind} only")

    def _source_text(self, element: ET.Element, label: str) -> tuple[Any, str, bool, str]:
        """Return a source's text (None if not found), where it was, a BOM flag, its encoding."""
        content = first_child(element, "PlainTextContent")
        if content is not None and text_of(content).strip():
            return text_of(content), "the project file (PlainTextContent)", False, IN_PROJECT_FILE
        found = self.source_bytes(element, label)
        if found is None:
            return None, "", False, ""
        data, origin, docx = found
        if docx:
            raw = docx_text(data, origin)
            self.report.add(
                label,
                "document",
                "converted",
                f"no plain text in the archive: read the text of the Word file {origin}",
            )
            return raw, origin, False, IN_WORD_FILE
        had_bom = data.startswith(_BOM)
        raw, encoding = decode_bytes(data, path=origin)
        if raw.startswith("\ufeff"):
            raw, had_bom = raw[1:], True
        if encoding not in ("utf-8", "utf-8 with BOM"):
            self.report.add(
                label,
                "document",
                "warning",
                f"the plain text was {encoding}, not UTF-8 as the standard asks; read as such",
            )
        return raw, origin, had_bom, encoding

    def _read_selection(self, element: ET.Element) -> Selection:
        def number(attribute: str) -> int:
            try:
                return int(element.get(attribute, ""))
            except ValueError:
                return -1

        codings = []
        for coding in child_elements(element, "Coding"):
            ref = first_child(coding, "CodeRef")
            notes = [guid_of(n.get("targetGUID")) for n in child_elements(coding, "NoteRef")]
            codings.append(
                (
                    guid_of(None if ref is None else ref.get("targetGUID")),
                    guid_of(coding.get("creatingUser")),
                    notes,
                )
            )
        guid = guid_of(element.get("guid"))
        memo = text_of(first_child(element, "Description")).strip()
        return Selection(
            guid=guid,
            start=number("startPosition"),
            end=number("endPosition"),
            name=element.get("name") or "",
            user=guid_of(element.get("creatingUser") or element.get("modifyingUser")),
            memo=[memo] if memo else [],
            codings=codings,
            notes=[guid_of(n.get("targetGUID")) for n in child_elements(element, "NoteRef")]
            + self.links.get(guid, []),
        )


def _path_stem(element: ET.Element) -> str:
    """Return the file name a source points to, for sources without a name."""
    reference = element.get("plainTextPath") or element.get("richTextPath") or ""
    return unquote(PurePosixPath(entry_name(reference.partition("://")[2] or reference)).stem)
