"""Shared fixtures: the sample project, small tables, and the built book."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit as tk

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def sample():
    """The built-in sample project, opened once per test session."""
    return tk.sample_project()


@pytest.fixture
def sample_copy(tmp_path):
    """A writable copy of the sample project folder."""
    target = tmp_path / "sample"
    shutil.copytree(tk.sample_project_path(), target)
    return target


@pytest.fixture(scope="session")
def book_output(tmp_path_factory):
    """The folder the book is built into; page tests fill its execution cache."""
    return tmp_path_factory.mktemp("book")


@pytest.fixture(scope="session")
def executed_pages():
    """The pages the page tests executed (and cached) in this session."""
    return set()


@pytest.fixture(scope="session")
def built_site(book_output):
    """Build the whole book once (warnings are errors) and return the HTML folder."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(ROOT),
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(book_output),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    log = result.stdout + result.stderr
    (book_output / "build.log").write_text(log, encoding="utf-8")
    if result.returncode != 0:
        problems = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
        pytest.fail(
            "the book did not build cleanly:\n"
            + "\n".join(problems[-40:] or log.splitlines()[-40:])
        )
    return book_output / "_build" / "html"
