"""The one-pass matcher: every keyword, veto and regex literal of a codebook in one scan.

:class:`Scanner` folds a chunk of segments into the scanner's alphabet (see
:mod:`toolkit.analysis.autocode.folding`), runs one Aho-Corasick automaton
over it, and turns the hits into keyword matches, vetoes, and the segments
where each regular expression could match (a word every match must contain,
:func:`~toolkit.analysis.autocode.literals.required_literals`).  Rules it
cannot express exactly are run the plain way.
"""

from __future__ import annotations

import numpy as np

from toolkit.analysis.autocode.arrays import non_overlapping, ranks
from toolkit.analysis.autocode.automaton import Automaton
from toolkit.analysis.autocode.folding import (
    SPACE_BYTES,
    ascii_table,
    fold_text,
    is_word,
    scan_form,
    special_chars,
)
from toolkit.analysis.autocode.literals import required_literals
from toolkit.analysis.autocode.ruleset import RuleSet
from toolkit.analysis.autocode.utf8 import code_points, cp_offsets, fold_in_place, utf8_chunk

__all__ = ["Scanner"]


class Scanner:
    """An Aho-Corasick automaton over every keyword, veto and regex literal."""

    KEYWORD, VETO, LITERAL = 0, 1, 2

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        _, plain_chars = special_chars()
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
                form = " " + scan_form(stem) + ("" if wildcard else " ")
                # Phrases of words and single spaces are checked with arrays (each
                # gap must be a space, tab or line break); other punctuation in a
                # keyword is checked one match at a time.
                spaces = [i for i, ch in enumerate(stem) if not is_word(ch)]
                phrase = all(stem[i] == " " for i in spaces)
                verify = 0 if not spaces else (1 if phrase else 2)
                gaps = [len(scan_form(stem[:i]).encode("latin-1")) for i in spaces]
                entry = (c, index, kind, wildcard, verify, fold_text(stem), len(stem), gaps)
                add(form, entry)
            for rule in code_rules:
                if rule.kind != "regex":
                    continue
                literals = required_literals(rule.text)
                if literals is None or any(ch in plain_chars for lit in literals for ch in lit):
                    self.slow.add((c, rule.index))
                    continue
                for literal in literals:
                    add(scan_form(literal), (c, rule.index, self.LITERAL, False, 0, "", 0, []))
        self.automaton = Automaton([f.encode("latin-1") for f in patterns]) if patterns else None
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
        replace, plain_chars = special_chars()
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate([[1], 1 + np.cumsum(lengths + 1)[:-1]]) if len(texts) else lengths
        plain_segs: set[int] = set()
        raw = utf8_chunk(texts)
        data = np.frombuffer(raw, dtype=np.uint8)
        cont = None
        cps, leads, sizes = code_points(data)
        if len(cps):
            present = set(np.unique(cps).tolist())
            swaps = [(chr(cp), replace[chr(cp)]) for cp in present if chr(cp) in replace]
            for cp in present:
                if chr(cp) in plain_chars:
                    where = cp_offsets(leads[cps == cp], data)
                    idx = np.searchsorted(starts, where, side="right") - 1
                    plain_segs.update((first_seg + idx[idx >= 0]).tolist())
            if swaps:
                # Rare: spaces other than ' ', or letters whose folded form is longer.
                scan_text = "\x00" + "\x00".join(texts) + "\x00"
                for old, new in swaps:
                    scan_text = scan_text.replace(old, new)
                raw = scan_text.encode("utf-8", "surrogatepass")
                data = np.frombuffer(raw, dtype=np.uint8)
                cps, leads, sizes = code_points(data) if not scan_text.isascii() else (None,) * 3
            folded = raw.translate(ascii_table())
            if cps is not None and len(cps):
                array = np.frombuffer(folded, dtype=np.uint8).copy()
                fold_in_place(array, cps, leads, sizes)
                folded = array.tobytes()
                del array
                # Continuation bytes (to turn byte offsets into character offsets).
                cont = np.sort(np.concatenate([leads[sizes > j] + j for j in (1, 2, 3)]))
        else:
            folded = raw.translate(ascii_table())
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
        entry = np.repeat(self.first[pid], reps) + ranks(reps)
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
                    np.repeat(self.e_gap_first[entry[gapped]], counts) + ranks(counts)
                ]
            )
            good = SPACE_BYTES[data[where]]
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
            if fold_text(piece) != self.e_stem[e]:
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
        return non_overlapping(columns, len(self.rules.codes), n_rules), vetoed, candidates
