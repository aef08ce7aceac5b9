"""Turn a transcript file's bytes into the toolkit's normal text.

Every document's ``text`` is normalised (Unicode NFC, ``\\n`` line endings,
no byte-order mark), so positions counted in code points mean the same thing
whichever tool wrote the file.  :func:`decode_transcript` also refuses, with
a message saying what to do, the files that are not text at all: empty
files, PDFs, Word or Excel packages with the wrong name, binary data.
UTF-16 without a byte-order mark is recognised.

Examples
--------
>>> from pathlib import Path
>>> decode_transcript("Sam: hello\\r\\n".encode("utf-16"), Path("a.txt"), "text")
('Sam: hello\\n', 'utf-16')
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from toolkit.errors import ToolkitError, TranscriptError
from toolkit.io.files import decode_bytes

__all__ = ["CONVERT_HINTS", "decode_transcript", "normalise_text", "read_transcript_bytes"]

#: How to turn a file of a format the reader does not take into one it does, by name ending.
CONVERT_HINTS = {
    ".doc": "open it in Word and save it as a Word document (.docx)",
    ".rtf": "open it in Word and save it as a Word document (.docx) or plain text (.txt)",
    ".odt": "save it from LibreOffice as a Word document (.docx)",
    ".pages": "export it from Pages as a Word document (.docx)",
    ".pdf": "export the transcript from where it came from as .docx or .txt, or copy its text "
    "into a .txt file (PDF text loses who is speaking)",
    ".xls": "open it in Excel and save it as .xlsx or as CSV UTF-8",
    ".json": "export the transcript as WebVTT (.vtt) or text (.txt) instead",
    ".sbv": "convert it to WebVTT (.vtt); YouTube Studio can download .vtt",
}


def normalise_text(text: str) -> str:
    """Return `text` in the toolkit's normal form: NFC, ``\\n`` line endings, no BOM.

    Examples
    --------
    >>> normalise_text("Cafe\\u0301\\r\\nok")
    'Café\\nok'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)


def decode_transcript(raw: bytes, path: Path, kind: str) -> tuple[str, str]:
    """Decode a text file's bytes into normalised text, refusing files that are not text.

    Parameters
    ----------
    raw
        The file's bytes.
    path
        The file, for messages.
    kind
        What the file should be, for messages ("text", "WebVTT", "survey CSV").

    Returns
    -------
    tuple of (str, str)
        The text (see :func:`normalise_text`) and the encoding found.

    Raises
    ------
    TranscriptError
        For an empty, blank, PDF, zip-package or binary file, or bytes that
        decode in no common encoding; the message says how to fix it.
    """
    if not raw.strip():
        raise TranscriptError(
            f"expected a {kind} file with text in it, but the file is empty"
            + (" (it holds only blank space)" if raw else ""),
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    if raw.startswith(b"%PDF"):
        raise TranscriptError(
            f"expected a {kind} file, but found a PDF document with a {path.suffix} name",
            path=path,
            hint=CONVERT_HINTS[".pdf"],
        )
    if raw.startswith(b"PK\x03\x04"):
        raise TranscriptError(
            f"expected a {kind} file, but found a zip package (such as a Word .docx or Excel "
            f".xlsx file) with a {path.suffix} name",
            path=path,
            hint="give the file its real extension (.docx for Word, .xlsx for Excel)",
        )
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        even, odd = raw[0::2], raw[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            raw = b"\xff\xfe" + raw
        elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            raw = b"\xfe\xff" + raw
        else:
            raise TranscriptError(
                f"expected a {kind} file, but found binary data (bytes that are not text)",
                path=path,
                hint="open the file in the program that made it and save or export it as text "
                "(.txt), Word (.docx), WebVTT (.vtt) or SubRip (.srt)",
            )
    try:
        text, encoding = decode_bytes(raw, path)
    except TranscriptError:
        raise
    except ToolkitError as exc:
        raise TranscriptError(exc.message, path=path, hint=exc.hint) from None
    text = normalise_text(text)
    if not text.strip():
        raise TranscriptError(
            f"expected a {kind} file with text in it, but it holds only blank space",
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    return text, encoding


def read_transcript_bytes(path: Path) -> bytes:
    """Return a transcript file's bytes, or raise a TranscriptError saying why not."""
    if not path.exists():
        raise TranscriptError(
            "expected a transcript file or folder here, but there is nothing at this path",
            path=path,
            hint="check the path and the file name",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TranscriptError(
            f"expected a readable file, but it could not be read ({exc.strerror})",
            path=path,
            hint="check the file's permissions",
        ) from None
