"""Coding on Dask: a project too big for one machine's memory, coded in pieces on a cluster.

``codesign-toolkit code DIR --engine dask`` (and :func:`code_project_dask`)
splits the project's interviews into pieces: each Parquet file into runs of
its row groups (:func:`toolkit.io.parquet.parquet_pieces`), each other file
whole.  Every piece is read, coded with :func:`~toolkit.analysis.autocode.engine.autocode`
and written as one Parquet part file by a Dask worker, so no process ever
holds the whole corpus, and only small counts come back to the command.
The codings are those the in-memory engine gives, row for row, in the same
order: a piece is read by the same reader, and rule coding looks at one
segment at a time.

The cluster is a ``LocalCluster`` on this machine by default (``workers``
processes, one thread each, talking over loopback only), or any running
Dask cluster given by its scheduler's address: one started by
``dask-jobqueue`` on an HPC system, by the Dask Kubernetes operator, or by
hand with ``dask scheduler`` and ``dask worker``.  The workers must see the
project folder at the same path (a shared file system).

Dask and pyarrow are optional: they come with the ``scale`` extra
(``pip install 'codesign-toolkit[scale]'``), and without them this says so.

``tk.autocode`` also takes a dask DataFrame of segments and returns a dask
DataFrame of codings, coded partition by partition.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit import tables
from toolkit.analysis.autocode.engine import autocode, unit_name
from toolkit.errors import CodingError, ToolkitError, TranscriptError
from toolkit.io.corpus import corpus_from_parsed
from toolkit.io.parquet import (
    PIECE_ROWS,
    Piece,
    needs_extra,
    parquet_pieces,
    piece_columns,
    read_piece,
)
from toolkit.io.reading import SUPPORTED_SUFFIXES, candidate_files, read_one
from toolkit.model.codebook import Codebook, read_codebook
from toolkit.model.interviewers import is_role_label, label_key, setting_labels, yes_no
from toolkit.model.people import who_spoke
from toolkit.model.project import read_participants, read_settings
from toolkit.wording import plural

__all__ = [
    "ENGINES",
    "DaskRun",
    "check_engine",
    "code_project_dask",
    "codings_schema",
    "dask_client",
    "project_pieces",
    "write_part",
]

#: The coding engines: in this process's memory, or on a Dask cluster.
ENGINES = ("memory", "dask")
_PURPOSE = "to code on Dask (--engine dask)"


def check_engine(engine: str, workers: int | None = None, scheduler: str | None = None) -> str:
    """Return the engine's name, or raise if the options do not go together.

    Raises
    ------
    ToolkitError
        For an unknown engine, ``workers`` or ``scheduler`` without the Dask
        engine, or both of them at once.

    Examples
    --------
    >>> check_engine("dask", workers=2)
    'dask'
    >>> check_engine("memory", workers=2)
    Traceback (most recent call last):
    ...
    toolkit.errors.ToolkitError: expected --workers only with --engine dask, but the engine is \
'memory'. How to fix: add --engine dask, or leave out --workers
    """
    if engine not in ENGINES:
        raise ToolkitError(
            f"expected the engine to be 'memory' or 'dask', but found {engine!r}",
            hint="use --engine dask to code on a Dask cluster",
        )
    given = [name for name, value in (("--workers", workers), ("--scheduler", scheduler)) if value]
    if engine != "dask" and given:
        raise ToolkitError(
            f"expected {given[0]} only with --engine dask, but the engine is '{engine}'",
            hint=f"add --engine dask, or leave out {given[0]}",
        )
    if len(given) == 2:
        raise ToolkitError(
            "expected either --workers (a cluster on this machine) or --scheduler (a running "
            "cluster), but found both",
            hint="leave out --workers: a running cluster has its own workers",
        )
    return engine


def codings_schema() -> Any:
    """Return the Arrow schema of the codings table: text as strings, positions as int64."""
    pa = needs_extra("pyarrow", _PURPOSE)
    kinds = {tables.TEXT: pa.string(), tables.WHOLE: pa.int64()}
    return pa.schema([(c, kinds[t]) for c, t in tables.CODINGS.columns.items()])


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """Connect to the Dask cluster at `scheduler`, or start a local one with `workers` processes.

    The local cluster listens on loopback only, shows no dashboard, and is
    closed when the block ends.
    """
    distributed = needs_extra("distributed", _PURPOSE)
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ToolkitError(
                f"expected a running Dask scheduler at {scheduler}, but could not connect ({exc})",
                hint="check the address (e.g. tcp://10.0.0.5:8786) and that the cluster is up",
            ) from None
        with client:
            yield client
        return
    cluster = distributed.LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback only, any free port
        silence_logs=logging.ERROR,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def _settings(path: Path) -> dict[str, Any]:
    """Return the ``settings:`` of DIR/project.yml (without reading the interviews)."""
    settings = read_settings(path).get("settings")
    return settings if isinstance(settings, dict) else {}


def _project_codebook(path: Path) -> Codebook:
    for name in ("codebook.yml", "codebook.yaml", "codebook.csv"):
        if (path / name).is_file():
            book = read_codebook(path / name)
            if not any(code.has_rules for code in book):
                raise CodingError(
                    "expected a codebook with rules (keywords or regex), but found none",
                    path=path / name,
                    hint="add 'keywords:' to some codes (see "
                    "templates/codebook-appreciative-inquiry.yml)",
                )
            return book
    raise CodingError(
        "expected a codebook with rules (keywords or regex), but found none",
        path=path / "codebook.yml",
        hint="copy a starter codebook from templates/ and add 'keywords:' to its codes",
    )


@dataclass(frozen=True)
class FilePiece:
    """A transcript (or survey) file read whole by one task."""

    path: Path


def project_pieces(
    folder: Path, options: dict[str, Any], rows: int = PIECE_ROWS
) -> tuple[list[tuple[Any, tuple]], list[str]]:
    """Return the pieces of the interviews `folder` (in the in-memory reader's order), and problems.

    Each piece comes with the id and text columns of its Parquet file (or
    ``()`` for another file).  A Parquet file whose columns cannot be found
    is left out, with its problem, as the in-memory reader leaves it out.
    """
    if not folder.is_dir():
        return [], []
    pieces: list[tuple[Any, tuple]] = []
    problems: list[str] = []
    for file in candidate_files(folder, recursive=options.get("recursive", True)):
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if file.suffix.lower() != ".parquet":
            pieces.append((FilePiece(file), ()))
            continue
        try:
            columns = piece_columns(file, options.get("id_column"), options.get("text_column"))
            pieces += [(piece, columns) for piece in parquet_pieces(file, rows)]
        except TranscriptError as exc:
            problems.append(str(exc))
    return pieces, problems


def write_part(codings: pd.DataFrame, part: Path) -> Path:
    """Write a codings table to the Parquet file `part` with :func:`codings_schema`."""
    pq = needs_extra("pyarrow.parquet", _PURPOSE)
    pa = needs_extra("pyarrow", _PURPOSE)
    table = pa.Table.from_pandas(codings, schema=codings_schema(), preserve_index=False)
    pq.write_table(table, part)
    return part


def _survey_interviewers(segments: pd.DataFrame, left_out: dict) -> np.ndarray:
    """Return which survey answers are an interviewer's, by the rules that can apply to one.

    An answer has one speaker (its id), so nothing is guessed: participants.csv's
    ``interviewer`` column for that answer, else the ``interviewers`` setting, else a
    label that names the role (see :mod:`toolkit.model.interviewers`).
    """
    speakers = pd.Series(segments["speaker"].to_numpy(object))
    unique = speakers.drop_duplicates()
    keys = {s: label_key(s) for s in unique}
    flagged = {s: k in left_out["labels"] or is_role_label(s, key=k) for s, k in keys.items()}
    out = speakers.map(flagged).to_numpy(bool)
    if left_out["rows"]:
        pairs = zip(segments["interview_id"], speakers.map(keys), strict=True)
        told = [left_out["rows"].get(pair) for pair in pairs]
        out = np.array([o if t is None else t for o, t in zip(out, told, strict=True)], bool)
    return out


def _left_out(path: Path, pieces: list, settings: dict, options: dict) -> dict[str, Any]:
    """Work out on the client which turns are interviewers', as the in-memory engine does.

    Transcripts are read here and sorted with :func:`toolkit.model.people.who_spoke`
    (their guesses reach across interviews); survey answers are sorted on the
    workers by :func:`_survey_interviewers`.
    """
    people = None
    if (path / "participants.csv").is_file():
        people = read_participants(path / "participants.csv")
    rows: dict[tuple[str, str], bool] = {}
    if people is not None and "interviewer" in people.columns:
        said = people.get("speaker", people.get("name", pd.Series("", index=people.index)))
        for iid, who, flag in zip(people["interview_id"], said, people["interviewer"], strict=True):
            answer = yes_no(flag)
            if answer:
                rows[(str(iid).strip(), label_key(who))] = answer == "yes"
    files = [piece.path for piece, _ in pieces if isinstance(piece, FilePiece)]
    parsed = []
    for file in files:
        with contextlib.suppress(TranscriptError):  # a bad file is reported by its task
            parsed.append(read_one(file, **_reading(options)))
    pairs: frozenset = frozenset()
    if parsed:
        corpus = corpus_from_parsed(parsed, [])
        found = who_spoke(corpus.segments, people, documents=corpus.documents, settings=settings)
        pairs = found.interviewers.pairs
    labels = {label_key(x) for x in setting_labels(settings.get("interviewers"))}
    return {"pairs": pairs, "labels": labels, "rows": rows}


def _reading(options: dict) -> dict[str, Any]:
    return {
        "merge_cues": options.get("merge_cues", True),
        "id_column": options.get("id_column"),
        "text_column": options.get("text_column"),
    }


def _code_piece(
    piece: Any,
    columns: tuple,
    book: Codebook,
    unit: str,
    part: Path,
    options: dict,
    left_out: dict | None = None,
) -> dict[str, Any]:
    """Read, code and write one piece (on a worker); return its counts.

    ``left_out`` says whose turns to leave out (see :func:`_left_out`); None keeps all.
    """
    try:
        if isinstance(piece, Piece):
            segments = read_piece(piece, *columns)
            if left_out is not None:
                segments = segments[~_survey_interviewers(segments, left_out)]
        else:
            segments = corpus_from_parsed([read_one(piece.path, **_reading(options))], []).segments
            if left_out is not None and left_out["pairs"]:
                pairs = zip(segments["interview_id"], segments["speaker"], strict=True)
                segments = segments[[pair not in left_out["pairs"] for pair in pairs]]
    except TranscriptError as exc:
        segments, problem = tables.empty_segments(), str(exc)
    else:
        problem = ""
    codings = autocode(segments, book, unit=unit, progress=False)
    write_part(codings, part)
    return {
        "segments": len(segments),
        "coded": len(codings[["interview_id", "segment_id"]].drop_duplicates()),
        "codings": len(codings),
        "counts": codings["code"].value_counts().to_dict(),
        "problem": problem,
    }


@dataclass
class DaskRun:
    """What a Dask coding run did: where it wrote, and the counts the command prints.

    Attributes
    ----------
    target
        The Parquet dataset written (a folder of part files).
    segments, coded, codings
        Segments read, segments coded, codings written.
    counts
        Codings per code.
    codes
        The codebook's codes, in order.
    workers
        How many Dask workers there were.
    problems
        Files left out, and why.
    """

    target: Path
    segments: int = 0
    coded: int = 0
    codings: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    workers: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return what the command prints: the same lines as the in-memory engine, and more."""
        used = sum(1 for n in self.counts.values() if n)
        out = [
            f"Coded {self.coded:,} of {self.segments:,} segments with {used} codes: "
            f"{self.codings:,} codings written to {self.target}",
        ]
        out += [
            f"  {code:<28} {self.counts[code]:>6,}" for code in self.codes if self.counts.get(code)
        ]
        out.append(
            f"On Dask: {plural(self.workers, 'worker')}; read the codings with "
            f"pandas.read_parquet('{self.target}')."
        )
        out += [f"  warning  {problem}" for problem in self.problems]
        return out


def _replace_folder(made: Path, target: Path) -> None:
    """Put the folder `made` at `target`, replacing what was there only once `made` is whole."""
    if target.exists():
        old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
        target.rename(old)
        made.rename(target)
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    else:
        made.rename(target)


def code_project_dask(
    project_dir: str | Path,
    *,
    unit: str = "segment",
    output: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    piece_rows: int = PIECE_ROWS,
    keep_interviewers: bool = False,
) -> DaskRun:
    """Code a project's interviews by its codebook's rules on a Dask cluster; write Parquet.

    Parameters
    ----------
    project_dir
        The project folder.  Its interviews are not loaded here: each
        piece is read by a worker.
    unit
        As for :func:`~toolkit.analysis.autocode.engine.autocode`.
    output
        The Parquet dataset to write (a folder of part files, ending
        ``.parquet``); by default ``DIR/output/codings-rules.parquet``.
    workers
        Worker processes for a cluster on this machine (default: one per core).
    scheduler
        The address of a running Dask cluster's scheduler
        (``tcp://host:8786``) to use instead.
    progress
        Show a progress bar over the pieces (default: when there are more than 20).
    piece_rows
        Rows of a Parquet file coded by one task, at least (whole row groups).
    keep_interviewers
        Code the interviewers' turns too (they are left out by default, as
        :func:`~toolkit.analysis.autocode.engine.autocode_project` leaves them).

    Returns
    -------
    DaskRun
        Where the codings went, and their counts.

    Raises
    ------
    ToolkitError
        Without the ``scale`` extra (naming it), for an output not ending
        ``.parquet``, a codebook with no rules, or a scheduler that does not answer.
    """
    path = Path(project_dir)
    unit = unit_name(unit)
    target = Path(output) if output is not None else path / "output" / "codings-rules.parquet"
    if target.suffix.lower() != ".parquet":
        raise ToolkitError(
            f"expected the output of --engine dask to end in .parquet, but found '{target.name}'",
            hint="write the codings to a .parquet dataset, e.g. --output codings-rules.parquet",
        )
    needs_extra("dask", _PURPOSE)
    needs_extra("distributed", _PURPOSE)
    settings = _settings(path)
    options = dict(settings.get("interviews") or {})
    book = _project_codebook(path)
    pieces, problems = project_pieces(path / "interviews", options, piece_rows)
    left_out = None if keep_interviewers else _left_out(path, pieces, settings, options)
    target.parent.mkdir(parents=True, exist_ok=True)
    made = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    made.mkdir()
    try:
        with dask_client(workers, scheduler) as client:
            run = DaskRun(
                target, codes=list(book.codes), workers=len(client.scheduler_info()["workers"])
            )
            shared = client.scatter(book, broadcast=True)
            futures = [
                client.submit(
                    _code_piece,
                    piece,
                    columns,
                    shared,
                    unit,
                    made / f"part-{i:05d}.parquet",
                    options,
                    left_out,
                    pure=False,
                )
                for i, (piece, columns) in enumerate(pieces)
            ]
            _gather(run, futures, progress)
        if not pieces:  # no interviews: an empty dataset that still has the columns
            write_part(tables.empty_codings(), made / "part-00000.parquet")
        _replace_folder(made, target)
    finally:
        if made.exists():
            shutil.rmtree(made, ignore_errors=True)
    run.problems = problems + run.problems
    return run


def _gather(run: DaskRun, futures: list, progress: bool | None) -> None:
    """Add each finished piece's counts to `run`, with a progress bar over the pieces."""
    from distributed import as_completed
    from tqdm.auto import tqdm

    show = len(futures) > 20 if progress is None else bool(progress)
    with tqdm(total=len(futures), unit="piece", desc="Coding on Dask", disable=not show) as bar:
        for future in as_completed(futures):
            found = future.result()
            run.segments += found["segments"]
            run.coded += found["coded"]
            run.codings += found["codings"]
            for code, n in found["counts"].items():
                run.counts[code] = run.counts.get(code, 0) + n
            if found["problem"]:
                run.problems.append(found["problem"])
            bar.update()
