"""Rules against a coder: how well a codebook's rules agree with a person, per code.

:func:`evaluate_rules` compares the codings of :func:`toolkit.autocode` with a
human coder's, segment by segment, and gives precision, recall and F1 per code
with the differences to read when tuning the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import CodingError
from toolkit.model.codebook import Codebook
from toolkit.model.codings import typed_codings

__all__ = ["RuleEvaluation", "evaluate_rules"]


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
    """

    scores: pd.DataFrame
    differences: pd.DataFrame
    coder: str

    def __repr__(self) -> str:
        return (
            f"<RuleEvaluation against {self.coder!r}: {len(self.scores)} codes, "
            f"{len(self.differences)} differences>"
        )


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
    names = sorted(set(humans["coder"].tolist()))
    if coder is None:
        if len(names) != 1:
            raise CodingError(
                "expected the codings of one human coder to compare with, but found "
                + (f"{len(names)}: {', '.join(names)}" if names else "none"),
                hint="pass coder='name' (one of them)" if names else "code some segments first",
            )
        coder = names[0]
    if coder not in names:
        raise CodingError(
            f"expected codings by {coder!r}, but the table has "
            + (", ".join(names) if names else "no human codings"),
            hint="check the coder's name (it is their file's name in codings/)",
        )
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
        f1 = (
            2 * precision * recall / (precision + recall)
            if tp and not np.isnan(precision) and not np.isnan(recall)
            else (0.0 if tp + fp and tp + fn else np.nan)
        )
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
