"""Who is speaking: interviewers apart from the participants they interview.

Theme tables count participants' words, never the interviewer's, so each
turn's speaker is first sorted into one or the other.  The decision is the
model's (:mod:`toolkit.model.interviewers` and :func:`toolkit.model.people.who_spoke`),
so rule coding, theme tables, quotes and the report all leave out the same
people; this module keeps the theme tables' names for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.model.people import who_spoke

__all__ = ["guess_interviewers", "interviewer_labels"]


def interviewer_labels(
    segments: pd.DataFrame, given: Any = None, participants: pd.DataFrame | None = None
) -> list[str]:
    """Return the speaker labels taken to be interviewers, not participants.

    Parameters
    ----------
    segments
        The segments table, or a Project (its participants.csv and its
        ``interviewers`` setting are used).
    given
        Labels to use instead (a list, or one label): matched with or
        without brackets, whatever their case.
    participants
        A participants table whose ``interviewer`` column marks interviewers.

    Notes
    -----
    In order: participants.csv's ``interviewer`` column; the ``interviewers``
    setting in ``project.yml`` (``settings: interviewers: [Sam, Nadia]``); a
    label that names the role ("Interviewer", "Int1", "Q", "Facilitator",
    "Host").  Only when nothing is listed, a guess, interview by interview,
    among the interviews with two or more named speakers: the speaker most
    of whose turns ask a question (at least 40%, and more than anyone
    else's), never someone with fewer turns than the interview's median
    speaker, nor a label that names the participant's role ("Participant",
    "P1", "A", "Guest").  Where the questions do not settle it, a label
    guessed in another interview is taken to be one here too.  Turns with
    no speaker label in an interview that has named speakers (a title, a
    note) are nobody's: they are not counted as a participant either.  See
    :mod:`toolkit.model.interviewers`.

    Examples
    --------
    >>> import pandas as pd
    >>> turns = pd.DataFrame({"interview_id": ["a", "a", "b", "b", "c"],
    ...                       "speaker": ["Sam", "Maya", "Sam", "Derek", "Respondent"],
    ...                       "text": ["Your best day?", "The call.", "And you?", "Lifts.", "Hi."]})
    >>> interviewer_labels(turns)
    ['Sam']
    >>> interviewer_labels(turns, given="[sam]")
    ['Sam']
    """
    if segments is None or (isinstance(segments, pd.DataFrame) and segments.empty):
        return [given] if isinstance(given, str) else [str(g) for g in given or []]
    return who_spoke(segments, participants, interviewers=given).interviewers.labels


def guess_interviewers(interviews: pd.Series, speakers: pd.Series, texts: pd.Series) -> np.ndarray:
    """Return, for each turn, whether its speaker is taken to be the interviewer.

    The rules are those of :func:`interviewer_labels` with nothing listed.
    """
    segments = pd.DataFrame(
        {
            "interview_id": np.asarray(interviews, dtype=object),
            "speaker": np.asarray(speakers, dtype=object),
            "text": np.asarray(texts, dtype=object),
        }
    )
    return who_spoke(segments).interviewer
