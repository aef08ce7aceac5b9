"""Write the small REFI-QDA fixtures in this folder (run: python make_fixtures.py).

Each fixture reproduces one way real exports depart from the standard, with
the same fictional interview and the same four codings, so the tests can
check that every coding lands on exactly the same words.  The shapes follow
public exports and importers (see tests/test_refi.py for which).  Everything
in them is invented.  The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = (2026, 10, 6, 12, 0, 0)

#: The interview, as the toolkit holds it (NFC, \n line breaks).
TEXT = (
    "FICTIONAL SAMPLE. Interview t01 with Maya (ward sister). Hartwell is invented.\n"
    "\n"
    "Sam: What helped Mr F get home? 🙂\n"
    "\n"
    "Maya: The driver 🚗 waited while he found his keys. The café rang ahead to his neighbour.\n"
    "\n"
    "Sam: Anything else?\n"
    "\n"
    "Maya: Zoë from the surgery 👋 came round that evening. It made all the difference.\n"
)

#: (coded text, code, coder) in the order they appear.
CODINGS = [
    ("The driver", "transport", "Ann"),
    ("rang ahead", "communication", "Ann"),
    ("Zoë from the surgery", "primary care", "Bilal"),
    ("came round that evening", "neighbours", "Bilal"),
]

CODES = {
    "transport": ("a1b2c3d4-0001-4000-8000-000000000001", "#1f77b4", "Getting there and back."),
    "communication": ("a1b2c3d4-0002-4000-8000-000000000002", "#ff7f0e", "Passing word on."),
    "primary care": ("a1b2c3d4-0003-4000-8000-000000000003", "#2ca02c", ""),
    "neighbours": ("a1b2c3d4-0004-4000-8000-000000000004", "#d62728", "Help from next door."),
}
GROUP = ("a1b2c3d4-0000-4000-8000-0000000000aa", "Practical help")
USERS = {
    "Ann": "b0000000-0000-4000-8000-000000000001",
    "Bilal": "b0000000-0000-4000-8000-000000000002",
}
SOURCE = "c0000000-0000-4000-8000-000000000001"
NS = "urn:QDA-XML:project:1.0"


def spans(text: str = TEXT) -> list[tuple[int, int]]:
    """Return the code-point spans of the codings in `text`."""
    out, offset = [], 0
    for words, _code, _coder in CODINGS:
        start = text.index(words, offset)
        out.append((start, start + len(words)))
        offset = start + len(words)
    return out


def utf16(text: str, p: int) -> int:
    return len(text[:p].encode("utf-16-le")) // 2


def utf8(text: str, p: int) -> int:
    return len(text[:p].encode("utf-8"))


def breaks_as_two(text: str, p: int) -> int:
    return p + text[:p].count("\n")


def plus_one(_text: str, p: int) -> int:
    return p + 1


def codepoints(_text: str, p: int) -> int:
    return p


def guid(value: str, braces: bool = False, upper: bool = False) -> str:
    value = value.upper() if upper else value
    return "{" + value + "}" if braces else value


def codebook_xml(braces: bool = False, upper: bool = False) -> str:
    codes = "".join(
        f'<Code guid="{guid(g, braces, upper)}" name="{name}" isCodable="true" color="{colour}">'
        + (f"<Description>{text}</Description>" if text else "")
        + "</Code>"
        for name, (g, colour, text) in CODES.items()
    )
    return (
        f'<CodeBook><Codes><Code guid="{guid(GROUP[0], braces, upper)}" name="{GROUP[1]}" '
        f'isCodable="false">{codes}</Code></Codes></CodeBook>'
    )


def users_xml(braces: bool = False, upper: bool = False) -> str:
    return (
        "<Users>"
        + "".join(
            f'<User guid="{guid(g, braces, upper)}" name="{name}" id="{name[0]}"/>'
            for name, g in USERS.items()
        )
        + "</Users>"
    )


def selections_xml(
    count,
    text: str = TEXT,
    braces: bool = False,
    upper: bool = False,
    names: bool = False,
    memo: bool = False,
) -> str:
    out = []
    for number, ((words, code, coder), (start, end)) in enumerate(
        zip(CODINGS, spans(text), strict=True), start=1
    ):
        sel = f"d0000000-0000-4000-8000-00000000000{number}"
        name = f' name="{words[:12]}"' if names else ' name=""'
        description = (
            "<Description>Said with feeling.</Description>" if memo and number == 1 else ""
        )
        # Braces on the coding's user but not on the selection's, as some tools mix them.
        out.append(
            f'<PlainTextSelection guid="{guid(sel, braces, upper)}"{name} '
            f'startPosition="{count(text, start)}" endPosition="{count(text, end)}" '
            f'creatingUser="{guid(USERS[coder], False, upper)}">{description}'
            f'<Coding guid="{guid(sel[:-1] + "f", braces, upper)}" '
            f'creatingUser="{guid(USERS[coder], braces, upper)}">'
            f'<CodeRef targetGUID="{guid(CODES[code][0], braces, upper)}"/></Coding>'
            "</PlainTextSelection>"
        )
    return "".join(out)


def project_xml(
    origin: str,
    source: str,
    *,
    braces: bool = False,
    upper: bool = False,
    extra: str = "",
    before_sources: str = "",
    after_sources: str = "",
    declaration: str = '<?xml version="1.0" encoding="utf-8"?>',
) -> bytes:
    return (
        f'{declaration}<Project xmlns="{NS}" name="Hartwell (fictional)" origin="{origin}" '
        f'creatingUserGUID="{guid(USERS["Ann"], braces, upper)}">'
        f"{users_xml(braces, upper)}{codebook_xml(braces, upper)}{before_sources}"
        f"<Sources>{source}</Sources>{after_sources}{extra}</Project>"
    ).encode()


def text_source(
    selections: str,
    *,
    name: str = "t01.txt",
    path: str | None = None,
    rich: str | None = None,
    inner: str = "",
    braces: bool = False,
    upper: bool = False,
) -> str:
    attributes = f'guid="{guid(SOURCE, braces, upper)}" name="{name}"'
    if path is not None:
        attributes += f' plainTextPath="{path}"'
    if rich is not None:
        attributes += f' richTextPath="{rich}"'
    return f"<TextSource {attributes}>{selections}{inner}</TextSource>"


def write_zip(name: str, entries: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries:
            info = zipfile.ZipInfo(entry, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    (HERE / name).write_bytes(buffer.getvalue())


def docx_bytes(text: str) -> bytes:
    """Return a minimal Word file holding `text`, one paragraph a line."""
    from xml.sax.saxutils import escape

    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        if line
        else "<w:p/>"
        for line in text.split("\n")
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    parts = {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": head
        + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, xml.encode())
    return out.getvalue()


def main() -> None:
    txt = f"internal://{SOURCE}.txt"
    plain = TEXT.encode("utf-8")

    # NVivo for Windows: .NET strings, so positions in UTF-16 code units (each
    # emoji counts two).  With a case and its variables, a note linked to a
    # selection as an annotation, and a project-level note.
    notes = (
        "<Notes>"
        '<Note guid="e0000000-0000-4000-8000-000000000001" name="Annotation">'
        "<PlainTextContent>Check with Maya which driver.</PlainTextContent></Note>"
        '<Note guid="e0000000-0000-4000-8000-000000000002" name="Team memo">'
        "<PlainTextContent>Transport keeps coming up.</PlainTextContent></Note>"
        "</Notes>"
    )
    links = (
        '<Links><Link guid="e1000000-0000-4000-8000-000000000001" '
        'originGUID="e0000000-0000-4000-8000-000000000001" '
        'targetGUID="d0000000-0000-4000-8000-000000000001"/></Links>'
    )
    variables = (
        '<Variables><Variable guid="f0000000-0000-4000-8000-000000000001" name="role" '
        'typeOfVariable="Text"/><Variable guid="f0000000-0000-4000-8000-000000000002" '
        'name="age" typeOfVariable="Integer"/></Variables>'
        '<Cases><Case guid="f1000000-0000-4000-8000-000000000001" name="Maya">'
        '<VariableValue><VariableRef targetGUID="f0000000-0000-4000-8000-000000000001"/>'
        "<TextValue>ward sister</TextValue></VariableValue>"
        '<VariableValue><VariableRef targetGUID="f0000000-0000-4000-8000-000000000002"/>'
        "<IntegerValue>44</IntegerValue></VariableValue>"
        f'<SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
    )
    write_zip(
        "nvivo-utf16-emoji.qdpx",
        [
            (
                "project.qde",
                project_xml(
                    "NVivo for Windows 14.23.0",
                    text_source(selections_xml(utf16), path=txt),
                    before_sources=variables,
                    after_sources=notes + links,
                    extra='<NoteRef targetGUID="e0000000-0000-4000-8000-000000000002"/>',
                ),
            ),
            (f"sources/{SOURCE}.txt", plain),
        ],
    )

    # A tool whose text holds CR LF but writes the plain text with LF: each
    # line break counted as two.
    write_zip(
        "crlf-counted-as-two.qdpx",
        [
            (
                "project.qde",
                project_xml(
                    "NVivo for Windows 12.6", text_source(selections_xml(breaks_as_two), path=txt)
                ),
            ),
            (f"sources/{SOURCE}.txt", plain),
        ],
    )

    # ATLAS.ti for Windows: the plain text has CR LF, positions count it as
    # one; quotations are named after their first words.
    write_zip(
        "atlas-crlf-counted-as-one.qdpx",
        [
            (
                "project.qde",
                project_xml(
                    "ATLAS.ti Windows 23.2.1",
                    text_source(selections_xml(codepoints, names=True), path=txt),
                ),
            ),
            (f"sources/{SOURCE}.txt", TEXT.replace("\n", "\r\n").encode("utf-8")),
        ],
    )

    # QualCoder writes plain text with a UTF-8 byte-order mark (utf-8-sig),
    # and does not count it.
    write_zip(
        "bom-not-counted.qdpx",
        [
            (
                "project.qde",
                project_xml("QualCoder 3.6", text_source(selections_xml(codepoints), path=txt)),
            ),
            (f"sources/{SOURCE}.txt", b"\xef\xbb\xbf" + plain),
        ],
    )

    # A byte-order mark counted as a character.
    write_zip(
        "bom-counted.qdpx",
        [
            (
                "project.qde",
                project_xml("Example QDA 1.0", text_source(selections_xml(plus_one), path=txt)),
            ),
            (f"sources/{SOURCE}.txt", b"\xef\xbb\xbf" + plain),
        ],
    )

    # Positions in UTF-8 bytes (tools that keep text in byte strings).
    write_zip(
        "utf8-bytes.qdpx",
        [
            (
                "project.qde",
                project_xml("Example QDA 2.0", text_source(selections_xml(utf8), path=txt)),
            ),
            (f"sources/{SOURCE}.txt", plain),
        ],
    )

    # NVivo names the folder Sources/ (capital S).
    write_zip(
        "capital-sources-folder.qdpx",
        [
            (
                "project.qde",
                project_xml("NVivo 14", text_source(selections_xml(codepoints), path=txt)),
            ),
            (f"Sources/{SOURCE}.txt", plain),
        ],
    )

    # The project file is not called project.qde.
    write_zip(
        "other-qde-name.qdpx",
        [
            (
                "Hartwell export.qde",
                project_xml("QualCoder 3.5", text_source(selections_xml(codepoints), path=txt)),
            ),
            (f"sources/{SOURCE}.txt", plain),
        ],
    )

    # MAXQDA: upper-case GUIDs (here also in braces, as .NET writes them, and
    # mixed with bare ones), a source named without extension, document
    # variables inside the source, a case without a name, a coding comment
    # (Description) and a comment without a code.
    maxqda_vars = (
        '<Variables><Variable guid="{F0000000-0000-4000-8000-000000000003}" name="site" '
        'typeOfVariable="Text"/></Variables>'
    )
    maxqda_inner = (
        '<VariableValue><VariableRef targetGUID="F0000000-0000-4000-8000-000000000003"/>'
        "<TextValue>Hartwell General</TextValue></VariableValue>"
    )
    comment = (
        '<PlainTextSelection guid="{D0000000-0000-4000-8000-0000000000C1}" name="" '
        'startPosition="0" endPosition="17"><Description>Title line, not speech.</Description>'
        "</PlainTextSelection>"
    )
    write_zip(
        "maxqda-brace-guids.qdpx",
        [
            (
                "project.qde",
                project_xml(
                    "MAXQDA 2022 (Release 22.4.0)",
                    text_source(
                        comment + selections_xml(codepoints, braces=True, upper=True, memo=True),
                        name="t01",
                        path=f"internal://{SOURCE.upper()}.txt",
                        inner=maxqda_inner,
                        braces=True,
                        upper=True,
                    ),
                    braces=True,
                    upper=True,
                    before_sources=maxqda_vars
                    + '<Cases><Case guid="{F1000000-0000-4000-8000-000000000002}">'
                    f'<SourceRef targetGUID="{{{SOURCE.upper()}}}"/></Case></Cases>',
                ),
            ),
            (f"sources/{SOURCE.upper()}.txt", plain),
        ],
    )

    # NVivo for Mac: the plain-text file holds only a line break and the text
    # is in the Word file; a second source has no plain-text file at all.
    second = "c0000000-0000-4000-8000-000000000002"
    docx = docx_bytes(TEXT)
    source_two = (
        f'<TextSource guid="{second}" name="t02" richTextPath="internal://{second}.docx">'
        + selections_xml(codepoints).replace("d0000000", "d2000000")
        + "</TextSource>"
    )
    write_zip(
        "nvivo-mac-docx-only.qdpx",
        [
            (
                "project.qde",
                project_xml(
                    "NVivo for Mac 15.0.0",
                    text_source(
                        selections_xml(codepoints),
                        path=txt,
                        rich=f"internal://{SOURCE}.docx",
                    )
                    + source_two,
                    declaration='<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
                ),
            ),
            (f"sources/{SOURCE}.txt", b"\n"),
            (f"sources/{SOURCE}.docx", docx),
            (f"sources/{second}.docx", docx),
            ("sources/.root", b""),
        ],
    )

    # --- hostile archives -------------------------------------------------
    good = project_xml("Example QDA 1.0", text_source(selections_xml(codepoints), path=txt))
    write_zip(
        "hostile-zip-slip.qdpx",
        [("project.qde", good), (f"sources/{SOURCE}.txt", plain), ("../../evil.txt", b"pwned")],
    )
    write_zip(
        "hostile-absolute-path.qdpx",
        [("project.qde", good), (f"sources/{SOURCE}.txt", plain), ("/tmp/evil.txt", b"pwned")],
    )
    # 8 MiB of zeros compress about a thousand times.
    write_zip(
        "hostile-bomb-ratio.qdpx",
        [("project.qde", good), (f"sources/{SOURCE}.txt", b"\0" * (8 * 1024 * 1024))],
    )
    # A small entry whose headers declare 3 GB.
    write_zip("hostile-bomb-size.qdpx", [("project.qde", good), (f"sources/{SOURCE}.txt", plain)])
    data = bytearray((HERE / "hostile-bomb-size.qdpx").read_bytes())
    central = data.rfind(b"PK\x01\x02")
    name_length = struct.unpack("<H", data[central + 28 : central + 30])[0]
    assert data[central + 46 : central + 46 + name_length].endswith(b".txt")
    data[central + 24 : central + 28] = struct.pack("<I", 3_000_000_000)
    (HERE / "hostile-bomb-size.qdpx").write_bytes(bytes(data))
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>'
    )
    write_zip("hostile-xxe.qdpx", [("project.qde", xxe)])
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;">]>'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>'
    )
    write_zip("hostile-entities.qdpx", [("project.qde", laughs)])

    # --- codebooks ---------------------------------------------------------
    # NVivo 12 for Mac writes the namespace as codebook:1:0, not 1.0.
    (HERE / "nvivo-codebook.qdc").write_bytes(
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 '
            'For Mac" xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
            + codebook_xml()[len("<CodeBook><Codes>") : -len("</Codes></CodeBook>")]
            + "</Codes></CodeBook>"
        ).encode("utf-8")
    )
    # ATLAS.ti: flat codes, code groups as sets.
    flat = "".join(
        f'<Code guid="{g.upper()}" name="{name}" color="{colour}" isCodable="true">'
        + (f"<Description>{text}</Description>" if text else "")
        + "</Code>"
        for name, (g, colour, text) in CODES.items()
    )
    members = "".join(
        f'<MemberCode guid="{CODES[c][0].upper()}"/>' for c in ("transport", "neighbours")
    )
    (HERE / "atlas-codebook.qdc").write_bytes(
        (
            '<?xml version="1.0" encoding="utf-8"?><CodeBook origin="ATLAS.ti Win 23.4.0" '
            f'xmlns="urn:QDA-XML:codebook:1.0"><Codes>{flat}</Codes><Sets>'
            '<Set name="Practical help" guid="A9000000-0000-4000-8000-000000000001">'
            f"{members}</Set></Sets></CodeBook>"
        ).encode()
    )


if __name__ == "__main__":
    main()
