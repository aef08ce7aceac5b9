"""The report a team sends back: a board paper, one offline file, no names, every chart inside.

The sample project is the realistic input (eighteen interviews in four formats, a survey,
two coders, an energy map and votes); tests/data/report holds a team's own summary.md and a
"You said, we did" table saved from Excel (see the README there), and tests/data/people a
focus group with several people in one interview.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import inspect
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import ProjectError, ToolkitError
from toolkit.present.report.blocks import day
from toolkit.present.report.choices import ReportChoices
from toolkit.present.report.html import chart_spec
from toolkit.present.report.labels import TOP_BARS, code_label
from toolkit.present.report.sections import build_report, report_sections

DATA = Path(__file__).parent / "data"
SPEC = re.compile(r'<script type="application/json" data-fte-chart="[^"]+">(.*?)</script>', re.S)
# Any src= or href= attribute on any element, with its tag name.
ATTRIBUTE = re.compile(r"""<(\w+)\b[^>]*?\b(src|href)\s*=\s*["']([^"']*)["']""", re.I)
BOARD_ORDER = ["summary", "who-took-part", "themes", "energy", "next", "method", "appendix"]


@pytest.fixture(autouse=True, scope="module")
def _cache(tmp_path_factory):
    """Keep the chart script's cache out of the home folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODESIGN_TOOLKIT_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


def _text(page: str) -> str:
    """The words a reader sees: no script, no styles, no tags."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _section(page: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', page, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


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
    codings = pd.DataFrame(
        [
            {"interview_id": i, "segment_id": 2, "code": c, "coder": who, "method": "manual"}
            for i, c, who in [
                ("a", "kindness", "sam"),
                ("a", "kindness", "nadia"),
                ("b", "welcome_call", "sam"),
                ("b", "welcome_call", "nadia"),
            ]
        ]
    )
    codebook = pd.DataFrame(
        {"code": ["kindness", "welcome_call"], "theme": ["Strengths", "Wishes"], "color": ""}
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
        segments=pd.DataFrame(segments),
        participants=participants,
        codebook=codebook,
        codings=codings,
        path=path,
    )


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory):
    """A copy of the sample project, with its team report written in all three formats."""
    folder = tmp_path_factory.mktemp("report") / "sample"
    shutil.copytree(tk.sample_project_path(), folder)
    project = tk.open_project(folder)
    for fmt in ("html", "docx", "md"):
        tk.write_report(project, format=fmt)
    return folder


@pytest.fixture(scope="module")
def sample_report(sample_folder):
    """The sample's project and its HTML report."""
    return tk.open_project(sample_folder), sample_folder / "output" / "report.html"


@pytest.fixture(scope="module")
def page(sample_report):
    return sample_report[1].read_text(encoding="utf-8")


# --- an offline file with every chart inside -------------------------------------------------


def test_report_is_written_to_the_output_folder(sample_report):
    project, path = sample_report
    assert path == project.path / "output" / "report.html"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_report_refers_to_nothing_outside_itself(page):
    outside = [
        m.group(0)
        for m in ATTRIBUTE.finditer(page)
        if re.match(r"(?:https?:)?//", m.group(3).strip(), re.I) and m.group(1).lower() != "a"
    ]
    assert not outside
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert not any("$schema" in spec for spec in SPEC.findall(page))
    assert page.count("function fteRenderCharts") == 1  # the chart script, once


def test_report_holds_every_chart_spec(page):
    specs = [json.loads(s) for s in SPEC.findall(page)]
    assert len(specs) >= 6
    assert len(specs) == page.count('<figure class="fte-chart">')
    for spec in specs:
        assert spec["description"] and html.escape(spec["description"]) in page
        rows = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < rows < tk.charts.MAX_ROWS


# --- 1. ordered like a board paper -----------------------------------------------------------


def test_sections_are_in_board_paper_order(page):
    assert re.findall(r'<section id="([^"]+)"', page) == BOARD_ORDER
    assert [s.id for s in report_sections(tk.sample_project())] == BOARD_ORDER


def test_title_block(page, sample_report):
    project = sample_report[0]
    header = page[: page.index("<main>")]
    assert f"<h1>{html.escape(project.name)}</h1>" in header
    assert "<dt>Purpose</dt>" in header and html.escape(project.description[:40]) in header
    assert f"<dd>{day(dt.date.today())}</dd>" in header
    assert "NOT been pseudonymised" in header and "fictional" in header


def test_title_block_names_the_team_and_purpose(sample_copy):
    yml = sample_copy / "project.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8")
        + "  team: Hartwell discharge co-design group\n"
        + "  purpose: To decide what to test first on Ward 7.\n",
        encoding="utf-8",
    )
    header = tk.write_report(sample_copy).read_text(encoding="utf-8").split("<main>")[0]
    assert "<dt>Team</dt><dd>Hartwell discharge co-design group</dd>" in header
    assert "<dd>To decide what to test first on Ward 7.</dd>" in header


def test_summary_comes_from_the_teams_summary_md(sample_copy):
    shutil.copy(DATA / "report" / "summary.md", sample_copy / "summary.md")
    page = tk.write_report(sample_copy).read_text(encoding="utf-8")
    summary = _section(page, "summary")
    assert "<h3>Key messages</h3>" in summary
    assert "<strong>being known by name</strong>" in summary
    assert "DRAFT" not in summary and "draft" not in summary
    assert "starter" not in summary  # the comment never shows
    assert "&lt;script&gt;alert" in summary and "<script>alert" not in page


def test_without_summary_md_a_marked_draft_of_highlights(page):
    summary = _section(page, "summary")
    assert '<p class="draft"><strong>DRAFT.</strong> These highlights' in summary
    highlights = _text(summary)
    assert "Wishes and dreams (24 of 48)" in highlights  # the strongest theme
    assert "What works best" in highlights and "What people wish for most" in highlights
    assert "Welcome-home call within 48 hours" in highlights  # the idea with most energy


def test_new_projects_get_the_starters(tmp_path):
    folder = tk.new_project(tmp_path / "ward-7")
    assert (folder / "summary.md").read_text(encoding="utf-8").startswith("<!--")
    assert (folder / "actions.csv").read_text(encoding="utf-8") == (
        "you_said,we_did,owner,by_when\n"
    )
    report = build_report(folder)
    summary, after = report.sections[0], report.sections[4]
    assert summary.blocks[0][0] == "draft"  # the starter alone is not a summary
    assert after.blocks[0][0] == "note" and "actions.csv" in after.blocks[0][1]


@pytest.mark.parametrize("where", ["sample", "focus-group"])
def test_one_number_of_people_everywhere(where, tmp_path):
    if where == "sample":
        folder = Path(shutil.copytree(tk.sample_project_path(), tmp_path / where))
    else:
        folder = Path(shutil.copytree(DATA / "people" / where, tmp_path / where))
    project = tk.open_project(folder)
    people = len(tk.people_taking_part(project))
    report = build_report(project)
    who = next(s for s in report.sections if s.id == "who-took-part")
    assert who.blocks[0][1].startswith(f"{people} people took part")
    figure = who.figures()[0] if who.figures() else None
    if figure is not None:
        assert int(figure.numbers["People"].sum()) == people
    themes = next(s for s in report.sections if s.id == "themes")
    if themes.figures():
        assert f"of the {people} people" in themes.blocks[0][1]
    draft = report.sections[0].blocks[1][1][0]
    assert draft.startswith(f"{people} people took part")


def test_energy_shows_the_ranking_champions_and_introductions(page, sample_report):
    energy = _section(page, "energy")
    assert "Follow the energy" in energy
    report = build_report(sample_report[0])
    figure = next(s for s in report.sections if s.id == "energy").figures()[0]
    assert {"Dots", "Interviews", "Champions", "From dots", "From interviews"} <= set(
        figure.numbers.columns
    )
    assert figure.numbers.loc[0, "Idea"] == "Welcome-home call within 48 hours"
    text = _text(energy)
    assert "Champions" in text and "Volunteer driver (volunteer)" in text
    assert "Who can introduce whom" in text and "already knows the director of operations" in text
    names = pd.read_csv(sample_report[0].path / "stakeholders.csv")["stakeholder"]
    assert [n for n in names if n in text] == []  # described by job, never named


def test_energy_names_people_only_when_asked(sample):
    report = build_report(sample, show_names=True)
    energy = next(s for s in report.sections if s.id == "energy")
    champions = next(v for k, v in energy.blocks if k == "list")
    assert "Tom Beckett" in champions


def test_no_energy_data_gives_one_line(tmp_path):
    report = build_report(_tiny_project(tmp_path))
    energy = next(s for s in report.sections if s.id == "energy")
    assert [kind for kind, _ in energy.blocks] == ["note"]
    assert "stakeholders.csv" in energy.blocks[0][1]


def test_what_happens_next_from_a_you_said_we_did_table(sample_copy):
    shutil.copy(DATA / "report" / "actions-you-said-we-did.csv", sample_copy / "actions.csv")
    section = _section(tk.write_report(sample_copy).read_text(encoding="utf-8"), "next")
    assert '<th scope="col">You said</th><th scope="col">We did</th>' in section
    assert section.count("<tr><td>") == 3  # the blank row is skipped
    assert "31 January 2027" in section and "March 2027" in section
    assert "didn&#x27;t know who to ask" in section


def test_actions_csv_errors_name_the_file_and_row(sample_copy):
    actions = sample_copy / "actions.csv"
    actions.write_text("said,did\nLong waits,A named contact\n", encoding="utf-8")
    with pytest.raises(ToolkitError, match="you_said") as err:
        tk.write_report(sample_copy)
    assert err.value.path == actions
    actions.write_text("you_said,we_did,owner\nLong waits,,Ward 7\n,,Ward 8\n", encoding="utf-8")
    with pytest.raises(ToolkitError, match="neither") as err:
        tk.write_report(sample_copy)
    assert err.value.row == 3
    assert not (sample_copy / "output" / "report.html").exists()  # nothing half-written


def test_how_we_did_it_and_its_limits(page):
    method = _text(_section(page, "method"))
    assert "Its limits" in method and "chose to" in method
    assert "2 people coded the interviews by hand" in method
    assert "tentative" in method  # some codes' agreement is below 0.667


def test_appendix_holds_the_statistics_and_every_chart_s_numbers(page):
    appendix = _section(page, "appendix")
    for title in ("Agreement between coders", "Which themes go together", "Differences between"):
        assert f"<h3>{title}" in appendix
    figures = page.count('<figure class="fte-chart">')
    for number in range(1, figures + 1):
        assert f'href="#numbers-{number}"' in page
        assert f'id="numbers-{number}"' in appendix
    assert 'id="numbers-' not in page.split('<section id="appendix"')[0]


# --- 2. labels, never identifiers; only what was raised; top bars and the rest --------------


def test_no_code_identifier_reaches_the_report(sample_folder, page):
    codes = [c for c in tk.sample_project().codebook.table["code"] if "_" in c]
    import docx

    document = docx.Document(sample_folder / "output" / "report.docx")
    word = "\n".join(p.text for p in document.paragraphs)
    word += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    markdown = (sample_folder / "output" / "report.md").read_text(encoding="utf-8")
    without_script = page.split("<script>(function")[0]
    for text in (without_script, word, markdown.replace("\\_", "_")):
        assert [c for c in codes if c in text] == []
    assert "Peak experience" in _text(page)


def test_the_same_label_in_every_section(sample):
    report = build_report(sample)
    labels = {code_label(c) for c in sample.codebook.table["code"]}
    for figure in report.figures():
        for column in ("Code", "With", "Idea"):
            if column in figure.numbers.columns:
                shown = set(figure.numbers[column]) - {"All codes (pooled)"}
                if column != "Idea":
                    assert shown <= labels, shown - labels


def _many_themes(tmp_path: Path, used: int, unused: int) -> tk.Project:
    """A project like an import with many themes: `used` themes coded, `unused` never."""
    project = _tiny_project(tmp_path)
    people = [f"Person {i}" for i in range(40)]
    segments, documents, codings = [], [], []
    for i, who in enumerate(people):
        text = f"{who}: I said something about theme number {i}."
        segments.append(
            {"interview_id": f"i{i}", "segment_id": 1, "speaker": who, "start": len(who) + 2,
             "end": len(text), "text": text[len(who) + 2 :]}
        )  # fmt: skip
        documents.append({"interview_id": f"i{i}", "text": text, "source": f"i{i}.txt"})
        # Person i raises themes i % used and (i + 1) % used: each theme by several people.
        for theme in {i % used, (i + 1) % used}:
            codings.append(
                {"interview_id": f"i{i}", "segment_id": 1, "code": f"code_{theme}",
                 "coder": "ann", "method": "manual"}
            )  # fmt: skip
    project.segments = pd.DataFrame(segments)
    project.documents = pd.DataFrame(documents)
    project.codings = pd.DataFrame(codings)
    total = used + unused
    project.codebook = pd.DataFrame(
        {"code": [f"code_{t}" for t in range(total)], "theme": [f"Theme {t}" for t in range(total)]}
    )
    project.participants = pd.DataFrame({"interview_id": [f"i{i}" for i in range(40)],
                                         "name": people, "group": "patient"})  # fmt: skip
    project.settings = {}
    return project


def test_only_themes_with_codings_are_charted(tmp_path):
    report = build_report(_many_themes(tmp_path, used=6, unused=62))
    figure = next(s for s in report.sections if s.id == "themes").figures()[0]
    assert len(figure.numbers) == 6
    data = figure.chart.data
    assert len(data) == 6 and (data["count"] > 0).all()


def test_a_long_chart_shows_the_top_and_groups_the_rest(tmp_path):
    project = _many_themes(tmp_path, used=20, unused=0)
    report = build_report(project)
    figure = next(s for s in report.sections if s.id == "themes").figures()[0]
    data = figure.chart.data
    assert len(data) == TOP_BARS + 1
    last = data[data["theme"] == "5 other themes"].iloc[0]
    others = set(data["theme"]) - {"5 other themes"}
    # Everyone who raised any of the other five, each once (not the sum of their counts).
    codings = project.codings.assign(theme=project.codings["code"].str.replace("code_", "Theme "))
    raised = codings[~codings["theme"].isin(others)]["interview_id"].nunique()
    assert int(last["count"]) == raised < 2 * 5 * 2
    assert figure.chart.to_dict()["encoding"]["y"]["sort"][-1] == "5 other themes"  # last
    assert len(figure.numbers) == 20  # the numbers behind it hold every theme


def test_legends_are_never_cut(sample):
    table = tk.reliability(sample.codings, sample.segments, codebook=sample.codebook)
    spec = chart_spec(tk.charts.agreement_chart(table))
    assert spec["config"]["legend"]["labelLimit"] == 0
    legends = re.findall(r'"legend": (\{[^{}]*\})', json.dumps(spec["hconcat"]))
    assert legends and all('"direction": "vertical"' in legend for legend in legends)


# --- 3. formats -----------------------------------------------------------------------------


def test_word_report_has_headings_tables_pictures_and_quotes(sample_folder, sample):
    import docx

    document = docx.Document(sample_folder / "output" / "report.docx")
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", sample.name)
    headings = [text for style, text in styles if style == "Heading 1"]
    report = build_report(sample)
    assert headings == [s.title for s in report.sections]
    assert "Wishes and dreams" in [text for style, text in styles if style == "Heading 2"]
    pictures = document.inline_shapes
    assert len(pictures) == len(report.figures())
    for picture in pictures:
        described = picture._inline.docPr  # python-docx has no public alt-text API
        assert len(described.get("descr", "")) > 40 and described.get("title").startswith("Fig")
    assert len(document.tables) >= len(report.figures()) + 2  # numbers, actions, roles...
    first = document.tables[0]
    assert first.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert "w:tblHeader" in first.rows[0]._tr.xml
    assert sum(style == "Quote" for style, _ in styles) >= 9
    assert sum(style == "Caption" for style, _ in styles) >= 2 * len(report.figures())


def test_markdown_report_with_png_charts(tmp_path):
    path = tk.write_report(_tiny_project(tmp_path), format="md")
    assert path == tmp_path / "output" / "report.md"
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all(link.startswith("report-charts/") for link in links)
    for link in links:
        assert (path.parent / link).read_bytes().startswith(b"\x89PNG")
    assert text.startswith("# Tiny project") and "> \u201c" in text
    assert "## Summary: key messages" in text and "## Appendix" in text


def test_markdown_report_removes_stale_pictures(tmp_path):
    stale = tmp_path / "output" / "report-charts" / "99-old.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    tk.write_report(_tiny_project(tmp_path), format="md")
    assert not stale.exists()


# --- names and options ------------------------------------------------------------------------


def test_report_names_no_participant(page, sample_report):
    project = sample_report[0]
    text = _text(page)
    people = list(pd.read_csv(project.path / "participants.csv")["name"])
    people += list(pd.read_csv(project.path / "stakeholders.csv")["stakeholder"])
    assert [n for n in people if " " in n and n in text] == []
    assert "nadia" not in text.lower()  # coders are counted, not named


def test_pseudonymised_project_gets_the_plain_notice(tmp_path):
    path = tk.write_report(_tiny_project(tmp_path, pseudonymised=True))
    text = path.read_text(encoding="utf-8")
    assert "This report contains pseudonymised interview extracts" in text
    assert "NOT been pseudonymised" not in text


def test_quotes_in_the_report_hide_full_names(tmp_path):
    text = tk.write_report(_tiny_project(tmp_path)).read_text(encoding="utf-8")
    assert "so kind of them, [name]" in text
    assert "Okafor" not in text and "Lund" not in text


def test_report_without_codings_says_so(tmp_path):
    project = _tiny_project(tmp_path)
    project.codings = project.codings.iloc[0:0]
    text = tk.write_report(project).read_text(encoding="utf-8")
    assert "There are no codings yet" in text
    assert "Who took part" in text


def test_report_with_one_coder_has_no_agreement(tmp_path):
    project = _tiny_project(tmp_path)
    project.codings = project.codings[project.codings["coder"] == "sam"]
    text = tk.write_report(project).read_text(encoding="utf-8")
    assert "Agreement between coders" not in text
    assert "One person coded the interviews" in text


def test_in_memory_project_needs_a_path():
    with pytest.raises(ProjectError, match="built in memory"):
        tk.write_report(_tiny_project())


@pytest.mark.parametrize(("option", "value"), [("format", "pdf"), ("audience", "board")])
def test_unknown_format_or_audience(tmp_path, option, value):
    with pytest.raises(ToolkitError, match=f"'{value}'"):
        tk.write_report(_tiny_project(tmp_path), **{option: value})


def test_report_counts_the_rules_when_asked(sample_copy):
    result = CliRunner().invoke(cli, ["code", str(sample_copy)])
    assert result.exit_code == 0, result.output
    sample = tk.open_project(sample_copy)
    before = sample.codings.copy()
    sections = report_sections(sample, coder="rules")
    themes = next(s for s in sections if s.id == "themes")
    assert "Codings by the codebook's rules are counted." in themes.blocks[0][1]
    method = next(s for s in sections if s.id == "method")
    limits = next(v for k, v in method.blocks if k == "list")
    assert any("made by the codebook's rules" in line for line in limits)
    pd.testing.assert_frame_equal(sample.codings, before)  # the project is not changed


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
    assert "not pseudonymised" in result.output and "summary is a draft" in result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (sample_copy / "output" / "report.md").is_file()
    assert (sample_copy / "output" / "report-charts").is_dir()
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert (sample_copy / "output" / "report.docx").read_bytes().startswith(b"PK")
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--coder", "rules"])
    assert result.exit_code == 1 and "codesign-toolkit code" in result.output  # code first
    assert CliRunner().invoke(cli, ["code", str(sample_copy)]).exit_code == 0
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--coder", "rules"])
    assert result.exit_code == 0, result.output
    text = (sample_copy / "output" / "report.html").read_text(encoding="utf-8")
    assert "codings by the codebook&#x27;s rules" in text.lower()


def test_cli_report_show_names(sample_copy):
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--show-names"])
    assert result.exit_code == 0, result.output
    assert "share it only within the team" in result.output
    text = _text((sample_copy / "output" / "report.html").read_text(encoding="utf-8"))
    assert "Tom Beckett" in text


def test_cli_report_uses_the_rules_when_no_one_coded_by_hand(sample_copy):
    shutil.rmtree(sample_copy / "codings")
    result = CliRunner().invoke(cli, ["code", str(sample_copy)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy)])
    assert result.exit_code == 0, result.output
    text = _text((sample_copy / "output" / "report.html").read_text(encoding="utf-8"))
    assert "codebook's rules" in text and "What we heard" in text


def test_cli_report_bad_input(sample_copy, tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--coder", "alex"])
    assert result.exit_code == 1 and "'alex'" in result.output and "How to fix" in result.output
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--format", "pdf"])
    assert result.exit_code == 2 and "'pdf'" in result.output


# --- 5. the chart script is bundled once per version ----------------------------------------


def test_chart_script_is_kept_in_the_cache(tmp_path, monkeypatch):
    from toolkit.present.charts import render
    from toolkit.present.report import script

    monkeypatch.setenv("CODESIGN_TOOLKIT_CACHE", str(tmp_path / "cache"))
    script.cached_chart_script.cache_clear()
    try:
        first = script.cached_chart_script()
        kept = list((tmp_path / "cache").glob("chart-script-*.js"))
        assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == first
        script.cached_chart_script.cache_clear()
        monkeypatch.setattr(render, "chart_script", lambda: pytest.fail("bundled again"))
        assert script.cached_chart_script() == first  # read back, not bundled
        # A cut-short file is not trusted; a folder that cannot be written only costs time.
        kept[0].write_text("(function () {", encoding="utf-8")
        script.cached_chart_script.cache_clear()
        monkeypatch.setattr(render, "chart_script", lambda: "(function () {})();\n")
        (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
        monkeypatch.setenv("CODESIGN_TOOLKIT_CACHE", str(tmp_path / "blocked"))
        assert script.cached_chart_script() == "(function () {})();\n"
    finally:
        script.cached_chart_script.cache_clear()


def test_report_from_a_refi_qda_import(tmp_path, sample):
    """A project brought in from another tool (REFI-QDA) reports as the original does."""
    tk.write_qdpx(sample, tmp_path / "hartwell.qdpx")
    imported = build_report(tk.read_qdpx(tmp_path / "hartwell.qdpx"))
    original = build_report(sample)

    def themes(report):
        return next(s for s in report.sections if s.id == "themes").figures()[0].numbers

    pd.testing.assert_frame_equal(themes(imported), themes(original))
    assert [s.id for s in imported.sections] == BOARD_ORDER


# --- the report's choices ------------------------------------------------------------------


def test_report_choices_follow_the_public_keywords():
    """build_report and write_report build ReportChoices from their keywords, in its order."""
    fields = [(f.name, f.default) for f in dataclasses.fields(ReportChoices)]
    for function in (build_report, tk.write_report):
        keywords = [
            (p.name, p.default)
            for p in inspect.signature(function).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.name != "audience"
        ]
        assert keywords == fields, function.__name__
        assert "Whose codings to count" in function.__doc__


def test_participants_choices_never_show_names():
    choices = ReportChoices(strengths=["kindness"], wishes=["home call"], show_names=True, top=3)
    assert choices.for_participants() == ReportChoices(top=3)
