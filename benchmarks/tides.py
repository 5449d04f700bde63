"""Simulation study of issue 29: does each default test tell "they answer each other" from "they fight in the
same seasons"?

Run:  python benchmarks/tides.py [--reps 200] [--workers 2] [--designs season,surge,...] [--out tides.csv]

Every history comes from :func:`escalation.chance.simulate.simulate_tides` (seeded: history ``k`` of a design
uses seed ``1000 + k``), is read with :func:`escalation.read_events` and analysed with each function's
defaults (tide 14 days, dates only unless the design says clock times), as a user would:

- ``came``: :attr:`ChainsResult.baseline` ("came after"), p <= 0.05 per direction;
- ``followed``: :attr:`TimeToResponseResult.baseline` ("followed by"), p <= 0.05 per direction;
- ``reciprocity``: :func:`escalation.reciprocity`, the VAR row's Holm-adjusted p < 0.05 (the sentence's lead)
  and any model's adjusted p < 0.05;
- ``hawkes``: :func:`escalation.fit_hawkes`, cross-excitation ``adjacency / se > 1.96``;
- ``dyadic``: the link probabilities of ``chains(method="hawkes")``: the share of events put down to answering
  (the mean of ``p_answer``), whether any candidate link reaches 0.5 and whether any inferred link is kept
  (probability >= 0.5 in a dyad whose reverse excitation is 1.96 standard errors above zero), and on designs
  with answers the precision of the kept links against the true parents, the expected against the true number
  of answers, the mean delay.

"B<-A" is "B answers A" (A's actions the triggers), the true direction in the one-way designs; "A<-B" the false
one. Per-history rows go to ``--out`` (CSV), so that a table can be recomputed; the printed table gives each
rejection rate with its Monte-Carlo standard error. The numbers in docs/statistics.md come from this script.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from multiprocessing import Pool

import numpy as np
import pandas as pd

DESIGNS: dict[str, dict] = {
    # nobody answers anybody: 4 years, two sides at about 0.15 actions a day
    "flat": dict(tide="flat"),
    "flat_self": dict(tide="flat", rates=(0.075, 0.075), self_excitation=0.5),
    "season": dict(tide="season"),
    "season_self": dict(tide="season", rates=(0.075, 0.075), self_excitation=0.5),
    "surge": dict(tide="surge"),
    "surge_self": dict(tide="surge", rates=(0.075, 0.075), self_excitation=0.5),
    "wander": dict(tide="wander"),
    "wander_self": dict(tide="wander", rates=(0.075, 0.075), self_excitation=0.5),
    "season_clock": dict(tide="season", clock_times=True),
    # B answers 30% of A's actions after a gamma delay (mean 3 days, median 2.5); 8 years, A at 0.1 a day, B 0.03
    "oneway": dict(days=2922, rates=(0.1, 0.03), answer=0.3),
    "oneway_season": dict(days=2922, rates=(0.1, 0.03), answer=0.3, tide="season"),
    "oneway_clock": dict(days=2922, rates=(0.1, 0.03), answer=0.3, clock_times=True),
}


def one(job: tuple[str, int]) -> dict:
    name, rep = job
    import escalation as esc
    from escalation._core.time import sorted_frame
    from escalation.chance.simulate import simulate_tides

    sim = simulate_tides(seed=1000 + rep, **DESIGNS[name])
    ev = esc.read_events(sim[["event_id", "date", "actor", "target"]])
    row: dict = {"design": name, "rep": rep, "events": len(ev.frame)}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chains = esc.chains(ev)
        came = chains.baseline.set_index(["trigger_side", "response_side"])["pvalue"]
        followed = esc.time_to_response(ev).baseline.set_index(["trigger_side", "response_side"])["pvalue"]
        rec = esc.reciprocity(ev).tests
        hawkes = esc.fit_hawkes(ev)
        probable = esc.chains(ev, method="hawkes")
    for label, (trig, resp) in {"BA": ("A", "B"), "AB": ("B", "A")}.items():
        row[f"came_p_{label}"] = came.get((trig, resp), np.nan)
        row[f"followed_p_{label}"] = followed.get((trig, resp), np.nan)
        direction = rec[(rec["cause"] == trig) & (rec["effect"] == resp)]
        var = direction[direction["model"] == "var-granger"]
        row[f"rec_var_padj_{label}"] = float(var["pvalue_adjusted"].iloc[0]) if len(var) else np.nan
        row[f"rec_min_padj_{label}"] = float(direction["pvalue_adjusted"].min()) if len(direction) else np.nan
        i, j = hawkes.sides.index(resp), hawkes.sides.index(trig)
        se = hawkes.adjacency_se[i, j]
        row[f"hawkes_z_{label}"] = float(hawkes.adjacency[i, j] / se) if np.isfinite(se) and se > 0 else 0.0
        row[f"hawkes_adj_{label}"] = float(hawkes.adjacency[i, j])
    model = probable.model
    ep = model.event_probabilities
    row["dyadic_share"] = float(ep["p_answer"].mean())
    cand = probable.link_probabilities
    row["dyadic_max_p"] = float(cand["probability"].max()) if len(cand) else 0.0
    inferred = probable.links[probable.links["link_kind"] == "inferred"]
    row["dyadic_inferred"] = len(inferred)
    row["dyadic_mean_delay"] = model.mean_delay_days
    table = model.to_frame().set_index(["actor_side", "target_side"])
    row["dyadic_expected_BA"] = float(table.loc[("B", "A"), "expected_answers"]) if ("B", "A") in table.index else 0.0
    row["dyadic_expected_AB"] = float(table.loc[("A", "B"), "expected_answers"]) if ("A", "B") in table.index else 0.0
    row["true_answers"] = int((sim["cause"] == "answer").sum())
    kept = inferred[["trigger_id", "response_id"]]
    truth = dict(zip(sim["event_id"], sim["parent"].where(sim["cause"] == "answer", ""), strict=True))
    row["dyadic_links"] = len(kept)
    row["dyadic_correct"] = int(sum(truth.get(r) == t for t, r in zip(kept["trigger_id"], kept["response_id"],
                                                                      strict=True)))  # fmt: skip
    row["seconds"] = time.perf_counter() - t0
    del sorted_frame
    return row


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    out = []
    for name, g in rows.groupby("design", sort=False):
        n = len(g)
        entry: dict = {"design": name, "histories": n}

        def rate(mask: pd.Series, n: int = n) -> str:
            p = float(mask.mean())
            return f"{100 * p:.1f} ({100 * np.sqrt(p * (1 - p) / n):.1f})"

        for label in ("BA", "AB"):
            entry[f"came {label}"] = rate(g[f"came_p_{label}"] <= 0.05)
            entry[f"followed {label}"] = rate(g[f"followed_p_{label}"] <= 0.05)
            entry[f"VAR {label}"] = rate(g[f"rec_var_padj_{label}"] < 0.05)
            entry[f"any model {label}"] = rate(g[f"rec_min_padj_{label}"] < 0.05)
            entry[f"hawkes z {label}"] = rate(g[f"hawkes_z_{label}"] > 1.96)
        entry["dyadic share %"] = f"{100 * g['dyadic_share'].mean():.1f}"
        entry["link >= 0.5"] = rate(g["dyadic_max_p"] >= 0.5)
        entry["link kept"] = rate(g["dyadic_inferred"] > 0)
        links = g["dyadic_links"].sum()
        entry["precision"] = f"{g['dyadic_correct'].sum() / links:.2f}" if links else "-"
        entry["mean delay"] = f"{g['dyadic_mean_delay'].mean():.2f}"
        answers = g["true_answers"].sum()
        entry["expected / true answers"] = f"{g['dyadic_expected_BA'].sum() / answers:.2f}" if answers else "-"
        entry["s / history"] = f"{g['seconds'].mean():.1f}"
        out.append(entry)
    return pd.DataFrame(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--designs", default=",".join(DESIGNS))
    parser.add_argument("--out", default="tides.csv")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    jobs = [(d, k) for d in args.designs.split(",") for k in range(args.reps)]
    t0 = time.perf_counter()
    with Pool(args.workers) as pool:
        rows = pd.DataFrame(pool.map(one, jobs, chunksize=1))
    rows.to_csv(args.out, index=False)
    pd.set_option("display.width", 250)
    print(summarise(rows).T.to_string())
    print(f"{len(rows)} histories in {time.perf_counter() - t0:.0f} s; per-history rows in {args.out}")


if __name__ == "__main__":
    main()
