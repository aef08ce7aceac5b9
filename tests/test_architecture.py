"""The package's shape: layers, no import cycles, small modules, no private names across modules.

See book/reference/how-it-is-built.md for the picture these tests keep true.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from import_graph import cycles, read_imports

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = read_imports(ROOT)

#: Each layer may import only layers with a lower or equal number.
LAYERS = {
    "toolkit.errors": 0,
    "toolkit.tables": 0,
    "toolkit.wording": 0,
    "toolkit.docstrings": 0,
    "toolkit.renamed": 0,
    "toolkit.digests": 0,
    "toolkit.colour_names": 0,
    "toolkit.io": 1,
    "toolkit.model": 2,
    "toolkit.analysis": 3,
    "toolkit.refi": 3,
    "toolkit.present": 4,
    "toolkit.cli": 5,
    "toolkit.__main__": 5,
}


def layer(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in LAYERS:
            return LAYERS[key]
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def test_every_module_is_in_a_layer():
    for module in IMPORTS.sizes:
        if module != "toolkit":
            layer(module)


def test_no_module_over_600_lines():
    big = {m: n for m, n in IMPORTS.sizes.items() if n > 600}
    assert not big, f"split these modules along their seams: {big}"


def test_no_import_cycles_counting_imports_inside_functions():
    assert cycles(IMPORTS.edges) == []


def test_imports_run_downward_only():
    upward = [
        (a, b)
        for a, targets in IMPORTS.edges.items()
        for b in targets
        if a != "toolkit" and layer(b) > layer(a)
    ]
    assert not upward, f"these imports point up a layer: {upward}"


def test_the_model_never_imports_presentation_or_analysis():
    for module, targets in IMPORTS.edges.items():
        if module.startswith(("toolkit.model", "toolkit.io")):
            bad = [t for t in targets if t.startswith(("toolkit.present", "toolkit.analysis"))]
            assert not bad, f"{module} imports {bad}"


def test_no_private_name_is_imported_from_another_module():
    assert IMPORTS.private == []


def test_the_import_graph_sees_imports_inside_functions(tmp_path):
    package = tmp_path / "toolkit"
    (package / "model").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model" / "__init__.py").write_text("")
    (package / "model" / "a.py").write_text("def f():\n    from toolkit.model.b import g\n")
    (package / "model" / "b.py").write_text("from toolkit.model import a\nfrom .a import _h\n")
    found = read_imports(tmp_path)
    assert cycles(found.edges) == [["toolkit.model.a", "toolkit.model.b"]]
    assert found.private == [("toolkit.model.b", "toolkit.model.a", "_h")]


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_do_not_load_pandas_or_altair(args):
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'altair', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_import_toolkit_is_lazy():
    code = "import sys, toolkit; print('pandas' in sys.modules, toolkit.autocode.__module__)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded, home = done.stdout.split()
    assert loaded == "False"
    assert home.startswith("toolkit.analysis")
