"""The coding panel, driven as a coder would: set values, click buttons, read the file back."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import CodingError
from toolkit.model.codings import read_coder_codings
from toolkit.present.widgets.coding_panel import CodingPanel

INTERVIEWERS = ["Sam", "Sam Reid", "Interviewer", "Q", "Nadia", "Int1", ""]


@pytest.fixture
def project(sample_copy):
    return tk.open_project(sample_copy)


def saved(project, coder="alex"):
    return read_coder_codings(project.path / "codings" / f"{coder}.csv")


def text_of(project, row):
    document = project.documents.set_index("interview_id").loc[row.interview_id, "text"]
    return document[row.start : row.end]


def test_coding_panel_checkbox_saves_at_once(project):
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int01", 5)
    panel.checkboxes["peak_experience"].value = True
    table = saved(project)
    assert table[["interview_id", "segment_id", "code", "method"]].values.tolist() == [
        ["int01", 5, "peak_experience", "manual"]
    ]
    segment = project.segments.set_index(["interview_id", "segment_id"]).loc[("int01", 5)]
    assert (table.at[0, "start"], table.at[0, "end"]) == (segment["start"], segment["end"])
    assert "Saved" in panel.status.value
    panel.checkboxes["peak_experience"].value = False
    assert saved(project).empty
    # Removing codings keeps the previous file beside it.
    backups = list((project.path / "codings" / ".backup").glob("alex-*.csv"))
    assert len(backups) == 1


def test_coding_panel_codes_a_pasted_phrase(project):
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int01", 25)
    panel.phrase.value = "a welcome   home call"  # spaces and case are relaxed
    panel.span_code.value = "welcome_home_call"
    panel.code_span_button.click()
    row = next(saved(project).itertuples())
    assert text_of(project, row) == "A welcome home call"
    assert panel.checkboxes["welcome_home_call"].value is True
    assert "<mark" in panel.text_view.value
    panel.phrase.value = "words that are not there"
    assert "not in this segment" in panel.status.value


def test_coding_panel_codes_a_slider_selection(project):
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int03", 15)
    panel.span.value = (0, 22)
    panel.code_selection("being_listened_to")
    row = next(saved(project).itertuples())
    assert text_of(project, row) == "Being listened to. And"
    panel.code_selection("being_listened_to")  # the same again: not repeated
    assert len(saved(project)) == 1 and "already coded" in panel.status.value


def test_coding_panel_memo(project):
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int02", 14)
    panel.memo.value = "Parcel: a strong image"
    assert "first code" in panel.status.value
    panel.checkboxes["being_known"].value = True
    assert saved(project)["memo"].tolist() == ["Parcel: a strong image"]
    panel.memo.value = "Parcel image, used again by Stan"
    assert saved(project)["memo"].tolist() == ["Parcel image, used again by Stan"]


def test_coding_panel_navigation_and_next_uncoded(project):
    panel = CodingPanel(project, coder="alex", skip_speakers=INTERVIEWERS)
    panel.interview_filter.value = "int01"
    first = panel.current
    assert first == ("int01", 3)  # the header line and the interviewer's turns are skipped
    panel.next_button.click()
    assert panel.current == ("int01", 5)
    panel.previous_button.click()
    assert panel.current == first
    panel.checkboxes["peak_experience"].value = True  # code int01#3 ...
    panel.next_button.click()
    panel.checkboxes["peak_experience"].value = True  # ... and int01#5
    panel.previous_button.click()
    panel.next_uncoded_button.click()
    assert panel.current == ("int01", 7)
    assert "int01" in panel.header.value and "Maya" in panel.header.value
    assert "ward sister" in panel.header.value


def test_coding_panel_filters(project):
    panel = CodingPanel(project, coder="alex", skip_speakers=INTERVIEWERS)
    panel.search.value = "key safe"
    keys = set()
    for _ in range(len(panel._view)):
        keys.add(panel.current[0])
        assert "key safe" in panel.text_view.value.lower()
        panel.move(1)
    assert {"int03", "int12"} <= keys
    panel.search.value = ""
    panel.go_to("int04", 7)
    panel.checkboxes["huddles_and_groups"].value = True
    panel.code_filter.value = "huddles_and_groups"
    assert panel.position.value.endswith("1 of 1")
    panel.code_filter.value = "-"  # not yet coded
    assert panel.current != ("int04", 7)


def test_coding_panel_resumes_where_the_coder_stopped(project):
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int06", 11)
    panel.checkboxes["practical_help"].value = True
    panel.move(1)
    again = CodingPanel(tk.open_project(project.path), coder="alex")
    assert again.current == panel.current
    assert again.checkboxes["practical_help"].value is False  # a different segment
    again.go_to("int06", 11)
    assert again.checkboxes["practical_help"].value is True


def test_coding_panel_resumes_after_the_last_coding_without_a_saved_place(project):
    (project.path / "codings" / "alex.csv").write_text(
        "interview_id,segment_id,code\nint02,8,peak_experience\n", encoding="utf-8"
    )
    panel = CodingPanel(tk.open_project(project.path), coder="alex")
    assert panel.current == ("int02", 9)


def test_coding_panel_blind_by_default(project):
    blind = CodingPanel(project, coder="alex")
    blind.go_to("int01", 5)
    assert blind.others_view.value == ""
    open_ = CodingPanel(project, coder="alex", blind=False)
    open_.go_to("int01", 5)
    assert "nadia" in open_.others_view.value and "sam" in open_.others_view.value
    assert "peak_experience" in open_.others_view.value


def test_coding_panel_shows_a_coders_own_file(project):
    panel = CodingPanel(project, coder="sam")
    panel.go_to("int01", 25)
    assert panel.checkboxes["welcome_home_call"].value is True
    assert panel.checkboxes["peak_experience"].value is False


def test_coding_panel_definitions_at_hand(project):
    panel = CodingPanel(project, coder="alex")
    definition = project.codebook["trust_to_act"].definition
    assert panel.checkboxes["trust_to_act"].tooltip == definition
    assert panel.definitions.layout.display == "none"
    panel.definitions_button.value = True
    assert panel.definitions.layout.display == "block"
    assert "Permission and trust" in panel.definitions.value


def test_coding_panel_static_html(project):
    panel = CodingPanel(project, coder="sam")
    panel.go_to("int01", 25)
    page = panel.to_html()
    assert "&#9745; welcome_home_call" in page and "&#9744; peak_experience" in page
    assert "Only three?" in page and "<script" not in page


def test_coding_panel_bad_input(project, tmp_path):
    with pytest.raises(CodingError, match="built in memory"):
        CodingPanel(tk.Project(codebook=project.codebook), coder="alex")
    (tmp_path / "project.yml").write_text("name: Empty\n")
    with pytest.raises(CodingError, match="codebook"):
        CodingPanel(tmp_path, coder="alex")
    with pytest.raises(CodingError, match="coder name"):
        CodingPanel(project, coder="../alex")
    panel = CodingPanel(project, coder="alex")
    with pytest.raises(CodingError, match="no segment 99"):
        panel.go_to("int01", 99)


def test_coding_panel_keeps_other_files_untouched(project):
    before = {p.name: p.read_bytes() for p in (project.path / "codings").glob("*.csv")}
    panel = CodingPanel(project, coder="alex")
    panel.go_to("int01", 5)
    panel.checkboxes["peak_experience"].value = True
    after = {p.name: p.read_bytes() for p in (project.path / "codings").glob("*.csv")}
    assert {k: after[k] for k in before} == before
    table = tk.open_project(project.path).codings
    assert set(table["coder"]) == {"alex", "nadia", "sam"}
    assert isinstance(panel.codings, pd.DataFrame) and len(panel.codings) == 1


def test_coded_phrases_are_marked_and_whole_turns_are_not():
    from toolkit.present.widgets.coding_view import highlighted_html

    text = "We had a call & a visit."
    base = 100
    spans = [(100, 124, "whole"), (109, 113, "call"), (109, 123, "contact")]
    marked = highlighted_html(text, base, spans, {"call": "#0072B2"})
    assert marked.startswith('We had a <mark title="call, contact"')
    assert "background:#0072B233" in marked  # the first code's colour
    assert '<mark title="contact" style="background:#E69F0033' in marked  # no colour: default
    assert "&amp;" in marked and "whole" not in marked
