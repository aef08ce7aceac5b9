"""Archives and XML from outside, read defensively: size limits, entry checks, safe parsing.

A ``.qdpx`` comes from outside, so before anything in it is read its entries
are checked: paths that leave the archive (absolute, ``..``), links,
encryption, implausible sizes or compression (zip bombs) are refused with a
:class:`~toolkit.errors.RefiError`.  Entries are read in memory, counting the
bytes as they come so that no header can lie; nothing is ever extracted to
disk.  XML is parsed with defusedxml: no document type declarations, no
entities, nothing external.

Examples
--------
>>> parse_xml(b"<CodeBook><Codes/></CodeBook>", "codes.qdc", "the codebook").tag
'CodeBook'
>>> parse_xml(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "x.qdc", "the codebook")
Traceback (most recent call last):
...
toolkit.errors.RefiError: x.qdc: expected plain XML in the codebook, but found a document type ...
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from toolkit.errors import RefiError

__all__ = [
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_FLOOR",
    "Archive",
    "check_entries",
    "docx_text",
    "entry_name",
    "parse_xml",
]

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


class Archive:
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
            check_entries(self.zip.infolist(), path)
        except RefiError:
            self.zip.close()
            raise
        self.by_name = {entry_name(i.filename).casefold(): i for i in self.zip.infolist()}
        self.by_base: dict[str, list[zipfile.ZipInfo]] = {}
        for info in self.zip.infolist():
            base = PurePosixPath(entry_name(info.filename)).name.casefold()
            self.by_base.setdefault(base, []).append(info)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def names(self) -> list[str]:
        """Return the names of the files in the archive (with ``/`` separators)."""
        return [entry_name(i.filename) for i in self.zip.infolist() if not i.is_dir()]

    def get(self, name: str) -> zipfile.ZipInfo | None:
        """Return the entry called ``name`` (ignoring case), or None."""
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


def entry_name(name: str) -> str:
    """Return an entry's name with ``/`` separators (some tools write ``\\``)."""
    return name.replace("\\", "/")


def check_entries(infos: list[zipfile.ZipInfo], path: Path, what: str = "archive") -> None:
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
        name = entry_name(info.filename)
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


def parse_xml(data: bytes, path: Path | str, what: str) -> ET.Element:
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


def docx_text(data: bytes, where: str) -> str:
    """Return a Word file's text, one paragraph a line, after the zip checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            check_entries(inner.infolist(), Path(where), what="Word file")
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
