"""Chart builders return real charts of the data, with descriptions."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import ToolkitError
from toolkit.present import colours as palette


@pytest.fixture
def people():
    return pd.DataFrame(
        {"interview_id": ["a", "b", "c", "d"], "group": ["carer", "patient", "carer", ""]}
    )


def test_participants_chart_counts(people):
    chart = tk.charts.participants_chart(people)
    assert isinstance(chart, alt.Chart)
    data = chart.data.set_index("group")["people"].to_dict()
    assert data == {"carer": 2, "patient": 1, "(not recorded)": 1}
    text = tk.charts.describe(chart)
    assert "4 participants" in text and "carer 2" in text


def test_participants_chart_bad_column(people):
    with pytest.raises(ToolkitError, match="'site'"):
        tk.charts.participants_chart(people, by="site")


def test_participants_chart_empty():
    empty = pd.DataFrame({"interview_id": [], "group": []})
    with pytest.raises(ToolkitError, match="empty"):
        tk.charts.participants_chart(empty)


def test_chart_html_holds_spec_and_description(people):
    html = tk.charts.chart_html(tk.charts.participants_chart(people))
    start = html.index('data-fte-chart="')
    body = html[html.index(">", start) + 1 : html.index("</script>")]
    spec = json.loads(body)
    assert spec["mark"]["type"] == "bar"
    assert 'class="fte-chart-description"' in html
    assert 'tabindex="0"' in html and 'aria-label="Chart: Who took part, by group"' in html
    assert "https://" not in html.replace(spec.get("$schema", ""), "")


def test_chart_html_escapes_script_end():
    chart = alt.Chart(pd.DataFrame({"x": ["</script><b>"]})).mark_point().encode(x="x:N")
    html = tk.charts.chart_html(chart)
    assert html.count("</script>") == 1


def test_chart_html_refuses_huge_data():
    chart = alt.Chart(pd.DataFrame({"x": range(6000)})).mark_point().encode(x="x:Q")
    with pytest.raises(ToolkitError, match="aggregate"):
        tk.charts.chart_html(chart)


def test_chart_script_bundles_vega_embed():
    script = tk.charts.chart_script()
    assert "vegaEmbed" in script and len(script) > 100_000
    assert script.startswith("(function")


def test_chart_config_uses_colour_blind_safe_palette():
    assert tk.charts.chart_config()["config"]["range"]["category"] == tk.charts.PALETTE
    assert alt.theme.active == "follow_the_energy"


def test_theme_is_a_deprecated_name_for_chart_config():
    with pytest.warns(DeprecationWarning, match="chart_config"):
        config = tk.charts.theme()
    assert config == tk.charts.chart_config()


def test_every_chart_name_is_reached_through_tk_charts():
    import toolkit.present.charts as package

    for name in package.__all__:
        assert getattr(tk.charts, name) is getattr(package, name)
    assert tk.charts.PALETTE is palette.PALETTE


def test_theme_colours_keep_given_colours_that_everyone_can_tell_apart():
    table = pd.DataFrame(
        {
            "theme": ["Care", "Waiting", "Home", "Work"],
            "count": [4, 3, 2, 1],
            "total": 4,
            # red and green look alike with deuteranopia: green is replaced
            "color": ["#d62728", "", "green", "#0000ff"],
        }
    )
    chart = tk.charts.theme_frequency_chart(table)
    scale = chart.to_dict()["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Care"] == "#d62728" and colours["Work"] == "#0000ff"
    assert colours["Home"] != "green" and colours["Waiting"] in palette.PALETTE
    chosen = list(colours.values())
    assert all(palette.distinguishable(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :])
