"""The model: a project folder, its codebook, coders' codings and the energy-mapping tables.

The model reads and writes a team's files; it never imports presentation.
"""
