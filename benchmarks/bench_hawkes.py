"""Benchmark: fitting multivariate Hawkes processes (decay fitted by profile likelihood).

Run:  python benchmarks/bench_hawkes.py [--sizes 1e5 1e6] [--sides 2 5]

Data come from the vectorised cluster simulator: known parameters, branching
ratio 0.6, decay 1.5 per hour, times in hours. For each size and number of
sides it prints the time and peak extra memory of ``escalation.fit_hawkes``
with the decay fitted, the time of one fit with the decay fixed, and the time
of one evaluation of the kernel sums (the O(n * sides) recursion at the heart
of the likelihood) next to a bare numpy ``cumsum`` over an array of that shape.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _common import measure

import escalation as esc
from escalation.stats.hawkes import simulate_times
from escalation.stats.hawkes._kernel import excitation


def problem(n: int, d: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, float]:
    adjacency = np.full((d, d), 0.6 / d / 2) + np.eye(d) * 0.3
    baseline = np.full(d, 0.5)
    rates = np.linalg.solve(np.eye(d) - adjacency, baseline)
    end = n / rates.sum()
    times, dims = simulate_times(baseline, adjacency, 1.5, end, seed=seed, method="cluster")
    names = np.array([f"side{i}" for i in range(d)], dtype=object)
    table = pd.DataFrame(
        # times are in hours: 10^6 events at a few per day would outrun pandas' 292-year range
        {"date": pd.Timestamp("2000-01-01") + pd.to_timedelta(times, unit="h"), "actor": names[dims],
         "target": names[(dims + 1) % d]}
    )  # fmt: skip
    return table, adjacency, end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--sides", nargs="+", type=int, default=[2, 5])
    args = parser.parse_args()
    print(f"{'events':>10} {'sides':>5} {'fit s':>7} {'fit MiB':>8} {'fixed s':>8} {'kernel s':>9} "
          f"{'cumsum s':>9} {'decay':>6} {'max |err| adj':>13}")  # fmt: skip
    for size in args.sizes:
        for d in args.sides:
            table, adjacency, _ = problem(int(size), d)
            events = esc.read_events(table)
            gc.collect()
            fit, secs, mem = measure(lambda ev=events: esc.fit_hawkes(ev, jitter_seed=None, time_unit="h"))
            _, fixed_secs, _ = measure(lambda ev=events: esc.fit_hawkes(ev, decay=1.5, jitter_seed=None, time_unit="h"))
            t, dd = fit.data.times, fit.data.dims
            _, kernel_secs, _ = measure(lambda t=t, dd=dd, d=d: excitation(t, dd, d, 1.5))
            onehot = np.zeros((len(t), d))
            onehot[np.arange(len(t)), dd] = 1.0
            _, cumsum_secs, _ = measure(lambda onehot=onehot: np.cumsum(onehot, axis=0))
            err = np.abs(fit.adjacency - adjacency).max()
            print(
                f"{len(t):>10,} {d:>5} {secs:>7.2f} {mem / 2**20:>8.0f} {fixed_secs:>8.2f} "
                f"{kernel_secs:>9.3f} {cumsum_secs:>9.3f} {fit.decay:>6.3f} {err:>13.4f}"
            )
            del fit, events, table
            gc.collect()


if __name__ == "__main__":
    main()
