"""Privacy defaults: pseudonymised outputs, and no file written outside where asked.

After ``anonymise``, no participant's name (full name or surname, from the
``name`` column of participants.csv) is in any output: the HTML and
Markdown reports, the output tables, the .qdpx export and the network
export.  And each command writes only inside the project folder or the
output path it was given.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli


def _run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def _names(project: Path) -> set[str]:
    with open(project / "participants.csv", encoding="utf-8-sig", newline="") as fh:
        full = [row["name"].strip() for row in csv.DictReader(fh) if row.get("name", "").strip()]
    surnames = {name.split()[-1] for name in full if len(name.split()) > 1}
    return set(full) | surnames


@pytest.fixture(scope="module")
def anonymised_outputs(tmp_path_factory):
    """Every output of the pseudonymised sample project, as (where, text) pairs."""
    tmp = tmp_path_factory.mktemp("privacy")
    original = tk.new_project(tmp / "original", sample=True)
    anon = tmp / "anon"
    _run("anonymise", original, anon)
    _run("code", anon, "--quiet")
    _run("agreement", anon, "--n-boot", "50")
    _run("energy", anon)
    _run("report", anon)
    _run("report", anon, "--format", "md")
    _run("network", anon, tmp / "network.graphml")
    _run("refi", "export", anon, tmp / "export.qdpx")
    texts = []
    for file in sorted((anon / "output").rglob("*")):
        if file.is_file() and file.suffix in {".html", ".md", ".csv", ".json", ".svg"}:
            texts.append((str(file.relative_to(tmp)), file.read_text(encoding="utf-8")))
    texts.append(("network.graphml", (tmp / "network.graphml").read_text(encoding="utf-8")))
    with zipfile.ZipFile(tmp / "export.qdpx") as archive:
        for info in archive.infolist():
            if not info.is_dir():
                data = archive.read(info)
                texts.append((f"export.qdpx:{info.filename}", data.decode("utf-8", "replace")))
    return _names(original), texts


def test_report_and_exports_exist(anonymised_outputs):
    _, texts = anonymised_outputs
    where = {w.rsplit("/", 1)[-1] for w, _ in texts}
    assert {"report.html", "report.md", "agreement.csv", "codings-rules.csv"} <= where
    assert {"energy-table.csv", "network.graphml"} <= where
    assert any(w.startswith("export.qdpx:") and w.endswith(".qde") for w, _ in texts)


def test_no_participant_name_in_any_output(anonymised_outputs):
    names, texts = anonymised_outputs
    assert len(names) >= 10
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
    found = {}
    for where, text in texts:
        hits = sorted(set(pattern.findall(text)))
        if hits:
            found[where] = hits
    assert not found, f"participants' names left in outputs: {found}"


COMMANDS = {
    "info": lambda p, out: ["info", p],
    "new": lambda p, out: ["new", out / "new-project"],
    "new-sample": lambda p, out: ["new", "--sample", out / "new-project"],
    "import": lambda p, out: ["import", p / "interviews", out / "imported"],
    "anonymise": lambda p, out: ["anonymise", p, out / "anon"],
    "code": lambda p, out: ["code", p, "--quiet"],
    "agreement": lambda p, out: ["agreement", p, "--n-boot", "50"],
    "energy": lambda p, out: ["energy", p],
    "network": lambda p, out: ["network", p, out / "network.gexf"],
    "report": lambda p, out: ["report", p],
    "report-md": lambda p, out: ["report", p, "--format", "md"],
    "refi-export": lambda p, out: ["refi", "export", p, out / "p.qdpx"],
    "codebook-check": lambda p, out: ["codebook", "check", p / "codebook.yml"],
}


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_writes_only_where_asked(command, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    project = tk.new_project(home / "project", sample=True)
    out = home / "asked"
    out.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before = _listing(home)
    _run(*COMMANDS[command](project, out))
    assert not _listing(cwd), f"{command} wrote into the working folder"
    new = {p for p in _listing(home) - before}
    outside = sorted(p for p in new if not p.startswith(("project/", "asked/")))
    assert not outside, f"{command} wrote outside the project and the output path: {outside}"
    if command not in {"new", "new-sample", "import", "anonymise", "refi-export", "network"}:
        assert not any(p.startswith("asked/") for p in new)


# --- projects whose speakers are named: no name reaches the report -------------------------

PEOPLE = Path(__file__).parent / "data" / "people"
# Speaker labels that name a role, not a person.
ROLES = {"Moderator", "Interviewer", "Unknown Speaker"}


def _speaker_names(folder: Path) -> set[str]:
    """Every name a report must not show: name-like speaker labels and participants' names,
    with their first names and surnames."""
    project = tk.open_project(folder)
    full = {str(s).strip() for s in project.segments["speaker"]} - ROLES - {""}
    if "name" in project.participants.columns:
        full |= {str(n).strip() for n in project.participants["name"]} - {""}
    words = {w.strip(".") for name in full for w in name.split() if len(w.strip(".")) > 2}
    return full | words


def _report_texts(folder: Path) -> list[tuple[str, str]]:
    _run("code", folder, "--quiet")
    _run("report", folder)
    _run("report", folder, "--format", "md")
    return [
        (name, (folder / "output" / name).read_text(encoding="utf-8"))
        for name in ("report.html", "report.md")
    ]


@pytest.fixture(scope="module")
def named_reports(tmp_path_factory):
    """The reports of projects whose speakers are named; one came from REFI-QDA."""
    import shutil

    tmp = tmp_path_factory.mktemp("named")
    found = []
    for name in ("podcast", "focus-group"):
        folder = Path(shutil.copytree(PEOPLE / name, tmp / name))
        found.append((name, _speaker_names(folder), _report_texts(folder)))
    # A project that came from another tool: exported to .qdpx, then imported as a new project.
    tk.write_qdpx(tk.open_project(tmp / "focus-group"), tmp / "group.qdpx")
    _run("refi", "import", tmp / "group.qdpx", tmp / "from-refi")
    (tmp / "from-refi" / "codebook.yml").write_text(
        (PEOPLE / "focus-group" / "codebook.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    found.append(("from-refi", _speaker_names(tmp / "from-refi"), _report_texts(tmp / "from-refi")))
    return found


def test_no_speaker_name_reaches_the_report(named_reports):
    leaks = {}
    for project, names, texts in named_reports:
        assert len(names) >= 6, project
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(names))) + r")(?!\w)")
        for where, text in texts:
            hits = sorted(set(pattern.findall(text)))
            if hits:
                leaks[f"{project}/{where}"] = hits
    assert not leaks, f"names in the reports: {leaks}"


def test_named_projects_report_their_quotes(named_reports):
    # The reports are not empty: they quote people, signed by id and group.
    for project, _, texts in named_reports:
        html = dict(texts)["report.html"]
        assert "P1" in html, project
