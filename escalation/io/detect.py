"""Tell the format of an event file from its name and first line."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

from .._core.vocabulary import Format
from ..errors import UsageError
from . import acled, gdelt, ucdp
from ._files import read_head, sniff_delimiter
from ._sheets import is_spreadsheet, sheet_header

FORMATS: tuple[str, ...] = get_args(Format)


def detect_format(
    path: Path, encoding: str = "utf-8", *, delimiter: str | None = None, sheet: str | int | None = None
) -> str:
    """One of ``canonical``, ``acled``, ``ucdp``, ``gdelt`` or ``parquet``.

    Parquet is told by its extension; text files by their first line: a
    57-, 58- or 61-field tab-separated record whose second field is a YYYYMMDD date
    is GDELT without a header, and a header (of a text file, whatever its delimiter, or of a
    spreadsheet's sheet) holding GDELT's, ACLED's or UCDP's signature columns is theirs;
    anything else is read as a canonical (or column-mapped) table.
    """
    if path.suffix.lower() in (".parquet", ".pq") or (path.is_dir() and any(path.rglob("*.parquet"))):
        return "parquet"
    if is_spreadsheet(path):
        return format_of_header(sheet_header(path, sheet))
    head = read_head(path, encoding)
    if gdelt.sniff(head.splitlines()[0] if head else "") is not None:
        return "gdelt"
    return format_of_header(text_header(head, delimiter)[1])


def text_header(head: str, delimiter: str | None = None) -> tuple[str, list[str]]:
    """The delimiter (given, or told from the first lines) and the header fields of a text table's start."""
    sep = delimiter or sniff_delimiter(head)
    first_line = head.splitlines()[0].lstrip("\ufeff") if head else ""
    return sep, next(csv.reader([first_line], delimiter=sep), [])


def format_of_header(names: Iterable[str]) -> str:
    """The format whose signature columns a header holds (any case), else ``canonical``."""
    header = {str(h).strip().lower() for h in names}
    for module in (gdelt, acled, ucdp):
        if module.SIGNATURE <= header:
            return module.NAME
    return "canonical"


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return name
