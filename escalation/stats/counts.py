"""A panel of counts for one's own models: events, deaths and injuries by side, dyad or place, per period.

Researchers feed tidy panels into their own regressions (peacesciencer's dyad-years, VIEWS' country-months).
:func:`counts` gives one row per unit and period, **zeros included** (every unit that appears in the data,
in every period from the first to the last), with the same reading, period and level as the analyses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.vocabulary import Level
from ..errors import DataError, UsageError

if TYPE_CHECKING:
    from ..events.table import Events

#: what ``by`` may name besides any column: the unit's columns in the panel
UNITS: dict[str, list[str]] = {
    "side": ["actor_side"],
    "target": ["target_side"],
    "dyad": ["actor_side", "target_side"],
}
#: ``freq`` -> pandas period code (a day, a week from Monday, a calendar month, a calendar year)
FREQS = {"D": "D", "W": "W", "M": "M", "MS": "M", "ME": "M", "Y": "Y", "YS": "Y", "YE": "Y", "A": "Y"}


def counts(
    events: Events | pd.DataFrame,
    *,
    by: str | Sequence[str] = "side",
    freq: str = "W",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    sides: Mapping[str, str] | str | None = None,
    level: Level = "side",
) -> pd.DataFrame:
    """Events, deaths and injuries per unit and period, zeros included.

    Parameters
    ----------
    events : Events or DataFrame
    by : {"side", "target", "dyad"} or column name(s)
        The unit: the acting side, the targeted side, the directed dyad (``actor_side``, ``target_side``;
        one-sided events have none and are left out), or any column (``"location"``, ``"country"``,
        ACLED's ``"admin1"``, several as a list). Events without a value for the unit are left out and
        counted in ``attrs["left_out"]``.
    freq : {"D", "W", "M", "Y"}
        The period: a day, a week (Monday to Sunday), a calendar month or year (pandas aliases ``MS``, ``ME``,
        ``YS`` are read as the month and the year).
    start, end : date, optional
        The first and last day of the panel (default: the data's first and last period); events outside are
        left out, and periods inside with no event are rows of zeros.
    sides : mapping or path, optional
        Re-map actors to sides first.
    level : {"side", "camp"}
        Sides as they are, or their camps (:meth:`escalation.Events.at_level`).

    Returns
    -------
    DataFrame
        ``period`` (the period's first day), the unit's columns, ``events``, ``fatalities`` (known deaths;
        ``fatalities_unknown`` events had no count), ``injuries`` and ``injuries_unknown``. With per-victim
        data each incident is one event and its deaths are its rows. ``attrs`` holds ``unit`` (what one
        event is), ``freq`` and ``left_out``.

    Examples
    --------
    >>> import escalation as esc
    >>> panel = esc.counts(esc.datasets.load_iraq_2019_2021(), by="dyad", freq="M")
    >>> int(panel["events"].sum()), len(panel) == panel["period"].nunique() * 8  # 8 dyads, every month
    (58, True)
    """
    from .._core.dates import parse_day
    from ..io._coerce import as_events

    code = count_freq(freq)
    ev = as_events(events, sides=sides).at_level(level)
    columns = _unit_columns(by, ev.frame)
    f = ev.frame
    first = parse_day(start, "start") if start is not None else None
    last = parse_day(end, "end") if end is not None else None
    if first is not None and last is not None and first > last:
        raise UsageError(f"start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")
    day = f["date"].dt.normalize()
    inside = np.ones(len(f), dtype=bool)
    if first is not None:
        inside &= (day >= first).to_numpy()
    if last is not None:
        inside &= (day <= last).to_numpy()
    has_unit = f[columns].notna().all(axis=1).to_numpy().copy()
    if by == "dyad":  # an event of a side against itself is no dyad
        has_unit &= (f["actor_side"].astype(object) != f["target_side"].astype(object)).to_numpy()
    kept = f[inside & has_unit]
    if kept.empty:
        raise DataError("no events to count" + (" in the period" if first is not None or last is not None else ""))
    period = kept["date"].dt.to_period(code)
    keys = [period.rename("period")] + [kept[c].astype(object).rename(c) for c in columns]
    measures = pd.DataFrame(
        {
            "events": 1,
            "fatalities": kept["fatalities"].fillna(0).astype("int64"),
            "fatalities_unknown": kept["fatalities"].isna().astype("int64"),
            "injuries": kept["injuries"].fillna(0).astype("int64"),
            "injuries_unknown": kept["injuries"].isna().astype("int64"),
        },
        index=kept.index,
    )
    table = measures.groupby(keys, sort=True).sum()
    periods = pd.period_range(
        period.min() if first is None else first.to_period(code),
        period.max() if last is None else last.to_period(code),
        freq=code,
    )
    units = kept[columns].astype(object).drop_duplicates().sort_values(columns)
    # every unit in every period: the zeros a panel needs (a unit is one that appears somewhere in the data)
    arrays = [periods.repeat(len(units))] + [np.tile(units[c].to_numpy(), len(periods)) for c in columns]
    grid = pd.MultiIndex.from_arrays(arrays, names=["period", *columns])
    panel = table.reindex(grid, fill_value=0).reset_index()
    panel["period"] = panel["period"].dt.start_time
    panel.attrs.update(unit=ev.unit, freq=code, left_out=int(len(f) - len(kept)))
    return panel


def count_freq(freq: Any, name: str = "freq") -> str:
    """The period code (``"D"``, ``"W"``, ``"M"``, ``"Y"``) of a panel's ``freq``, or a usage error naming it.

    >>> count_freq("MS"), count_freq("w")
    ('M', 'W')
    """
    code = FREQS.get(str(freq).strip().upper())
    if code is None:
        raise UsageError(f"{name} must be a day, week, month or year (D, W, M, Y), got {freq!r}")
    return code


def _unit_columns(by: str | Sequence[str], frame: pd.DataFrame) -> list[str]:
    if isinstance(by, str):
        if by in UNITS:
            return UNITS[by]
        named = [by]
    else:
        named = list(by)
    missing = [c for c in named if c not in frame.columns]
    if missing or not named:
        shown = ", ".join(str(c) for c in frame.columns if not str(c).startswith("_"))
        raise UsageError(f"by must be side, target, dyad or columns of the events ({shown}); got {by!r}")
    return named
