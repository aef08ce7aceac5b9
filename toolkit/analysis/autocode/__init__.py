"""Coding by rules: the codebook's keywords and regular expressions applied to segments.

The modules, from the top:

``engine``
    :func:`~toolkit.analysis.autocode.engine.autocode`,
    :func:`~toolkit.analysis.autocode.engine.autocode_reference` (the plain
    ``re`` loop it must agree with) and
    :func:`~toolkit.analysis.autocode.engine.autocode_project`.
``scanner``, ``automaton``, ``literals``
    The one-pass matcher: one Aho-Corasick scan for every keyword, veto and
    the words each regular expression needs.
``folding``, ``utf8``
    Case folding as ``re.IGNORECASE`` does it, on text and on UTF-8 bytes.
``ruleset``, ``matches``, ``sentences``, ``arrays``
    The rules numbered and compiled; matches turned into the codings table,
    by segment, sentence or match.

How well the rules agree with a human coder is in
:mod:`toolkit.analysis.rule_evaluation`.
"""
