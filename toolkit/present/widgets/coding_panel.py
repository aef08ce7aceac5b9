"""Coding a project's segments by hand in a notebook: the :class:`CodingPanel` widget.

The panel keeps one coder's codings in memory and saves the whole file through
:func:`toolkit.model.codings.save_coder_codings` after every change: written to
a temporary file and renamed, with the previous version kept whenever codings
are removed.  If the file changed on disk meanwhile (the same coder in a second
browser tab), the panel merges it first with
:func:`toolkit.model.merging.merge_coder_file`.  How the panel looks is in
:mod:`toolkit.present.widgets.coding_view`.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import CodingError
from toolkit.io.files import atomic_write
from toolkit.model.codings import check_coder, read_coder_codings, save_coder_codings
from toolkit.model.merging import file_signature, merge_coder_file
from toolkit.model.project import open_project
from toolkit.present.colours import PALETTE
from toolkit.present.widgets.coding_view import (
    CodingView,
    code_list_html,
    header_html,
    highlighted_html,
    others_html,
    turns_html,
)
from toolkit.tables import empty_codings

__all__ = ["CodingPanel"]


class CodingPanel(CodingView):
    """Code a project's segments by hand in a notebook, one coder at a time.

    The panel shows one segment with its speaker, interview and the turns
    around it; the codebook's codes as checkboxes grouped by theme (hover
    for the definition, or press **Definitions**); a memo box; buttons to go
    to the previous, next or next uncoded segment; and filters by interview,
    code and text.  To code part of a segment, paste the exact phrase (or
    move the range slider) and press **Code selection**.

    Every change is saved at once to ``codings/<coder>.csv`` in the project
    folder (see :func:`toolkit.model.codings.save_coder_codings`), so a closed
    laptop or a crashed kernel loses at most the last click.  Opening the
    panel again resumes where the coder stopped.

    Parameters
    ----------
    project
        A :class:`~toolkit.model.project.Project` saved in a folder, or its folder.
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
        if not hasattr(project, "segments"):
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
        self.coder = check_coder(coder)
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
        self._base, self._seen = self._mine.copy(), file_signature(self.path)
        others = project.codings
        self._others = others[(others["coder"] != self.coder) & (others["method"] != "rule")]
        self._texts = [t if isinstance(t, str) else "" for t in self.segments["text"]]
        self._keys = list(
            zip(self.segments["interview_id"], self.segments["segment_id"].astype(int), strict=True)
        )
        self._pending_memo = ""
        self._loading = False

        super().__init__(self.codebook, list(dict.fromkeys(self.segments["interview_id"])))
        for name, box in self.checkboxes.items():
            box.observe(lambda change, name=name: self._toggled(name, change), names="value")
        self.interview_filter.observe(lambda _: self._refilter(), names="value")
        self.code_filter.observe(lambda _: self._refilter(), names="value")
        self.search.observe(lambda _: self._refilter(), names="value")
        self.previous_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(1))
        self.next_uncoded_button.on_click(lambda _: self.next_uncoded())
        self.phrase.observe(lambda change: self.select_phrase(change["new"]), names="value")
        self.span.observe(lambda _: self._show_selection(), names="value")
        self.code_span_button.on_click(lambda _: self.code_selection())
        self.memo.observe(lambda change: self._memo_changed(change["new"]), names="value")
        self._view: list[int] = []
        self._index = 0
        self._refilter(resume=True)

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
        return header_html(interview, number, speaker, self.project.participants)

    def _context_html(self, row: int) -> str:
        interview = self._keys[row][0]
        same = [
            r
            for r in range(max(0, row - self.context), min(len(self._keys), row + self.context + 1))
            if self._keys[r][0] == interview
        ]
        turns = [(str(self.segments.at[r, "speaker"] or ""), self._texts[r]) for r in same]
        coded = self._coded_rows(row)
        marked = highlighted_html(
            self._texts[row],
            int(self.segments.at[row, "start"]),
            zip(coded["start"], coded["end"], coded["code"], strict=True),
            self.codebook.colors(PALETTE),
        )
        return turns_html(turns, same.index(row), marked)

    def _others_html(self, row: int) -> str:
        return others_html(self._coded_rows(row, self._others))

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
        note = ""
        if file_signature(self.path) != self._seen:
            # Another panel (a second browser tab) saved this coder's file since
            # this one read it: fold its changes in rather than overwrite them.
            self._mine, changed = merge_coder_file(
                self.path, self._base, self._mine, segments=self.segments, codebook=self.codebook
            )
            note = f" Merged {changed} change(s) saved meanwhile from another window."
        save_coder_codings(self._mine, self.folder, self.coder)
        self._base, self._seen = self._mine.copy(), file_signature(self.path)
        self.status.value = f"{html.escape(message)} Saved {datetime.now():%H:%M:%S}.{note}"

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
        codes = code_list_html(self.codebook, set(self._coded_rows(row)["code"]))
        memo = html.escape(self.memo.value) or "<i>(no memo)</i>"
        return (
            '<div class="coding-panel" style="border:1px solid #ccc;border-radius:6px;'
            'padding:10px 14px;max-width:900px">'
            f"{self._header_html(row)}{self._context_html(row)}"
            f"<p>&#9664; Previous &nbsp; Next &#9654; &nbsp; Next uncoded &#9193; &nbsp;"
            f"({self._index + 1} of {len(self._view)})</p>"
            f"{codes}<p><b>Memo:</b> {memo}</p>"
            f"{'' if self.blind else self._others_html(row)}</div>"
        )
