"""The public surface: ``__all__`` matches what the package offers."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import types

import pytest

import toolkit as tk


def test_all_names_exist():
    missing = [name for name in tk.__all__ if not hasattr(tk, name)]
    assert not missing


def test_all_lists_every_public_name():
    public = {
        name
        for name, value in vars(tk).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    public |= {
        name
        for name, value in vars(tk).items()
        if isinstance(value, types.ModuleType) and name in tk.__all__
    }
    assert public == set(tk.__all__) - {"__version__"}


def test_all_is_sorted_and_unique():
    names = [n for n in tk.__all__ if n != "__version__"]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    assert len(set(tk.__all__)) == len(tk.__all__)


def test_version_is_a_string():
    assert isinstance(tk.__version__, str) and tk.__version__.count(".") >= 1


MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(tk.__path__, "toolkit.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert failures == 0
