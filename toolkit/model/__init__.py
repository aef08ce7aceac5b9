"""The model: a project folder, its codebook, and coders' codings (save, merge, backups).

The model reads and writes a team's files; it never imports presentation.
"""
