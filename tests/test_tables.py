"""Every public function that returns a tidy table returns exactly its schema (toolkit.tables)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import toolkit as tk
from toolkit import tables

SAMPLE = tk.sample_project_path()
NAMES = list(tables.SCHEMAS)


@pytest.fixture(scope="module")
def project():
    return tk.sample_project()


@pytest.mark.parametrize("name", NAMES)
def test_empty_tables_conform(name):
    empty = getattr(tables, f"empty_{name}")()
    assert empty.empty
    assert tables.conforms(empty, name)
    assert list(empty.columns) == tables.SCHEMAS[name].names


@pytest.mark.parametrize("name", NAMES)
def test_check_names_the_missing_column(name):
    schema = tables.SCHEMAS[name]
    table = pd.DataFrame({c: ["1"] for c in schema.required[1:]})
    with pytest.raises(tk.ToolkitError, match=schema.required[0]):
        getattr(tables, f"check_{name}")(table)


def test_check_puts_schema_columns_first_and_types_them():
    raw = pd.DataFrame({"note": ["x"], "end": ["9"], "code": ["a"], "start": [3],
                        "segment_id": ["0"], "interview_id": [7]})  # fmt: skip
    table = tables.check_codings(raw)
    assert tables.conforms(table, "codings")
    assert table.loc[0, "interview_id"] == "7" and table.loc[0, "end"] == 9
    assert raw.columns[0] == "note"  # the input is not changed


def test_check_refuses_a_number_that_is_not_one():
    with pytest.raises(tk.ToolkitError, match=r"row 2 holds 'ten'"):
        tables.check_votes(pd.DataFrame({"participant": ["A", "B"], "item": ["x", "y"],
                                         "dots": [1, "ten"]}))  # fmt: skip


def test_conforms_notices_a_wrong_type_or_order():
    codings = tables.empty_codings()
    assert not tables.conforms(codings.astype({"start": "float64"}), "codings")
    assert not tables.conforms(codings[codings.columns[::-1]], "codings")
    assert not tables.conforms(codings.assign(extra=""), "codings")  # codings take no extras
    assert tables.conforms(tables.empty_participants().assign(role=""), "participants")


@pytest.mark.parametrize("name", NAMES)
def test_sample_project_tables_conform(project, name):
    table = getattr(project, name)
    table = getattr(table, "table", table)
    assert tables.conforms(table, name), table.dtypes


@pytest.mark.parametrize("name", NAMES)
def test_a_saved_and_reopened_project_conforms(project, tmp_path, name):
    tk.save_project(project, tmp_path / "copy")
    table = getattr(tk.open_project(tmp_path / "copy"), name)
    table = getattr(table, "table", table)
    assert tables.conforms(table, name), table.dtypes


def test_readers_return_their_schema(tmp_path):
    folder = SAMPLE / "interviews"
    assert tables.conforms(tk.read_transcripts(folder), "segments")
    corpus = tk.read_corpus(folder)
    assert tables.conforms(corpus.documents, "documents")
    assert tables.conforms(corpus.segments, "segments")
    assert tables.conforms(tk.read_codebook(SAMPLE / "codebook.yml").table, "codebook")
    assert tables.conforms(tk.read_participants(SAMPLE / "participants.csv"), "participants")
    assert tables.conforms(tk.read_stakeholders(SAMPLE / "stakeholders.csv"), "stakeholders")
    assert tables.conforms(tk.read_connections(SAMPLE / "connections.csv"), "connections")
    assert tables.conforms(tk.read_votes(SAMPLE / "votes.csv"), "votes")
    assert tables.conforms(tk.read_codings(SAMPLE / "codings"), "codings")


def test_coding_functions_return_codings(project):
    rules = tk.autocode(project.segments, project.codebook, progress=False)
    assert len(rules) and tables.conforms(rules, "codings")
    for unit in ("sentence", "match"):
        assert tables.conforms(tk.autocode(project.segments, project.codebook, unit=unit,
                                           progress=False), "codings")  # fmt: skip
    assert tables.conforms(tk.merge_codings(project.codings, rules), "codings")
    none = project.segments.iloc[:0]
    assert tables.conforms(tk.autocode(none, project.codebook, progress=False), "codings")


def test_refi_round_trip_returns_schemas(project, tmp_path):
    tk.write_qdpx(project, tmp_path / "p.qdpx")
    back = tk.read_qdpx(tmp_path / "p.qdpx")
    for name in ("documents", "segments", "codings", "participants"):
        assert tables.conforms(getattr(back, name), name), name
    assert tables.conforms(back.codebook.table, "codebook")


def test_pseudonymised_project_conforms(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "p")
    tk.pseudonymise_project(tmp_path / "p", tmp_path / "out")
    out = tk.open_project(tmp_path / "out")
    for name in NAMES:
        table = getattr(out, name)
        table = getattr(table, "table", table)
        assert tables.conforms(table, name), name


def test_stakeholders_intensity_is_an_optional_rating_beside_energy():
    raw = pd.DataFrame({"social": [4, None], "intensity": ["3", ""], "energy": [-2, 1],
                        "interest": [3, 3], "influence": [5, 2], "group": ["", ""],
                        "stakeholder": ["A", "B"]})  # fmt: skip
    table = tables.check_stakeholders(raw)
    assert list(table.columns) == [*tables.STAKEHOLDERS.names, "intensity", "social"]
    assert tables.conforms(table, "stakeholders") and table["intensity"].dtype == "float64"
    assert tables.conforms(tables.empty_stakeholders(), "stakeholders")  # still optional
    assert not tables.conforms(table.astype({"intensity": object}), "stakeholders")


def test_segments_and_codings_share_the_span_columns_all_required():
    for schema in (tables.SEGMENTS, tables.CODINGS):
        assert {c: schema.columns[c] for c in tables.SPAN} == tables.SPAN
        assert set(tables.SPAN) <= set(schema.required)
    assert tables.CODINGS.names[: len(tables.SPAN)] == list(tables.SPAN)
