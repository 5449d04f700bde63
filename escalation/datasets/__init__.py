"""Bundled, sourced event datasets.

Every row of a bundled dataset carries a ``source`` (outlet and date, and a
URL where one was checked); ``README.md`` beside this file describes the
columns and how the data were compiled.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .._core.vocabulary import Format
from ..errors import UsageError
from ..events.table import Events
from ..io import ReadOptions, read_events

__all__ = ["iraq_2019_2021_paths", "load_iraq_2019_2021", "load_or_read"]

_PACKAGE = "escalation.datasets"


def iraq_2019_2021_paths() -> tuple[Path, Path]:
    """Paths of the bundled US / Iran / Iraqi-militia event CSV and its sides JSON."""
    root = resources.files(_PACKAGE)
    return Path(str(root / "iraq_2019_2021.csv")), Path(str(root / "iraq_2019_2021_sides.json"))


def load_iraq_2019_2021() -> Events:
    """The US / Iran / Iraqi-militia escalation, December 2019 to December 2021.

    62 events from public reporting (Reuters, AP, AFP, US DoD and CENTCOM
    statements and others), each with its sources and ``attribution``; the
    statements that make a link *stated* are in ``responds_to`` and quoted in
    ``link_basis``. Sides: *United States*, *Iran*,
    *Iran-aligned militias* and *Iraq* (the government).

    Examples
    --------
    >>> from escalation.datasets import load_iraq_2019_2021
    >>> ev = load_iraq_2019_2021()
    >>> ev.n_accepted
    62
    >>> ev.frame.loc[ev.frame["event_type"] == "targeted killing", "date"].dt.date.tolist()
    [datetime.date(2020, 1, 3)]
    """
    data, sides = iraq_2019_2021_paths()
    events = read_events(data, sides=sides)
    events.provenance["dataset"] = "iraq_2019_2021"  # type: ignore[index]
    return events


def load_or_read(
    data: str | os.PathLike[str] | None = None,
    *,
    sides: str | os.PathLike[str] | Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    format: Format = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
    incident_keys: Sequence[str] | None = None,
    **reading: Any,
) -> Events:
    """Read ``data`` like :func:`escalation.read_events`, or load the bundled dataset when it is None.

    With ``data=None``, ``sides`` replaces the bundled sides file; the other
    options (``reading``: ``dayfirst``, ``delimiter``, ``sheet``, ... as for ``read_events``)
    describe a file and need one.
    """
    options = ReadOptions(sides=sides, columns=columns, format=format, per_victim=per_victim, encoding=encoding,
                          incident_keys=incident_keys, **reading)  # fmt: skip
    if data is None:
        if options.describes_a_file():
            raise UsageError("columns, per_victim, format and the reading options describe a data file; give one")
        if sides is None:
            return load_iraq_2019_2021()
        events = read_events(iraq_2019_2021_paths()[0], sides=sides)
        events.provenance["dataset"] = "iraq_2019_2021"  # type: ignore[index]
        return events
    return read_events(data, **options.keywords())
