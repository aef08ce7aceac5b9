"""Coding: rules (fast and plain), coders' files, merging, rules against a coder."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
import toolkit.analysis.autocode.engine as engine
from toolkit.analysis.autocode.engine import autocode_reference
from toolkit.analysis.autocode.sentences import sentence_spans
from toolkit.analysis.rule_evaluation import evaluate_rules
from toolkit.cli import cli
from toolkit.errors import CodingError, ToolkitError
from toolkit.model.codings import (
    CODING_COLUMNS,
    merge_codings,
    read_coder_codings,
    read_codings,
    save_coder_codings,
    validate_codings,
)


def segments_of(*texts: str, interview: str = "int01") -> pd.DataFrame:
    """A segments table whose texts sit in one document, two characters apart."""
    starts = [sum(len(t) + 2 for t in texts[:k]) for k in range(len(texts))]
    return pd.DataFrame(
        {
            "interview_id": interview,
            "segment_id": range(1, len(texts) + 1),
            "speaker": "Maya",
            "start": starts,
            "end": [s + len(t) for s, t in zip(starts, texts, strict=True)],
            "text": list(texts),
        }
    )


BOOK = tk.Codebook(
    [
        {
            "code": "peak",
            "keywords": ["proud*", "at our best"],
            "regex": [r"\bextra mile\b"],
            "not": ["not proud"],
        },
        {"code": "wish", "keywords": ["i wish", "wish:"]},
        {"code": "no_rules", "definition": "Coded by hand only."},
    ]
)


# --- rules ----------------------------------------------------------------------


def test_keywords_are_whole_words_any_case():
    segments = segments_of("PROUDEST day", "unproud", "we were at our\nbest", "At our bestest")
    found = tk.autocode(segments, BOOK, unit="match")
    assert found["segment_id"].tolist() == [1, 3]
    assert found["rule"].tolist() == ["keyword: proud*", "keyword: at our best"]
    # A match across a line break is shown on one line in the memo.
    assert found["memo"].tolist()[1].startswith('matched "at our best" at ')


def test_not_vetoes_the_code_in_its_segment():
    segments = segments_of("I'm not proud of it, but proud of them.", "Proud of them.")
    found = tk.autocode(segments, BOOK)
    assert found["segment_id"].tolist() == [2]


def test_columns_method_coder_and_memo():
    segments = segments_of("Nothing here.", "We went the extra mile and I was proud.")
    found = tk.autocode(segments, BOOK)
    assert list(found.columns) == CODING_COLUMNS
    row = found.iloc[0]
    assert (row["coder"], row["method"], row["code"]) == ("rules", "rule", "peak")
    # The segment is the unit; the memo names the first match and where it is.
    assert (row["start"], row["end"]) == (segments["start"][1], segments["end"][1])
    assert row["rule"] == r"regex: \bextra mile\b"
    assert row["memo"] == f'matched "extra mile" at {15 + 12}-{15 + 22}'


def test_units_sentence_and_match_use_document_offsets():
    text = "It was hard. Then I was proud. I wish for more."
    segments = segments_of("First turn.", text)
    document = "First turn.  " + text
    by_sentence = tk.autocode(segments, BOOK, unit="sentence")
    spans = [document[a:b] for a, b in zip(by_sentence["start"], by_sentence["end"], strict=True)]
    assert spans == ["Then I was proud.", "I wish for more."]
    by_match = tk.autocode(segments, BOOK, unit="match")
    spans = [document[a:b] for a, b in zip(by_match["start"], by_match["end"], strict=True)]
    assert spans == ["proud", "I wish"]


def test_codes_without_rules_and_empty_input():
    assert tk.autocode(segments_of(), BOOK).empty
    assert tk.autocode(segments_of("proud"), tk.Codebook()).empty
    assert list(tk.autocode(segments_of("x"), BOOK).columns) == CODING_COLUMNS


def test_units_may_be_plural():
    segments = segments_of("It was hard. Then I was proud.", "I wish for more.")
    for one, many in (("segment", "segments"), ("sentence", "sentences"), ("match", "matches")):
        expected = tk.autocode(segments, BOOK, unit=one)
        pd.testing.assert_frame_equal(tk.autocode(segments, BOOK, unit=many), expected)
        pd.testing.assert_frame_equal(autocode_reference(segments, BOOK, unit=many), expected)


def test_autocode_project_says_when_the_codebook_has_no_rules(tmp_path, sample):
    codings = tk.autocode_project(sample, unit="matches", progress=False)
    answers = sample.segments[~tk.who_spoke(sample).interviewer]  # interviewers are left out
    pd.testing.assert_frame_equal(
        codings, tk.autocode(answers, sample.codebook, unit="match", progress=False)
    )
    kept = tk.autocode_project(sample, unit="matches", progress=False, keep_interviewers=True)
    pd.testing.assert_frame_equal(
        kept, tk.autocode(sample.segments, sample.codebook, unit="match", progress=False)
    )
    write(tmp_path / "project.yml", "name: Empty\n")
    with pytest.raises(CodingError, match="codebook with rules") as caught:
        tk.autocode_project(tk.open_project(tmp_path))
    assert caught.value.path == tmp_path / "codebook.yml"
    write(tmp_path / "codebook.csv", "code,definition\nwish,A hope\n")
    with pytest.raises(CodingError, match="codebook with rules") as caught:
        tk.autocode_project(tk.open_project(tmp_path))
    assert caught.value.path == tmp_path / "codebook.csv"  # the file the codebook came from


def test_bad_arguments():
    with pytest.raises(CodingError, match="unit"):
        tk.autocode(segments_of("x"), BOOK, unit="paragraph")
    with pytest.raises(CodingError, match="'text'"):
        tk.autocode(pd.DataFrame({"interview_id": ["a"]}), BOOK)
    with pytest.raises(CodingError, match="Codebook"):
        tk.autocode(segments_of("x"), {"code": "a"})


def test_inputs_are_not_changed():
    segments = segments_of("I was proud", "at our best")
    before = segments.copy()
    tk.autocode(segments, BOOK)
    pd.testing.assert_frame_equal(segments, before)


def test_sentences():
    text = "Mr. Shah rang at 9pm! It worked.\nThen home \u2026 and tea."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mr. Shah rang at 9pm!",
        "It worked.",
        "Then home \u2026 and tea.",
    ]
    assert sentence_spans("   ") == []


def test_progress_bar_only_when_asked(capsys):
    tk.autocode(segments_of("proud"), BOOK)
    assert "Coding by rules" not in capsys.readouterr().err
    tk.autocode(segments_of("proud"), BOOK, progress=True)
    assert "Coding by rules" in capsys.readouterr().err


def test_matches_the_plain_way_on_the_sample(sample):
    for unit in ("segment", "match"):
        fast = tk.autocode(sample.segments, sample.codebook, unit=unit)
        plain = autocode_reference(sample.segments, sample.codebook, unit=unit)
        pd.testing.assert_frame_equal(fast, plain)
    documents = sample.documents.set_index("interview_id")["text"]
    for row in fast.itertuples():
        matched = documents[row.interview_id][row.start : row.end]
        assert row.memo.startswith(f'matched "{" ".join(matched.split())[:20]}')


# The property: on any text and codebook, the one-pass scanner finds exactly what
# one `re` search per rule finds.  The alphabet mixes the awkward cases: letters
# whose case folds oddly (İ ı ſ K ς ß), a combining mark, curly quotes, spaces
# other than ' ', emoji, NUL, punctuation inside keywords, and phrases that overlap.

WORDS = [
    "care", "carer", "carers", "home", "proud", "proudest", "ward", "ha", "at", "our",
    "best", "a&e", "café", "İstanbul", "ıi", "ſun", "Kelvin", "ιx", "\u0345x", "straße",
    "volunteer", "extra", "mile", "not", "9pm", "x_y", "Σος", "ǅz", "don’t", "no-one",
]  # fmt: skip
SEPARATORS = [
    " ", " ", " ", "  ", "\n", "\t", "\xa0", ". ", ", ", "\u2019", "-", "&", "\U0001f642",
    "\u2009", "", "\x00", "\u0345", "!\n",
]  # fmt: skip
REGEXES = [
    r"\b{w}\b", r"{w}\s+{v}", r"{w}\w*", r"(?:{w}|{v})", r"\d+", r"^{w}", r"{w}$",
    r"(?-i:{w})", r"{w}[a-z]?", r"{w}.{{0,5}}{v}", r"[^ ]+{w}",
]  # fmt: skip
case = st.sampled_from([str, str.upper, str.title, str.lower, str.swapcase])


@st.composite
def texts(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        parts.append(draw(case)(draw(st.sampled_from(WORDS))))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


@st.composite
def keywords(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
    keyword = " ".join(draw(case)(w) for w in words)
    return keyword + "*" if draw(st.integers(0, 3)) == 0 else keyword


@st.composite
def regexes(draw):
    template = draw(st.sampled_from(REGEXES))
    word, other = (re.escape(draw(st.sampled_from(WORDS))) for _ in range(2))
    return template.format(w=word, v=other)


@st.composite
def codebooks(draw):
    codes = []
    for i in range(draw(st.integers(1, 4))):
        veto = draw(st.integers(0, 3)) == 0
        codes.append(
            {
                "code": f"c{i}",
                "keywords": draw(st.lists(keywords(), max_size=3)),
                "regex": draw(st.lists(regexes(), max_size=2)),
                "not": draw(st.lists(keywords(), min_size=1, max_size=1)) if veto else [],
            }
        )
    return tk.Codebook(codes)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(texts(), min_size=1, max_size=5),
    codebooks(),
    st.sampled_from(["segment", "sentence", "match"]),
    st.sampled_from([1, 40, 1 << 22]),
)
def test_autocode_equals_the_plain_re_loop(texts_, book, unit, chunk):
    segments = segments_of(*texts_)
    old = engine.CHUNK_CHARS
    engine.CHUNK_CHARS = chunk  # several chunks, or one
    try:
        fast = tk.autocode(segments, book, unit=unit)
    finally:
        engine.CHUNK_CHARS = old
    pd.testing.assert_frame_equal(fast, autocode_reference(segments, book, unit=unit))


# --- coders' files -----------------------------------------------------------------

SEGMENTS = segments_of("We were proud.", "I wish for a bus.", "Home at last.")
CODES = tk.Codebook([{"code": "peak"}, {"code": "wish"}, {"code": "home"}])


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_read_coder_file_fills_whole_segments(tmp_path):
    path = write(
        tmp_path / "codings" / "sam.csv",
        "interview_id,segment_id,start,end,code,memo\n"
        "int01,1,,,peak,whole turn\n"
        "int01,2,18,24,wish,\n",
    )
    table = read_coder_codings(path, SEGMENTS, CODES)
    assert list(table.columns) == CODING_COLUMNS
    assert table[["start", "end"]].values.tolist() == [[0, 14], [18, 24]]
    assert set(table["coder"]) == {"sam"} and set(table["method"]) == {"manual"}
    assert table["start"].dtype == "int64"


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ("int01,1,,,joy", ["row 2", "'joy'", "codebook"]),
        ("int01,9,,,peak", ["row 2", "segment 9", "segments 1 to 3"]),
        ("int09,1,,,peak", ["row 2", "no interview 'int09'"]),
        ("int01,1,3,40,peak", ["row 2", "beyond the end of its text", "0 to 14"]),
        ("int01,1,9,4,peak", ["row 2", "runs from 9 to 4"]),
        ("int01,1,,,peak\nint01,2,,,wish\nint01,1,,,peak", ["row 4", "repeats row 2"]),
        ("int01,one,,,peak", ["row 2", "'segment_id'", "'one'"]),
        ("int01,1,,,", ["row 2", "expected a code"]),
    ],
)
def test_bad_coder_files_say_where(tmp_path, rows, words):
    path = write(tmp_path / "sam.csv", "interview_id,segment_id,start,end,code\n" + rows + "\n")
    with pytest.raises(CodingError if "one" not in rows else ToolkitError) as info:
        read_coder_codings(path, SEGMENTS, CODES)
    message = str(info.value)
    assert "sam.csv" in message and "How to fix" in message
    for word in words:
        assert word in message


def test_the_first_bad_row_is_named_when_several_are_bad(tmp_path):
    # Checked a column at a time, but named as if row by row: the first bad row wins (row 5,
    # before the bad offsets and the repeat after it), and within a row the first check
    # (its unknown code, before its missing segment).
    path = write(
        tmp_path / "sam.csv",
        "interview_id,segment_id,start,end,code\n"
        "int01,1,,,peak\n\nint01,2,18,24,wish\nint01,9,,,joy\n"
        "int01,1,3,40,peak\nint01,1,,,peak\n",
    )
    with pytest.raises(CodingError) as info:
        read_coder_codings(path, SEGMENTS, CODES)
    assert "row 5" in str(info.value) and "'joy'" in str(info.value)
    later = "int01,1,,,peak\nint01,1,3,40,peak\nint01,1,,,peak\n"
    path.write_text("interview_id,segment_id,start,end,code\n" + later)
    with pytest.raises(CodingError, match=r"row 3.*beyond the end"):
        read_coder_codings(path, SEGMENTS, CODES)
    path.write_text("interview_id,segment_id,start,end,code\nint01,1,,,peak\nint01,1,0,14,peak\n")
    with pytest.raises(CodingError, match=r"row 3.*repeats row 2"):
        read_coder_codings(path, SEGMENTS, CODES)  # a blank offset is the whole segment


def test_a_negative_offset_names_its_row(tmp_path):
    path = write(
        tmp_path / "sam.csv", "interview_id,segment_id,start,end,code\nint01,1,-1,4,peak\n"
    )
    with pytest.raises(ToolkitError, match=r"row 2.*'start' of 0 or more, but found -1"):
        read_coder_codings(path, SEGMENTS, CODES)


def test_coder_column_must_match_the_file_name(tmp_path):
    path = write(tmp_path / "sam.csv", "interview_id,segment_id,code,coder\nint01,1,peak,nadia\n")
    with pytest.raises(CodingError, match=r"row 2.*'sam'.*'nadia'.*nadia\.csv"):
        read_coder_codings(path)


def test_missing_columns(tmp_path):
    path = write(tmp_path / "sam.csv", "interview,segment_id,code\nint01,1,peak\n")
    with pytest.raises(ToolkitError, match="'interview_id'"):
        read_coder_codings(path)


def coded(*rows, coder="sam"):
    return pd.DataFrame(
        [
            {"interview_id": "int01", "segment_id": s, "start": a, "end": b, "code": c}
            for s, a, b, c in rows
        ]
    ).assign(coder=coder)


def test_save_and_read_back(tmp_path):
    table = coded((1, 0, 14, "peak"), (2, 16, 33, "wish"))
    path = save_coder_codings(table, tmp_path)
    assert path == tmp_path / "sam.csv"
    back = read_coder_codings(path, SEGMENTS, CODES)
    assert back[["segment_id", "code"]].values.tolist() == [[1, "peak"], [2, "wish"]]
    assert [p.name for p in tmp_path.iterdir()] == ["sam.csv"]  # no temporary files left


def test_saving_fewer_codings_keeps_a_backup(tmp_path):
    save_coder_codings(coded((1, 0, 14, "peak"), (2, 16, 33, "wish")), tmp_path)
    save_coder_codings(
        coded((1, 0, 14, "peak"), (2, 16, 33, "wish"), (3, 35, 48, "home")), tmp_path
    )
    assert not (tmp_path / ".backup").exists()  # more codings: nothing to keep
    save_coder_codings(coded((1, 0, 14, "peak")), tmp_path)
    backups = list((tmp_path / ".backup").glob("sam-*.csv"))
    assert len(backups) == 1
    assert len(read_coder_codings(backups[0].rename(tmp_path / ".backup" / "sam.csv"))) == 3
    assert len(read_coder_codings(tmp_path / "sam.csv")) == 1


def test_saving_an_empty_table_still_keeps_the_old_file(tmp_path):
    save_coder_codings(coded((1, 0, 14, "peak")), tmp_path)
    save_coder_codings(coded((1, 0, 14, "peak")).iloc[:0], tmp_path, coder="sam")
    assert len(read_coder_codings(tmp_path / "sam.csv")) == 0
    assert len(list((tmp_path / ".backup").iterdir())) == 1


def test_save_checks_the_coder(tmp_path):
    with pytest.raises(CodingError, match="one coder"):
        save_coder_codings(
            pd.concat([coded((1, 0, 4, "peak")), coded((1, 0, 4, "peak"), coder="jo")]), tmp_path
        )
    with pytest.raises(CodingError, match="coder name"):
        save_coder_codings(coded((1, 0, 4, "peak")), tmp_path, coder="../evil")
    with pytest.raises(CodingError, match="only 'jo'"):
        save_coder_codings(coded((1, 0, 4, "peak")), tmp_path, coder="jo")


def test_read_codings_merges_coders_and_skips_backups(tmp_path):
    save_coder_codings(coded((1, 0, 14, "peak"), (2, 16, 33, "wish")), tmp_path)
    save_coder_codings(coded((1, 0, 14, "peak"), coder="nadia"), tmp_path)
    save_coder_codings(coded((1, 0, 14, "peak")), tmp_path)  # makes a backup
    table = read_codings(tmp_path, SEGMENTS, CODES)
    assert sorted(table["coder"]) == ["nadia", "sam"]
    with pytest.raises(CodingError, match=r"no folder|there is none"):
        read_codings(tmp_path / "nowhere")


def test_merge_keeps_rules_apart_from_people():
    rules = tk.autocode(SEGMENTS, tk.Codebook([{"code": "wish", "keywords": ["i wish"]}]))
    human = coded((2, 16, 33, "wish"))
    merged = merge_codings(human, [rules, human])
    assert sorted(zip(merged["coder"], merged["method"], strict=True)) == [
        ("rules", "rule"),
        ("sam", "manual"),
    ]
    assert merge_codings().empty
    with pytest.raises(CodingError, match="DataFrames"):
        merge_codings("sam.csv")


def test_validate_in_memory_table():
    table = validate_codings(coded((1, None, None, "peak")), SEGMENTS, CODES)
    assert table[["start", "end"]].values.tolist() == [[0, 14]]
    with pytest.raises(CodingError, match="row 2"):
        validate_codings(coded((7, None, None, "peak")), SEGMENTS, CODES)


# --- rules against a coder ------------------------------------------------------------


def test_evaluate_rules_scores_and_differences():
    segments = segments_of("I wish", "I wish too", "No wishes here", "proud")
    book = tk.Codebook([{"code": "wish", "keywords": ["i wish"]}, {"code": "peak"}])
    rules = tk.autocode(segments, book)
    human = coded((1, 0, 6, "wish"), (3, 21, 35, "wish"), (4, 37, 42, "peak"))
    result = evaluate_rules(rules, human, segments, codebook=book)
    assert result.coder == "sam"
    score = result.scores.set_index("code").loc["wish"]
    assert (score["both"], score["rules"], score["coder"]) == (1, 2, 2)
    assert score["precision"] == score["recall"] == score["f1"] == 0.5
    assert result.scores["code"].tolist() == ["wish"]  # only codes with rules
    found = result.differences[["segment_id", "found_by"]].values.tolist()
    assert found == [[2, "rules only"], [3, "coder only"]]
    assert result.differences["text"].tolist() == ["I wish too", "No wishes here"]


def test_evaluate_rules_needs_one_coder():
    both = pd.concat([coded((1, 0, 4, "peak")), coded((1, 0, 4, "peak"), coder="jo")])
    with pytest.raises(CodingError, match="coder='name'"):
        evaluate_rules(coded((1, 0, 4, "peak")).assign(method="rule"), both, SEGMENTS)
    with pytest.raises(CodingError, match="'al'"):
        evaluate_rules(coded((1, 0, 4, "peak")), both, SEGMENTS, coder="al")


# --- the project and the sample ------------------------------------------------------


def test_sample_codings_point_inside_their_segments(sample):
    codings = sample.codings
    assert set(codings["coder"]) == {"sam", "nadia"}
    assert set(codings["method"]) == {"manual"}
    segments = sample.segments.set_index(["interview_id", "segment_id"])
    documents = sample.documents.set_index("interview_id")["text"]
    for row in codings.itertuples():
        seg = segments.loc[(row.interview_id, row.segment_id)]
        assert seg["start"] <= row.start < row.end <= seg["end"]
        piece = documents[row.interview_id][row.start : row.end]
        assert piece and piece in seg["text"]
    interviews = {f"int{k:02d}" for k in range(1, 19)}
    for coder in ("sam", "nadia"):
        mine = codings[codings["coder"] == coder]
        assert interviews <= set(mine["interview_id"])
        assert (mine["memo"] != "").sum() >= 2
        whole = mine.merge(sample.segments, on=["interview_id", "segment_id"])
        spans = (whole["start_x"] != whole["start_y"]) | (whole["end_x"] != whole["end_y"])
        assert 0.1 < spans.mean() < 0.9  # some whole turns, some phrases


def test_sample_coders_agree_on_some_codes_more_than_others(sample):
    codings = sample.codings

    def overlap(code):
        sets = [
            set(zip(*[codings.loc[(codings.coder == c) & (codings.code == code), k]
                      for k in ("interview_id", "segment_id")], strict=True))
            for c in ("sam", "nadia")
        ]  # fmt: skip
        return len(sets[0] & sets[1]) / len(sets[0] | sets[1])

    assert overlap("peak_experience") > 0.8 and overlap("shared_record") > 0.8
    assert overlap("being_known") < 0.5 and overlap("spiritual_energy") < 0.5


def test_project_codings_are_checked(sample_copy):
    bad = sample_copy / "codings" / "jo.csv"
    write(bad, "interview_id,segment_id,code\nint01,5,peak_experiance\n")
    with pytest.raises(CodingError, match=r"jo\.csv, row 2.*did you mean 'peak_experience'"):
        tk.open_project(sample_copy)


def test_project_without_codebook_or_codings(tmp_path):
    write(tmp_path / "project.yml", "name: Empty\n")
    project = tk.open_project(tmp_path)
    assert isinstance(project.codebook, tk.Codebook) and len(project.codebook) == 0
    assert list(project.codings.columns) == CODING_COLUMNS


def test_project_reads_a_csv_codebook(sample_copy):
    (sample_copy / "codebook.yml").unlink()
    shutil.rmtree(sample_copy / "codings")
    tk.Codebook([{"code": "wish", "keywords": ["i wish"]}]).write(sample_copy / "codebook.csv")
    assert tk.open_project(sample_copy).codebook.codes == ["wish"]


# --- command line ------------------------------------------------------------------


def test_cli_code_writes_rule_codings(sample_copy):
    result = CliRunner().invoke(cli, ["code", str(sample_copy), "--quiet"])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(sample_copy / "output" / "codings-rules.csv")
    assert list(written.columns) == CODING_COLUMNS
    assert set(written["method"]) == {"rule"}
    assert "peak_experience" in result.output


def test_cli_code_takes_plural_units(sample_copy):
    result = CliRunner().invoke(cli, ["code", str(sample_copy), "--quiet", "--unit", "sentences"])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(sample_copy / "output" / "codings-rules.csv")
    assert (written["end"] - written["start"]).max() < 1000  # sentences, not whole turns


def test_cli_code_needs_rules(tmp_path):
    write(tmp_path / "project.yml", "name: Empty\n")
    result = CliRunner().invoke(cli, ["code", str(tmp_path)])
    assert result.exit_code == 1 and "rules" in result.output


def test_cli_codebook_check(tmp_path):
    from pathlib import Path

    data = Path(__file__).resolve().parent / "data" / "codebook"
    good = CliRunner().invoke(cli, ["codebook", "check", str(data / "nested.yml")])
    assert good.exit_code == 0 and "OK. 4 codes in 2 themes" in good.output
    bad = CliRunner().invoke(cli, ["codebook", "check", str(data / "bad-cycle.yml")])
    assert bad.exit_code == 1
    assert "line 3" in bad.output and "Traceback" not in bad.output


# --- rules against a person from the command line (issue 15, point 6) ----------------


def test_code_against_a_coder_writes_the_rule_check_worst_first(sample_copy):
    result = CliRunner().invoke(cli, ["code", str(sample_copy), "--quiet", "--against", "sam"])
    assert result.exit_code == 0, result.output
    check = pd.read_csv(sample_copy / "output" / "rule-check.csv")
    assert list(check.columns) == [
        "code",
        "precision",
        "recall",
        "f1",
        "both",
        "rules_only",
        "coder_only",
        "rules",
        "coder",
    ]
    assert check["f1"].dropna().is_monotonic_increasing  # the worst codes first
    assert (check["both"] + check["rules_only"] == check["rules"]).all()
    assert (check["both"] + check["coder_only"] == check["coder"]).all()
    scored = check.dropna(subset=["precision", "recall"])
    assert (scored["precision"] == scored["both"] / scored["rules"]).all()
    # The same figures as the library, which compares the codings just made with sam's.
    project = tk.open_project(sample_copy)
    rules = pd.read_csv(sample_copy / "output" / "codings-rules.csv")
    expected = evaluate_rules(
        rules, project.codings, project.segments, coder="sam", codebook=project.codebook
    ).worst_first()
    pd.testing.assert_frame_equal(check, expected, check_dtype=False)
    # The output names the worst code first, under a heading saying whose coding it is.
    lines = result.output.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Rules against sam"))
    assert lines[heading + 2].split()[0] == check.loc[0, "code"]
    assert lines[-1] == f"Wrote {sample_copy / 'output' / 'rule-check.csv'}"


def test_f1_is_zero_when_the_rules_miss_every_segment_the_coder_coded():
    segments = segments_of("I wish", "proud of it", "nothing")
    book = tk.Codebook(
        [{"code": "wish", "keywords": ["i wish"]}, {"code": "peak", "keywords": ["zzz"]}]
    )
    rules = tk.autocode(segments, book)
    human = coded((1, 0, 6, "wish"), (2, 8, 19, "peak"))
    scores = evaluate_rules(rules, human, segments, codebook=book).worst_first().set_index("code")
    assert scores.loc["peak", "f1"] == 0.0 and pd.isna(scores.loc["peak", "precision"])
    assert scores.loc["peak", "recall"] == 0.0 and scores.loc["wish", "f1"] == 1.0
    assert list(scores.index) == ["peak", "wish"]
