"""Reading delimited text so that every record is accounted for."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from ..events.schema import TEXT_DTYPE

#: The most columns an event table may have (text, spreadsheet or Parquet): per-column work grew with their
#: square, and 10,000 columns took minutes; a stray cell at XFD1048576 made the spreadsheet reader ask for
#: 512 GiB. Event tables have tens (ACLED 31, UCDP GED 49, GDELT 61).
MAX_COLUMNS = 1_000

# Python's csv module refuses a field over 131,072 characters ("field larger than field limit"), which a long
# note or an article pasted into a cell passes; pandas' own parser has no such limit. The limit is the
# process's, so it is only ever raised, to what a C long holds on every platform.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

Quoting = Literal[0, 1, 2, 3]  # the csv module's QUOTE_* constants


def check_encoding(name: str) -> str:
    """``name`` when it is a text encoding Python knows; a usage error for anything else (``rot13`` is a
    transform of text, not a way to store it)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError):
        raise UsageError(f"unknown encoding {name!r} (e.g. utf-8, latin-1, cp1252, utf-16)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"{name!r} is not a text encoding (e.g. utf-8, latin-1, cp1252, utf-16)")
    return name


def check_readable(path: Path) -> None:
    """Fail with one clear line when ``path`` is not a readable file."""
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a file")
    if not path.is_file():  # a pipe (/dev/stdin, a FIFO) reads once and then looks empty, or waits forever
        raise DataError(f"{path}: a pipe or a device, not a file: escalation reads its input more than once "
                        "(to tell the format, then the table); save the data to a file first")  # fmt: skip
    if not os.access(path, os.R_OK):
        raise DataError(f"{path}: permission denied")


def read_head(path: Path, encoding: str, size: int = 65536) -> str:
    """The first ``size`` bytes of a text file, decoded; a clear error when they are not text."""
    check_readable(path)
    raw = path.read_bytes()[:size] if path.stat().st_size <= size else _read_prefix(path, size)
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))  # NUL bytes are part of the text
    marks = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if not wide and raw.startswith(marks):
        kind = "UTF-32" if raw.startswith(marks[:2]) else "UTF-16"
        raise DataError(f"{path}: {kind} text (it starts with a {kind} byte-order mark), not {encoding}: pass "
                        f"--encoding {kind.lower()} (encoding='{kind.lower()}'), or re-save it as UTF-8")  # fmt: skip
    if b"\x00" in raw and not wide:
        raise DataError(f"{path}: not a text table (binary content); expected CSV, TSV or Parquet")
    try:
        return raw.decode(encoding)
    except UnicodeError as exc:  # a UnicodeDecodeError, or the UTF-16 codec's "does not start with BOM"
        if isinstance(exc, UnicodeDecodeError) and exc.end >= len(raw) - 4:  # a character cut by the prefix
            return raw[: exc.start].decode(encoding)
        raise DataError(not_encoded(path, encoding, exc)) from None


def not_encoded(path: Path, encoding: str, exc: UnicodeError) -> str:
    """The message for a file that is not text of ``encoding``."""
    where = f"{exc.reason} at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else str(exc)
    return (
        f"{path}: not {encoding} text ({where}); re-save it as UTF-8 or pass the file's encoding (--encoding latin-1)"
    )


def _read_prefix(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


#: Rows parsed at a time by :func:`read_delimited`.
CHUNK_ROWS = 250_000


def read_delimited(
    path: Path,
    *,
    sep: str = ",",
    names: list[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Read a delimited file as text cells, accounting for every record.

    Returns ``(table, rows, malformed)``: ``rows`` gives each record's row
    number as a spreadsheet shows it (the header is row 1; a file without a
    header starts at row 1), and ``malformed`` lists the records that were not
    read as cells, with the number of fields found and why: more or fewer fields
    than the header, or a quote that opens a field and never closes on its line
    (which would otherwise swallow the records after it into one cell).
    """
    check_readable(path)
    file_encoding = "utf-8-sig" if encoding.lower().replace("-", "") == "utf8" else encoding
    quoting: Quoting = csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL
    has_header = names is None
    try:
        if names is None:
            names = [
                str(c) for c in pd.read_csv(path, nrows=0, sep=sep, encoding=file_encoding, quoting=quoting).columns
            ]
        counts = _field_counts(path, sep=sep, quoting=quoting, encoding=file_encoding)
        if has_header:
            counts = counts[1:]
        width = len(names)
        if (counts > width).any():  # pandas' fast parser stops at these; the slow path names each one
            raise pd.errors.ParserError("over-long records")
        # In chunks: the C parser holds each chunk's cells as Python strings (about 55 bytes a cell) before
        # they become Arrow strings; a whole 10^7-row file at once peaked at 2.7 times the table's size.
        with pd.read_csv(
            path, sep=sep, dtype=TEXT_DTYPE, keep_default_na=False, na_values=[""], skip_blank_lines=False,
            header=0 if has_header else None, names=None if has_header else names, encoding=file_encoding,
            quoting=quoting, chunksize=CHUNK_ROWS,
        ) as chunks:  # fmt: skip
            table = pd.concat(list(chunks), ignore_index=True)
    except UnicodeError as exc:
        raise DataError(not_encoded(path, encoding, exc)) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except pd.errors.ParserError:
        return _read_slow(path, sep=sep, names=names, has_header=has_header, encoding=file_encoding, quoting=quoting)
    if len(table) != len(counts) or _swallowed(table, sep, quoting, width):
        # the two parsers disagree on where records end, or a cell holds whole records: a stray quote
        return _read_slow(path, sep=sep, names=names, has_header=has_header, encoding=file_encoding, quoting=quoting)
    # too few fields: pandas would fill the missing cells silently; an empty line (no field) is an empty row
    bad = (counts != width) & (counts > 0)
    rows = np.arange(len(table), dtype=np.int64) + (2 if has_header else 1)
    malformed = pd.DataFrame({"row": rows[bad], "fields": counts[bad].astype(np.int64), "reason": ""})
    if bad.any():  # a copy of every column: only when there is something to drop
        table = table.loc[~bad].reset_index(drop=True)
    table.columns = [str(c) for c in table.columns]
    malformed["expected"] = width
    return table.astype(TEXT_DTYPE), rows[~bad], malformed


def _field_counts(path: Path, *, sep: str, quoting: Quoting, encoding: str) -> np.ndarray:
    """Fields of every record (the header included); 0 for an empty line.

    Without quotes every line is a record and its fields are its separators plus one:
    counted on the bytes with numpy. With quotes (a field may hold separators and line
    breaks) the csv module splits the records.
    """
    raw = path.read_bytes()
    ascii_like = encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig", "latin1", "iso88591",
                                                                     "cp1252", "ascii", "usascii")  # fmt: skip
    if ascii_like and (quoting == csv.QUOTE_NONE or b'"' not in raw):
        data = np.frombuffer(raw, dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        if len(data) and data[-1] != 10:
            ends = np.r_[ends, len(data)]
        starts = np.r_[0, ends[:-1] + 1]
        seps = np.searchsorted(np.flatnonzero(data == ord(sep)), ends) - np.searchsorted(
            np.flatnonzero(data == ord(sep)), starts
        )
        length = ends - starts - (data[np.maximum(ends - 1, 0)] == 13)  # a \r\n line ends at the \r
        return np.where(length > 0, seps + 1, 0)
    text = raw.decode(encoding)
    return np.fromiter((len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep, quoting=quoting)),
                       dtype=np.int64)  # fmt: skip


def _fields_in(line: str, sep: str) -> int:
    """Fields of one line read as a record on its own (a quote left open counts as closing at its end)."""
    try:
        return len(next(csv.reader(io.StringIO(line.rstrip("\r\n"), newline=""), delimiter=sep), []))
    except csv.Error:
        return line.count(sep) + 1


def _first_field(line: str, sep: str) -> str:
    return line.split(sep, 1)[0].strip().strip('"')


def _shape(field: str) -> str:
    """A field's shape: runs of digits as 9, of letters as a (``2020-01-02`` and ``2021-11-30`` are ``9-9-9``)."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", field))


def _swallowed(table: pd.DataFrame, sep: str, quoting: Quoting, width: int) -> bool:
    """Does a cell hold a line break followed by what looks like a whole record (a stray quote)?"""
    if quoting == csv.QUOTE_NONE:
        return False
    for column in table.columns:
        cells = table[column].dropna()
        multi = cells[cells.str.contains("\n", regex=False)]
        for cell in multi:  # few cells have line breaks; only those are looked at
            for line in cell.split("\n")[1:]:
                if _fields_in(line, sep) >= width:
                    return True
    return False


def _read_slow(
    path: Path, *, sep: str, names: list[str] | None, has_header: bool, encoding: str, quoting: Quoting
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Record by record with the csv module, for files the fast reader cannot account for.

    Only such files come here (a record with too many fields for pandas, a quote
    never closed, a record swallowed into a cell), so the loop over records is off
    the fast path; it is what lets us name each bad row and read on after it.
    """
    text = path.read_text(encoding=encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line + "\n" for line in lines]
    start = 0
    if has_header:
        reader = csv.reader(lines, delimiter=sep, quoting=quoting)
        header = next(reader, [])
        start = reader.line_num
        if names is None:
            try:
                names = [str(c) for c in pd.read_csv(io.StringIO("".join(lines[:start])), nrows=0, sep=sep,
                                                     quoting=quoting).columns] if header else []  # fmt: skip
            except pd.errors.ParserError:  # pandas < 2.3 refuses a header whose quote is never closed
                raise DataError(f"{path}: the header row opens a quote that is never closed") from None
    names = list(names or [])
    width = len(names)
    row = 1 if start == 0 else 2
    good: list[list[str]] = []
    good_rows: list[int] = []
    bad: list[tuple[int, int, str]] = []
    i = start
    while i < len(lines):
        reader = csv.reader(lines[i:], delimiter=sep, quoting=quoting)
        try:
            record = next(reader)
            used = reader.line_num
        except csv.Error:
            record, used = [], len(lines) - i
        continued = lines[i + 1 : i + used]
        # a line inside the quoted cell "looks like a record" when it has the fields of one and starts like this
        # record does (a date, an id of the same shape): a note whose second line has many commas does not
        first = _shape(_first_field(lines[i], sep))
        looks_whole = [_fields_in(c, sep) >= width and _shape(_first_field(c, sep)) == first for c in continued]
        # an odd number of quote characters: a quoted field still open at the end of the file
        unclosed = quoting != csv.QUOTE_NONE and "".join(lines[i : i + used]).count('"') % 2 == 1
        if used > 1 and (len(record) != width or any(looks_whole) or unclosed):
            # a quote opened a field and the next lines were read as its text: reject this line only
            bad.append((row, _fields_in(lines[i], sep), UNCLOSED_QUOTE))
            i += 1
        else:
            if record and len(record) != width:
                bad.append((row, len(record), ""))
            else:
                good.append(record + [""] * (width - len(record)))  # an empty line is an empty row
                good_rows.append(row)
            i += used
        row += 1
    table = pd.DataFrame(good, columns=names) if good else pd.DataFrame(columns=names)
    table = table.mask(table == "").astype(TEXT_DTYPE)
    malformed = pd.DataFrame(
        {
            "row": np.array([b[0] for b in bad], dtype=np.int64),
            "fields": np.array([b[1] for b in bad], dtype=np.int64),
            "reason": [b[2] for b in bad],
        }
    )
    malformed["expected"] = width
    return table, np.array(good_rows, dtype=np.int64), malformed


UNCLOSED_QUOTE = "a quote opens a field that is not closed on its line; the lines after it were read as its text"


#: Delimiters a table may use: comma, tab, semicolon (Excel in much of Europe, where the comma is the
#: decimal mark), pipe. Tried in this order; the first that splits the header and the next lines into the
#: same number of fields wins.
DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(head: str) -> str:
    """The delimiter of a text table from its first lines (comma when nothing else fits better).

    A delimiter fits when it splits the header into at least two fields and most of the next 20 lines into
    as many; among those that fit, the one giving the most fields wins (a ``;`` file whose notes hold
    commas splits into more fields by ``;`` consistently). The csv module's own ``Sniffer`` was tried
    first and picks letters or spaces as delimiters on short files, so it is not used.
    """
    lines = [line for line in head.splitlines()[:21] if line.strip()]
    if not lines:
        return ","
    best, best_fields = ",", 1
    for sep in DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
        width = len(rows[0]) if rows else 0
        if width < 2:
            continue
        body = rows[1:-1] if len(rows) > 2 else rows[1:]  # the last line of a prefix may be cut
        agree = sum(len(r) == width for r in body)
        if body and agree < 0.8 * len(body):
            continue
        if width > best_fields:
            best, best_fields = sep, width
    return best


_HXL_TAG = r"^#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*$"


def is_hxl_row(cells: pd.Series) -> bool:
    """Is this row an HXL hashtag row (``#date+start``, ``#affected+killed``) as HDX republications carry?

    Every filled cell must be a hashtag with optional ``+attributes``; blank cells are allowed (columns
    the publisher did not tag), an all-blank row is not HXL.
    """
    filled = cells.dropna().astype(str).str.strip()
    filled = filled[filled != ""]
    return bool(len(filled)) and bool(filled.str.match(_HXL_TAG).all())
