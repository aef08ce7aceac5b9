"""Theme tables and their charts: counts a user would check by hand."""

from __future__ import annotations

import copy

import altair as alt
import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.analysis.themes.speakers import interviewer_labels
from toolkit.errors import CodebookError, CodingError, EnergyError, ProjectError, ToolkitError

TURNS = {
    ("a", 1): ("Sam", "Tell me about a time it went well."),
    ("a", 2): (
        "Maya",
        "The ward rang my daughter at nine at night, and she felt so welcome when she got home.",
    ),
    ("a", 3): ("Maya", "I wish there was one shared record. We spend hours chasing notes."),
    ("b", 1): ("Sam", "What do you value?"),
    ("b", 2): ("Derek", "Being known by name. Tom drives me to clinic and knows my story."),
    ("b", 3): ("Derek", "A welcome home call within two days would be wonderful, honestly."),
    ("c", 1): ("Nadia", "And what helps?"),
    ("c", 2): ("Priya", "Kindness. The pharmacist phoned after discharge to check on tablets."),
    ("c", 3): ("Priya", "Kind."),
    ("d", 1): ("Sam", "Anything else?"),
    ("d", 2): ("Grace Mensah", "The lunch club noticed Mr Lund was struggling, out of kindness."),
}


@pytest.fixture
def segments():
    rows, offset = [], {}
    for (interview, number), (speaker, text) in TURNS.items():
        start = offset.get(interview, 0) + len(speaker) + 2
        rows.append(
            {
                "interview_id": interview,
                "segment_id": number,
                "speaker": speaker,
                "start": start,
                "end": start + len(text),
                "text": text,
            }
        )
        offset[interview] = start + len(text) + 2
    return pd.DataFrame(rows)


@pytest.fixture
def codebook():
    return pd.DataFrame(
        {
            "code": ["peak", "known", "kindness", "shared record", "welcome call", "unused"],
            "theme": ["Peak experiences", "What we value", "What we value", "Wishes", "Wishes", ""],
            "parent": ["", "", "", "", "", "kindness"],
            "color": ["#123456", "", "", "#E69F00", "", ""],
        }
    )


def _coding(segments, interview, number, code, coder, method="manual"):
    seg = segments.set_index(["interview_id", "segment_id"]).loc[(interview, number)]
    return {
        "interview_id": interview,
        "segment_id": number,
        "start": int(seg["start"]),
        "end": int(seg["end"]),
        "code": code,
        "coder": coder,
        "method": method,
    }


@pytest.fixture
def codings(segments):
    rows = [
        ("a", 2, "peak", "sam"),
        ("a", 2, "peak", "nadia"),  # two coders, one segment: counted once
        ("a", 2, "kindness", "nadia"),
        ("a", 3, "shared record", "sam"),
        ("b", 2, "known", "sam"),
        ("b", 2, "kindness", "sam"),
        ("b", 3, "welcome call", "nadia"),
        ("c", 2, "kindness", "sam"),
        ("c", 3, "kindness", "sam"),
        ("d", 2, "kindness", "nadia"),
        ("d", 1, "kindness", "nadia"),  # the interviewer's turn: not a participant
    ]
    table = pd.DataFrame([_coding(segments, *r) for r in rows])
    rule = _coding(segments, "b", 3, "welcome call", "rules", "rule")
    return pd.concat([table, pd.DataFrame([rule])], ignore_index=True)


@pytest.fixture
def people():
    return pd.DataFrame(
        {
            "interview_id": ["a", "b", "c", "d"],
            "name": ["Maya Okafor", "Derek Lund", "Priya Shah", "Grace Mensah"],
            "group": ["staff", "patient", "carer", "community"],
            "date": ["2026-10-01", "2026-10-02", "2026-10-20", "2026-10-21"],
        }
    )


@pytest.fixture
def project(codings, segments, codebook, people):
    documents = pd.DataFrame({"interview_id": list("abcd"), "text": "", "source": ""})
    return tk.Project(
        name="Tiny",
        settings={"interviewers": ["Sam", "Nadia"]},
        documents=documents,
        segments=segments,
        participants=people,
        codebook=codebook,
        codings=codings,
    )


ASK = {"interviewers": ["Sam", "Nadia"]}


# --- frequency ----------------------------------------------------------------------


def test_frequency_by_each_unit(codings, segments, codebook):
    counts = {}
    for unit in ("segments", "interviews", "participants"):
        table = tk.theme_frequency(codings, segments, codebook, unit=unit, of="code", **ASK)
        assert table.attrs["unit"] == unit and set(table["unit"]) == {unit}
        counts[unit] = table.set_index("code")["count"].to_dict()
    assert counts["segments"]["kindness"] == 5  # a2, b2, c2, c3, d2: not Sam's d1
    assert counts["interviews"]["kindness"] == 4
    assert counts["participants"]["kindness"] == 4  # Sam's turn in d is not counted
    assert counts["segments"]["peak"] == 1  # two coders on one segment count once
    assert counts["participants"]["unused"] == 0


def test_frequency_states_totals_and_labels(codings, segments, codebook):
    table = tk.theme_frequency(codings, segments, codebook, unit="people", of="theme", **ASK)
    assert table.attrs["total"] == 4 and table.attrs["unit"] == "participants"
    row = table.set_index("theme").loc["What we value"]
    assert row["count"] == 4 and row["label"] == "mentioned by 4 of 4 people"
    assert row["percent"] == 100.0
    assert table["theme"].iloc[0] == "What we value"  # most mentioned first


def test_frequency_uses_codebook_colours_and_parents(codings, segments, codebook):
    table = tk.theme_frequency(codings, segments, codebook, of="code", **ASK).set_index("code")
    assert table.loc["peak", "color"] == "#123456"
    assert table.loc["welcome call", "color"] == "#E69F00"  # the theme's colour
    assert table.loc["unused", "theme"] == "What we value"  # through its parent


def test_project_stands_for_its_tables(project, codings, segments, codebook):
    by_project = tk.theme_frequency(project, of="code")
    by_tables = tk.theme_frequency(
        codings, segments, codebook, of="code", participants=project.participants, **ASK
    )
    pd.testing.assert_frame_equal(by_project, by_tables)


def test_functions_do_not_change_their_inputs(codings, segments, codebook, people):
    before = [t.copy() for t in (codings, segments, codebook, people)]
    tk.theme_by_group(codings, segments, codebook, people, **ASK)
    tk.cooccurrence(codings, segments, codebook, within="overlap")
    tk.exemplar_quotes(codings, segments, codebook, participants=people, **ASK)
    for old, new in zip(before, (codings, segments, codebook, people), strict=True):
        pd.testing.assert_frame_equal(old, new)


# --- which codings --------------------------------------------------------------------


def test_coder_choices(codings, segments, codebook):
    def count(coder):
        table = tk.theme_frequency(
            codings, segments, codebook, unit="segments", of="code", coder=coder, **ASK
        )
        return table.set_index("code")["count"].to_dict()

    assert count("sam")["welcome call"] == 0
    assert count("nadia")["welcome call"] == 1
    assert count("rules") == {**dict.fromkeys(count("sam"), 0), "welcome call": 1}
    assert count(["sam", "nadia"]) == count("humans")
    assert count("all")["welcome call"] == 1


def test_select_codings_says_what_was_chosen(codings, segments, codebook):
    chosen = tk.select_codings(codings, segments, codebook)
    assert chosen.attrs["coder"] == "all human coders, merged (nadia, sam)"
    assert "rule" not in set(chosen["method"])
    assert chosen.loc[chosen["segment_id"] == 2, "speaker"].iloc[0] == "Maya"


def test_unknown_coder_names_the_coders(codings, segments, codebook):
    with pytest.raises(CodingError, match="'nadia', 'rules', 'sam'"):
        tk.theme_frequency(codings, segments, codebook, coder="alex")


def test_codes_not_in_the_codebook(codings, segments, codebook):
    bad = codings.copy()
    bad.loc[0, "code"] = "Peak"
    with pytest.raises(CodingError) as err:
        tk.theme_frequency(bad, segments, codebook)
    text = str(err.value)
    assert "'Peak' (1 coding by sam)" in text and "codings/sam.csv" in text
    assert "How to fix" in text and "codebook.yml" in text


def test_empty_codings_get_a_message(segments, codebook):
    empty = pd.DataFrame(columns=["interview_id", "segment_id", "start", "end", "code", "coder"])
    with pytest.raises(CodingError, match="empty, so there is nothing to show"):
        tk.theme_frequency(empty, segments, codebook)


def test_codings_pointing_nowhere(codings, segments, codebook):
    bad = codings.copy()
    bad.loc[3, "segment_id"] = 99
    with pytest.raises(CodingError, match="a segment 99"):
        tk.theme_frequency(bad, segments, codebook)


def test_codings_missing_columns(segments, codebook):
    with pytest.raises(CodingError, match="'code'"):
        tk.theme_frequency(pd.DataFrame({"interview_id": ["a"]}), segments, codebook)


def test_span_only_codings_find_their_segment(codings, segments, codebook):
    spans = codings.drop(columns="segment_id")
    a = tk.theme_frequency(spans, segments, codebook, unit="segments", of="code", **ASK)
    b = tk.theme_frequency(codings, segments, codebook, unit="segments", of="code", **ASK)
    assert a["count"].tolist() == b["count"].tolist()


def test_text_ids_from_a_csv_match(codings, segments, codebook):
    as_text = codings.astype({"segment_id": str, "start": str, "end": str})
    table = tk.theme_frequency(as_text, segments, codebook, unit="segments", **ASK)
    assert table["count"].sum() > 0


def test_interviewers_are_guessed(segments, codings, codebook):
    # Sam asks no question in interview a, but interviews elsewhere.
    assert interviewer_labels(segments) == ["Nadia", "Sam"]
    assert interviewer_labels(segments, "Nadia") == ["Nadia"]
    guessed = tk.theme_frequency(codings, segments, codebook, of="code")
    assert guessed.attrs["interviewers"] == ["Nadia", "Sam"]
    assert guessed.attrs["total"] == 4


def test_interviewers_named_by_their_role():
    turns = pd.DataFrame(
        {
            "interview_id": ["a", "a", "a", "b", "b"],
            "speaker": ["", "Q", "A", "P1", "Int1"],
            "text": ["Interview 1, 3 May", "Anything?", "Lifts?", "Kindness?", "Thanks."],
        }
    )
    assert interviewer_labels(turns) == ["Int1", "Q"]


# --- theme by group --------------------------------------------------------------------


def test_theme_by_group_counts_and_percentages(codings, segments, codebook, people):
    table = tk.theme_by_group(codings, segments, codebook, people, **ASK)
    row = table.set_index(["theme", "group"]).loc[("Wishes", "patient")]
    assert row["count"] == 1 and row["group_size"] == 1 and row["percent_of_group"] == 100
    wishes = table[table["theme"] == "Wishes"]
    assert wishes["row_percent"].sum() == pytest.approx(100)
    staff = table[table["group"] == "staff"]
    assert staff["column_percent"].sum() == pytest.approx(100, abs=0.2)
    assert "No chi-square test was run" in table.attrs["note"]
    assert all(not t["tested"] for t in table.attrs["tests"])


def test_group_column_must_exist(codings, segments, codebook, people):
    with pytest.raises(ProjectError, match=r"'site'.*'group', 'date'"):
        tk.theme_by_group(codings, segments, codebook, people, group="site")


def test_group_tests_run_where_counts_allow():
    from scipy.stats import chi2_contingency

    table = pd.DataFrame(
        {
            "theme": ["Kindness"] * 3 + ["Rare"] * 3,
            "group": ["carer", "patient", "staff"] * 2,
            "count": [30, 20, 5, 1, 0, 1],
            "group_size": [40, 40, 40] * 2,
        }
    )
    tests = tk.group_tests(table).set_index("theme")
    observed = np.array([[30, 20, 5], [10, 20, 35]])
    chi2, p, *_ = chi2_contingency(observed, correction=False)
    assert tests.loc["Kindness", "tested"]
    assert tests.loc["Kindness", "p_value"] == pytest.approx(p)
    assert tests.loc["Kindness", "cramers_v"] == pytest.approx(np.sqrt(chi2 / 120))
    assert tests.loc["Kindness", "chi2"] == pytest.approx(chi2)
    assert tests.loc["Kindness", "dof"] == 2
    assert not tests.loc["Rare", "tested"]
    assert "expected counts are below 5" in tests.loc["Rare", "note"]


@pytest.mark.parametrize(
    "counts, sizes",
    [([12, 30], [40, 45]), ([3, 9, 14, 20], [25, 25, 30, 31]), ([50, 51, 49], [100, 100, 100])],
)
def test_group_tests_agree_with_scipy_without_continuity_correction(counts, sizes):
    from scipy.stats import chi2_contingency

    groups = [f"g{i}" for i in range(len(counts))]
    table = pd.DataFrame({"theme": "T", "group": groups, "count": counts, "group_size": sizes})
    row = tk.group_tests(table).iloc[0]
    observed = np.array([counts, np.subtract(sizes, counts)])
    chi2, p, dof, _ = chi2_contingency(observed, correction=False)
    assert row["tested"]
    assert row["chi2"] == pytest.approx(chi2, rel=1e-12)
    assert row["p_value"] == pytest.approx(p, rel=1e-9)
    assert row["dof"] == dof


# --- co-occurrence ------------------------------------------------------------------------


def test_cooccurrence_on_segments(codings, segments, codebook):
    pairs = tk.cooccurrence(codings, segments, codebook)
    row = pairs.set_index(["code_a", "code_b"]).loc[("peak", "kindness")]
    assert row["both"] == 1 and row["count_a"] == 1 and row["count_b"] == 5  # not Sam's d1
    assert row["jaccard"] == pytest.approx(round(1 / 5, 3))
    assert set(pairs["unit"]) == {"segments"}
    assert row["quote"].startswith("The ward rang")


def test_cooccurrence_on_overlapping_spans(segments, codebook):
    seg = segments.set_index(["interview_id", "segment_id"]).loc[("a", 2)]
    start = int(seg["start"])
    codings = pd.DataFrame(
        {
            "interview_id": ["a", "a", "a"],
            "start": [start, start + 5, start + 30],
            "end": [start + 20, start + 40, start + 35],
            "code": ["peak", "kindness", "peak"],
            "coder": "sam",
        }
    )
    pairs = tk.cooccurrence(codings, segments, codebook, within="overlap")
    row = pairs.iloc[0]
    # peak covers 0-20 and 30-35 (25 chars), kindness 5-40 (35); shared 15 + 5 = 20.
    assert (row["code_a"], row["code_b"], row["both"]) == ("peak", "kindness", 2)
    assert row["jaccard"] == pytest.approx(round(20 / (25 + 35 - 20), 3))
    assert pairs.attrs["within"] == "overlap"


def test_cooccurrence_bad_option(codings, segments, codebook):
    with pytest.raises(ToolkitError, match="within='segment'"):
        tk.cooccurrence(codings, segments, codebook, within="interview")


# --- prevalence, positive core, quotes ------------------------------------------------------


def test_prevalence_is_a_full_matrix(codings, segments, codebook, people):
    table = tk.theme_prevalence(codings, segments, codebook, people, group="group")
    assert len(table) == 4 * 3  # every interview by every theme
    wide = table.pivot(index="interview_id", columns="theme", values="present")
    assert wide.loc["a", "Wishes"] and not wide.loc["c", "Wishes"]
    assert set(table["group"]) == {"staff", "patient", "carer", "community"}


def test_positive_core_sets_strengths_beside_wishes(codings, segments, codebook):
    core = tk.positive_core(
        codings,
        segments,
        codebook,
        strengths=["Peak experiences", "What we value"],
        wishes="Wishes",
        **ASK,
    )
    assert core.groupby("side")["code"].apply(list).to_dict() == {
        "Strengths": ["kindness", "peak", "known", "unused"],
        "Wishes": ["shared record", "welcome call"],
    }
    guessed = tk.positive_core(codings, segments, codebook, **ASK)
    assert set(guessed.attrs["strengths"]) == {"Peak experiences", "What we value"}


def test_positive_core_unknown_theme(codings, segments, codebook):
    with pytest.raises(CodebookError, match=r"'Dreams'.*'Wishes'"):
        tk.positive_core(codings, segments, codebook, strengths="Peak experiences", wishes="Dreams")


def test_quotes_are_diverse_short_and_repeatable(codings, segments, codebook, people):
    quotes = tk.exemplar_quotes(
        codings, segments, codebook, participants=people, per_code=3, max_chars=60, **ASK
    )
    again = tk.exemplar_quotes(
        codings, segments, codebook, participants=people, per_code=3, max_chars=60, **ASK
    )
    pd.testing.assert_frame_equal(quotes, again)
    kindness = quotes[quotes["code"] == "kindness"]
    assert len(kindness) == 3
    assert kindness["interview_id"].nunique() == 3  # three different people
    assert "Kind." not in set(kindness["quote"])  # too short to stand alone
    assert "Sam" not in set(quotes["speaker"])  # interviewers are not quoted
    assert (quotes["quote"].str.len() <= 61).all()
    assert quotes["rank"].groupby(quotes["code"]).min().eq(1).all()


def test_quotes_hide_participants_full_names(codings, segments, codebook, people):
    quotes = tk.exemplar_quotes(codings, segments, codebook, participants=people, per_code=4, **ASK)
    text = " ".join(quotes["quote"]) + " ".join(quotes["speaker"]) + " ".join(quotes["by"])
    assert "Mensah" not in text and "Lund" not in text and "Grace" not in text
    assert "Mr [name]" in text
    # Signed by a participant id and group, never a name or a name-like speaker label.
    assert set(quotes["speaker"]) == {"P1", "P2", "P3", "P4"}
    assert "P4, community" in set(quotes["by"])
    named = tk.exemplar_quotes(
        codings, segments, codebook, participants=people, per_code=4, show_names=True, **ASK
    )
    assert "Grace Mensah" in set(named["speaker"]) and "Grace Mensah, community" in set(named["by"])


# --- change over time ---------------------------------------------------------------------


def test_trend_by_session_on_codings(codings, segments, codebook):
    timed = codings.assign(session=["one"] * 6 + ["two"] * 6)
    trend = tk.theme_trend(timed, segments, codebook, when="session", **ASK)
    assert trend.attrs["period"] == "session"
    assert list(dict.fromkeys(trend["period"])) == ["one", "two"]


def test_trend_by_date_on_participants(codings, segments, codebook, people):
    trend = tk.theme_trend(codings, segments, codebook, people, when="date", freq="M", **ASK)
    assert trend.attrs["period"] == "month"
    assert set(trend["period"]) == {"2026-10-01"}
    assert trend.groupby("period")["total"].first().iloc[0] == 4


def test_trend_needs_a_time_column(codings, segments, codebook, people):
    with pytest.raises(ToolkitError, match="'session'"):
        tk.theme_trend(codings, segments, codebook, people)


def test_vote_trend():
    votes = pd.DataFrame(
        {
            "participant": list("abcab"),
            "item": ["Lifts", "Calls", "Calls", "Calls", "Lifts"],
            "dots": ["2", "1", "3", "2", "1"],
            "session": ["June", "June", "June", "July", "July"],
        }
    )
    trend = tk.vote_trend(votes).set_index(["period", "item"])
    assert trend.loc[("June", "Calls"), "dots"] == 4
    assert trend.loc[("June", "Calls"), "percent"] == pytest.approx(66.7)
    with pytest.raises(EnergyError, match="'session'"):
        tk.vote_trend(votes.drop(columns="session"))


# --- charts -----------------------------------------------------------------------------


@pytest.fixture
def all_charts(codings, segments, codebook, people):
    timed = codings.assign(session=["one"] * 6 + ["two"] * 6)
    return {
        "frequency": tk.charts.theme_frequency_chart(
            tk.theme_frequency(codings, segments, codebook, of="code", **ASK)
        ),
        "group": tk.charts.theme_group_chart(
            tk.theme_by_group(codings, segments, codebook, people, **ASK)
        ),
        "cooccurrence": tk.charts.cooccurrence_chart(tk.cooccurrence(codings, segments, codebook)),
        "prevalence": tk.charts.prevalence_chart(
            tk.theme_prevalence(codings, segments, codebook, people, group="group")
        ),
        "core": tk.charts.positive_core_chart(tk.positive_core(codings, segments, codebook, **ASK)),
        "quotes": tk.charts.quotes_chart(
            tk.exemplar_quotes(codings, segments, codebook, participants=people, **ASK)
        ),
        "trend": tk.charts.theme_trend_chart(
            tk.theme_trend(timed, segments, codebook, when="session", **ASK)
        ),
    }


def test_every_chart_has_a_description_and_a_quote(all_charts):
    for name, chart in all_charts.items():
        assert isinstance(chart, alt.Chart), name
        assert len(tk.charts.describe(chart)) > 60, name
        spec = chart.to_dict()
        rows = sum(len(v) for v in spec["datasets"].values())
        assert 0 < rows <= tk.charts.MAX_ROWS, name
        tooltips = str(spec["encoding"].get("tooltip"))
        assert "quote" in tooltips, name
        assert spec.get("title"), name


def test_frequency_chart_states_the_unit(all_charts):
    chart = all_charts["frequency"]
    title = chart.to_dict()["encoding"]["x"]["title"]
    assert "people" in title and "(of 4)" in title
    assert "kindness 4" in tk.charts.describe(chart)
    assert "#123456" in chart.to_dict()["encoding"]["color"]["scale"]["range"]


def test_group_chart_description_carries_the_test_note(all_charts):
    assert "No chi-square test was run" in tk.charts.describe(all_charts["group"])


def test_prevalence_chart_aggregates_large_corpora():
    n = 3000
    table = pd.DataFrame(
        {
            "interview_id": np.repeat([f"r{i:05d}" for i in range(n)], 4),
            "theme": ["A", "B", "C", "D"] * n,
            "segments": np.tile([1, 0, 2, 0], n),
        }
    )
    table["present"] = table["segments"] > 0
    table["quote"] = ""
    chart = tk.charts.prevalence_chart(table)
    assert len(chart.data) <= tk.charts.MAX_ROWS
    assert "60 of 3000 interviews" in tk.charts.describe(chart)


def test_chart_of_an_empty_table_is_a_message():
    with pytest.raises(ToolkitError, match="empty"):
        tk.charts.theme_frequency_chart(pd.DataFrame(columns=["theme", "count", "total", "unit"]))


def test_chart_of_the_wrong_table():
    with pytest.raises(ToolkitError, match="'group'"):
        tk.charts.theme_group_chart(pd.DataFrame({"theme": ["a"], "count": [1]}))


def test_unlabelled_turns_are_nobody(codings, segments, codebook):
    # A title line with no speaker, in an interview whose turns are labelled.
    title = pd.DataFrame(
        [
            {
                "interview_id": "a",
                "segment_id": 0,
                "speaker": "",
                "start": 0,
                "end": 5,
                "text": "Notes",
            }
        ]
    )
    with_title = pd.concat([title, segments], ignore_index=True)
    coded = pd.concat(
        [codings, pd.DataFrame([{"interview_id": "a", "segment_id": 0, "code": "peak"}])],
        ignore_index=True,
    )
    table = tk.theme_frequency(coded, with_title, codebook, of="code")
    assert table.attrs["total"] == 4
    assert table.set_index("code").loc["peak", "count"] == 1


# --- the sample project -------------------------------------------------------------------


def test_sample_counts_people_not_interviewers(sample):
    table = tk.theme_frequency(sample)
    assert table.attrs["total"] == len(sample.participants)  # 18 interviews and 30 answers
    assert {"Sam", "Nadia", "Sam Reid"} <= set(table.attrs["interviewers"])
    quotes = tk.exemplar_quotes(sample, of="theme")
    assert not set(quotes["speaker"]) & set(table.attrs["interviewers"])
    full_names = set(sample.participants["name"].dropna()) - {""}
    assert not full_names & set(quotes["speaker"])


def test_sample_rules_are_counted_when_given(sample):
    # Theme tables count the codings they are given: they never code by the rules themselves.
    with pytest.raises(CodingError, match="codesign-toolkit code") as err:
        tk.theme_frequency(sample, coder="rules")
    assert "tk.autocode" in str(err.value)
    with_rules = copy.copy(sample)
    with_rules.codings = tk.merge_codings(
        sample.codings, tk.autocode(sample.segments, sample.codebook)
    )
    rules = tk.theme_frequency(with_rules, coder="rules")
    assert rules.attrs["coder"] == "the codebook's rules" and rules["count"].sum() > 0
    assert tk.theme_frequency(with_rules, coder="all")["count"].sum() >= rules["count"].sum()


# --- preparing once, and the old names ------------------------------------------------------


def test_prepared_themes_give_the_same_tables(codings, segments, codebook, people):
    prepared = tk.prepare_themes(codings, segments, codebook, people, **ASK)
    assert isinstance(prepared, tk.PreparedThemes)
    pd.testing.assert_frame_equal(
        tk.theme_frequency(prepared, of="code"),
        tk.theme_frequency(codings, segments, codebook, of="code", participants=people, **ASK),
    )
    pd.testing.assert_frame_equal(
        tk.exemplar_quotes(prepared, per_code=2),
        tk.exemplar_quotes(codings, segments, codebook, participants=people, per_code=2, **ASK),
    )
    by_group = tk.theme_by_group(prepared)
    assert (
        by_group.attrs["note"]
        == tk.theme_by_group(codings, segments, codebook, people, **ASK).attrs["note"]
    )
    timed = tk.prepare_themes(
        codings.assign(session=["one"] * 6 + ["two"] * 6), segments, codebook, **ASK
    )
    assert list(dict.fromkeys(tk.theme_trend(timed)["period"])) == ["one", "two"]


def test_prepared_themes_stand_alone(codings, segments, codebook):
    prepared = tk.prepare_themes(codings, segments, codebook, coder="sam")
    assert prepared.coder == "sam"
    with pytest.raises(ToolkitError, match="coder was given"):
        tk.theme_frequency(prepared, coder="nadia")
    with pytest.raises(ToolkitError, match="segments"):
        tk.cooccurrence(prepared, segments)


def test_prepared_themes_are_not_changed(codings, segments, codebook, people):
    prepared = tk.prepare_themes(codings, segments, codebook, people, **ASK)
    before = prepared.coded.copy()
    tk.theme_trend(prepared, when="date")
    tk.theme_by_group(prepared)
    tk.theme_prevalence(prepared, group="group")
    pd.testing.assert_frame_equal(prepared.coded, before)


def test_level_is_the_old_name_of_of(codings, segments, codebook):
    with pytest.warns(DeprecationWarning, match="of="):
        old = tk.theme_frequency(codings, segments, codebook, level="code", **ASK)
    pd.testing.assert_frame_equal(
        old, tk.theme_frequency(codings, segments, codebook, of="code", **ASK)
    )
    assert old.attrs["level"] == "code"  # the charts read this key
    with pytest.warns(DeprecationWarning):
        tk.exemplar_quotes(codings, segments, codebook, level="theme", **ASK)
    with pytest.raises(ToolkitError, match="of='code' or of='theme'"):
        tk.cooccurrence(codings, segments, codebook, of="codes")


def test_unit_singular_or_plural(codings, segments, codebook):
    for one, many in (
        ("segment", "segments"),
        ("interview", "interviews"),
        ("person", "participants"),
    ):
        a = tk.theme_frequency(codings, segments, codebook, unit=one, **ASK)
        b = tk.theme_frequency(codings, segments, codebook, unit=many, **ASK)
        pd.testing.assert_frame_equal(a, b)


def test_theme_colours_are_only_the_codebooks(codings, segments, codebook):
    # Analysis carries the colours the codebook gives; the charts choose the others.
    table = tk.theme_frequency(codings, segments, codebook, **ASK).set_index("theme")
    assert table.loc["Peak experiences", "color"] == "#123456"
    assert table.loc["Wishes", "color"] == "#E69F00"
    assert table.loc["What we value", "color"] == ""


# --- a project's preparation is remembered while its tables stay the same ------------------------


def test_a_project_asked_again_is_prepared_once():
    from toolkit.analysis.themes.prepare import as_prepared

    project = tk.sample_project()
    first = as_prepared(project)
    assert as_prepared(project) is first  # remembered, not prepared again
    pd.testing.assert_frame_equal(
        tk.theme_frequency(project), tk.theme_frequency(tk.prepare_themes(project))
    )
    # A different choice is a different preparation; prepare_themes always prepares.
    assert as_prepared(project, coder="sam").coded is not first.coded
    assert tk.prepare_themes(project).coded is not first.coded
    assert as_prepared(project, show_names=True).show_names


def test_a_table_changed_in_place_is_prepared_again():
    project = tk.sample_project()
    before = tk.theme_frequency(project, of="code")
    code, other = before[before["count"] > 0]["code"].iloc[:2]
    project.codings.loc[project.codings["code"] == code, "code"] = other  # changed in place
    after = tk.theme_frequency(project, of="code")
    assert after.set_index("code").loc[code, "count"] == 0
    assert before.set_index("code").loc[code, "count"] > 0
    # A participant's group changed in place reaches the next table too.
    groups = tk.theme_by_group(project)
    project.participants.loc[:, "group"] = "everyone"
    assert tk.theme_by_group(project)["group"].unique().tolist() == ["everyone"]
    assert len(groups["group"].unique()) > 1


def test_tables_that_cannot_be_hashed_are_not_remembered():
    from toolkit.analysis.themes.prepare import as_prepared

    project = tk.sample_project()
    project.participants["tags"] = [["a"]] * len(project.participants)  # a list in a cell
    first = as_prepared(project)
    assert as_prepared(project).coded is not first.coded
    pd.testing.assert_frame_equal(first.coded, as_prepared(project).coded)


@pytest.mark.parametrize(
    "column, value",
    [("start", 999), ("code", "kindness"), ("coder", "someone else"), ("segment_id", 2)],
)
def test_any_cell_changed_in_place_changes_the_key(column, value):
    from toolkit.analysis.themes.memo import tables_key

    project = tk.sample_project()
    project.codings = project.codings.astype({"start": "Int64"})  # a nullable column too
    key = tables_key(project, coder="humans")
    assert tables_key(project, coder="humans") == key
    project.codings.loc[project.codings.index[3], column] = value
    assert tables_key(project, coder="humans") != key
    assert tables_key(project, coder="sam") != tables_key(project, coder="humans")


def test_a_frequency_table_is_worked_out_once_per_preparation():
    from toolkit.analysis.themes.prepare import prepare_themes

    prepared = prepare_themes(tk.sample_project())
    first = tk.theme_frequency(prepared, of="code")
    assert ("frequency", "participants", "code") in prepared.derived
    first.loc[0, "count"] = -1  # the caller's copy
    again = tk.theme_frequency(prepared, of="code")
    assert again.loc[0, "count"] > 0
    assert again.attrs == first.attrs
    fresh = tk.theme_frequency(prepare_themes(tk.sample_project()), of="code")
    pd.testing.assert_frame_equal(again, fresh)
    assert not tk.theme_frequency(prepared, of="theme").equals(again)


def test_a_segment_listed_twice_is_named(codings, segments, codebook):
    doubled = pd.concat([segments, segments.iloc[[2]]], ignore_index=True)
    with pytest.raises(CodingError, match=r"interview a has segment 3 twice"):
        tk.theme_frequency(codings, doubled, codebook, **ASK)


def test_codings_pointing_nowhere_are_counted_and_named(codings, segments, codebook):
    stray = pd.concat([codings, codings.iloc[[0]].assign(segment_id=99)], ignore_index=True)
    with pytest.raises(CodingError, match=r"1 do not \(for example a segment 99"):
        tk.theme_frequency(stray, segments, codebook, **ASK)


def test_clean_text_strips_arrow_and_python_text_alike():
    from toolkit.analysis.themes.cleaning import clean_text

    values = [" a ", None, "b\u3000", "\u00a0c", "d", "\u200bx", "  "]
    expected = ["" if v is None else v.strip() for v in values]
    for dtype in ("str", object, "string[python]"):
        assert clean_text(pd.Series(values, dtype=dtype)).tolist() == expected
