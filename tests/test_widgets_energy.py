"""Workshop capture widgets: driven as a facilitator would, then the CSV read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import EnergyError
from toolkit.present.widgets.dot_vote import DotVote, dot_bars_html
from toolkit.present.widgets.energy_capture import EnergyCapture

DATA = Path(__file__).resolve().parent / "data" / "energy"


def stakeholders(folder: Path) -> pd.DataFrame:
    return tk.read_stakeholders(folder / "stakeholders.csv").set_index("stakeholder")


def votes(folder: Path) -> pd.DataFrame:
    return tk.read_votes(folder / "votes.csv")


# --- EnergyCapture ------------------------------------------------------------


def test_moving_a_slider_saves_at_once(sample_copy):
    capture = EnergyCapture(sample_copy)
    capture.stakeholder.value = "Graham Pike"
    assert capture.sliders["energy"].value == -2  # shows the saved rating
    capture.sliders["energy"].value = 0
    table = stakeholders(sample_copy)
    assert table.loc["Graham Pike", "energy"] == 0
    # Only the slider that moved is written: his blank five energies stay blank.
    assert pd.isna(table.loc["Graham Pike", "social"])
    assert "Saved Graham Pike" in capture.status.value


def test_save_button_writes_every_slider(sample_copy):
    capture = EnergyCapture(tk.open_project(sample_copy), stakeholder="Susan Marsh")
    assert "not rated yet" in capture.status.value
    capture.sliders["physical"].value = 2
    capture.sliders["social"].value = 4
    capture.save_button.click()
    row = stakeholders(sample_copy).loc["Susan Marsh"]
    assert (row["physical"], row["social"], row["spiritual"], row["influence"]) == (2, 4, 3, 5)


def test_switching_stakeholder_does_not_write(sample_copy):
    before = (sample_copy / "stakeholders.csv").read_bytes()
    capture = EnergyCapture(sample_copy)
    for name in ["Tom Beckett", "Olu Bankole", "Maya Okafor"]:
        capture.stakeholder.value = name
    assert (sample_copy / "stakeholders.csv").read_bytes() == before
    assert capture.sliders["physical"].value == 2  # Maya's night shifts


def test_extra_columns_and_other_rows_are_kept(sample_copy):
    capture = EnergyCapture(sample_copy / "stakeholders.csv", stakeholder="Tom Beckett")
    capture.sliders["interest"].value = 4
    text = (sample_copy / "stakeholders.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("stakeholder,group,job,")
    assert "Tom Beckett,volunteer,volunteer driver,2,4,2,3,5,4,4,3,3" in text
    assert "Maya Okafor,hospital staff,ward sister,3,5,2,3,4,5,3,2,4" in text


def test_add_a_stakeholder(tmp_path):
    capture = EnergyCapture(tmp_path)
    capture.new_name.value = "Hassan Ali"
    capture.new_group.value = "community group"
    capture.add_button.click()
    capture.sliders["energy"].value = 2
    capture.sliders["spiritual"].value = 5
    table = stakeholders(tmp_path)
    assert table.loc["Hassan Ali", "group"] == "community group"
    assert (table.loc["Hassan Ali", "energy"], table.loc["Hassan Ali", "spiritual"]) == (2, 5)
    capture.new_name.value = "Hassan Ali"
    capture.add_button.click()
    assert "already on the list" in capture.status.value
    assert len(stakeholders(tmp_path)) == 1


def test_add_needs_a_name(tmp_path):
    capture = EnergyCapture(tmp_path)
    capture.add_button.click()
    assert "name first" in capture.status.value
    assert not (tmp_path / "stakeholders.csv").exists()


def test_capture_refuses_a_file_with_errors(tmp_path):
    (tmp_path / "stakeholders.csv").write_bytes((DATA / "duplicate-stakeholder.csv").read_bytes())
    with pytest.raises(EnergyError, match="row 4"):
        EnergyCapture(tmp_path)


def test_capture_needs_a_saved_project():
    with pytest.raises(EnergyError, match="built in memory"):
        EnergyCapture(tk.Project())


def test_capture_needs_an_existing_folder(tmp_path):
    with pytest.raises(EnergyError, match=r"project folder or a \.csv file"):
        EnergyCapture(tmp_path / "nowhere")


def test_no_temporary_files_are_left(tmp_path):
    capture = EnergyCapture(tmp_path)
    capture.add("Ann", "carer")
    capture.sliders["energy"].value = 1
    assert [p.name for p in tmp_path.iterdir()] == ["stakeholders.csv"]


# --- DotVote ----------------------------------------------------------------


def test_dots_are_tallied_and_saved(tmp_path):
    vote = DotVote(tmp_path, items=["Lifts home", "Welcome call"], session="June")
    vote.participant.value = "Asha"
    vote.plus["Lifts home"].click()
    vote.plus["Lifts home"].click()
    vote.counts["Welcome call"].value = 3
    table = votes(tmp_path)
    assert table[["participant", "item", "dots", "session"]].values.tolist() == [
        ["Asha", "Lifts home", 2, "June"],
        ["Asha", "Welcome call", 3, "June"],
    ]
    assert "5 of 5 dots used" in vote.status.value
    assert "Welcome call: 3 dots" in vote.bars.value


def test_setting_zero_removes_the_row(tmp_path):
    vote = DotVote(tmp_path, items=["Lifts home"], session="June")
    vote.participant.value = "Ben"
    vote.counts["Lifts home"].value = 2
    vote.counts["Lifts home"].value = 0
    assert votes(tmp_path).empty


def test_switching_participant_shows_their_dots(tmp_path):
    (tmp_path / "votes.csv").write_bytes((DATA / "votes.csv").read_bytes())
    vote = DotVote(tmp_path / "votes.csv", session="June")
    assert vote.items == ["Lifts home", "Welcome call"]
    vote.participant.value = "Asha"
    assert vote.counts["Lifts home"].value == 3
    vote.participant.value = "Cara"
    assert vote.counts["Welcome call"].value == 2
    assert vote.counts["Lifts home"].value == 0  # Cara's July dots are another session
    assert (tmp_path / "votes.csv").read_bytes() == (DATA / "votes.csv").read_bytes()
    # June's totals include the anonymous dots on the wall.
    assert "Welcome call: 6 dots" in vote.bars.value


def test_other_sessions_are_kept(tmp_path):
    (tmp_path / "votes.csv").write_bytes((DATA / "votes.csv").read_bytes())
    vote = DotVote(tmp_path, session="July")
    vote.participant.value = "Cara"
    assert vote.counts["Lifts home"].value == 2
    vote.plus["Welcome call"].click()
    table = votes(tmp_path)
    assert len(table) == 6 and (table["session"] == "June").sum() == 4
    assert table.iloc[-1][["participant", "item", "dots", "session"]].tolist() == [
        "Cara",
        "Welcome call",
        1,
        "July",
    ]


def test_over_budget_warns_but_saves(tmp_path):
    vote = DotVote(tmp_path, items=["A", "B"], session="S", dots_per_person=3)
    vote.participant.value = "Dev"
    vote.counts["A"].value = 4
    assert "1 more than each person has" in vote.status.value
    assert votes(tmp_path)["dots"].tolist() == [4]


def test_default_session_is_today(tmp_path):
    vote = DotVote(tmp_path, items=["A"])
    vote.participant.value = "Dev"
    vote.plus["A"].click()
    assert votes(tmp_path)["session"].tolist() == [date.today().isoformat()]


def test_project_names_are_offered(sample_copy):
    vote = DotVote(tk.open_project(sample_copy), session="2027-05-01")
    assert "Graham Pike" in vote.participant.options  # a stakeholder, even without votes
    assert "Kemi Adebayo" in vote.participant.options  # voted before, not a stakeholder
    assert len(vote.items) == 8


def test_dot_vote_needs_items(tmp_path):
    with pytest.raises(EnergyError, match="ideas to vote on"):
        DotVote(tmp_path)


def test_bar_list_is_readable_text():
    table = pd.DataFrame({"participant": ["a", "b"], "item": ["Lifts", "Calls"], "dots": [1, 4]})
    html = dot_bars_html(table, ["Lifts", "Calls", "Forms"])
    assert html.index("Calls: 4 dots") < html.index("Lifts: 1 dot<") < html.index("Forms: 0 dots")
