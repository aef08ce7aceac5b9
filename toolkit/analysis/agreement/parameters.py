"""The parameter descriptions the agreement functions share, written once.

Each function's docstring says ``{parameters}`` where its "Parameters"
section goes and is decorated with ``@documented(PARAMETERS)`` (see
:func:`toolkit.docstrings.documented`), which builds the section from the
function's signature and these descriptions.

Examples
--------
>>> print(PARAMETERS["seed"])
Seed for the bootstrap; the default gives the same interval every run
(``None`` for a fresh draw).
"""

from __future__ import annotations

__all__ = ["PARAMETERS"]

#: Description of each shared parameter, by its name.
PARAMETERS: dict[str, str] = {
    # --- the coefficients, on a long ratings table ---
    "table": """\
A long table, one row per rating: which unit, which coder, which value.
Rows whose value is empty or missing are ignored.""",
    "unit_column, coder_column, value_column": """\
The names of those three columns: the unit rated, the coder who rated it,
and the value they gave.  Their old names, ``unit=``, ``coder=`` and
``value=``, still work, with a :class:`DeprecationWarning`.""",
    "values": """\
The possible values, in order.  Needed for ordinal categories that are
words (``["low", "mid", "high"]``); any other value is an error.
Default: the values found, sorted.""",
    "ci": """\
The confidence level of the bootstrap interval, such as ``0.95`` or
``0.9``; ``None`` for no interval.  ``True`` means 0.95, ``False`` none.""",
    "n_boot": """\
Bootstrap replicates for the interval (units resampled with replacement;
at least 50).""",
    "seed": """\
Seed for the bootstrap; the default gives the same interval every run
(``None`` for a fresh draw).""",
    # --- coded interviews ---
    "codings": """\
The codings table (``interview_id, segment_id, start, end, code, coder,
method``).  Codings with no ``segment_id`` are placed in the segments their
``start``/``end`` span overlaps.""",
    "segments": """\
The segments table: the units, and their text.  Without it, the units are
the segments named in the codings.""",
    "unit": """\
What the coders are compared on: ``"segment"`` (each speaker turn) or
``"interview"`` (a coder applied X to an interview if they applied it
anywhere in it).  ``"segments"`` and ``"interviews"`` work too.""",
    "coders": """\
The names of the coders to compare (default: every human coder); one
name alone counts as one coder.""",
    "include_rules": """\
Compare the rule-based coding (method ``rule``) as one more coder.  A rule
sees every unit.  By default only people (methods ``manual`` and
``import``) are compared.""",
    "coverage": """\
Which units each coder saw, if it is more than the units they coded: a
table with ``coder, interview_id`` and optionally ``segment_id`` (no
segment_id means the whole interview).  Units a coder applied a code to
always count as seen.""",
    "codebook": """\
A :class:`~toolkit.model.codebook.Codebook`, its table, or a list of codes
(anything :func:`~toolkit.model.codebook.as_codebook` takes).  Codes outside
it are an error; the table follows its order.  An empty codebook checks
nothing.""",
}
