"""Error cells of an ``.xlsx`` sheet (``#REF!``, ``#DIV/0!``, ``#N/A``): the reader gives them as empty.

python-calamine (pandas' spreadsheet engine) reads a cell whose formula failed as an empty cell, so that
``#REF!`` in a target column made a one-sided event and ``#DIV/0!`` in the deaths an unknown count, without
a word. Such a cell is not missing data but a broken formula: its row is rejected, naming the cell. The
sheet's XML says which cells are errors (``<c r="C3" t="e">``); this module reads that, with the standard
library, and only when the sheet holds one (a byte scan first).
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CHUNK = 1 << 20


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of the sheet named ``sheet`` (``xl/worksheets/sheet1.xml``)."""
    try:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    for node in workbook.iter(f"{_MAIN}sheet"):
        if node.get("name") == sheet:
            target = targets.get(node.get(f"{_REL}id"), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def _has_error(book: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if b't="e"' in tail + chunk:
                return True
            tail = chunk[-8:]
    return False


def error_cells(path: Path, sheet: str) -> list[tuple[int, str, str]]:
    """``(row, cell, error)`` of every error cell of sheet ``sheet`` of an ``.xlsx``/``.xlsm`` file, e.g.
    ``(3, "C3", "#REF!")``; empty for other formats and for a sheet without one."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return []
    with book:
        part = _sheet_part(book, sheet)
        if part is None or part not in book.namelist() or not _has_error(book, part):
            return []
        out = []
        with book.open(part) as stream:
            for _, node in ET.iterparse(stream):
                if node.tag == f"{_MAIN}c":
                    if node.get("t") == "e":
                        ref = node.get("r", "")
                        value = node.find(f"{_MAIN}v")
                        digits = "".join(ch for ch in ref if ch.isdigit())
                        if digits:
                            out.append((int(digits), ref, (value.text or "") if value is not None else ""))
                    node.clear()
        return out
