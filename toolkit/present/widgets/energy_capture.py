"""Rating stakeholders' energy live in a workshop: the :class:`EnergyCapture` widget."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import ipywidgets as widgets
import pandas as pd

from toolkit.docstrings import documented
from toolkit.io.files import write_table
from toolkit.model.stakeholders import check_stakeholders
from toolkit.present.widgets.common import (
    PARAMETERS,
    NotebookWidget,
    capture_path,
    number_text,
    raw_table,
)
from toolkit.tables import FIVE_ENERGIES, STAKEHOLDERS

__all__ = ["EnergyCapture"]


@documented(PARAMETERS, stakeholder="Who to show first.")
class EnergyCapture(NotebookWidget):
    """Rate stakeholders' energy live in a workshop, saving ``stakeholders.csv`` as you go.

    Pick a stakeholder, move the sliders (influence, interest, energy for the
    change and the five energies) and each change is written to the file at
    once.  **Save** writes every slider for the stakeholder shown, including
    five-energy ratings that were blank; **Add** adds a new stakeholder.

    {parameters}

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> capture = EnergyCapture(folder)
    >>> capture.new_name.value, capture.new_group.value = "Grace", "community group"
    >>> capture.add_button.click()
    >>> capture.sliders["energy"].value = 2
    >>> print((folder / "stakeholders.csv").read_text().splitlines()[1])
    Grace,community group,3,3,2,,,,,

    In a notebook, show it with ``display(capture)`` or by ending a cell with it.
    """

    def __init__(self, source: Any, *, stakeholder: str | None = None) -> None:
        self.path = capture_path(source, "stakeholders.csv")
        self._table = raw_table(self.path, [*STAKEHOLDERS.names, *FIVE_ENERGIES], "stakeholders")
        check_stakeholders(self._table)  # refuse to start on a file with errors
        self._loading = False
        names = list(self._table["stakeholder"])
        self.stakeholder = widgets.Dropdown(
            options=names,
            value=stakeholder if stakeholder in names else None,
            description="Stakeholder",
        )
        ranges = {"influence": (1, 5, 3), "interest": (1, 5, 3), "energy": (-2, 2, 0)}
        ranges.update({name: (1, 5, 3) for name in FIVE_ENERGIES})
        self.sliders = {
            name: widgets.IntSlider(
                value=start,
                min=low,
                max=high,
                description=name.capitalize(),
                continuous_update=False,
                style={"description_width": "110px"},
            )
            for name, (low, high, start) in ranges.items()
        }
        self.save_button = widgets.Button(
            description="Save", icon="check", tooltip="Save every rating shown"
        )
        self.new_name = widgets.Text(placeholder="New stakeholder's name", description="Add")
        self.new_group = widgets.Text(placeholder="Their group")
        self.add_button = widgets.Button(description="Add", icon="plus")
        self.status = widgets.HTML()
        self.stakeholder.observe(self._show, names="value")
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self._changed(name, change), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.add_button.on_click(lambda _: self.add(self.new_name.value, self.new_group.value))
        energy_box = widgets.VBox(
            [widgets.HTML("<b>Five energies (1 very low to 5 very high)</b>")]
            + [self.sliders[n] for n in FIVE_ENERGIES]
        )
        self.widget = widgets.VBox(
            [
                self.stakeholder,
                *[self.sliders[n] for n in ("influence", "interest", "energy")],
                energy_box,
                self.save_button,
                widgets.HBox([self.new_name, self.new_group, self.add_button]),
                self.status,
            ]
        )
        if self.stakeholder.value is None and names:
            self.stakeholder.value = names[0]
        elif names:
            self._show({"new": self.stakeholder.value})

    @property
    def table(self) -> pd.DataFrame:
        """The stakeholders table as it is now (checked, with numbers)."""
        return check_stakeholders(self._table)

    def _row(self) -> int | None:
        name = self.stakeholder.value
        if name is None:
            return None
        matches = self._table.index[self._table["stakeholder"] == name]
        return int(matches[0]) if len(matches) else None

    def _show(self, change: dict) -> None:
        row = self._row()
        if row is None:
            return
        self._loading = True
        try:
            unrated = []
            for name, slider in self.sliders.items():
                text = str(self._table.at[row, name] or "").strip()
                if text:
                    slider.value = round(float(text.replace(",", ".")))
                else:
                    slider.value = 3 if name != "energy" else 0
                    unrated.append(name)
            self.status.value = f"Showing {html.escape(str(change['new']))}" + (
                f" (not rated yet: {', '.join(unrated)})" if unrated else ""
            )
        finally:
            self._loading = False

    def _changed(self, name: str, change: dict) -> None:
        if self._loading:
            return
        self._write({name: change["new"]})

    def _write(self, values: dict[str, float]) -> None:
        row = self._row()
        if row is None:
            self.status.value = "Choose or add a stakeholder first."
            return
        for name, value in values.items():
            self._table.at[row, name] = number_text(value)
        self._save_file()
        what = ", ".join(f"{n} {v:+d}" if n == "energy" else f"{n} {v}" for n, v in values.items())
        self.status.value = (
            f"Saved {html.escape(self.stakeholder.value)}: {html.escape(what)} "
            f"({datetime.now():%H:%M:%S})"
        )

    def _save_file(self) -> None:
        write_table(self._table, self.path)

    def save(self) -> None:
        """Write every slider shown for the current stakeholder to the file."""
        self._write({name: slider.value for name, slider in self.sliders.items()})

    def add(self, name: str, group: str = "") -> None:
        """Add a stakeholder (neutral ratings, five energies blank) and show them."""
        name, group = str(name).strip(), str(group).strip()
        if not name:
            self.status.value = "Type the new stakeholder's name first."
            return
        if name in set(self._table["stakeholder"]):
            self.status.value = f"{html.escape(name)} is already on the list."
            self.stakeholder.value = name
            return
        row = dict.fromkeys(self._table.columns, "")
        row.update(stakeholder=name, group=group, influence="3", interest="3", energy="0")
        self._table = pd.concat([self._table, pd.DataFrame([row])], ignore_index=True)
        self._table.attrs = {"path": str(self.path)}
        self._save_file()
        self.stakeholder.options = list(self._table["stakeholder"])
        self.stakeholder.value = name
        self.new_name.value = self.new_group.value = ""
        self.status.value = f"Added {html.escape(name)}."
