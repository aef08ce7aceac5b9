"""The three-way merge of a coder's file changed on disk (two tabs, one coder)."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit import tables
from toolkit.errors import CodingError
from toolkit.model.codings import read_coder_codings, save_coder_codings
from toolkit.model.merging import file_signature, merge_coder_file, three_way_merge


def codings(*rows: tuple) -> pd.DataFrame:
    """A codings table from (interview_id, segment_id, start, end, code[, memo]) rows."""
    table = pd.DataFrame(
        [(*row, "") if len(row) == 5 else row for row in rows],
        columns=["interview_id", "segment_id", "start", "end", "code", "memo"],
    )
    return tables.check_codings(table.assign(coder="alex", method="manual"))


def keys(table: pd.DataFrame) -> list[tuple]:
    return list(
        zip(table["interview_id"], table["segment_id"], table["start"], table["code"], strict=True)
    )


A = ("int01", 1, 0, 10, "wish")
B = ("int01", 2, 10, 20, "hope")
C = ("int02", 1, 0, 5, "wish")


def test_their_additions_come_in_and_mine_stay():
    merged, changed = three_way_merge(codings(A), codings(A, B), codings(A, C))
    assert keys(merged) == keys(codings(A, C, B))
    assert changed == 1


def test_their_removals_hold_and_mine_stay():
    merged, changed = three_way_merge(codings(A, B), codings(B), codings(A, B, C))
    assert keys(merged) == keys(codings(B, C))
    assert changed == 1


def test_my_removals_hold():
    merged, changed = three_way_merge(codings(A, B), codings(A, B), codings(B))
    assert keys(merged) == keys(codings(B))
    assert changed == 0


def test_the_same_coding_on_both_sides_keeps_my_memo():
    mine = codings((*A, "my memo"))
    theirs = codings((*A, "their memo"))
    merged, changed = three_way_merge(codings(), theirs, mine)
    assert merged["memo"].tolist() == ["my memo"]
    assert changed == 1  # their addition, already here


def test_positions_tell_codings_apart():
    wider = ("int01", 1, 0, 12, "wish")
    merged, _ = three_way_merge(codings(A), codings(A, wider), codings(A))
    assert sorted(merged["end"]) == [10, 12]


def test_the_merge_keeps_the_codings_schema():
    for merged, _ in (
        three_way_merge(codings(A), codings(A, B), codings(C)),
        three_way_merge(codings(A), codings(), codings()),
    ):
        assert tables.conforms(merged, "codings")


def test_merge_coder_file_reads_the_file_on_disk(tmp_path):
    base = codings(A)
    path = save_coder_codings(codings(A, B), tmp_path, "alex")  # another tab added B
    merged, changed = merge_coder_file(path, base, codings(A, C))
    assert keys(merged) == keys(codings(A, C, B)) and changed == 1
    assert tables.conforms(merged, "codings")


def test_merge_coder_file_with_the_file_gone(tmp_path):
    merged, changed = merge_coder_file(tmp_path / "alex.csv", codings(A), codings(A, C))
    assert keys(merged) == keys(codings(C)) and changed == 1


def test_merge_coder_file_checks_against_the_project(sample_copy):
    project = tk.open_project(sample_copy)
    path = sample_copy / "codings" / "alex.csv"
    path.write_text("interview_id,segment_id,code\nint01,5,no_such_code\n", encoding="utf-8")
    mine = tables.empty_codings()
    with pytest.raises(CodingError, match="no_such_code"):
        merge_coder_file(path, mine, mine, segments=project.segments, codebook=project.codebook)


def test_file_signature_notices_a_save(tmp_path):
    path = tmp_path / "alex.csv"
    assert file_signature(path) is None
    save_coder_codings(codings(A), tmp_path, "alex")
    first = file_signature(path)
    assert first == file_signature(path) and len(first) == 64
    save_coder_codings(codings(A, B), tmp_path, "alex")
    assert file_signature(path) != first
    assert len(read_coder_codings(path)) == 2


def test_public_name():
    assert tk.merge_coder_file is merge_coder_file
