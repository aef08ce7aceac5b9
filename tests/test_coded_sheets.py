"""Coded spreadsheets in: the three layouts, a second coder's copy, clashing ids, the CLI.

The fixtures in tests/data/coded_sheets/ reproduce the layouts of real, public files
(see the README there): NHS Friends and Family Test comments coded one column per
category, a published study's two coders' sheets with "Code 1 ... Code 8" columns and
parent->child codes, and one-row-per-code and codes-in-one-column exports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import CodingError, TranscriptError
from toolkit.io.coded_sheets import read_coded_sheet, split_code
from toolkit.io.files import read_table
from toolkit.model.coded_import import import_coded_sheet

DATA = Path(__file__).resolve().parent / "data" / "coded_sheets"
FFT = DATA / "fft-patient-transport.csv"
FFT_2 = DATA / "fft-patient-transport-coder2.xlsx"
Q12_A = DATA / "proctoring-q12-primary.csv"
Q12_B = DATA / "proctoring-q12-secondary.csv"
Q31_A = DATA / "proctoring-q31-primary.csv"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# --- reading the layouts --------------------------------------------------------------------------


def test_one_column_per_code_the_nhs_layout():
    sheet = read_coded_sheet(FFT)
    assert (sheet.id_column, sheet.text_column) == ("Comment ID", "FFT answer")
    assert len(sheet.code_columns) == 10
    assert set(sheet.code_columns.values()) == {"marks"}
    # Flags about the comment and scores stay attributes of the response.
    assert sheet.flags == ["Person identifiable info?"]
    for column in ["Person identifiable info?", "Comment sentiment", "FFT question", "Trust"]:
        assert column in sheet.attributes
    assert "Safeguarding concerns?" not in sheet.code_columns
    first = sheet.codings[sheet.codings["response_id"] == "HWT PTS 101 - Q1"]
    assert sorted(code[0] for code in first["code"]) == [
        "Positive experience & gratitude",
        "Staff manner & personal attributes",
        "Transport to/ from services",
    ]


def test_an_excel_copy_with_an_unused_code_column():
    sheet = read_coded_sheet(FFT_2)
    # Nobody used "Number & deployment of staff" in this copy: still a code (it sits among them).
    assert sheet.code_columns == read_coded_sheet(FFT).code_columns
    assert sheet.responses["FFT categorical answer"].iloc[0] == "1"


def test_codes_option_chooses_exactly_the_code_columns():
    sheet = read_coded_sheet(FFT, codes=["Person identifiable info?", "Timeliness of care"])
    assert sheet.code_columns == {
        "Person identifiable info?": "marks",
        "Timeliness of care": "marks",
    }
    assert "Staff manner & personal attributes" in sheet.attributes
    with pytest.raises(TranscriptError, match=r"'Timelines of care'.*did you mean"):
        read_coded_sheet(FFT, codes=["Timelines of care"])


def test_code_columns_with_parent_child_codes():
    sheet = read_coded_sheet(Q12_A)
    assert sheet.id_column == "ResponseId"
    assert sheet.text_column.startswith("In your experience")
    assert list(sheet.code_columns) == [f"Code {n}" for n in range(1, 9)]
    codes = set(sheet.codings["code"])
    assert ("technology_glitches", "camera") in codes and ("cost",) in codes


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("a->b", ("a", "b")),
        ("a -> b -> c", ("a", "b", "c")),
        ("Staff > Attitude", ("Staff", "Attitude")),
        ("staff/attitude", ("staff", "attitude")),
        ("Press:Trust", ("Press", "Trust")),
        ("Transport to/ from services", ("Transport to/ from services",)),
        ("Gratitude/ good experience", ("Gratitude/ good experience",)),
    ],
)
def test_codes_with_parents(written, path):
    assert split_code(written) == path


def test_one_column_of_codes_separated_by_semicolons():
    sheet = read_coded_sheet(DATA / "ward-feedback-codes.csv")
    assert sheet.code_columns == {"Codes": "list"}
    assert sheet.attributes == ["Ward"]
    assert sheet.skipped == 1  # W9-003 left the box empty
    first = sheet.codings[sheet.codings["response_id"] == "W7-001"]["code"].tolist()
    assert first == [("Staff", "Workload"), ("Communication", "Medicines")]


def test_commas_separate_codes_when_no_cell_has_a_semicolon(tmp_path):
    file = tmp_path / "tags.csv"
    file.write_text(
        'id,comment,tags\n1,"Lovely staff, but a long wait","staff > kindness, waiting"\n'
        "2,Too noisy at night,environment\n",
        encoding="utf-8",
    )
    sheet = read_coded_sheet(file)
    assert sheet.codings["code"].tolist() == [
        ("staff", "kindness"),
        ("waiting",),
        ("environment",),
    ]


def test_one_row_per_code_is_one_response(tmp_path):
    sheet = read_coded_sheet(DATA / "relationship-tags-long.csv")
    assert sheet.id_column == "lfdn" and "several rows" in sheet.id_note
    assert len(sheet.responses) == 6
    assert sorted(sheet.codings.loc[sheet.codings["response_id"] == "84", "code"]) == [
        ("Press", "Trust"),
        ("Process", "MethodologyFit"),
        ("Product", "HighProductQuality"),
    ]


def test_without_an_id_column_rows_are_numbered_and_the_reason_given():
    sheet = read_coded_sheet(DATA / "feedback-categories.csv")
    assert sheet.id_column is None
    assert "no column is named like an id" in sheet.id_note
    assert sheet.responses["response_id"].tolist()[:2] == ["row 2", "row 3"]
    assert list(sheet.code_columns) == ["cat_1", "cat_2", "cat_3"]
    assert ("NA",) not in set(sheet.codings["code"])  # R's NA is an empty cell


def test_repeated_ids_with_different_text_mean_row_numbers(tmp_path):
    file = tmp_path / "survey.csv"
    file.write_text(
        "Respondent ID,Comment,Code 1\nr1,Kind nurses on the ward,kindness\n"
        "r1,The car park costs too much,parking\nr2,Clean and quiet,environment\n",
        encoding="utf-8",
    )
    sheet = read_coded_sheet(file)
    assert sheet.id_column is None
    assert "'Respondent ID' gives 'r1' to different responses (rows 2 and 3)" in sheet.id_note
    with pytest.raises(TranscriptError, match=r"one id per response.*rows 2 and 3"):
        read_coded_sheet(file, id_column="Respondent ID")


def test_a_header_repeated_for_each_code(tmp_path):
    file = tmp_path / "repeated.csv"
    file.write_text(
        "ID,Response,Code,Code,Code\n1,The staff were lovely and kind,staff,kindness,\n"
        "2,I waited all afternoon for my tablets,waiting,medicines,discharge\n",
        encoding="utf-8",
    )
    sheet = read_coded_sheet(file)
    assert list(sheet.code_columns) == ["Code", "Code.1", "Code.2"]
    assert len(sheet.codings) == 5
    with pytest.raises(tk.ToolkitError, match="appears twice"):
        read_table(file)  # other tables still refuse a repeated column


def test_a_sheet_without_codes_says_how_to_name_them(tmp_path):
    file = tmp_path / "plain.csv"
    file.write_text("id,comment\n1,The staff were lovely and kind\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"plain.csv, line 1.*columns of codes.*--codes"):
        read_coded_sheet(file)


# --- into a project ---------------------------------------------------------------------------


def test_import_makes_a_project_with_responses_codes_and_codings(tmp_path):
    project_dir = tmp_path / "fft"
    done = import_coded_sheet(FFT, project_dir, coder="ann")
    assert done.added == 16 and done.codings == 31 and len(done.new_codes) == 10
    project = tk.open_project(project_dir)
    assert len(project.documents) == 16
    assert set(project.codings["method"]) == {"import"}
    assert set(project.codings["coder"]) == {"ann"}
    people = project.participants.set_index("interview_id")
    assert people.loc["HWT PTS 101 - Q1", "question"] == "FFT answer"
    assert people.loc["HWT PTS 101 - Q1", "source"] == "fft-patient-transport.csv"
    assert people.loc["HWT PTS 116 - Q1", "Person identifiable info?"] == "1"
    # A new project's codebook holds the imported codes only, not the starter codebook.
    assert project.codebook.codes == [code for code, _ in done.new_codes]
    # Every coding covers its whole response.
    spans = project.codings.merge(project.documents, on="interview_id")
    assert (spans["end"] == spans["text"].str.len()).all()
    text = "\n".join(done.lines)
    assert "codes from 10 columns (one column per code)" in text
    assert "attributes: Trust; Respondent ID" in text
    assert "Person identifiable info?; name a column with --codes" in text


def test_a_second_coders_copy_adds_codings_to_the_same_responses(tmp_path):
    project_dir = tmp_path / "fft"
    import_coded_sheet(FFT, project_dir, coder="ann")
    done = import_coded_sheet(FFT_2, project_dir, coder="ben")
    assert done.matched == 16 and done.added == 0 and done.responses_file is None
    project = tk.open_project(project_dir)
    assert len(project.documents) == 16
    assert sorted(project.codings["coder"].unique()) == ["ann", "ben"]
    table = tk.reliability(
        project.codings,
        project.segments,
        ci=None,
        by="FFT question",
        participants=project.participants,
    )
    naive = tk.reliability(project.codings, project.segments, ci=None).set_index("code")
    staff = table[table["code"] == "Staff manner & personal attributes"].set_index("FFT question")
    # Staff manner belongs to "FFT Why?" only: pooled naively, the other question's answers
    # add easy agreements and lift kappa from 0.75 to 0.82.
    assert staff.loc["(all groups)", "kappa"] == pytest.approx(0.75)
    assert naive.loc["Staff manner & personal attributes", "kappa"] == pytest.approx(9 / 11)


def test_importing_the_same_coder_again_replaces_their_codings(tmp_path):
    project_dir = tmp_path / "fft"
    import_coded_sheet(FFT, project_dir, coder="ann")
    before = _files(project_dir)
    done = import_coded_sheet(FFT, project_dir, coder="ann")
    assert done.matched == 16 and done.added == 0
    assert _files(project_dir)["codings/ann.csv"] == before["codings/ann.csv"]


def test_a_copy_whose_text_differs_names_the_row_and_writes_nothing(tmp_path):
    project_dir = tmp_path / "q12"
    import_coded_sheet(Q12_A, project_dir, coder="primary")
    changed = tmp_path / "q12-secondary.csv"
    text = Q12_B.read_text(encoding="utf-8").replace(
        "It costs the department a lot", "It costs the school a lot"
    )
    changed.write_text(text, encoding="utf-8")
    before = _files(project_dir)
    with pytest.raises(CodingError) as caught:
        import_coded_sheet(changed, project_dir, coder="secondary")
    message = str(caught.value)
    assert "q12-secondary.csv, row 3" in message and "R_1bKw3HsDfG7uJzR" in message
    assert "proctoring-q12-primary.csv" in message and "school" in message
    assert _files(project_dir) == before


def test_parent_child_codes_join_the_codebook_with_their_parents(tmp_path):
    project_dir = tmp_path / "q12"
    import_coded_sheet(Q12_A, project_dir, coder="primary")
    done = import_coded_sheet(Q12_B, project_dir, coder="secondary")
    book = tk.read_codebook(project_dir / "codebook.yml")
    assert book["technology_glitches > camera"].parent == "technology_glitches"
    assert book["does_not_eliminate_cheating > prohibited_mterials"].parent == (
        "does_not_eliminate_cheating"
    )
    # The second coder's misspelt sub-code is added, and pointed out.
    assert any(
        "prohibited_mterials" in note and "did you mean" in note and "prohibited_materials" in note
        for note in done.notes
    )
    project = tk.open_project(project_dir)
    table = tk.reliability(project.codings, project.segments, ci=None).set_index("code")
    assert table.loc["cost", "kappa"] == pytest.approx(1.0)


def test_an_existing_codebook_is_kept_and_its_sub_codes_reused(tmp_path):
    project_dir = tk.new_project(tmp_path / "project")
    (project_dir / "codebook.yml").write_text(
        "# Our codebook: keep this comment\ncodes:\n  - code: technology_glitches\n"
        "    definition: Anything that broke.\n  - code: camera\n"
        "    parent: technology_glitches\n",
        encoding="utf-8",
    )
    done = import_coded_sheet(Q12_A, project_dir, coder="primary")
    written = (project_dir / "codebook.yml").read_text(encoding="utf-8")
    assert "# Our codebook: keep this comment" in written
    assert "Anything that broke." in written
    book = tk.read_codebook(project_dir / "codebook.yml")
    assert "technology_glitches > camera" not in book  # the existing sub-code is reused
    assert "camera" not in [code for code, _ in done.new_codes]
    codings = tk.open_project(project_dir).codings
    assert "camera" in set(codings["code"])


def test_ids_taken_by_another_file_get_its_name_as_a_prefix(tmp_path):
    project_dir = tmp_path / "survey"
    import_coded_sheet(Q12_A, project_dir, coder="primary")
    done = import_coded_sheet(Q31_A, project_dir, coder="primary")
    assert done.prefix == "proctoring-q31-primary-"
    assert any(
        "5 ids already used by responses from proctoring-q12-primary.csv" in n for n in done.notes
    )
    project = tk.open_project(project_dir)
    assert len(project.documents) == 16
    people = project.participants.set_index("interview_id")
    moved = people.loc["proctoring-q31-primary-R_1bKw3HsDfG7uJzR"]
    assert moved["response_id"] == "R_1bKw3HsDfG7uJzR"
    assert moved["question"].startswith("What monitoring methods")
    assert "left out 1 response with no text" in "\n".join(done.lines)
    assert moved["source"] == "proctoring-q31-primary.csv"
    # Both coders' codings of question 12 and the primary coder's of question 31 are kept.
    assert (
        project.codings["interview_id"].str.startswith("proctoring-q31").sum() == done.codings == 15
    )


def test_the_long_and_the_list_layouts_import(tmp_path):
    project_dir = tmp_path / "mixed"
    import_coded_sheet(DATA / "relationship-tags-long.csv", project_dir, coder="ann")
    import_coded_sheet(DATA / "ward-feedback-codes.csv", project_dir, coder="ann")
    project = tk.open_project(project_dir)
    assert len(project.documents) == 11
    assert project.codebook["Press > Trust"].parent == "Press"
    assert project.codebook["Discharge > Waiting"].parent == "Discharge"
    assert len(pd.read_csv(project_dir / "codings" / "ann.csv")) == 17


def test_a_bad_coder_name_or_a_folder_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(tk.ToolkitError, match="coder name"):
        import_coded_sheet(FFT, tmp_path / "p", coder="ann/../../x")
    with pytest.raises(TranscriptError, match="one spreadsheet"):
        import_coded_sheet(DATA, tmp_path / "p", coder="ann")
    assert not (tmp_path / "p").exists()


# --- the command line -------------------------------------------------------------------------


def test_cli_import_with_a_coder_then_agreement_by_question(tmp_path):
    project_dir = tmp_path / "fft"
    first = CliRunner().invoke(cli, ["import", str(FFT), str(project_dir), "--coder", "ann"])
    assert first.exit_code == 0, first.output
    assert "codes from 10 columns" in first.output and "attributes:" in first.output
    assert "now has 16 interviews" in first.output
    second = CliRunner().invoke(cli, ["import", str(FFT_2), str(project_dir), "--coder", "ben"])
    assert second.exit_code == 0, second.output
    assert "16 responses already in the project" in second.output
    result = CliRunner().invoke(
        cli, ["agreement", str(project_dir), "--by", "FFT question", "--n-boot", "60"]
    )
    assert result.exit_code == 0, result.output
    assert "FFT question: What could we do better?" in result.output
    written = pd.read_csv(project_dir / "output" / "agreement.csv")
    assert written.columns[0] == "FFT question"


def test_cli_codes_option_and_its_errors(tmp_path):
    project_dir = tmp_path / "fft"
    no_coder = CliRunner().invoke(cli, ["import", str(FFT), str(project_dir), "--codes", "x"])
    assert no_coder.exit_code == 2 and "--codes needs --coder" in no_coder.output
    assert not project_dir.exists()
    result = CliRunner().invoke(
        cli,
        [
            *("import", str(FFT), str(project_dir), "--coder", "ann"),
            *("--codes", "Person identifiable info?", "--codes", "Timeliness of care"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert set(tk.open_project(project_dir).codings["code"]) == {
        "Person identifiable info?",
        "Timeliness of care",
    }
    wrong = CliRunner().invoke(
        cli, ["import", str(Q12_B), str(tmp_path / "q"), "--coder", "b", "--text-column", "Text"]
    )
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    assert "expected a column 'Text' for the response text" in wrong.output


def test_a_plain_import_of_a_coded_sheet_says_how_to_keep_the_codes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FFT, folder / "fft.csv")
    result = CliRunner().invoke(cli, ["import", str(folder / "fft.csv"), str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "look like codes" in result.output and "--coder NAME" in result.output


def test_the_rule_for_flags_is_in_the_help():
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert "--coder" in result.output and "--codes" in result.output
    assert "identifiable" in result.output and "'?'" in result.output


def test_a_copy_without_ids_is_added_but_the_twins_are_pointed_out(tmp_path):
    project_dir = tmp_path / "p"
    import_coded_sheet(DATA / "feedback-categories.csv", project_dir, coder="ann")
    shuffled = tmp_path / "categories-ben.csv"
    lines = (DATA / "feedback-categories.csv").read_text(encoding="utf-8").splitlines()
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    done = import_coded_sheet(shuffled, project_dir, coder="ben")
    assert done.added == 5 and done.matched == 0
    assert any("5 responses of this file read the same" in note for note in done.notes)
