"""Energy charts: the influence-energy grid, the five energies, follow the energy, dot votes.

Builders over the tables in :mod:`toolkit.analysis.energy`.  Role is always
shown by shape as well as colour (a person's main ``role``; the description
names those who hold several), and every chart says in words who sits where.
The network map is in :mod:`toolkit.present.charts.network`.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from toolkit.model.stakeholders import check_votes
from toolkit.present.charts.base import FONT_SIZE, check_table, name_values, outlined_points
from toolkit.present.colours import PALETTE
from toolkit.tables import FIVE_ENERGIES
from toolkit.wording import listing, plural

__all__ = [
    "ROLE_STYLE",
    "dot_votes_chart",
    "energy_profile_chart",
    "follow_the_energy_chart",
    "influence_energy_chart",
]

#: Colour and shape of each stakeholder role (Okabe-Ito colours).
ROLE_STYLE = {
    "champion": (PALETTE[0], "circle"),
    "connector": (PALETTE[2], "diamond"),
    "potential ally": (PALETTE[4], "square"),
    "sceptic": (PALETTE[5], "triangle-down"),
    "bystander": ("#7f7f7f", "cross"),
}
#: The diverging colour scale for energy, from orange (against) to blue (for).
ENERGY_SCALE = {"scheme": "blueorange", "reverse": True}
#: Point size on the influence-energy grid for each intensity (how strongly energy is felt).
INTENSITY_SIZE = {"1 low": 50, "2 medium": 120, "3 high": 220, "not rated": 90}


def check_energy_table(table: Any, columns: list[str], what: str) -> pd.DataFrame:
    """Check an energy table to chart: a DataFrame with ``columns`` and at least one row."""
    return check_table(
        table,
        columns,
        what,
        source=f"pass the table tk.{what.replace(' ', '_')}() returns",
        empty="add rows to stakeholders.csv (or votes.csv) first",
    )


def stakeholder_tooltip(data: pd.DataFrame, *more: alt.Tooltip) -> list[alt.Tooltip]:
    """Return a stakeholder's tooltip: their name, their group (if the table has one), `more`."""
    group = [alt.Tooltip("group:N", title="Group")] if "group" in data.columns else []
    return [alt.Tooltip("stakeholder:N", title="Stakeholder"), *group, *more]


def role_scales() -> tuple[alt.Scale, alt.Scale]:
    """Return the colour and the shape scales of the stakeholder roles."""
    roles = list(ROLE_STYLE)
    return (
        alt.Scale(domain=roles, range=[c for c, _ in ROLE_STYLE.values()]),
        alt.Scale(domain=roles, range=[s for _, s in ROLE_STYLE.values()]),
    )


def stakeholder_marks(data: pd.DataFrame, *more: alt.Tooltip) -> dict[str, Any]:
    """Return what every stakeholder's point shows: its shape by role, and its tooltip.

    The tooltip names the stakeholder, their group, their role (and all
    their roles, when the table has them) and their energy, then `more`.
    """
    _, shape = role_scales()
    roles = [alt.Tooltip("roles:N", title="All roles")] if "roles" in data.columns else []
    return {
        "shape": alt.Shape("role:N", scale=shape, title="Role"),
        "tooltip": stakeholder_tooltip(
            data,
            alt.Tooltip("role:N", title="Role"),
            *roles,
            alt.Tooltip("energy:Q", title="Energy"),
            *more,
        ),
    }


def short_names(names: pd.Series) -> list[str]:
    """First names, or more words where the first word is shared or is not a name."""
    names = [str(n) for n in names]
    first = [n.split()[0] if n.split() else n for n in names]
    shared = {f for f in first if first.count(f) > 1}
    return [
        n if f in shared else " ".join(n.split()[:2]) if len(n.split()) > 2 else f
        for n, f in zip(names, first, strict=True)
    ]


def people_list(names: list[str], limit: int = 8) -> str:
    """Return ``"Ann, Bo and 3 more"`` (or ``"nobody"``) for a description."""
    names = list(names)
    return listing(names, limit) if names else "nobody"


def influence_energy_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Chart the influence-energy grid: where each stakeholder stands, in four boxes.

    Parameters
    ----------
    table
        A table from :func:`toolkit.energy_table`.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> table = tk.energy_table(project.stakeholders, project.connections)
    >>> "Engage with care" in tk.charts.describe(tk.charts.influence_energy_chart(table))
    True

    When the stakeholders table has an ``intensity`` column (1 low to 3 high),
    each point's size shows how strongly that person's energy is felt, and the
    description names the people with high intensity.
    """
    columns = ["stakeholder", "influence", "energy", "role", "quadrant"]
    check_energy_table(table, columns, "energy table")
    high = float(table.attrs.get("high_influence", 4))
    optional = [c for c in ("group", "intensity", "roles") if c in table.columns]
    data = table[[*columns, *optional]].copy()
    rated = "intensity" in data.columns and bool(data["intensity"].notna().any())
    if rated:
        names = {1: "1 low", 2: "2 medium", 3: "3 high"}
        data["intensity"] = [names.get(v, "not rated") if pd.notna(v) else "not rated"
                             for v in data["intensity"]]  # fmt: skip
    elif "intensity" in data.columns:
        data = data.drop(columns="intensity")
    data["label"] = short_names(data["stakeholder"])
    # People in the same cell are stacked upwards, so nobody hides anybody.
    data["_n"] = data.groupby(["influence", "energy"]).cumcount()
    data["_size"] = data.groupby(["influence", "energy"])["stakeholder"].transform("size")
    data["y"] = (data["influence"] + (data["_n"] - (data["_size"] - 1) / 2) * 0.17).round(3)
    data["x"] = data["energy"].astype(float) - 0.3
    data = data.drop(columns=["_n", "_size"])
    boxes = pd.DataFrame(
        [
            ("Involve now", 0.5, 2.5, high - 0.5, 5.5, "#e8f1f8", 2.45, 5.45, "right"),
            ("Engage with care", -2.5, 0.5, high - 0.5, 5.5, "#fbeee6", -2.45, 5.45, "left"),
            ("Connect and amplify", 0.5, 2.5, 0.5, high - 0.5, "#eef7f3", 2.45, 0.55, "right"),
            ("Keep informed", -2.5, 0.5, 0.5, high - 0.5, "#f2f2f2", -2.45, 0.55, "left"),
        ],
        columns=["box", "x1", "x2", "y1", "y2", "fill", "tx", "ty", "align"],
    )
    x_scale = alt.Scale(domain=[-2.5, 2.5], nice=False)
    y_scale = alt.Scale(domain=[0.5, 5.5], nice=False)
    background = (
        alt.Chart(boxes)
        .mark_rect(opacity=1)
        .encode(
            x=alt.X("x1:Q", scale=x_scale),
            x2="x2:Q",
            y=alt.Y("y1:Q", scale=y_scale),
            y2="y2:Q",
            color=alt.Color("fill:N", scale=None),
            tooltip=alt.value(None),
        )
    )
    box_labels = [
        alt.Chart(boxes[boxes["align"] == side])
        .mark_text(
            align=side,
            baseline="top" if side == "left" else "bottom",
            fontWeight="bold",
            color="#333333",
        )
        .encode(x=alt.X("tx:Q", scale=x_scale), y=alt.Y("ty:Q", scale=y_scale), text="box:N")
        for side in ("left", "right")
    ]
    # The left labels sit at the top of their boxes and the right ones at the bottom.
    box_labels[0] = box_labels[0].transform_calculate(ty="datum.y2 - 0.05")
    box_labels[1] = box_labels[1].transform_calculate(ty="datum.y1 + 0.05")
    colour, _ = role_scales()
    sizes = [k for k in INTENSITY_SIZE if rated and k in set(data["intensity"])]
    size = (
        {
            "size": alt.Size(
                "intensity:N",
                title="Intensity",
                scale=alt.Scale(
                    type="ordinal", domain=sizes, range=[INTENSITY_SIZE[k] for k in sizes]
                ),
            )
        }
        if rated
        else {}
    )
    points = outlined_points(data, size=90).encode(
        **size,
        x=alt.X(
            "x:Q",
            scale=x_scale,
            title="Energy for the change (-2 against, +2 for)",
            axis=alt.Axis(values=[-2, -1, 0, 1, 2], format="+d", grid=False),
        ),
        y=alt.Y(
            "y:Q",
            scale=y_scale,
            title="Influence (1 to 5)",
            axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False),
        ),
        color=alt.Color("role:N", scale=colour, title="Role"),
        **stakeholder_marks(
            data,
            alt.Tooltip("influence:Q", title="Influence"),
            *([alt.Tooltip("intensity:N", title="Intensity")] if rated else []),
        ),
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=7, fontSize=FONT_SIZE - 2, color="#1a1a1a")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="label:N")
    )
    order = ["involve now", "engage with care", "connect and amplify", "keep informed"]
    parts = []
    for box in order:
        names = list(table.loc[table["quadrant"] == box, "stakeholder"])
        parts.append(f"{box.capitalize()} ({len(names)}): {people_list(names, 6)}.")
    roles = table["role"].value_counts()
    role_text = ", ".join(
        plural(int(roles[r]), r, r[:-1] + "ies" if r.endswith("y") else None)
        for r in ROLE_STYLE
        if r in roles
    )
    description = (
        f"Influence-energy grid of {len(table)} stakeholders: influence up the side, energy for "
        f"the change along the bottom, high influence meaning {high:g} or more. "
        + " ".join(parts)
        + f" Colour and shape show each person's role: {role_text}."
    )
    if "roles" in table.columns:
        several = [
            f"{name} ({' and '.join(roles.split(', '))})"
            for name, roles in zip(table["stakeholder"], table["roles"], strict=True)
            if ", " in str(roles)
        ]
        if several:
            description += (
                f" Some hold more than one role and are shown by the first: {people_list(several)}."
            )
    if rated:
        strong = list(table.loc[table["intensity"] == 3, "stakeholder"])
        unrated = int(table["intensity"].isna().sum())
        description += (
            " Point size shows the intensity of each person's energy, from 1 (low) to 3 (high)."
            f" High intensity: {people_list(strong, 8)}."
        )
        if unrated:
            description += f" Intensity not rated for {plural(unrated, 'person', 'people')}."
    return alt.layer(background, *box_labels, points, labels).properties(
        title=alt.Title(
            "Influence and energy: who to involve, and how",
            subtitle="Each person's role is shown by its shape and colour"
            + (", the intensity of their energy by its size." if rated else "."),
        ),
        width=520,
        height=420,
        description=description,
    )


def energy_profile_chart(profile: pd.DataFrame) -> alt.LayerChart:
    """Chart the five energies as a heat map: where energy is high and where depleted.

    Parameters
    ----------
    profile
        A table from :func:`toolkit.energy_profile`.

    Examples
    --------
    >>> import toolkit as tk
    >>> profile = tk.energy_profile(tk.sample_project().stakeholders)
    >>> "depleted" in tk.charts.describe(tk.charts.energy_profile_chart(profile))
    True
    """
    check_energy_table(profile, ["energy_type", "mean", "rated", "level"], "energy profile")
    by = profile.columns[0]
    data = profile.copy()
    data["text"] = [
        f"{m:.1f}" + {"high": " high", "depleted": " low"}.get(level, "")
        for m, level in zip(data["mean"], data["level"], strict=True)
    ]
    data["dark"] = (data["mean"] >= 4.5) | (data["mean"] <= 1.5)
    groups = list(dict.fromkeys(data[by]))
    x = alt.X(
        "energy_type:N",
        sort=FIVE_ENERGIES,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelExpr="upper(slice(datum.label,0,1)) + slice(datum.label,1)",
        ),
    )
    # The cells and their text share the data and the axes.
    base = alt.Chart(data).encode(x=x, y=alt.Y(f"{by}:N", sort=groups, title=None))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "mean:Q",
            scale=alt.Scale(domain=[1, 5], domainMid=3, **ENERGY_SCALE),
            title="Mean (1 to 5)",
        ),
        tooltip=[
            alt.Tooltip(f"{by}:N", title=by.capitalize()),
            alt.Tooltip("energy_type:N", title="Energy"),
            alt.Tooltip("mean:Q", title="Mean", format=".1f"),
            alt.Tooltip("rated:Q", title="People rated"),
            alt.Tooltip("level:N", title="Level"),
        ],
    )
    text = base.mark_text(fontSize=FONT_SIZE - 1).encode(
        text="text:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("#1a1a1a")),
    )

    def where(level: str) -> str:
        rows = data[data["level"] == level].sort_values("mean", ascending=level == "depleted")
        if rows.empty:
            return "none"
        if len(groups) == 1:
            return ", ".join(f"{e} ({m:.1f})" for e, m in rows[["energy_type", "mean"]].values)
        return "; ".join(
            f"{e} in {g} ({m:.1f})" for g, e, m in rows[[by, "energy_type", "mean"]].values[:6]
        ) + (f"; and {len(rows) - 6} more" if len(rows) > 6 else "")

    means = data.groupby("energy_type")["mean"].mean().reindex(FIVE_ENERGIES).dropna()
    subject = "the whole system" if len(groups) == 1 else f"{len(groups)} groups"
    description = (
        f"Heat map of the five energies for change (mean rating, 1 to 5) for {subject}. "
        f"High: {where('high')}. Most depleted: {where('depleted')}. "
        f"Averaged over the groups shown, the strongest energy is {means.idxmax()} "
        f"({means.max():.1f}) and the weakest {means.idxmin()} ({means.min():.1f})."
    )
    return alt.layer(cells, text).properties(
        title=alt.Title(
            "The five energies: where energy is high and where it is depleted",
            subtitle="Mean rating from 1 (very low) to 5 (very high); blank ratings left out.",
        ),
        width=100 * len(means),
        height=max(60, 28 * len(groups)),
        description=description,
    )


_COMPONENTS = {
    "from_dots": "Dots in the workshop",
    "from_interviews": "Raised in interviews",
    "from_champions": "Champions behind it",
}


def follow_the_energy_chart(ranking: pd.DataFrame, top: int | None = 12) -> alt.Chart:
    """Chart the follow-the-energy ranking, with the evidence behind each score.

    Each bar is split into its parts (dots, interviews, champions), so a
    facilitator can see why an idea ranks where it does.

    Parameters
    ----------
    ranking
        A table from :func:`toolkit.follow_the_energy`.
    top
        Show only the top items (``None`` for all).

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.follow_the_energy_chart(tk.follow_the_energy(tk.sample_project()))
    >>> tk.charts.describe(chart).startswith("Stacked bar chart")
    True
    """
    columns = ["rank", "item", "frame", "dots", "interviews", "champions", "score", *_COMPONENTS]
    check_energy_table(ranking, columns, "follow the energy")
    data = ranking.sort_values("rank")
    data = data.head(top) if top else data
    data = data.assign(
        label=[f"{i} ({f})" if f else i for i, f in zip(data["item"], data["frame"], strict=True)]
    )
    long = data.melt(
        id_vars=["rank", "label", "item", "dots", "interviews", "champions", "score"],
        value_vars=list(_COMPONENTS),
        var_name="part",
        value_name="value",
    )
    long["evidence"] = long["part"].map(_COMPONENTS)
    long["order"] = long["part"].map({p: i for i, p in enumerate(_COMPONENTS)})
    weights = ranking.attrs.get("weights", {})
    first = data.iloc[0]
    description = (
        f"Stacked bar chart ranking {len(data)} ideas and themes by the energy behind them. "
        "Each bar adds three parts, each scaled so the leader scores its weight: dots in the "
        "workshop, interviews that raised it and champions linked to it. "
        f"First is {first['item']} (score {first['score']:.2f}): "
        f"{plural(int(first['dots']), 'dot')}, raised in "
        f"{plural(int(first['interviews']), 'interview')}, "
        f"{plural(int(first['champions']), 'champion')}. "
        + "Then "
        + "; ".join(f"{r['item']} ({r['score']:.2f})" for _, r in data.iloc[1:6].iterrows())
        + "."
    )
    if int(data["interviews"].sum()) == 0:
        description += " No interview evidence is linked to these ideas yet."
    if weights:
        description += " Weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.items()) + "."
    return (
        alt.Chart(
            long,
            title=alt.Title(
                "Follow the energy: which ideas to build on",
                subtitle="Each bar shows the evidence behind its score.",
            ),
        )
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("sum(value):Q", title="Score (the sum of the three parts)"),
            y=alt.Y("label:N", sort=list(data["label"]), title=None),
            color=alt.Color(
                "evidence:N",
                scale=alt.Scale(domain=list(_COMPONENTS.values()), range=PALETTE[:3]),
                title="Evidence",
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("item:N", title="Idea"),
                alt.Tooltip("evidence:N", title="Part"),
                alt.Tooltip("value:Q", title="Adds", format=".2f"),
                alt.Tooltip("dots:Q", title="Dots"),
                alt.Tooltip("interviews:Q", title="Interviews"),
                alt.Tooltip("champions:Q", title="Champions"),
                alt.Tooltip("score:Q", title="Score", format=".2f"),
            ],
        )
        .properties(width=420, description=description)
    )


def dot_votes_chart(votes: pd.DataFrame) -> alt.Chart | alt.FacetChart:
    """Chart the dots placed on each idea, side by side for each session.

    Parameters
    ----------
    votes
        The votes table: ``participant, item, dots`` and optionally ``session``.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.dot_votes_chart(tk.sample_project().votes)
    >>> "2026-11-12" in tk.charts.describe(chart)
    True
    """
    check_energy_table(votes, ["participant", "item", "dots"], "votes")
    table = check_votes(votes)
    totals = (
        table.groupby(["session", "item"], as_index=False, sort=False)
        .agg(dots=("dots", "sum"), people=("participant", lambda p: p[p != ""].nunique()))
        .sort_values(["session", "dots"], ascending=[True, False])
    )
    order = list(table.groupby("item", sort=False)["dots"].sum().sort_values(ascending=False).index)
    sessions = sorted(set(totals["session"]))
    parts = []
    for session in sessions:
        rows = totals[totals["session"] == session]
        name = f"Session {session}" if session else "All votes"
        parts.append(
            f"{name}: {int(rows['dots'].sum())} dots; "
            + name_values([(i, int(d)) for i, d in rows[["item", "dots"]].values], 8)
            + "."
        )
    description = f"Bar chart of dot votes on {len(order)} ideas. " + " ".join(parts)
    if len(sessions) == 2:
        first, last = (totals[totals["session"] == s].set_index("item")["dots"] for s in sessions)
        change = last.reindex(order, fill_value=0) - first.reindex(order, fill_value=0)
        up = change.idxmax()
        description += f" The biggest rise between sessions is {up} ({int(change[up]):+d} dots)."
    base = (
        alt.Chart(totals)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("dots:Q", title="Dots", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("item:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("item:N", title="Idea"),
                alt.Tooltip("session:N", title="Session"),
                alt.Tooltip("dots:Q", title="Dots"),
                alt.Tooltip("people:Q", title="People who voted for it"),
            ],
        )
    )
    title = alt.Title("Dot votes on ideas", subtitle="Total dots per idea in each session.")
    if len(sessions) > 1:
        return (
            base.properties(width=220)
            .facet(column=alt.Column("session:N", title="Session", sort=sessions))
            .properties(title=title, description=description)
        )
    return base.properties(width=420, title=title, description=description)
