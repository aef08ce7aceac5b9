"""Charts over the toolkit's tidy tables, in one look, each with a description.

Every builder takes a table and returns an :class:`altair.Chart` that can be
refined further; :func:`describe` returns its plain-English description (the
text alternative).  The builders live in modules by topic, and are all named
here, so ``tk.charts.participants_chart(...)`` works:

================  ===========================================================
module            charts
================  ===========================================================
``base``          the shared look (:func:`chart_config`), :func:`describe`
``render``        :func:`chart_script`, :func:`chart_html`, the site renderer
``spec``          :func:`chart_dict` (a chart's Vega-Lite specification, quickly)
``participants``  :func:`participants_chart`
``themes``        frequency, groups, positive core, trends
``matrices``      co-occurrence, prevalence
``quotes``        :func:`quotes_chart`
``agreement``     :func:`agreement_chart`
``energy``        influence-energy grid, five energies, follow the energy, dot votes
``network``       :func:`network_chart`
``rules``         :func:`rule_evaluation_chart`
``runs``          :func:`run_chart` (a measure over time, with its median and signals)
================  ===========================================================

Colours come from :mod:`toolkit.present.colours`.
"""

from toolkit.present.charts.agreement import AGREEMENT_THRESHOLDS, agreement_chart
from toolkit.present.charts.base import (
    FONT_SIZE,
    MAX_ROWS,
    PALETTE,
    chart_config,
    describe,
    theme,
)
from toolkit.present.charts.energy import (
    ROLE_STYLE,
    dot_votes_chart,
    energy_profile_chart,
    follow_the_energy_chart,
    influence_energy_chart,
)
from toolkit.present.charts.matrices import cooccurrence_chart, prevalence_chart
from toolkit.present.charts.network import network_chart
from toolkit.present.charts.participants import participants_chart
from toolkit.present.charts.quotes import quotes_chart
from toolkit.present.charts.render import (
    chart_html,
    chart_script,
    describe_spec,
    use_site_renderer,
)
from toolkit.present.charts.rules import rule_evaluation_chart
from toolkit.present.charts.runs import SIGNAL_STYLE, run_chart
from toolkit.present.charts.spec import chart_dict, json_records
from toolkit.present.charts.themes import (
    positive_core_chart,
    theme_frequency_chart,
    theme_group_chart,
    theme_trend_chart,
)

__all__ = [
    "AGREEMENT_THRESHOLDS",
    "FONT_SIZE",
    "MAX_ROWS",
    "PALETTE",
    "ROLE_STYLE",
    "SIGNAL_STYLE",
    "agreement_chart",
    "chart_config",
    "chart_dict",
    "chart_html",
    "chart_script",
    "cooccurrence_chart",
    "describe",
    "describe_spec",
    "dot_votes_chart",
    "energy_profile_chart",
    "follow_the_energy_chart",
    "influence_energy_chart",
    "json_records",
    "network_chart",
    "participants_chart",
    "positive_core_chart",
    "prevalence_chart",
    "quotes_chart",
    "rule_evaluation_chart",
    "run_chart",
    "theme",
    "theme_frequency_chart",
    "theme_group_chart",
    "theme_trend_chart",
    "use_site_renderer",
]
