"""The options every theme function shares: what to count, in what unit, whose codings.

``unit=`` says what one count is, and every table states it (a ``unit``
column and ``table.attrs["unit"]``):

``"segments"``
    Speaker turns (or survey responses) coded with the code.
``"interviews"``
    Interviews in which the code was applied at least once.
``"participants"`` (also ``"people"``)
    People who said something coded with it ("mentioned by 9 of 16
    people"), out of the people who took part
    (:func:`toolkit.model.people.people_taking_part`: participants.csv's
    rows, or each interview's speakers, or one survey answer each);
    interviewers are not counted (see
    :func:`~toolkit.analysis.themes.speakers.interviewer_labels`).  In every
    unit, interviewers' turns are left out.

``of=`` says whether themes or codes are counted (``level=`` is its old
name).  ``coder=`` says whose codings are counted, merged: one choice (a
name, a list of names, ``"humans"``, ``"rules"`` or ``"all"``); see
:data:`PARAMETERS`.  (The agreement functions compare coders one against
another instead, and call the coders they compare ``coders=``.)

Examples
--------
>>> unit_name("person"), of_name("code")
('participants', 'code')
"""

from __future__ import annotations

from toolkit.errors import ToolkitError

__all__ = ["NOT_RECORDED", "PARAMETERS", "UNITS", "of_name", "unit_name"]

#: Counting units and the words used for them in titles and labels.
UNITS = {"segments": "segments", "interviews": "interviews", "participants": "people"}
_UNIT_ALIASES = {
    "segment": "segments",
    "interview": "interviews",
    "participant": "participants",
    "people": "participants",
    "person": "participants",
}
#: The label used where a participant's group (or a date) was not recorded.
NOT_RECORDED = "(not recorded)"
_OF = ("code", "theme")

#: The parameters the theme functions share, written once: each function's
#: docstring says ``{parameters}`` (see :func:`toolkit.docstrings.documented`).
PARAMETERS = {
    "codings": """
        The codings table, or a Project (its tables are used), or the
        :class:`~toolkit.analysis.themes.prepare.PreparedThemes` that
        :func:`~toolkit.analysis.themes.prepare.prepare_themes` returns (then
        leave out the other tables, ``coder`` and ``interviewers``).
    """,
    "segments": "The segments table (for speakers, and to know the totals).",
    "codebook": """
        The Codebook, or its table.  Every code in it gets a row, so codes
        nobody used show as 0; a code with no theme takes its parent's.
    """,
    "participants": """
        The participants table (one row per person in an interview, with
        their attributes, ``speaker`` and ``interviewer``: see
        :mod:`toolkit.model.people`); people are counted from it, and its
        ``name`` column is part of the name safety net for quotes.
    """,
    "unit": """
        What one count is: ``"participants"`` (people), ``"interviews"`` or
        ``"segments"`` (singular or plural).
    """,
    "of": """
        ``"theme"`` or ``"code"``: what to count.  (``level=`` is the old
        name: it still works, with a DeprecationWarning.)
    """,
    "coder": """
        Whose codings to count: ``"humans"`` (the default: every human coder,
        merged), ``"rules"`` (the rule codings among those given: code by
        the rules first with :func:`toolkit.autocode`), ``"all"``, or a
        coder's name or a list of names.
    """,
    "interviewers": """
        Speaker labels of interviewers, not counted, coded or quoted (by
        default: participants.csv's ``interviewer`` column, the
        ``interviewers`` setting, or a careful guess; see
        :func:`~toolkit.analysis.themes.speakers.interviewer_labels`).
    """,
}


def unit_name(unit: str) -> str:
    """Return the counting unit's name (``"participants"``), from singular or plural."""
    name = _UNIT_ALIASES.get(str(unit).lower(), str(unit).lower())
    if name not in UNITS:
        raise ToolkitError(
            f"expected unit to be one of {', '.join(map(repr, UNITS))}, but found {unit!r}",
            hint="count 'segments' (turns), 'interviews' or 'participants' (people)",
        )
    return name


def of_name(of: str) -> str:
    """Return what to count, ``"code"`` or ``"theme"``."""
    if of not in _OF:
        raise ToolkitError(
            f"expected of='code' or of='theme', but found {of!r}",
            hint="use of='theme' to count themes, of='code' to count codes",
        )
    return of
