"""Sphinx extension: the facilitator templates on paper, as PDF and as Word.

Every page listed under ``templates/index`` in ``_toc.yml`` (at any depth) is
a template. While the HTML builder writes each one, this extension:

- marks it for print (``template_model.mark_for_print``): team-only notes,
  "Part N" sections that start a new page, writing rows and blank lines, and
  column widths shared by content (writing columns wide);
- writes ``NAME.pdf`` (A4, with reportlab: ``template_pdf``) and ``NAME.docx``
  (python-docx: ``template_docx``) beside the page, e.g.
  ``_build/html/templates/fieldnote-template.pdf``, from the page's resolved
  doctree: what the web page shows, less team-only notes;
- adds a "Download" line with both links under the page's title.

The directive ``{template-downloads}`` (used on ``templates/index.md``) lists
every template with its two downloads. ``book/_static/print.css`` holds the
print styles. All of it works offline, with pip-installed packages only.

Configuration (``sphinx.config`` in ``_config.yml``; all optional):
``template_downloads_index`` (default ``"templates/index"``),
``template_downloads_footer`` (default ``"<site title> · CC BY 4.0"``),
``template_downloads_lang`` (default ``"en-GB"``).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from template_model import mark_for_print, read_document

logger = logging.getLogger(__name__)

CSS = "print.css"
FORMATS = {"pdf": "PDF", "docx": "Word"}


class download_table(nodes.General, nodes.Element):
    """Placeholder for the list of downloads, filled in when the page is written."""


def _skip(self, node):
    raise nodes.SkipNode


class TemplateDownloadsDirective(SphinxDirective):
    """``{template-downloads}``: a table of every template's PDF and Word file."""

    has_content = False

    def run(self):
        return [download_table()]


def template_docnames(env, index: str) -> list[str]:
    """Return the templates: the pages under ``index`` in the table of contents."""
    found: list[str] = []

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in found and child != index:
                found.append(child)
                walk(child)

    walk(index)
    return found


def _uri(app, fromdoc: str, docname: str, suffix: str) -> str:
    """The relative link from page ``fromdoc`` to ``docname``'s download."""
    page = app.builder.get_target_uri(fromdoc)
    return posixpath.relpath(f"{docname}.{suffix}", posixpath.dirname(page) or ".")


def pdf_pages(path: Path) -> int:
    """Return the page count of a PDF written by ``template_pdf`` (0 if unknown)."""
    pages = re.search(rb"<<[^<>]*/Type\s*/Pages\b[^<>]*>>", path.read_bytes())
    count = re.search(rb"/Count\s+(\d+)", pages.group(0)) if pages else None
    return int(count.group(1)) if count else 0


def _writer(suffix: str):
    if suffix == "pdf":
        from template_pdf import write_pdf

        return write_pdf
    from template_docx import write_docx

    return write_docx


def _write_downloads(app, doctree, docname: str) -> dict[str, Path]:
    """Write the page's PDF and Word files; return them by suffix."""
    config = app.config
    document = read_document(doctree)
    site = getattr(config, "html_title", "") or config.project
    footer = config.template_downloads_footer or f"{site} · CC BY 4.0"
    common = {"footer": footer, "author": config.author, "lang": config.template_downloads_lang}
    base = Path(app.outdir) / docname

    def warn(message: str) -> None:
        logger.warning(f"{docname}.pdf: {message}", location=docname, type="template_downloads")

    written = {}
    for suffix in FORMATS:
        target = base.with_name(f"{base.name}.{suffix}")
        extra = {"warn": warn} if suffix == "pdf" else {}
        try:
            written[suffix] = _writer(suffix)(document, target, **common, **extra)
        except ImportError as exc:
            hint = 'reinstall the book tools: pip install -e ".[book]"'
            logger.warning(f"cannot write {target.name}: {exc}; {hint}", location=docname)
        except Exception as exc:  # report it and carry on (-W makes the build fail)
            logger.warning(
                f"could not write {target.name}: {type(exc).__name__}: {exc}",
                location=docname,
                type="template_downloads",
            )
    return written


def _download_line(app, docname: str, written: dict[str, Path]) -> nodes.paragraph:
    line = nodes.paragraph(classes=["template-downloads"])
    line += nodes.strong("", "Download this template")
    line += nodes.Text(" to print or change: ")
    for suffix, label in FORMATS.items():
        if suffix not in written:
            continue
        if isinstance(line[-1], nodes.reference):
            line += nodes.Text(" · ")
        detail = f"A4, {pdf_pages(written[suffix])} pages" if suffix == "pdf" else ".docx"
        detail = detail.replace(" 1 pages", " 1 page")
        text = f"{label} ({detail})"
        line += nodes.reference("", text, refuri=_uri(app, docname, docname, suffix))
    return line


def _index_table(app, fromdoc: str, templates: list[str]) -> nodes.table:
    table = nodes.table(classes=["template-downloads-table"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (50, 25, 25):
        group += nodes.colspec(colwidth=width)

    def row(cells):
        tr = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.paragraph) else nodes.paragraph("", cell)
            tr += entry
        return tr

    thead = nodes.thead()
    thead += row(["Template", "PDF, to print on A4", "Word, to change"])
    group += thead
    tbody = nodes.tbody()
    for docname in templates:
        title = app.env.titles[docname].astext() if docname in app.env.titles else docname
        page = nodes.reference(
            "", title, internal=True, refuri=app.builder.get_relative_uri(fromdoc, docname)
        )
        links = []
        for suffix in FORMATS:
            name = f"{posixpath.basename(docname)}.{suffix}"
            links.append(
                nodes.paragraph(
                    "", "", nodes.reference("", name, refuri=_uri(app, fromdoc, docname, suffix))
                )
            )
        tbody += row([nodes.paragraph("", "", page), *links])
    group += tbody
    return table


def _doctree_resolved(app, doctree, docname: str) -> None:
    placeholders = list(doctree.findall(download_table))
    if app.builder.format != "html":
        for node in placeholders:
            node.parent.remove(node)
        return
    templates = template_docnames(app.env, app.config.template_downloads_index)
    for node in placeholders:
        node.replace_self(_index_table(app, docname, templates))
    if docname not in templates:
        return
    mark_for_print(doctree)
    written = _write_downloads(app, doctree, docname)
    section = doctree.next_node(nodes.section)
    if section is not None and written:
        title = section.next_node(nodes.title)
        at = section.index(title) + 1 if title is not None and title.parent is section else 0
        section.insert(at, _download_line(app, docname, written))


def setup(app):
    app.add_config_value("template_downloads_index", "templates/index", "env")
    app.add_config_value("template_downloads_footer", "", "env")
    app.add_config_value("template_downloads_lang", "en-GB", "env")
    app.add_node(
        download_table,
        **{f: (_skip, None) for f in ("html", "latex", "text", "man", "texinfo", "epub")},
    )
    app.add_directive("template-downloads", TemplateDownloadsDirective)
    app.add_css_file(CSS, priority=800)
    app.connect("doctree-resolved", _doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
