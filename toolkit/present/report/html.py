"""The report as one HTML file that opens from an e-mail attachment, with no internet.

The chart script (once), the styles and every chart's data are inside the
file, and it refers to nothing outside itself; a Content-Security-Policy
makes a browser refuse to load anything even if something tried.  The page
fits a 390-pixel phone as well as a desktop: text wraps, charts are drawn to
the width of the column, and wide tables scroll inside their own box.  The
participants' version has large type and no charts.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from toolkit.present import charts
from toolkit.present.charts.spec import chart_dict
from toolkit.present.report.blocks import Figure, Quote, Report, TitleBlock
from toolkit.present.report.notice import cell_text
from toolkit.present.report.script import cached_chart_script
from toolkit.present.report.summary import markdown_html

__all__ = ["chart_spec", "render_html"]

_CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0; line-height: 1.55; font-size: 17px;
  overflow-wrap: break-word; }
header, main, footer { max-width: 56rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 0.25rem; line-height: 1.2; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.75rem; padding-top: 1rem;
  border-top: 2px solid var(--line); line-height: 1.25; }
h3 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.25rem; }
.kind { color: var(--muted); margin: 0 0 1rem; font-size: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem;
  margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
@media (max-width: 30rem) { dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.4rem; } }
.notice { border: 2px solid var(--accent); border-radius: 6px; padding: 0.75rem 1rem;
  margin: 1rem 0; background: #eef6fb; }
.notice.warning { border-color: #b00020; background: #fdecee; }
.notice strong { display: block; margin-bottom: 0.25rem; }
.draft { border: 2px dashed #8a5a00; background: #fff8e6; border-radius: 6px;
  padding: 0.5rem 1rem; }
nav ol { padding-left: 1.25rem; margin: 0.25rem 0; }
a { color: #005a8c; }
figure.fte-chart { margin: 0.5rem 0 0.5rem; max-width: 100%; }
.fte-chart-view { width: 100%; max-width: 100%; }
.fte-chart-description { color: var(--muted); font-size: 0.95rem; margin: 0.5rem 0 0; }
.figure-label { font-weight: 600; margin: 1.5rem 0 0; }
.numbers-link { font-size: 0.95rem; margin: 0.25rem 0 1.5rem; }
blockquote { margin: 0.75rem 0; padding: 0.5rem 1rem; border-left: 4px solid var(--accent);
  background: #f7f7f7; }
blockquote p { margin: 0; }
blockquote footer { margin: 0.25rem 0 0; padding: 0; color: var(--muted); font-size: 0.95rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.95rem;
  min-width: min(100%, 24rem); }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.75rem 0.3rem 0; text-align: left;
  vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #f7f7f7; padding: 0.5rem 1rem; border-radius: 6px; }
footer.page { color: var(--muted); font-size: 0.9rem; padding: 2rem 1rem 3rem; }
@media print { figure.fte-chart, blockquote, table { break-inside: avoid; }
  h2 { break-after: avoid; } body { font-size: 12pt; } .table-wrap { overflow: visible; } }
"""
# The participants' version: large type, short lines.
_LARGE_CSS = """
body { font-size: 21px; line-height: 1.6; }
header, main, footer { max-width: 40rem; }
h1 { font-size: 2.2rem; } h2 { font-size: 1.6rem; } h3 { font-size: 1.3rem; }
blockquote { font-size: 1.05em; }
li { margin-bottom: 0.5rem; }
.kind, footer.page, blockquote footer { font-size: 1em; }
"""

# The report loads nothing from anywhere: the policy makes a browser refuse
# even if something tried.  Vega compiles its expressions, hence 'unsafe-eval'.
_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:"
)


def chart_spec(chart: Any) -> dict:
    """Return a chart's Vega-Lite specification for a report: no URLs, legends never cut."""
    spec = chart_dict(chart)
    # The schema address is only a label; dropping it keeps every URL out of the file.
    spec.pop("$schema", None)
    config = spec.setdefault("config", {})
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0, "titleLimit": 0}
    _stack_legends(spec)
    return spec


def _stack_legends(node: Any) -> None:
    """Give every legend one entry a line, so a legend under a narrow chart is never cut."""
    if isinstance(node, list):
        for child in node:
            _stack_legends(child)
    elif isinstance(node, dict):
        for key, child in node.items():
            if key == "legend" and isinstance(child, dict):
                child["direction"] = "vertical"
                child.pop("columns", None)
            elif key not in ("datasets", "data", "config"):
                _stack_legends(child)


def _table(table: pd.DataFrame, caption: str, anchor: str = "") -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        cells = []
        for value in record:
            text, number = cell_text(value)
            cls = ' class="number"' if number else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    where = f' id="{anchor}"' if anchor else ""
    # A wide table scrolls inside its own box; the box can be reached by keyboard.
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html.escape(caption)}"'
        f"{where}><table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _quotes(quotes: list[Quote]) -> str:
    return "".join(
        f"<blockquote><p>\u201c{html.escape(q.text)}\u201d</p>"
        f"<footer>\u2014 {html.escape(q.by)}</footer></blockquote>"
        for q in quotes
    )


def _figure(figure: Figure, with_numbers: bool) -> str:
    parts = [
        f'<p class="figure-label">Figure {figure.number}. {html.escape(figure.title)}</p>',
        charts.chart_html(chart_spec(figure.chart), chart_id=f"figure-{figure.number}"),
    ]
    if with_numbers:
        parts.append(
            f'<p class="numbers-link"><a href="#{figure.anchor}">The numbers behind figure '
            f"{figure.number}</a> are in the appendix.</p>"
        )
    return "".join(parts)


def _block(kind: str, value: Any) -> str:
    if kind == "p":
        return f"<p>{html.escape(value)}</p>"
    if kind == "note":
        return f'<p class="note">{html.escape(value)}</p>'
    if kind == "draft":
        return f'<p class="draft"><strong>DRAFT.</strong> {html.escape(value)}</p>'
    if kind == "h3":
        return f"<h3>{html.escape(value)}</h3>"
    if kind == "list":
        return "<ul>" + "".join(f"<li>{html.escape(str(i))}</li>" for i in value) + "</ul>"
    if kind == "markdown":
        return markdown_html(value)
    if kind == "chart":
        return _figure(value, with_numbers=True)
    if kind == "table":
        return _table(value.data, value.caption)
    if kind == "quotes":
        return _quotes(value)
    if kind == "numbers":
        caption = f"Figure {value.number}: {value.title}"
        return _table(value.numbers, caption, anchor=value.anchor)
    raise ValueError(f"unknown block kind {kind!r}")


def _title(block: TitleBlock) -> list[str]:
    facts = [("Purpose", block.purpose), ("Date", block.date), ("Team", block.team)]
    parts = [
        f"<h1>{html.escape(block.name)}</h1>",
        f'<p class="kind">{html.escape(block.kind)}</p>',
        '<dl class="facts">'
        + "".join(f"<dt>{name}</dt><dd>{html.escape(value)}</dd>" for name, value in facts if value)
        + "</dl>",
        f'<div class="notice{" warning" if block.warning else ""}" role="note">'
        f"<strong>{html.escape(block.status_title)}</strong>{html.escape(block.status)}</div>",
    ]
    return parts


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML page: styles, data and chart script inside."""
    large = report.audience == "participants"
    block = report.title
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(block.name)}: {html.escape(block.kind.lower())}</title>",
        f"<style>{_CSS}{_LARGE_CSS if large else ''}</style>",
        "</head>",
        "<body>",
        "<header>",
        *_title(block),
    ]
    if not large:
        parts.append('<nav aria-label="Contents"><strong>Contents</strong><ol>')
        parts += [f'<li><a href="#{s.id}">{html.escape(s.title)}</a></li>' for s in report.sections]
        parts.append("</ol></nav>")
    parts += ["</header>", "<main>"]
    for section in report.sections:
        parts.append(f'<section id="{section.id}" aria-labelledby="{section.id}-h">')
        parts.append(f'<h2 id="{section.id}-h">{html.escape(section.title)}</h2>')
        parts += [_block(kind, value) for kind, value in section.blocks]
        parts.append("</section>")
    parts += [
        "</main>",
        f'<footer class="page">{html.escape(block.status_title)} Made with codesign-toolkit '
        "(Follow the Energy). This file needs no internet connection: open it in any web "
        "browser.</footer>",
    ]
    if report.figures():
        # One copy of the chart script, after every chart it draws.
        parts.append("<script>" + cached_chart_script() + "</script>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
