"""Prepare codings for counting: check them, choose a coder's, join them to segments and themes.

Every theme table starts from the same prepared data: the codings chosen
(``coder=``), checked against the codebook, joined to the segment each one
falls in (its speaker, whether that speaker is an interviewer) and to its
theme.  :func:`prepare_themes` does that once and returns a
:class:`PreparedThemes`; every theme function takes one in place of the
codings, so a report that draws several tables from the same codings
prepares them only once.

Examples
--------
>>> import toolkit as tk
>>> prepared = tk.prepare_themes(tk.sample_project())
>>> prepared.coder.startswith("all human coders")
True
>>> tk.theme_frequency(prepared, of="code").attrs["level"]
'code'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from toolkit import tables
from toolkit.analysis.themes import memo
from toolkit.analysis.themes.cleaning import clean_ids, clean_text
from toolkit.analysis.themes.options import PARAMETERS
from toolkit.docstrings import documented
from toolkit.errors import CodingError, ToolkitError
from toolkit.model.codebook import as_codebook
from toolkit.model.interviewers import Interviewers
from toolkit.model.naming import numbered_text, positions
from toolkit.model.people import Speakers, who_spoke
from toolkit.wording import listing, plural

__all__ = ["PreparedThemes", "as_prepared", "prepare_themes", "remembered_themes"]

# The segments' columns a theme table needs (times are not needed).
_SEGMENT_COLUMNS = [c for c in tables.SEGMENTS.names if c in {*tables.SEGMENTS.required, "speaker"}]
# Columns of a coding the prepared data holds anyway; any other column is carried along.
_OWN = {"interview_id", "segment_id", "start", "end", "code", "coder", "method"}


@dataclass(frozen=True, eq=False)
class PreparedThemes:
    """Codings chosen, checked and joined to their segments and themes, ready to count.

    Make one with :func:`prepare_themes` and pass it to any theme function in
    place of the codings.  It is not changed by the functions that read it.

    Attributes
    ----------
    coded
        One row per chosen coding, joined to its segment.
    segments
        Every segment, with whether its speaker is an interviewer.
    book
        ``code, theme, color``, in codebook order.
    participants
        The participants table, or None.
    coder
        Whose codings were chosen, in words (``"all human coders, merged
        (nadia, sam)"``).
    interviewers
        The speaker labels taken to be interviewers.
    settings
        The project's settings (``pseudonymised`` is read from them).
    extra
        Other columns of the codings carried along (a session, a date).
    people
        The people who took part (:func:`toolkit.model.people.people_taking_part`):
        counts in people are out of these.
    who
        Who was treated as an interviewer, and why
        (:class:`~toolkit.model.interviewers.Interviewers`).
    show_names
        Whether quotes may be signed with names (asked for); otherwise a
        participant id or pseudonym and group.
    """

    coded: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame = field(repr=False)
    book: pd.DataFrame = field(repr=False)
    participants: pd.DataFrame | None = field(repr=False)
    coder: str
    interviewers: list[str]
    settings: dict[str, Any] = field(default_factory=dict, repr=False)
    extra: tuple[str, ...] = ()
    people: pd.DataFrame = field(default_factory=tables.empty_participants, repr=False)
    who: Interviewers = field(default_factory=Interviewers, repr=False)
    show_names: bool = False
    #: Tables worked out from the prepared data and kept for the next theme
    #: function that needs them (the quotes' candidate spans, the frequency tables):
    #: derived, never changed (a table is given out as a copy).
    derived: dict[Any, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    @property
    def pseudonymised(self) -> bool | None:
        """The project's ``pseudonymised`` setting (None if unknown)."""
        value = self.settings.get("pseudonymised")
        return None if value is None else bool(value)


@documented(
    PARAMETERS,
    codings="""
        The codings table, or a Project (its tables are used; the tables
        given here win).
    """,
    keep_interviewers="""
        Count and quote the interviewers' turns too (they are left out by
        default).
    """,
    show_names="""
        Sign quotes with people's names (or their speaker labels); by
        default a quote is signed with a participant id or pseudonym and
        group, and names are masked in its text.
    """,
)
def prepare_themes(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    coder: Any = "humans",
    interviewers: Any = None,
    keep_interviewers: bool = False,
    show_names: bool = False,
) -> PreparedThemes:
    """Check the codings, choose a coder's and join them to segments and themes, once.

    Pass the result to any theme function in place of the codings (and
    leave out the tables and the ``coder``): each table then counts from
    the same prepared data, without checking and joining it again.

    {parameters}

    Raises
    ------
    CodingError
        If the codings are empty, name codes not in the codebook, point at
        segments that do not exist, or there are none by the coder asked for.

    Examples
    --------
    >>> import toolkit as tk
    >>> prepared = tk.prepare_themes(tk.sample_project(), coder="sam")
    >>> prepared.coder, tk.select_codings(prepared)["coder"].unique().tolist()
    ('sam', ['sam'])
    """
    prepared = _prepare(
        codings, segments, codebook, participants, coder, interviewers, keep_interviewers
    )
    return replace(prepared, show_names=bool(show_names))


def _is_project(value: Any) -> bool:
    return hasattr(value, "codings") and hasattr(value, "segments")


def _prepare(
    codings: Any,
    segments: Any,
    codebook: Any,
    participants: Any,
    coder: Any,
    interviewers: Any,
    keep_interviewers: bool,
) -> PreparedThemes:
    settings: dict[str, Any] = {}
    documents = None
    if _is_project(codings):
        # A Project stands for its own tables; explicit arguments still win.
        project = codings
        segments = project.segments if segments is None else segments
        codebook = project.codebook if codebook is None else codebook
        participants = project.participants if participants is None else participants
        settings = dict(getattr(project, "settings", None) or {})
        documents = getattr(project, "documents", None)
        codings = project.codings
    codings = _check_codings(codings)
    segments = _check_segments(segments)
    book = _codebook_table(codebook, codings)
    _check_codes(codings, book)
    chosen, label = _select(codings, "humans" if coder is None else coder)
    if not isinstance(participants, pd.DataFrame):
        participants = None
    who = who_spoke(
        segments,
        participants,
        documents=documents,
        settings=settings,
        interviewers=interviewers,
        keep_interviewers=keep_interviewers,
    )
    segs = _segment_table(segments, who, keep_interviewers)
    taken = {*_OWN, *segs.columns, "theme", "span_start", "span_end"}
    extra = tuple(c for c in chosen.columns if isinstance(c, str) and c not in taken)
    coded = _attach(chosen, segs, extra)
    coded["theme"] = coded["code"].map(dict(zip(book["code"], book["theme"], strict=True)))
    return PreparedThemes(
        coded,
        segs,
        book,
        participants,
        label,
        who.interviewers.labels,
        settings,
        extra,
        people=who.people,
        who=who.interviewers,
    )


def as_prepared(
    codings: Any,
    segments: Any = None,
    codebook: Any = None,
    participants: Any = None,
    *,
    coder: Any = None,
    interviewers: Any = None,
    show_names: bool | None = None,
) -> PreparedThemes:
    """Return ``codings`` if it is prepared already, else :func:`prepare_themes` of the tables.

    A project given on its own is prepared once while its tables stay the
    same: the theme functions given it in turn share the preparation (see
    :mod:`~toolkit.analysis.themes.memo`).
    """
    if isinstance(codings, PreparedThemes):
        given = [
            name
            for name, value in (
                ("segments", segments),
                ("codebook", codebook),
                ("participants", participants),
                ("coder", coder),
                ("interviewers", interviewers),
            )
            if value is not None
        ]
        if show_names is not None and bool(show_names) != codings.show_names:
            return replace(codings, show_names=bool(show_names))
        if given:
            raise ToolkitError(
                f"expected prepared themes alone, but {listing(given)} "
                f"{'was' if len(given) == 1 else 'were'} given beside them",
                hint="pass those to tk.prepare_themes(...), and its result here on its own",
            )
        return codings
    coder = "humans" if coder is None else coder
    if _is_project(codings) and segments is None and codebook is None and participants is None:
        # A theme function given the same project again, its tables unchanged: see memo.py.
        return remembered_themes(
            codings, coder=coder, interviewers=interviewers, show_names=bool(show_names)
        )
    prepared = _prepare(codings, segments, codebook, participants, coder, interviewers, False)
    return replace(prepared, show_names=bool(show_names))


def remembered_themes(
    project: Any,
    *,
    keep_on: Any = None,
    coder: Any = "humans",
    interviewers: Any = None,
    show_names: bool = False,
) -> PreparedThemes:
    """Return :func:`prepare_themes` of a project, prepared once while its tables stay the same.

    The preparation is kept on `keep_on` (the project itself by default;
    the report, which counts a copy of the project holding the codings it
    chose, keeps it on the user's project) with a key made from the
    content of the tables it read, so a table changed in place is prepared
    again.  See :mod:`~toolkit.analysis.themes.memo`.
    """
    holder = project if keep_on is None else keep_on
    key = memo.tables_key(project, coder=coder, interviewers=interviewers)
    prepared = memo.recall(holder, key)
    if prepared is None:
        prepared = prepare_themes(project, coder=coder, interviewers=interviewers)
        memo.remember(holder, key, prepared)
    same = prepared.show_names == bool(show_names)
    return prepared if same else replace(prepared, show_names=bool(show_names))


# --- checking -------------------------------------------------------------------


def _check_codings(codings: Any) -> pd.DataFrame:
    needed = ["interview_id", "code"]
    columns = getattr(codings, "columns", ())
    if "start" not in columns and all(c in columns for c in needed):
        needed.append("segment_id")  # a coding is placed by its segment, or by its span
    tables.require_table(
        codings,
        needed,
        "codings",
        hint="codings need interview_id, segment_id (or start and end) and code",
        source="pass project.codings, or the table tk.autocode(segments, codebook) returns",
        error=CodingError,
    )
    if codings.empty:
        raise CodingError(
            "expected codings to count, but the codings table is empty, so there is nothing to "
            "show yet",
            hint="code some segments first: by hand (codings/<your name>.csv, or the coding "
            "panel) or by rules (tk.autocode(segments, codebook)), then try again",
        )
    return codings


def _check_segments(segments: Any) -> pd.DataFrame:
    return tables.require_table(
        segments,
        _SEGMENT_COLUMNS,
        "segments",
        hint="pass the table tk.read_transcripts() returns",
        source="pass project.segments (or tk.read_transcripts(folder)) beside the codings, or "
        "pass the project itself",
        error=CodingError,
    )


def _codebook_table(codebook: Any, codings: pd.DataFrame) -> pd.DataFrame:
    """Return ``code, theme, color`` in codebook order; a code with no theme is its own."""
    table = as_codebook(codebook, codes=codings["code"]).table
    book = table[["code", "theme", "color"]].astype(object).reset_index(drop=True)
    book["theme"] = book["theme"].where(book["theme"] != "", book["code"])
    return book


def _check_codes(codings: pd.DataFrame, book: pd.DataFrame) -> None:
    numbers, values = numbered_text(codings["code"])  # each distinct code checked once
    unknown = ~np.isin(values, book["code"].to_numpy(object))[numbers]
    if not unknown.any():
        return
    codes = pd.Series(values[numbers], index=codings.index, dtype=object)
    who = clean_text(codings["coder"]) if "coder" in codings.columns else pd.Series("", codes.index)
    counts = (
        pd.DataFrame({"code": codes[unknown], "coder": who[unknown]})
        .groupby(["code", "coder"], sort=True)
        .size()
    )
    listed = [
        f"'{code}' ({plural(n, 'coding')}" + (f" by {coder})" if coder else ")")
        for (code, coder), n in counts.head(6).items()
    ]
    more = f" and {len(counts) - 6} more" if len(counts) > 6 else ""
    coders = sorted({c for _, c in counts.index if c})
    where = (
        " in " + ", ".join(f"codings/{c}.csv" for c in coders)
        if coders and codings.attrs.get("path") is None
        else ""
    )
    raise CodingError(
        f"expected every coded code to be in the codebook, but found {len(counts)} that "
        f"{'is' if len(counts) == 1 else 'are'} not{where}: " + ", ".join(listed) + more,
        path=codings.attrs.get("path"),
        hint="add the missing codes to codebook.yml, or correct their spelling in the codings "
        "(codes are case-sensitive)",
    )


def _select(codings: pd.DataFrame, coder: Any) -> tuple[pd.DataFrame, str]:
    """Return the codings by the coder asked for, and who that is in words."""
    method = (
        clean_text(codings["method"], lower=True)
        if "method" in codings.columns
        else pd.Series("manual", index=codings.index)
    )
    names = (
        clean_text(codings["coder"]) if "coder" in codings.columns else pd.Series("", codings.index)
    )
    humans = sorted(set(names[method != "rule"]) - {""})
    if coder == "humans":
        chosen = codings[method != "rule"]
        label = "all human coders, merged (" + ", ".join(humans) + ")" if humans else "human coders"
        if chosen.empty:
            raise CodingError(
                "expected codings by human coders, but every coding here was made by rules",
                hint="pass coder='rules' to count the rule codings",
            )
        return chosen, label
    if coder == "all":
        if (method == "rule").any():
            return codings, "every coder and the rules, merged"
        return codings, "every coder, merged (no rule codings among them)"
    if coder == "rules":
        chosen = codings[method == "rule"]
        if chosen.empty:
            raise CodingError(
                "expected rule codings (method 'rule') among the codings given, but there are "
                "none: theme tables count the codings they are given, and do not code by the "
                "rules themselves",
                hint="code by the rules first ('codesign-toolkit code DIR', or "
                "rules = tk.autocode(segments, codebook)) and pass those codings, alone or "
                "with the others (tk.merge_codings(codings, rules))",
            )
        return chosen, "the codebook's rules"
    wanted = [coder] if isinstance(coder, str) else [str(c) for c in coder]
    chosen = codings[names.str.lower().isin([w.lower() for w in wanted])]
    if chosen.empty:
        present = sorted(set(names) - {""})
        raise CodingError(
            f"expected codings by {', '.join(map(repr, wanted))}, but there are none; the coders "
            f"here are {', '.join(map(repr, present)) or 'not named'}",
            hint="use one of those names, or coder='humans' for every human coder merged",
        )
    return chosen, ", ".join(wanted) if len(wanted) > 1 else wanted[0]


# --- joining --------------------------------------------------------------------


def _segment_table(segments: pd.DataFrame, who: Speakers, keep: bool) -> pd.DataFrame:
    """Return the segments with clean ids and integer keys for fast joins and counts.

    ``who`` comes from :func:`toolkit.model.people.who_spoke` (which has
    cleaned the interview ids and speaker labels already): ``_pid`` is the
    row of the person who said each turn in the people table (-1 for an
    interviewer, or an unlabelled note in a labelled interview), ``person``
    whether it is a participant's turn, and ``counted`` whether it counts at
    all (interviewers' turns do not, unless kept).
    """
    interviewer, person = who.interviewer, who.person
    cleaned = len(who.interview_id) == len(segments)
    iid = who.interview_id if cleaned else clean_text(segments["interview_id"]).to_numpy()
    speaker = who.speaker if cleaned else clean_text(segments["speaker"]).to_numpy()
    # Text columns stay plain Python objects: hashing and sorting them is much
    # faster than pandas' own string type, and these columns are joined on often.
    segs = pd.DataFrame(
        {
            "interview_id": pd.Series(iid, dtype=object),
            "segment_id": clean_ids(segments["segment_id"]).array,
            "speaker": pd.Series(speaker, dtype=object),
            "start": pd.to_numeric(segments["start"], errors="coerce").to_numpy(),
            "end": pd.to_numeric(segments["end"], errors="coerce").to_numpy(),
            "text": segments["text"].to_numpy(),
        }
    )
    segs["interviewer"] = np.asarray(interviewer, bool)
    segs["_pid"] = np.asarray(person, np.int64)
    segs["person"] = segs["_pid"] >= 0
    segs["counted"] = ~segs["interviewer"] | keep
    segs["_row"] = np.arange(len(segs))
    segs["_iid"] = pd.factorize(segs["interview_id"])[0]
    segs["_spk"] = pd.factorize(segs["speaker"])[0]
    # Ties between quotes are broken by interview and segment, whatever the rows' order.
    order = segs.sort_values(["interview_id", "segment_id"], kind="stable")["_row"].to_numpy()
    segs["_rank"] = np.empty(len(segs), dtype=np.int64)
    segs.loc[order, "_rank"] = np.arange(len(segs))
    return segs


def _interview_numbers(segs: pd.DataFrame, codings_iid: pd.Series) -> np.ndarray:
    """Return each coding's interview as the segments number it (``segs["_iid"]``), -1 if none.

    Each distinct id is cleaned and looked up once: a consultation has a
    million codings but a quarter of that in interviews.
    """
    numbers, values = numbered_text(codings_iid)
    interviews = pd.unique(segs["interview_id"].to_numpy(object))  # in _iid's order
    return positions(values, interviews)[numbers]


def _segment_numbers(ids: pd.Series) -> tuple[np.ndarray, int]:
    """Return a whole number for each segment id (-1 if missing), and one more than the largest.

    Whole-number ids (the usual 1, 2, 3 ...) are their own numbers; other ids
    are numbered in order of appearance.
    """
    if pd.api.types.is_integer_dtype(ids.dtype):
        values = ids.to_numpy(dtype=np.float64, na_value=np.nan)
        given = values[~np.isnan(values)]
        if not len(given) or (given.min() >= 0 and given.max() < 2**31):
            numbers = np.where(np.isnan(values), -1, values).astype(np.int64)
            return numbers, int(given.max()) + 1 if len(given) else 1
    numbers, distinct = pd.factorize(ids)
    return numbers.astype(np.int64), len(distinct) + 1


def _segment_rows(
    segs: pd.DataFrame, seg_ids: pd.Series, iid_numbers: np.ndarray, sid: pd.Series
) -> np.ndarray:
    """Return the row of the segment each (interview, segment) pair names, or -1 if none.

    ``segs["_iid"]`` numbers each segment's interview and ``iid_numbers``
    each coding's, alike (-1: an interview with no segments).  Segment ids are
    numbered together too, so the pairs become whole numbers and the lookup
    is a hash of integers: much quicker than a two-level index on 250,000
    answers and a million codings.
    """
    n = len(segs)
    interviews = np.concatenate([segs["_iid"].to_numpy(np.int64), iid_numbers])
    numbers, width = _segment_numbers(pd.concat([seg_ids, sid], ignore_index=True))
    keys = interviews * width + numbers
    named = (interviews >= 0) & (numbers >= 0)
    index = pd.Index(keys[:n])
    if not index.is_unique:
        first = int(np.flatnonzero(index.duplicated())[0])
        name = segs["interview_id"].iloc[first]
        raise CodingError(
            f"expected each segment once, but interview {name} has segment "
            f"{seg_ids.iloc[first]} twice",
            hint="read the transcripts again with tk.read_transcripts()",
        )
    row = index.get_indexer(keys[n:])
    return np.where(named[n:], row, -1)


def _attach(codings: pd.DataFrame, segs: pd.DataFrame, extra: tuple = ()) -> pd.DataFrame:
    """Join each coding to its segment (speaker, text bounds); clip its span to the segment."""
    numbers = {
        c: pd.to_numeric(codings[c], errors="coerce") if c in codings.columns else np.nan
        for c in ("start", "end")
    }
    seg_ids = segs["segment_id"]
    if "segment_id" in codings.columns:
        sid = clean_ids(codings["segment_id"])
        if sid.dtype != seg_ids.dtype:
            sid, seg_ids = sid.astype("string"), seg_ids.astype("string")
    else:
        sid = pd.Series(pd.NA, index=codings.index, dtype=seg_ids.dtype)  # Int64 or string
    # Codings that carry only a span are placed in the segment where the span starts.
    lost = sid.isna() & pd.Series(numbers["start"], index=codings.index).notna()
    if lost.any():
        found = pd.merge_asof(
            pd.DataFrame(
                {
                    "interview_id": clean_text(codings["interview_id"])[lost].astype(object),
                    "start": numbers["start"][lost],
                }
            )
            .reset_index()
            .sort_values("start"),
            pd.DataFrame(
                {
                    "interview_id": segs["interview_id"].astype(object),
                    "segment_id": seg_ids,
                    "s": segs["start"],
                }
            )
            .dropna()
            .sort_values("s"),
            left_on="start",
            right_on="s",
            by="interview_id",
            direction="backward",
        ).set_index("index")
        sid = sid.copy()
        sid[found.index] = found["segment_id"]
    row = _segment_rows(segs, seg_ids, _interview_numbers(segs, codings["interview_id"]), sid)
    if (row < 0).any():
        first = int(np.flatnonzero(row < 0)[0])
        name = clean_text(codings["interview_id"]).iloc[first]
        raise CodingError(
            f"expected every coding to point at a segment of the interviews, but "
            f"{int((row < 0).sum())} do not (for example {name} segment "
            f"{sid.iloc[first]}, code '{codings['code'].iloc[first]}')",
            hint="the transcripts may have changed since the coding was done: check the "
            "interview ids and segment numbers, or re-import the codings",
        )
    coded = segs.drop(columns="text").iloc[row].reset_index(drop=True)
    coded["code"] = clean_text(codings["code"]).to_numpy()
    for column in ("coder", "method"):
        coded[column] = (
            clean_text(codings[column], lower=column == "method").to_numpy()
            if column in codings.columns
            else ("manual" if column == "method" else "")
        )
    for column in extra:
        coded[column] = codings[column].to_numpy()
    start = pd.Series(numbers["start"], index=codings.index).to_numpy(dtype=float)
    end = pd.Series(numbers["end"], index=codings.index).to_numpy(dtype=float)
    seg_start, seg_end = coded["start"].to_numpy(dtype=float), coded["end"].to_numpy(dtype=float)
    inside = ~np.isnan(start) & ~np.isnan(end) & (start < seg_end) & (end > seg_start)
    coded["span_start"] = np.where(inside, np.maximum(start, seg_start), seg_start).astype("int64")
    coded["span_end"] = np.where(inside, np.minimum(end, seg_end), seg_end).astype("int64")
    coded["start"], coded["end"] = start, end
    return coded
