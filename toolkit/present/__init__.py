"""Presentation: colours, charts, reports and the notebook widgets."""
