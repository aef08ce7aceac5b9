"""National scale (issue 19): Parquet in, coding on Dask, theme tables from Dask, Dask optional.

The data are real NHS Friends and Family Test answers (tests/data/scale, with
their source and licence), written as Parquet the way a trust's warehouse
exports them: typed columns, several row groups.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli
from toolkit.errors import ToolkitError

DATA = Path(__file__).parent / "data" / "scale"
ROOT = Path(__file__).resolve().parents[1]
ID, TEXT = "Comment ID", "FFT answer"
EXTRA = "pip install 'codesign-toolkit[scale]'"


def _fft_table() -> pd.DataFrame:
    table = pd.read_csv(DATA / "fft-comments.csv", dtype=str, keep_default_na=False)
    table["Date"] = pd.to_datetime(table["Date"], dayfirst=True).dt.date
    table["FFT categorical answer"] = table["FFT categorical answer"].astype("int64")
    return table


@pytest.fixture(scope="module")
def fft(tmp_path_factory) -> Path:
    """The FFT answers as one Parquet file, in row groups of 6 (six partitions)."""
    pytest.importorskip("pyarrow")
    path = tmp_path_factory.mktemp("fft") / "fft.parquet"
    _fft_table().to_parquet(path, index=False, row_group_size=6)
    return path


def _project(folder: Path, source: Path) -> Path:
    """A project with the FFT Parquet and the FFT codebook, its columns named in project.yml."""
    result = CliRunner().invoke(
        cli, ["import", str(source), str(folder), "--id-column", ID, "--text-column", TEXT]
    )
    assert result.exit_code == 0, result.output
    (folder / "project.yml").write_text(
        "name: FFT\nsettings:\n  interviews:\n    id_column: Comment ID\n"
        "    text_column: FFT answer\n",
        encoding="utf-8",
    )
    shutil.copy(DATA / "codebook.yml", folder / "codebook.yml")
    return folder


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes, shared by the tests that code on Dask."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0"
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


# --- 1. Parquet as a survey source ---------------------------------------------------


def test_parquet_reads_like_the_same_answers_as_csv(fft, tmp_path):
    csv = tmp_path / "fft.csv"
    pd.read_csv(DATA / "fft-comments.csv", dtype=str, keep_default_na=False).to_csv(
        csv, index=False
    )
    from_parquet = tk.read_corpus(fft, id_column=ID, text_column=TEXT)
    from_csv = tk.read_corpus(csv, id_column=ID, text_column=TEXT)
    pd.testing.assert_frame_equal(from_parquet.segments, from_csv.segments)
    assert len(from_parquet.segments) == 31  # one answer is empty
    assert "1 empty response skipped" in from_parquet.report["detail"].iloc[0]
    people = from_parquet.participants.set_index("interview_id")
    assert len(people) == 32
    # Typed cells read as text: the date as ISO, the score as a whole number.
    assert people.loc["NHFT 47 - Q1", "Date"] == "2021-06-02"
    assert people.loc["NHFT 47 - Q1", "FFT categorical answer"] == "4"


def test_parquet_columns_are_found_as_for_csv(fft):
    corpus = tk.read_corpus(fft)  # no options: ids from row numbers, the longest answers
    assert corpus.segments["interview_id"].iloc[0] == "fft-r1"
    assert "text: column 'FFT answer'" in corpus.report["detail"].iloc[0]


def test_import_copies_parquet_as_it_is_and_a_folder_of_parts(fft, tmp_path):
    project = _project(tmp_path / "one", fft)
    copied = project / "interviews" / "fft.parquet"
    assert copied.read_bytes() == fft.read_bytes()  # copied as it is, not converted
    opened = tk.open_project(project)
    assert len(opened.documents) == 31 and set(opened.documents["format"]) == {"survey"}
    # A folder of Parquet parts (one per month, as a warehouse writes them) imports too.
    parts = tmp_path / "parts"
    table = _fft_table()
    for month, rows in table.groupby(pd.to_datetime(table["Date"]).dt.strftime("%Y-%m")):
        (parts / f"month={month}").mkdir(parents=True)
        rows.to_parquet(parts / f"month={month}" / "part-0.parquet", index=False)
    (parts / "_SUCCESS").write_text("")
    folder = _project(tmp_path / "many", parts)
    assert (
        sorted(p.name for p in (folder / "interviews").rglob("*.parquet")) == ["part-0.parquet"] * 2
    )
    many = tk.open_project(folder)
    assert sorted(many.segments["text"]) == sorted(opened.segments["text"])
    # Importing the same file again changes nothing.
    result = CliRunner().invoke(cli, ["import", str(fft), str(project), "--id-column", ID])
    assert "unchanged" in result.output


def test_bad_parquet_input_says_which_file_and_row(fft, tmp_path):
    with pytest.raises(ToolkitError, match=r"fft\.parquet: expected a column 'Response'"):
        tk.read_corpus(fft, id_column="Response")
    table = _fft_table()
    table.loc[5, ID] = table.loc[2, ID]
    twice = tmp_path / "twice.parquet"
    table.to_parquet(twice, index=False)
    with pytest.raises(ToolkitError, match=r"twice\.parquet, row 6: .* also in row 3"):
        tk.read_corpus(twice, id_column=ID, text_column=TEXT)
    fake = tmp_path / "fake.parquet"
    fake.write_text("Comment ID,FFT answer\n1,Lovely\n", encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"fake\.parquet: expected a Parquet file"):
        tk.read_corpus(fake)


def test_a_survey_too_big_for_memory_points_to_dask(fft, monkeypatch):
    from toolkit.io import parquet

    def too_big(*args):
        raise MemoryError

    monkeypatch.setattr(parquet, "_parsed", too_big)
    with pytest.raises(ToolkitError, match=r"fft\.parquet: expected the answers to fit") as err:
        tk.read_corpus(fft)  # not a file error to skip: the whole command stops
    assert "--engine dask" in str(err.value) and EXTRA in str(err.value)


# --- 2. Coding on Dask --------------------------------------------------------------


def test_dask_codings_are_identical_to_the_in_memory_ones(fft, tmp_path, cluster):
    from toolkit.analysis.autocode.dask_engine import code_project_dask

    project = _project(tmp_path / "p", fft)
    expected = tk.autocode_project(tk.open_project(project))
    for unit in ("segment", "sentence", "match"):
        target = tmp_path / f"codings-{unit}.parquet"
        run = code_project_dask(
            project, unit=unit, output=target, scheduler=cluster.scheduler.address, piece_rows=6
        )
        assert run.workers == 2 and len(list(target.glob("part-*.parquet"))) == 6
        got = pd.read_parquet(target)
        want = tk.autocode_project(tk.open_project(project), unit=unit)
        assert tk.tables.conforms(got, "codings")
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True))
        assert run.codings == len(want) and run.segments == 31
    assert len(expected) > 20


def test_dask_leaves_out_the_same_interviewers_in_a_mixed_project(fft, tmp_path, cluster):
    from toolkit.analysis.autocode.dask_engine import code_project_dask

    project = tmp_path / "sample"
    assert CliRunner().invoke(cli, ["new", str(project), "--sample"]).exit_code == 0
    shutil.copy(fft, project / "interviews" / "fft.parquet")  # beside transcripts and a CSV
    opened = tk.open_project(project)
    want = tk.autocode_project(opened)
    assert want.attrs["segments"] < len(opened.segments)  # interviewers' turns left out
    run = code_project_dask(project, scheduler=cluster.scheduler.address, piece_rows=10)
    pd.testing.assert_frame_equal(pd.read_parquet(run.target), want.reset_index(drop=True))
    assert run.segments == want.attrs["segments"]
    kept = code_project_dask(project, scheduler=cluster.scheduler.address, keep_interviewers=True)
    assert kept.segments == len(opened.segments)


def test_autocode_takes_a_dask_dataframe(fft, cluster):
    from toolkit.analysis.themes.dask_tables import parquet_frames

    segments, _ = parquet_frames(fft, ID, TEXT, rows=6)
    book = tk.read_codebook(DATA / "codebook.yml")
    lazy = tk.autocode(segments, book, unit="sentence")
    assert lazy.npartitions == 6
    got = lazy.compute().reset_index(drop=True)
    want = tk.autocode(
        tk.read_transcripts(fft, id_column=ID, text_column=TEXT), book, unit="sentence"
    )
    pd.testing.assert_frame_equal(got, want)


def test_code_command_on_dask_and_parquet_output(fft, tmp_path):
    pytest.importorskip("distributed")
    project = _project(tmp_path / "p", fft)
    memory = CliRunner().invoke(
        cli, ["code", str(project), "--output", str(tmp_path / "memory.parquet"), "--quiet"]
    )
    assert memory.exit_code == 0, memory.output
    result = CliRunner().invoke(
        cli, ["code", str(project), "--engine", "dask", "--workers", "2", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    target = project / "output" / "codings-rules.parquet"
    assert f"codings written to {target}" in result.output and "2 workers" in result.output
    assert memory.output.splitlines()[0].split(" written")[0] in result.output
    pd.testing.assert_frame_equal(
        pd.read_parquet(target), pd.read_parquet(tmp_path / "memory.parquet")
    )
    # Run again: the dataset is replaced whole, never mixed with the old parts.
    again = CliRunner().invoke(
        cli, ["code", str(project), "--engine", "dask", "--workers", "1", "--output", str(target)]
    )
    assert again.exit_code == 0, again.output
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--workers", "2"], "expected --workers only with --engine dask"),
        (
            ["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
            "but found both",
        ),
        (["--engine", "dask", "--output", "codings.csv"], "to end in .parquet"),
        (["--engine", "dask", "--against", "sam"], "--against only with the in-memory engine"),
    ],
)
def test_engine_options_that_do_not_go_together(fft, tmp_path, options, message):
    pytest.importorskip("distributed")
    project = _project(tmp_path / "p", fft)
    result = CliRunner().invoke(cli, ["code", str(project), *options])
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


# --- 3. Theme tables from Dask ------------------------------------------------------


@pytest.mark.parametrize("unit", ["participants", "segments", "interviews"])
def test_dask_theme_tables_equal_the_pandas_ones(fft, cluster, unit):
    from toolkit.analysis.themes.dask_tables import dask_theme_tables, parquet_frames

    book = tk.read_codebook(DATA / "codebook.yml")
    segments, people = parquet_frames(fft, ID, TEXT, rows=6)
    tables = dask_theme_tables(
        tk.autocode(segments, book),
        segments,
        book,
        people,
        unit=unit,
        group="FFT question",
        when="Date",
        coder="rules",
        per_theme=2,
    )
    corpus = tk.read_corpus(fft, id_column=ID, text_column=TEXT)
    codings = tk.autocode(corpus.segments, book)
    same = {"coder": "rules", "unit": unit}
    args = (codings, corpus.segments, book)
    pd.testing.assert_frame_equal(
        tables.themes, tk.theme_frequency(*args, participants=corpus.participants, **same)
    )
    pd.testing.assert_frame_equal(
        tables.codes,
        tk.theme_frequency(*args, participants=corpus.participants, of="code", **same),
    )
    by_group = tk.theme_by_group(*args, corpus.participants, group="FFT question", **same)
    pd.testing.assert_frame_equal(tables.by_group, by_group)
    pd.testing.assert_frame_equal(
        pd.DataFrame(tables.by_group.attrs["tests"]), pd.DataFrame(by_group.attrs["tests"])
    )
    assert tables.by_group.attrs["note"] == by_group.attrs["note"]
    trend = tk.theme_trend(*args, corpus.participants, when="Date", **same)
    pd.testing.assert_frame_equal(tables.trend, trend)
    assert tables.trend.attrs["period"] == trend.attrs["period"] == "week"
    quotes = tk.exemplar_quotes(
        *args, participants=corpus.participants, of="theme", per_code=2, coder="rules"
    )
    pd.testing.assert_frame_equal(tables.quotes, quotes)
    assert (
        tables.themes.attrs["total"]
        == tk.theme_frequency(*args, participants=corpus.participants, **same).attrs["total"]
    )


def test_dask_quotes_do_not_depend_on_the_partitions(fft):
    from toolkit.analysis.themes.dask_tables import dask_theme_tables, parquet_frames

    pytest.importorskip("dask")
    book = tk.read_codebook(DATA / "codebook.yml")
    found = []
    for rows in (3, 12, 100):
        segments, people = parquet_frames(fft, ID, TEXT, rows=rows)
        tables = dask_theme_tables(
            tk.autocode(segments, book), segments, book, people, coder="rules"
        )
        found.append(tables.quotes)
    pd.testing.assert_frame_equal(found[0], found[1])
    pd.testing.assert_frame_equal(found[0], found[2])


# --- 4. The benchmark -----------------------------------------------------------------


def test_benchmark_runs_on_a_small_sample(tmp_path):
    pytest.importorskip("distributed")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_scale.py"), "--responses", "20000",
         "--keep", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Same codings from both engines: yes" in result.stdout
    assert "peak memory of the process tree" in result.stdout


# --- 5. Dask is optional --------------------------------------------------------------


@pytest.mark.parametrize("blocked", ["dask", "distributed"])
def test_without_dask_the_engine_names_the_extra(fft, tmp_path, monkeypatch, blocked):
    project = _project(tmp_path / "p", fft)
    for name in [m for m in sys.modules if m == blocked or m.startswith(blocked + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, blocked, None)  # import dask now raises ImportError
    result = CliRunner().invoke(cli, ["code", str(project), "--engine", "dask"])
    assert result.exit_code == 1
    assert f"'{blocked}'" in result.output and EXTRA in result.output
    assert "Traceback" not in result.output
    # The in-memory engine still works without Dask.
    assert CliRunner().invoke(cli, ["code", str(project), "--quiet"]).exit_code == 0


def test_without_pyarrow_parquet_names_the_extra(fft, monkeypatch):
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(
        ToolkitError, match=r"'pyarrow' to be installed .*codesign-toolkit\[scale\]"
    ):
        tk.read_corpus(fft)
