"""The units where coders differ on a code, with their text, for a coding meeting.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({"interview_id": ["i1"] * 3, "segment_id": [1, 1, 2],
...                         "code": ["kind", "kind", "wait"], "coder": ["sam", "nadia", "sam"]})
>>> len(disagreements(codings))  # nadia never coded segment 2, so it is not compared
0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.agreement.parameters import PARAMETERS
from toolkit.analysis.agreement.units import compared_units
from toolkit.docstrings import documented
from toolkit.errors import AgreementError
from toolkit.wording import did_you_mean, listing

__all__ = ["disagreements"]


def _join_names(chosen: np.ndarray, names: list[str]) -> np.ndarray:
    """Return, per row of a (rows x coders) yes/no matrix, the chosen coders' names joined."""
    if len(names) > 12:  # too many combinations to tabulate: join row by row
        everyone = np.asarray(names, dtype=object)
        return np.array([", ".join(everyone[row]) for row in chosen], dtype=object)
    # Each row is a bit pattern; join the names once per pattern, then look rows up.
    patterns = chosen.astype(np.int64) @ (1 << np.arange(len(names), dtype=np.int64))
    joined = np.array(
        [
            ", ".join(n for j, n in enumerate(names) if mask >> j & 1)
            for mask in range(1 << len(names))
        ],
        dtype=object,
    )
    return joined[patterns]


@documented(PARAMETERS, code="One code, or several, to list (default: every code).")
def disagreements(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    code: str | Iterable[str] | None = None,
    *,
    unit: str = "segment",
    coders: Iterable[str] | None = None,
    include_rules: bool = False,
    coverage: pd.DataFrame | None = None,
    codebook: Any = None,
) -> pd.DataFrame:
    """List the units where coders differ on a code, with the text, for a coding meeting.

    A unit is listed for a code when, among the coders who saw it (see
    :func:`toolkit.analysis.agreement.reliability.reliability`), some applied
    the code and some did not.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        One row per code and unit: ``code, interview_id`` (and ``segment_id,
        speaker`` for segments), ``applied_by`` and ``not_applied_by`` (coders'
        names, comma-separated), ``text`` (the segment's words, when the
        segments table has them) and ``memos`` (the coders' memos on that
        code there, when the codings have memos).  Sorted by code, then in
        the order of the segments.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({
    ...     "interview_id": ["i1"] * 4, "segment_id": [1, 2, 1, 2],
    ...     "code": ["kindness", "waiting", "kindness", "kindness"],
    ...     "coder": ["sam", "sam", "nadia", "nadia"]})
    >>> disagreements(codings)[["code", "segment_id", "applied_by", "not_applied_by"]]
           code segment_id applied_by not_applied_by
    0  kindness          2      nadia            sam
    1   waiting          2        sam          nadia
    """
    coded, unit = compared_units(codings, segments, unit, coders, include_rules, coverage, codebook)
    wanted = list(range(len(coded.codes)))
    if code is not None:
        names = [code] if isinstance(code, str) else [str(c) for c in code]
        missing = [c for c in names if c not in coded.codes]
        if missing:
            raise AgreementError(
                f"expected code(s) the coders used, but {', '.join(map(repr, missing))} "
                "is not among them" + did_you_mean(missing[0], coded.codes),
                hint="choose from: " + listing(coded.codes, 20),
            )
        wanted = [coded.codes.index(c) for c in names]
    seen = coded.covered.sum(axis=1)
    applied = coded.applied()[wanted]
    differ = (seen[None, :] >= 2) & (applied > 0) & (applied < seen[None, :])
    code_pos, unit_pos = np.nonzero(differ)
    code_ids = np.asarray(wanted, dtype=np.int64)[code_pos]
    n_units, n_coders = len(coded.units), len(coded.coders)
    # Who applied each listed code where: a (pairs x coders) yes/no matrix.
    pair_key = pd.Index(code_ids * n_units + unit_pos)
    row = pair_key.get_indexer(coded.code * n_units + coded.unit)
    yes = np.zeros((len(pair_key), n_coders), bool)
    yes[row[row >= 0], coded.coder[row >= 0]] = True
    saw = coded.covered[unit_pos]
    applied_by = _join_names(yes, coded.coders)
    not_applied_by = _join_names(saw & ~yes, coded.coders)
    columns = ["interview_id", "segment_id", "speaker"] if unit == "segment" else ["interview_id"]
    units = coded.units[[c for c in columns if c in coded.units.columns]]
    out = units.iloc[unit_pos].reset_index(drop=True)
    out.insert(0, "code", np.asarray(coded.codes, dtype=object)[code_ids])
    out["applied_by"] = applied_by
    out["not_applied_by"] = not_applied_by
    if unit == "segment" and "text" in coded.units.columns:
        out["text"] = coded.units["text"].to_numpy()[unit_pos]
    if len(coded.memos):
        memos = coded.memos.assign(key=coded.memos["code"] * n_units + coded.memos["unit"])
        joined = (
            memos[memos["key"].isin(pair_key)]
            .assign(note=lambda t: t["coder"] + ": " + t["memo"])
            .groupby("key")["note"]
            .agg("; ".join)
        )
        out["memos"] = pd.Series(pair_key).map(joined).fillna("").to_numpy()
    order = np.lexsort((unit_pos, code_ids))
    return out.iloc[order].reset_index(drop=True)
