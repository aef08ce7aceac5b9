"""Write the report a team sends back, and save charts as pictures.

:func:`write_report` turns a project into one self-contained HTML file that
opens from an e-mail attachment with no internet: the chart script, the
styles and every chart's data are inside it, and it refers to nothing
outside itself.  ``format="md"`` writes Markdown instead, with the charts as
PNG files beside it, for teams that edit in Word or Google Docs.

:func:`save_chart` saves any chart as PNG or SVG through vl-convert (no
browser needed).

The report never shows participants' names (the ``name`` column of
``participants.csv``): people are counted by group, and quotes pass through
the same name safety net as :func:`toolkit.exemplar_quotes`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from toolkit.analysis import themes
from toolkit.errors import ProjectError, ToolkitError
from toolkit.io.files import atomic_write
from toolkit.present import charts

__all__ = ["report_sections", "save_chart", "write_report"]

_FORMATS = ("html", "md")
_ONE = {"participants": "person", "interviews": "interview", "segments": "segment"}


def save_chart(chart: alt.TopLevelMixin | dict, path: str | Path, *, scale: float = 2) -> Path:
    """Save a chart as a PNG or SVG picture, chosen by the file's suffix.

    The picture is drawn by vl-convert (no browser, no network) and written
    atomically: a temporary file renamed over `path`.

    Parameters
    ----------
    chart
        An Altair chart (or a Vega-Lite specification as a dict).
    path
        Where to write it: ``.png`` or ``.svg``.
    scale
        For PNG, pixels per chart unit (2 is sharp on slides and in print).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> chart = tk.charts.participants_chart(tk.sample_project().participants)
    >>> tk.save_chart(chart, pathlib.Path(tempfile.mkdtemp()) / "who.svg").suffix
    '.svg'
    """
    import vl_convert

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ToolkitError(
            f"expected a file name ending in .png or .svg, but found '{path.name}'",
            path=path,
            hint="use .png for documents and slides, .svg for pictures that stay sharp",
        )
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    if suffix == ".png":
        data: bytes | str = vl_convert.vegalite_to_png(spec, scale=scale)
    else:
        data = vl_convert.vegalite_to_svg(spec)
    return atomic_write(path, data)


# --- what the report holds ------------------------------------------------------------


@dataclass
class Section:
    """One section of the report: a heading and its blocks, in order.

    Blocks are ``("p", text)``, ``("chart", alt.Chart)``, ``("table", (DataFrame,
    caption))``, ``("quotes", DataFrame)``, ``("h3", text)`` or ``("note", text)``.
    """

    id: str
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, kind: str, value: Any) -> Section:
        self.blocks.append((kind, value))
        return self


def _open(project: Any) -> Any:
    if isinstance(project, (str, Path)):
        from toolkit.model.project import open_project

        return open_project(project)
    if not hasattr(project, "codings") or not hasattr(project, "participants"):
        raise ProjectError(
            f"expected a project (a Project or a project folder), but found "
            f"{type(project).__name__}",
            hint="pass tk.open_project('my-project'), or the folder's path",
        )
    return project


def _pseudonymised(project: Any) -> bool:
    return bool((project.settings or {}).get("pseudonymised") is True)


def _people_table(participants: pd.DataFrame, by: str) -> pd.DataFrame:
    values = participants[by].astype("string").fillna("").str.strip()
    counts = values.replace("", themes.NOT_RECORDED).value_counts()
    table = counts.rename_axis(by.replace("_", " ").capitalize()).reset_index(name="People")
    return table.sort_values(["People", table.columns[0]], ascending=[False, True])


def _date_range(project: Any) -> str:
    columns = [c for c in project.participants.columns if "date" in c.lower()]
    for column in columns:
        values = project.participants[column].astype("string").fillna("").str.strip()
        dates = pd.to_datetime(values[values != ""], errors="coerce", format="ISO8601").dropna()
        if len(dates):
            first, last = dates.min(), dates.max()
            if first == last:
                return _day(first)
            return f"{_day(first)} to {_day(last)}"
    return ""


def _day(date: Any) -> str:
    # "3 March 2026" on every system (strftime's "%-d" does not work on Windows).
    return f"{date.day} {date:%B %Y}"


def _coders(codings: pd.DataFrame) -> tuple[list[str], int]:
    if codings is None or codings.empty:
        return [], 0
    blank = pd.Series("", index=codings.index)
    method = themes._text(codings.get("method", blank), lower=True)
    names = themes._text(codings.get("coder", blank))
    humans = sorted(set(names[method != "rule"]) - {"", "nan"})
    return humans, int((method == "rule").sum())


def report_sections(
    project: Any,
    *,
    coder: Any = "humans",
    unit: str = "participants",
    group: str = "group",
    top: int = 5,
    strengths: Any = None,
    wishes: Any = None,
) -> list[Section]:
    """Build the report's sections (tables and charts) without writing anything.

    Parameters
    ----------
    project
        A Project, or the path of a project folder.
    coder, unit
        Which codings to count and in what unit (see :mod:`toolkit.themes`).
    group
        The participants column to describe who took part by.
    top
        How many themes get their own part, with a chart and quotes.
    strengths, wishes
        Theme names for the positive core (guessed from the names if not given).

    Returns
    -------
    list of Section
        In order: who took part, the main themes, the positive core (when
        the codebook's themes allow), themes by group, which themes go
        together, agreement between coders (with two or more), and the
        method note.
    """
    project = _open(project)
    with themes.reusing_prepared_tables():
        return _sections(project, coder, unit, group, top, strengths, wishes)


def _sections(
    project: Any, coder: Any, unit: str, group: str, top: int, strengths: Any, wishes: Any
) -> list[Section]:
    sections = [_who_took_part(project, group)]
    codings = project.codings
    if codings is None or codings.empty:
        sections.append(
            Section("themes", "Themes").add(
                "note",
                "There are no codings yet, so there are no themes to show. Code some "
                "interviews (by hand in codings/<your name>.csv, or by the codebook's rules) "
                "and write the report again.",
            )
        )
        sections.append(_method(project, None, unit))
        return sections
    options = {"coder": coder}
    freq = themes.theme_frequency(project, unit=unit, level="theme", **options)
    sections.append(_top_themes(project, freq, unit, top, options))
    core = _positive_core(project, unit, strengths, wishes, options)
    if core is not None:
        sections.append(core)
    if group in project.participants.columns:
        sections.append(_by_group(project, group, unit, options))
    sections.append(_together(project, options))
    agreement = _agreement(project)
    if agreement is not None:
        sections.append(agreement)
    sections.append(_method(project, freq, unit))
    return sections


def _who_took_part(project: Any, group: str) -> Section:
    section = Section("who-took-part", "Who took part")
    people = project.participants
    interviews = project.documents["interview_id"].nunique() if len(project.documents) else 0
    words = f"{len(people)} people took part."
    if interviews:
        words += (
            f" The project holds {interviews} interviews or survey answers, with "
            f"{len(project.segments):,} turns of speech in all."
        )
    section.add("p", words + " No names are shown in this report.")
    if len(people) and group in people.columns:
        section.add("chart", charts.participants_chart(people, by=group))
        section.add("table", (_people_table(people, group), f"People by {group}"))
    return section


def _top_themes(project: Any, freq: pd.DataFrame, unit: str, top: int, options: dict) -> Section:
    noun = themes.UNITS[unit]
    section = Section("themes", "The main themes")
    section.add(
        "p",
        f"Each theme is counted as {noun}: how many of the {freq.attrs['total']} {noun} "
        f"mentioned it at least once. Codings by {freq.attrs['coder']} are counted.",
    )
    section.add("chart", charts.theme_frequency_chart(freq))
    codes = themes.theme_frequency(project, unit=unit, level="code", **options)
    quotes = themes.exemplar_quotes(project, level="theme", per_code=3, **options)
    for _, row in freq[freq["count"] > 0].head(top).iterrows():
        name = row["theme"]
        section.add("h3", name)
        section.add("p", f"{row['label'][0].upper()}{row['label'][1:]}.")
        inside = codes[(codes["theme"] == name) & (codes["count"] > 0)]
        if len(inside) > 1:
            section.add("chart", charts.theme_frequency_chart(inside))
        chosen = quotes[quotes["theme"] == name]
        if len(chosen):
            section.add("quotes", chosen)
    return section


def _positive_core(
    project: Any, unit: str, strengths: Any, wishes: Any, options: dict
) -> Section | None:
    try:
        core = themes.positive_core(
            project, strengths=strengths, wishes=wishes, unit=unit, **options
        )
    except ToolkitError:
        if strengths is not None or wishes is not None:
            raise
        return None
    if core["count"].sum() == 0:
        return None
    section = Section("positive-core", "The positive core: strengths beside wishes")
    section.add(
        "p",
        "Appreciative inquiry builds on what already works. On the left, the strengths and "
        "best experiences people described; on the right, what they wish for. Themes: "
        + ", ".join(core.attrs["strengths"])
        + " beside "
        + ", ".join(core.attrs["wishes"])
        + ".",
    )
    section.add("chart", charts.positive_core_chart(core))
    return section


def _by_group(project: Any, group: str, unit: str, options: dict) -> Section:
    table = themes.theme_by_group(project, group=group, unit=unit, **options)
    section = Section("by-group", f"Themes by {group.replace('_', ' ')}")
    # The chart's description carries the note on the chi-square tests.
    return section.add("chart", charts.theme_group_chart(table))


def _together(project: Any, options: dict) -> Section:
    section = Section("together", "Which themes go together")
    pairs = themes.cooccurrence(project, level="code", **options)
    if pairs.empty:
        return section.add("p", "No two codes were applied to the same segment.")
    section.add(
        "p",
        "Codes applied to the same segment (speaker turn). Jaccard similarity is the share of "
        "segments with either code that have both: 0 means never together, 1 always.",
    )
    section.add("chart", charts.cooccurrence_chart(pairs, top=15))
    shown = pairs.head(8)[["code_a", "code_b", "both", "jaccard"]]
    shown = shown.assign(code_a=shown["code_a"].str.replace("_", " "))
    shown = shown.assign(code_b=shown["code_b"].str.replace("_", " ")).rename(
        columns={"code_a": "Code", "code_b": "With", "both": "Segments", "jaccard": "Jaccard"}
    )
    section.add("table", (shown, "The pairs applied together most often"))
    return section


def _agreement(project: Any) -> Section | None:
    humans, _ = _coders(project.codings)
    if len(humans) < 2:
        return None
    try:
        from toolkit.analysis import agreement
    except ImportError:
        return None
    reliability = getattr(agreement, "reliability", None)
    if reliability is None:
        return None
    section = Section("agreement", "Agreement between coders")
    codebook = project.codebook
    if codebook is not None and not len(getattr(codebook, "table", codebook)):
        codebook = None  # an empty codebook cannot check codes
    try:
        table = reliability(project.codings, project.segments, codebook=codebook)
    except ToolkitError as err:
        return section.add("note", f"Agreement could not be computed: {err}")
    section.add(
        "p",
        f"{len(humans)} people coded the interviews independently ({', '.join(humans)}). "
        "Krippendorff's alpha of 0.8 or more means the coders applied a code reliably; 0.667 "
        "to 0.8 supports tentative conclusions only; below that, the code's definition needs "
        "discussing and sharpening.",
    )
    builder = getattr(charts, "agreement_chart", None)
    if builder is not None:
        # Another module's chart: if it cannot draw this table, the table still shows.
        with contextlib.suppress(ToolkitError, ValueError, KeyError):
            section.add("chart", builder(table))
    section.add("table", (_agreement_table(table), "Agreement by code"))
    return section


def _agreement_table(table: pd.DataFrame) -> pd.DataFrame:
    names = {
        "code": "Code",
        "units": "Segments",
        "applied": "Applied",
        "prevalence": "Prevalence",
        "percent_agreement": "Agreement",
        "kappa": "Kappa",
        "alpha": "Alpha",
        "alpha_low": "Alpha, low",
        "alpha_high": "Alpha, high",
    }
    columns = [c for c in names if c in table.columns]
    if "code" not in columns:
        return table.head(40)
    shown = table[columns].head(40).copy()
    for column in ("prevalence", "percent_agreement"):
        if column in shown.columns:
            shown[column] = ["" if pd.isna(v) else f"{100 * float(v):.0f}%" for v in shown[column]]
    return shown.rename(columns=names)


def _method(project: Any, freq: pd.DataFrame | None, unit: str) -> Section:
    section = Section("method", "How this was done")
    book = project.codebook
    table = getattr(book, "table", book)
    if isinstance(table, pd.DataFrame) and "code" in table.columns:
        n_themes = table["theme"].replace("", pd.NA).nunique() if "theme" in table else 0
        section.add(
            "p",
            f"Codebook: {len(table)} codes in {n_themes} themes (codebook.yml in the project "
            "folder holds each code's definition, with what to include and exclude).",
        )
    humans, rules = _coders(project.codings)
    if humans:
        section.add("p", f"Coders: {', '.join(humans)}, each coding on their own.")
    if rules:
        section.add(
            "p",
            f"Rules: {rules} coding{'s were' if rules != 1 else ' was'} made by the codebook's "
            "rules, and counted only where the report says so.",
        )
    if freq is not None:
        section.add(
            "p",
            f"Counted: codings by {freq.attrs['coder']}; a code counts once per "
            f"{_ONE[unit]} however often it "
            "was applied. Interviewers' own words are not counted or quoted"
            + (
                f" ({', '.join(freq.attrs['interviewers'])})."
                if freq.attrs["interviewers"]
                else "."
            )
            + " Chi-square tests are run only where the numbers allow, and are described "
            "beside each chart.",
        )
    dates = _date_range(project)
    if dates:
        section.add("p", f"Dates: the interviews took place from {dates}.")
    from toolkit import __version__

    section.add(
        "p",
        f"Written on {_day(_dt.date.today())} by codesign-toolkit {__version__}, on the "
        "team's own computer: no data was sent anywhere to make it.",
    )
    return section


# --- HTML -------------------------------------------------------------------------------

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


def _notice(project: Any) -> tuple[str, str, bool]:
    fictional = bool((project.settings or {}).get("fictional"))
    extra = (
        " This project is fictional: everyone and everything in it is invented."
        if fictional
        else ""
    )
    if _pseudonymised(project):
        return (
            "This report contains pseudonymised interview extracts.",
            "Names and other details that could identify people have been replaced. Even so, "
            "people may recognise themselves or others: share it only with those who need it, "
            "and keep it as carefully as the interviews." + extra,
            False,
        )
    return (
        "Warning: this report contains interview extracts that have NOT been pseudonymised.",
        "The quotes may hold names, places and other details that identify people. Before "
        "you share it with anyone outside the team, pseudonymise the project "
        "('codesign-toolkit anonymise DIR OUT') and write the report again from the "
        "pseudonymised copy." + extra,
        True,
    )


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    # The schema address is only a label; dropping it keeps every URL out of the file.
    spec.pop("$schema", None)
    return spec


def _cell(value: Any) -> tuple[str, bool]:
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, float):
        return ("" if pd.isna(value) else f"{value:.2f}".rstrip("0").rstrip(".")), True
    if isinstance(value, int):
        return f"{value:,}", True
    return (
        "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    ), False


def _html_table(table: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        cells = []
        for value in record:
            value = value.item() if hasattr(value, "item") else value
            text, number = _cell(value)
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


def _render_html(project: Any, sections: list[Section]) -> str:
    title, body, warning = _notice(project)
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
        f"{_day(_dt.date.today())}.</p>",
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


# --- Markdown ---------------------------------------------------------------------------


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
        cells = [_cell(v.item() if hasattr(v, "item") else v)[0] for v in record]
        lines.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    return "\n".join(lines)


def _render_md(project: Any, sections: list[Section], target: Path) -> str:
    title, body, _ = _notice(project)
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


def write_report(
    project: Any,
    path: str | Path | None = None,
    format: str = "html",
    **options: Any,
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
    **options
        Passed to :func:`report_sections`: ``coder``, ``unit``, ``group``,
        ``top``, ``strengths``, ``wishes``.

    Returns
    -------
    pathlib.Path
        The report written.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> out = tk.write_report(tk.sample_project(), pathlib.Path(tempfile.mkdtemp()) / "r.html")
    >>> "<script>" in out.read_text(encoding="utf-8")
    True
    """
    if format not in _FORMATS:
        raise ToolkitError(
            f"expected the report format 'html' or 'md', but found {format!r}",
            hint="use 'html' for a file to e-mail, 'md' to edit in Word or Google Docs",
        )
    project = _open(project)
    target = Path(path) if path is not None else project.output_dir / f"report.{format}"
    sections = report_sections(project, **options)
    if format == "html":
        text = _render_html(project, sections)
    else:
        text = _render_md(project, sections, target)
    return atomic_write(target, text)
