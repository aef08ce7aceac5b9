"""The rule syntax of a codebook: keywords, regular expressions and "not" phrases.

A code may carry rules that code text automatically
(:func:`toolkit.analysis.autocode.engine.autocode`):

``keywords``
    Words or phrases, matched case-insensitively as whole words.  A trailing
    ``*`` matches any ending (``volunteer*`` finds volunteer, volunteers,
    volunteering).  A space in a phrase matches any one space, tab or line
    break.
``regex``
    Python regular expressions, matched case-insensitively.  Write
    ``(?-i:...)`` around a part that must match case exactly.
``not``
    Words or phrases (keyword syntax) that veto the code: if one of them
    occurs anywhere in a segment, the code's rules do not code that segment.

Regular expressions that can take exponential time (nested unbounded
repetition such as ``(a+)+`` or ``(\\w+\\s?)*``) are rejected when the codebook
is read, with a message saying how to rewrite them.  Python's ``re`` module has
no time limit, so the check is made up front instead of at run time; it does
not catch every slow pattern (overlapping alternatives such as ``(a|a)*`` get
through), so keep rules simple.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = [
    "CONTROL_CHARACTERS",
    "RULE_COLUMNS",
    "check_regex",
    "keyword_pattern",
    "normalise_keyword",
]

#: The rule columns a CSV codebook may add (and ``Codebook.rules`` kinds).
RULE_COLUMNS = ["keywords", "regex", "not"]
#: Control characters, refused in keywords and code names.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise_keyword(keyword: str) -> str:
    """Return a keyword with its spaces tidied, or raise ``ValueError`` saying why.

    Spaces, tabs and line breaks inside a phrase become single spaces.  A
    ``*`` is allowed only at the end.

    Examples
    --------
    >>> normalise_keyword("  at   our best ")
    'at our best'
    >>> normalise_keyword("volunteer*")
    'volunteer*'
    """
    if not isinstance(keyword, str):
        raise ValueError(f"expected a word or phrase, but found {type(keyword).__name__}")
    text = " ".join(keyword.split())
    if not text:
        raise ValueError("expected a word or phrase, but found an empty keyword")
    if CONTROL_CHARACTERS.search(text):
        raise ValueError("expected printable text, but found a control character")
    stem = text[:-1] if text.endswith("*") else text
    if "*" in stem:
        raise ValueError(
            f"a '*' may only end a keyword (as in 'volunteer*'), but {keyword!r} has one inside"
        )
    if not stem.strip():
        raise ValueError("expected a word before the '*', but found only the '*'")
    if stem != stem.rstrip():
        raise ValueError(f"expected the '*' right after a word, but {keyword!r} has a space first")
    return text


def _walk(items: Any, depth_unbounded: bool, found: list[str]) -> None:
    """Collect descriptions of nested unbounded repeats in a parsed pattern."""
    c = _sre_constants
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _low, high, body = av
            unbounded = high == c.MAXREPEAT or high > 100
            if depth_unbounded and unbounded:
                found.append("repeat")
            _walk(body, depth_unbounded or unbounded, found)
        elif op is c.SUBPATTERN:
            _walk(av[-1], depth_unbounded, found)
        elif op is c.BRANCH:
            for branch in av[1]:
                _walk(branch, depth_unbounded, found)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            _walk(av[1], depth_unbounded, found)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            # An atomic group is never re-entered by backtracking from outside.
            _walk(av, False, found)
        elif op is getattr(c, "POSSESSIVE_REPEAT", None):
            _walk(av[2], False, found)
        elif op is c.GROUPREF_EXISTS:
            _walk(av[1], depth_unbounded, found)
            if av[2] is not None:
                _walk(av[2], depth_unbounded, found)


def check_regex(pattern: str) -> re.Pattern:
    """Compile a rule's regular expression (case-insensitive), or say what is wrong.

    Raises ``ValueError`` with a message for a pattern that does not compile
    (naming the position of the fault), can match an empty string, or repeats
    a repeat (``(a+)+``), which can take exponential time.  Slow patterns are
    refused here, when the codebook is read, rather than stopped by a time
    limit when they run: Python's ``re`` has no time limit.

    Examples
    --------
    >>> check_regex(r"\\bextra mile\\b").pattern
    '\\\\bextra mile\\\\b'
    >>> check_regex("(a+)+")
    Traceback (most recent call last):
    ...
    ValueError: '(a+)+' repeats a part that is itself repeated ...
    """
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("expected a regular expression, but found an empty one")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        where = f" at position {exc.pos} (counting from 0)" if exc.pos is not None else ""
        pointer = ""
        if exc.pos is not None:
            pointer = f": {pattern[: exc.pos]}\u25b6{pattern[exc.pos :]}"
        raise ValueError(
            f"the regular expression '{pattern}' is not valid: {exc.msg}{where}{pointer}"
        ) from None
    parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    if parsed.getwidth()[0] == 0:
        raise ValueError(
            f"the regular expression '{pattern}' can match an empty string, so it would code "
            "every segment"
        )
    found: list[str] = []
    _walk(parsed, False, found)
    if found:
        raise ValueError(
            f"'{pattern}' repeats a part that is itself repeated (a nested quantifier such as "
            "(a+)+ or (\\w+\\s?)*), which can take minutes or hours on a long text"
        )
    return compiled


def keyword_pattern(keyword: str) -> str:
    """Return the regular expression a keyword rule stands for (case-insensitive).

    Examples
    --------
    >>> keyword_pattern("volunteer*")
    '(?<!\\\\w)volunteer\\\\w*'
    >>> keyword_pattern("at our best")
    '(?<!\\\\w)at\\\\sour\\\\sbest(?!\\\\w)'
    """
    text = normalise_keyword(keyword)
    wildcard = text.endswith("*")
    stem = text[:-1] if wildcard else text
    body = r"\s".join(re.escape(word) for word in stem.split(" "))
    return r"(?<!\w)" + body + (r"\w*" if wildcard else r"(?!\w)")
