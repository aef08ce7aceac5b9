"""The agreement table as text to read: rounded figures, one block per group.

:func:`agreement_text` is what ``codesign-toolkit agreement`` prints; the
table itself (:func:`~toolkit.analysis.agreement.reliability.reliability`)
keeps the full figures for ``output/agreement.csv``.

Examples
--------
>>> import pandas as pd
>>> from toolkit.analysis.agreement.reliability import reliability
>>> codings = pd.DataFrame({"interview_id": ["i1"] * 4, "segment_id": [1, 2, 1, 2],
...                         "code": ["kind", "wait", "kind", "kind"],
...                         "coder": ["sam", "sam", "nadia", "nadia"]})
>>> print(agreement_text(reliability(codings, ci=None)).splitlines()[0])
Agreement between 2 coders (nadia, sam) on 2 segments coded by both of them
"""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.agreement.groups import ALL_GROUPS
from toolkit.analysis.agreement.reliability import ALL_CODES

__all__ = ["agreement_text", "readable_agreement"]

#: What the Krippendorff thresholds mean, printed under the table.
GUIDE = (
    "Alpha 0.8 or more: reliable; 0.667 to 0.8: tentative conclusions only; below 0.667: "
    "discuss the code's disagreements, sharpen its definition and re-code."
)


def _number(x: float, digits: int = 2) -> str:
    return "-" if x != x else f"{x:.{digits}f}"


def readable_agreement(table: pd.DataFrame, confidence: float | None = None) -> pd.DataFrame:
    """Return the agreement table with rounded, readable columns for printing.

    `confidence` labels the interval column (default: the table's own, else 95%).
    """
    level = confidence or table.attrs.get("confidence") or 0.95
    return table.assign(
        prevalence=[f"{p:.1%}" for p in table["prevalence"]],
        percent_agreement=[f"{p:.1%}" for p in table["percent_agreement"]],
        kappa=[_number(k) for k in table["kappa"]],
        alpha=[_number(a) for a in table["alpha"]],
        ci=[
            "-" if lo != lo else f"{lo:.2f} to {hi:.2f}"
            for lo, hi in zip(table["alpha_low"], table["alpha_high"], strict=True)
        ],
    )[
        ["code", "units", "applied", "prevalence", "percent_agreement", "kappa", "alpha", "ci"]
    ].rename(
        columns={
            "percent_agreement": "agreement",
            "ci": f"alpha {level:.0%} CI",
        }
    )


def agreement_text(table: pd.DataFrame) -> str:
    """Return the agreement table as text: who was compared, then the figures.

    With a table grouped ``by`` an attribute, each group gets its own block,
    then the block pooling the groups fairly.
    """
    names = table.attrs.get("coders") or []
    unit = table.attrs.get("unit") or "unit"
    by = table.attrs.get("by")
    pooled = table[table["code"] == ALL_CODES]
    if by:
        pooled = pooled[pooled[by] == ALL_GROUPS]
    units = int(pooled["units"].iloc[0]) if len(pooled) else 0
    who = "both of them" if len(names) == 2 else "at least two of them"
    lines = [
        f"Agreement between {len(names)} coders ({', '.join(names)}) on {units:,} {unit}s "
        f"coded by {who}"
    ]
    if not by:
        lines.append(readable_agreement(table).to_string(index=False))
    else:
        lines.append(
            f"Each code is measured within each {by!r}; the '{ALL_GROUPS}' rows count a code "
            "only on the groups in which someone used it."
        )
        for group, rows in table.groupby(by, sort=False):
            shown = readable_agreement(rows, table.attrs.get("confidence"))
            lines += ["", f"{by}: {group}", shown.to_string(index=False)]
    lines.append(GUIDE)
    return "\n".join(lines)
