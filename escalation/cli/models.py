"""The ``escalation survival`` and ``escalation hawkes`` commands: time to the other side's next action against
chance, and the Hawkes process of the sides."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from ._filters import add_answer_filter_arguments, answer_filters
from .read import FORMATS_HELP, add_period_arguments


def add_survival_parser(
    sub: Any,
    data_arguments: Callable[[argparse.ArgumentParser], None],
    tide_argument: Callable[[argparse.ArgumentParser], None],
) -> None:
    p = sub.add_parser(
        "survival", help="time to response: Kaplan-Meier curves per direction, with censoring",
        description="For every event by A against B, the time until B's next event against A; "
        "unanswered events are censored at --window or at the end of the data.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument(
        "--window", default="30D", help="longest wait counted as an answer: 30D; a bare number is days (default 30D)"
    )
    p.add_argument("--pooled", action="store_true", help="one curve for all directions")
    add_answer_filter_arguments(p)
    tide_argument(p)
    p.add_argument("-o", "--output", metavar="FILE", help=f"Kaplan-Meier curves (default km.csv; {FORMATS_HELP})")
    p.add_argument("--table", metavar="FILE", help="also write the per-event durations")
    p.set_defaults(func=cmd_survival)


def add_hawkes_parser(
    sub: Any,
    data_arguments: Callable[[argparse.ArgumentParser], None],
    tide_argument: Callable[[argparse.ArgumentParser], None],
) -> None:
    p = sub.add_parser(
        "hawkes", help="fit a multivariate Hawkes process (one dimension per side)",
        description="Maximum-likelihood fit of a Hawkes process with exponential kernels: baselines, "
        "the excitation (branching) matrix, the decay, trigger probabilities and goodness of fit.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument("--decay", type=float, help="fixed kernel decay per time unit (default: fitted)")
    p.add_argument("--time-unit", default="D", help="unit of rates: one day (D), hour (h) or week (W); default D")
    p.add_argument("-o", "--output", metavar="FILE", help="parameters as JSON (default params.json), or as a table "
                   f"with standard errors and intervals ({FORMATS_HELP})")  # fmt: skip
    p.add_argument("--background", metavar="KIND", default="tide",
                   help="background rate: tide (default: each side's own slow changes, smoothed over --tide), "
                        "constant, or one rate per period (pandas frequency, e.g. YS or QS)")  # fmt: skip
    tide_argument(p)
    p.add_argument("--triggers", metavar="FILE", help="also write per-event trigger probabilities")
    p.add_argument("--mark", action="append", metavar="TRAIT",
                   help="also fit excitation that grows with the trigger's TRAIT (log1p(fatalities), rung, a column; "
                        "repeat for several) and test it against the unmarked model")  # fmt: skip
    p.set_defaults(func=cmd_hawkes)


def cmd_survival(args: argparse.Namespace) -> int:
    import pandas as pd

    from .._core.formats import write_table
    from .._core.subset import describe
    from ..stats.survival import time_to_response
    from ._common import EXIT_OK, load, output_path, print_baseline, print_counts

    target = output_path(args.output, "km.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    triggers, responses = answer_filters(args)
    result = time_to_response(events, window=args.window, by=None if args.pooled else "direction", tide=args.tide,
                              triggers=triggers, responses=responses)  # fmt: skip
    path = write_table(result.curves, target)
    print(repr(result))
    if triggers or responses:
        roles = [f"{name}: {describe(spec)}" for name, spec in (("triggers", triggers), ("answers", responses)) if spec]
        print(f"only {'; '.join(roles)} (every event stays in the data and the sides' tides)")
    print("time to the other side's next action (Kaplan-Meier; an answer or not):")
    print(result.summary().round(3).to_string(index=False))
    print_baseline(result.baseline, f"{{followed}}: events followed by the other side's action {result.timescale}")
    delay = result.answer_delay.summary() if not (triggers or responses) else pd.DataFrame()
    if len(delay):
        print("delay of the answers themselves (a Hawkes kernel by day lag over a tide background; 95% intervals):")

        def interval(est: str, low: str, high: str, form: str) -> Any:
            text = delay[est].map(form.format) + " [" + delay[low].map(form.format) + ", "
            return (text + delay[high].map(form.format) + "]").where(delay[low].notna(), "-")

        shown = delay.assign(
            answers=interval("answers_per_trigger", "lower", "upper", "{:.2f}"),
            median_days=interval("median_delay_days", "median_lower", "median_upper", "{:.1f}"),
        )[["trigger_side", "response_side", "triggers", "answers", "median_days"]]
        print(shown.rename(columns={"answers": "answers per trigger"}).to_string(index=False))
    lr = result.logrank
    if lr["df"]:
        print(f"log-rank test across groups: chi2 = {lr['chisq']:.2f}, df = {lr['df']}, p = {lr['pvalue']:.3g}")
    if lr["note"]:
        print(f"log-rank: {lr['note']}")
    if args.table:
        print(f"per-event table: {write_table(result.table, args.table)}")
    print(f"Kaplan-Meier curves: {path}")
    return EXIT_OK


def cmd_hawkes(args: argparse.Namespace) -> int:
    import json
    import warnings

    from .._core.atomic import write_text_atomic
    from .._core.formats import write_table
    from .._core.provenance import write_sidecar
    from ..stats.hawkes import fit_hawkes
    from ._common import EXIT_OK, load, output_path, print_counts

    target = output_path(args.output, "params.json")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        result = fit_hawkes(events, decay=args.decay, time_unit=args.time_unit, background=args.background,
                            tide=args.tide)  # fmt: skip
    for w in caught:
        print(f"escalation: warning: {w.message}", file=sys.stderr)
    for diagnostic in result.diagnostics:
        if "explosive" not in diagnostic:  # said above as a warning
            print(f"escalation: caution: {diagnostic}", file=sys.stderr)
    if target.suffix.lower() == ".json" or (not target.is_file() and target.exists()):  # JSON to a stream too
        path = write_text_atomic(target, json.dumps(result.to_dict(), indent=2) + "\n")
        write_sidecar(path)
    else:  # a table format: the parameters with their standard errors and intervals, one row each
        path = write_table(result.conf_int(), target)
    print(repr(result))
    print(result.conf_int().round(4).to_string(index=False))
    print("goodness of fit (time-rescaling, KS against Exp(1)):")
    print(result.goodness_of_fit.round(4).to_string(index=False))
    if args.triggers:
        print(f"trigger probabilities: {write_table(result.trigger_probabilities, args.triggers)}")
    if args.mark:
        _print_marks(events, args)
    print(f"parameters: {path}")
    return EXIT_OK


def _print_marks(events: Any, args: argparse.Namespace) -> None:
    """The marked model: each mark's multiplier of the excitation with its interval, and the test."""
    import warnings

    from ..stats.hawkes.marks import fit_marked_hawkes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the unmarked fit above said it already
        marked = fit_marked_hawkes(events, args.mark, decay=args.decay, time_unit=args.time_unit,
                                   background=args.background, tide=args.tide)  # fmt: skip
    print("excitation by the trigger's marks (times as many events set off per unit; 95% intervals):")
    for _, row in marked.summary().iterrows():
        missing = f"; {int(row['missing'])} events without it given the mean" if row["missing"] else ""
        interval = (f"[{row['multiplier_lower']:.2f}, {row['multiplier_upper']:.2f}]" if not row["note"]
                    else f"({row['note']})")  # fmt: skip
        print(f"  {row['term']}: x{row['multiplier']:.2f} {interval}{missing}")
    print(f"likelihood-ratio test against the unmarked model: LR = {marked.lr_statistic:.2f}, df = "
          f"{len(marked.terms)}, p = {marked.pvalue:.3g}")  # fmt: skip
