"""What happens next: the team's ``actions.csv`` (you said, we did, owner, by when).

The file is a table the team keeps in the project folder, one row per
thing people said and what was (or will be) done about it::

    you_said,we_did,owner,by_when
    Nobody rang after I got home,A welcome-home call within 48 hours,Ward 7,2027-01-31

Headers may also be written as words ("You said", "We did", "Owner", "By
when"); an optional ``status`` column says how far each has got.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "actions.csv"
>>> _ = path.write_text("You said,We did,Owner,By when\\n"
...                     "Long waits,A named contact,Ward 7,2027-01-31\\n")
>>> read_actions(path)[["you_said", "by_when"]].values.tolist()
[['Long waits', '31 January 2027']]
>>> read_actions(path.with_name("none.csv")) is None
True
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.io.files import read_table

__all__ = ["ACTION_COLUMNS", "read_actions"]

#: The columns of actions.csv, in order (``status`` is optional).
ACTION_COLUMNS = ["you_said", "we_did", "owner", "by_when", "status"]
# Other ways a team may head a column.
_ALIASES = {
    "you_said": ("you said", "said", "what you said", "you told us"),
    "we_did": ("we did", "we will", "we will do", "we did or will do", "action", "what we did"),
    "owner": ("owner", "who", "lead", "responsible"),
    "by_when": ("by when", "by", "when", "due", "deadline", "date"),
    "status": ("status", "progress", "done"),
}


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()


def _column_names(header: list[str]) -> dict[str, str]:
    names = {}
    for given in header:
        key = _key(given)
        for column, aliases in _ALIASES.items():
            if key == column.replace("_", " ") or key in aliases:
                names.setdefault(given, column)
    return names


def _when(text: str) -> str:
    """A date written year-month-day becomes "31 January 2027"; other text is kept."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date = pd.Timestamp(text)
        except ValueError:
            return text
        return f"{date.day} {date:%B %Y}"
    return text


def read_actions(path: str | Path) -> pd.DataFrame | None:
    """Read ``actions.csv``: one row per thing people said and what the team does about it.

    Returns
    -------
    pandas.DataFrame or None
        ``you_said, we_did, owner, by_when, status`` (text; dates written
        year-month-day shown as "31 January 2027"), in the file's order, or
        ``None`` when there is no such file.  A file with a header and no
        rows gives an empty table.

    Raises
    ------
    ToolkitError
        When the file has no column for what people said or what was done,
        or a row fills in neither, naming the file and row.
    """
    path = Path(path)
    if not path.is_file():
        return None
    table = read_table(path, what="actions")
    names = _column_names(list(table.columns))
    found = set(names.values())
    missing = [c for c in ("you_said", "we_did") if c not in found]
    if missing:
        raise ToolkitError(
            "expected the columns you_said, we_did, owner and by_when in the actions header, "
            f"but found {', '.join(repr(c) for c in table.columns) or 'no columns'}",
            path=path,
            line=1,
            hint="start the file with the line: you_said,we_did,owner,by_when "
            "(the starter in templates/actions.csv has it)",
        )
    rows = table.attrs.get("rows", [])
    table = table.rename(columns=names)
    out = pd.DataFrame({c: table.get(c, "") for c in ACTION_COLUMNS}, dtype=object)
    out = out.fillna("").astype(str).apply(lambda col: col.str.strip())
    for number, said, did in zip(rows, out["you_said"], out["we_did"], strict=False):
        if not said and not did:
            raise ToolkitError(
                "expected what people said, what the team did, or both, but this row has neither",
                path=path,
                row=number,
                hint="fill in the you_said and we_did cells, or delete the row",
            )
    out["by_when"] = [_when(v) for v in out["by_when"]]
    return out.reset_index(drop=True)
