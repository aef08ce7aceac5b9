"""Interviewers: which speakers ask the questions, and why the toolkit thinks so.

Counts, quotes and rule coding are about the participants' words, so each
speaker in each interview is first sorted into interviewer or participant.
In order of trust:

1. ``participants.csv``: a row whose ``interviewer`` column says ``yes``
   (or ``no``) settles that speaker in that interview;
2. the ``interviewers`` setting in ``project.yml`` (``settings: interviewers:
   [Sam, Host]``) names speakers who interview everywhere;
3. a label that names the role (``Interviewer``, ``Int2``, ``Q``,
   ``Facilitator``, ``Moderator``, ``Host``) is an interviewer;
4. only when nothing is listed (1 and 2 are empty), a careful guess: see
   :func:`guess_interviewers`.

Labels match with or without brackets and whatever their case: ``[Int2]``,
``int2`` and ``Int2`` are one label.  :class:`Interviewers` records the
decision with its reasons, in the sentence every command prints.

Examples
--------
>>> label_key(" [Int2] "), label_key("Sam  Reid")
('int2', 'sam reid')
>>> yes_no("TRUE"), yes_no("0"), yes_no("")
('yes', 'no', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import ProjectError
from toolkit.wording import did_you_mean, listing, plural

__all__ = [
    "FROM_PARTICIPANTS",
    "FROM_ROLE",
    "FROM_SETTING",
    "GIVEN",
    "GUESSED",
    "Interviewers",
    "guess_interviewers",
    "is_role_label",
    "label_key",
    "setting_labels",
    "yes_no",
]

#: Why a speaker was taken to be an interviewer, in the words commands print.
FROM_PARTICIPANTS = "listed in participants.csv"
FROM_SETTING = "the 'interviewers' setting in project.yml"
FROM_ROLE = "the label names the role"
GUESSED = "guessed: asks most of the questions"
GIVEN = "as asked"

# Speaker labels that name the interviewing role rather than a person.
_INTERVIEWER_LABEL = re.compile(
    r"^(?:interviewer|int|i|q|question|facilitator|moderator|researcher|host|co-?host)"
    r"(?:[ _-]?\d+)?$",
    re.IGNORECASE,
)
# Labels that name the participant's role: never guessed to be an interviewer.
_PARTICIPANT_LABEL = re.compile(
    r"^(?:participant|interviewee|respondent|guest|p|a|answer|r)(?:[ _-]?\d+)?$", re.IGNORECASE
)
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
_BRACKETS = re.compile(r"^[\[(<{]\s*(.*?)\s*[\])>}]$")


def label_key(label: Any) -> str:
    """Return a speaker label as it is compared: no brackets, single spaces, case folded."""
    if isinstance(label, str) and label.isalnum():
        return label.casefold()  # the common case, quickly: "Sam", "P1", a survey's id
    text = " ".join(str(label if label is not None else "").split()).rstrip(":").strip()
    inner = _BRACKETS.match(text)
    if inner:
        text = inner.group(1)
    return " ".join(text.split()).casefold()


def is_role_label(label: Any, *, key: str | None = None) -> bool:
    """Whether a label names the interviewing role (``Interviewer``, ``Int2``, ``Q``, ``Host``).

    ``key`` is the label's :func:`label_key`, when it is known already.
    """
    return bool(_INTERVIEWER_LABEL.match(label_key(label) if key is None else key))


def yes_no(value: Any, *, path: Any = None, row: int | None = None) -> str:
    """Return ``"yes"``, ``"no"`` or ``""`` (blank) for a yes/no cell.

    Raises
    ------
    ProjectError
        For anything else, naming the file and row when given.
    """
    text = str(value if value is not None else "").strip().casefold()
    if text in ("", "nan", "none"):
        return ""
    if text in _YES:
        return "yes"
    if text in _NO:
        return "no"
    raise ProjectError(
        f"expected yes or no in the interviewer column, but found {str(value).strip()!r}",
        path=path,
        row=row,
        hint="write yes for an interviewer and no (or leave it blank) for a participant; "
        "true/false and 1/0 work too",
    )


@dataclass(frozen=True)
class Interviewers:
    """Who was treated as an interviewer, and why: what commands print.

    Attributes
    ----------
    reasons
        Each interviewer's label (as in the transcripts) and why it was
        taken to be one (:data:`FROM_PARTICIPANTS`, :data:`FROM_SETTING`,
        :data:`FROM_ROLE`, :data:`GUESSED` or :data:`GIVEN`).
    pairs
        The ``(interview_id, label)`` pairs treated as interviewers.
    unmatched
        Labels listed in the setting (or given) that match no speaker.
    missing
        ``(interview_id, label)`` of speakers not in participants.csv, in an
        interview it describes.
    unused
        ``(row, interview_id, label)`` of participants.csv rows naming a
        speaker who is not in their interview.
    kept
        Whether interviewers' turns are kept in counts and quotes (asked for).
    """

    reasons: dict[str, str] = field(default_factory=dict)
    pairs: frozenset = frozenset()
    unmatched: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    unused: tuple[tuple[int, str, str], ...] = ()
    kept: bool = False
    known: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        """The interviewers' labels, sorted."""
        return sorted(self.reasons)

    @property
    def guessed(self) -> bool:
        """Whether any interviewer was guessed rather than listed."""
        return GUESSED in self.reasons.values()

    @property
    def sentence(self) -> str:
        """One line saying who was treated as an interviewer, and why."""
        if not self.reasons:
            return (
                "No interviewers: none is listed (the interviewer column of participants.csv, "
                "or 'interviewers:' in project.yml) and none could be guessed, so every "
                "speaker counts as a participant."
            )
        by_reason: dict[str, list[str]] = {}
        for label in self.labels:
            by_reason.setdefault(self.reasons[label], []).append(label)
        parts = [f"{listing(labels, 8)} ({why})" for why, labels in by_reason.items()]
        head = (
            "Interviewers (their turns are kept, as asked): "
            if self.kept
            else "Interviewers, left out of rule coding, counts and quotes: "
        )
        words = head + "; ".join(parts) + "."
        if self.guessed:
            words += (
                " To be sure, list them: an interviewer column in participants.csv, or "
                "'interviewers: [...]' under settings in project.yml."
            )
        return words

    def describe(self, show_names: bool = False) -> str:
        """Say who was treated as an interviewer, fit for a report: without names unless asked.

        Labels that name the role (``Interviewer``, ``Q``) are shown; labels
        that may be names are counted instead (``"2 speakers listed in
        participants.csv"``).

        Examples
        --------
        >>> found = Interviewers({"Sam Reid": FROM_PARTICIPANTS, "Q": FROM_ROLE})
        >>> found.describe().split(": ", 1)[1]
        'Q (the label names the role); 1 speaker (listed in participants.csv).'
        >>> "Sam Reid" in found.describe(), "Sam Reid" in found.describe(show_names=True)
        (False, True)
        """
        if show_names or not self.reasons:
            return self.sentence
        by_reason: dict[str, list[str]] = {}
        for label in self.labels:
            by_reason.setdefault(self.reasons[label], []).append(label)
        parts = []
        for why, labels in by_reason.items():
            roles = [x for x in labels if is_role_label(x)]
            others = len(labels) - len(roles)
            shown = ([plural(others, "speaker")] if others else []) + roles
            parts.append(f"{listing(shown, 8)} ({why})")
        verb = "kept in" if self.kept else "left out of"
        return f"Interviewers' turns were {verb} counts and quotes: " + "; ".join(parts) + "."

    @property
    def warnings(self) -> list[str]:
        """Lines about labels that match nobody and speakers participants.csv does not describe."""
        lines = []
        for label in self.unmatched:
            lines.append(
                f"The 'interviewers' setting in project.yml names {label!r}, who speaks in no "
                f"interview{did_you_mean(label, self.known)}: write the label as it appears in "
                "the transcripts."
            )
        if self.missing:
            shown = [f"{label} ({interview})" for interview, label in self.missing]
            lines.append(
                f"{plural(len(shown), 'speaker')} not in participants.csv: {listing(shown, 6)}. "
                "Add a row for each (interview_id and speaker), or mark them interviewer: yes; "
                "until then each counts as a person with no attributes."
            )
        if self.unused:
            shown = [f"row {row} ({label}, {interview})" for row, interview, label in self.unused]
            verb = "names" if len(shown) == 1 else "name"
            lines.append(
                f"{plural(len(shown), 'row')} of participants.csv {verb} a speaker who is not in "
                f"that interview: {listing(shown, 6)}. Write the "
                "speaker column as the label appears in the transcript."
            )
        return lines

    def __str__(self) -> str:
        return "\n".join([self.sentence, *self.warnings])


def guess_interviewers(pairs: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Guess interviewers from who asks the questions, carefully.

    Parameters
    ----------
    pairs
        One row per speaker in an interview: ``interview_id, speaker, turns,
        questions`` (how many of the speaker's turns hold a question mark).

    Returns
    -------
    dict
        ``(interview_id, speaker) -> reason`` for each speaker guessed.

    Notes
    -----
    Only interviews with two or more named speakers are looked at.  A
    speaker can be guessed only if they have at least as many turns as the
    interview's median speaker (the lower median), so a guest with one short
    question is never taken for the interviewer; and never if their label
    names the participant's role (``Participant``, ``P1``, ``Guest``).  The
    interviewer is then the speaker most of whose turns ask a question (at
    least 40%, and more than any other such speaker).  Where the questions
    do not settle it, a speaker guessed in another interview is taken to
    interview here too.

    Examples
    --------
    >>> pairs = pd.DataFrame({"interview_id": ["a", "a", "a"],
    ...                       "speaker": ["Sam", "Maya", "Joe"], "turns": [10, 10, 1],
    ...                       "questions": [8, 1, 1]})
    >>> guess_interviewers(pairs)
    {('a', 'Sam'): 'guessed: asks most of the questions'}
    """
    named = pairs[pairs["speaker"] != ""].copy()
    if named.empty:
        return {}
    # How many distinct speakers each interview has, counted on numbers (250,000 answers).
    iid = pd.factorize(named["interview_id"].to_numpy(object))[0].astype(np.int64)
    spk = pd.factorize(named["speaker"].to_numpy(object))[0].astype(np.int64)
    width = int(spk.max()) + 1
    known = (iid >= 0) & (spk >= 0)  # a missing id or label counts for nothing, as in nunique
    distinct = pd.unique(iid[known] * width + spk[known]) // width  # hashing, not sorting
    counts = np.bincount(distinct, minlength=int(iid.max()) + 1)
    voices = np.where(iid >= 0, counts[np.maximum(iid, 0)], 0)
    named = named[voices >= 2]
    if named.empty:
        return {}
    named["key"] = [label_key(s) for s in named["speaker"]]
    ordered = named.sort_values(["interview_id", "turns"], kind="stable")
    size = ordered.groupby("interview_id")["turns"].transform("size")
    place = ordered.groupby("interview_id").cumcount()
    low = ordered.loc[place == (size - 1) // 2].set_index("interview_id")["turns"]
    named["eligible"] = (named["turns"] >= named["interview_id"].map(low)) & ~named["key"].map(
        lambda k: bool(_PARTICIPANT_LABEL.match(k))
    )
    named["share"] = named["questions"] / named["turns"].where(named["turns"] > 0, np.nan)
    able = named[named["eligible"]].sort_values(
        ["interview_id", "share"], ascending=[True, False], kind="stable"
    )
    place = able.groupby("interview_id").cumcount()
    top = able[place == 0].set_index("interview_id")
    runner_up = able[place == 1].set_index("interview_id")["share"].reindex(top.index).fillna(0)
    clear = top[(top["share"] >= 0.4) & (top["share"] > runner_up)]
    chosen = {(i, s): GUESSED for i, s in zip(clear.index, clear["speaker"], strict=True)}
    known = {label_key(s) for _, s in chosen}
    decided = set(clear.index)
    for interview, speaker, key in zip(
        able["interview_id"], able["speaker"], able["key"], strict=True
    ):
        if interview not in decided and key in known:
            chosen[(interview, speaker)] = GUESSED
    return chosen


def setting_labels(value: Any, path: Any = None) -> list[str]:
    """Return the ``interviewers`` setting as a list of labels (one label, or a list).

    Raises
    ------
    ProjectError
        When it is neither a label nor a list of labels.
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, dict):
        labels = [str(v) for v in value if v is not None and str(v).strip()]
        return labels
    raise ProjectError(
        f"expected the 'interviewers' setting to be a label or a list of labels, but found "
        f"{value!r}",
        path=path,
        hint="write, under settings: 'interviewers: [Sam, Host]' with each label as it appears "
        "in the transcripts",
    )
