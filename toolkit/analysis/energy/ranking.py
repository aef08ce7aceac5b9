"""Follow the energy: rank ideas by the dots, interviews and champions behind them.

:func:`follow_the_energy` puts three kinds of evidence side by side for each
idea of a dot vote (and, optionally, each wish or strength the interviews
raised): the dots placed on it, the interviews that raised its code, and the
champions linked to it.  :func:`parse_weights` and :func:`check_weights`
read and check the weights given to each kind.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from toolkit.analysis.energy.roles import energy_table
from toolkit.errors import EnergyError
from toolkit.io.files import cell_text
from toolkit.model.codebook import as_codebook
from toolkit.model.coding_sources import choose_codings
from toolkit.model.stakeholders import check_votes
from toolkit.wording import did_you_mean, listing

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model.project import Project

__all__ = [
    "DEFAULT_FRAMES",
    "DEFAULT_WEIGHTS",
    "check_weights",
    "follow_the_energy",
    "parse_weights",
    "score_words",
    "select_session",
]

#: Weights of the three kinds of evidence in :func:`follow_the_energy`.
DEFAULT_WEIGHTS = {"dots": 1.0, "interviews": 1.0, "champions": 1.0}
#: Words in a codebook theme that put its codes in an appreciative frame.
DEFAULT_FRAMES = {
    "wish": ("wish", "dream", "hope", "future", "design"),
    "strength": ("strength", "value", "enabl", "positive core", "discover", "works"),
}


def _text(value: Any) -> str:
    return cell_text(value).strip()


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _frame_of(theme: str, frames: Mapping[str, Iterable[str]]) -> str:
    lowered = theme.casefold()
    for frame, words in frames.items():
        if any(word.casefold() in lowered for word in words):
            return frame
    return ""


def check_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the weights of ``dots``, ``interviews`` and ``champions``, defaults filled in.

    Raises
    ------
    EnergyError
        For a weight of another name, or one that is not a number of 0 or more.

    Examples
    --------
    >>> check_weights({"dots": 2})
    {'dots': 2, 'interviews': 1.0, 'champions': 1.0}
    >>> check_weights({"dot": 2})
    Traceback (most recent call last):
    ...
    toolkit.errors.EnergyError: expected weights for 'dots', ... (did you mean 'dots'?). ...
    """
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = [name for name in merged if name not in DEFAULT_WEIGHTS]
    bad = [w for w in merged.values() if not isinstance(w, numbers.Real) or w < 0]
    if unknown or bad:
        raise EnergyError(
            f"expected weights for 'dots', 'interviews' and 'champions' of 0 or more, but got "
            f"{merged}" + (did_you_mean(unknown[0], DEFAULT_WEIGHTS) if unknown else ""),
            hint="pass for example weights={'dots': 2, 'interviews': 1, 'champions': 1}",
        )
    return merged


def score_words(weights: dict[str, float]) -> str:
    """Say how the follow-the-energy score adds up, with the weights used (for headings).

    Examples
    --------
    >>> score_words({})
    'dots + interviews + champions, each scaled to 1'
    >>> score_words({"dots": 2, "champions": 0.5})
    'dots + interviews + champions, each scaled to its weight: dots 2, interviews 1, champions 0.5'
    """
    if not weights:
        return "dots + interviews + champions, each scaled to 1"
    used = ", ".join(f"{name} {weight:g}" for name, weight in check_weights(weights).items())
    return f"dots + interviews + champions, each scaled to its weight: {used}"


def parse_weights(pairs: Iterable[str]) -> dict[str, float]:
    """Read weights written ``NAME=NUMBER`` (as on the command line) and check them.

    Parameters
    ----------
    pairs
        Such as ``["dots=2", "champions=0.5"]``.

    Returns
    -------
    dict
        Only the weights given; :func:`follow_the_energy` fills in the others.

    Raises
    ------
    EnergyError
        For a pair that is not ``NAME=NUMBER``, an unknown name or a
        negative number (see :func:`check_weights`).

    Examples
    --------
    >>> parse_weights(["dots=2", "champions=0.5"])
    {'dots': 2.0, 'champions': 0.5}
    >>> parse_weights(["dots"])
    Traceback (most recent call last):
    ...
    toolkit.errors.EnergyError: expected NAME=NUMBER such as dots=2, but got 'dots'. ...
    """
    weights: dict[str, float] = {}
    for pair in pairs:
        name, _, value = str(pair).partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise EnergyError(
                f"expected NAME=NUMBER such as dots=2, but got '{pair}'",
                hint="name one of " + listing(DEFAULT_WEIGHTS) + " and give it a number",
            ) from None
    check_weights(weights)
    return weights


def select_session(votes: pd.DataFrame, session: str | None) -> pd.DataFrame:
    """Return the checked votes of one session (all of them when ``session`` is None).

    Raises
    ------
    EnergyError
        When no vote is in a session called ``session``, naming the sessions there are.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"participant": ["a", "b"], "item": ["Lifts", "Lifts"],
    ...                       "dots": [1, 2], "session": ["June", "July"]})
    >>> select_session(votes, "June")["dots"].tolist()
    [1]
    """
    votes = check_votes(votes)
    if session is None:
        return votes
    sessions = sorted(set(votes["session"]))
    if session not in sessions:
        raise EnergyError(
            f"expected a vote session called '{session}', but the sessions are "
            + (", ".join(repr(s) for s in sessions) or "none"),
            hint="pass one of those sessions, or session=None for all of them",
        )
    return votes[votes["session"] == session]


def follow_the_energy(
    project: Project,
    *,
    weights: Mapping[str, float] | None = None,
    frames: Mapping[str, Iterable[str]] | None = None,
    session: str | None = None,
    include_unvoted: bool = True,
) -> pd.DataFrame:
    """Rank ideas and themes by the energy behind them, showing why.

    Three kinds of evidence are put side by side, each as its own column:

    ``dots``
        Dots the workshop placed on the item (``project.votes``).
    ``interviews``
        In how many interviews the item's code was applied
        (``project.codings``).  An item is linked to the codebook by a
        ``code`` or ``theme`` column in votes.csv naming a code or a theme
        (all its codes); without one, an item whose words match a code's or
        theme's name (ignoring case and punctuation) is linked to it.
    ``champions``
        How many champions (see :func:`energy_table`) are linked to the item:
        those who put dots on it (a vote's ``participant`` is a stakeholder's
        name, or an interview id whose participant's ``name`` is one), and
        those who raised its code in their own interview.  Their names are in
        ``champion_names``.

    Each kind is scaled so the item with the most of it scores 1, multiplied
    by its weight, and shown as ``from_dots``, ``from_interviews`` and
    ``from_champions``; ``score`` is their sum.

    Parameters
    ----------
    project
        A :class:`~toolkit.model.project.Project`.  Codings, a codebook and
        participants are optional: without them the interview evidence is 0.
    weights
        Weights of ``dots``, ``interviews`` and ``champions`` (default 1
        each; see :data:`DEFAULT_WEIGHTS`).
    frames
        Appreciative frames and the words that mark them in a codebook theme
        (default :data:`DEFAULT_FRAMES`: themes with "wish" or "dream" are
        wishes; with "strength", "value" or "enabling", strengths).  Codes in
        other themes, such as peak experiences or frustrations, have no frame
        and are not ranked unless voted on.
    session
        Count only this vote session (default: all sessions).
    include_unvoted
        Also rank codes in a wish or strength theme that the interviews raised
        but nobody voted on (``source`` is "interviews"; the item is the code
        written as words, and codes with sub-codes are left to their sub-codes).

    Returns
    -------
    pandas.DataFrame
        One row per item, best first: ``rank, item, frame, code, theme,
        source, dots, voters, interviews, champions, champion_names,
        from_dots, from_interviews, from_champions, score``.
        ``attrs["notes"]`` explains gaps, such as items not linked to a code.

    Examples
    --------
    >>> import toolkit as tk
    >>> ranking = tk.follow_the_energy(tk.sample_project())
    >>> ranking.loc[0, "item"]
    'Welcome-home call within 48 hours'
    >>> bool((ranking["score"] == ranking[["from_dots", "from_interviews",
    ...                                    "from_champions"]].sum(axis=1).round(3)).all())
    True
    """
    weights = check_weights(weights)
    frames = DEFAULT_FRAMES if frames is None else frames
    notes: list[str] = []

    votes = select_session(project.votes, session)
    votes = votes[votes["dots"] > 0]

    # Who is who: stakeholders, their roles, and interview ids -> names.
    names: set[str] = set()
    champions: set[str] = set()
    if len(project.stakeholders):
        table = energy_table(project.stakeholders, project.connections)
        names = set(table["stakeholder"])
        champions = set(table.loc[table["role"] == "champion", "stakeholder"])
    id_to_name: dict[str, str] = {}
    participants = project.participants
    if isinstance(participants, pd.DataFrame) and {"interview_id", "name"} <= set(
        participants.columns
    ):
        id_to_name = {
            _text(i): _text(n)
            for i, n in zip(participants["interview_id"], participants["name"], strict=True)
        }

    def person(who: str) -> str | None:
        if who in names:
            return who
        named = id_to_name.get(who)
        return named if named in names else None

    # The codebook: code -> theme and frame; the codings: code -> interviews.
    codebook = as_codebook(project.codebook).table
    theme_of = dict(zip(codebook["code"], codebook["theme"], strict=True))
    codes_in_theme: dict[str, list[str]] = {}
    for code, theme in theme_of.items():
        codes_in_theme.setdefault(theme, []).append(code)
    # People's codings when there are any, otherwise the rules' (as the report counts them).
    codings = choose_codings(project).codings if isinstance(project.codings, pd.DataFrame) else None
    interviews_of: dict[str, set[str]] = {}
    if isinstance(codings, pd.DataFrame) and {"interview_id", "code"} <= set(codings.columns):
        for interview, code in zip(codings["interview_id"], codings["code"], strict=True):
            interviews_of.setdefault(_text(code), set()).add(_text(interview))
    if codebook.empty:
        notes.append(
            "No codebook yet, so ideas are not linked to the interviews: the interview "
            "evidence is 0 for every idea."
        )
    elif not interviews_of:
        notes.append("No codings yet, so the interview evidence is 0 for every idea.")

    children: dict[str, list[str]] = {}
    if "parent" in codebook.columns:
        for code, parent in zip(codebook["code"], codebook["parent"], strict=True):
            if _text(parent):
                children.setdefault(_text(parent), []).append(code)

    def with_subcodes(codes: list[str]) -> list[str]:
        # A code's evidence includes its sub-codes' (codings of "transport"
        # under "wishes" count for "wishes" too).
        found, queue = [], list(codes)
        while queue:
            code = queue.pop(0)
            if code not in found:
                found.append(code)
                queue.extend(children.get(code, []))
        return found

    by_name = {_normalise(c): [c] for c in theme_of}
    for theme, codes in codes_in_theme.items():
        if theme:
            by_name.setdefault(_normalise(theme), codes)

    def linked_codes(item: str, link: str) -> tuple[list[str], str]:
        if link:
            if link in theme_of:
                return [link], link
            if link in codes_in_theme:
                return codes_in_theme[link], link
            notes.append(
                f"'{item}' is linked to '{link}', which is neither a code nor a theme in the "
                "codebook."
            )
            return [], link
        codes = by_name.get(_normalise(item), [])
        return codes, (codes[0] if len(codes) == 1 else "")

    items = list(dict.fromkeys(votes["item"]))
    link_column = next((c for c in ("code", "theme") if c in votes.columns), None)
    rows = []
    used_codes: set[str] = set()
    for item in items:
        mine = votes[votes["item"] == item]
        link = ""
        if link_column is not None:
            link = next((v for v in mine[link_column] if v), "")
        codes, code_label = linked_codes(item, link)
        codes = with_subcodes(codes)
        used_codes.update(codes)
        voters = {p for p in mine["participant"] if p}
        backers = {person(p) for p in voters} | _interviewees(codes, interviews_of, person)
        rows.append(
            _candidate(
                item,
                codes,
                code_label,
                theme_of,
                frames,
                source="votes",
                dots=int(mine["dots"].sum()),
                voters=len(voters),
                interviews=len(set().union(*[interviews_of.get(c, set()) for c in codes])),
                backers={b for b in backers if b in champions},
            )
        )
    if theme_of and items:
        unlinked = [r["item"] for r in rows if not r["code"] and not r["theme"]]
        if unlinked:
            notes.append(
                "Not linked to a codebook code or theme, so their interview evidence is 0: "
                + "; ".join(unlinked)
                + (
                    f". Fill in the '{link_column}' column of votes.csv"
                    if link_column
                    else ". Add a 'code' column to votes.csv"
                )
                + " naming the code each idea came from."
            )
    if include_unvoted:
        for code, theme in theme_of.items():
            frame = _frame_of(theme, frames)
            # Umbrella codes (with sub-codes) are left to their sub-codes.
            if code in used_codes or code in children or not frame or not interviews_of.get(code):
                continue
            backers = _interviewees([code], interviews_of, person)
            rows.append(
                _candidate(
                    code.replace("_", " ").capitalize(),
                    [code],
                    code,
                    theme_of,
                    frames,
                    source="interviews",
                    dots=0,
                    voters=0,
                    interviews=len(interviews_of[code]),
                    backers={b for b in backers if b in champions},
                )
            )
    if not champions and len(project.stakeholders):
        notes.append("No champions on the stakeholder map, so that evidence is 0 for every idea.")
    return _score(rows, weights, notes)


def _interviewees(codes: list[str], interviews_of: dict[str, set[str]], person) -> set[str]:
    found = set()
    for code in codes:
        for interview in interviews_of.get(code, ()):
            who = person(interview)
            if who:
                found.add(who)
    return found


def _candidate(
    item: str,
    codes: list[str],
    code_label: str,
    theme_of: dict[str, str],
    frames: Mapping[str, Iterable[str]],
    *,
    source: str,
    dots: int,
    voters: int,
    interviews: int,
    backers: set[str],
) -> dict[str, Any]:
    themes = list(dict.fromkeys(theme_of[c] for c in codes if theme_of.get(c)))
    found = list(dict.fromkeys(f for f in (_frame_of(t, frames) for t in themes) if f))
    return {
        "item": item,
        "frame": ", ".join(found),
        "code": code_label if code_label in theme_of else "",
        "theme": "; ".join(themes),
        "source": source,
        "dots": dots,
        "voters": voters,
        "interviews": interviews,
        "champions": len(backers),
        "champion_names": ", ".join(sorted(backers)),
    }


def _score(rows: list[dict], weights: Mapping[str, float], notes: list[str]) -> pd.DataFrame:
    columns = [
        "item",
        "frame",
        "code",
        "theme",
        "source",
        "dots",
        "voters",
        "interviews",
        "champions",
        "champion_names",
    ]
    out = pd.DataFrame.from_records(rows, columns=columns)
    for column in ("dots", "voters", "interviews", "champions"):
        out[column] = out[column].astype("int64")
    total = pd.Series(0.0, index=out.index)
    for kind in ("dots", "interviews", "champions"):
        top = out[kind].max() if len(out) else 0
        part = (out[kind] / top * weights[kind]).round(3) if top else 0.0 * out[kind]
        out[f"from_{kind}"] = part.astype(float)
        total = total + out[f"from_{kind}"]
    out["score"] = total.round(3)
    out = out.sort_values(
        ["score", "dots", "interviews", "item"], ascending=[False, False, False, True]
    ).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.attrs = {"notes": list(dict.fromkeys(notes)), "weights": dict(weights)}
    return out
