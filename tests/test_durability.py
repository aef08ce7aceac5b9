"""Work is never lost: a save killed half-way leaves the previous file whole.

A child process saves a large coder's file over and over with
:func:`toolkit.save_coder_codings`; the test kills it with SIGKILL at a
random moment and reads the file back with the toolkit's reader.  (Saving
fewer codings keeps a backup: see tests/test_coding.py.)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import toolkit as tk
from toolkit.model.codings import read_coder_codings

ROWS = 20_000

SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pandas as pd
    import toolkit as tk

    folder, rows = Path(sys.argv[1]), int(sys.argv[2])
    version = 0
    while True:
        version += 1
        table = pd.DataFrame({
            "interview_id": [f"int{i % 50:02d}" for i in range(rows)],
            "segment_id": [i // 50 + 1 for i in range(rows)],
            "start": [0] * rows,
            "end": [10 + version % 7] * rows,
            "code": ["wish"] * rows,
            "coder": ["sam"] * rows,
            "memo": [f"saved in version {version}"] * rows,
        })
        tk.save_coder_codings(table, folder, "sam")
        (folder / "saved.txt").write_text(str(version))
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_save_leaves_the_previous_file_whole(tmp_path):
    rng = random.Random(20261122)
    folder = tmp_path / "codings"
    folder.mkdir()
    script = tmp_path / "saver.py"
    script.write_text(SAVER, encoding="utf-8")
    for _attempt in range(3):
        child = subprocess.Popen([sys.executable, str(script), str(folder), str(ROWS)])
        try:
            deadline = time.monotonic() + 60
            while not (folder / "saved.txt").exists():
                assert child.poll() is None, "the saving process stopped by itself"
                assert time.monotonic() < deadline, "the first save took over a minute"
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.4))  # kill at a random point of a later save
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        codings = read_coder_codings(folder / "sam.csv")
        assert len(codings) == ROWS
        memos = set(codings["memo"])
        assert len(memos) == 1 and next(iter(memos)).startswith("saved in version ")
        # A temporary file the kill left behind never counts as a coder's file.
        assert sorted(tk.read_codings(folder)["coder"].unique()) == ["sam"]
        (folder / "saved.txt").unlink()


def test_two_coding_panels_on_one_file_do_not_overwrite_each_other(tmp_path):
    from toolkit.present.widgets.coding_panel import CodingPanel

    folder = tk.new_project(tmp_path / "project", sample=True)
    project = tk.open_project(folder)
    first, second, third = [
        (row.interview_id, int(row.segment_id))
        for row in project.segments[project.segments["interview_id"] == "int01"]
        .iloc[4:7]
        .itertuples()
    ]
    tab_a = CodingPanel(project, coder="alex")
    tab_b = CodingPanel(project, coder="alex")  # the same coder in a second browser tab
    tab_a.go_to(*first)
    tab_a.checkboxes["peak_experience"].value = True
    tab_b.go_to(*second)
    tab_b.checkboxes["wishes"].value = True  # tab B has not seen tab A's coding
    assert "Merged 1 change" in tab_b.status.value

    def saved() -> set[tuple]:
        table = read_coder_codings(folder / "codings" / "alex.csv")
        return set(zip(table["interview_id"], table["segment_id"], table["code"], strict=True))

    assert saved() == {(*first, "peak_experience"), (*second, "wishes")}
    # Tab A removes its coding (it has not seen B's); then B codes again: the removal holds.
    tab_a.checkboxes["peak_experience"].value = False
    assert saved() == {(*second, "wishes")}
    tab_b.go_to(*third)
    tab_b.checkboxes["wishes"].value = True
    assert saved() == {(*second, "wishes"), (*third, "wishes")}
