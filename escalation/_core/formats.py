"""Tables written in the format their file name asks for (internal).

Political scientists take results into Stata, R and Excel: ``-o links.dta`` must be a Stata file, not CSV
under that name. One table, one writer per extension; anything else is refused with the list before any
work is done (:func:`check_table_path`). Libraries: pandas' own writers (``to_stata``, ``to_parquet``
through pyarrow, ``to_excel`` through openpyxl, the only maintained pure-Python ``.xlsx`` writer pandas
supports), so that R's ``haven``/``arrow``/``readxl`` and Stata read what they expect.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .atomic import write_atomic

#: extension -> what it is, in the order users see them
TABLE_FORMATS: dict[str, str] = {
    ".csv": "comma-separated text (UTF-8)",
    ".tsv": "tab-separated text (UTF-8)",
    ".parquet": "Apache Parquet (pandas, R arrow, Stata via a plugin)",
    ".dta": "Stata 14+ data file (pandas.read_stata, R haven::read_dta)",
    ".xlsx": "Excel workbook, one sheet",
    ".json": "JSON, one object per row (ISO dates)",
    ".tex": "LaTeX tabular fragment (booktabs), numbers to three significant digits",
}
#: An Excel sheet holds at most this many rows (one is the header).
EXCEL_ROWS = 1_048_576


def table_format(path: str | os.PathLike[str]) -> str:
    """The extension of ``path`` that names a table format, or a :class:`UsageError` listing them."""
    from ..errors import UsageError

    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        listed = ", ".join(TABLE_FORMATS)
        got = f"{suffix!r}" if suffix else "no extension"
        raise UsageError(f"{path}: cannot tell the table format from {got}; the file name must end in {listed}")
    return suffix


def check_table_path(path: str | os.PathLike[str] | None) -> None:
    """Refuse an output name whose format is unknown, before an analysis runs for minutes."""
    if path is not None and not _is_device(Path(path)):
        table_format(path)


def _is_device(path: Path) -> bool:
    """``-o /dev/stdout``: a stream, written as CSV whatever its name."""
    return path.exists() and not path.is_file() and not path.is_dir()


def writer(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Callable[[Path], object]:
    """A function writing ``frame`` to a given path in the format ``path``'s extension names."""
    target = Path(path)
    suffix = ".csv" if _is_device(target) else table_format(target)
    if suffix == ".csv":
        return lambda tmp: frame.to_csv(tmp, index=False)
    if suffix == ".tsv":
        return lambda tmp: frame.to_csv(tmp, index=False, sep="\t")
    if suffix == ".parquet":
        return lambda tmp: _write_parquet(frame, Path(tmp))
    if suffix == ".json":
        return lambda tmp: Path(tmp).write_text(_as_json(frame), encoding="utf-8")
    if suffix == ".tex":
        return lambda tmp: Path(tmp).write_text(latex_table(frame), encoding="utf-8")
    if suffix == ".xlsx":
        if len(frame) >= EXCEL_ROWS:
            from ..errors import UsageError

            raise UsageError(f"{target}: {len(frame):,} rows do not fit in an Excel sheet "
                             f"({EXCEL_ROWS - 1:,} at most); write .csv or .parquet")  # fmt: skip
        return lambda tmp: _plain(frame, text_missing=None).to_excel(tmp, index=False, engine="openpyxl")
    return lambda tmp: _write_stata(frame, Path(tmp))


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet through pyarrow, with the command line's run record in the file's metadata (``escalation``)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from .provenance import current

    table = pa.Table.from_pandas(frame, preserve_index=False)
    record = current()
    if record is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"escalation": json.dumps(record)})
    pq.write_table(table, path)


def _plain(frame: pd.DataFrame, *, text_missing: str | None) -> pd.DataFrame:
    """The table in types every writer takes: durations as days (``*_days`` names say so elsewhere; a
    Timedelta column keeps its name), time zones dropped, nullable numbers as floats, text as objects."""
    out = {}
    for name, column in frame.items():
        dtype = column.dtype
        if pd.api.types.is_timedelta64_dtype(dtype):
            out[name] = column.dt.total_seconds() / 86400.0
        elif isinstance(dtype, pd.DatetimeTZDtype):
            out[name] = column.dt.tz_convert(None)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = column.astype("datetime64[ns]")
        elif pd.api.types.is_bool_dtype(dtype) and column.isna().any():
            out[name] = column.astype("float64")
        elif pd.api.types.is_bool_dtype(dtype):
            out[name] = column.astype(np.int8)
        elif pd.api.types.is_numeric_dtype(dtype):
            out[name] = column.astype("float64") if column.isna().any() else column.to_numpy()
        else:
            text = column.astype(object).where(column.notna(), text_missing)
            out[name] = text.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return pd.DataFrame(out, index=range(len(frame)))


def _stata_names(names: list[str]) -> list[str]:
    """Stata variable names: letters, digits and ``_``, not starting with a digit, at most 32 characters,
    distinct."""
    out: list[str] = []
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name) or "v"
        base = ("_" + base if base[0].isdigit() else base)[:32]
        candidate, k = base, 1
        while candidate in out:
            k += 1
            candidate = f"{base[: 32 - len(str(k)) - 1]}_{k}"
        out.append(candidate)
    return out


def _write_stata(frame: pd.DataFrame, path: Path) -> None:
    """Stata 14+ (``version=118``: Unicode text). A name Stata does not allow (over 32 characters, spaces,
    punctuation) is made valid, and every variable's label is its name as written here, so nothing is lost."""
    table = _plain(frame, text_missing="")  # Stata text has no missing value: empty, as Stata itself writes
    original = [str(c) for c in table.columns]
    table.columns = _stata_names(original)
    labels = {new: old[:80] for new, old in zip(table.columns, original, strict=True)}
    table.to_stata(path, write_index=False, version=118, variable_labels=labels)


def _as_json(frame: pd.DataFrame) -> str:
    """One object per row; dates ISO, durations in days (JSON has no duration)."""
    return (
        _plain(frame, text_missing=None).to_json(
            orient="records", date_format="iso", date_unit="s", indent=2, force_ascii=False
        )
        + "\n"
    )


def _latex_cell(value: object, float_format: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float | np.floating):
        return float_format.format(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat() if value != value.normalize() else value.date().isoformat()
    # one line per row: a blank line inside a tabular cell is a paragraph break, which LaTeX refuses
    return " ".join(str(value).split())


def latex_table(frame: pd.DataFrame, headers: dict[str, str] | None = None, float_format: str = "{:.3g}") -> str:
    """A ``tabular`` fragment (booktabs rules), numbers rounded by ``float_format``; every LaTeX special
    character in headers and cells escaped, so that any side name or note compiles."""
    text = frame.map(lambda v: _latex_cell(v, float_format)) if len(frame.columns) else frame.copy()
    text.columns = [str((headers or {}).get(c, c)) for c in frame.columns]
    return text.to_latex(index=False, escape=True, column_format="l" * max(1, len(frame.columns)))


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a DataFrame in the format ``path``'s extension names (``.csv``, ``.tsv``, ``.parquet``, ``.dta``,
    ``.xlsx``, ``.json``, ``.tex``); any other extension is a :class:`~escalation.errors.UsageError`. Under the
    command line, ``NAME.provenance.json`` goes beside it (:mod:`escalation._core.provenance`)."""
    from .provenance import write_sidecar

    written = write_atomic(path, writer(frame, path))
    write_sidecar(written)  # the command line's run record beside it (nothing outside the command line)
    return written
