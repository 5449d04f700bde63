"""Simulation and real-data study of :func:`escalation.forecast` (issue 34, part 3): do the Hawkes model's
forecasts beat the plain ones, and are they calibrated? Also the choice of the forecasts' tide (56 days).

Run:  python benchmarks/forecast.py [--seeds 4] [--btselem PATH]

**Seeded histories** (seed ``k``): two sides, daily counts from the discrete Hawkes process
(``simulate_daily``): backgrounds 0.03 and 0.02 a day, excitation ``[[0.45, 0.3], [0.35, 0.4]]`` (branching
ratio 0.75), decay 0.3 (mean delay 3.9 days), 1,500 days: quiet stretches broken by bursts of answering. The
last 60 weekly origins of each are scored (:func:`escalation.evaluate_forecasts`) with the model's background
as a 14-day tide, a 56-day tide (the forecasts' default) and constant (the simulation's own). Printed: the
pooled summary (Brier, log and ranked probability scores; the model's skill over the recent rate and its
Diebold-Mariano p-value) and how many reliability bins fall outside the calibrated 95% band.

**B'Tselem** (with ``--btselem``, the shared file; read as the README's report reads it, per incident):
weekly origins through 2014 and the last 52 of the data, the same three backgrounds and annual periods.
"""

from __future__ import annotations

import argparse
import time
import warnings

import pandas as pd

import escalation as esc
from escalation.stats.forecasting.evaluate import ForecastEvaluation
from escalation.stats.hawkes import simulate_daily

BACKGROUNDS = {"tide 14D": {"tide": "14D"}, "tide 56D (default)": {}, "constant": {"background": "constant"}}
COLUMNS = ["side", "forecaster", "origins", "share_acted", "brier", "log_score", "rps", "brier_skill", "pvalue",
           "verdict"]  # fmt: skip


def bursty(seed: int) -> pd.DataFrame:
    return simulate_daily([0.03, 0.02], [[0.45, 0.3], [0.35, 0.4]], decay=0.3, days=1500, seed=seed)


def report(name: str, evaluation: ForecastEvaluation, seconds: float) -> None:
    rel = evaluation.reliability()
    outside = int(((rel["observed_share"] < rel["band_lower"]) | (rel["observed_share"] > rel["band_upper"])).sum())
    print(f"\n== {name}: {len(evaluation.table)} forecasts, {seconds:.1f} s; reliability bins outside the "
          f"calibrated band: {outside} of {len(rel)}")  # fmt: skip
    print(evaluation.summary()[COLUMNS].to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--btselem", help="the B'Tselem fatalities CSV (../shared/data/btselem/...)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)
    for name, options in BACKGROUNDS.items():
        t = time.perf_counter()
        runs = [esc.evaluate_forecasts(bursty(k), origins=60, draws=500, seed=k, **options) for k in range(args.seeds)]
        pooled = ForecastEvaluation(table=pd.concat([r.table for r in runs]), options={"alpha": 0.05})
        report(f"seeded histories, {name}", pooled, time.perf_counter() - t)
    if args.btselem:
        columns = {"date": "date_of_event", "actor": "killed_by", "target": "citizenship", "event_type": "ammunition",
                   "location": "event_location", "notes": "notes"}  # fmt: skip
        ev = esc.read_events(args.btselem, columns=columns, per_victim=True, sides="examples/btselem_sides.json")
        windows = {"2014": {"first_origin": "2014-01-06", "last_origin": "2014-12-29"}, "last 52 weeks": {}}
        for window, span in windows.items():
            for name, options in {**BACKGROUNDS, "annual periods": {"background": "YS"}}.items():
                t = time.perf_counter()
                run = esc.evaluate_forecasts(ev, draws=500, **span, **options)
                report(f"B'Tselem {window}, {name}", run, time.perf_counter() - t)


if __name__ == "__main__":
    main()
