"""Case folding as ``re.IGNORECASE`` does it, for the one-pass keyword scan.

``re`` compares characters case-insensitively by their simple lower-case form
plus a few extra equivalences (i and dotless i, s and long s, ...).  The fast
scanner (:mod:`toolkit.analysis.autocode.scanner`) folds text and keywords the
same way, character for character, so that it finds exactly what ``re`` finds.

The tables cover the Basic Multilingual Plane and are built on first use
(about a second), then kept for the life of the process.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

__all__ = [
    "SPACE_BYTES",
    "ascii_table",
    "fold_char",
    "fold_data",
    "fold_text",
    "is_word",
    "scan_form",
    "special_chars",
]


def _sre_tolower() -> Any:
    import _sre

    return getattr(_sre, "unicode_tolower", None)


def _extra_cases() -> dict[int, tuple[int, ...]]:
    try:
        from re._casefix import _EXTRA_CASES  # Python 3.11+

        return dict(_EXTRA_CASES)
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_compile

        return dict(getattr(sre_compile, "_ignorecase_fixes", {}))


def is_word(ch: str) -> bool:
    # The same test as `re`'s \w for str patterns.
    return ch.isalnum() or ch == "_"


@functools.lru_cache(maxsize=1)
def fold_data() -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Return the fold and word tables for the Basic Multilingual Plane, and the extra cases."""
    tolower = _sre_tolower()
    extra = _extra_cases()
    fold = np.arange(0x10000, dtype=np.uint32)
    word = np.zeros(0x10000, dtype=bool)
    reps: dict[int, int] = {}
    for lo, others in extra.items():
        group = (lo, *others)
        words = [c for c in group if is_word(chr(c))]
        reps[lo] = min(words) if words else min(group)
    for cp in range(0x10000):
        ch = chr(cp)
        word[cp] = is_word(ch)
        fold[cp] = _fold_cp(cp, tolower, reps)
    return fold, word, reps


def _fold_cp(cp: int, tolower: Any = None, reps: dict[int, int] | None = None) -> int:
    if tolower is None or reps is None:
        _, _, reps = fold_data()
        tolower = _sre_tolower()
    if tolower is not None:
        lo = tolower(cp)
    else:  # pragma: no cover - very old Pythons
        low = chr(cp).lower()
        lo = ord(low) if len(low) == 1 else cp
    return reps.get(lo, lo)


def fold_char(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x10000:
        return chr(int(fold_data()[0][cp]))
    return chr(_fold_cp(cp))


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """A str.translate table: fold case as `re` does, every space character to ' '."""
    fold = fold_data()[0]
    changed = np.flatnonzero(fold != np.arange(0x10000, dtype=np.uint32))
    table = {int(cp): chr(int(fold[cp])) for cp in changed}
    for cp in range(0x110000):
        if chr(cp).isspace():
            table[cp] = " "
    return table


def fold_text(text: str) -> str:
    """Fold case and spaces, keeping the length: the form keywords are compared in."""
    out = text.translate(_fold_table())
    if not text.isascii() and any(ord(c) > 0xFFFF for c in text):
        out = "".join(fold_char(c) if ord(c) > 0xFFFF else c for c in out)
    return out


@functools.lru_cache(maxsize=1)
def special_chars() -> tuple[dict[str, str], frozenset[str]]:
    """Characters the byte scanner cannot fold in place.

    Returns the word characters to replace before scanning (their folded form
    has a different UTF-8 length, or they are spaces other than ' '), and the
    characters whose segments are coded the plain way instead (folding
    changes whether they count as a letter).
    """
    fold, word, _ = fold_data()
    replace: dict[str, str] = {}
    plain: set[str] = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch, folded = chr(cp), chr(int(fold[cp]))
        if ch.isspace():
            replace[ch] = " "
        elif word[cp] != is_word(folded):
            plain.add(ch)
        elif folded != ch and len(ch.encode()) != len(folded.encode()):
            replace[ch] = folded
    return replace, frozenset(plain)


def scan_form(text: str) -> str:
    """Map text (a keyword or literal) into the scanner's alphabet.

    Letters and digits become the UTF-8 bytes of their folded form; every
    other character becomes as many spaces as its UTF-8 length.  The result
    is a str of code points below 256 (one per byte).
    """
    if text.isascii():
        return text.encode("ascii").translate(ascii_table()).decode("latin-1")
    out = bytearray()
    for ch in text:
        if ch.isspace():
            out += b" "
        elif is_word(ch):
            out += fold_char(ch).encode("utf-8", "surrogatepass")
        else:
            out += b" " * len(ch.encode("utf-8", "surrogatepass"))
    return out.decode("latin-1")


#: Which bytes are white space (as \s): the scan replaces other spaces first.
SPACE_BYTES = np.array([chr(b).isspace() for b in range(128)] + [False] * 128, dtype=bool)


@functools.lru_cache(maxsize=1)
def ascii_table() -> bytes:
    table = bytearray(range(256))
    for b in range(128):
        ch = chr(b)
        table[b] = ord(ch.lower()) if is_word(ch) else 0x20
    return bytes(table)
