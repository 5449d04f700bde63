"""The ``escalation forecast`` command: each side's chance of acting in the next days, and how such forecasts
have scored against plain ones."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from .read import FORMATS_HELP, add_period_arguments


def add_forecast_parser(sub: Any, data_arguments: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "forecast", help="what is likely next: each side's chance of acting in the next days (Hawkes model)",
        description="Fit the Hawkes model to the events dated before --at and forecast each side's actions in "
        "the --horizon from it: the expected number and the probability of at least one, with intervals, beside "
        "the plain forecast of the last 28 days' rate. --evaluate also makes forecasts in turn from many "
        "earlier days, each from the events before it, and scores them against what happened and against "
        "plain forecasts (Brier, log and ranked probability scores).",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument("--at", metavar="DATE", help="the forecast's day (default: the day after the last event)")
    p.add_argument("--horizon", default="7D", metavar="DAYS", help="whole days ahead: 7D, 2W (default 7D)")
    p.add_argument("--tide", metavar="DURATION",
                   help="the background's tide (default 56D, four times the analyses': see the docs)")  # fmt: skip
    p.add_argument("--draws", type=int, default=4000, metavar="N",
                   help="histories simulated forward (default 4000; 1000 per origin with --evaluate)")  # fmt: skip
    p.add_argument("--evaluate", action="store_true", help="also score forecasts made from many earlier days")
    p.add_argument("--origins", type=int, default=52, metavar="N",
                   help="with --evaluate: the last N origins, one per horizon, whose horizon ends before --at "
                        "(default 52)")  # fmt: skip
    p.add_argument("--first-origin", metavar="DATE", help="with --evaluate: the first origin (default: see --origins)")
    p.add_argument("--last-origin", metavar="DATE", help="with --evaluate: the last origin")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"one row per side (default forecast.csv; {FORMATS_HELP})")  # fmt: skip
    p.add_argument("--table", metavar="FILE", help="with --evaluate: one row per origin and side, with the scores")
    p.set_defaults(func=cmd_forecast)


def cmd_forecast(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from ..errors import UsageError
    from ..stats.forecasting import evaluate_forecasts, forecast
    from ._common import EXIT_OK, load, output_path, print_counts, with_interval

    if args.draws < 100:
        raise UsageError(f"--draws must be at least 100, got {args.draws}")
    target = output_path(args.output, "forecast.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    ahead = forecast(events, at=args.at, horizon=args.horizon, tide=args.tide, draws=args.draws)
    summary = ahead.summary()
    path = write_table(summary, target)
    print(repr(ahead))
    print(f"from the events before {ahead.at.date()} only; probability of at least one action in the "
          f"{ahead.horizon_days} days from it (95% interval: the estimates' uncertainty), beside the last "
          f"28 days' rate")  # fmt: skip
    shown = summary.assign(
        expected=summary["expected"].map("{:.2f}".format),
        probability=with_interval(summary["probability"], summary["lower"], summary["upper"], "{:.0%}"),
        recent=summary["recent_probability"].map("{:.0%}".format),
        observed=summary["observed"].map(lambda v: "not yet" if v != v else f"{v:.0f}"),
    )[["side", "target", "expected", "probability", "recent", "observed"]]
    print(shown.rename(columns={"recent": "last 28 days' rate", "observed": "happened"}).to_string(index=False))
    for note in summary["note"].drop_duplicates():
        if note:
            print(f"note: {note}")
    if args.evaluate:
        scores = evaluate_forecasts(events, horizon=args.horizon, first_origin=args.first_origin,
                                    last_origin=args.last_origin, before=args.at, origins=args.origins, tide=args.tide,
                                    draws=min(args.draws, 1000))  # fmt: skip
        print(repr(scores))
        s = scores.summary()
        cols = ["side", "forecaster", "origins", "share_acted", "brier", "log_score", "rps", "brier_skill",
                "pvalue", "verdict"]  # fmt: skip
        print(s[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print("lower scores are better; brier_skill: 1 - the model's Brier score over the recent rate's; pvalue: "
              "Diebold-Mariano (HAC) on the difference")  # fmt: skip
        if args.table:
            print(f"per-origin table: {write_table(scores.to_frame(), args.table)}")
    elif args.table:
        raise UsageError("--table needs --evaluate")
    print(f"forecast: {path}")
    return EXIT_OK
