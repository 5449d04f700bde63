"""The command line's options that say how to read a file: dates, delimiter, sheet, GDELT actor level, NA.

Shared by every command that reads DATA and by ``convert``;
:meth:`escalation.io.ReadOptions.from_arguments` turns them (with DATA's ``--columns``, ``--sides``, ...) into
the options of :func:`escalation.read_events`, so that defaults stay in one place.
"""

from __future__ import annotations

import argparse
from typing import Any, get_args

from .._core.vocabulary import ActorLevel

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
    parser.add_argument("--actor-level", choices=get_args(ActorLevel),
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


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    """``--start``/``--end``: the days analysed (:meth:`escalation.Events.between`); the rest are counted."""
    parser.add_argument("--start", metavar="DATE",
                        help="first day analysed (YYYY-MM-DD); earlier events are left out, and counted")  # fmt: skip
    parser.add_argument("--end", metavar="DATE", help="last day analysed (inclusive)")


def apply_period(events: Any, args: argparse.Namespace) -> Any:
    """The events of ``--start``..``--end`` (all of them without either)."""
    return events.between(getattr(args, "start", None), getattr(args, "end", None))
