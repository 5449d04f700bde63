"""One time vocabulary: durations, periods and time units, and the event-time keys every analysis orders by.

Everything a user types about time goes through here, so that it means the same in every function and
on the command line:

- a **duration** (``window``, ``calm``) is a Timedelta string (``"30D"``, ``"12h"``, ``"2W"``), a Timedelta,
  or a bare number of days (``30`` or ``"30"``: pandas alone reads the string ``"30"`` as 30 nanoseconds);
- a **period** of a count series (``freq``) is a pandas alias: ``"D"``, ``"W"`` (``"W-SUN"``), or a month as
  ``"M"``, ``"MS"`` or ``"ME"``;
- a **time unit** of a Hawkes model (``time_unit``) is a duration of one day, one hour or one week, written
  like any duration (``"D"``, ``"1h"``, ``"W"``, ``1``).

The keys below are in seconds: an event without a clock time could have happened at any hour of its
day, so it is never ordered before or after another event of the same day.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError

if TYPE_CHECKING:
    from ..events.table import Events

NS_PER_S = 1_000_000_000
DAY_S = 86_400

#: Canonical period codes and their names (pandas period aliases).
PERIODS = {"D": "day", "W": "week", "M": "month"}
_PERIOD_ALIASES = {"D": "D", "1D": "D", "W": "W", "1W": "W", "W-SUN": "W", "M": "M", "1M": "M", "MS": "M",
                   "ME": "M", "1MS": "M", "1ME": "M"}  # fmt: skip

#: Canonical Hawkes time units and their length in days.
UNIT_DAYS = {"D": 1.0, "h": 1 / 24, "W": 7.0}
_UNIT_NAMES = {"D": "day", "h": "hour", "W": "week"}


def parse_window(window: str | pd.Timedelta | float | int, name: str = "window") -> pd.Timedelta:
    """``"30D"``, ``"12h"``, a Timedelta, or a number of days (``30`` or ``"30"``: a bare number is days).

    >>> parse_window("30"), parse_window("12h")
    (Timedelta('30 days 00:00:00'), Timedelta('0 days 12:00:00'))
    """
    if isinstance(window, str) and re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)\s*", window):
        window = float(window)
    try:
        value = pd.Timedelta(days=window) if isinstance(window, int | float) else pd.Timedelta(window)
    except (TypeError, ValueError, OverflowError):
        raise UsageError(f"{name} {window!r} is not a duration (e.g. 30D, 12h, 2W)") from None
    if pd.isna(value) or value <= pd.Timedelta(0):
        raise UsageError(f"{name} must be positive, got {window!r}")
    return value


def parse_freq(freq: Any, name: str = "freq") -> str:
    """The period code (``"D"``, ``"W"`` or ``"M"``) of a pandas alias for a day, a week or a month.

    >>> parse_freq("MS"), parse_freq("W-SUN"), parse_freq("D")
    ('M', 'W', 'D')
    """
    code = _PERIOD_ALIASES.get(str(freq).strip().upper() if isinstance(freq, str) else "")
    if code is None:
        raise UsageError(f"{name} must be a day (D), a week (W) or a month (M, MS or ME), got {freq!r}")
    return code


def parse_time_unit(unit: Any, name: str = "time_unit") -> str:
    """The unit code (``"D"``, ``"h"`` or ``"W"``) of a duration of one day, one hour or one week.

    >>> parse_time_unit("1h"), parse_time_unit(1), parse_time_unit("7D"), parse_time_unit("W")
    ('h', 'D', 'W', 'W')
    """
    if isinstance(unit, str) and unit.strip()[:1].isalpha():
        unit = "1" + unit.strip()  # "D", "h", "W": one of them
    try:
        length = parse_window(unit, name)
    except UsageError:
        length = None
    for code, days in UNIT_DAYS.items():
        if length is not None and length == pd.Timedelta(days=days):
            return code
    raise UsageError(f"{name} must be one day (D), one hour (h) or one week (W), got {unit!r}")


def unit_length(code: str) -> pd.Timedelta:
    """One time unit as a Timedelta."""
    return pd.Timedelta(days=1) * UNIT_DAYS[code]


def unit_name(code: str) -> str:
    """``"day"``, ``"hour"`` or ``"week"``."""
    return _UNIT_NAMES[code]


def event_times(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nanosecond timestamps, their day starts, and whether a clock time is known."""
    ns = frame["date"].to_numpy("datetime64[ns]").view(np.int64)
    return ns, ns - ns % (DAY_S * NS_PER_S), frame["has_time"].to_numpy(bool)


def order_keys(times: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Keys in seconds: event u is earlier than v exactly when ``as_earlier[u] < as_later[v]``.

    An event without a clock time could have happened at any hour of its day:
    as the earlier of two events it takes its day's last second, as the later one
    its day's first, so it is never ordered against another event of the same day.
    """
    ns, _, has_time = times
    seconds = ns // NS_PER_S
    day = seconds - seconds % DAY_S
    return np.where(has_time, seconds, day + DAY_S - 1), seconds


def intervals(times: tuple[np.ndarray, np.ndarray, np.ndarray], trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    """Days from trigger to response: exact when both times are known, whole days otherwise."""
    ns, day, has_time = times
    both = has_time[trig] & has_time[resp]
    exact = ns[resp] - ns[trig]
    whole = day[resp] - day[trig]
    return np.where(both, exact, whole) / (DAY_S * NS_PER_S)


def sorted_frame(events: Events) -> pd.DataFrame:
    """The events' table in time order (by date, then ``event_id``)."""
    frame = events.frame
    # Events keeps its frame sorted; a hand-made Events may not be.
    dates = frame["date"].to_numpy("datetime64[ns]")
    if len(frame) > 1 and not (dates[1:] >= dates[:-1]).all():
        frame = frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    return frame
