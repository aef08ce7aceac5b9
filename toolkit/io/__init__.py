"""Input and output: reading files safely, decoding text, and one reader per transcript family.

This layer knows nothing about projects, codebooks or charts; it turns files
into the tidy tables defined in :mod:`toolkit.tables`.
"""
