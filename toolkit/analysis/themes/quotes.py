"""Quotes: exemplar quotes for each code or theme, and one quote per row for chart tooltips.

Quotes come from the segments as they are, so a pseudonymised project's
quotes are pseudonymised.  As a safety net, any participant's full name or
surname (the ``name`` column of the participants table) is replaced by
``[name]`` in a quote, and a speaker label holding one keeps only its first
word.

Examples
--------
>>> mask_names("Thanks to Grace Mensah and Mr Mensah.", ["Grace Mensah"])
'Thanks to [name] and Mr [name].'
>>> shorten("It went well. Then the lift broke again.", 20)
'It went well.'
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.cleaning import clean_text
from toolkit.analysis.themes.counting import finish, in_codebook_order
from toolkit.analysis.themes.options import PARAMETERS, of_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.docstrings import shared

__all__ = [
    "best_quote",
    "exemplar_quotes",
    "full_names",
    "mask_names",
    "quote_sources",
    "quote_texts",
    "safe_speakers",
    "shorten",
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
    """Replace each full name, and each surname, in `text` by ``[name]``."""
    # A safety net: a participant's full name (or surname) never reaches a quote.
    for name in names:
        parts = [name, *(p for p in name.split()[1:] if len(p) > 2)]
        for part in parts:
            text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


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


def _candidates(data: PreparedThemes, keys: list[str]) -> pd.DataFrame:
    """Return coded spans by participants with a score: lower reads better as a quote."""
    coded = data.coded[data.coded["person"]]
    if coded.empty:
        coded = data.coded
    spans = coded.groupby(
        ["_row", "span_start", "span_end", *keys], as_index=False, sort=False, dropna=False
    ).agg(coders=("coder", "nunique"))
    length = spans["span_end"] - spans["span_start"]
    # Prefer quotes of a readable length, then ones more coders agreed on; the
    # interview and segment order makes the choice repeatable.
    spans["_score"] = np.where(
        length < _QUOTE_MIN,
        (_QUOTE_MIN - length) * 3,
        np.where(length > _QUOTE_MAX, (length - _QUOTE_MAX) * 0.5, 0),
    )
    segs = data.segments
    rows = spans["_row"].to_numpy()
    spans["_rank"] = segs["_rank"].to_numpy()[rows]
    spans["_person"] = segs["_iid"].to_numpy()[rows].astype(np.int64) * (1 << 32) + segs[
        "_spk"
    ].to_numpy()[rows].astype(np.int64)
    return spans.sort_values(
        ["_score", "coders", "_rank", "span_start"],
        ascending=[True, False, True, True],
        kind="stable",
    )


def quote_sources(data: PreparedThemes, picked: pd.DataFrame) -> pd.DataFrame:
    """Return the interview, segment and speaker of each picked span (``_row`` column)."""
    return (
        data.segments[["interview_id", "segment_id", "speaker"]]
        .iloc[picked["_row"].to_numpy()]
        .set_axis(picked.index)
    )


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
    names = full_names(data.participants)
    spans["quote"] = quote_texts(data, spans, max_chars, names)
    source = quote_sources(data, spans)
    spans["quote_by"] = (
        safe_speakers(source["speaker"], names) + " (" + source["interview_id"] + ")"
    )
    return spans[[*keys, "quote", "quote_by"]]


@shared(**PARAMETERS)
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
    level: str | None = None,
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
    participants table) is replaced by ``[name]``.

    Parameters
    ----------
    codings
        {codings}
    segments
        {segments}
    codebook
        {codebook}
    of
        {of}
    per_code
        How many quotes for each code or theme, at most.
    max_chars
        The longest a quote may be; longer passages are cut.
    coder
        {coder}
    participants
        {participants}
    interviewers
        {interviewers}

    Returns
    -------
    pandas.DataFrame
        ``<of>, theme, rank, quote, interview_id, segment_id, speaker, coders``.
        ``attrs["pseudonymised"]`` is the project's setting (None if unknown).

    Examples
    --------
    >>> import toolkit as tk
    >>> quotes = tk.exemplar_quotes(tk.sample_project(), per_code=2)
    >>> list(quotes.columns[:4])
    ['code', 'theme', 'rank', 'quote']
    """
    of = of_name(of, level)
    data = as_prepared(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    keys = [of] + (["theme"] if of == "code" else [])
    spans = _candidates(data, keys)
    # Round-robin over speakers: each speaker's first quote before anyone's second.
    spans = spans.drop_duplicates([of, "_row"])
    spans["_turn"] = spans.groupby([of, "_person"]).cumcount()
    spans = spans.sort_values([of, "_turn"], kind="stable")
    spans = spans.groupby(of, sort=False).head(per_code)
    names = full_names(data.participants)
    spans["quote"] = quote_texts(data, spans, max_chars, names)
    spans = spans.join(quote_sources(data, spans))
    spans["speaker"] = safe_speakers(spans["speaker"], names)
    order = {name: i for i, name in enumerate(in_codebook_order(data.book, of))}
    spans = spans.assign(_o=spans[of].map(order)).sort_values(["_o", "_turn"], kind="stable")
    spans["rank"] = spans.groupby(of).cumcount() + 1
    columns = [*keys, "rank", "quote", "interview_id", "segment_id", "speaker", "coders"]
    table = spans[columns].reset_index(drop=True)
    return finish(table, data, level=of)
