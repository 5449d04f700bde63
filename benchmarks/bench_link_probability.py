"""Benchmark: Hawkes link probabilities (``chains(method="hawkes")``) at 10^5 and 10^6 events.

Run:  python benchmarks/bench_link_probability.py [--sizes 1e5 1e6]

Data: many independent pairs of sides, each a tit-for-tat process from the
vectorised cluster simulator (answers 0.45, self 0.2, mean delay 2 days, one
background event per 18 days per side, 20,000 days: about 6,000 events a pair),
so that 10^6 events are about 330 directed dyads of realistic density; once
with clock times (the continuous model) and once dated to the day (the daily
model). For each it
prints the time and peak extra memory of the dyadic Hawkes fit (decay by profile
likelihood), of the candidate links, and of the whole ``chains(method="hawkes")``
call, next to the reversal rule (``chains()``) and a bare sort + ``merge_asof``
of the same events, in the same process. The goal (causal-links issue): under 60 s
for 10^6 events on the 2-core machine.
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
from escalation._core.time import sorted_frame
from escalation.stats.hawkes import simulate_hawkes
from escalation.stats.hawkes.dyadic import fit_dyadic_hawkes


def events(n: int, daily: bool) -> esc.Events:
    parts = []
    for pair in range(max(1, round(n / 6000))):
        sim = simulate_hawkes([1 / 18, 1 / 18], [[0.2, 0.45], [0.45, 0.2]], decay=0.5, length=20_000, seed=pair,
                              method="cluster", sides=[f"a{pair}", f"b{pair}"])  # fmt: skip
        parts.append(sim.assign(event_id=f"p{pair}-" + sim["event_id"]))
    table = pd.concat(parts, ignore_index=True)
    if daily:
        table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    return esc.read_events(table)


def bare_join(frame: pd.DataFrame) -> pd.DataFrame:
    """The bare operation under any 'latest earlier event of the other side': sort + merge_asof."""
    side = frame["actor_side"].astype(str)
    pair = side.str[1:]  # sides are a<pair> and b<pair>
    left = pd.DataFrame({"date": frame["date"], "pair": pair, "t": frame["date"]})[side.str[0] == "a"]
    right = pd.DataFrame({"date": frame["date"], "pair": pair})[side.str[0] == "b"]
    return pd.merge_asof(right.sort_values("date"), left.sort_values("date"), on="date", by="pair",
                         allow_exact_matches=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    args = parser.parse_args()
    print(f"{'events':>9} {'time':>10} {'step':<28} {'seconds':>8} {'peak MiB':>9}")
    for size in args.sizes:
        for daily in (False, True):
            ev = events(int(size), daily)
            frame = sorted_frame(ev)
            kind = "daily" if daily else "continuous"
            gc.collect()
            fit, s_fit, m_fit = measure(lambda frame=frame: fit_dyadic_hawkes(frame))
            _, s_cand, m_cand = measure(lambda fit=fit: fit.candidates)
            gc.collect()
            result, s_all, m_all = measure(lambda ev=ev: esc.chains(ev, method="hawkes"))
            _, s_rule, m_rule = measure(lambda ev=ev: esc.chains(ev))
            _, s_bare, m_bare = measure(lambda frame=frame: bare_join(frame))
            rows = [
                ("dyadic Hawkes fit", s_fit, m_fit),
                ("candidate links", s_cand, m_cand),
                ("chains(method='hawkes')", s_all, m_all),
                ("chains() (reversal rule)", s_rule, m_rule),
                ("bare sort + merge_asof", s_bare, m_bare),
            ]
            for name, seconds, peak in rows:
                print(f"{len(ev.frame):>9} {kind:>10} {name:<28} {seconds:>8.2f} {peak / 2**20:>9.0f}")
            print(f"{'':>9} {'':>10} {len(fit.data.dyads)} dyads; decay {fit.decay:.3f}/day; answers per event "
                  f"{np.median(fit.reverse_excitation):.3f} (median over dyads); {len(fit.candidates)} candidates, "
                  f"{len(result.links)} links kept")  # fmt: skip


if __name__ == "__main__":
    main()
