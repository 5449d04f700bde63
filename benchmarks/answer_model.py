"""Simulation study of :func:`escalation.answer_model` (issue 34): coverage, size under shared tides, power.

Run:  python benchmarks/answer_model.py [--part coverage|dates|tides|all] [--reps 200] [--draws 99] [--workers 2]

- **coverage**: a history in which Cox's model is true. A's actions come 45 days apart (plus up to 10), each with
  a normal trait ``x`` and a 0/1 trait ``z``; B answers each after an exponential delay of rate
  ``exp(0.5 x - 0.7 z) / 6`` per day (unseen past the 30-day window, so never taken for the next action's
  answer). Clock times, 300 actions. The share of histories whose 95% interval holds the true coefficient, per
  term; ``dates``: the same histories read with dates only (an answer on the day of the action is not seen).
- **tides** (size): :func:`escalation.chance.simulate.simulate_tides` (dates only, 4 years, 0.15 actions a day a
  side), nobody answering anybody, both sides' deaths ``Poisson(1.5 tide(d))``: deadlier actions in the busy
  seasons. "Does B answer A's deadlier actions sooner?" (``log1p(fatalities)``): how often the Wald test and the
  test against the tides reject at 5%.
- **answers** (power): the same histories on a flat tide and on surges, with B answering each of A's actions
  with probability ``min(0.9, 0.1 + 0.15 * deaths)`` after a gamma delay (mean 3 days): deadlier actions are
  answered more often.

History ``k`` uses seed ``1000 + k``; the numbers in docs/statistics.md come from this script.
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import Pool

import numpy as np
import pandas as pd

import escalation as esc
from escalation.chance.simulate import simulate_tides, tide_shape

BETA = np.array([0.5, -0.7])


def clean_history(seed: int, n: int = 300, rate: float = 1 / 6, clock: bool = True) -> pd.DataFrame:
    """A history in which the proportional-hazards model is true (see the module docstring)."""
    rng = np.random.default_rng(seed)
    t = 45.0 * np.arange(n) + rng.uniform(0, 10, n)
    x, z = rng.normal(size=n), (rng.random(n) < 0.4).astype(float)
    delay = rng.exponential(1 / (rate * np.exp(BETA[0] * x + BETA[1] * z)))
    seen = delay < 30  # an answer past the window never shows: it cannot pass for the next action's
    times = np.r_[t, t[seen] + delay[seen]]
    stamp = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.round(times * 86400), unit="s")
    n_b = int(seen.sum())
    return pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(times))],
        "date": stamp.strftime("%Y-%m-%dT%H:%M:%S" if clock else "%Y-%m-%d"),
        "actor": ["A"] * n + ["B"] * n_b, "target": ["B"] * n + ["A"] * n_b,
        "x": np.r_[x, np.zeros(n_b)], "z": np.r_[z, np.zeros(n_b)],
    })  # fmt: skip


def tide_history(seed: int, tide: str, answering: bool, days: int = 1461) -> pd.DataFrame:
    """Two sides sharing ``tide``, deaths higher in the busy seasons; B answers A's deadlier actions more often
    when ``answering``."""
    sim = simulate_tides(days=days, tide=tide, seed=seed)
    shape = tide_shape(tide, days, np.random.default_rng(seed))  # the tide simulate_tides drew (its first draw)
    rng = np.random.default_rng(seed + 10_000)
    day = (pd.to_datetime(sim["date"]) - pd.Timestamp("2015-01-01")).dt.days.to_numpy()
    sim["fatalities"] = rng.poisson(1.5 * shape[np.minimum(day, days - 1)])
    if not answering:
        return sim
    a = sim[sim["actor"] == "A"]
    p = np.where(a["fatalities"].to_numpy() >= 2, 0.6, 0.05)
    hit = rng.random(len(a)) < p
    when = pd.to_datetime(a["date"][hit]) + pd.to_timedelta(np.floor(rng.gamma(2.0, 1.5, int(hit.sum()))), unit="D")
    answers = pd.DataFrame({"event_id": [f"r{i}" for i in range(int(hit.sum()))], "date": when.dt.strftime("%Y-%m-%d"),
                            "actor": "B", "target": "A", "cause": "answer", "parent": a["event_id"][hit].to_numpy(),
                            "fatalities": rng.poisson(1.5, int(hit.sum()))})  # fmt: skip
    return pd.concat([sim, answers[when.dt.year.to_numpy() < 2019]], ignore_index=True)


def one_coverage(k: int, clock: bool = True) -> dict:
    s = esc.answer_model(clean_history(1000 + k, clock=clock), ["x", "z"], window="30D", draws=0).summary()
    s = s[s["group"] == "B answering A"].set_index("term")
    inside = (np.log(s.loc[["x", "z"], "lower"]) <= BETA) & (BETA <= np.log(s.loc[["x", "z"], "upper"]))
    return {"k": k, "x_in": bool(inside.iloc[0]), "z_in": bool(inside.iloc[1]),
            "x_coef": s.loc["x", "coef"], "z_coef": s.loc["z", "coef"]}  # fmt: skip


def one_coverage_dates(k: int) -> dict:
    return one_coverage(k, clock=False)


def one_tides(args: tuple[int, str, bool, int]) -> dict:
    k, tide, answering, draws = args
    s = esc.answer_model(tide_history(1000 + k, tide, answering), ["log1p(fatalities)"], draws=draws).summary()
    row = s[s["group"] == "B answering A"].iloc[0]
    return {"k": k, "tide": tide, "answering": answering, "hazard_ratio": row["hazard_ratio"],
            "chance_hr": row["chance_hr"], "wald": row["pvalue"] < 0.05, "tides": row["pvalue_tide"] < 0.05,
            "verdict": row["verdict"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="all", choices=["coverage", "dates", "tides", "all"])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--draws", type=int, default=99)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    with Pool(args.workers) as pool:
        if args.part in ("coverage", "all"):
            cov = pd.DataFrame(pool.map(one_coverage, range(args.reps)))
            print(f"coverage of 95% intervals, {args.reps} histories: x {cov['x_in'].mean():.3f}, "
                  f"z {cov['z_in'].mean():.3f}; mean estimates x {cov['x_coef'].mean():.3f} (true 0.5), "
                  f"z {cov['z_coef'].mean():.3f} (true -0.7)")  # fmt: skip
        if args.part in ("dates", "all"):
            cov = pd.DataFrame(pool.map(one_coverage_dates, range(args.reps)))
            print(f"the same histories with dates only: coverage x {cov['x_in'].mean():.3f}, "
                  f"z {cov['z_in'].mean():.3f}; "
                  f"mean estimates x {cov['x_coef'].mean():.3f}, z {cov['z_coef'].mean():.3f}")  # fmt: skip
        if args.part in ("tides", "all"):
            jobs = [(k, tide, answering, args.draws) for tide, answering in
                    (("season", False), ("surge", False), ("wander", False), ("flat", True), ("surge", True))
                    for k in range(args.reps)]  # fmt: skip
            res = pd.DataFrame(pool.map(one_tides, jobs))
            table = res.groupby(["tide", "answering"]).agg(
                histories=("k", "size"),
                wald=("wald", "mean"),
                tides=("tides", "mean"),
                median_hr=("hazard_ratio", "median"),
                median_chance_hr=("chance_hr", "median"),
            )
            print("rejections at 5% of 'B answers A's deadlier actions sooner' (log1p(fatalities)):")
            print(table.round(3).to_string())
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
