"""Pseudonymisation: every identifier caught, ordinary words left alone, positions kept."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest

import toolkit as tk
from toolkit.analysis.anonymise.patterns import nhs_number_is_valid
from toolkit.analysis.anonymise.pseudonymiser import Pseudonymiser
from toolkit.errors import ProjectError

DATA = Path(__file__).resolve().parent / "data" / "transcripts"
NAMES = ["Maya Okafor", "Priya Shah", "Mrs Kamala Shah", "Will Turner", "Grace Mensah"]


def seeded() -> tuple[str, list[tuple[str, str]], list[str]]:
    """Build a text from pieces, knowing where every identifier is.

    Returns the text, the expected (kind, identifier) in order, and the
    expected replaced text.
    """
    pieces = [
        ("Maya", "name", "[Person 1]"),
        (" rang ", None, None),
        ("Priya Shah", "name", "[Person 2]"),
        (" at ", None, None),
        ("07700 900123", "phone", "[phone 1]"),
        (", then ", None, None),
        ("+44 7700 900123", "phone", "[phone 1]"),  # the same number, so the same pseudonym
        (" and the surgery on ", None, None),
        ("(01632) 960402", "phone", "[phone 2]"),
        (" or ", None, None),
        ("020 7946 0958", "phone", "[phone 3]"),
        (". Write to ", None, None),
        ("priya.shah@example.org", "email", "[email 1]"),
        (" or ", None, None),
        ("M.Okafor@nhs.example.uk", "email", "[email 2]"),
        (". Post to ", None, None),
        ("HW3 7QT", "postcode", "[postcode 1]"),
        (" and ", None, None),
        ("SW1A 1AA", "postcode", "[postcode 2]"),
        (". NHS number ", None, None),
        ("943 476 5919", "nhs_number", "[NHS number 1]"),
        (", written ", None, None),
        ("9434765919", "nhs_number", "[NHS number 1]"),
        (" and ", None, None),
        ("401-023-2137", "nhs_number", "[NHS number 2]"),
        (". She was born on ", None, None),
        ("3 March 1957", "date_of_birth", "[date of birth 1]"),
        ("; his DOB: ", None, None),
        ("12/05/1948", "date_of_birth", "[date of birth 2]"),
        (". Mrs ", None, None),
        ("Shah", "name", "[Person 2 or 3]"),  # two people share the surname
        (" and ", None, None),
        ("Kamala Shah", "name", "[Person 3]"),
        (" met ", None, None),
        ("Okafor", "name", "[Person 1]"),
        (" and ", None, None),
        ("Maya", "name", "[Person 1]"),
        ("'s friend ", None, None),
        ("Will", "name", "[Person 4]"),
        (" on the ward.\n", None, None),
        ("Grace", "name", "[Person 5]"),
        (": It was lovely.\n", None, None),
        # Ordinary words and numbers that only look like identifiers.
        ("Will you come? I will. By the grace of God, I hope so. Hope you're well. ", None, None),
        ("We hope, and we will. The price is fair. May I ask about May 2026? ", None, None),
        ("Order 0770090012345, case 12345 678901, number 943 476 5918 and 1234567890 ", None, None),
        ("fail the check. At 00:01:02.500 on 2026-10-06 in ward 7B, B12 and COVID-19 ", None, None),
        ("helped; NHS 111 too. Born in 1957. A maya or a shah is not a name here.", None, None),
    ]
    text = "".join(p for p, _, _ in pieces)
    expected = [(kind, piece) for piece, kind, _ in pieces if kind]
    replaced = "".join(r if r else p for p, _, r in pieces)
    return text, expected, replaced


def test_seeded_text_every_identifier_caught_and_nothing_else():
    text, expected, replaced = seeded()
    p = Pseudonymiser(NAMES)
    found = p.find(text)
    got = [(f.kind, text[f.start : f.end]) for f in found if f.action == "replaced"]
    assert got == expected
    reviews = [text[f.start : f.end] for f in found if f.action == "review"]
    assert reviews == ["Will"]  # "Will you come?": the word, left for a person to check
    assert p.pseudonymise(text) == replaced


def test_positions_of_each_identifier_are_exact():
    text, expected, _ = seeded()
    found = [f for f in Pseudonymiser(NAMES).find(text) if f.action == "replaced"]
    at = 0
    for item, (_kind, piece) in zip(found, expected, strict=True):
        start = text.index(piece, at)
        assert (item.start, item.end) == (start, start + len(piece))
        at = item.end


def test_names_are_case_sensitive_whole_capitalised_words():
    p = Pseudonymiser(["Hope Price", "Ray Mayhew"])
    text = "I hope the price is right. Mayhew's van. Rayleigh and Raymond came. Hope said no."
    got = [(text[f.start : f.end], f.action) for f in p.find(text)]
    assert got == [("Mayhew", "replaced"), ("Hope", "replaced")]


def test_month_names_in_dates_are_not_people():
    p = Pseudonymiser(["May Chen", "June Ellis"])
    text = "In May 2026 and on 4 June we met May, and June Ellis came in June."
    got = [text[f.start : f.end] for f in p.find(text)]
    assert got == ["May", "June Ellis"]


def test_a_speaker_label_is_always_a_name():
    p = Pseudonymiser(["Will Turner"])
    assert p.pseudonymise("Will: Will you sit down?\nWill: Yes.") == (
        "[Person 1]: Will you sit down?\n[Person 1]: Yes."
    )


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("943 476 5919", True),
        ("9434765919", True),
        ("401 023 2137", True),
        ("943 476 5918", False),
        ("1234567890", False),
        ("0000000000", False),
        ("94347659", False),
    ],
)
def test_nhs_number_check_digit(number, valid):
    assert nhs_number_is_valid(number) is valid


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900 123",
        "(01632) 960402",
        "01632 960 402",
        "0117 496 0123",
        "020 7946 0958",
        "0800 123 4567",
        "07700-900-123",
    ],
)
def test_uk_phone_formats(text):
    found = Pseudonymiser().find(f"Call {text} now")
    assert [(f.kind, f.end - f.start) for f in found] == [("phone", len(text))]


@pytest.mark.parametrize(
    "text",
    ["0770090012345", "12345 678901", "2026-10-06", "00:01:02.500", "v0.7700.900123", "077009"],
)
def test_phone_like_numbers_that_are_not_phones(text):
    assert Pseudonymiser().find(f"Ref {text} here") == []


def test_the_same_value_keeps_its_pseudonym_across_texts():
    p = Pseudonymiser(["Maya Okafor"])
    first = p.pseudonymise("Maya: ring 07700 900123.")
    second = p.pseudonymise("Okafor left 07700900123 and 01632 960402.")
    assert first == "[Person 1]: ring [phone 1]."
    assert second == "[Person 1] left [phone 1] and [phone 2]."


# --- whole projects ---------------------------------------------------------------------


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory):
    root = tmp_path_factory.mktemp("pseudo")
    source = root / "sample"
    shutil.copytree(tk.sample_project_path(), source)
    (source / "output").mkdir()
    (source / "output" / "report.html").write_text("<p>Maya Okafor</p>")
    before = digest(source)
    names = ["Sam Reid", "Nadia Ferreira", "Kamala Shah", "Martin Cole", "Graham Pike"]
    audit = tk.pseudonymise_project(source, root / "out", names=names, key=root / "key.csv")
    return source, root / "out", audit, before, root / "key.csv"


def test_the_original_project_is_never_changed(pseudonymised):
    source, _out, _audit, before, _key = pseudonymised
    assert digest(source) == before


def test_the_new_project_reads_back_with_spans_that_hold(pseudonymised):
    source, out, _audit, _before, _key = pseudonymised
    original, project = tk.open_project(source), tk.open_project(out)
    assert project.documents["interview_id"].tolist() == original.documents["interview_id"].tolist()
    assert tk.mismatched_spans(project.documents, project.segments).empty
    # The segmentation is unchanged: same number of turns in every interview.
    assert (
        project.segments.groupby("interview_id").size()
        == original.segments.groupby("interview_id").size()
    ).all()
    assert not (out / "output").exists()


def test_identifiers_are_gone_and_pseudonyms_are_consistent(pseudonymised):
    _source, out, _audit, _before, _key = pseudonymised
    project = tk.open_project(out)
    everything = "\n".join(project.documents["text"])
    for identifier in [
        "Maya",
        "Okafor",
        "Priya",
        "priya.shah@example.org",
        "07700 900123",
        "HW3 7QT",
        "943 476 5919",
        "3 March 1957",
        "01632 960 402",
        "Kamala",
        "Sam Reid",
        "Derek Lund",
    ]:
        assert identifier not in everything, identifier
    people = project.participants.set_index("interview_id")
    assert people.loc["int01", "name"] == "[Person 1]"
    # Maya is Person 1 in her own interview (a speaker) and where others mention her.
    segments = project.segments
    assert set(segments.loc[segments["interview_id"] == "int01", "speaker"]) == {
        "Person 1",
        "Person 19",
        "",
    }
    assert "[Person 1]" in project.documents.set_index("interview_id").loc["int03", "text"]
    # The energy tables use the same pseudonyms, so they still join up.
    stakeholders = project.stakeholders.set_index("stakeholder")
    assert stakeholders.loc["[Person 1]", "group"] == "hospital staff"
    assert "[Person 23]" in stakeholders.index  # Graham Pike, from the list of names
    assert "Maya Okafor" not in (out / "connections.csv").read_text()
    assert "Maya Okafor" not in (out / "votes.csv").read_text()


def test_the_audit_is_in_the_new_folder_and_holds_no_originals(pseudonymised):
    _source, out, audit, _before, key = pseudonymised
    saved = pd.read_csv(out / "pseudonymisation-audit.csv", keep_default_na=False)
    assert len(saved) == len(audit) > 100
    assert set(audit["kind"]) >= {"name", "email", "phone", "postcode", "nhs_number"}
    assert "date_of_birth" in set(audit["kind"])
    text = (out / "pseudonymisation-audit.csv").read_text()
    originals = pd.read_csv(key)["original"]
    assert not [o for o in originals if o in text]
    assert not key.is_relative_to(out)


def test_audit_lines_and_columns_point_at_the_replacements(pseudonymised):
    _source, out, audit, _before, _key = pseudonymised
    text_rows = audit[audit["file"].str.endswith((".txt", ".md", ".vtt", ".srt"))]
    for row in text_rows.itertuples():
        line = (out / row.file).read_text(encoding="utf-8").split("\n")[row.line - 1]
        assert line[row.column - 1 :].startswith(row.replacement), row


def test_word_documents_keep_bold_speakers_and_lose_their_author(pseudonymised):
    _source, out, audit, _before, _key = pseudonymised
    document = docx.Document(str(out / "interviews" / "int03.docx"))
    assert document.core_properties.author == ""
    speakers = tk.read_transcripts(out / "interviews" / "int03.docx")["speaker"]
    assert set(speakers) == {"Person 19", "Person 3", ""}
    assert "cleared" in set(audit["action"])


def test_refuses_to_overwrite_or_nest(tmp_path, pseudonymised):
    source = pseudonymised[0]
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x.txt").write_text("keep me")
    with pytest.raises(ProjectError, match="already has files"):
        tk.pseudonymise_project(source, busy)
    with pytest.raises(ProjectError, match="outside the original folder"):
        tk.pseudonymise_project(source, source / "pseudo")
    with pytest.raises(ProjectError, match="key outside"):
        tk.pseudonymise_project(source, tmp_path / "new", key=tmp_path / "new" / "key.csv")
    assert (busy / "x.txt").read_text() == "keep me"
    assert not (tmp_path / "new").exists()


def test_every_fixture_format_is_pseudonymised(tmp_path):
    source = tmp_path / "project"
    (source / "interviews").mkdir(parents=True)
    (source / "project.yml").write_text("name: Fixtures\n")
    for file in DATA.iterdir():
        if file.is_file():
            shutil.copy(file, source / "interviews")
    names = ["Sam Reid", "Joan Marsh", "Ravi Patel", "Grace Mensah", "Imran", "Priya", "Janet"]
    audit = tk.pseudonymise_project(source, tmp_path / "out", names=names)
    project = tk.open_project(tmp_path / "out")
    assert (project.report["status"] == "ok").all()
    assert tk.mismatched_spans(project.documents, project.segments).empty
    everything = "\n".join(project.documents["text"])
    for name in ["Joan", "Ravi", "Grace", "Imran", "Priya", "Janet", "Sam Reid"]:
        assert name not in everything, name
    assert set(audit["file"]) >= {
        "interviews/zoom.vtt",
        "interviews/teams.vtt",
        "interviews/subtitles.srt",
        "interviews/otter.txt",
        "interviews/bold-speaker.docx",
        "interviews/table.docx",
    }
    # Subtitle structure (timings, cue identifiers) is untouched.
    assert "00:00:02.310 --> 00:00:05.820" in (tmp_path / "out/interviews/zoom.vtt").read_text()
    speakers = set(project.segments["speaker"])
    assert {"Person 1", "Person 3"} <= speakers


def test_a_file_that_cannot_be_read_is_left_out(tmp_path):
    source = tmp_path / "project"
    (source / "interviews").mkdir(parents=True)
    (source / "project.yml").write_text("name: Left out\n")
    shutil.copy(DATA / "qa.txt", source / "interviews")
    (source / "interviews" / "scan.pdf").write_bytes(b"%PDF-1.4 Maya Okafor 07700 900123")
    audit = tk.pseudonymise_project(source, tmp_path / "out")
    assert not (tmp_path / "out" / "interviews" / "scan.pdf").exists()
    assert audit.loc[audit["file"] == "interviews/scan.pdf", "action"].tolist() == ["not copied"]


def test_an_identifier_split_across_cues_is_flagged_for_review(tmp_path):
    source = tmp_path / "project"
    (source / "interviews").mkdir(parents=True)
    (source / "project.yml").write_text("name: Split\n")
    (source / "interviews" / "call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: my number is 07700\n\n"
        "00:00:02.000 --> 00:00:03.000\nAnn: 900123 if you need it\n"
    )
    audit = tk.pseudonymise_project(source, tmp_path / "out")
    review = audit[audit["action"] == "review"]
    assert review[["kind", "field"]].values.tolist() == [["phone", "document text"]]


def test_codings_offsets_follow_the_pseudonymised_text(tmp_path):
    source = tmp_path / "project"
    shutil.copytree(tk.sample_project_path(), source)
    original = tk.open_project(source)
    segments = original.segments
    code = original.codebook.table["code"].iloc[0] if original.codebook is not None else "x"
    rows = []
    for interview_id in ["int01", "int02", "int03"]:
        doc = original.documents.set_index("interview_id").loc[interview_id, "text"]
        start = doc.index("Maya")
        seg = segments[(segments["interview_id"] == interview_id) & (segments["start"] <= start)]
        end = start + 40
        rows.append(
            {
                "interview_id": interview_id,
                "segment_id": seg["segment_id"].iloc[-1],
                "start": start,
                "end": end,
                "code": code,
                "memo": "Maya again",
            }
        )
    (source / "codings").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(source / "codings" / "alex.csv", index=False)
    tk.pseudonymise_project(source, tmp_path / "out", names=["Sam Reid"])
    new = pd.read_csv(tmp_path / "out" / "codings" / "alex.csv")
    project = tk.open_project(tmp_path / "out")
    texts = project.documents.set_index("interview_id")["text"]
    old_texts = original.documents.set_index("interview_id")["text"]
    for old_row, new_row in zip(rows, new.itertuples(), strict=True):
        before = old_texts[old_row["interview_id"]][old_row["start"] : old_row["end"]]
        after = texts[new_row.interview_id][new_row.start : new_row.end]
        assert after.startswith("[Person 1]")
        assert Pseudonymiser(["Maya Okafor", "Sam Reid"]).pseudonymise(before) == after
    assert new["memo"].tolist() == ["[Person 1] again"] * 3


def test_cli_anonymise(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli

    names = tmp_path / "names.txt"
    names.write_text("Sam Reid\nNadia Ferreira\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "anonymise",
            str(tk.sample_project_path()),
            str(out),
            "--names-file",
            str(names),
            "--name",
            "Kamala Shah",
            "--key",
            str(tmp_path / "key.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "NHS number" not in result.output or "nhs number" in result.output
    assert "pseudonymisation-audit.csv" in result.output
    assert (out / "pseudonymisation-audit.csv").is_file() and (tmp_path / "key.csv").is_file()
    assert tk.open_project(out).settings["pseudonymised"] is True
    again = CliRunner().invoke(cli, ["anonymise", str(tk.sample_project_path()), str(out)])
    assert again.exit_code == 1 and "already has files" in again.output


def test_the_sample_codings_still_cover_the_same_words(pseudonymised):
    source, out, _audit, _before, _key = pseudonymised
    original, project = tk.open_project(source), tk.open_project(out)
    if original.codings.empty:
        pytest.skip("the sample project has no codings yet")
    old_texts = original.documents.set_index("interview_id")["text"]
    new_texts = project.documents.set_index("interview_id")["text"]
    listed = ["Sam Reid", "Nadia Ferreira", "Kamala Shah", "Martin Cole", "Graham Pike"]
    # People named only on the stakeholder map or the dot votes are replaced too.
    energy = ["Susan Marsh", "Fiona Grant", "Marcia Brown", "Kemi Adebayo"]
    p = Pseudonymiser([*original.participants["name"].dropna(), *listed, *energy])
    old_rows = original.codings.sort_values(["coder", "interview_id", "start", "code"])
    new_rows = project.codings.sort_values(["coder", "interview_id", "start", "code"])
    assert len(old_rows) == len(new_rows)
    for old, new in zip(old_rows.itertuples(), new_rows.itertuples(), strict=True):
        before = old_texts[old.interview_id][int(old.start) : int(old.end)]
        after = new_texts[new.interview_id][int(new.start) : int(new.end)]
        assert p.pseudonymise(before) == after


def test_a_phone_number_followed_by_another_number_is_still_caught():
    text = "Ring 07700 900123 456 times if you must."
    found = Pseudonymiser().find(text)
    assert [(f.kind, text[f.start : f.end]) for f in found] == [("phone", "07700 900123")]


# --- everyone the folder names, and whole speaker labels ------------------------------------


def every_file_text(folder: Path) -> dict[str, str]:
    """Every file's text: Word documents paragraph by paragraph, with their properties."""
    texts = {}
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        if file.suffix == ".docx":
            document = docx.Document(str(file))
            props = document.core_properties
            words = [props.author or "", props.last_modified_by or "", props.comments or ""]
            paragraphs = [p.text for p in document.paragraphs]
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            texts[file.relative_to(folder).as_posix()] = "\n".join(words + paragraphs + cells)
        else:
            texts[file.relative_to(folder).as_posix()] = file.read_bytes().decode("utf-8")
    return texts


def test_people_named_only_in_the_energy_tables_are_replaced_in_every_file(tmp_path):
    source = tk.sample_project_path()
    participants = set(pd.read_csv(source / "participants.csv")["name"])
    stakeholders = pd.read_csv(source / "stakeholders.csv")
    votes = pd.read_csv(source / "votes.csv")
    # The sample's stakeholder map names people who were never interviewed, and the
    # interviews mention them: Graham Pike (a director) and Kemi Adebayo (a nurse who voted).
    assert "Graham Pike" in set(stakeholders["stakeholder"]) - participants
    assert "Kemi Adebayo" in set(votes["participant"]) - participants
    assert "Graham Pike" in (source / "interviews" / "int01.txt").read_text(encoding="utf-8")
    assert "Kemi" in (source / "interviews" / "int01.txt").read_text(encoding="utf-8")
    audit = tk.pseudonymise_project(source, tmp_path / "out", key=tmp_path / "key.csv")
    key = pd.read_csv(tmp_path / "key.csv")
    names = key.loc[key["kind"] == "name", "original"].tolist()
    assert {"Graham Pike", "Susan Marsh", "Kemi Adebayo", "Sam Reid"} <= set(names)
    assert "Breathe Easy Hartwell" not in names  # a group (a site in participants.csv)
    words = {w for name in names for w in name.split()} | set(names)
    texts = every_file_text(tmp_path / "out")
    assert len(texts) > 30
    left = {
        (file, word)
        for file, text in texts.items()
        for word in words
        if re.search(rf"(?<![\w'’-]){re.escape(word)}(?!\w)", text)
    }
    assert left == set()
    # One person, one pseudonym: in the energy tables and the interviews alike.
    pike = key.set_index("original").loc["Graham Pike", "replacement"]
    project = tk.open_project(tmp_path / "out")
    assert pike in set(project.stakeholders["stakeholder"])
    assert pike in set(project.connections["target"])
    assert pike in project.documents.set_index("interview_id").loc["int01", "text"]
    kemi = key.set_index("original").loc["Kemi Adebayo", "replacement"]
    assert kemi in set(project.votes["participant"])
    assert kemi in project.documents.set_index("interview_id").loc["int01", "text"]
    assert set(project.connections["source"]) <= set(project.stakeholders["stakeholder"])
    assert "pseudonymised: true" in texts["project.yml"]
    # Names in the codebook's rules become pseudonyms too, so the rules code the same turns.
    assert audit.loc[audit["file"] == "codebook.yml", "field"].str.contains("regex").any()
    assert (audit["action"] != "review").all()
    original = tk.open_project(source)
    before = tk.autocode(original.segments, original.codebook)["code"].value_counts()
    after = tk.autocode(project.segments, project.codebook)["code"].value_counts()
    assert after.to_dict() == before.to_dict()


def test_an_energy_table_entry_that_is_not_a_name_is_left_for_review(tmp_path):
    source = tmp_path / "project"
    (source / "interviews").mkdir(parents=True)
    (source / "project.yml").write_text("name: Map\n")
    (source / "interviews" / "int01.txt").write_text(
        "Interviewer: Who helps?\nAnn: Dr Ruth van Dijk, and the Ward manager. And Age UK.\n"
    )
    (source / "participants.csv").write_text("interview_id,name,site\nint01,Ann Lee,Age UK\n")
    (source / "stakeholders.csv").write_text(
        "stakeholder,group,influence,interest,energy\n"
        "Dr Ruth van Dijk,GP practice,4,4,2\nWard manager,hospital,3,3,1\n"
        "Age UK,charity,2,4,2\nAnn Lee,patient,1,5,2\n"
    )
    audit = tk.pseudonymise_project(source, tmp_path / "out")
    text = (tmp_path / "out" / "interviews" / "int01.txt").read_text()
    assert text == (
        "Interviewer: Who helps?\n[Person 1]: Dr [Person 2], and the Ward manager. And Age UK.\n"
    )
    review = audit[audit["action"] == "review"]
    assert review[["file", "line", "field"]].values.tolist() == [
        ["stakeholders.csv", 3, "stakeholder"]  # "Ward manager": perhaps a person, so check
    ]


def test_a_focus_group_label_with_an_initial_becomes_the_pseudonym(tmp_path):
    # MAXQDA's focus-group layout labels turns "Lisa B.:" (tests/data/people/README.md).
    source = Path(__file__).parent / "data" / "people" / "focus-group"
    before = tk.who_spoke(tk.open_project(source))
    tk.pseudonymise_project(source, tmp_path / "out")
    out = tmp_path / "out"
    text = (out / "interviews" / "fg01.txt").read_text(encoding="utf-8")
    assert "Lisa" not in text and " B.:" not in text
    assert text.count("\n[Person 2]: ") == 2
    people = pd.read_csv(out / "participants.csv", keep_default_na=False)
    assert people.loc[people["name"] == "[Person 2]", "speaker"].tolist() == ["[Person 2]"]
    after = tk.who_spoke(tk.open_project(out))
    # The reader still sees Lisa's turns as hers, and nobody is lost or gained.
    fg01 = tk.open_project(out).segments["interview_id"] == "fg01"
    speakers = set(tk.open_project(out).segments.loc[fg01, "speaker"])
    assert {"Moderator", "Person 2", "Person 3", "Person 4"} <= speakers
    assert len(after.people) == len(before.people)
    assert (after.person == before.person).all()
    assert after.interviewers.unused == ()
    lisa = after.people.index[after.people["name"] == "[Person 2]"][0]
    assert (after.person == lisa).sum() == 2


def test_a_first_name_with_the_surname_initial_is_replaced_whole():
    p = Pseudonymiser(["Lisa Brennan", "Maya Okafor"])
    text = "Lisa B. said so. Okafor M. agreed. Lisa A. did not. Maya B. is another."
    assert p.pseudonymise(text) == (
        "[Person 1] said so. [Person 2] agreed. [Person 1] A. did not. [Person 2] B. is another."
    )
    assert p.add_name("Maya") == "[Person 2]" and len(p.people) == 2  # the same person
