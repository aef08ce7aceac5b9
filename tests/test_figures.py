"""The book's diagrams: made by book/figures/make_figures.py, up to date, and accessible."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "book" / "figures"
SVG = "{http://www.w3.org/2000/svg}"
sys.path.insert(0, str(FIGURES))
from make_figures import FIGURES as MADE  # noqa: E402


def test_every_figure_is_up_to_date():
    done = subprocess.run(
        [sys.executable, str(FIGURES / "make_figures.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_every_svg_in_the_folder_is_made_by_the_script():
    assert {p.name for p in FIGURES.glob("*.svg")} == set(MADE)


@pytest.mark.parametrize("name", sorted(MADE))
def test_figure_has_a_name_a_description_and_real_text(name):
    root = ET.parse(FIGURES / name).getroot()
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and len(title.text) > 10
    assert desc is not None and len(desc.text) > 60
    assert len(root.findall(f".//{SVG}text")) >= 3


@pytest.mark.parametrize("name", sorted(MADE))
def test_figure_is_used_by_a_page_with_a_caption(name):
    pages = [p for p in (ROOT / "book").rglob("*.md") if f"figures/{name}" in p.read_text("utf-8")]
    assert pages, f"{name} is on no page"
    for page in pages:
        text = page.read_text("utf-8")
        block = text.split(f"figures/{name}", 1)[1].split("```", 1)[0]
        assert ":alt:" in block and ":name:" in block
        label = block.split(":name:", 1)[1].split()[0]
        assert f"{{numref}}`{label}`" in text, f"{page.name} never refers to {label}"
