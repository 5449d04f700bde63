"""Benchmark: escalation.link against a bare sort + pandas.merge_asof on the same events.

Run:  python benchmarks/bench_link.py [--sizes 1e5 1e6 1e7]

For each size it prints the time and peak extra resident memory of
``escalation.link`` (stated + inferred links, ranks, step kinds, chain ids,
the full link table) and of the bare operation it replaces: sort by date and
one ``merge_asof`` of events against their reversed dyad, with the window as
tolerance. Both start from the same in-memory events (200 sides, ~40,000
dyads, bursty times).
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _common import measure, synthetic_events

import escalation as esc

WINDOW = pd.Timedelta("30D")


def bare_sort_merge_asof(events: esc.Events) -> pd.DataFrame:
    f = events.frame
    a = f["actor_side"].cat.codes.to_numpy(np.int64)
    t = f["target_side"].cat.codes.to_numpy(np.int64)
    k = len(f["actor_side"].cat.categories)
    df = pd.DataFrame({"date": f["date"].to_numpy(), "dyad": a * k + t, "rdyad": t * k + a, "pos": np.arange(len(f))})
    df = df.sort_values("date", kind="stable")
    right = df[["date", "dyad", "pos"]].rename(columns={"pos": "trigger"})
    return pd.merge_asof(df, right, on="date", left_by="rdyad", right_by="dyad", allow_exact_matches=False,
                         tolerance=WINDOW, direction="backward")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is kept")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"{platform.machine()}, escalation {esc.__version__}")  # fmt: skip
    print(f"{'events':>10} {'links':>10} {'link s':>8} {'link MiB':>9} {'bare s':>8} {'bare MiB':>9} "
          f"{'time x':>7} {'mem x':>6}")  # fmt: skip
    for size in args.sizes:
        n = int(size)
        events = synthetic_events(n)
        gc.collect()
        best_link = best_bare = (np.inf, np.inf)
        for _ in range(args.repeat):
            links, secs, mem = measure(lambda ev=events: esc.link(ev, window=WINDOW))
            best_link = min(best_link, (secs, mem))
            n_links = len(links)
            del links
            gc.collect()
            _, secs, mem = measure(lambda ev=events: bare_sort_merge_asof(ev))
            best_bare = min(best_bare, (secs, mem))
            gc.collect()
        mib = 2**20
        print(
            f"{n:>10,} {n_links:>10,} {best_link[0]:>8.2f} {best_link[1] / mib:>9.0f} "
            f"{best_bare[0]:>8.2f} {best_bare[1] / mib:>9.0f} {best_link[0] / best_bare[0]:>7.2f} "
            f"{best_link[1] / max(best_bare[1], 1):>6.2f}"
        )
        del events
        gc.collect()


if __name__ == "__main__":
    main()
