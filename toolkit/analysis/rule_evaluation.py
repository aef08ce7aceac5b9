"""Rules against a coder: how well a codebook's rules agree with a person, per code.

:func:`evaluate_rules` compares the codings of :func:`toolkit.autocode` with a
human coder's, segment by segment, and gives precision, recall and F1 per code
with the differences to read when tuning the rules.  :meth:`RuleEvaluation.worst_first`
is the table ``codesign-toolkit code DIR --against CODER`` writes to
``output/rule-check.csv``, and :func:`human_coder` checks the coder's name
before anything is coded or written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import CodingError
from toolkit.model.codebook import Codebook
from toolkit.model.codings import typed_codings
from toolkit.wording import did_you_mean, plural

__all__ = ["RuleEvaluation", "evaluate_rules", "human_coder"]

#: The columns of :meth:`RuleEvaluation.worst_first` (and of ``output/rule-check.csv``).
CHECK_COLUMNS = [
    "code",
    "precision",
    "recall",
    "f1",
    "both",
    "rules_only",
    "coder_only",
    "rules",
    "coder",
]


@dataclass
class RuleEvaluation:
    """How well a codebook's rules agree with a human coder, per code.

    Attributes
    ----------
    scores
        One row per code: ``code, rules, coder, both, precision, recall, f1``
        (counts of segments coded by the rules, by the coder and by both).
    differences
        One row per segment and code where they differ: ``interview_id,
        segment_id, code, found_by`` (``"rules only"`` or ``"coder only"``),
        ``rule`` (the rule that matched), ``speaker`` and ``text``.
    coder
        The human coder compared with.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> rules = tk.autocode(project.segments, project.codebook)
    >>> check = tk.evaluate_rules(rules, project.codings, project.segments,
    ...                           coder="sam", codebook=project.codebook)
    >>> table = check.worst_first()
    >>> table.columns.tolist()[:4]
    ['code', 'precision', 'recall', 'f1']
    >>> bool(table["f1"].dropna().is_monotonic_increasing)
    True
    >>> print(check.summary(limit=1).splitlines()[0])
    Rules against sam, worst first (F1: 1 = the rules find exactly the segments sam coded):
    """

    scores: pd.DataFrame
    differences: pd.DataFrame
    coder: str

    def __repr__(self) -> str:
        return (
            f"<RuleEvaluation against {self.coder!r}: {len(self.scores)} codes, "
            f"{len(self.differences)} differences>"
        )

    def worst_first(self) -> pd.DataFrame:
        """Return the scores with the worst codes first: lowest F1, then lowest recall.

        Columns: ``code, precision, recall, f1`` and the counts of segments
        ``both`` (coded by the rules and the coder), ``rules_only``,
        ``coder_only``, ``rules`` and ``coder`` (all coded by each).  Codes
        that neither the rules nor the coder used (F1 undefined) come last
        (see the class's example).
        """
        table = self.scores.assign(
            rules_only=self.scores["rules"] - self.scores["both"],
            coder_only=self.scores["coder"] - self.scores["both"],
        )
        table = table.sort_values(
            ["f1", "recall", "code"], na_position="last", kind="stable"
        ).reset_index(drop=True)
        return table[CHECK_COLUMNS]

    def summary(self, limit: int | None = None) -> str:
        """Return the scores as lines to print, worst first (at most `limit` codes).

        See the class's example.
        """
        table = self.worst_first()
        shown = table if limit is None else table.head(limit)

        def number(x: float) -> str:
            return "   -" if x != x else f"{x:4.2f}"

        width = max([len("code"), *(len(str(c)) for c in shown["code"])])
        lines = [
            f"Rules against {self.coder}, worst first (F1: 1 = the rules find exactly the "
            f"segments {self.coder} coded):",
            f"  {'code':<{width}}    F1  precision  recall   both  rules only  {self.coder} only",
        ]
        for row in shown.itertuples(index=False):
            lines.append(
                f"  {row.code:<{width}}  {number(row.f1)}       {number(row.precision)}    "
                f"{number(row.recall)}  {row.both:>5,}  {row.rules_only:>10,}  "
                f"{row.coder_only:>{len(self.coder) + 5},}"
            )
        if len(shown) < len(table):
            lines.append(f"  ... and {plural(len(table) - len(shown), 'more code')}")
        return "\n".join(lines)


def human_coder(codings: pd.DataFrame | None, coder: str | None, *, option: str = "coder") -> str:
    """Return the human coder to compare the rules with, checking they have codings.

    Parameters
    ----------
    codings
        The project's codings (rule codings are ignored).
    coder
        The coder's name, or None when there is only one human coder.
    option
        The name of the parameter or option that gave `coder`, for the message.

    Raises
    ------
    CodingError
        If `coder` has no codings, or is None and there is not exactly one
        human coder.

    Examples
    --------
    >>> import toolkit as tk
    >>> human_coder(tk.sample_project().codings, "sam")
    'sam'
    >>> human_coder(tk.sample_project().codings, "Sam")
    Traceback (most recent call last):
    ...
    toolkit.errors.CodingError: expected codings by 'Sam', but the project has nadia, sam ...
    """
    humans = typed_codings(codings) if codings is not None and len(codings) else None
    names = [] if humans is None else sorted(set(humans.loc[humans["method"] != "rule", "coder"]))
    if coder is None:
        if len(names) != 1:
            raise CodingError(
                "expected the codings of one human coder to compare with, but found "
                + (f"{len(names)}: {', '.join(names)}" if names else "none"),
                hint=f"pass {option}='name' (one of them)" if names else "code some segments first",
            )
        return names[0]
    if coder not in names:
        raise CodingError(
            f"expected codings by {coder!r}, but the project has "
            + (", ".join(names) + did_you_mean(coder, names) if names else "no human codings"),
            hint="check the coder's name (it is their file's name in codings/)"
            if names
            else "code some segments first (codings/<your-name>.csv)",
        )
    return coder


def evaluate_rules(
    rule_codings: pd.DataFrame,
    human_codings: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    coder: str | None = None,
    codebook: Codebook | None = None,
) -> RuleEvaluation:
    """Compare rule codings with a human coder's: precision, recall and F1 per code.

    The unit is the segment: a code counts as applied to a segment if any
    coding of it falls in the segment.  Only interviews the coder coded are
    compared, so rules are not blamed for texts nobody has coded yet.

    Parameters
    ----------
    rule_codings
        From :func:`autocode`.
    human_codings
        Codings with one or more human coders (``method`` not ``rule``).
    segments
        The segments table (for the texts of the differences).
    coder
        Which coder to compare with, if the table has several.
    codebook
        When given, only codes that have rules are scored, in codebook order.

    Returns
    -------
    RuleEvaluation
        ``scores`` per code and the ``differences`` to read when tuning rules.

    Examples
    --------
    >>> import pandas as pd
    >>> segments = pd.DataFrame({"interview_id": ["a"] * 3, "segment_id": [1, 2, 3],
    ...     "start": [0, 10, 20], "speaker": ["Jo"] * 3, "text": ["x" * 9] * 3})
    >>> rules = pd.DataFrame({"interview_id": ["a", "a"], "segment_id": [1, 2],
    ...     "code": ["wish", "wish"], "coder": "rules", "method": "rule", "rule": "keyword: x"})
    >>> human = pd.DataFrame({"interview_id": ["a", "a"], "segment_id": [1, 3],
    ...     "code": ["wish", "wish"], "coder": "sam"})
    >>> result = evaluate_rules(rules, human, segments)
    >>> result.scores[["code", "both", "precision", "recall"]]
       code  both  precision  recall
    0  wish     1        0.5     0.5
    """
    rules = typed_codings(rule_codings)
    humans = typed_codings(human_codings)
    humans = humans[humans["method"] != "rule"]
    coder = human_coder(humans, coder)
    humans = humans[humans["coder"] == coder]
    scope = set(humans["interview_id"].tolist())
    rules = rules[rules["interview_id"].isin(scope)]
    codes = sorted(set(rules["code"]) | set(humans["code"]))
    if codebook is not None:
        ruled = [c.code for c in codebook if c.has_rules]
        codes = ruled
    by_rules = rules.drop_duplicates(["interview_id", "segment_id", "code"])
    by_coder = humans.drop_duplicates(["interview_id", "segment_id", "code"])
    keys = ["interview_id", "segment_id", "code"]
    both = by_rules[[*keys, "rule"]].merge(by_coder[keys], on=keys, how="outer", indicator=True)
    both = both[both["code"].isin(codes)]
    rows = []
    for code in codes:
        part = both[both["code"] == code]["_merge"]
        tp = int((part == "both").sum())
        fp = int((part == "left_only").sum())
        fn = int((part == "right_only").sum())
        precision = tp / (tp + fp) if tp + fp else np.nan
        recall = tp / (tp + fn) if tp + fn else np.nan
        # 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, and 0
        # when the rules find none of the coder's segments (or only wrong ones).
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
        rows.append(
            {
                "code": code,
                "rules": tp + fp,
                "coder": tp + fn,
                "both": tp,
                "precision": precision,
                "recall": recall,
                "f1": f1,
            }
        )
    scores = pd.DataFrame(
        rows, columns=["code", "rules", "coder", "both", "precision", "recall", "f1"]
    )
    diff = both[both["_merge"] != "both"].copy()
    diff["found_by"] = np.where(diff["_merge"] == "left_only", "rules only", "coder only")
    info = segments[[c for c in ("interview_id", "segment_id", "speaker", "text") if c in segments]]
    info = info.assign(segment_id=pd.to_numeric(info["segment_id"]).astype(np.int64))
    diff = diff.merge(info, on=["interview_id", "segment_id"], how="left")
    if "speaker" not in diff:
        diff["speaker"] = ""
    diff["rule"] = diff["rule"].fillna("")
    diff = diff.sort_values(["code", "interview_id", "segment_id"], kind="stable")
    columns = ["interview_id", "segment_id", "code", "found_by", "rule", "speaker", "text"]
    differences = diff[columns].reset_index(drop=True)
    return RuleEvaluation(scores=scores, differences=differences, coder=coder)
