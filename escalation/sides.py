"""Sides: fold many actor names into the few parties of a conflict.

A sides mapping says, for example, that *Kata'ib Hezbollah* and *Kata'ib Sayyid
al-Shuhada* both belong to *Iran-aligned militias*. Names that the mapping does
not list are their own side. It is read from a JSON object ``{"name": "side"}``
or a two-column CSV ``name,side``, and applied once, at read time, into the
``actor_side`` and ``target_side`` columns that every analysis uses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import DataError, UsageError

SidesLike = Mapping[str, str] | str | os.PathLike[str] | None


def read_sides(source: SidesLike) -> dict[str, str]:
    """Read a sides mapping from a dict, a JSON file or a ``name,side`` CSV file.

    Examples
    --------
    >>> read_sides({"Kata'ib Hezbollah": "Iran-aligned militias"})
    {"Kata'ib Hezbollah": 'Iran-aligned militias'}
    """
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return _checked({str(k).strip(): v for k, v in source.items()}, "sides mapping")
    path = Path(source)
    if not path.is_file():
        raise DataError(f"{path}: sides file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: sides file is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        if not isinstance(data, dict):
            raise DataError(f'{path}: a sides JSON file must hold one object {{"name": "side"}}')
        return _checked({str(k).strip(): v for k, v in data.items()}, str(path))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV sides file ({exc})") from None
    if table.shape[1] != 2:
        raise DataError(f"{path}: a sides CSV has two columns, name,side; found {table.shape[1]}")
    names, sides = table.iloc[:, 0].str.strip(), table.iloc[:, 1].str.strip()
    empty = (names == "") | (sides == "")
    if empty.any():
        row = int(empty.to_numpy().argmax()) + 2
        raise DataError(f"{path}, row {row}: empty name or side")
    return _checked(dict(zip(names, sides, strict=True)), str(path))


def _checked(mapping: dict[str, object], where: str) -> dict[str, str]:
    for name, side in mapping.items():
        if not isinstance(side, str) or not side.strip() or not name:
            raise UsageError(f"{where}: side of {name!r} must be a non-empty string, got {side!r}")
    return {name: str(side).strip() for name, side in mapping.items()}


def apply_sides(frame: pd.DataFrame, sides: Mapping[str, str]) -> pd.DataFrame:
    """Add ``actor_side`` and ``target_side``: the mapped side, or the name itself."""
    out = frame.copy(deep=False)  # new columns only: the event columns are shared, not copied
    for column in ("actor", "target"):
        names = out[column]
        out[f"{column}_side"] = names.map(dict(sides)).astype(names.dtype).fillna(names) if sides else names
    return out
