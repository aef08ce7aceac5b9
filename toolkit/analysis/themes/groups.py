"""Themes by group: a cross-tabulation by a participant attribute, with a test per theme.

Examples
--------
>>> import toolkit as tk
>>> table = tk.theme_by_group(tk.sample_project(), group="group")
>>> sorted(table.attrs["tests"][0])[:3]
['chi2', 'cramers_v', 'dof']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.counting import counted_units, finish, in_codebook_order, percent
from toolkit.analysis.themes.options import NOT_RECORDED, PARAMETERS, UNITS, of_name, unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.analysis.themes.quotes import best_quote, with_quotes
from toolkit.docstrings import documented
from toolkit.errors import ProjectError, ToolkitError
from toolkit.renamed import renamed_keywords

__all__ = [
    "group_table",
    "group_tests",
    "participant_groups",
    "segment_groups",
    "tests_note",
    "theme_by_group",
]


def participant_groups(participants: Any, group: str) -> pd.Series:
    """Return each interview's value of the participants column `group`, indexed by interview.

    Blank values read :data:`~toolkit.analysis.themes.options.NOT_RECORDED`.
    An interview whose people differ (a focus group of carers and patients)
    reads their values joined: ``"carer / patient"``.

    Raises
    ------
    ProjectError
        If there is no participants table, or it has no such column.
    """
    values = _values(participants, group)
    ids = participants["interview_id"].astype(str).str.strip().to_numpy()
    series = pd.Series(values.to_numpy(), index=ids, dtype=object)
    shared = series.index.duplicated(keep=False)
    if not shared.any():
        return series  # one person per interview (a survey): nothing to join, and fast
    # Only interviews with several people need joining (one call each: slow on many).
    joined = (
        series[shared]
        .groupby(level=0, sort=False)
        .agg(lambda v: " / ".join(sorted(set(v) - {NOT_RECORDED})) or NOT_RECORDED)
    )
    out = pd.concat([series[~shared], joined])
    return out.reindex(pd.unique(ids)).astype(object)


def _values(participants: Any, group: str) -> pd.Series:
    """Return the column `group` of a participants table, blanks as NOT_RECORDED."""
    if participants is None or not isinstance(participants, pd.DataFrame):
        raise ProjectError(
            "expected a participants table to group by, but none was given",
            hint="pass participants=project.participants (or the project itself)",
        )
    if group not in participants.columns:
        columns = [
            c
            for c in participants.columns
            if c not in ("interview_id", "name", "speaker", "interviewer", "person")
        ]
        raise ProjectError(
            f"expected a column '{group}' in the participants table to group by, but it has "
            f"only {', '.join(map(repr, columns)) or 'interview_id'}",
            path=participants.attrs.get("path"),
            hint=f"group by one of those columns, or add a '{group}' column to participants.csv",
        )
    values = participants[group].astype("string").fillna("").str.strip().replace("", NOT_RECORDED)
    return values.astype(object)


def segment_groups(data: PreparedThemes, group: str) -> np.ndarray:
    """Return the group of each segment: its speaker's, else its interview's people's.

    Raises
    ------
    ProjectError
        If the participants table has no such column.
    """
    _values(data.participants, group)  # says which columns there are, if not this one
    people = _values(data.people, group).to_numpy(object) if len(data.people) else np.array(
        [], object)  # fmt: skip
    pid = data.segments["_pid"].to_numpy()
    by_interview = (
        participant_groups(data.people, group) if len(data.people) else pd.Series(dtype=object)
    )
    fallback = data.segments["interview_id"].map(by_interview).fillna(NOT_RECORDED).to_numpy()
    out = fallback.astype(object)
    has = pid >= 0
    out[has] = people[pid[has]]
    return out


def _grouped(
    data: PreparedThemes, unit: str, of: str, group: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the coded units and every unit there is, each with its group."""
    seg_group = segment_groups(data, group)
    if unit == "participants":
        coded, universe = counted_units(data, unit, of)
        people = _values(data.people, group).to_numpy(object)
        return (
            coded.assign(group=people[coded["_unit"].to_numpy()]),
            universe.assign(group=people[universe["_unit"].to_numpy()]),
        )
    if unit == "segments":
        coded, universe = counted_units(data, unit, of)
        return (
            coded.assign(group=seg_group[coded["_unit"].to_numpy()]),
            universe.assign(group=seg_group[universe["_unit"].to_numpy()]),
        )
    # Interviews: an interview counts in each group whose people spoke in it.
    rows = data.coded[data.coded["counted"]]
    coded = rows.assign(group=seg_group[rows["_row"].to_numpy()], _unit=rows["_iid"])
    columns = ["_unit", "interview_id", of, "group"] + (["theme"] if of == "code" else [])
    coded = coded[columns].drop_duplicates(["_unit", of, "group"])
    segs = data.segments[data.segments["counted"]]
    universe = pd.DataFrame(
        {
            "_unit": segs["_iid"].to_numpy(),
            "interview_id": segs["interview_id"].to_numpy(),
            "group": seg_group[segs["_row"].to_numpy()],
        }
    ).drop_duplicates(["_unit", "group"])
    return coded, universe


@renamed_keywords(level="of")
@documented(PARAMETERS, group="The participants column to group by.")
def theme_by_group(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    group: str = "group",
    unit: str = "participants",
    of: str = "theme",
    coder: Any = None,
    interviewers: Any = None,
) -> pd.DataFrame:
    """Cross-tabulate themes (or codes) by a participant attribute, with tests.

    For each theme and group: how many of the group's people (or interviews,
    or segments) mention it, with row and column percentages.  Each theme
    then gets a chi-square test of mentioned / not mentioned against group,
    with Cramér's V as its effect size, where the counts allow (see
    :func:`group_tests`).  One test per theme, because one person can
    mention several themes: a single test over the whole table would count
    the same people more than once.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``<of>, group, count, group_size, percent_of_group, row_percent,
        column_percent, unit, quote, quote_by``.  ``row_percent`` is the share
        of the theme's mentions from the group; ``column_percent`` the share
        of the group's mentions that are of the theme.  ``attrs["tests"]``
        holds the tests (records) and ``attrs["note"]`` a plain sentence
        about them.

    Raises
    ------
    ProjectError
        If the group column is not in the participants table.

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_by_group(tk.sample_project(), group="group")
    >>> "chi-square" in table.attrs["note"]
    True
    """
    unit, of = unit_name(unit), of_name(of)
    data = as_prepared(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    coded, universe = _grouped(data, unit, of, group)
    seg_group = segment_groups(data, group)
    grouped = data.coded.assign(group=seg_group[data.coded["_row"].to_numpy()])
    quotes = best_quote(replace(data, coded=grouped), [of, "group"])
    counts = coded.groupby([of, "group"]).size()
    return group_table(data, of, unit, group, counts, universe.groupby("group").size(), quotes)


def group_table(
    data: PreparedThemes,
    of: str,
    unit: str,
    group: str,
    counts: pd.Series,
    sizes: pd.Series,
    quotes: pd.DataFrame,
) -> pd.DataFrame:
    """Return the theme-by-group table, with its tests, from the counts.

    `counts` holds the units that mention each theme in each group (indexed
    by ``<of>, group``), `sizes` the units in each group and `quotes` one
    quote per theme and group.  Shared by :func:`theme_by_group` and the
    Dask tables, which sum the counts first.
    """
    names = in_codebook_order(data.book, of)
    order = sorted(sizes.index, key=lambda g: (g == NOT_RECORDED, g))
    grid = pd.MultiIndex.from_product([names, order], names=[of, "group"])
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(int)
    table["group_size"] = table["group"].map(sizes).astype(int)
    row_total = table.groupby(of)["count"].transform("sum")
    col_total = table.groupby("group")["count"].transform("sum")
    table["percent_of_group"] = percent(table["count"], table["group_size"])
    table["row_percent"] = percent(table["count"], row_total)
    table["column_percent"] = percent(table["count"], col_total)
    table["unit"] = unit
    table = with_quotes(table, quotes, [of, "group"])
    tests = group_tests(table, of=of)
    table = finish(table, data, unit=unit, group=group, level=of)
    table.attrs["tests"] = tests.to_dict("records")
    table.attrs["note"] = tests_note(tests, unit)
    return table


@renamed_keywords(level="of")
def group_tests(table: pd.DataFrame, *, of: str | None = None) -> pd.DataFrame:
    """Test each theme of a theme-by-group table: chi-square and Cramér's V.

    For each theme the test compares, across groups, how many mentioned it
    with how many did not (``count`` against ``group_size - count``).  The
    test is run only where the counts allow, by Cochran's rule: every
    expected count at least 1, and no more than one in five below 5.
    Otherwise ``note`` says why in plain words, and the counts should be
    read as they are.  No continuity correction is applied, and p-values
    are not adjusted for testing several themes.

    Parameters
    ----------
    table
        A table from :func:`theme_by_group`.
    of
        ``"theme"`` or ``"code"`` (default: the table's own).  (``level=`` is
        the old name: it still works, with a DeprecationWarning.)

    Returns
    -------
    pandas.DataFrame
        ``<of>, n, groups, chi2, dof, p_value, cramers_v, tested, note``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"theme": ["Kindness"] * 2, "group": ["carer", "staff"],
    ...                       "count": [30, 10], "group_size": [40, 40]})
    >>> tests = group_tests(table)
    >>> bool(tests["tested"].iloc[0]), round(float(tests["cramers_v"].iloc[0]), 2)
    (True, 0.5)
    """
    of = of or table.attrs.get("level") or ("theme" if "theme" in table.columns else "code")
    of = of_name(of)
    missing = [c for c in (of, "group", "count", "group_size") if c not in table.columns]
    if missing:
        raise ToolkitError(
            f"expected a theme-by-group table with column(s) {', '.join(map(repr, missing))}",
            hint="pass the table tk.theme_by_group() returns",
        )
    rows = []
    for name, part in table.groupby(of, sort=False):
        part = part[part["group_size"] > 0]
        yes = part["count"].to_numpy(dtype=float)
        no = (part["group_size"] - part["count"]).to_numpy(dtype=float)
        n = int(part["group_size"].sum())
        row = {
            of: name,
            "n": n,
            "groups": len(part),
            "chi2": np.nan,
            "dof": np.nan,
            "p_value": np.nan,
            "cramers_v": np.nan,
            "tested": False,
        }
        if len(part) < 2:
            row["note"] = "Not tested: there is only one group."
        elif yes.sum() == 0 or no.sum() == 0:
            row["note"] = (
                "Not tested: " + ("no one" if yes.sum() == 0 else "everyone") + " mentioned it."
            )
        else:
            observed = np.vstack([yes, no])
            expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / n
            small = int((expected < 5).sum())
            if expected.min() < 1 or small > 0.2 * expected.size:
                row["note"] = (
                    f"Not tested: {small} of {expected.size} expected counts are below 5 "
                    "(a chi-square test needs no more than one in five), so read the counts."
                )
            else:
                # Pearson's statistic, as scipy.stats.chi2_contingency(correction=False) gives
                # it (the tests check), with the p-value from scipy.special: scipy.stats takes
                # over a second to load, scipy.special a fifth of that.
                from scipy.special import chdtrc

                chi2 = float(((observed - expected) ** 2 / expected).sum())
                dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
                p = float(chdtrc(dof, chi2))
                v = float(np.sqrt(chi2 / (n * (min(observed.shape) - 1))))
                row.update(
                    chi2=float(chi2), dof=int(dof), p_value=float(p), cramers_v=v, tested=True
                )
                row["note"] = (
                    f"Chi-square {chi2:.1f} on {dof} degrees of freedom, p = {_p(p)}; "
                    f"Cramér's V = {v:.2f} ({_strength(v)} association)."
                )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=[of, "n", "groups", "chi2", "dof", "p_value", "cramers_v", "tested", "note"],
    )


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _strength(v: float) -> str:
    return "a weak" if v < 0.2 else "a moderate" if v < 0.4 else "a strong"


def tests_note(tests: pd.DataFrame, unit: str) -> str:
    """Say in plain words which themes could be tested (``attrs["note"]`` of a by-group table)."""
    done = int(tests["tested"].sum())
    total = len(tests)
    noun = UNITS[unit]
    if total == 0:
        return "There were no themes to test."
    if done == 0:
        return (
            f"No chi-square test was run: there are too few {noun} in each group for the test "
            "to be trustworthy (too many expected counts below 5). Read the counts and "
            "percentages as a description of these people, not as evidence about groups in "
            "general."
        )
    return (
        f"A chi-square test of mentioned against not mentioned, by group, was possible for "
        f"{done} of {total} themes (Cramér's V gives the strength of each association); for "
        f"the others there are too few {noun} per group. P-values are not adjusted for "
        "testing several themes."
    )
