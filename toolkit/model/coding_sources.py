"""Where a project's codings come from: the coders' files, and the rules' own file.

``codesign-toolkit code DIR`` writes the rules' codings to
``output/codings-rules.csv``.  :func:`read_rule_codings` reads that file back
when a project is opened, so the rules are a source like any coder: their
codings join ``project.codings`` with coder ``rules`` and method ``rule``,
and the tools that compare or count people's coding leave them out unless
asked (``coder="rules"``, ``include_rules=True``).  A rules file that no
longer fits the transcripts or the codebook is left out, with a warning.

:func:`choose_codings` picks whose codings a report counts: the people's when
there are any, otherwise the rules', saying so.

Examples
--------
>>> import toolkit as tk
>>> choice = tk.choose_codings(tk.sample_project())
>>> choice.coder, choice.note
('humans', '')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import CodingError, ToolkitError
from toolkit.io.files import read_table
from toolkit.model.codings import RULE_CODER, merge_codings, validate_codings
from toolkit.tables import empty_codings
from toolkit.wording import plural

__all__ = [
    "RULES_FILE",
    "ChosenCodings",
    "add_rule_codings",
    "choose_codings",
    "is_rule",
    "load_rule_codings",
    "read_rule_codings",
]

#: Where ``codesign-toolkit code`` writes the rules' codings, inside the project folder.
RULES_FILE = Path("output") / "codings-rules.csv"


def is_rule(codings: pd.DataFrame) -> pd.Series:
    """Return, for each coding, whether the codebook's rules made it (method ``rule``)."""
    if "method" not in codings.columns:
        return pd.Series(False, index=codings.index)
    return codings["method"].astype(str).str.strip().str.lower() == "rule"


def read_rule_codings(
    path: str | Path,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    newer: list[Path] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Read the rules' codings file; return ``(codings, problem)``.

    Parameters
    ----------
    path
        The file (``output/codings-rules.csv`` in a project).
    segments, codebook
        When given, every coding is checked against them.
    newer
        Files the codings depend on (the codebook, the transcripts): when
        one was changed after the codings were written, ``problem`` says
        the codings may be out of date (they are still returned).

    Returns
    -------
    tuple
        The codings (coder ``rules``, method ``rule``; empty when the file is
        missing or does not fit) and a sentence saying what is wrong, or "".
    """
    path = Path(path)
    if not path.is_file():
        return empty_codings(), ""
    again = "run 'codesign-toolkit code' again to bring the rules' codings up to date"
    try:
        table = read_table(path, ["interview_id", "segment_id", "code"], what="codings")
        if "method" not in table.columns:
            table["method"] = "rule"
        if "coder" not in table.columns:
            table["coder"] = RULE_CODER
        codings = validate_codings(table, segments, codebook)
    except ToolkitError as exc:
        return empty_codings(), (
            f"{RULES_FILE.as_posix()} was left out: it no longer fits the project "
            f"({exc.message}); {again}"
        )
    others = codings[(codings["method"] != "rule") | (codings["coder"] != RULE_CODER)]
    if len(others):
        return empty_codings(), (
            f"{RULES_FILE.as_posix()} was left out: expected only rule codings (coder "
            f"'{RULE_CODER}', method 'rule'), but found {plural(len(others), 'other coding')}; "
            "a person's codings belong in codings/<their name>.csv"
        )
    changed = [f for f in newer or [] if f.exists() and f.stat().st_mtime > path.stat().st_mtime]
    if changed:
        names = ", ".join(sorted({f.name for f in changed})[:3])
        return codings, (
            f"{RULES_FILE.as_posix()} is older than {names}, so it may be out of date: {again}"
        )
    return codings, ""


@dataclass(frozen=True)
class ChosenCodings:
    """The codings a report counts, and a sentence for its method note.

    Unpacks as ``codings, note = choose_codings(project)``.

    Attributes
    ----------
    codings
        The chosen codings (a codings table).
    coder
        What to pass on as ``coder=`` to the theme functions.
    label
        Whose codings, in words.
    note
        A sentence for the method note ("" when there is nothing to add).
    """

    codings: pd.DataFrame
    coder: Any
    label: str
    note: str = ""

    @property
    def empty(self) -> bool:
        """Whether there are no codings to count."""
        return self.codings.empty

    def __iter__(self) -> Iterator[Any]:
        yield self.codings
        yield self.note


def choose_codings(project: Any, coder: Any = None) -> ChosenCodings:
    """Choose whose codings to count: the people's, or the rules' when no one has coded yet.

    Parameters
    ----------
    project
        A Project (its ``codings`` hold the coders' and the rules' codings).
    coder
        ``None`` (the default): every human coder, merged, when there are
        any, otherwise the rules' codings.  Or ``"humans"``, ``"rules"``,
        ``"all"``, a coder's name or a list of names.

    Returns
    -------
    ChosenCodings

    Raises
    ------
    CodingError
        When the codings asked for are not there (the message says which are).

    Examples
    --------
    >>> import toolkit as tk
    >>> codings, note = tk.choose_codings(tk.sample_project(), coder="sam")
    >>> sorted(codings["coder"].unique())
    ['sam']
    """
    codings = project.codings if project.codings is not None else empty_codings()
    rules = is_rule(codings)
    if "coder" in codings.columns:
        names = codings["coder"].astype(str).str.strip()
    else:
        names = pd.Series("", index=codings.index)
    humans = sorted(set(names[~rules]) - {""})
    by_people = bool((~rules).any())  # codings with no coder's name are a person's too
    if coder is None:
        if by_people:
            coder = "humans"
        elif rules.any():
            return ChosenCodings(
                codings[rules].reset_index(drop=True),
                "rules",
                "the codebook's rules",
                "No one has coded these interviews by hand yet, so this report counts the "
                "codings the codebook's rules made ('codesign-toolkit code'). Rules find words, "
                "not meanings: check them against a person's coding before relying on them.",
            )
        else:
            return ChosenCodings(
                codings.iloc[:0], "humans", "no one", "There are no codings yet: code some "
                "interviews (by hand in codings/<your name>.csv, or by the codebook's rules "
                "with 'codesign-toolkit code') and write the report again.",
            )  # fmt: skip
    if coder == "humans":
        if not by_people:
            raise CodingError(
                "expected codings by people (codings/<name>.csv), but "
                + (
                    "every coding here was made by the codebook's rules"
                    if rules.any()
                    else "there are no codings yet"
                ),
                hint="pass coder='rules' to count the rules' codings"
                if rules.any()
                else "code some interviews by hand, or by rules first ('codesign-toolkit code')",
            )
        chosen = codings[~rules]
        label = f"all human coders, merged ({', '.join(humans)})" if humans else "human coders"
        return ChosenCodings(chosen.reset_index(drop=True), "humans", label)
    if coder == "rules":
        if not rules.any():
            raise CodingError(
                "expected the rules' codings, but there are none yet",
                hint="code by the rules first: 'codesign-toolkit code DIR' writes "
                f"{RULES_FILE.as_posix()}, which the project then reads",
            )
        return ChosenCodings(codings[rules].reset_index(drop=True), "rules", "the codebook's rules")
    if coder == "all":
        label = "every coder and the rules, merged" if rules.any() else "every coder, merged"
        return ChosenCodings(codings.reset_index(drop=True), "all", label)
    wanted = [coder] if isinstance(coder, str) else [str(c) for c in coder]
    lowered = {w.strip().lower() for w in wanted}
    chosen = codings[names.str.lower().isin(lowered)]
    if chosen.empty:
        from toolkit.wording import did_you_mean

        present = sorted(set(names) - {""})
        raise CodingError(
            f"expected codings by {', '.join(map(repr, wanted))}, but there are none; the coders "
            f"here are {', '.join(map(repr, present)) or 'none yet'}"
            + did_you_mean(wanted[0], present),
            hint="use one of those names, coder='humans' for every person's codings merged, or "
            "coder='rules' for the rules'",
        )
    return ChosenCodings(
        chosen.reset_index(drop=True), wanted if len(wanted) > 1 else wanted[0], ", ".join(wanted)
    )


def add_rule_codings(codings: pd.DataFrame | None, rules: pd.DataFrame) -> pd.DataFrame:
    """Return the codings with the rules' codings in place of any earlier rule codings."""
    if codings is None or codings.empty:
        return rules
    return merge_codings(codings[~is_rule(codings)], rules)


def load_rule_codings(project: Any) -> None:
    """Add a project folder's rule codings (``output/codings-rules.csv``) to ``project.codings``.

    A file that does not fit the transcripts or the codebook is left out, and
    one older than them is read; either way ``project.report`` gets a
    warning row saying to run ``codesign-toolkit code`` again.
    """
    path = getattr(project, "path", None)
    if path is None or not (Path(path) / RULES_FILE).is_file():
        return
    path = Path(path)
    sources = [f for f in (path / "interviews").glob("*") if f.is_file()] + [
        path / n for n in ("codebook.yml", "codebook.yaml", "codebook.csv")
    ]
    rules, problem = read_rule_codings(
        path / RULES_FILE, project.segments, project.codebook, newer=sources
    )
    if len(rules):
        project.codings = add_rule_codings(project.codings, rules)
    if problem:
        row = pd.DataFrame(
            [
                {
                    "file": RULES_FILE.as_posix(),
                    "kind": "codings",
                    "status": "warning",
                    "detail": problem,
                }
            ]
        )
        project.report = pd.concat([project.report, row], ignore_index=True)
