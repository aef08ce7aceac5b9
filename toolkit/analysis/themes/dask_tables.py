"""Theme tables from dask DataFrames: frequency, by group and over time, at any size.

A national survey's codings do not fit in one process's memory, but its theme
tables are small: a row per theme (and group, or period).  The functions here
compute them from dask DataFrames of codings, segments and participants, and
give exactly the tables the pandas functions give on the same data
(:func:`~toolkit.analysis.themes.frequencies.theme_frequency`,
:func:`~toolkit.analysis.themes.groups.theme_by_group`,
:func:`~toolkit.analysis.themes.trends.theme_trend`,
:func:`~toolkit.analysis.themes.quotes.exemplar_quotes`), so the charts and
the report take them as they are.

How: each partition is prepared and counted by the pandas functions
themselves, on a worker; only the counts and each partition's best quote
candidates come back.  Counts and totals add up across partitions, and the
percentages, labels and tests are worked out again from the sums.  Quotes
are chosen deterministically, as the pandas functions choose them: each
partition sends its best candidates per theme with their ranking (readable
length, then how many coders agreed, then interview and segment), and the
best across partitions wins, whatever the partitioning.

The partitions must hold whole interviews, and the three frames the same
interviews partition by partition: as :func:`parquet_frames` reads a
survey and :func:`toolkit.autocode` codes it.  (Where no interviewers are
named, each partition guesses its own, interview by interview.)

Examples
--------
>>> import pandas as pd, tempfile, pathlib, toolkit as tk
>>> from toolkit.analysis.themes.dask_tables import dask_theme_tables, parquet_frames
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"response_id": ["R1", "R2", "R3"], "ward": ["A", "B", "A"],
...     "comment": ["Kind staff, thank you.", "The wait was long.", "Staff were kind."]}
...     ).to_parquet(folder / "fft.parquet")
>>> segments, people = parquet_frames(folder / "fft.parquet")
>>> book = tk.Codebook([{"code": "kindness", "keywords": ["kind"]},
...                     {"code": "waiting", "keywords": ["wait*"]}])
>>> codings = tk.autocode(segments, book)
>>> tables = dask_theme_tables(codings, segments, book, people, coder="rules", group="ward")
>>> tables.themes[["theme", "count", "total"]].values.tolist()
[['kindness', 2, 3], ['waiting', 1, 3]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.cleaning import clean_text
from toolkit.analysis.themes.counting import finish, in_codebook_order
from toolkit.analysis.themes.frequencies import frequency_table, theme_frequency
from toolkit.analysis.themes.groups import group_table, segment_groups, theme_by_group
from toolkit.analysis.themes.options import NOT_RECORDED, unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, prepare_themes
from toolkit.analysis.themes.quotes import (
    mask_names,
    quote_names,
    quote_sources,
    quote_texts,
    scored_spans,
)
from toolkit.analysis.themes.trends import period_labels, period_order, theme_trend, trend_table
from toolkit.errors import CodingError, ToolkitError
from toolkit.io.parquet import PIECE_ROWS, needs_extra, parquet_pieces, piece_columns, read_piece
from toolkit.model.codebook import as_codebook

__all__ = [
    "ThemeTables",
    "dask_theme_by_group",
    "dask_theme_frequency",
    "dask_theme_tables",
    "dask_theme_trend",
    "parquet_frames",
]

# A code added to each partition's codebook, and one coding of it, so that a
# partition with none of the chosen codings still says how many units it holds.
_MARK = "~dask-partition~"
_ORDER = ["_score", "coders", "interview_id", "segment_id", "span_start"]
_ASCENDING = [True, False, True, True, True]
_PURPOSE = "to count themes on Dask"
_NUMBERED = r"P\d+"


@dataclass
class ThemeTables:
    """The theme tables of a report, worked out on Dask (each as the pandas function gives it).

    Attributes
    ----------
    themes, codes
        :func:`~toolkit.analysis.themes.frequencies.theme_frequency` of themes and of codes.
    quotes
        :func:`~toolkit.analysis.themes.quotes.exemplar_quotes` of themes.
    by_group
        :func:`~toolkit.analysis.themes.groups.theme_by_group` of themes (None without ``group``).
    trend
        :func:`~toolkit.analysis.themes.trends.theme_trend` of themes (None without ``when``).
    people
        How many people took part.
    """

    themes: pd.DataFrame
    codes: pd.DataFrame
    quotes: pd.DataFrame
    by_group: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None
    people: int = 0


def parquet_frames(
    path: str | Path,
    id_column: str | None = None,
    text_column: str | None = None,
    *,
    rows: int = PIECE_ROWS,
) -> tuple[Any, Any]:
    """Read a Parquet survey (a file or a folder) as dask DataFrames: segments and participants.

    The two frames have the same partitions (runs of row groups: see
    :func:`toolkit.io.parquet.parquet_pieces`), so
    ``tk.autocode(segments, codebook)`` codes them partition by partition
    and :func:`dask_theme_tables` counts them.
    """
    dd = needs_extra("dask.dataframe", _PURPOSE)
    pieces = []
    for piece in parquet_pieces(path, rows):
        pieces.append((piece, piece_columns(piece.path, id_column, text_column)))
    if not pieces:
        raise ToolkitError("expected survey responses, but found none", path=Path(path))

    def read(item: tuple, part: int) -> pd.DataFrame:
        return read_piece(item[0], *item[1], attributes=True)[part]

    first = read_piece(pieces[0][0], *pieces[0][1], attributes=True)
    segments = dd.from_map(read, pieces, part=0, meta=first[0].iloc[:0], enforce_metadata=False)
    people = dd.from_map(read, pieces, part=1, meta=first[1].iloc[:0], enforce_metadata=False)
    return segments, people


# --- one partition, on a worker --------------------------------------------------


def _marked(codings: pd.DataFrame, segments: pd.DataFrame, coder: Any) -> pd.DataFrame:
    """Return the codings with one coding of the marker code on the first segment."""
    names = [coder] if isinstance(coder, str) else list(coder or [])
    who = names[0] if names and coder not in ("humans", "all", "rules") else "dask"
    mark = {
        "interview_id": segments["interview_id"].iloc[0],
        "segment_id": segments["segment_id"].iloc[0],
        "start": segments["start"].iloc[0],
        "end": segments["end"].iloc[0],
        "code": _MARK,
        "coder": str(who),
        "method": "rule" if coder == "rules" else "manual",
    }
    return pd.concat([codings, pd.DataFrame([mark])], ignore_index=True)


def _ranked(data: PreparedThemes, keys: list[str], coded: pd.DataFrame) -> pd.DataFrame:
    """Return the quote candidates of `coded` by key, best first (ranked as the pandas quotes)."""
    spans = scored_spans(coded[coded["person"] & (coded["code"] != _MARK)], keys)
    rows = spans["_row"].to_numpy()
    for column in ("interview_id", "segment_id"):
        spans[column] = data.segments[column].iloc[rows].set_axis(spans.index)  # keeps Int64
    spans["_person"] = data.segments["_pid"].to_numpy()[rows].astype(np.int64)
    return spans.sort_values(_ORDER, ascending=_ASCENDING, kind="stable")


def _best(data: PreparedThemes, keys: list[str], coded: pd.DataFrame, chars: int) -> pd.DataFrame:
    """Return this partition's best quote per key, with its ranking and signature."""
    spans = _ranked(data, keys, coded).drop_duplicates(keys)
    spans["quote"] = quote_texts(data, spans, chars, [])
    spans["quote_by"] = quote_sources(data, spans)["by"]
    return spans[[*keys, *_ORDER, "quote", "quote_by"]].reset_index(drop=True)


def _exemplars(data: PreparedThemes, of: str, per: int) -> pd.DataFrame:
    """Return this partition's first `per` quotes per theme, each speaker before anyone twice."""
    spans = _ranked(data, [of], data.coded).drop_duplicates([of, "_row"])
    spans["_turn"] = spans.groupby([of, "_person"]).cumcount()
    spans = spans.sort_values([of, "_turn"], kind="stable").groupby(of, sort=False).head(per)
    spans["quote"] = quote_texts(data, spans, 200, [])
    source = quote_sources(data, spans)
    spans["speaker"], spans["by"] = source["speaker"], source["by"]
    return spans[[of, "_turn", *_ORDER, "quote", "speaker", "by"]].reset_index(drop=True)


def _partition(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    people: Any,
    book: pd.DataFrame,
    spec: dict,
    number: int,
) -> dict[str, Any]:
    """Count one partition's themes (and pick its quote candidates) with the pandas functions."""
    if segments.empty:
        return {}
    if isinstance(people, pd.DataFrame) and spec["people_given"] is not None:
        ids = set(clean_text(segments["interview_id"]))
        people = people[clean_text(people["interview_id"]).isin(ids)]
    coder = spec["coder"]
    data = prepare_themes(
        _marked(codings, segments, coder),
        segments,
        book,
        people if isinstance(people, pd.DataFrame) else None,
        coder=coder,
        interviewers=spec["interviewers"],
    )
    unit, real = spec["unit"], data.coded["code"] != _MARK
    labels = data.people["person"].astype(str) if len(data.people) else pd.Series([], dtype=str)
    out: dict[str, Any] = {
        "number": number,
        "chosen": int(real.sum()),
        "people": len(data.people),
        # People with no id of their own are numbered P1, P2... across all partitions.
        "numbered": int(labels.str.fullmatch(_NUMBERED).sum()),
        "names": quote_names(data),
        "interviewers": list(data.interviewers),
        "book": data.book[data.book["code"] != _MARK],
        "coder": data.coder,
        "note": data.who.sentence,
        "pseudonymised": data.pseudonymised,
    }
    for of in ("theme", "code"):
        table = theme_frequency(data, unit=unit, of=of)
        out[of] = (table[table[of] != _MARK].set_index(of)["count"], int(table.attrs["total"]))
        out[f"best_{of}"] = _best(data, [of], data.coded, 160)
    out["exemplars"] = _exemplars(data, "theme", spec["per_theme"])
    if spec["group"]:
        table = theme_by_group(data, group=spec["group"], unit=unit, of="theme")
        table = table[table["theme"] != _MARK]
        out["by_group"] = (
            table.set_index(["theme", "group"])["count"],
            table.groupby("group", sort=False)["group_size"].first(),
        )
        groups = segment_groups(data, spec["group"])
        coded = data.coded.assign(group=groups[data.coded["_row"].to_numpy()])
        out["best_group"] = _best(data, ["theme", "group"], coded, 160)
    if spec["when"]:
        out.update(_trend_part(data, spec))
    return out


def _trend_part(data: PreparedThemes, spec: dict) -> dict[str, Any]:
    when, labels = spec["when"], spec["periods"]
    table = theme_trend(data, when=when, freq=spec["freq"], unit=spec["unit"], of="theme")
    table = table[table["theme"] != _MARK]
    people = data.participants
    values = clean_text(people[when]) if people is not None else pd.Series([], dtype=object)
    period = values.map(labels).fillna(NOT_RECORDED)
    period_of = pd.Series(period.to_numpy(), index=clean_text(people["interview_id"]).to_numpy())
    period_of = period_of[~period_of.index.duplicated()]
    coded = data.coded.assign(
        period=data.coded["interview_id"].map(period_of).fillna(NOT_RECORDED).to_numpy()
    )
    return {
        "trend": (
            table.set_index(["period", "theme"])["count"],
            table.groupby("period", sort=False)["total"].first(),
        ),
        "periods_seen": list(dict.fromkeys(period)),
        "best_trend": _best(data, ["period", "theme"], coded, 140),
    }


# --- all partitions, on the client -----------------------------------------------


def _shifted(text: Any, offset: int) -> str:
    """Return a label ``P<n>`` (at the start of `text`) as ``P<n + offset>``."""
    return re.sub(r"^P(\d+)\b", lambda m: f"P{int(m.group(1)) + offset}", str(text))


def _renumbered(parts: list[dict]) -> None:
    """Number the people P1, P2... across partitions, as one people table numbers them."""
    offset = 0
    for part in parts:
        for name, table in part.items():
            if offset and name.startswith(("best_", "exemplars")):
                for column in {"quote_by", "speaker", "by"} & set(table.columns):
                    table[column] = [_shifted(v, offset) for v in table[column]]
        offset += part["numbered"]


def _pick(candidates: list[pd.DataFrame], keys: list[str], names: list[str]) -> pd.DataFrame:
    """Return the best quote per key across partitions, masked with every partition's names."""
    found = [c for c in candidates if len(c)]
    if not found:
        return pd.DataFrame(columns=[*keys, "quote", "quote_by"])
    spans = pd.concat(found, ignore_index=True)
    spans = spans.sort_values(_ORDER, ascending=_ASCENDING, kind="stable").drop_duplicates(keys)
    spans["quote"] = [mask_names(q, names) for q in spans["quote"]]
    return spans[[*keys, "quote", "quote_by"]]


def _summed(parts: list[dict], name: str) -> tuple[pd.Series, pd.Series | int]:
    counts = [p[name][0] for p in parts]
    count = pd.concat(counts).groupby(level=list(range(counts[0].index.nlevels))).sum()
    totals = [p[name][1] for p in parts]
    if isinstance(totals[0], int):
        return count, sum(totals)
    return count, pd.concat(totals).groupby(level=0).sum()


def _frequency(parts: list[dict], data: PreparedThemes, of: str, unit: str, names: list) -> Any:
    counts, total = _summed(parts, of)
    quotes = _pick([p[f"best_{of}"] for p in parts], [of], names)
    return frequency_table(data, of, unit, counts, total, quotes)


def _by_group(parts: list[dict], data: PreparedThemes, group: str, unit: str, names: list) -> Any:
    counts, sizes = _summed(parts, "by_group")
    quotes = _pick([p["best_group"] for p in parts], ["theme", "group"], names)
    return group_table(data, "theme", unit, group, counts, sizes, quotes)


def _trend(parts: list[dict], data: PreparedThemes, spec: dict, names: list) -> Any:
    counts, totals = _summed(parts, "trend")
    seen = [p for part in parts for p in part["periods_seen"]]
    order = period_order([*dict.fromkeys(seen), *totals.index], spec["period_name"])
    quotes = _pick([p["best_trend"] for p in parts], ["period", "theme"], names)
    return trend_table(
        data,
        "theme",
        spec["unit"],
        counts,
        totals,
        order,
        quotes,
        period=spec["period_name"],
        when=spec["when"],
    )


def _quotes(parts: list[dict], data: PreparedThemes, per: int, names: list) -> pd.DataFrame:
    found = [p["exemplars"] for p in parts if len(p["exemplars"])]
    columns = ["theme", "rank", "quote", "interview_id", "segment_id", "speaker", "by", "coders"]
    if not found:
        return finish(pd.DataFrame(columns=columns), data, level="theme")
    spans = pd.concat(found, ignore_index=True)
    spans = spans.sort_values(["theme", "_turn", *_ORDER], ascending=[True, True, *_ASCENDING])
    spans = spans.groupby("theme", sort=False).head(per)
    order = {name: i for i, name in enumerate(in_codebook_order(data.book, "theme"))}
    spans = spans.assign(_o=spans["theme"].map(order)).sort_values(["_o", "_turn"], kind="stable")
    spans["rank"] = spans.groupby("theme").cumcount() + 1
    spans["quote"] = [mask_names(q, names) for q in spans["quote"]]
    return finish(spans[columns].reset_index(drop=True), data, level="theme")


def _spec(codings: Any, people: Any, when: str | None, freq: str | None, **given: Any) -> dict:
    spec = {"when": when, "freq": freq, "periods": {}, "period_name": "", **given}
    if not when:
        return spec
    if when in codings.columns:
        raise ToolkitError(
            f"expected the date or session '{when}' in the participants table, but it is a "
            "column of the codings",
            hint="on Dask, give each response's date in the participants table (a survey's own "
            "column); or count with tk.theme_trend in memory",
        )
    if people is None or when not in people.columns:
        raise ToolkitError(
            f"expected a column '{when}' (a session or a date) in the participants table",
            hint="name a column of the survey that holds each response's date",
        )
    values = people[when]
    values = values.unique().compute() if hasattr(values, "compute") else values.unique()
    values = clean_text(pd.Series(values, dtype=object)).drop_duplicates()
    labels, name = period_labels(values.reset_index(drop=True), freq)
    spec["periods"] = dict(zip(values, labels, strict=True))
    spec["period_name"] = name
    letters = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
    spec["freq"] = freq or letters.get(name)
    return spec


def dask_theme_tables(
    codings: Any,
    segments: Any,
    codebook: Any,
    participants: Any = None,
    *,
    unit: str = "participants",
    group: str | None = None,
    when: str | None = None,
    freq: str | None = None,
    coder: Any = "humans",
    interviewers: Any = None,
    per_theme: int = 3,
) -> ThemeTables:
    """Work out a report's theme tables from dask DataFrames, in one pass over the partitions.

    Parameters
    ----------
    codings, segments
        Dask DataFrames of codings and segments with the same partitions
        (see :mod:`toolkit.analysis.themes.dask_tables`).
    codebook
        The Codebook (or its table).
    participants
        A dask DataFrame with the same partitions, or a pandas DataFrame,
        or None.
    unit, coder, interviewers
        As for :func:`~toolkit.analysis.themes.frequencies.theme_frequency`.
    group
        A participants column: also count themes by group.
    when, freq
        A participants column holding each response's date or session: also
        count themes over time (as :func:`~toolkit.analysis.themes.trends.theme_trend`).
    per_theme
        Exemplar quotes per theme.

    Returns
    -------
    ThemeTables
        The tables, each as its pandas function gives it.

    Raises
    ------
    ToolkitError
        Without the ``scale`` extra, for frames whose partitions differ, or
        (CodingError) when no codings are by the coder asked for.
    """
    dask = needs_extra("dask", _PURPOSE)
    unit = unit_name(unit)
    book = as_codebook(codebook, codes=[]).table
    book = pd.concat([book, pd.DataFrame([{"code": _MARK, "theme": _MARK}])], ignore_index=True)
    book = book.fillna("")
    parts_c, parts_s = codings.to_delayed(), segments.to_delayed()
    dask_people = hasattr(participants, "to_delayed")
    parts_p = participants.to_delayed() if dask_people else [participants] * len(parts_s)
    if not (len(parts_c) == len(parts_s) == len(parts_p)):
        raise ToolkitError(
            f"expected the codings, segments and participants in the same partitions, but they "
            f"have {len(parts_c)}, {len(parts_s)} and {len(parts_p)}",
            hint="read them with parquet_frames() and code them with tk.autocode(segments, ...)",
        )
    spec = _spec(
        codings,
        participants,
        when,
        freq,
        unit=unit,
        group=group,
        coder=coder,
        interviewers=interviewers,
        per_theme=per_theme,
        people_given=None if participants is None else not dask_people,
    )
    task = dask.delayed(_partition, pure=True)
    n = len(parts_s)
    found = dask.compute(*map(task, parts_c, parts_s, parts_p, [book] * n, [spec] * n, range(n)))
    parts = [p for p in found if p]
    _renumbered(parts)
    if not parts or sum(p["chosen"] for p in parts) == 0:
        raise CodingError(
            f"expected codings to count by {coder!r}, but there are none in any partition",
            hint="check coder= (the rule codings are coder='rules'), and that the codings "
            "are those of these segments",
        )
    first = parts[0]
    data = PreparedThemes(
        pd.DataFrame(), pd.DataFrame(), first["book"], None, first["coder"],
        sorted({x for p in parts for x in p["interviewers"]}),
        {"pseudonymised": first["pseudonymised"]} if first["pseudonymised"] is not None else {},
    )  # fmt: skip
    names = sorted({n for p in parts for n in p["names"]}, key=len, reverse=True)
    people = sum(p["people"] for p in parts)
    tables = ThemeTables(
        themes=_frequency(parts, data, "theme", unit, names),
        codes=_frequency(parts, data, "code", unit, names),
        quotes=_quotes(parts, data, per_theme, names),
        by_group=_by_group(parts, data, group, unit, names) if group else None,
        trend=_trend(parts, data, spec, names) if when else None,
        people=people,
    )
    for table in (tables.themes, tables.codes, tables.quotes, tables.by_group, tables.trend):
        if table is not None:
            table.attrs.update(people=people, interviewers_note=first["note"])
    return tables


def dask_theme_frequency(
    codings: Any, segments: Any, codebook: Any, participants: Any = None, *, of: str = "theme",
    **options: Any,
) -> pd.DataFrame:  # fmt: skip
    """Return :func:`~toolkit.analysis.themes.frequencies.theme_frequency` from dask DataFrames.

    `options` are those of :func:`dask_theme_tables` (``unit``, ``coder``, ``interviewers``).
    """
    tables = dask_theme_tables(codings, segments, codebook, participants, **options)
    return tables.themes if of == "theme" else tables.codes


def dask_theme_by_group(
    codings: Any, segments: Any, codebook: Any, participants: Any, *, group: str = "group",
    **options: Any,
) -> pd.DataFrame:  # fmt: skip
    """Return :func:`~toolkit.analysis.themes.groups.theme_by_group` of themes, from Dask."""
    return dask_theme_tables(
        codings, segments, codebook, participants, group=group, **options
    ).by_group


def dask_theme_trend(
    codings: Any, segments: Any, codebook: Any, participants: Any, *, when: str = "date",
    **options: Any,
) -> pd.DataFrame:  # fmt: skip
    """Return :func:`~toolkit.analysis.themes.trends.theme_trend` of themes, from Dask."""
    return dask_theme_tables(codings, segments, codebook, participants, when=when, **options).trend
