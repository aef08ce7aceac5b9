"""Run charts: each rule on hand-made series, the exact runs limits, the chart, bad input."""

from __future__ import annotations

import itertools
from fractions import Fraction

import altair as alt
import pandas as pd
import pytest

import toolkit as tk
from toolkit.analysis.run_chart import POINT_COLUMNS, SIGNAL_COLUMNS, run_chart_rules
from toolkit.analysis.run_limits import runs_distribution, runs_limits
from toolkit.errors import ToolkitError
from toolkit.present import colours


def weekly(values, start=1):
    """A table of week numbers and values."""
    return pd.DataFrame({"week": range(start, start + len(values)), "value": values})


def rules(values, **options):
    return run_chart_rules(weekly(values), date="week", value="value", **options)


def found(result):
    return list(result.signals["rule"])


# A quiet series about its median (5.5): 8 runs, no shift, no trend, no outlier.
QUIET = [4, 7, 6, 5, 3, 8, 7, 4, 5, 6, 3, 7]


def test_a_quiet_series_has_no_signals():
    result = rules(QUIET)
    assert found(result) == []
    assert result.summary().startswith("No signals")
    assert result.median == 5.5 and result.useful == 12
    assert not result.points[["shift", "trend", "astronomical"]].to_numpy().any()


# --- shift ------------------------------------------------------------------


def test_six_points_above_the_median_are_a_shift():
    # Median 5: the six 6s to 9s in a row are all above it.
    values = [4, 5, 3, 4, 2, 4, 6, 7, 8, 6, 9, 7, 3, 5]
    result = rules(values)
    shifts = result.signals[result.signals["rule"] == "shift"]
    assert shifts[["first", "last", "points", "direction"]].values.tolist() == [[7, 12, 6, "above"]]
    assert list(result.points["shift"]) == [False] * 6 + [True] * 6 + [False] * 2
    assert "6 points in a row above the median, from week 7 to week 12" in result.summary()


def test_five_points_in_a_row_are_not_a_shift():
    values = [4, 5, 3, 4, 2, 4, 6, 7, 8, 6, 9, 3, 5, 4]
    assert "shift" not in found(rules(values))


def test_points_on_the_median_neither_count_nor_break_a_shift():
    # Median 5: four points above, one on the median, two more above = a shift of 6.
    values = [2, 3, 1, 6, 7, 6, 8, 5, 6, 7, 2, 4, 5, 3, 5]
    result = rules(values)
    shift = result.signals[result.signals["rule"] == "shift"].iloc[0]
    assert (shift["first"], shift["last"], shift["points"]) == (4, 10, 6)
    on = result.points["side"] == "on the median"
    assert list(on[on].index) == [7, 12, 14]
    assert not result.points.loc[on, "shift"].any()  # the point on the median does not count
    assert result.points.loc[on, "run"].isna().all()


def test_five_above_with_a_point_on_the_median_is_still_not_a_shift():
    values = [2, 3, 1, 6, 7, 6, 5, 8, 6, 2, 4, 5, 3, 1, 5]
    assert "shift" not in found(rules(values))


# --- trend ------------------------------------------------------------------


def test_five_points_going_up_are_a_trend():
    values = [5, 3, 6, 1, 2, 3, 4, 5, 2, 6, 4, 3]
    result = rules(values)
    trend = result.signals[result.signals["rule"] == "trend"]
    assert trend[["first", "last", "points", "direction"]].values.tolist() == [[4, 8, 5, "up"]]
    assert list(result.points["trend"]) == [False] * 3 + [True] * 5 + [False] * 4


def test_four_points_going_up_are_not_a_trend():
    values = [5, 3, 6, 1, 2, 3, 4, 2, 6, 4, 3, 5]
    assert "trend" not in found(rules(values))


def test_five_points_going_down_are_a_trend():
    values = [3, 5, 2, 9, 8, 6, 4, 1, 5, 3, 6, 4]
    trend = rules(values).signals.query("rule == 'trend'")
    assert trend[["first", "last", "direction"]].values.tolist() == [[4, 8, "down"]]


def test_equal_neighbours_neither_count_nor_break_a_trend():
    # 1, 2, 2, 3, 4: five points but only four count (the repeated 2 does not).
    assert "trend" not in found(rules([5, 3, 6, 1, 2, 2, 3, 4, 2, 6, 4, 3]))
    # 1, 2, 2, 3, 4, 5: the repeat does not break the trend of five.
    result = rules([5, 3, 6, 1, 2, 2, 3, 4, 5, 2, 6, 4])
    trend = result.signals.query("rule == 'trend'").iloc[0]
    assert (trend["first"], trend["last"], trend["points"]) == (4, 9, 5)
    assert not result.points.loc[5, "trend"]  # the repeated point is not counted


def test_a_peak_turns_one_trend_into_the_next():
    result = rules([1, 2, 3, 4, 5, 4, 3, 2, 1, 3, 2, 3])
    trends = result.signals.query("rule == 'trend'")
    assert trends[["first", "last", "direction"]].values.tolist() == [[1, 5, "up"], [5, 9, "down"]]


# --- the number of runs -----------------------------------------------------


def test_too_few_runs():
    # Median 5.5: one long run below, one long run above: 2 runs where 3 to 11 are usual.
    result = rules([3, 4, 2, 5, 4, 3, 7, 8, 6, 7, 9, 6])
    assert result.runs == 2 and result.limits == (3, 11)
    assert "too few runs" in found(result)
    assert "Too few runs: 2, where 3 to 11 are usual" in result.summary()


def test_too_many_runs():
    # Alternating about the median: 14 runs in 14 points where 4 to 12 are usual.
    result = rules([2, 8, 3, 9, 2, 7, 1, 8, 3, 9, 2, 7, 3, 8])
    assert result.runs == 14 and result.limits == (4, 12)
    assert found(result) == ["too many runs"]


def test_runs_at_the_limits_are_not_a_signal():
    # 12 points: 3 runs (the lower limit) is not fewer than 3.
    result = rules([3, 4, 2, 8, 9, 7, 8, 9, 6, 4, 2, 3])
    assert result.runs == 3 and "too few runs" not in found(result)


def test_runs_rule_needs_ten_points_off_the_median():
    # 11 points, 3 on the median: 8 useful observations, too few to judge the runs.
    result = rules([5, 1, 9, 5, 2, 8, 5, 3, 7, 4, 6])
    assert result.useful == 8 and result.limits is None
    assert "too few runs" not in found(result) and "too many runs" not in found(result)
    assert "runs rule was not applied" in result.summary()


# --- the limits for the number of runs --------------------------------------

#: Perla, Provost and Murray (2011), table 1, as reproduced in run-chart training
#: material: useful observations -> (lower limit, upper limit).
PUBLISHED = {10: (3, 9), 15: (5, 12), 20: (6, 16), 25: (8, 18), 30: (11, 21)}


@pytest.mark.parametrize("useful", [10, 20, 30])
def test_limits_reproduce_the_published_table(useful):
    assert runs_limits(useful) == PUBLISHED[useful]


@pytest.mark.parametrize("useful", [15, 25])
def test_limits_for_odd_counts_are_within_one_of_the_published_table(useful):
    lower, upper = runs_limits(useful)
    assert abs(lower - PUBLISHED[useful][0]) <= 1 and abs(upper - PUBLISHED[useful][1]) <= 1


@pytest.mark.parametrize("useful", range(10, 61))
def test_limits_keep_the_chance_of_a_false_signal_at_most_five_percent(useful):
    lower, upper = runs_limits(useful)
    chances = runs_distribution(useful - useful // 2, useful // 2)
    assert sum(p for r, p in chances.items() if r <= lower) <= Fraction(1, 20)
    assert sum(p for r, p in chances.items() if r <= lower + 1) > Fraction(1, 20)
    assert sum(p for r, p in chances.items() if r >= upper) <= Fraction(1, 20)
    assert sum(p for r, p in chances.items() if r >= upper - 1) > Fraction(1, 20)


@pytest.mark.parametrize(("above", "below"), [(3, 4), (5, 5), (4, 7)])
def test_runs_distribution_matches_counting_every_arrangement(above, below):
    counts: dict[int, int] = {}
    for places in itertools.combinations(range(above + below), above):
        sides = [i in places for i in range(above + below)]
        runs = 1 + sum(a != b for a, b in itertools.pairwise(sides))
        counts[runs] = counts.get(runs, 0) + 1
    total = sum(counts.values())
    assert runs_distribution(above, below) == {r: Fraction(n, total) for r, n in counts.items()}


def test_swed_and_eisenhart_value_for_five_and_five():
    # Swed and Eisenhart (1943): with 5 and 5, 3 runs or fewer has a chance of 0.040.
    chances = runs_distribution(5, 5)
    assert float(chances[2] + chances[3]) == pytest.approx(0.0397, abs=1e-4)


def test_limits_need_two_points():
    with pytest.raises(ToolkitError, match="at least 2 points off the median"):
        runs_limits(1)


# --- astronomical point -----------------------------------------------------


def test_one_point_far_from_all_the_others_is_astronomical():
    result = rules([10, 11, 9, 10, 12, 10, 11, 9, 10, 40, 11, 10])
    astro = result.signals.query("rule == 'astronomical point'")
    assert astro[["first", "points", "direction"]].values.tolist() == [[10, 1, "high"]]
    assert list(result.points["astronomical"]).index(True) == 9
    assert "rule of thumb" in result.summary()


def test_a_new_level_is_not_an_astronomical_point():
    # Twelve points jump from about 10 to about 40: a shift, not twelve outliers.
    values = [10, 11, 9, 10, 12, 10, 41, 40, 42, 39, 40, 41]
    result = rules(values)
    assert "astronomical point" not in found(result)
    assert "shift" in found(result)


def test_a_low_astronomical_point_and_the_rule_switched_off():
    values = [50, 52, 51, 49, 50, 2, 51, 50, 52, 49, 51, 50]
    assert rules(values).signals.query("rule == 'astronomical point'")["direction"].tolist() == [
        "low"
    ]
    assert "astronomical point" not in found(rules(values, astronomical=None))


def test_flat_series_has_no_astronomical_point():
    assert found(rules([5] * 12)) == []


# --- the tables returned ----------------------------------------------------


def test_points_and_signals_tables_have_their_columns():
    result = rules([3, 4, 2, 5, 4, 3, 7, 8, 6, 7, 9, 6])
    assert list(result.points.columns) == POINT_COLUMNS
    assert list(result.signals.columns) == SIGNAL_COLUMNS
    assert result.points["value"].dtype == "float64" and result.points["shift"].dtype == bool
    assert result.points["run"].tolist() == [1] * 6 + [2] * 6
    assert result.points.loc[6, "signal"] == "shift"
    assert result.points.attrs["value"] == "value"
    assert tk.run_chart_rules is run_chart_rules and tk.runs_limits is runs_limits


def test_empty_signals_table_keeps_its_columns_and_types():
    signals = rules(QUIET).signals
    assert signals.empty and list(signals.columns) == SIGNAL_COLUMNS
    assert signals["points"].dtype == "int64"


def test_dates_are_put_in_order_and_named_in_words():
    table = pd.DataFrame(
        {
            "week_starting": pd.date_range("2026-01-05", periods=12, freq="7D")[::-1],
            "value": [6, 7, 9, 6, 8, 7, 3, 4, 2, 4, 1, 3],
        }
    )
    result = run_chart_rules(table, date="week_starting", value="value")
    assert result.points["date"].is_monotonic_increasing
    assert list(result.points["value"][:3]) == [3, 1, 4]
    assert "from 5 January 2026 to 9 February 2026" in result.summary()


def test_text_dates_and_labels():
    iso = pd.DataFrame({"when": [f"2026-03-{d:02d}" for d in range(1, 13)], "v": QUIET})
    assert run_chart_rules(iso, date="when", value="v").points.attrs["date_kind"] == "date"
    labels = pd.DataFrame({"when": [f"Week {i}" for i in range(12, 0, -1)], "v": QUIET})
    result = run_chart_rules(labels, date="when", value="v")
    assert result.points.attrs["date_kind"] == "label"
    assert result.points["date"].iloc[0] == "Week 12"  # labels keep the order given


def test_a_baseline_median():
    values = [4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 8, 9, 8, 9, 8, 9]
    result = rules(values, baseline=10)
    assert result.median == 4.0 and result.baseline == 10
    assert "first 10 points" in result.summary()
    assert "shift" in found(result)


def test_the_input_is_not_changed():
    table = weekly(QUIET)
    before = table.copy()
    run_chart_rules(table, date="week", value="value")
    pd.testing.assert_frame_equal(table, before)


# --- bad input --------------------------------------------------------------


def test_missing_column_is_named_with_a_suggestion():
    with pytest.raises(ToolkitError, match=r"value column 'valeu'.*did you mean 'value'"):
        run_chart_rules(weekly(QUIET), date="week", value="valeu")
    with pytest.raises(ToolkitError, match="date column 'date'"):
        run_chart_rules(weekly(QUIET), date="date", value="value")


def test_a_value_that_is_not_a_number_names_the_row_and_column():
    values = [*QUIET[:4], "lots", *QUIET[5:]]
    with pytest.raises(ToolkitError, match=r"row 5: expected a number in column 'value', "
                                           r"but found 'lots'"):  # fmt: skip
        rules(values)


def test_a_blank_value_or_date_names_the_row():
    with pytest.raises(ToolkitError, match=r"row 3: .*column 'value', but the cell is blank"):
        rules([*QUIET[:2], None, *QUIET[3:]])
    table = weekly(QUIET).astype({"week": object})
    table.loc[6, "week"] = " "
    with pytest.raises(ToolkitError, match=r"row 7: expected a date in column 'week'"):
        run_chart_rules(table, date="week", value="value")


def test_a_repeated_date_names_both_rows():
    table = weekly(QUIET)
    table.loc[8, "week"] = 3
    with pytest.raises(ToolkitError, match=r"week 3 is in rows 3 and 9"):
        run_chart_rules(table, date="week", value="value")


def test_too_few_points():
    with pytest.raises(ToolkitError, match=r"at least 10 points.*found 9"):
        rules(QUIET[:9])


def test_not_a_table_and_a_bad_baseline():
    with pytest.raises(ToolkitError, match="found list"):
        run_chart_rules(QUIET, date="week", value="value")
    with pytest.raises(ToolkitError, match="baseline"):
        rules(QUIET, baseline=0)
    with pytest.raises(ToolkitError, match="baseline"):
        rules(QUIET, baseline=2.5)


# --- the chart --------------------------------------------------------------


@pytest.fixture
def signals_chart():
    # A shift above the median, a trend inside it, and one astronomical point.
    values = [20, 22, 19, 21, 60, 20, 22, 21, 30, 32, 34, 36, 38, 37, 36, 38]
    return tk.charts.run_chart(weekly(values), date="week", value="value")


def _layers(chart):
    return chart.to_dict()["layer"]


def test_run_chart_draws_line_points_median_and_labels(signals_chart):
    assert isinstance(signals_chart, alt.LayerChart)
    marks = [layer["mark"]["type"] for layer in _layers(signals_chart)]
    assert marks[:4] == ["line", "rule", "text", "point"]
    assert marks[4:] and set(marks[4:]) == {"text"}  # the signals' labels
    rule = _layers(signals_chart)[1]
    assert rule["mark"]["strokeDash"] == [6, 4] and rule["encoding"]["y"]["field"] == "median"


def test_run_chart_marks_signals_by_shape_colour_and_text(signals_chart):
    spec = signals_chart.to_dict()
    points = spec["layer"][3]["encoding"]
    assert points["shape"]["field"] == points["color"]["field"] == "marker"
    domain = points["color"]["scale"]["domain"]
    assert {"shift", "astronomical point"} <= set(domain)
    shapes = dict(zip(domain, points["shape"]["scale"]["range"], strict=True))
    hues = dict(zip(domain, points["color"]["scale"]["range"], strict=True))
    assert len(set(shapes.values())) == len(shapes)  # every signal its own shape
    for a, b in itertools.combinations(hues.values(), 2):
        assert colours.distinguishable(a, b)  # and colours everyone can tell apart
    texts = {
        row["text"]
        for layer in spec["layer"][4:]
        for row in spec["datasets"][layer["data"]["name"]]
    }
    assert "Astronomical point" in texts and any(t.startswith("Shift:") for t in texts)


def test_run_chart_description_names_the_signals(signals_chart):
    text = tk.charts.describe(signals_chart)
    assert text.startswith("Run chart of value: 16 points from week 1 to week 16")
    assert "A shift:" in text and "An astronomical point (week 5): 60" in text
    assert "dashed line at the median" in text
    html = tk.charts.chart_html(signals_chart)
    assert "An astronomical point" in html


def test_run_chart_without_signals_says_so():
    chart = tk.charts.run_chart(weekly(QUIET), date="week", value="value", title="Calls")
    text = tk.charts.describe(chart)
    assert "No signals" in text and "within the usual 3 to 11" in text
    assert chart.to_dict()["title"]["text"] == "Calls"
    assert [layer["mark"]["type"] for layer in _layers(chart)] == ["line", "rule", "text", "point"]


def test_run_chart_with_dates_and_labels_uses_the_right_axis():
    dated = pd.DataFrame({"week_starting": pd.date_range("2026-01-05", periods=12, freq="7D"),
                          "calls": QUIET})  # fmt: skip
    spec = tk.charts.run_chart(dated, date="week_starting", value="calls").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    labelled = pd.DataFrame({"month": [f"M{i}" for i in range(12)], "calls": QUIET})
    spec = tk.charts.run_chart(labelled, date="month", value="calls").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["type"] == "ordinal"
    assert spec["layer"][0]["encoding"]["x"]["sort"][:2] == ["M0", "M1"]


def test_run_chart_bad_input_is_a_toolkit_error():
    with pytest.raises(ToolkitError, match="at least 10 points"):
        tk.charts.run_chart(weekly(QUIET[:5]), date="week", value="value")
    assert tk.charts.run_chart is tk.charts.runs.run_chart
