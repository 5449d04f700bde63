"""Kaplan-Meier bands that respect shared answers.

One response "answers" every earlier event of the other side within the window, so the events a single
response answers are not independent subjects: Greenwood's bands (and the log-rank test) treat them as if
they were and come out too narrow. The bands here resample *clusters*: the events answered by one response
form one cluster, each unanswered (censored) event its own; each replicate draws clusters with replacement
and recomputes the curve, and the band is the 2.5 and 97.5 percentiles per time. The weighted Kaplan-Meier
of every replicate is one matrix product (no loop over events).

The curve chance alone gives is in :mod:`escalation.chance.curves`.
"""

from __future__ import annotations

import numpy as np

from .._core.levels import DRAWS, LEVEL


def cluster_bootstrap_bands(
    duration: np.ndarray,
    answered: np.ndarray,
    cluster: np.ndarray,
    times: np.ndarray,
    *,
    draws: int = DRAWS,
    seed: int = 0,
    alpha: float = LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bands of the Kaplan-Meier survival at ``times``, resampling clusters of events."""
    duration = np.asarray(duration, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    codes, index = np.unique(np.asarray(cluster), return_inverse=True)
    rng = np.random.default_rng(seed)
    # draws x clusters: how often each cluster is drawn, then each event's weight
    counts = rng.multinomial(len(codes), np.full(len(codes), 1 / len(codes)), size=draws).astype(float)
    weights = counts[:, index]
    event_times = np.unique(duration[answered])
    if not len(event_times):  # nothing answered: the curve stays at 1 in every replicate
        ones = np.ones(len(np.asarray(times)))
        return ones, ones
    at_risk = weights @ (duration[:, None] >= event_times[None, :])
    deaths = weights @ ((duration[:, None] == event_times[None, :]) & answered[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(at_risk > 0, 1 - deaths / at_risk, 1.0)
    survival = np.cumprod(factor, axis=1)  # draws x event times
    # the step curve at each requested time: the last event time <= t
    pos = np.searchsorted(event_times, np.asarray(times, dtype=float), side="right") - 1
    at_times = np.where(pos[None, :] >= 0, survival[:, np.maximum(pos, 0)], 1.0)
    lower = np.percentile(at_times, 100 * alpha / 2, axis=0)
    upper = np.percentile(at_times, 100 * (1 - alpha / 2), axis=0)
    return lower, upper
