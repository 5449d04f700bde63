"""The ``escalation reciprocity`` command: Granger and count-model tests between sides, from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from .._core.levels import DRAWS
from .._core.vocabulary import RENAMED_VALUES
from ..errors import UsageError
from .read import FORMATS_HELP, add_period_arguments


def add_reciprocity_parser(
    sub: Any,
    data_arguments: Callable[[argparse.ArgumentParser], None],
    tide_argument: Callable[[argparse.ArgumentParser], None],
) -> None:
    p = sub.add_parser(
        "reciprocity", help="VAR Granger tests, impulse responses and count models between sides",
        description="One series per side as actor (events, fatalities, or any killed per period); a VAR with "
        "Granger F-tests both ways, plus Poisson and negative-binomial (or logit) score tests; p-values from "
        "the cause's series resampled with both sides' tides kept (each --tide block rotated on its own), "
        "adjusted across the table.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)  # the series run from --start to --end, zero-filled
    p.add_argument("--freq", default="D", help="period of the series: D, W or a month (M, MS, ME); default D")
    p.add_argument("--lags", metavar="N|aic|bic|hqic|GROUPS",
                   help="lag order, criterion, or count-model groups such as 1,2-7,8-14 (default: every lag up to "
                        "a quarter of the tide)")  # fmt: skip
    p.add_argument("--measure", default="events", choices=["events", "fatalities", "any"],
                   help="what is counted: events (default), fatalities (known deaths), or 1 if anyone was "
                        "killed")  # fmt: skip
    p.add_argument("--controls", metavar="LIST", help="dummies in every equation: year, month, dow (comma-separated)")
    p.add_argument("--adjust", default="holm", choices=["holm", "fdr_bh", "bonferroni", "none"],
                   help="multiple-testing adjustment across the table (default holm)")  # fmt: skip
    p.add_argument("--inference", default="tide", choices=["tide", "shift", "asymptotic"],
                   help="p-values from rotations within tide blocks (default), shifts of the whole series "
                        "(which take shared phases for prediction), or asymptotic")  # fmt: skip
    p.add_argument("--draws", "--shifts", dest="draws", type=int, default=DRAWS,
                   help=f"number of resampled series (default {DRAWS})")  # fmt: skip
    tide_argument(p)
    p.add_argument("--by", default="side", choices=["side", "dyad"],
                   help="one series per acting side (default), or per directed dyad tested against its "
                        "reverse")  # fmt: skip
    # --series actor|dyad was --by's name before 0.2; it works for one more release and says so
    p.add_argument("--series", dest="old_series", choices=["actor", "dyad"], help=argparse.SUPPRESS)
    p.add_argument("--irf-order", metavar="SIDES", help="VAR order of the sides (comma-separated; first listed first)")
    p.add_argument("--orthogonal", action="store_true", help="orthogonalised impulse responses (in --irf-order)")
    p.add_argument("--irf-bands", default="asymptotic", choices=["asymptotic", "bootstrap"],
                   help="impulse-response bands: asymptotic (default) or Monte-Carlo")  # fmt: skip
    p.add_argument("--irf-table", metavar="FILE", help="also write the impulse responses with their bands")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"test table (default reciprocity.csv; {FORMATS_HELP})",
    )
    p.set_defaults(func=cmd_reciprocity)


def cmd_reciprocity(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from ..stats.reciprocity.analysis import reciprocity
    from ._common import EXIT_OK, load, output_path, print_counts

    by = args.by
    if args.old_series is not None:
        by = RENAMED_VALUES.get(args.old_series, args.old_series)
        print(f"escalation: --series {args.old_series} is now --by {by} (the old option goes in the next release)",
              file=sys.stderr)  # fmt: skip
    target = output_path(args.output, "reciprocity.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    controls = [c.strip() for c in args.controls.split(",") if c.strip()] if args.controls else None
    result = reciprocity(events, freq=args.freq, lags=_lags(args.lags), measure=args.measure, start=args.start,
                         end=args.end, controls=controls, adjust=args.adjust, inference=args.inference,
                         draws=args.draws, by=by, tide=args.tide,
                         irf_order=[x.strip() for x in args.irf_order.split(",")] if args.irf_order else None,
                         orthogonal=args.orthogonal, irf_bands=args.irf_bands)  # fmt: skip
    path = write_table(result.tests, target)
    print(repr(result))
    for sentence in result.sentences():
        print(f"- {sentence}")
    print(result.tests.round(4).to_string(index=False))
    print(f"tests: {path}")
    if args.irf_table:
        print(f"impulse responses: {write_table(result.irf_table, args.irf_table)}")
    return EXIT_OK


def _lags(text: str | None) -> Any:
    """``--lags 5``, ``aic``/``bic``/``hqic``, or groups ``1,2-7,8-14``."""
    if text is None:
        return None
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in ("aic", "bic", "hqic"):
        return text
    groups: list[Any] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise UsageError(f"--lags: {text!r} is not a number, aic/bic/hqic, or groups such as 1,2-7,8-14")
        groups.append(int(low) if not high else (int(low), int(high)))
    return groups
