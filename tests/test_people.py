"""People: several per interview, interviewers (listed, set or guessed), one count of people.

The fixtures in tests/data/people are laid out as real exports are (an Otter.ai podcast with
three hosts, a guest and a producer who speaks once; a MAXQDA-style focus group; a Zoom call
with two guests): see the README there.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import ProjectError
from toolkit.model.interviewers import (
    FROM_PARTICIPANTS,
    FROM_ROLE,
    FROM_SETTING,
    GUESSED,
    guess_interviewers,
)

PEOPLE = Path(__file__).parent / "data" / "people"
HOSTS = {"Priya Natarajan", "Tom Okoye", "Hannah Lewis"}


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(PEOPLE / name, tmp_path / name))


def _run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _set_interviewers(folder: Path, labels: list[str]) -> None:
    text = (folder / "project.yml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{label}"' for label in labels)
    (folder / "project.yml").write_text(text + f"  interviewers: [{listed}]\n", encoding="utf-8")


# --- participants.csv: several rows per interview -------------------------------------------


def test_several_rows_per_interview_are_read():
    table = tk.read_participants(PEOPLE / "focus-group" / "participants.csv")
    assert table["interview_id"].tolist().count("fg01") == 4
    assert table["interviewer"].tolist() == ["yes", "no", "", "", "yes", "", ""]
    assert tk.tables.conforms(table, "participants")


@pytest.mark.parametrize(
    ("cell", "read"), [("TRUE", "yes"), ("1", "yes"), ("false", "no"), ("0", "no"), ("", "")]
)
def test_interviewer_column_takes_yes_no_true_false_and_numbers(tmp_path, cell, read):
    (tmp_path / "p.csv").write_text(f"interview_id,name,interviewer\nint01,Ann Lee,{cell}\n")
    assert tk.read_participants(tmp_path / "p.csv")["interviewer"].iloc[0] == read


def test_interviewer_column_names_the_row_of_a_bad_value(tmp_path):
    file = tmp_path / "participants.csv"
    file.write_text("interview_id,name,interviewer\nint01,Ann Lee,no\nint01,Sam Reid,maybe\n")
    with pytest.raises(ProjectError) as caught:
        tk.read_participants(file)
    message = str(caught.value)
    assert "participants.csv, row 3" in message and "'maybe'" in message and "yes or no" in message


def test_the_same_person_twice_in_an_interview_names_both_rows(tmp_path):
    file = tmp_path / "participants.csv"
    file.write_text(
        "interview_id,speaker,name\nfg01,Ama,Ama Owusu\nfg01,Ken,Ken Ito\nfg01,[ama],\n"
    )
    with pytest.raises(ProjectError) as caught:
        tk.read_participants(file)
    assert "row 4" in str(caught.value) and "also in row 2" in str(caught.value)


# --- who is who ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def focus():
    return tk.open_project(PEOPLE / "focus-group")


def test_focus_group_rows_are_matched_to_their_speakers(focus):
    found = tk.who_spoke(focus)
    assert found.interviewers.reasons == {
        "Moderator": FROM_PARTICIPANTS,
        "Sam Reid": FROM_PARTICIPANTS,
    }
    segments = focus.segments.assign(person=found.person, interviewer=found.interviewer)
    people = found.people
    said = segments[segments["person"] >= 0]
    who = people["name"].to_numpy()[said["person"].to_numpy()]
    pairs = set(zip(said["speaker"], who, strict=True))
    # By the speaker column (Lisa B.), by the full name (the Zoom call has no speaker column),
    # and Ken, whom participants.csv does not describe, as a person of his own.
    assert {("Lisa B.", "Lisa Brennan"), ("Gábor", "Gábor Kovács"), ("Joan Marsh", "Joan Marsh"),
            ("Ravi Marsh", "Ravi Marsh"), ("Ken", "")} <= pairs  # fmt: skip
    assert set(segments.loc[segments["interviewer"], "speaker"]) == {"Moderator", "Sam Reid"}
    # The title lines have no speaker in a labelled interview: nobody's.
    assert (segments.loc[segments["speaker"] == "", "person"] == -1).all()


def test_speakers_missing_from_participants_csv_are_one_summary_line(focus):
    warnings = tk.find_interviewers(focus).warnings
    assert len(warnings) == 1
    assert warnings[0].startswith("1 speaker not in participants.csv: Ken (fg01).")


def test_a_first_name_finds_its_row(tmp_path):
    folder = _copy("focus-group", tmp_path)
    table = pd.read_csv(folder / "participants.csv", dtype=str, keep_default_na=False)
    table.loc[table["speaker"] == "Ama", "speaker"] = ""  # Ama Owusu: found as "Ama"
    table.to_csv(folder / "participants.csv", index=False)
    people = tk.people_taking_part(tk.open_project(folder))
    assert people.loc[people["name"] == "Ama Owusu", "speaker"].tolist() == ["Ama"]
    assert len(people) == 6


def test_the_setting_matches_with_or_without_brackets_and_names_a_stray_label(tmp_path):
    folder = _copy("podcast", tmp_path)
    _set_interviewers(folder, ["priya natarajan", "[Tom Okoye]", "Hannah  Lewis", "Jon Okoye"])
    found = tk.find_interviewers(tk.open_project(folder))
    assert found.reasons == dict.fromkeys(sorted(HOSTS), FROM_SETTING)
    assert found.unmatched == ("Jon Okoye",)
    (warning,) = found.warnings
    assert "'Jon Okoye', who speaks in no interview (did you mean 'Tom Okoye'?)" in warning
    output = _run("code", folder, "--quiet")
    assert "(the 'interviewers' setting in project.yml)" in output
    assert output.count("'Jon Okoye'") == 1


def test_a_row_saying_no_wins_over_the_setting(tmp_path):
    folder = _copy("podcast", tmp_path)
    _set_interviewers(folder, ["Tom Okoye"])
    (folder / "participants.csv").write_text(
        "interview_id,speaker,interviewer,group\nep12,Tom Okoye,no,nurse\n"
        "ep12,Sarah Whitfield,,nurse\n"
    )
    assert tk.find_interviewers(tk.open_project(folder)).labels == []


def test_labels_that_name_the_role_are_interviewers():
    segments = pd.DataFrame(
        {
            "interview_id": ["a", "a", "b", "b", "c", "c"],
            "segment_id": [1, 2, 1, 2, 1, 2],
            "speaker": ["[Int2]", "[P1]", "Host 1", "Guest", "Facilitator", "Ann"],
            "text": ["Ready?", "Yes.", "Welcome.", "Thanks.", "Start?", "Sure?"],
        }
    )
    found = tk.find_interviewers(segments)
    assert found.reasons == dict.fromkeys(["Facilitator", "Host 1", "[Int2]"], FROM_ROLE)


# --- guessing, only when nothing is listed -----------------------------------------------


def test_a_guest_with_one_short_question_is_never_guessed():
    # Three hosts chat and ask each other things; a guest speaks once, with a question.
    # Guessing from questions alone took the guest for the interviewer.
    project = tk.open_project(PEOPLE / "podcast")
    found = tk.find_interviewers(project)
    assert "Dev Mistry" not in found.labels
    assert found.labels == []  # the hosts ask as many questions as each other: no clear guess
    assert "none could be guessed" in found.sentence
    pairs = pd.DataFrame(
        {
            "interview_id": ["ep"] * 4,
            "speaker": ["Priya", "Tom", "Hannah", "Dev"],
            "turns": [8, 7, 6, 1],
            "questions": [5, 1, 1, 1],
        }
    )
    assert guess_interviewers(pairs) == {("ep", "Priya"): GUESSED}
    assert guess_interviewers(pairs.assign(questions=[0, 0, 0, 1])) == {}


def test_nothing_is_guessed_once_anyone_is_listed():
    sample = tk.sample_project()
    assert GUESSED in tk.find_interviewers(sample).reasons.values()
    listed = tk.find_interviewers(sample, interviewers=["Sam", "Sam Reid"])
    assert set(listed.labels) == {"Sam", "Sam Reid"}
    sample.settings = {"interviewers": ["Sam"]}
    found = tk.find_interviewers(sample)
    assert GUESSED not in found.reasons.values()
    assert found.reasons["Sam"] == FROM_SETTING and found.reasons["Q"] == FROM_ROLE
    assert "Nadia" not in found.labels  # only guessed before


# --- rule coding, counts and quotes leave interviewers out ---------------------------------


def test_rule_coding_leaves_interviewers_out_unless_asked(tmp_path):
    folder = _copy("focus-group", tmp_path)
    output = _run("code", folder, "--quiet")
    assert (
        "Interviewers, left out of rule coding, counts and quotes: Moderator, Sam Reid "
        "(listed in participants.csv)." in output
    )
    assert output.count("Ken (fg01)") == 1
    project = tk.open_project(folder)
    coded = project.rule_codings.merge(project.segments, on=["interview_id", "segment_id"])
    assert not {"Moderator", "Sam Reid"} & set(coded["speaker"])
    _run("code", folder, "--quiet", "--keep-interviewers")
    project = tk.open_project(folder)
    coded = project.rule_codings.merge(project.segments, on=["interview_id", "segment_id"])
    assert {"Moderator", "Sam Reid"} <= set(coded["speaker"])  # "waiting", "helped at home"


def test_one_count_of_people_everywhere(tmp_path):
    folder = _copy("focus-group", tmp_path)
    _run("code", folder, "--quiet")
    project = tk.open_project(folder)
    people = tk.people_taking_part(project)
    assert len(people) == 6  # five rows that are not interviewers, and Ken
    frequency = tk.theme_frequency(project, coder="rules")
    assert frequency.attrs["total"] == len(people) == frequency.attrs["people"]
    by_group = tk.theme_by_group(project, coder="rules")
    sizes = by_group.drop_duplicates("group").set_index("group")["group_size"]
    assert sizes.sum() == len(people)
    assert sizes.to_dict() == {"carer": 2, "patient": 3, "(not recorded)": 1}
    assert tk.project_summary(project).counts["people"] == len(people)
    _run("report", folder, "--format", "md")
    text = (folder / "output" / "report.md").read_text(encoding="utf-8")
    found = [
        re.findall(pattern, text)
        for pattern in (
            r"\b(\d+) people took part",  # who took part, and the summary
            r"[Rr]aised by \d+ of (\d+) people",  # each theme
            r"how many of the (\d+) people",  # the themes' introduction
            r"counted as people \(of (\d+)\)",  # the charts' descriptions
        )
    ]
    assert all(found), found
    assert {int(n) for numbers in found for n in numbers} == {6}


def test_quotes_leave_interviewers_out_and_are_signed_by_id_and_group(focus):
    project = tk.open_project(PEOPLE / "focus-group")
    project.codings = tk.autocode_project(project, keep_interviewers=True)
    quotes = tk.exemplar_quotes(project, of="code", coder="rules", per_code=5)
    people = tk.people_taking_part(project)
    assert len(quotes) and set(quotes["speaker"]) <= set(people["person"])
    spoken = quotes.merge(project.segments, on=["interview_id", "segment_id"])["speaker_y"]
    assert not {"Moderator", "Sam Reid"} & set(spoken)
    assert set(quotes["by"]) <= {f"{p}, {g}" if g else p for p, g in zip(
        people["person"], people["group"], strict=True)}  # fmt: skip
    assert "P1, carer" in set(quotes["by"])  # Lisa B.
    kept = tk.prepare_themes(project, coder="rules", keep_interviewers=True)
    assert len(kept.people) == len(people) + 2
    kept_quotes = tk.exemplar_quotes(kept, of="code", per_code=20)
    assert {"Moderator", "Sam Reid"} & set(
        kept_quotes.merge(project.segments, on=["interview_id", "segment_id"])["speaker_y"]
    )


def test_info_says_who_was_left_out_and_who_is_missing():
    output = _run("info", PEOPLE / "focus-group")
    assert re.search(r"people\s+6 ", output)
    assert "Moderator, Sam Reid (listed in participants.csv)" in output
    assert output.count("Ken (fg01)") == 1


def test_attribution_never_shows_a_name_unless_asked(focus):
    people = tk.people_taking_part(focus)
    signed = tk.attribution(people)
    names = set(people["name"]) | set(people["speaker"])
    assert not names & set(signed.str.split(", ").str[0])
    assert "Lisa Brennan, carer" in set(tk.attribution(people, show_names=True))


def test_a_pseudonymised_project_signs_quotes_with_its_pseudonyms(tmp_path):
    # anonymise writes "[Person 3]" for a participant's name, in the text and the labels.
    _run("anonymise", tk.sample_project_path(), tmp_path / "anon")
    people = tk.people_taking_part(tk.open_project(tmp_path / "anon"))
    signed = tk.attribution(people)
    assert signed.iloc[0] == "Person 1, hospital staff"
    assert signed.str.match(r"^(Person \d+|P\d+)(, |$)").all()


def test_report_describes_interviewers_without_names(focus):
    found = tk.find_interviewers(focus)
    assert "Sam Reid" in found.sentence
    words = found.describe()
    assert "Sam Reid" not in words and "1 speaker, Moderator (listed in participants.csv)" in words


def test_who_spoke_matches_by_interview_whatever_the_spacing_and_gives_cleaned_ids():
    from toolkit.model.people import who_spoke

    turns = pd.DataFrame(
        {
            "interview_id": [" fg", "fg ", "fg", "one", "one", "lost"],
            "segment_id": [1, 2, 3, 1, 2, 1],
            "speaker": ["Mod ", "Ann", " Bo", "", "", "Zed"],
            "text": ["Why?", "Time.", "Money.", "A note.", "More.", "Hello."],
        }
    )
    rows = pd.DataFrame(
        {
            "interview_id": ["fg", "fg", "fg", " one", "gone"],
            "name": ["Jo Moss", "Ann Lee", "", "Di Vos", "Al Ray"],
            "speaker": ["Mod", "", "Bo", "", ""],
            "interviewer": ["yes", "", "", "", ""],
        }
    )
    found = who_spoke(turns, rows)
    assert found.interview_id.tolist() == ["fg", "fg", "fg", "one", "one", "lost"]
    assert found.speaker.tolist() == ["Mod", "Ann", "Bo", "", "", "Zed"]
    people = found.people
    # Ann by her first name, Bo by his label, the lone row of "one" to its unlabelled turns;
    # "gone" has no turns and "lost" no row: Zed is a person of their own.
    said = [people.loc[p, "name"] if p >= 0 else None for p in found.person]
    assert said == [None, "Ann Lee", "", "Di Vos", "Di Vos", ""]
    assert people.loc[found.person[5], "speaker"] == "Zed"
    assert "Al Ray" not in set(people["name"])
    assert found.interviewers.missing == ()


@pytest.mark.parametrize("lower", [False, True])
def test_numbered_text_cleans_arrow_text_as_python_does(lower):
    from toolkit.model.naming import numbered_text

    raw = [" Ann", "Ann", None, "BO\u3000", "\x1fcé ", "", "Ann"]
    # Arrow text in two chunks, as pandas keeps a column joined from two tables.
    text = pd.StringDtype("pyarrow")
    arrow = pd.concat([pd.Series(raw[:3], dtype=text), pd.Series(raw[3:], dtype=text)])
    expected = ["" if v is None else (v.strip().lower() if lower else v.strip()) for v in raw]
    for column in (arrow, pd.Series(raw, dtype=object)):
        numbers, values = numbered_text(column, lower=lower)
        assert values[numbers].tolist() == expected
        assert values[-1] == "" and numbers[2] == -1  # a missing cell reads as ""


def test_rows_count_when_their_interview_has_turns_or_an_empty_transcript():
    from toolkit.model.people import who_spoke

    turns = pd.DataFrame(
        {"interview_id": ["a", "a"], "segment_id": [1, 2], "speaker": ["", ""],
         "text": ["Fine.", "Yes."]}
    )  # fmt: skip
    rows = pd.DataFrame(
        {"interview_id": ["a", " empty", "later"], "name": ["Ann Lee", "Bo Ng", "Cy Diaz"]}
    )
    documents = pd.DataFrame({"interview_id": ["a ", "empty"]})
    people = who_spoke(turns, rows, documents=documents).people
    # "empty" is transcribed with no turns yet; "later" has no transcript at all.
    assert people["name"].tolist() == ["Ann Lee", "Bo Ng"]
    assert who_spoke(turns, rows).people["name"].tolist() == ["Ann Lee"]


@pytest.mark.parametrize("arrow", [True, False])
def test_positions_finds_each_id_with_or_without_pyarrow(monkeypatch, arrow):
    import numpy as np

    from toolkit.model.naming import positions

    if not arrow:  # as on an install without the scale extra
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        monkeypatch.setitem(sys.modules, "pyarrow.compute", None)
    among = np.array(["int01", "fg", "", "Ann"], dtype=object)
    values = np.array(["fg", "ann", "", "int01", "int01", "gone"], dtype=object)
    assert positions(values, among).tolist() == [1, -1, 2, 0, 0, -1]
    assert positions(values[:0], among).tolist() == []
