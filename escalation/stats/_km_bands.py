"""Kaplan-Meier bands that respect shared answers, and the curve chance alone gives.

**Cluster bootstrap.** One response "answers" every earlier event of the other side within the window, so
the events a single response answers are not independent subjects: Greenwood's bands (and the log-rank
test) treat them as if they were and come out too narrow. The bands here resample *clusters*: the events
answered by one response form one cluster, each unanswered (censored) event its own; each replicate draws
clusters with replacement and recomputes the curve, and the band is the 2.5 and 97.5 percentiles per time.
The weighted Kaplan-Meier of every replicate is one matrix product (no loop over events).

**Chance curve.** The same measure on the responding side's series shifted in time (the circular shifts of
:mod:`escalation.baseline`): how fast "an answer" comes when no answer can exist. Only events whose whole
window lies before the end of observation are used, so no event is censored before the window and the
curve is the share still unanswered ``t`` days after the event.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def cluster_bootstrap_bands(
    duration: np.ndarray,
    answered: np.ndarray,
    cluster: np.ndarray,
    times: np.ndarray,
    *,
    draws: int = 199,
    seed: int = 0,
    alpha: float = 0.05,
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


def _unanswered_share(init: Any, resp: Any, grid: np.ndarray, interval_days: Any) -> np.ndarray:
    """Share of ``init``'s events with no ``resp`` event within ``t`` days, for each ``t`` of ``grid``."""
    order = np.argsort(resp.later, kind="stable")
    pos = np.searchsorted(resp.later[order], init.earlier, side="right")
    found = pos < len(order)
    cand = order[np.minimum(pos, len(order) - 1)]
    wait = np.where(found, interval_days(init, np.arange(len(init.earlier)), resp, cand), np.inf)
    return (wait[:, None] > grid[None, :]).mean(axis=0)


def chance_curves(
    frame: pd.DataFrame, window_days: float, end: pd.Timestamp, *, draws: int = 199, seed: int = 0
) -> pd.DataFrame:
    """Per direction: the share of events still unanswered ``t`` whole days on, under shifts of the responder.

    Columns: ``group`` ("B answering A"), ``time`` (0, 1, ... days up to the window), ``survival`` (mean over
    the shifts), ``lower``, ``upper`` (2.5 and 97.5 percentiles), ``observed`` (the same share without a
    shift, on the same events), ``events``.
    """
    from ..baseline import _DAY_S, _directions, _interval_days, _offsets, _whole_window

    directions, series, start, period = _directions(frame)
    rng = np.random.default_rng(seed)
    offsets = _offsets(period // _DAY_S, window_days, draws, rng) * _DAY_S
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    grid = np.arange(0, int(np.floor(window_days)) + 1, dtype=float)
    parts = []
    for init_side, resp_side in directions:
        init, resp = _whole_window(series[(init_side, resp_side)], window_days, end_s), series[(resp_side, init_side)]
        if init is None:
            continue

        observed = _unanswered_share(init, resp, grid, _interval_days)
        shifted = np.array([_unanswered_share(init, resp.shifted(int(s), start, period), grid, _interval_days)
                            for s in offsets])  # fmt: skip
        parts.append(pd.DataFrame({
            "group": f"{resp_side} answering {init_side}", "time": grid, "survival": shifted.mean(axis=0),
            "lower": np.percentile(shifted, 2.5, axis=0), "upper": np.percentile(shifted, 97.5, axis=0),
            "observed": observed, "events": len(init.earlier),
        }))  # fmt: skip
    columns = ["group", "time", "survival", "lower", "upper", "observed", "events"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
