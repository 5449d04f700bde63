"""Coverage of the delay of answers (:func:`escalation.answer_delay`) on histories whose delays are known.

Run:  python benchmarks/answer_delay.py [--reps 200] [--workers 2]

B answers 30% of A's actions after a gamma delay (shape 2, scale 1.5: mean 3 days, median 2.52); eight years,
A at 0.1 actions a day, B at 0.03 on its own (``simulate_tides``, seeds 1000 + k), dates only, with and without
a shared season, and with clock times. Per history: the median delay of B's answers to A and its 95% interval,
the mean delay, the answers per action (truth: 0.3 x P(delay <= 7 days) = 0.29), and whether the interval of
A's answers to B (there are none) stays clear of zero. Issue 29 asks the interval to cover the true median in
at least 90% of histories.
"""

from __future__ import annotations

import argparse
import os
import time
from multiprocessing import Pool

import numpy as np
import pandas as pd

DESIGNS = {
    "oneway": dict(days=2922, rates=(0.1, 0.03), answer=0.3),
    "oneway_season": dict(days=2922, rates=(0.1, 0.03), answer=0.3, tide="season"),
    "oneway_clock": dict(days=2922, rates=(0.1, 0.03), answer=0.3, clock_times=True),
}
TRUE_MEDIAN = 2.52  # of gamma(2, 1.5): scipy.stats.gamma(2, scale=1.5).median()


def one(job: tuple[str, int]) -> dict:
    import escalation as esc
    from escalation.chance.simulate import simulate_tides

    name, rep = job
    sim = simulate_tides(seed=1000 + rep, **DESIGNS[name])
    t = esc.answer_delay(sim[["event_id", "date", "actor", "target"]]).summary()
    t = t.set_index(["trigger_side", "response_side"])
    true, false = t.loc[("A", "B")], t.loc[("B", "A")]
    return {"design": name, "rep": rep, "median": true["median_delay_days"], "lower": true["median_lower"],
            "upper": true["median_upper"], "mean": true["mean_delay_days"], "per_action": true["answers_per_trigger"],
            "false_clear": bool(false["lower"] > 0)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.perf_counter()
    with Pool(args.workers) as pool:
        rows = pd.DataFrame(pool.map(one, [(d, k) for d in DESIGNS for k in range(args.reps)], chunksize=4))
    out = []
    for name, g in rows.groupby("design", sort=False):
        covered = (g["lower"] <= TRUE_MEDIAN) & (TRUE_MEDIAN <= g["upper"])
        n = len(g)
        out.append({"design": name, "histories": n, "covers 2.52 %": f"{100 * covered.mean():.1f} "
                    f"({100 * np.sqrt(covered.mean() * (1 - covered.mean()) / n):.1f})",
                    "median (mean of)": round(g["median"].mean(), 2), "interval width": round(
                        (g["upper"] - g["lower"]).mean(), 2), "mean delay": round(g["mean"].mean(), 2),
                    "answers per action": round(g["per_action"].mean(), 3),
                    "false direction clear of 0 %": round(100 * g["false_clear"].mean(), 1)})  # fmt: skip
    print(pd.DataFrame(out).to_string(index=False))
    print(f"{len(rows)} histories in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
