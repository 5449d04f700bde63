"""The exponential-kernel sums behind the Hawkes likelihood, vectorised.

For events at sorted times ``t`` with dimensions ``d`` and a decay ``beta``::

    R[k, j] = sum over earlier events l of dimension j of exp(-beta * (t_k - t_l))
    N[k, j] = number of earlier events of dimension j

"Earlier" is strictly earlier: simultaneous events do not excite each other.
The usual O(n) recursion ``R_k = exp(-beta dt) (R_{k-1} + e_{d_{k-1}})`` is a loop
over events; here the same sums are cumulative sums of ``exp(beta (t_l - t0))``
inside blocks short enough (``beta * span <= 500``) that nothing overflows, with
the sum from earlier blocks carried forward. The loop is over blocks, not events.
"""

from __future__ import annotations

import numpy as np

_MAX_EXPONENT = 500.0


def excitation(times: np.ndarray, dims: np.ndarray, n_dims: int, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """``(R, N)`` as in the module docstring, each of shape ``(n, n_dims)``."""
    n = len(times)
    r = np.zeros((n, n_dims))
    counts = np.zeros((n, n_dims))
    if n == 0:
        return r, counts
    onehot = np.zeros((n, n_dims))
    onehot[np.arange(n), dims] = 1.0
    # Counts of strictly earlier events: inclusive cumulative count up to the last smaller time.
    inclusive = np.cumsum(onehot, axis=0)
    first_same = np.searchsorted(times, times, side="left")
    counts[first_same > 0] = inclusive[first_same[first_same > 0] - 1]

    carry = np.zeros(n_dims)  # sum_{l before block} exp(-beta (t0 - t_l)), at the block start t0
    start = 0
    span = _MAX_EXPONENT / beta
    while start < n:
        t0 = times[start]
        end = max(int(np.searchsorted(times, t0 + span, side="right")), start + 1)
        x = times[start:end] - t0
        grow = np.exp(beta * x)
        cum = np.cumsum(onehot[start:end] * grow[:, None], axis=0)
        same = np.searchsorted(x, x, side="left")
        before = np.zeros_like(cum)
        before[same > 0] = cum[same[same > 0] - 1]
        shrink = np.exp(-beta * x)[:, None]
        r[start:end] = (carry[None, :] + before) * shrink
        if end < n:
            step = np.exp(-beta * (times[end] - t0))
            carry = (carry + cum[-1]) * step
        start = end
    return r, counts


def daily_sums(
    days: np.ndarray, dims: np.ndarray, n_dims: int, n_days: int, beta: float
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per day and dimension, and their geometric-kernel sums over earlier days, each ``(n_days, n_dims)``.

    ``X[d, j] = sum_{k >= 1} (1 - q) q^(k-1) N[d - k, j]`` with ``q = exp(-beta)``: the
    discrete-time analogue of ``R`` for events dated to the day. The kernel sums to
    one, so an adjacency keeps its meaning (expected events set off per event), and
    lag 0 is excluded: events of the same day do not excite each other. One linear
    filter (``X[d] = q X[d-1] + (1-q) N[d-1]``) computes it without a loop.
    """
    from scipy.signal import lfilter

    counts = np.zeros((n_days, n_dims))
    np.add.at(counts, (np.asarray(days, np.int64), np.asarray(dims, np.int64)), 1.0)
    q = np.exp(-beta)
    return counts, lfilter([0.0, 1.0 - q], [1.0, -q], counts, axis=0)


def geometric_kernel(lag: np.ndarray, beta: float) -> np.ndarray:
    """``g(k) = (1 - q) q^(k-1)`` for whole-day lags ``k >= 1``, 0 for same-day (``k < 1``)."""
    q = np.exp(-beta)
    return np.where(lag >= 1, (1 - q) * q ** np.maximum(lag - 1, 0), 0.0)


def compensator_terms(times: np.ndarray, dims: np.ndarray, n_dims: int, beta: float, end: float) -> np.ndarray:
    """``G[j] = sum over events l of dimension j of (1 - exp(-beta (end - t_l)))``."""
    return np.bincount(dims, weights=-np.expm1(-beta * (end - times)), minlength=n_dims)


def slow_excitation(times: np.ndarray, dims: np.ndarray, n_dims: int, beta: float) -> np.ndarray:
    """O(n^2) reference for :func:`excitation` (tests only)."""
    n = len(times)
    r = np.zeros((n, n_dims))
    for k in range(n):
        earlier = times < times[k]
        np.add.at(r[k], dims[earlier], np.exp(-beta * (times[k] - times[earlier])))
    return r
