"""What every ``escalation`` command shares: exit codes, the data options, reading the data, the counts
printed on reading, the comparison with chance in words, output paths. The commands' modules (``cli.py`` and
``_cli_*.py``) import from here, never from each other."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, get_args

from .._core.levels import DRAWS, LEVEL
from .._core.vocabulary import Level
from .._core.words import counted
from ..errors import UsageError
from .read import add_read_arguments, apply_period

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
BUNDLED = "the bundled dataset (US / Iran / Iraqi militias, 2019-2021)"


def data_arguments(parser: argparse.ArgumentParser) -> None:
    """DATA and how to read it: every command that analyses events."""
    parser.add_argument(
        "data", nargs="?", metavar="DATA",
        help=f"event file (CSV/TSV, .xlsx/.xls/.ods, Parquet; ACLED, UCDP GED or GDELT detected); "
             f"default: {BUNDLED}",
    )  # fmt: skip
    parser.add_argument("--level", choices=get_args(Level), default="side",
                        help="analyse sides (default) or the camps the sides file puts them in: a patron and "
                             "the groups it backs count as one party")  # fmt: skip
    file_arguments(parser)


def file_arguments(parser: argparse.ArgumentParser, *, incidents: bool = True, what: str = "DATA") -> None:
    """How to read an event file (:class:`escalation.io.ReadOptions`): ``--columns`` ... and the reading options
    of :func:`.read.add_read_arguments`; ``incidents=False`` leaves out ``--incident-keys``."""
    from ..io.detect import FORMATS

    parser.add_argument(
        "--columns", metavar="MAP",
        help="column mapping, e.g. date=date_of_event,actor=killed_by,target=citizenship; "
        "event_type=ammunition|type_of_injury takes the first column with a value",
    )  # fmt: skip
    parser.add_argument("--sides", metavar="FILE", help="sides mapping: JSON object or name,side CSV (camps: a "
                        'JSON "camps" object or a third CSV column)')  # fmt: skip
    parser.add_argument("--format", default="auto", choices=FORMATS, help="input format (default: detected)")
    parser.add_argument(
        "--per-victim", action="store_true",
        help="each row is one person killed (fatalities = 1 per row), e.g. B'Tselem; rows are grouped into "
             "incidents (same day, acting side, target side, location) and every analysis counts incidents",
    )  # fmt: skip
    if incidents:
        parser.add_argument(
            "--incident-keys", metavar="COLS",
            help="group rows into incidents by these columns (comma-separated; default with --per-victim: "
                 "date,actor_side,target_side,location)",
        )  # fmt: skip
    parser.add_argument("--encoding", default="utf-8", type=encoding, help=f"text encoding of {what} (default: utf-8)")
    add_read_arguments(parser)


def encoding(name: str) -> str:
    """An encoding Python knows (argparse turns the ValueError into a usage error)."""
    from ..io._files import check_encoding

    try:
        return check_encoding(name)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(text: str, least: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {least}, got {value}")
    return value


#: Options whose value may start with a minus (a negative duration must reach the code that rejects it,
#: not be taken by argparse for an unknown option).
SIGNED_OPTIONS = ("--window", "--calm", "--tide")


def tide_argument(parser: argparse.ArgumentParser) -> None:
    """``--tide``: the one timescale of every comparison with chance (:mod:`escalation.chance`)."""
    parser.add_argument(
        "--tide", default="14D", metavar="DURATION",
        help="timescale of the comparison with chance: actions within a quarter of it count as possible "
             "answers, shared changes of rate slower than it are kept by the null (whole days; default 14D)",
    )  # fmt: skip


def file_options_need_data(args: argparse.Namespace) -> None:
    from ..io import ReadOptions

    if args.data is None and ReadOptions.from_arguments(args).describes_a_file():
        raise UsageError("--columns, --per-victim, --incident-keys, --format and the reading options need a DATA file")


def load(args: argparse.Namespace) -> Any:
    """Read DATA (or the bundled dataset) with the CLI's options."""
    from ..datasets import load_or_read
    from ..io import ReadOptions

    file_options_need_data(args)
    events = load_or_read(args.data, **ReadOptions.from_arguments(args).keywords())
    return apply_period(events, args).at_level(args.level)


def print_counts(events: Any, out: Any = None) -> None:
    out = out or sys.stdout
    p = events.provenance
    grouped = f" -> {len(events.frame)} incidents" if events.members is not None else ""
    print(f"{p['file']} ({p['format']}): {counted(events.n_read, 'row')} read, "
          f"{events.n_accepted} accepted, {events.n_rejected} rejected{grouped}", file=out)  # fmt: skip
    if p.get("columns_by_name"):
        named = ", ".join(f"{c!r} as {f}" for f, c in p["columns_by_name"].items())
        print(f"columns read by their names: {named} (map otherwise with --columns FIELD=COLUMN)", file=out)
    if p.get("date_order"):
        print(f"all-number dates read {p['date_order']} (--dayfirst or --monthfirst to say otherwise)", file=out)
    unmapped = sides_note(p, len(events.side_list()))
    if unmapped:
        print(unmapped, file=out)
    if events.period_note():
        print(f"period {events.period_note()}", file=out)
    if events.subset_note():
        print(f"subset {events.subset_note()}", file=out)
    if events.n_imprecise:
        print(f"{events.n_imprecise} {events.unit}s dated only to the week, month or a longer span "
              "(date_precision): left out of links, chains and time to response", file=out)  # fmt: skip
    if events.n_one_sided:
        print(f"{events.n_one_sided} one-sided {events.unit}s (no target): counted for their side, "
              "left out of links, episodes and time to response", file=out)  # fmt: skip
    for warning in events.warnings:
        print(f"warning: {warning}", file=out)


#: More sides than this, read without a sides file, are named as such: actor names are rarely the parties.
MANY_UNMAPPED = 6


def sides_note(provenance: Any, n_sides: int) -> str:
    """What the counts line adds when no sides file was given: a sides file beside the data that was not
    used (``NAME_sides.json`` or ``sides.json``), or many actor names read as sides; "" otherwise."""
    name = provenance.get("file")
    if provenance.get("sides") is not None or provenance.get("dataset") or not name or name.startswith("<"):
        return ""
    data = Path(name)
    beside = [data.with_name(f"{data.stem}_sides.json"), data.with_name("sides.json")]
    found = next((f for f in beside if f.is_file()), None)
    if found is not None:
        return (f"note: {found} is beside the data and was not used: each of the {n_sides} actor names is a side "
                f"(pass --sides {found} to map them)")  # fmt: skip
    if n_sides > MANY_UNMAPPED:
        return (f"note: no sides file: each of the {n_sides} actor names is a side (escalation sides drafts a "
                "mapping; pass it with --sides)")  # fmt: skip
    return ""


def print_baseline(table: Any, what: str, most: int = 20) -> None:
    """Observed counts per direction next to what chance gives (both sides keep their tides and bursts, the
    timing within each tide block is drawn at random): the ``most`` directions with the most responses, and
    a count of the rest (200 sides have 39,800 directions). ``what`` says which count, ``{came}`` standing
    for its name."""
    if table.empty:
        return
    moved = "the triggers" if "{came}" in what else "the answering side's actions"
    what = what.replace("{came}", '"came after"').replace("{followed}", '"followed by"')
    print(f"against chance ({what}; {moved} rotated within each tide block, {DRAWS} draws):")
    everything = table
    table = table.sort_values("responses", ascending=False, kind="stable").head(most)
    shown = table.assign(
        observed=table["observed"].astype(str) + " of " + table["responses"].astype(str),
        chance=with_interval(table["expected"], table["lower"], table["upper"], "{:.1f}", "{:.0f}"),
        p=table["pvalue"].map("{:.3f}".format),
    )[["trigger_side", "response_side", "observed", "chance", "p"]]
    print(shown.to_string(index=False))
    if len(everything) > most:
        low = int((everything["pvalue"] <= LEVEL).sum())
        print(f"... {len(everything) - most} more directions (all in .baseline from Python); of all "
              f"{len(everything)}, {low} have p <= {LEVEL:g}, where about {LEVEL * len(everything):.0f} would by "
              "chance alone")  # fmt: skip


def with_interval(value: Any, lower: Any, upper: Any, fmt: str, bounds: str | None = None) -> Any:
    """Columns of a printed table as ``value [lower, upper]``, the value in ``fmt`` and the bounds in ``bounds``
    (default: ``fmt`` too)."""
    edge = (bounds or fmt).format
    return value.map(fmt.format) + " [" + lower.map(edge) + ", " + upper.map(edge) + "]"


def output_path(value: str | None, default: str) -> Path:
    """Where a command writes: ``-o`` as given, or ``default`` in the working folder.

    Without ``-o``, a file already at ``default`` is replaced only when escalation wrote it and nobody changed
    it since (its ``NAME.provenance.json`` is there and not older than it): a run never overwrites a file of
    yours, such as a ``links.csv`` of hand-coded links or the ``sides.json`` draft you edited.
    """
    from .._core.provenance import sidecar_path

    if value:
        return Path(value)
    path = Path(default)
    if path.exists():
        record = sidecar_path(path)
        if not record.exists() or path.stat().st_mtime > record.stat().st_mtime:
            why = "escalation did not write it" if not record.exists() else "it was changed after escalation wrote it"
            raise UsageError(f"{default} is already in this folder and {why}: name the output with -o FILE (without "
                             "-o, no file of yours is replaced)")  # fmt: skip
    return path
