"""Find the book's pages and read them the way MyST-NB does."""

from __future__ import annotations

from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return YAML(typ="safe").load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def toc_pages() -> list[Path]:
    """Return every page file listed in ``_toc.yml``, in reading order."""
    toc = YAML(typ="safe").load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    pages = []
    for name in found:
        path = ROOT / name
        pages.append(path if path.suffix else path.with_suffix(".md"))
    return pages


def code_pages() -> list[Path]:
    """Return the pages that have code cells (MyST Markdown notebooks)."""
    return [p for p in toc_pages() if "```{code-cell}" in p.read_text(encoding="utf-8")]


def read_page(path: Path) -> nbformat.NotebookNode:
    """Read a MyST Markdown notebook exactly as the book build reads it."""
    extensions = _config().get("parse", {}).get("myst_enable_extensions", [])
    config = MdParserConfig(enable_extensions=set(extensions))
    return read_myst_markdown_notebook(
        path.read_text(encoding="utf-8"), config=config, add_source_map=True, path=path
    )


class PageError(Exception):
    """A cell of a page raised while the page ran."""


def execute_page(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Run a page with nbclient; return (the page as read, the executed copy).

    Raises
    ------
    PageError
        Naming the page, the failing cell's number and its source.
    """
    import copy

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = read_page(path)
    executed = copy.deepcopy(notebook)
    client = NotebookClient(
        executed,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        failing = next(
            (
                i
                for i, cell in enumerate(executed.cells)
                if any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            ),
            None,
        )
        source = executed.cells[failing].source if failing is not None else "?"
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise PageError(
            f"{name}: cell {failing} raised {exc.ename}: {exc.evalue}\n"
            f"--- cell source ---\n{source}"
        ) from None
    return notebook, executed


if __name__ == "__main__":
    # Run pages by hand: python tests/book_pages.py book/practice/coding.md
    import sys

    status = 0
    for arg in sys.argv[1:]:
        try:
            execute_page(Path(arg).resolve())
            print(f"ok: {arg}")
        except PageError as err:
            print(err)
            status = 1
    sys.exit(status)
