"""Move projects to and from other qualitative analysis tools (REFI-QDA).

The REFI-QDA standard (QDA-XML 1.0) is the exchange format of NVivo,
ATLAS.ti, MAXQDA, QualCoder and others.  A project travels as a ``.qdpx``
file: a zip holding an XML file (``project.qde``) and a ``sources/`` folder
with each document's plain text.  A codebook alone travels as a ``.qdc`` file.

:func:`read_qdpx` turns a ``.qdpx`` into a :class:`~toolkit.project.Project`
and :func:`write_qdpx` writes one; :func:`read_qdc` and :func:`write_qdc` do
the same for codebooks.  What carries over:

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
  project's settings (``project.yml``) and listed in the report.

Positions are the hard part.  The standard counts them in Unicode code points
from 0 in the UTF-8 plain text, but real exports do not always do so: some
count UTF-16 code units (so every emoji shifts what follows by one), some
count a Windows line break as two characters where the text has one, or one
where it has two, and some count the byte-order mark.  The importer tries each
way of counting, keeps the one that puts the selections inside the text and
on word boundaries, converts to code points and says what it did in the
report (``project.report``).

A ``.qdpx`` comes from outside, so it is read defensively: entries whose
paths leave the archive, implausibly large or compressed archives and XML
with a document type declaration (entities) are refused with a
:class:`~toolkit.errors.RefiError`.  Nothing is ever extracted to disk, and
sources the project points to outside the archive are never opened.

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
>>> report = tk.write_qdpx(project, path)
>>> back = tk.read_qdpx(path)
>>> text = back.documents.text[0]
>>> [text[s:e] for s, e in zip(back.codings.start, back.codings.end)]
['The driver']
"""

from __future__ import annotations

import io
import re
import stat
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from toolkit.errors import RefiError, ToolkitError
from toolkit.io.files import atomic_open, decode_bytes
from toolkit.io.files import cell_text as _cell
from toolkit.model.codebook import CODEBOOK_COLUMNS
from toolkit.model.codings import CODING_COLUMNS
from toolkit.model.project import Project

__all__ = [
    "REPORT_COLUMNS",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

#: Columns of the report :func:`read_qdpx` and :func:`write_qdpx` return.
REPORT_COLUMNS = ["file", "kind", "status", "detail"]

SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "start", "end", "text"]

# Limits for archives from outside.  A real project with hundreds of long
# interviews and their Word files is well under these; a zip bomb is not.
#: Most entries an archive may hold.
MAX_ENTRIES = 20_000
#: Largest uncompressed size of one entry, in bytes.
MAX_ENTRY_BYTES = 512 * 1024**2
#: Largest uncompressed size of all entries together, in bytes.
MAX_TOTAL_BYTES = 2 * 1024**3
#: Highest compression ratio accepted for an entry larger than RATIO_FLOOR bytes.
MAX_RATIO = 200
#: Entries smaller than this may compress as well as they like.
RATIO_FLOOR = 1024**2

# CSS colour names (which codebooks accept) as the #rrggbb that REFI-QDA requires.
_CSS_TABLE = """
    aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc
    bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a
    burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50
    cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b
    darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9
    darkkhaki:bdb76b darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00
    darkorchid:9932cc darkred:8b0000 darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b
    darkslategray:2f4f4f darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3
    deeppink:ff1493 deepskyblue:00bfff dimgray:696969 dimgrey:696969 dodgerblue:1e90ff
    firebrick:b22222 floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc
    ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f
    grey:808080 honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0
    khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd
    lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff lightgoldenrodyellow:fafad2
    lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 lightpink:ffb6c1 lightsalmon:ffa07a
    lightseagreen:20b2aa lightskyblue:87cefa lightslategray:778899 lightslategrey:778899
    lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32 linen:faf0e6
    magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd mediumorchid:ba55d3
    mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee mediumspringgreen:00fa9a
    mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970 mintcream:f5fffa
    mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6 olive:808000
    olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 palegoldenrod:eee8aa
    palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 papayawhip:ffefd5
    peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 purple:800080
    rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513
    salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee sienna:a0522d silver:c0c0c0
    skyblue:87ceeb slateblue:6a5acd slategray:708090 slategrey:708090 snow:fffafa
    springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 thistle:d8bfd8 tomato:ff6347
    turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff whitesmoke:f5f5f5 yellow:ffff00
    yellowgreen:9acd32
"""
_CSS_HEX = dict(item.split(":") for item in _CSS_TABLE.split())
_ORIGIN = "codesign-toolkit"
_GUID_NAMESPACE = uuid.UUID("6f1d8c3e-5b0a-4c1e-9d57-6a2f3b8e4c10")
_RGB = re.compile(r"^#(?:[A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}
_TEXT_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".md", ".htm", ".html")
_CRITERIA = (("include", "Include"), ("exclude", "Exclude"), ("example", "Example"))
_BOM = b"\xef\xbb\xbf"


# --------------------------------------------------------------------------
# Small helpers


def _local(tag: Any) -> str:
    """Return an element's name without its namespace (tools differ in versions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text_of(element: ET.Element | None) -> str:
    return "" if element is None or element.text is None else element.text


def _guid(value: str | None) -> str:
    """Normalise a GUID: some tools wrap it in braces or write it in capitals."""
    return (value or "").strip().strip("{}").lower()


def _new_guid(*parts: object) -> str:
    """Return a GUID derived from `parts`, so that the same export is the same file."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def _xml_safe(text: object) -> str:
    """Drop characters XML cannot hold (control characters) and use \\n line breaks."""
    value = _cell(text).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def _number(value: object) -> str:
    """Return a whole number as text whether it came as 3, 3.0 or '3'."""
    try:
        return str(int(float(_cell(value))))
    except ValueError:
        return _cell(value)


def _safe_name(name: str, fallback: str, taken: set[str], strip_suffix: bool = True) -> str:
    """Return a file-name-safe, unique (ignoring case) version of `name`."""
    stem = name.strip()
    for suffix in _TEXT_SUFFIXES if strip_suffix else ():
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = _UNSAFE_NAME.sub("-", stem).strip(" .-")[:100].strip(" .-") or fallback
    if stem.lower() in _WINDOWS_RESERVED:
        stem += "-1"
    candidate, number = stem, 2
    while candidate.casefold() in taken:
        candidate, number = f"{stem}-{number}", number + 1
    taken.add(candidate.casefold())
    return candidate


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _listing(names: Iterable[str], limit: int = 5) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class _Report:
    """Collect what carried over and what did not, one row per finding."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, file: str, kind: str, status: str, detail: str) -> None:
        self.rows.append({"file": file, "kind": kind, "status": status, "detail": detail})

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=REPORT_COLUMNS)


# --------------------------------------------------------------------------
# Reading archives and XML from outside, defensively


class _Archive:
    """A zip file from outside, checked before anything in it is read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_so_far = 0
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise RefiError(
                "expected a .qdpx file (a zip archive), but this is not a zip file",
                path=path,
                hint="export the project again from the other tool as a REFI-QDA project (.qdpx)",
            ) from None
        except OSError as exc:
            raise RefiError(f"cannot open the file: {exc.strerror or exc}", path=path) from None
        try:
            _check_entries(self.zip.infolist(), path)
        except RefiError:
            self.zip.close()
            raise
        self.by_name = {_entry_name(i.filename).casefold(): i for i in self.zip.infolist()}
        self.by_base: dict[str, list[zipfile.ZipInfo]] = {}
        for info in self.zip.infolist():
            base = PurePosixPath(_entry_name(info.filename)).name.casefold()
            self.by_base.setdefault(base, []).append(info)

    def __enter__(self) -> _Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def names(self) -> list[str]:
        return [_entry_name(i.filename) for i in self.zip.infolist() if not i.is_dir()]

    def get(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_name.get(name.casefold())

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """Read an entry, counting bytes as they come so that no header can lie."""
        limit = min(info.file_size, MAX_ENTRY_BYTES)
        chunks, count = [], 0
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(1024 * 1024):
                    count += len(chunk)
                    if count > limit or self.read_so_far + count > MAX_TOTAL_BYTES:
                        raise RefiError(
                            f"expected '{info.filename}' to hold at most {limit:,} bytes, but it "
                            "expands to more: the archive is damaged or built to exhaust memory "
                            "(a zip bomb)",
                            path=self.path,
                            hint="export the project again from the original tool",
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise RefiError(
                f"expected a readable archive, but '{info.filename}' is damaged ({exc})",
                path=self.path,
                hint="export the project again from the original tool",
            ) from None
        except NotImplementedError as exc:
            raise RefiError(
                f"'{info.filename}' uses a compression this reader does not support ({exc})",
                path=self.path,
                hint="export again with ordinary (deflate) compression",
            ) from None
        self.read_so_far += count
        return b"".join(chunks)


def _entry_name(name: str) -> str:
    return name.replace("\\", "/")


def _check_entries(infos: list[zipfile.ZipInfo], path: Path, what: str = "archive") -> None:
    """Refuse archives that could escape their folder or exhaust memory."""
    if len(infos) > MAX_ENTRIES:
        raise RefiError(
            f"expected a project {what} with at most {MAX_ENTRIES:,} files, but it holds "
            f"{len(infos):,}",
            path=path,
            hint="this is not a project export; check the file",
        )
    total = 0
    for info in infos:
        name = _entry_name(info.filename)
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise RefiError(
                f"expected paths inside the {what}, but the entry '{info.filename}' has an "
                "absolute path",
                path=path,
                hint="the file may have been crafted to write outside its folder; do not use it",
            )
        if ".." in name.split("/"):
            raise RefiError(
                f"expected paths inside the {what}, but the entry '{info.filename}' climbs out "
                "of it with '..'",
                path=path,
                hint="the file may have been crafted to write outside its folder (zip slip); "
                "do not use it",
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise RefiError(
                f"expected ordinary files in the {what}, but '{info.filename}' is a link",
                path=path,
                hint="export the project again from the original tool",
            )
        if info.flag_bits & 0x1:
            raise RefiError(
                f"expected an unencrypted {what}, but '{info.filename}' is encrypted",
                path=path,
                hint="export the project again without a password",
            )
        if info.file_size > MAX_ENTRY_BYTES:
            raise RefiError(
                f"expected files of at most {MAX_ENTRY_BYTES:,} bytes, but '{info.filename}' "
                f"declares {info.file_size:,} bytes uncompressed",
                path=path,
                hint="this looks like a zip bomb; do not use the file",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise RefiError(
                f"expected ordinary compression, but '{info.filename}' expands {ratio:,.0f} times "
                f"(to {info.file_size:,} bytes)",
                path=path,
                hint="this looks like a zip bomb; do not use the file",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise RefiError(
            f"expected at most {MAX_TOTAL_BYTES:,} bytes uncompressed, but the {what} declares "
            f"{total:,}",
            path=path,
            hint="this looks like a zip bomb; do not use the file",
        )


def _parse_xml(data: bytes, path: Path | str, what: str) -> ET.Element:
    """Parse XML from outside with defusedxml: no DTDs, no entities, nothing external."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RefiError(
            f"expected plain XML in {what}, but found a document type declaration or entities "
            f"({type(exc).__name__}); these can read files from this computer or exhaust memory",
            path=path,
            hint="REFI-QDA exports never need them; export the project again from the original "
            "tool",
        ) from None
    except ET.ParseError as exc:
        raise RefiError(
            f"expected well-formed XML in {what}, but the parser stopped: {exc}",
            path=path,
            line=exc.position[0] if getattr(exc, "position", None) else None,
            hint="export the project again; if it keeps failing, the other tool wrote broken XML",
        ) from None


def _docx_text(data: bytes, where: str) -> str:
    """Return a Word file's text, one paragraph a line, after the zip checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            _check_entries(inner.infolist(), Path(where), what="Word file")
    except zipfile.BadZipFile:
        raise RefiError(f"expected a Word (.docx) file, but '{where}' is not one") from None
    except RefiError as exc:
        raise RefiError(f"Word file: {exc.message}", hint=exc.hint) from None
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken files
        raise RefiError(f"cannot read the Word file '{where}': {exc}") from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


# --------------------------------------------------------------------------
# Positions: how a tool counted, and converting to code points


_UNITS = ("code points", "UTF-16 code units", "UTF-8 bytes")
_BREAKS = ("as in the file", "one", "two")


@dataclass(frozen=True)
class _Counting:
    """One way a tool may have counted positions."""

    unit: str = "code points"
    breaks: str = "as in the file"
    bom: bool = False

    @property
    def standard(self) -> bool:
        return self == _Counting()

    def describe(self) -> str:
        """Say, after "the other tool", how it counted."""
        parts = []
        if self.unit != "code points":
            parts.append(f"counted positions in {self.unit}, not in code points")
        if self.breaks == "one":
            parts.append("counted a Windows line break (CR LF) as one character")
        elif self.breaks == "two":
            parts.append("counted each line break as two characters (CR LF)")
        if self.bom:
            parts.append("counted the byte-order mark at the start of the file as a character")
        return " and ".join(parts) or "counted in code points, as the standard asks"


class _SourceText:
    """A source's text as found, and maps from any way of counting to the final text.

    The final text is the toolkit's normalised text: line breaks as ``\\n`` and
    Unicode NFC.  Each line break (CR LF, CR or LF) is one token, every other
    code point another, so a token's index is its position in the text with
    ``\\n`` line breaks.
    """

    def __init__(self, raw: str, had_bom: bool) -> None:
        self.had_bom = had_bom
        points = np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        is_cr, is_lf = points == 13, points == 10
        crlf = np.zeros(len(points), dtype=bool)
        crlf[:-1] = is_cr[:-1] & is_lf[1:]
        self.has_crlf = bool(crlf.any())
        if self.has_crlf:
            keep = np.ones(len(points), dtype=bool)
            keep[1:] = ~crlf[:-1]
            points, is_cr, is_lf, crlf = points[keep], is_cr[keep], is_lf[keep], crlf[keep]
        self.points = points
        self.is_break = is_cr | is_lf
        self.raw_width = crlf.astype(np.int8) + 1
        self.has_single_breaks = bool((self.is_break & ~crlf).any())
        self.non_ascii = bool((points > 127).any())
        self.astral = bool((points > 0xFFFF).any())
        lf_text = raw
        if self.has_crlf or is_cr.any():
            lf_points = np.where(self.is_break, 10, points).astype("<u4")
            lf_text = lf_points.tobytes().decode("utf-32-le", "surrogatepass")
        self.text, self.to_final, self.normalised = _nfc_with_map(lf_text)
        self._starts: dict[_Counting, np.ndarray] = {}

    def forget(self) -> None:
        """Drop the cached offsets of the ways of counting tried so far."""
        self._starts = {}

    def release(self) -> None:
        """Free the arrays once the positions are converted (keep the text)."""
        self.points = self.is_break = self.raw_width = self.to_final = None
        self._starts = {}

    def canonical(self, counting: _Counting) -> _Counting:
        """Return the simplest counting that gives this text the same positions."""
        unit = counting.unit
        if unit == "UTF-16 code units" and not self.astral:
            unit = "code points"
        if unit == "UTF-8 bytes" and not self.non_ascii:
            unit = "code points"
        breaks = counting.breaks
        if breaks == "one" and not self.has_crlf:
            breaks = "as in the file"
        if breaks == "two" and not self.has_single_breaks:
            breaks = "as in the file"
        return _Counting(unit, breaks, counting.bom and self.had_bom)

    def starts(self, counting: _Counting) -> np.ndarray:
        """Return the offset, in the tool's counting, where each token starts (and the end)."""
        if counting not in self._starts:
            points = self.points
            if counting.unit == "UTF-16 code units":
                widths = 1 + (points > 0xFFFF)
            elif counting.unit == "UTF-8 bytes":
                widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
            else:
                widths = np.ones(len(points), dtype=np.int8)
            if counting.breaks == "as in the file":
                widths = np.where(self.is_break, self.raw_width, widths)
            else:
                widths = np.where(self.is_break, 1 if counting.breaks == "one" else 2, widths)
            offset = (3 if counting.unit == "UTF-8 bytes" else 1) if counting.bom else 0
            starts = np.zeros(len(points) + 1, dtype=np.int64)
            np.cumsum(widths, out=starts[1:])
            self._starts[counting] = starts + offset
        return self._starts[counting]

    def convert(
        self, positions: np.ndarray, counting: _Counting, end: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Convert positions to the final text: (positions, out of range, inside a character)."""
        if self.to_final is None and not self.has_crlf and self.canonical(counting).standard:
            # The common case: the file's positions are already the final ones.
            outside = (positions < 0) | (positions > len(self.text))
            return np.clip(positions, 0, len(self.text)), outside, np.zeros_like(outside)
        starts = self.starts(counting)
        values = np.maximum(positions, starts[0]) if counting.bom else positions
        outside = (values < 0) | (values > starts[-1])
        clipped = np.clip(values, starts[0], starts[-1])
        token = np.searchsorted(starts, clipped, side="right") - 1
        inside = starts[token] != clipped
        # A boundary inside a character (half a surrogate pair, a byte of a
        # multi-byte character, between CR and LF) is moved outwards.
        if end:
            token = np.where(inside, token + 1, token)
        token = np.minimum(token, len(starts) - 1)
        final = token if self.to_final is None else self.to_final[token]
        return final, outside, inside & ~outside


def _nfc_with_map(text: str) -> tuple[str, np.ndarray | None, bool]:
    """Normalise `text` to NFC: the text, a map of old to new positions (None: the same), a flag."""
    if unicodedata.is_normalized("NFC", text):
        return text, None, False
    # Normalise cluster by cluster (a starter and its combining marks), so
    # that positions between clusters map exactly.
    out: list[str] = []
    mapping = np.empty(len(text) + 1, dtype=np.int64)
    position, start = 0, 0
    for index in range(1, len(text) + 1):
        if index < len(text) and (
            unicodedata.combining(text[index]) or 0x1160 <= ord(text[index]) <= 0x11FF
        ):
            continue
        cluster = text[start:index]
        normal = unicodedata.normalize("NFC", cluster)
        if normal == cluster:
            mapping[start:index] = position + np.arange(index - start)
        else:
            mapping[start:index] = position
        out.append(normal)
        position += len(normal)
        start = index
    mapping[len(text)] = position
    result = "".join(out)
    if result != unicodedata.normalize("NFC", text):
        # Composition across clusters (rare scripts): keep the text as found,
        # so that positions stay exact, rather than guess.
        return text, None, False
    return result, mapping, True


def _in_word(char: str) -> bool:
    # Accents written as combining marks belong to their word.
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _is_boundary(text: str, position: int) -> bool:
    """Say whether a position is at a word boundary (where people start and end codings)."""
    if position <= 0 or position >= len(text):
        return True
    return not (_in_word(text[position - 1]) and _in_word(text[position]))


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class _Score:
    outside: int = 0
    inside: int = 0
    hits: int = 0

    def __iadd__(self, other: _Score) -> _Score:
        self.outside += other.outside
        self.inside += other.inside
        self.hits += other.hits
        return self


def _score(source: _PendingSource, counting: _Counting) -> _Score:
    """Score how plausibly `counting` is the tool's way of counting in this source."""
    text = source.text.text
    starts, out_s, in_s = source.text.convert(source.starts, counting, end=False)
    ends, out_e, in_e = source.text.convert(source.ends, counting, end=True)
    score = _Score(int((out_s | out_e).sum()), int((in_s | in_e).sum()))
    for start, end, name in zip(starts, ends, source.names, strict=True):
        start, end = int(start), int(end)
        score.hits += _is_boundary(text, start) + _is_boundary(text, end)
        # People code words, not the spaces around them.
        if start < end:
            score.hits += (not text[start].isspace()) + (not text[end - 1].isspace())
        # ATLAS.ti and others name a selection after its first words: strong evidence.
        if name and _squash(text[start:end]).startswith(name):
            score.hits += 4
    return score


def _differs(source: _PendingSource, a: _Counting, b: _Counting) -> int:
    """Count the selection boundaries that two countings place differently."""
    if source.text.canonical(a) == source.text.canonical(b):
        return 0
    count = 0
    for positions, end in ((source.starts, False), (source.ends, True)):
        first = source.text.convert(positions, a, end)[0]
        second = source.text.convert(positions, b, end)[0]
        count += int((first != second).sum())
    return count


def _better(candidate: _Score, baseline: _Score, differing: int) -> bool:
    """Decide whether a non-standard counting clearly beats the standard one."""
    if candidate.outside != baseline.outside:
        return candidate.outside < baseline.outside
    if candidate.inside > baseline.inside:
        return False
    # Demand a clear margin: by chance a wrong counting can land a few
    # selections on word boundaries too.
    return candidate.hits - baseline.hits >= max(2, -(-differing // 4))


def _candidates(sources: list[_PendingSource]) -> list[_Counting]:
    seen: list[_Counting] = []
    for unit in _UNITS:
        for breaks in _BREAKS:
            for bom in (False, True):
                counting = _Counting(unit, breaks, bom)
                if any(s.text.canonical(counting) == counting for s in sources) and (
                    counting not in seen
                ):
                    seen.append(counting)
    return seen


def _choose_counting(sources: list[_PendingSource]) -> dict[str, _Counting]:
    """Choose, for each source, the way its positions were counted."""
    standard = _Counting()
    coded = [s for s in sources if len(s.starts)]
    chosen = {s.guid: standard for s in sources}
    if not coded:
        return chosen
    candidates = [standard, *(c for c in _candidates(coded) if not c.standard)]
    # Score every way of counting on each source in turn, freeing the source's
    # arrays before the next, so memory stays that of one source.
    scores: dict[str, dict[_Counting, tuple[_Score, int]]] = {}
    for source in coded:
        table: dict[_Counting, tuple[_Score, int]] = {}
        for counting in candidates:
            canonical = source.text.canonical(counting)
            if canonical in table:
                table[counting] = table[canonical]
            else:
                table[counting] = table[canonical] = (
                    _score(source, canonical),
                    _differs(source, canonical, standard),
                )
        scores[source.guid] = table
        source.text.forget()
    # One tool counts one way, so decide for the whole project first ...
    baseline = _Score()
    for source in coded:
        baseline += scores[source.guid][standard][0]
    best, best_score = standard, baseline
    for counting in candidates[1:]:
        total, differing = _Score(), 0
        for source in coded:
            total += scores[source.guid][counting][0]
            differing += scores[source.guid][counting][1]
        if differing and _better(total, baseline, differing):
            rank = (-total.outside, -total.inside, total.hits)
            if best.standard or rank > (-best_score.outside, -best_score.inside, best_score.hits):
                best, best_score = counting, total
    # ... then rescue single sources the project-wide choice leaves out of range
    # (for example one document imported into the tool from a different file).
    for source in coded:
        table = scores[source.guid]
        current, choice = table[best][0], best
        for counting in candidates:
            if table[counting][0].outside < current.outside:
                current, choice = table[counting][0], counting
        chosen[source.guid] = source.text.canonical(choice)
    return chosen


# --------------------------------------------------------------------------
# Import


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    name: str
    user: str
    memo: list[str]
    codings: list[tuple[str, str, list[str]]]  # (code guid, user guid, note guids)
    notes: list[str]


@dataclass
class _PendingSource:
    guid: str
    name: str
    interview_id: str
    origin: str
    text: _SourceText
    user: str
    selections: list[_Selection]
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    names: list[str] = field(default_factory=list)


def _selection_name(name: str) -> str:
    name = _squash(name).rstrip(".…").strip()
    if len(name) < 4 or re.fullmatch(r"line:\d+|\d+|[0-9a-f-]{32,38}", name):
        return ""
    return name[:40]


class _ProjectReader:
    """Read one project.qde (and its sources) into the toolkit's tables."""

    def __init__(self, archive: _Archive, qde: str, root: ET.Element, positions: str) -> None:
        self.archive = archive
        self.qde = qde
        self.base = str(PurePosixPath(qde).parent) if "/" in qde else ""
        self.root = root
        self.positions = positions
        self.report = _Report()
        self.file = archive.path.name
        self.origin = root.get("origin", "") or ""
        self.users: dict[str, str] = {}
        self.codes: dict[str, str] = {}  # code guid -> code name
        self.case_guids: set[str] = set()
        self.case_members: dict[str, list[str]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.used_notes: set[str] = set()
        self.links: dict[str, list[str]] = {}
        self.sources: list[_PendingSource] = []
        self.source_attributes: dict[str, dict[str, str]] = {}
        self.source_of_selection: dict[str, str] = {}
        self.taken_ids: set[str] = set()
        self.extra_notes: list[dict[str, str]] = []
        self.variables: dict[str, str] = {}

    # -- the parts of a project, in the order they depend on each other

    def read(self) -> Project:
        if self.origin:
            self.report.add(self.qde, "origin", "ok", f"exported by {self.origin}")
        self._users()
        cases = _child(self.root, "Cases")
        self.case_guids = {
            _guid(c.get("guid")) for c in ([] if cases is None else _children(cases, "Case"))
        }
        self._variables()
        self._notes()
        self._links()
        codebook = self._codebook()
        self._sources()
        documents, segments, codings = self._finish_sources()
        participants = self._cases(documents)
        self._leftovers()
        description = _text_of(_child(self.root, "Description")).strip()
        for ref in _children(self.root, "NoteRef"):
            self._note_about(_guid(ref.get("targetGUID")), "the project")
        self._unreferenced_notes()
        settings: dict[str, Any] = {
            "imported_from": {
                "file": self.file,
                "origin": self.origin,
                "imported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        }
        if self.extra_notes:
            settings["notes"] = self.extra_notes
            self.report.add(
                "notes",
                "notes",
                "ok",
                f"{_plural(len(self.extra_notes), 'note')} not attached to a coding kept in the "
                "project settings (project.yml): "
                + _listing(n["title"] or n["text"][:40] for n in self.extra_notes),
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
        users = _child(self.root, "Users")
        taken: set[str] = set()
        renamed = []
        for user in [] if users is None else _children(users, "User"):
            guid = _guid(user.get("guid"))
            given = (user.get("name") or user.get("id") or "").strip()
            # Each coder's codings are saved as codings/<coder>.csv: the name
            # must be a file name, and unique ignoring case.
            name = _safe_name(given, f"user-{guid[:8]}", taken, strip_suffix=False)
            if given and name != given:
                renamed.append(f"'{given}' -> '{name}'")
            self.users[guid] = name
        if renamed:
            self.report.add(
                "users",
                "coders",
                "warning",
                "coder names that cannot be file names, or appear twice, renamed: "
                + _listing(renamed),
            )
        if self.users:
            self.report.add(
                "users",
                "coders",
                "ok",
                f"{_plural(len(self.users), 'user')} became coders: "
                + _listing(self.users.values()),
            )

    def _coder(self, *guids: str) -> str:
        for guid in guids:
            if guid:
                if guid not in self.users:
                    self.users[guid] = _safe_name(
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
        variables = _child(self.root, "Variables")
        for variable in [] if variables is None else _children(variables, "Variable"):
            self.variables[_guid(variable.get("guid"))] = variable.get("name") or "variable"

    def _variable_value(self, element: ET.Element) -> tuple[str, str] | None:
        ref = _child(element, "VariableRef")
        if ref is None:
            return None
        name = self.variables.get(_guid(ref.get("targetGUID")))
        if name is None:
            return None
        for child in element:
            if _local(child.tag) != "VariableRef":
                return name, _text_of(child).strip()
        return name, ""

    def _notes(self) -> None:
        notes = _child(self.root, "Notes")
        for note in [] if notes is None else _children(notes, "Note"):
            guid = _guid(note.get("guid"))
            text = self._read_note_text(note)
            self.notes[guid] = {"title": note.get("name") or "", "text": text}

    def _read_note_text(self, note: ET.Element) -> str:
        content = _child(note, "PlainTextContent")
        if content is not None:
            return _text_of(content).strip()
        found = self._source_bytes(note, note.get("name") or "note")
        if found is None:
            return ""
        raw, _origin, docx = found
        try:
            text = _docx_text(raw, _origin) if docx else decode_bytes(raw)[0]
        except ToolkitError:
            return ""
        return text.lstrip("\ufeff").strip()

    def _links(self) -> None:
        # NVivo links an annotation (a Note) to the selection it annotates.
        links = _child(self.root, "Links")
        for link in [] if links is None else _children(links, "Link"):
            origin, target = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
            if origin in self.notes:
                self.links.setdefault(target, []).append(origin)
            elif target in self.notes:
                self.links.setdefault(origin, []).append(target)

    def _note_text(self, guids: Iterable[str]) -> list[str]:
        texts = []
        for guid in guids:
            note = self.notes.get(guid)
            if note is not None:
                self.used_notes.add(guid)
                if note["text"]:
                    texts.append(note["text"])
        return texts

    def _note_about(self, guid: str, about: str) -> None:
        note = self.notes.get(guid)
        if note is not None and guid not in self.used_notes:
            self.used_notes.add(guid)
            self.extra_notes.append({"title": note["title"], "text": note["text"], "about": about})

    def _unreferenced_notes(self) -> None:
        for guid in self.notes:
            self._note_about(guid, "the project")

    def _codebook(self) -> Any:
        codebook = _child(self.root, "CodeBook")
        codes = None if codebook is None else _child(codebook, "Codes")
        table, self.codes, report = _codes_to_table(
            [] if codes is None else _children(codes, "Code"),
            used=self._used_code_guids(),
            note_text=self._note_text,
        )
        for status, detail in report:
            self.report.add("codebook", "codes", status, detail)
        return _make_codebook(table)

    def _used_code_guids(self) -> set[str]:
        found = {
            _guid(ref.get("targetGUID")) for ref in self.root.iter() if _local(ref.tag) == "CodeRef"
        }
        return found - self.case_guids

    # -- sources

    def _sources(self) -> None:
        sources = _child(self.root, "Sources")
        skipped: dict[str, int] = {}
        lost = 0
        for element in [] if sources is None else list(sources):
            kind = _local(element.tag)
            if kind == "TextSource":
                self._text_source(element, element.get("name") or _path_stem(element))
                continue
            representation = _child(element, "Representation")
            if kind == "PDFSource" and representation is not None:
                # The PDF's text representation carries its text codings.
                self._text_source(representation, element.get("name") or "", kind="PDF's text")
            else:
                skipped[kind] = skipped.get(kind, 0) + 1
            lost += sum(
                1
                for node in element.iter()
                if _local(node.tag)
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
                _plural(n, k.replace("Source", " source").lower()) for k, n in skipped.items()
            )
            self.report.add(
                "sources",
                "not carried",
                "not carried",
                f"{kinds or 'PDF areas'}: the toolkit codes text only"
                + (
                    f"; {_plural(lost, 'coding')} on pictures, PDF areas or media not imported"
                    if lost
                    else ""
                ),
            )

    def _source_bytes(self, element: ET.Element, label: str) -> tuple[bytes, str, bool] | None:
        """Find a source's plain text (or, failing that, Word) file in the archive."""
        plain = element.get("plainTextPath")
        rich = element.get("richTextPath")
        if plain:
            info = self._find(plain, label)
            if info is not None:
                data = self.archive.read(info)
                if data.strip(b"\xef\xbb\xbf \t\r\n") or not rich:
                    return data, _entry_name(info.filename), False
                # NVivo can export an empty plain-text file beside the Word file.
        if rich and rich.lower().split("?")[0].endswith(".docx"):
            info = self._find(rich, label)
            if info is not None:
                return self.archive.read(info), _entry_name(info.filename), True
        return None

    def _find(self, reference: str, label: str) -> zipfile.ZipInfo | None:
        """Find the archive entry a source path points to, whatever the tool's spelling."""
        scheme, sep, rest = reference.strip().partition("://")
        if not sep:
            scheme, rest = "internal", reference.strip()
        rest = _entry_name(rest).lstrip("/")
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
        guid = _guid(element.get("guid")) or _new_guid("source", name, len(self.sources))
        label = name or guid
        interview_id = _safe_name(name, f"source-{len(self.sources) + 1}", self.taken_ids)
        selections = [self._selection(s) for s in _children(element, "PlainTextSelection")]
        coded = sum(len(s.codings) for s in selections)
        content = _child(element, "PlainTextContent")
        raw, origin, had_bom = None, "", False
        try:
            if content is not None and _text_of(content).strip():
                raw, origin = _text_of(content), "the project file (PlainTextContent)"
            else:
                found = self._source_bytes(element, label)
                if found is not None:
                    data, origin, docx = found
                    if docx:
                        raw = _docx_text(data, origin)
                        self.report.add(
                            label,
                            "document",
                            "converted",
                            f"no plain text in the archive: read the text of the Word file "
                            f"{origin}",
                        )
                    else:
                        had_bom = data.startswith(_BOM)
                        raw, encoding = decode_bytes(data, path=origin)
                        if raw.startswith("\ufeff"):
                            raw, had_bom = raw[1:], True
                        if encoding not in ("utf-8", "utf-8 with BOM"):
                            self.report.add(
                                label,
                                "document",
                                "warning",
                                f"the plain text was {encoding}, not UTF-8 as the standard asks; "
                                "read as such",
                            )
        except ToolkitError as exc:
            self.taken_ids.discard(interview_id.casefold())
            self.report.add(
                label,
                "document",
                "skipped",
                f"cannot read its text ({exc.message})"
                + (f"; {_plural(coded, 'coding')} on it lost" if coded else ""),
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
                + (f"; {_plural(coded, 'coding')} on it lost" if coded else ""),
            )
            return
        for value in _children(element, "VariableValue"):
            pair = self._variable_value(value)
            if pair:
                self.source_attributes.setdefault(interview_id, {})[pair[0]] = pair[1]
        description = _text_of(_child(element, "Description")).strip()
        if description:
            self.extra_notes.append(
                {"title": f"Description of {label}", "text": description, "about": interview_id}
            )
        for ref in _children(element, "NoteRef"):
            self._note_about(_guid(ref.get("targetGUID")), interview_id)
        for selection in selections:
            self.source_of_selection[selection.guid] = interview_id
        source = _PendingSource(
            guid=guid,
            name=label,
            interview_id=interview_id,
            origin=f"{self.file}:{origin}" if origin else self.file,
            text=_SourceText(raw, had_bom),
            user=_guid(element.get("creatingUser")),
            selections=selections,
        )
        source.starts = np.array([s.start for s in selections], dtype=np.int64)
        source.ends = np.array([s.end for s in selections], dtype=np.int64)
        source.names = [_selection_name(s.name) for s in selections]
        self.sources.append(source)
        if kind != "text":
            self.report.add(label, "document", "converted", f"imported the {kind} only")

    def _selection(self, element: ET.Element) -> _Selection:
        def number(attribute: str) -> int:
            try:
                return int(element.get(attribute, ""))
            except ValueError:
                return -1

        codings = []
        for coding in _children(element, "Coding"):
            ref = _child(coding, "CodeRef")
            notes = [_guid(n.get("targetGUID")) for n in _children(coding, "NoteRef")]
            codings.append(
                (
                    _guid(None if ref is None else ref.get("targetGUID")),
                    _guid(coding.get("creatingUser")),
                    notes,
                )
            )
        guid = _guid(element.get("guid"))
        memo = _text_of(_child(element, "Description")).strip()
        return _Selection(
            guid=guid,
            start=number("startPosition"),
            end=number("endPosition"),
            name=element.get("name") or "",
            user=_guid(element.get("creatingUser") or element.get("modifyingUser")),
            memo=[memo] if memo else [],
            codings=codings,
            notes=[_guid(n.get("targetGUID")) for n in _children(element, "NoteRef")]
            + self.links.get(guid, []),
        )

    def _finish_sources(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        trust = self.positions == "standard" or self.origin.startswith(_ORIGIN)
        if self.positions not in ("auto", "standard"):
            raise RefiError(
                f"expected positions='auto' or 'standard', but found {self.positions!r}",
                hint="use 'auto' to detect how the other tool counted, 'standard' to trust it",
            )
        countings = (
            {s.guid: _Counting() for s in self.sources} if trust else _choose_counting(self.sources)
        )
        documents, segments, codings = [], [], []
        converted: dict[_Counting, list[str]] = {}
        moved = outside_total = annotations = dropped = case_text = 0
        split = trimmed = between = 0
        root_user = _guid(self.root.get("creatingUserGUID"))
        for source in self.sources:
            counting = countings[source.guid]
            if not counting.standard:
                converted.setdefault(counting, []).append(source.name)
            text = source.text.text
            if source.text.normalised:
                self.report.add(
                    source.name,
                    "document",
                    "converted",
                    "the text was normalised to Unicode NFC (composed accents); positions moved "
                    "with it",
                )
            documents.append(
                {"interview_id": source.interview_id, "text": text, "source": source.origin}
            )
            rows = _segment(source.interview_id, text)
            segments.extend(rows)
            starts, out_s, in_s = source.text.convert(source.starts, counting, end=False)
            ends, out_e, in_e = source.text.convert(source.ends, counting, end=True)
            moved += int((in_s | in_e).sum())
            source.text.release()
            seg_ends = [int(r["end"]) for r in rows]
            for index, selection in enumerate(source.selections):
                memo = "\n\n".join(selection.memo + self._note_text(selection.notes))
                codes = [c for c in selection.codings if c[0] not in self.case_guids]
                if not selection.codings:
                    if memo:
                        annotations += 1
                        self.extra_notes.append(
                            {
                                "title": f"Note on {source.interview_id}",
                                "text": memo,
                                "about": f"{source.interview_id} [{int(starts[index])}:"
                                f"{int(ends[index])}]",
                            }
                        )
                    continue
                for code_guid, _user, _notes in selection.codings:
                    if code_guid in self.case_guids:
                        # NVivo codes text at a case to say it belongs to that case.
                        case_text += 1
                        self.case_members.setdefault(code_guid, []).append(source.interview_id)
                start, end = int(starts[index]), int(ends[index])
                if out_s[index] or out_e[index] or end <= start or selection.start < 0:
                    outside_total += len(codes)
                    continue
                pieces = _pieces(rows, seg_ends, start, end)
                if not pieces:
                    between += len(codes)
                    continue
                if len(pieces) > 1:
                    split += 1
                elif pieces[0][1:] != (start, end):
                    trimmed += 1
                for code_guid, user, notes in codes:
                    code = self.codes.get(code_guid)
                    if code is None:
                        dropped += 1
                        continue
                    for segment_id, low, high in pieces:
                        codings.append(
                            {
                                "interview_id": source.interview_id,
                                "segment_id": segment_id,
                                "start": low,
                                "end": high,
                                "code": code,
                                "coder": self._coder(user, selection.user, source.user, root_user),
                                "method": "import",
                                "memo": "\n\n".join(filter(None, [memo, *self._note_text(notes)])),
                                "rule": "",
                            }
                        )
        for counting, names in converted.items():
            self.report.add(
                _listing(names, 3),
                "positions",
                "converted",
                f"in {_plural(len(names), 'source')} the other tool {counting.describe()}; "
                "converted to code points, so every coding keeps its text",
            )
        if moved:
            self.report.add(
                "codings",
                "positions",
                "warning",
                f"{_plural(moved, 'selection boundary', 'selection boundaries')} fell inside a "
                "character and moved outwards to the whole character",
            )
        if outside_total:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{_plural(outside_total, 'coding')} pointed outside their document's text "
                "and could not be placed",
            )
        if split or trimmed:
            self.report.add(
                "codings",
                "segments",
                "converted",
                (
                    f"{_plural(split, 'selection')} ran across several segments (turns or "
                    "paragraphs) and became one coding per segment"
                    if split
                    else ""
                )
                + ("; " if split and trimmed else "")
                + (
                    f"{_plural(trimmed, 'selection')} included a speaker's name or blank lines "
                    "around its segment, left out"
                    if trimmed
                    else ""
                ),
            )
        if between:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{_plural(between, 'coding')} covered only text between segments (speaker "
                "names, blank lines or lines without words)",
            )
        if dropped:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{_plural(dropped, 'coding')} referred to codes that are not in the codebook",
            )
        if case_text:
            self.report.add(
                "codings",
                "cases",
                "converted",
                f"{_plural(case_text, 'selection')} marked text as belonging to a case; "
                "the toolkit links whole documents to cases (participants)",
            )
        if annotations:
            self.report.add(
                "notes",
                "notes",
                "converted",
                f"{_plural(annotations, 'annotation')} (notes on text without a code) kept as "
                "notes in the project settings",
            )
        codings_table = pd.DataFrame(codings, columns=CODING_COLUMNS)
        before = len(codings_table)
        codings_table = codings_table.drop_duplicates(
            ["interview_id", "start", "end", "code", "coder"]
        ).reset_index(drop=True)
        if before != len(codings_table):
            self.report.add(
                "codings",
                "codings",
                "warning",
                f"{_plural(before - len(codings_table), 'duplicate coding')} (same text, code "
                "and coder) kept once",
            )
        coders = codings_table["coder"].nunique()
        self.report.add(
            "sources",
            "documents",
            "ok",
            f"{_plural(len(documents), 'text source')} became documents with "
            f"{_plural(len(segments), 'segment')}",
        )
        self.report.add(
            "codings",
            "codings",
            "ok",
            f"{_plural(len(codings_table), 'text coding')} by {_plural(coders, 'coder')} "
            "imported (method 'import')",
        )
        return (
            pd.DataFrame(documents, columns=["interview_id", "text", "source"]),
            pd.DataFrame(segments, columns=SEGMENT_COLUMNS),
            codings_table,
        )

    def _cases(self, documents: pd.DataFrame) -> pd.DataFrame:
        cases = _child(self.root, "Cases")
        rows: dict[str, dict[str, str]] = {
            i: {"interview_id": i} for i in documents["interview_id"]
        }
        for interview_id, attributes in self.source_attributes.items():
            rows.setdefault(interview_id, {"interview_id": interview_id}).update(attributes)
        by_guid = {s.guid: s.interview_id for s in self.sources}
        conflicts, named = 0, 0
        case_list = [] if cases is None else _children(cases, "Case")
        for number, case in enumerate(case_list, start=1):
            name = (case.get("name") or "").strip() or f"case-{number}"
            values = dict(filter(None, map(self._variable_value, _children(case, "VariableValue"))))
            members = [
                by_guid.get(_guid(r.get("targetGUID"))) for r in _children(case, "SourceRef")
            ]
            members += [
                self.source_of_selection.get(_guid(r.get("targetGUID")))
                for r in _children(case, "SelectionRef")
            ]
            members += self.case_members.get(_guid(case.get("guid")), [])
            members = list(dict.fromkeys(m for m in members if m))
            if not members:
                interview_id = _safe_name(name, f"case-{number}", set())
                members = [interview_id]
                rows.setdefault(interview_id, {"interview_id": interview_id})
            for interview_id in members:
                row = rows[interview_id]
                if name != interview_id:
                    named += 1
                    if row.get("case") and row["case"] != name:
                        row["case"] = f"{row['case']}; {name}"
                    else:
                        row["case"] = name
                for key, value in values.items():
                    key = "interview_id (variable)" if key == "interview_id" else key
                    if row.get(key, value) != value:
                        conflicts += 1
                        value = f"{row[key]}; {value}"
                    row[key] = value
        table = pd.DataFrame(list(rows.values()))
        if "interview_id" not in table.columns:
            table = pd.DataFrame(columns=["interview_id"])
        table = table.fillna("")
        if "case" in table.columns and not named:
            table = table.drop(columns="case")
        # Columns in the order the project declares its variables.
        declared = [v for v in dict.fromkeys(self.variables.values()) if v in table.columns]
        first = [c for c in ("interview_id", "case") if c in table.columns]
        table = table[first + declared + [c for c in table.columns if c not in first + declared]]
        if case_list:
            variables = [c for c in table.columns if c not in ("interview_id", "case")]
            self.report.add(
                "cases",
                "participants",
                "ok",
                f"{_plural(len(case_list), 'case')} became participants with "
                f"{_plural(len(variables), 'attribute')}"
                + (f": {_listing(variables)}" if variables else ""),
            )
        if conflicts:
            self.report.add(
                "cases",
                "participants",
                "warning",
                f"{_plural(conflicts, 'attribute')} had different values in different cases of "
                "the same document; both kept, separated by ';'",
            )
        return table.astype(object)

    def _leftovers(self) -> None:
        for part, why in (
            ("Sets", "sets (groups of codes or documents) have no place in the toolkit"),
            ("Graphs", "graphs (network diagrams) have no place in the toolkit"),
        ):
            element = _child(self.root, part)
            if element is not None and len(element):
                self.report.add(
                    part.lower(),
                    "not carried",
                    "not carried",
                    f"{_plural(len(element), part[:-1].lower())}: {why}",
                )
        links = _child(self.root, "Links")
        other = (
            0
            if links is None
            else sum(
                1
                for link in _children(links, "Link")
                if _guid(link.get("originGUID")) not in self.notes
                and _guid(link.get("targetGUID")) not in self.notes
            )
        )
        if other:
            self.report.add(
                "links",
                "not carried",
                "not carried",
                f"{_plural(other, 'link')} between codes or selections: no place in the toolkit",
            )


def _path_stem(element: ET.Element) -> str:
    """Return the file name a source points to, for sources without a name."""
    reference = element.get("plainTextPath") or element.get("richTextPath") or ""
    return unquote(PurePosixPath(_entry_name(reference.partition("://")[2] or reference)).stem)


def _pieces(rows: list[dict], ends: list[int], start: int, end: int) -> list[tuple[int, int, int]]:
    """Clip a selection to the segments it overlaps: (segment_id, start, end) for each.

    A coding belongs to one segment, so a selection across several becomes one
    coding per segment; text between segments (speaker names, blank lines) is
    left out.
    """
    import bisect

    pieces = []
    index = bisect.bisect_right(ends, start)
    while index < len(rows) and rows[index]["start"] < end:
        row = rows[index]
        low, high = max(start, int(row["start"])), min(end, int(row["end"]))
        if low < high:
            pieces.append((int(row["segment_id"]), low, high))
        index += 1
    return pieces


def _segment(interview_id: str, text: str) -> list[dict]:
    """Split a document into segments exactly as reading it from a .txt file would.

    Then a project saved with :func:`~toolkit.project.save_project` opens with
    the same segments, so every coding still lies inside its segment.
    """
    from toolkit.io import transcripts

    rows = transcripts.segment_text(text, interview_id)[SEGMENT_COLUMNS].to_dict("records")
    return [{**row, "start": int(row["start"]), "end": int(row["end"])} for row in rows]


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
    text = row.get("definition", "")
    for column, label in _CRITERIA:
        if row.get(column):
            text += f"\n\n{label}: {row[column]}"
    return text.strip("\n")


def _codes_to_table(
    elements: list[ET.Element], used: set[str], note_text: Any = None
) -> tuple[pd.DataFrame, dict[str, str], list[tuple[str, str]]]:
    """Turn REFI ``Code`` elements into a codebook table and a GUID -> code map."""
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
        guid = _guid(element.get("guid"))
        name = (element.get("name") or "").strip() or "unnamed code"
        children = _children(element, "Code")
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        if not parent and not theme and not codable and children and guid not in used:
            # A top-level group that cannot be coded is a theme.
            themes.append(name)
            for child in children:
                walk(child, "", name)
            return
        if not codable:
            categories += 1
        parts = _split_description(_text_of(_child(element, "Description")).strip())
        if note_text is not None:
            extra = note_text(_guid(n.get("targetGUID")) for n in _children(element, "NoteRef"))
            if extra:
                noted += 1
                parts["definition"] = "\n\n".join(filter(None, [parts["definition"], *extra]))
        color = (element.get("color") or "").strip()
        if color and not _RGB.match(color):
            bad_colours += 1
            color = ""
        code = unique(name, parent)
        guid_to_code[guid] = code
        rows.append({"code": code, "theme": theme, "parent": parent, **parts, "color": color})
        for child in children:
            walk(child, code, theme)

    for element in elements:
        walk(element, "", "")
    table = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS).astype(object)
    detail = f"{_plural(len(rows), 'code')} with their hierarchy, colour and description"
    if themes:
        detail += f"; {_plural(len(themes), 'top-level group')} became themes: {_listing(themes)}"
    report.append(("ok", detail))
    if renamed:
        report.append(
            (
                "warning",
                f"{_plural(len(renamed), 'code name')} appeared more than once in the hierarchy; "
                f"renamed to keep codes apart: {_listing(renamed)}",
            )
        )
    if categories:
        report.append(
            (
                "converted",
                f"{_plural(categories, 'category', 'categories')} marked as not for coding became "
                "codes (the toolkit lets any code group others)",
            )
        )
    if noted:
        report.append(("converted", f"notes on {_plural(noted, 'code')} added to the definitions"))
    if bad_colours:
        report.append(
            ("warning", f"{_plural(bad_colours, 'colour')} not in #RRGGBB form were left out")
        )
    return table, guid_to_code, report


def _make_codebook(table: pd.DataFrame) -> Any:
    """Return a Codebook for `table` if the codebook module is there, else the table."""
    try:
        from toolkit.model.codebook import Codebook
    except ImportError:  # pragma: no cover - the codebook module ships with the toolkit
        return table
    return Codebook.from_table(table)


def _codebook_table(codebook: Any) -> pd.DataFrame:
    """Return the codebook table of a Codebook, a table or nothing."""
    if codebook is None:
        table = pd.DataFrame(columns=CODEBOOK_COLUMNS)
    elif isinstance(codebook, pd.DataFrame):
        table = codebook
    elif isinstance(getattr(codebook, "table", None), pd.DataFrame):
        table = codebook.table
    else:
        raise RefiError(
            f"expected a Codebook or a codebook table, but found {type(codebook).__name__}",
            hint="pass project.codebook, or a DataFrame with a 'code' column",
        )
    if "code" not in table.columns:
        raise RefiError(
            "expected a codebook table with a 'code' column, but found "
            + ", ".join(repr(c) for c in table.columns),
            hint="name the column of code names 'code'",
        )
    table = table.copy()
    for column in CODEBOOK_COLUMNS:
        table[column] = table[column].map(_cell) if column in table.columns else ""
    return table[CODEBOOK_COLUMNS]


def _code_elements(
    parent: ET.Element, table: pd.DataFrame, report: _Report | None = None
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
        guid = guids[row["code"]] = _new_guid("code", row["code"])
        attributes = {"guid": guid, "name": _xml_safe(row["code"]), "isCodable": "true"}
        color = row["color"].strip()
        if color.lower() in _CSS_HEX:
            color = "#" + _CSS_HEX[color.lower()]
        if _RGB.match(color):
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
        description = _xml_safe(_join_description(row))
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
                {"guid": _new_guid("theme", theme), "name": _xml_safe(theme), "isCodable": "false"},
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
            f"{_plural(len(orphans), 'code')} whose parent is not a code (or in a circle of "
            f"parents) written without a parent: {_listing(orphans)}",
        )
    if report is not None and mixed:
        report.add(
            "codebook",
            "codes",
            "warning",
            f"{_plural(len(mixed), 'code')} in another theme than their parent; REFI-QDA keeps "
            f"the parent, so on import they take the parent's theme: {_listing(mixed)}",
        )
    return guids


# --------------------------------------------------------------------------
# Export


@lru_cache(maxsize=2)
def _schema(name: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(resources.files("toolkit") / "data" / "refi" / name))


def _serialise(root: ET.Element, namespace: str, schema: str) -> bytes:
    """Return the XML of `root` in `namespace`, checked against the REFI-QDA schema."""
    # Elements are built without a namespace and the root declares it as the
    # default, as the other tools write it; the bytes are parsed again to
    # check exactly what will be written.
    root.set("xmlns", namespace)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    for error in _schema(schema).iter_errors(ET.fromstring(xml)):
        raise RefiError(
            f"the export does not follow the REFI-QDA schema {schema}: {error.reason} "
            f"(at {error.path})",
            hint="this is a bug in the toolkit; please report it with the project's shape "
            "(not its data)",
        )
    return xml


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _variable_type(values: list[str]) -> str:
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


def _codings_for_export(project: Project, report: _Report) -> pd.DataFrame:
    codings = project.codings
    if codings is None or codings.empty:
        return pd.DataFrame(columns=CODING_COLUMNS)
    missing = [c for c in ("interview_id", "code") if c not in codings.columns]
    if missing:
        raise RefiError(
            f"expected codings with the columns interview_id, segment_id, start, end and code, "
            f"but {', '.join(missing)} are missing",
            hint="build codings with the toolkit (read_codings or autocode)",
        )
    table = codings.copy()
    for column in CODING_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    # A coding with blank offsets codes its whole segment.
    segments = project.segments
    if segments is not None and len(segments) and {"start", "end"} <= set(segments.columns):
        spans = {
            (_cell(i), _number(n)): (s, e)
            for i, n, s, e in zip(
                segments["interview_id"],
                segments["segment_id"],
                segments["start"],
                segments["end"],
                strict=True,
            )
        }
        for column, side in (("start", 0), ("end", 1)):
            blank = table[column].map(_cell) == ""
            if blank.any():
                keys = zip(
                    table["interview_id"].map(_cell), table["segment_id"].map(_cell), strict=True
                )
                whole = [spans.get(k, (None, None))[side] for k in keys]
                table[column] = [
                    w if b else v for v, w, b in zip(table[column], whole, blank, strict=True)
                ]
    method = table["method"].map(_cell)
    rules = method == "rule"
    if rules.any():
        report.add(
            "codings",
            "codings",
            "not carried",
            f"{_plural(int(rules.sum()), 'rule coding')} not exported: they are computed from "
            "the codebook's rules, which stay in the project",
        )
    return table[~rules].reset_index(drop=True)


def _project_xml(project: Project, report: _Report) -> tuple[ET.Element, list[tuple[str, str]]]:
    now = _now()
    documents = project.documents
    texts: dict[str, str] = {}
    for interview_id, text in zip(documents["interview_id"], documents["text"], strict=True):
        key = _cell(interview_id)
        if not key or key in texts:
            raise RefiError(
                f"expected each document to have its own interview_id, but found {key!r} "
                "empty or twice",
                hint="give every interview a unique id",
            )
        texts[key] = _cell(text)
    codings = _codings_for_export(project, report)
    codebook = _codebook_table(project.codebook)
    known = set(codebook["code"])
    extra = [c for c in dict.fromkeys(codings["code"].map(_cell)) if c and c not in known]
    if extra:
        codebook = pd.concat(
            [
                codebook,
                pd.DataFrame([{**dict.fromkeys(CODEBOOK_COLUMNS, ""), "code": c} for c in extra]),
            ],
            ignore_index=True,
        )
        report.add(
            "codebook",
            "codes",
            "converted",
            f"{_plural(len(extra), 'code')} used in codings but missing from the codebook "
            f"added: {_listing(extra)}",
        )
    coders = [c for c in dict.fromkeys(codings["coder"].map(_cell)) if c] or []
    if (codings["coder"].map(_cell) == "").any():
        coders.append("unknown")
    root = ET.Element(
        "Project",
        {
            "name": _xml_safe(project.name) or "Untitled project",
            "origin": f"{_ORIGIN} (Follow the Energy)",
            "creationDateTime": now,
        },
    )
    user_guids = {c: _new_guid("user", c) for c in coders}
    if coders:
        root.set("creatingUserGUID", user_guids[coders[0]])
        users = ET.SubElement(root, "Users")
        for coder in coders:
            ET.SubElement(
                users,
                "User",
                {"guid": user_guids[coder], "name": _xml_safe(coder), "id": _xml_safe(coder)},
            )
    code_guids: dict[str, str] = {}
    if len(codebook):
        codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        code_guids = _code_elements(codes, codebook, report)
        themes = [t for t in dict.fromkeys(codebook["theme"]) if t]
        report.add(
            "codebook",
            "codes",
            "ok",
            f"{_plural(len(codebook), 'code')} with their hierarchy, colours and definitions"
            + (f"; {_plural(len(themes), 'theme')} as groups of codes" if themes else ""),
        )
    source_guids = {i: _new_guid("source", i) for i in texts}
    participants = project.participants if project.participants is not None else pd.DataFrame()
    variables = [c for c in participants.columns if c != "interview_id"]
    if "interview_id" in participants.columns and len(participants):
        if variables:
            variables_el = ET.SubElement(root, "Variables")
            types = {}
            for column in variables:
                types[column] = _variable_type([_cell(v) for v in participants[column]])
                ET.SubElement(
                    variables_el,
                    "Variable",
                    {
                        "guid": _new_guid("variable", column),
                        "name": _xml_safe(column),
                        "typeOfVariable": types[column],
                    },
                )
        cases = ET.SubElement(root, "Cases")
        for record in participants.to_dict("records"):
            interview_id = _cell(record["interview_id"])
            case = ET.SubElement(
                cases,
                "Case",
                {"guid": _new_guid("case", interview_id), "name": _xml_safe(interview_id)},
            )
            for column in variables:
                value = _xml_safe(record[column])
                if not value:
                    continue
                holder = ET.SubElement(case, "VariableValue")
                ET.SubElement(
                    holder,
                    "VariableRef",
                    {"targetGUID": _new_guid("variable", column)},
                )
                ET.SubElement(holder, f"{types[column]}Value").text = value
            if interview_id in source_guids:
                ET.SubElement(case, "SourceRef", {"targetGUID": source_guids[interview_id]})
        report.add(
            "participants",
            "cases",
            "ok",
            f"{_plural(len(participants), 'participant')} as cases with "
            f"{_plural(len(variables), 'variable')}",
        )
    files: list[tuple[str, str]] = []
    notes = [n for n in project.settings.get("notes", []) or [] if isinstance(n, dict)]
    note_guids = [_new_guid("note", i, n.get("title", "")) for i, n in enumerate(notes)]
    by_document: dict[str, list[dict]] = {}
    skipped, exported = [], 0
    for record in codings.to_dict("records"):
        by_document.setdefault(_cell(record["interview_id"]), []).append(record)
    if texts:
        sources = ET.SubElement(root, "Sources")
        for interview_id, text in texts.items():
            guid = source_guids[interview_id]
            source = ET.SubElement(
                sources,
                "TextSource",
                {
                    "guid": guid,
                    "name": _xml_safe(interview_id),
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
                code = _cell(record["code"])
                if not (0 <= start < end <= len(text)) or code not in code_guids:
                    skipped.append(f"{interview_id} [{record['start']}:{record['end']}]")
                    continue
                coder = _cell(record["coder"]) or "unknown"
                selection = ET.SubElement(
                    source,
                    "PlainTextSelection",
                    {
                        "guid": _new_guid("selection", interview_id, number, start, end, code),
                        # Other tools show the name; it also lets an importer check positions.
                        "name": _xml_safe(" ".join(text[start:end].split())[:60]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                        "creatingUser": user_guids[coder],
                        "creationDateTime": now,
                    },
                )
                memo = _xml_safe(record["memo"]).strip()
                if memo:
                    ET.SubElement(selection, "Description").text = memo
                coding = ET.SubElement(
                    selection,
                    "Coding",
                    {
                        "guid": _new_guid("coding", interview_id, number, start, end, code, coder),
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
                {"guid": guid_note, "name": _xml_safe(note.get("title", "")) or "Note"},
            )
            ET.SubElement(element, "PlainTextContent").text = _xml_safe(note.get("text", ""))
    if project.description:
        ET.SubElement(root, "Description").text = _xml_safe(project.description)
    for guid_note, note in zip(note_guids, notes, strict=True):
        if note.get("about") not in texts:
            ET.SubElement(root, "NoteRef", {"targetGUID": guid_note})
    report.add(
        "documents",
        "documents",
        "ok",
        f"{_plural(len(texts), 'interview')} as UTF-8 plain-text sources (positions in code "
        "points, as the standard asks)",
    )
    report.add(
        "codings",
        "codings",
        "ok",
        f"{_plural(exported, 'coding')} by {_plural(len(coders), 'coder')} (users), with memos",
    )
    if skipped:
        report.add(
            "codings",
            "codings",
            "skipped",
            f"{_plural(len(skipped), 'coding')} pointed outside their document or at a missing "
            f"document: {_listing(skipped)}",
        )
    if notes:
        report.add("notes", "notes", "ok", f"{_plural(len(notes), 'note')} from project.yml")
    return root, files


def _not_carried(project: Project, report: _Report) -> None:
    """Tell the user what stays behind in the project's own files."""
    codebook = _codebook_table(project.codebook)
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
            f"{_plural(count, 'coding rule')} stay in the project's codebook.yml: REFI-QDA has "
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
                f"{_plural(len(table), 'row')} stay in {file}: REFI-QDA has no place for "
                "energy mapping",
            )
    segments = project.segments
    if segments is not None and len(segments):
        timed = any(
            c in segments.columns and segments[c].notna().any() and (segments[c] != "").any()
            for c in ("t_start", "t_end")
        )
        speakers = "speaker" in segments.columns and (segments["speaker"].map(_cell) != "").any()
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
    if project.settings:
        report.add(
            "project.yml",
            "settings",
            "not carried",
            "project settings stay in project.yml",
        )


def write_qdpx(project: Project, path: str | Path) -> pd.DataFrame:
    """Write a project as a REFI-QDA project file (``.qdpx``) for other tools.

    Each interview becomes a plain-text source (UTF-8, positions in Unicode
    code points as the standard asks), each code a code (themes become groups
    that cannot be coded), each coder a user, each coding a text selection
    with its memo, and each participant a case with variables.  The file is
    checked against the REFI-QDA schema and written atomically.

    Parameters
    ----------
    project
        The project, e.g. from :func:`~toolkit.project.open_project`.
    path
        The ``.qdpx`` file to write.

    Returns
    -------
    pandas.DataFrame
        The report: what carried over and what stays in the project's own
        files (``file, kind, status, detail``).

    Raises
    ------
    RefiError
        If the project cannot be exported (e.g. two documents share an id).

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sample.qdpx"
    >>> report = tk.write_qdpx(tk.sample_project(), path)
    >>> "documents" in set(report.kind)
    True
    """
    path = Path(path)
    report = _Report()
    root, files = _project_xml(project, report)
    _not_carried(project, report)
    xml = _serialise(root, PROJECT_NS, "Project.xsd")
    with (
        atomic_open(path, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", xml)
        for name, text in files:
            archive.writestr(name, text.encode("utf-8"))
    return report.table()


# --------------------------------------------------------------------------
# Public import functions


def _find_qde(archive: _Archive, report: _Report) -> str:
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
        over.  Save it with :func:`~toolkit.project.save_project`.

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
    path = Path(path)
    if not path.is_file():
        raise RefiError(
            "expected a .qdpx file here, but there is none",
            path=path,
            hint="check the path; export a REFI-QDA project from the other tool first",
        )
    if path.suffix.lower() == ".qdc":
        raise RefiError(
            "expected a project (.qdpx), but this is a codebook (.qdc)",
            path=path,
            hint="read it with read_qdc",
        )
    with _Archive(path) as archive:
        report = _Report()
        qde = _find_qde(archive, report)
        root = _parse_xml(archive.read(archive.get(qde)), path, qde)
        if _local(root.tag) != "Project":
            raise RefiError(
                f"expected a REFI-QDA <Project> in {qde}, but found <{_local(root.tag)}>",
                path=path,
                hint="export a REFI-QDA project from the other tool",
            )
        reader = _ProjectReader(archive, qde, root, positions)
        reader.report.rows[:0] = report.rows
        return reader.read()


def read_qdc(path: str | Path) -> Any:
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
    path = Path(path)
    if not path.is_file():
        raise RefiError(
            "expected a .qdc codebook file here, but there is none",
            path=path,
            hint="check the path; export a REFI-QDA codebook from the other tool first",
        )
    data = path.read_bytes()
    if data.startswith(b"PK"):
        raise RefiError(
            "expected a codebook (.qdc, XML), but this is a zip archive, probably a project",
            path=path,
            hint="read projects (.qdpx) with read_qdpx",
        )
    root = _parse_xml(data, path, "the codebook")
    if _local(root.tag) != "CodeBook":
        raise RefiError(
            f"expected a REFI-QDA <CodeBook>, but found <{_local(root.tag)}>",
            path=path,
            hint="export a REFI-QDA codebook (.qdc) from the other tool",
        )
    codes = _child(root, "Codes")
    table, guids, report = _codes_to_table(
        [] if codes is None else _children(codes, "Code"), used=set()
    )
    sets = _child(root, "Sets")
    if sets is not None and len(sets):
        membership: dict[str, list[str]] = {}
        for item in _children(sets, "Set"):
            for member in _children(item, "MemberCode"):
                code = guids.get(_guid(member.get("guid") or member.get("targetGUID")))
                if code:
                    membership.setdefault(code, []).append(item.get("name") or "set")
        if membership and all(len(v) == 1 for v in membership.values()):
            table["theme"] = [
                t or membership.get(c, [t])[0]
                for c, t in zip(table["code"], table["theme"], strict=True)
            ]
            report.append(("converted", f"{_plural(len(sets), 'set')} of codes became themes"))
        else:
            report.append(
                (
                    "not carried",
                    f"{_plural(len(sets), 'set')} of codes (a code in several sets) "
                    "have no place in the toolkit",
                )
            )
    problems = [detail for status, detail in report if status in ("warning", "not carried")]
    if problems:
        warnings.warn(f"{path.name}: " + "; ".join(problems), stacklevel=2)
    return _make_codebook(table)


def write_qdc(codebook: Any, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook file (``.qdc``) for other tools.

    Codes keep their hierarchy, colour and definition; inclusion and exclusion
    criteria and examples are added to the description, where other tools
    show them.  Themes become top-level groups that cannot be coded.  Coding
    rules have no place in the standard and stay in the project's
    ``codebook.yml``.  The file is checked against the REFI-QDA schema.

    Parameters
    ----------
    codebook
        A :class:`~toolkit.codebook.Codebook` or a codebook table.
    path
        The ``.qdc`` file to write.

    Returns
    -------
    Path
        The file written.
    """
    table = _codebook_table(codebook)
    if not len(table):
        raise RefiError(
            "expected a codebook with at least one code, but it is empty",
            hint="add codes first; a REFI-QDA codebook must hold one or more",
        )
    root = ET.Element("CodeBook", {"origin": f"{_ORIGIN} (Follow the Energy)"})
    codes = ET.SubElement(root, "Codes")
    _code_elements(codes, table)
    xml = _serialise(root, CODEBOOK_NS, "Codebook.xsd")
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        handle.write(xml)
    return path
