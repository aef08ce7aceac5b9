"""No network, ever: the whole pipeline runs with every outside connection refused.

The guard (tests/network_guard/sitecustomize.py) refuses any socket
connection or name lookup that is not to this machine.  The same guard is
put on PYTHONPATH for the one book build of the test session (conftest's
``built_site``), and ``test_book_build_made_no_network_request`` reads its log.
"""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli

GUARD = Path(__file__).resolve().parent / "network_guard" / "sitecustomize.py"


def _guard_module():
    spec = importlib.util.spec_from_file_location("toolkit_network_guard", GUARD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Refuse every non-loopback connection for the duration of a test."""
    log = tmp_path / "blocked.log"
    monkeypatch.setenv("TOOLKIT_NETWORK_GUARD_LOG", str(log))
    uninstall = _guard_module().install()
    try:
        yield log
    finally:
        uninstall()


def test_guard_blocks_outside_and_allows_loopback(no_network):
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)  # TEST-NET-1: never routed
    with pytest.raises(OSError, match="blocked"):
        socket.getaddrinfo("example.org", 443)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        client = socket.create_connection(server.getsockname(), timeout=1)
        client.close()
    finally:
        server.close()
    assert no_network.read_text().count("BLOCKED") == 2
    no_network.unlink()


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_whole_pipeline_offline(no_network, tmp_path):
    sample = tk.new_project(tmp_path / "sample", sample=True)
    # Import: transcripts of every format into a new project.
    _run("import", sample / "interviews", tmp_path / "imported")
    assert len(tk.open_project(tmp_path / "imported").documents) >= 18
    # Pseudonymise, then code, check agreement, map energy and report on the copy.
    _run("anonymise", sample, tmp_path / "anon")
    project_dir = tmp_path / "anon"
    _run("info", project_dir)
    _run("codebook", "check", project_dir / "codebook.yml")
    _run("code", project_dir, "--quiet")
    _run("agreement", project_dir, "--n-boot", "50")
    _run("energy", project_dir)
    _run("network", project_dir, tmp_path / "network.graphml")
    _run("report", project_dir)
    _run("report", project_dir, "--format", "md")
    # Themes, in the library.
    project = tk.open_project(project_dir)
    codings = tk.merge_codings(project.codings, tk.autocode(project.segments, project.codebook))
    assert len(tk.theme_frequency(codings, project.segments, project.codebook))
    assert len(tk.cooccurrence(codings, project.segments, project.codebook))
    # REFI-QDA round trip.
    _run("refi", "export", project_dir, tmp_path / "anon.qdpx")
    _run("refi", "import", tmp_path / "anon.qdpx", tmp_path / "round-trip")
    # Rule codings stay behind (they are remade by `code`); every human coding travels.
    assert len(tk.open_project(tmp_path / "round-trip").codings) == len(project.human_codings)
    assert not no_network.exists(), no_network.read_text()


@pytest.mark.book
def test_book_build_made_no_network_request(built_site):
    log = built_site.parents[1] / "build.log"
    text = log.read_text(encoding="utf-8")
    assert "network guard: on" in text, "the book was not built with the network guard"
    blocked = [line for line in text.splitlines() if "BLOCKED network access" in line]
    assert not blocked, "\n".join(blocked)
