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
