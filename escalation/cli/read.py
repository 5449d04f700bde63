"""The command line's options that say how to read a file: dates, delimiter, sheet, GDELT actor level, NA.

Shared by every command that reads DATA and by ``convert``; :func:`read_options` turns them into the
keyword arguments of :func:`escalation.read_events` (only those given, so defaults stay in one place).
"""

from __future__ import annotations

import argparse
from typing import Any

#: the table formats, as every -o help says them (escalation._core.formats.TABLE_FORMATS; a test checks they agree)
FORMATS_HELP = "format by extension: .csv .tsv .parquet .dta .xlsx .json .tex"


def add_read_arguments(parser: argparse.ArgumentParser) -> None:
    dates = parser.add_mutually_exclusive_group()
    dates.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
        help="read all-number dates as day/month/year (01/03/2021 = 1 March); without this or --monthfirst "
             "a column is read as its dates settle it (27/12/2019: day first) and refused as ambiguous when they "
             "do not. ISO and '3 March 2021' dates are always read",
    )  # fmt: skip
    dates.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read all-number dates as month/day/year (01/03/2021 = 3 January)")  # fmt: skip
    parser.add_argument(
        "--date-format", metavar="FMT", action="append",
        help="strftime format of the dates, tried first (e.g. '%%d.%%m.%%Y %%H:%%M'); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--delimiter", metavar="CHAR", type=_delimiter,
        help="field delimiter of a text file: , ; | or 'tab' (default: told from the first lines)",
    )  # fmt: skip
    parser.add_argument("--sheet", metavar="NAME", help="sheet of a spreadsheet, by name or 0-based number")
    parser.add_argument("--actor-level", choices=["code", "name", "country"],
                        help="GDELT: sides from Actor1Code (default), Actor1Name or Actor1CountryCode")  # fmt: skip
    parser.add_argument("--na-values", metavar="LIST",
                        help="comma-separated cell texts read as missing (default: empty, NA, N/A, NULL, #N/A, ...); "
                             "'' keeps NA as text")  # fmt: skip


def _delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(text.lower(), text)
    if len(value) != 1 or value in '"\r\n':
        raise argparse.ArgumentTypeError(f"a delimiter is one character (or 'tab'), got {text!r}")
    return value


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    """The reading options given on the command line, as :func:`escalation.read_events` keywords."""
    options: dict[str, Any] = {
        "dayfirst": getattr(args, "dayfirst", None),
        "date_format": getattr(args, "date_format", None),
        "delimiter": getattr(args, "delimiter", None),
        "sheet": getattr(args, "sheet", None),
        "actor_level": getattr(args, "actor_level", None),
    }
    na = getattr(args, "na_values", None)
    if na is not None:
        options["na_values"] = [""] + [v.strip() for v in na.split(",") if v.strip() and v.strip() != "''"]
    return {k: v for k, v in options.items() if v is not None}


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    """``--start``/``--end``: the days analysed (:meth:`escalation.Events.between`); the rest are counted."""
    parser.add_argument("--start", metavar="DATE",
                        help="first day analysed (YYYY-MM-DD); earlier events are left out, and counted")  # fmt: skip
    parser.add_argument("--end", metavar="DATE", help="last day analysed (inclusive)")


def apply_period(events: Any, args: argparse.Namespace) -> Any:
    """The events of ``--start``..``--end`` (all of them without either)."""
    return events.between(getattr(args, "start", None), getattr(args, "end", None))
