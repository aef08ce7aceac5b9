"""Build the small Word and Excel fixtures in this folder (run once; the files are committed).

python tests/data/make_transcript_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent / "transcripts"


def bold_speaker() -> None:
    """A transcript typed in Word with each speaker's name in bold."""
    document = docx.Document()
    document.add_heading("Interview 3 (fictional)", level=1)
    document.add_paragraph("Recorded at home in Millbrook. All names are invented.")
    turns = [
        ("Sam:", " Thank you for seeing me, Priya."),
        ("Priya:", " That's fine. Mum's having her nap."),
        ("Sam", ": What went well when she came home?"),  # colon outside the bold
        ("Priya:", " The ward rang at nine the night before."),
    ]
    for name, text in turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(name).bold = True
        paragraph.add_run(text)
    paragraph = document.add_paragraph()
    paragraph.add_run("Sam:").bold = True
    run = paragraph.add_run(" How did that feel?")
    run.add_break(WD_BREAK.LINE)
    paragraph.add_run("Take your time.")
    paragraph = document.add_paragraph()
    paragraph.add_run("Priya: ").bold = True
    paragraph.add_run("Like someone had ")
    paragraph.add_run("finally").italic = True
    paragraph.add_run(" joined the dots.")
    document.save(HERE / "bold-speaker.docx")


def table() -> None:
    """A transcript laid out as a two-column table: speaker, text."""
    document = docx.Document()
    document.add_paragraph("Interview 6 (fictional). Social prescribing.")
    grid = document.add_table(rows=1, cols=2)
    grid.rows[0].cells[0].text = "Speaker"
    grid.rows[0].cells[1].text = "Text"
    for speaker, text in [
        ("Sam", "Quick check: happy to be recorded?"),
        ("Janet", "Absolutely. Go for it."),
        ("Sam", "What does a good week look like?"),
        ("Janet", "The Tuesday huddle. Everyone in one room."),
        ("", "[inaudible]"),
    ]:
        cells = grid.add_row().cells
        cells[0].text = speaker
        cells[1].text = text
    document.add_paragraph("End of recording.")
    document.save(HERE / "table.docx")


def labels() -> None:
    """A Word transcript with plain ``Name: text`` paragraphs (no bold)."""
    document = docx.Document()
    for line in [
        "Notes: interview 12 (fictional).",
        "Sam: Lucy, thanks for fitting me in.",
        "Lucy: No problem. I've got forty minutes.",
        "Sam: Tell me about the WhatsApp group.",
        "Lucy: It started with three of us.",
    ]:
        document.add_paragraph(line)
    document.save(HERE / "labels.docx")


def survey() -> None:
    """A survey export in Excel: id, attributes and free text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Respondent", "Age band", "Area", "What went well?"])
    sheet.append(["x1", "65-74", "Eastfield", "The pharmacist phoned me two days later."])
    sheet.append(["x2", "45-64", "Millbrook", "Carers started the same afternoon."])
    sheet.append([None, None, None, None])
    sheet.append(["x3", "75+", "Old Town", "Grab rails were fitted before I got home."])
    book.save(HERE / "survey.xlsx")


if __name__ == "__main__":
    bold_speaker()
    table()
    labels()
    survey()
