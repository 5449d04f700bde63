"""Simulation study of :func:`escalation.fit_marked_hawkes` (issue 34): recovery of a known mark effect, and the
likelihood-ratio test's size when marks have no effect.

Run:  python benchmarks/hawkes_marks.py [--reps 200] [--workers 2] [--gamma 0 0.7]

Each history is a two-sided marked Hawkes process simulated by its branching structure (seed ``1000 + k``):
backgrounds 0.25 a day a side for 3,000 days, excitation ``[[0.15, 0.25], [0.25, 0.15]]``, decay 1 a day
(mean delay one day), clock times; every event has ``Poisson(1.5)`` deaths and sets off
``Poisson(adjacency[i, j] * w)`` events of each side ``i``, ``w = exp(gamma log1p(deaths)) / E[...]``. The fit
is :func:`escalation.fit_marked_hawkes` with ``marks="log1p(fatalities)"`` and a constant background (the
simulation's). Printed per ``gamma``: the mean estimate, the share of 95% intervals holding the truth, and the
share of likelihood-ratio tests rejecting at 5%. ``--dates`` drops the clock times (the daily model).
"""

from __future__ import annotations

import argparse
import time
import warnings
from multiprocessing import Pool

import numpy as np
import pandas as pd

import escalation as esc

MU = np.array([0.25, 0.25])
ADJACENCY = np.array([[0.15, 0.25], [0.25, 0.15]])
DECAY = 1.0
DAYS = 3000.0
MEAN_DEATHS = 1.5


def simulate_marked(seed: int, gamma: float) -> pd.DataFrame:
    """A marked two-sided Hawkes history (see the module docstring) as an event table with clock times."""
    rng = np.random.default_rng(seed)
    k = np.arange(60)
    pmf = np.exp(-MEAN_DEATHS) * MEAN_DEATHS**k / np.cumprod(np.r_[1, k[1:]])
    norm = float(pmf @ np.exp(gamma * np.log1p(k)))  # E[exp(gamma log1p(deaths))] under Poisson(1.5)
    n0 = rng.poisson(MU * DAYS)
    t = np.concatenate([rng.uniform(0, DAYS, n) for n in n0])
    d = np.repeat([0, 1], n0)
    all_t, all_d, all_deaths = [], [], []
    while len(t):
        deaths = rng.poisson(MEAN_DEATHS, len(t))
        all_t.append(t), all_d.append(d), all_deaths.append(deaths)
        w = np.exp(gamma * np.log1p(deaths)) / norm
        kids = rng.poisson(ADJACENCY[:, d].T * w[:, None])  # (events, sides)
        parent = np.repeat(np.arange(len(t)), kids.sum(axis=1))
        side = np.concatenate([np.repeat([0, 1], row) for row in kids]) if len(kids) else np.zeros(0, int)
        child_t = t[parent] + rng.exponential(1 / DECAY, len(parent))
        keep = child_t < DAYS
        t, d = child_t[keep], side[keep]
    t, d, deaths = np.concatenate(all_t), np.concatenate(all_d), np.concatenate(all_deaths)
    stamp = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.round(t * 86400), unit="s")
    names = np.array(["A", "B"])
    return pd.DataFrame({"date": stamp.strftime("%Y-%m-%dT%H:%M:%S"), "actor": names[d], "target": names[1 - d],
                         "fatalities": deaths})  # fmt: skip


def one(job: tuple[int, float] | tuple[int, float, bool]) -> dict:
    k, gamma, dates = (*job, False)[:3]
    data = simulate_marked(1000 + k, gamma)
    if dates:  # the daily model: events counted per day, no clock times
        data["date"] = data["date"].str[:10]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = esc.fit_marked_hawkes(data, "log1p(fatalities)", background="constant")
    s = fit.summary().iloc[0]
    return {"k": k, "gamma": gamma, "estimate": s["gamma"], "covered": bool(s["lower"] <= gamma <= s["upper"]),
            "rejected": bool(s["pvalue"] < 0.05), "events": len(fit.weights)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gamma", type=float, nargs="+", default=[0.0, 0.7])
    parser.add_argument("--dates", action="store_true", help="drop the clock times: the daily model")
    args = parser.parse_args()
    started = time.perf_counter()
    with Pool(args.workers) as pool:
        res = pd.DataFrame(pool.map(one, [(k, g, args.dates) for g in args.gamma for k in range(args.reps)]))
    table = res.groupby("gamma").agg(histories=("k", "size"), events=("events", "median"),
                                     mean_estimate=("estimate", "mean"), coverage=("covered", "mean"),
                                     rejected=("rejected", "mean"))  # fmt: skip
    print(table.round(3).to_string())
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
