"""Histories with a known answer: two sides sharing slow tides, with their own bursts, answering or not.

Every test of "B answers A" is checked on data where the truth is known: both sides busier in the same
seasons, surges or wandering phases and nobody answering anybody (a test must say "no" about 5% of the time
at 5%), or one side answering the other (it must say "yes", and only in that direction). This is the
generator of those histories, seeded and vectorised per generation of the branching process:

- **background**: side ``i`` acts at ``rates[i] * tide(d)`` on day ``d``, at a uniform time within the day;
  ``tide`` is a shape with mean one shared by both sides: ``"flat"``, ``"season"`` (a yearly cycle,
  ``exp(0.8 sin(2 pi d / 365.25 + phase))``), ``"surge"`` (90-180 day surges at five times the calm rate,
  gaps of 30 days plus an exponential of mean 200), ``"wander"`` (a log-rate AR(1) with daily persistence
  0.99 and standard deviation 0.7), or your own array of one value per day;
- **own bursts**: every action sets off ``Poisson(self_excitation)`` further actions of its own side after
  exponential delays of mean ``self_delay`` days;
- **answers**: each action of the first side is answered by the second with probability ``answer``, after
  a gamma delay (``answer_delay``: shape and scale, mean 3 days and median 2.5 by default).

Examples
--------
>>> from escalation.chance.simulate import simulate_tides
>>> sim = simulate_tides(days=730, tide="season", seed=1)
>>> sorted(sim["actor"].unique()), bool(sim["cause"].eq("background").all())
(['A', 'B'], True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import UsageError

TIDES = ("flat", "season", "surge", "wander")


def tide_shape(kind: str | Sequence[float] | np.ndarray, days: int, rng: np.random.Generator) -> np.ndarray:
    """One multiplier per day, with mean one (see the module docstring)."""
    if not isinstance(kind, str):
        shape = np.asarray(kind, dtype=float)
        if shape.shape != (days,) or not np.all(np.isfinite(shape)) or np.any(shape < 0) or not shape.sum() > 0:
            raise UsageError(f"a tide given as values needs {days} non-negative numbers, not all zero")
        return shape / shape.mean()
    d = np.arange(days)
    if kind == "flat":
        shape = np.ones(days)
    elif kind == "season":
        shape = np.exp(0.8 * np.sin(2 * np.pi * d / 365.25 + rng.uniform(0, 2 * np.pi)))
    elif kind == "surge":
        shape = np.ones(days)
        t = rng.exponential(150.0)
        while t < days:
            length = rng.uniform(90, 180)
            shape[int(t) : int(t + length)] = 5.0
            t += length + 30 + rng.exponential(200.0)
    elif kind == "wander":
        phi, sd = 0.99, 0.7
        from scipy.signal import lfilter

        noise = rng.normal(0.0, sd * np.sqrt(1 - phi**2), days)
        noise[0] = rng.normal(0.0, sd)
        shape = np.exp(lfilter([1.0], [1.0, -phi], noise))
    else:
        raise UsageError(f"tide must be one of {', '.join(TIDES)} or one value per day, got {kind!r}")
    return shape / shape.mean()


def simulate_tides(
    *,
    days: int = 1461,
    rates: tuple[float, float] = (0.15, 0.15),
    tide: str | Sequence[float] | np.ndarray = "flat",
    self_excitation: float = 0.0,
    self_delay: float = 1.5,
    answer: float = 0.0,
    answer_delay: tuple[float, float] = (2.0, 1.5),
    clock_times: bool = False,
    sides: tuple[str, str] = ("A", "B"),
    start: str = "2015-01-01",
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate two sides' actions against each other (see the module docstring).

    Returns a canonical event table: ``event_id, date`` (dates only, or with clock times), ``actor``,
    ``target`` (the other side), and the truth: ``cause`` (``background``, ``self`` or ``answer``),
    ``parent`` (the id of the action it answers or continues; empty for background actions).
    """
    if not 0 <= self_excitation < 1:
        raise UsageError(f"self_excitation must be in [0, 1), got {self_excitation}")
    if not 0 <= answer <= 1:
        raise UsageError(f"answer must be a probability, got {answer}")
    rng = np.random.default_rng(seed)
    shape = tide_shape(tide, days, rng)
    times, side = [], []
    for s in (0, 1):
        n = rng.poisson(rates[s] * shape)
        times.append(np.repeat(np.arange(days), n) + rng.random(int(n.sum())))
        side.append(np.full(int(n.sum()), s))
    t, sd = np.concatenate(times), np.concatenate(side)
    gen_index = np.arange(len(t))
    all_t, all_s, all_c, all_p = [t], [sd], [np.zeros(len(t), np.int8)], [np.full(len(t), -1)]
    offset = len(t)
    while len(t):
        k = rng.poisson(self_excitation, len(t))
        child_t = np.repeat(t, k) + rng.exponential(self_delay, int(k.sum()))
        child_s, child_p, child_c = np.repeat(sd, k), np.repeat(gen_index, k), np.ones(int(k.sum()), np.int8)
        answered = (sd == 0) & (rng.random(len(t)) < answer)
        ans_t = t[answered] + rng.gamma(answer_delay[0], answer_delay[1], int(answered.sum()))
        t = np.r_[child_t, ans_t]
        sd = np.r_[child_s, np.ones(int(answered.sum()), np.int64)]
        pa = np.r_[child_p, gen_index[answered]]
        ca = np.r_[child_c, np.full(int(answered.sum()), 2, np.int8)]
        keep = t < days
        t, sd, pa, ca = t[keep], sd[keep], pa[keep], ca[keep]
        gen_index = offset + np.arange(len(t))
        offset += len(t)
        for store, value in ((all_t, t), (all_s, sd), (all_c, ca), (all_p, pa)):
            store.append(value)
    t, sd, ca, pa = (np.concatenate(x) for x in (all_t, all_s, all_c, all_p))
    order = np.argsort(t, kind="stable")
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    ids = np.array([f"e{i}" for i in range(len(order))], dtype=object)
    stamp = pd.Timestamp(start) + pd.to_timedelta(np.round(t[order] * 86400), unit="s")
    names = np.asarray(sides, dtype=object)
    return pd.DataFrame(
        {
            "event_id": ids,
            "date": stamp.strftime("%Y-%m-%dT%H:%M:%S") if clock_times else stamp.strftime("%Y-%m-%d"),
            "actor": names[sd[order]],
            "target": names[1 - sd[order]],
            "cause": np.array(["background", "self", "answer"], dtype=object)[ca[order]],
            "parent": np.where(pa[order] >= 0, ids[rank[np.maximum(pa[order], 0)]], ""),
        }
    )
