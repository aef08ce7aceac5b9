"""The five energies for change: where they are high, and where depleted.

The NHS Horizons framework names five energies (social, spiritual,
psychological, physical and intellectual); a stakeholder map may rate each
person on each from 1 to 5.  :func:`energy_profile` averages them by group,
or for the whole system.
"""

from __future__ import annotations

import pandas as pd

from toolkit.errors import EnergyError
from toolkit.io.files import cell_text
from toolkit.model.stakeholders import check_stakeholders
from toolkit.tables import FIVE_ENERGIES

__all__ = ["energy_profile"]


def energy_profile(
    stakeholders: pd.DataFrame,
    by: str | None = "group",
    *,
    high: float = 3.5,
    depleted: float = 2.5,
    overall: bool = False,
) -> pd.DataFrame:
    """Average the five energies for each group, or for the whole system.

    Parameters
    ----------
    stakeholders
        The stakeholders table, with some of the five energy columns.
    by
        The column to group by, or ``None`` for the whole system.
    high, depleted
        A mean at or above ``high`` is labelled "high", and one below
        ``depleted`` is labelled "depleted"; anything between is "middle".
        The defaults mean: high if the mean rounds to 4 or 5, depleted if it
        rounds to 1 or 2.
    overall
        Also add the whole system's rows (labelled "whole system").

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per group and energy: ``<by>, energy_type, mean,
        rated, level`` (``rated`` counts the people with a rating; blank
        ratings are left out, not counted as zero).

    Raises
    ------
    EnergyError
        When no one has a rating of the five energies, or ``by`` is not a
        column.

    Examples
    --------
    >>> import toolkit as tk
    >>> profile = tk.energy_profile(tk.sample_project().stakeholders, by=None)
    >>> profile["energy_type"].tolist()
    ['social', 'spiritual', 'psychological', 'physical', 'intellectual']
    >>> profile.set_index("energy_type").loc["physical", "level"]
    'depleted'
    """
    people = check_stakeholders(stakeholders)
    present = [e for e in FIVE_ENERGIES if e in people.columns]
    if not present or people[present].isna().all().all():
        raise EnergyError(
            "expected ratings of the five energies (columns social, spiritual, psychological, "
            "physical, intellectual), but the stakeholders table has none",
            path=stakeholders.attrs.get("path"),
            hint="add the five columns and rate each from 1 to 5 (the energy-mapping "
            "worksheet in templates/ shows how)",
        )
    label = by or "group"
    if by is not None and by not in people.columns:
        raise EnergyError(
            f"expected a column '{by}' to group by, but the stakeholders table has "
            f"{', '.join(map(repr, map(str, people.columns)))}",
            hint="pass by='group' or the name of another column, or by=None for everyone",
        )
    frame = people[present].copy()
    if by is None:
        frame[label] = "whole system"
    else:
        frame[label] = [cell_text(v).strip() or "(no group)" for v in people[by]]
    if overall and by is not None:
        everyone = people[present].copy()
        everyone[label] = "whole system"
        frame = pd.concat([frame, everyone], ignore_index=True)
    long = frame.melt(id_vars=[label], var_name="energy_type", value_name="score").dropna()
    profile = long.groupby([label, "energy_type"], as_index=False, sort=False).agg(
        mean=("score", "mean"), rated=("score", "size")
    )
    profile["mean"] = profile["mean"].astype(float).round(2)
    profile["level"] = [
        "high" if m >= high else "depleted" if m < depleted else "middle" for m in profile["mean"]
    ]
    order = {e: i for i, e in enumerate(FIVE_ENERGIES)}
    groups = list(dict.fromkeys(frame[label]))
    profile = profile.sort_values(
        [label, "energy_type"],
        key=lambda s: s.map(order) if s.name == "energy_type" else s.map(groups.index),
    ).reset_index(drop=True)
    return profile[[label, "energy_type", "mean", "rated", "level"]]
