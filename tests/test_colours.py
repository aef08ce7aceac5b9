"""Colours: the palette, CSS colour names, contrast and colour-blind checks."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import toolkit as tk
from toolkit import colour_names
from toolkit.present import colours


def test_css_names_cover_the_css_colour_keywords():
    assert len(colour_names.CSS_COLOURS) == 148
    assert colour_names.CSS_COLOURS["rebeccapurple"] == "#663399"
    assert all(
        colour_names.HEX_COLOUR.fullmatch(v) and v == v.lower()
        for v in colour_names.CSS_COLOURS.values()
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#1B9E77", "#1b9e77"),
        ("#abc", "#aabbcc"),
        (" Teal ", "#008080"),
        ("grey", "#808080"),
        ("#12345", None),
        ("bluish", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_to_hex(value, expected):
    assert colour_names.to_hex(value) == expected
    assert colour_names.is_colour(value) is (expected is not None)


def test_contrast_ratio_matches_wcag():
    assert colours.contrast_ratio("black") == pytest.approx(21.0)
    assert colours.contrast_ratio("white") == pytest.approx(1.0)
    # WCAG's own example pair: #767676 on white is just above 4.5:1
    assert colours.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert colours.contrast_ratio("white", "#767676") == colours.contrast_ratio("#767676")


def test_simulation_leaves_greys_alone_and_merges_red_and_green():
    for deficiency in colours.DEFICIENCIES:
        for grey in ("#000000", "#808080", "#ffffff"):
            assert colours.simulate(grey, deficiency) == grey
    for deficiency in ("protanopia", "deuteranopia"):
        assert colours.colour_difference("red", "green", deficiency) < 0.2 * (
            colours.colour_difference("red", "green")
        )
    # blue and green stay apart for red-green deficiencies but come close with tritanopia
    assert colours.colour_difference("#0072B2", "#009E73", "deuteranopia") > 40
    assert colours.colour_difference("#0072B2", "#009E73", "tritanopia") < 20


def test_simulate_refuses_an_unknown_deficiency():
    with pytest.raises(ValueError, match="protanopia"):
        colours.simulate("red", "monochromacy")


def test_the_palette_is_distinguishable_by_everyone():
    for a, b in itertools.combinations(colours.PALETTE, 2):
        assert colours.distinguishable(a, b), (a, b)


def test_alike_colours_are_not_distinguishable():
    assert not colours.distinguishable("red", "green")  # deuteranopia
    assert not colours.distinguishable("#0072B2", "#0070b0")  # anyone
    assert not colours.distinguishable("teal", "#008080")


def test_pick_colours_keeps_safe_given_colours():
    picked = colours.pick_colours(
        ["Care", "Waiting", "Home", "Work"],
        {"Care": "#123456", "Home": ["bluish", "", "#d55e00"], "Work": ["#123457", "gold"]},
    )
    assert picked["Care"] == "#123456"  # given, kept
    assert picked["Home"] == "#d55e00"  # the first readable colour of its list
    assert picked["Work"] == "gold"  # #123457 is too like Care's
    assert picked["Waiting"] in colours.PALETTE  # none given: the palette's
    chosen = list(picked.values())
    assert all(colours.distinguishable(a, b) for a, b in itertools.combinations(chosen, 2))


def test_pick_colours_prefers_colours_that_stand_out_from_white():
    picked = colours.pick_colours(["a", "b", "c"])
    assert all(colours.contrast_ratio(c) >= colours.MIN_CONTRAST for c in picked.values())
    assert picked["a"] == colours.PALETTE[0]


def test_pick_colours_cycles_the_palette_when_it_runs_out():
    picked = colours.pick_colours(range(12))
    assert set(picked.values()) == set(colours.PALETTE)
    assert list(picked) == list(range(12))


def test_codebook_colours_give_each_theme_a_safe_colour():
    book = tk.sample_project().codebook
    by_theme = colours.codebook_colours(book)
    assert list(by_theme) == list(dict.fromkeys(book.table["theme"]))
    given = set(book.table["color"].str.lower())
    assert any(c.lower() in given for c in by_theme.values())
    chosen = list(by_theme.values())
    assert all(colours.distinguishable(a, b) for a, b in itertools.combinations(chosen, 2))
    by_code = colours.codebook_colours(book, by="code")
    assert list(by_code) == list(book.table["code"])


def test_codebook_colours_from_a_table_with_blank_colours():
    table = pd.DataFrame({"code": ["a", "b"], "theme": ["One", "Two"], "color": ["", "#E69F00"]})
    picked = colours.codebook_colours(table)
    assert picked["Two"] == "#E69F00" and picked["One"] in colours.PALETTE
    with pytest.raises(ValueError, match="by="):
        colours.codebook_colours(table, by="colour")
