"""Safe writing and forgiving, precise CSV reading."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from toolkit.errors import ToolkitError
from toolkit.io.files import atomic_open, atomic_write, read_table, to_numbers, write_table


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "a.csv"
    atomic_write(target, "old")
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "a.csv"
    atomic_write(target, "old")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_write_table_round_trip(tmp_path):
    table = pd.DataFrame({"a": ["x", "y, z"], "b": ["1", "2"]})
    write_table(table, tmp_path / "t.csv")
    back = read_table(tmp_path / "t.csv", ["a", "b"])
    assert back.to_dict("list") == table.to_dict("list")


@pytest.mark.parametrize(
    "raw",
    [
        b"name,dots\nAsha,3\n",
        b"\xef\xbb\xbfname,dots\nAsha,3\n",
        b"sep=;\nname;dots\nAsha;3\n",
        b"name;dots\r\nAsha;3\r\n",
        "name,dots\nAsha,3\n".encode("utf-16"),
    ],
    ids=["plain", "bom", "excel-sep", "semicolon-crlf", "utf16"],
)
def test_read_table_copes_with_spreadsheet_exports(tmp_path, raw):
    path = tmp_path / "votes.csv"
    path.write_bytes(raw)
    table = read_table(path, ["name", "dots"])
    assert table.to_dict("list") == {"name": ["Asha"], "dots": ["3"]}


def test_windows_1252_is_detected(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        "name,note\nZoë,café visit on the ward\nRenée,naïve question\n".encode("cp1252")
    )
    table = read_table(path, ["name"])
    assert table["name"].tolist() == ["Zoë", "Renée"]


def test_missing_column_names_file_and_found_columns(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("person,dots\nA,1\n")
    with pytest.raises(ToolkitError) as info:
        read_table(path, ["participant", "dots"], what="votes")
    message = str(info.value)
    assert "votes.csv, line 1" in message and "'participant'" in message and "'person'" in message


def test_duplicate_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,a\n1,2,3\n")
    with pytest.raises(ToolkitError, match="'a' appears twice"):
        read_table(path)


def test_too_many_cells_names_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(ToolkitError, match="row 3"):
        read_table(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ToolkitError, match="binary"):
        read_table(path)


def test_to_numbers_range_and_decimal_comma(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name;score\nA;2,5\nB;9\n")
    table = read_table(path)
    with pytest.raises(ToolkitError) as info:
        to_numbers(table, "score", low=1, high=5)
    assert "row 3" in str(info.value) and "between 1 and 5" in str(info.value)
    assert to_numbers(table.iloc[:1], "score").tolist() == [2.5]


def test_atomic_write_keeps_permissions(tmp_path):
    target = tmp_path / "coder.csv"
    old = os.umask(0o022)
    try:
        atomic_write(target, "one")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    atomic_write(target, "two")
    assert target.stat().st_mode & 0o777 == 0o640
