"""The report as Markdown, its charts as PNG files beside it, to edit in Word or Google Docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.present import charts
from toolkit.present.report.export import save_chart
from toolkit.present.report.notice import cell_text, privacy_notice
from toolkit.present.report.sections import Section

__all__ = ["render_markdown"]


def _md_escape(text: str) -> str:
    return re.sub(r"([|*_`\\<>\[\]])", r"\\\1", str(text))


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


def render_markdown(project: Any, sections: list[Section], target: Path) -> str:
    """Return the report as Markdown for the file `target`, saving its charts as PNG files.

    The pictures go to a ``<name>-charts`` folder beside `target`, linked
    relatively; pictures left there by an earlier, longer report are removed.
    """
    title, body, _ = privacy_notice(project)
    folder = target.parent / f"{target.stem}-charts"
    lines = [f"# {project.name}", "", f"> **{title}** {body}", ""]
    if project.description:
        lines += [project.description, ""]
    number, written = 0, set()
    for section in sections:
        lines += [f"## {section.title}", ""]
        for kind, value in section.blocks:
            if kind in ("p", "note"):
                lines += [value, ""]
            elif kind == "h3":
                lines += [f"### {value}", ""]
            elif kind == "chart":
                number += 1
                name = f"{number:02d}-{section.id}.png"
                save_chart(value, folder / name)
                written.add(name)
                alt_text = charts.describe(value).replace("]", ")").replace("[", "(")
                lines += [
                    f"![{alt_text}]({folder.name}/{name})",
                    "",
                    f"*{charts.describe(value)}*",
                    "",
                ]
            elif kind == "table":
                lines += [_md_table(*value), ""]
            elif kind == "quotes":
                for _, q in value.iterrows():
                    lines += [
                        f"> \u201c{q['quote']}\u201d",
                        f"> \u2014 {q['speaker'] or 'participant'}, interview {q['interview_id']}",
                        "",
                    ]
    lines += ["---", "", f"*{title}*", ""]
    # Pictures left from an earlier report with more charts would only confuse.
    if folder.is_dir():
        for old in folder.glob("[0-9][0-9]-*.png"):
            if old.name not in written:
                old.unlink()
    return "\n".join(lines)
