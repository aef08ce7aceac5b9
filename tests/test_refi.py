"""REFI-QDA import and export: every coding keeps its words, whatever tool wrote the file.

The fixtures in tests/data/refi/ are written by make_fixtures.py there.  Each
reproduces one way real exports depart from the standard, checked against
public exports and importers:

- NVivo for Mac 15.0.0 (the sample export in cproctor/qualitative-coding):
  a one-byte plain-text file beside the Word file, GUID-like source names,
  code names repeated at different places in the hierarchy;
- NVivo for Windows 12.6 (the shape used in QualCanvas' tests): ``Sources/``
  with a capital S, no ``creatingUser`` on codings; QualCoder's importer pads
  CR LF line breaks for NVivo, whose positions count them as two;
- ATLAS.ti for Windows: CR LF in the plain text but counted as one
  (QualCoder's importer special-cases it); codebooks in other namespace
  spellings and code groups as sets;
- MAXQDA: upper-case GUIDs, sources without an extension, document variables
  inside sources, cases without names, comments as ``Description``;
- QualCoder: plain text written with a byte-order mark, any ``.qde`` name,
  relative ``plainTextPath`` values (qc's demo project).
"""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import tables
from toolkit.cli import cli
from toolkit.io.decoding import normalise_text
from toolkit.refi import archive

DATA = Path(__file__).resolve().parent / "data" / "refi"
sys.path.insert(0, str(DATA))
import make_fixtures as fixtures  # noqa: E402

SCHEMAS = Path(tk.__file__).resolve().parent / "data" / "refi"
EXPECTED = [(words, code, coder) for words, code, coder in fixtures.CODINGS]


def table_of(codebook) -> pd.DataFrame:
    return codebook.table if hasattr(codebook, "table") else codebook


def coded(project: tk.Project) -> list[tuple[str, str, str]]:
    """Return (coded text, code, coder) for every coding, in document order."""
    texts = dict(zip(project.documents["interview_id"], project.documents["text"], strict=True))
    rows = project.codings.sort_values(["interview_id", "start", "end", "code"])
    return [
        (texts[r.interview_id][r.start : r.end], r.code, r.coder)
        for r in rows.itertuples(index=False)
    ]


def details(project_or_report) -> str:
    report = getattr(project_or_report, "report", project_or_report)
    return "\n".join(report["detail"])


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def build_qdpx(path: Path, entries: dict[str, bytes], infos: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            for key, value in (infos or {}).get(name, {}).items():
                setattr(info, key, value)
            archive.writestr(info, data)
    return path


def small_project() -> tk.Project:
    text = "Sam: What helped?\n\nAli: The driver 🚗 waited. Zoë rang ahead."
    project = tk.Project(name="Small (fictional)", description="A tiny invented project.")
    project.documents = pd.DataFrame({"interview_id": ["int01"], "text": [text], "source": ["x"]})
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("The driver", "Zoë rang ahead")]
    project.codings = pd.DataFrame(
        {
            "interview_id": ["int01", "int01"],
            "segment_id": [2, 2],
            "start": [s for s, _ in spans],
            "end": [e for _, e in spans],
            "code": ["transport", "communication"],
            "coder": ["ann", "bilal"],
            "method": ["manual", "manual"],
            "memo": ["Said twice.", ""],
            "rule": ["", ""],
        }
    )
    project.codebook = pd.DataFrame(
        {
            "code": ["transport", "communication", "lifts"],
            "theme": ["Practical help", "", "Practical help"],
            "parent": ["", "", "transport"],
            "definition": ["Getting there and back.", "Passing word on.", ""],
            "include": ["taxis, buses", "", ""],
            "exclude": ["", "", ""],
            "example": ["", "She rang ahead.", ""],
            "color": ["#1f77b4", "#FF7F0E", ""],
        }
    )
    project.participants = pd.DataFrame(
        {
            "interview_id": ["int01"],
            "role": ["volunteer driver"],
            "age": ["61"],
            "consent_date": ["2026-10-06"],
            "paid": ["false"],
        }
    )
    project.settings = {
        "language": "en-GB",
        "notes": [{"title": "Memo", "text": "Hi", "about": "int01"}],
    }
    return project


# --------------------------------------------------------------------------
# Real export quirks: every coding lands on the same words


@pytest.mark.parametrize(
    ("fixture", "told"),
    [
        ("nvivo-utf16-emoji.qdpx", "counted positions in UTF-16 code units"),
        ("utf8-bytes.qdpx", "counted positions in UTF-8 bytes"),
        ("crlf-counted-as-two.qdpx", "counted each line break as two characters"),
        ("atlas-crlf-counted-as-one.qdpx", "counted a Windows line break (CR LF) as one"),
        ("bom-counted.qdpx", "counted the byte-order mark"),
        ("bom-not-counted.qdpx", None),
        ("capital-sources-folder.qdpx", None),
        ("other-qde-name.qdpx", "another name than project.qde"),
        ("maxqda-brace-guids.qdpx", None),
        ("nvivo-mac-docx-only.qdpx", "read the text of the Word file"),
    ],
)
def test_quirky_exports_keep_every_coding_on_its_words(fixture, told):
    project = tk.read_qdpx(DATA / fixture)
    assert sorted(coded(project)) == sorted(EXPECTED * len(project.documents))
    for text in project.documents["text"]:
        assert text == fixtures.TEXT
        assert "\r" not in text and "\ufeff" not in text
    if told:
        assert told in details(project)
    else:
        assert "positions" not in set(project.report["kind"])


def test_standard_exports_are_not_converted():
    project = tk.read_qdpx(DATA / "capital-sources-folder.qdpx")
    assert not project.report["status"].isin(["converted", "warning", "skipped"]).any()


def test_nvivo_notes_cases_and_variables_carry_over():
    project = tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx")
    memos = dict(zip(project.codings["code"], project.codings["memo"], strict=True))
    assert memos["transport"] == "Check with Maya which driver."
    row = project.participants.set_index("interview_id").loc["t01"]
    assert (row["case"], row["role"], row["age"]) == ("Maya", "ward sister", "44")
    notes = project.settings["notes"]
    assert [n["text"] for n in notes] == ["Transport keeps coming up."]
    assert "1 note" in details(project)
    assert project.settings["imported_from"]["origin"] == "NVivo for Windows 14.23.0"


def test_maxqda_braces_variables_comments_and_annotations():
    project = tk.read_qdpx(DATA / "maxqda-brace-guids.qdpx")
    assert list(project.documents["interview_id"]) == ["t01"]
    assert project.participants.set_index("interview_id").loc["t01", "site"] == "Hartwell General"
    assert set(project.codings["coder"]) == {"Ann", "Bilal"}
    memo = project.codings.set_index("code").loc["transport", "memo"]
    assert memo == "Said with feeling."
    annotation = project.settings["notes"][0]
    assert annotation["text"] == "Title line, not speech." and annotation["about"] == "t01 [0:17]"


def test_codes_carry_hierarchy_colour_description_and_themes():
    project = tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx")
    table = table_of(project.codebook).set_index("code")
    assert list(table.index) == ["transport", "communication", "primary care", "neighbours"]
    assert set(table["theme"]) == {"Practical help"}
    assert table.loc["transport", "color"] == "#1f77b4"
    assert table.loc["neighbours", "definition"] == "Help from next door."
    assert "1 top-level group became themes: Practical help" in details(project)


def test_segments_contain_each_codings_start():
    project = tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx")
    segments = project.segments.set_index(["interview_id", "segment_id"])
    for row in project.codings.itertuples():
        segment = segments.loc[(row.interview_id, row.segment_id)]
        assert segment["start"] <= row.start < segment["end"]
        text = project.documents.set_index("interview_id").loc[row.interview_id, "text"]
        assert text[segment["start"] : segment["end"]] == segment["text"]


def test_real_nvivo_mac_shape_duplicate_code_names_are_kept_apart(tmp_path):
    # As in NVivo for Mac's export: the same code name under two parents.
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo for Mac 15.0.0">'
        b"<CodeBook><Codes>"
        b'<Code guid="11111111-1111-4111-8111-111111111111" name="skills" isCodable="true">'
        b'<Code guid="11111111-1111-4111-8111-111111111112" name="programming" isCodable="true"/>'
        b"</Code>"
        b'<Code guid="11111111-1111-4111-8111-111111111113" name="framings" isCodable="true">'
        b'<Code guid="11111111-1111-4111-8111-111111111114" name="programming" isCodable="true"/>'
        b"</Code></Codes></CodeBook></Project>"
    )
    project = tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml}))
    table = table_of(project.codebook)
    assert list(table["code"]) == ["skills", "programming", "framings", "programming (framings)"]
    assert list(table["parent"]) == ["", "skills", "", "framings"]
    assert "renamed to keep codes apart" in details(project)


def test_coder_comes_from_the_selection_when_the_coding_has_none(tmp_path):
    # NVivo for Windows 12.6 leaves creatingUser off <Coding>.
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo for Windows 12.6">'
        b'<Users><User guid="aaaaaaaa-0000-4000-8000-000000000001" name="Coder"/></Users>'
        b'<CodeBook><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="c" '
        b'isCodable="true"/></Codes></CodeBook><Sources>'
        b'<TextSource guid="aaaaaaaa-0000-4000-8000-000000000003" name="s" '
        b'plainTextPath="internal://s.txt">'
        b'<PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000004" startPosition="4" '
        b'endPosition="10" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">'
        b'<Coding guid="aaaaaaaa-0000-4000-8000-000000000005">'
        b'<CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000002"/></Coding>'
        b"</PlainTextSelection></TextSource></Sources></Project>"
    )
    text = b"The vaccine question came up repeatedly."
    path = build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml, "Sources/s.txt": text})
    assert coded(tk.read_qdpx(path)) == [("vaccin", "c", "Coder")]


def test_a_zipped_folder_with_the_project_inside_is_read(tmp_path):
    # Users often unzip a .qdpx, look inside and zip the folder again.
    qde = (DATA / "capital-sources-folder.qdpx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(qde)) as original:
        entries = {f"Hartwell/{name}": original.read(name) for name in original.namelist()}
    project = tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", entries))
    assert sorted(coded(project)) == sorted(EXPECTED)


def test_coder_names_become_file_names(tmp_path):
    users = "".join(
        f'<User guid="bbbbbbbb-0000-4000-8000-00000000000{i}" name="{name}"/>'
        for i, name in enumerate(["A/B Smith", "ann", "Ann"])
    )
    xml = f'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users>{users}</Users></Project>'
    project = tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml.encode()}))
    assert "'A/B Smith' -> 'A-B Smith'" in details(project)
    assert "'Ann' -> 'Ann-2'" in details(project)


def test_sources_outside_the_archive_are_never_opened(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for anyone")
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p" basePath="/">'
        "<Sources>"
        f'<TextSource guid="22222222-2222-4222-8222-222222222221" name="a" '
        f'plainTextPath="absolute://{secret}"/>'
        '<TextSource guid="22222222-2222-4222-8222-222222222222" name="b" '
        'plainTextPath="relative://../secret.txt"/>'
        "</Sources></Project>"
    ).encode()
    project = tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml}))
    assert project.documents.empty
    assert "not in the archive" in details(project)


def test_relative_plain_text_path_found_in_sources(tmp_path):
    # qc (qualitative-coding) writes plainTextPath="board.txt", without internal://.
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="qc 1.3.2"><Sources>'
        b'<TextSource guid="33333333-3333-4333-8333-333333333333" plainTextPath="board.txt">'
        b'<PlainTextSelection guid="33333333-3333-4333-8333-333333333334" startPosition="0" '
        b'endPosition="5"/></TextSource></Sources></Project>'
    )
    path = build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml, "sources/board.txt": b"Hello."})
    project = tk.read_qdpx(path)
    assert list(project.documents["interview_id"]) == ["board"]
    assert project.documents["text"][0] == "Hello."


def test_media_and_sets_are_reported_not_carried(tmp_path):
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
        b'<PictureSource guid="44444444-4444-4444-8444-444444444441" name="photo" '
        b'path="internal://x.jpg"><PictureSelection guid="44444444-4444-4444-8444-444444444442" '
        b'firstX="0" firstY="0" secondX="1" secondY="1"/></PictureSource>'
        b'<AudioSource guid="44444444-4444-4444-8444-444444444443" name="tape"/>'
        b'</Sources><Sets><Set guid="44444444-4444-4444-8444-444444444444" name="s"/></Sets>'
        b"</Project>"
    )
    project = tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml}))
    text = details(project)
    assert "1 picture source, 1 audio source" in text
    assert "1 coding on pictures" in text
    assert "1 set" in text


def test_positions_standard_trusts_the_file():
    project = tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx", positions="standard")
    assert [t for t, _c, _k in coded(project)] != [w for w, _c, _k in EXPECTED]
    with pytest.raises(tk.RefiError, match="positions='auto' or 'standard'"):
        tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx", positions="utf-16")


def test_decomposed_accents_are_composed_and_positions_follow(tmp_path):
    raw = "Zoe\u0301 rang. Cafe\u0301 staff came."
    start = raw.index("Cafe")
    end = start + len("Cafe\u0301 staff")
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        '<Code guid="55555555-5555-4555-8555-555555555551" name="c" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="55555555-5555-4555-8555-555555555552" name="a" '
        'plainTextPath="internal://a.txt">'
        f'<PlainTextSelection guid="55555555-5555-4555-8555-555555555553" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="55555555-5555-4555-8555-555555555554">'
        '<CodeRef targetGUID="55555555-5555-4555-8555-555555555551"/></Coding>'
        "</PlainTextSelection></TextSource></Sources></Project>"
    ).encode()
    path = build_qdpx(tmp_path / "p.qdpx", {"project.qde": xml, "sources/a.txt": raw.encode()})
    project = tk.read_qdpx(path)
    assert coded(project) == [("Café staff", "c", "unknown")]
    assert "NFC" in details(project)


# --------------------------------------------------------------------------
# Hostile archives are refused, and nothing is written


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("hostile-zip-slip.qdpx", "climbs out of it with '..'"),
        ("hostile-absolute-path.qdpx", "has an absolute path"),
        ("hostile-bomb-ratio.qdpx", "expands 1,028 times"),
        ("hostile-bomb-size.qdpx", "declares 3,000,000,000 bytes"),
        ("hostile-xxe.qdpx", "document type declaration or entities"),
        ("hostile-entities.qdpx", "document type declaration or entities"),
    ],
)
def test_hostile_archives_are_refused_and_nothing_is_written(fixture, message, tmp_path):
    with pytest.raises(tk.RefiError, match="How to fix") as error:
        tk.read_qdpx(DATA / fixture)
    assert message in str(error.value)
    assert fixture in str(error.value)
    target = tmp_path / "imported"
    result = CliRunner().invoke(cli, ["refi", "import", str(DATA / fixture), str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and message in result.output
    assert not target.exists()
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("..\\..\\evil.txt", "climbs out"),
        ("sources/../../evil.txt", "climbs out"),
        ("C:/Windows/evil.txt", "absolute path"),
        ("\\\\server\\share\\evil.txt", "absolute path"),
    ],
)
def test_windows_style_escapes_are_refused(name, message, tmp_path):
    path = build_qdpx(tmp_path / "p.qdpx", {"project.qde": b"<Project/>", name: b"x"})
    with pytest.raises(tk.RefiError, match=message):
        tk.read_qdpx(path)


def test_links_and_encrypted_entries_are_refused(tmp_path):
    link = {"evil": {"external_attr": (0o120777 << 16)}}
    path = build_qdpx(tmp_path / "l.qdpx", {"project.qde": b"<Project/>", "evil": b"/etc"}, link)
    with pytest.raises(tk.RefiError, match="is a link"):
        tk.read_qdpx(path)
    path = build_qdpx(tmp_path / "e.qdpx", {"project.qde": b"<Project/>"})
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag in the central directory
    path.write_bytes(bytes(data))
    with pytest.raises(tk.RefiError, match="encrypted"):
        tk.read_qdpx(path)


def test_too_many_entries_and_total_size_are_refused(tmp_path, monkeypatch):
    path = build_qdpx(tmp_path / "p.qdpx", {f"sources/{i}.txt": b"x" * 100 for i in range(5)})
    monkeypatch.setattr(archive, "MAX_ENTRIES", 4)
    with pytest.raises(tk.RefiError, match="at most 4 files"):
        tk.read_qdpx(path)
    monkeypatch.setattr(archive, "MAX_ENTRIES", 100)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 300)
    with pytest.raises(tk.RefiError, match="declares 500"):
        tk.read_qdpx(path)


def test_headers_that_understate_the_size_are_caught_while_reading(tmp_path):
    good = DATA / "capital-sources-folder.qdpx"
    data = bytearray(good.read_bytes())
    # Make the project file's headers claim 100 bytes; the data expands to more.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 11] == b"project.qde":
                data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    path = tmp_path / "liar.qdpx"
    path.write_bytes(bytes(data))
    with pytest.raises(tk.RefiError, match=r"damaged|expands to more"):
        tk.read_qdpx(path)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"readme.txt": b"hello"}, "expected a project file (.qde)"),
        ({"project.qde": b"<Project><Users>"}, "expected well-formed XML"),
        ({"project.qde": b"<CodeBook/>"}, "expected a REFI-QDA <Project>"),
    ],
)
def test_bad_projects_get_a_message(entries, message, tmp_path):
    with pytest.raises(tk.RefiError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tk.read_qdpx(build_qdpx(tmp_path / "p.qdpx", entries))


def test_not_a_zip_missing_file_and_codebook_files(tmp_path):
    (tmp_path / "notes.qdpx").write_text("hello")
    with pytest.raises(tk.RefiError, match="not a zip file"):
        tk.read_qdpx(tmp_path / "notes.qdpx")
    with pytest.raises(tk.RefiError, match="there is none"):
        tk.read_qdpx(tmp_path / "missing.qdpx")
    with pytest.raises(tk.RefiError, match="read_qdc"):
        tk.read_qdpx(DATA / "nvivo-codebook.qdc")
    with pytest.raises(tk.RefiError, match="read_qdpx"):
        tk.read_qdc(DATA / "maxqda-brace-guids.qdpx")


def test_malformed_xml_names_its_line(tmp_path):
    path = build_qdpx(tmp_path / "p.qdpx", {"project.qde": b"<Project>\n<Users>\n</Project>"})
    with pytest.raises(tk.RefiError) as error:
        tk.read_qdpx(path)
    assert error.value.line == 3


def test_a_hostile_word_file_inside_is_refused_but_the_rest_imports(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as inner:
        inner.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
        b'<TextSource guid="66666666-6666-4666-8666-666666666661" name="a" '
        b'richTextPath="internal://a.docx"/>'
        b'<TextSource guid="66666666-6666-4666-8666-666666666662" name="b" '
        b'plainTextPath="internal://b.txt"/></Sources></Project>'
    )
    path = tmp_path / "p.qdpx"
    build_qdpx(path, {"project.qde": xml, "sources/b.txt": b"Fine."})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("sources/a.docx", bomb.getvalue())
    project = tk.read_qdpx(path)
    assert list(project.documents["interview_id"]) == ["b"]
    assert "Word file: expected ordinary compression" in details(project)


# --------------------------------------------------------------------------
# Export: valid REFI-QDA, and what does not carry is named


def test_export_validates_against_the_schema(tmp_path):
    path = tmp_path / "small.qdpx"
    tk.write_qdpx(small_project(), path)
    schema = xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))
    schema.validate(qde_of(path).decode("utf-8"))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])


def test_sample_project_export_validates_and_reimports(tmp_path, sample):
    path = tmp_path / "sample.qdpx"
    assert tk.write_qdpx(sample, path) == path
    report = tk.qdpx_carry_over(sample)
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(qde_of(path).decode("utf-8"))
    back = tk.read_qdpx(path)
    assert list(back.documents["text"]) == list(sample.documents["text"])
    assert sorted(coded(back)) == sorted(coded(sample))
    assert "documents" in set(report["kind"])
    if len(sample.stakeholders):
        assert "stakeholders.csv" in set(report["file"])


@pytest.mark.parametrize(
    "fixture", ["nvivo-utf16-emoji.qdpx", "nvivo-mac-docx-only.qdpx", "bom-counted.qdpx"]
)
def test_imported_tables_are_in_the_tables_shape(fixture):
    project = tk.read_qdpx(DATA / fixture)
    for name in ("documents", "segments", "participants", "codings"):
        assert tables.conforms(getattr(project, name), name), name
    assert tables.conforms(table_of(project.codebook), "codebook")
    assert list(project.documents.columns) == tables.DOCUMENTS.names
    assert set(project.documents["format"]) == {"qdpx"}
    assert project.documents["encoding"].ne("").all()
    assert list(project.segments.columns) == tables.SEGMENTS.names
    assert list(project.codings.columns) == tables.CODINGS.names


def test_an_empty_project_reads_as_empty_tables_in_shape(tmp_path):
    tk.write_qdpx(tk.Project(name="Empty"), tmp_path / "empty.qdpx")
    project = tk.read_qdpx(tmp_path / "empty.qdpx")
    assert project.documents.empty and project.codings.empty
    for name in ("documents", "segments", "participants", "codings"):
        assert tables.conforms(getattr(project, name), name), name


def test_small_project_round_trip_keeps_everything_refi_can_carry(tmp_path):
    project = small_project()
    path = tmp_path / "small.qdpx"
    tk.write_qdpx(project, path)
    report = tk.qdpx_carry_over(project)
    back = tk.read_qdpx(path)
    assert coded(back) == coded(project)
    assert list(back.codings["memo"]) == ["Said twice.", ""]
    assert set(back.codings["method"]) == {"import"}
    assert back.name == project.name and back.description == project.description
    expected = project.codebook.sort_values("code").reset_index(drop=True)
    got = table_of(back.codebook)[tables.CODEBOOK.names].sort_values("code").reset_index(drop=True)
    pd.testing.assert_frame_equal(got.astype(object), expected.astype(object), check_dtype=False)
    participants = back.participants.set_index("interview_id")
    assert participants.loc["int01"].to_dict() == {
        "role": "volunteer driver",
        "age": "61",
        "consent_date": "2026-10-06",
        "paid": "false",
    }
    assert back.settings["notes"] == [{"title": "Memo", "text": "Hi", "about": "int01"}]
    assert back.settings["language"] == "en-GB"
    assert "criteria and examples were added" in details(report)
    assert "settings (language) kept in a project note" in details(report)


def test_variable_types_follow_the_values(tmp_path):
    path = tmp_path / "small.qdpx"
    tk.write_qdpx(small_project(), path)
    xml = qde_of(path).decode("utf-8")
    for name, kind in (("role", "Text"), ("age", "Integer"), ("consent_date", "Date")):
        assert f'name="{name}" typeOfVariable="{kind}"' in xml
    assert 'name="paid" typeOfVariable="Boolean"' in xml


def test_css_colour_names_become_hex_and_bad_colours_are_named(tmp_path):
    project = small_project()
    project.codebook.loc[0, "color"] = "Teal"
    project.codebook.loc[1, "color"] = "sort of blue"
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    report = tk.qdpx_carry_over(project)
    table = table_of(tk.read_qdpx(tmp_path / "p.qdpx").codebook).set_index("code")
    assert table.loc["transport", "color"] == "#008080"
    assert table.loc["communication", "color"] == ""
    assert "colour 'sort of blue' is neither" in details(report)


def test_export_names_what_stays_behind(tmp_path):
    project = small_project()
    project.stakeholders = pd.DataFrame({"stakeholder": ["Ward 7"], "energy": [4]})
    project.votes = pd.DataFrame({"participant": ["p1"], "item": ["x"], "dots": [2]})
    project.codings = pd.concat(
        [project.codings, project.codings.assign(method="rule", coder="rules")],
        ignore_index=True,
    )

    class WithRules:
        def __init__(self, table):
            self.table = table
            self.rules = ["transport: driver|taxi", "communication: rang"]

    project.codebook = WithRules(project.codebook)
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    report = tk.qdpx_carry_over(project)
    text = details(report)
    assert "2 coding rules stay in the project's codebook.yml" in text
    assert "stay in stakeholders.csv" in text and "stay in votes.csv" in text
    assert "2 rule codings not exported" in text
    statuses = dict(zip(report["file"], report["status"], strict=False))
    assert statuses["codebook.yml"] == "not carried"


def test_export_skips_codings_outside_the_text_and_says_so(tmp_path):
    project = small_project()
    project.codings.loc[0, "end"] = 10_000
    project.codings.loc[1, "interview_id"] = "nobody"
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    report = tk.qdpx_carry_over(project)
    assert "2 codings pointed outside their document" in details(report)
    assert tk.read_qdpx(tmp_path / "p.qdpx").codings.empty


def test_export_adds_codes_missing_from_the_codebook(tmp_path):
    project = small_project()
    project.codebook = None
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    report = tk.qdpx_carry_over(project)
    assert "2 codes used in codings but missing from the codebook added" in details(report)
    assert set(table_of(tk.read_qdpx(tmp_path / "p.qdpx").codebook)["code"]) == {
        "transport",
        "communication",
    }


def test_blank_offsets_export_the_whole_segment(tmp_path):
    project = small_project()
    text = project.documents["text"][0]
    start = text.index("The driver")
    project.segments = pd.DataFrame(
        {
            "interview_id": ["int01"],
            "segment_id": [2],
            "speaker": ["Ali"],
            "start": [start],
            "end": [len(text)],
            "text": [text[start:]],
        }
    )
    project.codings["start"] = [None, project.codings["start"][1]]
    project.codings["end"] = [None, project.codings["end"][1]]
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    back = tk.read_qdpx(tmp_path / "p.qdpx")
    assert ("The driver 🚗 waited. Zoë rang ahead.", "transport", "ann") in coded(back)


def test_export_refuses_duplicate_interview_ids(tmp_path):
    project = small_project()
    project.documents = pd.concat([project.documents] * 2, ignore_index=True)
    with pytest.raises(tk.RefiError, match="its own interview_id"):
        tk.write_qdpx(project, tmp_path / "p.qdpx")
    assert not (tmp_path / "p.qdpx").exists()


def test_export_is_reproducible_apart_from_dates(tmp_path):
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    tk.write_qdpx(small_project(), first)
    tk.write_qdpx(small_project(), second)

    def without_dates(path):
        import re

        return re.sub(rb'DateTime="[^"]*"', b"", qde_of(path))

    assert without_dates(first) == without_dates(second)


def test_write_qdpx_returns_the_path_and_the_report_is_its_own_function(tmp_path):
    """Issue 14: every writer returns the Path it wrote; the report is computed apart."""
    written = tk.write_qdpx(small_project(), str(tmp_path / "p.qdpx"))
    assert written == tmp_path / "p.qdpx" and isinstance(written, Path) and written.is_file()
    report = tk.qdpx_carry_over(small_project())
    assert list(report.columns) == ["file", "kind", "status", "detail"]
    assert "1 interview as UTF-8 plain-text sources" in details(report)
    assert [p.name for p in tmp_path.iterdir()] == ["p.qdpx"]  # the report writes nothing
    twice = small_project()
    twice.documents = pd.concat([twice.documents] * 2, ignore_index=True)
    with pytest.raises(tk.RefiError, match="its own interview_id"):
        tk.qdpx_carry_over(twice)


# --------------------------------------------------------------------------
# Codebooks alone (.qdc)


def test_codebook_round_trip_validates(tmp_path):
    table = small_project().codebook
    path = tk.write_qdc(table, tmp_path / "codes.qdc")
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(path.read_text("utf-8"))
    got = table_of(tk.read_qdc(path))[tables.CODEBOOK.names]
    assert list(got["code"]) == ["transport", "lifts", "communication"]
    pd.testing.assert_frame_equal(
        got.sort_values("code").astype(object).reset_index(drop=True),
        table.sort_values("code").astype(object).reset_index(drop=True),
        check_dtype=False,
    )


def test_codebooks_from_nvivo_and_atlas():
    nvivo = table_of(tk.read_qdc(DATA / "nvivo-codebook.qdc"))
    assert list(nvivo["code"]) == list(fixtures.CODES)
    assert set(nvivo["theme"]) == {"Practical help"}
    atlas = table_of(tk.read_qdc(DATA / "atlas-codebook.qdc")).set_index("code")
    assert atlas.loc["transport", "theme"] == "Practical help"
    assert atlas.loc["communication", "theme"] == ""
    assert atlas.loc["neighbours", "color"] == "#d62728"


def test_codebook_in_several_sets_warns(tmp_path):
    xml = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="77777777-7777-4777-8777-777777777771" name="a" isCodable="true"/></Codes>'
        "<Sets>"
        + "".join(
            f'<Set guid="77777777-7777-4777-8777-77777777777{i}" name="s{i}">'
            '<MemberCode guid="77777777-7777-4777-8777-777777777771"/></Set>'
            for i in (2, 3)
        )
        + "</Sets></CodeBook>"
    )
    path = tmp_path / "c.qdc"
    path.write_text(xml)
    with pytest.warns(UserWarning, match="2 sets of codes"):
        tk.read_qdc(path)


def test_bad_codebooks_get_a_message(tmp_path):
    (tmp_path / "p.qdc").write_text("<Project/>")
    with pytest.raises(tk.RefiError, match="expected a REFI-QDA <CodeBook>"):
        tk.read_qdc(tmp_path / "p.qdc")
    (tmp_path / "x.qdc").write_text('<!DOCTYPE x [<!ENTITY a "b">]><CodeBook/>')
    with pytest.raises(tk.RefiError, match="document type declaration"):
        tk.read_qdc(tmp_path / "x.qdc")
    with pytest.raises(tk.RefiError, match="at least one code"):
        tk.write_qdc(pd.DataFrame(columns=["code"]), tmp_path / "empty.qdc")
    with pytest.raises(tk.RefiError, match="'code' column"):
        tk.write_qdc(pd.DataFrame({"name": ["a"]}), tmp_path / "bad.qdc")


# --------------------------------------------------------------------------
# Round trips, as properties

LETTERS = [*"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", "é", "ß", "ø", "ñ", "ç", "中", "ئ"]
MARKS = ["q\u0301", "a\u0308\u0323"]  # combining marks NFC cannot compose away
EMOJI = ["😀", "🚑", "👩🏽\u200d⚕\ufe0f", "🇬🇧"]  # astral, a ZWJ sequence, a flag
WORD = st.tuples(
    st.sampled_from(LETTERS), st.lists(st.sampled_from(LETTERS + MARKS + EMOJI), max_size=5)
).map(lambda parts: parts[0] + "".join(parts[1]))
LINES = st.lists(st.lists(WORD, min_size=1, max_size=8), min_size=1, max_size=6)


@st.composite
def texts_and_spans(draw):
    """A text with emoji, accents, combining marks and CR LF, and spans of words in one line.

    Codings in the toolkit lie inside one segment (a turn or paragraph), so
    the spans stay within a line.
    """
    pieces, words, position = [], [], 0
    for number, line in enumerate(draw(LINES)):
        for index, word in enumerate(line):
            if number and not index:
                separator = draw(st.sampled_from(["\r\n", "\n\n", "\r\n\r\n", "\n"]))
            elif index:
                separator = draw(st.sampled_from([" ", ", ", ". ", " 🙂 "]))
            else:
                separator = ""
            pieces.append(separator + word)
            position += len(separator)
            words.append((number, position, position + len(word)))
            position += len(word)
    spans = []
    for _ in range(draw(st.integers(1, 8))):
        first = draw(st.integers(0, len(words) - 1))
        same_line = [w for w in words[first:] if w[0] == words[first][0]]
        last = draw(st.integers(0, min(4, len(same_line) - 1)))
        spans.append((words[first][1], same_line[last][2]))
    return "".join(pieces), spans


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=texts_and_spans(), codes=st.lists(st.sampled_from(["a", "b", "c"]), min_size=8))
def test_round_trip_keeps_every_codings_text(data, codes, tmp_path_factory):
    raw, spans = data
    # The toolkit's documents are normalised; any span of them round-trips exactly.
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    mapped = [
        (
            len(unicodedata.normalize("NFC", raw[:s].replace("\r\n", "\n"))),
            len(unicodedata.normalize("NFC", raw[:e].replace("\r\n", "\n"))),
        )
        for s, e in spans
    ]
    project = tk.Project(name="Property (fictional)")
    project.documents = pd.DataFrame({"interview_id": ["p1"], "text": [text], "source": ["x"]})
    project.codings = pd.DataFrame(
        {
            "interview_id": "p1",
            "segment_id": 1,
            "start": [s for s, _ in mapped],
            "end": [e for _, e in mapped],
            "code": codes[: len(mapped)],
            "coder": (["ann", "bilal"] * 4)[: len(mapped)],
            "method": "manual",
        }
    )
    project.codings = project.codings[project.codings["start"] < project.codings["end"]]
    project.codings = project.codings.drop_duplicates(["start", "end", "code", "coder"])
    path = tmp_path_factory.mktemp("rt") / "p.qdpx"
    tk.write_qdpx(project, path)
    back = tk.read_qdpx(path)
    assert back.documents["text"][0] == text
    assert sorted(coded(back)) == sorted(coded(project))
    assert sorted(zip(back.codings["start"], back.codings["end"], strict=True)) == sorted(
        zip(project.codings["start"], project.codings["end"], strict=True)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=texts_and_spans(), origin=st.sampled_from(["NVivo 14", "MAXQDA 2024", "QualCoder 3.6"]))
def test_standard_files_from_other_tools_import_exactly(data, origin, tmp_path_factory):
    """A file that follows the standard (CR LF counted as two) is never 'corrected'."""
    raw, spans = data
    selections = "".join(
        f'<PlainTextSelection guid="88888888-8888-4888-8888-{i:012d}" startPosition="{s}" '
        f'endPosition="{e}"><Coding guid="99999999-8888-4888-8888-{i:012d}">'
        '<CodeRef targetGUID="88888888-8888-4888-8888-888888888888"/></Coding>'
        "</PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    xml = (
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}"><CodeBook><Codes>'
        '<Code guid="88888888-8888-4888-8888-888888888888" name="c" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="88888888-8888-4888-8888-000000000000" name="t" '
        f'plainTextPath="internal://t.txt">{selections}</TextSource></Sources></Project>'
    )
    path = build_qdpx(
        tmp_path_factory.mktemp("std") / "p.qdpx",
        {"project.qde": xml.encode(), "sources/t.txt": raw.encode()},
    )
    back = tk.read_qdpx(path)
    expected = {normalise_text(raw[s:e]) for s, e in spans}
    assert {t for t, _c, _k in coded(back)} == expected
    assert "positions" not in set(back.report["kind"])


@settings(max_examples=40, deadline=None)
@given(data=texts_and_spans())
def test_utf16_counting_never_loses_a_coding(data, tmp_path_factory):
    """Counted in UTF-16 units: codings stay inside the text, and exact once detected."""
    raw, spans = data
    text = raw.replace("\r\n", "\n")

    def units(p):
        return len(text[:p].encode("utf-16-le")) // 2

    def lf(p):
        return len(raw[:p].replace("\r\n", "\n"))

    spans = [(lf(s), lf(e)) for s, e in spans]
    selections = "".join(
        f'<PlainTextSelection guid="88888888-8888-4888-8888-{i:012d}" '
        f'startPosition="{units(s)}" endPosition="{units(e)}">'
        f'<Coding guid="99999999-8888-4888-8888-{i:012d}">'
        '<CodeRef targetGUID="88888888-8888-4888-8888-888888888888"/></Coding>'
        "</PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14"><CodeBook><Codes>'
        '<Code guid="88888888-8888-4888-8888-888888888888" name="c" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="88888888-8888-4888-8888-000000000000" name="t" '
        f'plainTextPath="internal://t.txt">{selections}</TextSource></Sources></Project>'
    )
    path = build_qdpx(
        tmp_path_factory.mktemp("u16") / "p.qdpx",
        {"project.qde": xml.encode(), "sources/t.txt": text.encode()},
    )
    back = tk.read_qdpx(path)
    final = back.documents["text"][0]
    for row in back.codings.itertuples():
        assert 0 <= row.start < row.end <= len(final)
    if "UTF-16" in details(back):
        # Once detected, every coding is exactly its words again.
        expected = {normalise_text(text[s:e]) for s, e in spans}
        assert {t for t, _c, _k in coded(back)} == expected


# --------------------------------------------------------------------------
# save_project and the command line


def test_save_project_writes_a_folder_that_opens_with_the_same_text(tmp_path):
    project = tk.read_qdpx(DATA / "nvivo-utf16-emoji.qdpx")
    folder = tk.save_project(project, tmp_path / "imported")
    assert (folder / "interviews" / "t01.txt").read_text("utf-8") == fixtures.TEXT
    assert (folder / "codebook.yml").is_file()
    assert sorted(p.name for p in (folder / "codings").iterdir()) == ["Ann.csv", "Bilal.csv"]
    assert not list(folder.rglob(".*.tmp"))
    reopened = tk.open_project(folder)
    assert reopened.name == "Hartwell (fictional)"
    assert list(reopened.documents["text"]) == [fixtures.TEXT]
    assert reopened.settings["notes"][0]["text"] == "Transport keeps coming up."
    assert reopened.participants.set_index("interview_id").loc["t01", "role"] == "ward sister"
    if len(reopened.codings):
        assert sorted(coded(reopened)) == sorted(coded(project))


def test_save_project_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    project = small_project()
    with pytest.raises(tk.ProjectError, match="already has files"):
        tk.save_project(project, tmp_path)
    tk.save_project(project, tmp_path, overwrite=True)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert (tmp_path / "interviews" / "int01.txt").is_file()


def test_save_project_refuses_unsafe_names(tmp_path):
    project = small_project()
    project.documents.loc[0, "interview_id"] = "../escape"
    with pytest.raises(tk.ProjectError, match="usable as a file name"):
        tk.save_project(project, tmp_path / "p")
    assert not (tmp_path / "escape.txt").exists()


def test_cli_import_and_export(tmp_path):
    runner = CliRunner()
    target = tmp_path / "imported"
    result = runner.invoke(
        cli, ["refi", "import", str(DATA / "nvivo-utf16-emoji.qdpx"), str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Carried over:" in result.output and "Converted:" in result.output
    assert "UTF-16 code units" in result.output
    assert (target / "output" / "refi-import-report.csv").is_file()
    again = runner.invoke(
        cli, ["refi", "import", str(DATA / "nvivo-utf16-emoji.qdpx"), str(target)]
    )
    assert again.exit_code == 1 and "--overwrite" in again.output
    out = tmp_path / "back.qdpx"
    result = runner.invoke(cli, ["refi", "export", str(target), str(out)])
    assert result.exit_code == 0, result.output
    assert "Exported" in result.output and out.is_file()
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(qde_of(out).decode("utf-8"))


def test_schemas_are_vendored_with_their_licence():
    for name in ("Project.xsd", "Codebook.xsd", "LICENSE.txt"):
        assert (SCHEMAS / name).is_file()
    assert "MIT" in (SCHEMAS / "LICENSE.txt").read_text()
    assert "MIT license" in (SCHEMAS / "Project.xsd").read_text()


# --------------------------------------------------------------------------
# Not every source is a transcript; our own settings survive a round trip (issue 15, point 7)


def test_a_comment_thread_stays_one_document_without_speakers(tmp_path):
    thread = (DATA / "comment-thread.txt").read_text(encoding="utf-8")
    start = thread.index("ask the ward the night before")
    end = start + len("ask the ward the night before")
    thread_guid = "c0000000-0000-4000-8000-000000000002"
    coding = (
        f'<PlainTextSelection guid="d0000000-0000-4000-8000-0000000000a1" name="" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{fixtures.USERS["Ann"]}">'
        f'<Coding guid="d0000000-0000-4000-8000-0000000000a2" '
        f'creatingUser="{fixtures.USERS["Ann"]}">'
        f'<CodeRef targetGUID="{fixtures.CODES["communication"][0]}"/></Coding>'
        "</PlainTextSelection>"
    )
    sources = fixtures.text_source(
        fixtures.selections_xml(fixtures.codepoints), path=f"internal://{fixtures.SOURCE}.txt"
    ) + (
        f'<TextSource guid="{thread_guid}" name="forum thread" '
        f'plainTextPath="internal://{thread_guid}.txt">{coding}</TextSource>'
    )
    path = build_qdpx(
        tmp_path / "nvivo.qdpx",
        {
            "project.qde": fixtures.project_xml("NVivo for Windows 14.23.0", sources),
            f"sources/{fixtures.SOURCE}.txt": fixtures.TEXT.encode(),
            f"sources/{thread_guid}.txt": thread.encode(),
        },
    )
    project = tk.read_qdpx(path)
    assert list(project.documents["interview_id"]) == ["t01", "forum thread"]
    segments = project.segments.set_index("interview_id")
    assert set(segments.loc["forum thread", "speaker"]) == {""}  # no 'Tip' or 'UPDATE'
    assert set(segments.loc["t01", "speaker"]) == {"", "Sam", "Maya"}
    assert ("ask the ward the night before", "communication", "Ann") in coded(project)
    assert "1 document read as text without speakers" in details(project)
    assert "forum thread" in details(project)
    # Saved and opened again, the thread has the same segments (no speakers).
    tk.save_project(project, tmp_path / "project")
    again = tk.open_project(tmp_path / "project").segments
    assert set(again.loc[again["interview_id"] == "forum thread", "speaker"]) == {""}


def _podcast_project(folder: Path) -> Path:
    """A project whose transcript is an Otter export of a podcast with two hosts and a guest."""
    tools = DATA.parent / "transcripts" / "tools"
    (folder / "interviews").mkdir(parents=True)
    (folder / "interviews" / "podcast.txt").write_bytes((tools / "otter-podcast.txt").read_bytes())
    (folder / "project.yml").write_text(
        'name: "Ward Talk (fictional)"\n'
        "description: A podcast about getting home from hospital.\n"
        "settings:\n"
        "  language: en-GB\n"
        "  pseudonymised: true\n"
        "  interviewers: [Priya Shah, Tom Okafor]\n"
        "  report:\n"
        "    show_quotes: 3\n",
        encoding="utf-8",
    )
    (folder / "participants.csv").write_text(
        "interview_id,name,speaker,interviewer,group\n"
        "podcast,P1,Priya Shah,yes,host\n"
        "podcast,P2,Tom Okafor,yes,host\n"
        "podcast,P3,Dee Marsh,no,discharge team\n",
        encoding="utf-8",
    )
    return folder


def test_export_and_import_again_keeps_our_settings_and_people(tmp_path):
    folder = _podcast_project(tmp_path / "podcast")
    runner = CliRunner()
    result = runner.invoke(cli, ["refi", "export", str(folder), str(tmp_path / "p.qdpx")])
    assert result.exit_code == 0, result.output
    assert "kept in a project note" in result.output
    result = runner.invoke(
        cli, ["refi", "import", str(tmp_path / "p.qdpx"), str(tmp_path / "back")]
    )
    assert result.exit_code == 0, result.output
    assert "restored from the note" in result.output
    before, after = tk.open_project(folder), tk.open_project(tmp_path / "back")
    settings = {k: v for k, v in after.settings.items() if k != "imported_from"}
    assert settings == before.settings
    assert after.settings["pseudonymised"] is True
    assert after.settings["interviewers"] == ["Priya Shah", "Tom Okafor"]
    pd.testing.assert_frame_equal(
        after.participants.reset_index(drop=True).astype(str),
        before.participants.reset_index(drop=True).astype(str),
    )
    # The turns and Otter's times are found again in the text.
    columns = ["speaker", "text", "t_start", "t_end"]
    pd.testing.assert_frame_equal(after.segments[columns], before.segments[columns])
    # Other tools see the settings as an ordinary project memo.
    xml = qde_of(tmp_path / "p.qdpx").decode("utf-8")
    assert 'name="codesign-toolkit settings (project.yml)"' in xml


def test_a_focus_group_exports_a_case_for_each_person(tmp_path):
    folder = _podcast_project(tmp_path / "podcast")
    tk.write_qdpx(tk.open_project(folder), tmp_path / "p.qdpx")
    xml = qde_of(tmp_path / "p.qdpx").decode("utf-8")
    for speaker in ("Priya Shah", "Tom Okafor", "Dee Marsh"):
        assert f'name="{speaker}"' in xml
    guids = [part.split('"')[1] for part in xml.split("<Case guid=")[1:]]
    assert len(set(guids)) == 3
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(xml)


def test_an_edited_settings_note_is_kept_as_a_note(tmp_path):
    project = small_project()
    project.settings = {"pseudonymised": True}
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["project.qde"] = entries["project.qde"].replace(
        b"pseudonymised: true", b"pseudonymised: [true"
    )
    back = tk.read_qdpx(build_qdpx(tmp_path / "edited.qdpx", entries))
    assert "pseudonymised" not in back.settings
    assert "no longer reads as the toolkit's settings" in details(back)
    assert any("codesign-toolkit settings" in n["title"] for n in back.settings["notes"])


def test_the_same_warning_about_many_sources_is_one_line(tmp_path):
    # A tool on Windows that wrote every source in the old Windows encoding, not UTF-8.
    text = "Sam: Was the café open?\n\nMaya: Yes, and the nurse’s smile helped.\n"
    sources, entries = "", {}
    for n in range(1, 7):
        guid = f"c0000000-0000-4000-8000-00000000010{n}"
        sources += f'<TextSource guid="{guid}" name="t0{n}" plainTextPath="internal://{guid}.txt"/>'
        entries[f"sources/{guid}.txt"] = text.encode("cp1252")
    entries["project.qde"] = fixtures.project_xml("ATLAS.ti Windows 9.1", sources)
    path = build_qdpx(tmp_path / "atlas.qdpx", entries)
    result = CliRunner().invoke(cli, ["refi", "import", str(path), str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "not UTF-8" in line]
    assert warned == [
        "  - t01, t02, t03 and 3 more (6 files): the plain text was cp1252, not UTF-8 as the "
        "standard asks; read as such"
    ], result.output
