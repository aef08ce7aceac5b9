"""Every page of the book that has code runs, cell by cell, with nbclient.

Each executed page is stored in the book's execution cache, so the book build
(tests/test_site.py) reuses the outputs instead of running the pages again.
"""

from __future__ import annotations

import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from book_pages import ROOT, PageError, code_pages, execute_page

PAGES = code_pages()


def test_some_pages_have_code():
    assert len(PAGES) >= 1


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_runs(page, book_output, executed_pages):
    try:
        notebook, executed = execute_page(page)
    except PageError as err:
        pytest.fail(str(err), pytrace=False)
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
