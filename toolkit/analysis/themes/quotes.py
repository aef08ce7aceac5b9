"""Quotes: exemplar quotes for each code or theme, and one quote per row for chart tooltips.

Quotes come from the segments as they are, so a pseudonymised project's
quotes are pseudonymised.  Each quote is signed with the person's id or
pseudonym and group (``"P3, carer"``: see :func:`toolkit.model.naming.attribution`),
never with a name or a speaker label that is a name, unless names are asked
for (``show_names=True``).  As a safety net, any participant's full name or
surname (the ``name`` column of the participants table), and any speaker
label that may be a name, is replaced by ``[name]`` in a quote's text.

Examples
--------
>>> mask_names("Thanks to Grace Mensah and Mr Mensah.", ["Grace Mensah"])
'Thanks to [name] and Mr [name].'
>>> shorten("It went well. Then the lift broke again.", 20)
'It went well.'
"""

from __future__ import annotations

import functools
import re
import weakref
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.cleaning import clean_text
from toolkit.analysis.themes.counting import finish, in_codebook_order
from toolkit.analysis.themes.options import PARAMETERS, of_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.docstrings import documented
from toolkit.model.naming import attribution, name_words
from toolkit.renamed import renamed_keywords

__all__ = [
    "best_quote",
    "exemplar_quotes",
    "full_names",
    "mask_names",
    "quote_names",
    "quote_sources",
    "quote_texts",
    "safe_speakers",
    "scored_spans",
    "shorten",
    "with_quotes",
]

# Quotes between these lengths (in characters) read well on a slide or a page.
_QUOTE_MIN, _QUOTE_MAX = 60, 220


def shorten(text: str, limit: int) -> str:
    """Cut a quote at a sentence end (or a word) before `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", cut)]
    if ends and ends[-1] >= limit * 0.5:
        return cut[: ends[-1]]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.5 else cut).rstrip(" ,;:-") + "…"


def full_names(participants: pd.DataFrame | None) -> list[str]:
    """Return the participants' names, longest first (for :func:`mask_names`)."""
    if participants is None or "name" not in participants.columns:
        return []
    names = clean_text(participants["name"]).unique()
    return sorted({n for n in names if n}, key=len, reverse=True)


def mask_names(text: str, names: list[str]) -> str:
    """Replace each full name, and each surname, in `text` by ``[name]``.

    A name of one word (a first name) is matched only as written, with its
    capital, so "Will" is masked but "will" is not.
    """
    # A safety net: a participant's full name (or surname) never reaches a quote.
    if not names:
        return text
    anycase, exact = _name_patterns(tuple(names))
    if anycase is not None:
        text = anycase.sub("[name]", text)
    if exact is not None:
        text = exact.sub("[name]", text)
    return text


@functools.lru_cache(maxsize=64)
def _name_patterns(names: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """Return one pattern for full names and surnames (any case), one for first names."""
    parts: set[str] = set()
    single: set[str] = set()
    for name in names:
        if len(name.split()) == 1:
            single.add(name)
        else:
            parts |= {name, *(p for p in name.split()[1:] if len(p) > 2)}

    def alternation(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    anycase = (
        re.compile(rf"(?<![\w\[])(?:{alternation(parts)})\b", re.IGNORECASE) if parts else None
    )
    exact = re.compile(rf"(?<![\w\[])(?:{alternation(single)})\b") if single else None
    return anycase, exact


def safe_speakers(labels: pd.Series, names: list[str]) -> pd.Series:
    """Return speaker labels where one holding a full name or surname keeps its first word."""
    if not names:
        return labels
    parts = {p.lower() for n in names for p in [n, *n.split()[1:]] if len(p) > 2}

    def safe(label: str) -> str:
        words = str(label).split()
        lowered = str(label).lower()
        if len(words) > 1 and (lowered in parts or any(w.lower() in parts for w in words[1:])):
            return words[0]
        return str(label)

    return labels.map(safe)


# The names of the last few segments tables, found once: every theme table's quotes need
# them, and finding them reads every speaker label (slow on 250,000 survey answers).  A
# table is known by its identity, checked through a weak reference (ids are reused).
_NAMES: dict[tuple[int, int, bool], tuple[Any, Any, list[str]]] = {}


def quote_names(data: PreparedThemes) -> list[str]:
    """Return the names to mask in quotes: participants' names, and name-like speaker labels.

    With ``show_names``, only participants' full names and surnames (the
    old safety net); otherwise every speaker label that may be a name too.
    """
    key = (id(data.segments), id(data.participants), bool(data.show_names))
    found = _NAMES.get(key)
    if found is None or found[0]() is not data.segments or found[1]() is not data.participants:
        refs = [weakref.ref(t) if t is not None else (lambda: None) for t in
                (data.segments, data.participants)]  # fmt: skip
        found = (*refs, _quote_names(data))
        _NAMES[key] = found
        while len(_NAMES) > 8:
            del _NAMES[next(iter(_NAMES))]
    return list(found[2])


def _quote_names(data: PreparedThemes) -> list[str]:
    if data.show_names:
        return full_names(data.participants)
    words = set(name_words(data.participants, data.segments["speaker"]))
    # First names too: people call each other by them ("Thanks, Tom").
    words |= {w.split()[0] for w in words if len(w.split()) > 1 and len(w.split()[0]) > 2}
    return sorted(words, key=len, reverse=True)


def scored_spans(coded: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return each distinct coded span (``_row, span_start, span_end, <keys>``) with its score.

    ``coders`` is how many coders coded it, and ``_score`` how far its length
    is from one that reads well on a slide or a page (60 to 220
    characters): lower reads better as a quote.
    """
    spans = coded.groupby(
        ["_row", "span_start", "span_end", *keys], as_index=False, sort=False, dropna=False
    ).agg(coders=("coder", "nunique"))
    length = spans["span_end"] - spans["span_start"]
    spans["_score"] = np.where(
        length < _QUOTE_MIN,
        (_QUOTE_MIN - length) * 3,
        np.where(length > _QUOTE_MAX, (length - _QUOTE_MAX) * 0.5, 0),
    )
    return spans


def _candidates(data: PreparedThemes, keys: list[str]) -> pd.DataFrame:
    """Return coded spans by participants with a score: lower reads better as a quote.

    Interviewers' turns (unless kept) and unlabelled notes are never quoted.
    Worked out once per prepared data and `keys` (a report asks several
    times); callers take copies and never change the table.
    """
    name = ("quote candidates", *keys)
    if name not in data.derived:
        data.derived[name] = _scored_candidates(data, keys)
    return data.derived[name]


def _scored_candidates(data: PreparedThemes, keys: list[str]) -> pd.DataFrame:
    spans = scored_spans(data.coded[data.coded["person"]], keys)
    # Prefer quotes of a readable length, then ones more coders agreed on; the
    # interview and segment order makes the choice repeatable.
    segs = data.segments
    rows = spans["_row"].to_numpy()
    spans["_rank"] = segs["_rank"].to_numpy()[rows]
    spans["_person"] = segs["_pid"].to_numpy()[rows].astype(np.int64)
    return spans.sort_values(
        ["_score", "coders", "_rank", "span_start"],
        ascending=[True, False, True, True],
        kind="stable",
    )


def quote_sources(data: PreparedThemes, picked: pd.DataFrame) -> pd.DataFrame:
    """Return the interview, segment, speaker and signature of each picked span (``_row``).

    ``speaker`` is the person's safe label (their id or pseudonym) and ``by``
    adds their group (``"P3, carer"``); with ``show_names`` both use the
    speaker's label as the transcript has it.
    """
    rows = picked["_row"].to_numpy()
    source = data.segments[["interview_id", "segment_id", "speaker"]].iloc[rows]
    source = source.set_axis(picked.index)
    pid = data.segments["_pid"].to_numpy()[rows]
    people = data.people
    has = pid >= 0
    label = np.full(len(rows), "participant", dtype=object)
    by = label.copy()
    # Only the people quoted are signed (a consultation has 250,000 people, a table a few quotes).
    quoted, where = np.unique(pid[has], return_inverse=True)
    quoted_people = people.iloc[quoted]
    if len(people):
        label[has] = quoted_people["person"].astype(str).to_numpy(object)[where]
        by[has] = attribution(quoted_people).to_numpy(object)[where]
    if data.show_names:
        spoken = source["speaker"].to_numpy(object)
        named = spoken != ""
        label = np.where(named, spoken, label)
        if len(people):
            by[has] = attribution(quoted_people, show_names=True).to_numpy(object)[where]
        by = np.where(named & ~has, spoken, by)
    source["speaker"] = label
    source["by"] = by
    return source


def quote_texts(
    data: PreparedThemes, picked: pd.DataFrame, max_chars: int, names: list[str]
) -> pd.Series:
    """Return the text of each picked span (``_row, span_start, span_end``), cut and masked."""
    rows = picked["_row"].to_numpy()
    texts = data.segments["text"].to_numpy()[rows]
    offsets = data.segments["start"].to_numpy()[rows]
    out = []
    for text, offset, a, b in zip(
        texts, offsets, picked["span_start"], picked["span_end"], strict=True
    ):
        text = text if isinstance(text, str) else ""
        offset = int(offset) if offset == offset else 0
        piece = text[max(0, a - offset) : max(0, b - offset)] or text
        out.append(mask_names(shorten(piece, max_chars), names))
    return pd.Series(out, index=picked.index, dtype=object)


def best_quote(data: PreparedThemes, keys: list[str], max_chars: int = 160) -> pd.DataFrame:
    """Return one quote per value of `keys`: ``<keys>, quote, quote_by`` (for chart tooltips)."""
    spans = _candidates(data, keys).drop_duplicates(keys)
    spans["quote"] = quote_texts(data, spans, max_chars, quote_names(data))
    spans["quote_by"] = quote_sources(data, spans)["by"]
    return spans[[*keys, "quote", "quote_by"]]


def with_quotes(table: pd.DataFrame, quotes: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return `table` with the ``quote, quote_by`` of its `keys` (:func:`best_quote`), or ""."""
    table = table.merge(quotes, on=keys, how="left")
    table[["quote", "quote_by"]] = table[["quote", "quote_by"]].fillna("")
    return table


@renamed_keywords(level="of")
@documented(
    PARAMETERS,
    per_code="How many quotes for each code or theme, at most.",
    max_chars="The longest a quote may be; longer passages are cut.",
    show_names="""
        Sign quotes with the speaker's label or name, and mask only
        participants' full names (default: no names; see
        :func:`~toolkit.analysis.themes.prepare.prepare_themes`).
    """,
)
def exemplar_quotes(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    of: str = "code",
    per_code: int = 3,
    max_chars: int = 200,
    coder: Any = None,
    participants: pd.DataFrame | None = None,
    interviewers: Any = None,
    show_names: bool | None = None,
) -> pd.DataFrame:
    """Choose short exemplar quotes for each code (or theme), each with its source.

    Quotes are chosen deterministically, so the same data gives the same
    quotes: spans of a readable length first (about 60 to 220 characters:
    not simply the longest), then spans more coders agreed on, and across
    the quotes for one code, a different speaker each time before anyone is
    quoted twice.  Interviewers are not quoted.  Long passages are cut at a
    sentence end.  The text comes from the segments, so quotes from a
    pseudonymised project are pseudonymised; as a safety net, any
    participant's full name or surname (the ``name`` column of the
    participants table) and any speaker label that may be a name is
    replaced by ``[name]``.  Each quote is signed by the person's id or
    pseudonym and group (``by``), never by a name unless ``show_names``.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``<of>, theme, rank, quote, interview_id, segment_id, speaker, by,
        coders``: ``speaker`` is the person's id or pseudonym and ``by`` adds
        their group (``"P3, carer"``).  ``attrs["pseudonymised"]`` is the
        project's setting (None if unknown).

    Examples
    --------
    >>> import toolkit as tk
    >>> quotes = tk.exemplar_quotes(tk.sample_project(), per_code=2)
    >>> list(quotes.columns[:4])
    ['code', 'theme', 'rank', 'quote']
    """
    of = of_name(of)
    data = as_prepared(
        codings,
        segments,
        codebook,
        participants,
        coder=coder,
        interviewers=interviewers,
        show_names=show_names,
    )
    keys = [of] + (["theme"] if of == "code" else [])
    spans = _candidates(data, keys)
    # Round-robin over speakers: each speaker's first quote before anyone's second.
    spans = spans.drop_duplicates([of, "_row"])
    spans["_turn"] = spans.groupby([of, "_person"]).cumcount()
    spans = spans.sort_values([of, "_turn"], kind="stable")
    spans = spans.groupby(of, sort=False).head(per_code)
    spans["quote"] = quote_texts(data, spans, max_chars, quote_names(data))
    spans = spans.join(quote_sources(data, spans))
    order = {name: i for i, name in enumerate(in_codebook_order(data.book, of))}
    spans = spans.assign(_o=spans[of].map(order)).sort_values(["_o", "_turn"], kind="stable")
    spans["rank"] = spans.groupby(of).cumcount() + 1
    columns = [*keys, "rank", "quote", "interview_id", "segment_id", "speaker", "by", "coders"]
    table = spans[columns].reset_index(drop=True)
    return finish(table, data, level=of)
