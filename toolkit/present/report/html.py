"""The report as one HTML file that opens from an e-mail attachment, with no internet.

The chart script (once), the styles and every chart's data are inside the
file, and it refers to nothing outside itself; a Content-Security-Policy
makes a browser refuse to load anything even if something tried.
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import Any

import altair as alt
import pandas as pd

from toolkit.present import charts
from toolkit.present.report.notice import cell_text, privacy_notice
from toolkit.present.report.sections import Section, day

__all__ = ["render_html"]

_CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0; line-height: 1.55; font-size: 17px; }
header, main, footer { max-width: 56rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
h1 { font-size: 2rem; margin: 0 0 0.25rem; line-height: 1.2; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.75rem; padding-top: 1rem;
  border-top: 2px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.notice { border: 2px solid var(--accent); border-radius: 6px; padding: 0.75rem 1rem;
  margin: 1rem 0; background: #eef6fb; }
.notice.warning { border-color: #b00020; background: #fdecee; }
.notice strong { display: block; margin-bottom: 0.25rem; }
nav ol { padding-left: 1.25rem; margin: 0.25rem 0; }
a { color: #005a8c; }
figure.fte-chart { margin: 1rem 0 1.5rem; overflow-x: auto; }
.fte-chart-description { color: var(--muted); font-size: 0.95rem; margin: 0.5rem 0 0; }
blockquote { margin: 0.75rem 0; padding: 0.5rem 1rem; border-left: 4px solid var(--accent);
  background: #f7f7f7; }
blockquote p { margin: 0; }
blockquote footer { margin: 0.25rem 0 0; padding: 0; color: var(--muted); font-size: 0.95rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.75rem 0.3rem 0; text-align: left;
  vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 0.25rem 0 1rem; }
.table-wrap { overflow-x: auto; }
.note { background: #f7f7f7; padding: 0.5rem 1rem; border-radius: 6px; }
footer.page { color: var(--muted); font-size: 0.9rem; padding: 2rem 1.25rem 3rem; }
@media print { figure.fte-chart, blockquote, table { break-inside: avoid; }
  h2 { break-after: avoid; } body { font-size: 12pt; } }
"""

# The report loads nothing from anywhere: the policy makes a browser refuse
# even if something tried.  Vega compiles its expressions, hence 'unsafe-eval'.
_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:"
)


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    # The schema address is only a label; dropping it keeps every URL out of the file.
    spec.pop("$schema", None)
    return spec


def _html_table(table: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        cells = []
        for value in record:
            text, number = cell_text(value)
            cls = ' class="number"' if number else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _chart_data_table(chart: alt.Chart) -> str:
    data = chart.data if isinstance(chart.data, pd.DataFrame) else None
    if data is None or data.empty:
        return ""
    keep = [c for c in data.columns if c not in ("color", "quote", "quote_by", "total", "unit")]
    shown = data[keep].head(60)
    return (
        "<details><summary>Show the numbers behind this chart</summary>"
        + _html_table(shown, "The chart's data")
        + "</details>"
    )


def _html_quotes(quotes: pd.DataFrame) -> str:
    out = []
    for _, q in quotes.iterrows():
        out.append(
            f"<blockquote><p>\u201c{html.escape(str(q['quote']))}\u201d</p>"
            f"<footer>\u2014 {html.escape(str(q['speaker']) or 'participant')}, interview "
            f"{html.escape(str(q['interview_id']))}</footer></blockquote>"
        )
    return "".join(out)


def render_html(project: Any, sections: list[Section]) -> str:
    """Return the report as one self-contained HTML page: styles, data and chart script inside."""
    title, body, warning = privacy_notice(project)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(project.name)}: report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{html.escape(project.name)}</h1>",
        f'<p class="subtitle">What we heard: themes, quotes and charts. Written '
        f"{day(_dt.date.today())}.</p>",
        f'<div class="notice{" warning" if warning else ""}" role="note">'
        f"<strong>{html.escape(title)}</strong>{html.escape(body)}</div>",
    ]
    if project.description:
        parts.append(f"<p>{html.escape(project.description)}</p>")
    parts.append('<nav aria-label="Contents"><strong>Contents</strong><ol>')
    parts += [f'<li><a href="#{s.id}">{html.escape(s.title)}</a></li>' for s in sections]
    parts += ["</ol></nav>", "</header>", "<main>"]
    for section in sections:
        parts.append(f'<section id="{section.id}" aria-labelledby="{section.id}-h">')
        parts.append(f'<h2 id="{section.id}-h">{html.escape(section.title)}</h2>')
        for kind, value in section.blocks:
            if kind == "p":
                parts.append(f"<p>{html.escape(value)}</p>")
            elif kind == "note":
                parts.append(f'<p class="note">{html.escape(value)}</p>')
            elif kind == "h3":
                parts.append(f"<h3>{html.escape(value)}</h3>")
            elif kind == "chart":
                parts.append(charts.chart_html(_spec(value)))
                parts.append(_chart_data_table(value))
            elif kind == "table":
                parts.append(_html_table(*value))
            elif kind == "quotes":
                parts.append(_html_quotes(value))
        parts.append("</section>")
    parts += [
        "</main>",
        f'<footer class="page">{html.escape(title)} Made with codesign-toolkit (Follow the '
        "Energy). This file needs no internet connection: open it in any web browser.</footer>",
        # One copy of the chart script, after every chart it draws.
        "<script>" + charts.chart_script() + "</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
