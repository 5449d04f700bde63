"""The ``escalation answers`` command: what makes an answer sooner, against what the tides give."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from .._core.levels import DRAWS
from ._filters import add_answer_filter_arguments, answer_filters
from .read import FORMATS_HELP, add_period_arguments


def add_answers_parser(
    sub: Any,
    data_arguments: Callable[[argparse.ArgumentParser], None],
    tide_argument: Callable[[argparse.ArgumentParser], None],
) -> None:
    p = sub.add_parser(
        "answers", help="what makes an answer sooner: a Cox model of the time to response, against the tides",
        description="For every action by A against B, the time until B's next action against A (censored at "
        "--window and at the end of the data), modelled on traits of the action (Cox proportional hazards, "
        "intervals clustered by shared answer). Each hazard ratio is compared with what the same model gives "
        "when the answering side's actions are rotated within the tide's blocks (no answer possible).",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument("--covariate", action="append", required=True, metavar="TRAIT",
                   help="a trait of the action that may be answered (repeat for several): a numeric column "
                        "(fatalities), log1p(COLUMN) for counts, rung (the ladder's rank), a text column (one "
                        "term per value against the most common), or C(COLUMN)")  # fmt: skip
    p.add_argument(
        "--window",
        help="longest wait counted as an answer: 30D; a bare number is days (default: a quarter of "
        "--tide, the timescale at which the comparison with the tides tells answers apart)",
    )
    p.add_argument(
        "--pooled",
        action="store_true",
        help="one model for all directions (each its own baseline hazard), not one per direction",
    )
    add_answer_filter_arguments(p)
    p.add_argument("--ladder", metavar="FILE",
                   help="escalation ladder CSV event_type,rank for rung (default: built-in)")  # fmt: skip
    p.add_argument("--draws", type=int, default=DRAWS, metavar="N",
                   help=f"histories of the comparison with the tides (0: none; default {DRAWS})")  # fmt: skip
    tide_argument(p)
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"one row per direction and term (default answers.csv; {FORMATS_HELP})")  # fmt: skip
    p.add_argument("--table", metavar="FILE", help="also write one row per action with its wait and traits")
    p.set_defaults(func=cmd_answers)


def cmd_answers(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from ..errors import UsageError
    from ..events.ladder import as_ladder
    from ..stats.answers import MIN_ANSWERS_PER_TERM, answer_model
    from ._common import EXIT_OK, load, output_path, print_counts, with_interval

    if args.draws < 0:
        raise UsageError(f"--draws must be 0 or more, got {args.draws}")
    target = output_path(args.output, "answers.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    triggers, responses = answer_filters(args)
    result = answer_model(events, args.covariate, window=args.window, by=None if args.pooled else "direction",
                          tide=args.tide, triggers=triggers, responses=responses, ladder=as_ladder(args.ladder),
                          draws=args.draws)  # fmt: skip
    summary = result.summary()
    path = write_table(summary, target)
    print(repr(result))
    window = result.window / result.window.__class__(days=1)  # a Timedelta: days without importing pandas here
    print(f"hazard ratio: how much sooner the other side's next action (within {window:g} days) follows an action "
          "with one more unit of the trait (above 1: sooner); 95% intervals clustered by shared answer")  # fmt: skip
    if args.draws:
        print(f"tides: the same model with the answering side's actions rotated within {result.tide.days}-day "
              f"blocks ({args.draws} draws): what shared seasons and surges give when nobody answers")  # fmt: skip
    fitted = summary[summary["verdict"] != "not estimated"]
    if len(fitted):
        shown = fitted.assign(
            hr=with_interval(fitted["hazard_ratio"], fitted["lower"], fitted["upper"], "{:.2f}"),
            p=fitted["pvalue"].map("{:.3g}".format),
            tides=with_interval(fitted["chance_hr"], fitted["chance_lower"], fitted["chance_upper"], "{:.2f}").where(
                fitted["chance_hr"].notna(), "-"
            ),
            p_tides=fitted["pvalue_tide"].map("{:.3g}".format).where(fitted["pvalue_tide"].notna(), "-"),
        )[["group", "term", "events", "answered", "hr", "p", "tides", "p_tides", "verdict"]]
        print(shown.rename(columns={"hr": "hazard ratio", "p_tides": "p (tides)"}).to_string(index=False))
    skipped = summary[summary["verdict"] == "not estimated"].drop_duplicates("group")
    if len(skipped):
        print(f"not estimated (at least {MIN_ANSWERS_PER_TERM} answers per term, a trait that varies):")
        for row in skipped.itertuples():
            print(f"  {row.group}: {row.note}")
    notes = fitted["note"][fitted["note"].astype(bool)].drop_duplicates()
    for group, note in zip(fitted.loc[notes.index, "group"], notes, strict=True):
        print(f"note: {group}: {note}")
    if args.table:
        print(f"per-action table: {write_table(result.to_frame(), args.table)}")
    print(f"hazard ratios: {path}")
    return EXIT_OK
