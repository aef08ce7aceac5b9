"""Who is speaking: interviewers apart from the participants they interview.

Theme tables count participants' words, never the interviewer's, so each
turn's speaker is first sorted into one or the other: from the labels a team
gives (``interviewers=``, or ``settings: interviewers:`` in ``project.yml``)
or, failing that, by the guess :func:`interviewer_labels` describes.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.cleaning import clean_text

__all__ = ["guess_interviewers", "interviewer_labels"]

# Speaker labels that name the interviewing role rather than a person.
_INTERVIEWER_LABEL = re.compile(
    r"^(?:interviewer|int\d*|i|q|question|facilitator|moderator|researcher)$", re.IGNORECASE
)
_PARTICIPANT_LABEL = re.compile(
    r"^(?:participant|interviewee|respondent|p\d*|a|answer|r\d*)$", re.IGNORECASE
)


def interviewer_labels(segments: pd.DataFrame, given: Any = None) -> list[str]:
    """Return the speaker labels taken to be interviewers, not participants.

    Parameters
    ----------
    segments
        The segments table.
    given
        Labels to use instead of guessing (a list, or one label).

    Notes
    -----
    Without ``given`` the toolkit decides interview by interview, among the
    interviews with two or more named speakers.  A label that names the
    role ("Interviewer", "Int1", "Q", "Facilitator") is the interviewer.
    Otherwise the interviewer is the speaker most of whose turns ask a
    question (at least 40%, and more than anyone else's), unless the label
    names the participant's role ("Participant", "P1", "A").  Where the
    questions do not settle it, a label found to be an interviewer in
    another interview is taken to be one here too.  Turns with no speaker
    label in an interview that has named speakers (a title, a note) are
    nobody's: they are not counted as a participant either.  To say who the
    interviewers are, pass ``interviewers=`` or list them in ``project.yml``
    under ``settings: interviewers: [Sam, Nadia]``.

    Examples
    --------
    >>> import pandas as pd
    >>> turns = pd.DataFrame({"interview_id": ["a", "a", "b", "b", "c"],
    ...                       "speaker": ["Sam", "Maya", "Sam", "Derek", "Respondent"],
    ...                       "text": ["Your best day?", "The call.", "And you?", "Lifts.", "Hi."]})
    >>> interviewer_labels(turns)
    ['Sam']
    """
    if given is not None:
        return [given] if isinstance(given, str) else [str(g) for g in given]
    if segments is None or segments.empty or "speaker" not in segments.columns:
        return []
    speakers = clean_text(segments["speaker"])
    mask = guess_interviewers(
        clean_text(segments["interview_id"]),
        speakers,
        segments["text"] if "text" in segments.columns else pd.Series("", segments.index),
    )
    return sorted(set(speakers[mask]))


def guess_interviewers(interviews: pd.Series, speakers: pd.Series, texts: pd.Series) -> np.ndarray:
    """Return, for each turn, whether its speaker is taken to be the interviewer.

    ``interviews`` and ``speakers`` are clean text columns (see
    :func:`~toolkit.analysis.themes.cleaning.clean_text`); the rules are
    those of :func:`interviewer_labels`.
    """
    named = (speakers != "").to_numpy()
    voices = speakers[named].groupby(interviews[named]).nunique()
    several = interviews.isin(voices.index[voices >= 2]).to_numpy() & named
    out = np.zeros(len(speakers), dtype=bool)
    if not several.any():
        return out
    turns = pd.DataFrame(
        {
            "interview": interviews[several].to_numpy(),
            "speaker": speakers[several].to_numpy(),
            "question": texts[several].astype(object).map(lambda t: "?" in str(t)).to_numpy(),
        }
    )
    labels = pd.Series(turns["speaker"].unique())
    role = set(labels[labels.map(lambda x: bool(_INTERVIEWER_LABEL.match(x)))])
    answering = set(labels[labels.map(lambda x: bool(_PARTICIPANT_LABEL.match(x)))])
    share = turns.groupby(["interview", "speaker"])["question"].mean().reset_index()
    share["role"] = share["speaker"].isin(role)
    share = share.sort_values(["interview", "question"], ascending=[True, False], kind="stable")
    place = share.groupby("interview").cumcount()
    top = share[place == 0].set_index("interview")
    runner_up = share[place == 1].set_index("interview")["question"].reindex(top.index).fillna(0)
    clear = (
        (top["question"] >= 0.4) & (top["question"] > runner_up) & ~top["speaker"].isin(answering)
    )
    by_role = share[share["role"]]
    chosen = set(zip(by_role["interview"], by_role["speaker"], strict=True))
    decided = set(by_role["interview"])
    for interview, speaker in top[clear & ~top.index.isin(decided)]["speaker"].items():
        chosen.add((interview, speaker))
        decided.add(interview)
    # Interviews the questions do not settle: someone who interviews elsewhere interviews here.
    known = {speaker for _, speaker in chosen}
    for interview, speaker in zip(share["interview"], share["speaker"], strict=True):
        if interview not in decided and speaker in known:
            chosen.add((interview, speaker))
    pairs = pd.MultiIndex.from_arrays([interviews, speakers])
    out[pairs.isin(list(chosen))] = True
    return out
