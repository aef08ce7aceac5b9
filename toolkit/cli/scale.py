"""The ``code`` command's engine options: code in this process, or in pieces on a Dask cluster.

``codesign-toolkit code DIR --engine dask [--workers N | --scheduler ADDRESS]
[--output FILE.parquet]`` runs :func:`toolkit.analysis.autocode.dask_engine.code_project_dask`.
Like :mod:`toolkit.cli`, this imports neither pandas nor Dask until a command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

__all__ = ["engine_options", "run_on_dask"]


def engine_options(func: Callable) -> Callable:
    """Add ``--engine``, ``--workers`` and ``--scheduler`` to a command."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(["memory", "dask"]),
            default="memory",
            show_default=True,
            help="memory: code in this process. dask: code in pieces on a Dask cluster and "
            "write Parquet (default DIR/output/codings-rules.parquet); needs the scale extra: "
            "pip install 'codesign-toolkit[scale]'.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            help="With --engine dask: worker processes of a cluster on this machine "
            "(default: one per core).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="With --engine dask: the scheduler of a running Dask cluster to use instead, "
            "e.g. tcp://10.0.0.5:8786 (its workers must see DIR at the same path).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_on_dask(
    project_dir: Path,
    *,
    unit: str,
    output: Path | None,
    quiet: bool,
    engine: str,
    workers: int | None,
    scheduler: str | None,
    against: str | None = None,
    keep_interviewers: bool = False,
) -> None:
    """Code the project in DIR on Dask and print what was done: the ``code`` Dask path."""
    from toolkit.analysis.autocode.dask_engine import check_engine, code_project_dask
    from toolkit.errors import ToolkitError

    check_engine(engine, workers, scheduler)
    if against is not None:
        raise ToolkitError(
            "expected --against only with the in-memory engine, but the engine is 'dask'",
            hint="code on Dask first, then check the rules on a sample with --engine memory",
        )
    run = code_project_dask(
        project_dir,
        unit=unit,
        output=output,
        workers=workers,
        scheduler=scheduler,
        progress=not quiet,
        keep_interviewers=keep_interviewers,
    )
    for line in run.lines():
        click.echo(line)
