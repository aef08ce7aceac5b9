"""The README's two set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [c.strip() for c in re.findall(r"```bash\n(.*?)```", readme, re.DOTALL)]


def test_readme_has_two_setup_commands():
    commands = _commands()
    assert len(commands) == 2
    assert "jupyter-book build" in commands[0] and "-W" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    last = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last.strip() == _commands()[1]
    assert "set -euo pipefail" in ci
