"""How the coding panel looks: its controls, and a segment drawn as HTML.

:class:`CodingView` builds the controls of the
:class:`~toolkit.present.widgets.coding_panel.CodingPanel` (filters, the
segment, navigation buttons, a checkbox per code grouped by theme, phrase and
range selection, the memo) without wiring them; the functions here draw a
segment and its surroundings as plain HTML, for the panel and for static pages.

Examples
--------
>>> print(turns_html([("Sam", "How was it?"), ("Maya", "Good")], 1, "<b>Good</b>"))
<div style="color:#555;padding:2px 12px;font-size:90%"><b>Sam:</b> How was it?</div><div ...
>>> print(highlighted_html("We had a call.", 0, [(9, 13, "call")], {"call": "#0072B2"}))
We had a <mark title="call" style="background:#0072B233;border-bottom:2px solid #0072B2">...
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from toolkit.present.widgets.common import NotebookWidget

__all__ = [
    "CodingView",
    "code_list_html",
    "codes_by_theme",
    "definitions_html",
    "header_html",
    "highlighted_html",
    "others_html",
    "turns_html",
]

#: The colour of a coded phrase whose code has no colour.
MARK_COLOUR = "#E69F00"


def header_html(interview: str, number: int, speaker: str, participants: pd.DataFrame) -> str:
    """The line above a segment: its interview (with role, group, site), number and speaker."""
    about = ""
    if "interview_id" in participants.columns:
        match = participants[participants["interview_id"] == interview]
        if len(match):
            bits = [
                str(match.iloc[0][c])
                for c in ("role", "group", "site")
                if c in match.columns and str(match.iloc[0][c]).strip()
            ]
            about = f" ({html.escape(', '.join(bits))})" if bits else ""
    return (
        f"<p><b>{html.escape(interview)}</b>{about} &middot; segment {int(number)} &middot; "
        f"speaker <b>{html.escape(speaker or 'unknown')}</b></p>"
    )


def highlighted_html(
    text: str, base: int, spans: Iterable[tuple[int, int, str]], colours: dict[str, str]
) -> str:
    """A segment's text as HTML with its coded phrases marked.

    Parameters
    ----------
    text
        The segment's text.
    base
        Where the segment starts in its interview's text (codings' positions
        count from the start of the interview).
    spans
        ``(start, end, code)`` of each coding on the segment; codings of the
        whole segment are not marked (they show in the checkboxes).
    colours
        Each code's colour.
    """
    names: list[list[str]] = [[] for _ in range(len(text) + 1)]
    for start, end, code in spans:
        a, b = int(start) - base, int(end) - base
        if (a, b) == (0, len(text)):
            continue  # whole-turn codings show in the checkboxes
        for k in range(max(0, a), min(len(text), b)):
            names[k].append(code)
    out, k = [], 0
    while k < len(text):
        j = k
        while j < len(text) and names[j] == names[k]:
            j += 1
        piece = html.escape(text[k:j])
        if names[k]:
            colour = colours.get(names[k][0], MARK_COLOUR)
            title = html.escape(", ".join(names[k]))
            piece = (
                f'<mark title="{title}" style="background:{colour}33;'
                f'border-bottom:2px solid {colour}">{piece}</mark>'
            )
        out.append(piece)
        k = j
    return "".join(out)


def turns_html(turns: list[tuple[str, str]], current: int, marked: str) -> str:
    """The segment shown among the turns around it.

    Parameters
    ----------
    turns
        ``(speaker, text)`` of each turn shown, in order.
    current
        Which of ``turns`` is the segment being coded.
    marked
        That segment's text as HTML (see :func:`highlighted_html`).
    """
    parts = []
    for i, (speaker, text) in enumerate(turns):
        who = html.escape(speaker)
        if i == current:
            parts.append(
                f'<div style="border-left:4px solid #0072B2;padding:4px 8px;margin:4px 0">'
                f"<b>{who}:</b> {marked}</div>"
            )
        else:
            parts.append(
                f'<div style="color:#555;padding:2px 12px;font-size:90%">'
                f"<b>{who}:</b> {html.escape(text)}</div>"
            )
    return "".join(parts)


def others_html(theirs: pd.DataFrame) -> str:
    """Who else coded the segment, and with what (``theirs``: their codings on it)."""
    if theirs.empty:
        return "<p><i>No other coder has coded this segment.</i></p>"
    lines = [
        f"<b>{html.escape(coder)}</b>: {html.escape(', '.join(dict.fromkeys(group['code'])))}"
        for coder, group in theirs.groupby("coder", sort=True)
    ]
    return "<p>Other coders here: " + "; ".join(lines) + "</p>"


def definitions_html(codebook: Any) -> str:
    """A table of each code's definition, what it includes and what it excludes."""
    rows = []
    for code in codebook:
        cells = [
            f"<b>{html.escape(code.code)}</b>",
            html.escape(code.definition),
            html.escape(code.include),
            html.escape(code.exclude),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "<tr><th>Code</th><th>Definition</th><th>Include</th><th>Exclude</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def codes_by_theme(codebook: Any) -> list[tuple[str, list[str]]]:
    """The codebook's codes grouped by theme, codes with no theme last (under ``""``)."""
    groups = []
    for theme in [*codebook.themes, ""]:
        names = [c for c in codebook.codes if codebook.theme_of(c) == theme]
        if names:
            groups.append((theme, names))
    return groups


def code_list_html(codebook: Any, applied: set[str]) -> str:
    """The codes by theme as ticked or empty boxes, for a static picture of the panel."""
    sections = []
    for theme, names in codes_by_theme(codebook):
        boxes = " ".join(
            f'<span title="{html.escape(codebook[n].definition)}" '
            f'style="white-space:nowrap;margin-right:12px">'
            f"{'&#9745;' if n in applied else '&#9744;'} {html.escape(n)}</span>"
            for n in names
        )
        sections.append(f"<p><b>{html.escape(theme or 'Other codes')}</b><br>{boxes}</p>")
    return "".join(sections)


class CodingView(NotebookWidget):
    """The coding panel's controls, built and laid out but not yet wired to any action.

    Parameters
    ----------
    codebook
        The codebook whose codes get a checkbox each.
    interviews
        The interviews the interview filter offers.
    """

    def __init__(self, codebook: Any, interviews: list[str]) -> None:
        self.interview_filter = widgets.Dropdown(
            options=[("All interviews", "")] + [(i, i) for i in interviews],
            value="",
            description="Interview",
        )
        self.code_filter = widgets.Dropdown(
            options=[("Any code", ""), ("Not yet coded", "-")] + [(c, c) for c in codebook.codes],
            value="",
            description="Code",
        )
        self.search = widgets.Text(
            placeholder="words in the text, then Enter",
            description="Search",
            continuous_update=False,
        )
        self.header = widgets.HTML()
        self.text_view = widgets.HTML()
        self.previous_button = widgets.Button(description="Previous", icon="arrow-left")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.next_uncoded_button = widgets.Button(
            description="Next uncoded",
            icon="forward",
            tooltip="The next segment you have not coded",
        )
        self.position = widgets.HTML()
        self.checkboxes: dict[str, Any] = {}
        sections = []
        for theme, names in codes_by_theme(codebook):
            boxes = []
            for name in names:
                box = widgets.Checkbox(
                    value=False,
                    description=name,
                    tooltip=codebook[name].definition or name,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                self.checkboxes[name] = box
                boxes.append(box)
            title = html.escape(theme or "Other codes")
            sections.append(
                widgets.VBox(
                    [
                        widgets.HTML(f"<b>{title}</b>"),
                        widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap")),
                    ]
                )
            )
        self.definitions_button = widgets.ToggleButton(
            description="Definitions", icon="info", tooltip="Show each code's definition"
        )
        self.definitions = widgets.HTML(layout=widgets.Layout(display="none"))
        self.definitions.value = definitions_html(codebook)
        self.phrase = widgets.Text(
            placeholder="paste the exact words to code part of the turn", description="Phrase"
        )
        self.span = widgets.IntRangeSlider(
            min=0, max=1, value=(0, 1), description="Selection", continuous_update=False
        )
        self.selection = widgets.HTML()
        self.span_code = widgets.Dropdown(options=codebook.codes, description="Code")
        self.code_span_button = widgets.Button(description="Code selection", icon="highlighter")
        self.memo = widgets.Textarea(
            placeholder="a memo on this segment (saved with its codings)",
            description="Memo",
            continuous_update=False,
            layout=widgets.Layout(width="100%"),
        )
        self.others_view = widgets.HTML()
        self.status = widgets.HTML()

        def row(children: list[Any]) -> Any:
            return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))

        self.widget = widgets.VBox(
            [
                row([self.interview_filter, self.code_filter, self.search]),
                self.header,
                self.text_view,
                row(
                    [
                        self.previous_button,
                        self.next_button,
                        self.next_uncoded_button,
                        self.position,
                    ]
                ),
                *sections,
                self.definitions_button,
                self.definitions,
                row([self.phrase, self.span]),
                row([self.span_code, self.code_span_button, self.selection]),
                self.memo,
                self.others_view,
                self.status,
            ]
        )
        self.definitions_button.observe(self._show_definitions, names="value")

    def _show_definitions(self, change: dict) -> None:
        self.definitions.layout.display = "block" if change["new"] else "none"
