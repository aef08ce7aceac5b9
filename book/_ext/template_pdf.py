"""Write a template (a ``template_model.Document``) as an A4 PDF with reportlab.

reportlab is pure Python (installed by pip with the ``book`` extra) and ships
the Bitstream Vera fonts, so the PDF is the same on every machine and needs no
browser. Vera is embedded; a few symbols it lacks (the tick box ``☐`` above
all) come from the PDF's standard ZapfDingbats and Symbol fonts.

The layout follows the print styles (``book/_static/print.css``): writing rows
and blank lines at least 2.5 em tall, a new page before each "Part N" after
the first, short sections kept on one page, no heading left at the foot of a
page, table headers repeated on each page, and a footer with the template's
name and "page N of M". Headings become the PDF's bookmarks.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.rl_codecs import RL_Codecs
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreakIfNotEmpty,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from template_model import Block, Document, Heading, ListBlock, Note, Run, fit_shares, plain
from template_model import Paragraph as Para
from template_model import Table as TableBlock

FONT = "FteVera"
BODY = 10.5  # points
#: A writing row or blank line is at least this many em tall.
WRITING_EM = 2.5
MARGIN = 18 * mm
PAD = 4  # points inside table cells
#: A section shorter than this share of a page is never split across pages.
KEEP_TOGETHER = 0.25
#: A heading needs this much room below it, or it starts the next page.
KEEP_WITH_HEADING = 40 * mm
#: Symbols Vera lacks, drawn from a standard PDF font instead.
SYMBOLS = {"☐": "❏", "☑": "❏", "☒": "❏", "✓": "✓", "✔": "✔", "✗": "✗", "✘": "✘"}


@cache
def _fonts() -> frozenset[int]:
    """Register Vera (shipped with reportlab); return the characters it covers."""
    folder = Path(reportlab.__file__).parent / "fonts"
    faces = {"": "Vera", "-Bold": "VeraBd", "-Italic": "VeraIt", "-BoldItalic": "VeraBI"}
    for suffix, file in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / f"{file}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
        boldItalic=FONT + "-BoldItalic",
    )  # fmt: skip
    RL_Codecs.register()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _text(text: str, missing: set[str]) -> str:
    """Escape ``text`` for a reportlab paragraph, routing symbols Vera lacks."""
    covered = _fonts()
    out = []
    for char in text:
        if char == "\n":
            out.append("<br/>")
        elif ord(char) in covered or char in "\t":
            out.append(escape(char))
        elif char in SYMBOLS:
            out.append(f'<font face="ZapfDingbats">{SYMBOLS[char]}</font>')
        elif _encodable(char, "symbol"):
            out.append(f'<font face="Symbol">{char}</font>')
        elif _encodable(char, "zapfdingbats"):
            out.append(f'<font face="ZapfDingbats">{char}</font>')
        else:
            folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            if not folded:
                missing.add(char)
            out.append(escape(folded or "?"))
    return "".join(out)


def markup(runs: list[Run], missing: set[str]) -> str:
    """Return reportlab paragraph mark-up for some runs."""
    parts = []
    for run in runs:
        text = _text(run.text, missing)
        if run.code:
            text = f'<font face="Courier">{text}</font>'
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.href:
            text = f'<a href="{escape(run.href, {chr(34): "&quot;"})}" color="#1a4f8b">{text}</a>'
        parts.append(text)
    return "".join(parts)


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=BODY, leading=BODY * 1.35, spaceAfter=5)
    head = {"fontName": FONT + "-Bold", "textColor": colors.black}
    return {
        "body": body,
        "writing": ParagraphStyle("writing", body, leading=BODY * WRITING_EM, spaceAfter=0),
        "cell": ParagraphStyle("cell", body, spaceAfter=0),
        "head": ParagraphStyle("head", body, fontName=FONT + "-Bold", spaceAfter=0),
        "h1": ParagraphStyle("h1", body, fontSize=19, leading=23, spaceAfter=8, **head),
        "h2": ParagraphStyle("h2", body, fontSize=14, leading=18, spaceBefore=12, **head),
        "h3": ParagraphStyle("h3", body, fontSize=12, leading=15, spaceBefore=8, **head),
        "h4": ParagraphStyle("h4", body, fontSize=BODY, spaceBefore=6, **head),
    }


class _Doc(BaseDocTemplate):
    """Adds a PDF bookmark for every heading."""

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        level = min(level, getattr(self, "_outline_last", -1) + 1)
        self._outline_last = level
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_text, key, level=level, closed=False)


def _footer(title: str, footer: str, total: int) -> Callable:
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 10 * mm, f"{title} · {footer}" if footer else title)
        page = canvas.getPageNumber()
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {page} of {total}")
        canvas.restoreState()

    return draw


class _Writer:
    def __init__(self, width: float):
        self.width = width
        self.styles = _styles()
        self.missing: set[str] = set()

    def para(self, runs: list[Run], style: str, **extra) -> Paragraph:
        return Paragraph(markup(runs, self.missing), self.styles[style], **extra)

    def blocks(self, blocks: list[Block], width: float, indent: float = 0) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Heading):
                if block.part:
                    out.append(PageBreakIfNotEmpty())
                style = f"h{min(block.level, 4)}"
                heading = self.para(block.runs, style)
                heading.outline_level = block.level - 1
                heading.outline_text = "".join(r.text for r in block.runs).strip()
                out.append(heading)
            elif isinstance(block, Para):
                style = self.styles["writing" if block.writing else "body"]
                if indent:
                    style = ParagraphStyle("indented", style, leftIndent=indent)
                out.append(Paragraph(markup(block.runs, self.missing), style))
            elif isinstance(block, ListBlock):
                out.extend(self.list(block, width, indent))
            elif isinstance(block, TableBlock):
                out.append(self.table(block, width - indent))
                out.append(Spacer(1, 8))
            elif isinstance(block, Note):
                out.append(self.note(block, width - indent))
                out.append(Spacer(1, 8))
        return out

    def list(self, block: ListBlock, width: float, indent: float) -> list[Flowable]:
        out: list[Flowable] = []
        step = 16
        for number, item in enumerate(block.items, start=block.start):
            bullet = f"{number}." if block.ordered else "•"
            flows = self.blocks(item, width, indent + step)
            first = flows[0] if flows else None
            if isinstance(first, Paragraph):
                style = ParagraphStyle("item", first.style, leftIndent=indent + step, spaceAfter=2)
                style.bulletIndent = indent + 2
                flows[0] = Paragraph(first.text, style, bulletText=bullet)
            out.extend(flows)
        if out:
            out.append(Spacer(1, 3))
        return out

    def story(self, blocks: list[Block], width: float, height: float) -> list[Flowable]:
        """Lay out the page; a short section (heading and text) is kept on one sheet."""
        chunks: list[list[Block]] = []
        for block in blocks:
            if isinstance(block, Heading) or not chunks:
                chunks.append([])
            chunks[-1].append(block)
        out: list[Flowable] = []
        for chunk in chunks:
            flows = self.blocks(chunk, width)
            if flows and isinstance(flows[0], PageBreakIfNotEmpty):
                out.append(flows.pop(0))
            tall = sum(f.wrap(width, height)[1] + f.getSpaceAfter() for f in flows)
            if tall < KEEP_TOGETHER * height:
                out.append(KeepTogether(flows))
            else:  # a long section may run on, but not from a heading at the foot
                out.append(CondPageBreak(KEEP_WITH_HEADING))
                out.extend(flows)
        return out

    def min_width(self, runs: list[Run], bold: bool) -> float:
        """The width of the longest word in a cell, with the cell's padding."""
        font = FONT + "-Bold" if bold else FONT
        words = plain(runs).split() or [""]
        size = self.styles["cell"].fontSize
        return max(pdfmetrics.stringWidth(w, font, size) for w in words) + 2 * PAD + 1

    def table(self, block: TableBlock, width: float) -> Table:
        minimums = [0.0] * len(block.widths)
        for cells, bold in [(c, True) for c in block.header] + [(c, False) for c in block.body]:
            for j, runs in enumerate(cells[: len(minimums)]):
                minimums[j] = max(minimums[j], self.min_width(runs, bold) / width)
        widths = [share * width for share in fit_shares(block.widths, minimums)]
        rows, heights = [], []
        for cells in block.header:
            rows.append([self.para(c, "head") for c in cells])
            heights.append(None)
        for cells, writing in zip(block.body, block.writing, strict=True):
            row = [self.para(c, "cell") for c in cells]
            row += [Paragraph("", self.styles["cell"])] * (len(widths) - len(row))
            rows.append(row)
            if writing:
                cells = zip(row, widths, strict=False)
                need = max(p.wrap(w - 2 * PAD, 10_000)[1] for p, w in cells)
                heights.append(max(need + 2 * PAD, WRITING_EM * BODY))
            else:
                heights.append(None)
        table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=len(block.header))
        style = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
        ]
        if block.header:
            last = len(block.header) - 1
            style.append(("BACKGROUND", (0, 0), (-1, last), colors.HexColor("#e8e8e8")))
        table.setStyle(TableStyle(style))
        return table

    def note(self, block: Note, width: float) -> Table:
        inner = width - 2 * PAD - 6
        flows: list[Flowable] = []
        if block.title:
            flows.append(self.para(block.title, "head"))
        flows.extend(self.blocks(block.blocks, inner))
        box = Table([[flows]], colWidths=[width])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f2f2")),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor("#777777")),
                    ("LEFTPADDING", (0, 0), (-1, -1), PAD + 6),
                ]
            )
        )
        return box


def _build(document: Document, target, footer: str, author: str, lang: str, total: int):
    """Lay out and write the PDF once; return its page count and undrawable characters."""
    doc = _Doc(
        target,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=document.title,
        author=author,
        subject="Facilitator template",
        creator="Follow the Energy",
        lang=lang,
        invariant=True,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="text")
    # The footer is drawn at the end of each page, so it is read last.
    doc.addPageTemplates(
        [PageTemplate("page", [frame], onPageEnd=_footer(document.title, footer, total))]
    )
    writer = _Writer(doc.width)
    doc.build(writer.story(document.blocks, doc.width, doc.height))
    return doc.page, writer.missing


def write_pdf(
    document: Document,
    target: Path,
    *,
    footer: str = "",
    author: str = "",
    lang: str = "en-GB",
    warn: Callable[[str], None] | None = None,
) -> Path:
    """Write ``document`` to ``target`` as an A4 PDF and return ``target``.

    ``warn`` is called once if the text has characters no bundled font can
    draw (they print as "?").
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Two passes: the first counts the pages for the "page N of M" footer.
    pages, missing = _build(document, io.BytesIO(), footer, author, lang, total=0)
    _build(document, str(target), footer, author, lang, total=pages)
    if missing and warn is not None:
        chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
        warn(f"the PDF fonts cannot draw {chars}; they print as '?'")
    return target
