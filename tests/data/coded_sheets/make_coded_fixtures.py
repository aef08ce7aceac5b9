"""Build the Excel fixture in this folder from its CSV twin (run once; the file is committed).

python tests/data/coded_sheets/make_coded_fixtures.py

fft-patient-transport-coder2.xlsx is a second coder's copy of
fft-patient-transport.csv: the same responses in the same layout, saved from
Excel (numbers as numbers), with the second coder's marks where they differ.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

# (Comment ID, column, mark): where the second coder differs from the first.
CHANGES = [
    ("HWT PTS 104 - Q1", "Transport to/ from services", ""),
    ("HWT PTS 104 - Q1", "Negative experience & dissatisfaction", "1"),
    ("HWT PTS 113 - Q1", "Timeliness of care", ""),
    ("HWT PTS 116 - Q2", "Number & deployment of staff", ""),
    ("HWT PTS 119 - Q2", "Being kept informed, clarity & consistency of information", ""),
    ("HWT PTS 122 - Q1", "Staff manner & personal attributes", ""),
]


def coder2() -> None:
    with open(HERE / "fft-patient-transport.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    by_id = {row[0]: row for row in rows[1:]}
    for comment, column, mark in CHANGES:
        by_id[comment][header.index(column)] = mark
    book = Workbook()
    sheet = book.active
    sheet.title = "Coded comments"
    sheet.append(header)
    for row in rows[1:]:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(HERE / "fft-patient-transport-coder2.xlsx")


if __name__ == "__main__":
    coder2()
