"""The energy-mapping tables: stakeholders, connections and votes, read and checked.

Three tables come from a workshop or a stakeholder-mapping session:

``stakeholders``
    One row per stakeholder: ``stakeholder, group, influence, interest,
    energy``, and optionally ``intensity`` and the five energies for change
    from the NHS Horizons framework (``social, spiritual, psychological,
    physical, intellectual``).  Influence, interest and the five energies run
    from 1 to 5; energy for the change (its direction) runs from -2 (strongly
    against) to +2 (strongly for), and its intensity (how strongly it is felt)
    from 1 (low) to 3 (high).
``connections``
    One row per tie: ``source, target, weight, kind``.  Ties are treated as
    two-way (people who talk to, work with or trust each other), and
    ``weight`` runs from 1 (a light link) to 3 (a strong link).
``votes``
    One row per participant and item of a dot vote: ``participant, item,
    dots`` and ``session``.

The readers and checkers here give these tables in the shapes of
:mod:`toolkit.tables`; what is computed from them lives in
:mod:`toolkit.analysis.energy`.  Bad input raises
:class:`~toolkit.errors.EnergyError` naming the file and row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit import tables
from toolkit.errors import EnergyError, ToolkitError
from toolkit.io.files import cell_text, quick_numbers, read_table, to_numbers
from toolkit.wording import did_you_mean

__all__ = [
    "RANGES",
    "check_connections",
    "check_stakeholders",
    "check_votes",
    "energy_errors",
    "read_connections",
    "read_stakeholders",
    "read_votes",
    "tidy_numbers",
]

#: The range of each rating column of the stakeholders table.
RANGES = {
    "influence": (1, 5),
    "interest": (1, 5),
    "energy": (-2, 2),
    "intensity": (1, 3),
    **{name: (1, 5) for name in tables.FIVE_ENERGIES},
}


@contextlib.contextmanager
def energy_errors() -> Iterator[None]:
    """Re-raise the shared readers' errors as EnergyError, keeping where and how to fix.

    Used as ``with energy_errors(): ...`` around :func:`toolkit.io.files.read_table`
    and :func:`toolkit.io.files.to_numbers`.
    """
    try:
        yield
    except EnergyError:
        raise
    except ToolkitError as exc:
        raise EnergyError(
            exc.message, path=exc.path, line=exc.line, row=exc.row, hint=exc.hint
        ) from None


def _rows(table: pd.DataFrame) -> list[int]:
    # Spreadsheet row numbers: the header is row 1, so the first record is row 2.
    rows = table.attrs.get("rows")
    if rows is not None and len(rows) == len(table):
        return list(rows)
    return list(range(2, len(table) + 2))


def _where(table: pd.DataFrame) -> dict[str, Any]:
    return {"path": table.attrs.get("path")}


def _require_frame(table: Any, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise EnergyError(
            f"expected a {what} table (a pandas DataFrame), but got {type(table).__name__}",
            hint=f"read it with tk.read_{what}(path) or use project.{what}",
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise EnergyError(
            f"expected the column(s) {', '.join(map(repr, missing))} in the {what} table, "
            f"but found {', '.join(map(repr, map(str, table.columns))) or 'no columns'}",
            path=table.attrs.get("path"),
            line=1 if table.attrs.get("path") else None,
            hint="rename the columns to match (names are case-sensitive); the starter file in "
            "templates/ has the right header",
        )
    return table


def _text(value: Any) -> str:
    return cell_text(value).strip()


def _filled(table: pd.DataFrame, column: str, what: str, hint: str) -> list[str]:
    """Return a column's cells as text; raise at the first empty one (`what` should be there)."""
    values = [_text(v) for v in table[column]]
    for row, value in zip(_rows(table), values, strict=True):
        if not value:
            raise EnergyError(
                f"expected {what} in column '{column}', but the cell is empty",
                row=row,
                hint=hint,
                **_where(table),
            )
    return values


def _numbers(
    table: pd.DataFrame, column: str, *, optional: bool = False, integer: bool = False
) -> pd.Series:
    low, high = RANGES[column]
    known = quick_numbers(table[column], low=low, high=high, integer=integer, optional=optional)
    if known is not None:
        return known
    # to_numbers reads text; blank out missing values so they count as empty cells.
    cells = pd.DataFrame({column: [_text(v) for v in table[column]]}, index=table.index)
    cells.attrs = dict(table.attrs)
    with energy_errors():
        return to_numbers(cells, column, low=low, high=high, optional=optional, integer=integer)


def tidy_numbers(values: pd.Series) -> pd.Series:
    """Keep whole-number ratings as integers, so tables read as they were typed."""
    if values.notna().all() and (values == values.round()).all():
        return values.astype("int64")
    return values.astype("float64")


def check_stakeholders(stakeholders: pd.DataFrame) -> pd.DataFrame:
    """Check a stakeholders table and return a copy with numeric ratings.

    Influence and interest must be 1 to 5, energy -2 to +2, ``intensity``
    (optional; blank cells allowed) a whole number from 1 (low) to 3 (high),
    and each of the five energies (optional; blank cells allowed) 1 to 5.
    Names must be filled in and unique.  The table's columns come first, in
    the order of :data:`toolkit.tables.STAKEHOLDERS`, then intensity and the
    five energies (as numbers), then any extra columns as they are.

    Raises
    ------
    EnergyError
        Naming the file (if the table was read from one) and the row.

    Examples
    --------
    >>> import pandas as pd
    >>> table = check_stakeholders(pd.DataFrame({
    ...     "stakeholder": ["Ann"], "group": ["GP practice"],
    ...     "influence": ["4"], "interest": [5], "energy": ["-1"]}))
    >>> table.loc[0, "energy"]
    np.int64(-1)
    """
    _require_frame(stakeholders, tables.STAKEHOLDERS.required, "stakeholders")
    out = stakeholders.copy()
    rows = _rows(stakeholders)
    hint = "fill in who this row is about, or delete the row"
    names = _filled(stakeholders, "stakeholder", "a name", hint)
    seen: dict[str, int] = {}
    for row, name in zip(rows, names, strict=True):
        if name in seen:
            raise EnergyError(
                f"expected each stakeholder once, but '{name}' is also in row {seen[name]}",
                row=row,
                hint="merge the two rows, or tell the two people apart (for example by adding "
                "their role to the name)",
                **_where(stakeholders),
            )
        seen[name] = row
    out["stakeholder"] = pd.Series(names, index=out.index, dtype=object)
    out["group"] = pd.Series(
        [_text(v) for v in stakeholders["group"]], index=out.index, dtype=object
    )
    for column in ["influence", "interest", "energy"]:
        out[column] = tidy_numbers(_numbers(stakeholders, column))
    if "intensity" in stakeholders.columns:
        out["intensity"] = tidy_numbers(
            _numbers(stakeholders, "intensity", optional=True, integer=True)
        )
    for column in tables.FIVE_ENERGIES:
        if column in stakeholders.columns:
            out[column] = _numbers(stakeholders, column, optional=True).astype("float64")
    out.attrs = dict(stakeholders.attrs)
    optional = [c for c in tables.STAKEHOLDERS.optional if c in out.columns]
    first = [*tables.STAKEHOLDERS.names, *optional]
    return out[[*first, *[c for c in out.columns if c not in first]]]


def check_connections(
    connections: pd.DataFrame, stakeholders: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Check a connections table and return a copy with numeric weights.

    ``source`` and ``target`` are required; ``weight`` (1 to 3, blank means
    1) and ``kind`` are optional.  With ``stakeholders``, every name must be
    one of theirs.

    Raises
    ------
    EnergyError
        For an unknown name, a connection from someone to themselves, or a
        weight out of range, naming the row.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"stakeholder": ["Ann", "Bo"], "group": ["", ""],
    ...                        "influence": [3, 3], "interest": [3, 3], "energy": [0, 1]})
    >>> ties = check_connections(pd.DataFrame({"source": ["Ann"], "target": ["Bo"]}), people)
    >>> ties[["source", "target", "weight", "kind"]].values.tolist()
    [['Ann', 'Bo', 1, '']]
    """
    _require_frame(connections, ["source", "target"], "connections")
    known = None
    if stakeholders is not None:
        known = set(check_stakeholders(stakeholders)["stakeholder"])
    out = connections.copy()
    rows = _rows(connections)
    sources = [_text(v) for v in connections["source"]]
    targets = [_text(v) for v in connections["target"]]
    for row, source, target in zip(rows, sources, targets, strict=True):
        for column, name in (("source", source), ("target", target)):
            if not name:
                raise EnergyError(
                    f"expected a stakeholder's name in column '{column}', but the cell is empty",
                    row=row,
                    hint="fill in both people the connection joins, or delete the row",
                    **_where(connections),
                )
            if known is not None and name not in known:
                raise EnergyError(
                    f"expected '{column}' to be a stakeholder in stakeholders.csv, but found "
                    f"'{name}', who is not there{did_you_mean(name, known, n=1, cutoff=0.75)}",
                    row=row,
                    hint="spell the name exactly as in stakeholders.csv, or add the person "
                    "to stakeholders.csv",
                    **_where(connections),
                )
        if source == target:
            raise EnergyError(
                f"expected a connection between two different people, but row links "
                f"'{source}' to themselves",
                row=row,
                hint="correct the target, or delete the row",
                **_where(connections),
            )
    out["source"] = pd.Series(sources, index=out.index, dtype=object)
    out["target"] = pd.Series(targets, index=out.index, dtype=object)
    if "weight" in connections.columns:
        cells = pd.DataFrame(
            {"weight": [_text(v) or "1" for v in connections["weight"]]}, index=out.index
        )
        cells.attrs = dict(connections.attrs)
        with energy_errors():
            out["weight"] = tidy_numbers(to_numbers(cells, "weight", low=1, high=3))
    else:
        out["weight"] = 1
    kinds = connections["kind"] if "kind" in connections.columns else [""] * len(out)
    out["kind"] = pd.Series([_text(v) for v in kinds], index=out.index, dtype=object)
    out.attrs = dict(connections.attrs)
    first = tables.CONNECTIONS.names
    return out[[*first, *[c for c in out.columns if c not in first]]]


def check_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """Check a votes table and return a copy with whole-number dots.

    ``participant`` may be blank (dots on a wall are often anonymous);
    ``item`` may not.  ``session`` is optional (blank when missing).

    Examples
    --------
    >>> import pandas as pd
    >>> check_votes(pd.DataFrame({"participant": ["Ann"], "item": ["Lifts"], "dots": ["2"]}))
      participant   item  dots session
    0         Ann  Lifts     2
    """
    _require_frame(votes, tables.VOTES.required, "votes")
    out = votes.copy()
    hint = "fill in the item, or delete the row"
    items = _filled(votes, "item", "the idea or theme voted on", hint)
    cells = pd.DataFrame({"dots": [_text(v) for v in votes["dots"]]}, index=out.index)
    cells.attrs = dict(votes.attrs)
    with energy_errors():
        dots = to_numbers(cells, "dots", low=0, high=1000, integer=True)
    out["participant"] = pd.Series(
        [_text(v) for v in votes["participant"]], index=out.index, dtype=object
    )
    out["item"] = pd.Series(items, index=out.index, dtype=object)
    out["dots"] = dots.astype("int64")
    sessions = votes["session"] if "session" in votes.columns else [""] * len(out)
    out["session"] = pd.Series([_text(v) for v in sessions], index=out.index, dtype=object)
    for column in ("code", "theme"):
        if column in out.columns:
            out[column] = pd.Series(
                [_text(v) for v in votes[column]], index=out.index, dtype=object
            )
    out.attrs = dict(votes.attrs)
    first = [*tables.VOTES.required, "session"]
    return out[[*first, *[c for c in out.columns if c not in first]]]


def read_stakeholders(path: str | Path) -> pd.DataFrame:
    """Read ``stakeholders.csv`` into a checked stakeholders table.

    Parameters
    ----------
    path
        The CSV file: ``stakeholder, group, influence, interest, energy`` and
        optionally ``intensity`` and the five energies.

    Raises
    ------
    EnergyError
        Naming the file and row of a missing or repeated name, or a rating
        out of range.

    Examples
    --------
    >>> import toolkit as tk
    >>> people = tk.read_stakeholders(tk.sample_project_path() / "stakeholders.csv")
    >>> people.loc[people["stakeholder"] == "Graham Pike", "energy"].item()
    -2
    """
    with energy_errors():
        table = read_table(path, tables.STAKEHOLDERS.required, what="stakeholders")
    return check_stakeholders(table)


def read_connections(path: str | Path, stakeholders: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read ``connections.csv``, checking every name against ``stakeholders``.

    Raises
    ------
    EnergyError
        Naming the file and row of an unknown name, a self-loop or a weight
        outside 1 to 3.

    Examples
    --------
    >>> import toolkit as tk
    >>> folder = tk.sample_project_path()
    >>> ties = tk.read_connections(folder / "connections.csv",
    ...                            tk.read_stakeholders(folder / "stakeholders.csv"))
    >>> sorted(set(ties["kind"]))
    ['talks-to', 'trusts', 'works-with']
    """
    with energy_errors():
        table = read_table(path, ["source", "target"], what="connections")
    return check_connections(table, stakeholders)


def read_votes(path: str | Path) -> pd.DataFrame:
    """Read ``votes.csv``: dots per participant and item (and session).

    An optional ``code`` or ``theme`` column links an item to the codebook
    code or theme it came from (see :func:`follow_the_energy`).

    Examples
    --------
    >>> import toolkit as tk
    >>> votes = tk.read_votes(tk.sample_project_path() / "votes.csv")
    >>> int(votes["dots"].sum()) > 50
    True
    """
    with energy_errors():
        table = read_table(path, tables.VOTES.required, what="votes")
    return check_votes(table)
