"""Write a template (a ``template_model.Document``) as a Word file with python-docx.

The file is meant to be changed: real Word headings (the "Heading 1", "Heading
2" ... styles, so Word's navigation pane and contents work), real bulleted and
numbered lists, native tables with a repeated header row and writing rows at
least 2.5 em tall, bold and italic text, and live web links. A4 pages, UK
English proofing, and a footer with the template's name and the page number.
Team-only notes never reach the model, so they are not in the file.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from template_model import Block, Document, Heading, ListBlock, Note, Run
from template_model import Paragraph as Para
from template_model import Table as TableBlock

BODY = 11  # points
#: A writing row or blank line is at least this many em tall.
WRITING_EM = 2.5
MARGIN = Mm(18)
LINK = RGBColor(0x1A, 0x4F, 0x8B)


def _set_lang(style, lang: str) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), lang)
    rpr.append(element)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


#: Paragraph properties that come after shading, in the order the schema sets.
_LATER = """tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE
autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents
suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr
sectPr pPrChange"""
AFTER_SHADING = tuple(f"w:{tag}" for tag in _LATER.split())


def _box(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in {"val": "single", "sz": "18", "space": "8", "color": "777777"}.items():
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    shading = OxmlElement("w:shd")
    for key, value in {"val": "clear", "color": "auto", "fill": "F2F2F2"}.items():
        shading.set(qn(f"w:{key}"), value)
    ppr.insert_element_before(borders, "w:shd", *AFTER_SHADING)  # the schema's order
    ppr.insert_element_before(shading, *AFTER_SHADING)
    paragraph.paragraph_format.left_indent = Mm(4)


def _repeat_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _format(run, source: Run) -> None:
    run.bold = source.bold or None
    run.italic = source.italic or None
    if source.code:
        run.font.name = "Consolas"


def add_runs(paragraph, runs: list[Run]) -> None:
    """Add styled runs to a python-docx paragraph; web links stay live."""
    for source in runs:
        pieces = source.text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                paragraph.add_run().add_break()
            if not piece:
                continue
            if source.href:
                _add_link(paragraph, piece, source)
            else:
                _format(paragraph.add_run(piece), source)


def _add_link(paragraph, text: str, source: Run) -> None:
    rel = paragraph.part.relate_to(source.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = paragraph.add_run(text)
    _format(run, source)
    run.font.color.rgb = LINK
    run.font.underline = True
    run._r.getparent().remove(run._r)
    link.append(run._r)
    paragraph._p.append(link)


class _Writer:
    def __init__(self, doc):
        self.doc = doc
        self.width = doc.sections[0].page_width - 2 * MARGIN

    def blocks(self, container, blocks: list[Block], width: int, depth: int = 0) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                level = min(block.level, 9)
                paragraph = container.add_paragraph(style=f"Heading {level}")
                add_runs(paragraph, block.runs)
                if block.part:
                    paragraph.paragraph_format.page_break_before = True
            elif isinstance(block, Para):
                paragraph = container.add_paragraph()
                add_runs(paragraph, block.runs)
                if block.writing:
                    fmt = paragraph.paragraph_format
                    fmt.line_spacing = Pt(BODY * WRITING_EM)
                    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
                if depth:
                    paragraph.paragraph_format.left_indent = Mm(6 * depth)
            elif isinstance(block, ListBlock):
                self.list(container, block, width, depth)
            elif isinstance(block, TableBlock):
                self.table(container, block, width)
                container.add_paragraph()
            elif isinstance(block, Note):
                self.note(container, block, width)

    def list(self, container, block: ListBlock, width: int, depth: int) -> None:
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if depth == 0 else f"{kind} {min(depth + 1, 3)}"
        num_id = self._restart(style, block.start) if block.ordered else None
        for item in block.items:
            first, rest = (
                (item[0], item[1:]) if item and isinstance(item[0], Para) else (None, item)
            )
            paragraph = container.add_paragraph(style=style)
            if first is not None:
                add_runs(paragraph, first.runs)
            if num_id is not None:
                paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
            self.blocks(container, rest, width, depth + 1)

    def _restart(self, style: str, start: int) -> int | None:
        """Return a numbering id for ``style`` that starts again at ``start``."""
        ppr = self.doc.styles[style].element.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        num = numbering.num_having_numId(ppr.numPr.numId.val)
        fresh = numbering.add_num(num.abstractNumId.val)
        fresh.add_lvlOverride(ilvl=0).add_startOverride(start)
        return fresh.numId

    def table(self, container, block: TableBlock, width: int) -> None:
        columns = len(block.widths)
        table = container.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        widths = [int(share * width) for share in block.widths]
        for cells in block.header:
            row = table.add_row()
            _repeat_header(row)
            for cell, runs in zip(row.cells, cells, strict=False):
                _shade(cell, "E8E8E8")
                add_runs(cell.paragraphs[0], [_bold(r) for r in runs])
        for cells, writing in zip(block.body, block.writing, strict=True):
            row = table.add_row()
            if writing:
                row.height = Pt(BODY * WRITING_EM)
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell, runs in zip(row.cells, cells, strict=False):
                add_runs(cell.paragraphs[0], runs)
        for column, share in zip(table.columns, widths, strict=True):
            column.width = share
            for cell in column.cells:
                cell.width = share

    def note(self, container, block: Note, width: int) -> None:
        """A note: its paragraphs shaded, with a rule down the left."""
        before = {id(p._p) for p in container.paragraphs}
        if block.title:
            add_runs(container.add_paragraph(), [_bold(r) for r in block.title])
        self.blocks(container, block.blocks, width)
        for paragraph in container.paragraphs:
            if id(paragraph._p) not in before:
                _box(paragraph)


def _bold(run: Run) -> Run:
    return Run(run.text, True, run.italic, run.code, run.href)


def _footer(section, title: str, footer: str) -> None:
    paragraph = section.footer.paragraphs[0]
    run = paragraph.add_run(f"{title} · {footer} · Page " if footer else f"{title} · Page ")
    run.font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph._p.append(field)


def write_docx(
    document: Document, target: Path, *, footer: str = "", author: str = "", lang: str = "en-GB"
) -> Path:
    """Write ``document`` to ``target`` as a Word file and return ``target``."""
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY)
    _set_lang(normal, lang)
    for level in range(1, 4):
        doc.styles[f"Heading {level}"].font.color.rgb = RGBColor(0, 0, 0)
    properties = doc.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = author
    properties.subject = "Facilitator template"
    properties.language = lang
    properties.comments = footer
    _footer(section, document.title, footer)
    _Writer(doc).blocks(doc, document.blocks, section.page_width - 2 * MARGIN)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target
