"""REFI-QDA XML: finding elements, GUIDs, safe names and text, and the schema check.

Other tools write the same elements in different namespace spellings, GUIDs
in braces or capitals, and names that are not file names.  These helpers read
past those differences, and write what the standard asks: XML-safe text,
stable GUIDs (the same export is the same file) and XML checked against the
REFI-QDA schemas shipped in ``toolkit/data/refi``.

Examples
--------
>>> from xml.etree import ElementTree as ET
>>> root = ET.fromstring('<Project xmlns="urn:QDA-XML:project:1.0"><Users/></Project>')
>>> local_name(root.tag), first_child(root, "Users") is not None
('Project', True)
>>> guid_of("{0A1B2C3D-0000-4000-8000-000000000000}")
'0a1b2c3d-0000-4000-8000-000000000000'
>>> new_guid("code", "transport") == new_guid("code", "transport")
True
>>> safe_name("con.txt", "source-1", set())
'con-1'
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any
from xml.etree import ElementTree as ET

from toolkit.errors import RefiError
from toolkit.io.files import cell_text

__all__ = [
    "CODEBOOK_NS",
    "ORIGIN",
    "PROJECT_NS",
    "child_elements",
    "first_child",
    "guid_of",
    "local_name",
    "new_guid",
    "refi_schema",
    "safe_name",
    "serialise",
    "text_of",
    "timestamp",
    "xml_safe",
]

#: The namespace of a project file (``project.qde``).
PROJECT_NS = "urn:QDA-XML:project:1.0"
#: The namespace of a codebook file (``.qdc``).
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: How the toolkit signs the files it writes (the ``origin`` attribute).
ORIGIN = "codesign-toolkit"

_GUID_NAMESPACE = uuid.UUID("6f1d8c3e-5b0a-4c1e-9d57-6a2f3b8e4c10")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}
_TEXT_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".md", ".htm", ".html")


def local_name(tag: Any) -> str:
    """Return an element's name without its namespace (tools differ in versions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_elements(element: ET.Element, name: str) -> list[ET.Element]:
    """Return the children of ``element`` called ``name``, in any namespace."""
    return [child for child in element if local_name(child.tag) == name]


def first_child(element: ET.Element, name: str) -> ET.Element | None:
    """Return the first child of ``element`` called ``name`` (any namespace), or None."""
    found = child_elements(element, name)
    return found[0] if found else None


def text_of(element: ET.Element | None) -> str:
    """Return an element's text, or ``""`` when there is no element or no text."""
    return "" if element is None or element.text is None else element.text


def guid_of(value: str | None) -> str:
    """Normalise a GUID: some tools wrap it in braces or write it in capitals."""
    return (value or "").strip().strip("{}").lower()


def new_guid(*parts: object) -> str:
    """Return a GUID derived from `parts`, so that the same export is the same file."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def xml_safe(text: object) -> str:
    """Drop characters XML cannot hold (control characters) and use \\n line breaks."""
    value = cell_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def safe_name(name: str, fallback: str, taken: set[str], strip_suffix: bool = True) -> str:
    """Return a file-name-safe, unique (ignoring case) version of `name`.

    The name is added to ``taken`` (case-folded).  A text file's suffix
    (``.txt``, ``.docx`` ...) is dropped unless ``strip_suffix`` is false;
    ``fallback`` is used when nothing safe is left.
    """
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


def timestamp() -> str:
    """Return the time now (UTC) as the standard writes it: ``2026-10-06T09:30:00Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=2)
def refi_schema(name: str) -> Any:
    """Return the REFI-QDA schema ``name`` (``Project.xsd`` or ``Codebook.xsd``), loaded once."""
    import xmlschema

    return xmlschema.XMLSchema(str(resources.files("toolkit") / "data" / "refi" / name))


def serialise(root: ET.Element, namespace: str, schema: str) -> bytes:
    """Return the XML of `root` in `namespace`, checked against the REFI-QDA schema.

    Raises
    ------
    RefiError
        If the XML does not follow the schema (a bug in the toolkit).
    """
    # Elements are built without a namespace and the root declares it as the
    # default, as the other tools write it; the bytes are parsed again to
    # check exactly what will be written.
    root.set("xmlns", namespace)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    for error in refi_schema(schema).iter_errors(ET.fromstring(xml)):
        raise RefiError(
            f"the export does not follow the REFI-QDA schema {schema}: {error.reason} "
            f"(at {error.path})",
            hint="this is a bug in the toolkit; please report it with the project's shape "
            "(not its data)",
        )
    return xml
