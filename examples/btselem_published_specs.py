"""The published specifications of the daily-series studies of the second intifada, run on B'Tselem.

- Jaeger & Paserman (AER 2008), 29 September 2000 - 15 January 2005: do Israeli killings of Palestinians
  follow Palestinian killings of Israelis, and the reverse? Both the number of deaths and the 0/1 "anyone
  killed that day" outcome; lags 1, 2-7 and 8-14 days. Their finding: Palestinian -> Israeli only.
- Haushofer, Biletzki & Kanwisher (PNAS 2010), 2000 - 2008: a daily VAR with year dummies. Their finding:
  both sides retaliate.

For every test the table gives the asymptotic p-value (what those papers report) and the tide p-value
(the cause's series with each 14-day block rotated on its own, 199 times: it keeps both sides' shared
phases and each series' persistence; see benchmarks/tides.py and benchmarks/calibration.py), and that p
adjusted by Holm across the table. The numbers in docs/statistics.md come from this script.

Run from the project root (the data live outside the project, in ../shared):

    python examples/btselem_published_specs.py [PATH_TO_CSV]
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd
from _btselem import DEFAULT, SIDES, columns

import escalation as esc

SPECS = {
    "Jaeger & Paserman, deaths": dict(start="2000-09-29", end="2005-01-15", measure="fatalities",
                                      lags=[1, (2, 7), (8, 14)]),
    "Jaeger & Paserman, any killed (0/1)": dict(start="2000-09-29", end="2005-01-15", measure="any",
                                                lags=[1, (2, 7), (8, 14)]),
    "Haushofer et al., VAR with year dummies": dict(start="2000-09-29", end="2008-12-31", measure="fatalities",
                                                    controls=["year"], lags="aic"),
    "Haushofer et al., ending 2008-12-26 (before Cast Lead)": dict(start="2000-09-29", end="2008-12-26",
                                                                  measure="fatalities", controls=["year"],
                                                                  lags="aic"),
    "Haushofer et al., 14 lags": dict(start="2000-09-29", end="2008-12-31", measure="fatalities", lags=14,
                                      controls=["year"]),
}  # fmt: skip


def run(events: esc.Events) -> pd.DataFrame:
    parts = []
    for name, spec in SPECS.items():
        result = esc.reciprocity(events, freq="D", **spec)
        table = result.tests.assign(spec=name)
        parts.append(table)
        print(f"\n{name}: {result!r}")
        for sentence in result.sentences():
            print(f"- {sentence}")
    return pd.concat(parts, ignore_index=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=str(DEFAULT), help="B'Tselem fatalities CSV")
    args = parser.parse_args()
    try:
        events = esc.read_events(args.path, columns=columns(), per_victim=True, sides=SIDES)
    except esc.EscalationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(events)
    table = run(events)
    shown = ["spec", "model", "cause", "effect", "lags", "statistic", "pvalue_asymptotic", "pvalue",
             "pvalue_adjusted", "response"]  # fmt: skip
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print()
        print(table[shown].round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
