"""Check a folder the user named before reading from it or writing into it.

The folder companions of :func:`toolkit.io.files.require_file`: each returns
the path as a :class:`~pathlib.Path`, or raises the caller's
:class:`~toolkit.errors.ToolkitError` subclass saying what was expected there
and how to fix it.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import ToolkitError

__all__ = ["require_folder", "require_new_folder"]


def require_folder(
    path: str | Path, what: str, hint: str, error: type[ToolkitError] = ToolkitError
) -> Path:
    """Return ``path`` as a Path if it is a folder, else raise ``error``.

    ``what`` says what should be there, for the message ("a project folder");
    ``hint`` says how to fix it.

    Examples
    --------
    >>> require_folder("no-such-folder", "a folder of coders' files", "check the path")
    Traceback (most recent call last):
    ...
    toolkit.errors.ToolkitError: no-such-folder: expected a folder of coders' files, but there ...
    """
    path = Path(path)
    if not path.is_dir():
        raise error(f"expected {what}, but there is no folder at this path", path=path, hint=hint)
    return path


def require_new_folder(
    path: str | Path, what: str, hint: str, error: type[ToolkitError] = ToolkitError
) -> Path:
    """Return ``path`` as a Path if nothing is there yet or it is an empty folder, else raise.

    Nothing the user already has is ever overwritten.  ``what`` says what
    the folder is for, for the message ("a new or empty folder for the
    project"); ``hint`` says how to fix it; ``error`` is the class raised.

    Examples
    --------
    >>> import tempfile
    >>> require_new_folder(tempfile.mkdtemp(), "an empty folder", "choose another").is_dir()
    True
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise error(f"expected {what}, but this one already has files", path=path, hint=hint)
    return path
