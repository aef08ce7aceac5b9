"""Code segments by rules, read and save coders' codings, and check rules against coders.

The ``codings`` table has one row per code applied to a span of an interview:
``interview_id, segment_id, start, end, code, coder, method, memo, rule``.
``start`` and ``end`` are offsets in the interview's text (as in the segments
table), ``method`` is ``manual`` (a person), ``rule`` (the codebook's rules)
or ``import`` (another program), and ``rule`` says which rule matched.

:func:`autocode` applies a codebook's rules to a segments table.  It scans
the text once for every keyword of every code together (an Aho-Corasick
automaton over a lower-cased copy of the text), and uses the same scan to find
the segments where each regular expression could match (a word every match
must contain), so that it stays fast on a national consultation with hundreds
of codes.  :func:`autocode_reference` does the same job the plain way, one
``re`` search per rule per segment: the two always give the same table.

Each human coder's codings live in their own file, ``codings/<coder>.csv``;
:func:`save_coder_codings` writes it (keeping the previous version when a save
would lose codings) and :func:`read_codings` reads them all back.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import CodingError, ToolkitError
from toolkit.io.files import read_table, to_numbers, write_table
from toolkit.model.codebook import Code, Codebook, keyword_pattern, normalise_keyword

try:  # Python 3.11+
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = [
    "CODING_COLUMNS",
    "METHODS",
    "RuleEvaluation",
    "autocode",
    "autocode_reference",
    "empty_codings",
    "evaluate_rules",
    "merge_codings",
    "read_coder_codings",
    "read_codings",
    "save_coder_codings",
    "sentence_spans",
    "validate_codings",
]

#: The columns of the codings table, in order.
CODING_COLUMNS = [
    "interview_id",
    "segment_id",
    "start",
    "end",
    "code",
    "coder",
    "method",
    "memo",
    "rule",
]
#: How a coding was made.
METHODS = ("manual", "rule", "import")
#: The coder name given to codings made by rules.
RULE_CODER = "rules"
UNITS = ("segment", "sentence", "match")

# Segments are scanned in chunks of about this many characters, so memory
# stays flat however big the corpus is.
_CHUNK_CHARS = 1 << 21


# --- case folding as `re.IGNORECASE` does it ---------------------------------
#
# `re` compares characters case-insensitively by their simple lower-case form
# plus a few extra equivalences (i and dotless i, s and long s, ...).  The fast
# scanner folds text and keywords the same way, character for character, so
# that it finds exactly what `re` finds.


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


def _is_word(ch: str) -> bool:
    # The same test as `re`'s \w for str patterns.
    return ch.isalnum() or ch == "_"


@functools.lru_cache(maxsize=1)
def _fold_data() -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Return the fold and word tables for the Basic Multilingual Plane, and the extra cases."""
    tolower = _sre_tolower()
    extra = _extra_cases()
    fold = np.arange(0x10000, dtype=np.uint32)
    word = np.zeros(0x10000, dtype=bool)
    reps: dict[int, int] = {}
    for lo, others in extra.items():
        group = (lo, *others)
        words = [c for c in group if _is_word(chr(c))]
        reps[lo] = min(words) if words else min(group)
    for cp in range(0x10000):
        ch = chr(cp)
        word[cp] = _is_word(ch)
        fold[cp] = _fold_cp(cp, tolower, reps)
    return fold, word, reps


def _fold_cp(cp: int, tolower: Any = None, reps: dict[int, int] | None = None) -> int:
    if tolower is None or reps is None:
        _, _, reps = _fold_data()
        tolower = _sre_tolower()
    if tolower is not None:
        lo = tolower(cp)
    else:  # pragma: no cover - very old Pythons
        low = chr(cp).lower()
        lo = ord(low) if len(low) == 1 else cp
    return reps.get(lo, lo)


def _fold_char(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x10000:
        return chr(int(_fold_data()[0][cp]))
    return chr(_fold_cp(cp))


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """A str.translate table: fold case as `re` does, every space character to ' '."""
    fold = _fold_data()[0]
    changed = np.flatnonzero(fold != np.arange(0x10000, dtype=np.uint32))
    table = {int(cp): chr(int(fold[cp])) for cp in changed}
    for cp in range(0x110000):
        if chr(cp).isspace():
            table[cp] = " "
    return table


def _fold_text(text: str) -> str:
    """Fold case and spaces, keeping the length: the form keywords are compared in."""
    out = text.translate(_fold_table())
    if not text.isascii() and any(ord(c) > 0xFFFF for c in text):
        out = "".join(_fold_char(c) if ord(c) > 0xFFFF else c for c in out)
    return out


@functools.lru_cache(maxsize=1)
def _special_chars() -> tuple[dict[str, str], frozenset[str]]:
    """Characters the byte scanner cannot fold in place.

    Returns the word characters to replace before scanning (their folded form
    has a different UTF-8 length, or they are spaces other than ' '), and the
    characters whose segments are coded the plain way instead (folding
    changes whether they count as a letter).
    """
    fold, word, _ = _fold_data()
    replace: dict[str, str] = {}
    plain: set[str] = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch, folded = chr(cp), chr(int(fold[cp]))
        if ch.isspace():
            replace[ch] = " "
        elif word[cp] != _is_word(folded):
            plain.add(ch)
        elif folded != ch and len(ch.encode()) != len(folded.encode()):
            replace[ch] = folded
    return replace, frozenset(plain)


def _scan_form(text: str) -> str:
    """Map text (a keyword or literal) into the scanner's alphabet.

    Letters and digits become the UTF-8 bytes of their folded form; every
    other character becomes as many spaces as its UTF-8 length.  The result
    is a str of code points below 256 (one per byte).
    """
    if text.isascii():
        return text.encode("ascii").translate(_ascii_table()).decode("latin-1")
    out = bytearray()
    for ch in text:
        if ch.isspace():
            out += b" "
        elif _is_word(ch):
            out += _fold_char(ch).encode("utf-8", "surrogatepass")
        else:
            out += b" " * len(ch.encode("utf-8", "surrogatepass"))
    return out.decode("latin-1")


#: Which bytes are white space (as \s): the scan replaces other spaces first.
_SPACE_BYTES = np.array([chr(b).isspace() for b in range(128)] + [False] * 128, dtype=bool)


@functools.lru_cache(maxsize=1)
def _ascii_table() -> bytes:
    table = bytearray(range(256))
    for b in range(128):
        ch = chr(b)
        table[b] = ord(ch.lower()) if _is_word(ch) else 0x20
    return bytes(table)


# --- sentences ----------------------------------------------------------------

# A sentence ends at . ! ? or an ellipsis followed by a space and anything but a
# lower-case letter (transcripts use "..." for a pause inside a sentence).
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s*$|\s+[^\sa-z])|\n+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof rev cllr sr jr vs etc eg ie e.g i.e approx dept no nos tel".split()  # noqa: SIM905
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a text into sentences, returning their ``(start, end)`` offsets.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space and
    anything but a lower-case letter, or at a line break.  Common
    abbreviations (Mr., Dr., e.g.) do not end one.
    Spaces between sentences belong to none.

    Examples
    --------
    >>> text = "It worked. Dr. Shah rang at 9pm! Then home"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['It worked.', 'Dr. Shah rang at 9pm!', 'Then home']
    """
    spans = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and match.group() == ".":
            words = text[begin : match.start()].split()
            if words and words[-1].lower().strip("(\"'") in _ABBREVIATIONS:
                continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add_span(text, begin, end, spans)
        begin = match.end()
    _add_span(text, begin, len(text), spans)
    return spans


def _add_span(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[begin:end]
    stripped = piece.strip()
    if stripped:
        left = begin + (len(piece) - len(piece.lstrip()))
        spans.append((left, left + len(stripped)))


# --- rules, compiled ---------------------------------------------------------


class _Rule:
    """One keyword or regex of a code, numbered, with its plain `re` form."""

    __slots__ = ("_compiled", "code", "index", "kind", "text")

    def __init__(self, code: int, index: int, kind: str, text: str) -> None:
        self.code, self.index, self.kind, self.text = code, index, kind, text
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        # Compiled on first use: the fast scanner needs only the regexes.
        if self._compiled is None:
            source = keyword_pattern(self.text) if self.kind == "keyword" else self.text
            self._compiled = re.compile(source, re.IGNORECASE)
        return self._compiled

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.text}"


class _Rules:
    """A codebook's rules, numbered, with their plain `re` forms."""

    def __init__(self, codebook: Codebook) -> None:
        if not isinstance(codebook, Codebook):
            raise CodingError(
                f"expected a Codebook, but found {type(codebook).__name__}",
                hint="read one with tk.read_codebook('codebook.yml'), or use project.codebook",
            )
        self.codes: list[str] = []
        self.rules: list[list[_Rule]] = []
        self.vetoes: list[list[_Rule]] = []
        for code in codebook:
            if not code.has_rules:
                continue
            c = len(self.codes)
            self.codes.append(code.code)
            self.rules.append(_rules_of(code, c))
            self.vetoes.append([_Rule(c, -1, "keyword", normalise_keyword(v)) for v in code.veto])

    @property
    def labels(self) -> list[list[str]]:
        return [[r.label for r in rules] for rules in self.rules]


def _rules_of(code: Code, c: int) -> list[_Rule]:
    rules = []
    for keyword in code.keywords:
        rules.append(_Rule(c, len(rules), "keyword", normalise_keyword(keyword)))
    for pattern in code.regex:
        rules.append(_Rule(c, len(rules), "regex", pattern))
    return rules


# --- the plain way: one `re` search per rule per segment ------------------------


def _plain_matches(rules: _Rules, seg: int, text: str) -> Iterable[tuple[int, ...]]:
    """Yield ``(seg, code, rule, start, end)`` for one segment, the plain way."""
    for c, code_rules in enumerate(rules.rules):
        if any(veto.compiled.search(text) for veto in rules.vetoes[c]):
            continue
        for rule in code_rules:
            for match in rule.compiled.finditer(text):
                yield seg, c, rule.index, match.start(), match.end()


# --- the fast way: one scan for all rules -------------------------------------


class _Scanner:
    """An Aho-Corasick automaton over every keyword, veto and regex literal."""

    KEYWORD, VETO, LITERAL = 0, 1, 2

    def __init__(self, rules: _Rules) -> None:
        self.rules = rules
        _, plain_chars = _special_chars()
        patterns: dict[str, int] = {}
        entries: list[list[tuple]] = []
        # Rules the scanner cannot express exactly are run the plain way on
        # every segment: regexes with no fixed text, and the rare keywords
        # holding a character whose folding changes whether it is a letter.
        self.slow: set[tuple[int, int]] = set()
        self.slow_vetoes: set[int] = set()

        def add(form: str, entry: tuple) -> None:
            pid = patterns.setdefault(form, len(patterns))
            if pid == len(entries):
                entries.append([])
            entries[pid].append(entry)

        for c, code_rules in enumerate(rules.rules):
            keywords = [(r.index, r.text, self.KEYWORD) for r in code_rules if r.kind == "keyword"]
            keywords += [(-1, v.text, self.VETO) for v in rules.vetoes[c]]
            for index, text, kind in keywords:
                if any(ch in plain_chars for ch in text):
                    if kind == self.VETO:
                        self.slow_vetoes.add(c)
                    else:
                        self.slow.add((c, index))
                    continue
                wildcard = text.endswith("*")
                stem = text[:-1] if wildcard else text
                form = " " + _scan_form(stem) + ("" if wildcard else " ")
                # Phrases of words and single spaces are checked with arrays (each
                # gap must be a space, tab or line break); other punctuation in a
                # keyword is checked one match at a time.
                spaces = [i for i, ch in enumerate(stem) if not _is_word(ch)]
                phrase = all(stem[i] == " " for i in spaces)
                verify = 0 if not spaces else (1 if phrase else 2)
                gaps = [len(_scan_form(stem[:i]).encode("latin-1")) for i in spaces]
                entry = (c, index, kind, wildcard, verify, _fold_text(stem), len(stem), gaps)
                add(form, entry)
            for rule in code_rules:
                if rule.kind != "regex":
                    continue
                literals = _required_literals(rule.text)
                if literals is None or any(ch in plain_chars for lit in literals for ch in lit):
                    self.slow.add((c, rule.index))
                    continue
                for literal in literals:
                    add(_scan_form(literal), (c, rule.index, self.LITERAL, False, 0, "", 0, []))
        self.automaton = _Automaton([f.encode("latin-1") for f in patterns]) if patterns else None
        self.lengths = np.array([len(f) for f in patterns], dtype=np.int64)
        flat = [(pid, *e) for pid, es in enumerate(entries) for e in es]
        counts = np.array([len(es) for es in entries], dtype=np.int64)
        self.first = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
        self.counts = counts
        self.e_pid = np.array([e[0] for e in flat], dtype=np.int64)
        self.e_code = np.array([e[1] for e in flat], dtype=np.int64)
        self.e_rule = np.array([e[2] for e in flat], dtype=np.int64)
        self.e_kind = np.array([e[3] for e in flat], dtype=np.int8)
        self.e_wild = np.array([e[4] for e in flat], dtype=bool)
        self.e_verify = np.array([e[5] for e in flat], dtype=np.int8)
        self.e_stem = [e[6] for e in flat]
        self.e_stemlen = np.array([e[7] for e in flat], dtype=np.int64)
        gaps = [e[8] for e in flat]
        self.e_gap_count = np.array([len(g) for g in gaps], dtype=np.int64)
        self.e_gap_first = np.concatenate([[0], np.cumsum(self.e_gap_count)[:-1]]).astype(np.int64)
        self.gap_offsets = np.array([g for gs in gaps for g in gs], dtype=np.int64)

    def scan(self, texts: list[str], first_seg: int) -> tuple[list[np.ndarray], set[int]]:
        """Scan a chunk of segments; return match columns and segments to do the plain way."""
        rules = self.rules
        replace, plain_chars = _special_chars()
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate([[1], 1 + np.cumsum(lengths + 1)[:-1]]) if len(texts) else lengths
        plain_segs: set[int] = set()
        raw = _utf8_chunk(texts)
        data = np.frombuffer(raw, dtype=np.uint8)
        cont = None
        cps, leads, sizes = _code_points(data)
        if len(cps):
            present = set(np.unique(cps).tolist())
            swaps = [(chr(cp), replace[chr(cp)]) for cp in present if chr(cp) in replace]
            for cp in present:
                if chr(cp) in plain_chars:
                    where = _cp_offsets(leads[cps == cp], data)
                    idx = np.searchsorted(starts, where, side="right") - 1
                    plain_segs.update((first_seg + idx[idx >= 0]).tolist())
            if swaps:
                # Rare: spaces other than ' ', or letters whose folded form is longer.
                scan_text = "\x00" + "\x00".join(texts) + "\x00"
                for old, new in swaps:
                    scan_text = scan_text.replace(old, new)
                raw = scan_text.encode("utf-8", "surrogatepass")
                data = np.frombuffer(raw, dtype=np.uint8)
                cps, leads, sizes = _code_points(data) if not scan_text.isascii() else (None,) * 3
            folded = raw.translate(_ascii_table())
            if cps is not None and len(cps):
                array = np.frombuffer(folded, dtype=np.uint8).copy()
                _fold_in_place(array, cps, leads, sizes)
                folded = array.tobytes()
                del array
                # Continuation bytes (to turn byte offsets into character offsets).
                cont = np.sort(np.concatenate([leads[sizes > j] + j for j in (1, 2, 3)]))
        else:
            folded = raw.translate(_ascii_table())
        del raw

        columns: list[np.ndarray] = []
        vetoed: set[tuple[int, int]] = set()
        candidates: set[tuple[int, int, int]] = set()
        if self.automaton is not None:
            hits = self.automaton.hits(folded)
            if len(hits):
                columns, vetoed, candidates = self._resolve(
                    hits, folded, data, cont, starts, lengths, texts, first_seg
                )
        # Regexes: run on the segments where their literal was found.
        extra = []
        for seg, c, r in sorted(candidates):
            rule = rules.rules[c][r]
            text = texts[seg - first_seg]
            for m in rule.compiled.finditer(text):
                extra.append((seg, c, r, m.start(), m.end()))
        # Rules the scanner cannot express, on every segment.
        if self.slow or self.slow_vetoes:
            for i, text in enumerate(texts):
                seg = first_seg + i
                for c, r in self.slow:
                    for m in rules.rules[c][r].compiled.finditer(text):
                        extra.append((seg, c, r, m.start(), m.end()))
                for c in self.slow_vetoes:
                    if any(v.compiled.search(text) for v in rules.vetoes[c]):
                        vetoed.add((seg, c))
        if extra:
            more = np.array(extra, dtype=np.int64).T
            if columns:
                columns = [np.concatenate([a, b]) for a, b in zip(columns, more, strict=True)]
            else:
                columns = list(more)
        if columns and vetoed:
            keys = columns[0] * (len(rules.codes) + 1) + columns[1]
            drop = np.array([s * (len(rules.codes) + 1) + c for s, c in vetoed], dtype=np.int64)
            keep = ~np.isin(keys, drop)
            columns = [col[keep] for col in columns]
        if columns and plain_segs:
            keep = ~np.isin(columns[0], np.array(sorted(plain_segs), dtype=np.int64))
            columns = [col[keep] for col in columns]
        return columns, plain_segs

    def _resolve(self, hits, folded, data, cont, starts, lengths, texts, first_seg):
        """Turn automaton hits into matches, vetoes and regex candidates."""
        end_byte, pid = hits[:, 0], hits[:, 1]
        reps = self.counts[pid]
        end_byte = np.repeat(end_byte, reps)
        entry = np.repeat(self.first[pid], reps) + _ranks(reps)
        kind = self.e_kind[entry]
        plen = self.lengths[self.e_pid[entry]]
        begin = end_byte - plen + 1
        is_literal = kind == self.LITERAL
        # Keywords: the pattern has a space before the word; and after it unless wildcard.
        k_begin = np.where(is_literal, begin, begin + 1)
        wild = self.e_wild[entry]
        k_end = np.where(wild, end_byte + 1, end_byte)
        if wild.any():
            # A wildcard runs on to the end of the word: the next space.
            find = folded.find
            k_end[wild] = [find(b" ", at) for at in k_end[wild].tolist()]
        verify = self.e_verify[entry]
        gapped = np.flatnonzero(verify == 1)
        gaps_ok = np.ones(len(entry), dtype=bool)
        if len(gapped):
            # In the scan every non-letter is a space; in the text each gap of a
            # phrase must really be white space, as \s in the plain pattern.
            counts = self.e_gap_count[entry[gapped]]
            where = (
                np.repeat(k_begin[gapped], counts)
                + self.gap_offsets[
                    np.repeat(self.e_gap_first[entry[gapped]], counts) + _ranks(counts)
                ]
            )
            good = _SPACE_BYTES[data[where]]
            gaps_ok[gapped] = np.logical_and.reduceat(good, np.cumsum(counts) - counts)
        if cont is not None:
            k_begin = k_begin - np.searchsorted(cont, k_begin)
            k_end = k_end - np.searchsorted(cont, k_end)
        seg = np.searchsorted(starts, k_begin, side="right") - 1
        ok = seg >= 0
        seg = np.maximum(seg, 0)
        ms = k_begin - starts[seg]
        me = k_end - starts[seg]
        ok &= (ms >= 0) & (me <= lengths[seg]) & gaps_ok
        code = self.e_code[entry]
        rule = self.e_rule[entry]
        for i in np.flatnonzero((verify == 2) & ok):
            e = entry[i]
            text = texts[seg[i]]
            piece = text[ms[i] : ms[i] + self.e_stemlen[e]]
            if _fold_text(piece) != self.e_stem[e]:
                ok[i] = False
        seg = seg + first_seg
        vetoed = set()
        v = ok & (kind == self.VETO)
        if v.any():
            vetoed = set(zip(seg[v].tolist(), code[v].tolist(), strict=True))
        candidates = set()
        lit = ok & is_literal
        if lit.any():
            candidates = set(
                zip(seg[lit].tolist(), code[lit].tolist(), rule[lit].tolist(), strict=True)
            )
        keep = ok & (kind == self.KEYWORD)
        columns = [seg[keep], code[keep], rule[keep], ms[keep], me[keep]]
        n_rules = max(len(r) for r in self.rules.rules) + 1
        return _non_overlapping(columns, len(self.rules.codes), n_rules), vetoed, candidates


def _utf8_chunk(texts: list[str]) -> bytes:
    """Return the texts as UTF-8, each between NUL bytes (encoding each text is fastest)."""
    try:
        body = b"\x00".join(map(str.encode, texts))
    except UnicodeEncodeError:  # a lone surrogate, from a badly decoded file
        body = b"\x00".join(t.encode("utf-8", "surrogatepass") for t in texts)
    return b"\x00" + body + b"\x00"


class _Automaton:
    """A multi-pattern matcher over bytes: every occurrence of every pattern, overlaps too.

    Uses ahocorasick-rs (a compiled DFA, several times faster on large
    codebooks, measured in benchmarks/bench_autocode.py) and falls back to
    pyahocorasick where it is not installed.
    """

    def __init__(self, patterns: list[bytes]) -> None:
        self.engine = _ENGINE
        if self.engine == "ahocorasick-rs":
            import ahocorasick_rs

            # The DFA is fastest; its size grows with the patterns, so very
            # large codebooks use the compact automaton instead.
            big = sum(map(len, patterns)) > 500_000
            kind = ahocorasick_rs.Implementation
            self._rs = ahocorasick_rs.BytesAhoCorasick(
                patterns, implementation=kind.ContiguousNFA if big else kind.DFA
            )
        else:
            import ahocorasick

            self._py = ahocorasick.Automaton()
            for pid, pattern in enumerate(patterns):
                self._py.add_word(pattern.decode("latin-1"), pid)
            self._py.make_automaton()

    def hits(self, data: bytes) -> np.ndarray:
        """Return ``(last byte offset, pattern number)`` rows for every occurrence."""
        if self.engine == "ahocorasick-rs":
            found = self._rs.find_matches_as_indexes(data, overlapping=True)
            flat = np.fromiter(
                itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found)
            ).reshape(-1, 3)
            return np.column_stack([flat[:, 2] - 1, flat[:, 0]])
        text = data.decode("latin-1")
        flat = np.fromiter(itertools.chain.from_iterable(self._py.iter(text)), dtype=np.int64)
        return flat.reshape(-1, 2)


def _default_engine() -> str:
    try:
        import ahocorasick_rs  # noqa: F401
    except ImportError:  # pragma: no cover - an optional speed-up
        return "pyahocorasick"
    return "ahocorasick-rs"


#: The multi-pattern engine autocode uses ("ahocorasick-rs" or "pyahocorasick").
_ENGINE = _default_engine()


def _ranks(counts: np.ndarray) -> np.ndarray:
    """Return 0..n-1 within each run of a repeat (for expanding CSR entries)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets


def _sort_order(keys: list[np.ndarray]) -> np.ndarray:
    """Return the order that sorts rows by `keys` (first key most significant), stably.

    Non-negative keys are packed into one 64-bit number when they fit (one
    argsort is much faster than numpy's lexsort); otherwise lexsort is used.
    """
    if len(keys) > 1 and all(len(k) for k in keys):
        spans = [int(k.max()) + 1 for k in keys]
        total = 1
        for span in spans:
            total *= span
        if total < 2**62 and all(int(k.min()) >= 0 for k in keys):
            packed = np.zeros(len(keys[0]), dtype=np.int64)
            for key, span in zip(keys, spans, strict=True):
                packed *= span
                packed += key
            return np.argsort(packed, kind="stable")
    return np.lexsort(list(reversed(keys)))


def _non_overlapping(columns: list[np.ndarray], n_codes: int, n_rules: int) -> list[np.ndarray]:
    """Drop matches of a rule that overlap its earlier match, as `re.finditer` does."""
    seg, code, rule, ms, me = columns
    if len(seg) < 2:
        return columns
    key = (seg * n_codes + code) * n_rules + rule
    # The same rule at the same start always ends at the same place: no need to sort by end.
    order = _sort_order([key, ms])
    key, seg, code, rule, ms, me = (a[order] for a in (key, seg, code, rule, ms, me))
    same = key[1:] == key[:-1]
    # The same occurrence found twice (a pattern shared by two entries) counts once.
    dup = same & (ms[1:] == ms[:-1]) & (me[1:] == me[:-1])
    if dup.any():
        keep = np.concatenate([[True], ~dup])
        key, seg, code, rule, ms, me = (a[keep] for a in (key, seg, code, rule, ms, me))
        same = key[1:] == key[:-1]
    clash = same & (ms[1:] < me[:-1])
    if not clash.any():
        return [seg, code, rule, ms, me]
    # Rare (a phrase that overlaps itself, such as "ha ha"): walk the rows in order.
    keep = np.ones(len(seg), dtype=bool)
    last_end = -1
    for i in range(len(seg)):
        if i and same[i - 1] and ms[i] < last_end:
            keep[i] = False
            continue
        last_end = me[i]
    return [a[keep] for a in (seg, code, rule, ms, me)]


def _code_points(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _cp_offsets(byte_offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    cont = np.flatnonzero((data & 0xC0) == 0x80)
    return byte_offsets - np.searchsorted(cont, byte_offsets)


def _fold_in_place(folded: np.ndarray, cps: np.ndarray, leads: np.ndarray, sizes: np.ndarray):
    """Fold the non-ASCII characters of a byte array: letters folded, others to spaces."""
    fold, word, _ = _fold_data()
    bmp = cps < 0x10000
    is_word = np.zeros(len(cps), dtype=bool)
    target = cps.copy()
    is_word[bmp] = word[cps[bmp]]
    target[bmp] = fold[cps[bmp]]
    for i in np.flatnonzero(~bmp):
        ch = chr(int(cps[i]))
        is_word[i] = _is_word(ch)
        target[i] = ord(_fold_char(ch))
    for size in (2, 3, 4):
        sel = sizes == size
        blank = sel & ~is_word
        for j in range(size):
            folded[leads[blank] + j] = 0x20
        change = sel & is_word & (target != cps)
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


def _required_literals(pattern: str) -> list[str] | None:
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
    if any(not any(_is_word(ch) for ch in lit) for lit in found):
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
    options = [o for o in options if all(any(_is_word(ch) for ch in lit) for lit in o)]
    if not options:
        return None
    # The most selective choice: the longest shortest literal, then the fewest.
    return max(options, key=lambda o: (min(len(x) for x in o), -len(o)))


# --- from matches to codings --------------------------------------------------


def _check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(segments, pd.DataFrame):
        raise CodingError(
            f"expected a segments table (a DataFrame), but found {type(segments).__name__}",
            hint="pass project.segments, or the table tk.read_transcripts(path) returns",
        )
    missing = [c for c in ("interview_id", "segment_id", "start", "text") if c not in segments]
    if missing:
        raise CodingError(
            f"expected a segments table with the columns interview_id, segment_id, start and "
            f"text, but {', '.join(map(repr, missing))} is missing",
            hint="pass project.segments, or the table tk.read_transcripts(path) returns",
        )
    return segments


def _texts(segments: pd.DataFrame, a: int = 0, b: int | None = None) -> list[str]:
    values = segments["text"].iloc[a:b].tolist()
    return [v if isinstance(v, str) else ("" if _missing(v) else str(v)) for v in values]


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _first_of_groups(keys: list[np.ndarray], order_by: list[np.ndarray]) -> np.ndarray:
    """Return the positions of the first row of each group of `keys`, ordered by `order_by`.

    Rows are sorted by the keys and then by `order_by` (numpy's lexsort takes
    its keys last-first); the first row of each run of equal keys is kept, so
    the result is in the order of the keys.
    """
    order = _sort_order([*keys, *order_by])
    if not len(order):
        return order
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        k = key[order]
        same &= k[1:] == k[:-1]
    return order[np.concatenate([[True], ~same])]


def _codings_from_matches(
    segments: pd.DataFrame,
    rules: _Rules,
    columns: list[np.ndarray],
    unit: str,
    texts: list[str] | None = None,
) -> pd.DataFrame:
    """Build the codings table from matches ``(seg, code, rule, start, end)`` in segment offsets."""
    if not columns or not len(columns[0]):
        return empty_codings()
    texts = _texts(segments) if texts is None else texts
    # 32-bit numbers (segments, codes, rules, offsets in a segment) halve the memory.
    seg, c, r, ms, me = (np.asarray(col).astype(np.int32) for col in columns)
    columns.clear()  # the caller's list: let its arrays go as soon as they are replaced
    # One row per unit and code: the earliest match (then the first rule) stands for it.
    n_codes = len(rules.codes)
    unit_code = seg.astype(np.int64) * n_codes + c
    if unit == "match":
        keep = _first_of_groups([unit_code, ms, me], [r])
        us, ue = ms[keep], me[keep]
    elif unit == "segment":
        # Grouped by segment and code: already in the table's order.
        keep = _first_of_groups([unit_code], [ms, r])
        lengths = np.fromiter(map(len, texts), dtype=np.int32, count=len(texts))
        us, ue = np.zeros(len(keep), dtype=np.int32), lengths[seg[keep]]
    else:
        cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        first, last = [], []
        for k, at in zip(seg.tolist(), ms.tolist(), strict=True):
            found = cache.get(k)
            if found is None:
                spans = sentence_spans(texts[k]) or [(0, 0)]
                found = cache[k] = ([a for a, _ in spans], spans)
            index = max(0, bisect.bisect_right(found[0], at) - 1)
            first.append(found[1][index][0])
            last.append(found[1][index][1])
        sentence_start = np.array(first, dtype=np.int32)
        sentence_end = np.array(last, dtype=np.int32)
        keep = _first_of_groups([seg, sentence_start, c], [ms, r])
        us, ue = sentence_start[keep], sentence_end[keep]
    del unit_code
    seg, c, r, ms, me = seg[keep], c[keep], r[keep], ms[keep], me[keep]
    del keep
    if unit != "segment":
        order = _sort_order([seg, us, c, ue])
        seg, c, r, ms, me, us, ue = (a[order] for a in (seg, c, r, ms, me, us, ue))
    base = pd.to_numeric(segments["start"], errors="coerce").fillna(0).astype(np.int64).to_numpy()
    seg_base = base[seg]
    labels = [label for code_labels in rules.labels for label in code_labels]
    first_label = np.cumsum([0] + [len(x) for x in rules.labels[:-1]])
    spaced_rules = np.array(
        [rule.kind == "regex" or " " in rule.text for code in rules.rules for rule in code],
        dtype=bool,
    )
    memo = _memos(texts, seg, ms, me, seg_base, spaced_rules[first_label[c] + r])
    rows = len(seg)
    return pd.DataFrame(
        {
            "interview_id": pd.array(segments["interview_id"].to_numpy()[seg], dtype="str"),
            "segment_id": segments["segment_id"].to_numpy()[seg],
            "start": seg_base + us.astype(np.int64),
            "end": seg_base + ue.astype(np.int64),
            "code": pd.array(np.array(rules.codes, dtype=object)[c], dtype="str"),
            # A list of one repeated string: one object, not one per row.
            "coder": pd.array([RULE_CODER] * rows, dtype="str"),
            "method": pd.array(["rule"] * rows, dtype="str"),
            "memo": pd.array(memo, dtype="str"),
            "rule": pd.array(np.array(labels, dtype=object)[first_label[c] + r], dtype="str"),
        }
    )


def _memos(
    texts: list[str],
    seg: np.ndarray,
    ms: np.ndarray,
    me: np.ndarray,
    base: np.ndarray,
    spaced: np.ndarray,
) -> list[str]:
    """Return 'matched "words" at start-end' for each row, on one line and not too long.

    Only matches of rules that can span a space (`spaced`: phrases and
    regexes) can hold a line break or a tab, so only those are checked.
    """
    memos: list[str] = []
    # In batches: lists of Python numbers cost far more memory than numpy arrays.
    for a in range(0, len(seg), 1 << 15):
        b = a + (1 << 15)
        starts, ends = (base[a:b] + ms[a:b]).tolist(), (base[a:b] + me[a:b]).tolist()
        rows = zip(seg[a:b].tolist(), ms[a:b].tolist(), me[a:b].tolist(), starts, ends, strict=True)
        memos += [f'matched "{texts[s][x:y]}" at {u}-{v}' for s, x, y, u, v in rows]
    for i in np.flatnonzero(spaced | (me - ms > 80)).tolist():
        words = texts[seg[i]][ms[i] : me[i]]
        if len(words) > 80 or not words.isprintable():
            words = " ".join(words.split())
            words = words[:77] + "..." if len(words) > 80 else words
            memos[i] = f'matched "{words}" at {base[i] + ms[i]}-{base[i] + me[i]}'
    return memos


def empty_codings() -> pd.DataFrame:
    """Return a codings table with no rows (the right columns and types)."""
    return pd.DataFrame(
        {
            "interview_id": pd.Series(dtype="str"),
            "segment_id": pd.Series(dtype="int64"),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "code": pd.Series(dtype="str"),
            "coder": pd.Series(dtype="str"),
            "method": pd.Series(dtype="str"),
            "memo": pd.Series(dtype="str"),
            "rule": pd.Series(dtype="str"),
        }
    )


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise CodingError(
            f"expected unit to be one of {', '.join(map(repr, UNITS))}, but found {unit!r}",
            hint="use unit='segment' (whole turns), 'sentence' or 'match' (the matched words)",
        )


def _chunk_ends(lengths: np.ndarray) -> list[int]:
    """Return where each chunk of about `_CHUNK_CHARS` characters of segments ends."""
    ends, total = [], 0
    for i, length in enumerate(lengths.tolist()):
        total += length + 1
        if total >= _CHUNK_CHARS:
            ends.append(i + 1)
            total = 0
    if not ends or ends[-1] != len(lengths):
        ends.append(len(lengths))
    return ends


def _progress_bar(total: int, progress: bool | None, what: str):
    from tqdm.auto import tqdm

    show = total > 20_000_000 if progress is None else bool(progress)
    return tqdm(total=total, unit="char", unit_scale=True, desc=what, disable=not show, leave=False)


def autocode(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    unit: str = "segment",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Code segments with the codebook's keyword and regex rules.

    Parameters
    ----------
    segments
        The segments table (``interview_id, segment_id, start, text`` at least).
    codebook
        A :class:`~toolkit.codebook.Codebook`; codes without rules are skipped.
    unit
        What a coding covers: ``"segment"`` (the whole speaker turn, the
        default), ``"sentence"`` (the sentence the match starts in) or
        ``"match"`` (just the matched words).
    progress
        Show a progress bar; by default only for corpora over 20 million
        characters.

    Returns
    -------
    pandas.DataFrame
        The codings table, one row per code per unit, with ``coder="rules"``,
        ``method="rule"``, the first rule that matched in ``rule`` and the
        matched text with its offsets in ``memo``.

    Notes
    -----
    Matching follows the plain ``re`` semantics exactly (see
    :func:`autocode_reference`): keywords are whole words, case-insensitive;
    a ``not`` phrase anywhere in a segment vetoes the code there.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> segments = pd.DataFrame({"interview_id": ["int01"] * 2, "segment_id": [1, 2],
    ...     "start": [0, 40], "text": ["I was proudest when we went the extra mile.",
    ...                               "I am not proud of the paperwork."]})
    >>> book = tk.Codebook([{"code": "peak", "keywords": ["proud*"],
    ...                      "regex": [r"extra mile"], "not": ["not proud"]}])
    >>> tk.autocode(segments, book)[["segment_id", "code", "rule", "memo"]]
       segment_id  code           rule                     memo
    0           1  peak  keyword: proud*  matched "proudest" at 6-14
    """
    _check_segments(segments)
    _check_unit(unit)
    rules = _Rules(codebook)
    if not rules.codes or segments.empty:
        return empty_codings()
    segments = segments.reset_index(drop=True)
    scanner = _Scanner(rules)
    all_texts = _texts(segments)
    lengths = np.fromiter(map(len, all_texts), dtype=np.int64, count=len(all_texts))
    parts: list[list[np.ndarray]] = []
    plain: set[int] = set()
    with _progress_bar(int(lengths.sum()), progress, "Coding by rules") as bar:
        a = 0
        for b in _chunk_ends(lengths):
            texts = all_texts[a:b]
            columns, plain_here = scanner.scan(texts, a)
            if columns and len(columns[0]):
                parts.append(columns)
            for seg in sorted(plain_here):
                found = list(_plain_matches(rules, seg, texts[seg - a]))
                if found:
                    parts.append(list(np.array(found, dtype=np.int64).T))
            plain |= plain_here
            bar.update(int(lengths[a:b].sum()))
            a = b
    if not parts:
        return empty_codings()
    columns = [np.concatenate(cols) for cols in zip(*parts, strict=True)]
    del parts  # keep one copy of the matches in memory, not two
    return _codings_from_matches(segments, rules, columns, unit, all_texts)


def autocode_reference(
    segments: pd.DataFrame, codebook: Codebook, *, unit: str = "segment"
) -> pd.DataFrame:
    """Code segments with the codebook's rules the plain way: one ``re`` search per rule.

    This is the definition :func:`autocode` must agree with, kept for tests
    and the benchmark.  Each keyword stands for the regular expression
    :func:`toolkit.codebook.keyword_pattern` gives; each rule is searched
    with ``re.finditer`` in each segment's text, case-insensitively; a code
    whose ``not`` phrase occurs in a segment is skipped there.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> segments = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "start": [0],
    ...                          "text": ["Volunteers drove me home."]})
    >>> book = tk.Codebook([{"code": "help", "keywords": ["volunteer*"]}])
    >>> autocode_reference(segments, book, unit="match")[["start", "end", "code"]]
       start  end  code
    0      0   10  help
    """
    _check_segments(segments)
    _check_unit(unit)
    rules = _Rules(codebook)
    if not rules.codes or segments.empty:
        return empty_codings()
    segments = segments.reset_index(drop=True)
    found = [m for i, text in enumerate(_texts(segments)) for m in _plain_matches(rules, i, text)]
    if not found:
        return empty_codings()
    columns = list(np.array(found, dtype=np.int64).T)
    return _codings_from_matches(segments, rules, columns, unit)


# --- coders' files -------------------------------------------------------------

_CODER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")
#: How many earlier versions of a coder's file are kept in ``codings/.backup/``.
BACKUPS_KEPT = 50


def _check_coder(coder: Any) -> str:
    name = str(coder).strip() if coder is not None else ""
    if not _CODER_NAME.fullmatch(name) or name.endswith("."):
        raise CodingError(
            f"expected a coder name of letters, digits, spaces, '-', '_' or '.', but found "
            f"{coder!r}",
            hint="use a short name such as 'sam' or 'nadia' (it names the file codings/<name>.csv)",
        )
    return name


def _segment_index(segments: pd.DataFrame) -> dict[tuple[str, int], tuple[int, int]]:
    """Map ``(interview_id, segment_id)`` to the segment's ``(start, end)``."""
    starts = pd.to_numeric(segments["start"], errors="coerce").fillna(0).astype(np.int64)
    if "end" in segments:
        ends = pd.to_numeric(segments["end"], errors="coerce")
        lengths = segments["text"].map(lambda t: len(t) if isinstance(t, str) else 0)
        ends = ends.fillna(starts + lengths).astype(np.int64)
    else:
        ends = starts + segments["text"].map(lambda t: len(t) if isinstance(t, str) else 0)
    ids = segments["interview_id"].astype(str).tolist()
    numbers = pd.to_numeric(segments["segment_id"], errors="coerce").fillna(-1).astype(int)
    return {
        (i, n): (s, e)
        for i, n, s, e in zip(ids, numbers.tolist(), starts.tolist(), ends.tolist(), strict=True)
    }


def _validate(
    table: pd.DataFrame,
    rows: Sequence[int],
    path: str | Path | None,
    segments: pd.DataFrame | None,
    codebook: Codebook | None,
) -> pd.DataFrame:
    """Check a codings table, filling blank offsets with the segment's; return a clean copy."""
    table = table.copy()
    known = set(codebook.codes) if codebook is not None and len(codebook) else None
    index = _segment_index(segments) if segments is not None else None
    interviews = {} if index is None else _ranges(index)
    starts, ends = table["start"].tolist(), table["end"].tolist()
    seen: dict[tuple, int] = {}
    for k, row in enumerate(rows):
        interview, number = table["interview_id"].iat[k], int(table["segment_id"].iat[k])
        code = table["code"].iat[k]
        if not interview:
            raise CodingError(
                "expected an interview_id in every row, but this one is empty",
                path=path,
                row=row,
                hint="fill in the interview's id (its file name without the extension)",
            )
        if not code:
            raise CodingError(
                "expected a code in every row, but this one is empty",
                path=path,
                row=row,
                hint="fill in the code, or delete the row",
            )
        if known is not None and code not in known:
            raise CodingError(
                f"expected a code from the codebook, but found {code!r}"
                + _did_you_mean(code, known),
                path=path,
                row=row,
                hint="correct the code's spelling, or add the code to codebook.yml",
            )
        if index is not None:
            span = index.get((interview, number))
            if span is None:
                if interview not in interviews:
                    found = f"there is no interview {interview!r}"
                    hint = "check the interview_id against the file names in interviews/"
                else:
                    low, high = interviews[interview]
                    found = f"{interview!r} has segments {low} to {high}"
                    hint = "check the segment number (the transcripts may have been re-read)"
                raise CodingError(
                    f"expected the coding to point at a segment of the project, but segment "
                    f"{number} of {interview!r} does not exist: {found}",
                    path=path,
                    row=row,
                    hint=hint,
                )
            if _missing(starts[k]):
                starts[k] = span[0]
            if _missing(ends[k]):
                ends[k] = span[1]
            if not (span[0] <= starts[k] < ends[k] <= span[1]):
                raise CodingError(
                    f"expected the coding to lie inside segment {number} of {interview!r} "
                    f"(offsets {span[0]} to {span[1]}), but it runs from {starts[k]} to {ends[k]}"
                    + (" (beyond the end of its text)" if ends[k] > span[1] else ""),
                    path=path,
                    row=row,
                    hint="check the start and end offsets, or leave them empty to code the whole "
                    "segment",
                )
        elif not _missing(starts[k]) and not _missing(ends[k]) and starts[k] >= ends[k]:
            raise CodingError(
                f"expected start before end, but found start {starts[k]} and end {ends[k]}",
                path=path,
                row=row,
                hint="swap them, or leave both empty to code the whole segment",
            )
        key = (interview, number, starts[k], ends[k], code, table["coder"].iat[k])
        if key in seen:
            raise CodingError(
                f"expected each coding once, but this row repeats row {seen[key]} "
                f"({code!r} on segment {number} of {interview!r})",
                path=path,
                row=row,
                hint="delete one of the two rows",
            )
        seen[key] = row
    if all(not _missing(v) for v in starts + ends):
        table["start"] = np.array(starts, dtype=np.int64)
        table["end"] = np.array(ends, dtype=np.int64)
    else:
        table["start"] = pd.array(starts, dtype="Int64")
        table["end"] = pd.array(ends, dtype="Int64")
    return table


def _ranges(index: dict[tuple[str, int], tuple[int, int]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for interview, number in index:
        low, high = out.get(interview, (number, number))
        out[interview] = (min(low, number), max(high, number))
    return out


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=3)
    return f" (did you mean {', '.join(map(repr, close))}?)" if close else ""


def _as_codings(table: pd.DataFrame, *, coder: str | None = None) -> pd.DataFrame:
    """Return a table with exactly the codings columns, typed, defaults filled."""
    missing = [c for c in ("interview_id", "segment_id", "code") if c not in table.columns]
    if missing:
        raise CodingError(
            f"expected a codings table with the columns interview_id, segment_id and code, but "
            f"{', '.join(map(repr, missing))} is missing",
            path=table.attrs.get("path"),
            hint="the codings columns are " + ", ".join(CODING_COLUMNS),
        )
    out = pd.DataFrame(index=range(len(table)))
    for column in ("interview_id", "code", "memo", "rule"):
        values = table[column].tolist() if column in table.columns else [""] * len(table)
        out[column] = pd.array(["" if _missing(v) else str(v).strip() for v in values], "str")
    coders = table["coder"].tolist() if "coder" in table.columns else [""] * len(table)
    fallback = coder or ""
    out["coder"] = pd.array(
        [fallback if _missing(v) or not str(v).strip() else str(v).strip() for v in coders], "str"
    )
    methods = table["method"].tolist() if "method" in table.columns else [""] * len(table)
    out["method"] = pd.array(
        ["manual" if _missing(v) or not str(v).strip() else str(v).strip() for v in methods], "str"
    )
    return out


def _numbers(table: pd.DataFrame, column: str, *, optional: bool) -> list[Any]:
    if column not in table.columns:
        return [np.nan] * len(table)
    if pd.api.types.is_integer_dtype(table[column]) and not table[column].isna().any():
        return table[column].astype(np.int64).tolist()
    values = to_numbers(
        table.assign(**{column: table[column].map(lambda v: "" if _missing(v) else str(v))}),
        column,
        low=0,
        integer=True,
        optional=optional,
    )
    return [v if np.isnan(v) else int(v) for v in values.tolist()]


def _typed(table: pd.DataFrame, *, coder: str | None = None) -> pd.DataFrame:
    base = _as_codings(table, coder=coder)
    base["segment_id"] = _numbers(table, "segment_id", optional=False)
    base["start"] = _numbers(table, "start", optional=True)
    base["end"] = _numbers(table, "end", optional=True)
    for k, method in enumerate(base["method"].tolist()):
        if method not in METHODS:
            rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
            raise CodingError(
                f"expected the method to be one of {', '.join(METHODS)}, but found {method!r}",
                path=table.attrs.get("path"),
                row=rows[k],
                hint="use 'manual' for codings made by a person",
            )
    return base[CODING_COLUMNS]


def validate_codings(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Check a codings table against the segments and the codebook; return it cleaned.

    Blank ``start``/``end`` become the whole segment's offsets.

    Raises
    ------
    CodingError
        For an unknown code, a coding pointing at a segment that does not
        exist or beyond the end of its text, or a repeated row; the message
        names the row (counting the header as row 1).

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> segments = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "start": [0],
    ...                          "end": [9], "text": ["Home safe"]})
    >>> codings = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "code": ["wish"]})
    >>> validate_codings(codings, segments)[["start", "end", "code", "method"]]
       start  end  code  method
    0      0    9  wish  manual
    """
    typed = _typed(codings)
    rows = codings.attrs.get("rows") or list(range(2, len(codings) + 2))
    return _validate(typed, rows, codings.attrs.get("path"), segments, codebook)


def read_coder_codings(
    path: str | Path,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Read one coder's file, ``codings/<coder>.csv``, and check it.

    The coder is the file's name; a ``coder`` column, if present, must agree.
    Only ``interview_id``, ``segment_id`` and ``code`` are required: blank
    ``start``/``end`` code the whole segment.

    Raises
    ------
    CodingError
        For a malformed file, an unknown code, a coding that points at a
        missing segment or past the end of its text, or a repeated row.
    """
    path = Path(path)
    coder = _check_coder(path.stem)
    table = read_table(path, ["interview_id", "segment_id", "code"], what="codings")
    typed = _typed(table, coder=coder)
    rows = table.attrs.get("rows") or []
    for row, found in zip(rows, typed["coder"].tolist(), strict=True):
        if found != coder:
            raise CodingError(
                f"expected the coder {coder!r} (from the file name) in every row, but found "
                f"{found!r}",
                path=path,
                row=row,
                hint=f"one file per coder: move {found}'s rows to codings/{found}.csv",
            )
    return _validate(typed, rows, path, segments, codebook)


def read_codings(
    folder: str | Path,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Read every coder's file in a ``codings/`` folder into one codings table.

    Parameters
    ----------
    folder
        The folder holding ``<coder>.csv`` files (hidden files and the
        ``.backup`` folder are skipped).
    segments, codebook
        When given, each coding is checked against them.

    Returns
    -------
    pandas.DataFrame
        The codings table, sorted by interview, segment, position, coder and code.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> codings = tk.read_codings(project.path / "codings", project.segments, project.codebook)
    >>> sorted(codings["coder"].unique())
    ['nadia', 'sam']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CodingError(
            "expected a folder of coders' files here, but there is none",
            path=folder,
            hint="create the folder 'codings' in the project folder",
        )
    files = sorted(p for p in folder.glob("*.csv") if not p.name.startswith("."))
    return merge_codings([read_coder_codings(p, segments, codebook) for p in files])


def merge_codings(*tables: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Put several codings tables (coders' files, rule codings) into one.

    Each row keeps its ``coder`` and ``method``, so rule codings stay apart
    from human ones.  Exact repeats are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"interview_id": ["x"], "segment_id": [1], "start": [0], "end": [4],
    ...                   "code": ["wish"], "coder": ["sam"]})
    >>> b = a.assign(coder="rules", method="rule")
    >>> merge_codings(a, b)[["coder", "method"]].to_dict("list")
    {'coder': ['rules', 'sam'], 'method': ['rule', 'manual']}
    """
    flat: list[pd.DataFrame] = []
    for item in tables:
        if isinstance(item, pd.DataFrame):
            flat.append(item)
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes):
            flat.extend(item)
        else:
            raise CodingError(
                f"expected codings tables, but found {type(item).__name__}",
                hint="pass DataFrames, e.g. merge_codings(project.codings, tk.autocode(...))",
            )
    parts = [_typed(t) if list(t.columns) != CODING_COLUMNS else t for t in flat if len(t)]
    if not parts:
        return empty_codings()
    merged = pd.concat(parts, ignore_index=True)
    for column in ("start", "end"):
        if not merged[column].isna().any():
            merged[column] = merged[column].astype(np.int64)
    merged["segment_id"] = merged["segment_id"].astype(np.int64)
    merged = merged.drop_duplicates(
        ["interview_id", "segment_id", "start", "end", "code", "coder", "method"]
    )
    merged = merged.sort_values(
        ["interview_id", "segment_id", "start", "end", "coder", "code"], kind="stable"
    )
    return merged.reset_index(drop=True)[CODING_COLUMNS]


def save_coder_codings(codings: pd.DataFrame, folder: str | Path, coder: str | None = None) -> Path:
    """Save one coder's codings to ``<folder>/<coder>.csv``, atomically, keeping a backup.

    This is the one function that writes coders' files (the coding panel
    saves through it on every click).  The file is written to a temporary
    name and renamed, so a crash leaves the old file or the new one.  If the
    file already holds more codings than the new table, the old file is
    first copied to ``<folder>/.backup/<coder>-<time>.csv`` (the latest
    :data:`BACKUPS_KEPT` are kept).

    Parameters
    ----------
    codings
        The coder's codings (all of them: the file is replaced).
    folder
        The ``codings/`` folder of the project.
    coder
        The coder's name; by default the single name in the ``coder`` column.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "start": [0],
    ...                       "end": [9], "code": ["wish"], "coder": ["sam"]})
    >>> save_coder_codings(table, folder).name
    'sam.csv'
    >>> len(read_coder_codings(folder / "sam.csv"))
    1
    """
    folder = Path(folder)
    typed = _typed(codings) if len(codings) else empty_codings()
    names = sorted(set(typed["coder"].tolist()) - {""})
    if coder is None:
        if len(names) != 1:
            raise CodingError(
                "expected the codings of one coder, but found "
                + (f"the coders {', '.join(names)}" if names else "no coder name"),
                hint="pass coder='name', or save each coder's rows separately",
            )
        coder = names[0]
    coder = _check_coder(coder)
    others = [n for n in names if n != coder]
    if others:
        raise CodingError(
            f"expected only {coder!r}'s codings, but the table also has {', '.join(others)}'s",
            hint="filter the table to one coder before saving",
        )
    typed = typed.assign(coder=coder)
    typed = typed.sort_values(["interview_id", "segment_id", "start", "end", "code"], kind="stable")
    target = folder / f"{coder}.csv"
    if target.exists():
        try:
            before = len(read_table(target, what="codings"))
        except ToolkitError:
            before = len(typed) + 1  # unreadable: keep it, whatever it holds
        if before > len(typed):
            _backup(target, folder, coder)
    folder.mkdir(parents=True, exist_ok=True)
    return write_table(typed[CODING_COLUMNS], target)


def _backup(target: Path, folder: Path, coder: str) -> Path:
    from toolkit.io.files import atomic_write

    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S-%f")
    backup = folder / ".backup" / f"{coder}-{stamp}.csv"
    atomic_write(backup, target.read_bytes())
    kept = sorted((folder / ".backup").glob(f"{coder}-*.csv"))
    for old in kept[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return backup


# --- rules against a coder ----------------------------------------------------


@dataclass
class RuleEvaluation:
    """How well a codebook's rules agree with a human coder, per code.

    Attributes
    ----------
    scores
        One row per code: ``code, rules, coder, both, precision, recall, f1``
        (counts of segments coded by the rules, by the coder and by both).
    differences
        One row per segment and code where they differ: ``interview_id,
        segment_id, code, found_by`` (``"rules only"`` or ``"coder only"``),
        ``rule`` (the rule that matched), ``speaker`` and ``text``.
    coder
        The human coder compared with.
    """

    scores: pd.DataFrame
    differences: pd.DataFrame
    coder: str

    def __repr__(self) -> str:
        return (
            f"<RuleEvaluation against {self.coder!r}: {len(self.scores)} codes, "
            f"{len(self.differences)} differences>"
        )


def evaluate_rules(
    rule_codings: pd.DataFrame,
    human_codings: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    coder: str | None = None,
    codebook: Codebook | None = None,
) -> RuleEvaluation:
    """Compare rule codings with a human coder's: precision, recall and F1 per code.

    The unit is the segment: a code counts as applied to a segment if any
    coding of it falls in the segment.  Only interviews the coder coded are
    compared, so rules are not blamed for texts nobody has coded yet.

    Parameters
    ----------
    rule_codings
        From :func:`autocode`.
    human_codings
        Codings with one or more human coders (``method`` not ``rule``).
    segments
        The segments table (for the texts of the differences).
    coder
        Which coder to compare with, if the table has several.
    codebook
        When given, only codes that have rules are scored, in codebook order.

    Returns
    -------
    RuleEvaluation
        ``scores`` per code and the ``differences`` to read when tuning rules.

    Examples
    --------
    >>> import pandas as pd
    >>> segments = pd.DataFrame({"interview_id": ["a"] * 3, "segment_id": [1, 2, 3],
    ...     "start": [0, 10, 20], "speaker": ["Jo"] * 3, "text": ["x" * 9] * 3})
    >>> rules = pd.DataFrame({"interview_id": ["a", "a"], "segment_id": [1, 2],
    ...     "code": ["wish", "wish"], "coder": "rules", "method": "rule", "rule": "keyword: x"})
    >>> human = pd.DataFrame({"interview_id": ["a", "a"], "segment_id": [1, 3],
    ...     "code": ["wish", "wish"], "coder": "sam"})
    >>> result = evaluate_rules(rules, human, segments)
    >>> result.scores[["code", "both", "precision", "recall"]]
       code  both  precision  recall
    0  wish     1        0.5     0.5
    """
    rules = _typed(rule_codings)
    humans = _typed(human_codings)
    humans = humans[humans["method"] != "rule"]
    names = sorted(set(humans["coder"].tolist()))
    if coder is None:
        if len(names) != 1:
            raise CodingError(
                "expected the codings of one human coder to compare with, but found "
                + (f"{len(names)}: {', '.join(names)}" if names else "none"),
                hint="pass coder='name' (one of them)" if names else "code some segments first",
            )
        coder = names[0]
    if coder not in names:
        raise CodingError(
            f"expected codings by {coder!r}, but the table has "
            + (", ".join(names) if names else "no human codings"),
            hint="check the coder's name (it is their file's name in codings/)",
        )
    humans = humans[humans["coder"] == coder]
    scope = set(humans["interview_id"].tolist())
    rules = rules[rules["interview_id"].isin(scope)]
    codes = sorted(set(rules["code"]) | set(humans["code"]))
    if codebook is not None:
        ruled = [c.code for c in codebook if c.has_rules]
        codes = ruled
    by_rules = rules.drop_duplicates(["interview_id", "segment_id", "code"])
    by_coder = humans.drop_duplicates(["interview_id", "segment_id", "code"])
    keys = ["interview_id", "segment_id", "code"]
    both = by_rules[[*keys, "rule"]].merge(by_coder[keys], on=keys, how="outer", indicator=True)
    both = both[both["code"].isin(codes)]
    rows = []
    for code in codes:
        part = both[both["code"] == code]["_merge"]
        tp = int((part == "both").sum())
        fp = int((part == "left_only").sum())
        fn = int((part == "right_only").sum())
        precision = tp / (tp + fp) if tp + fp else np.nan
        recall = tp / (tp + fn) if tp + fn else np.nan
        f1 = (
            2 * precision * recall / (precision + recall)
            if tp and not np.isnan(precision) and not np.isnan(recall)
            else (0.0 if tp + fp and tp + fn else np.nan)
        )
        rows.append(
            {
                "code": code,
                "rules": tp + fp,
                "coder": tp + fn,
                "both": tp,
                "precision": precision,
                "recall": recall,
                "f1": f1,
            }
        )
    scores = pd.DataFrame(
        rows, columns=["code", "rules", "coder", "both", "precision", "recall", "f1"]
    )
    diff = both[both["_merge"] != "both"].copy()
    diff["found_by"] = np.where(diff["_merge"] == "left_only", "rules only", "coder only")
    info = segments[[c for c in ("interview_id", "segment_id", "speaker", "text") if c in segments]]
    info = info.assign(segment_id=pd.to_numeric(info["segment_id"]).astype(np.int64))
    diff = diff.merge(info, on=["interview_id", "segment_id"], how="left")
    if "speaker" not in diff:
        diff["speaker"] = ""
    diff["rule"] = diff["rule"].fillna("")
    diff = diff.sort_values(["code", "interview_id", "segment_id"], kind="stable")
    columns = ["interview_id", "segment_id", "code", "found_by", "rule", "speaker", "text"]
    differences = diff[columns].reset_index(drop=True)
    return RuleEvaluation(scores=scores, differences=differences, coder=coder)
