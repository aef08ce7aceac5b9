"""The ``codesign-toolkit`` command line: a thin layer over the library.

Every command calls the same public functions a notebook would.  A
:class:`~toolkit.errors.ToolkitError` is printed as a plain message (no
traceback), naming options as typed, and the command exits with status 1
(see :mod:`toolkit.cli.errors`).  Option values are checked by their click
types before a command prints anything.  Nothing here imports pandas or
altair until a command runs, so ``--help`` and ``--version`` answer at once.

The modules:

:mod:`~toolkit.cli.app`
    the ``codesign-toolkit`` group, ``--version`` and :func:`main` (the console script);
:mod:`~toolkit.cli.common`
    the DIR argument and opening the project it names;
:mod:`~toolkit.cli.errors`
    how problems are printed: one plain line each, in the command line's words;
:mod:`~toolkit.cli.project`
    ``new`` and ``info``;
:mod:`~toolkit.cli.interviews`
    ``import`` and ``anonymise``;
:mod:`~toolkit.cli.coding`
    ``code``, ``agreement`` and ``codebook check``;
:mod:`~toolkit.cli.energy`
    ``energy`` and ``network``;
:mod:`~toolkit.cli.report`
    ``report``;
:mod:`~toolkit.cli.refi`
    ``refi import`` and ``refi export``;
:mod:`~toolkit.cli.scale`
    the ``code`` command's Dask engine options.
"""

from toolkit.cli.app import cli, main

__all__ = ["cli", "main"]
