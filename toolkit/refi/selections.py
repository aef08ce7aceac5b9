"""Selections become codings: positions converted to code points and clipped to segments.

Once every source is read, :meth:`SelectionPlacer.place_selections` decides
how the other tool counted positions (:func:`~toolkit.refi.counting.choose_counting`,
unless the file is the toolkit's own or ``positions="standard"``), converts
each selection to code points in the document's text, and clips it to the
segments it overlaps: a coding lies in one segment, so a selection across
several becomes one coding per segment.  The documents are split into
segments exactly as a ``.txt`` transcript would be, so a project saved with
:func:`~toolkit.model.project.save_project` opens with the same segments.

Examples
--------
>>> text = "Sam: Hello.\\n\\nAsha: Hi there.\\n\\nSam: Shall we start?\\n\\nAsha: Yes."
>>> rows = _segment("int01", text)
>>> [(r["segment_id"], r["speaker"], r["start"], r["end"]) for r in rows]
[(1, 'Sam', 5, 11), (2, 'Asha', 19, 28), (3, 'Sam', 35, 50), (4, 'Asha', 58, 62)]
>>> _pieces(rows, [11, 28, 50, 62], 8, 25)  # a selection across two turns
[(1, 8, 11), (2, 19, 25)]
"""

from __future__ import annotations

import bisect

import pandas as pd

from toolkit.errors import RefiError
from toolkit.io.text import segment_text
from toolkit.refi.counting import Counting, choose_counting
from toolkit.refi.elements import ORIGIN, guid_of
from toolkit.tables import (
    CODINGS,
    DOCUMENTS,
    SEGMENTS,
    check_codings,
    check_documents,
    check_segments,
)
from toolkit.wording import listing, plural

__all__ = ["DOCUMENT_FORMAT", "SelectionPlacer"]

#: The ``format`` of a document read from a REFI-QDA project.
DOCUMENT_FORMAT = "qdpx"


class SelectionPlacer:
    """Place a project's selections: a part of :class:`~toolkit.refi.reader.ProjectReader`.

    It uses the reader's ``positions``, ``origin``, ``root``, ``sources``,
    ``codes``, ``case_guids`` and report, and its :meth:`note_text` and
    :meth:`coder`; it fills ``case_members`` and ``extra_notes``.
    """

    def place_selections(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Return the documents, segments and codings tables of the sources read."""
        trust = self.positions == "standard" or self.origin.startswith(ORIGIN)
        if self.positions not in ("auto", "standard"):
            raise RefiError(
                f"expected positions='auto' or 'standard', but found {self.positions!r}",
                hint="use 'auto' to detect how the other tool counted, 'standard' to trust it",
            )
        countings = (
            {s.guid: Counting() for s in self.sources} if trust else choose_counting(self.sources)
        )
        documents, segments, codings = [], [], []
        converted: dict[Counting, list[str]] = {}
        moved = outside_total = annotations = dropped = case_text = 0
        split = trimmed = between = 0
        root_user = guid_of(self.root.get("creatingUserGUID"))
        for source in self.sources:
            counting = countings[source.guid]
            if not counting.standard:
                converted.setdefault(counting, []).append(source.name)
            text = source.text.text
            if source.text.normalised:
                self.report.add(
                    source.name,
                    "document",
                    "converted",
                    "the text was normalised to Unicode NFC (composed accents); positions moved "
                    "with it",
                )
            documents.append(
                {
                    "interview_id": source.interview_id,
                    "text": text,
                    "source": source.origin,
                    "format": DOCUMENT_FORMAT,
                    "encoding": source.encoding,
                }
            )
            rows = _segment(source.interview_id, text)
            segments.extend(rows)
            starts, out_s, in_s = source.text.convert(source.starts, counting, end=False)
            ends, out_e, in_e = source.text.convert(source.ends, counting, end=True)
            moved += int((in_s | in_e).sum())
            source.text.release()
            seg_ends = [int(r["end"]) for r in rows]
            for index, selection in enumerate(source.selections):
                memo = "\n\n".join(selection.memo + self.note_text(selection.notes))
                codes = [c for c in selection.codings if c[0] not in self.case_guids]
                if not selection.codings:
                    if memo:
                        annotations += 1
                        self.extra_notes.append(
                            {
                                "title": f"Note on {source.interview_id}",
                                "text": memo,
                                "about": f"{source.interview_id} [{int(starts[index])}:"
                                f"{int(ends[index])}]",
                            }
                        )
                    continue
                for code_guid, _user, _notes in selection.codings:
                    if code_guid in self.case_guids:
                        # NVivo codes text at a case to say it belongs to that case.
                        case_text += 1
                        self.case_members.setdefault(code_guid, []).append(source.interview_id)
                start, end = int(starts[index]), int(ends[index])
                if out_s[index] or out_e[index] or end <= start or selection.start < 0:
                    outside_total += len(codes)
                    continue
                pieces = _pieces(rows, seg_ends, start, end)
                if not pieces:
                    between += len(codes)
                    continue
                if len(pieces) > 1:
                    split += 1
                elif pieces[0][1:] != (start, end):
                    trimmed += 1
                for code_guid, user, notes in codes:
                    code = self.codes.get(code_guid)
                    if code is None:
                        dropped += 1
                        continue
                    for segment_id, low, high in pieces:
                        codings.append(
                            {
                                "interview_id": source.interview_id,
                                "segment_id": segment_id,
                                "start": low,
                                "end": high,
                                "code": code,
                                "coder": self.coder(user, selection.user, source.user, root_user),
                                "method": "import",
                                "memo": "\n\n".join(filter(None, [memo, *self.note_text(notes)])),
                                "rule": "",
                            }
                        )
        for counting, names in converted.items():
            self.report.add(
                listing(names, 3),
                "positions",
                "converted",
                f"in {plural(len(names), 'source')} the other tool {counting.describe()}; "
                "converted to code points, so every coding keeps its text",
            )
        if moved:
            self.report.add(
                "codings",
                "positions",
                "warning",
                f"{plural(moved, 'selection boundary', 'selection boundaries')} fell inside a "
                "character and moved outwards to the whole character",
            )
        if outside_total:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{plural(outside_total, 'coding')} pointed outside their document's text "
                "and could not be placed",
            )
        if split or trimmed:
            self.report.add(
                "codings",
                "segments",
                "converted",
                (
                    f"{plural(split, 'selection')} ran across several segments (turns or "
                    "paragraphs) and became one coding per segment"
                    if split
                    else ""
                )
                + ("; " if split and trimmed else "")
                + (
                    f"{plural(trimmed, 'selection')} included a speaker's name or blank lines "
                    "around its segment, left out"
                    if trimmed
                    else ""
                ),
            )
        if between:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{plural(between, 'coding')} covered only text between segments (speaker "
                "names, blank lines or lines without words)",
            )
        if dropped:
            self.report.add(
                "codings",
                "codings",
                "skipped",
                f"{plural(dropped, 'coding')} referred to codes that are not in the codebook",
            )
        if case_text:
            self.report.add(
                "codings",
                "cases",
                "converted",
                f"{plural(case_text, 'selection')} marked text as belonging to a case; "
                "the toolkit links whole documents to cases (participants)",
            )
        if annotations:
            self.report.add(
                "notes",
                "notes",
                "converted",
                f"{plural(annotations, 'annotation')} (notes on text without a code) kept as "
                "notes in the project settings",
            )
        codings_table = pd.DataFrame(codings, columns=CODINGS.names)
        before = len(codings_table)
        codings_table = codings_table.drop_duplicates(
            ["interview_id", "start", "end", "code", "coder"]
        ).reset_index(drop=True)
        if before != len(codings_table):
            self.report.add(
                "codings",
                "codings",
                "warning",
                f"{plural(before - len(codings_table), 'duplicate coding')} (same text, code "
                "and coder) kept once",
            )
        coders = codings_table["coder"].nunique()
        self.report.add(
            "sources",
            "documents",
            "ok",
            f"{plural(len(documents), 'text source')} became documents with "
            f"{plural(len(segments), 'segment')}",
        )
        self.report.add(
            "codings",
            "codings",
            "ok",
            f"{plural(len(codings_table), 'text coding')} by {plural(coders, 'coder')} "
            "imported (method 'import')",
        )
        return (
            check_documents(pd.DataFrame(documents, columns=DOCUMENTS.names)),
            check_segments(pd.DataFrame(segments, columns=SEGMENTS.names)),
            check_codings(codings_table),
        )


def _pieces(rows: list[dict], ends: list[int], start: int, end: int) -> list[tuple[int, int, int]]:
    """Clip a selection to the segments it overlaps: (segment_id, start, end) for each.

    A coding belongs to one segment, so a selection across several becomes one
    coding per segment; text between segments (speaker names, blank lines) is
    left out.
    """
    pieces = []
    index = bisect.bisect_right(ends, start)
    while index < len(rows) and rows[index]["start"] < end:
        row = rows[index]
        low, high = max(start, int(row["start"])), min(end, int(row["end"]))
        if low < high:
            pieces.append((int(row["segment_id"]), low, high))
        index += 1
    return pieces


def _segment(interview_id: str, text: str) -> list[dict]:
    """Split a document into segments exactly as reading it from a .txt file would.

    Then a project saved with :func:`~toolkit.model.project.save_project` opens
    with the same segments, so every coding still lies inside its segment.
    """
    rows = segment_text(text, interview_id)[SEGMENTS.names].to_dict("records")
    return [{**row, "start": int(row["start"]), "end": int(row["end"])} for row in rows]
