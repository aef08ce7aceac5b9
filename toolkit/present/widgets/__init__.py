"""Notebook widgets (ipywidgets) for coding by hand and capturing workshop data.

Widgets only present and capture: every number they show comes from the
library, and every change they make is saved at once through the same atomic
file writers the rest of the toolkit uses.

- :mod:`~toolkit.present.widgets.coding_panel`: ``CodingPanel``, coding segments by hand
  (how it looks: :mod:`~toolkit.present.widgets.coding_view`);
- :mod:`~toolkit.present.widgets.energy_capture`: ``EnergyCapture``, rating stakeholders' energy;
- :mod:`~toolkit.present.widgets.dot_vote`: ``DotVote``, tallying a dot vote;
- :mod:`~toolkit.present.widgets.common`: what they share.

Each is also a top-level name: ``tk.CodingPanel``, ``tk.EnergyCapture``, ``tk.DotVote``.
"""
