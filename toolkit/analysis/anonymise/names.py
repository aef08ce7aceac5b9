"""Whose names to look for: every place a project folder names a person.

:func:`project_pseudonymiser` gathers the names of a project folder into one
:class:`~toolkit.analysis.anonymise.pseudonymiser.Pseudonymiser`, so the same
person gets the same pseudonym in every file:

* ``participants.csv``: each row's ``name``, and its ``speaker`` label when
  the label holds part of the name (``Lisa B.`` for Lisa Brennan);
* the names the user lists (interviewers, people mentioned by name);
* the energy tables (:data:`PEOPLE_COLUMNS`): the ``stakeholder`` column of
  ``stakeholders.csv``, ``source`` and ``target`` of ``connections.csv``
  and ``participant`` of ``votes.csv``, since a stakeholder map names people
  who were never interviewed.

An entry of an energy table is read as a person's name when it looks like
one (:func:`looks_like_name`): capitalised words, not an organisation, and
not one of the places, groups or roles the project's tables already use.
An entry that does not is left as it is, with a ``review`` row in the audit
so that a person checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from toolkit.analysis.anonymise.audit import Audit
from toolkit.analysis.anonymise.patterns import TITLES
from toolkit.analysis.anonymise.pseudonymiser import Pseudonymiser
from toolkit.io.files import read_table

__all__ = ["ORGANISATION_WORDS", "PEOPLE_COLUMNS", "looks_like_name", "project_pseudonymiser"]

#: The columns of each energy table that name people.
PEOPLE_COLUMNS = {
    "stakeholders.csv": ("stakeholder",),
    "connections.csv": ("source", "target"),
    "votes.csv": ("participant",),
}
_ORGANISATION_WORDS = """
    action agency alliance association board care centre center charity church clinic club
    college committee community company council forum foundation group hospital hub league
    ltd mosque network office partnership pharmacy practice project school service services
    society surgery synagogue team temple trust unit university ward
"""
#: Words that make an entry an organisation or a place, not a person.
ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS.split())
_PARTICLE_WORDS = "al bin bint da das de del della den der di dos du el ibn la le ter ten van von y"
#: Small words inside a person's name ("Ludwig van Beethoven", "Ahmed bin Said").
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
#: Columns of participants.csv that hold ids, names or labels rather than places or groups.
_NOT_ATTRIBUTES = {"interview_id", "name", "speaker", "interviewer"}


def _folded(value: str) -> str:
    text = " ".join(value.split()).casefold()
    return text[:-1] if text.endswith("s") else text


def looks_like_name(value: str, not_names: Iterable[str] = ()) -> bool:
    """Return whether an energy table's entry reads as a person's name.

    A name is one to five capitalised words (titles such as ``Dr`` and small
    words such as ``van`` allowed), none of them an acronym or an
    organisation's word (:data:`ORGANISATION_WORDS`), and not one of
    `not_names` (the project's places, groups and roles; compared without
    case and a plural ``s``).

    Examples
    --------
    >>> looks_like_name("Maya Okafor"), looks_like_name("Dr Ann van Dijk")
    (True, True)
    >>> looks_like_name("ward manager"), looks_like_name("Hartwell Borough Council")
    (False, False)
    >>> looks_like_name("Breathe Easy Hartwell", ["Breathe Easy Hartwell"])
    False
    """
    return _is_name(str(value), {_folded(str(n)) for n in not_names})


def _is_name(value: str, not_names: set[str]) -> bool:
    """:func:`looks_like_name`, with `not_names` folded already."""
    words = value.replace(",", " ").split()
    titled = bool(words) and words[0].lower().rstrip(".") in TITLES
    if not words or len(words) > 6 or _folded(value) in not_names:
        return False
    for word in words:
        bare = word.strip(".'’()-")
        if word.lower().rstrip(".") in TITLES or word in _PARTICLES:
            continue
        if not bare[:1].isupper() or bare.lower() in ORGANISATION_WORDS:
            return False
        if len(bare) > 1 and bare.isupper() and not titled:
            return False  # "NHS", "GP", "UK": an organisation's name
    return True


def _attributes(table: pd.DataFrame | None, skip: Iterable[str]) -> set[str]:
    """Return the text values of a table's columns other than `skip`: places, groups, roles."""
    if table is None:
        return set()
    values: set[str] = set()
    for column in table.columns:
        if column not in skip and table[column].dtype == object:
            values |= {str(v) for v in table[column].dropna() if str(v).strip()}
    return values


def project_pseudonymiser(
    source: Path, people: pd.DataFrame | None, names: Iterable[str], audit: Audit
) -> Pseudonymiser:
    """Return a Pseudonymiser that knows every person the project folder `source` names.

    Parameters
    ----------
    source
        The project folder.
    people
        Its participants table (or None when it has no ``participants.csv``).
    names
        More names the user listed.
    audit
        Gets a ``review`` row for each energy-table entry not read as a name.

    Examples
    --------
    >>> import toolkit as tk
    >>> p = project_pseudonymiser(tk.sample_project_path(), None, [], Audit())
    >>> p.pseudonymise("Graham Pike rang Fiona.")
    '[Person 19] rang [Person 23].'
    """
    p = Pseudonymiser()
    if people is not None and "name" in people.columns:
        for name in people["name"]:
            p.add_name(name)
    for name in names:
        p.add_name(name)
    if people is not None and {"name", "speaker"} <= set(people.columns):
        for name, label in zip(people["name"], people["speaker"], strict=True):
            if isinstance(name, str) and name.strip() and isinstance(label, str):
                p.add_label(label, name)
    tables = {
        file: read_table(source / file, what="table") if (source / file).is_file() else None
        for file in PEOPLE_COLUMNS
    }
    attributes = _attributes(people, _NOT_ATTRIBUTES) | _attributes(
        tables["stakeholders.csv"], {"stakeholder"}
    )
    not_names = {_folded(value) for value in attributes}
    seen: set[str] = set()
    for file, columns in PEOPLE_COLUMNS.items():
        table = tables[file]
        if table is None:
            continue
        rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
        for column in columns:
            if column not in table.columns:
                continue
            at = list(table.columns).index(column) + 1
            for row, value in zip(rows, table[column], strict=True):
                text = "" if pd.isna(value) else " ".join(str(value).split())
                if not text or text in seen:
                    continue
                seen.add(text)
                if _is_name(text, not_names):
                    p.add_name(text)
                elif _folded(text) not in not_names:
                    # Perhaps a person, written another way: a person checks.
                    audit.note(file, "", "name", "review", line=row, column=at, field=column)
    return p
