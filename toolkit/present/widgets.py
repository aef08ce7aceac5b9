"""Notebook widgets (ipywidgets) for coding by hand and capturing workshop data.

Widgets only present and capture: every number they show comes from the
computation modules, and every change they make is saved at once through the
same atomic file writers the rest of the toolkit uses.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["CodingPanel", "DotVote", "EnergyCapture", "dot_bars_html"]

# --- Hand coding (CodingPanel) ---------------------------------------------
# The panel keeps one coder's codings in memory and saves the whole file through
# toolkit.coding.save_coder_codings after every change: written to a temporary
# file and renamed, with the previous version kept whenever codings are removed.


class CodingPanel:
    """Code a project's segments by hand in a notebook, one coder at a time.

    The panel shows one segment with its speaker, interview and the turns
    around it; the codebook's codes as checkboxes grouped by theme (hover
    for the definition, or press **Definitions**); a memo box; buttons to go
    to the previous, next or next uncoded segment; and filters by interview,
    code and text.  To code part of a segment, paste the exact phrase (or
    move the range slider) and press **Code selection**.

    Every change is saved at once to ``codings/<coder>.csv`` in the project
    folder (see :func:`toolkit.coding.save_coder_codings`), so a closed
    laptop or a crashed kernel loses at most the last click.  Opening the
    panel again resumes where the coder stopped.

    Parameters
    ----------
    project
        A :class:`~toolkit.project.Project` saved in a folder, or its folder.
    coder
        The coder's name (letters, digits, ``-``, ``_``): it names the file.
    blind
        Hide the other coders' codings (the default, for independent coding);
        ``blind=False`` shows who else applied what to the segment shown.
    context
        How many turns to show before and after the segment.
    skip_speakers
        Speaker labels whose turns are not shown (the interviewers); by
        default the ``interviewers`` listed in ``project.yml``'s settings.

    Examples
    --------
    >>> import shutil, tempfile, pathlib, toolkit as tk
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "hartwell"
    >>> _ = shutil.copytree(tk.sample_project_path(), folder)
    >>> panel = CodingPanel(tk.open_project(folder), coder="alex")
    >>> panel.go_to("int01", 5)
    >>> panel.checkboxes["peak_experience"].value = True
    >>> print((folder / "codings" / "alex.csv").read_text().splitlines()[1])
    int01,5,806,1310,peak_experience,alex,manual,,

    In a notebook, show it by ending a cell with ``panel``.
    """

    def __init__(
        self,
        project: Any,
        coder: str,
        *,
        blind: bool = True,
        context: int = 1,
        skip_speakers: list[str] | None = None,
    ) -> None:
        import ipywidgets as widgets

        from toolkit.errors import CodingError
        from toolkit.model.codings import _check_coder, empty_codings, read_coder_codings

        if not hasattr(project, "segments"):
            from toolkit.model.project import open_project

            project = open_project(project)
        if project.path is None:
            raise CodingError(
                "expected a project saved in a folder, but this one was built in memory",
                hint="save it with tk.save_project(project, folder) first, then open the panel",
            )
        if project.codebook is None or not len(project.codebook):
            raise CodingError(
                "expected a codebook with codes to code with, but the project has none",
                path=Path(project.path) / "codebook.yml",
                hint="copy a starter codebook from templates/ to codebook.yml in the project",
            )
        self.project = project
        self.coder = _check_coder(coder)
        self.blind = blind
        self.context = max(0, int(context))
        self.folder = Path(project.path) / "codings"
        self.path = self.folder / f"{self.coder}.csv"
        self.codebook = project.codebook
        self.segments = project.segments.reset_index(drop=True)
        if skip_speakers is None:
            skip_speakers = list((project.settings or {}).get("interviewers") or [])
        self.skip_speakers = set(skip_speakers)
        self._mine = (
            read_coder_codings(self.path, self.segments, self.codebook)
            if self.path.is_file()
            else empty_codings()
        )
        # What this panel last read or wrote, to notice another tab's saves.
        self._base, self._seen = self._mine.copy(), self._signature()
        others = project.codings
        self._others = others[(others["coder"] != self.coder) & (others["method"] != "rule")]
        self._texts = [t if isinstance(t, str) else "" for t in self.segments["text"]]
        self._keys = list(
            zip(self.segments["interview_id"], self.segments["segment_id"].astype(int), strict=True)
        )
        self._pending_memo = ""
        self._loading = False

        interviews = list(dict.fromkeys(self.segments["interview_id"]))
        self.interview_filter = widgets.Dropdown(
            options=[("All interviews", "")] + [(i, i) for i in interviews],
            value="",
            description="Interview",
        )
        self.code_filter = widgets.Dropdown(
            options=[("Any code", ""), ("Not yet coded", "-")]
            + [(c, c) for c in self.codebook.codes],
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
        for theme in [*self.codebook.themes, ""]:
            names = [c for c in self.codebook.codes if self.codebook.theme_of(c) == theme]
            if not names:
                continue
            boxes = []
            for name in names:
                code = self.codebook[name]
                box = widgets.Checkbox(
                    value=False,
                    description=name,
                    tooltip=code.definition or name,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                box.observe(lambda change, name=name: self._toggled(name, change), names="value")
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
        self.definitions.value = self._definitions_html()
        self.phrase = widgets.Text(
            placeholder="paste the exact words to code part of the turn", description="Phrase"
        )
        self.span = widgets.IntRangeSlider(
            min=0, max=1, value=(0, 1), description="Selection", continuous_update=False
        )
        self.selection = widgets.HTML()
        self.span_code = widgets.Dropdown(options=self.codebook.codes, description="Code")
        self.code_span_button = widgets.Button(description="Code selection", icon="highlighter")
        self.memo = widgets.Textarea(
            placeholder="a memo on this segment (saved with its codings)",
            description="Memo",
            continuous_update=False,
            layout=widgets.Layout(width="100%"),
        )
        self.others_view = widgets.HTML()
        self.status = widgets.HTML()

        self.interview_filter.observe(lambda _: self._refilter(), names="value")
        self.code_filter.observe(lambda _: self._refilter(), names="value")
        self.search.observe(lambda _: self._refilter(), names="value")
        self.previous_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(1))
        self.next_uncoded_button.on_click(lambda _: self.next_uncoded())
        self.definitions_button.observe(self._show_definitions, names="value")
        self.phrase.observe(lambda change: self.select_phrase(change["new"]), names="value")
        self.span.observe(lambda _: self._show_selection(), names="value")
        self.code_span_button.on_click(lambda _: self.code_selection())
        self.memo.observe(lambda change: self._memo_changed(change["new"]), names="value")

        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.interview_filter, self.code_filter, self.search],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.header,
                self.text_view,
                widgets.HBox(
                    [
                        self.previous_button,
                        self.next_button,
                        self.next_uncoded_button,
                        self.position,
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                *sections,
                self.definitions_button,
                self.definitions,
                widgets.HBox([self.phrase, self.span], layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(
                    [self.span_code, self.code_span_button, self.selection],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.memo,
                self.others_view,
                self.status,
            ]
        )
        self._view: list[int] = []
        self._index = 0
        self._refilter(resume=True)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # -- what is shown --

    @property
    def codings(self) -> pd.DataFrame:
        """This coder's codings as they are now (the same as the file)."""
        return self._mine.copy()

    @property
    def current(self) -> tuple[str, int] | None:
        """The ``(interview_id, segment_id)`` shown, or ``None`` if no segment matches."""
        if not self._view:
            return None
        return self._keys[self._view[self._index]]

    def _row(self) -> int | None:
        return self._view[self._index] if self._view else None

    def _coded_rows(self, row: int, coder_table: pd.DataFrame | None = None) -> pd.DataFrame:
        table = self._mine if coder_table is None else coder_table
        interview, number = self._keys[row]
        return table[(table["interview_id"] == interview) & (table["segment_id"] == number)]

    def _visible(self, row: int) -> bool:
        return str(self.segments.at[row, "speaker"]) not in self.skip_speakers

    def _refilter(self, resume: bool = False) -> None:
        """Rebuild the list of segments the filters let through, keeping the place if possible."""
        keep = self.current
        interview = self.interview_filter.value
        code = self.code_filter.value
        words = self.search.value.strip().lower()
        coded = set(zip(self._mine["interview_id"], self._mine["segment_id"], strict=True))
        if code and code != "-":
            table = self._mine if self.blind else pd.concat([self._mine, self._others])
            with_code = set(
                zip(
                    table.loc[table["code"] == code, "interview_id"],
                    table.loc[table["code"] == code, "segment_id"],
                    strict=True,
                )
            )
        view = []
        for row, key in enumerate(self._keys):
            if not self._visible(row):
                continue
            if interview and key[0] != interview:
                continue
            if code == "-" and key in coded:
                continue
            if code and code != "-" and key not in with_code:
                continue
            if words and words not in self._texts[row].lower():
                continue
            view.append(row)
        self._view = view
        self._index = 0
        if resume:
            self._index = self._resume_index()
        elif keep is not None:
            positions = [i for i, row in enumerate(view) if self._keys[row] == keep]
            self._index = positions[0] if positions else 0
        self._show()

    def _resume_index(self) -> int:
        """Where the coder stopped: the saved place, else the turn after their last coding."""
        import json

        state = self.folder / f".panel-{self.coder}.json"
        place = None
        try:
            data = json.loads(state.read_text(encoding="utf-8"))
            place = (str(data["interview_id"]), int(data["segment_id"]))
        except (OSError, ValueError, KeyError, TypeError):
            if len(self._mine):
                coded = set(zip(self._mine["interview_id"], self._mine["segment_id"], strict=True))
                last = max(i for i, key in enumerate(self._keys) if key in coded)
                after = [i for i, row in enumerate(self._view) if row > last]
                return after[0] if after else len(self._view) - 1
        for i, row in enumerate(self._view):
            if self._keys[row] == place:
                return i
        return 0

    def _remember_place(self) -> None:
        import json

        from toolkit.io.files import atomic_write

        if self.current is None:
            return
        interview, number = self.current
        atomic_write(
            self.folder / f".panel-{self.coder}.json",
            json.dumps({"interview_id": interview, "segment_id": int(number)}),
        )

    def _show(self) -> None:
        row = self._row()
        self._loading = True
        try:
            if row is None:
                self.header.value = "<p><i>No segment matches these filters.</i></p>"
                self.text_view.value = ""
                self.position.value = ""
                for box in self.checkboxes.values():
                    box.value = False
                self.others_view.value = ""
                return
            text = self._texts[row]
            mine = self._coded_rows(row)
            for name, box in self.checkboxes.items():
                box.value = bool((mine["code"] == name).any())
            memos = [m for m in mine["memo"].tolist() if m]
            self.memo.value = memos[0] if memos else ""
            self._pending_memo = ""
            self.span.max = max(1, len(text))
            self.span.value = (0, len(text))
            self.phrase.value = ""
            self.header.value = self._header_html(row)
            self.text_view.value = self._context_html(row)
            self.position.value = f"&nbsp;{self._index + 1} of {len(self._view)}"
            self.others_view.value = "" if self.blind else self._others_html(row)
            self._show_selection()
        finally:
            self._loading = False

    def _header_html(self, row: int) -> str:
        interview, number = self._keys[row]
        speaker = str(self.segments.at[row, "speaker"] or "")
        about = ""
        people = self.project.participants
        if "interview_id" in people.columns:
            match = people[people["interview_id"] == interview]
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

    def _highlighted(self, row: int) -> str:
        """The segment's text with this coder's coded phrases marked."""
        text = self._texts[row]
        base = int(self.segments.at[row, "start"])
        colours = self.codebook.colors()
        marks = [0] * (len(text) + 1)
        names: list[list[str]] = [[] for _ in range(len(text) + 1)]
        for coding in self._coded_rows(row).itertuples():
            a, b = int(coding.start) - base, int(coding.end) - base
            if (a, b) == (0, len(text)):
                continue  # whole-turn codings show in the checkboxes
            for k in range(max(0, a), min(len(text), b)):
                marks[k] += 1
                names[k].append(coding.code)
        out, k = [], 0
        while k < len(text):
            j = k
            while j < len(text) and names[j] == names[k]:
                j += 1
            piece = html.escape(text[k:j])
            if names[k]:
                colour = colours.get(names[k][0], "#E69F00")
                title = html.escape(", ".join(names[k]))
                piece = (
                    f'<mark title="{title}" style="background:{colour}33;'
                    f'border-bottom:2px solid {colour}">{piece}</mark>'
                )
            out.append(piece)
            k = j
        return "".join(out)

    def _context_html(self, row: int) -> str:
        interview = self._keys[row][0]
        same = [
            r
            for r in range(max(0, row - self.context), min(len(self._keys), row + self.context + 1))
            if self._keys[r][0] == interview
        ]
        parts = []
        for r in same:
            speaker = html.escape(str(self.segments.at[r, "speaker"] or ""))
            if r == row:
                parts.append(
                    f'<div style="border-left:4px solid #0072B2;padding:4px 8px;margin:4px 0">'
                    f"<b>{speaker}:</b> {self._highlighted(r)}</div>"
                )
            else:
                parts.append(
                    f'<div style="color:#555;padding:2px 12px;font-size:90%">'
                    f"<b>{speaker}:</b> {html.escape(self._texts[r])}</div>"
                )
        return "".join(parts)

    def _others_html(self, row: int) -> str:
        theirs = self._coded_rows(row, self._others)
        if theirs.empty:
            return "<p><i>No other coder has coded this segment.</i></p>"
        lines = [
            f"<b>{html.escape(coder)}</b>: {html.escape(', '.join(dict.fromkeys(group['code'])))}"
            for coder, group in theirs.groupby("coder", sort=True)
        ]
        return "<p>Other coders here: " + "; ".join(lines) + "</p>"

    def _definitions_html(self) -> str:
        rows = []
        for code in self.codebook:
            cells = [
                f"<b>{html.escape(code.code)}</b>",
                html.escape(code.definition),
                html.escape(code.include),
                html.escape(code.exclude),
            ]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = "<tr><th>Code</th><th>Definition</th><th>Include</th><th>Exclude</th></tr>"
        return f"<table>{head}{''.join(rows)}</table>"

    def _show_definitions(self, change: dict) -> None:
        self.definitions.layout.display = "block" if change["new"] else "none"

    def _show_selection(self) -> None:
        row = self._row()
        if row is None:
            self.selection.value = ""
            return
        a, b = self.span.value
        self.selection.value = f"&ldquo;{html.escape(self._texts[row][a:b][:200])}&rdquo;"

    # -- moving --

    def move(self, step: int) -> None:
        """Go forward (``step=1``) or back (``step=-1``) through the segments shown."""
        if not self._view:
            return
        self._index = min(max(0, self._index + step), len(self._view) - 1)
        self._show()
        self._remember_place()

    def next_uncoded(self) -> None:
        """Go to the next segment shown that this coder has not coded."""
        coded = set(zip(self._mine["interview_id"], self._mine["segment_id"], strict=True))
        for i in range(self._index + 1, len(self._view)):
            if self._keys[self._view[i]] not in coded:
                self._index = i
                self._show()
                self._remember_place()
                return
        self.status.value = "Every segment after this one is coded."

    def go_to(self, interview_id: str, segment_id: int) -> None:
        """Show a given segment (clearing filters that would hide it)."""
        key = (str(interview_id), int(segment_id))
        if key not in self._keys:
            from toolkit.errors import CodingError

            raise CodingError(
                f"expected a segment of the project, but there is no segment {segment_id} in "
                f"{interview_id!r}",
                hint="check the interview_id and segment_id in project.segments",
            )
        row = self._keys.index(key)
        if row not in self._view:
            self._loading = True
            self.interview_filter.value, self.code_filter.value, self.search.value = "", "", ""
            self._loading = False
            if row not in self._view:
                self._refilter()
            if row not in self._view:
                self.skip_speakers.discard(str(self.segments.at[row, "speaker"]))
                self._refilter()
        self._index = self._view.index(row)
        self._show()
        self._remember_place()

    # -- coding --

    def _save(self, message: str) -> None:
        from toolkit.model.codings import save_coder_codings

        note = ""
        if self._signature() != self._seen:
            # Another panel (a second browser tab) saved this coder's file since
            # this one read it: fold its changes in rather than overwrite them.
            changed = self._merge_from_disk()
            note = f" Merged {changed} change(s) saved meanwhile from another window."
        save_coder_codings(self._mine, self.folder, self.coder)
        self._base, self._seen = self._mine.copy(), self._signature()
        self.status.value = f"{html.escape(message)} Saved {datetime.now():%H:%M:%S}.{note}"

    def _signature(self) -> str | None:
        """Return a hash of the coder's file as it is on disk (None if there is none)."""
        import hashlib

        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return None

    def _merge_from_disk(self) -> int:
        """Merge the codings another panel saved since this one last read or wrote the file.

        A three-way merge against what this panel last saw: codings the other
        panel added are added here, codings it removed are removed here, and
        this panel's own changes are kept.  Returns how many changes came in.
        """
        from toolkit.model.codings import read_coder_codings

        disk = (
            read_coder_codings(self.path, self.segments, self.codebook)
            if self.path.is_file()
            else self._base.iloc[0:0]
        )

        def position(value: Any) -> int | None:
            return None if pd.isna(value) else int(value)

        def index(table: pd.DataFrame) -> dict[tuple, dict]:
            return {
                (
                    str(row["interview_id"]),
                    int(row["segment_id"]),
                    position(row["start"]),
                    position(row["end"]),
                    str(row["code"]),
                ): row
                for row in table.to_dict("records")
            }

        base, theirs, mine = index(self._base), index(disk), index(self._mine)
        added = {key: row for key, row in theirs.items() if key not in base}
        removed = set(base) - set(theirs)
        merged = {key: row for key, row in mine.items() if key not in removed}
        for key, row in added.items():
            merged.setdefault(key, row)
        columns = list(self._mine.columns)
        self._mine = pd.DataFrame(list(merged.values()), columns=columns).reset_index(drop=True)
        return len(added) + len(removed)

    def _add(self, code: str, start: int, end: int) -> None:
        interview, number = self.current  # type: ignore[misc]
        row = {
            "interview_id": interview,
            "segment_id": int(number),
            "start": int(start),
            "end": int(end),
            "code": code,
            "coder": self.coder,
            "method": "manual",
            "memo": self.memo.value.strip() or self._pending_memo,
            "rule": "",
        }
        new = pd.DataFrame([row]).astype({"interview_id": "str", "code": "str", "memo": "str"})
        self._mine = pd.concat([self._mine, new], ignore_index=True)[self._mine.columns]

    def _toggled(self, name: str, change: dict) -> None:
        if self._loading or self.current is None:
            return
        row = self._row()
        assert row is not None
        here = self._coded_rows(row)
        if change["new"]:
            if (here["code"] == name).any():
                return
            base = int(self.segments.at[row, "start"])
            self._add(name, base, base + len(self._texts[row]))
            self._save(f"Coded {name}.")
        else:
            drop = here.index[here["code"] == name]
            self._mine = self._mine.drop(index=drop).reset_index(drop=True)
            self._save(f"Removed {name}.")
        self.text_view.value = self._context_html(row)

    def select_phrase(self, phrase: str) -> None:
        """Select the first place the phrase occurs in the segment (spaces and case relaxed)."""
        row = self._row()
        if row is None or self._loading:
            return
        words = phrase.split()
        if not words:
            return
        import re

        pattern = r"\s+".join(re.escape(w) for w in words)
        found = list(re.finditer(pattern, self._texts[row], re.IGNORECASE))
        if not found:
            self.status.value = "That phrase is not in this segment: copy it from the text above."
            return
        self.span.value = (found[0].start(), found[0].end())
        more = f" (it occurs {len(found)} times: the first is selected)" if len(found) > 1 else ""
        self.status.value = f"Phrase selected{more}."

    def code_selection(self, code: str | None = None) -> None:
        """Apply a code to the selected part of the segment (the phrase or the slider's range)."""
        row = self._row()
        if row is None:
            return
        code = code or self.span_code.value
        a, b = self.span.value
        text = self._texts[row]
        # Trim spaces so the coded span starts and ends on words.
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            self.status.value = "Select some words first (paste a phrase or move the slider)."
            return
        base = int(self.segments.at[row, "start"])
        here = self._coded_rows(row)
        if ((here["code"] == code) & (here["start"] == base + a) & (here["end"] == base + b)).any():
            self.status.value = f"That selection is already coded {html.escape(code)}."
            return
        self._add(code, base + a, base + b)
        self._save(f"Coded {code} on \u201c{text[a:b][:60]}\u201d.")
        self._loading = True
        self.checkboxes[code].value = True
        self._loading = False
        self.text_view.value = self._context_html(row)

    def _memo_changed(self, memo: str) -> None:
        if self._loading or self.current is None:
            return
        row = self._row()
        assert row is not None
        here = self._coded_rows(row)
        if here.empty:
            self._pending_memo = memo.strip()
            self.status.value = "The memo will be saved with the first code you apply here."
            return
        self._mine.loc[here.index, "memo"] = memo.strip()
        self._save("Memo updated.")

    def to_html(self) -> str:
        """Return a static HTML picture of the panel for the segment shown (for pages, reports)."""
        row = self._row()
        if row is None:
            return "<p><i>No segment matches these filters.</i></p>"
        mine = set(self._coded_rows(row)["code"])
        sections = []
        for theme in [*self.codebook.themes, ""]:
            names = [c for c in self.codebook.codes if self.codebook.theme_of(c) == theme]
            if not names:
                continue
            boxes = " ".join(
                f'<span title="{html.escape(self.codebook[n].definition)}" '
                f'style="white-space:nowrap;margin-right:12px">'
                f"{'&#9745;' if n in mine else '&#9744;'} {html.escape(n)}</span>"
                for n in names
            )
            sections.append(f"<p><b>{html.escape(theme or 'Other codes')}</b><br>{boxes}</p>")
        memo = html.escape(self.memo.value) or "<i>(no memo)</i>"
        return (
            '<div class="coding-panel" style="border:1px solid #ccc;border-radius:6px;'
            'padding:10px 14px;max-width:900px">'
            f"{self._header_html(row)}{self._context_html(row)}"
            f"<p>&#9664; Previous &nbsp; Next &#9654; &nbsp; Next uncoded &#9193; &nbsp;"
            f"({self._index + 1} of {len(self._view)})</p>"
            f"{''.join(sections)}<p><b>Memo:</b> {memo}</p>"
            f"{'' if self.blind else self._others_html(row)}</div>"
        )


# --- Workshop capture (EnergyCapture, DotVote) ------------------------------
# Both widgets keep the CSV file's own text cells (and any extra columns) and
# rewrite the whole file atomically after every change, so a crash or a closed
# laptop never leaves half a file.  Imports are local to this section so that
# importing toolkit.widgets stays cheap for the other widgets.


def _capture_path(source: Any, filename: str) -> Path:
    """Resolve a Project, a project folder or a CSV file to the file to write."""
    from toolkit.errors import EnergyError

    if hasattr(source, "stakeholders") and hasattr(source, "path"):
        if source.path is None:
            raise EnergyError(
                "expected a project saved in a folder, but this one was built in memory",
                hint="save it with tk.save_project(project, folder) first, or pass a folder",
            )
        return Path(source.path) / filename
    path = Path(source)
    if path.suffix.lower() == ".csv":
        if not path.parent.is_dir():
            raise EnergyError(
                "expected the folder of this CSV file to exist, but it does not",
                path=path,
                hint="create the folder first, or check the path",
            )
        return path
    if not path.is_dir():
        raise EnergyError(
            "expected a project folder or a .csv file, but there is neither at this path",
            path=path,
            hint="pass the project folder (for example tk.sample_project_path()) or the CSV file",
        )
    return path / filename


def _raw_table(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    """The file's cells as text, with at least ``columns`` (empty if there is no file)."""
    from toolkit.io.files import read_table

    if path.is_file():
        table = read_table(path, [c for c in columns if c in _REQUIRED[what]], what=what)
    else:
        table = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in columns:
        if column not in table.columns:
            table[column] = ""
    table = table.astype(object).reset_index(drop=True)
    table.attrs = {"path": str(path)}
    return table


_REQUIRED = {
    "stakeholders": ["stakeholder", "group", "influence", "interest", "energy"],
    "votes": ["participant", "item", "dots"],
}


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class EnergyCapture:
    """Rate stakeholders' energy live in a workshop, saving ``stakeholders.csv`` as you go.

    Pick a stakeholder, move the sliders (influence, interest, energy for the
    change and the five energies) and each change is written to the file at
    once.  **Save** writes every slider for the stakeholder shown, including
    five-energy ratings that were blank; **Add** adds a new stakeholder.

    Parameters
    ----------
    source
        A :class:`~toolkit.project.Project` saved in a folder, a project
        folder, or the path of a stakeholders CSV file (created if missing).
    stakeholder
        Who to show first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> capture = EnergyCapture(folder)
    >>> capture.new_name.value, capture.new_group.value = "Grace", "community group"
    >>> capture.add_button.click()
    >>> capture.sliders["energy"].value = 2
    >>> print((folder / "stakeholders.csv").read_text().splitlines()[1])
    Grace,community group,3,3,2,,,,,

    In a notebook, show it with ``display(capture)`` or by ending a cell with it.
    """

    def __init__(self, source: Any, *, stakeholder: str | None = None) -> None:
        import ipywidgets as widgets

        from toolkit.analysis.energy import FIVE_ENERGIES, STAKEHOLDER_COLUMNS, check_stakeholders

        self.path = _capture_path(source, "stakeholders.csv")
        self._table = _raw_table(self.path, [*STAKEHOLDER_COLUMNS, *FIVE_ENERGIES], "stakeholders")
        check_stakeholders(self._table)  # refuse to start on a file with errors
        self._loading = False
        names = list(self._table["stakeholder"])
        self.stakeholder = widgets.Dropdown(
            options=names,
            value=stakeholder if stakeholder in names else None,
            description="Stakeholder",
        )
        ranges = {"influence": (1, 5, 3), "interest": (1, 5, 3), "energy": (-2, 2, 0)}
        ranges.update({name: (1, 5, 3) for name in FIVE_ENERGIES})
        self.sliders = {
            name: widgets.IntSlider(
                value=start,
                min=low,
                max=high,
                description=name.capitalize(),
                continuous_update=False,
                style={"description_width": "110px"},
            )
            for name, (low, high, start) in ranges.items()
        }
        self.save_button = widgets.Button(
            description="Save", icon="check", tooltip="Save every rating shown"
        )
        self.new_name = widgets.Text(placeholder="New stakeholder's name", description="Add")
        self.new_group = widgets.Text(placeholder="Their group")
        self.add_button = widgets.Button(description="Add", icon="plus")
        self.status = widgets.HTML()
        self.stakeholder.observe(self._show, names="value")
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self._changed(name, change), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.add_button.on_click(lambda _: self.add(self.new_name.value, self.new_group.value))
        energy_box = widgets.VBox(
            [widgets.HTML("<b>Five energies (1 very low to 5 very high)</b>")]
            + [self.sliders[n] for n in FIVE_ENERGIES]
        )
        self.widget = widgets.VBox(
            [
                self.stakeholder,
                *[self.sliders[n] for n in ("influence", "interest", "energy")],
                energy_box,
                self.save_button,
                widgets.HBox([self.new_name, self.new_group, self.add_button]),
                self.status,
            ]
        )
        if self.stakeholder.value is None and names:
            self.stakeholder.value = names[0]
        elif names:
            self._show({"new": self.stakeholder.value})

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def table(self) -> pd.DataFrame:
        """The stakeholders table as it is now (checked, with numbers)."""
        from toolkit.analysis.energy import check_stakeholders

        return check_stakeholders(self._table)

    def _row(self) -> int | None:
        name = self.stakeholder.value
        if name is None:
            return None
        matches = self._table.index[self._table["stakeholder"] == name]
        return int(matches[0]) if len(matches) else None

    def _show(self, change: dict) -> None:
        row = self._row()
        if row is None:
            return
        self._loading = True
        try:
            unrated = []
            for name, slider in self.sliders.items():
                text = str(self._table.at[row, name] or "").strip()
                if text:
                    slider.value = round(float(text.replace(",", ".")))
                else:
                    slider.value = 3 if name != "energy" else 0
                    unrated.append(name)
            self.status.value = f"Showing {html.escape(str(change['new']))}" + (
                f" (not rated yet: {', '.join(unrated)})" if unrated else ""
            )
        finally:
            self._loading = False

    def _changed(self, name: str, change: dict) -> None:
        if self._loading:
            return
        self._write({name: change["new"]})

    def _write(self, values: dict[str, float]) -> None:
        row = self._row()
        if row is None:
            self.status.value = "Choose or add a stakeholder first."
            return
        for name, value in values.items():
            self._table.at[row, name] = _number_text(value)
        self._save_file()
        what = ", ".join(f"{n} {v:+d}" if n == "energy" else f"{n} {v}" for n, v in values.items())
        self.status.value = (
            f"Saved {html.escape(self.stakeholder.value)}: {html.escape(what)} "
            f"({datetime.now():%H:%M:%S})"
        )

    def _save_file(self) -> None:
        from toolkit.io.files import write_table

        write_table(self._table, self.path)

    def save(self) -> None:
        """Write every slider shown for the current stakeholder to the file."""
        self._write({name: slider.value for name, slider in self.sliders.items()})

    def add(self, name: str, group: str = "") -> None:
        """Add a stakeholder (neutral ratings, five energies blank) and show them."""
        name, group = str(name).strip(), str(group).strip()
        if not name:
            self.status.value = "Type the new stakeholder's name first."
            return
        if name in set(self._table["stakeholder"]):
            self.status.value = f"{html.escape(name)} is already on the list."
            self.stakeholder.value = name
            return
        row = dict.fromkeys(self._table.columns, "")
        row.update(stakeholder=name, group=group, influence="3", interest="3", energy="0")
        self._table = pd.concat([self._table, pd.DataFrame([row])], ignore_index=True)
        self._table.attrs = {"path": str(self.path)}
        self._save_file()
        self.stakeholder.options = list(self._table["stakeholder"])
        self.stakeholder.value = name
        self.new_name.value = self.new_group.value = ""
        self.status.value = f"Added {html.escape(name)}."


def dot_bars_html(votes: pd.DataFrame, items: list[str] | None = None) -> str:
    """Return a plain HTML bar list of dots per item: readable with no JavaScript.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"participant": ["a", "b"], "item": ["Lifts", "Lifts"],
    ...                       "dots": [2, 1]})
    >>> "Lifts: 3 dots" in dot_bars_html(votes)
    True
    """
    totals = votes.groupby("item", sort=False)["dots"].sum() if len(votes) else pd.Series()
    items = list(dict.fromkeys([*(items or []), *totals.index]))
    top = max([int(totals.get(i, 0)) for i in items] + [1])
    rows = []
    for item in sorted(items, key=lambda i: -int(totals.get(i, 0))):
        dots = int(totals.get(item, 0))
        width = round(100 * dots / top)
        rows.append(
            '<div style="margin:2px 0">'
            f"<div>{html.escape(item)}: {dots} dot{'s' if dots != 1 else ''}</div>"
            f'<div style="background:#0072B2;height:12px;width:{width}%"></div></div>'
        )
    return '<div role="list" style="max-width:480px">' + "".join(rows) + "</div>"


class DotVote:
    """Tally a dot vote live: dots per idea for each participant, saved as you go.

    Pick (or type) a participant, then set their dots on each idea, or press
    **+** to add one.  Every change is written to ``votes.csv`` at once (a
    count of 0 removes the row), and the bar list below shows the totals for
    the session.

    Parameters
    ----------
    source
        A :class:`~toolkit.project.Project` saved in a folder, a project
        folder, or the path of a votes CSV file (created if missing).
    items
        The ideas to vote on (default: the items already in the file).
    session
        The session's label (default: today's date, as 2026-11-12).
    dots_per_person
        How many dots each person has; the status line warns when someone
        uses more (it does not stop them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> vote = DotVote(folder, items=["Lifts", "Calls"], session="June")
    >>> vote.participant.value = "Ann"
    >>> vote.plus["Calls"].click()
    >>> vote.plus["Calls"].click()
    >>> print((folder / "votes.csv").read_text())
    participant,item,dots,session
    Ann,Calls,2,June
    <BLANKLINE>
    """

    def __init__(
        self,
        source: Any,
        items: list[str] | None = None,
        *,
        session: str | None = None,
        dots_per_person: int = 5,
    ) -> None:
        import ipywidgets as widgets

        from toolkit.analysis.energy import check_votes
        from toolkit.errors import EnergyError

        self.path = _capture_path(source, "votes.csv")
        self._table = _raw_table(self.path, ["participant", "item", "dots", "session"], "votes")
        check_votes(self._table)  # refuse to start on a file with errors
        self.session = str(session) if session else date.today().isoformat()
        self.dots_per_person = dots_per_person
        known_items = list(dict.fromkeys(self._table["item"]))
        self.items = list(dict.fromkeys(str(i).strip() for i in (items or known_items)))
        if not self.items or not all(self.items):
            raise EnergyError(
                "expected a list of ideas to vote on, but found none",
                path=self.path,
                hint="pass items=['Welcome-home call', 'Transport home', ...]",
            )
        people = list(dict.fromkeys(p for p in self._table["participant"] if p))
        if hasattr(source, "stakeholders") and "stakeholder" in source.stakeholders:
            people = list(dict.fromkeys([*source.stakeholders["stakeholder"], *people]))
        self._loading = False
        self.participant = widgets.Combobox(
            options=people,
            placeholder="Type or pick a name",
            description="Participant",
            ensure_option=False,
        )
        self.counts = {
            item: widgets.BoundedIntText(value=0, min=0, max=99, layout={"width": "70px"})
            for item in self.items
        }
        self.plus = {
            item: widgets.Button(
                description="+", layout={"width": "40px"}, tooltip=f"One more dot on {item}"
            )
            for item in self.items
        }
        self.status = widgets.HTML()
        self.bars = widgets.HTML()
        self.participant.observe(lambda _: self._show(), names="value")
        for item in self.items:
            self.counts[item].observe(
                lambda change, item=item: self._changed(item, change), names="value"
            )
            self.plus[item].on_click(lambda _, item=item: self._add_one(item))
        rows = [widgets.HBox([self.counts[i], self.plus[i], widgets.Label(i)]) for i in self.items]
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<b>Dot vote: session {html.escape(self.session)}</b>"),
                self.participant,
                *rows,
                self.status,
                self.bars,
            ]
        )
        self._refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def table(self) -> pd.DataFrame:
        """The votes table as it is now (checked, with numbers)."""
        from toolkit.analysis.energy import check_votes

        return check_votes(self._table)

    def _mine(self, who: str) -> pd.Series:
        table = self._table
        return (table["participant"] == who) & (table["session"] == self.session)

    def _show(self) -> None:
        who = str(self.participant.value or "").strip()
        mine = self._table[self._mine(who)]
        self._loading = True
        try:
            for item, box in self.counts.items():
                cells = mine.loc[mine["item"] == item, "dots"]
                box.value = int(sum(int(c or 0) for c in cells))
        finally:
            self._loading = False
        self._refresh()

    def _add_one(self, item: str) -> None:
        self.counts[item].value = min(self.counts[item].max, self.counts[item].value + 1)

    def _changed(self, item: str, change: dict) -> None:
        if self._loading:
            return
        from toolkit.io.files import write_table

        who = str(self.participant.value or "").strip()
        here = self._mine(who) & (self._table["item"] == item)
        keep = self._table[~here]
        if change["new"] > 0:
            row = dict.fromkeys(self._table.columns, "")
            row.update(participant=who, item=item, dots=str(change["new"]), session=self.session)
            keep = pd.concat([keep, pd.DataFrame([row])], ignore_index=True)
        self._table = keep.reset_index(drop=True)
        self._table.attrs = {"path": str(self.path)}
        write_table(self._table, self.path)
        self._refresh(saved=item)

    def _refresh(self, saved: str | None = None) -> None:
        table = self.table
        here = table[table["session"] == self.session]
        self.bars.value = dot_bars_html(here, self.items)
        who = str(self.participant.value or "").strip()
        used = int(here.loc[here["participant"] == who, "dots"].sum())
        name = html.escape(who) if who else "Anonymous dots"
        text = f"{name}: {used} of {self.dots_per_person} dots used."
        if used > self.dots_per_person:
            text += f" That is {used - self.dots_per_person} more than each person has."
        if saved:
            text += f" Saved ({datetime.now():%H:%M:%S})."
        self.status.value = text
