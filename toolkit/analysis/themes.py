"""Theme tables: frequency, theme by group, co-occurrence, prevalence, quotes, trends.

Every function here turns codings into a tidy table a team can show a board,
a community meeting or a paper; :mod:`toolkit.charts` draws them and
:mod:`toolkit.report` puts them in a report.  Nothing here draws or writes.

Which codings are counted
-------------------------
Each function takes ``coder=``:

``"humans"`` (the default)
    Every human coder's codings, merged: a segment counts as coded with a
    code when *any* human coder applied it, and it counts once however many
    coders did.  Rule codings (``method == "rule"``) are left out.
``"rules"``
    Only the codings made by the codebook's rules.  If the table holds none,
    they are computed with :func:`toolkit.autocode` when that is available.
``"all"``
    Human and rule codings together, merged the same way (the rule codings
    are computed if the table holds none).
a coder's name, or a list of names
    Only those coders' codings (``coder="sam"``), merged.

What is counted
---------------
``unit=`` says what one count is, and every table states it (a ``unit``
column and ``table.attrs["unit"]``):

``"segments"``
    Speaker turns (or survey responses) coded with the code.
``"interviews"``
    Interviews in which the code was applied at least once.
``"participants"`` (also ``"people"``)
    People who said something coded with it ("mentioned by 9 of 16
    people").  A person is a speaker in an interview, or one survey answer;
    interviewers are not counted (see :func:`interviewer_labels`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import CodebookError, CodingError, EnergyError, ProjectError, ToolkitError

__all__ = [
    "NOT_RECORDED",
    "UNITS",
    "cooccurrence",
    "exemplar_quotes",
    "group_tests",
    "interviewer_labels",
    "positive_core",
    "select_codings",
    "theme_by_group",
    "theme_frequency",
    "theme_prevalence",
    "theme_trend",
    "vote_trend",
]

#: Counting units and the words used for them in titles and labels.
UNITS = {"segments": "segments", "interviews": "interviews", "participants": "people"}
_UNIT_ALIASES = {
    "segment": "segments",
    "interview": "interviews",
    "participant": "participants",
    "people": "participants",
    "person": "participants",
}
#: The label used where a participant's group (or a date) was not recorded.
NOT_RECORDED = "(not recorded)"
_LEVELS = ("code", "theme")
_SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "start", "end", "text"]
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_NAMED = re.compile(r"^[a-zA-Z]{3,20}$")
# Speaker labels that name the interviewing role rather than a person.
_INTERVIEWER_LABEL = re.compile(
    r"^(?:interviewer|int\d*|i|q|question|facilitator|moderator|researcher)$", re.IGNORECASE
)
_PARTICIPANT_LABEL = re.compile(
    r"^(?:participant|interviewee|respondent|p\d*|a|answer|r\d*)$", re.IGNORECASE
)
# The Okabe-Ito palette of toolkit.charts.PALETTE, for themes the codebook gives no colour.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# Quotes between these lengths (in characters) read well on a slide or a page.
_QUOTE_MIN, _QUOTE_MAX = 60, 220


# --- inputs -------------------------------------------------------------------


@dataclass
class _Data:
    """Codings selected, checked and joined to their segments and themes."""

    coded: pd.DataFrame
    segments: pd.DataFrame
    book: pd.DataFrame
    participants: pd.DataFrame | None
    coder: str
    interviewers: list[str]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def pseudonymised(self) -> bool | None:
        value = self.settings.get("pseudonymised")
        return None if value is None else bool(value)


def _unpack(codings: Any, segments: Any, codebook: Any, participants: Any) -> tuple:
    # A Project stands for its own tables; explicit arguments still win.
    settings: dict[str, Any] = {}
    if hasattr(codings, "codings") and hasattr(codings, "segments"):
        project = codings
        segments = project.segments if segments is None else segments
        codebook = project.codebook if codebook is None else codebook
        participants = project.participants if participants is None else participants
        settings = dict(getattr(project, "settings", None) or {})
        codings = project.codings
    return codings, segments, codebook, participants, settings


def _unit_name(unit: str) -> str:
    name = _UNIT_ALIASES.get(str(unit).lower(), str(unit).lower())
    if name not in UNITS:
        raise ToolkitError(
            f"expected unit to be one of {', '.join(map(repr, UNITS))}, but found {unit!r}",
            hint="count 'segments' (turns), 'interviews' or 'participants' (people)",
        )
    return name


def _level_name(level: str) -> str:
    if level not in _LEVELS:
        raise ToolkitError(
            f"expected level 'code' or 'theme', but found {level!r}",
            hint="use level='theme' to count themes, level='code' to count codes",
        )
    return level


def _ids(series: pd.Series) -> pd.Series:
    """Return ids as integers where they all are whole numbers, else as text."""
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64")
    numbers = pd.to_numeric(series, errors="coerce")
    blank = series.isna() | (_text(series) == "")
    if numbers[~blank].notna().all() and (numbers[~blank] % 1 == 0).all():
        return numbers.astype("Int64")
    return _text(series).astype("string")


def _text(series: pd.Series, *, lower: bool = False) -> pd.Series:
    """Return a column as stripped text ("" for missing), cleaning each distinct value once."""
    codes, uniques = pd.factorize(series)
    plain = np.asarray(uniques, dtype=object)  # iterating a pandas string array is slow
    values = [str(v).strip().lower() if lower else str(v).strip() for v in plain]
    lookup = np.array([*values, ""], dtype=object)  # code -1 (missing) picks the ""
    return pd.Series(lookup[codes], index=series.index, dtype=object)


def _codebook_table(codebook: Any, codings: pd.DataFrame) -> pd.DataFrame:
    """Return ``code, theme, color`` in codebook order, themes resolved through parents."""
    if codebook is None:
        codes = list(dict.fromkeys(codings["code"].astype(str).str.strip()))
        book = pd.DataFrame({"code": codes, "theme": codes, "color": ""})
    else:
        table = getattr(codebook, "table", codebook)
        if not isinstance(table, pd.DataFrame) or "code" not in table.columns:
            raise CodebookError(
                "expected a codebook (a Codebook, or a table with a 'code' column), "
                f"but found {type(table).__name__}",
                hint="pass project.codebook, or tk.read_codebook('codebook.yml')",
            )
        book = pd.DataFrame({"code": table["code"].astype(str).str.strip()})
        for column in ("theme", "parent", "color"):
            values = table[column] if column in table.columns else ""
            book[column] = pd.Series(values, index=table.index).fillna("").astype(str).str.strip()
        parents = dict(zip(book["code"], book["parent"], strict=False))
        themes = dict(zip(book["code"], book["theme"], strict=False))

        def resolve(code: str) -> str:
            seen = set()
            while code and code not in seen:
                seen.add(code)
                if themes.get(code):
                    return themes[code]
                code = parents.get(code, "")
            return ""

        book["theme"] = [resolve(c) or c for c in book["code"]]
        book = book.drop(columns="parent").drop_duplicates("code")
    ok = book["color"].str.match(_HEX) | book["color"].str.match(_NAMED)
    book["color"] = book["color"].where(ok, "")
    book = book.reset_index(drop=True)
    return book


def _rgb(colour: str) -> tuple[int, ...] | None:
    if not _HEX.match(colour):
        return None
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def _close(a: str, b: str) -> bool:
    """Whether two colours are too alike to tell apart in a legend."""
    ra, rb = _rgb(a), _rgb(b)
    if ra is None or rb is None:
        return a.lower() == b.lower()
    return sum((x - y) ** 2 for x, y in zip(ra, rb, strict=True)) ** 0.5 < 60


def _theme_colors(book: pd.DataFrame) -> dict[str, str]:
    """Return one colour per theme: a code's colour from the codebook, else the palette's.

    Each theme takes the colour of one of its codes: the first that is not
    too like a colour already taken and, if there is one, dark enough to
    stand out from white.  A theme whose codes have no usable colour takes
    one from the shared palette.
    """
    colours: dict[str, str] = {}
    for theme in dict.fromkeys(book["theme"]):
        given = [c for c in book.loc[book["theme"] == theme, "color"] if c]
        choice = _PALETTE[len(colours) % len(_PALETTE)]
        for options in (given, _PALETTE):
            options = [c for c in options if not any(_close(c, t) for t in colours.values())]
            if options:
                # Bars stand out from the white page (contrast 3:1) where the colours allow.
                choice = next((c for c in options if _contrast(c) >= 3), options[0])
                break
        colours[theme] = choice
    return colours


def _contrast(colour: str) -> float:
    """Return the contrast ratio of a colour against white (WCAG)."""
    rgb = _rgb(colour)
    if rgb is None:
        return 3.0  # a named colour: trust the codebook
    channels = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return 1.05 / (luminance + 0.05)


def interviewer_labels(segments: pd.DataFrame, given: Any = None) -> list[str]:
    """Return the speaker labels taken to be interviewers, not participants.

    Parameters
    ----------
    segments
        The segments table.
    given
        Labels to use instead of guessing (a list, or one label).

    Notes
    -----
    Without ``given`` the toolkit decides interview by interview, among the
    interviews with two or more named speakers.  A label that names the
    role ("Interviewer", "Int1", "Q", "Facilitator") is the interviewer.
    Otherwise the interviewer is the speaker most of whose turns ask a
    question (at least 40%, and more than anyone else's), unless the label
    names the participant's role ("Participant", "P1", "A").  Where the
    questions do not settle it, a label found to be an interviewer in
    another interview is taken to be one here too.  Turns with no speaker
    label in an interview that has named speakers (a title, a note) are
    nobody's: they are not counted as a participant either.  To say who the
    interviewers are, pass ``interviewers=`` or list them in ``project.yml``
    under ``settings: interviewers: [Sam, Nadia]``.

    Examples
    --------
    >>> import pandas as pd
    >>> turns = pd.DataFrame({"interview_id": ["a", "a", "b", "b", "c"],
    ...                       "speaker": ["Sam", "Maya", "Sam", "Derek", "Respondent"],
    ...                       "text": ["Your best day?", "The call.", "And you?", "Lifts.", "Hi."]})
    >>> interviewer_labels(turns)
    ['Sam']
    """
    if given is not None:
        return [given] if isinstance(given, str) else [str(g) for g in given]
    if segments is None or segments.empty or "speaker" not in segments.columns:
        return []
    speakers = _text(segments["speaker"])
    mask = _guess_interviewers(
        _text(segments["interview_id"]),
        speakers,
        segments["text"] if "text" in segments.columns else pd.Series("", segments.index),
    )
    return sorted(set(speakers[mask]))


def _guess_interviewers(interviews: pd.Series, speakers: pd.Series, texts: pd.Series) -> np.ndarray:
    """Return, for each turn, whether its speaker is taken to be the interviewer."""
    named = (speakers != "").to_numpy()
    voices = speakers[named].groupby(interviews[named]).nunique()
    several = interviews.isin(voices.index[voices >= 2]).to_numpy() & named
    out = np.zeros(len(speakers), dtype=bool)
    if not several.any():
        return out
    turns = pd.DataFrame(
        {
            "interview": interviews[several].to_numpy(),
            "speaker": speakers[several].to_numpy(),
            "question": texts[several].astype(object).map(lambda t: "?" in str(t)).to_numpy(),
        }
    )
    labels = pd.Series(turns["speaker"].unique())
    role = set(labels[labels.map(lambda x: bool(_INTERVIEWER_LABEL.match(x)))])
    answering = set(labels[labels.map(lambda x: bool(_PARTICIPANT_LABEL.match(x)))])
    share = turns.groupby(["interview", "speaker"])["question"].mean().reset_index()
    share["role"] = share["speaker"].isin(role)
    share = share.sort_values(["interview", "question"], ascending=[True, False], kind="stable")
    place = share.groupby("interview").cumcount()
    top = share[place == 0].set_index("interview")
    runner_up = share[place == 1].set_index("interview")["question"].reindex(top.index).fillna(0)
    clear = (
        (top["question"] >= 0.4) & (top["question"] > runner_up) & ~top["speaker"].isin(answering)
    )
    by_role = share[share["role"]]
    chosen = set(zip(by_role["interview"], by_role["speaker"], strict=True))
    decided = set(by_role["interview"])
    for interview, speaker in top[clear & ~top.index.isin(decided)]["speaker"].items():
        chosen.add((interview, speaker))
        decided.add(interview)
    # Interviews the questions do not settle: someone who interviews elsewhere interviews here.
    known = {speaker for _, speaker in chosen}
    for interview, speaker in zip(share["interview"], share["speaker"], strict=True):
        if interview not in decided and speaker in known:
            chosen.add((interview, speaker))
    pairs = pd.MultiIndex.from_arrays([interviews, speakers])
    out[pairs.isin(list(chosen))] = True
    return out


def _check_codings(codings: Any) -> pd.DataFrame:
    if not isinstance(codings, pd.DataFrame):
        raise CodingError(
            f"expected a codings table (a pandas DataFrame), but found {type(codings).__name__}",
            hint="pass project.codings, or the table tk.autocode(segments, codebook) returns",
        )
    missing = [c for c in ("interview_id", "code") if c not in codings.columns]
    if not missing and "segment_id" not in codings.columns and "start" not in codings.columns:
        missing = ["segment_id"]
    if missing:
        raise CodingError(
            f"expected the codings table to have column(s) {', '.join(map(repr, missing))}, "
            f"but it has {', '.join(map(repr, codings.columns))}",
            hint="codings need interview_id, segment_id (or start and end) and code",
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
    if not isinstance(segments, pd.DataFrame):
        raise CodingError(
            f"expected the segments table beside the codings, but found {type(segments).__name__}",
            hint="pass project.segments (or tk.read_transcripts(folder)), or pass the project "
            "itself",
        )
    missing = [c for c in _SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        raise CodingError(
            f"expected the segments table to have column(s) {', '.join(map(repr, missing))}, "
            f"but it has {', '.join(map(repr, segments.columns))}",
            hint="pass the table tk.read_transcripts() returns",
        )
    return segments


def _check_codes(codings: pd.DataFrame, book: pd.DataFrame) -> None:
    codes = _text(codings["code"])
    unknown = ~codes.isin(set(book["code"]))
    if not unknown.any():
        return
    who = _text(codings["coder"]) if "coder" in codings.columns else pd.Series("", codes.index)
    counts = (
        pd.DataFrame({"code": codes[unknown], "coder": who[unknown]})
        .groupby(["code", "coder"], sort=True)
        .size()
    )
    listed = [
        f"'{code}' ({n} coding{'s' if n != 1 else ''}" + (f" by {coder})" if coder else ")")
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


def _select(codings: pd.DataFrame, coder: Any, segments: pd.DataFrame, codebook: Any) -> tuple:
    method = (
        _text(codings["method"], lower=True)
        if "method" in codings.columns
        else pd.Series("manual", index=codings.index)
    )
    names = _text(codings["coder"]) if "coder" in codings.columns else pd.Series("", codings.index)
    humans = sorted(set(names[method != "rule"]) - {""})
    if coder is None or coder == "humans":
        chosen = codings[method != "rule"]
        label = "all human coders, merged (" + ", ".join(humans) + ")" if humans else "human coders"
        if chosen.empty:
            raise CodingError(
                "expected codings by human coders, but every coding here was made by rules",
                hint="pass coder='rules' to count the rule codings",
            )
        return chosen, label
    if coder == "all":
        if not (method == "rule").any():
            # The rules' codings are computed, not stored: add them when the codebook has rules.
            try:
                codings = pd.concat([codings, _autocode(segments, codebook)], ignore_index=True)
            except CodingError:
                return codings, "every coder, merged (the codebook has no rules to add)"
        return codings, "every coder and the rules, merged"
    if coder == "rules":
        chosen = codings[method == "rule"]
        if chosen.empty:
            chosen = _autocode(segments, codebook)
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


def _autocode(segments: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    try:
        from toolkit.model.codings import autocode
    except ImportError:
        autocode = None
    if autocode is None or codebook is None or isinstance(codebook, pd.DataFrame):
        raise CodingError(
            "expected rule codings, but the codings table has none and they cannot be computed "
            "here",
            hint="run tk.autocode(segments, codebook) with a Codebook that has rules, and pass "
            "its result",
        )
    found = autocode(segments, codebook)
    if found.empty:
        raise CodingError(
            "expected the codebook's rules to code something, but they matched no segment",
            hint="check the rules in codebook.yml, or count the human codings (coder='humans')",
        )
    return found


def _segment_table(segments: pd.DataFrame, given: Any) -> pd.DataFrame:
    """Return the segments with clean ids and integer keys for fast joins and counts."""
    # Text columns stay plain Python objects: hashing and sorting them is much
    # faster than pandas' own string type, and these columns are joined on often.
    segs = pd.DataFrame(
        {
            "interview_id": _text(segments["interview_id"]).reset_index(drop=True),
            "segment_id": _ids(segments["segment_id"]).array,
            "speaker": _text(segments["speaker"]).reset_index(drop=True),
            "start": pd.to_numeric(segments["start"], errors="coerce").to_numpy(),
            "end": pd.to_numeric(segments["end"], errors="coerce").to_numpy(),
            "text": segments["text"].to_numpy(),
        }
    )
    if given is not None:
        labels = [given] if isinstance(given, str) else [str(g) for g in given]
        segs["interviewer"] = segs["speaker"].isin(labels)
    else:
        segs["interviewer"] = _guess_interviewers(
            segs["interview_id"], segs["speaker"], segs["text"]
        )
    # A participant's turn: not the interviewer's, and not an unlabelled note
    # in an interview whose turns are otherwise labelled.
    labelled = segs["interview_id"].isin(set(segs.loc[segs["speaker"] != "", "interview_id"]))
    segs["person"] = ~segs["interviewer"] & ((segs["speaker"] != "") | ~labelled)
    segs["_row"] = np.arange(len(segs))
    segs["_iid"] = pd.factorize(segs["interview_id"])[0]
    segs["_spk"] = pd.factorize(segs["speaker"])[0]
    # Ties between quotes are broken by interview and segment, whatever the rows' order.
    order = segs.sort_values(["interview_id", "segment_id"], kind="stable")["_row"].to_numpy()
    segs["_rank"] = np.empty(len(segs), dtype=np.int64)
    segs.loc[order, "_rank"] = np.arange(len(segs))
    return segs


def _attach(codings: pd.DataFrame, segs: pd.DataFrame, keep: tuple = ()) -> pd.DataFrame:
    """Join each coding to its segment (speaker, text bounds); clip its span to the segment."""
    iid = _text(codings["interview_id"])
    numbers = {
        c: pd.to_numeric(codings[c], errors="coerce") if c in codings.columns else np.nan
        for c in ("start", "end")
    }
    seg_ids = segs["segment_id"]
    if "segment_id" in codings.columns:
        sid = _ids(codings["segment_id"])
        if sid.dtype != seg_ids.dtype:
            sid, seg_ids = sid.astype("string"), seg_ids.astype("string")
    else:
        sid = pd.Series(pd.NA, index=codings.index, dtype=seg_ids.dtype)  # Int64 or string
    # Codings that carry only a span are placed in the segment where the span starts.
    lost = sid.isna() & pd.Series(numbers["start"], index=codings.index).notna()
    if lost.any():
        found = pd.merge_asof(
            pd.DataFrame(
                {"interview_id": iid[lost].astype(object), "start": numbers["start"][lost]}
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
    index = pd.MultiIndex.from_arrays([segs["interview_id"], seg_ids])
    if not index.is_unique:
        twice = index[index.duplicated()][0]
        raise CodingError(
            f"expected each segment once, but interview {twice[0]} has segment {twice[1]} twice",
            hint="read the transcripts again with tk.read_transcripts()",
        )
    row = index.get_indexer(pd.MultiIndex.from_arrays([iid, sid]))
    if (row < 0).any():
        first = int(np.flatnonzero(row < 0)[0])
        raise CodingError(
            f"expected every coding to point at a segment of the interviews, but "
            f"{int((row < 0).sum())} do not (for example {iid.iloc[first]} segment "
            f"{sid.iloc[first]}, code '{codings['code'].iloc[first]}')",
            hint="the transcripts may have changed since the coding was done: check the "
            "interview ids and segment numbers, or re-import the codings",
        )
    coded = segs.iloc[row].drop(columns="text").reset_index(drop=True)
    coded["code"] = _text(codings["code"]).to_numpy()
    for column in ("coder", "method"):
        coded[column] = (
            _text(codings[column], lower=column == "method").to_numpy()
            if column in codings.columns
            else ("manual" if column == "method" else "")
        )
    for column in keep:
        if column in codings.columns:
            coded[column] = codings[column].to_numpy()
    start = pd.Series(numbers["start"], index=codings.index).to_numpy(dtype=float)
    end = pd.Series(numbers["end"], index=codings.index).to_numpy(dtype=float)
    seg_start, seg_end = coded["start"].to_numpy(dtype=float), coded["end"].to_numpy(dtype=float)
    inside = ~np.isnan(start) & ~np.isnan(end) & (start < seg_end) & (end > seg_start)
    coded["span_start"] = np.where(inside, np.maximum(start, seg_start), seg_start).astype("int64")
    coded["span_end"] = np.where(inside, np.minimum(end, seg_end), seg_end).astype("int64")
    coded["start"], coded["end"] = start, end
    return coded


def _prepare(
    codings: Any,
    segments: Any,
    codebook: Any,
    participants: Any = None,
    *,
    coder: Any = "humans",
    interviewers: Any = None,
    keep: tuple[str, ...] = (),
) -> _Data:
    codings, segments, codebook, participants, settings = _unpack(
        codings, segments, codebook, participants
    )
    key = tuple(id(x) for x in (codings, segments, codebook, participants))
    key += (repr(coder), repr(interviewers), keep, repr(settings.get("interviewers")))
    if _REUSE is not None and key in _REUSE:
        return _REUSE[key]
    data = _prepare_new(
        codings, segments, codebook, participants, settings, coder, interviewers, keep
    )
    if _REUSE is not None:
        _REUSE[key] = data
    return data


# While a report is written, the same tables are prepared once, not once per table.
_REUSE: dict[tuple, _Data] | None = None


@contextlib.contextmanager
def reusing_prepared_tables() -> Iterator[None]:
    """Prepare each set of input tables once inside this block (they must not change)."""
    global _REUSE
    outer = _REUSE
    _REUSE = {} if outer is None else outer
    try:
        yield
    finally:
        _REUSE = outer


def _prepare_new(
    codings: Any,
    segments: Any,
    codebook: Any,
    participants: Any,
    settings: dict[str, Any],
    coder: Any,
    interviewers: Any,
    keep: tuple[str, ...],
) -> _Data:
    codings = _check_codings(codings)
    segments = _check_segments(segments)
    book = _codebook_table(codebook, codings)
    _check_codes(codings, book)
    chosen, label = _select(codings, coder, segments, codebook)
    if interviewers is None and settings.get("interviewers"):
        interviewers = settings["interviewers"]
    segs = _segment_table(segments, interviewers)
    labels = sorted(set(segs.loc[segs["interviewer"], "speaker"]))
    coded = _attach(chosen, segs, keep)
    themes = dict(zip(book["code"], book["theme"], strict=True))
    coded["theme"] = coded["code"].map(themes)
    if participants is not None and not isinstance(participants, pd.DataFrame):
        participants = None
    return _Data(coded, segs, book, participants, label, labels, settings)


# --- counting units -------------------------------------------------------------


def _keys(table: pd.DataFrame, unit: str) -> pd.Series:
    """Return an integer key per row: its segment, its interview, or its speaker's."""
    if unit == "interviews":
        return table["_iid"]
    if unit == "segments":
        return table["_row"]
    return table["_iid"].astype(np.int64) * (1 << 32) + table["_spk"].astype(np.int64)


def _units(data: _Data, unit: str, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the coded units (``_unit, interview_id, <level>``) and every unit there is."""
    coded, universe = data.coded, data.segments
    if unit == "participants":
        coded = coded[coded["person"]]
        universe = universe[universe["person"]]
    coded = coded.assign(_unit=_keys(coded, unit))
    universe = universe.assign(_unit=_keys(universe, unit)).drop_duplicates("_unit")
    columns = ["_unit", "interview_id", level] + (["theme"] if level == "code" else [])
    return coded[columns].drop_duplicates(["_unit", level]), universe[["_unit", "interview_id"]]


def _label(count: int, total: int, unit: str) -> str:
    noun = UNITS[unit]
    verb = {"participants": "mentioned by", "interviews": "in", "segments": "in"}[unit]
    return f"{verb} {count} of {total} {noun}"


def _attrs(table: pd.DataFrame, data: _Data, **more: Any) -> pd.DataFrame:
    """Give a result table its notes, and pandas' usual text type in its text columns."""
    for column in table.columns:
        values = table[column]
        if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
            table[column] = table[column].astype("str")
    table.attrs.update(
        {
            "coder": data.coder,
            "interviewers": list(data.interviewers),
            "pseudonymised": data.pseudonymised,
            **more,
        }
    )
    return table


def _order(book: pd.DataFrame, level: str) -> list[str]:
    return list(dict.fromkeys(book[level]))


# --- quotes ---------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
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


def _candidates(data: _Data, keys: list[str]) -> pd.DataFrame:
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


def _sources(data: _Data, picked: pd.DataFrame) -> pd.DataFrame:
    """Return the interview, segment and speaker of each picked span."""
    return (
        data.segments[["interview_id", "segment_id", "speaker"]]
        .iloc[picked["_row"].to_numpy()]
        .set_axis(picked.index)
    )


def _texts(data: _Data, picked: pd.DataFrame, max_chars: int, names: list[str]) -> pd.Series:
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
        out.append(_mask(_shorten(piece, max_chars), names))
    return pd.Series(out, index=picked.index, dtype=object)


def _full_names(participants: pd.DataFrame | None) -> list[str]:
    if participants is None or "name" not in participants.columns:
        return []
    names = _text(participants["name"]).unique()
    return sorted({n for n in names if n}, key=len, reverse=True)


def _mask(text: str, names: list[str]) -> str:
    # A safety net: a participant's full name (or surname) never reaches a quote.
    for name in names:
        parts = [name, *(p for p in name.split()[1:] if len(p) > 2)]
        for part in parts:
            text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def _speakers(labels: pd.Series, names: list[str]) -> pd.Series:
    # A speaker label holding a participant's full name or surname keeps only its first word.
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


def _best_quote(data: _Data, keys: list[str], max_chars: int = 160) -> pd.DataFrame:
    """Return one quote per value of `keys` (for chart tooltips)."""
    spans = _candidates(data, keys).drop_duplicates(keys)
    names = _full_names(data.participants)
    spans["quote"] = _texts(data, spans, max_chars, names)
    source = _sources(data, spans)
    spans["quote_by"] = _speakers(source["speaker"], names) + " (" + source["interview_id"] + ")"
    return spans[[*keys, "quote", "quote_by"]]


def exemplar_quotes(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    level: str = "code",
    per_code: int = 3,
    max_chars: int = 200,
    coder: Any = "humans",
    participants: pd.DataFrame | None = None,
    interviewers: Any = None,
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
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    level
        ``"code"`` or ``"theme"``.
    per_code
        How many quotes for each code or theme, at most.
    max_chars
        The longest a quote may be; longer passages are cut.
    coder
        Which codings to use (see the module notes).
    participants
        The participants table, for the name safety net.
    interviewers
        Speaker labels of interviewers (guessed if not given).

    Returns
    -------
    pandas.DataFrame
        ``<level>, theme, rank, quote, interview_id, segment_id, speaker, coders``.
        ``attrs["pseudonymised"]`` is the project's setting (None if unknown).

    Examples
    --------
    >>> import toolkit as tk
    >>> quotes = tk.exemplar_quotes(tk.sample_project(), per_code=2)
    >>> list(quotes.columns[:4])
    ['code', 'theme', 'rank', 'quote']
    """
    level = _level_name(level)
    data = _prepare(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    keys = [level] + (["theme"] if level == "code" else [])
    spans = _candidates(data, keys)
    # Round-robin over speakers: each speaker's first quote before anyone's second.
    spans = spans.drop_duplicates([level, "_row"])
    spans["_turn"] = spans.groupby([level, "_person"]).cumcount()
    spans = spans.sort_values([level, "_turn"], kind="stable")
    spans = spans.groupby(level, sort=False).head(per_code)
    names = _full_names(data.participants)
    spans["quote"] = _texts(data, spans, max_chars, names)
    spans = spans.join(_sources(data, spans))
    spans["speaker"] = _speakers(spans["speaker"], names)
    order = {name: i for i, name in enumerate(_order(data.book, level))}
    spans = spans.assign(_o=spans[level].map(order)).sort_values(["_o", "_turn"], kind="stable")
    spans["rank"] = spans.groupby(level).cumcount() + 1
    columns = [*keys, "rank", "quote", "interview_id", "segment_id", "speaker", "coders"]
    table = spans[columns].reset_index(drop=True)
    return _attrs(table, data, level=level)


# --- frequency --------------------------------------------------------------------


def theme_frequency(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    unit: str = "participants",
    level: str = "theme",
    coder: Any = "humans",
    interviewers: Any = None,
) -> pd.DataFrame:
    """Count how often each theme (or code) was mentioned, in a stated unit.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments
        The segments table (for speakers, and to know the totals).
    codebook
        The Codebook, or its table.  Every code in it gets a row, so codes
        nobody used show as 0.
    unit
        ``"participants"`` (people), ``"interviews"`` or ``"segments"``.
    level
        ``"theme"`` or ``"code"``.
    coder
        Which codings to count (see the module notes).
    interviewers
        Speaker labels of interviewers, not counted as participants.

    Returns
    -------
    pandas.DataFrame
        ``<level>, [theme,] count, total, percent, unit, label, color, quote,
        quote_by``, most mentioned first; ``label`` reads "mentioned by 9 of 16
        people", ``color`` is the theme's colour and ``quote`` a short example
        (for a chart's tooltip).  ``attrs`` hold ``unit``, ``total``,
        ``level``, ``coder`` and ``interviewers``.

    Raises
    ------
    CodingError
        If the codings are empty, name codes not in the codebook, or point
        at segments that do not exist.

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_frequency(tk.sample_project(), unit="participants")
    >>> table.attrs["unit"], table["unit"].iloc[0]
    ('participants', 'participants')
    """
    unit, level = _unit_name(unit), _level_name(level)
    data = _prepare(codings, segments, codebook, coder=coder, interviewers=interviewers)
    coded, universe = _units(data, unit, level)
    total = int(universe["_unit"].nunique())
    counts = coded.groupby(level).size()
    names = _order(data.book, level)
    table = pd.DataFrame({level: names})
    if level == "code":
        table["theme"] = table["code"].map(
            dict(zip(data.book["code"], data.book["theme"], strict=True))
        )
    table["count"] = table[level].map(counts).fillna(0).astype(int)
    table["total"] = total
    table["percent"] = (100 * table["count"] / total).round(1) if total else 0.0
    table["unit"] = unit
    table["label"] = [_label(n, total, unit) for n in table["count"]]
    table["color"] = table["theme" if level == "code" else level].map(_theme_colors(data.book))
    quotes = _best_quote(data, [level])
    table = table.merge(quotes, on=level, how="left")
    table[["quote", "quote_by"]] = table[["quote", "quote_by"]].fillna("")
    table["_o"] = range(len(table))
    table = table.sort_values(["count", "_o"], ascending=[False, True], kind="stable")
    table = table.drop(columns="_o").reset_index(drop=True)
    return _attrs(table, data, unit=unit, total=total, level=level)


# --- theme by group ------------------------------------------------------------------


def _groups(participants: Any, group: str) -> pd.Series:
    if participants is None or not isinstance(participants, pd.DataFrame):
        raise ProjectError(
            "expected a participants table to group by, but none was given",
            hint="pass participants=project.participants (or the project itself)",
        )
    if group not in participants.columns:
        columns = [c for c in participants.columns if c not in ("interview_id", "name")]
        raise ProjectError(
            f"expected a column '{group}' in the participants table to group by, but it has "
            f"only {', '.join(map(repr, columns)) or 'interview_id'}",
            path=participants.attrs.get("path"),
            hint=f"group by one of those columns, or add a '{group}' column to participants.csv",
        )
    values = participants[group].astype("string").fillna("").str.strip().replace("", NOT_RECORDED)
    return pd.Series(
        values.to_numpy(), index=participants["interview_id"].astype(str).to_numpy(), dtype=object
    )


def theme_by_group(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    group: str = "group",
    unit: str = "participants",
    level: str = "theme",
    coder: Any = "humans",
    interviewers: Any = None,
) -> pd.DataFrame:
    """Cross-tabulate themes (or codes) by a participant attribute, with tests.

    For each theme and group: how many of the group's people (or interviews,
    or segments) mention it, with row and column percentages.  Each theme
    then gets a chi-square test of mentioned / not mentioned against group,
    with Cramér's V as its effect size, where the counts allow (see
    :func:`group_tests`).  One test per theme, because one person can
    mention several themes: a single test over the whole table would count
    the same people more than once.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    participants
        The participants table: one row per interview with its attributes.
    group
        The participants column to group by.
    unit, level, coder, interviewers
        As for :func:`theme_frequency`.

    Returns
    -------
    pandas.DataFrame
        ``<level>, group, count, group_size, percent_of_group, row_percent,
        column_percent, unit, quote, quote_by``.  ``row_percent`` is the share
        of the theme's mentions from the group; ``column_percent`` the share
        of the group's mentions that are of the theme.  ``attrs["tests"]``
        holds the tests (records) and ``attrs["note"]`` a plain sentence
        about them.

    Raises
    ------
    ProjectError
        If the group column is not in the participants table.

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_by_group(tk.sample_project(), group="group")
    >>> "chi-square" in table.attrs["note"]
    True
    """
    unit, level = _unit_name(unit), _level_name(level)
    participants = _unpack(codings, segments, codebook, participants)[3]
    groups = _groups(participants, group)
    data = _prepare(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    coded, universe = _units(data, unit, level)
    coded = coded.assign(group=coded["interview_id"].map(groups).fillna(NOT_RECORDED))
    universe = universe.assign(group=universe["interview_id"].map(groups).fillna(NOT_RECORDED))
    sizes = universe.groupby("group").size()
    names = _order(data.book, level)
    order = sorted(sizes.index, key=lambda g: (g == NOT_RECORDED, g))
    grid = pd.MultiIndex.from_product([names, order], names=[level, "group"])
    counts = coded.groupby([level, "group"]).size().reindex(grid, fill_value=0)
    table = counts.rename("count").reset_index()
    table["group_size"] = table["group"].map(sizes).astype(int)
    row_total = table.groupby(level)["count"].transform("sum")
    col_total = table.groupby("group")["count"].transform("sum")
    table["percent_of_group"] = _percent(table["count"], table["group_size"])
    table["row_percent"] = _percent(table["count"], row_total)
    table["column_percent"] = _percent(table["count"], col_total)
    table["unit"] = unit
    quotes = _best_quote(replace(data, coded=_with_group(data, groups)), [level, "group"])
    table = table.merge(quotes, on=[level, "group"], how="left")
    table[["quote", "quote_by"]] = table[["quote", "quote_by"]].fillna("")
    tests = group_tests(table, level=level)
    table = _attrs(table, data, unit=unit, group=group, level=level)
    table.attrs["tests"] = tests.to_dict("records")
    table.attrs["note"] = _tests_note(tests, unit)
    return table


def _with_group(data: _Data, groups: pd.Series) -> pd.DataFrame:
    return data.coded.assign(group=data.coded["interview_id"].map(groups).fillna(NOT_RECORDED))


def _percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole = pd.Series(whole, index=part.index).astype(float)
    return (100 * part / whole.where(whole > 0)).fillna(0.0).round(1)


def group_tests(table: pd.DataFrame, *, level: str | None = None) -> pd.DataFrame:
    """Test each theme of a theme-by-group table: chi-square and Cramér's V.

    For each theme the test compares, across groups, how many mentioned it
    with how many did not (``count`` against ``group_size - count``).  The
    test is run only where the counts allow, by Cochran's rule: every
    expected count at least 1, and no more than one in five below 5.
    Otherwise ``note`` says why in plain words, and the counts should be
    read as they are.  No continuity correction is applied, and p-values
    are not adjusted for testing several themes.

    Parameters
    ----------
    table
        A table from :func:`theme_by_group`.
    level
        ``"theme"`` or ``"code"`` (default: the table's own).

    Returns
    -------
    pandas.DataFrame
        ``<level>, n, groups, chi2, dof, p_value, cramers_v, tested, note``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"theme": ["Kindness"] * 2, "group": ["carer", "staff"],
    ...                       "count": [30, 10], "group_size": [40, 40]})
    >>> tests = group_tests(table)
    >>> bool(tests["tested"].iloc[0]), round(float(tests["cramers_v"].iloc[0]), 2)
    (True, 0.5)
    """
    from scipy.stats import chi2_contingency

    level = level or table.attrs.get("level") or ("theme" if "theme" in table.columns else "code")
    missing = [c for c in (level, "group", "count", "group_size") if c not in table.columns]
    if missing:
        raise ToolkitError(
            f"expected a theme-by-group table with column(s) {', '.join(map(repr, missing))}",
            hint="pass the table tk.theme_by_group() returns",
        )
    rows = []
    for name, part in table.groupby(level, sort=False):
        part = part[part["group_size"] > 0]
        yes = part["count"].to_numpy(dtype=float)
        no = (part["group_size"] - part["count"]).to_numpy(dtype=float)
        n = int(part["group_size"].sum())
        row = {
            level: name,
            "n": n,
            "groups": len(part),
            "chi2": np.nan,
            "dof": np.nan,
            "p_value": np.nan,
            "cramers_v": np.nan,
            "tested": False,
        }
        if len(part) < 2:
            row["note"] = "Not tested: there is only one group."
        elif yes.sum() == 0 or no.sum() == 0:
            row["note"] = (
                "Not tested: " + ("no one" if yes.sum() == 0 else "everyone") + " mentioned it."
            )
        else:
            observed = np.vstack([yes, no])
            expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / n
            small = int((expected < 5).sum())
            if expected.min() < 1 or small > 0.2 * expected.size:
                row["note"] = (
                    f"Not tested: {small} of {expected.size} expected counts are below 5 "
                    "(a chi-square test needs no more than one in five), so read the counts."
                )
            else:
                chi2, p, dof, _ = chi2_contingency(observed, correction=False)
                v = float(np.sqrt(chi2 / (n * (min(observed.shape) - 1))))
                row.update(
                    chi2=float(chi2), dof=int(dof), p_value=float(p), cramers_v=v, tested=True
                )
                row["note"] = (
                    f"Chi-square {chi2:.1f} on {dof} degrees of freedom, p = {_p(p)}; "
                    f"Cramér's V = {v:.2f} ({_strength(v)} association)."
                )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=[level, "n", "groups", "chi2", "dof", "p_value", "cramers_v", "tested", "note"],
    )


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _strength(v: float) -> str:
    return "a weak" if v < 0.2 else "a moderate" if v < 0.4 else "a strong"


def _tests_note(tests: pd.DataFrame, unit: str) -> str:
    done = int(tests["tested"].sum())
    total = len(tests)
    noun = UNITS[unit]
    if total == 0:
        return "There were no themes to test."
    if done == 0:
        return (
            f"No chi-square test was run: there are too few {noun} in each group for the test "
            "to be trustworthy (too many expected counts below 5). Read the counts and "
            "percentages as a description of these people, not as evidence about groups in "
            "general."
        )
    return (
        f"A chi-square test of mentioned against not mentioned, by group, was possible for "
        f"{done} of {total} themes (Cramér's V gives the strength of each association); for "
        f"the others there are too few {noun} per group. P-values are not adjusted for "
        "testing several themes."
    )


# --- co-occurrence -----------------------------------------------------------------


def cooccurrence(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    level: str = "code",
    within: str = "segment",
    coder: Any = "humans",
) -> pd.DataFrame:
    """Count pairs of codes (or themes) applied together, with Jaccard similarity.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    level
        ``"code"`` or ``"theme"``.
    within
        ``"segment"``: two codes co-occur when both are applied to the same
        segment; ``jaccard`` is segments with both / segments with either.
        ``"overlap"``: two codes co-occur when their coded spans overlap;
        each code's spans in an interview are first merged into passages,
        ``both`` counts overlapping pairs of passages and ``jaccard`` is the
        characters coded with both / characters coded with either.
    coder
        Which codings to count (see the module notes).

    Returns
    -------
    pandas.DataFrame
        One row per pair that co-occurs (``<level>_a`` before ``<level>_b``
        in codebook order): ``<level>_a, <level>_b, both, count_a, count_b,
        jaccard, unit, quote, quote_by``, most frequent first; ``unit`` is
        ``"segments"`` or ``"passages"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> pairs = tk.cooccurrence(tk.sample_project())
    >>> list(pairs.columns[:6])
    ['code_a', 'code_b', 'both', 'count_a', 'count_b', 'jaccard']
    """
    level = _level_name(level)
    if within not in ("segment", "overlap"):
        raise ToolkitError(
            f"expected within='segment' or within='overlap', but found {within!r}",
            hint="'segment' counts codes on the same turn; 'overlap' counts overlapping spans",
        )
    data = _prepare(codings, segments, codebook, coder=coder)
    a, b = f"{level}_a", f"{level}_b"
    order = {name: i for i, name in enumerate(_order(data.book, level))}
    if within == "segment":
        units = data.coded[["_row", "_rank", level]].drop_duplicates(["_row", level])
        units["_o"] = units[level].map(order)
        counts = units.groupby(level).size()
        pairs = units.merge(units, on=["_row", "_rank"], suffixes=("_a", "_b"))
        pairs = pairs[pairs["_o_a"] < pairs["_o_b"]].sort_values("_rank", kind="stable")
        table = pairs.groupby([a, b], as_index=False).agg(
            both=("_row", "size"), _row=("_row", "first")
        )
        table["count_a"] = table[a].map(counts).astype(int)
        table["count_b"] = table[b].map(counts).astype(int)
        table["jaccard"] = table["both"] / (table["count_a"] + table["count_b"] - table["both"])
        unit_name = "segments"
    else:
        table = _overlaps(data, level, order)
        unit_name = "passages"
    if table.empty:
        table = pd.DataFrame(columns=[a, b, "both", "count_a", "count_b", "jaccard"])
        table["quote"], table["quote_by"] = [], []
    else:
        table = _pair_quotes(data, table, a, b)
    table["jaccard"] = table["jaccard"].astype(float).round(3)
    table["_o"] = table[a].map(order) * 10_000 + table[b].map(order)
    table = table.sort_values(["both", "jaccard", "_o"], ascending=[False, False, True])
    table["unit"] = unit_name
    columns = [a, b, "both", "count_a", "count_b", "jaccard", "unit", "quote", "quote_by"]
    table = table[columns].reset_index(drop=True)
    measure = "segments" if within == "segment" else "characters"
    return _attrs(table, data, unit=unit_name, level=level, within=within, measure=measure)


def _pair_quotes(data: _Data, table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Quote the segment where each pair first comes together."""
    rows = table["_row"].to_numpy()
    picked = pd.DataFrame(
        {
            "_row": rows,
            "span_start": data.segments["start"].to_numpy()[rows],
            "span_end": data.segments["end"].to_numpy()[rows],
        },
        index=table.index,
    ).fillna(0)
    picked = picked.astype({"span_start": "int64", "span_end": "int64"})
    names = _full_names(data.participants)
    source = _sources(data, picked)
    table = table.copy()
    table["quote"] = _texts(data, picked, 160, names)
    table["quote_by"] = _speakers(source["speaker"], names) + " (" + source["interview_id"] + ")"
    return table


def _overlaps(data: _Data, level: str, order: dict[str, int]) -> pd.DataFrame:
    a, b = f"{level}_a", f"{level}_b"
    spans = data.coded[["_iid", "_row", level, "span_start", "span_end"]]
    spans = spans.sort_values(["_iid", level, "span_start"], kind="stable")
    # Merge each code's spans into passages: a passage starts where a span
    # begins after every earlier span of the same code has ended.
    reach = spans.groupby(["_iid", level])["span_end"].cummax()
    previous = reach.groupby([spans["_iid"], spans[level]]).shift()
    starts = previous.isna() | (spans["span_start"] > previous)
    spans = spans.assign(_p=starts.cumsum())
    passages = (
        spans.groupby("_p", as_index=False)
        .agg(
            _iid=("_iid", "first"),
            _row=("_row", "first"),
            code=(level, "first"),
            start=("span_start", "min"),
            end=("span_end", "max"),
        )
        .rename(columns={"code": level})
    )
    passages["_o"] = passages[level].map(order)
    counts = passages.groupby(level).size()
    chars = (passages["end"] - passages["start"]).groupby(passages[level]).sum()
    pairs = passages.merge(passages, on="_iid", suffixes=("_a", "_b"))
    pairs = pairs[
        (pairs["_o_a"] < pairs["_o_b"])
        & (pairs["start_a"] < pairs["end_b"])
        & (pairs["start_b"] < pairs["end_a"])
    ]
    if pairs.empty:
        return pd.DataFrame(columns=[a, b, "both", "count_a", "count_b", "jaccard"])
    pairs = pairs.assign(
        _shared=np.minimum(pairs["end_a"], pairs["end_b"])
        - np.maximum(pairs["start_a"], pairs["start_b"])
    )
    table = pairs.groupby([a, b], as_index=False).agg(
        both=("_shared", "size"),
        shared=("_shared", "sum"),
        _row=("_row_a", "first"),
    )
    table["count_a"] = table[a].map(counts).astype(int)
    table["count_b"] = table[b].map(counts).astype(int)
    union = table[a].map(chars) + table[b].map(chars) - table["shared"]
    table["jaccard"] = table["shared"] / union
    return table.drop(columns="shared")


# --- prevalence -------------------------------------------------------------------------


def theme_prevalence(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    level: str = "theme",
    group: str | None = None,
    coder: Any = "humans",
    quoted: int = 500,
) -> pd.DataFrame:
    """Show which interviews mention which themes: a table for a matrix view.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    participants
        The participants table, to label each interview with its group.
    level
        ``"theme"`` or ``"code"``.
    group
        A participants column to add beside each interview (for sorting).
    coder
        Which codings to count (see the module notes).
    quoted
        Quote the interviews that mention the most themes, up to this many
        (the ones a matrix chart can show); the rest get an empty quote, so
        a large consultation does not wait for hundreds of thousands.

    Returns
    -------
    pandas.DataFrame
        One row per interview and theme (every pair, so absences show):
        ``interview_id, <level>, segments, present, [group,] quote``.
        ``segments`` is how many of the interview's segments were coded
        with the theme.  ``table.pivot(index="interview_id", columns="theme",
        values="segments")`` gives the wide matrix.

    Examples
    --------
    >>> import toolkit as tk
    >>> matrix = tk.theme_prevalence(tk.sample_project())
    >>> bool(matrix["present"].any())
    True
    """
    level = _level_name(level)
    participants = _unpack(codings, segments, codebook, participants)[3]
    groups = _groups(participants, group) if group else None
    data = _prepare(codings, segments, codebook, participants, coder=coder)
    coded, universe = _units(data, "segments", level)
    counts = coded.groupby(["interview_id", level]).size()
    interviews = list(dict.fromkeys(universe["interview_id"]))
    names = _order(data.book, level)
    grid = pd.MultiIndex.from_product([interviews, names], names=["interview_id", level])
    table = counts.reindex(grid, fill_value=0).rename("segments").reset_index()
    table["present"] = table["segments"] > 0
    if groups is not None:
        table["group"] = table["interview_id"].map(groups).fillna(NOT_RECORDED)
    breadth = coded.groupby("interview_id")[level].nunique()
    chosen = breadth.sort_values(ascending=False, kind="stable").head(quoted).index
    subset = replace(data, coded=data.coded[data.coded["interview_id"].isin(chosen)])
    quotes = _best_quote(subset, ["interview_id", level], max_chars=140)
    table = table.merge(quotes.drop(columns="quote_by"), on=["interview_id", level], how="left")
    table["quote"] = table["quote"].fillna("")
    return _attrs(table, data, unit="segments", level=level, group=group)


# --- the positive core --------------------------------------------------------------------

_STRENGTH_WORDS = re.compile(r"peak|strength|value|enabl|work(s|ing) well|best|core|asset", re.I)
_WISH_WORDS = re.compile(r"wish|dream|hope|future|imagine|ideas?", re.I)


def _named_themes(given: Any, themes: list[str], words: re.Pattern, side: str) -> list[str]:
    if given is None:
        found = [t for t in themes if words.search(t)]
        if not found:
            raise ToolkitError(
                f"expected the codebook themes for the {side} side of the positive core, but "
                "none of the theme names suggests it; the themes are "
                + ", ".join(map(repr, themes)),
                hint=f"name them, e.g. {side}=['{themes[0]}']",
            )
        return found
    wanted = [given] if isinstance(given, str) else list(given)
    unknown = [t for t in wanted if t not in themes]
    if unknown:
        raise CodebookError(
            f"expected themes from the codebook for the {side} side, but found "
            f"{', '.join(map(repr, unknown))}, which the codebook does not have; its themes are "
            f"{', '.join(map(repr, themes))}",
            hint="use the theme names exactly as they are in codebook.yml",
        )
    return wanted


def positive_core(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    strengths: Any = None,
    wishes: Any = None,
    unit: str = "participants",
    coder: Any = "humans",
    interviewers: Any = None,
) -> pd.DataFrame:
    """Set strengths and peak experiences beside wishes and dreams (the positive core).

    In appreciative inquiry the positive core is what already gives life to
    a system: its strengths, best moments and enabling conditions.  This
    table puts the codes of the themes you name as strengths beside the
    codes of the themes you name as wishes, each counted in the same unit,
    so a team can see what to build on next to what people hope for.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    strengths, wishes
        Codebook theme names (one, or a list).  If not given, themes whose
        names speak of peaks, strengths, values or what enables (and of
        wishes, dreams or hopes) are used.
    unit, coder, interviewers
        As for :func:`theme_frequency`.

    Returns
    -------
    pandas.DataFrame
        ``side, theme, code, count, total, percent, unit, label, quote,
        quote_by``; ``side`` is "Strengths" or "Wishes".

    Examples
    --------
    >>> import toolkit as tk
    >>> core = tk.positive_core(tk.sample_project())
    >>> sorted(core["side"].unique())
    ['Strengths', 'Wishes']
    """
    unit = _unit_name(unit)
    table = theme_frequency(
        codings,
        segments,
        codebook,
        unit=unit,
        level="code",
        coder=coder,
        interviewers=interviewers,
    )
    themes = list(dict.fromkeys(table["theme"]))
    codings_, _, codebook_, _, _ = _unpack(codings, segments, codebook, None)
    if codebook_ is not None:
        themes = list(dict.fromkeys(_codebook_table(codebook_, codings_)["theme"]))
    good = _named_themes(strengths, themes, _STRENGTH_WORDS, "strengths")
    hopes = _named_themes(wishes, themes, _WISH_WORDS, "wishes")
    both = set(good) & set(hopes)
    if both:
        raise ToolkitError(
            f"expected each theme on one side only, but {', '.join(map(repr, sorted(both)))} "
            "is named as both a strength and a wish",
            hint="name it on one side only",
        )
    side = table["theme"].map({**{t: "Strengths" for t in good}, **{t: "Wishes" for t in hopes}})
    core = table.assign(side=side).dropna(subset=["side"])
    core["_s"] = core["side"].map({"Strengths": 0, "Wishes": 1})
    core = core.sort_values(["_s", "count"], ascending=[True, False], kind="stable")
    columns = ["side", "theme", "code", "count", "total", "percent", "unit", "label"]
    columns += ["color", "quote", "quote_by"]
    out = core[columns].reset_index(drop=True)
    out.attrs.update(table.attrs)
    out.attrs.update(strengths=good, wishes=hopes)
    return out


# --- change over time ---------------------------------------------------------------------------


def _periods(values: pd.Series, freq: str | None) -> tuple[pd.Series, str]:
    """Turn dates into period labels (or keep session names in order of appearance)."""
    text = values.astype("string").fillna("").str.strip()
    present = text[text != ""]
    looks_like_dates = bool(len(present)) and present.str.contains(r"\d{1,4}\D\d{1,2}").all()
    dates = pd.to_datetime(present, errors="coerce", format="ISO8601")
    if looks_like_dates and dates.isna().any():
        # UK spreadsheets write dates day first (03/10/2026 is 3 October).
        dates = pd.to_datetime(present, errors="coerce", format="mixed", dayfirst=True)
    if looks_like_dates and dates.notna().all():
        span = (dates.max() - dates.min()).days
        freq = freq or ("D" if span <= 14 else "W" if span <= 120 else "M")
        names = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
        if freq not in names:
            raise ToolkitError(
                f"expected freq to be one of {', '.join(map(repr, names))}, but found {freq!r}",
                hint="use 'W' for weeks or 'M' for months",
            )
        periods = dates.dt.to_period(freq).dt.start_time.dt.strftime("%Y-%m-%d")
        return periods.reindex(values.index).fillna(NOT_RECORDED), names[freq]
    return text.replace("", NOT_RECORDED).astype(object), "session"


def _period_order(labels: pd.Series, period_name: str) -> list[str]:
    order = list(dict.fromkeys(labels))
    if period_name != "session":
        order = sorted(order, key=lambda p: (p == NOT_RECORDED, p))
    return order


def theme_trend(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    when: str = "session",
    freq: str | None = None,
    unit: str = "participants",
    level: str = "theme",
    coder: Any = "humans",
    interviewers: Any = None,
) -> pd.DataFrame:
    """Count themes per session or period, to see change over time.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    participants
        The participants table, where the session or date may be recorded
        per interview.
    when
        The column holding the session or date: looked for in the codings
        first, then in the participants table (by interview).  Dates are
        grouped into periods; other values are kept as sessions, in the
        order they first appear.
    freq
        For dates: ``"D"``, ``"W"``, ``"M"``, ``"Q"`` or ``"Y"`` (default:
        chosen from the span of the dates).
    unit, level, coder, interviewers
        As for :func:`theme_frequency`.

    Returns
    -------
    pandas.DataFrame
        ``period, <level>, count, total, percent, unit``: ``total`` is how
        many units there are in the period, so periods of different sizes
        compare fairly by ``percent``.

    Examples
    --------
    >>> import toolkit as tk
    >>> trend = tk.theme_trend(tk.sample_project(), when="consent_date", freq="W")
    >>> trend.attrs["period"]
    'week'
    """
    unit, level = _unit_name(unit), _level_name(level)
    table, _, _, participants, _ = _unpack(codings, segments, codebook, participants)
    on_codings = isinstance(table, pd.DataFrame) and when in table.columns
    data = _prepare(
        codings,
        segments,
        codebook,
        participants,
        coder=coder,
        interviewers=interviewers,
        keep=(when,) if on_codings else (),
    )
    if on_codings and when in data.coded.columns:
        # Sessions recorded on the codings: each unit belongs to the period it was coded in.
        labels, period_name = _periods(data.coded[when], freq)
        data = replace(data, coded=data.coded.assign(period=labels.to_numpy()))
        coded = data.coded
        coded = coded[coded["person"]] if unit == "participants" else coded
        coded = coded.assign(_unit=_keys(coded, unit))
        coded = coded.drop_duplicates(["_unit", level, "period"])
        totals = coded.drop_duplicates(["_unit", "period"]).groupby("period").size()
        counts = coded.groupby(["period", level]).size()
        order = _period_order(labels, period_name)
    else:
        if participants is None or when not in participants.columns:
            where = list(participants.columns) if participants is not None else []
            raise ToolkitError(
                f"expected a column '{when}' (a session or a date) in the codings or the "
                f"participants table, but neither has it"
                + (f"; participants has {', '.join(map(repr, where))}" if where else ""),
                hint="add a 'session' or 'date' column to the codings or to participants.csv, "
                "or pass when='<that column>'",
            )
        labels, period_name = _periods(participants[when], freq)
        period_of = pd.Series(
            labels.to_numpy(), index=participants["interview_id"].astype(str).to_numpy()
        )
        data = replace(
            data,
            coded=data.coded.assign(
                period=data.coded["interview_id"].map(period_of).fillna(NOT_RECORDED)
            ),
        )
        coded, universe = _units(data, unit, level)
        coded = coded.assign(period=coded["interview_id"].map(period_of).fillna(NOT_RECORDED))
        universe = universe.assign(
            period=universe["interview_id"].map(period_of).fillna(NOT_RECORDED)
        )
        totals = universe.groupby("period").size()
        counts = coded.groupby(["period", level]).size()
        order = _period_order(pd.Series([*labels, *totals.index]), period_name)
    names = _order(data.book, level)
    grid = pd.MultiIndex.from_product([order, names], names=["period", level])
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    table["total"] = table["period"].map(totals).fillna(0).astype(int)
    table["percent"] = _percent(table["count"], table["total"])
    table["unit"] = unit
    table["color"] = table["theme" if level == "code" else level].map(_theme_colors(data.book))
    table = table[table["total"] > 0]
    table = table.merge(_best_quote(data, ["period", level], 140), on=["period", level], how="left")
    table[["quote", "quote_by"]] = table[["quote", "quote_by"]].fillna("")
    return _attrs(table, data, unit=unit, level=level, period=period_name, when=when)


def vote_trend(
    votes: pd.DataFrame, *, when: str = "session", top: int | None = None
) -> pd.DataFrame:
    """Sum dot votes per item and session, to see how priorities moved.

    Parameters
    ----------
    votes
        The votes table: ``participant, item, dots`` and a session (or date)
        column.
    when
        The column holding the session or date.
    top
        Keep only the items with the most dots overall.

    Returns
    -------
    pandas.DataFrame
        ``period, item, dots, total, percent``: ``percent`` is the item's
        share of the dots placed in that session.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"participant": ["a", "b", "a"], "item": ["Lifts", "Calls", "Calls"],
    ...                       "dots": [2, 1, 3], "session": ["June", "June", "July"]})
    >>> vote_trend(votes)[["period", "item", "dots"]].values.tolist()
    [['June', 'Calls', 1], ['June', 'Lifts', 2], ['July', 'Calls', 3], ['July', 'Lifts', 0]]
    """
    if not isinstance(votes, pd.DataFrame):
        raise EnergyError(
            f"expected a votes table, but found {type(votes).__name__}",
            hint="pass project.votes",
        )
    missing = [c for c in ("item", "dots", when) if c not in votes.columns]
    if missing:
        raise EnergyError(
            f"expected the votes table to have column(s) {', '.join(map(repr, missing))}, but it "
            f"has {', '.join(map(repr, votes.columns))}",
            path=votes.attrs.get("path"),
            hint=f"add a '{when}' column to votes.csv saying which session each vote was in",
        )
    if votes.empty:
        raise EnergyError(
            "expected votes to count, but the votes table is empty",
            hint="record the dots from your workshop in votes.csv",
        )
    dots = pd.to_numeric(votes["dots"], errors="coerce")
    if dots.isna().any():
        bad = votes.loc[dots.isna(), "dots"].iloc[0]
        raise EnergyError(
            f"expected a number of dots in every vote, but found {bad!r}",
            path=votes.attrs.get("path"),
            hint="write the number of dots as digits, e.g. 3",
        )
    labels, period_name = _periods(votes[when], None)
    table = pd.DataFrame(
        {
            "period": labels.to_numpy(),
            "item": votes["item"].astype(str).to_numpy(),
            "dots": dots.to_numpy(),
        }
    )
    items = (
        table.groupby("item", sort=False)["dots"].sum().sort_values(ascending=False, kind="stable")
    )
    if top:
        items = items.head(top)
    order = _period_order(labels, period_name)
    grid = pd.MultiIndex.from_product([order, list(items.index)], names=["period", "item"])
    out = table.groupby(["period", "item"])["dots"].sum().reindex(grid, fill_value=0).reset_index()
    out["dots"] = out["dots"].astype(int) if (out["dots"] % 1 == 0).all() else out["dots"]
    out["total"] = out["period"].map(table.groupby("period")["dots"].sum())
    out["percent"] = _percent(out["dots"], out["total"])
    out.attrs.update(unit="dots", period=period_name, when=when, level="item")
    return out


def select_codings(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    coder: Any = "humans",
) -> pd.DataFrame:
    """Return the codings a theme table would count, checked and joined to speakers.

    Parameters
    ----------
    codings
        The codings table, or a Project (its tables are used).
    segments, codebook
        The segments table and the Codebook (or its table).
    coder
        ``"humans"`` (every human coder, merged), ``"rules"``, ``"all"``, or
        a coder's name or a list of names.

    Returns
    -------
    pandas.DataFrame
        ``interview_id, segment_id, speaker, code, theme, coder, method,
        start, end``; ``attrs["coder"]`` says in words what was chosen.

    Raises
    ------
    CodingError
        If the table is empty, names codes the codebook does not have, or
        there are no codings by the coder asked for.

    Examples
    --------
    >>> import toolkit as tk
    >>> chosen = tk.select_codings(tk.sample_project(), coder="humans")
    >>> chosen.attrs["coder"].startswith("all human coders")
    True
    """
    data = _prepare(codings, segments, codebook, coder=coder)
    columns = [
        "interview_id",
        "segment_id",
        "speaker",
        "code",
        "theme",
        "coder",
        "method",
        "start",
        "end",
    ]
    table = data.coded[columns].reset_index(drop=True)
    return _attrs(table, data)
