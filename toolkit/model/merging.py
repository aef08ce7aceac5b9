"""Merging a coder's file that changed on disk: a three-way merge of codings.

A coder may have their file, ``codings/<coder>.csv``, open in two places at
once (two browser tabs of the coding panel, say).  Before saving, each place
checks whether the file changed since it last read or wrote it
(:func:`file_signature`); if it did, it folds the other place's changes into
its own with :func:`merge_coder_file` rather than overwrite them.

The merge is three-way, against ``base`` (what this place last read or
wrote): codings the file gained since ``base`` are added, codings it lost are
removed, and this place's own changes are kept.  A coding is identified by its
interview, segment, position and code; when both sides hold the same coding,
this place's row (its memo) wins.

Examples
--------
>>> import pandas as pd
>>> from toolkit.tables import check_codings
>>> def table(*codes):
...     return check_codings(pd.DataFrame({"interview_id": "int01", "segment_id": 1,
...                                        "start": 0, "end": 9, "code": list(codes)}))
>>> base = table("wish")
>>> theirs = table("wish", "hope")       # the other tab added 'hope'
>>> mine = table()                       # this tab removed 'wish'
>>> merged, changed = three_way_merge(base, theirs, mine)
>>> merged["code"].tolist(), changed
(['hope'], 1)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.model.codings import read_coder_codings

__all__ = ["file_signature", "merge_coder_file", "three_way_merge"]


def file_signature(path: str | Path) -> str | None:
    """Return a hash of the file's bytes (SHA-256, hex), or ``None`` if there is no file.

    Compare it with the signature taken when the file was last read or
    written to tell whether someone else saved it meanwhile.
    """
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _position(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _by_key(table: pd.DataFrame) -> dict[tuple, dict]:
    """Each coding's row, keyed by interview, segment, start, end and code."""
    return {
        (
            str(row["interview_id"]),
            int(row["segment_id"]),
            _position(row["start"]),
            _position(row["end"]),
            str(row["code"]),
        ): row
        for row in table.to_dict("records")
    }


def three_way_merge(
    base: pd.DataFrame, theirs: pd.DataFrame, mine: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Merge two codings tables that both started from ``base``.

    Parameters
    ----------
    base
        The codings both sides started from (what was last read or written).
    theirs
        The other side's codings now (the file on disk).
    mine
        This side's codings now.

    Returns
    -------
    tuple of (pandas.DataFrame, int)
        The merged codings, with ``mine``'s columns and types (this side's rows
        first, in their order, then the codings the other side added), and how
        many of the other side's changes (additions and removals) came in.
    """
    old, other, own = _by_key(base), _by_key(theirs), _by_key(mine)
    added = {key: row for key, row in other.items() if key not in old}
    removed = set(old) - set(other)
    merged = {key: row for key, row in own.items() if key not in removed}
    for key, row in added.items():
        merged.setdefault(key, row)
    table = pd.DataFrame(list(merged.values()), columns=list(mine.columns))
    table = table.astype(mine.dtypes.to_dict()).reset_index(drop=True)
    table.attrs = dict(mine.attrs)
    return table, len(added) + len(removed)


def merge_coder_file(
    path: str | Path,
    base: pd.DataFrame,
    mine: pd.DataFrame,
    *,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
) -> tuple[pd.DataFrame, int]:
    """Merge a coder's file as it is on disk with this side's codings.

    Parameters
    ----------
    path
        The coder's file, ``codings/<coder>.csv`` (a missing file counts as
        having no codings).
    base
        The codings this side last read from or wrote to ``path``.
    mine
        This side's codings now.
    segments, codebook
        When given, the file is checked against them as it is read (see
        :func:`toolkit.model.codings.read_coder_codings`).

    Returns
    -------
    tuple of (pandas.DataFrame, int)
        The merged codings (see :func:`three_way_merge`) and how many changes
        came in from the file.  Nothing is written: save the merged table with
        :func:`toolkit.model.codings.save_coder_codings`.

    Raises
    ------
    CodingError
        When the file on disk is not a valid coder's file.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> from toolkit.tables import empty_codings
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sam = read_coder_codings(tk.sample_project_path() / "codings" / "sam.csv")
    >>> path = tk.save_coder_codings(sam.head(2), folder, "sam")  # saved by another tab
    >>> merged, changed = merge_coder_file(path, empty_codings(), empty_codings())
    >>> len(merged), changed
    (2, 2)
    """
    path = Path(path)
    theirs = read_coder_codings(path, segments, codebook) if path.is_file() else base.iloc[0:0]
    return three_way_merge(base, theirs, mine)
