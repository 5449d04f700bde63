"""The tide: the one timescale that separates answering from shared slow changes, and the blocks it cuts.

Both sides of a conflict rise and fall together (offensives, seasons, ceasefires both keep). A null that
keeps those *tides* and breaks only the fine timing is what tells "they answer each other" from "they fight
in the same seasons". The tide is one duration (default :data:`DEFAULT_TIDE`, 14 days): time is cut into
consecutive blocks of that length, from the first day of the data, and every null of this package keeps
what happens at the scale of the blocks (how many actions each side took in each block, and the pattern of
its actions within the block up to a rotation) and breaks the alignment within a block. Answers are then
looked for within a quarter of the tide (:func:`answer_lag_days`, 3.5 days by default: up to 3 days later
for events dated to the day): an answer much slower than that cannot be told, by these nulls, from a shared
change of rate.

**Rotation within blocks.** Each block's days are rotated by a random whole number of days (the days that
pass the block's end come back at its start), independently from block to block. A rotation keeps a side's
count in every block exactly, its bursts (but the one the rotation cuts at the wrap), its day-of-week and
clock-time pattern (whole days move), and breaks its timing against the other side within the block. This
is interval jitter (Amarasingham, Harrison, Hatsopoulos & Geman 2012; Harrison & Geman 2009) with a
circular pattern kept inside each interval, which is what keeps a self-exciting side's own bursts (plain
interval jitter, which scatters every event on its own, rejected 13-14% of true nulls at 5% in the issue's
feasibility check). The rotation of a block of length ``b`` by ``u`` days moves its day ``d`` (counted from
the block's start) to ``(d + u) mod b``.

Why whole days and a fixed grid: date-only data stay date-only, same-day events stay same-day, and the
conditional null ("given each side's pattern at the scale of the blocks") is one well-defined set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._core.time import parse_window
from ..errors import UsageError

#: The default tide: changes of rate slower than two weeks are kept by every null; answers are looked for
#: within 3.5 days. Chosen on the simulation study in ``benchmarks/tides.py`` (docs/statistics.md): 21- and
#: 28-day blocks let 90-180 day surges through (up to 11% and 13.5% at 5%), 14-day blocks held them.
DEFAULT_TIDE = pd.Timedelta(days=14)
_DAY_S = 86_400


def parse_tide(tide: str | pd.Timedelta | float | None, name: str = "tide") -> pd.Timedelta:
    """The tide as a whole number of days, at least 2 (``None``: :data:`DEFAULT_TIDE`; a number is days).

    >>> parse_tide("3W"), parse_tide(None)
    (Timedelta('21 days 00:00:00'), Timedelta('14 days 00:00:00'))
    """
    if tide is None:
        return DEFAULT_TIDE
    value = parse_window(tide, name)
    days = value / pd.Timedelta(days=1)
    if days != int(days) or days < 2:
        raise UsageError(f"{name} must be a whole number of days, at least 2 (e.g. 14D, 3W), got {tide!r}")
    return value


#: Answers are looked for within this share of the tide. A rotation within a block of length ``b`` keeps
#: a pair ``l`` days apart within ``l`` days in about ``l / b`` of the draws, so the answer lag must be short
#: beside the tide for the null to break the answers it tests: at half the tide a tit-for-tat exchange
#: (answers 0.45, mean delay 2 days) was found in 30-40% of histories, at a quarter in all of them
#: (``benchmarks/tides.py``).
ANSWER_SHARE = 0.25


def answer_lag_days(tide: pd.Timedelta, window: pd.Timedelta | None = None) -> float:
    """How soon after a trigger an action counts as a possible answer in the tide-keeping tests: a quarter
    of the tide (3.5 days for 14), or the window when it is shorter."""
    lag = tide / pd.Timedelta(days=1) * ANSWER_SHARE
    return lag if window is None else min(lag, window / pd.Timedelta(days=1))


def tide_words(tide: pd.Timedelta, window: pd.Timedelta | None = None) -> str:
    """The timescale a tide-keeping test speaks of, in words: "within 3.5 days, beyond what shared changes
    slower than 14 days give"."""
    lag = answer_lag_days(tide, window)
    return (f"within {lag:g} days, beyond what shared changes slower than "
            f"{tide / pd.Timedelta(days=1):g} days give")  # fmt: skip


@dataclass(frozen=True)
class Blocks:
    """Consecutive blocks of ``length`` days from day ``start`` (days since the epoch); the last one may be
    shorter, so that no block reaches past the last day of the data."""

    start: int
    length: int
    n_days: int

    @classmethod
    def covering(cls, day_s: np.ndarray, tide: pd.Timedelta) -> Blocks:
        """Blocks of the tide over the days of ``day_s`` (seconds at each event's day start)."""
        length = int(tide / pd.Timedelta(days=1))
        if not len(day_s):
            return cls(0, length, 1)
        first, last = int(day_s.min()) // _DAY_S, int(day_s.max()) // _DAY_S
        return cls(first, length, last - first + 1)

    @property
    def count(self) -> int:
        return -(-self.n_days // self.length)

    def of(self, day_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each day's block, its place in the block (days) and the block's length, as int64."""
        day = day_s // _DAY_S - self.start
        block = day // self.length
        return block, day - block * self.length, np.minimum(self.length, self.n_days - block * self.length)

    def draw(self, draws: int, rng: np.random.Generator) -> np.ndarray:
        """``(draws, blocks)`` rotations, each uniform over its block's days."""
        lengths = np.minimum(self.length, self.n_days - np.arange(self.count) * self.length)
        return (rng.random((draws, self.count)) * lengths).astype(np.int64)


def rotated(place: np.ndarray, length: np.ndarray, turn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days moved by a rotation of their blocks (``turn`` per day), in seconds, and whether each wrapped.

    ``place`` is the day's place in its block and ``length`` the block's length (:meth:`Blocks.of`).
    """
    moved = place + turn
    wraps = moved >= length
    return (np.where(wraps, moved - length, moved) - place) * _DAY_S, wraps


def rotate_days(day_s: np.ndarray, blocks: Blocks, turns: np.ndarray) -> np.ndarray:
    """``day_s`` (seconds) with every block rotated by its ``turns`` entry: the plain reading of the null."""
    block, place, length = blocks.of(day_s)
    return day_s + rotated(place, length, turns[block])[0]
