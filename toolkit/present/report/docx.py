"""The report as a Word document, made with python-docx, for teams that circulate Word.

Everything uses Word's own styles, so a trust's template can restyle it in
one go: the title is "Title", sections "Heading 1", their parts "Heading 2",
quotes "Quote", lists "List Bullet", captions "Caption".  Tables are native
Word tables with a repeating header row; charts are PNG pictures drawn by
vl-convert, each with its description as alt text.  The page is A4.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt

from toolkit.present import charts
from toolkit.present.report.blocks import Figure, Report
from toolkit.present.report.html import chart_spec
from toolkit.present.report.notice import cell_text
from toolkit.present.report.summary import markdown_blocks

__all__ = ["render_docx"]

#: The widest a chart is printed: A4 less 2.5 cm margins.
MAX_WIDTH = Cm(16)


def _language(document: Any, language: str = "en-GB") -> None:
    """Mark the text as British English, for spelling and screen readers."""
    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    run_properties.append(lang)


def _runs(paragraph: Any, runs: list[tuple[str, bool, bool]]) -> None:
    for text, bold, italic in runs:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None


def _table(document: Any, table: pd.DataFrame, caption: str, large: bool = False) -> None:
    document.add_paragraph(caption, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    header = grid.rows[0]
    # The header row repeats on every page, and screen readers read it as the header.
    # (python-docx has no API for it: the row is the first of the last table added.)
    row_properties = document.element.body.xpath("./w:tbl")[-1].tr_lst[0].get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(str(name)).bold = True
    for record in table.itertuples(index=False):
        cells = grid.add_row().cells
        for cell, value in zip(cells, record, strict=True):
            text, number = cell_text(value)
            cell.text = text
            if number:
                cell.paragraphs[0].alignment = 2  # right
    if not large:
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
    document.add_paragraph()


def _figure(document: Any, figure: Figure) -> None:
    import vl_convert

    png = vl_convert.vegalite_to_png(chart_spec(figure.chart), scale=2)
    # The PNG's width in pixels is in its header; at scale 2, 192 pixels an inch.
    pixels = int.from_bytes(png[16:20], "big")
    width = min(MAX_WIDTH, Inches(pixels / 192)) if pixels else MAX_WIDTH
    document.add_picture(io.BytesIO(png), width=width)
    description = charts.describe(figure.chart)
    # Alt text: Word reads it from the picture's docPr (the last one added).
    properties = document.element.body.xpath(".//wp:docPr")[-1]
    properties.set("descr", description)
    properties.set("title", f"Figure {figure.number}. {figure.title}")
    document.add_paragraph(f"Figure {figure.number}. {figure.title}", style="Caption")
    note = document.add_paragraph()
    note.add_run(description).italic = True
    note.add_run(f" The numbers behind figure {figure.number} are in the appendix.")


def _markdown(document: Any, text: str) -> None:
    for block in markdown_blocks(text):
        if block[0] == "heading":
            level = min(9, block[1] + 1)  # the team's top headings are Heading 2
            _runs(document.add_heading(level=level), block[2])
        elif block[0] == "item":
            style = "List Number" if block[2] else "List Bullet"
            if block[3] > 1:
                style += f" {min(3, block[3])}"
            _runs(document.add_paragraph(style=style), block[1])
        elif block[0] == "quote":
            _runs(document.add_paragraph(style="Quote"), block[1])
        else:
            _runs(document.add_paragraph(), block[1])


def render_docx(report: Report) -> bytes:
    """Return the report as the bytes of a Word (.docx) file."""
    large = report.audience == "participants"
    document = Document()
    _language(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    if large:
        document.styles["Normal"].font.size = Pt(14)
    block = report.title
    document.core_properties.title = block.name
    document.core_properties.subject = block.kind
    document.core_properties.author = block.team or "codesign-toolkit"
    document.add_heading(block.name, level=0)
    document.add_paragraph(block.kind, style="Subtitle")
    for name, value in (("Purpose", block.purpose), ("Date", block.date), ("Team", block.team)):
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{name}: ").bold = True
            paragraph.add_run(value)
    notice = document.add_paragraph(style="Intense Quote")
    notice.add_run(block.status_title).bold = True
    notice.add_run().add_break(WD_BREAK.LINE)
    notice.add_run(block.status)
    for part in report.sections:
        document.add_heading(part.title, level=1)
        for kind, value in part.blocks:
            if kind == "p":
                document.add_paragraph(value)
            elif kind == "note":
                document.add_paragraph().add_run(value).italic = True
            elif kind == "draft":
                paragraph = document.add_paragraph()
                paragraph.add_run("DRAFT. ").bold = True
                paragraph.add_run(value).italic = True
            elif kind == "h3":
                document.add_heading(value, level=2)
            elif kind == "list":
                for item in value:
                    document.add_paragraph(str(item), style="List Bullet")
            elif kind == "markdown":
                _markdown(document, value)
            elif kind == "chart":
                _figure(document, value)
            elif kind == "table":
                _table(document, value.data, value.caption, large)
            elif kind == "numbers":
                _table(document, value.numbers, f"Figure {value.number}: {value.title}", large)
            elif kind == "quotes":
                for quote in value:
                    paragraph = document.add_paragraph(style="Quote")
                    paragraph.add_run(f"\u201c{quote.text}\u201d")
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                    paragraph.add_run(f"\u2014 {quote.by}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
