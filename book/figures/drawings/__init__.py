"""The book's diagrams, one module each, drawn with the helpers in :mod:`drawings.svg`.

Each module has one function that returns the figure as an SVG document;
book/figures/make_figures.py lists them and writes the files.
"""
