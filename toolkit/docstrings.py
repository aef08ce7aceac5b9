"""One wording for the parameters many functions share.

The theme, agreement and reading functions take the same ``codings``,
``segments``, ``codebook``, ``unit`` ... parameters.  Each family keeps one
registry of their descriptions (a dict from parameter name to text), and a
function's docstring says ``{parameters}`` where its numpydoc "Parameters"
section goes: :func:`documented` builds the section from the function's
signature, in its order, taking each description from the registry unless
the function gives its own.

* A key naming several parameters (``"id_column, text_column"``) describes
  them together, as numpydoc allows; it is used only when the function has
  all of them, and then wins over the single names' texts.
* A function's own text may hold a line ``{name}``: the registry's text for
  ``name`` goes there, so a function can add a sentence to a shared text.
* Every parameter must be described: a missing one is an error when the
  module is imported, so a new parameter cannot go undocumented.

:func:`shared` is the older, smaller form: it fills each ``{name}`` line of a
docstring with ``texts[name]``.

Examples
--------
>>> TEXTS = {"codings": "The codings table.", "unit": "What one count is."}
>>> @documented(TEXTS, top="How many to show.")
... def count(codings, unit="segments", top=5):
...     '''Count codings.
...
...     {parameters}
...     '''
>>> print(count.__doc__)
Count codings.
<BLANKLINE>
    Parameters
    ----------
    codings
        The codings table.
    unit
        What one count is.
    top
        How many to show.
<BLANKLINE>
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = ["documented", "shared"]

F = TypeVar("F", bound=Callable)


def _placeholder(line: str) -> str | None:
    """Return the name in a line that holds nothing but ``{name}``, else None."""
    stripped = line.strip()
    if len(stripped) > 2 and stripped[0] == "{" and stripped[-1] == "}":
        return stripped[1:-1]
    return None


def _fill(lines: list[str], texts: Mapping[str, str], indent: str = "") -> list[str]:
    """Return `lines` with each ``{name}`` line replaced by ``texts[name]``, indented to fit.

    Only a line that holds nothing but a placeholder is filled in, so other
    braces are left as they are.  A text's lines take the indentation of its
    placeholder; every line of the result is prefixed by `indent`.
    """
    out: list[str] = []
    for line in lines:
        name = _placeholder(line)
        if name is not None and name in texts:
            inner = indent + line[: len(line) - len(line.lstrip())]
            out.extend(_fill(inspect.cleandoc(texts[name]).splitlines(), {}, inner))
        else:
            out.append(indent + line if indent and line.strip() else line)
    return out


def shared(**texts: str) -> Callable[[F], F]:
    """Fill ``{name}`` in a function's docstring with ``texts[name]``, indented to fit.

    Only a line that holds nothing but a placeholder is filled in, so other
    braces in the docstring are left as they are.  Each text may run over
    several lines; every line takes the indentation of the placeholder.

    Examples
    --------
    >>> @shared(codings="The codings table.")
    ... def count(codings):
    ...     '''Count codings.
    ...
    ...     Parameters
    ...     ----------
    ...     codings
    ...         {codings}
    ...     '''
    >>> "    The codings table." in count.__doc__
    True
    """

    def decorate(func: F) -> F:
        func.__doc__ = "\n".join(_fill((func.__doc__ or "").splitlines(), texts))
        return func

    return decorate


def documented(*registries: Mapping[str, str], **own: str) -> Callable[[F], F]:
    r"""Build the "Parameters" section where a docstring says ``{parameters}``.

    Parameters
    ----------
    *registries
        The shared descriptions, by parameter name (or by several names
        joined with ``", "``); a later registry wins over an earlier one.
    **own
        This function's own descriptions, which win over the registries'.
        A line ``{name}`` in one is filled with the registries' text for
        ``name``.

    Raises
    ------
    TypeError
        When the function is defined, if a parameter has no description or
        the docstring has no ``{parameters}`` line.

    Examples
    --------
    >>> TEXTS = {"unit_column, coder_column": "The columns.", "ci": "The level."}
    >>> @documented(TEXTS, ci="{ci}\nHere 0.95 by default.")
    ... def alpha(unit_column, coder_column, ci=0.95):
    ...     '''Compute alpha.
    ...
    ...     {parameters}
    ...     '''
    >>> print(alpha.__doc__.split("Parameters")[1])
    <BLANKLINE>
        ----------
        unit_column, coder_column
            The columns.
        ci
            The level.
            Here 0.95 by default.
    <BLANKLINE>
    >>> @documented(TEXTS)
    ... def beta(unit_column, coder_column, seed=0):
    ...     '''{parameters}'''
    Traceback (most recent call last):
    ...
    TypeError: beta: no description of seed
    """

    def decorate(func: F) -> F:
        if func.__doc__ is None:  # docstrings stripped (python -OO)
            return func
        names = [n for n in inspect.signature(func).parameters if n not in ("self", "cls")]
        shared_texts = {k: v for registry in registries for k, v in registry.items()}
        entry: dict[str, tuple[str, str]] = {}  # parameter -> (heading, text)
        for texts in (*registries, own):
            # Single names first, so that a key naming several parameters wins.
            for key in sorted(texts, key=lambda k: "," in k):
                group = [part.strip() for part in key.split(",")]
                if all(part in names for part in group):
                    for part in group:
                        entry[part] = (", ".join(group), texts[key])
        missing = [n for n in names if n not in entry]
        if missing:
            raise TypeError(f"{func.__qualname__}: no description of {', '.join(missing)}")
        lines = (func.__doc__ or "").splitlines()
        where = [k for k, line in enumerate(lines) if _placeholder(line) == "parameters"]
        if not where:
            raise TypeError(f"{func.__qualname__}: its docstring has no {{parameters}} line")
        indent = lines[where[0]][: len(lines[where[0]]) - len(lines[where[0]].lstrip())]
        section = [indent + "Parameters", indent + "----------"]
        done: set[str] = set()
        for name in names:
            heading, text = entry[name]
            if name not in done:
                # The names described together (unless one has a text of its own).
                together = [n for n in names if entry[n] == (heading, text)]
                done.update(together)
                section.append(indent + ", ".join(together))
                body = inspect.cleandoc(text).splitlines()
                section.extend(_fill(body, shared_texts, indent + "    "))
        func.__doc__ = "\n".join([*lines[: where[0]], *section, *lines[where[0] + 1 :]])
        return func

    return decorate
