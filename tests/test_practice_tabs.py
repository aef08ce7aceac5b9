"""Practice pages show each task two ways, Python and the command line (issue 17, point 3).

A MyST-NB code cell cannot sit inside a tab (the reader takes only top-level
cells, and warns about nested ones), so each task is written as a tab set,
with the Python tab's code shown as a block, followed by the executed cell
with its input removed: the page shows the code once, in its tab, and the
output below the tabs.  These tests keep the two copies of the code equal,
and check that every command the pages show exists with the options they give.
"""

from __future__ import annotations

import re
import shlex

import click
import pytest

from book_pages import ROOT, toc_pages
from toolkit.cli import cli

PRACTICE = ROOT / "book" / "practice"
TAB_PAGES = [
    PRACTICE / f"{name}.md"
    for name in (
        "your-interviews",
        "building-a-codebook",
        "coding",
        "agreement",
        "themes",
        "stakeholder-energy",
        "following-the-energy",
        "other-tools",
    )
]
COMMAND_PAGES = [*TAB_PAGES, PRACTICE / "files-to-report.md"]

TAB_SET = re.compile(r"^`````\{tab-set\}\n(?P<body>.*?)^`````[ \t]*\n", re.S | re.M)
TAB_ITEM = re.compile(
    r"^````\{tab-item\} (?P<label>[^\n]+)\n(?P<body>.*?)^````[ \t]*$", re.S | re.M
)
FENCE = re.compile(r"^```(?P<info>[\w-]*)[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.S | re.M)
NEXT_CELL = re.compile(
    r"\s*```\{code-cell\} ipython3\n(?P<options>(?::[^\n]*\n)*)(?P<code>.*?)^```", re.S | re.M
)


def _ids(pages):
    return [p.stem for p in pages]


def _tab_sets(text: str) -> list[tuple[dict[str, str], str, str]]:
    """Return each tab set's items (label -> body), the text after it, and its body."""
    found = []
    for match in TAB_SET.finditer(text):
        items = {
            m.group("label").strip(): m.group("body")
            for m in TAB_ITEM.finditer(match.group("body"))
        }
        found.append((items, text[match.end() :], match.group("body")))
    return found


def _block(body: str, info: str) -> str:
    blocks = [m.group("code") for m in FENCE.finditer(body) if m.group("info") == info]
    assert len(blocks) == 1, f"expected one ```{info} block, found {len(blocks)}"
    return blocks[0]


@pytest.mark.parametrize("page", TAB_PAGES, ids=_ids(TAB_PAGES))
def test_tasks_show_python_and_the_command_line(page):
    text = page.read_text(encoding="utf-8")
    tab_sets = _tab_sets(text)
    assert tab_sets, f"{page.name} has no Python / Command line tabs"
    assert text.count("{tab-set}") == len(tab_sets), "a tab set not in the usual form"
    for items, after, body in tab_sets:
        assert list(items) == ["Python", "Command line"], list(items)
        # One choice for the whole site: picking "Command line" once switches every tab set.
        assert ":sync-group: tool" in body
        assert ":sync: python" in items["Python"]
        assert ":sync: command-line" in items["Command line"]
        python = _block(items["Python"], "python")
        command = _block(items["Command line"], "bash")
        assert "codesign-toolkit " in command
        sentence = FENCE.sub("", items["Command line"]).replace(":sync: command-line", "").strip()
        assert sentence.endswith("."), "say in a sentence what the command writes"
        cell = NEXT_CELL.match(after)
        if cell is None:
            continue  # an example not run on the page (it would write files or open a widget)
        assert "remove-input" in cell.group("options"), "the code is shown in its tab, not twice"
        assert cell.group("code") == python, (
            "the Python tab must show exactly the code of the cell that runs after it"
        )


def test_every_tab_page_is_in_the_book():
    pages = toc_pages()
    for page in COMMAND_PAGES:
        assert page in pages, page
    files_to_report = pages.index(PRACTICE / "files-to-report.md")
    assert pages[files_to_report - 1] == PRACTICE / "sample-project.md"


def _command_lines(text: str) -> list[str]:
    """Every `codesign-toolkit ...` line in the page's bash blocks and `!` cells."""
    lines = []
    for match in FENCE.finditer(text):
        if match.group("info") != "bash":
            continue
        for line in match.group("code").replace("\\\n", " ").splitlines():
            if line.strip().startswith("codesign-toolkit"):
                lines.append(line.strip())
    lines += [m.group(1) for m in re.finditer(r"^!(codesign-toolkit [^\n]*)$", text, re.M)]
    return lines


def check_command(line: str) -> None:
    """Fail unless `line` names a real command, with real options and the right arguments."""
    words = shlex.split(line, comments=True)
    assert words[0] == "codesign-toolkit"
    command: click.Command = cli
    words = words[1:]
    path = ["codesign-toolkit"]
    while isinstance(command, click.Group):
        assert words, f"{line}: no command after {' '.join(path)}"
        name = words.pop(0)
        assert name in command.commands, f"{line}: no command {name!r} in {' '.join(path)}"
        command = command.commands[name]
        path.append(name)
    options = {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts}
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    positional = []
    while words:
        word = words.pop(0)
        if not word.startswith("-"):
            positional.append(word)
            continue
        name, _, value = word.partition("=")
        assert name in options, f"{line}: {' '.join(path)} has no option {name}"
        option = options[name]
        if option.is_flag:
            continue
        if not value:
            assert words, f"{line}: {name} needs a value"
            value = words.pop(0)
        if isinstance(option.type, click.Choice):
            assert value in option.type.choices, f"{line}: {name} {value!r} is not a choice"
    needed = [a for a in arguments if a.required]
    assert len(needed) <= len(positional) <= len(arguments), (
        f"{line}: {' '.join(path)} takes {len(arguments)} arguments, got {positional}"
    )


@pytest.mark.parametrize("page", COMMAND_PAGES, ids=_ids(COMMAND_PAGES))
def test_commands_on_the_pages_exist(page):
    lines = _command_lines(page.read_text(encoding="utf-8"))
    assert lines, f"{page.name} shows no command"
    for line in lines:
        check_command(line)


@pytest.mark.parametrize(
    "line",
    [
        "codesign-toolkit cod my-project",
        "codesign-toolkit code my-project --against",
        "codesign-toolkit code my-project --no-such-option",
        "codesign-toolkit report my-project --format pdf",
        "codesign-toolkit anonymise my-project",
        "codesign-toolkit refi my-project out.qdpx",
    ],
)
def test_the_command_check_catches_mistakes(line):
    with pytest.raises(AssertionError):
        check_command(line)


def test_the_whole_path_runs_on_the_page():
    """From your files to a report: each step of the path is run, not just shown."""
    text = (PRACTICE / "files-to-report.md").read_text(encoding="utf-8")
    run = [m.group(1).split()[1] for m in re.finditer(r"^!(codesign-toolkit [^\n]*)$", text, re.M)]
    for step in ["new", "import", "info", "anonymise", "code", "agreement", "energy", "report"]:
        assert step in run, step
    assert "!codesign-toolkit report hartwell-shared --format docx" in text
    assert "!codesign-toolkit report hartwell-shared --for participants" in text
    # Everything is written in a scratch folder, never in the repository.
    assert "tempfile.mkdtemp" in text and "os.chdir(work)" in text
