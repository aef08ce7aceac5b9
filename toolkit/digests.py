"""A digest of a table's content, to tell whether a table is the same as one seen before.

Used to remember work done on a project's tables for as long as they stay the
same (see :mod:`toolkit.analysis.themes.memo` and
:func:`toolkit.analysis.energy.roles.energy_table`): the digest covers the
values, the index, the column names and the dtypes, so a table changed in
place, replaced or re-read gives a new digest.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"code": ["pride", "waiting"], "count": [3, 1]})
>>> table_digest(a) == table_digest(a.copy())
True
>>> table_digest(a) == table_digest(a.assign(count=[3, 2]))
False
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["table_digest"]


def table_digest(table: Any) -> str | None:
    """Return a digest of a table's content, or None if it cannot be hashed."""
    if table is None:
        return "none"
    table = getattr(table, "table", table)  # a Codebook stands for its table
    if not isinstance(table, pd.DataFrame):
        return None
    digest = hashlib.sha256()  # SHA-NI makes it about twice as quick as blake2b here
    digest.update(repr((list(map(str, table.columns)), list(map(str, table.dtypes)))).encode())
    try:
        for part in (table.index, *(table.iloc[:, i] for i in range(table.shape[1]))):
            _add(digest, part)
    except TypeError:  # unhashable cells
        return None
    return digest.hexdigest()


def _add(digest: Any, values: pd.Series | pd.Index) -> None:
    """Add one column's (or the index's) values to `digest`, in order.

    Arrow-backed text is hashed from its buffers and numbers from their
    bytes, which is many times quicker than hashing value by value; other
    columns (Python objects) are hashed value by value by pandas.
    """
    if isinstance(values, pd.RangeIndex):
        digest.update(repr((values.start, values.stop, values.step)).encode())
        return
    array = values.array
    chunks = getattr(array, "_pa_array", None)  # pandas' Arrow-backed arrays
    if chunks is not None:
        for chunk in chunks.chunks:
            digest.update(repr((chunk.offset, len(chunk))).encode())
            for buffer in chunk.buffers():
                digest.update(b"-" if buffer is None else memoryview(buffer))
        return
    numbers = values.to_numpy() if values.dtype.kind in "biufcmM" else None
    if numbers is not None and numbers.dtype != object:
        digest.update(numbers.dtype.str.encode() + np.ascontiguousarray(numbers).tobytes())
        return
    digest.update(pd.util.hash_array(np.asarray(values, dtype=object)).tobytes())
