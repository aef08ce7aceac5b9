"""Participants: reading participants.csv, checking it against the transcripts, survey respondents.

The ``participants`` table (:data:`toolkit.tables.PARTICIPANTS`) has one row
per person in an interview, ``interview_id`` first, then ``name``, the
optional ``speaker`` (their label in the transcript) and ``interviewer``
(yes/no), then their attributes (``role``, ``group``...).  A focus group or a
two-guest interview has several rows.  A project's participants come from
``participants.csv`` and from survey files (whose other columns are the
respondents' attributes).  :mod:`toolkit.model.people` matches the rows to
the transcripts' speakers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit import tables
from toolkit.errors import ProjectError
from toolkit.io.files import read_table
from toolkit.model.interviewers import label_key, yes_no

__all__ = ["PARTICIPANT_COLUMNS", "check_participants", "merge_participants", "read_participants"]

#: The columns participants.csv must have (defined in :mod:`toolkit.tables`).
PARTICIPANT_COLUMNS = list(tables.PARTICIPANTS.required)


def read_participants(path: str | Path) -> pd.DataFrame:
    """Read ``participants.csv``: one row per person, with the interview they took part in.

    An interview may have several rows (a focus group, two guests, the
    interviewer and the interviewee).  The optional ``speaker`` column holds
    each person's label as it appears in the transcript (by default their
    ``name``, or its first word, is looked for); the optional
    ``interviewer`` column says ``yes`` for an interviewer (``no``, blank,
    true/false and 1/0 work too) and is read as ``yes``, ``no`` or blank.

    Raises
    ------
    ProjectError
        If ``interview_id`` is missing or empty, an ``interviewer`` cell is
        not yes or no, or an interview with several rows names a person twice
        or has a row with neither a speaker nor a name (naming both rows).
    """
    table = read_table(path, PARTICIPANT_COLUMNS, what="participants")
    rows = table.attrs["rows"]
    if "interviewer" in table.columns:
        table["interviewer"] = [
            yes_no(v, path=path, row=r) for v, r in zip(table["interviewer"], rows, strict=True)
        ]
    speakers = table["speaker"] if "speaker" in table.columns else [""] * len(table)
    names = table["name"] if "name" in table.columns else [""] * len(table)
    first: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    unnamed: dict[str, int] = {}
    for row, value, speaker, name in zip(rows, table["interview_id"], speakers, names, strict=True):
        if not value:
            raise ProjectError(
                "expected an interview_id in every row, but this one is empty",
                path=path,
                row=row,
                hint="give the row the id of its interview (the transcript's file name "
                "without its extension)",
            )
        key = label_key(speaker or name)
        if value in first and (not key or value in unnamed):
            other = unnamed.get(value, first[value])
            raise ProjectError(
                f"expected a speaker (or a name) in each row when an interview has several, "
                f"but {value!r} is in row {other} and in this row, and one of them has neither",
                path=path,
                row=row,
                hint="add a 'speaker' column holding each person's label as it appears in the "
                "transcript (or merge the rows, if they are one person)",
            )
        if (value, key) in seen:
            raise ProjectError(
                f"expected each person once in an interview, but {speaker or name!r} in "
                f"{value!r} is also in row {seen[(value, key)]}",
                path=path,
                row=row,
                hint="merge the two rows or correct the speaker",
            )
        first.setdefault(value, row)
        seen[(value, key)] = row
        if not key:
            unnamed[value] = row
    return table


def check_participants(documents: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Return the interviews missing a participant row, and the rows missing a transcript.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``interview_id, problem, detail``, where
        ``problem`` is ``no transcript`` or ``no participant row``.  Empty
        when every transcript has exactly its participant.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"interview_id": ["int01", "int02"]})
    >>> people = pd.DataFrame({"interview_id": ["int01", "int03"]})
    >>> check_participants(docs, people)[["interview_id", "problem"]].values.tolist()
    [['int02', 'no participant row'], ['int03', 'no transcript']]
    """
    have_text = set(documents["interview_id"].astype(str))
    have_row = set(participants["interview_id"].astype(str))
    rows = [
        {
            "interview_id": i,
            "problem": "no participant row",
            "detail": f"{i} has a transcript but no row in participants.csv: add a row with "
            "interview_id " + i,
        }
        for i in sorted(have_text - have_row)
    ] + [
        {
            "interview_id": i,
            "problem": "no transcript",
            "detail": f"{i} has a row in participants.csv but no transcript in interviews/: "
            "add the file (named " + i + ".txt, .docx, ...) or check the id",
        }
        for i in sorted(have_row - have_text)
    ]
    table = pd.DataFrame(rows, columns=["interview_id", "problem", "detail"])
    return table.sort_values(["interview_id", "problem"], ignore_index=True)


def merge_participants(participants: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Return `participants` with the survey respondents in `extra` added as rows.

    Rows keep their columns; a respondent already in `participants` keeps
    that row, with blanks filled from `extra`.  A ``kind`` column says where
    each row came from (``interview`` or ``survey``) when there are survey rows.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"interview_id": ["int01"], "role": ["nurse"]})
    >>> survey = pd.DataFrame({"interview_id": ["s01"], "role": ["carer"], "area": ["Eastfield"]})
    >>> merge_participants(people, survey).values.tolist()
    [['int01', 'nurse', '', 'interview'], ['s01', 'carer', 'Eastfield', 'survey']]
    """
    if extra.empty:
        return participants.copy()
    base = participants.copy()
    if "kind" not in base.columns:
        base["kind"] = "interview"
    extra = extra.assign(kind="survey") if "kind" not in extra.columns else extra
    columns = list(base.columns[base.columns != "kind"]) + [
        c for c in extra.columns if c not in base.columns
    ]
    columns.append("kind")
    columns.insert(0, columns.pop(columns.index("interview_id")))  # the table's first column
    known = base.set_index("interview_id")
    new = extra[~extra["interview_id"].isin(known.index)]
    both = extra[extra["interview_id"].isin(known.index)].set_index("interview_id")
    merged = pd.concat([base, new], ignore_index=True)[columns]
    # A column of numbers with gaps (a survey's ages, say, or a column only some rows have)
    # becomes an object column first, so its gaps can be blanks like every other column's.
    gaps = [
        c for c in columns if merged[c].hasnans and pd.api.types.is_numeric_dtype(merged[c].dtype)
    ]
    merged = merged.astype(dict.fromkeys(gaps, object)).fillna("")
    for rid, row in both.iterrows():
        at = merged.index[merged["interview_id"] == rid][0]
        for column, value in row.items():
            if column != "kind" and merged.at[at, column] == "":
                merged.at[at, column] = value
    return merged
