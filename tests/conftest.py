"""Shared fixtures: the sample project, small tables, and the built book."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session", autouse=True)
def network_guard(book_output):
    """Put the network guard (tests/network_guard) on PYTHONPATH for every subprocess.

    Every Python process the tests start (the page tests' kernels, the book
    build and its kernels, CLI subprocesses) can then reach only this machine;
    blocked attempts go to network-guard.log beside the build, which
    ``built_site`` copies into build.log (test_no_network checks it).
    """
    log = book_output / "network-guard.log"
    saved = {
        k: os.environ.get(k)
        for k in ("PYTHONPATH", "TOOLKIT_NETWORK_GUARD", "TOOLKIT_NETWORK_GUARD_LOG")
    }
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(__file__).parent / "network_guard"), saved["PYTHONPATH"]) if p
    )
    os.environ["TOOLKIT_NETWORK_GUARD"] = "1"
    os.environ["TOOLKIT_NETWORK_GUARD_LOG"] = str(log)
    yield log
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def built_site(book_output, network_guard):
    """Build the whole book once (warnings are errors) and return the HTML folder.

    The build runs under the network guard (see ``network_guard``).
    """
    guard_log = network_guard
    env = dict(os.environ)
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
        env=env,
    )
    log = "network guard: on\n" + result.stdout + result.stderr
    if guard_log.is_file():
        log += guard_log.read_text(encoding="utf-8")
    (book_output / "build.log").write_text(log, encoding="utf-8")
    if result.returncode != 0:
        problems = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
        pytest.fail(
            "the book did not build cleanly:\n"
            + "\n".join(problems[-40:] or log.splitlines()[-40:])
        )
    return book_output / "_build" / "html"


def pytest_collection_modifyitems(session, config, items):
    """Run the page tests first: they fill the execution cache the book build reuses."""
    items.sort(key=lambda item: 0 if item.path.name == "test_pages.py" else 1)
