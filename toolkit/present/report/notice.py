"""What the HTML and Markdown reports both say: the privacy notice, and table cells as text.

Examples
--------
>>> cell_text(0.5), cell_text(1234), cell_text(True), cell_text(None)
(('0.5', True), ('1,234', True), ('yes', False), ('', False))
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["cell_text", "privacy_notice"]


def privacy_notice(project: Any) -> tuple[str, str, bool]:
    """Return the notice at the top of a report: its title, its text, and whether it warns.

    A pseudonymised project (``pseudonymised: true`` in ``project.yml``) gets
    a plain notice; any other gets a warning to pseudonymise before sharing.
    """
    settings = project.settings or {}
    extra = (
        " This project is fictional: everyone and everything in it is invented."
        if settings.get("fictional")
        else ""
    )
    if settings.get("pseudonymised") is True:
        return (
            "This report contains pseudonymised interview extracts.",
            "Names and other details that could identify people have been replaced. Even so, "
            "people may recognise themselves or others: share it only with those who need it, "
            "and keep it as carefully as the interviews." + extra,
            False,
        )
    return (
        "Warning: this report contains interview extracts that have NOT been pseudonymised.",
        "The quotes may hold names, places and other details that identify people. Before "
        "you share it with anyone outside the team, pseudonymise the project "
        "('codesign-toolkit anonymise DIR OUT') and write the report again from the "
        "pseudonymised copy." + extra,
        True,
    )


def cell_text(value: Any) -> tuple[str, bool]:
    """Return a table cell as text, and whether it is a number (to align it right)."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, float):
        return ("" if pd.isna(value) else f"{value:.2f}".rstrip("0").rstrip(".")), True
    if isinstance(value, int):
        return f"{value:,}", True
    return (
        "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    ), False
