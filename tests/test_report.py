"""The report a team sends back: one offline file, no names, every chart inside."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import ProjectError, ToolkitError
from toolkit.present.report.sections import report_sections

SPEC = re.compile(r'<script type="application/json" data-fte-chart="[^"]+">(.*?)</script>', re.S)
# Any src= or href= attribute on any element, with its tag name.
ATTRIBUTE = re.compile(r"""<(\w+)\b[^>]*?\b(src|href)\s*=\s*["']([^"']*)["']""", re.I)


def _tiny_project(path: Path | None = None, **settings) -> tk.Project:
    """A two-interview project in memory, coded by two coders."""
    texts = {
        "a": [
            ("Sam", "What went well?"),
            ("Maya", "The ward rang my daughter at nine at night, so kind of them, Maya Okafor."),
        ],
        "b": [
            ("Sam", "What do you wish for?"),
            ("Derek", "A welcome home call within two days would be wonderful, honestly."),
        ],
    }
    segments, documents = [], []
    for interview, turns in texts.items():
        full, offset = "", 0
        for number, (speaker, text) in enumerate(turns, start=1):
            line = f"{speaker}: {text}\n\n"
            start = offset + len(speaker) + 2
            segments.append(
                {
                    "interview_id": interview,
                    "segment_id": number,
                    "speaker": speaker,
                    "start": start,
                    "end": start + len(text),
                    "text": text,
                }
            )
            full += line
            offset += len(line)
        documents.append({"interview_id": interview, "text": full, "source": f"{interview}.txt"})
    segments = pd.DataFrame(segments)
    codings = pd.DataFrame(
        [
            {"interview_id": i, "segment_id": 2, "code": c, "coder": who, "method": "manual"}
            for i, c, who in [
                ("a", "kindness", "sam"),
                ("a", "kindness", "nadia"),
                ("b", "welcome call", "sam"),
                ("b", "welcome call", "nadia"),
            ]
        ]
    )
    codebook = pd.DataFrame(
        {"code": ["kindness", "welcome call"], "theme": ["Strengths", "Wishes"], "color": ""}
    )
    participants = pd.DataFrame(
        {
            "interview_id": ["a", "b"],
            "name": ["Maya Okafor", "Derek Lund"],
            "group": ["staff", "patient"],
        }
    )
    return tk.Project(
        name="Tiny project",
        settings={"interviewers": ["Sam"], **settings},
        documents=pd.DataFrame(documents),
        segments=segments,
        participants=participants,
        codebook=codebook,
        codings=codings,
        path=path,
    )


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    """The sample project's HTML report, written once."""
    folder = tmp_path_factory.mktemp("report") / "sample"
    shutil.copytree(tk.sample_project_path(), folder)
    project = tk.open_project(folder)
    return project, tk.write_report(project)


# --- the sample project's report ---------------------------------------------------


def test_report_is_written_to_the_output_folder(sample_report):
    project, path = sample_report
    assert path == project.path / "output" / "report.html"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_report_refers_to_nothing_outside_itself(sample_report):
    text = sample_report[1].read_text(encoding="utf-8")
    outside = [
        m.group(0)
        for m in ATTRIBUTE.finditer(text)
        if re.match(r"(?:https?:)?//", m.group(3).strip(), re.I) and m.group(1).lower() != "a"
    ]
    assert not outside
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?(?:https?:)?//", text, re.I)
    assert not any("$schema" in spec for spec in SPEC.findall(text))
    assert text.count("function fteRenderCharts") == 1  # the chart script, once


def test_report_holds_every_chart_spec(sample_report):
    text = sample_report[1].read_text(encoding="utf-8")
    specs = [json.loads(s) for s in SPEC.findall(text)]
    assert len(specs) >= 5
    assert len(specs) == text.count('<figure class="fte-chart">')
    for spec in specs:
        assert spec["description"] and html.escape(spec["description"]) in text
        rows = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < rows < tk.charts.MAX_ROWS


def test_report_holds_quotes_and_sections(sample_report):
    project, path = sample_report
    text = path.read_text(encoding="utf-8")
    quotes = tk.exemplar_quotes(project, of="theme", per_code=3)
    top = tk.theme_frequency(project).query("count > 0")["theme"].head(3)
    for theme in top:
        quote = quotes[quotes["theme"] == theme]["quote"].iloc[0]
        assert html.escape(quote) in text
    for title in ("Who took part", "The main themes", "Which themes go together", "How this"):
        assert f">{title}" in text
    assert "Agreement between coders" in text  # the sample has two coders


def test_report_names_no_participant(sample_report):
    project, path = sample_report
    text = path.read_text(encoding="utf-8").lower()
    names = pd.read_csv(project.path / "participants.csv")["name"]
    leaked = [n for n in names if n.lower() in text]
    assert not leaked


def test_report_warns_when_not_pseudonymised(sample_report):
    text = sample_report[1].read_text(encoding="utf-8")
    assert "NOT been pseudonymised" in text
    assert "fictional" in text


# --- options and formats -----------------------------------------------------------------


def test_pseudonymised_project_gets_the_plain_notice(tmp_path):
    path = tk.write_report(_tiny_project(tmp_path, pseudonymised=True))
    text = path.read_text(encoding="utf-8")
    assert "This report contains pseudonymised interview extracts" in text
    assert "NOT been pseudonymised" not in text


def test_quotes_in_the_report_hide_full_names(tmp_path):
    text = tk.write_report(_tiny_project(tmp_path)).read_text(encoding="utf-8")
    assert "so kind of them, [name]" in text
    assert "Okafor" not in text and "Lund" not in text


def test_markdown_report_with_png_charts(tmp_path):
    path = tk.write_report(_tiny_project(tmp_path), format="md")
    assert path == tmp_path / "output" / "report.md"
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all(link.startswith("report-charts/") for link in links)
    for link in links:
        assert (path.parent / link).read_bytes().startswith(b"\x89PNG")
    assert text.startswith("# Tiny project") and "> \u201c" in text


def test_markdown_report_removes_stale_pictures(tmp_path):
    stale = tmp_path / "output" / "report-charts" / "99-old.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    tk.write_report(_tiny_project(tmp_path), format="md")
    assert not stale.exists()


def test_report_without_codings_says_so(tmp_path):
    project = _tiny_project(tmp_path)
    project.codings = project.codings.iloc[0:0]
    text = tk.write_report(project).read_text(encoding="utf-8")
    assert "There are no codings yet" in text
    assert "Who took part" in text


def test_report_with_one_coder_has_no_agreement_section(tmp_path):
    project = _tiny_project(tmp_path)
    project.codings = project.codings[project.codings["coder"] == "sam"]
    text = tk.write_report(project).read_text(encoding="utf-8")
    assert "Agreement between coders" not in text


def test_in_memory_project_needs_a_path():
    with pytest.raises(ProjectError, match="built in memory"):
        tk.write_report(_tiny_project())


def test_unknown_format(tmp_path):
    with pytest.raises(ToolkitError, match="'pdf'"):
        tk.write_report(_tiny_project(tmp_path), format="pdf")


def test_report_counts_the_rules_when_asked(tmp_path, sample):
    before = sample.codings.copy()
    sections = report_sections(sample, coder="rules")
    themes = next(s for s in sections if s.id == "themes")
    assert "Codings by the codebook's rules are counted." in themes.blocks[0][1]
    pd.testing.assert_frame_equal(sample.codings, before)  # the project is not changed


def test_report_rules_need_a_codebook_with_rules(tmp_path):
    project = _tiny_project(tmp_path)  # its codebook has no rules
    with pytest.raises(ToolkitError, match="rules"):
        tk.write_report(project, coder="rules")
    assert tk.write_report(project, coder="all").is_file()  # no rules to add: the coders


def test_report_agreement_section_keeps_its_chart(sample):
    sections = report_sections(sample)
    agreement = next(s for s in sections if s.id == "agreement")
    kinds = [kind for kind, _ in agreement.blocks]
    assert "chart" in kinds and "table" in kinds


def test_report_takes_only_its_own_options(tmp_path):
    with pytest.raises(TypeError):
        tk.write_report(_tiny_project(tmp_path), colour="red")


# --- charts as pictures --------------------------------------------------------------------


def test_save_chart_as_png_and_svg(tmp_path):
    chart = tk.charts.participants_chart(_tiny_project().participants)
    png = tk.save_chart(chart, tmp_path / "who.png")
    svg = tk.save_chart(chart, tmp_path / "who.SVG")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "<svg" in svg.read_text(encoding="utf-8")[:200]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["who.SVG", "who.png"]


def test_save_chart_refuses_other_suffixes(tmp_path):
    chart = tk.charts.participants_chart(_tiny_project().participants)
    with pytest.raises(ToolkitError, match=r"\.png or \.svg"):
        tk.save_chart(chart, tmp_path / "who.pdf")
    assert not list(tmp_path.iterdir())


# --- the command line -----------------------------------------------------------------------


def test_cli_report(sample_copy):
    result = CliRunner().invoke(cli, ["report", str(sample_copy)])
    assert result.exit_code == 0, result.output
    assert (sample_copy / "output" / "report.html").is_file()
    assert "not pseudonymised" in result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (sample_copy / "output" / "report.md").is_file()
    assert (sample_copy / "output" / "report-charts").is_dir()
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--coder", "rules"])
    assert result.exit_code == 0, result.output
    text = (sample_copy / "output" / "report.html").read_text(encoding="utf-8")
    assert (
        "codings by the codebook&#x27;s rules" in text or "codings by the codebook's rules" in text
    )


def test_cli_report_bad_input(sample_copy, tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--coder", "alex"])
    assert result.exit_code == 1 and "'alex'" in result.output and "How to fix" in result.output


# --- in a real browser, offline ----------------------------------------------------------------


@pytest.mark.browser
def test_report_draws_its_charts_offline(sample_report):
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.skip("no Chromium found: install Debian's 'chromium' package to run this test")
    sync_api = pytest.importorskip("playwright.sync_api")
    path = sample_report[1]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('.fte-chart-view')]"
            ".every((v) => v.querySelector('svg'))",
            timeout=20_000,
        )
        labels = page.eval_on_selector_all(
            ".fte-chart-view svg", "(svgs) => svgs.map((s) => s.getAttribute('aria-label'))"
        )
        browser.close()
    assert not errors
    assert [u for u in requests if not u.startswith("file:")] == []
    assert labels and all(labels)
