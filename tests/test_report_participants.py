"""The participants' version: short, plain, large type, no statistics, quotes only when safe.

Realistic input: the sample project as it ships (not pseudonymised: no one may be quoted),
and the same project pseudonymised by 'codesign-toolkit anonymise' (quotes allowed).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from readability import flesch_reading_ease

import toolkit as tk
from toolkit.cli import cli
from toolkit.present.report.gather import gather
from toolkit.present.report.participants import MAX_WORDS, participants_report, word_count

# What a statistic looks like: shares, decimals, tests and their words.
STATISTICS = re.compile(
    r"\d\s*%|\b\d+\.\d+\b|\bp\s*[=<>]|\bn\s*=|\b(?:kappa|alpha|chi|jaccard|cram[eé]r|statistic"
    r"|significan|percent|average|median|mean|score|correlat|interval|of \d+ people)",
    re.I,
)


@pytest.fixture(autouse=True, scope="module")
def _cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODESIGN_TOOLKIT_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


def _run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The sample as it ships and pseudonymised, each with its participants' version."""
    tmp = tmp_path_factory.mktemp("participants")
    plain = Path(shutil.copytree(tk.sample_project_path(), tmp / "sample"))
    _run("anonymise", plain, tmp / "pseudonymised")
    out = {"sample": plain, "pseudonymised": tmp / "pseudonymised"}
    for folder in out.values():
        _run("report", folder, "--for", "participants")
        _run("report", folder, "--for", "participants", "--format", "docx")
    return out


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


@pytest.mark.parametrize("which", ["sample", "pseudonymised"])
def test_short_plain_and_free_of_statistics(folders, which):
    path = folders[which] / "output" / "report-participants.html"
    page = path.read_text(encoding="utf-8")
    text = _text(page)
    words = re.findall(r"\w+(?:['’-]\w+)*", text)
    assert 250 < len(words) <= MAX_WORDS
    assert flesch_reading_ease(text) >= 65, flesch_reading_ease(text)
    assert not STATISTICS.findall(text), STATISTICS.findall(text)
    assert "<figure" not in page and "<table" not in page  # no charts, no tables of figures
    for heading in ("Thank you", "What we heard", "What happens next"):
        assert f">{heading}</h2>" in page
    assert "You said: Nobody rang after I got home" in text  # the team's actions.csv


def test_large_type(folders):
    page = (folders["sample"] / "output" / "report-participants.html").read_text(encoding="utf-8")
    sizes = [int(s) for s in re.findall(r"body \{ font-size: (\d+)px", page)]
    assert sizes and sizes[-1] >= 20


def test_quotes_only_from_a_pseudonymised_project(folders):
    plain = (folders["sample"] / "output" / "report-participants.html").read_text("utf-8")
    assert "<blockquote>" not in plain and "quotes no one" in plain
    pseudonymised = (folders["pseudonymised"] / "output" / "report-participants.html").read_text(
        "utf-8"
    )
    assert pseudonymised.count("<blockquote>") >= 3
    assert "Names have been changed" in pseudonymised
    # Who said it is not shown: no ids, groups or names beside the quotes.
    assert set(re.findall(r"<footer>(.*?)</footer>", pseudonymised)) == {
        "\u2014 someone who took part"
    }


def test_names_no_one(folders):
    for folder in folders.values():
        text = _text((folder / "output" / "report-participants.html").read_text("utf-8"))
        names = [line.split(",")[1] for line in (folder / "participants.csv").read_text(
            "utf-8").splitlines()[1:]]  # fmt: skip
        assert [n for n in names if n and n in text] == []


def test_word_version(folders):
    import docx

    document = docx.Document(folders["pseudonymised"] / "output" / "report-participants.docx")
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title" and styles.count("Heading 1") >= 4
    assert "Quote" in styles and not document.inline_shapes and not document.tables
    assert document.styles["Normal"].font.size.pt >= 14
    text = " ".join(p.text for p in document.paragraphs)
    assert len(text.split()) <= MAX_WORDS and not STATISTICS.findall(text)


def test_long_actions_are_cut_to_stay_short(sample_copy):
    long_said = "People told us many things about waiting, and about " + "forms " * 60
    rows = "\n".join(f'"{long_said}","We did a thing {i}",Team,2027-01-31' for i in range(30))
    (sample_copy / "actions.csv").write_text(f"you_said,we_did,owner,by_when\n{rows}\n", "utf-8")
    report = participants_report(gather(tk.open_project(sample_copy)))
    assert word_count(report) <= MAX_WORDS
    assert "Ask the team for the full list" in str(report.sections[-2].blocks)


def test_cli_writes_report_participants(sample_copy):
    output = _run("report", sample_copy, "--for", "participants")
    assert (sample_copy / "output" / "report-participants.html").is_file()
    assert not (sample_copy / "output" / "report.html").exists()
    assert "quotes no one" in output
