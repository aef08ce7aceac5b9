"""Agreement between coders: Krippendorff's alpha per code, beside each code's prevalence."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from toolkit.analysis.agreement.reliability import ALL_CODES
from toolkit.errors import ToolkitError
from toolkit.present.charts.base import check_columns
from toolkit.present.colours import PALETTE
from toolkit.wording import listing, plural

__all__ = ["AGREEMENT_THRESHOLDS", "agreement_chart"]

#: Krippendorff's thresholds for alpha: tentative conclusions, and reliable data.
AGREEMENT_THRESHOLDS = {0.667: "tentative 0.667", 0.8: "0.8 reliable"}


def _alpha_band(alpha: float) -> str:
    if alpha >= 0.8:
        return "0.8 or more (reliable)"
    if alpha >= 0.667:
        return "0.667 to 0.8 (tentative)"
    return "below 0.667 (not reliable)"


def agreement_chart(reliability_table: pd.DataFrame) -> alt.HConcatChart:
    """Chart Krippendorff's alpha per code, with its interval, beside how often each code is used.

    Each code is a dot at its alpha with a bar for its confidence interval,
    sorted from the best agreement to the worst, with the pooled figure for
    all codes at the top.  Dashed lines mark Krippendorff's thresholds: 0.8
    (rely on the coding) and 0.667 (draw tentative conclusions only).  A
    second panel shows each code's prevalence, because agreement figures for
    rarely used codes rest on few cases.

    Parameters
    ----------
    reliability_table
        The table :func:`toolkit.reliability` returns.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> table = pd.DataFrame({
    ...     "code": ["kindness", "waiting", "(all codes)"], "units": 40, "applied": [12, 5, 15],
    ...     "prevalence": [0.2, 0.08, 0.14], "percent_agreement": [0.9, 0.95, 0.92],
    ...     "kappa": [0.75, 0.5, 0.68], "alpha": [0.75, 0.5, 0.68],
    ...     "alpha_low": [0.55, 0.1, 0.5], "alpha_high": [0.9, 0.8, 0.82]})
    >>> chart = tk.charts.agreement_chart(table)
    >>> "1 is between 0.667 and 0.8: kindness" in tk.charts.describe(chart)
    True
    """
    check_columns(
        reliability_table,
        ["code", "units", "prevalence", "alpha", "alpha_low", "alpha_high"],
        "reliability",
    )
    table = reliability_table.copy()
    is_pooled = table["code"] == ALL_CODES
    scored = table[table["alpha"].notna()]
    codes = scored[scored["code"] != ALL_CODES].sort_values(
        ["alpha", "code"], ascending=[False, True]
    )
    if codes.empty:
        raise ToolkitError(
            "expected at least one code with an agreement figure to chart, but every code's "
            "alpha is undefined (no code was both applied and left out on the compared units)",
            hint="check that the coders coded the same segments, with the same codes",
        )
    pooled = scored[scored["code"] == ALL_CODES]
    label_pooled = "All codes (pooled)"
    data = pd.concat([pooled, codes], ignore_index=True)
    data["label"] = data["code"].where(data["code"] != ALL_CODES, label_pooled)
    data["band"] = [_alpha_band(a) for a in data["alpha"]]
    data["prevalence_pct"] = data["prevalence"] * 100
    data = data.astype({"label": object, "band": object, "code": object})
    columns = [
        "code",
        "label",
        "band",
        "alpha",
        "alpha_low",
        "alpha_high",
        "prevalence",
        "prevalence_pct",
        "units",
    ]
    for extra in ("kappa", "percent_agreement", "applied"):
        if extra in data.columns:
            columns.append(extra)
    data = data[columns]
    order = list(data["label"])
    low = min(data["alpha_low"].min(skipna=True), data["alpha"].min())
    low = float(data["alpha"].min()) if pd.isna(low) else float(low)
    domain = [min(0.0, math.floor(low * 10) / 10), 1.0]
    bands = ["0.8 or more (reliable)", "0.667 to 0.8 (tentative)", "below 0.667 (not reliable)"]
    y = alt.Y("label:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("code:N", title="Code"),
        alt.Tooltip("alpha:Q", title="Alpha", format=".2f"),
        alt.Tooltip("alpha_low:Q", title="Interval from", format=".2f"),
        alt.Tooltip("alpha_high:Q", title="Interval to", format=".2f"),
        alt.Tooltip("prevalence:Q", title="Prevalence", format=".1%"),
        alt.Tooltip("units:Q", title="Units compared"),
    ]
    if "kappa" in data.columns:
        tooltip.insert(4, alt.Tooltip("kappa:Q", title="Kappa", format=".2f"))
    height = max(80, 22 * len(data))
    base = alt.Chart(data)
    interval = base.mark_rule(strokeWidth=2, color="#555555").encode(
        x=alt.X("alpha_low:Q", scale=alt.Scale(domain=domain), title="Krippendorff's alpha"),
        x2="alpha_high:Q",
        y=y,
        tooltip=tooltip,
    )
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="alpha:Q",
        y=y,
        color=alt.Color(
            "band:N",
            title="Agreement",
            scale=alt.Scale(domain=bands, range=[PALETTE[2], PALETTE[1], PALETTE[5]]),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        shape=alt.Shape(
            "band:N", scale=alt.Scale(domain=bands, range=["circle", "diamond", "square"])
        ),
        tooltip=tooltip,
    )
    lines = pd.DataFrame(
        {"x": list(AGREEMENT_THRESHOLDS), "text": list(AGREEMENT_THRESHOLDS.values())}
    )
    rules = alt.Chart(lines).mark_rule(strokeDash=[4, 4], color="#1a1a1a").encode(x="x:Q")
    # The two lines are close: label the lower one on its left, the higher on its right.
    lower = f"datum.x < {max(AGREEMENT_THRESHOLDS)}"
    labels = (
        alt.Chart(lines)
        .mark_text(
            align=alt.ExprRef(f"{lower} ? 'right' : 'left'"),
            dx=alt.ExprRef(f"{lower} ? -3 : 3"),
            dy=-6,
            baseline="bottom",
            color="#1a1a1a",
        )
        .encode(x="x:Q", y=alt.value(0), text="text:N")
    )
    left = alt.layer(rules, labels, interval, dots).properties(width=340, height=height)
    bars = (
        base.mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("prevalence_pct:Q", title="Prevalence (%)", axis=alt.Axis(tickCount=3)),
            y=alt.Y("label:N", sort=order, axis=None),
            tooltip=tooltip,
        )
        .properties(width=110, height=height)
    )
    return (
        alt.hconcat(left, bars, spacing=12)
        .resolve_scale(y="shared")
        .properties(
            title="Agreement between coders, per code",
            description=_agreement_description(reliability_table, codes, pooled, table, is_pooled),
        )
    )


def _agreement_description(
    source: pd.DataFrame,
    codes: pd.DataFrame,
    pooled: pd.DataFrame,
    table: pd.DataFrame,
    is_pooled: pd.Series,
) -> str:
    coders = source.attrs.get("coders")
    unit = source.attrs.get("unit", "unit")
    confidence = source.attrs.get("confidence") or 0.95
    units = int(table["units"].iloc[0])
    who = f"{len(coders)} coders" if coders else "the coders"
    if coders and len(coders) == 2:
        who = f"two coders ({coders[0]} and {coders[1]})"
    text = (
        f"Dot chart of Krippendorff's alpha for {plural(len(codes), 'code')},"
        f" comparing {who} on {units} {unit}s, each with its {confidence:.0%} "
        "confidence interval, beside a bar chart of each code's prevalence."
    )
    if not pooled.empty:
        row = pooled.iloc[0]
        text += (
            f" Over all codes alpha is {row['alpha']:.2f} "
            f"({row['alpha_low']:.2f} to {row['alpha_high']:.2f})."
        )
    groups = [
        (codes["alpha"] >= 0.8, "reach 0.8 or more", "reaches 0.8 or more"),
        (
            (codes["alpha"] >= 0.667) & (codes["alpha"] < 0.8),
            "are between 0.667 and 0.8",
            "is between 0.667 and 0.8",
        ),
        (codes["alpha"] < 0.667, "are below 0.667", "is below 0.667"),
    ]
    for mask, many, single in groups:
        names = list(codes.loc[mask, "code"])
        if names:
            verb = single if len(names) == 1 else many
            text += f" {len(names)} {verb}: {listing(names, 6)}."
    worst = codes.iloc[-1]
    text += f" The lowest is {worst['code']} at {worst['alpha']:.2f}."
    used = codes.sort_values("prevalence")
    text += (
        f" Prevalence ranges from {used['prevalence'].iloc[0]:.0%} ({used['code'].iloc[0]}) "
        f"to {used['prevalence'].iloc[-1]:.0%} ({used['code'].iloc[-1]})."
    )
    unscored = table[~is_pooled & table["alpha"].isna()]["code"].tolist()
    if unscored:
        text += (
            f" Not shown, because alpha is undefined when a code is never applied (or always): "
            f"{listing(unscored, 6)}."
        )
    return text
