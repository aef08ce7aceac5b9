"""Analysis: rule coding, agreement, themes, stakeholder energy and pseudonymisation.

Analysis functions take the tables they are given and return tidy tables.
"""
