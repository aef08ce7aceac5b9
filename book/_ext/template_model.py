"""A template page as a small document model, read from its resolved doctree.

The print styles and the PDF and Word downloads of the facilitator templates
(see ``template_downloads``) share one reading of each page: headings,
paragraphs, lists, tables and notes, with bold, italic and links. It is made
from the doctree Sphinx has already parsed and resolved, so everything MyST
supports (roles, citations, substitutions, directives) arrives as plain text,
exactly as the web page shows it.

Marks used by print and downloads alike (:func:`mark_for_print` adds them):

- ``team-only``: a section headed "Notes for the project team" (or "Team
  notes", "For the team"), or any admonition or container given
  ``:class: team-only``. Shown on screen, never printed or downloaded.
- ``print-part``: a level-2 section headed "Part 2: ...", "Part 3: ..." (any
  "Part N" after the first). It starts a new sheet on paper; the first part
  follows the page's short opening, and other sections run on.
- ``writing-row``: a table row with an empty cell (space to write by hand).
- ``writing-line``: a paragraph with a blank line to fill in (``____``).

Only docutils is needed: no toolkit, no Sphinx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docutils import nodes

TEAM_ONLY = "team-only"
PRINT_PART = "print-part"
WRITING_ROW = "writing-row"
WRITING_LINE = "writing-line"
#: Classes of nodes that belong to the web page only (never downloaded).
SKIP_CLASSES = {TEAM_ONLY, "template-downloads", "toctree-wrapper"}

TEAM_TITLE = re.compile(
    r"^\s*(notes?\s+for\s+the\s+(project\s+)?team|team[\s-]+(only|notes?)|for\s+the\s+team)\b",
    re.IGNORECASE,
)
PART_TITLE = re.compile(r"^\s*part\s+(\d+|[ivx]+|one|two|three|four|five|six)\b", re.IGNORECASE)
BLANK_LINE = re.compile(r"_{4,}")
#: Nodes with nothing to print.
IGNORED = (nodes.title, nodes.target, nodes.comment, nodes.raw, nodes.system_message)


@dataclass
class Run:
    """A piece of text with one style. ``"\\n"`` in ``text`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Heading:
    level: int
    runs: list[Run]
    part: bool = False  # starts a new page on paper


@dataclass
class Paragraph:
    runs: list[Run]
    writing: bool = False  # has blank lines to fill in: give it tall lines


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Block]]
    start: int = 1


@dataclass
class Table:
    header: list[list[list[Run]]]
    body: list[list[list[Run]]]
    writing: list[bool]  # one per body row: has space to write in
    widths: list[float]  # fractions of the text width, summing to 1


@dataclass
class Note:
    title: list[Run]
    blocks: list[Block]


Block = Heading | Paragraph | ListBlock | Table | Note


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)


def plain(runs: list[Run]) -> str:
    """Return the text of some runs, with line breaks as spaces."""
    return re.sub(r"\s+", " ", "".join(r.text for r in runs)).strip()


def _skipped(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and bool(SKIP_CLASSES & set(node["classes"]))


def _section_title(section: nodes.section) -> str:
    title = section.next_node(nodes.title)
    return title.astext() if title is not None else ""


def mark_for_print(doctree: nodes.document) -> dict[str, int]:
    """Add the print classes described in the module docstring; return counts."""
    counts = {TEAM_ONLY: 0, PRINT_PART: 0, WRITING_ROW: 0, WRITING_LINE: 0}
    parts = 0
    for section in doctree.findall(nodes.section):
        title = _section_title(section)
        depth = len([a for a in _ancestors(section) if isinstance(a, nodes.section)]) + 1
        if TEAM_TITLE.match(title):
            section["classes"].append(TEAM_ONLY)
            counts[TEAM_ONLY] += 1
        elif depth == 2 and PART_TITLE.match(title):
            parts += 1
            if parts > 1:  # part 1 follows the short opening on the same sheet
                section["classes"].append(PRINT_PART)
                counts[PRINT_PART] += 1
    counts[TEAM_ONLY] += sum(
        1
        for node in doctree.findall(nodes.Element)
        if not isinstance(node, nodes.section) and TEAM_ONLY in node["classes"]
    )
    for tbody in doctree.findall(nodes.tbody):
        for row in tbody.children:
            if any(not entry.astext().strip() for entry in row.children):
                row["classes"].append(WRITING_ROW)
                counts[WRITING_ROW] += 1
    for paragraph in doctree.findall(nodes.paragraph):
        if BLANK_LINE.search(paragraph.astext()):
            paragraph["classes"].append(WRITING_LINE)
            counts[WRITING_LINE] += 1
    for table in doctree.findall(nodes.table):
        _set_column_widths(table)
    return counts


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


# --- inline text ----------------------------------------------------------


def inline_runs(node: nodes.Node, style: dict | None = None) -> list[Run]:
    """Return the styled runs of a paragraph-like node."""
    style = dict(style or {})
    if isinstance(node, nodes.Text):
        text = re.sub(r"[ \t]*\n[ \t]*", " ", str(node))
        return [Run(text, **style)] if text else []
    if isinstance(node, (nodes.system_message, nodes.comment, nodes.target, nodes.image)):
        return []
    if isinstance(node, nodes.raw):
        return [Run("\n", **style)] if "<br" in node.astext() else []
    if isinstance(node, nodes.literal):
        return [Run(node.astext(), **{**style, "code": True})]
    if isinstance(node, nodes.footnote_reference):
        return [Run(f"[{node.astext()}]", **style)]
    if isinstance(node, (nodes.emphasis, nodes.title_reference)):
        style["italic"] = True
    elif isinstance(node, nodes.strong):
        style["bold"] = True
    elif isinstance(node, nodes.reference):
        uri = node.get("refuri", "")
        if re.match(r"^(https?|mailto):", uri):
            style["href"] = uri
    runs: list[Run] = []
    for child in node.children:
        runs.extend(inline_runs(child, style))
    return runs


def _cell_runs(entry: nodes.Element) -> list[Run]:
    runs: list[Run] = []
    for child in entry.children:
        if _skipped(child):
            continue
        if runs:
            runs.append(Run("\n"))
        if isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
            for number, item in enumerate(child.children, start=1):
                mark = f"{number}. " if isinstance(child, nodes.enumerated_list) else "• "
                if number > 1:
                    runs.append(Run("\n"))
                runs.append(Run(mark))
                runs.extend(inline_runs(item))
        else:
            runs.extend(inline_runs(child))
    return _trim(runs)


def _trim(runs: list[Run]) -> list[Run]:
    while runs and not runs[-1].text.strip():
        runs.pop()
    return runs


# --- blocks -----------------------------------------------------------------


#: The A4 text width (174 mm) in em of 11 pt text, and the width of a
#: character and of a cell's padding, in em, for estimating column widths.
TEXT_WIDTH_EM = 45
CHAR_EM = 0.58
PADDING_EM = 0.8


def fit_shares(shares: list[float], minimums: list[float]) -> list[float]:
    """Raise columns to their minimum share, taking the room from the others."""
    if sum(minimums) >= 1:
        return [m / sum(minimums) for m in minimums]
    shares = list(shares)
    fixed: set[int] = set()
    while True:
        short = [j for j, s in enumerate(shares) if j not in fixed and s < minimums[j] - 1e-9]
        if not short:
            return shares
        for j in short:
            shares[j] = minimums[j]
            fixed.add(j)
        free = [j for j in range(len(shares)) if j not in fixed]
        room = 1 - sum(shares[j] for j in fixed)
        total = sum(shares[j] for j in free) or 1
        for j in free:
            shares[j] = shares[j] / total * room


def _column_weights(table: nodes.table) -> list[float]:
    """Share the width by content: writing columns wide, no word broken."""
    head: list[list[str]] = []
    body: list[list[str]] = []
    for row in table.findall(nodes.row):
        texts = [entry.astext().strip() for entry in row.children]
        (head if isinstance(row.parent, nodes.thead) else body).append(texts)
    header = head[0] if head else []
    width = max((len(r) for r in head + body), default=0)
    weights: list[float] = []
    minimums: list[float] = []
    for j in range(width):
        title = header[j] if j < len(header) else ""
        cells = [r[j] for r in body if j < len(r)]
        filled = [c for c in cells if c]
        words = max((len(w) for c in [*filled, title] for w in c.split()), default=1)
        if filled:
            weight = max(len(title), sum(len(c) for c in filled) / len(filled))
        else:  # a column left empty for handwriting
            weight = max(1.5 * len(title), 24)
        weights.append(max(weight, 3))
        minimums.append(max((words * CHAR_EM + PADDING_EM) / TEXT_WIDTH_EM, 0.05))
    total = sum(weights) or 1
    return fit_shares([w / total for w in weights], minimums)


def _set_column_widths(table: nodes.table) -> None:
    shares = _column_weights(table)
    colspecs = list(table.findall(nodes.colspec))
    if len(colspecs) != len(shares) or not shares:
        return
    for colspec, share in zip(colspecs, shares, strict=True):
        colspec["colwidth"] = max(1, round(share * 100))
    classes = table["classes"]
    if "colwidths-auto" in classes:
        classes.remove("colwidths-auto")
    if "colwidths-given" not in classes:
        classes.append("colwidths-given")


def _table(table: nodes.table) -> Table:
    header, body, writing = [], [], []
    for row in table.findall(nodes.row):
        cells = [_cell_runs(entry) for entry in row.children]
        if isinstance(row.parent, nodes.thead):
            header.append(cells)
        else:
            body.append(cells)
            writing.append(any(not plain(c) for c in cells))
    return Table(header, body, writing, _column_weights(table))


def _list(node: nodes.Element, ordered: bool) -> ListBlock:
    items = [blocks_of(item, 0) for item in node.children if isinstance(item, nodes.list_item)]
    return ListBlock(ordered, items, int(node.get("start", 1)))


def _admonition_title(node: nodes.Element) -> list[Run]:
    title = node.next_node(nodes.title)
    if title is not None and title.parent is node:
        return inline_runs(title)
    name = type(node).__name__
    return [] if name == "admonition" else [Run(name.replace("_", " ").capitalize())]


def blocks_of(node: nodes.Element, depth: int) -> list[Block]:
    """Return the blocks inside ``node``; ``depth`` is its section depth."""
    blocks: list[Block] = []
    for child in node.children:
        if _skipped(child):
            continue
        if isinstance(child, nodes.section):
            title = child.next_node(nodes.title)
            runs = inline_runs(title) if title is not None else []
            blocks.append(Heading(depth + 1, runs, PRINT_PART in child["classes"]))
            blocks.extend(blocks_of(child, depth + 1))
        elif isinstance(child, IGNORED) or child.tagname == "toctree":
            continue
        elif isinstance(child, nodes.paragraph):
            runs = _trim(inline_runs(child))
            if runs:
                blocks.append(Paragraph(runs, WRITING_LINE in child["classes"]))
        elif isinstance(child, nodes.rubric):
            blocks.append(Paragraph([Run(child.astext(), bold=True)]))
        elif isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
            blocks.append(_list(child, isinstance(child, nodes.enumerated_list)))
        elif isinstance(child, nodes.table):
            blocks.append(_table(child))
        elif isinstance(child, nodes.Admonition):
            blocks.append(Note(_admonition_title(child), blocks_of(child, depth)))
        elif isinstance(child, nodes.literal_block):
            blocks.append(Paragraph([Run(child.astext(), code=True)]))
        elif isinstance(child, nodes.definition_list):
            for item in child.children:
                term = item.next_node(nodes.term)
                if term is not None:
                    blocks.append(Paragraph([Run(term.astext(), bold=True)]))
                definition = item.next_node(nodes.definition)
                if definition is not None:
                    blocks.extend(blocks_of(definition, depth))
        elif isinstance(child, nodes.line_block):
            lines = [inline_runs(line) for line in child.findall(nodes.line)]
            runs = [r for i, line in enumerate(lines) for r in ([Run("\n")] if i else []) + line]
            blocks.append(Paragraph(runs, bool(BLANK_LINE.search(child.astext()))))
        elif isinstance(child, nodes.caption):
            blocks.append(Paragraph([Run(child.astext(), italic=True)]))
        elif isinstance(child, nodes.Element):
            blocks.extend(blocks_of(child, depth))  # containers, figures, quotes
    return blocks


def read_document(doctree: nodes.document) -> Document:
    """Return the page as a :class:`Document`; its first heading is the title.

    Call :func:`mark_for_print` first so team-only notes are left out.
    """
    blocks = blocks_of(doctree, 0)
    title = next((plain(b.runs) for b in blocks if isinstance(b, Heading)), "")
    return Document(title, blocks)


def count_tables(document: Document) -> int:
    """Return how many tables the document has, notes included."""

    def count(blocks: list[Block]) -> int:
        total = 0
        for block in blocks:
            if isinstance(block, Table):
                total += 1
            elif isinstance(block, Note):
                total += count(block.blocks)
            elif isinstance(block, ListBlock):
                total += sum(count(item) for item in block.items)
        return total

    return count(document.blocks)
