"""A codings table turned into coded units: which coder applied which code to which unit.

A codings table says which coder applied which code where.  For agreement,
each (unit, code) pair becomes a yes/no rating by every coder who "saw" the
unit: yes if they applied the code there, no otherwise.  A coder saw a unit
if they applied any code to it (or if an explicit coverage table says so);
rules see every unit.  Units seen by fewer than two coders cannot be compared.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({"interview_id": ["i1"] * 3, "segment_id": [1, 2, 1],
...                         "code": ["kind", "wait", "kind"], "coder": ["sam", "sam", "nadia"]})
>>> coded, unit = compared_units(codings, segments=None, unit="segments", coders=None,
...                              include_rules=False, coverage=None, codebook=None)
>>> unit, coded.coders, coded.codes
('segment', ['nadia', 'sam'], ['kind', 'wait'])
>>> coded.applied().tolist()
[[2, 0], [0, 1]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.agreement.ratings import row_name
from toolkit.errors import AgreementError
from toolkit.model.codebook import as_codebook
from toolkit.tables import require_table
from toolkit.wording import did_you_mean, listing

__all__ = [
    "HUMAN_METHODS",
    "UNITS",
    "CodedUnits",
    "check_overlap",
    "compared_units",
    "unit_name",
]

#: What coders can be compared on.
UNITS = ("segment", "interview")
#: Methods of codings made by people (as opposed to ``rule``).
HUMAN_METHODS = ("manual", "import")


def unit_name(unit: str) -> str:
    """Return ``"segment"`` or ``"interview"`` for ``unit``, singular or plural.

    >>> unit_name("interviews")
    'interview'
    """
    name = str(unit).strip().lower()
    singular = name[:-1] if name.endswith("s") and name[:-1] in UNITS else name
    if singular not in UNITS:
        raise AgreementError(
            f"expected unit to be 'segment' or 'interview', but found {unit!r}"
            + did_you_mean(unit, UNITS),
            hint="use unit='segment' (the default) or unit='interview'",
        )
    return singular


@dataclass
class CodedUnits:
    """Codings reduced to integer arrays: which coder applied which code to which unit."""

    units: pd.DataFrame  # one row per unit, in order
    coders: list[str]
    codes: list[str]
    code: np.ndarray  # per (deduplicated) coding
    unit: np.ndarray
    coder: np.ndarray
    covered: np.ndarray  # units x coders: did the coder see the unit?
    memos: pd.DataFrame  # code, unit, coder, memo (non-empty memos only)

    def applied(self) -> np.ndarray:
        """Return codes x units: how many coders applied each code to each unit."""
        size = len(self.codes) * len(self.units)
        flat = np.bincount(self.code * len(self.units) + self.unit, minlength=size)
        return flat.reshape(len(self.codes), len(self.units))


def _need(table: Any, columns: list[str], what: str, hint: str) -> None:
    require_table(table, columns, what, hint=hint, error=AgreementError)


def _ids(series: pd.Series) -> np.ndarray:
    """Return ids as text, so that 3, 3.0 and '3' name the same segment ("" when blank)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series.astype(float)
        whole = numbers.dropna()
        if (whole == np.round(whole)).all():
            text = numbers.astype("Int64").astype(str)
        else:
            text = numbers.astype(str)
        return np.where(series.isna(), "", text).astype(object)
    return np.where(series.isna(), "", series.astype(str).str.strip()).astype(object)


@dataclass
class _Factor:
    """A column as integer codes into its distinct normalised labels (-1 where blank).

    Codings tables run to millions of rows but hold few distinct coders, codes
    and interviews, so text is normalised once per label, not once per row.
    """

    codes: np.ndarray
    labels: np.ndarray

    def text(self, rows: np.ndarray | slice | list = slice(None)) -> np.ndarray:
        """Return the label of each row ("" where blank)."""
        return np.append(self.labels, "")[self.codes[rows]]

    def lookup(self, labels: Iterable[str]) -> np.ndarray:
        """Return, for each of this column's labels, its position in `labels` (-1 if absent)."""
        return pd.Index(list(labels), dtype=object).get_indexer(self.labels)

    def mapped(self, lookup: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Return each row's position in another label list (see lookup), -1 if none."""
        return np.append(lookup, -1)[self.codes[rows]]


def _factor(series: pd.Series) -> _Factor:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    labels = _ids(pd.Series(uniques))
    # Normalising may merge labels (" sam" and "sam", 3 and 3.0) or blank them ("  ").
    merged_codes, merged = pd.factorize(pd.Series(labels, dtype=object))
    merged_codes = np.where(np.asarray(merged, dtype=object)[merged_codes] == "", -1, merged_codes)
    if len(merged_codes):
        codes = np.where(codes >= 0, merged_codes[np.maximum(codes, 0)], -1)
    return _Factor(codes=codes.astype(np.int64), labels=np.asarray(merged, dtype=object))


def _codebook_codes(codebook: Any) -> list[str] | None:
    """Return the codebook's codes in order, or None when there is nothing to check against."""
    if codebook is None:
        return None
    codes = as_codebook(codebook).codes
    return codes or None  # an empty codebook cannot check codes


def _blank(codings: pd.DataFrame, column: str, blank: np.ndarray, what: str = "coding") -> None:
    if blank.any():
        raise AgreementError(
            f"expected a {column} in every {what}, but {row_name(codings, int(blank.argmax()))} "
            "has none",
            hint=f"fill in the {column} or delete the row",
        )


def compared_units(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None,
    unit: str,
    coders: Iterable[str] | None,
    include_rules: bool,
    coverage: pd.DataFrame | None,
    codebook: Any,
) -> tuple[CodedUnits, str]:
    """Check a codings table and reduce it to who applied which code to which unit.

    The start of :func:`~toolkit.analysis.agreement.reliability.reliability`
    and :func:`~toolkit.analysis.agreement.disagreements.disagreements`, whose
    parameters (and defaults) these are.  Returns the coded units and the
    unit's name (``"segment"`` or ``"interview"``).  Raises
    :class:`AgreementError` for missing columns, blank coders, codes or
    interviews, unknown coders, fewer than two coders, codes outside the
    codebook, codings that point at unknown segments, and coders with no unit
    in common (see :func:`check_overlap`).
    """
    unit = unit_name(unit)
    hint = "pass the codings table the toolkit made (project.codings)"
    _need(codings, ["interview_id", "code", "coder"], "codings", hint)
    if "method" in codings.columns:
        method = _factor(codings["method"])
        # The extra False answers for blank methods (code -1), which count as manual.
        is_rule = np.array([str(m).lower() == "rule" for m in method.labels] + [False])[
            method.codes
        ]
    else:
        is_rule = np.zeros(len(codings), bool)
    keep = np.ones(len(codings), bool) if include_rules else ~is_rule
    coder = _factor(codings["coder"])
    code = _factor(codings["code"])
    _blank(codings, "coder", keep & (coder.codes < 0))
    _blank(codings, "code", keep & (code.codes < 0))
    present = np.unique(coder.codes[keep])
    names = sorted(coder.labels[present].tolist())
    if coders is not None:
        wanted = [str(c) for c in ([coders] if isinstance(coders, str) else coders)]
        unknown = [c for c in wanted if c not in names]
        if unknown:
            rule_names = set(coder.labels[np.unique(coder.codes[is_rule & (coder.codes >= 0)])])
            raise AgreementError(
                f"expected coder(s) {', '.join(map(repr, unknown))} in the codings, but found "
                f"{', '.join(map(repr, names)) or 'no coders'}"
                + ("" if rule_names & set(unknown) else did_you_mean(unknown[0], names)),
                hint="to compare the rules as a coder, pass include_rules=True "
                "(--include-rules on the command line)"
                if rule_names & set(unknown)
                else "check the spelling of the coders' names",
            )
        keep &= coder.mapped(coder.lookup(wanted)) >= 0
        names = sorted(set(wanted))
    if len(names) < 2:
        found = f"only {names[0]!r}" if names else "none"
        raise AgreementError(
            f"expected codings from at least two coders to compare, but found {found}",
            hint="have a second person code the same interviews independently and add their "
            "file to codings/, or compare with the rules (include_rules=True in Python, "
            "--include-rules on the command line)",
        )
    book = _codebook_codes(codebook)
    if book is not None:
        outside = keep & (code.mapped(code.lookup(book)) < 0)
        if outside.any():
            first = int(outside.argmax())
            found = code.text([first])[0]
            others = sorted(set(code.text(outside)) - {found})
            raise AgreementError(
                f"expected codes from the codebook, but {row_name(codings, first)} has "
                f"{found!r}"
                + did_you_mean(found, book)
                + (f" (also: {listing(others)})" if others else ""),
                hint="add the code to the codebook, or correct it in the coder's file",
            )
    units, (rows, unit_index) = _units(codings, segments, keep, unit)
    used = set(code.labels[np.unique(code.codes[rows])].tolist())
    codes = [c for c in dict.fromkeys(book) if c in used] if book is not None else sorted(used)
    code_index = code.mapped(code.lookup(codes), rows)
    coder_index = coder.mapped(coder.lookup(names), rows)
    n_units, n_coders = len(units), len(names)
    covered = np.zeros((n_units, n_coders), bool)
    covered[unit_index, coder_index] = True
    rule_coders = set(coder.labels[np.unique(coder.codes[keep & is_rule])].tolist())
    for j, name in enumerate(names):
        if name in rule_coders:
            covered[:, j] = True  # a rule looks at every unit, matching or not
    if coverage is not None:
        _add_coverage(covered, coverage, units, names, unit)
    key = (code_index.astype(np.int64) * n_units + unit_index) * n_coders + coder_index
    _, first = np.unique(key, return_index=True)
    memos = pd.DataFrame({"code": [], "unit": [], "coder": [], "memo": []})
    if "memo" in codings.columns:
        memo = _factor(codings["memo"])
        has = memo.codes[rows] >= 0
        memos = pd.DataFrame(
            {
                "code": code_index[has],
                "unit": unit_index[has],
                "coder": np.asarray(names, dtype=object)[coder_index[has]],
                "memo": memo.text(rows[has]),
            }
        ).drop_duplicates()
    coded = CodedUnits(
        units=units,
        coders=names,
        codes=codes,
        code=code_index[first].astype(np.int64),
        unit=unit_index[first].astype(np.int64),
        coder=coder_index[first].astype(np.int64),
        covered=covered,
        memos=memos,
    )
    check_overlap(coded, unit)
    return coded, unit


def _units(
    codings: pd.DataFrame, segments: pd.DataFrame | None, keep: np.ndarray, unit: str
) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """Return the units table and, for each kept coding, the unit(s) it falls in."""
    rows = np.flatnonzero(keep)
    interview = _factor(codings["interview_id"])
    _blank(codings, "interview_id", keep & (interview.codes < 0))
    if segments is not None:
        _need(
            segments,
            ["interview_id"] + (["segment_id"] if unit == "segment" else []),
            "segments",
            "pass the segments table the toolkit made (project.segments)",
        )
    if unit == "interview":
        source = _factor(segments["interview_id"]) if segments is not None else interview
        taken = source.codes if segments is not None else interview.codes[rows]
        ids = source.labels[pd.unique(taken[taken >= 0])].tolist()
        index = interview.mapped(interview.lookup(ids), rows)
        _unknown(codings, rows, index, lambda p: f"interview {interview.text([p])[0]!r}")
        return pd.DataFrame({"interview_id": ids}), (rows, index)
    if "segment_id" in codings.columns:
        segment = _factor(codings["segment_id"])
    else:
        segment = _Factor(np.full(len(codings), -1), np.array([], dtype=object))
    if segments is not None:
        units = segments.drop_duplicates(["interview_id", "segment_id"]).reset_index(drop=True)
        unit_interview = _factor(units["interview_id"])
        unit_segment = _factor(units["segment_id"])
    else:
        if "segment_id" not in codings.columns:
            raise AgreementError(
                "expected a segment_id column in the codings, or a segments table, to know "
                "which segment each code is in",
                hint="pass the segments table: tk.reliability(codings, project.segments)",
            )
        named = rows[segment.codes[rows] >= 0]
        pairs = pd.DataFrame(
            {"interview_id": interview.text(named), "segment_id": segment.text(named)}
        ).drop_duplicates()
        units = pairs.reset_index(drop=True)
        unit_interview = _factor(units["interview_id"])
        unit_segment = _factor(units["segment_id"])
    width = max(len(unit_segment.labels), 1)
    unit_keys = pd.Index(unit_interview.codes * width + unit_segment.codes)
    by_id = rows[segment.codes[rows] >= 0]
    in_interview = interview.mapped(interview.lookup(unit_interview.labels), by_id)
    in_segment = segment.mapped(segment.lookup(unit_segment.labels), by_id)
    keys = np.where((in_interview >= 0) & (in_segment >= 0), in_interview * width + in_segment, -1)
    index = np.where(keys >= 0, unit_keys.get_indexer(keys), -1)
    _unknown(
        codings,
        by_id,
        index,
        lambda p: f"segment {segment.text([p])[0]!r} of interview {interview.text([p])[0]!r}",
    )
    by_span = rows[segment.codes[rows] < 0]
    if len(by_span) == 0:
        return units, (by_id, index)
    span_rows, span_units = _span_units(codings, by_span, interview.text(by_span), units, segments)
    return units, (np.concatenate([by_id, span_rows]), np.concatenate([index, span_units]))


def _unknown(
    codings: pd.DataFrame, rows: np.ndarray, index: np.ndarray, name: Callable[[int], str]
) -> None:
    if (index < 0).any():
        position = int(rows[int(np.argmax(index < 0))])
        raise AgreementError(
            f"expected every coding to refer to a known {name(position).split()[0]}, but "
            f"{row_name(codings, position)} refers to {name(position)}, which the segments "
            "table does not have",
            hint="re-read the transcripts, or correct the coding's interview_id/segment_id",
        )


def _span_units(
    codings: pd.DataFrame,
    rows: np.ndarray,
    interview: np.ndarray,
    units: pd.DataFrame,
    segments: pd.DataFrame | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Place codings with no segment_id in every segment their span overlaps."""
    spans = {"start", "end"}
    if segments is None or not spans <= set(units.columns) or not spans <= set(codings.columns):
        raise AgreementError(
            f"expected a segment_id, or start and end offsets, but {row_name(codings, rows[0])} "
            "has neither",
            hint="fill in the segment_id of each coding",
        )
    starts = pd.to_numeric(codings["start"].iloc[rows], errors="coerce").to_numpy(dtype=float)
    ends = pd.to_numeric(codings["end"].iloc[rows], errors="coerce").to_numpy(dtype=float)
    unit_interview = _ids(units["interview_id"])
    seg_start = pd.to_numeric(units["start"], errors="coerce").to_numpy(dtype=float)
    seg_end = pd.to_numeric(units["end"], errors="coerce").to_numpy(dtype=float)
    out_rows, out_units = [], []
    for name in pd.unique(interview):
        mine = np.flatnonzero(interview == name)
        theirs = np.flatnonzero(unit_interview == name)
        order = theirs[np.argsort(seg_start[theirs], kind="stable")]
        first = np.searchsorted(seg_end[order], starts[mine], side="right")
        last = np.searchsorted(seg_start[order], ends[mine], side="left")
        bad = ~(last > first) | np.isnan(starts[mine]) | np.isnan(ends[mine])
        if bad.any():
            position = int(rows[mine[int(bad.argmax())]])
            raise AgreementError(
                "expected each coding's span to overlap a segment, but "
                f"{row_name(codings, position)} ({starts[mine][bad][0]:g} to "
                f"{ends[mine][bad][0]:g} in {name!r}) overlaps none",
                hint="check the start and end offsets, or fill in the segment_id",
            )
        counts = last - first
        out_rows.append(np.repeat(rows[mine], counts))
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        out_units.append(order[np.repeat(first, counts) + offsets])
    return np.concatenate(out_rows), np.concatenate(out_units)


def _add_coverage(
    covered: np.ndarray, coverage: pd.DataFrame, units: pd.DataFrame, names: list[str], unit: str
) -> None:
    _need(
        coverage,
        ["coder", "interview_id"],
        "coverage",
        "give one row per coder and interview (and segment_id, to name single segments)",
    )
    coder = pd.Index(names).get_indexer(_ids(coverage["coder"]))
    if (coder < 0).any():
        bad = _ids(coverage["coder"])[int(np.argmax(coder < 0))]
        raise AgreementError(
            f"expected coverage rows for the coders compared ({', '.join(names)}), but found "
            f"{bad!r}",
            hint="remove that coder's rows, or include their codings",
        )
    interview = _ids(coverage["interview_id"])
    unit_interview = _ids(units["interview_id"])
    segment = (
        _ids(coverage["segment_id"])
        if unit == "segment" and "segment_id" in coverage.columns
        else np.full(len(coverage), "", object)
    )
    whole = segment == ""
    # A row without a segment_id means the coder read the whole interview.
    for name in pd.unique(interview[whole]):
        rows = np.flatnonzero(unit_interview == name)
        if len(rows) == 0:
            raise AgreementError(
                f"expected coverage to name known interviews, but found {name!r}",
                hint="correct the interview_id in the coverage table",
            )
        for j in np.unique(coder[whole & (interview == name)]):
            covered[rows, j] = True
    if (~whole).any():
        keys = pd.Index(unit_interview + "\x1f" + _ids(units["segment_id"]))
        index = keys.get_indexer(interview[~whole] + "\x1f" + segment[~whole])
        if (index < 0).any():
            position = int(np.argmax(index < 0))
            raise AgreementError(
                "expected coverage to name known segments, but found segment "
                f"{segment[~whole][position]!r} of interview {interview[~whole][position]!r}",
                hint="correct the segment_id in the coverage table",
            )
        covered[index, coder[~whole]] = True


def check_overlap(coded: CodedUnits, unit: str) -> None:
    """Raise :class:`AgreementError` unless some unit was seen by two coders or more."""
    seen = coded.covered.sum(axis=1)
    if (seen >= 2).any():
        return
    per_coder = ", ".join(
        f"{name} {int(coded.covered[:, j].sum())}" for j, name in enumerate(coded.coders)
    )
    raise AgreementError(
        f"expected the coders to have coded some of the same {unit}s, but they have no {unit} "
        f"in common ({unit}s coded: {per_coder})",
        hint="agreement is measured where coders overlap: have each coder code (some of) the "
        "same interviews, or pass a coverage table if they read more than they coded",
    )
