"""How the command line reports problems: one plain line each, in the command line's words.

A :class:`~toolkit.errors.ToolkitError` raised while a command runs is printed
as its message, without a traceback, and the command exits with status 1.
The library's messages name keyword arguments (``n_boot``, ``coder='humans'``);
:func:`cli_words` says them as the options a user types (``--n-boot``,
``--coder humans``).

An :class:`OSError` (a missing folder, no permission, a full disk) is printed
the same way: one line naming the path, what went wrong and how to fix it
(:func:`os_error_message`).  Files are written to a temporary name and
renamed, so a failed command leaves no half-written file, and a folder the
command was creating is removed again (:func:`fresh_folder`).

The library's warnings are printed as ``Warning: ...`` lines once the command
has run, each once however often it was raised; and the same warning about
many files is one line with a count and the first few names
(:func:`grouped`).  Like the rest of :mod:`toolkit.cli`, this imports neither
pandas nor altair.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from toolkit.errors import ToolkitError
from toolkit.wording import listing, plural

__all__ = [
    "ToolkitCommand",
    "ToolkitGroup",
    "cli_words",
    "fresh_folder",
    "grouped",
    "os_error_message",
]

#: How to fix an OSError, by its error number.
_FIXES = {
    errno.ENOSPC: "free some space on that disk, or write somewhere else",
    errno.EDQUOT: "free some space (you are over your disk quota), or write somewhere else",
    errno.EACCES: "check that you may write there (the folder's permissions), or choose "
    "another place",
    errno.EPERM: "check that you may write there (the folder's permissions), or choose "
    "another place",
    errno.EROFS: "that disk is read-only: choose another place",
    errno.ENOENT: "check the path: a folder in it does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder: check the path",
    errno.EEXIST: "a file is in the way: check the path, or move the file",
    errno.EISDIR: "that is a folder: give a file name",
    errno.ENAMETOOLONG: "use a shorter name or a folder nearer the top of the disk",
}


def cli_words(message: str, params: list[click.Parameter]) -> str:
    """Say a library message's keyword arguments as the options a user types.

    ``n_boot`` becomes ``--n-boot``, ``coder='humans'`` becomes ``--coder humans``,
    ``weights={'dots': 2}`` becomes ``--weight dots=2`` and ``session=None``
    becomes ``no --session``.

    Examples
    --------
    >>> n_boot = click.Option(["--n-boot"], type=int)
    >>> cli_words("expected n_boot to be at least 50", [n_boot])
    'expected --n-boot to be at least 50'
    >>> coder = click.Option(["--coder"])
    >>> cli_words("use a name, or coder='humans' for all", [coder])
    'use a name, or --coder humans for all'
    >>> weights = click.Option(["--weight", "weights"], multiple=True)
    >>> cli_words("pass weights={'dots': 2, 'interviews': 1}", [weights])
    'pass --weight dots=2 --weight interviews=1'
    """

    def each(flag: str) -> Callable[[re.Match], str]:
        def spell(match: re.Match) -> str:
            items = [i.strip() for i in match.group(1).split(",") if i.strip()]
            words = [re.sub(r"^'?([^':]*)'?\s*:\s*'?([^']*)'?$", r"\1=\2", i) for i in items]
            return " ".join(f"{flag} {w.strip(chr(39))}" for w in words)

        return spell

    for param in params:
        if not isinstance(param, click.Option) or not param.name:
            continue
        flag = max(param.opts, key=len)
        name = re.escape(param.name)
        message = re.sub(rf"\b{name}=[{{\[]([^{{}}\[\]]*)[}}\]]", each(flag), message)
        message = re.sub(rf"\b{name}='([^']*)'", rf"{flag} \1", message)
        message = re.sub(rf"\b{name}=None\b", f"no {flag}", message)
        if "_" in param.name:
            message = re.sub(rf"(?<![\w-]){name}\b", flag, message)
    return message


def os_error_message(exc: OSError) -> str:
    """Say an OSError in one line: the path, what went wrong, and how to fix it.

    Examples
    --------
    >>> print(os_error_message(PermissionError(13, "Permission denied", "out/report.html")))
    out/report.html: permission denied. How to fix: check that you may write there ...
    >>> print(os_error_message(OSError(28, "No space left on device", "report.html")))
    report.html: no space left on device. How to fix: free some space on that disk, ...
    """
    paths = [p for p in (exc.filename, exc.filename2) if isinstance(p, (str, bytes, os.PathLike))]
    # A temporary file's name means nothing to the user: name the file it was for.
    paths = [os.fsdecode(p) for p in paths]
    named = [p for p in paths if not Path(p).name.endswith(".tmp")] or paths
    what = (exc.strerror or str(exc) or type(exc).__name__).strip().rstrip(".")
    what = what[:1].lower() + what[1:] if what[1:2].islower() or len(what) < 2 else what
    fix = _FIXES.get(exc.errno or -1, "check the path, and that the disk is there and writable")
    where = f"{named[0]}: " if named else ""
    return f"{where}{what}. How to fix: {fix}"


@contextlib.contextmanager
def fresh_folder(path: Path) -> Iterator[Path]:
    """Remove what the block put in `path` if it fails, when `path` was new or empty.

    So a command that creates a folder (``new``, ``import``, ``refi import``,
    ``anonymise``) leaves nothing half-made behind when it cannot finish.
    """
    existed = os.path.lexists(path)
    empty = existed and os.path.isdir(path) and not os.listdir(path)
    try:
        yield path
    except BaseException:
        if not existed and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif empty:
            for child in Path(path).iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise


def grouped(items: Iterable[tuple[str, str]], limit: int = 3) -> list[str]:
    """Return one line per distinct message, however many files it was about.

    `items` are (name, message) pairs, such as a file and what is wrong with
    it.  Messages that differ only in the name they mention become one line
    with a count and the first `limit` names.

    Examples
    --------
    >>> grouped([("a.txt", "encoding guessed"), ("b.txt", "encoding guessed")])
    ['a.txt, b.txt (2 files): encoding guessed']
    >>> rows = [(i, f"{i} has no row in participants.csv") for i in ("int02", "int03", "int04",
    ...                                                              "int05", "int06")]
    >>> grouped(rows)
    ['int02 has no row in participants.csv (the same for 4 others: int03, int04, int05 and 1 more)']
    >>> grouped([("x.txt", "too short"), ("y.txt", "not text")])
    ['x.txt: too short', 'y.txt: not text']
    """
    groups: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    for name, message in items:
        name, message = str(name), str(message)
        named = bool(name) and name in message
        key = message.replace(name, "\x00") if named else message
        groups.setdefault((key, named), []).append((name, message))
    lines = []
    for (_key, named), members in groups.items():
        names = list(dict.fromkeys(n for n, _ in members))
        first = members[0][1]
        if named:
            rest = names[1:]
            lines.append(
                first
                + (
                    f" (the same for {plural(len(rest), 'other')}: {listing(rest, limit)})"
                    if rest
                    else ""
                )
            )
        elif len(names) > 1:
            lines.append(f"{listing(names, limit)} ({plural(len(names), 'file')}): {first}")
        else:
            lines.append(f"{names[0]}: {first}" if names[0] else first)
    return lines


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print warnings meant for the user as plain lines, each once; pass any others on.

    Warnings meant for the user are :class:`UserWarning` (the toolkit's, and a
    library's about a file it read); deprecation and similar warnings are for
    programmers and take Python's usual path.
    """
    seen: dict[str, int] = {}
    shown: set[tuple] = set()
    for item in caught:
        if issubclass(item.category, UserWarning):
            text = " ".join(str(item.message).split())
            seen[text] = seen.get(text, 0) + 1
            continue
        key = (str(item.message), item.category, item.filename, item.lineno)
        if key not in shown:
            shown.add(key)
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)
    for text, count in seen.items():
        click.echo(f"Warning: {text}" + (f" ({count} times)" if count > 1 else ""), err=True)


class ToolkitCommand(click.Command):
    """A command that prints problems as plain lines, never a traceback.

    A :class:`~toolkit.errors.ToolkitError` is printed as its message, naming
    options as typed (``--n-boot``, not ``n_boot``); an :class:`OSError` as
    :func:`os_error_message`; both exit with status 1.  Warnings are printed
    once the command has run (see the module notes).
    """

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            warnings.filterwarnings("always", category=UserWarning)
            try:
                return super().invoke(ctx)
            except ToolkitError as exc:
                raise click.ClickException(cli_words(str(exc), self.params)) from None
            except OSError as exc:
                if exc.errno == errno.EPIPE:  # output piped into 'head': click ends quietly
                    raise
                raise click.ClickException(os_error_message(exc)) from None
            finally:
                _show_warnings(caught)


class ToolkitGroup(click.Group):
    """A group of :class:`ToolkitCommand` commands (and groups of them)."""

    command_class = ToolkitCommand
    group_class = type  # subgroups are ToolkitGroups too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:  # raised while parsing, before a command ran
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(os_error_message(exc)) from None
