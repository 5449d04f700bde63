"""The exponential-kernel sums behind the Hawkes likelihood, vectorised.

For events at sorted times ``t`` with dimensions ``d`` and a decay ``beta``::

    R[k, j] = sum over earlier events l of dimension j of exp(-beta * (t_k - t_l))
    N[k, j] = number of earlier events of dimension j

"Earlier" is strictly earlier: simultaneous events do not excite each other.
The usual O(n) recursion ``R_k = exp(-beta dt) (R_{k-1} + e_{d_{k-1}})`` is a loop
over events; here the same sums are cumulative sums of ``exp(beta (t_l - c))``
within chunks of time short enough (``beta * width = 500``) that nothing
overflows, and the sums left by earlier chunks are carried forward by a linear
filter over the chunks. Nothing loops in Python, neither over events nor over
chunks (a loop over chunks cost a Python step per few events on sparse series).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import lfilter

_MAX_EXPONENT = 500.0


def excitation(
    times: np.ndarray,
    dims: np.ndarray,
    n_dims: int,
    beta: float,
    segments: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(R, N)`` as in the module docstring, each of shape ``(n, n_dims)``.

    ``weights`` (optional, one per event) scale each event's term in ``R`` (a marked process: an event
    excites in proportion to its weight); ``N`` still counts events.

    ``segments`` (optional, one integer per event): events of different segments never
    excite each other, as if each segment were its own process; events must then be
    sorted by segment, then time (the dyadic model puts each pair of sides in a segment
    and computes every pair in one call). Without it, ``times`` must be sorted.
    """
    n = len(times)
    r = np.zeros((n, n_dims))
    counts = np.zeros((n, n_dims))
    if n == 0:
        return r, counts
    times = np.asarray(times, float)
    index = np.arange(n)
    onehot = np.zeros((n, n_dims))
    onehot[index, dims] = 1.0
    seg = np.zeros(n, np.int64) if segments is None else np.asarray(segments, np.int64)
    new_seg = np.r_[True, seg[1:] != seg[:-1]]
    seg_start = np.maximum.accumulate(np.where(new_seg, index, 0))
    # first event with the same (segment, time): ties are not earlier than each other
    first_same = np.maximum.accumulate(np.where(new_seg | np.r_[True, times[1:] != times[:-1]], index, 0))
    # Counts of strictly earlier events of the segment: integer cumulative sums are exact, so subtract.
    inclusive = np.cumsum(onehot, axis=0)
    has = first_same > seg_start
    counts[has] = inclusive[first_same[has] - 1] - np.where(
        (seg_start[has] > 0)[:, None], inclusive[np.maximum(seg_start[has] - 1, 0)], 0.0
    )

    # Chunks of width 500 / beta: within one, exp(beta * x) cannot overflow. Chunks are numbered per
    # segment with two empty chunks between segments, so that nothing carries from one to the next.
    width = _MAX_EXPONENT / beta
    local = np.floor((times - times[seg_start]) / width).astype(np.int64)
    seg_rank = np.cumsum(new_seg) - 1
    chunk = seg_rank * (int(local.max()) + 3) + local
    x = times - (times[seg_start] + local * width)
    if weights is not None:
        onehot = onehot * np.asarray(weights, float)[:, None]
    grow = onehot * np.exp(beta * x)[:, None]
    # Sums within each chunk, inclusive (reset at each chunk: totals of other chunks are of other scales).
    within = pd.DataFrame(grow).groupby(chunk, sort=False).cumsum().to_numpy()
    chunk_start = np.maximum.accumulate(np.where(np.r_[True, chunk[1:] != chunk[:-1]], index, 0))
    inside = first_same > chunk_start
    before = np.zeros_like(within)
    before[inside] = within[first_same[inside] - 1]
    # What earlier chunks leave at the start of each chunk: carry[c] = a carry[c-1] + S[c-1], a = exp(-500).
    n_chunks = int(chunk.max()) + 1
    tail = onehot * np.exp(-beta * (width - x))[:, None]
    ends = np.zeros((n_chunks, n_dims))
    np.add.at(ends, chunk, tail)
    carry = lfilter([0.0, 1.0], [1.0, -np.exp(-_MAX_EXPONENT)], ends, axis=0)
    r = (carry[chunk] + before) * np.exp(-beta * x)[:, None]
    return r, counts


def daily_sums(
    days: np.ndarray, dims: np.ndarray, n_dims: int, n_days: int, beta: float, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per day and dimension, and their geometric-kernel sums over earlier days, each ``(n_days, n_dims)``.

    ``X[d, j] = sum_{k >= 1} (1 - q) q^(k-1) N[d - k, j]`` with ``q = exp(-beta)``: the
    discrete-time analogue of ``R`` for events dated to the day. The kernel sums to
    one, so an adjacency keeps its meaning (expected events set off per event), and
    lag 0 is excluded: events of the same day do not excite each other. One linear
    filter (``X[d] = q X[d-1] + (1-q) N[d-1]``) computes it without a loop. With ``weights`` (one per event),
    ``X`` sums the weights instead of the events (a marked process); the counts stay counts.
    """
    at = (np.asarray(days, np.int64), np.asarray(dims, np.int64))
    counts = np.zeros((n_days, n_dims))
    np.add.at(counts, at, 1.0)
    exciting = counts
    if weights is not None:
        exciting = np.zeros((n_days, n_dims))
        np.add.at(exciting, at, np.asarray(weights, float))
    q = np.exp(-beta)
    return counts, lfilter([0.0, 1.0 - q], [1.0, -q], exciting, axis=0)


def daily_design(
    counts: np.ndarray, sums: np.ndarray, dim: int, sources: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One dimension's daily likelihood terms: design rows ``(1, X[d, s] for s in sources)`` for the days it
    has events, their counts as weights, and the compensator coefficients ``(days, sum_d X[d, s])``.

    A source of ``-1`` is a column of zeros (a term the data cannot inform, e.g. a dyad with no reverse).
    """
    n_days = len(counts)
    cols = np.column_stack([sums[:, s] if s >= 0 else np.zeros(n_days) for s in sources])
    days = np.flatnonzero(counts[:, dim])
    return np.column_stack([np.ones(len(days)), cols[days]]), counts[days, dim], np.r_[n_days, cols.sum(axis=0)]


def geometric_kernel(lag: np.ndarray, beta: float) -> np.ndarray:
    """``g(k) = (1 - q) q^(k-1)`` for whole-day lags ``k >= 1``, 0 for same-day (``k < 1``)."""
    q = np.exp(-beta)
    return np.where(lag >= 1, (1 - q) * q ** np.maximum(lag - 1, 0), 0.0)


def compensator_terms(
    times: np.ndarray, dims: np.ndarray, n_dims: int, beta: float, end: float, weights: np.ndarray | None = None
) -> np.ndarray:
    """``G[j] = sum over events l of dimension j of w_l (1 - exp(-beta (end - t_l)))`` (``w_l = 1`` unmarked)."""
    left = -np.expm1(-beta * (end - times))
    return np.bincount(dims, weights=left if weights is None else left * weights, minlength=n_dims)


def slow_excitation(times: np.ndarray, dims: np.ndarray, n_dims: int, beta: float) -> np.ndarray:
    """O(n^2) reference for :func:`excitation` (tests only)."""
    n = len(times)
    r = np.zeros((n, n_dims))
    for k in range(n):
        earlier = times < times[k]
        np.add.at(r[k], dims[earlier], np.exp(-beta * (times[k] - times[earlier])))
    return r
