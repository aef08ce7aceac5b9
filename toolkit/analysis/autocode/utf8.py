"""UTF-8 bytes as numpy arrays: encoding a chunk, decoding its non-ASCII characters, folding.

The scanner works on the UTF-8 bytes of a chunk of segments; these helpers
find the non-ASCII characters in it, turn byte offsets into character
offsets, and fold the characters in place (as
:mod:`toolkit.analysis.autocode.folding` says).
"""

from __future__ import annotations

import numpy as np

from toolkit.analysis.autocode.folding import fold_char, fold_data, is_word

__all__ = ["code_points", "cp_offsets", "fold_in_place", "utf8_chunk"]


def utf8_chunk(texts: list[str]) -> bytes:
    """Return the texts as UTF-8, each between NUL bytes (encoding each text is fastest)."""
    try:
        body = b"\x00".join(map(str.encode, texts))
    except UnicodeEncodeError:  # a lone surrogate, from a badly decoded file
        body = b"\x00".join(t.encode("utf-8", "surrogatepass") for t in texts)
    return b"\x00" + body + b"\x00"


def code_points(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode the non-ASCII characters of UTF-8 bytes: code points, lead offsets, sizes."""
    leads = np.flatnonzero(data >= 0xC0)
    if not len(leads):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)])
    b0 = padded[leads].astype(np.int64)
    b1 = padded[leads + 1].astype(np.int64) & 0x3F
    b2 = padded[leads + 2].astype(np.int64) & 0x3F
    b3 = padded[leads + 3].astype(np.int64) & 0x3F
    sizes = np.where(b0 < 0xE0, 2, np.where(b0 < 0xF0, 3, 4))
    cps = np.where(
        sizes == 2,
        ((b0 & 0x1F) << 6) | b1,
        np.where(
            sizes == 3,
            ((b0 & 0x0F) << 12) | (b1 << 6) | b2,
            ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3,
        ),
    )
    return cps, leads, sizes


def cp_offsets(byte_offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    cont = np.flatnonzero((data & 0xC0) == 0x80)
    return byte_offsets - np.searchsorted(cont, byte_offsets)


def fold_in_place(folded: np.ndarray, cps: np.ndarray, leads: np.ndarray, sizes: np.ndarray):
    """Fold the non-ASCII characters of a byte array: letters folded, others to spaces."""
    fold, word, _ = fold_data()
    bmp = cps < 0x10000
    words = np.zeros(len(cps), dtype=bool)
    target = cps.copy()
    words[bmp] = word[cps[bmp]]
    target[bmp] = fold[cps[bmp]]
    for i in np.flatnonzero(~bmp):
        ch = chr(int(cps[i]))
        words[i] = is_word(ch)
        target[i] = ord(fold_char(ch))
    for size in (2, 3, 4):
        sel = sizes == size
        blank = sel & ~words
        for j in range(size):
            folded[leads[blank] + j] = 0x20
        change = sel & words & (target != cps)
        if change.any():
            encoded = _utf8(target[change], size)
            for j in range(size):
                folded[leads[change] + j] = encoded[j]


def _utf8(cps: np.ndarray, size: int) -> list[np.ndarray]:
    if size == 2:
        return [0xC0 | (cps >> 6), 0x80 | (cps & 0x3F)]
    if size == 3:
        return [0xE0 | (cps >> 12), 0x80 | ((cps >> 6) & 0x3F), 0x80 | (cps & 0x3F)]
    return [
        0xF0 | (cps >> 18),
        0x80 | ((cps >> 12) & 0x3F),
        0x80 | ((cps >> 6) & 0x3F),
        0x80 | (cps & 0x3F),
    ]
