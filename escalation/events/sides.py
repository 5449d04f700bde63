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

A JSON file may also fix each side's **colour** in every figure, ``"colours": {"United States": "#CC79A7"}``
(hex ``#RRGGBB``; camps may have one too): then a side keeps its colour across reports of different data or
periods. Sides without one take the palette's colours, in order, that no fixed colour uses.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, UsageError

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


def read_colours(source: SidesLike) -> dict[str, str]:
    """The colour a sides JSON file (or mapping) fixes for a side or camp: ``{name: "#rrggbb"}``; empty
    without a ``"colours"`` object (a CSV sides file has none).

    Examples
    --------
    >>> read_colours({"Kata'ib Hezbollah": "Iran-aligned militias", "colours": {"United States": "#CC79A7"}})
    {'United States': '#cc79a7'}
    """
    return _read(source)[2]


_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def _read(source: SidesLike) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    if source is None:
        return {}, {}, {}
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
            data = json.loads(text, object_pairs_hook=_no_conflicts(path))
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
    conflicting = names.duplicated(keep=False) & ~pd.DataFrame({"n": names, "s": sides}).duplicated(keep=False)
    if conflicting.any():
        rows = [int(i) + 2 for i in conflicting.to_numpy().nonzero()[0]]
        raise DataError(f"{path}, rows {', '.join(map(str, rows))}: the name {names.iloc[rows[0] - 2]!r} is given two "
                        "sides; keep one row")  # fmt: skip
    camps: dict[str, str] = {}
    if table.shape[1] == 3:
        for row, (side, camp) in enumerate(zip(sides, table.iloc[:, 2].str.strip(), strict=True), start=2):
            if camp and camps.setdefault(side, camp) != camp:
                raise DataError(f"{path}, row {row}: side {side!r} is put in camp {camp!r} and {camps[side]!r}")
    return _checked(dict(zip(names, sides, strict=True)), str(path)), camps, {}


def _no_conflicts(path: Path) -> Any:
    """A JSON object hook that refuses one name given two different sides (``json`` keeps the last one)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out and out[key] != value:
                raise DataError(f"{path}: the name {key!r} is given twice, as {out[key]!r} and {value!r}; keep one")
            out[key] = value
        return out

    return hook


def _split(data: Mapping[Any, Any], where: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """A JSON object or mapping: names -> sides, an optional ``"camps"`` object of camp -> [sides] and an
    optional ``"colours"`` object of side (or camp) -> ``#rrggbb``."""
    data = dict(data)
    groups = data.pop("camps", None)
    fixed = data.pop("colours", None)
    colours: dict[str, str] = {}
    if fixed is not None:
        if not isinstance(fixed, dict):
            raise DataError(f'{where}: "colours" must be an object {{"side": "#rrggbb"}}')
        for name, colour in fixed.items():
            if not isinstance(colour, str) or not _HEX.fullmatch(colour.strip()):
                raise DataError(f"{where}: the colour of {name!r} must be a hex colour #rrggbb, got {colour!r}")
            colours[str(name).strip()] = colour.strip().lower()
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
    return _checked({str(k).strip(): v for k, v in data.items()}, where), camps, colours


def _checked(mapping: dict[str, object], where: str) -> dict[str, str]:
    for name, side in mapping.items():
        if not isinstance(side, str) or not side.strip() or not name:
            raise UsageError(f"{where}: side of {name!r} must be a non-empty string, got {side!r}")
        if name.startswith(PATTERN):
            try:
                re.compile(name[len(PATTERN) :])
            except re.error as exc:
                raise DataError(f"{where}: {name!r} is not a valid regular expression ({exc})") from None
    return {name: str(side).strip() for name, side in mapping.items()}


#: A key of a sides mapping that starts with this is a regular expression: ``"re:^Military Forces of Iraq"``.
PATTERN = "re:"


def apply_sides(frame: pd.DataFrame, sides: Mapping[str, str]) -> pd.DataFrame:
    """Add ``actor_side`` and ``target_side``: the mapped side, or the name itself.

    Exact names come first; a name no exact key lists takes the side of the first pattern (a ``re:`` key, in
    the mapping's order) that it contains (:func:`re.search`). Patterns are tried once per distinct name, not
    per row.

    >>> f = pd.DataFrame({"actor": ["Military Forces of Iraq (2020-)", "Police Forces of Iraq (2020-)"],
    ...                   "target": ["Kata'ib Hezbollah", None]})
    >>> apply_sides(f, {"re:Forces of Iraq": "Iraq", "Kata'ib Hezbollah": "militias"})["actor_side"].tolist()
    ['Iraq', 'Iraq']
    """
    out = frame.copy(deep=False)  # new columns only: the event columns are shared, not copied
    exact = {k: v for k, v in sides.items() if not k.startswith(PATTERN)}
    patterns = [(re.compile(k[len(PATTERN) :]), v) for k, v in sides.items() if k.startswith(PATTERN)]
    for column in ("actor", "target"):
        names = out[column]
        if not sides:
            out[f"{column}_side"] = names
            continue
        mapped = names.map(exact)
        if patterns:
            unmatched = names[mapped.isna() & names.notna()].unique()
            found = {}
            for name in unmatched:
                side = next((v for rx, v in patterns if rx.search(str(name))), None)
                if side is not None:
                    found[name] = side
            if found:
                mapped = mapped.fillna(names.map(found))
        out[f"{column}_side"] = mapped.astype(names.dtype).fillna(names)
    return out


_YEARS = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")
_STATE = re.compile(r"^(?:Military|Police) Forces of (?:the )?(.+?)(?:\s*\(\d{4}-(?:\d{4})?\).*)?$")


def draft_sides(names: pd.Series) -> dict[str, str]:
    """A first sides mapping for a user to edit: every actor and target name, with ACLED's conventions folded.

    ``Military Forces of Iraq (2020-)`` and ``Police Forces of Iraq (2020-)`` (any unit after them) become
    ``Iraq (state forces)``; a regime's years in brackets are dropped from other names (``Hezbollah (1982-)``
    -> ``Hezbollah``); every other name is its own side. The mapping lists every name, so that the user sees
    them all.

    >>> draft = draft_sides(pd.Series(["Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps",
    ...                                "Police Forces of Iran (1989-)", "Protesters (Iran)", "Hezbollah (1982-)"]))
    >>> sorted(set(draft.values()))
    ['Hezbollah', 'Iran (state forces)', 'Protesters (Iran)']
    """
    out: dict[str, str] = {}
    for name in sorted(pd.Series(names).dropna().astype(str).str.strip().unique()):
        if not name:
            continue
        state = _STATE.match(name)
        out[name] = f"{state.group(1).strip()} (state forces)" if state else (_YEARS.sub("", name).strip() or name)
    return out
