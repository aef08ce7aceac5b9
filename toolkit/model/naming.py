"""Naming people safely: an id or pseudonym for each person, and the names a quote must not show.

A report signs each quote with the person's id or pseudonym and group
(``"P3, carer"``), never with their name or a speaker label that may be a
name, unless the team asks for names (``show_names``).  :func:`person_labels`
gives each person their label: the ``person``, ``pseudonym``,
``participant_id`` or ``pid`` column of participants.csv when it has one; a
pseudonym such as ``Person 3`` (what ``codesign-toolkit anonymise`` writes)
when the transcript uses one; otherwise ``P1``, ``P2``...

Examples
--------
>>> is_name_like("Maya Okafor"), is_name_like("[Person 2]"), is_name_like("Guest")
(True, False, False)
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from toolkit.model.interviewers import label_key

__all__ = [
    "ID_COLUMNS",
    "attribution",
    "is_name_like",
    "name_words",
    "person_labels",
    "text_column",
]

#: Columns of participants.csv that give a person's id or pseudonym, first found wins.
ID_COLUMNS = ("person", "pseudonym", "participant_id", "pid")
# Words in a speaker label that say what someone is, not who.
_ROLE_WORDS = {
    "interviewer", "interviewee", "participant", "respondent", "facilitator", "moderator",
    "researcher", "host", "co-host", "cohost", "guest", "speaker", "person", "caller", "voice",
    "audience", "unknown", "narrator", "nurse", "doctor", "carer", "patient", "staff", "member",
    "q", "a", "i", "int", "p", "r", "question", "answer", "everyone", "all", "group",
}  # fmt: skip
_PSEUDONYM = re.compile(r"^(?:person|participant|respondent|pseudonym)[ _-]?\d+$")

#: The value ``numbered_text`` gives a missing cell.
_MISSING = np.array([""], dtype=object)


def numbered_text(series: pd.Series, *, lower: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return a column's distinct values cleaned (stripped, and with ``lower`` in lower
    case) and each row's number among them: ``values[numbers]`` is the cleaned column.

    Each distinct value is cleaned once.  ``values`` ends with ``""``, the value of
    a missing cell (numbered -1).
    """
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        import pyarrow as pa  # there, since the column is Arrow's
        import pyarrow.compute as pc

        # Arrow numbers its own text quickly; it strips exactly the characters
        # str.strip() does, each distinct value once.
        encoded = pc.dictionary_encode(pa.array(series.array))
        if isinstance(encoded, pa.ChunkedArray):  # one dictionary for every chunk
            encoded = encoded.combine_chunks()
        numbers = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.intp)
        values = pc.utf8_trim_whitespace(encoded.dictionary).to_numpy(zero_copy_only=False)
        if lower:
            values = np.array([v.lower() for v in values], dtype=object)
    else:
        # A plain object array factorizes much faster than pandas' Python string arrays.
        numbers, uniques = pd.factorize(series.to_numpy(dtype=object))
        clean = str.lower if lower else str
        values = np.array([clean(str(v).strip()) for v in np.asarray(uniques, object)], object)
    return numbers, np.concatenate([values, _MISSING])


def positions(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Return where each text value is in ``among`` (distinct text values), -1 where not.

    Arrow hashes text several times quicker than pandas hashes Python strings
    (a quarter of a million interview ids looked up among as many); without
    pyarrow installed, pandas does it.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return pd.Index(among, dtype=object).get_indexer(values)
    found = pc.index_in(pa.array(values, pa.string()), value_set=pa.array(among, pa.string()))
    return pc.fill_null(found, -1).to_numpy().astype(np.intp)


def text_column(series: pd.Series | None, index: pd.Index, *, lower: bool = False) -> pd.Series:
    """Return a column as stripped text ("" for missing), cleaning each distinct value once.

    With ``lower``, in lower case too.
    """
    if series is None:
        return pd.Series("", index=index, dtype=object)
    numbers, values = numbered_text(series, lower=lower)
    return pd.Series(values[numbers], index=index, dtype=object)


def is_name_like(label: Any) -> bool:
    """Whether a speaker label may be a person's name (so it is never shown unless asked).

    Labels with a digit (``P3``, ``Speaker 2``, ``Person 1``) and labels
    made of role words (``Interviewer``, ``Guest``, ``Host``) are not names.

    Examples
    --------
    >>> is_name_like("Maya Okafor"), is_name_like("[Person 2]"), is_name_like("Guest")
    (True, False, False)
    """
    key = label_key(label)
    if not key or any(c.isdigit() for c in key):
        return False
    return not all(word.strip(".-") in _ROLE_WORDS for word in key.split())


def person_labels(people: pd.DataFrame) -> list[str]:
    """Return each person's safe label: their id or pseudonym, a numbered label, or P<n>."""
    given = pd.Series("", index=people.index, dtype=object)
    for column in ID_COLUMNS:
        if column in people.columns:
            values = text_column(people[column], people.index)
            given = given.where(given != "", values)
    speaker = text_column(people["speaker"], people.index)
    # A pseudonym such as "Person 3" (what anonymise writes) is kept when only one person has it.
    codes, uniques = pd.factorize(speaker.to_numpy(object))
    pseudonym = np.array([bool(_PSEUDONYM.match(label_key(u))) for u in uniques] + [False])
    once = np.bincount(codes[codes >= 0], minlength=len(uniques)) == 1
    usable = pseudonym[codes] & np.append(once, False)[codes]
    given = given.where(given != "", speaker.where(usable, ""))
    labels = given.to_numpy(object).copy()
    blank = labels == ""
    # The rest are P1, P2 ... in order, skipping any P<n> already someone's label.
    taken = {
        int(v[1:]) for v in set(labels[~blank]) if v[:1] == "P" and re.fullmatch(r"P[1-9]\d*", v)
    }
    numbers = np.arange(1, int(blank.sum()) + len(taken) + 1)
    numbers = numbers[~np.isin(numbers, list(taken))][: int(blank.sum())]
    labels[blank] = [f"P{n}" for n in numbers.tolist()]
    return labels.tolist()


def attribution(
    people: pd.DataFrame, *, group: str | None = "group", show_names: bool = False
) -> pd.Series:
    """Return how to sign each person's quotes: ``"P3, carer"``, never a name unless asked.

    Parameters
    ----------
    people
        The table :func:`people_taking_part` returns.
    group
        The column added after the label (skipped when absent or blank).
    show_names
        Sign with the person's name (or their speaker label) instead.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"name": ["Ann Lee"], "speaker": ["Ann"], "person": ["P1"],
    ...                        "group": ["carer"]})
    >>> attribution(people).tolist(), attribution(people, show_names=True).tolist()
    (['P1, carer'], ['Ann Lee, carer'])
    """
    index = people.index
    label = text_column(people.get("person"), index)
    if show_names:
        for column in ("speaker", "name"):
            values = text_column(people.get(column), index)
            label = values.where(values != "", label)
    if group and group in people.columns:
        values = text_column(people[group], index)
        label = label.where(values == "", label + ", " + values)
    return label


def name_words(people: Any = None, speakers: Any = None) -> list[str]:
    """Return the names a quote must not show: participants' names and name-like speaker labels.

    Longest first, for :func:`toolkit.analysis.themes.quotes.mask_names`.
    """
    found: set[str] = set()
    if isinstance(people, pd.DataFrame) and "name" in people.columns:
        names = pd.unique(text_column(people["name"], people.index).to_numpy(object))
        found |= {n for n in names if is_name_like(n)}
    if speakers is not None:
        labels = pd.Series(pd.unique(pd.Series(speakers, dtype=object).dropna()), dtype=object)
        found |= {str(s).strip() for s in labels if is_name_like(s)}
    return sorted(found, key=len, reverse=True)
