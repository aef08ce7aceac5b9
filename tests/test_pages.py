"""Every page of the book that has code runs, cell by cell, with nbclient.

Each executed page is stored in the book's execution cache, so the book build
(tests/test_site.py) reuses the outputs instead of running the pages again.
"""

from __future__ import annotations

import copy

import pytest
from book_pages import ROOT, code_pages, read_page
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

PAGES = code_pages()


def test_some_pages_have_code():
    assert len(PAGES) >= 1


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_runs(page, book_output, executed_pages):
    notebook = read_page(page)
    executed = copy.deepcopy(notebook)
    client = NotebookClient(
        executed,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(page.parent)}},
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
        pytest.fail(
            f"{page.relative_to(ROOT)}: cell {failing} raised {exc.ename}: {exc.evalue}\n"
            f"--- cell source ---\n{source}",
            pytrace=False,
        )
    # Keep the page's own metadata (what the build hashes) with the new outputs.
    for original, done in zip(notebook.cells, executed.cells, strict=True):
        if original.cell_type == "code":
            original.outputs = done.outputs
            original.execution_count = done.execution_count
    cache = get_cache(str(book_output / "_build" / ".jupyter_cache"))
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(page)), check_validity=False, overwrite=True
    )
    executed_pages.add(page)
