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
