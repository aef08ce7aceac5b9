"""Word (.docx) transcripts.

Three layouts are read: ``Name: text`` paragraphs (as in a text file), the
speaker's name in bold at the start of a paragraph (directly or through a
character style such as *Strong*), and a table with a speaker column and a
text column (a header row naming them, two columns, or time, speaker and
text).  The document text is the transcript written out as ``Speaker: text``
turns separated by blank lines.  python-docx is imported only when a Word
file is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from toolkit.errors import TranscriptError
from toolkit.io.corpus import ParsedFile, parsed_from_builder
from toolkit.io.decoding import normalise_text
from toolkit.io.speakers import TurnBuilder, accepted_labels, speakers_detail, text_turns

__all__ = ["read_docx"]

_HEADER_WORDS = {
    "speaker": "speaker",
    "name": "speaker",
    "who": "speaker",
    "person": "speaker",
    "text": "text",
    "transcript": "text",
    "transcription": "text",
    "utterance": "text",
    "what was said": "text",
    "speech": "text",
    "said": "text",
    "time": "time",
    "timestamp": "time",
    "start": "time",
}


def _is_bold(run, styles: dict[str, bool]) -> bool:
    """Return whether a run is bold, directly or through its character style."""
    if run.bold is not None:
        return bool(run.bold)
    style_id = run._r.style  # looking a style up is slow in python-docx: once per style
    if style_id is None:
        return False
    if style_id not in styles:
        styles[style_id] = bool(run.style is not None and run.style.font.bold)
    return styles[style_id]


def _bold_speaker(paragraph, styles: dict[str, bool]) -> tuple[str, str] | None:
    """Return (speaker, rest) when a paragraph starts with a bold ``Name:``."""
    lead = []
    runs = list(paragraph.runs)
    for run in runs:
        if run.text.strip() == "" and not lead:
            lead.append(run.text)
            continue
        if not _is_bold(run, styles):
            break
        lead.append(run.text)
    bold = "".join(lead)
    if not bold.strip():
        return None
    full = paragraph.text
    if not full.startswith(bold):
        return None
    rest = full[len(bold) :]
    candidate = bold.strip()
    if candidate.endswith(":"):
        name = candidate[:-1].strip()
    elif rest.lstrip().startswith(":"):
        name = candidate
        rest = rest.lstrip()[1:]
    else:
        return None
    name = name.strip("[]").strip()
    if not name or len(name) > 40 or "\n" in name:
        return None
    return " ".join(name.split()), rest


def read_docx(path: Path, interview_id: str, raw: bytes) -> ParsedFile:
    """Read a Word transcript from the file's bytes.

    Raises
    ------
    TranscriptError
        If the file is empty, not a .docx package (naming what it looks like:
        an old .doc, a PDF, RTF, plain text), cannot be opened, or holds no text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    if not raw:
        raise TranscriptError(
            "expected a Word document, but the file is empty",
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        looks = "an old Word 97-2003 .doc file" if raw.startswith(b"\xd0\xcf\x11\xe0") else None
        hint = "open it in Word and use Save As > Word Document (.docx)"
        if raw.startswith(b"%PDF"):
            looks = "a PDF"
        elif raw.lstrip()[:1] == b"{" and b"rtf" in raw[:10]:
            looks = "an RTF document"
        elif b"\x00" not in raw[:4096]:
            looks = "plain text with a .docx name"
            hint = "rename the file to .txt (it is a text transcript), or save it as .docx"
        raise TranscriptError(
            "expected a Word .docx file (a zip package), but found "
            + (looks or "something that is not a zip package"),
            path=path,
            hint=hint,
        )
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TranscriptError(
            f"expected a Word .docx document, but the package could not be opened ({exc})",
            path=path,
            hint="open it in Word and save it again as a Word Document (.docx)",
        ) from None
    blocks: list[tuple[str | None, str]] = []  # (speaker or None, text)
    known: set[str] = set()
    styles: dict[str, bool] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_blocks(item, known))
            continue
        text = re.sub(r"\n\s*\n", "\n", item.text)
        if not text.strip():
            continue
        found = _bold_speaker(item, styles)
        if found is not None:
            known.add(found[0])
            blocks.append(found)
        else:
            blocks.append((None, text))
    accepted = accepted_labels((t for s, t in blocks if s is None), known)
    builder = TurnBuilder()
    for speaker, text in blocks:
        if speaker is not None:
            builder.add(speaker, text)
            continue
        text = normalise_text(text)
        for label, start, end in text_turns(text, accepted):
            builder.add(label, text[start:end])
    style = "bold speakers" if known else "speaker labels"
    if any(s is not None for s, _ in blocks) and document.tables:
        style = "a speaker/text table"
    detail = f"Word document with {style}: {speakers_detail(builder.turns)}"
    return parsed_from_builder(path, interview_id, builder, "docx", "docx (XML)", detail)


def _table_blocks(table, known: set[str]) -> list[tuple[str | None, str]]:
    rows = [[normalise_text(cell.text).strip() for cell in row.cells] for row in table.rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    roles = [_HEADER_WORDS.get(c.lower().rstrip(":")) for c in rows[0]]
    if "speaker" in roles and "text" in roles:
        speaker_at, text_at = roles.index("speaker"), roles.index("text")
        rows = rows[1:]
    elif len(rows[0]) == 2:
        speaker_at, text_at = 0, 1
    elif len(rows[0]) == 3 and re.fullmatch(r"[\d:.,]+", rows[0][0] or "x"):
        speaker_at, text_at = 1, 2
    else:
        return [(None, "\n".join(c for c in r if c)) for r in rows]
    blocks: list[tuple[str | None, str]] = []
    for row in rows:
        speaker = " ".join(row[speaker_at].rstrip(":").strip("[]").split())
        text = row[text_at] if text_at < len(row) else ""
        if speaker and len(speaker) <= 60:
            known.add(speaker)
            blocks.append((speaker, text))
        elif text:
            blocks.append((None, text))
    return blocks
