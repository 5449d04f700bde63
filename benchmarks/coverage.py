"""Coverage of the intervals and size of the log-rank test, by simulation with known answers.

Run:  python benchmarks/coverage.py [--reps 300]

1. Kaplan-Meier bands. 60 responses, each answering 5 events at the same delay (exponential, mean 5
   days): the share of data sets whose 95% band at day 5 contains the true S(5) = exp(-1), for Greenwood's
   band (events taken as independent) and the cluster-bootstrap band.
2. Hawkes intervals. A daily two-side process (baseline 0.2 and 0.15, adjacency [[0.3, 0.1], [0.2, 0.2]],
   decay 0.7, 3,000 days): the share of fits whose 95% Wald interval (estimate +- 1.96 se) contains each
   true adjacency entry, the decay fixed at its true value (the standard errors are conditional on it) and
   fitted.
3. Log-rank size. Two directions whose answers come from the same process, with answers shared by
   several events: the share of log-rank tests rejecting at 5% among those it runs (both groups >= 10
   events and 5 answers).
The table printed at the end is recorded in benchmarks/README.md and docs/statistics.md.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import escalation as esc
from escalation.stats._km_bands import cluster_bootstrap_bands
from escalation.stats.hawkes import simulate_daily
from escalation.stats.survival import km_curve

TRUE_ADJACENCY = np.array([[0.3, 0.1], [0.2, 0.2]])


def km_coverage(reps: int) -> dict[str, float]:
    truth = np.exp(-1.0)
    cluster, greenwood = [], []
    for seed in range(reps):
        rng = np.random.default_rng(seed)
        delays = np.repeat(rng.exponential(5.0, 60), 5)
        answered = np.ones(len(delays), bool)
        lo, up = cluster_bootstrap_bands(delays, answered, np.repeat(np.arange(60), 5), np.array([5.0]), seed=seed)
        cluster.append(lo[0] <= truth <= up[0])
        c = km_curve(delays, answered)
        i = int(np.searchsorted(c["time"].to_numpy(), 5.0, side="right")) - 1
        greenwood.append(c["ci_lower"].iloc[i] <= truth <= c["ci_upper"].iloc[i])
    return {"KM band at day 5, Greenwood": float(np.mean(greenwood)),
            "KM band at day 5, cluster bootstrap": float(np.mean(cluster))}  # fmt: skip


def hawkes_coverage(reps: int) -> dict[str, float]:
    hits = {"fixed decay": [], "fitted decay": []}
    for seed in range(reps):
        sim = simulate_daily([0.2, 0.15], TRUE_ADJACENCY, 0.7, days=3000, sides=["A", "B"], seed=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for label, decay in (("fixed decay", 0.7), ("fitted decay", None)):
                fit = esc.fit_hawkes(sim, decay=decay)
                inside = np.abs(fit.adjacency - TRUE_ADJACENCY) <= 1.96 * fit.adjacency_se
                hits[label].append(inside.ravel())
    return {f"Hawkes adjacency 95% interval, {k}": float(np.mean(v)) for k, v in hits.items()}


def logrank_size(reps: int) -> dict[str, float]:
    rejected, run = 0, 0
    for seed in range(reps):
        rng = np.random.default_rng(seed)
        rows = []
        for a, b in (("A", "B"), ("B", "A")):
            # bursts of 2-6 events by a on one day; b answers each burst once, after the same delay law
            starts = np.sort(rng.choice(np.arange(0, 3000, 40), size=25, replace=False))
            for s in starts:
                day = pd.Timestamp("2001-01-01") + pd.Timedelta(days=int(s))
                rows += [{"date": day, "actor": a, "target": b}] * int(rng.integers(2, 7))
                rows.append({"date": day + pd.Timedelta(days=int(1 + rng.geometric(0.3))), "actor": b, "target": a})
        table = pd.DataFrame(rows)
        table["event_id"] = [f"e{i}" for i in range(len(table))]
        lr = esc.time_to_response(table, window="30D").logrank
        if np.isfinite(lr["pvalue"]):
            run += 1
            rejected += lr["pvalue"] < 0.05
    return {"log-rank size (same process both ways, shared answers)": rejected / max(run, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=300)
    args = parser.parse_args()
    t0 = time.perf_counter()
    rows = {**km_coverage(args.reps), **hawkes_coverage(max(args.reps // 3, 10)), **logrank_size(args.reps)}
    print(f"{args.reps} replications (Hawkes: {max(args.reps // 3, 10)}); {time.perf_counter() - t0:.0f} s")
    for name, value in rows.items():
        print(f"{name:60s} {value:6.3f}")


if __name__ == "__main__":
    main()
