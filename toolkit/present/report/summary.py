"""The team's key messages: ``summary.md``, read and turned into each format.

A team writes its key messages in Markdown in ``summary.md`` in the project
folder; the report puts them first.  Text inside HTML comments
(``<!-- ... -->``) is left out, so the starter's instructions never show,
and raw HTML is shown as text, never run.  Markdown is read by
`markdown-it-py <https://markdown-it-py.readthedocs.io>`_ (CommonMark).

Examples
--------
>>> text = "<!-- a note to the team -->\\n## Key messages\\n\\n- People felt **known**.\\n"
>>> markdown_html(strip_comments(text))
'<h3>Key messages</h3>\\n<ul>\\n<li>People felt <strong>known</strong>.</li>\\n</ul>\\n'
>>> [kind for kind, *_ in markdown_blocks(strip_comments(text))]
['heading', 'item']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ToolkitError

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt

__all__ = ["markdown_blocks", "markdown_html", "read_summary", "strip_comments"]

# A run of text: (text, bold, italic).
Run = tuple[str, bool, bool]


def _parser() -> MarkdownIt:
    # Loaded only when a team has written a summary: it takes a moment to import.
    from markdown_it import MarkdownIt

    # CommonMark with raw HTML off: "<script>" in summary.md is shown as text.
    return MarkdownIt("commonmark", {"html": False})


def strip_comments(text: str) -> str:
    """Remove HTML comments (``<!-- ... -->``) and surrounding blank lines."""
    return re.sub(r"<!--.*?(-->|\Z)", "", text, flags=re.S).strip()


def read_summary(path: str | Path) -> str:
    """Return the key messages in ``summary.md``, comments removed ("" if none written)."""
    path = Path(path)
    if not path.is_file():
        return ""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ToolkitError(
            "expected a UTF-8 text file, but found bytes that are not UTF-8",
            path=path,
            hint="save summary.md as UTF-8 (in Notepad: Save as, Encoding UTF-8)",
        ) from None
    return strip_comments(text.replace("\r\n", "\n"))


def _top_level(tokens: list) -> int:
    """The level of the largest heading used (1 for ``#``), or 1 when there is none."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    return min(levels, default=1)


def markdown_html(text: str) -> str:
    """Return Markdown as HTML, its largest headings as h3 (the section's heading is h2)."""
    parser = _parser()
    tokens = parser.parse(text)
    shift = 3 - _top_level(tokens)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
    return parser.renderer.render(tokens, parser.options, {})


def _runs(inline) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for child in inline.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline", "html_inline"):
            runs.append((child.content, bold, italic))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append((" ", bold, italic))
        elif child.type == "image":
            runs.append((child.content or "", bold, italic))
    return runs


def markdown_blocks(text: str) -> list[tuple]:
    """Return Markdown as simple blocks, for formats that are not HTML.

    Each block is ``("heading", level, runs)`` (the largest heading used is
    level 1), ``("paragraph", runs)``,
    ``("item", runs, ordered, depth)`` or ``("quote", runs)``; ``runs`` are
    ``(text, bold, italic)``.
    """
    blocks: list[tuple] = []
    lists: list[bool] = []  # ordered?, for each open list
    in_item = quote = 0
    level = 0
    tokens = _parser().parse(text)
    shift = 1 - _top_level(tokens)
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "blockquote_open":
            quote += 1
        elif token.type == "blockquote_close":
            quote -= 1
        elif token.type == "heading_open":
            level = int(token.tag[1]) + shift
        elif token.type in ("fence", "code_block"):
            blocks.append(("paragraph", [(token.content.rstrip(), False, False)]))
        elif token.type == "inline":
            runs = _runs(token)
            if level:
                blocks.append(("heading", level, runs))
                level = 0
            elif in_item and lists:
                blocks.append(("item", runs, lists[-1], len(lists)))
            elif quote:
                blocks.append(("quote", runs))
            else:
                blocks.append(("paragraph", runs))
    return blocks
