"""A catalogue of bad inputs: every way data comes in, broken one way at a time.

Each case builds a project folder (a copy of the sample project, or a new
one), breaks one file, and names the library call and the command that read
it.  For every case the library raises a ToolkitError naming the file (and
the line or row), the command exits non-zero with that message and no
traceback, no temporary or half-written file is left behind, and every
input file is byte-identical afterwards.  Inputs that look bad but are
fine (mixed encodings, CRLF, semicolons) are in ``test_loads_fine``.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.io.files import read_table
from toolkit.model.stakeholders import read_connections, read_stakeholders, read_votes


@dataclass
class Broken:
    """One bad input: the library call that reads it and the command that does."""

    file: Path
    call: Callable[[], object]
    args: list[str]
    where: str | None = None  # "line 3" or "row 2" when the problem has a place
    roots: list[Path] = field(default_factory=list)


def _sample(tmp: Path) -> Path:
    return tk.new_project(tmp / "project", sample=True)


def _fresh(tmp: Path) -> Path:
    return tk.new_project(tmp / "project")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (row counted as a spreadsheet shows it)."""
    lines = _lines(path)
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    _write(path, lines)


# --- transcripts, read alone and through 'import' -------------------------------


def _transcript(name: str, data: bytes, where: str | None = None):
    def build(tmp: Path) -> Broken:
        source = tmp / "incoming"
        source.mkdir()
        file = source / name
        file.write_bytes(data)
        project = _fresh(tmp)
        return Broken(
            file,
            lambda: tk.read_transcripts(file),
            ["import", str(source), str(project)],
            where,
            roots=[source, project],
        )

    return build


def _zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


TRANSCRIPTS = {
    "txt-binary": _transcript("a.txt", bytes(range(256)) * 8),
    "txt-empty": _transcript("a.txt", b""),
    "txt-blank": _transcript("a.txt", b"  \n\r\n\t\n"),
    "txt-is-zip": _transcript("a.txt", _zip({"word/document.xml": "<w/>"})),
    "txt-is-pdf": _transcript("a.txt", b"%PDF-1.4\n%...\n"),
    "pdf-file": _transcript("a.pdf", b"%PDF-1.4\n%...\n"),
    "vtt-no-header": _transcript("a.vtt", b"00:00:01.000 --> 00:00:02.000\nhi\n", "line 1"),
    "vtt-bad-timing": _transcript("a.vtt", b"WEBVTT\n\n00:00:01.000 --> soon\nhi\n", "line 3"),
    "srt-bad-timing": _transcript("a.srt", b"1\n00:00:01,000 --> xx\nhi\n", "line 2"),
    "docx-empty": _transcript("a.docx", b""),
    "docx-is-text": _transcript("a.docx", b"Interviewer: hello\n"),
    "docx-not-word": _transcript("a.docx", _zip({"notes.txt": "hi"})),
    "xlsx-corrupt": _transcript("a.xlsx", b"PK\x03\x04garbage"),
    "survey-no-text-column": _transcript("a.csv", b"id,age\n1,34\n", "line 1"),
}


# --- participants, stakeholders, connections, votes -----------------------------


def _project_table(table: str, breaker, where: str | None, command: str = "info"):
    readers = {
        "participants.csv": tk.read_participants,
        "stakeholders.csv": read_stakeholders,
        "votes.csv": read_votes,
    }

    def build(tmp: Path) -> Broken:
        project = _sample(tmp)
        file = project / table
        breaker(file)
        if table == "connections.csv":

            def call():
                return read_connections(file, read_stakeholders(project / "stakeholders.csv"))
        else:

            def call():
                return readers[table](file)

        return Broken(file, call, [command, str(project)], where, roots=[project])

    return build


def _append_copy_of_row(row: int):
    def breaker(path: Path) -> None:
        lines = _lines(path)
        _write(path, [*lines, lines[row - 1]])

    return breaker


def _rename_column(old: str, new: str):
    def breaker(path: Path) -> None:
        lines = _lines(path)
        header = lines[0].split(",")
        header[header.index(old)] = new
        _write(path, [",".join(header), *lines[1:]])

    return breaker


def _set(row: int, column: str, value: str):
    return lambda path: _cell(path, row, column, value)


def _replace_line(row: int, text: str):
    def breaker(path: Path) -> None:
        lines = _lines(path)
        lines[row - 1] = text
        _write(path, lines)

    return breaker


def _bytes(data: bytes):
    return lambda path: path.write_bytes(data)


TABLES = {
    "participants-duplicate-id": _project_table(
        "participants.csv", _append_copy_of_row(2), "row 20"
    ),
    "participants-duplicate-header": _project_table(
        "participants.csv", _rename_column("group", "interview_id"), "line 1"
    ),
    "participants-no-id-column": _project_table(
        "participants.csv", _rename_column("interview_id", "id"), "line 1"
    ),
    "participants-empty-id": _project_table(
        "participants.csv", _set(3, "interview_id", ""), "row 3"
    ),
    "participants-unbalanced-quote": _project_table(
        "participants.csv", _replace_line(4, 'int03,"Priya, said ""hi'), "line 4"
    ),
    "participants-extra-cells": _project_table(
        "participants.csv", _replace_line(4, "int03,a,b,c,d,e,f,g,h,i,j,k,l,m"), "row 4"
    ),
    "participants-is-xlsx": _project_table(
        "participants.csv", _bytes(b"PK\x03\x04\x00\x00garbage\x00"), None
    ),
    "participants-empty-file": _project_table("participants.csv", _bytes(b""), None),
    "stakeholders-influence-text": _project_table(
        "stakeholders.csv", _set(3, "influence", "high"), "row 3", "energy"
    ),
    "stakeholders-energy-out-of-range": _project_table(
        "stakeholders.csv", _set(2, "energy", "9"), "row 2", "energy"
    ),
    "stakeholders-no-energy-column": _project_table(
        "stakeholders.csv", _rename_column("energy", "enthusiasm"), "line 1", "energy"
    ),
    "stakeholders-duplicate-name": _project_table(
        "stakeholders.csv", _append_copy_of_row(2), None, "energy"
    ),
    "connections-unknown-stakeholder": _project_table(
        "connections.csv", _set(2, "target", "Nobody Known"), "row 2", "energy"
    ),
    "connections-weight-text": _project_table(
        "connections.csv", _set(2, "weight", "strong"), "row 2", "energy"
    ),
    "votes-negative-dots": _project_table("votes.csv", _set(2, "dots", "-2"), "row 2", "energy"),
    "votes-no-item-column": _project_table(
        "votes.csv", _rename_column("item", "idea"), "line 1", "energy"
    ),
}


# --- codebooks (YAML and CSV) ---------------------------------------------------


def _codebook(name: str, text: str, where: str | None):
    def build(tmp: Path) -> Broken:
        file = tmp / name
        file.write_text(text, encoding="utf-8")
        return Broken(file, lambda: tk.read_codebook(file), ["codebook", "check", str(file)], where)

    return build


def _codebook_in_project(text: str, where: str | None, command: str):
    def build(tmp: Path) -> Broken:
        project = _sample(tmp)
        file = project / "codebook.yml"
        # Add the bad line to the real codebook, so the coders' files still match it.
        lines = _lines(file)
        first = next(i for i, line in enumerate(lines) if "regex: [" in line)
        lines[first] = lines[first].replace("regex: [", f"regex: [{text}, ", 1)
        _write(file, lines)
        return Broken(
            file, lambda: tk.open_project(project), [command, str(project)], f"{where} {first + 1}"
        )

    return build


CODEBOOKS = {
    "codebook-yaml-syntax": _codebook("cb.yml", "codes:\n  - code: a\n   theme: [x\n", "line 3"),
    "codebook-duplicate-code": _codebook(
        "cb.yml", "codes:\n  - code: wish\n  - code: hope\n  - code: wish\n", "line 4"
    ),
    "codebook-unknown-parent": _codebook(
        "cb.yml", "codes:\n  - code: wish\n    parent: dreams\n", "line 3"
    ),
    "codebook-parent-cycle": _codebook(
        "cb.yml",
        "codes:\n  - code: a\n    parent: b\n  - code: b\n    parent: a\n",
        None,
    ),
    "codebook-bad-colour": _codebook(
        "cb.yml", "codes:\n  - code: wish\n    color: bluish\n", "line 3"
    ),
    "codebook-invalid-regex": _codebook(
        "cb.yml", "codes:\n  - code: wish\n    regex: ['(unclosed']\n", "line 3"
    ),
    "codebook-catastrophic-regex": _codebook(
        "cb.yml", "codes:\n  - code: wish\n    regex: ['(\\w+\\s?)+$']\n", "line 3"
    ),
    "codebook-not-a-mapping": _codebook("cb.yml", "- just\n- a list\n", None),
    "codebook-csv-duplicate-code": _codebook(
        "cb.csv", "code,theme\nwish,dreams\nhope,dreams\nwish,dreams\n", "row 4"
    ),
    "codebook-csv-no-code-column": _codebook("cb.csv", "name,theme\nwish,dreams\n", None),
    "codebook-in-project-catastrophic": _codebook_in_project("'(\\w+\\s?)+$'", "line", "code"),
}


# --- coders' files ----------------------------------------------------------------


def _codings(breaker, where: str | None, command: str = "agreement"):
    def build(tmp: Path) -> Broken:
        project = _sample(tmp)
        file = project / "codings" / "sam.csv"
        breaker(file)
        return Broken(file, lambda: tk.open_project(project), [command, str(project)], where)

    return build


CODINGS = {
    "codings-unknown-code": _codings(_set(2, "code", "not_a_code"), "row 2"),
    "codings-missing-segment": _codings(_set(3, "segment_id", "9999"), "row 3"),
    "codings-end-past-text": _codings(_set(2, "end", "99999999"), "row 2", "report"),
    "codings-start-text": _codings(_set(2, "start", "early"), "row 2", "report"),
    "codings-other-coder": _codings(_set(4, "coder", "nadia"), "row 4", "code"),
    "codings-no-code-column": _codings(_rename_column("code", "tag"), "line 1"),
    "codings-binary": _codings(_bytes(bytes(range(256)) * 4), None, "info"),
}


# --- REFI-QDA files -------------------------------------------------------------


def _qdpx(data: bytes):
    def build(tmp: Path) -> Broken:
        file = tmp / "from-nvivo.qdpx"
        file.write_bytes(data)
        target = tmp / "imported"
        return Broken(
            file, lambda: tk.read_qdpx(file), ["refi", "import", str(file), str(target)], None
        )

    return build


def _qdc(data: bytes):
    def build(tmp: Path) -> Broken:
        file = tmp / "codes.qdc"
        file.write_bytes(data)
        return Broken(file, lambda: tk.read_qdc(file), ["codebook", "check", str(file)], None)

    return build


REFI = {
    "qdpx-not-zip": _qdpx(b"this is not a zip archive"),
    "qdpx-no-project": _qdpx(_zip({"sources/a.txt": "hi"})),
    "qdpx-bad-xml": _qdpx(_zip({"project.qde": "<Project><CodeBook>"})),
    "qdpx-path-escape": _qdpx(_zip({"project.qde": "<Project/>", "../../escape.txt": "x"})),
    "qdc-bad-xml": _qdc(b"<CodeBook><Codes><Code"),
    "qdc-not-xml": _qdc(b"\x00\x01binary"),
}


# --- project folders -----------------------------------------------------------------


def _folder(breaker, where: str | None = None, file: str = "project.yml", command: str = "info"):
    def build(tmp: Path) -> Broken:
        project = _sample(tmp)
        breaker(project)
        return Broken(
            project / file, lambda: tk.open_project(project), [command, str(project)], where
        )

    return build


PROJECTS = {
    "project-no-project-yml": _folder(lambda p: (p / "project.yml").unlink(), file="."),
    "project-yml-syntax": _folder(
        lambda p: (p / "project.yml").write_text("name: [oops\n  x: 1\n"), "line 2"
    ),
    "project-yml-a-list": _folder(lambda p: (p / "project.yml").write_text("- a\n- b\n"), "line 1"),
    "project-yml-not-utf8": _folder(
        lambda p: (p / "project.yml").write_bytes(b"name: caf\xe9\x81\x81\xff\n")
    ),
    "project-yml-bad-settings": _folder(
        lambda p: (p / "project.yml").write_text(
            "name: x\nsettings:\n  interviews: {colour: red}\n"
        )
    ),
    "project-missing-interview": _folder(
        lambda p: (p / "interviews" / "int01.txt").unlink(),
        "row 2",
        file="codings/nadia.csv",
        command="report",
    ),
    "project-broken-transcript": _folder(
        lambda p: (p / "interviews" / "int01.txt").write_bytes(bytes(range(256)) * 4),
        file="interviews/int01.txt",
        command="report",
    ),
}


def _missing_folder(tmp: Path) -> Broken:
    folder = tmp / "no-such-project"
    return Broken(folder, lambda: tk.open_project(folder), ["info", str(folder)])


PROJECTS["project-folder-missing"] = _missing_folder

CASES = {**TRANSCRIPTS, **TABLES, **CODEBOOKS, **CODINGS, **REFI, **PROJECTS}


def places_named(file: Path, output: str) -> int:
    """Count how often the output names `file` as the place of a problem.

    That is its whole path, or its bare name followed by ``:`` or ``, line``
    (as in ``a.srt: line 2: ...``); a name quoted in the message (``found
    'codes.qdc'``) or a word that happens to be the name does not count.
    """
    bare = re.findall(
        rf"(?:^|(?<=[\s(])){re.escape(file.name)}(?=:|, (?:line|row) )", output, flags=re.M
    )
    return output.count(str(file)) + len(bare)


def _snapshot(root: Path) -> dict[str, str]:
    """Hash every input file under root (generated output/ is left out)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "output" not in p.relative_to(root).parts
    }


def test_catalogue_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name, tmp_path):
    broken = CASES[name](tmp_path)
    before = _snapshot(tmp_path)

    with pytest.raises(tk.ToolkitError) as caught:
        broken.call()
    message = str(caught.value)
    assert broken.file.name in message, message
    if broken.where:
        assert broken.where in message, message

    result = CliRunner().invoke(cli, broken.args)
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert broken.file.name in result.output, result.output
    if broken.where:
        assert broken.where in result.output, result.output
    assert places_named(broken.file, result.output) == 1, result.output

    assert _snapshot(tmp_path) == {k: v for k, v in before.items()}, "an input file changed"
    assert not list(tmp_path.rglob("*.tmp")), "a temporary file was left behind"
    for table in tmp_path.rglob("output/*.csv"):
        read_table(table)  # anything written is whole


# --- inputs that look bad but are fine ---------------------------------------------


def _check_mixed_encodings(tmp: Path) -> None:
    folder = tmp / "interviews"
    folder.mkdir()
    text = "Interviewer: How was the café?\nP1: Lovely – the nurse’s smile.\n"
    (folder / "utf8.txt").write_bytes(text.encode("utf-8"))
    (folder / "bom.txt").write_bytes(text.encode("utf-8-sig"))
    (folder / "windows.txt").write_bytes(text.encode("cp1252"))
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))
    (folder / "stray.txt").write_bytes(
        "Interviewer: How was the café?\nP1: Lovely – the nurse".encode() + b"\x92s smile.\n"
    )
    segments = tk.read_transcripts(folder)
    for interview, rows in segments.groupby("interview_id"):
        joined = "\n".join(rows["text"])
        assert "café" in joined and "Lovely – the nurse’s smile." in joined, interview
    assert segments["interview_id"].nunique() == 5


def _check_line_endings(tmp: Path) -> None:
    texts = {}
    for name, ending in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        file = tmp / f"{name}.txt"
        file.write_bytes(ending.join(["Interviewer: Hello", "P1: Hi there", "P1: More"]).encode())
        segments = tk.read_transcripts(file)
        texts[name] = list(segments["text"])
        assert not any("\r" in t for t in segments["text"])
    assert texts["lf"] == texts["crlf"] == texts["cr"]


def _check_semicolons_and_decimal_comma(tmp: Path) -> None:
    project = _sample(tmp)
    file = project / "stakeholders.csv"
    lines = [line.replace(",", ";") for line in _lines(file)]
    cells = lines[1].split(";")
    cells[3] = "3,5"  # influence
    lines[1] = ";".join(cells)
    file.write_text("\n".join(lines) + "\n", encoding="cp1252")
    table = tk.open_project(project).stakeholders
    assert table["influence"].iloc[0] == 3.5
    assert len(table) == len(lines) - 1


def _check_excel_sep_line(tmp: Path) -> None:
    project = _sample(tmp)
    file = project / "votes.csv"
    original = tk.open_project(project).votes
    lines = [line.replace(",", "\t") for line in _lines(file)]
    file.write_bytes(("sep=\t\r\n" + "\r\n".join(lines) + "\r\n").encode("utf-16"))
    assert tk.open_project(project).votes.equals(original)


def _check_extra_files(tmp: Path) -> None:
    project = _sample(tmp)
    (project / "notes.docx").write_bytes(b"PK\x03\x04")
    (project / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (project / "codings" / ".~lock.sam.csv#").write_text("x")
    (project / "output").mkdir(exist_ok=True)
    (project / "output" / "old-report.html").write_text("<p>old</p>")
    expected = tk.sample_project()
    found = tk.open_project(project)
    assert len(found.documents) == len(expected.documents)
    assert len(found.codings) == len(expected.codings)


def _check_extra_columns(tmp: Path) -> None:
    project = _sample(tmp)
    file = project / "participants.csv"
    lines = _lines(file)
    _write(file, [lines[0] + ",notes", *(line + ",ok" for line in lines[1:])])
    assert "notes" in tk.open_project(project).participants.columns


def _check_huge_single_line(tmp: Path) -> None:
    file = tmp / "huge.txt"
    file.write_bytes(b"P1: " + b"word " * 10_000_000)  # 50 MB, one line
    segments = tk.read_transcripts(file)
    assert len(segments) == 1
    assert len(segments["text"].iloc[0]) > 49_000_000


FINE = {
    "mixed-encodings-in-one-folder": _check_mixed_encodings,
    "crlf-and-cr-line-endings": _check_line_endings,
    "semicolons-and-decimal-comma": _check_semicolons_and_decimal_comma,
    "excel-sep-line-utf16-tabs": _check_excel_sep_line,
    "extra-files-in-project": _check_extra_files,
    "extra-columns": _check_extra_columns,
    "50mb-single-line": _check_huge_single_line,
}


@pytest.mark.parametrize("name", sorted(FINE))
def test_loads_fine(name, tmp_path):
    FINE[name](tmp_path)
