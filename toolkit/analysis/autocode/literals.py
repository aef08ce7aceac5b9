"""The words a regular expression needs: which segments a regex rule could match in.

:func:`required_literals` reads a pattern's parse tree for texts one of which
every match must contain; the scanner looks for those in its one pass, and
the regex is run only on the segments where one was found.
"""

from __future__ import annotations

import re

from toolkit.analysis.autocode.folding import is_word

try:  # Python 3.11+
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["required_literals"]


def required_literals(pattern: str) -> list[str] | None:
    """Return texts one of which every match of `pattern` contains, or None if none is known.

    Used only to choose which segments to run a regex on, so it may be
    generous (case and spaces are folded) but never misses a match.
    """
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:  # pragma: no cover - the codebook checked it
        return None
    found = _needed(list(parsed))
    if not found:
        return None
    if any(not any(is_word(ch) for ch in lit) for lit in found):
        return None
    return sorted(found)


def _needed(items: list) -> set[str] | None:
    c = _sre_constants
    options: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        inner = None
        if op is c.SUBPATTERN:
            inner = _needed(list(av[-1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
            if av[0] >= 1:
                inner = _needed(list(av[2]))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            inner = _needed(list(av))
        elif op is c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = _needed(list(branch))
                if not got:
                    union = set()
                    break
                union |= got
            inner = union or None
        if inner:
            options.append(inner)
    close_run()
    options = [o for o in options if all(any(is_word(ch) for ch in lit) for lit in o)]
    if not options:
        return None
    # The most selective choice: the longest shortest literal, then the fewest.
    return max(options, key=lambda o: (min(len(x) for x in o), -len(o)))
