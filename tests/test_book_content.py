"""The book's prose: glossary and citations used, headings in order, plain English."""

from __future__ import annotations

import itertools
import re

import pytest
from readability import flesch_reading_ease, prose, prose_pages

from book_pages import ROOT, toc_pages

PAGES = toc_pages()
IDS = [str(p.relative_to(ROOT)) for p in PAGES]
ALL_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)


def _glossary_terms() -> list[str]:
    text = (ROOT / "book" / "reference" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [line.strip() for line in body.splitlines() if line and not line.startswith(" ")]


def _used_terms() -> set[str]:
    used = set()
    for match in re.finditer(r"\{term\}`([^`]*)`", ALL_TEXT):
        inner = match.group(1)
        target = re.search(r"<([^>]*)>\s*$", inner)
        used.add((target.group(1) if target else inner).strip().lower())
    return used


def test_every_glossary_term_is_used():
    unused = [t for t in _glossary_terms() if t.lower() not in _used_terms()]
    assert not unused, f"glossary terms no page links to: {unused}"


def test_every_bibliography_entry_is_cited():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.MULTILINE)
    cited = set()
    for match in re.finditer(r"\{cite(?::\w+)?\}`([^`]*)`", ALL_TEXT):
        cited |= {k.strip() for k in match.group(1).split(",")}
    assert len(keys) >= 10
    assert not [k for k in keys if k not in cited], "bibliography entries never cited"
    assert not cited - set(keys), "citations with no bibliography entry"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_headings_one_title_in_order(page):
    text = re.sub(r"^(`{3,}).*?^\1\s*$", "", page.read_text("utf-8"), flags=re.S | re.M)
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) \S", text, flags=re.MULTILINE)]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_headings_in_sentence_case(page):
    for heading in re.findall(r"^#{1,6} (.+)$", page.read_text("utf-8"), flags=re.MULTILINE):
        words = re.findall(r"[A-Za-z][\w'-]*", heading)[1:]
        capitalised = [w for w in words if w[0].isupper()]
        # Proper nouns are allowed; a heading with most words capitalised is title case.
        assert len(capitalised) <= max(2, len(words) // 2), f"title case heading: {heading}"


US_SPELLINGS = re.compile(
    r"\b(organiz\w*|recogniz\w*|prioritiz\w*|behavior\w*|color(?:s|ed|ful)?|center(?:s|d)?|"
    r"favor\w*|neighbor\w*|honor\w*|labor\b|analyz\w*|pediatric\w*|catalog\b|defense\b)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_uk_spelling(page):
    found = {m.group(0) for m in US_SPELLINGS.finditer(prose(page.read_text("utf-8")))}
    assert not found, f"US spellings: {sorted(found)}"


@pytest.mark.parametrize(
    "page", prose_pages(), ids=[str(p.relative_to(ROOT)) for p in prose_pages()]
)
def test_guidance_reads_plainly(page):
    text = prose(page.read_text(encoding="utf-8"))
    if len(text.split()) < 150:
        pytest.skip("too short to score")
    assert flesch_reading_ease(text) >= 50


def test_practice_pages_say_the_sample_is_fictional():
    for page in PAGES:
        if "book/practice" in page.as_posix():
            assert "fictional" in page.read_text("utf-8").lower(), page


def test_reading_ease_score_is_sensible():
    easy = "The cat sat on the mat. We had tea. It was good."
    hard = (
        "Organisational interdependencies necessitate comprehensive multidisciplinary "
        "reconfiguration of institutional accountability infrastructures."
    )
    assert flesch_reading_ease(easy) > 90 > 0 > flesch_reading_ease(hard)
