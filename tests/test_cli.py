"""The command line, tested in-process."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

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
        "people",
        "codings",
        "rule codings",
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
    from toolkit.cli.errors import ToolkitGroup
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


# --- hygiene: every failure is one plain line (issue 15, point 9) ------------------------

QDPX = Path(__file__).resolve().parent / "data" / "refi" / "nvivo-utf16-emoji.qdpx"

#: Each command that writes, given the project folder and where to write.
WRITERS = {
    "report": lambda d, out: ["report", d, "--output", out / "report.html"],
    "network": lambda d, out: ["network", d, out / "map.gexf"],
    "code": lambda d, out: ["code", d, "--quiet", "--output", out / "codings.csv"],
    "refi export": lambda d, out: ["refi", "export", d, out / "project.qdpx"],
    "refi import": lambda d, out: ["refi", "import", QDPX, out / "imported"],
    "import": lambda d, out: ["import", d / "interviews", out / "project"],
    "anonymise": lambda d, out: ["anonymise", d, out / "pseudonymised"],
    "energy": lambda d, out: ["energy", d, "--output", out / "energy"],
    "new": lambda d, out: ["new", out / "project"],
}


def _no_partial_files(root: Path, out: Path) -> None:
    assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")], "a temporary file is left"
    assert not [p for p in out.rglob("*") if p.is_file()], f"{out} holds a half-made result"


def _one_plain_line(result, path: Path) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert str(path) in lines[0], result.output
    assert "How to fix:" in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_file_in_the_way_is_one_line_naming_the_path(command, sample_copy, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be\n")
    args = [str(a) for a in WRITERS[command](sample_copy, blocker)]
    line = _one_plain_line(CliRunner().invoke(cli, args), blocker)
    assert "a file is in the way" in line or "not a folder" in line, line
    assert blocker.read_text() == "a file where a folder should be\n"
    _no_partial_files(tmp_path, blocker)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_no_permission_is_one_line_naming_the_path(command, sample_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    refuse = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        fd, name = refuse(*args, **kwargs)
        os.close(fd)
        os.unlink(name)
        raise PermissionError(errno.EACCES, "Permission denied", name)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    args = [str(a) for a in WRITERS[command](sample_copy, out)]
    line = _one_plain_line(CliRunner().invoke(cli, args), out)
    assert "permission denied" in line and ".tmp" not in line, line
    _no_partial_files(tmp_path, out)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_full_disk_is_one_line_naming_the_path(command, sample_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")  # names no file

    monkeypatch.setattr(os, "fsync", fsync)
    args = [str(a) for a in WRITERS[command](sample_copy, out)]
    line = _one_plain_line(CliRunner().invoke(cli, args), out)
    assert "no space left on device" in line and "free some space" in line, line
    _no_partial_files(tmp_path, out)


def test_a_real_process_reports_an_unwritable_path_in_one_line(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x\n")
    folder = shutil.copytree(tk.sample_project_path(), tmp_path / "sample")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "report",
            str(folder),
            "--output",
            str(blocker / "r.html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {blocker}: ") and "How to fix:" in result.stderr


def test_a_bad_coder_is_checked_before_anything_is_coded_or_written(sample_copy):
    result = CliRunner().invoke(cli, ["code", str(sample_copy), "--quiet", "--against", "Nadia"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "did you mean 'nadia'" in result.output
    assert not (sample_copy / "output" / "codings-rules.csv").exists()
    assert not (sample_copy / "output" / "rule-check.csv").exists()


def test_the_same_warning_about_many_files_is_one_line(tmp_path):
    source = tmp_path / "incoming"
    source.mkdir()
    for n in range(1, 8):
        (source / f"int0{n}.txt").write_text(
            f"Interviewer: What helped?\n\nP{n}: My neighbour.\n\nInterviewer: And?\n\nP{n}: Tea.\n"
        )
    (source / "participants.csv").write_text("interview_id,name,group\nint01,Ann,patient\n")
    result = CliRunner().invoke(cli, ["import", str(source), str(tmp_path / "project")])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if line.startswith("  warning  ")]
    assert len(warned) == 1, result.output
    assert "int02" in warned[0] and "5 others" in warned[0] and "2 more" in warned[0]


def test_the_refi_report_groups_a_warning_about_many_documents():
    from toolkit.cli.errors import grouped

    rows = [(f"int{n:02}", "the plain text was cp1252, not UTF-8; read as such") for n in range(9)]
    assert grouped(rows) == [
        "int00, int01, int02 and 6 more (9 files): the plain text was cp1252, not UTF-8; "
        "read as such"
    ]


def test_library_warnings_are_plain_lines_once_each():
    from toolkit.cli.errors import ToolkitGroup

    @click.group(cls=ToolkitGroup)
    def group():
        """A group."""

    @group.command()
    def read():
        """A command reading many files with the same problem."""
        for _ in range(5):
            warnings.warn("codes.qdc: 2 sets of codes have no place in the toolkit", stacklevel=1)
        click.echo("done")

    result = CliRunner().invoke(group, ["read"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "done",
        "Warning: codes.qdc: 2 sets of codes have no place in the toolkit (5 times)",
    ]


def test_an_os_error_while_reading_names_the_file(tmp_path, monkeypatch):
    folder = tk.new_project(tmp_path / "p", sample=True)
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == "int01.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = CliRunner().invoke(cli, ["info", str(folder)])
    _one_plain_line(result, folder / "interviews" / "int01.txt")


# --- counts in words (issue 16's end-to-end polish) -----------------------------------------


def test_new_sample_says_what_to_try_not_to_add_transcripts(tmp_path):
    result = CliRunner().invoke(cli, ["new", "--sample", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "put transcripts in" not in result.output
    assert f"codesign-toolkit info {tmp_path / 's'}" in result.output
    assert f"codesign-toolkit report {tmp_path / 's'}" in result.output
    empty = CliRunner().invoke(cli, ["new", str(tmp_path / "e")])
    assert "put transcripts in" in empty.output  # a new project has none yet


def test_energy_counts_are_words_and_the_heading_names_the_weights(sample_copy):
    plain = CliRunner().invoke(cli, ["energy", str(sample_copy)])
    assert plain.exit_code == 0, plain.output
    assert "each scaled to 1" in plain.output
    assert re.search(r"^\d+ stakeholders, \d+ connections\.$", plain.output, re.M)
    weighted = CliRunner().invoke(cli, ["energy", str(sample_copy), "--weight", "dots=2"])
    assert weighted.exit_code == 0, weighted.output
    # With dots weighted, the top ten holds an idea with one champion behind it.
    assert re.search(r"\(\d+ dots, 0 interviews, 1 champion\)", weighted.output)
    for output in (plain.output, weighted.output):
        assert not re.search(r"\b1 (dots|interviews|champions)\b", output)
    assert "scaled to 1" not in weighted.output
    assert "each scaled to its weight: dots 2, interviews 1, champions 1" in weighted.output
    # The top idea's dots now score 2, as the heading says.
    top = re.search(r"^\s+1\. .*?(\d\.\d\d) \+", weighted.output, re.M)
    assert top and float(top.group(1)) == 2.0


def test_one_thing_is_singular_in_the_anonymise_and_import_lines(tmp_path):
    source = tmp_path / "project"
    (source / "interviews").mkdir(parents=True)
    (source / "project.yml").write_text("name: One\n")
    (source / "interviews" / "int01.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: my number is 07700\n\n"
        "00:00:02.000 --> 00:00:03.000\nAnn: 900123 if you need it\n"
    )
    result = CliRunner().invoke(cli, ["anonymise", str(source), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 place is marked 'review' in the audit: check it by hand." in result.output
    imported = CliRunner().invoke(
        cli, ["import", str(source / "interviews" / "int01.vtt"), str(tmp_path / "new")]
    )
    assert "now has 1 interview and 1 segment." in imported.output


def test_every_says_both_for_two():
    from toolkit.wording import every

    assert [every(n, "human coder") for n in (1, 2, 3, 1200)] == [
        "one human coder",
        "both human coders",
        "all 3 human coders",
        "all 1,200 human coders",
    ]


def test_the_report_says_both_human_coders_for_the_samples_two(sample_copy):
    result = CliRunner().invoke(cli, ["report", str(sample_copy), "--format", "md"])
    assert result.exit_code == 0, result.output
    text = (sample_copy / "output" / "report.md").read_text(encoding="utf-8")
    assert "both human coders" in text and "all 2 " not in text


def test_path_options_check_files_and_folders_before_the_command_runs(tmp_path):
    sample = str(tk.sample_project_path())
    missing = CliRunner().invoke(
        cli, ["anonymise", sample, str(tmp_path / "out"), "--names-file", str(tmp_path / "no")]
    )
    assert missing.exit_code == 2
    assert "--names-file" in missing.output and "does not exist" in missing.output
    assert not (tmp_path / "out").exists()
    key = CliRunner().invoke(
        cli, ["anonymise", sample, str(tmp_path / "out"), "--key", str(tmp_path)]
    )
    assert key.exit_code == 2 and "--key" in key.output and "is a directory" in key.output
    (tmp_path / "file.csv").write_text("")
    output = CliRunner().invoke(cli, ["energy", sample, "--output", str(tmp_path / "file.csv")])
    assert output.exit_code == 2 and "--output" in output.output and "is a file" in output.output


def test_path_option_help_names_a_file_or_a_directory():
    help_text = CliRunner().invoke(cli, ["anonymise", "--help"]).output
    assert "--names-file FILE" in help_text and "--key FILE" in help_text
    assert "--output DIRECTORY" in CliRunner().invoke(cli, ["energy", "--help"]).output
