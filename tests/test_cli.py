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


QUICK = [["--version"], ["--help"], *[[*command, "--help"] for command in COMMANDS]]


@pytest.mark.parametrize("args", QUICK, ids=" ".join)
def test_help_and_version_import_neither_pandas_nor_altair(args):
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pandas', 'altair', 'numpy') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_python_dash_m_version_imports_no_pandas():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "toolkit", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and tk.__version__ in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "toolkit.cli" in imported
    assert not {"pandas", "altair"} & imported


def test_info_is_the_library_summary():
    summary = tk.project_summary(tk.sample_project_path())
    assert summary.name == tk.sample_project().name
    assert summary.counts["interviews"] == len(tk.sample_project().documents)
    assert list(summary.counts) == [
        "interviews",
        "segments",
        "participants",
        "codings",
        "stakeholders",
        "connections",
        "votes",
    ]
    result = CliRunner().invoke(cli, ["info", str(tk.sample_project_path())])
    assert result.output == f"{summary}\n"


def test_option_values_are_checked_before_any_output():
    result = CliRunner().invoke(cli, ["agreement", str(tk.sample_project_path()), "--n-boot", "10"])
    assert result.exit_code == 2
    assert result.output.startswith("Usage:")
    assert "'--n-boot'" in result.output and "Traceback" not in result.output


def test_library_messages_name_options_as_typed(tmp_path):
    folder = tk.new_project(tmp_path / "p", sample=True)
    result = CliRunner().invoke(
        cli, ["report", str(folder), "--coder", "nobody", "--output", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nobody" in result.output and "coder=" not in result.output


def test_a_toolkit_error_names_the_options_as_typed():
    from toolkit.cli_errors import ToolkitGroup
    from toolkit.errors import ToolkitError

    @click.group(cls=ToolkitGroup)
    def group():
        """A group."""

    @group.command()
    @click.option("--n-boot", type=int, default=1000)
    @click.option("--coder", "coders", multiple=True)
    def agree(n_boot, coders):
        """A command."""
        raise ToolkitError(
            f"expected n_boot to be at least 50, but found {n_boot}",
            hint="pass coders=['sam', 'nadia'], or coders=None for all",
        )

    result = CliRunner().invoke(group, ["agree", "--n-boot", "5"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "expected --n-boot to be at least 50, but found 5" in result.output
    assert "pass --coder sam --coder nadia, or no --coder for all" in result.output


def test_codebook_check_is_the_library_summary():
    path = tk.sample_project_path() / "codebook.yml"
    summary = tk.codebook_summary(path)
    result = CliRunner().invoke(cli, ["codebook", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{summary}\n"
    assert result.output.startswith(f"{path}: OK. {summary.codes} codes in ")


def test_codebook_summary_of_codes_without_themes():
    summary = tk.codebook_summary(["wish", "hope"])
    assert summary.path is None and summary.themes == [] and summary.codes == 2
    assert str(summary).splitlines() == [
        "OK. 2 codes in 0 themes; 0 keywords, 0 regular expressions, 0 'not' phrases.",
        "  (no theme): wish, hope",
    ]
