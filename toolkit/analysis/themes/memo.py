"""Remember a project's last prepared themes, for as long as its tables stay the same.

A notebook often asks one project for several theme tables in a row
(``tk.theme_frequency(project)``, then ``tk.theme_by_group(project)`` ...).
Preparing the codings is most of the work of each, so the last
:class:`~toolkit.analysis.themes.prepare.PreparedThemes` made from a project is
kept on that project and given again when the same thing is asked of the same
tables.  Only the theme functions given a project use this; an explicit
:func:`~toolkit.analysis.themes.prepare.prepare_themes` always prepares (its
caller keeps the result), and so does the report, which prepares once.

"The same tables" is checked by content, not by identity: the key holds a
digest of every table the preparation reads (values, index, columns and
dtypes), so a table changed in place, replaced or re-read gives a new key and
a fresh preparation.  Hashing the tables costs a small part of preparing them
(about a fifth of a second at 250,000 responses: text held by
Arrow is hashed from its buffers).  A table that cannot be hashed (a cell
holding a list, say) is simply not remembered.  The prepared themes are frozen
and no theme function changes them, so giving the same object twice is safe.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from toolkit.digests import table_digest

__all__ = ["recall", "remember", "tables_key"]

# Where a project keeps its last preparation (an attribute, not a field: it is
# not part of the project's data, is not saved, and is not compared).
_ATTRIBUTE = "_last_prepared_themes"


def tables_key(project: Any, **choices: Any) -> tuple | None:
    """Return the key of a preparation of `project`'s tables with these `choices`.

    None if something cannot be hashed (then nothing is remembered).
    """
    documents = getattr(project, "documents", None)
    if isinstance(documents, pd.DataFrame) and "interview_id" in documents.columns:
        documents = documents[["interview_id"]]  # only its interview ids are read
    parts = [
        table_digest(getattr(project, name, None))
        for name in ("codings", "segments", "codebook", "participants")
    ]
    parts.append(table_digest(documents))
    settings = repr(sorted((str(k), repr(v)) for k, v in (project.settings or {}).items()))
    given = repr(sorted((k, repr(v)) for k, v in choices.items()))
    if any(part is None for part in parts):
        return None
    return (*parts, settings, given)


def recall(project: Any, key: tuple | None) -> Any:
    """Return the preparation remembered for `key`, or None."""
    if key is None:
        return None
    last = getattr(project, _ATTRIBUTE, None)
    if last is not None and last[0] == key:
        return last[1]
    return None


def remember(project: Any, key: tuple | None, prepared: Any) -> None:
    """Keep `prepared` on `project` as its last preparation (only one is kept)."""
    if key is None:
        return
    with contextlib.suppress(AttributeError, TypeError):  # an object that takes no attributes
        setattr(project, _ATTRIBUTE, (key, prepared))
