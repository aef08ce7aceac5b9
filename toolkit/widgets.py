"""Notebook widgets (ipywidgets) for coding by hand and capturing workshop data.

Widgets only present and capture: every number they show comes from the
computation modules, and every change they make is saved at once through the
same atomic file writers the rest of the toolkit uses.
"""

from __future__ import annotations

# --- Hand coding (CodingPanel) ---------------------------------------------

# --- Workshop capture (EnergyCapture, DotVote) ------------------------------
