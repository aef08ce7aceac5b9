"""Agreement between coders: the coefficients, the per-code table, disagreements, chart, CLI."""

from __future__ import annotations

import contextlib
import math
import pickle

import altair as alt
import krippendorff
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.analysis.agreement.bootstrap import patterns, replicates, replicates_by_unit
from toolkit.analysis.agreement.formulas import alpha_statistic, coincidence_features
from toolkit.analysis.agreement.ratings import read_ratings
from toolkit.errors import AgreementError

# --- published worked examples ------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders x 12 units,
# with missing values.  Published: nominal .743, ordinal .815, interval .849, ratio .797.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}

# Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories, kappa 0.210.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def long_table(matrix: dict[str, list]) -> pd.DataFrame:
    """Melt a coders x units reliability matrix into the long (unit, coder, value) form."""
    wide = pd.DataFrame(matrix).rename_axis("unit").reset_index()
    return wide.melt(id_vars="unit", var_name="coder", value_name="value")


def fleiss_table(grid: list[list[int]]) -> pd.DataFrame:
    rows = []
    for subject, counts in enumerate(grid):
        rater = 0
        for category, n in enumerate(counts, start=1):
            for _ in range(n):
                rows.append((subject, f"r{rater}", category))
                rater += 1
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def grant_example() -> pd.DataFrame:
    """The common 50-proposal example: both yes 20, both no 15, A-only yes 5, B-only yes 10."""
    pairs = [("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    return pd.DataFrame(
        [(i, "A", a) for i, (a, _) in enumerate(pairs)]
        + [(i, "B", b) for i, (_, b) in enumerate(pairs)],
        columns=["unit", "coder", "value"],
    )


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_matches_krippendorff_2011(level, published):
    alpha = tk.krippendorff_alpha(long_table(KRIPPENDORFF_2011), level=level)
    assert round(alpha, 3) == published
    # Unit 12 has a single value, so it cannot be paired.
    assert alpha.n_units == 11 and alpha.n_coders == 4


def test_alpha_ordinal_words_need_their_order():
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    table = long_table(KRIPPENDORFF_2011)
    table["value"] = table["value"].map(words)
    order = list(words.values())
    assert round(tk.krippendorff_alpha(table, level="ordinal", values=order), 3) == 0.815
    assert round(tk.krippendorff_alpha(table), 3) == 0.743
    with pytest.raises(AgreementError, match=r"order of the values"):
        tk.krippendorff_alpha(table, level="ordinal")


def test_cohen_kappa_grant_example():
    table = grant_example()
    kappa = tk.cohen_kappa(table)
    assert kappa == pytest.approx(0.4)
    assert float(tk.percent_agreement(table)) == pytest.approx(0.7)
    assert kappa.n_units == 50 and kappa.statistic == "Cohen's kappa"


def test_fleiss_kappa_fleiss_1971():
    kappa = tk.fleiss_kappa(fleiss_table(FLEISS_1971))
    assert round(kappa, 3) == 0.210
    assert kappa == pytest.approx(0.20993, abs=1e-5)
    # Mean pairwise agreement is Fleiss' P-bar, 0.378 in the worked example.
    assert round(tk.percent_agreement(fleiss_table(FLEISS_1971)), 3) == 0.378


# --- agreement with independent implementations -------------------------------------------------


def random_ratings(seed: int, coders: int, units: int, categories: int, missing: float):
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, categories + 1, units)
    noise = rng.integers(1, categories + 1, (coders, units))
    data = np.where(rng.random((coders, units)) < 0.7, truth, noise).astype(float)
    data[rng.random((coders, units)) < missing] = np.nan
    return data, long_table({f"c{j}": list(row) for j, row in enumerate(data)})


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_agrees_with_krippendorff_package(seed, level):
    rng = np.random.default_rng(seed)
    data, table = random_ratings(
        seed,
        coders=int(rng.integers(2, 7)),
        units=int(rng.integers(3, 80)),
        categories=int(rng.integers(2, 8)),
        missing=0.25,
    )
    try:
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    except ValueError:
        pytest.skip("the package refuses this random draw (too few values)")
    assert tk.krippendorff_alpha(table, level=level) == pytest.approx(expected, nan_ok=True)


def naive_cohen(a: list, b: list) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    chance = sum((a.count(v) / n) * (b.count(v) / n) for v in set(a) | set(b))
    return (observed - chance) / (1 - chance)


@pytest.mark.parametrize("seed", range(6))
def test_cohen_agrees_with_the_textbook_formula(seed):
    data, table = random_ratings(seed, coders=2, units=60, categories=4, missing=0.1)
    both = ~np.isnan(data).any(axis=0)
    expected = naive_cohen(list(data[0, both]), list(data[1, both]))
    kappa = tk.cohen_kappa(table)
    assert kappa == pytest.approx(expected)
    assert kappa.n_units == int(both.sum())


def test_two_coder_fleiss_is_close_to_alpha_without_small_sample_correction():
    # For two coders and no missing data, alpha = 1 - (1 - pi) * (2N - 1) / (2N) where pi is
    # Scott's pi, which is Fleiss' kappa for two ratings per unit.
    _, table = random_ratings(3, coders=2, units=40, categories=3, missing=0.0)
    pi = tk.fleiss_kappa(table)
    alpha = tk.krippendorff_alpha(table)
    n = 40
    assert alpha == pytest.approx(1 - (1 - pi) * (2 * n - 1) / (2 * n))


# --- the result object and the intervals --------------------------------------------------------


def test_agreement_behaves_as_a_number_and_keeps_its_interval():
    alpha = tk.krippendorff_alpha(long_table(KRIPPENDORFF_2011), ci=True, n_boot=300)
    assert isinstance(alpha, float) and isinstance(alpha, tk.Agreement)
    assert alpha.low < alpha.estimate < alpha.high <= 1
    assert alpha.ci == (alpha.low, alpha.high)
    assert alpha.confidence == 0.95 and alpha.n_boot == 300
    assert f"{alpha:.2f}" == "0.74"
    assert "95% CI" in repr(alpha) and "11 units" in repr(alpha)
    again = pickle.loads(pickle.dumps(alpha))
    assert again == alpha and again.low == alpha.low and again.statistic == alpha.statistic
    assert alpha.to_dict()["n_units"] == 11


def test_no_interval_unless_asked():
    kappa = tk.cohen_kappa(grant_example())
    assert math.isnan(kappa.low) and kappa.confidence is None and kappa.n_boot == 0


def test_interval_is_reproducible_and_seeded():
    table = grant_example()
    first = tk.cohen_kappa(table, ci=True, n_boot=200)
    second = tk.cohen_kappa(table, ci=True, n_boot=200)
    other = tk.cohen_kappa(table, ci=True, n_boot=200, seed=7)
    assert first.ci == second.ci
    assert first.ci != other.ci


def test_interval_width_follows_the_level():
    table = grant_example()
    narrow = tk.percent_agreement(table, ci=0.8, n_boot=500)
    wide = tk.percent_agreement(table, ci=0.99, n_boot=500)
    assert narrow.high - narrow.low < wide.high - wide.low
    assert 0 <= wide.low <= narrow.low <= 0.7 <= narrow.high <= wide.high <= 1


def test_every_coefficient_offers_an_interval():
    table = fleiss_table(FLEISS_1971)
    for func in (tk.fleiss_kappa, tk.krippendorff_alpha, tk.percent_agreement):
        result = func(table, ci=True, n_boot=200)
        assert result.low <= result <= result.high


@pytest.mark.parametrize("bad", [1.5, 0, -0.2])
def test_bad_confidence_level(bad):
    with pytest.raises(AgreementError, match=r"confidence level"):
        tk.cohen_kappa(grant_example(), ci=bad)


def test_ci_is_the_confidence_level():
    # ci is the level of the interval; True (95%) and False (none) still work.
    table = grant_example()
    level = tk.cohen_kappa(table, ci=0.95, n_boot=200)
    assert level.confidence == 0.95
    assert tk.cohen_kappa(table, ci=True, n_boot=200).ci == level.ci
    for none in (None, False):
        assert tk.cohen_kappa(table, ci=none).confidence is None
    with pytest.raises(AgreementError, match=r"confidence level"):
        tk.cohen_kappa(table, ci="wide")


def test_too_few_replicates():
    with pytest.raises(AgreementError, match=r"n_boot"):
        tk.cohen_kappa(grant_example(), ci=True, n_boot=10)


def test_pattern_bootstrap_matches_resampling_units():
    # The fast bootstrap draws how many units of each ratings pattern; resampling the units
    # themselves must give the same distribution.
    _, table = random_ratings(11, coders=3, units=80, categories=3, missing=0.2)

    ratings = read_ratings(table, "unit", "coder", "value", values=None, numeric=False, what="x")
    counts = ratings.counts()
    features = coincidence_features(counts[counts.sum(axis=1) >= 2])
    stat = alpha_statistic("nominal")
    distinct, weights = patterns(features)
    fast = replicates(distinct, weights[None, :], stat, 4000, np.random.default_rng(1))[0]
    units = replicates_by_unit(
        features, np.ones(len(features), int), stat, 4000, np.random.default_rng(2)
    )
    assert np.quantile(fast, [0.025, 0.5, 0.975]) == pytest.approx(
        np.quantile(units, [0.025, 0.5, 0.975]), abs=0.03
    )


# --- edge cases ----------------------------------------------------------------------------------


def test_perfect_agreement_and_no_variation():
    same = pd.DataFrame(
        {"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "value": ["x", "x", "y", "y"]}
    )
    assert tk.krippendorff_alpha(same) == 1.0
    assert tk.cohen_kappa(same) == 1.0
    flat = same.assign(value="x")
    assert math.isnan(tk.krippendorff_alpha(flat))
    assert math.isnan(tk.cohen_kappa(flat))
    assert tk.percent_agreement(flat) == 1.0


def test_missing_values_are_skipped():
    table = pd.DataFrame(
        {
            "unit": [1, 1, 2, 2, 3, 3],
            "coder": ["a", "b"] * 3,
            "value": ["x", "x", "y", "", "y", None],
        }
    )
    assert tk.percent_agreement(table).n_units == 1


def test_inputs_are_not_modified():
    table = long_table(KRIPPENDORFF_2011)
    before = table.copy()
    tk.krippendorff_alpha(table, ci=True, n_boot=100)
    pd.testing.assert_frame_equal(table, before)


def test_custom_column_names():
    table = grant_example().rename(columns={"unit": "proposal", "coder": "reader", "value": "say"})
    kappa = tk.cohen_kappa(table, unit_column="proposal", coder_column="reader", value_column="say")
    assert kappa == pytest.approx(0.4)
    assert tk.cohen_kappa(table, "proposal", "reader", "say") == pytest.approx(0.4)


@pytest.mark.parametrize(
    "func", [tk.krippendorff_alpha, tk.cohen_kappa, tk.fleiss_kappa, tk.percent_agreement]
)
def test_old_column_keywords_still_work_with_a_warning(func):
    table = grant_example().rename(columns={"unit": "proposal", "coder": "reader", "value": "say"})
    expected = func(table, "proposal", "reader", "say")
    with pytest.warns(DeprecationWarning, match=r"unit=, coder=, value=.*coder_column='reader'"):
        old = func(table, unit="proposal", coder="reader", value="say")
    assert _same(old, expected)
    with pytest.warns(DeprecationWarning, match=r"use value_column='say'"):
        assert _same(func(table, "proposal", "reader", value="say"), expected)


# --- bad input -----------------------------------------------------------------------------------


def test_single_coder():
    table = pd.DataFrame({"unit": [1, 2], "coder": ["sam", "sam"], "value": ["x", "y"]})
    for func in (tk.krippendorff_alpha, tk.cohen_kappa, tk.fleiss_kappa, tk.percent_agreement):
        with pytest.raises(AgreementError, match=r"at least two coders, but found only 'sam'"):
            func(table)


def test_coders_with_no_unit_in_common():
    table = pd.DataFrame({"unit": [1, 2], "coder": ["sam", "nadia"], "value": ["x", "y"]})
    for func in (tk.krippendorff_alpha, tk.cohen_kappa, tk.percent_agreement):
        with pytest.raises(AgreementError, match=r"no unit in common"):
            func(table)


def test_a_coder_who_rated_a_unit_twice():
    table = pd.DataFrame(
        {
            "unit": [1, 1, 1, 2, 2],
            "coder": ["sam", "nadia", "sam", "sam", "nadia"],
            "value": list("xyxyy"),
        }
    )
    for func in (tk.cohen_kappa, tk.fleiss_kappa, tk.krippendorff_alpha, tk.percent_agreement):
        with pytest.raises(AgreementError) as info:
            func(table)
        message = str(info.value)
        assert "'sam' rated unit 1 twice" in message
        assert "index 0 and" in message and "index 2" in message
        assert "How to fix" in message


def test_cohen_needs_exactly_two_coders():
    with pytest.raises(AgreementError, match=r"exactly two coders.*found 14"):
        tk.cohen_kappa(fleiss_table(FLEISS_1971))


def test_fleiss_needs_the_same_number_of_ratings():
    table = long_table(KRIPPENDORFF_2011)
    with pytest.raises(AgreementError, match=r"same number of ratings.*krippendorff_alpha"):
        tk.fleiss_kappa(table)


def test_values_outside_the_allowed_set():
    with pytest.raises(AgreementError, match=r"expected values from \['yes', 'no'\].*'maybe'"):
        tk.cohen_kappa(
            pd.DataFrame({"unit": [1, 1], "coder": ["a", "b"], "value": ["yes", "maybe"]}),
            values=["yes", "no"],
        )


def test_words_at_the_interval_level():
    table = grant_example()
    with pytest.raises(AgreementError, match=r"expected numbers.*'yes'"):
        tk.krippendorff_alpha(table, level="interval")


def test_negative_values_at_the_ratio_level():
    table = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "value": [-1, 2, 3, 3]})
    with pytest.raises(AgreementError, match=r"zero or more"):
        tk.krippendorff_alpha(table, level="ratio")


def test_unknown_level():
    with pytest.raises(AgreementError, match=r"one of nominal, ordinal, interval, ratio"):
        tk.krippendorff_alpha(grant_example(), level="circular")


def test_missing_columns_and_non_tables():
    with pytest.raises(AgreementError, match=r"'rating'.*value_column="):
        tk.cohen_kappa(grant_example(), value_column="rating")
    with pytest.raises(AgreementError, match=r"DataFrame"):
        tk.cohen_kappa([1, 2, 3])


def test_blank_coder_names_the_row():
    table = grant_example()
    table.loc[3, "coder"] = ""
    with pytest.raises(AgreementError, match=r"coder in every rating.*index 3"):
        tk.cohen_kappa(table)


# --- reliability on coded interviews -------------------------------------------------------------


@pytest.fixture
def segments():
    return pd.DataFrame(
        {
            "interview_id": ["i1"] * 5 + ["i2"] * 3,
            "segment_id": [1, 2, 3, 4, 5, 1, 2, 3],
            "speaker": ["Maya", "Int", "Maya", "Int", "Maya", "Tom", "Int", "Tom"],
            "start": [0, 10, 20, 30, 40, 0, 10, 20],
            "end": [9, 19, 29, 39, 49, 9, 19, 29],
            "text": [f"words {i}" for i in range(8)],
        }
    )


def codings_from(rows, method="manual"):
    table = pd.DataFrame(rows, columns=["interview_id", "segment_id", "code", "coder"])
    return table.assign(start=0, end=0, method=method, memo="", rule="")


@pytest.fixture
def codings():
    return codings_from(
        [
            ("i1", 1, "kindness", "sam"),
            ("i1", 1, "kindness", "nadia"),
            ("i1", 2, "waiting", "sam"),
            ("i1", 2, "waiting", "nadia"),
            ("i1", 3, "kindness", "sam"),
            ("i1", 3, "waiting", "nadia"),
            ("i1", 4, "family", "sam"),
            ("i1", 4, "family", "nadia"),
            ("i1", 4, "kindness", "nadia"),
            ("i2", 1, "waiting", "sam"),
            ("i2", 1, "waiting", "nadia"),
            ("i2", 2, "family", "sam"),  # nadia never coded i2 segment 2: not compared
            ("i1", 5, "kindness", "nadia"),  # nor sam i1 segment 5
        ]
    )


def as_long(codings, code, coders=None):
    """The yes/no ratings of one code, built by hand, for the low-level functions."""
    seen = codings.drop_duplicates(["interview_id", "segment_id", "coder"])
    if coders:
        seen = seen[seen["coder"].isin(coders)]
    applied = set(
        map(tuple, codings[codings["code"] == code][["interview_id", "segment_id", "coder"]].values)
    )
    return pd.DataFrame(
        {
            "unit": seen["interview_id"] + "/" + seen["segment_id"].astype(str),
            "coder": seen["coder"],
            "value": [
                tuple(r) in applied for r in seen[["interview_id", "segment_id", "coder"]].values
            ],
        }
    )


def test_reliability_table_shape_and_counts(codings, segments):
    table = tk.reliability(codings, segments)
    assert list(table.columns) == [
        "code", "units", "applied", "prevalence", "percent_agreement", "kappa", "alpha",
        "alpha_low", "alpha_high", "kappa_method", "kappa_units",
    ]  # fmt: skip
    assert list(table["code"]) == ["family", "kindness", "waiting", "(all codes)"]
    # Compared: i1 segments 1-4 and i2 segment 1 (the ones both coders coded).
    assert set(table["units"]) == {5} and set(table["kappa_units"]) == {5}
    row = table.set_index("code").loc["kindness"]
    assert row["applied"] == 3  # segments 1, 3 and 4
    assert row["prevalence"] == pytest.approx(4 / 10)  # 4 of 10 ratings said kindness
    assert row["percent_agreement"] == pytest.approx(3 / 5)
    assert table.attrs["coders"] == ["nadia", "sam"] and table.attrs["unit"] == "segment"


def test_reliability_matches_the_coefficients_code_by_code(codings, segments):
    table = tk.reliability(codings, segments).set_index("code")
    for code in ["family", "kindness", "waiting"]:
        ratings = as_long(codings, code)
        row = table.loc[code]
        assert row["kappa"] == pytest.approx(tk.cohen_kappa(ratings), nan_ok=True)
        assert row["alpha"] == pytest.approx(tk.krippendorff_alpha(ratings), nan_ok=True)
        assert row["percent_agreement"] == pytest.approx(tk.percent_agreement(ratings))
        assert row["kappa_method"] == "Cohen"


def test_reliability_with_three_coders_uses_fleiss(segments):
    rng = np.random.default_rng(4)
    rows = []
    for i, s in segments[["interview_id", "segment_id"]].itertuples(index=False):
        for coder in ["sam", "nadia", "priya"]:
            rows.append((i, s, "any", coder))
            for code in ["a", "b"]:
                if rng.random() < 0.5:
                    rows.append((i, s, code, coder))
    codings = codings_from(rows)
    codings = codings[~((codings["coder"] == "priya") & (codings["segment_id"] == 3))]
    table = tk.reliability(codings, segments).set_index("code")
    assert table.loc["a", "kappa_method"] == "Fleiss"
    assert table.loc["a", "units"] == 8 and table.loc["a", "kappa_units"] == 6
    for code in ["a", "b"]:
        ratings = as_long(codings, code)
        assert table.loc[code, "alpha"] == pytest.approx(tk.krippendorff_alpha(ratings))
        every = ratings.groupby("unit").filter(lambda g: len(g) == 3)
        assert table.loc[code, "kappa"] == pytest.approx(tk.fleiss_kappa(every))
        assert table.loc[code, "percent_agreement"] == pytest.approx(tk.percent_agreement(ratings))


def test_pooled_row_treats_every_decision_as_a_unit(codings, segments):
    table = tk.reliability(codings, segments, ci=None).set_index("code")
    pooled = pd.concat(
        [
            as_long(codings, c).assign(unit=lambda t, c=c: t["unit"] + c)
            for c in ["family", "kindness", "waiting"]
        ]
    )
    assert table.loc["(all codes)", "alpha"] == pytest.approx(tk.krippendorff_alpha(pooled))
    assert table.loc["(all codes)", "kappa"] == pytest.approx(tk.cohen_kappa(pooled))


def test_reliability_intervals(codings, segments):
    table = tk.reliability(codings, segments, n_boot=200)
    scored = table.dropna(subset=["alpha"])
    assert (scored["alpha_low"] <= scored["alpha"] + 1e-12).all()
    assert (scored["alpha"] <= scored["alpha_high"] + 1e-12).all()
    again = tk.reliability(codings, segments, n_boot=200)
    pd.testing.assert_frame_equal(table, again)
    assert tk.reliability(codings, segments, ci=None)["alpha_low"].isna().all()


def test_not_x_needs_the_coder_to_have_coded_the_segment(codings, segments):
    # An explicit coverage row says nadia read i2 segment 2 and applied nothing there:
    # now it is compared, and her "not family" disagrees with sam's "family".
    coverage = pd.DataFrame({"coder": ["nadia"], "interview_id": ["i2"], "segment_id": [2]})
    before = tk.reliability(codings, segments).set_index("code")
    after = tk.reliability(codings, segments, coverage=coverage).set_index("code")
    assert after.loc["family", "units"] == before.loc["family", "units"] + 1
    assert after.loc["family", "percent_agreement"] < before.loc["family", "percent_agreement"]
    # ...and she agrees with sam on "not kindness" there.
    assert after.loc["kindness", "percent_agreement"] > before.loc["kindness", "percent_agreement"]


def test_coverage_of_whole_interviews(codings, segments):
    coverage = pd.DataFrame({"coder": ["sam", "nadia"], "interview_id": ["i2", "i2"]})
    table = tk.reliability(codings, segments, coverage=coverage)
    assert table["units"].iloc[0] == 5 + 2  # i2 segments 2 and 3 now seen by both


def test_bad_coverage(codings, segments):
    with pytest.raises(AgreementError, match=r"'priya'"):
        tk.reliability(
            codings, segments, coverage=pd.DataFrame({"coder": ["priya"], "interview_id": ["i1"]})
        )
    with pytest.raises(AgreementError, match=r"known segments"):
        tk.reliability(
            codings,
            segments,
            coverage=pd.DataFrame({"coder": ["sam"], "interview_id": ["i1"], "segment_id": [99]}),
        )
    with pytest.raises(AgreementError, match=r"known interviews"):
        tk.reliability(
            codings, segments, coverage=pd.DataFrame({"coder": ["sam"], "interview_id": ["i9"]})
        )


def test_rules_are_left_out_unless_asked(codings, segments):
    rules = codings_from(
        [("i1", 1, "kindness", "rules"), ("i2", 3, "waiting", "rules")], method="rule"
    )
    both = pd.concat([codings, rules], ignore_index=True)
    assert tk.reliability(both, segments).attrs["coders"] == ["nadia", "sam"]
    table = tk.reliability(both, segments, include_rules=True)
    assert table.attrs["coders"] == ["nadia", "rules", "sam"]
    assert table["kappa_method"].iloc[0] == "Fleiss"
    # A rule sees every segment, so every segment a person coded is now compared.
    assert table["units"].iloc[0] == 7
    rules_only = tk.reliability(both, segments, include_rules=True, coders=["rules", "sam"])
    assert rules_only.attrs["coders"] == ["rules", "sam"]


def test_choosing_coders(codings, segments):
    with pytest.raises(AgreementError, match=r"'priya'.*spelling"):
        tk.reliability(codings, segments, coders=["sam", "priya"])
    rules = codings_from([("i1", 1, "kindness", "rules")], method="rule")
    with pytest.raises(AgreementError, match=r"include_rules=True"):
        tk.reliability(pd.concat([codings, rules]), segments, coders=["sam", "rules"])


def test_interview_as_unit(codings, segments):
    table = tk.reliability(codings, segments, unit="interview").set_index("code")
    assert table.loc["family", "units"] == 2
    # Both coders applied family somewhere in i1; only sam in i2.
    assert table.loc["family", "percent_agreement"] == pytest.approx(0.5)
    assert table.loc["kindness", "applied"] == 1
    assert table.attrs["unit"] == "interview"


def test_coders_are_names_and_one_name_is_one_coder(codings, segments):
    with pytest.raises(AgreementError, match=r"at least two coders.*only 'sam'"):
        tk.reliability(codings, segments, coders="sam")
    with pytest.raises(AgreementError, match=r"'nadja'.*did you mean 'nadia'"):
        tk.reliability(codings, segments, coders=["sam", "nadja"])


def test_unit_may_be_singular_or_plural(codings, segments):
    for singular, plural in [("segment", "segments"), ("interview", "Interviews")]:
        one = tk.reliability(codings, segments, unit=singular, ci=None)
        many = tk.reliability(codings, segments, unit=plural, ci=None)
        pd.testing.assert_frame_equal(one, many)
        assert many.attrs["unit"] == singular
        pd.testing.assert_frame_equal(
            tk.disagreements(codings, segments, unit=singular),
            tk.disagreements(codings, segments, unit=plural),
        )
    with pytest.raises(AgreementError, match=r"did you mean 'segment'"):
        tk.reliability(codings, segments, unit="segmnt")


def test_reliability_ci_means_the_level_too(codings, segments):
    default = tk.reliability(codings, segments, n_boot=200)
    assert default.attrs["confidence"] == 0.95
    pd.testing.assert_frame_equal(tk.reliability(codings, segments, ci=True, n_boot=200), default)
    narrow = tk.reliability(codings, segments, ci=0.5, n_boot=200)
    assert narrow.attrs["confidence"] == 0.5
    assert tk.reliability(codings, segments, ci=False).attrs["confidence"] is None


def test_an_empty_codebook_checks_nothing(codings, segments):
    expected = tk.reliability(codings, segments, ci=None)
    nothing = pd.DataFrame({"code": []})
    for empty in ([], nothing, tk.Codebook.from_table(nothing)):
        pd.testing.assert_frame_equal(
            tk.reliability(codings, segments, codebook=empty, ci=None), expected
        )


def test_codebook_of_any_kind(codings, segments):
    order = ["waiting", "kindness", "family"]
    expected = list(tk.reliability(codings, segments, codebook=order, ci=None)["code"])
    book = tk.Codebook.from_table(pd.DataFrame({"code": order}))
    for codebook in (book, book.table, pd.Series(order)):
        table = tk.reliability(codings, segments, codebook=codebook, ci=None)
        assert list(table["code"]) == expected
    with pytest.raises(AgreementError, match=r"'family' \(did you mean 'familly'\?\)"):
        tk.reliability(codings, segments, codebook=["waiting", "kindness", "familly"])


def test_codebook_order_and_unknown_codes(codings, segments):
    table = tk.reliability(codings, segments, codebook=["waiting", "kindness", "family", "spare"])
    assert list(table["code"]) == ["waiting", "kindness", "family", "(all codes)"]
    codebook = pd.DataFrame({"code": ["waiting", "kindness"]})
    with pytest.raises(AgreementError, match=r"codes from the codebook.*'family'"):
        tk.reliability(codings, segments, codebook=codebook)


def test_codings_placed_by_their_span(codings, segments):
    by_span = codings.assign(segment_id=None, start=[0] * len(codings), end=[0] * len(codings))
    position = {
        (i, s): (a, b)
        for i, s, a, b in segments[["interview_id", "segment_id", "start", "end"]].values
    }
    spans = [position[(i, s)] for i, s in codings[["interview_id", "segment_id"]].values]
    by_span["start"] = [a + 1 for a, _ in spans]
    by_span["end"] = [b - 1 for _, b in spans]
    expected = tk.reliability(codings, segments, ci=None)
    pd.testing.assert_frame_equal(tk.reliability(by_span, segments, ci=None), expected)


def test_a_span_over_two_segments_counts_in_both(segments):
    codings = codings_from([("i1", 1, "x", "sam"), ("i1", 2, "y", "sam"), ("i1", 1, "x", "nadia")])
    codings.loc[2, ["segment_id", "start", "end"]] = [None, 5, 15]
    table = tk.reliability(codings, segments, ci=None).set_index("code")
    assert table.loc["x", "units"] == 2
    assert table.loc["x", "percent_agreement"] == pytest.approx(0.5)


def test_span_outside_every_segment(segments):
    codings = codings_from([("i1", None, "x", "sam"), ("i1", 1, "x", "nadia")])
    codings.loc[0, ["start", "end"]] = [500, 510]
    with pytest.raises(AgreementError, match=r"overlaps none"):
        tk.reliability(codings, segments)


def test_coding_in_an_unknown_segment(codings, segments):
    bad = pd.concat([codings, codings_from([("i1", 42, "x", "sam")])], ignore_index=True)
    with pytest.raises(
        AgreementError, match=r"row with index 13 refers to segment '42' of interview 'i1'"
    ):
        tk.reliability(bad, segments)


def test_segment_ids_match_across_types(codings, segments):
    as_text = codings.assign(segment_id=codings["segment_id"].astype(str))
    pd.testing.assert_frame_equal(
        tk.reliability(as_text, segments, ci=None), tk.reliability(codings, segments, ci=None)
    )


def test_reliability_without_segments_table(codings, segments):
    without = tk.reliability(codings, ci=None)
    assert without["units"].iloc[0] == 5


def test_reliability_single_coder(codings, segments):
    with pytest.raises(AgreementError, match=r"at least two coders.*only 'sam'"):
        tk.reliability(codings[codings["coder"] == "sam"], segments)
    with pytest.raises(AgreementError, match=r"found none"):
        tk.reliability(codings.iloc[0:0], segments)


def test_reliability_no_segment_in_common(segments):
    codings = codings_from(
        [("i1", 1, "x", "sam"), ("i1", 2, "x", "nadia"), ("i1", 3, "y", "nadia")]
    )
    with pytest.raises(AgreementError) as info:
        tk.reliability(codings, segments)
    assert "no segment in common" in str(info.value)
    assert "nadia 2, sam 1" in str(info.value)


def test_reliability_bad_tables(codings, segments):
    with pytest.raises(AgreementError, match=r"'coder'"):
        tk.reliability(codings.drop(columns="coder"), segments)
    with pytest.raises(AgreementError, match=r"unit to be 'segment' or 'interview'"):
        tk.reliability(codings, segments, unit="paragraph")
    with pytest.raises(AgreementError, match=r"segments table"):
        tk.reliability(codings, segments.drop(columns="segment_id"))
    blank = codings.copy()
    blank.loc[2, "code"] = ""
    with pytest.raises(AgreementError, match=r"code in every coding.*index 2"):
        tk.reliability(blank, segments)


def test_reliability_does_not_modify_inputs(codings, segments):
    before_c, before_s = codings.copy(), segments.copy()
    tk.reliability(codings, segments)
    tk.disagreements(codings, segments)
    pd.testing.assert_frame_equal(codings, before_c)
    pd.testing.assert_frame_equal(segments, before_s)


def test_repeated_codings_in_one_segment_count_once(codings, segments):
    twice = pd.concat([codings, codings.iloc[[0]]], ignore_index=True)
    pd.testing.assert_frame_equal(
        tk.reliability(twice, segments, ci=None), tk.reliability(codings, segments, ci=None)
    )


# --- disagreements -------------------------------------------------------------------------------


def test_disagreements_list_who_applied_what(codings, segments):
    table = tk.disagreements(codings, segments)
    assert list(table.columns) == [
        "code", "interview_id", "segment_id", "speaker", "applied_by", "not_applied_by", "text",
    ]  # fmt: skip
    rows = {(r.code, r.interview_id, r.segment_id): r for r in table.itertuples()}
    assert set(rows) == {("kindness", "i1", 3), ("kindness", "i1", 4), ("waiting", "i1", 3)}
    assert rows[("kindness", "i1", 3)].applied_by == "sam"
    assert rows[("kindness", "i1", 3)].not_applied_by == "nadia"
    assert rows[("kindness", "i1", 3)].text == "words 2"
    assert rows[("waiting", "i1", 3)].applied_by == "nadia"
    assert list(table["code"]) == sorted(table["code"])


def test_disagreements_for_one_code_with_memos(codings, segments):
    codings = codings.copy()
    codings.loc[4, "memo"] = "kind words from the nurse"
    table = tk.disagreements(codings, segments, code="kindness")
    assert set(table["code"]) == {"kindness"}
    assert "memos" in table.columns
    memo = table.set_index("segment_id").loc[3, "memos"]
    assert memo == "sam: kind words from the nurse"
    assert len(tk.disagreements(codings, segments, code=["kindness", "waiting"])) == 3


def test_disagreements_suggests_a_code(codings, segments):
    with pytest.raises(AgreementError, match=r"did you mean 'kindness'"):
        tk.disagreements(codings, segments, code="kindnes")


def test_disagreements_unknown_code(codings, segments):
    with pytest.raises(AgreementError, match=r"'hope' is not among them"):
        tk.disagreements(codings, segments, code="hope")


def test_disagreements_by_interview(codings, segments):
    table = tk.disagreements(codings, segments, unit="interview")
    assert list(table.columns) == ["code", "interview_id", "applied_by", "not_applied_by"]
    assert table.to_dict("records") == [
        {"code": "family", "interview_id": "i2", "applied_by": "sam", "not_applied_by": "nadia"}
    ]


def test_no_disagreements_is_an_empty_table(segments):
    codings = codings_from([("i1", 1, "x", "sam"), ("i1", 1, "x", "nadia")])
    assert tk.disagreements(codings, segments).empty


# --- chart ---------------------------------------------------------------------------------------


def test_agreement_chart(codings, segments):
    table = tk.reliability(codings, segments)
    chart = tk.charts.agreement_chart(table)
    assert isinstance(chart, alt.HConcatChart)
    spec = chart.to_dict()
    data = next(rows for rows in spec["datasets"].values() if "label" in rows[0])
    labels = [row["label"] for row in data]
    assert labels[0] == "All codes (pooled)"
    alphas = [row["alpha"] for row in data[1:]]
    assert alphas == sorted(alphas, reverse=True)
    text = tk.charts.describe(chart)
    assert text.startswith("Dot chart of Krippendorff's alpha")
    assert "two coders (nadia and sam) on 5 segments" in text
    assert "Prevalence ranges from" in text
    thresholds = json_values(spec, "text")
    assert {"tentative 0.667", "0.8 reliable"} <= thresholds
    tk.charts.chart_html(chart)  # embeds within the row limit


def json_values(spec, key):
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key and isinstance(v, str):
                    found.add(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            if key in row:
                found.add(row[key])
    return found


def test_agreement_chart_names_codes_it_cannot_score():
    table = pd.DataFrame(
        {
            "code": ["a", "never", "(all codes)"],
            "units": 10,
            "prevalence": [0.3, 0.0, 0.15],
            "alpha": [0.9, np.nan, 0.9],
            "alpha_low": [0.8, np.nan, 0.8],
            "alpha_high": [1.0, np.nan, 1.0],
        }
    )
    text = tk.charts.describe(tk.charts.agreement_chart(table))
    assert "1 reaches 0.8 or more: a." in text
    assert "undefined" in text and "never" in text


def test_agreement_chart_bad_input():
    with pytest.raises(tk.ToolkitError, match=r"'alpha'"):
        tk.charts.agreement_chart(pd.DataFrame({"code": ["a"]}))
    empty = pd.DataFrame(
        {
            "code": ["a"],
            "units": [3],
            "prevalence": [0.0],
            "alpha": [np.nan],
            "alpha_low": [np.nan],
            "alpha_high": [np.nan],
        }
    )
    with pytest.raises(tk.ToolkitError, match=r"undefined"):
        tk.charts.agreement_chart(empty)


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def project_in_memory(tmp_path, codings, segments, monkeypatch):
    project = tk.Project(name="test", segments=segments, codings=codings, path=tmp_path)
    monkeypatch.setattr("toolkit.cli.coding.open_project", lambda path: project)
    return project


def test_cli_agreement_prints_and_writes(project_in_memory, tmp_path):
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--n-boot", "100"])
    assert result.exit_code == 0, result.output
    assert "2 coders (nadia, sam)" in result.output and "both of them" in result.output
    assert "kindness" in result.output and "(all codes)" in result.output
    written = pd.read_csv(tmp_path / "output" / "agreement.csv")
    assert list(written["code"]) == ["family", "kindness", "waiting", "(all codes)"]
    assert not list((tmp_path / "output").glob(".*.tmp"))


def test_cli_agreement_by_interview(project_in_memory, tmp_path):
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--unit", "interview"])
    assert result.exit_code == 0, result.output
    assert "interviews coded by both" in result.output


def test_cli_agreement_unit_in_the_plural(project_in_memory, tmp_path):
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--unit", "interviews"])
    assert result.exit_code == 0, result.output
    assert "interviews coded by both" in result.output and "alpha 95% CI" in result.output


def test_cli_agreement_ignores_an_empty_codebook(project_in_memory, tmp_path):
    from toolkit.cli import cli

    project_in_memory.codebook = tk.Codebook.from_table(pd.DataFrame({"code": []}))
    result = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--n-boot", "100"])
    assert result.exit_code == 0, result.output
    assert "kindness" in result.output


def test_cli_agreement_error_without_traceback(project_in_memory, tmp_path):
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--coder", "sam"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "at least two coders" in result.output


def test_cli_agreement_on_the_sample_project(sample_copy):
    from toolkit.cli import cli

    if tk.open_project(sample_copy).codings["coder"].nunique() < 2:
        pytest.skip("the sample project has no second coder yet")
    result = CliRunner().invoke(cli, ["agreement", str(sample_copy)])
    assert result.exit_code == 0, result.output
    assert (sample_copy / "output" / "agreement.csv").is_file()


def test_the_library_does_not_need_krippendorff():
    # The krippendorff package is a reference for the tests, not a dependency.
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['krippendorff'] = None\n"
        "import pandas as pd, toolkit as tk\n"
        "t = pd.DataFrame({'unit': [1, 1, 2, 2], 'coder': ['a', 'b'] * 2, 'value': [1, 1, 2, 1]})\n"
        "tk.krippendorff_alpha(t, ci=0.9, n_boot=50); tk.cohen_kappa(t); tk.fleiss_kappa(t)\n"
        "c = pd.DataFrame({'interview_id': ['i'] * 2, 'segment_id': [1, 1], 'code': ['x'] * 2,\n"
        "                  'coder': ['a', 'b']})\n"
        "tk.reliability(c, n_boot=50); tk.disagreements(c)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- properties ----------------------------------------------------------------------------------


@st.composite
def rating_tables(draw):
    """Small long tables: 2-4 coders, 2-15 units, values from a few categories, some missing."""
    coders = draw(st.integers(2, 4))
    units = draw(st.integers(2, 15))
    cells = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
            min_size=coders * units,
            max_size=coders * units,
        )
    )
    rows = [
        (u, f"coder{c}", cells[u * coders + c])
        for u in range(units)
        for c in range(coders)
        if cells[u * coders + c] is not None
    ]
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def _same(first, second):
    return (math.isnan(first) and math.isnan(second)) or first == pytest.approx(second)


@settings(max_examples=60, deadline=None)
@given(rating_tables(), st.randoms(use_true_random=False))
def test_coefficients_ignore_row_order_and_names(table, random):
    try:
        alpha = tk.krippendorff_alpha(table)
    except AgreementError:
        return  # no unit rated twice: nothing to compare
    shuffled = table.sample(frac=1, random_state=random.randint(0, 10_000))
    renamed = shuffled.assign(value=shuffled["value"].map({"a": "z", "b": "y", "c": "x"}))
    assert _same(tk.krippendorff_alpha(renamed), alpha)
    assert _same(tk.percent_agreement(renamed), tk.percent_agreement(table))
    assert 0 <= tk.percent_agreement(table) <= 1
    if table["coder"].nunique() == 2:
        swapped = table.assign(coder=table["coder"].map({"coder0": "coder1", "coder1": "coder0"}))
        with contextlib.suppress(AgreementError):
            assert _same(tk.cohen_kappa(swapped), tk.cohen_kappa(table))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the package's 0/0
@settings(max_examples=40, deadline=None)
@given(rating_tables())
def test_alpha_matches_the_package_on_any_table(table):
    wide = table.pivot(index="coder", columns="unit", values="value")
    codes = {"a": 1.0, "b": 2.0, "c": 3.0}
    matrix = wide.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    try:
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except ValueError:
        return
    try:
        ours = tk.krippendorff_alpha(table)
    except AgreementError:
        return
    assert _same(ours, float(expected))


# --- agreement within groups (answers to different questions) ------------------------------------


def _two_questions():
    """Two coders, answers to two questions; 'access' is a code of question 1 only.

    Question 1, ten answers: both coders apply 'access' to a1-a3, only ann to a4, only ben
    to a5; a6-a10 get 'praise' from both.  Question 2, twenty answers: both apply 'food'
    to b1-b12, 'noise' to b13-b20, except that on b20 ann applied 'food' instead.
    """
    rows = []
    for i in range(1, 11):
        ann = ["access"] if i <= 4 else ["praise"]
        ben = ["access"] if i in (1, 2, 3, 5) else ["praise"]
        rows += [(f"a{i}", code, "ann") for code in ann]
        rows += [(f"a{i}", code, "ben") for code in ben]
    for i in range(1, 21):
        code = "food" if i <= 12 else "noise"
        rows += [(f"b{i}", "food" if i == 20 else code, "ann"), (f"b{i}", code, "ben")]
    codings = pd.DataFrame(rows, columns=["interview_id", "code", "coder"]).assign(segment_id=1)
    people = pd.DataFrame(
        {
            "interview_id": [f"a{i}" for i in range(1, 11)] + [f"b{i}" for i in range(1, 21)],
            "question": ["What went well?"] * 10 + ["What could be better?"] * 20,
        }
    )
    return codings, people


def _cohen(a: int, b: int, c: int, d: int) -> float:
    """Cohen's kappa of a 2x2 table: a both yes, b first only, c second only, d both no."""
    n = a + b + c + d
    observed = (a + d) / n
    chance = ((a + b) * (a + c) + (c + d) * (b + d)) / n**2
    return (observed - chance) / (1 - chance)


def test_pooling_questions_inflates_kappa_and_by_question_does_not():
    codings, people = _two_questions()
    naive = tk.reliability(codings, ci=None).set_index("code")
    fair = tk.reliability(codings, ci=None, by="question", participants=people)
    # By hand: in question 1, 'access' has 3 both-yes, 1 ann-only, 1 ben-only, 5 both-no.
    # kappa = (0.8 - 0.52) / 0.48 = 0.5833.  Pooled over all 30 answers the 20 answers to
    # question 2 add 20 easy both-no: po = 28/30, pe = (4/30)^2 + (26/30)^2 = 692/900,
    # kappa = (28/30 - 692/900) / (1 - 692/900) = 148/208 = 0.7115.
    assert _cohen(3, 1, 1, 5) == pytest.approx(0.58333, abs=1e-5)
    assert _cohen(3, 1, 1, 25) == pytest.approx(148 / 208)
    assert naive.loc["access", "kappa"] == pytest.approx(148 / 208)
    assert naive.loc["access", "units"] == 30
    within = fair[(fair["question"] == "What went well?") & (fair["code"] == "access")].iloc[0]
    pooled = fair[(fair["question"] == "(all groups)") & (fair["code"] == "access")].iloc[0]
    assert within["kappa"] == pytest.approx(0.58333, abs=1e-5)
    assert pooled["kappa"] == pytest.approx(0.58333, abs=1e-5) and pooled["units"] == 10
    assert pooled["kappa"] < naive.loc["access", "kappa"]
    # The pooled row over all codes counts each code only in its own question: the 2x2
    # tables of access and praise (question 1) and food and noise (question 2), summed.
    tables = [(3, 1, 1, 5), (5, 1, 1, 3), (12, 1, 0, 7), (7, 0, 1, 12)]
    a, b, c, d = (sum(t[k] for t in tables) for k in range(4))
    everything = fair[(fair["question"] == "(all groups)") & (fair["code"] == "(all codes)")]
    assert everything["kappa"].iloc[0] == pytest.approx(_cohen(a, b, c, d))
    assert everything["units"].iloc[0] == 30
    assert naive.loc["(all codes)", "kappa"] > everything["kappa"].iloc[0]


def test_by_gives_each_group_its_rows_and_a_group_column():
    codings, people = _two_questions()
    table = tk.reliability(codings, ci=0.9, n_boot=60, by="question", participants=people)
    assert list(table.columns[:2]) == ["question", "code"]
    assert table.attrs["by"] == "question"
    groups = table.groupby("question", sort=False)["code"].apply(list).to_dict()
    assert groups == {
        "What went well?": ["access", "praise", "(all codes)"],
        "What could be better?": ["food", "noise", "(all codes)"],
        "(all groups)": ["access", "food", "noise", "praise", "(all codes)"],
    }
    assert table["alpha_low"].notna().any()


def test_by_a_column_of_the_segments(codings, segments):
    by_segment = segments.assign(half=np.where(segments["segment_id"] <= 2, "first", "second"))
    table = tk.reliability(codings, by_segment, ci=None, by="half")
    assert set(table["half"]) <= {"first", "second", "(all groups)"}
    assert "(all groups)" in set(table["half"])


def test_by_names_a_missing_column_and_conflicting_values():
    codings, people = _two_questions()
    with pytest.raises(AgreementError, match=r"'qestion'.*did you mean 'question'"):
        tk.reliability(codings, ci=None, by="qestion", participants=people)
    with pytest.raises(AgreementError, match=r"no table was given"):
        tk.reliability(codings, ci=None, by="question")
    twice = pd.concat([people, people.head(1).assign(question="Another")])
    with pytest.raises(AgreementError, match=r"one 'question' for each interview.*'a1'"):
        tk.reliability(codings, ci=None, by="question", participants=twice)


def test_units_without_a_value_form_their_own_group():
    codings, people = _two_questions()
    people.loc[people["interview_id"] == "b20", "question"] = ""
    table = tk.reliability(codings, ci=None, by="question", participants=people)
    assert "(blank)" in set(table["question"])


def test_cli_agreement_by_question(project_in_memory, tmp_path):
    from toolkit.cli import cli

    codings, people = _two_questions()
    project_in_memory.codings = codings
    project_in_memory.segments = None
    project_in_memory.participants = people
    result = CliRunner().invoke(
        cli, ["agreement", str(tmp_path), "--by", "question", "--n-boot", "60"]
    )
    assert result.exit_code == 0, result.output
    assert "question: What went well?" in result.output
    assert "question: (all groups)" in result.output
    written = pd.read_csv(tmp_path / "output" / "agreement.csv")
    assert list(written.columns[:2]) == ["question", "code"]
    access = written[(written["code"] == "access")].set_index("question")["kappa"]
    assert access["(all groups)"] == pytest.approx(0.58333, abs=1e-5)
    bad = CliRunner().invoke(cli, ["agreement", str(tmp_path), "--by", "ward"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "'ward'" in bad.output
