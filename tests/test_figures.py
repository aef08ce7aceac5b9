"""The book's diagrams: made by book/figures/make_figures.py, up to date, and accessible."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from toolkit.present.colours import PALETTE, contrast_ratio

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


def _colour(value: str | None) -> str | None:
    return None if value in (None, "none") else value.upper()


def _under(shapes: list[ET.Element], x: float, y: float) -> str:
    """The fill of the topmost rectangle or circle under a point (the page is white)."""
    for shape in reversed(shapes):
        if shape.tag == f"{SVG}rect":
            x0, y0 = float(shape.get("x", 0)), float(shape.get("y", 0))
            if x0 <= x <= x0 + float(shape.get("width")) and y0 <= y <= y0 + float(
                shape.get("height")
            ):
                return shape.get("fill")
        elif shape.tag == f"{SVG}circle":
            dx, dy = x - float(shape.get("cx")), y - float(shape.get("cy"))
            if dx * dx + dy * dy <= float(shape.get("r")) ** 2:
                return shape.get("fill")
    return "#FFFFFF"


@pytest.mark.parametrize("name", sorted(MADE))
def test_text_keeps_a_contrast_of_4_5_with_what_it_sits_on(name):
    root = ET.parse(FIGURES / name).getroot()
    shapes, checked = [], 0
    for element in root.iter():
        if element.tag in (f"{SVG}rect", f"{SVG}circle") and _colour(element.get("fill")):
            shapes.append(element)
        elif element.tag == f"{SVG}text":
            size = float(element.get("font-size", root.get("font-size")))
            anchor = element.get("text-anchor", "start")
            nudge = {"start": 2, "middle": 0, "end": -2}[anchor]
            x, y = float(element.get("x")) + nudge, float(element.get("y")) - size / 3
            ink, paper = element.get("fill", "#000000"), _under(shapes, x, y)
            words = "".join(element.itertext())
            assert contrast_ratio(ink, paper) >= 4.5, f"{words!r}: {ink} on {paper}"
            checked += 1
    assert checked >= 3


def _okabe_ito_or_tint(colour: str) -> bool:
    """A palette colour, white, or a palette colour mixed into white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for base in PALETTE:
        pure = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
        deepest = min(range(3), key=lambda i: pure[i])  # the channel that tells the share best
        share = (255 - rgb[deepest]) / max(1, 255 - pure[deepest])
        mixed = [round(255 - (255 - p) * share) for p in pure]
        if all(abs(m - c) <= 1 for m, c in zip(mixed, rgb, strict=True)):
            return True
    return colour == "#FFFFFF"


@pytest.mark.parametrize("name", sorted(MADE))
def test_colours_come_from_the_palette_and_text_is_large_enough(name):
    text = (FIGURES / name).read_text("utf-8")
    root = ET.fromstring(text)
    for element in root.iter():
        for attribute in ("fill", "stroke"):
            colour = _colour(element.get(attribute))
            assert colour is None or _okabe_ito_or_tint(colour), f"{attribute}={colour}"
        if element.tag == f"{SVG}text":
            assert float(element.get("font-size", root.get("font-size"))) >= 14
    assert float(root.get("viewBox").split()[2]) <= 760, "too wide to read on a phone"
    # No web fonts or other outside resources: the book reads offline.
    assert "@font-face" not in text and "@import" not in text
    assert not [u for u in re.findall(r"https?://[^\"' ]+", text) if "w3.org/2000/svg" not in u]


def _words(name: str) -> str:
    root = ET.parse(FIGURES / name).getroot()
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_diagrams_say_what_the_toolkit_and_the_pages_say():
    from toolkit.analysis.energy.roles import QUADRANTS

    grid = _words("influence-energy-grid.svg")
    assert all(name.capitalize() in grid for name in QUADRANTS)
    # The EBCD steps are the rows of the step table on the joint event page.
    page = (ROOT / "book" / "kit" / "ebcd-event.md").read_text("utf-8")
    steps = re.findall(r"^\| (\d\. [^|]+?) \|", page, flags=re.MULTILINE)
    assert len(steps) == 9 and all(step in _words("ebcd-stages.svg") for step in steps)
    # Every command in "The whole path" on the files-to-report page is in the diagram.
    page = (ROOT / "book" / "practice" / "files-to-report.md").read_text("utf-8")
    path = page.split("## The whole path", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [c for c in path.splitlines() if c.startswith("codesign-toolkit")]
    assert len(commands) >= 7 and all(c in _words("files-to-report.svg") for c in commands)
