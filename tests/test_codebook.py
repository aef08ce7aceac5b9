"""Codebooks: reading YAML and CSV, checking them, writing them back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import CodebookError
from toolkit.model.code import Code
from toolkit.model.codebook import CODEBOOK_COLUMNS
from toolkit.model.rules import check_regex, keyword_pattern

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "data" / "codebook"
TEMPLATES = [
    "codebook-appreciative-inquiry.yml",
    "codebook-ebcd.yml",
    "codebook-five-energies.yml",
]


def test_flat_yaml_reads_every_field():
    book = tk.read_codebook(HERE / "flat.yml")
    assert book.codes == ["peak_experience", "team_spirit", "wishes"]
    assert book.name == "Ward 7 pilot"
    peak = book["peak_experience"]
    assert peak.keywords == ("proudest", "at our best", "volunteer*")
    assert peak.regex == (r"\bwent the extra mile\b",)
    assert peak.veto == ("not proud",)
    assert peak.color == "#1b9e77"
    assert peak.example.startswith("The day the whole ward")


def test_table_has_the_codebook_columns_and_inherits_themes():
    table = tk.read_codebook(HERE / "flat.yml").table
    assert list(table.columns) == CODEBOOK_COLUMNS
    row = table.set_index("code").loc["team_spirit"]
    assert row["parent"] == "peak_experience"
    assert row["theme"] == "Positive core"  # from its parent
    assert table.isna().sum().sum() == 0


def test_nested_themes_and_sub_codes_any_depth():
    book = tk.read_codebook(HERE / "nested.yml")
    assert book.codes == ["peak_experience", "team_spirit", "handover", "wishes"]
    assert book["handover"].parent == "team_spirit"
    assert book["team_spirit"].parent == "peak_experience"
    assert book.theme_of("handover") == "Positive core"
    assert book.themes == ["Positive core", "Dreams"]
    assert book.children("peak_experience") == ["team_spirit"]


def test_csv_codebook_with_rules_in_cells():
    book = tk.read_codebook(HERE / "codebook.csv")
    peak = book["peak_experience"]
    assert peak.keywords == ("proudest", "at our best")
    assert peak.regex == (r"\bextra mile\b", r"\bwent well\b")
    assert peak.veto == ("not proud",)
    assert book["team_spirit"].parent == "peak_experience"


def test_from_table_for_importers():
    table = pd.DataFrame(
        {
            "code": ["Care", "Home"],
            "parent": [None, "Care"],
            "color": ["#ff0000", float("nan")],
            "definition": ["Looking after", ""],
            "guid": ["x", "y"],  # other columns are ignored
        }
    )
    book = tk.Codebook.from_table(table)
    assert book.codes == ["Care", "Home"]
    assert book["Home"].parent == "Care"
    assert book["Home"].color == ""


def test_empty_codebook():
    book = tk.Codebook()
    assert book.codes == [] and len(book) == 0
    assert list(book.table.columns) == CODEBOOK_COLUMNS and book.table.empty


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("bad-duplicate.yml", 5, ["'wishes'", "line 2"]),
        ("bad-parent.yml", 4, ["'wishe'", "did you mean 'wishes'"]),
        ("bad-cycle.yml", 3, ["cycle", "a -> c -> b -> a"]),
        ("bad-regex.yml", 6, ["wish(es", "position 4", "missing )"]),
        ("bad-colour.yml", 3, ["colour", "#12345"]),
        ("bad-slow-regex.yml", 3, ["nested quantifier", "repeats"]),
        ("bad-key.yml", 3, ["'keyword'", "did you mean 'keywords'"]),
        ("bad-yaml.yml", 3, ["valid YAML"]),
        ("bad-keyword.yml", 3, ["'*'", "wi*sh"]),
    ],
)
def test_bad_codebooks_name_the_line(name, line, words):
    with pytest.raises(CodebookError) as info:
        tk.read_codebook(HERE / name)
    message = str(info.value)
    assert f"{name}, line {line}:" in message
    for word in words:
        assert word in message
    assert "How to fix" in message


def test_bad_csv_column_and_row():
    with pytest.raises(CodebookError, match=r"'keyword'.*did you mean 'keywords'"):
        tk.read_codebook(HERE / "bad-column.csv")
    text = (HERE / "codebook.csv").read_text().replace("teal", "not-a-colour")
    # A cell with a line break inside is still one spreadsheet row.
    with pytest.raises(CodebookError, match=r"codebook\.csv, row 4: .*'not-a-colour'"):
        _read_text_codebook(text)


def _read_text_codebook(text, suffix=".csv"):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / f"codebook{suffix}"
    path.write_text(text, encoding="utf-8")
    return tk.read_codebook(path)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(CodebookError, match=r"no codebook|there is none"):
        tk.read_codebook(tmp_path / "codebook.yml")
    (tmp_path / "codebook.txt").write_text("codes: []")
    with pytest.raises(CodebookError, match=r"\.yml, \.yaml or \.csv"):
        tk.read_codebook(tmp_path / "codebook.txt")


def test_top_level_must_be_codes():
    with pytest.raises(CodebookError, match="expected the keys"):
        _read_text_codebook("code: wishes\n", ".yml")
    with pytest.raises(CodebookError, match="line 1"):
        _read_text_codebook("just text\n", ".yml")


def test_a_code_needs_a_name():
    with pytest.raises(CodebookError, match=r"line 3: expected a 'code:' name"):
        _read_text_codebook("codes:\n  - code: a\n  - theme: T\n", ".yml")


def test_regex_checks():
    assert check_regex(r"\bextra mile\b").search("The Extra Mile")
    with pytest.raises(ValueError, match="empty string"):
        check_regex(r"\s*")
    with pytest.raises(ValueError, match="nested quantifier"):
        check_regex(r"(a+)+b")
    # Atomic groups and possessive repeats never backtrack: allowed.
    check_regex(r"(?>a+)+b")


def test_keyword_pattern_is_whole_words():
    import re

    pattern = re.compile(keyword_pattern("at our best"), re.IGNORECASE)
    assert pattern.search("We were AT OUR\nBEST then")
    assert not pattern.search("at our bestest")
    assert re.search(keyword_pattern("volunteer*"), "the volunteering team")


def test_changes_return_new_codebooks():
    book = tk.read_codebook(HERE / "flat.yml")
    changed = book.update("wishes", keywords=["i wish", "if only"], definition="Hopes.")
    assert book["wishes"].keywords == ("i wish", "wish:")
    assert changed["wishes"].keywords == ("i wish", "if only")
    added = changed.add({"code": "transport", "parent": "wishes"})
    assert added.codes[-1] == "transport"
    removed = added.remove("peak_experience")
    assert removed["team_spirit"].parent == ""
    with pytest.raises(CodebookError, match=r"unknown|parent"):
        book.add(Code("late", parent="nowhere"))


def test_write_yaml_keeps_comments_and_order(tmp_path):
    source = tmp_path / "codebook.yml"
    shutil.copy(HERE / "flat.yml", source)
    book = tk.read_codebook(source).update("wishes", keywords=["i wish", "if only"])
    book = book.add({"code": "transport", "theme": "Dreams", "keywords": ["minibus"]})
    book.write(source)
    text = source.read_text()
    assert "# A flat codebook" in text and "# the high points" in text
    assert text.index("peak_experience") < text.index("wishes") < text.index("transport")
    assert "if only" in text
    again = tk.read_codebook(source)
    assert again == book


def test_write_nested_yaml_round_trip(tmp_path):
    source = tmp_path / "codebook.yml"
    shutil.copy(HERE / "nested.yml", source)
    book = tk.read_codebook(source)
    book.update("handover", definition="Shift changes.").write(source)
    text = source.read_text()
    assert "# Themes, each with its codes" in text
    assert "theme: Positive core" in text
    again = tk.read_codebook(source)
    assert again["handover"].definition == "Shift changes."
    assert again.codes == book.codes
    # Removing a code that has nested sub-codes keeps the sub-codes.
    book.remove("team_spirit").write(source)
    assert tk.read_codebook(source).codes == ["peak_experience", "handover", "wishes"]
    assert tk.read_codebook(source)["handover"].parent == "peak_experience"


@pytest.mark.parametrize("suffix", [".yml", ".csv"])
def test_write_and_read_back_from_memory(tmp_path, suffix):
    book = tk.read_codebook(HERE / "flat.yml")
    fresh = tk.Codebook(list(book), name="copy")
    path = fresh.write(tmp_path / f"out{suffix}")
    assert tk.read_codebook(path) == book


def test_write_is_atomic_and_checks_suffix(tmp_path):
    book = tk.read_codebook(HERE / "flat.yml")
    with pytest.raises(CodebookError, match=r"\.yml"):
        book.write(tmp_path / "codebook.json")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", TEMPLATES)
def test_starter_codebooks_are_valid(name):
    book = tk.read_codebook(ROOT / "templates" / name)
    assert len(book) >= 5
    table = book.table
    assert (table["definition"] != "").all()
    assert (table["include"] != "").all() and (table["exclude"] != "").all()
    assert (table["example"] != "").all()
    assert sum(c.has_rules for c in book) >= len(book) - 1


def test_sample_codebook(sample):
    book = sample.codebook
    assert 17 <= len(book) <= 24
    assert {"Peak experiences", "Wishes and dreams", "Five energies"} <= set(book.themes)
    assert all(c.color for c in book)
    assert "fictional" in (tk.sample_project_path() / "codebook.yml").read_text().lower()


def test_repr_and_rules_table():
    book = tk.read_codebook(HERE / "flat.yml")
    assert "3 codes" in repr(book)
    rules = book.rules
    assert set(rules["kind"]) == {"keyword", "regex", "not"}
    assert len(rules[rules["code"] == "peak_experience"]) == 5


def test_colours_are_the_codebooks_own_unless_a_palette_fills_the_rest():
    book = tk.Codebook([{"code": "a", "color": "teal"}, {"code": "b"}, {"code": "c"}])
    assert book.colors() == {"a": "teal"}  # the model knows no palette
    assert book.colors(["#111111", "#222222"]) == {"a": "teal", "b": "#222222", "c": "#111111"}
