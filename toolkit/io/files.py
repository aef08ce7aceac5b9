"""Read and write the project's files safely.

Every file the toolkit writes goes to a temporary name in the same folder and
is then renamed over the target, so a crash leaves either the old file or the
new one, never half of one.  Tables are read with messages that name the file
and the spreadsheet row of any problem.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from toolkit.errors import ToolkitError

__all__ = [
    "FALLBACK_ENCODINGS",
    "atomic_copy",
    "atomic_open",
    "atomic_write",
    "cell_text",
    "decode_bytes",
    "quick_numbers",
    "read_table",
    "read_utf8",
    "require_file",
    "to_numbers",
    "write_table",
]


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside `path`, renaming it over `path` on success.

    If the block raises, the temporary file is removed and `path` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with atomic_open(target) as fh:
    ...     _ = fh.write("kept")
    >>> target.read_text()
    'kept'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # named after the file being written, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    binary = "b" in mode
    try:
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else ""
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes owner-only files; keep the replaced file's permissions,
        # or give a new file the ones any other program would (0666 less umask).
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if exc.filename in (None, tmp):  # a full disk names no file: name the one being written
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def require_file(
    path: str | Path,
    what: str,
    hint: str,
    error: type[ToolkitError] = ToolkitError,
    *,
    folder: bool = False,
) -> Path:
    """Return ``path`` as a Path, or raise ``error`` saying that no ``what`` is there.

    Parameters
    ----------
    path
        The path the user gave.
    what
        What should be there, for the message: "a codebook file", "a .qdpx file".
    hint
        How to fix it.
    error
        The :class:`ToolkitError` subclass to raise.
    folder
        Accept a folder as well as a file.

    Examples
    --------
    >>> require_file("no-such.yml", "a codebook file", "check the path")
    Traceback (most recent call last):
    ...
    toolkit.errors.ToolkitError: no-such.yml: expected a codebook file here, but there is none. ...
    """
    path = Path(path)
    if path.is_file() or (folder and path.is_dir()):
        return path
    raise error(f"expected {what} here, but there is none", path=path, hint=hint)


def read_utf8(path: str | Path, hint: str, error: type[ToolkitError] = ToolkitError) -> str:
    """Return a UTF-8 text file's text (a byte-order mark is dropped), or raise ``error``.

    ``hint`` says how to save the file as UTF-8.
    """
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise error(
            "expected a UTF-8 text file, but found bytes that are not UTF-8", path=path, hint=hint
        ) from None


def cell_text(value: object) -> str:
    """Return a table cell as text, with missing values (None, NaN, NA) as ``""``.

    Examples
    --------
    >>> [cell_text(v) for v in [None, float("nan"), 3, " a "]]
    ['', '', '3', ' a ']
    """
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # lists and other containers are not missing
        pass
    return str(value)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write `data` to `path` through a temporary file and an atomic rename."""
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_open(path, mode, encoding=encoding) as fh:
        fh.write(data)
    return Path(path)


def atomic_copy(source: str | Path, path: str | Path) -> Path:
    """Copy a file (bytes and modification time) to `path` through a temporary file.

    A copy interrupted half-way leaves no partial file at `path`: an imported
    transcript is either there whole or not at all.
    """
    with open(source, "rb") as src, atomic_open(path, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    shutil.copystat(source, path)
    return Path(path)


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV, atomically, without the index."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return atomic_write(path, buffer.getvalue())


#: Encodings tried when a file is not UTF-8, most likely first for UK data.
FALLBACK_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman"]


def decode_bytes(raw: bytes, path: str | Path | None = None) -> tuple[str, str]:
    """Decode a text file's bytes, returning the text and the encoding found.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order
    mark are recognised exactly.  Anything else is passed to
    charset-normalizer, limited to the single-byte encodings UK spreadsheets
    and word processors write (Windows-1252 first), because on short texts
    an unrestricted guess often lands on an unrelated code page.

    Examples
    --------
    >>> decode_bytes("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf_8_sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf_16"
    else:
        encoding = "utf_8"
    try:
        return raw.decode(encoding), encoding.replace("_", "-").replace("-sig", " with BOM")
    except UnicodeDecodeError:
        if encoding != "utf_8":
            raise ToolkitError(
                f"expected {encoding.replace('_', '-')} text after the byte-order mark, but found "
                "bytes that do not decode",
                path=path,
                hint="open the file in a text editor and save it again as UTF-8",
            ) from None
    mixed = _utf8_with_strays(raw)
    if mixed is not None:
        return mixed, "utf-8 (with stray Windows-1252 bytes)"
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=FALLBACK_ENCODINGS).best()
    if best is None:
        raise ToolkitError(
            "expected text, but found bytes that are not text in any common encoding",
            path=path,
            hint="save the file as UTF-8 text (in a spreadsheet: 'CSV UTF-8')",
        )
    return str(best), best.encoding


def _cp1252_or_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", "") or bad.decode(
        "latin_1"
    ), error.end


codecs.register_error("toolkit_cp1252", _cp1252_or_latin1)


def _utf8_with_strays(raw: bytes) -> str | None:
    """Decode UTF-8 text holding a few stray Windows-1252 bytes, or return None.

    A UTF-8 file edited once in an old Windows program (a pasted curly quote
    or dash) keeps its UTF-8 accents; decoding the whole file as a single-byte
    code page would garble every one of them.  The file counts as UTF-8 when
    it has more valid multi-byte UTF-8 characters than invalid bytes.
    """
    text = raw.decode("utf_8", errors="replace")
    strays = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if strays == 0 or valid < max(1, strays):
        return None
    return raw.decode("utf_8", errors="toolkit_cp1252")


class _RowNumbers(list):
    """The spreadsheet row of each record: a list that tables share rather than copy.

    pandas deep-copies a table's ``attrs`` on every operation; for 100,000
    rows that copying was most of the time spent reading a coder's file.  The
    numbers are only read, never changed, so every copy can share them.
    """

    def __deepcopy__(self, memo: dict) -> _RowNumbers:
        return self


def read_table(
    path: str | Path,
    required: Iterable[str] = (),
    *,
    what: str = "table",
    allow_empty: bool = True,
    repeated: bool = False,
) -> pd.DataFrame:
    """Read a CSV file into a table of strings, checking its header.

    Copes with what spreadsheets really write: a byte-order mark, UTF-16,
    Windows-1252, Excel's ``sep=`` first line, and semicolon or tab
    delimiters.  Cells are kept as text (empty cells as ``""``); callers
    convert numbers with :func:`to_numbers` so that errors name the row.

    Parameters
    ----------
    path
        The CSV file.
    required
        Column names that must be present.
    what
        What the table is, for messages ("participants", "stakeholders").
    allow_empty
        Whether a header with no data rows is acceptable.
    repeated
        Whether a column name may appear more than once: the later ones are
        named ``Name.1``, ``Name.2`` ... and ``table.attrs["repeated"]``
        maps each such name to the name in the header.

    Raises
    ------
    ToolkitError
        If the file is missing, not text, has duplicate or missing columns.
    """
    path = require_file(
        path,
        f"a {what} file",
        f"create it (the starter in templates/ has the right header) or remove the {what} step",
    )
    raw = path.read_bytes()
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ToolkitError(
            f"expected a CSV {what} file, but found binary data",
            path=path,
            hint="save the sheet as CSV (comma-separated values), not as .xlsx or another format",
        )
    text = decode_bytes(raw, path)[0].replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first_data_line = 1
    delimiter = None
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) >= 5:
        delimiter = lines[0][4]
        text = "\n".join(lines[1:])
        first_data_line = 2
    if not text.strip():
        raise ToolkitError(
            f"expected a {what} with a header row, but the file is empty",
            path=path,
            hint="add the header row: " + ",".join(required) if required else None,
        )
    header_line = text.split("\n", 1)[0]
    if delimiter is None:
        counts = {d: header_line.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ToolkitError(
            f"expected well-formed CSV, but the parser stopped: {exc}",
            path=path,
            line=reader.line_num + first_data_line - 1,
            hint="check the quotes on that line",
        ) from None
    _check_closing_quote(text, delimiter, path, first_data_line)
    header = [h.strip() for h in rows[0]]
    seen: set[str] = set()
    renamed: dict[str, str] = {}
    for k, name in enumerate(header):
        if name in seen and repeated:
            n = 1
            while f"{name}.{n}" in seen or f"{name}.{n}" in header:
                n += 1
            header[k] = f"{name}.{n}"
            renamed[header[k]] = name
            seen.add(header[k])
            continue
        if name in seen:
            raise ToolkitError(
                f"expected each column name once, but '{name}' appears twice in the header",
                path=path,
                line=first_data_line,
                hint="rename or delete one of the two columns",
            )
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        raise ToolkitError(
            f"expected the column(s) {', '.join(repr(c) for c in missing)} in the {what} header, "
            f"but found {', '.join(repr(h) for h in header)}",
            path=path,
            line=first_data_line,
            hint="rename the columns to match (names are case-sensitive)",
        )
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    for number, r in enumerate(rows[1:], start=first_data_line + 1):
        if len(r) > len(header) and any(cell.strip() for cell in r[len(header) :]):
            raise ToolkitError(
                f"expected {len(header)} cells as in the header, but found {len(r)}",
                path=path,
                row=number,
                hint="a value probably contains the delimiter; put it in double quotes",
            )
    if not body and not allow_empty:
        raise ToolkitError(
            f"expected at least one {what} row under the header, but found none",
            path=path,
            hint=f"add your {what} rows",
        )
    pad = [""] * len(header)
    table = pd.DataFrame(
        [[cell.strip() for cell in (r + pad)[: len(header)]] for r in body],
        columns=header,
        dtype=object,
    )
    # Spreadsheet row of each record, for messages from the callers.
    numbers = [
        n for n, r in enumerate(rows[1:], start=first_data_line + 1) if any(c.strip() for c in r)
    ]
    table.attrs["rows"] = _RowNumbers(numbers)
    table.attrs["path"] = str(path)
    if repeated:
        table.attrs["repeated"] = renamed
    return table


def _check_closing_quote(text: str, delimiter: str, path: Path, first_line: int) -> None:
    """Refuse a quote that is never closed: it would swallow every row after it."""
    if text.count('"') % 2 == 0:
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        for _row in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" not in str(exc):
            return  # a stray quote inside a cell: read leniently, as spreadsheets do
        raise ToolkitError(
            "expected each opening double quote to be closed, but the quote in this row is "
            "never closed, so every row after it would be read as one cell",
            path=path,
            line=start + first_line - 1,
            hint='close the quote, or double a quote inside a quoted cell ("")',
        ) from None


def quick_numbers(
    cells: pd.Series, *, low: float | None, high: float | None, integer: bool, optional: bool
) -> pd.Series | None:
    """:func:`to_numbers` on a whole column at once; None when a cell needs a closer look.

    A column of numbers (a table checked before, say) is taken as it is; a
    column of text is read as :func:`to_numbers` reads it.  Any doubt returns
    None, and :func:`to_numbers` then goes cell by cell to name the bad row.
    """
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        numbers = cells.to_numpy(dtype="float64", na_value=np.nan)
        blank = np.isnan(numbers)
    elif cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype):
        if cells.isna().any():
            return None
        text = cells.astype(str).str.strip()
        blank = (text == "").to_numpy()
        spelled = text.str.replace(",", ".", regex=False).to_numpy(object)
        spelled[blank] = "nan"
        try:
            numbers = spelled.astype(np.float64)  # float() on each cell, as the loop does
        except (ValueError, TypeError):
            return None
    else:
        return None
    if blank.any() and not optional:
        return None
    given = numbers[~blank]
    if np.isnan(given).any() or np.isinf(given).any():
        return None
    if (integer and (given != np.floor(given)).any()) or (
        (low is not None and (given < low).any()) or (high is not None and (given > high).any())
    ):
        return None
    return pd.Series(numbers, index=cells.index, name=cells.name)


def to_numbers(
    table: pd.DataFrame,
    column: str,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    optional: bool = False,
) -> pd.Series:
    """Convert a column read by :func:`read_table` to numbers, checking a range.

    A decimal comma (``2,5``) is accepted.  Errors name the file and the
    spreadsheet row.
    """
    fast = quick_numbers(table[column], low=low, high=high, integer=integer, optional=optional)
    if fast is not None:
        return fast
    # Something is wrong (or unusual): go cell by cell, to name the row of the first problem.
    path = table.attrs.get("path")
    rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
    out = []
    for row, value in zip(rows, table[column], strict=False):
        text = "" if value is None else str(value).strip()
        if text == "":
            if optional:
                out.append(float("nan"))
                continue
            raise ToolkitError(
                f"expected a number in column '{column}', but the cell is empty",
                path=path,
                row=row,
                hint="fill it in or delete the row",
            )
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ToolkitError(
                f"expected a number in column '{column}', but found '{text}'",
                path=path,
                row=row,
                hint="use digits only, e.g. 3",
            ) from None
        if integer and number != int(number):
            raise ToolkitError(
                f"expected a whole number in column '{column}', but found '{text}'",
                path=path,
                row=row,
                hint="round it to a whole number",
            )
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                expected = f"between {low:g} and {high:g}"
                hint = f"a value from {low:g} to {high:g}"
            elif low is not None:
                expected, hint = f"of {low:g} or more", f"a value of {low:g} or more"
            else:
                expected, hint = f"of {high:g} or less", f"a value of {high:g} or less"
            raise ToolkitError(
                f"expected '{column}' {expected}, but found {text}",
                path=path,
                row=row,
                hint=f"use {hint}",
            )
        out.append(number)
    return pd.Series(out, index=table.index, name=column)
