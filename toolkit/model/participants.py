"""Participants (cases): checking them against the transcripts, and adding survey respondents.

The ``participants`` table (:data:`toolkit.tables.PARTICIPANTS`) has one row
per interview, ``interview_id`` first, then its attributes.  A project's
participants come from ``participants.csv`` and from survey files (whose
other columns are the respondents' attributes).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["check_participants", "merge_participants"]


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
    merged = pd.concat([base, new], ignore_index=True)[columns].fillna("")
    for rid, row in both.iterrows():
        at = merged.index[merged["interview_id"] == rid][0]
        for column, value in row.items():
            if column != "kind" and merged.at[at, column] == "":
                merged.at[at, column] = value
    return merged
