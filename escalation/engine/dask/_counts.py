"""Daily, weekly and monthly counts per side or dyad on Dask: the input of reciprocity and Hawkes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..._core.keys import side_text
from ..._core.time import parse_freq
from ...errors import UsageError
from ._read import DaskEvents


def counts_by_period(
    events: DaskEvents | Any, *, freq: str = "D", by: str = "side", measure: str = "events"
) -> pd.DataFrame:
    """Events (or fatalities) per period and side-as-actor (or directed dyad), zero-filled: a small pandas table.

    The result is what :func:`escalation.stats.reciprocity.analysis.side_series` gives for the same data.
    """
    freq = parse_freq(freq)
    if by not in ("side", "dyad") or measure not in ("events", "fatalities"):
        raise UsageError("by must be side|dyad, measure events|fatalities")
    frame = events.frame if isinstance(events, DaskEvents) else events
    cols = ["date", "actor_side", "target_side", "fatalities"]
    small = frame[cols].map_partitions(
        _periodise, freq, by, measure, meta=_periodise(frame._meta[cols], freq, by, measure)
    )
    table = small.groupby(["period", "key"])["value"].sum().compute()
    wide = table.unstack(fill_value=0.0).sort_index()
    wide = wide[sorted(wide.columns)]
    full = pd.period_range(wide.index.min(), wide.index.max(), freq=freq)
    wide = wide.reindex(full, fill_value=0.0)
    wide.index.name = "period"
    wide.columns.name = "side" if by == "side" else "dyad"
    return wide


def _periodise(part: pd.DataFrame, freq: str, by: str, measure: str) -> pd.DataFrame:
    key = pd.Series(side_text(part["actor_side"]), index=part.index)
    if by == "dyad":  # a one-sided event belongs to no dyad
        key = (key + " -> " + side_text(part["target_side"])).where(part["target_side"].notna())
    value = part["fatalities"].astype("float64").fillna(0.0) if measure == "fatalities" else pd.Series(1.0, part.index)
    return pd.DataFrame({"period": part["date"].dt.to_period(freq), "key": key, "value": value})
