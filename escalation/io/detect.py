"""Tell the format of an event file from its name and first line."""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import UsageError
from . import acled, gdelt, ucdp
from ._files import read_head

FORMATS = ("auto", "canonical", "acled", "ucdp", "gdelt", "parquet")


def detect_format(path: Path, encoding: str = "utf-8") -> str:
    """One of ``canonical``, ``acled``, ``ucdp``, ``gdelt`` or ``parquet``.

    Parquet is told by its extension; text files by their first line: a
    57-, 58- or 61-field tab-separated record whose second field is a YYYYMMDD date
    is GDELT, a header holding ACLED's or UCDP's signature columns is theirs,
    and anything else is read as a canonical (or column-mapped) table.
    """
    if path.suffix.lower() in (".parquet", ".pq") or (path.is_dir() and any(path.rglob("*.parquet"))):
        return "parquet"
    head = read_head(path, encoding)
    first_line = head.splitlines()[0] if head else ""
    if gdelt.sniff(first_line) is not None:
        return "gdelt"
    header = {h.strip().lower() for h in next(csv.reader([first_line]), [])}
    if acled.SIGNATURE <= header:
        return "acled"
    if ucdp.SIGNATURE <= header:
        return "ucdp"
    return "canonical"


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return name
