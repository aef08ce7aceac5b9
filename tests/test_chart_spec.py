"""chart_dict gives the same Vega-Lite specification as Altair's to_dict, more quickly."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.present.charts.spec import chart_dict, json_records
from toolkit.present.report.sections import build_report


def _sample_charts() -> dict[str, alt.TopLevelMixin]:
    """Every chart of the sample's report, and the book's other charts, on the sample."""
    project = tk.sample_project()
    report = build_report(project)
    charts = {
        f"report figure {n}": value.chart
        for n, value in enumerate(
            (v for s in report.sections for kind, v in s.blocks if kind == "chart"), start=1
        )
    }
    table = tk.energy_table(project.stakeholders, project.connections)
    weeks = pd.DataFrame(
        {
            "week_starting": pd.date_range("2026-01-05", periods=16, freq="7D"),
            "percent_called": [52, 55, 50, 58, 61, 57, 60, 66, 70, 68, 72, 75, 74, 79, 77, 80],
        }
    )
    quotes = tk.exemplar_quotes(project, of="theme", per_code=2)
    charts.update(
        {
            "influence and energy": tk.charts.influence_energy_chart(table),
            "network": tk.charts.network_chart(table, project.connections),
            "energy profile": tk.charts.energy_profile_chart(
                tk.energy_profile(project.stakeholders, by="group")
            ),
            "dot votes": tk.charts.dot_votes_chart(project.votes),
            "run chart (dates)": tk.charts.run_chart(
                weeks, date="week_starting", value="percent_called"
            ),
            "prevalence": tk.charts.prevalence_chart(tk.theme_prevalence(project, group="group")),
            "quotes": tk.charts.quotes_chart(quotes.head(4)),
        }
    )
    return charts


CHARTS = _sample_charts()


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_dict_is_altairs_specification(name):
    chart = CHARTS[name]
    assert chart_dict(chart) == chart.to_dict(validate=False)


def test_chart_dict_validates_when_asked():
    chart = CHARTS["report figure 1"]
    assert chart_dict(chart, validate=True) == chart.to_dict()
    broken = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x=alt.X("a:Q", bin="wrong"))
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        chart_dict(broken, validate=True)


def test_chart_dict_passes_a_specification_through():
    spec = {"mark": "bar"}
    assert chart_dict(spec) is spec


# Columns of every kind a table can hold, with missing values in each.
ODD_COLUMNS = {
    "text": pd.Series(["a", None, "c"], dtype="str"),
    "objects": pd.Series(["a", np.nan, None], dtype=object),
    "arrays": pd.Series([np.array([1, 2]), "x", None], dtype=object),
    "category": pd.Series(["low", None, "high"], dtype="category"),
    "whole": pd.Series([1, 2, 3], dtype="int64"),
    "nullable whole": pd.Series([1, None, 3], dtype="Int64"),
    "floats": pd.Series([0.5, np.nan, np.inf]),
    "nullable floats": pd.Series([0.5, None, 1.5], dtype="Float64"),
    "flags": pd.Series([True, False, True]),
    "nullable flags": pd.Series([True, None, False], dtype="boolean"),
    "dates": pd.Series(
        pd.to_datetime(["2026-01-05", None, "2026-02-01T09:30:00"], format="ISO8601")
    ),
    "zoned dates": pd.Series(pd.to_datetime(["2026-01-05", None, "2026-02-01"], utc=True)),
    "unsigned": pd.Series([1, 2, 3], dtype="uint8"),
}


@pytest.mark.parametrize("column", list(ODD_COLUMNS))
def test_json_records_match_altairs_rows_for_every_kind_of_column(column):
    from altair.utils.core import sanitize_pandas_dataframe

    table = pd.DataFrame({column: ODD_COLUMNS[column], "n": [1, 2, 3]})
    table.attrs["notes"] = ["kept on the table, not in the rows"]
    expected = sanitize_pandas_dataframe(table).to_dict(orient="records")
    chart = alt.Chart(table).mark_point().encode(x="n:Q", tooltip=[f"{column}:N"])
    spec = chart_dict(chart)
    # Strict JSON: no NaN anywhere (a browser's JSON.parse refuses it).
    json.dumps(spec, allow_nan=False)
    # Altair (with pandas 3) can leave a missing object as NaN; the toolkit writes null.
    clean = [
        {key: None if isinstance(v, float) and v != v else v for key, v in row.items()}
        for row in expected
    ]
    assert json_records(table) == clean
    if clean == expected:
        assert spec == chart.to_dict(validate=False)
    assert table.attrs == {"notes": ["kept on the table, not in the rows"]}  # input unchanged


def test_chart_dict_keeps_altairs_row_limit_and_the_users_choice():
    big = pd.DataFrame({"x": range(5001)})
    chart = alt.Chart(big).mark_tick().encode(x="x:Q")
    with pytest.raises(alt.MaxRowsError):
        chart_dict(chart)
    with alt.data_transformers.enable("default", max_rows=None):
        assert len(chart_dict(chart)["datasets"].popitem()[1]) == 5001
    assert alt.data_transformers.active == "default"


def test_a_field_with_no_type_is_left_to_altair_and_the_chart_is_left_as_given():
    table = pd.DataFrame({"who": ["carer", "patient"], "n": [3, 5]})
    table.attrs["notes"] = ["a note"]
    chart = alt.Chart(table).mark_bar().encode(x="n", y="who")  # types inferred from the table
    assert chart_dict(chart) == chart.to_dict(validate=False)
    assert chart.data is table
    layered = alt.layer(chart, chart.mark_text()).properties(data=table)
    assert chart_dict(layered) == layered.to_dict(validate=False)
    assert layered.data is table and chart.data is table
