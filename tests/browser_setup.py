"""Chromium for the browser tests: where it is, skipping without it, launching it.

Playwright drives Debian's Chromium (``/usr/bin/chromium``, or the one named by
the ``CHROMIUM`` environment variable or found on ``PATH``).  Where no Chromium
or no Playwright is installed the browser tests skip with the reason; CI
installs both.  Each test module passes its own Chromium flags to :func:`launch`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
MISSING = "no Chromium found at /usr/bin/chromium: install Debian's 'chromium' package"


def require_chromium(*, module: bool = False) -> None:
    """Skip where Chromium or Playwright is missing.

    With ``module=True`` (called at a test module's top level) the whole
    module skips; otherwise the calling test does.
    """
    if not Path(CHROMIUM).is_file():
        if module:
            pytest.skip(f"{MISSING} (CI does) to run the browser tests", allow_module_level=True)
        pytest.skip(MISSING)
    pytest.importorskip("playwright.sync_api")


@contextmanager
def launch(args: list[str]) -> Iterator[object]:
    """Start Playwright, launch Chromium with these flags, and close both afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield browser
        finally:
            browser.close()
