"""The command line, tested in-process."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit.cli import cli


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = sorted(_commands(cli))


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert tk.__version__ in result.output


def test_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, *_rest in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert len(summary) > 20, f"'{' '.join(command)}' needs a real help text"


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [" ".join(c) for c in COMMANDS if f"codesign-toolkit {' '.join(c)}" not in readme]
    assert not missing, f"commands missing from the README: {missing}"


def test_python_dash_m_runs():
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and tk.__version__ in result.stdout


def test_info_on_sample():
    result = CliRunner().invoke(cli, ["info", str(tk.sample_project_path())])
    assert result.exit_code == 0, result.output
    assert "fictional" in result.output
    assert "participants" in result.output


def test_errors_print_without_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["info", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "nowhere" in result.output and "How to fix" in result.output


def test_new_creates_a_project(tmp_path):
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "p"), "--name", "Ward 7: nights"])
    assert result.exit_code == 0, result.output
    assert tk.open_project(tmp_path / "p").name == "Ward 7: nights"
