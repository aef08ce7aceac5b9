"""Positions: code points, UTF-8 bytes and UTF-16 units, and span checks."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit.errors import ToolkitError

TEXT = "Zoë said “hi” 👋🏽 to Siân."


def test_offsets_by_hand():
    # "Zoë" is 3 code points, 4 UTF-8 bytes, 3 UTF-16 units; the waving hand and
    # skin tone are 2 code points, 8 bytes and 4 UTF-16 units.
    wave = TEXT.index("👋")
    assert tk.to_byte_offset(TEXT, 3) == 4
    assert tk.to_utf16_offset(TEXT, 3) == 3
    assert tk.to_utf16_offset(TEXT, wave + 2) - tk.to_utf16_offset(TEXT, wave) == 4
    assert tk.to_byte_offset(TEXT, wave + 2) - tk.to_byte_offset(TEXT, wave) == 8
    assert tk.from_byte_offset(TEXT, 4) == 3
    assert tk.from_utf16_offset(TEXT, tk.to_utf16_offset(TEXT, wave + 1)) == wave + 1


@given(st.text(max_size=40), st.data())
def test_round_trips(text, data):
    cp = data.draw(st.integers(0, len(text)))
    assert tk.from_byte_offset(text, tk.to_byte_offset(text, cp)) == cp
    assert tk.from_utf16_offset(text, tk.to_utf16_offset(text, cp)) == cp
    assert tk.to_byte_offset(text, cp) == len(text[:cp].encode("utf-8", "surrogatepass"))
    units = tk.convert_offsets(text, range(len(text) + 1), "codepoint", "utf-16")
    assert tk.convert_offsets(text, units, "utf-16", "codepoint") == list(range(len(text) + 1))


def test_an_offset_inside_a_character_is_refused():
    with pytest.raises(ToolkitError, match="character boundary"):
        tk.from_byte_offset("Zoë", 3)  # between the two bytes of ë
    with pytest.raises(ToolkitError, match="character boundary"):
        tk.from_utf16_offset("a😀", 2)  # between the halves of the surrogate pair
    with pytest.raises(ToolkitError, match="from 0 to 3"):
        tk.to_byte_offset("abc", 4)
    with pytest.raises(ToolkitError, match="expected a unit"):
        tk.convert_offsets("abc", [1], "bytes", "utf-16")


def test_mismatched_spans_finds_wrong_rows():
    documents = pd.DataFrame({"interview_id": ["a"], "text": ["Sam: hello there"]})
    segments = pd.DataFrame(
        {
            "interview_id": ["a", "a", "b"],
            "start": [5, 4, 0],
            "end": [16, 10, 1],
            "text": ["hello there", "hello", "x"],
        }
    )
    assert tk.mismatched_spans(documents, segments).index.tolist() == [1, 2]


def test_segments_convert_for_a_utf16_tool(sample):
    # What another tool (JavaScript, Word, NVivo) would count for the same segment.
    doc = sample.documents.set_index("interview_id").loc["int01", "text"]
    seg = sample.segments[sample.segments["interview_id"] == "int01"].iloc[3]
    start, end = tk.convert_offsets(doc, [seg["start"], seg["end"]], "codepoint", "utf-16")
    assert doc.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le") == seg["text"]
