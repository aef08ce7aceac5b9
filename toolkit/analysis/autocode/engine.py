"""Code segments by the codebook's rules: :func:`autocode`, and the plain reference.

:func:`autocode` applies a codebook's rules to a segments table.  It scans the
text once for every keyword of every code together (an Aho-Corasick automaton
over a case-folded copy of the text, :mod:`toolkit.analysis.autocode.scanner`),
and uses the same scan to find the segments where each regular expression
could match (a word every match must contain), so that it stays fast on a
national consultation with hundreds of codes.  :func:`autocode_reference` does
the same job the plain way, one ``re`` search per rule per segment: the two
always give the same table.  :func:`autocode_project` codes a project, and
says so when its codebook has no rules to code with.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.autocode.matches import codings_from_matches
from toolkit.analysis.autocode.ruleset import RuleSet, plain_matches
from toolkit.analysis.autocode.scanner import Scanner
from toolkit.errors import CodingError
from toolkit.io.files import cell_text
from toolkit.model.codebook import Codebook, as_codebook
from toolkit.model.people import who_spoke
from toolkit.tables import empty_codings, require_table

__all__ = [
    "CHUNK_CHARS",
    "UNITS",
    "autocode",
    "autocode_project",
    "autocode_reference",
    "check_segments",
    "segment_texts",
    "unit_name",
]

#: What a coding covers, by each name it may be given (singular or plural).
UNITS = {
    "segment": "segment",
    "segments": "segment",
    "sentence": "sentence",
    "sentences": "sentence",
    "match": "match",
    "matches": "match",
}
#: Segments are scanned in chunks of about this many characters, so memory
#: stays flat however big the corpus is.
CHUNK_CHARS = 1 << 21


def unit_name(unit: str) -> str:
    """Return ``"segment"``, ``"sentence"`` or ``"match"`` for a unit, singular or plural.

    Raises
    ------
    CodingError
        For any other unit.

    Examples
    --------
    >>> unit_name("sentences"), unit_name("match")
    ('sentence', 'match')
    """
    if not isinstance(unit, str) or unit not in UNITS:
        raise CodingError(
            "expected unit to be one of 'segment', 'sentence', 'match' (or their plurals), "
            f"but found {unit!r}",
            hint="use unit='segment' (whole turns), 'sentence' or 'match' (the matched words)",
        )
    return UNITS[unit]


def segment_texts(segments: pd.DataFrame, a: int = 0, b: int | None = None) -> list[str]:
    """Return the texts of segments ``a`` to ``b`` (by position), missing ones as ``""``."""
    values = segments["text"].iloc[a:b].tolist()
    return [v if isinstance(v, str) else cell_text(v) for v in values]


def check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """Return `segments` if it is a segments table rule coding can use, or raise CodingError."""
    return require_table(
        segments,
        ("interview_id", "segment_id", "start", "text"),
        "segments",
        hint="pass project.segments, or the table tk.read_transcripts(path) returns",
        error=CodingError,
    )


def _start(
    segments: pd.DataFrame, codebook: Any, unit: str
) -> tuple[pd.DataFrame, RuleSet, str] | None:
    """Check the segments and the unit and read the rules: the start of every rule coding.

    Returns the segments (numbered from 0), the rules and the unit's name,
    or None when there is nothing to code (no rules, or no segments).
    """
    check_segments(segments)
    unit = unit_name(unit)
    rules = RuleSet(codebook)
    if not rules.codes or segments.empty:
        return None
    return segments.reset_index(drop=True), rules, unit


def _chunk_ends(lengths: np.ndarray) -> list[int]:
    """Return where each chunk of about `CHUNK_CHARS` characters of segments ends."""
    ends, total = [], 0
    for i, length in enumerate(lengths.tolist()):
        total += length + 1
        if total >= CHUNK_CHARS:
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
        The segments table (``interview_id, segment_id, start, text`` at least),
        or a dask DataFrame of segments: then a dask DataFrame of codings is
        returned, each partition coded on its own (the same codings; see
        :mod:`toolkit.analysis.autocode.dask_engine`).
    codebook
        A :class:`~toolkit.model.codebook.Codebook`; codes without rules are
        skipped (a codebook with none gives no codings; :func:`autocode_project`
        says so instead).
    unit
        What a coding covers: ``"segment"`` (the whole speaker turn, the
        default), ``"sentence"`` (the sentence the match starts in) or
        ``"match"`` (just the matched words); plurals work too.
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
    if hasattr(segments, "map_partitions") and hasattr(segments, "npartitions"):
        # A dask DataFrame: this function codes each partition, where it lies.
        check_segments(pd.DataFrame(columns=list(segments.columns)))
        return segments.map_partitions(
            autocode,
            as_codebook(codebook),
            unit=unit_name(unit),
            progress=False,
            meta=empty_codings(),
        )
    started = _start(segments, codebook, unit)
    if started is None:
        return empty_codings()
    segments, rules, unit = started
    scanner = Scanner(rules)
    all_texts = segment_texts(segments)
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
                found = list(plain_matches(rules, seg, texts[seg - a]))
                if found:
                    parts.append(list(np.array(found, dtype=np.int64).T))
            plain |= plain_here
            bar.update(int(lengths[a:b].sum()))
            a = b
    if not parts:
        return empty_codings()
    columns = [np.concatenate(cols) for cols in zip(*parts, strict=True)]
    del parts  # keep one copy of the matches in memory, not two
    return codings_from_matches(segments, rules, columns, unit, all_texts)


def autocode_reference(
    segments: pd.DataFrame, codebook: Codebook, *, unit: str = "segment"
) -> pd.DataFrame:
    """Code segments with the codebook's rules the plain way: one ``re`` search per rule.

    This is the definition :func:`autocode` must agree with, kept for tests
    and the benchmark.  Each keyword stands for the regular expression
    :func:`toolkit.model.rules.keyword_pattern` gives; each rule is searched
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
    started = _start(segments, codebook, unit)
    if started is None:
        return empty_codings()
    segments, rules, unit = started
    texts = segment_texts(segments)
    found = [m for i, text in enumerate(texts) for m in plain_matches(rules, i, text)]
    if not found:
        return empty_codings()
    columns = list(np.array(found, dtype=np.int64).T)
    return codings_from_matches(segments, rules, columns, unit, texts)


def autocode_project(
    project: Any,
    *,
    unit: str = "segment",
    progress: bool | None = None,
    keep_interviewers: bool = False,
) -> pd.DataFrame:
    """Code a project's segments with its codebook's rules (what ``codesign-toolkit code`` runs).

    Interviewers' turns are left out: their questions use the same words as
    the answers.  Who the interviewers are comes from participants.csv, the
    ``interviewers`` setting in ``project.yml``, or a careful guess (see
    :func:`toolkit.model.people.find_interviewers`).

    Parameters
    ----------
    project
        A :class:`~toolkit.model.project.Project` (``tk.open_project(folder)``).
    unit, progress
        As for :func:`autocode`.
    keep_interviewers
        Code the interviewers' turns too.

    Returns
    -------
    pandas.DataFrame
        The rule codings (see :func:`autocode`).  ``attrs["interviewers"]``
        says who was left out and why (an
        :class:`~toolkit.model.interviewers.Interviewers`), and
        ``attrs["segments"]`` how many segments were coded by the rules.

    Raises
    ------
    CodingError
        When the codebook has no rules (keywords or regular expressions) to
        code with, naming the codebook file.

    Examples
    --------
    >>> import toolkit as tk
    >>> codings = tk.autocode_project(tk.sample_project())
    >>> set(codings["coder"])
    {'rules'}
    """
    unit = unit_name(unit)
    codebook = as_codebook(project.codebook)
    if not any(code.has_rules for code in codebook):
        folder = getattr(project, "path", None)
        where = codebook.source.path or (folder / "codebook.yml" if folder else None)
        raise CodingError(
            "expected a codebook with rules (keywords or regex), but found none",
            path=where,
            hint="add 'keywords:' to some codes (see templates/codebook-appreciative-inquiry.yml)",
        )
    who = who_spoke(project, keep_interviewers=keep_interviewers)
    segments = project.segments
    if not keep_interviewers and who.interviewer.any():
        segments = segments[~who.interviewer]
    codings = autocode(segments, codebook, unit=unit, progress=progress)
    codings.attrs["interviewers"] = who.interviewers
    codings.attrs["segments"] = len(segments)
    return codings
