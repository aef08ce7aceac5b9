"""The facilitator templates on paper: print styles, and PDF and Word downloads.

Every page listed under ``templates/index`` in ``_toc.yml`` is a template. The
book build (``book/_ext/template_downloads.py``) writes ``NAME.pdf`` and
``NAME.docx`` beside each template page and links them; ``print.css`` lays the
pages out for A4. The first tests here check the document model and the two
writers on a small page, without a build; the rest use the book the test
session builds once (``built_site``), and the print checks also need Chromium.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
import pytest
from browser_setup import launch, require_chromium
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader
from ruamel.yaml import YAML

from book_pages import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import template_docx
import template_model
import template_pdf

A4 = (595.28, 841.89)  # points
TEAM_TITLE = template_model.TEAM_TITLE
PART_TITLE = template_model.PART_TITLE


def template_pages() -> list[Path]:
    """The pages listed under templates/index in _toc.yml, at any depth."""
    toc = YAML(typ="safe").load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def collect(entries):
        for entry in entries or []:
            found.append(entry["file"])
            collect(entry.get("sections"))

    def search(entries):
        for entry in entries or []:
            if entry.get("file") == "templates/index":
                collect(entry.get("sections"))
            search(entry.get("sections"))
            search(entry.get("chapters"))

    for part in toc.get("parts", []):
        search(part.get("chapters"))
    search(toc.get("chapters"))
    return [ROOT / f"{name}.md" for name in found]


TEMPLATES = template_pages()
IDS = [page.stem for page in TEMPLATES]


def _unmark(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def read_source(page: Path) -> dict:
    """The page's title, its tables' header rows and its team-only headings, from MyST."""
    title, tables, team = "", [], []
    in_team = in_fence = False
    previous = ""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        heading = re.match(r"^(#{1,6}) (.+)$", line)
        if heading and not in_fence:
            level, text = len(heading.group(1)), heading.group(2)
            title = title or (_unmark(text) if level == 1 else "")
            if level <= 2:
                in_team = bool(TEAM_TITLE.match(text))
                if in_team:
                    team.append(text)
        elif line.startswith("|") and not previous.startswith("|") and not (in_team or in_fence):
            tables.append([_unmark(c) for c in line.strip().strip("|").split("|")])
        previous = line
    return {"title": title, "tables": tables, "team": team}


# --- the model and the writers, on a small page (no build) ---------------------------------

SAMPLE = """\
# Sample form

*An opening line in italics, with **bold** words.*

Name: ____________ Date: ______

## Notes for the project team

Team notes: never printed.

## Part 1: information

- a bullet
- another bullet, see [the ICO](https://ico.org.uk)

```{note}
Keep a copy of this form.
```

1. first step
2. second step

```{admonition} Check this
:class: team-only
Hidden box text.
```

## Part 2: consent form

| | Statement | Your initials |
|---|---|---|
| 1 | I have read the information sheet and I am happy with the answers I was given. | |
| 2 | I agree to take part. ☐ | |
"""


@pytest.fixture(scope="module")
def sample_doctree():
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    doctree = publish_doctree(
        SAMPLE,
        parser=Parser(),
        settings_overrides={"report_level": 4, "halt_level": 5, "doctitle_xform": False},
    )
    counts = template_model.mark_for_print(doctree)
    return doctree, counts


def test_model_marks_team_notes_parts_and_writing_space(sample_doctree):
    doctree, counts = sample_doctree
    assert counts == {"team-only": 2, "print-part": 1, "writing-row": 2, "writing-line": 1}
    document = template_model.read_document(doctree)
    assert document.title == "Sample form"
    text = repr(document.blocks)
    assert "Team notes" not in text and "Hidden box" not in text
    headings = [b for b in document.blocks if isinstance(b, template_model.Heading)]
    assert [(template_model.plain(h.runs), h.part) for h in headings] == [
        ("Sample form", False),
        ("Part 1: information", False),  # follows the opening on the first sheet
        ("Part 2: consent form", True),
    ]
    (table,) = [b for b in document.blocks if isinstance(b, template_model.Table)]
    assert table.writing == [True, True]
    assert abs(sum(table.widths) - 1) < 1e-6
    assert table.widths[2] > table.widths[0]  # the column to write in is wider


def test_writers_make_a4_pdf_and_word_file(sample_doctree, tmp_path):
    document = template_model.read_document(sample_doctree[0])
    warnings: list[str] = []
    pdf = template_pdf.write_pdf(document, tmp_path / "s.pdf", footer="F", warn=warnings.append)
    assert not warnings  # the tick box comes from a standard PDF font
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2  # part 2 starts a new sheet
    assert all(
        (float(p.mediabox.width), float(p.mediabox.height)) == pytest.approx(A4, abs=0.5)
        for p in reader.pages
    )
    assert reader.pages[1].extract_text().startswith("Part 2: consent form")
    everything = "".join(p.extract_text() for p in reader.pages)
    assert "Sample form" in everything and "Team notes" not in everything
    assert reader.metadata.title == "Sample form"
    assert "Keep a copy of this form." in everything
    annotations = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])]
    assert any(a["/A"]["/URI"] == "https://ico.org.uk" for a in annotations)

    word = docx.Document(template_docx.write_docx(document, tmp_path / "s.docx"))
    styles = [(p.style.name, p.text) for p in word.paragraphs if p.text]
    assert styles[0] == ("Heading 1", "Sample form")
    assert ("Heading 2", "Part 2: consent form") in styles
    assert ("List Bullet", "a bullet") in styles and ("List Number", "first step") in styles
    part2 = next(p for p in word.paragraphs if p.text == "Part 2: consent form")
    assert part2.paragraph_format.page_break_before
    runs = [r for p in word.paragraphs for r in p.runs]
    assert any(r.bold and r.text == "bold" for r in runs) and any(r.italic for r in runs)
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == ["", "Statement", "Your initials"]
    assert all(row.height >= Pt(11 * 2.5) for row in table.rows[1:])
    blanks = next(p for p in word.paragraphs if p.text.startswith("Name:"))
    assert blanks.paragraph_format.line_spacing >= Pt(11 * 2.5)
    assert "Team notes" not in "\n".join(p.text for p in word.paragraphs)
    links = [r.target_ref for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://ico.org.uk"]
    note = next(p for p in word.paragraphs if p.text == "Keep a copy of this form.")
    assert note._p.pPr.find(qn("w:pBdr")) is not None  # a boxed note, not a table


def test_pdf_warns_about_characters_no_font_can_draw(tmp_path):
    runs = [template_model.Run("Smile 🙂 please")]
    document = template_model.Document("Faces", [template_model.Paragraph(runs)])
    warnings: list[str] = []
    template_pdf.write_pdf(document, tmp_path / "faces.pdf", warn=warnings.append)
    assert len(warnings) == 1 and "U+1F642" in warnings[0]


# --- the built site ------------------------------------------------------------------------


def test_there_are_templates():
    assert len(TEMPLATES) >= 8 and all(page.is_file() for page in TEMPLATES)


@pytest.mark.book
@pytest.mark.parametrize("page", TEMPLATES, ids=IDS)
def test_every_template_has_a_word_download(built_site, page):
    source = read_source(page)
    path = built_site / "templates" / f"{page.stem}.docx"
    assert path.is_file(), f"no Word download for {page.stem}"
    word = docx.Document(str(path))
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].style.name == "Heading 1" and headings[0].text == source["title"]
    assert [p.style.name for p in headings].count("Heading 1") == 1
    assert len(word.tables) == len(source["tables"])
    for table, header in zip(word.tables, source["tables"], strict=True):
        assert [c.text.strip() for c in table.rows[0].cells] == header
    section = word.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    text = "\n".join(p.text for p in word.paragraphs)
    assert not any(team in text for team in source["team"])


@pytest.mark.book
@pytest.mark.parametrize("page", TEMPLATES, ids=IDS)
def test_every_template_has_an_a4_pdf(built_site, page):
    source = read_source(page)
    path = built_site / "templates" / f"{page.stem}.pdf"
    assert path.is_file(), f"no PDF download for {page.stem}"
    reader = PdfReader(path)
    pages = [p.extract_text() for p in reader.pages]
    for number, p in enumerate(reader.pages, start=1):
        size = (float(p.mediabox.width), float(p.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5), f"page {number} is not A4"
        assert f"Page {number} of {len(pages)}" in pages[number - 1]
    # The page count is the one the template page states, and no page is empty.
    html = (built_site / "templates" / f"{page.stem}.html").read_text(encoding="utf-8")
    stated = re.search(r"PDF \(A4, (\d+) pages?\)", html)
    assert stated and int(stated.group(1)) == len(pages)
    assert all(len(text.split()) > 12 for text in pages), "a PDF page is (nearly) empty"
    assert pages[0].startswith(source["title"])
    everything = "\n".join(pages)
    assert not any(team in everything for team in source["team"])
    # Each "Part N" after the first starts a sheet.
    parts = re.findall(r"^## (.+)$", page.read_text("utf-8"), re.M)
    for part in [h for h in parts if PART_TITLE.match(h)][1:]:
        assert any(text.startswith(part) for text in pages), f"{part!r} does not start a page"


@pytest.mark.book
def test_template_pages_and_index_link_both_downloads(built_site):
    index = (built_site / "templates" / "index.html").read_text(encoding="utf-8")
    for page in TEMPLATES:
        html = (built_site / "templates" / f"{page.stem}.html").read_text(encoding="utf-8")
        line = re.search(r'<p class="template-downloads">(.*?)</p>', html, re.S)
        assert line, f"{page.stem}: no download links"
        for suffix in ("pdf", "docx"):
            assert f'href="{page.stem}.{suffix}"' in line.group(1)
            assert f'href="{page.stem}.{suffix}"' in index, f"index does not link {page.stem}"


# --- printing in Chromium ------------------------------------------------------------------

HIDDEN_IN_PRINT = [
    ".bd-header",
    ".bd-sidebar-primary",
    ".bd-sidebar-secondary",
    ".bd-header-article",
    ".bd-footer",
    ".prev-next-area",
    "#jb-print-docs-body",
    ".template-downloads",
    ".team-only",
]
MEASURE = """(hidden) => {
  const em = (el) => parseFloat(getComputedStyle(el).fontSize);
  const rows = Array.from(document.querySelectorAll('article tr.writing-row'));
  const lines = Array.from(document.querySelectorAll('article p.writing-line'));
  return {
    shown: hidden.filter((s) => Array.from(document.querySelectorAll(s))
      .some((el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length)),
    rows: rows.map((tr) => tr.getBoundingClientRect().height / em(tr)),
    lines: lines.map((p) => parseFloat(getComputedStyle(p).lineHeight) / em(p)),
    title: document.querySelector('article h1').getClientRects().length > 0,
  };
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.book
@pytest.mark.browser
def test_templates_print_on_a4_without_navigation(built_site, tmp_path_factory):
    require_chromium()
    report = ["template | printed pages without print.css | with print.css | PDF download"]
    problems = []
    with launch(["--no-sandbox", "--disable-gpu"]) as browser:
        page = browser.new_page()
        for template in TEMPLATES:
            name = template.stem
            page.goto((built_site / "templates" / f"{name}.html").as_uri(), wait_until="load")
            page.emulate_media(media="print")
            found = page.evaluate(MEASURE, HIDDEN_IN_PRINT)
            printed = _pages(page.pdf(format="A4"))
            page.evaluate(
                "() => document.querySelectorAll('link[href*=\"print.css\"]')"
                ".forEach((l) => { l.disabled = true; })"
            )
            plain = _pages(page.pdf(format="A4"))
            download = len(PdfReader(built_site / "templates" / f"{name}.pdf").pages)
            report.append(f"{name} | {plain} | {printed} | {download}")
            if found["shown"] or not found["title"]:
                problems.append(f"{name}: printed {found['shown']} (title shown: {found['title']})")
            short = [h for h in found["rows"] + found["lines"] if h < 2.5 - 0.01]
            if short:
                problems.append(f"{name}: writing space under 2.5 em: {short}")
            if abs(printed - download) > 1:
                problems.append(f"{name}: prints {printed} pages, the PDF has {download}")
    folder = tmp_path_factory.mktemp("print")
    (folder / "template-pages.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report) + f"\nsaved in {folder}")
    assert not problems, "\n".join(problems)
