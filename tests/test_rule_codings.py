"""The rules' codings are a source like any coder: after `code`, every command sees them."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import CodingError


def _run(*args: object, status: int = 0) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == status, result.output + repr(result.exception)
    return result.output


@pytest.fixture
def uncoded(tmp_path) -> Path:
    """The sample project as a team has it before anyone codes by hand: no codings/ files."""
    folder = tk.new_project(tmp_path / "p", sample=True)
    shutil.rmtree(folder / "codings")
    return folder


def test_after_code_the_project_holds_the_rule_codings(uncoded):
    assert tk.open_project(uncoded).codings.empty
    _run("code", uncoded, "--quiet")
    project = tk.open_project(uncoded)
    rules = project.rule_codings
    assert len(rules) and set(rules["coder"]) == {"rules"} and set(rules["method"]) == {"rule"}
    assert project.human_codings.empty and len(project.codings) == len(rules)
    assert tk.tables.conforms(project.codings, "codings")
    output = _run("info", uncoded)
    assert re.search(rf"rule codings\s+{len(rules):,} ", output)
    assert re.search(r"\n  codings\s+0\n", output)
    assert "report --coder rules" in output


def test_report_counts_the_rules_when_no_one_has_coded_and_says_so(uncoded):
    _run("code", uncoded, "--quiet")
    output = _run("report", uncoded)
    assert "There are no codings yet" not in output
    html = (uncoded / "output" / "report.html").read_text(encoding="utf-8")
    assert "No one has coded these interviews by hand yet" in html
    _run("report", uncoded, "--coder", "rules")
    html = (uncoded / "output" / "report.html").read_text(encoding="utf-8")
    assert "the codebook's rules" in html


def test_asking_for_people_when_only_rules_coded_says_so_in_cli_words(uncoded):
    _run("code", uncoded, "--quiet")
    output = _run("report", uncoded, "--coder", "humans", status=1)
    assert "--coder rules" in output and "coder='rules'" not in output


def test_agreement_compares_the_rules_with_a_person(tmp_path):
    folder = tk.new_project(tmp_path / "p", sample=True)
    _run("code", folder, "--quiet")
    output = _run(
        "agreement", folder, "--include-rules", "--coder", "sam", "--coder", "rules",
        "--n-boot", "50",
    )  # fmt: skip
    assert "(rules, sam)" in output
    # Without --include-rules the people are compared, as before.
    assert "(nadia, sam)" in _run("agreement", folder, "--n-boot", "50")


def test_a_rules_file_that_no_longer_fits_is_left_out_with_a_warning(uncoded):
    _run("code", uncoded, "--quiet")
    codebook = uncoded / "codebook.yml"
    codebook.write_text(
        codebook.read_text(encoding="utf-8").replace("peak_experience", "peak_moment"),
        encoding="utf-8",
    )
    project = tk.open_project(uncoded)
    assert project.rule_codings.empty
    warned = project.report[project.report["file"] == "output/codings-rules.csv"]
    assert "run 'codesign-toolkit code' again" in warned["detail"].iloc[0]
    assert "no longer fits" in _run("info", uncoded)


def test_a_rules_file_older_than_the_codebook_is_read_and_flagged(uncoded):
    _run("code", uncoded, "--quiet")
    later = time.time() + 60
    os.utime(uncoded / "codebook.yml", (later, later))
    project = tk.open_project(uncoded)
    assert len(project.rule_codings)
    assert "older than codebook.yml" in " ".join(project.report["detail"].astype(str))


def test_the_rules_file_is_not_saved_as_a_coder(uncoded, tmp_path):
    _run("code", uncoded, "--quiet")
    tk.save_project(tk.open_project(uncoded), tmp_path / "copy")
    assert not (tmp_path / "copy" / "codings" / "rules.csv").exists()


def test_choose_codings():
    sample = tk.sample_project()
    choice = tk.choose_codings(sample)
    assert choice.coder == "humans" and choice.note == ""
    assert choice.label == "all human coders, merged (nadia, sam)"
    rules = tk.autocode_project(sample)
    sample.codings = rules
    codings, note = tk.choose_codings(sample)
    assert len(codings) == len(rules) and "No one has coded" in note
    assert tk.choose_codings(sample, "rules").coder == "rules"
    with pytest.raises(CodingError, match="coder='rules'"):
        tk.choose_codings(sample, "humans")
    sample.codings = sample.codings.iloc[:0]
    empty = tk.choose_codings(sample)
    assert empty.empty and "There are no codings yet" in empty.note
    with pytest.raises(CodingError, match="did you mean 'sam'"):
        tk.choose_codings(tk.sample_project(), "sma")
