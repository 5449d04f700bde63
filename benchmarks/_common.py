"""Shared benchmark helpers: synthetic event tables and a peak-memory sampler."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from escalation import Events
from escalation.events.schema import TEXT_DTYPE, order_columns

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """Resident memory of this process now (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def measure(fn: Callable[[], Any], interval: float = 0.005) -> tuple[Any, float, int]:
    """Run ``fn``; return (result, seconds, peak extra resident bytes above the start)."""
    start_rss = rss_bytes()
    peak = [start_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes())
            time.sleep(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    done.set()
    thread.join()
    peak[0] = max(peak[0], rss_bytes())
    return result, seconds, peak[0] - start_rss


def synthetic_events(n: int, n_sides: int = 200, years: float = 10.0, seed: int = 0) -> Events:
    """``n`` events among ``n_sides`` sides (about n_sides**2 directed dyads) in bursts.

    Dyads are drawn with Zipf-like weights (a few busy dyads, a long tail);
    events come in bursts: burst centres spread over ``years``, events within
    a burst exponentially spaced (mean 2 days), a third of them with clock times.
    """
    rng = np.random.default_rng(seed)
    n_dyads = n_sides * (n_sides - 1) // 2
    weights = 1.0 / np.arange(1, n_dyads + 1) ** 0.8
    dyad = rng.choice(n_dyads, size=n, p=weights / weights.sum())
    # Unordered dyad index -> (i, j), i < j.
    i = (n_sides - 0.5 - np.sqrt((n_sides - 0.5) ** 2 - 2 * dyad)).astype(np.int64)
    j = dyad - i * (2 * n_sides - i - 1) // 2 + i + 1
    flip = rng.random(n) < 0.5
    actor, target = np.where(flip, j, i), np.where(flip, i, j)
    n_bursts = max(1, n // 20)
    centre = rng.uniform(0, years * 365.25, size=n_bursts)
    day = centre[rng.integers(0, n_bursts, size=n)] + rng.exponential(2.0, size=n)
    timed = rng.random(n) < 0.33
    seconds = np.where(timed, np.floor(day * 86400), np.floor(day) * 86400).astype(np.int64)
    dates = pd.Timestamp("2010-01-01").value + seconds * 1_000_000_000
    names = pd.Index([f"side{k:03d}" for k in range(n_sides)])
    sides = pd.Categorical.from_codes(np.r_[actor, target], categories=names)
    types = pd.Categorical.from_codes(
        rng.integers(0, 4, size=n), ["rocket attack", "airstrike", "armed clash", "threat"]
    )
    frame = pd.DataFrame(
        {
            "event_id": pd.array(np.char.add("e", np.arange(n).astype("U10")), dtype=TEXT_DTYPE),
            "date": pd.to_datetime(dates),
            "has_time": timed,
            "actor": sides[:n],
            "target": sides[n:],
            "actor_side": sides[:n],
            "target_side": sides[n:],
            "event_type": types,
            "latitude": np.nan,
            "longitude": np.nan,
            "fatalities": pd.array(rng.poisson(1.0, size=n), dtype="Int64"),
            "intensity": np.nan,
            "responds_to": pd.array([pd.NA] * n, dtype=TEXT_DTYPE)
            if n < 10
            else pd.Series(pd.NA, index=range(n), dtype=TEXT_DTYPE).array,
        }
    )
    frame = frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    return Events(frame=order_columns(frame), rejections=pd.DataFrame(columns=["row"]),
                  provenance={"file": "<synthetic>", "rows_read": n}, sides={})  # fmt: skip
