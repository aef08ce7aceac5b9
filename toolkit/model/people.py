"""People: who took part, which transcript turns are theirs, and how to name them safely.

``participants.csv`` may describe several people in one interview (a focus
group, a two-guest interview, an interviewer and an interviewee), one row
each.  A row is matched to the transcript's turns by its ``speaker`` column
(the label as it appears in the transcript), or by its ``name`` (the full
name, or its first word, as in ``Maya`` for ``Maya Okafor``).  An interview
with one participant row and one participant speaker needs no ``speaker``
column: they are the same person.

:func:`who_spoke` sorts every turn into interviewer or participant (see
:mod:`toolkit.model.interviewers`) and gives each participant's turns their
person.  :func:`people_taking_part` is the one count of people every part of
the toolkit uses: participants.csv's rows (not interviewers) for the
interviews it describes, otherwise each interview's distinct participant
speakers, and one person per survey answer.
:func:`toolkit.model.naming.attribution` names each person for a quote
without their name: a participant id or pseudonym and their group.

Examples
--------
>>> import toolkit as tk
>>> people = tk.people_taking_part(tk.sample_project())
>>> len(people), people["person"].iloc[0]
(48, 'P1')
>>> tk.attribution(people).iloc[0]
'P1, hospital staff'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit import tables
from toolkit.model.interviewers import (
    FROM_PARTICIPANTS,
    FROM_ROLE,
    FROM_SETTING,
    GIVEN,
    Interviewers,
    guess_interviewers,
    is_role_label,
    label_key,
    setting_labels,
    yes_no,
)
from toolkit.model.naming import numbered_text, person_labels, positions, text_column

__all__ = [
    "Speakers",
    "find_interviewers",
    "people_taking_part",
    "who_spoke",
]


def _objects(values: Any) -> pd.Series:
    """Text as a plain object column: pandas would otherwise convert it to Arrow and back."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _keys(series: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(series)
    values = np.array([*(label_key(v) for v in np.asarray(uniques, dtype=object)), ""], object)
    return pd.Series(values[codes], index=series.index, dtype=object)


@dataclass(frozen=True)
class Speakers:
    """Every turn sorted into interviewer or participant, and the people who took part.

    Attributes
    ----------
    people
        :func:`people_taking_part`'s table: one row per person.
    interviewer
        For each segment (by position): whether an interviewer said it.
    person
        For each segment (by position): the row of ``people`` who said it,
        or -1 (an interviewer, or an unlabelled note in a labelled interview).
    interviewers
        The decision, with its reasons and warnings.
    interview_id, speaker
        For each segment: its interview id and speaker label, cleaned (stripped
        text, ``""`` for missing), so that callers need not clean them again.
    """

    people: pd.DataFrame
    interviewer: np.ndarray
    person: np.ndarray
    interviewers: Interviewers
    interview_id: np.ndarray
    speaker: np.ndarray


def _parts(project: Any, segments: Any, participants: Any, documents: Any, settings: Any):
    if project is not None and hasattr(project, "segments"):
        segments = project.segments if segments is None else segments
        participants = project.participants if participants is None else participants
        documents = project.documents if documents is None else documents
        settings = (getattr(project, "settings", None) or {}) if settings is None else settings
    return segments, participants, documents, settings or {}


def who_spoke(
    segments: Any,
    participants: pd.DataFrame | None = None,
    *,
    documents: pd.DataFrame | None = None,
    settings: dict | None = None,
    interviewers: Any = None,
    keep_interviewers: bool = False,
) -> Speakers:
    """Sort every turn into interviewer or participant, and find the people who took part.

    Parameters
    ----------
    segments
        The segments table, or a Project (its tables and settings are used;
        tables given here win).
    participants
        The participants table (several rows per interview allowed).
    documents
        The documents table.  A participants.csv row counts when its interview
        has turns, or is in this table (a transcript with no turns yet); rows
        for interviews with neither are not counted (no transcript yet).
        Without it, rows count when their interview has turns (every row does
        when there are no turns at all).
    settings
        The project's settings; its ``interviewers`` are used.
    interviewers
        Speaker labels to treat as the interviewers instead of what
        participants.csv, the settings and the guess say.
    keep_interviewers
        Keep interviewers' turns: they count as people, their turns are
        coded and may be quoted.

    Returns
    -------
    Speakers

    Examples
    --------
    >>> import pandas as pd
    >>> turns = pd.DataFrame({"interview_id": ["fg"] * 4, "segment_id": [1, 2, 3, 4],
    ...     "speaker": ["Mod", "Ann", "Bo", "Ann"], "text": ["Why?", "Time.", "Money.", "Yes."]})
    >>> rows = pd.DataFrame({"interview_id": ["fg"] * 3, "name": ["Jo Moss", "Ann Lee", "Bo Ng"],
    ...     "speaker": ["Mod", "", ""], "interviewer": ["yes", "", ""]})
    >>> found = who_spoke(turns, rows)
    >>> found.person.tolist(), found.interviewers.labels
    ([-1, 0, 1, 0], ['Mod'])
    """
    project = segments if hasattr(segments, "segments") else None
    segments, participants, documents, settings = _parts(
        project, None if project is not None else segments, participants, documents, settings
    )
    if segments is None:
        segments = tables.empty_segments()
    index = segments.index
    iid = (
        text_column(segments["interview_id"], index)
        if len(segments)
        else pd.Series([], dtype=object)
    )
    label = text_column(segments["speaker"] if "speaker" in segments.columns else None, index)
    # One row per speaker in an interview, found fast (a consultation has 250,000 answers).
    iid_code, iid_values = pd.factorize(iid.to_numpy(object))
    label_code, label_values = pd.factorize(label.to_numpy(object))
    pair_of, combined = pd.factorize(
        iid_code.astype(np.int64) * max(len(label_values), 1) + label_code
    )
    n = len(combined)
    width = max(len(label_values), 1)
    pair_iid = combined // width
    speakers = np.asarray(label_values, object)[combined % width]
    unnamed = speakers == ""
    # The unlabelled turns of an interview whose turns are otherwise labelled are nobody's.
    voices = np.bincount(pair_iid[~unnamed], minlength=len(iid_values))
    has_named = voices > 0
    asks = _asks(segments, voices[iid_code] >= 2)
    pairs = pd.DataFrame(
        {
            "interview_id": _objects(np.asarray(iid_values, object)[pair_iid]),
            "speaker": _objects(speakers),
            "turns": np.bincount(pair_of, minlength=n),
            "questions": np.bincount(pair_of, weights=asks.astype(float), minlength=n),
            "nobody": unnamed & has_named[pair_iid],
        }
    )
    pairs["key"] = _keys(pairs["speaker"]) if len(pairs) else pd.Series([], dtype=object)
    pairs["iid"] = pair_iid  # each interview's number: quicker to compare than its id
    rows = _rows(participants)
    # A row's interview by the same numbers (-1: an interview with no turns).
    rows["iid"] = positions(rows["interview_id"].to_numpy(object), np.asarray(iid_values, object))
    _match_by_label(rows, pairs)
    found = _decide(pairs, rows, settings, interviewers)
    _match_the_rest(rows, pairs)
    people, person_of_pair = _people(rows, pairs, participants, documents, keep_interviewers)
    pair_interviewer = pairs["interviewer"].to_numpy(bool)
    person = person_of_pair[pair_of] if len(pair_of) else np.zeros(0, np.int64)
    missing, unused = _problems(rows, pairs, participants)
    decision = Interviewers(
        reasons=found,
        pairs=frozenset(
            zip(
                pairs.loc[pair_interviewer, "interview_id"],
                pairs.loc[pair_interviewer, "speaker"],
                strict=True,
            )
        ),
        unmatched=_unmatched(pairs, settings, interviewers),
        missing=missing,
        unused=unused,
        kept=keep_interviewers,
        known=tuple(sorted(set(pairs.loc[pairs["speaker"] != "", "speaker"])))
        if _unmatched(pairs, settings, interviewers)
        else (),
    )
    people.attrs["interviewers"] = decision
    interviewer = pair_interviewer[pair_of] if len(pair_of) else np.zeros(0, bool)
    return Speakers(
        people, interviewer, person, decision, iid.to_numpy(object), label.to_numpy(object)
    )


def _asks(segments: pd.DataFrame, where: np.ndarray) -> np.ndarray:
    """Return whether each turn holds a question mark, looking only ``where`` it matters.

    Questions only help to guess the interviewer of an interview with two or
    more named speakers (a survey's 250,000 answers have one each).
    """
    asks = np.zeros(len(segments), bool)
    if "text" in segments.columns and where.any():
        texts = segments["text"][where].astype(str)
        asks[where] = texts.str.contains("?", regex=False).to_numpy(bool)
    return asks


def _rows(participants: Any) -> pd.DataFrame:
    """Return the participants' rows as the matching needs them."""
    if not isinstance(participants, pd.DataFrame) or participants.empty:
        return pd.DataFrame(
            {
                "pos": pd.Series(dtype=np.int64),
                "interview_id": pd.Series(dtype=object),
                "key": pd.Series(dtype=object),
                "alias": pd.Series(dtype=object),
                "said": pd.Series(dtype=bool),
                "flag": pd.Series(dtype=object),
                "csv_row": pd.Series(dtype=np.int64),
                "pair": pd.Series(dtype=np.int64),
                "survey": pd.Series(dtype=bool),
                "iid": pd.Series(dtype=np.int64),
            }
        )
    index = participants.index
    name = text_column(participants.get("name"), index)
    speaker = text_column(participants.get("speaker"), index)
    flags = _each_value(text_column(participants.get("interviewer"), index), yes_no)
    first = _each_value(name, lambda n: n.split()[0] if len(n.split()) > 1 else "")
    kind = text_column(participants.get("kind"), index)
    numbers = participants.attrs.get("rows") or list(range(2, len(participants) + 2))
    return pd.DataFrame(
        {
            "pos": np.arange(len(participants)),
            "interview_id": _objects(text_column(participants["interview_id"], index)),
            "key": _objects(_keys(speaker.where(speaker != "", name))),
            "alias": _objects(_keys(first.where(speaker == "", ""))),
            "said": (speaker != "").to_numpy(),
            "flag": _objects(flags),
            "csv_row": list(numbers)[: len(participants)],
            "pair": -1,
            "survey": (kind == "survey").to_numpy(),
        }
    )


def _each_value(series: pd.Series, func: Any) -> pd.Series:
    """Return ``series.map(func)``, calling `func` once per distinct value."""
    codes, uniques = pd.factorize(series.to_numpy(object))
    values = np.array([*(func(v) for v in uniques), func("")], dtype=object)
    return pd.Series(values[codes], index=series.index, dtype=object)


def _taken(rows: pd.DataFrame, n: int) -> np.ndarray:
    """Return, for each of the `n` speakers, whether a row has been matched to them."""
    taken = np.zeros(n, bool)
    if len(rows):
        pair = rows["pair"].to_numpy(np.int64)
        taken[pair[pair >= 0]] = True
    return taken


def _match_by_label(rows: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """Match rows to speakers by their speaker label or name, then by their first name."""
    if rows.empty or pairs.empty or not ((rows["key"] != "") | (rows["alias"] != "")).any():
        return
    lookup = pd.Series(np.arange(len(pairs)), index=pd.MultiIndex.from_arrays(
        [pairs["interview_id"], pairs["key"]]))  # fmt: skip
    lookup = lookup[~lookup.index.duplicated()]
    for column in ("key", "alias"):
        todo = (rows["pair"] < 0) & (rows[column] != "")
        if not todo.any():
            continue
        where = pd.MultiIndex.from_arrays([rows.loc[todo, "interview_id"], rows.loc[todo, column]])
        found = lookup.reindex(where).to_numpy()
        hit = ~np.isnan(found)
        candidates = pd.Series(found[hit].astype(np.int64), index=rows.index[todo][hit])
        taken = _taken(rows, len(pairs))
        # A speaker is one person: the first row naming them wins.
        candidates = candidates[~taken[candidates.to_numpy()] & ~candidates.duplicated()]
        rows.loc[candidates.index, "pair"] = candidates.to_numpy()


def _decide(pairs: pd.DataFrame, rows: pd.DataFrame, settings: dict, given: Any) -> dict[str, str]:
    """Mark each speaker interviewer or not (``pairs["interviewer"]``); return the reasons."""
    pairs["interviewer"] = False
    reasons: dict[str, str] = {}

    def mark(mask: np.ndarray | pd.Series, why: str) -> None:
        mask = np.asarray(mask, bool) & ~pairs["interviewer"].to_numpy() & ~settled
        pairs.loc[mask, "interviewer"] = True
        for speaker in pairs.loc[mask, "speaker"]:
            reasons.setdefault(speaker, why)

    settled = np.zeros(len(pairs), bool)
    if given is not None:
        wanted = {label_key(g) for g in setting_labels(given)}
        mark(pairs["key"].isin(wanted) & (pairs["speaker"] != ""), GIVEN)
        return reasons
    matched = rows[rows["pair"] >= 0]
    flag = pd.Series("", index=pairs.index, dtype=object)
    flag.iloc[matched["pair"].to_numpy(np.int64)] = matched["flag"].to_numpy(object)
    mark(flag == "yes", FROM_PARTICIPANTS)
    settled = (flag == "no").to_numpy()  # a row saying "no" wins over the setting and the label
    listed = setting_labels(settings.get("interviewers"))
    wanted = {label_key(x) for x in listed}
    mark(pairs["key"].isin(wanted) & (pairs["speaker"] != ""), FROM_SETTING)
    named = pairs["speaker"] != ""
    codes, keys = pd.factorize(pairs["key"].to_numpy(object))
    roles = np.array([bool(k) and is_role_label("", key=k) for k in keys] + [False])
    mark(named & roles[codes], FROM_ROLE)
    if listed or (rows["flag"] == "yes").any():
        return reasons  # the team has said who interviews: no guessing
    undecided = ~pairs["interview_id"].isin(
        pairs.loc[pairs["interviewer"], "interview_id"].unique()
    )
    guesses = guess_interviewers(pairs[undecided & ~settled])
    if guesses:
        keys = set(guesses)
        mark(
            [(i, s) in keys for i, s in zip(pairs["interview_id"], pairs["speaker"], strict=True)],
            next(iter(guesses.values())),
        )
    return reasons


def _match_the_rest(rows: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """An interview's one unmatched row and its one unmatched participant speaker are one person.

    Rows with a ``speaker`` of their own are matched by it only, and rows
    saying ``interviewer: yes`` are not participants.
    """
    if rows.empty or pairs.empty:
        return
    free_rows = rows[(rows["pair"] < 0) & ~rows["said"] & (rows["flag"] != "yes")]
    taken = _taken(rows, len(pairs))
    free = ~pairs["interviewer"].to_numpy(bool) & ~pairs["nobody"].to_numpy(bool) & ~taken
    free_pairs = pairs[free]
    # Interviews with exactly one free row and one free speaker: join them on the interview.
    lone_rows = free_rows[~free_rows["iid"].duplicated(keep=False) & (free_rows["iid"] >= 0)]
    lone_pairs = free_pairs[~free_pairs["iid"].duplicated(keep=False)]
    # Each side has at most one per interview, so a lookup by interview number joins them.
    slot = np.full(int(pairs["iid"].max()) + 1, -1, np.int64)
    slot[lone_pairs["iid"].to_numpy(np.int64)] = lone_pairs.index.to_numpy()
    where = slot[lone_rows["iid"].to_numpy(np.int64)]
    found = where >= 0
    if found.any():
        rows.loc[lone_rows.index[found], "pair"] = where[found]


def _people(
    rows: pd.DataFrame,
    pairs: pd.DataFrame,
    participants: Any,
    documents: Any,
    keep: bool,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the people table and, for each speaker pair, its person's row (-1: none)."""
    interviewer_pair = pairs["interviewer"].to_numpy(bool) if len(pairs) else np.zeros(0, bool)
    keep_row = np.ones(len(rows), bool)
    if len(rows):
        matched_interviewer = np.zeros(len(rows), bool)
        has = rows["pair"].to_numpy() >= 0
        matched_interviewer[has] = interviewer_pair[rows["pair"].to_numpy()[has]]
        is_interviewer = (rows["flag"].to_numpy() == "yes") | matched_interviewer
        if not keep:
            keep_row &= ~is_interviewer
        keep_row &= _has_transcript(rows, documents, bool(len(pairs)))
    base = (
        participants.reset_index(drop=True)
        if isinstance(participants, pd.DataFrame) and len(participants)
        else tables.empty_participants()
    )
    for column in ("name", "speaker", "interviewer"):
        base[column] = base[column].fillna("") if column in base.columns else ""
    kept_rows = base.iloc[np.flatnonzero(keep_row)].copy() if len(rows) else base.iloc[:0].copy()
    if len(rows):
        kept_rows["interviewer"] = np.where(
            (rows["flag"].to_numpy() == "yes") | matched_interviewer, "yes", "no"
        )[keep_row]
        said = rows["pair"].to_numpy()[keep_row]
        blank = (kept_rows["speaker"] == "").to_numpy() & (said >= 0)
        labels = (
            pairs["speaker"].to_numpy(object)[np.where(said >= 0, said, 0)] if len(pairs) else []
        )
        kept_rows.loc[blank, "speaker"] = np.asarray(labels, object)[blank]
    # Speakers no row describes: each is a person of their own.
    taken = _taken(rows, len(pairs))
    extra = pairs[
        ~taken & ~pairs["nobody"].to_numpy(bool) & (keep | ~pairs["interviewer"].to_numpy(bool))
    ]
    added = pd.DataFrame(
        {
            "interview_id": extra["interview_id"].to_numpy(object),
            "name": "",
            "speaker": extra["speaker"].to_numpy(object),
            "interviewer": np.where(extra["interviewer"].to_numpy(bool), "yes", "no"),
        }
    )
    people = pd.concat([kept_rows, added], ignore_index=True) if len(added) else kept_rows
    people = tables.check_participants(people.reset_index(drop=True).fillna(""))
    labels = person_labels(people)
    people = people.drop(columns="person", errors="ignore")
    people["person"] = labels
    person_of_pair = np.full(len(pairs), -1, np.int64)
    if len(rows):
        positions = np.flatnonzero(keep_row)
        pair_here = rows["pair"].to_numpy()[positions]
        ok = pair_here >= 0
        person_of_pair[pair_here[ok]] = np.arange(len(positions))[ok]
    person_of_pair[extra.index.to_numpy()] = np.arange(len(extra)) + int(
        keep_row.sum() if len(rows) else 0
    )
    return people, person_of_pair


def _has_transcript(rows: pd.DataFrame, documents: Any, any_turns: bool) -> np.ndarray:
    """Return, for each row, whether its interview has a transcript: turns in the
    segments, or (an empty transcript) a line in the documents table."""
    turns = rows["iid"].to_numpy() >= 0
    if not isinstance(documents, pd.DataFrame) or documents.empty:
        return turns if any_turns else np.ones(len(rows), bool)
    rest = ~turns  # only these need looking up: most rows' interviews have turns
    if rest.any():
        numbers, values = numbered_text(documents["interview_id"])  # each distinct id, once
        known = pd.unique(values if (numbers < 0).any() else values[:-1])  # "": an id missing
        turns[rest] = positions(rows["interview_id"].to_numpy(object)[rest], known) >= 0
    return turns


def _problems(rows: pd.DataFrame, pairs: pd.DataFrame, participants: Any) -> tuple[tuple, tuple]:
    """Return the speakers participants.csv does not describe, and its rows that match nobody."""
    if rows.empty or pairs.empty:
        return (), ()
    taken = _taken(rows, len(pairs))
    loose = pairs[
        ~taken
        & ~pairs["nobody"].to_numpy(bool)
        & ~pairs["interviewer"].to_numpy(bool)
        & (pairs["speaker"] != "").to_numpy()
    ]
    # Interviews with no row at all are named by check_participants, one line each; survey
    # answers have their own rows.
    described = np.zeros(int(pairs["iid"].max()) + 2, bool)  # the last place: no interview
    described[rows.loc[~rows["survey"], "iid"].to_numpy(np.int64)] = True
    described[-1] = False
    loose = loose[described[loose["iid"].to_numpy(np.int64)]]
    missing = tuple(zip(loose["interview_id"], loose["speaker"], strict=True))
    bad = rows[(rows["pair"] < 0) & rows["said"]]
    bad = bad[bad["iid"] >= 0]  # rows of interviews that have turns
    unused = tuple(
        (int(r), i, str(participants["speaker"].iloc[p]).strip())
        for r, i, p in zip(bad["csv_row"], bad["interview_id"], bad["pos"], strict=True)
    )
    return missing, unused


def _unmatched(pairs: pd.DataFrame, settings: dict, given: Any) -> tuple[str, ...]:
    listed = setting_labels(given if given is not None else settings.get("interviewers"))
    if not listed:
        return ()
    keys = set(pairs["key"]) if len(pairs) else set()
    return tuple(x for x in listed if label_key(x) not in keys)


def people_taking_part(
    project: Any,
    *,
    interviewers: Any = None,
    keep_interviewers: bool = False,
) -> pd.DataFrame:
    """Return the people who took part: the one count of people everywhere.

    Parameters
    ----------
    project
        A Project.
    interviewers, keep_interviewers
        As for :func:`who_spoke`.

    Returns
    -------
    pandas.DataFrame
        A participants table (:data:`toolkit.tables.PARTICIPANTS`), one row
        per person: participants.csv's rows, not interviewers, for the
        interviews it describes; otherwise each interview's distinct
        participant speakers; one row per survey answer.  The ``person``
        column is a safe label for each (see
        :func:`toolkit.model.naming.attribution`), and
        ``attrs["interviewers"]`` says who was left out as an interviewer and
        why (an :class:`~toolkit.model.interviewers.Interviewers`).

    Examples
    --------
    >>> import toolkit as tk
    >>> people = tk.people_taking_part(tk.sample_project())
    >>> int((people["interviewer"] == "yes").sum())
    0
    """
    return who_spoke(project, interviewers=interviewers, keep_interviewers=keep_interviewers).people


def find_interviewers(
    project: Any, *, interviewers: Any = None, keep_interviewers: bool = False
) -> Interviewers:
    """Return who a project's commands treat as interviewers, and why.

    ``print(tk.find_interviewers(project))`` prints the sentence every
    command prints, then any warnings (a listed label that matches nobody,
    speakers participants.csv does not describe).

    Examples
    --------
    >>> import toolkit as tk
    >>> found = tk.find_interviewers(tk.sample_project())
    >>> "Sam" in found.labels, found.guessed
    (True, True)
    """
    return who_spoke(
        project, interviewers=interviewers, keep_interviewers=keep_interviewers
    ).interviewers
