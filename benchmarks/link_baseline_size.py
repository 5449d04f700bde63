"""Calibration: the size of the chance-baseline tests under independence, and link-probability accuracy.

Run:  python benchmarks/link_baseline_size.py [--pairs 400] [--accuracy-seeds 20 30]

1. Size. Pairs of independent self-exciting sides (baseline 0.1 per day, self-excitation 0.5, mean delay 2
   days, 4,000 days, dates only): the share of link-baseline and "answered within the window" tests that
   reject at the 5% level. A valid test rejects about 5%.
2. Accuracy. Tit-for-tat processes with recorded parents (answers 0.45, self 0.2, mean delay 2 days, one
   background event per 18 days per side, 20,000 days): per seed, the precision of the links with
   probability >= 0.5, the sum of candidate probabilities over the true number of answers, and the
   reversal rule's precision; with clock times and dated to the day.
The numbers in docs/linking.md and benchmarks/README.md come from this script.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

import escalation as esc
from escalation._core.time import sorted_frame
from escalation.linking._rule import link_pairs
from escalation.stats.hawkes import simulate_hawkes


def read(sim: pd.DataFrame, dates_only: bool) -> esc.Events:
    if dates_only:
        sim = sim.assign(date=sim["date"].dt.strftime("%Y-%m-%d"))
    return esc.read_events(sim)


def size(pairs: int) -> None:
    links, answered = [], []
    for seed in range(pairs):
        sim = simulate_hawkes([0.1, 0.1], [[0.5, 0.0], [0.0, 0.5]], decay=0.5, length=4000, seed=seed,
                              method="cluster", sides=["A", "B"])  # fmt: skip
        ev = read(sim, True)
        links += esc.chains(ev).baseline["pvalue"].tolist()
        answered += esc.time_to_response(ev).baseline["pvalue"].tolist()
    for name, p in (("links", links), ("answered", answered)):
        p = np.asarray(p)
        share5, share10 = np.mean(p <= 0.05), np.mean(p <= 0.1)
        print(f"size, {name}: {len(p)} tests, rejected at 5%: {share5:.4f}, at 10%: {share10:.4f}")


def accuracy(seeds: range) -> None:
    print(f"{'seed':>4} {'time':>10} {'precision':>9} {'links':>6} {'sum p / answers':>15} {'rule precision':>14}")
    for seed in seeds:
        sim = simulate_hawkes([1 / 18, 1 / 18], [[0.2, 0.45], [0.45, 0.2]], decay=0.5, length=20_000, seed=seed,
                              method="cluster", parents=True, sides=["A", "B"])  # fmt: skip
        for dates_only in (False, True):
            ev = read(sim, dates_only)
            frame = sorted_frame(ev)
            ids = frame["event_id"].to_numpy()
            parent = frame["true_parent"].to_numpy(dtype=object)
            side = pd.Series(frame["actor_side"].to_numpy(dtype=object), index=ids)
            answers = (pd.notna(parent) & (side.reindex(parent).to_numpy() != side.to_numpy())).sum()
            result = esc.chains(ev, method="hawkes")
            pos = pd.Series(np.arange(len(frame)), index=ids)
            kept = result.links
            right = parent[pos[kept["response_id"]].to_numpy()] == kept["trigger_id"].to_numpy()
            trig, resp, _, _ = link_pairs(frame, pd.Timedelta("30D"), None)
            rule = (parent[resp] == ids[trig]).mean()
            total = result.link_probabilities["probability"].sum() / answers
            kind = "dates" if dates_only else "times"
            print(f"{seed:>4} {kind:>10} {right.mean():>9.3f} {len(kept):>6} {total:>15.3f} {rule:>14.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--accuracy-seeds", nargs=2, type=int, default=[20, 30])
    args = parser.parse_args()
    size(args.pairs)
    accuracy(range(*args.accuracy_seeds))


if __name__ == "__main__":
    main()
