"""How the command line reports bad input: a plain message in the command line's words.

A :class:`~toolkit.errors.ToolkitError` raised while a command runs is printed
as its message, without a traceback, and the command exits with status 1.
The library's messages name keyword arguments (``n_boot``, ``coder='humans'``);
:func:`cli_words` says them as the options a user types (``--n-boot``,
``--coder humans``).  Like :mod:`toolkit.cli`, this imports neither pandas nor
altair.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import click

from toolkit.errors import ToolkitError

__all__ = ["ToolkitCommand", "ToolkitGroup", "cli_words"]


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


class ToolkitCommand(click.Command):
    """A command that prints a :class:`~toolkit.errors.ToolkitError` as a plain message.

    The message names options as typed (``--n-boot``, not ``n_boot``), and the
    command exits with status 1, without a traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise click.ClickException(cli_words(str(exc), self.params)) from None


class ToolkitGroup(click.Group):
    """A group of :class:`ToolkitCommand` commands (and groups of them)."""

    command_class = ToolkitCommand
    group_class = type  # subgroups are ToolkitGroups too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:  # raised while parsing, before a command ran
            raise click.ClickException(str(exc)) from None
