"""The report as Markdown, its charts as PNG files beside it, to edit in Word or Google Docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.present import charts
from toolkit.present.report.blocks import Report
from toolkit.present.report.export import save_chart
from toolkit.present.report.html import chart_spec
from toolkit.present.report.notice import cell_text

__all__ = ["render_markdown"]


def _md_escape(text: Any) -> str:
    return re.sub(r"([|*_`\\<>\[\]])", r"\\\1", str(text)).replace("\n", " ")


def _md_table(table: pd.DataFrame, caption: str) -> str:
    lines = [f"**{_md_escape(caption)}**", ""]
    lines.append("| " + " | ".join(_md_escape(c) for c in table.columns) + " |")
    lines.append(
        "| "
        + " | ".join(
            "---:" if pd.api.types.is_numeric_dtype(table[c]) else "---" for c in table.columns
        )
        + " |"
    )
    for record in table.itertuples(index=False):
        cells = [cell_text(v)[0] for v in record]
        lines.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    return "\n".join(lines)


def _under_section(text: str) -> str:
    """Move the team's own headings under the section's: the largest becomes ``###``."""
    levels = [len(m) for m in re.findall(r"^(#{1,6}) ", text, flags=re.M)]
    if not levels:
        return text
    shift = 3 - min(levels)
    return re.sub(
        r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", text, flags=re.M
    )


def render_markdown(report: Report, target: Path) -> str:
    """Return the report as Markdown for the file `target`, saving its charts as PNG files.

    The pictures go to a ``<name>-charts`` folder beside `target`, linked
    relatively; pictures left there by an earlier, longer report are removed.
    """
    block = report.title
    folder = target.parent / f"{target.stem}-charts"
    lines = [f"# {block.name}", "", f"*{block.kind}*", ""]
    for name, value in (("Purpose", block.purpose), ("Date", block.date), ("Team", block.team)):
        if value:
            lines += [f"**{name}:** {value}  "]
    lines += ["", f"> **{block.status_title}** {block.status}", ""]
    written = set()
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        for kind, value in section.blocks:
            if kind in ("p", "note"):
                lines += [value, ""]
            elif kind == "draft":
                lines += [f"> **DRAFT.** {value}", ""]
            elif kind == "h3":
                lines += [f"### {value}", ""]
            elif kind == "list":
                lines += [f"- {item}" for item in value] + [""]
            elif kind == "markdown":
                lines += [_under_section(value), ""]
            elif kind == "chart":
                name = f"{value.number:02d}-{section.id}.png"
                save_chart(chart_spec(value.chart), folder / name)
                written.add(name)
                description = charts.describe(value.chart)
                alt_text = description.replace("]", ")").replace("[", "(")
                lines += [
                    f"**Figure {value.number}. {value.title}**",
                    "",
                    f"![{alt_text}]({folder.name}/{name})",
                    "",
                    f"*{description}* The numbers behind figure {value.number} are in the "
                    "appendix.",
                    "",
                ]
            elif kind == "table":
                lines += [_md_table(value.data, value.caption), ""]
            elif kind == "numbers":
                lines += [_md_table(value.numbers, f"Figure {value.number}: {value.title}"), ""]
            elif kind == "quotes":
                for quote in value:
                    lines += [f"> \u201c{quote.text}\u201d", f"> \u2014 {quote.by}", ""]
    lines += ["---", "", f"*{block.status_title}*", ""]
    # Pictures left from an earlier report with more charts would only confuse.
    if folder.is_dir():
        for old in folder.glob("[0-9][0-9]-*.png"):
            if old.name not in written:
                old.unlink()
    return "\n".join(lines)
