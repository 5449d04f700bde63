"""Reading delimited text so that every record is accounted for."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..schema import TEXT_DTYPE


def check_readable(path: Path) -> None:
    """Fail with one clear line when ``path`` is not a readable file."""
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise DataError(f"{path}: permission denied")


def read_head(path: Path, encoding: str, size: int = 65536) -> str:
    """The first ``size`` bytes of a text file, decoded; a clear error when they are not text."""
    check_readable(path)
    raw = path.read_bytes()[:size] if path.stat().st_size <= size else _read_prefix(path, size)
    if b"\x00" in raw:
        raise DataError(f"{path}: not a text table (binary content); expected CSV, TSV or Parquet")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(raw) - 4:  # a multi-byte character cut by the prefix
            return raw[: exc.start].decode(encoding)
        raise DataError(
            f"{path}: not {encoding} text ({exc.reason} at byte {exc.start}); "
            "re-save it as UTF-8 or pass the file's encoding (--encoding latin-1)"
        ) from None


def _read_prefix(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def read_delimited(
    path: Path,
    *,
    sep: str = ",",
    names: list[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Read a delimited file as text cells.

    Returns ``(table, rows, malformed)``: ``rows`` gives each record's row
    number as a spreadsheet shows it (the header is row 1; a file without a
    header starts at row 1), and ``malformed`` lists records with more fields
    than the header, which pandas' fast parser would otherwise stop at or drop.
    """
    check_readable(path)
    header_rows = 0 if names is not None else 1
    file_encoding = "utf-8-sig" if encoding.lower().replace("-", "") == "utf8" else encoding
    options: dict[str, Any] = dict(
        sep=sep,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        header=None if names is not None else 0,
        names=names,
        encoding=file_encoding,
        quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL,
    )
    try:
        table = pd.read_csv(path, **options)
        malformed = pd.DataFrame({"row": pd.Series([], dtype="int64"), "fields": pd.Series([], dtype="int64")})
        expected = table.shape[1]
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not {encoding} text ({exc.reason} at byte {exc.start}); "
            "re-save it as UTF-8 or pass the file's encoding (--encoding latin-1)"
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except pd.errors.ParserError:
        table, malformed, expected = _read_slow(path, sep=sep, names=names, encoding=file_encoding)
    rows = np.arange(len(table), dtype=np.int64) + 1 + header_rows
    if len(malformed):
        # Malformed records were taken out; shift the row numbers of those after them.
        good = np.setdiff1d(np.arange(1, len(table) + len(malformed) + 1) + header_rows, malformed["row"].to_numpy())
        rows = good[: len(table)]
    table.columns = [str(c) for c in table.columns]
    table = table.astype(TEXT_DTYPE)
    malformed["expected"] = expected
    return table, rows, malformed


def _read_slow(
    path: Path, *, sep: str, names: list[str] | None, encoding: str
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Fallback for files with over-long records: the csv module, record by record.

    Only files that pandas' C parser refuses come here, so the loop over
    records is off the fast path; it is what lets us name each bad row.
    """
    text = path.read_text(encoding=encoding)
    reader = csv.reader(io.StringIO(text), delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL)
    header = names if names is not None else next(reader)
    width = len(header)
    first_row = 1 if names is not None else 2
    good: list[list[str]] = []
    bad_rows: list[int] = []
    bad_fields: list[int] = []
    for number, record in enumerate(reader, start=first_row):
        if len(record) > width:
            bad_rows.append(number)
            bad_fields.append(len(record))
        else:
            good.append(record + [""] * (width - len(record)))
    table = pd.DataFrame(good, columns=header).replace("", np.nan)
    malformed = pd.DataFrame(
        {"row": np.array(bad_rows, dtype=np.int64), "fields": np.array(bad_fields, dtype=np.int64)}
    )
    return table, malformed, width
