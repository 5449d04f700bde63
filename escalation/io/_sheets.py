"""Spreadsheets (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.xlsb``) read as text cells, like a CSV.

Pandas reads all four through one engine, python-calamine (a binding of the Rust *calamine* reader): one
dependency for every format a researcher's own file comes in, where openpyxl reads only ``.xlsx``, xlrd only
``.xls`` and odfpy is slow on ``.ods``.

Cells are turned into the text a CSV export of the sheet would hold, so that every reader downstream sees
one kind of table: a date cell at midnight becomes ``2021-03-01`` (a day, not an event at 00:00), a date
cell with a clock time keeps it, and a whole number stored as a float (spreadsheets store every number as
one) loses its ``.0``, so that event 17 is ``"17"`` and not ``"17.0"``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from ..events.schema import TEXT_DTYPE
from ._files import MAX_COLUMNS, check_readable
from ._sheet_errors import error_cells

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]{1,3})(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def check_extent(path: Path) -> None:
    """Refuse an .xlsx/.xlsm sheet wider than :data:`MAX_COLUMNS` before the reader sees it.

    The reader allocates the sheet's whole rectangle: one stray cell at XFD1048576 (the last cell Excel has)
    asked for 512 GiB and the process aborted (SIGABRT, no message). The sheet's extent is its ``dimension``
    element (Excel and every library write it); without one, the cells' own references.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # the reader says what is wrong with it
    with book:
        for name in book.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with book.open(name) as sheet:
                head = sheet.read(16384)
                found = _DIMENSION.search(head)
                widest = _column_number(found.group(1)) if found else 0
                if not found:  # no dimension: every cell reference, a megabyte at a time
                    chunk, tail = head, b""
                    while chunk:
                        cells = _CELL.findall(tail + chunk)
                        widest = max([widest, *(_column_number(c) for c, _ in cells)])
                        tail, chunk = chunk[-64:], sheet.read(1 << 20)
            if widest > MAX_COLUMNS:
                raise DataError(f"{path}: a sheet reaches column {widest:,} (a cell as far as "
                                f"{found.group(1).decode() if found else 'that'}); an event table has tens of "
                                f"columns and escalation reads at most {MAX_COLUMNS:,}: delete the stray cells "
                                "far to the right (Ctrl+End shows the last one) and save again")  # fmt: skip


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def read_sheet(
    path: Path, sheet: str | int | None = None
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, str, list[str]]:
    """One sheet (the first by default; a name or a 0-based position) as text cells, each row's number, the
    rows with an error cell (``#REF!``: rejected, :mod:`._sheet_errors`), the sheet's name and the names of
    all sheets.

    Row numbers are the spreadsheet's own: the header is row 1. Empty rows inside the table are kept (they
    become "empty row" rejections, as in a CSV); trailing empty rows are not part of the sheet.
    """
    check_readable(path)
    try:
        import python_calamine  # noqa: F401  (pandas' engine; imported here for a clear message)
    except ImportError:  # pragma: no cover - a core dependency
        raise UsageError("reading spreadsheets needs python-calamine: pip install python-calamine") from None
    try:
        book = pd.ExcelFile(path, engine="calamine")
        names = [str(n) for n in book.sheet_names]
    except Exception as exc:  # calamine raises its own error types for a file that is not a workbook
        raise DataError(f"{path}: not a readable spreadsheet ({type(exc).__name__}: {exc})") from None
    chosen = _choose(path, names, sheet)
    check_extent(path)
    try:
        table = pd.read_excel(book, sheet_name=chosen, dtype=object, header=0)
    except Exception as exc:
        raise DataError(f"{path}, sheet {chosen!r}: not readable ({type(exc).__name__}: {exc})") from None
    table.columns = [_header(c, i) for i, c in enumerate(table.columns)]
    table = table.loc[:, [not (c.startswith("Unnamed: ") and table[c].isna().all()) for c in table.columns]]
    text = pd.DataFrame({c: table[c].map(_cell_text) for c in table.columns}, index=table.index)
    rows = np.arange(2, len(table) + 2, dtype=np.int64)
    errors = error_cells(path, chosen)
    by_row: dict[int, list[str]] = {}
    for row, cell, value in errors:
        if row >= 2:  # an error in the header row leaves a column without a name: that is seen downstream
            by_row.setdefault(row, []).append(f"{cell}={value or 'error'}")
    broken = np.isin(rows, list(by_row))
    malformed = pd.DataFrame({
        "row": rows[broken], "fields": pd.NA, "expected": pd.NA,
        "value": ["; ".join(by_row[r]) for r in rows[broken]],
        "reason": "spreadsheet error cell (a formula that failed in the workbook, such as #REF! or #DIV/0!): "
                  "not a value",
    })  # fmt: skip
    if broken.any():
        text, rows = text.loc[~broken].reset_index(drop=True), rows[~broken]
    return text.astype(TEXT_DTYPE), rows, malformed, chosen, names


def sheet_header(path: Path, sheet: str | int | None = None) -> list[str]:
    """The header row of one sheet (for telling the format)."""
    check_readable(path)
    check_extent(path)
    try:
        book = pd.ExcelFile(path, engine="calamine")
        names = [str(n) for n in book.sheet_names]
        header = pd.read_excel(book, sheet_name=_choose(path, names, sheet), nrows=0)
    except (UsageError, DataError):
        raise
    except Exception as exc:
        raise DataError(f"{path}: not a readable spreadsheet ({type(exc).__name__}: {exc})") from None
    return [_header(c, i) for i, c in enumerate(header.columns)]


def _choose(path: Path, names: list[str], sheet: str | int | None) -> str:
    if not names:
        raise DataError(f"{path}: the workbook has no sheets")
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
        k = int(sheet)
        if 0 <= k < len(names):
            return names[k]
    elif sheet in names:
        return sheet
    raise UsageError(f"{path}: no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}")


def _header(name: Any, i: int) -> str:
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    return str(name) if name is not None else f"Unnamed: {i}"


def _cell_text(cell: Any) -> Any:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
        return pd.NA
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(cell)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    return text if text.strip() else pd.NA
