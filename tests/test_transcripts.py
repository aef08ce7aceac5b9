"""Reading transcripts: every real format, positions, participants and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import tables
from toolkit.errors import TranscriptError
from toolkit.model.participants import merge_participants

DATA = Path(__file__).resolve().parent / "data" / "transcripts"
BAD = DATA / "bad"


def turns(name: str, **options) -> list[tuple[str, str]]:
    segments = tk.read_transcripts(DATA / name, **options)
    return list(zip(segments["speaker"], segments["text"], strict=True))


def spans_hold(corpus: tk.Corpus) -> None:
    assert tk.mismatched_spans(corpus.documents, corpus.segments).empty
    for _, group in corpus.segments.groupby("interview_id"):
        assert group["segment_id"].tolist() == list(range(1, len(group) + 1))
        assert (group["start"] < group["end"]).all()
        assert group["start"].is_monotonic_increasing


# --- every fixture, and the sample project -----------------------------------


def test_every_good_fixture_loads_and_its_spans_point_at_its_text():
    corpus = tk.read_corpus(DATA, recursive=False)
    assert (corpus.report["status"] == "ok").all(), corpus.report
    assert len(corpus.report) == len([p for p in DATA.iterdir() if p.is_file()])
    spans_hold(corpus)
    assert corpus.segments.columns.tolist() == tables.SEGMENTS.names


def test_sample_project_has_every_interview_and_survey_response(sample):
    ids = set(sample.documents["interview_id"])
    assert {f"int{n:02d}" for n in range(1, 19)} <= ids
    assert {f"s{n:02d}" for n in range(1, 31)} <= ids
    assert set(sample.segments["interview_id"]) == ids
    assert (sample.report.loc[sample.report["kind"] != "participants", "status"] == "ok").all()
    spans_hold(tk.Corpus(sample.documents, sample.segments))


def test_sample_interviews_have_interviewer_and_participant_turns(sample):
    interviews = sample.segments[sample.segments["interview_id"].str.startswith("int")]
    speakers = interviews[interviews["speaker"] != ""].groupby("interview_id")["speaker"]
    assert (speakers.nunique() == 2).all()
    assert (interviews.groupby("interview_id").size() > 20).all()


# Codings are stored as offsets into these segments: the segmentation must not drift.
# If a sample interview is edited on purpose, update these counts (and the codings).
SAMPLE_SEGMENTS = {
    "int01": 33, "int02": 36, "int03": 30, "int04": 31, "int05": 33, "int06": 31,
    "int07": 28, "int08": 29, "int09": 30, "int10": 37, "int11": 47, "int12": 35,
    "int13": 37, "int14": 42, "int15": 34, "int16": 31, "int17": 33, "int18": 33,
}  # fmt: skip


def test_sample_segmentation_is_stable(sample):
    interviews = sample.segments[sample.segments["interview_id"].str.startswith("int")]
    assert interviews.groupby("interview_id").size().to_dict() == SAMPLE_SEGMENTS


def test_sample_formats_are_all_read(sample):
    assert set(sample.documents["format"]) == {
        "text",
        "markdown",
        "otter",
        "docx",
        "webvtt",
        "srt",
        "survey",
    }


# --- plain text and Markdown ----------------------------------------------------


def test_name_labels_and_a_title_with_a_colon():
    got = turns("names.txt")
    assert got[0] == ("", "Hartwell: getting home well. Interview with Joan (fictional).")
    assert got[1:4] == [
        ("Sam", "Thank you for seeing me."),
        ("Joan", "You're welcome. Come in out of the rain."),
        ("Sam", "What went well when you came home?"),
    ]
    # A turn keeps its line break; a paragraph with no label has no speaker.
    assert got[4] == ("Joan", "The nurse rang me.\nShe said she'd come at nine, and she did.")
    assert got[5] == ("", "(The recording paused here.)")
    assert got[6] == ("Joan", "Anyway: that's what I remember.")


@pytest.mark.parametrize(
    ("name", "speakers"),
    [
        ("qa.txt", ["Q", "A", "Q", "A"]),
        ("roles.txt", ["Interviewer", "Participant", "Interviewer", "Participant"]),
        ("brackets.txt", ["Int2", "P1", "Int2", "P1"]),
    ],
)
def test_role_labels(name, speakers):
    assert [s for s, _ in turns(name)] == speakers


def test_markdown_bold_speakers_and_heading():
    got = turns("markdown.md")
    assert got == [
        ("", "Interview with Peggy (fictional)"),
        ("Sam", "Hello, Peggy. Are you happy for me to record?"),
        ("Peggy", "Oh, go on."),
        ("Sam", "What helped when you came home?"),
        ("Peggy", "The rails. *And* Doreen next door."),
        ("", "Notes: tea was served."),
    ]


def test_a_label_used_once_is_text_but_a_role_label_is_a_speaker(tmp_path):
    file = tmp_path / "once.txt"
    file.write_text("Sam: Hello.\nSam: Still here?\n\nReflection: I liked it.\nQ: Why?\n")
    assert turns(file) == [
        ("Sam", "Hello."),
        ("Sam", "Still here?"),
        ("", "Reflection: I liked it."),
        ("Q", "Why?"),
    ]


def test_label_alone_on_its_line(tmp_path):
    file = tmp_path / "alone.txt"
    file.write_text("Sam:\nHello there.\n\nMaya:\n\nHi.\n\nSam:\nBye.\n\nMaya:\nBye now.\n")
    assert turns(file) == [
        ("Sam", "Hello there."),
        ("Maya", "Hi."),
        ("Sam", "Bye."),
        ("Maya", "Bye now."),
    ]


@pytest.mark.parametrize("name", ["otter.txt", "otter-notes.md"])
def test_otter_exports(name):
    segments = tk.read_transcripts(DATA / name)
    assert segments["speaker"].tolist() == [
        "",
        "Sam Reid",
        "Grace Mensah",
        "Sam Reid",
        "Unknown Speaker",
    ]
    assert segments["t_start"].tolist()[1:] == [0.0, 7.0, 31.0, 3735.0]
    assert segments["text"].iloc[2].endswith("We phoned his daughter that afternoon.")
    report = tk.read_corpus(DATA / name).report
    assert report.loc[0, "kind"] == "otter"


# --- encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        ("utf16.txt", "utf-16", ("Zoë", "It’s where we meet — every Thursday, 10 till 12.")),
        (
            "cp1252.txt",
            "cp1252",
            ("Renée", "She said “don’t worry” and it cost £9.65 for the lot."),
        ),
        (
            "youtube.vtt",
            "utf-8 with BOM",
            ("Olu", "I came after my first admission — café, chat and a walk."),
        ),
    ],
)
def test_encodings_are_detected_and_reported(name, encoding, expected):
    corpus = tk.read_corpus(DATA / name)
    assert corpus.report.loc[0, "encoding"] == encoding
    assert corpus.documents.loc[0, "encoding"] == encoding
    assert expected in list(zip(corpus.segments["speaker"], corpus.segments["text"], strict=True))
    text = corpus.documents.loc[0, "text"]
    assert "\r" not in text and not text.startswith("\ufeff")


def test_utf16_without_a_byte_order_mark(tmp_path):
    file = tmp_path / "nobom.txt"
    file.write_bytes("Sam: Hello\nAnn: Hi\nSam: Bye\nAnn: Bye\n".encode("utf-16-le"))
    assert turns(file)[1] == ("Ann", "Hi")


def test_text_is_normalised_to_nfc(tmp_path):
    file = tmp_path / "nfd.txt"
    file.write_text("Sam: Cafe\u0301?\r\nRene\u0301e: Oui.\r\nSam: Bon.\r\nRene\u0301e: Oui.\r\n")
    corpus = tk.read_corpus(file)
    assert corpus.segments["text"].iloc[0] == "Café?"
    assert corpus.segments["speaker"].iloc[1] == "Renée"
    spans_hold(corpus)


# --- subtitles ---------------------------------------------------------------------


def test_zoom_vtt_merges_cues_and_keeps_times():
    segments = tk.read_transcripts(DATA / "zoom.vtt")
    assert segments["speaker"].tolist() == ["Sam Reid", "Joan Marsh", "Sam Reid", "Joan Marsh"]
    assert segments["text"].iloc[1] == (
        "Yes, loud and clear. Is it recording? "
        "My grandson set the camera up, so I hope it's working."
    )
    assert segments[["t_start", "t_end"]].iloc[1].tolist() == [6.45, 13.004]
    # A colon inside the speech is not a new speaker.
    assert segments["text"].iloc[3].endswith('She said: "I\'ll pop in at nine."')


def test_cue_merging_can_be_turned_off():
    segments = tk.read_transcripts(DATA / "zoom.vtt", merge_cues=False)
    assert len(segments) == 6
    assert segments["t_start"].tolist() == [2.31, 6.45, 9.5, 13.88, 19.01, 25.99]


def test_document_text_of_a_vtt_is_speaker_turns():
    corpus = tk.read_corpus(DATA / "zoom.vtt")
    text = corpus.documents.loc[0, "text"]
    assert text.startswith("Sam Reid: Hello Joan, can you hear me all right?\n\nJoan Marsh: Yes,")
    assert corpus.documents.loc[0, "format"] == "webvtt"


def test_teams_vtt_with_unclosed_voice_tags_and_entities():
    got = turns("teams.vtt")
    assert got == [
        ("Sam Reid", "Thanks for joining on Teams, Ravi. Is it OK to record?"),
        (
            "Ravi Patel",
            "Yes, that's fine. Fish & chips Friday is when we do the welfare calls. "
            "Every week, without fail.",
        ),
        ("Sam Reid", "What makes that work?"),
    ]


def test_youtube_vtt_with_style_block_bom_and_classes():
    corpus = tk.read_corpus(DATA / "youtube.vtt")
    text = corpus.documents.loc[0, "text"]
    assert "::cue" not in text and "Captions for" not in text and "<c" not in text
    assert corpus.segments["speaker"].tolist() == ["Presenter", "Olu", "Presenter"]
    assert corpus.segments["text"].iloc[0] == (
        "Welcome to Breathe Easy Hartwell. We meet every Tuesday at the library."
    )


def test_youtube_automatic_captions_drop_repeated_lines():
    assert [t for _, t in turns("youtube-auto.vtt")] == [
        "welcome to the lunch club",
        "we meet on Thursdays",
    ]


def test_srt_speaker_carries_on_until_the_next_label():
    segments = tk.read_transcripts(DATA / "subtitles.srt")
    assert segments["speaker"].tolist() == ["Sam", "Imran", "Sam"]
    assert (
        segments["text"].iloc[0]
        == "Thanks for seeing me, Imran. Quick check: happy to be recorded?"
    )
    assert segments["text"].iloc[1] == (
        "Yes, of course. We ring people two days after discharge to check their medicines."
    )
    assert segments[["t_start", "t_end"]].iloc[1].tolist() == [6.9, 13.45]


def test_srt_without_merging_carries_the_speaker_to_each_cue():
    segments = tk.read_transcripts(DATA / "subtitles.srt", merge_cues=False)
    assert segments["speaker"].tolist() == ["Sam", "Sam", "Imran", "Imran", "Sam"]


# --- Word --------------------------------------------------------------------------


def test_docx_with_bold_speakers():
    got = turns("bold-speaker.docx")
    assert got[:2] == [
        ("", "Interview 3 (fictional)"),
        ("", "Recorded at home in Millbrook. All names are invented."),
    ]
    assert got[2:] == [
        ("Sam", "Thank you for seeing me, Priya."),
        ("Priya", "That's fine. Mum's having her nap."),
        ("Sam", "What went well when she came home?"),
        ("Priya", "The ward rang at nine the night before."),
        ("Sam", "How did that feel?\nTake your time."),
        ("Priya", "Like someone had finally joined the dots."),
    ]


def test_docx_with_a_speaker_table():
    got = turns("table.docx")
    assert got == [
        ("", "Interview 6 (fictional). Social prescribing."),
        ("Sam", "Quick check: happy to be recorded?"),
        ("Janet", "Absolutely. Go for it."),
        ("Sam", "What does a good week look like?"),
        ("Janet", "The Tuesday huddle. Everyone in one room."),
        ("", "[inaudible]"),
        ("", "End of recording."),
    ]


def test_docx_with_plain_labels():
    assert [s for s, _ in turns("labels.docx")] == ["", "Sam", "Lucy", "Sam", "Lucy"]


# --- survey responses -----------------------------------------------------------------


def test_survey_csv_one_document_per_response_and_attributes():
    corpus = tk.read_corpus(DATA / "survey.csv")
    assert corpus.documents["interview_id"].tolist() == ["r01", "r02", "r04"]
    assert corpus.documents["source"].tolist()[0] == "survey.csv, row 2"
    assert corpus.segments["text"].iloc[1] == (
        "Mum came home on a Thursday and the carers started the same afternoon.\nIt just worked."
    )
    assert corpus.segments["segment_id"].tolist() == [1, 1, 1]
    # Every respondent is a participant, even one who left the text empty.
    assert corpus.participants.columns.tolist() == ["interview_id", "submitted", "role", "area"]
    assert corpus.participants["interview_id"].tolist() == ["r01", "r02", "r03", "r04"]
    assert "1 empty response skipped" in corpus.report.loc[0, "detail"]
    spans_hold(corpus)


def test_survey_xlsx_with_detected_columns():
    corpus = tk.read_corpus(DATA / "survey.xlsx")
    assert corpus.documents["interview_id"].tolist() == ["x1", "x2", "x3"]
    assert corpus.documents["source"].tolist()[2] == "survey.xlsx, row 5"
    assert corpus.participants.columns.tolist() == ["interview_id", "Age band", "Area"]
    assert "column 'What went well?'" in corpus.report.loc[0, "detail"]


def test_survey_columns_can_be_named():
    corpus = tk.read_corpus(DATA / "survey.csv", id_column="area", text_column="response")
    assert corpus.documents["interview_id"].tolist() == ["Eastfield", "Millbrook", "Riverside"]
    assert "response_id" in corpus.participants.columns


def test_read_survey_directly():
    corpus = tk.read_survey(DATA / "survey.xlsx", text_column="What went well?")
    assert len(corpus.documents) == 3


def test_a_survey_whose_responses_are_all_empty_gives_no_documents(tmp_path):
    (tmp_path / "empty.csv").write_text("id,text\nr1,\nr2,\n")
    corpus = tk.read_survey(tmp_path / "empty.csv")
    assert corpus.documents.empty and corpus.segments.empty
    assert corpus.participants["interview_id"].tolist() == ["r1", "r2"]
    assert "2 empty responses skipped" in corpus.report.loc[0, "detail"]
    assert tables.conforms(corpus.segments, "segments")


def test_a_survey_header_that_repeats_a_column(tmp_path):
    from openpyxl import Workbook

    from toolkit.io.surveys import survey_table

    (tmp_path / "twice.csv").write_text("id,text,Code,Code\nr1,Kind staff,staff,kind\n")
    with pytest.raises(TranscriptError, match=r"twice.csv, line 1.*'Code' appears twice"):
        tk.read_survey(tmp_path / "twice.csv")  # a plain survey still refuses it
    book = Workbook()
    book.active.append(["id", "text", "Code", "Code", None])
    book.active.append(["r1", "Kind staff", "staff", "kind", None])
    book.save(tmp_path / "twice.xlsx")
    raw = (tmp_path / "twice.xlsx").read_bytes()
    table, encoding = survey_table(tmp_path / "twice.xlsx", raw, repeated=True)
    assert encoding == "xlsx" and list(table.columns) == ["id", "text", "Code", "Code.1"]
    assert table.attrs["repeated"] == {"Code.1": "Code"} and table.attrs["rows"] == [2]


# --- every reader returns the tables' schemas ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [DATA, DATA / "zoom.vtt", DATA / "subtitles.srt", DATA / "survey.xlsx", BAD],
    ids=lambda p: p.name,
)
def test_readers_return_exactly_the_documents_and_segments_schemas(path):
    corpus = tk.read_corpus(path, recursive=False)
    assert tables.conforms(corpus.documents, "documents"), corpus.documents.dtypes
    assert tables.conforms(corpus.segments, "segments"), corpus.segments.dtypes
    assert tables.conforms(corpus.participants, "participants")
    assert tables.conforms(tk.read_transcripts(path, recursive=False), "segments")


def test_read_survey_and_segment_text_return_the_schemas():
    corpus = tk.read_survey(DATA / "survey.csv")
    assert tables.conforms(corpus.documents, "documents")
    assert tables.conforms(corpus.segments, "segments")
    assert tables.conforms(corpus.participants, "participants")
    from toolkit.io.text import segment_text

    assert tables.conforms(segment_text("Sam: Hello.\n\nAsha: Hi.", "int01"), "segments")
    assert tables.conforms(segment_text("  ", "int01"), "segments")


def test_an_empty_corpus_has_the_schemas():
    corpus = tk.Corpus()
    assert tables.conforms(corpus.documents, "documents")
    assert tables.conforms(corpus.segments, "segments")
    assert tables.conforms(corpus.participants, "participants")


def test_read_transcripts_takes_read_corpus_keywords_only():
    import inspect

    corpus_options = inspect.signature(tk.read_corpus).parameters
    options = inspect.signature(tk.read_transcripts).parameters
    assert list(options) == list(corpus_options)
    with pytest.raises(TypeError):
        tk.read_transcripts(DATA / "zoom.vtt", merge=False)


def test_read_transcripts_shows_read_corpus_parameters_with_their_defaults():
    import inspect

    corpus = inspect.signature(tk.read_corpus)
    segments = inspect.signature(tk.read_transcripts)
    assert segments.parameters == corpus.parameters
    assert "DataFrame" in str(segments.return_annotation)
    assert "merge_cues\n" in tk.read_transcripts.__doc__
    path = DATA / "zoom.vtt"
    assert tk.read_transcripts(path, True, merge_cues=False).equals(
        tk.read_corpus(path, True, merge_cues=False).segments
    )
    with pytest.raises(TypeError):
        tk.read_transcripts(path, True, False)  # the options are keywords only


@pytest.mark.parametrize(
    ("kind", "text", "words"),
    [
        (
            "SubRip",
            "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n",
            ["expected 2 cues (one per timing line), but could read only 1", "then its number"],
        ),
        (
            "WebVTT",
            "00:00:01.000 --> 00:00:02.000\nHello\n",
            ["expected a well-formed WebVTT file, but the parser stopped", "optional identifier"],
        ),
    ],
)
def test_cues_webvtt_py_cannot_make_out_are_named_with_the_cue_layout(kind, text, words):
    from toolkit.io.subtitles import _webvtt_py_cues

    with pytest.raises(TranscriptError) as info:
        _webvtt_py_cues(text, Path("talk.srt"), kind)
    message = str(info.value)
    assert "talk.srt" in message
    assert "each cue needs a blank line before it" in message
    for word in words:
        assert word in message


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "words"),
    [
        ("empty.txt", {}, ["empty.txt", "the file is empty", "How to fix"]),
        ("renamed-pdf.txt", {}, ["renamed-pdf.txt", "found a PDF", "How to fix"]),
        ("interview.doc", {}, ["interview.doc", "'.doc'", "save it as a Word document (.docx)"]),
        ("broken-times.vtt", {}, ["broken-times.vtt, line 8", "00:00:05,000", "comma"]),
        ("not-a-zip.docx", {}, ["not-a-zip.docx", "zip package", "rename the file to .txt"]),
        (
            "survey-no-text.csv",
            {"text_column": "response"},
            ["survey-no-text.csv, line 1", "column 'response'", "'role'", "How to fix"],
        ),
        ("survey-no-text.csv", {}, ["line 1", "free-text responses", "text_column"]),
        (
            "survey-duplicate-ids.csv",
            {},
            ["survey-duplicate-ids.csv, row 4", "'r01' is also in row 2", "How to fix"],
        ),
    ],
)
def test_a_bad_file_raises_a_clear_error(name, options, words):
    with pytest.raises(TranscriptError) as info:
        tk.read_transcripts(BAD / name, **options)
    message = str(info.value)
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("Sam: hello\n", ["line 1", "WEBVTT"]),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n", ["line 1", "rename the file to .srt"]),
        ("WEBVTT\n\nNOTE nothing here\n", ["no", "cues"]),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHi\n", ["line 3", "ends before it starts"]),
        ("WEBVTT\n\n00:00:75.000 --> 00:01:20.000\nHi\n", ["line 3", "59 or less"]),
        ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", ["found none"]),
        ("WEBVTT\n\n00:01.000 --> 00.02.000\nHi\n", ["line 3", "not a cue timing line"]),
    ],
)
def test_bad_vtt_files(tmp_path, content, words):
    file = tmp_path / "bad.vtt"
    file.write_text(content)
    with pytest.raises(TranscriptError) as info:
        tk.read_corpus(file)
    for word in words:
        assert word in str(info.value)


def test_bad_srt_timing_names_the_line(tmp_path):
    file = tmp_path / "bad.srt"
    file.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:0x,000 --> 00:00:04,000\nHo\n"
    )
    with pytest.raises(TranscriptError, match=r"bad\.srt, line 6"):
        tk.read_corpus(file)


def test_binary_and_blank_text(tmp_path):
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "blank.md").write_text("  \n\n \t\n")
    (tmp_path / "word.txt").write_bytes((DATA / "table.docx").read_bytes())
    for name, words in [
        ("blob.txt", "binary data"),
        ("blank.md", "only blank space|is empty"),
        ("word.txt", "zip package"),
    ]:
        with pytest.raises(TranscriptError, match=words):
            tk.read_corpus(tmp_path / name)


def test_missing_path():
    with pytest.raises(TranscriptError, match="nothing at this path"):
        tk.read_corpus(DATA / "missing.txt")


def test_a_folder_loads_the_good_files_and_reports_each_bad_one(tmp_path):
    shutil.copy(DATA / "zoom.vtt", tmp_path)
    shutil.copy(DATA / "qa.txt", tmp_path)
    for bad in BAD.iterdir():
        shutil.copy(bad, tmp_path)
    corpus = tk.read_corpus(tmp_path)
    assert sorted(corpus.documents["interview_id"]) == ["qa", "zoom"]
    errors = corpus.report[corpus.report["status"] == "error"]
    assert sorted(errors["file"]) == sorted(p.name for p in BAD.iterdir())
    assert all("How to fix" in d for d in errors["detail"])
    assert len(corpus.errors) == len(errors)
    with pytest.raises(TranscriptError):
        tk.read_corpus(tmp_path, strict=True)


def test_duplicate_interview_ids_across_files(tmp_path):
    shutil.copy(DATA / "qa.txt", tmp_path / "int01.txt")
    shutil.copy(DATA / "zoom.vtt", tmp_path / "int01.vtt")
    corpus = tk.read_corpus(tmp_path)
    assert corpus.documents["source"].tolist() == ["int01.txt"]
    error = corpus.report.set_index("file").loc["int01.vtt"]
    assert error["status"] == "error"
    assert "'int01' is also the id of int01.txt" in error["detail"]
    assert "rename one of the files" in error["detail"]


def test_a_survey_id_that_clashes_with_a_transcript(tmp_path):
    shutil.copy(DATA / "qa.txt", tmp_path / "a.txt")
    (tmp_path / "z.csv").write_text("id,text\nb,one answer here\na,another answer here\n")
    corpus = tk.read_corpus(tmp_path)
    # The report's row names the file; its detail says where in it, without naming it again.
    assert corpus.report.set_index("file").loc["z.csv", "detail"].startswith("row 3: expected")


def test_hidden_and_lock_files_are_skipped(tmp_path):
    shutil.copy(DATA / "qa.txt", tmp_path)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "~$table.docx").write_bytes(b"lock")
    assert tk.read_corpus(tmp_path).report["file"].tolist() == ["qa.txt"]


def test_input_files_are_not_modified(tmp_path):
    target = tmp_path / "in"
    shutil.copytree(DATA, target)
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    tk.read_corpus(target)
    assert before == {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}


# --- participants -------------------------------------------------------------------------


def test_check_participants_names_both_kinds_of_gap():
    documents = pd.DataFrame({"interview_id": ["int01", "int02", "int03"]})
    participants = pd.DataFrame({"interview_id": ["int01", "int03", "int09"]})
    problems = tk.check_participants(documents, participants)
    assert problems[["interview_id", "problem"]].values.tolist() == [
        ["int02", "no participant row"],
        ["int09", "no transcript"],
    ]


def test_project_report_names_missing_participants(sample_copy):
    with (sample_copy / "participants.csv").open("a", encoding="utf-8") as fh:
        fh.write("int19,Ada Lovell,nurse,hospital staff,Hartwell General,text,2026-11-02\n")
    shutil.copy(DATA / "qa.txt", sample_copy / "interviews" / "int20.txt")
    project = tk.open_project(sample_copy)
    warnings = project.report[project.report["kind"] == "participants"]
    assert set(warnings["interview_id"]) == {"int19", "int20"}
    assert all(warnings["status"] == "warning")
    assert any("int20 has a transcript but no row" in d for d in warnings["detail"])
    assert any(
        "int19 has a row in participants.csv but no transcript" in d for d in warnings["detail"]
    )


def test_survey_respondents_join_the_participants(sample):
    people = sample.participants.set_index("interview_id")
    assert len(people) == 48
    assert people.loc["s01", "kind"] == "survey" and people.loc["int01", "kind"] == "interview"
    assert people.loc["s01", "age_band"] == "65-74"
    assert people.loc["int01", "age_band"] == ""
    assert people.loc["int01", "group"] == "hospital staff"


def test_merge_participants_fills_blanks_for_known_ids():
    people = pd.DataFrame({"interview_id": ["s01"], "role": [""]})
    survey = pd.DataFrame({"interview_id": ["s01"], "role": ["carer"]})
    merged = merge_participants(people, survey)
    assert merged.values.tolist() == [["s01", "carer", "interview"]]


def test_merged_participants_have_interview_id_first():
    people = pd.DataFrame({"role": ["nurse"], "interview_id": ["int01"]})
    survey = pd.DataFrame({"interview_id": ["s01"], "area": ["Eastfield"]})
    merged = merge_participants(people, survey)
    assert merged.columns.tolist() == ["interview_id", "role", "area", "kind"]
    assert tables.conforms(merged, "participants")


def test_interview_settings_in_project_yml(tmp_path):
    (tmp_path / "project.yml").write_text(
        "name: Survey test\nsettings:\n  interviews:\n"
        "    id_column: area\n    text_column: response\n"
    )
    (tmp_path / "interviews").mkdir()
    shutil.copy(DATA / "survey.csv", tmp_path / "interviews")
    project = tk.open_project(tmp_path)
    assert project.documents["interview_id"].tolist() == ["Eastfield", "Millbrook", "Riverside"]
    (tmp_path / "project.yml").write_text("name: x\nsettings:\n  interviews:\n    colour: red\n")
    with pytest.raises(tk.ProjectError, match="interviews"):
        tk.open_project(tmp_path)


# --- a property: positions hold for any transcript ----------------------------------------

_word = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
)
_name = st.sampled_from(["Sam", "Maya Okafor", "Zoë", "[P1]", "Interviewer", "Dr Ruth Adeyemi"])


@settings(max_examples=60, deadline=None)
@given(
    turns_=st.lists(
        st.tuples(_name, st.lists(_word, min_size=1, max_size=6)), min_size=1, max_size=8
    ),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    fmt=st.sampled_from(["txt", "vtt", "srt"]),
)
def test_positions_hold_for_generated_transcripts(tmp_path_factory, turns_, newline, bom, fmt):
    folder = tmp_path_factory.mktemp("gen")
    lines = [(name, " ".join(words)) for name, words in turns_]
    if fmt == "txt":
        body = "\n\n".join(f"{name}: {text}" for name, text in lines)
    else:
        cues = []
        for i, (name, text) in enumerate(lines, start=1):
            sep = "," if fmt == "srt" else "."
            timing = f"00:00:{i:02d}{sep}000 --> 00:00:{i:02d}{sep}900"
            payload = f"{name}: {text}" if fmt == "srt" else f"<v {name.strip('[]')}>{text}"
            cues.append(f"{i}\n{timing}\n{payload}")
        body = ("WEBVTT\n\n" if fmt == "vtt" else "") + "\n\n".join(cues)
    file = folder / f"t.{fmt}"
    file.write_bytes(("\ufeff" if bom else "").encode() + body.replace("\n", newline).encode())
    try:
        corpus = tk.read_corpus(file)
    except TranscriptError as exc:
        # Text that is only punctuation or cue-like can be rejected, but with a message.
        assert "How to fix" in str(exc)
        return
    spans_hold(corpus)


# --- importing into a project -----------------------------------------------------------


def test_cli_import_creates_a_project_and_reports_each_file(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli

    source = tmp_path / "from-zoom"
    source.mkdir()
    for name in ["zoom.vtt", "teams.vtt", "utf16.txt", "survey.csv"]:
        shutil.copy(DATA / name, source)
    shutil.copy(BAD / "broken-times.vtt", source)
    (source / "participants.csv").write_text("interview_id,role\nzoom,patient\nteams,GP\n")
    target = tmp_path / "project"
    result = CliRunner().invoke(cli, ["import", str(source), str(target)])
    assert result.exit_code == 1, result.output
    assert "error  broken-times.vtt" in result.output and "line 8" in result.output
    assert (
        "imported  zoom.vtt (webvtt, utf-8): 6 cues, speaker labels (Zoom style)" in result.output
    )
    assert "imported  utf16.txt (text, utf-16): 4 segments" in result.output
    assert "now has 6 interviews" in result.output  # zoom, teams, utf16 and 3 survey answers
    assert "utf16 has a transcript but no row in participants.csv" in result.output
    assert "r03" not in result.output  # a survey respondent who left the answer empty
    assert (target / "project.yml").is_file()
    assert sorted(p.name for p in (target / "interviews").iterdir()) == [
        "survey.csv",
        "teams.vtt",
        "utf16.txt",
        "zoom.vtt",
    ]
    assert (target / "participants.csv").read_text().startswith("interview_id,role")
    # Importing again changes nothing and says so.
    (source / "broken-times.vtt").unlink()
    again = CliRunner().invoke(cli, ["import", str(source), str(target)])
    assert again.exit_code == 0, again.output
    assert "unchanged  zoom.vtt" in again.output


def test_import_refuses_a_clashing_file_and_strict_imports_nothing(tmp_path):
    target = tmp_path / "project"
    tk.new_project(target)
    shutil.copy(DATA / "qa.txt", target / "interviews" / "int01.txt")
    source = tmp_path / "more"
    source.mkdir()
    shutil.copy(DATA / "zoom.vtt", source / "int01.vtt")
    shutil.copy(DATA / "roles.txt", source / "int02.txt")
    report = tk.import_interviews(source, target)
    rows = report.set_index("file")
    assert rows.loc["int01.vtt", "status"] == "error"
    assert "'int01' is also the id of int01.txt" in rows.loc["int01.vtt", "detail"]
    assert rows.loc["int02.txt", "status"] == "imported"
    shutil.copy(BAD / "empty.txt", source / "int03.txt")
    with pytest.raises(TranscriptError, match="empty"):
        tk.import_interviews(source, tmp_path / "other", strict=True)
    assert not (tmp_path / "other").exists()


def test_cli_import_of_a_missing_source_is_a_clean_error(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["import", str(tmp_path / "nope"), str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "nothing at this path" in result.output and "Traceback" not in result.output


# --- the fast subtitle reader agrees with webvtt-py ----------------------------------------


def _subtitle_files():
    files = sorted(DATA.glob("*.vtt")) + sorted(DATA.glob("*.srt"))
    files += sorted((tk.sample_project_path() / "interviews").glob("*.vtt"))
    files += sorted((tk.sample_project_path() / "interviews").glob("*.srt"))
    return files


@pytest.mark.parametrize("file", _subtitle_files(), ids=lambda p: p.name)
def test_fast_subtitle_reader_matches_webvtt_py(file):
    from toolkit.io.decoding import decode_transcript
    from toolkit.io.subtitles import _clock_seconds, _quick_cues, _webvtt_py_cues

    kind = "WebVTT" if file.suffix == ".vtt" else "SubRip"
    text = decode_transcript(file.read_bytes(), file, kind)[0]
    fast = _quick_cues(text, kind)
    assert fast is not None, "a well-formed file should take the fast path"
    reference = _webvtt_py_cues(text, file, kind)
    assert len(fast) == len(reference)
    for (a0, a1, lines), (b0, b1, expected) in zip(fast, reference, strict=True):
        assert abs(_clock_seconds(a0) - b0) < 1e-6 and abs(_clock_seconds(a1) - b1) < 1e-6
        assert [x for x in lines if x.strip()] == [x for x in expected if x.strip()]


def test_cues_without_blank_lines_between_them_are_still_read(tmp_path):
    file = tmp_path / "tight.vtt"
    file.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n00:00:02.000 --> 00:00:03.000\nWorld\n"
    )
    segments = tk.read_transcripts(file)
    assert segments["text"].tolist() == ["Hello", "World"]
    assert segments["t_start"].tolist() == [1.0, 2.0]


def test_docx_speaker_bold_through_a_character_style(tmp_path):
    import docx

    document = docx.Document()
    for name, text in [("Sam:", " Hello."), ("Ann:", " Hi."), ("Sam:", " Bye.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(name, style="Strong")
        paragraph.add_run(text)
    document.save(tmp_path / "strong.docx")
    assert turns(tmp_path / "strong.docx") == [("Sam", "Hello."), ("Ann", "Hi."), ("Sam", "Bye.")]


# --- transcription tools' own notes, and Otter's times (issue 15, point 7) -------------

TOOLS = DATA / "tools"


def test_otter_footer_is_left_out_and_end_times_come_from_the_next_turn():
    corpus = tk.read_corpus(TOOLS / "otter-podcast.txt")
    segments = corpus.segments
    spans_hold(corpus)
    assert not segments["text"].str.contains("otter.ai").any()
    assert segments["text"].iloc[-1] == (
        "Dee, thank you so much for coming on. That's all for this week."
    )
    assert segments["speaker"].tolist() == [
        "Priya Shah",
        "Tom Okafor",
        "Priya Shah",
        "Dee Marsh",
        "Unknown Speaker",
        "Tom Okafor",
        "Dee Marsh",
        "Priya Shah",
    ]
    assert segments["t_start"].tolist() == [0.0, 6.0, 14.0, 18.0, 27.0, 31.0, 36.0, 3723.0]
    # Each turn ends when the next starts; Otter does not say when the last one ends.
    assert segments["t_end"].tolist()[:-1] == segments["t_start"].tolist()[1:]
    assert pd.isna(segments["t_end"].iloc[-1])
    assert "left out the transcription tool's note" in corpus.report.loc[0, "detail"]
    # The document keeps the file's text, so every span still points into the file.
    assert corpus.documents.loc[0, "text"].rstrip().endswith("Transcribed by https://otter.ai")


def test_the_footer_is_not_coded_by_rules():
    segments = tk.read_transcripts(TOOLS / "otter-podcast.txt")
    book = tk.Codebook([{"code": "ai", "keywords": ["otter.ai", "transcribed"]}])
    assert tk.autocode(segments, book).empty


def test_a_notice_at_the_top_is_left_out_too():
    corpus = tk.read_corpus(TOOLS / "turboscribe.txt")
    assert corpus.segments["speaker"].tolist() == ["Interviewer", "Daughter"] * 2
    assert not corpus.segments["text"].str.contains("TurboScribe").any()


@pytest.mark.parametrize("name", ["turboscribe.srt", "turboscribe.vtt"])
def test_a_notice_inside_the_first_subtitle_cue_is_left_out(name):
    corpus = tk.read_corpus(TOOLS / name)
    spans_hold(corpus)
    segments = corpus.segments
    assert not corpus.documents.loc[0, "text"].count("TurboScribe")
    assert segments["text"].iloc[0] == "So the day my dad came home,"
    assert segments["t_start"].iloc[0] == 0.51  # the cue keeps its times
    assert "left out the transcription tool's note" in corpus.report.loc[0, "detail"]
    book = tk.Codebook([{"code": "ai", "keywords": ["turboscribe", "go unlimited"]}])
    assert tk.autocode(segments, book).empty


def test_a_notice_before_a_cue_label_leaves_the_label(tmp_path):
    file = tmp_path / "call.srt"
    file.write_text(
        "1\n00:00:00,500 --> 00:00:02,000\n(Transcribed by TurboScribe.ai. Go Unlimited to "
        "remove this message.) Sam: Hello.\n\n2\n00:00:02,000 --> 00:00:04,000\nAnn: Hi.\n\n"
        "3\n00:00:04,000 --> 00:00:05,000\n[Transcribed by Fireflies.ai]\n\n"
        "4\n00:00:05,000 --> 00:00:07,000\nSam: Was it transcribed by otter.ai?\n"
    )
    assert turns(file) == [
        ("Sam", "Hello."),
        ("Ann", "Hi."),
        ("Sam", "Was it transcribed by otter.ai?"),
    ]


@pytest.mark.parametrize(
    "notice",
    [
        "Transcribed by https://otter.ai",
        "(Transcribed by TurboScribe.ai. Go Unlimited to remove this message.)",
        "(Transcribed by Sonix.ai - Remove this message by upgrading your Sonix account today!)",
        "_Transcribed with Cockatoo_",
        "Transcribed by Fireflies.ai",
    ],
)
def test_known_tool_notices_are_left_out_of_plain_text(tmp_path, notice):
    file = tmp_path / "t.txt"
    file.write_text(
        f"Sam: Hello.\n\nAnn: Hi, I'm fine.\n{notice}\n\nSam: Good.\n\nAnn: Yes.\n\n{notice}\n"
    )
    assert turns(file) == [
        ("Sam", "Hello."),
        ("Ann", "Hi, I'm fine."),
        ("Sam", "Good."),
        ("Ann", "Yes."),
    ]


def test_speech_about_a_tool_is_kept(tmp_path):
    file = tmp_path / "t.txt"
    file.write_text(
        "Sam: Was it transcribed?\n\nAnn: Transcribed by otter.ai, I think.\n\n"
        "Sam: Ok.\n\nAnn: Yes.\n"
    )
    assert turns(file)[1] == ("Ann", "Transcribed by otter.ai, I think.")


def test_text_where_few_lines_start_with_a_name_has_no_speakers():
    thread = Path(__file__).resolve().parent / "data" / "refi" / "comment-thread.txt"
    corpus = tk.read_corpus(thread)
    assert set(corpus.segments["speaker"]) == {""}  # no speakers 'Tip', 'UPDATE'
    assert corpus.segments["text"].iloc[2] == "Steph said..."
    assert "too few lines start with a speaker's name" in corpus.report.loc[0, "detail"]


def test_a_transcript_with_a_few_unlabelled_paragraphs_keeps_its_speakers():
    assert {s for s, _ in turns("names.txt")} - {""}
    assert turns("markdown.md")[1][0]
