"""ToolkitError messages say where, what and how to fix."""

from __future__ import annotations

import pytest

from toolkit.errors import CodebookError, ToolkitError


def test_message_names_file_line_and_fix():
    err = ToolkitError("expected a code", path="codebook.yml", line=7, hint="add 'code:'")
    assert str(err) == "codebook.yml, line 7: expected a code. How to fix: add 'code:'"


def test_row_without_path():
    assert str(ToolkitError("expected a number", row=3)) == "row 3: expected a number."


def test_subclasses_are_value_errors():
    with pytest.raises(ValueError):
        raise CodebookError("bad")
    assert issubclass(CodebookError, ToolkitError)
