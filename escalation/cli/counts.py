"""The ``escalation counts`` command: a tidy panel of events, deaths and injuries per unit and period."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .read import FORMATS_HELP, add_period_arguments


def add_counts_parser(sub: Any, data_arguments: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "counts", help="a panel for your own models: events, deaths, injuries per side, dyad or place and period",
        description="One row per unit and period, zeros included (every unit of the data in every period from "
        "the first to the last, or from --start to --end): events, fatalities (known deaths) and how many "
        "events had no count, injuries likewise.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument("--by", default="side", metavar="UNIT",
                   help="side (acting side, default), target, dyad (directed), or columns of the data "
                        "(comma-separated, e.g. location or country,admin1)")  # fmt: skip
    p.add_argument("--freq", default="W", help="period: D, W (Monday to Sunday), M or Y (default W)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"the panel (default counts.csv; {FORMATS_HELP})")  # fmt: skip
    p.set_defaults(func=cmd_counts)


def cmd_counts(args: argparse.Namespace) -> int:
    import sys

    from .._core.formats import write_table
    from ..stats.counts import UNITS, count_freq, counts
    from ._common import EXIT_OK, load, output_path, print_counts

    target = output_path(args.output, "counts.csv")  # refused now, not after the work
    count_freq(args.freq, "--freq")  # before the data are read
    events = load(args)  # --start/--end cut here too: the panel then runs over the period asked for
    print_counts(events, sys.stderr)
    by = args.by if args.by in UNITS else [c.strip() for c in args.by.split(",") if c.strip()]
    panel = counts(events, by=by, freq=args.freq, start=args.start, end=args.end)
    path = write_table(panel, target)
    n_periods = panel["period"].nunique()
    plural = "s" if n_periods != 1 else ""
    print(f"{len(panel)} rows: {len(panel) // max(n_periods, 1)} units x {n_periods} period{plural} "
          f"({panel.attrs['freq']}), {int(panel['events'].sum())} {panel.attrs['unit']}s; "
          f"{panel.attrs['left_out']} without a {args.by} left out")  # fmt: skip
    print(f"panel: {path}")
    return EXIT_OK
