"""Sides: fold many actor names into the few parties of a conflict.

A sides mapping says, for example, that *Kata'ib Hezbollah* and *Kata'ib Sayyid
al-Shuhada* both belong to *Iran-aligned militias*. Names that the mapping does
not list are their own side. It is read from a JSON object ``{"name": "side"}``
or a two-column CSV ``name,side``, and applied once, at read time, into the
``actor_side`` and ``target_side`` columns that every analysis uses.

Sides may belong to **camps**: a patron and the groups it backs (Iran and the Iraqi militias), allies. In a
JSON file, ``"camps": {"Iran and aligned militias": ["Iran", "Iran-aligned militias"]}`` beside the names;
in a CSV, a third column ``camp``. :meth:`escalation.Events.at_level` (CLI ``--level camp``) then reads
every analysis at the camp level: a US strike on Iran can answer militia rockets, and the reverse, with
the comparison with chance at the same level. Sides in no camp are their own camp.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, UsageError

SidesLike = Mapping[str, str] | str | os.PathLike[str] | None


def read_sides(source: SidesLike) -> dict[str, str]:
    """Read a sides mapping from a dict, a JSON file or a ``name,side`` CSV file (camps are left out:
    :func:`read_camps`).

    Examples
    --------
    >>> read_sides({"Kata'ib Hezbollah": "Iran-aligned militias"})
    {"Kata'ib Hezbollah": 'Iran-aligned militias'}
    """
    return _read(source)[0]


def read_camps(source: SidesLike) -> dict[str, str]:
    """The camp of each side a sides file (or mapping) puts in one: ``{side: camp}``; empty without camps.

    Examples
    --------
    >>> read_camps({"Kata'ib Hezbollah": "Iran-aligned militias",
    ...             "camps": {"Iran and aligned militias": ["Iran", "Iran-aligned militias"]}})
    {'Iran': 'Iran and aligned militias', 'Iran-aligned militias': 'Iran and aligned militias'}
    """
    return _read(source)[1]


def _read(source: SidesLike) -> tuple[dict[str, str], dict[str, str]]:
    if source is None:
        return {}, {}
    if isinstance(source, Mapping):
        return _split(dict(source), "sides mapping")
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
        return _split(data, str(path))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV sides file ({exc})") from None
    if table.shape[1] not in (2, 3):
        raise DataError(f"{path}: a sides CSV has two columns, name,side (and a third, camp); found {table.shape[1]}")
    names, sides = table.iloc[:, 0].str.strip(), table.iloc[:, 1].str.strip()
    empty = (names == "") | (sides == "")
    if empty.any():
        row = int(empty.to_numpy().argmax()) + 2
        raise DataError(f"{path}, row {row}: empty name or side")
    camps: dict[str, str] = {}
    if table.shape[1] == 3:
        for row, (side, camp) in enumerate(zip(sides, table.iloc[:, 2].str.strip(), strict=True), start=2):
            if camp and camps.setdefault(side, camp) != camp:
                raise DataError(f"{path}, row {row}: side {side!r} is put in camp {camp!r} and {camps[side]!r}")
    return _checked(dict(zip(names, sides, strict=True)), str(path)), camps


def _split(data: Mapping[Any, Any], where: str) -> tuple[dict[str, str], dict[str, str]]:
    """A JSON object or mapping: names -> sides, and an optional ``"camps"`` object of camp -> [sides]."""
    data = dict(data)
    groups = data.pop("camps", None)
    camps: dict[str, str] = {}
    if groups is not None:
        if not isinstance(groups, dict):
            raise DataError(f'{where}: "camps" must be an object {{"camp": ["side", ...]}}')
        for camp, members in groups.items():
            if not isinstance(members, list) or not all(isinstance(m, str) and m.strip() for m in members):
                raise DataError(f"{where}: camp {camp!r} must list its sides as strings, got {members!r}")
            for side in (m.strip() for m in members):
                if camps.setdefault(side, str(camp).strip()) != str(camp).strip():
                    raise DataError(f"{where}: side {side!r} is in two camps, {camps[side]!r} and {camp!r}")
    return _checked({str(k).strip(): v for k, v in data.items()}, where), camps


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
