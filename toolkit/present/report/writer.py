"""Write the report a team sends back: one HTML file to e-mail, or Markdown to edit.

Examples
--------
>>> import tempfile, pathlib, toolkit as tk
>>> out = tk.write_report(tk.sample_project(), pathlib.Path(tempfile.mkdtemp()) / "r.html")
>>> "<script>" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.io.files import atomic_write
from toolkit.present.report.html import render_html
from toolkit.present.report.markdown import render_markdown
from toolkit.present.report.sections import as_project, report_sections

__all__ = ["REPORT_FORMATS", "write_report"]

#: The formats :func:`write_report` writes.
REPORT_FORMATS = ("html", "md")


def write_report(
    project: Any,
    path: str | Path | None = None,
    format: str = "html",
    *,
    coder: Any = "humans",
    unit: str = "participants",
    group: str = "group",
    top: int = 5,
    strengths: Any = None,
    wishes: Any = None,
) -> Path:
    """Write the report a team sends back: who took part, themes, quotes, method.

    The HTML report is one file that opens anywhere, with no internet: the
    chart script (once), the styles and each chart's data are inside it.
    It says clearly that it contains pseudonymised interview extracts, or,
    when the project has not been pseudonymised (``pseudonymised: true`` in
    ``project.yml``), warns to pseudonymise before sharing.

    Parameters
    ----------
    project
        A Project, or the path of a project folder.
    path
        Where to write it (default: ``output/report.html`` or
        ``output/report.md`` in the project folder).
    format
        ``"html"`` or ``"md"`` (Markdown, with the charts as PNG files in a
        ``report-charts`` folder beside it, linked relatively).
    coder, unit, group, top, strengths, wishes
        What the report counts and shows: see
        :func:`~toolkit.present.report.sections.report_sections`.

    Returns
    -------
    pathlib.Path
        The report written.
    """
    if format not in REPORT_FORMATS:
        raise ToolkitError(
            f"expected the report format 'html' or 'md', but found {format!r}",
            hint="use 'html' for a file to e-mail, 'md' to edit in Word or Google Docs",
        )
    project = as_project(project)
    target = Path(path) if path is not None else project.output_dir / f"report.{format}"
    sections = report_sections(
        project,
        coder=coder,
        unit=unit,
        group=group,
        top=top,
        strengths=strengths,
        wishes=wishes,
    )
    if format == "html":
        text = render_html(project, sections)
    else:
        text = render_markdown(project, sections, target)
    return atomic_write(target, text)
