"""A background rate that changes by period: piecewise constant, one rate per side and period.

A constant background cannot follow a long conflict's phases (an intifada, a ceasefire, a war): the
excitation terms then absorb the slow rise and fall and the fit looks near-explosive (B'Tselem side-days,
KS p ~ 1e-31). With ``background="YS"`` (any pandas frequency alias, or a list of break dates) each side
has one background rate per period; the excitation then describes what happens within periods.

The likelihood stays concave in the rates for a fixed decay: the background column of the design becomes
one indicator column per period, and its compensator term the period's length (per day: its number of
days).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._core.time import unit_length
from ...errors import UsageError


def period_starts(spec: str | Sequence[Any] | None, origin: pd.Timestamp, end: float, time_unit: str) -> np.ndarray:
    """Start of every period in ``time_unit`` from ``origin`` (the first is 0); one period when ``spec`` is None."""
    if spec is None or (isinstance(spec, str) and spec == "constant"):
        return np.array([0.0])
    unit = unit_length(time_unit)
    stop = origin + end * unit
    if isinstance(spec, str):
        try:
            step = pd.tseries.frequencies.to_offset(spec)
        except (ValueError, TypeError):
            step = None
        # a period shorter than a day ("1ns") would make 10^17 of them: one background rate per day at most
        if isinstance(step, pd.offsets.Tick) and pd.Timedelta(step) < pd.Timedelta(days=1):
            raise UsageError(f"background periods must be at least a day long, got {spec!r} (e.g. 'QS', '6MS')")
        try:
            breaks = pd.date_range(origin, stop, freq=spec)
        except (ValueError, TypeError):
            raise UsageError(
                f"background must be 'constant', a pandas frequency such as 'YS', 'QS' or '6MS', or a list of "
                f"dates; got {spec!r}"
            ) from None
    else:
        try:
            breaks = pd.DatetimeIndex([pd.Timestamp(b) for b in spec])
        except (ValueError, TypeError):
            raise UsageError(f"background break dates must be dates, got {list(spec)!r}") from None
    inside = np.sort(((breaks - origin) / unit).to_numpy(dtype=float))
    inside = inside[(inside > 0) & (inside < end)]
    return np.r_[0.0, np.unique(inside)]


def period_index(starts: np.ndarray, times: np.ndarray) -> np.ndarray:
    """The period of each time."""
    return np.maximum(np.searchsorted(starts, np.asarray(times, dtype=float), side="right") - 1, 0)


def period_lengths(starts: np.ndarray, end: float, daily: bool) -> np.ndarray:
    """Length of every period (per day: the number of whole days in it)."""
    if daily:
        return np.bincount(period_index(starts, np.arange(round(end))), minlength=len(starts)).astype(float)
    return np.diff(np.r_[starts, end])


def with_background(
    x: np.ndarray, comp: np.ndarray, row_periods: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Replace the design's constant column by one indicator per period, and its compensator by the lengths."""
    indicators = (row_periods[:, None] == np.arange(len(lengths))[None, :]).astype(float)
    return np.column_stack([indicators, x[:, 1:]]), np.r_[lengths, comp[1:]]


def rates_at(background: np.ndarray, starts: np.ndarray, times: np.ndarray) -> np.ndarray:
    """``(len(times), D)``: each side's background rate at each time."""
    return background[period_index(starts, times)]


def integral_to(background: np.ndarray, starts: np.ndarray, times: np.ndarray) -> np.ndarray:
    """``(len(times), D)``: each side's background integrated from 0 to each time."""
    widths = np.diff(starts)  # the whole periods before the last
    done = np.vstack([np.zeros((1, background.shape[1])), np.cumsum(background[:-1] * widths[:, None], axis=0)])
    p = period_index(starts, times)
    return done[p] + background[p] * (np.asarray(times, dtype=float) - starts[p])[:, None]


#: Rounds of stochastic declustering that re-estimate a tide background from the events it explains.
TIDE_ROUNDS = 3
#: The least background a day keeps, as a share of the mean.
SHAPE_FLOOR = 1e-3


def smooth_shape(
    days: np.ndarray, dims: np.ndarray, weights: np.ndarray, n_dims: int, n_days: int, tide_days: float
) -> np.ndarray:
    """``(n_days, n_dims)``: each dimension's background shape, mean one over the days.

    The weighted events of each dimension per day (weights: the probability that each came from the
    background), smoothed with a Gaussian kernel whose standard deviation is the tide (mirrored at the ends of
    the data); a dimension without events gets a flat shape. This is the kernel background of stochastic
    declustering (Zhuang, Ogata & Vere-Jones 2002), one per dimension, in time only.
    """
    from scipy.ndimage import gaussian_filter1d

    counts = np.zeros((n_days, n_dims))
    np.add.at(counts, (np.asarray(days, np.int64), np.asarray(dims, np.int64)), weights)
    smooth = gaussian_filter1d(counts, sigma=tide_days, axis=0, mode="reflect", truncate=4.0)
    mean = smooth.mean(axis=0)
    flat = ~(mean > 0)
    smooth[:, flat], mean[flat] = 1.0, 1.0
    # a floor: a day far from any event keeps a little background (the likelihood needs it positive)
    return np.maximum(smooth / mean, SHAPE_FLOOR)


def shape_integral(shape: np.ndarray, end_days: float) -> np.ndarray:
    """Each column of a per-day ``shape`` integrated over ``[0, end_days)`` (in days)."""
    whole = int(np.floor(end_days))
    total = shape[:whole].sum(axis=0)
    if end_days > whole and whole < len(shape):
        total = total + shape[whole] * (end_days - whole)
    return total
