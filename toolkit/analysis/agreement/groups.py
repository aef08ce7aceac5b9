"""Groups of units for agreement: each unit's value of an attribute, such as its question.

Agreement measured over units that were asked different questions (or came
from different sites, or different waves of a survey) mixes codes that only
make sense for some of them.  A code that belongs to one question is never
used on the answers to another, so both coders "agree" that it is absent
there, and those easy agreements push kappa up.  :func:`unit_groups` gives
each unit its group, so that
:func:`~toolkit.analysis.agreement.reliability.reliability` can measure each
code within each group, and pool a code only over the groups in which
someone used it.

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"interview_id": ["a", "a", "b"], "segment_id": [1, 2, 1]})
>>> people = pd.DataFrame({"interview_id": ["a", "b"], "question": ["Q1", "Q2"]})
>>> unit_groups(units, "question", participants=people).tolist()
['Q1', 'Q1', 'Q2']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.errors import AgreementError
from toolkit.wording import did_you_mean, listing

__all__ = ["ALL_GROUPS", "NO_GROUP", "unit_groups"]

#: The group label of the rows that pool every group.
ALL_GROUPS = "(all groups)"
#: The group label of units with no value for the attribute.
NO_GROUP = "(blank)"


def _text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: "" if v is None or v != v else " ".join(str(v).split()))


def unit_groups(
    units: pd.DataFrame,
    by: str,
    *,
    segments: pd.DataFrame | None = None,
    participants: pd.DataFrame | None = None,
) -> np.ndarray:
    """Return each unit's group: its value of the attribute `by`.

    The value is taken from the segments table when it has a column `by`
    (each segment its own value), otherwise from the participants table
    (one value per interview).  Units with no value are in the group
    :data:`NO_GROUP`.

    Parameters
    ----------
    units
        One row per unit, with ``interview_id`` (and ``segment_id`` for
        segments).
    by
        The attribute's column name, such as ``"question"`` or ``"site"``.
    segments, participants
        Where to look for the column.

    Raises
    ------
    AgreementError
        If neither table has the column, or an interview has two different
        values of it.
    """
    by = str(by)
    if by in {"code", "units", "applied", "prevalence", "kappa", "alpha"}:
        raise AgreementError(
            f"expected an attribute to group by, but {by!r} is a column of the agreement table",
            hint="group by an attribute of the interviews, such as 'question' or 'site'",
        )
    interviews = _text(units["interview_id"])
    if segments is not None and by in segments.columns:
        keys = ["interview_id"] + (["segment_id"] if "segment_id" in units.columns else [])
        table = segments[[*keys, by]].copy()
        for key in keys:
            table[key] = _text(table[key])
        table[by] = _text(table[by])
        if len(keys) == 2:
            table = table.drop_duplicates(keys)
            found = units[keys].astype(str).apply(_text).merge(table, on=keys, how="left")[by]
            return found.fillna("").replace("", NO_GROUP).to_numpy(dtype=object)
        source = table
    elif participants is not None and by in participants.columns:
        source = participants[["interview_id", by]].copy()
        source["interview_id"] = _text(source["interview_id"])
        source[by] = _text(source[by])
    else:
        columns = [c for c in (participants.columns if participants is not None else [])]
        columns += [c for c in (segments.columns if segments is not None else [])]
        columns = [c for c in dict.fromkeys(columns) if c != "interview_id"]
        raise AgreementError(
            f"expected a column {by!r} in the participants (or segments) table to group by, but "
            + (f"found only {listing(columns, 12)}" if columns else "no table was given")
            + did_you_mean(by, columns),
            hint="group by an attribute of the interviews or responses, such as 'question', "
            "and pass participants=project.participants",
        )
    values = source[source[by] != ""].drop_duplicates(["interview_id", by])
    twice = values[values.duplicated("interview_id", keep=False)]
    if len(twice):
        name = twice["interview_id"].iloc[0]
        found = listing(repr(v) for v in twice.loc[twice["interview_id"] == name, by])
        raise AgreementError(
            f"expected one {by!r} for each interview, but {name!r} has {found}",
            hint=f"give the interview one {by}, or compare on segments that carry their own",
        )
    lookup = dict(zip(values["interview_id"], values[by], strict=True))
    return np.array([lookup.get(i, NO_GROUP) for i in interviews], dtype=object)
