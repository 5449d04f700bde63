"""The ``escalation`` command: a thin shell over the public functions.

Exit codes: 0 success, 1 a data problem (unreadable file, rejected rows in
``validate``), 2 a usage mistake. Errors go to stderr as one line, without a
traceback; output paths are printed on stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .._core.memory import use_jemalloc
from .._core.words import counted
from ..errors import DataError, EscalationError, UsageError
from ._common import (
    BUNDLED,
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    SIGNED_OPTIONS,
    data_arguments,
    file_arguments,
    file_options_need_data,
    load,
    output_path,
    positive_int,
    print_baseline,
    print_counts,
    tide_argument,
)
from .answers import add_answers_parser
from .counts import add_counts_parser
from .forecast import add_forecast_parser
from .models import add_hawkes_parser, add_survival_parser
from .outputs import check_output_formats, input_files, refuse_output_onto_input
from .read import FORMATS_HELP, add_period_arguments
from .reciprocity import add_reciprocity_parser
from .sides import add_sides_parser


def _join_signed_values(argv: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in SIGNED_OPTIONS and i + 1 < len(argv) and re.match(r"-[\d.]", argv[i + 1]):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def cmd_convert(args: argparse.Namespace) -> int:
    from ..io import ReadOptions, read_events

    if not str(args.dest).endswith(".parquet"):
        raise UsageError("DEST must end in .parquet (a Parquet dataset folder)")
    options = ReadOptions.from_arguments(args).keywords()
    if args.engine == "dask":
        from .._core.progress import is_shown
        from ..engine.dask import convert
        from .dask_engine import dask_cluster

        with dask_cluster(args):
            counts = convert(args.src, args.dest, **options, progress=is_shown())
    else:
        from ..io.dataset import write_converted

        ev = read_events(args.src, **options)
        counts = {"rows_read": ev.n_read, "accepted": ev.n_accepted, "rejected": ev.n_rejected}
        write_converted(ev, args.dest, sources=[str(args.src)], options=options)
    from ..io.dataset import rejections_path

    events_path = Path(args.dest)
    rejected_path = rejections_path(events_path)
    print(f"{args.src}: {counted(counts['rows_read'], 'row')} read, {counts['accepted']} accepted, "
          f"{counts['rejected']} rejected")  # fmt: skip
    print(f"events: {events_path}")
    print(f"rejections: {rejected_path}")
    return EXIT_OK


def _listed(names: list[str], most: int = 12) -> str:
    """A readable list: all names, or the first ``most`` and how many more."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {len(names) - most} more ({len(names)} sides)"


def cmd_validate(args: argparse.Namespace) -> int:
    from .._core.formats import write_table

    if args.engine == "dask":
        from .dask_engine import cmd_validate_dask

        if args.level != "side":
            raise UsageError("--level camp is not available with --engine dask")
        return cmd_validate_dask(args)
    events = load(args)
    print_counts(events)
    if len(events.frame):
        f = events.frame
        print(f"dates {f['date'].min():%Y-%m-%d} to {f['date'].max():%Y-%m-%d}; "
              f"sides: {_listed(events.side_list())}")  # fmt: skip
        by_side = events.summary()[["side", "events", "fatalities"]]
        print(by_side.to_string(index=False))
    if events.n_read == 0:
        return EXIT_DATA  # nothing to analyse (the warning above says why)
    if events.n_rejected or events.n_dropped_links:
        counts = events.counts
        reasons = counts[counts.index.str.startswith("rejected: ")]
        if len(reasons):
            print("rejections by reason:")
        for label, n in reasons["n"].items():
            print(f"  {label.removeprefix('rejected: ')}: {n}")
        if args.rejections:
            path = write_table(events.rejections, args.rejections)
            print(f"rejection table: {path}")
        else:
            print(events.rejections.head(10).to_string(index=False))
            if len(events.rejections) > 10:
                print(f"... {len(events.rejections) - 10} more; write them all with --rejections FILE")
        # a dropped link loses no event: the data can be analysed as it is, and the exit says so
        return EXIT_DATA if events.n_rejected else EXIT_OK
    return EXIT_OK


def cmd_chains(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from .._core.time import sorted_frame
    from ..chance import parse_tide
    from ..chance.links import link_baseline
    from ..events.ladder import as_ladder
    from ..linking._rule import check_link_options
    from ..linking.chains import chains

    if args.engine == "dask":
        from .dask_engine import cmd_chains_dask

        if args.level != "side":
            raise UsageError("--level camp is not available with --engine dask: put the camps in the sides file "
                             "as sides (name -> camp) instead")  # fmt: skip
        if args.start or args.end:
            raise UsageError("--start and --end are not available with --engine dask: cut the data first "
                             "(escalation convert, then a Parquet filter), or use the pandas engine")  # fmt: skip

        return cmd_chains_dask(args)
    target = output_path(args.output, "links.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    # The chance baseline (ChainsResult.baseline) needs only the events: computed before the links exist, its
    # temporaries (about 1 GiB at 10^7 events) do not come on top of the link and chain tables. The options
    # are checked first, so that a mistake fails before that work.
    window = check_link_options(args.window, args.max_distance_km, args.method, args.min_probability)
    tide = parse_tide(args.tide)
    ladder = as_ladder(args.ladder)
    baseline = link_baseline(sorted_frame(events), window, tide=tide)
    result = chains(events, window=args.window, max_distance_km=args.max_distance_km, ladder=ladder,
                    method=args.method, min_probability=args.min_probability, resolution=args.resolution,
                    tide=tide)  # fmt: skip
    path = write_table(result.links, target)
    s = result.summary().iloc[-1]  # all sides
    rule = (f"Hawkes link probability >= {args.min_probability}" if args.method == "hawkes"
            else "reversal rule")  # fmt: skip
    median = f"; median interval {s['median_interval_days']:.1f} days" if int(s["links"]) else ""
    print(
        f"{counted(int(s['links']), 'link')} ({int(s['stated'])} stated, {int(s['inferred'])} inferred by the "
        f"{rule}) between {counted(len(events.frame), events.unit)} in {counted(int(s['chains']), 'chain')}; "
        f"window {args.window}{median}"
    )
    print(
        f"steps: {int(s['escalation'])} escalation, {int(s['proportional'])} proportional, "
        f"{int(s['de-escalation'])} de-escalation, {int(s['unknown'])} unknown"
    )
    if len(result.chains):
        top = result.chains.sort_values(["n_steps", "start"], ascending=[False, True]).head(args.top)
        columns = ["chain_id", "start", "end", "n_events", "n_steps", "n_escalations", "sides"]
        shown = top[columns].assign(start=top["start"].dt.strftime("%Y-%m-%d"), end=top["end"].dt.strftime("%Y-%m-%d"))
        print(f"longest chains:\n{shown.to_string(index=False)}")
    print_baseline(baseline, f"{{came}}: responses with the other side's action {result.timescale}")
    if result.model is not None:
        _print_model(result)
    if args.chains_output:
        print(f"chains: {write_table(result.chains, args.chains_output)}")
    print(f"links: {path}")
    return EXIT_OK


def _print_model(result: Any) -> None:
    model = result.model
    print(f"dyadic Hawkes model ({model.resolution} time; mean delay {model.mean_delay_days:.1f} days"
          f"{'; decay at the edge of its range' if model.at_bound else ''}"
          f"{'; NOT CONVERGED' if not model.converged else ''}):")  # fmt: skip
    print(model.to_frame().round(3).to_string(index=False))
    check = result.stated_check
    improbable = check[check["verdict"] == "improbable"]
    for row in improbable.itertuples():
        print(f"stated link the model finds improbable: {row.trigger_id} -> {row.response_id} "
              f"({row.interval_days:g} days, probability {row.probability:.2g})")  # fmt: skip
    if (check["verdict"] == "not assessed").any():
        print(f"{int((check['verdict'] == 'not assessed').sum())} stated links not assessed by the model "
              "(trigger not in the reversed dyad, on the same day in daily data, or a dyad in which the model "
              "cannot tell answers from none)")  # fmt: skip


def cmd_episodes(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from ..linking.episodes import episodes

    target = output_path(args.output, "episodes.csv")  # refused now, not after the work
    events = load(args)
    print_counts(events, sys.stderr)
    result = episodes(events, calm=args.calm)
    path = write_table(result.episodes, target)
    print(repr(result))
    summary = result.summary()
    if len(summary):
        print(summary.round(2).to_string(index=False))
    print(f"episodes: {path}")
    return EXIT_OK


QUIET_HELP = "no progress bars (they show on a terminal only) and no Dask dashboard line"
#: Extensions of data and table files: "-o NAME.csv" for a report is a slip, not a folder to create.
NOT_A_REPORT = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".parquet", ".json", ".dta", ".tex", ".md")


def cmd_report(args: argparse.Namespace) -> int:
    from ..io import ReadOptions
    from ..report import build_report

    file_options_need_data(args)
    # "-o gaza.html" names the report (gaza.html and gaza.pdf side by side); anything else is a folder
    out = Path(args.output)
    output_dir, name = (out.parent, out.stem) if out.suffix.lower() in (".html", ".htm", ".pdf") else (out, None)
    if name is None and (out.is_file() or out.suffix.lower() in NOT_A_REPORT):
        # "-o my.csv" made a folder my.csv/ holding the report; onto an existing file it failed with "File exists"
        raise UsageError(f"-o {out}: a report is written as NAME.html (with NAME.pdf beside it) or into a folder; "
                         f"{out} is {'a file' if out.is_file() else 'named as a data file'}")  # fmt: skip
    paths = build_report(
        args.data,
        read_options=ReadOptions.from_arguments(args),
        window=args.window,
        calm=args.calm,
        tide=args.tide,
        ladder=args.ladder,
        start=args.start,
        end=args.end,
        freq=args.freq,
        measure=args.measure,
        level=args.level,
        min_n=args.min_n,
        forecast_at=args.forecast_at,
        source_name=args.source_name,
        source_url=args.source_url,
        source_note=args.source_note,
        title=args.title,
        output_dir=output_dir,
        name=name,
        pdf=not args.no_pdf,
        keep_notebook=args.keep_notebook,
        tables=args.tables,
        progress=sys.stderr.isatty() and not args.quiet,
    )
    print(paths.html)
    if paths.pdf:
        print(paths.pdf)
    if paths.removed:
        print(f"escalation: removed {paths.removed}, an earlier run's PDF (--no-pdf writes none beside this HTML)",
              file=sys.stderr)  # fmt: skip
    if paths.notebook:
        print(paths.notebook)
    if paths.tables:
        svg = sum(p.suffix == ".svg" for p in paths.tables)
        print(f"{(len(paths.tables) - svg) // 2} tables as CSV and LaTeX and {svg} figures as SVG in "
              f"{paths.tables[0].parent}")  # fmt: skip
    return EXIT_OK


def _engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", default="pandas", choices=["pandas", "dask"],
                        help="pandas (one file in memory) or dask (many files, larger than memory)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers (default 2)")
    parser.add_argument("--memory-limit", default="auto", metavar="SIZE",
                        help="memory of each LocalCluster worker, e.g. 8GiB; past 60-70%% of it Dask spills "
                        "to disk (default: the machine's memory shared among workers)")  # fmt: skip
    parser.add_argument("--scheduler", metavar="ADDRESS", help="use a running Dask cluster instead")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escalation",
        description="Escalation-chain analysis of conflict event data: what answered what, "
        "after how long, and did it go up or down the ladder.",
        epilog=f"Without DATA, commands use {BUNDLED}. Exit codes: 0 ok, 1 data problem, 2 usage.",
    )
    parser.add_argument("--version", action="version", version=f"escalation {__version__}")
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=QUIET_HELP,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "validate", help="read an event file and report accepted and rejected rows",
        description="Read DATA, print rows read / accepted / rejected and the reasons. "
        "Exits 1 if any row was rejected.",
    )  # fmt: skip
    data_arguments(p)
    p.add_argument("--rejections", metavar="FILE", help=f"write the rejection table ({FORMATS_HELP})")
    _engine_arguments(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "convert", help="read event files once and write a Parquet dataset (plus its rejections)",
        description="Read SRC (a file, a folder or a glob) with the usual options and write DEST.parquet, "
        "a Parquet dataset of the accepted events, and DEST.parquet.rejections beside it.",
    )  # fmt: skip
    p.add_argument("src", metavar="SRC", help="event file, folder or glob (quote globs)")
    p.add_argument("dest", metavar="DEST.parquet", help="output Parquet dataset folder")
    file_arguments(p, incidents=False, what="SRC")
    _engine_arguments(p)
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser(
        "chains", help="link responses to triggers and write the link table",
        description="Find stated (responds_to) and inferred (dyad reversal within --window) links, "
        "group them into chains and write one row per link.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument(
        "--window",
        default="30D",
        help="how far back a response looks for its trigger: 30D, 12h, 2W; a bare number is days (default 30D)",
    )
    p.add_argument("--max-distance-km", type=float, help="only link events within this distance")
    tide_argument(p)
    p.add_argument(
        "--method",
        default="reversal",
        choices=["reversal", "hawkes"],
        help="how links are inferred: the reversal rule (default) or Hawkes link probabilities",
    )
    p.add_argument(
        "--min-probability",
        type=float,
        default=0.5,
        help="with --method hawkes: least probability of an inferred link (default 0.5)",
    )
    p.add_argument(
        "--resolution",
        default="auto",
        choices=["auto", "daily", "continuous"],
        help="with --method hawkes: model time (default auto: daily unless every event has a time)",
    )
    p.add_argument("--ladder", metavar="FILE", help="escalation ladder CSV event_type,rank (default: built-in)")
    p.add_argument("-o", "--output", metavar="FILE", help=f"link table (default links.csv; {FORMATS_HELP})")
    p.add_argument("--chains-output", metavar="FILE", help="also write the one-row-per-chain table")
    p.add_argument("--top", type=int, default=5, help="how many chains to print (default 5)")
    _engine_arguments(p)
    # linking's shuffle only: validate and convert do not shuffle, so they do not offer it
    p.add_argument("--partitions", type=positive_int, metavar="N",
                   help="with --engine dask: split the events into N partitions before linking's shuffle; a few "
                   "hundred thousand events each for workers under 4 GiB (default: one per file)")  # fmt: skip
    p.set_defaults(func=cmd_chains)

    p = sub.add_parser(
        "episodes", help="split dyads into episodes separated by calm",
        description="Split each dyad's events at gaps of at least --calm and write one row per episode.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument(
        "--calm", default="3D", help="shortest gap that ends an episode: 3D, 36h; a bare number is days (default 3D)"
    )
    p.add_argument("-o", "--output", metavar="FILE", help=f"episode table (default episodes.csv; {FORMATS_HELP})")
    p.set_defaults(func=cmd_episodes)

    add_survival_parser(sub, data_arguments, tide_argument)
    add_answers_parser(sub, data_arguments, tide_argument)
    add_reciprocity_parser(sub, data_arguments, tide_argument)
    add_sides_parser(sub, data_arguments)
    add_counts_parser(sub, data_arguments)

    add_hawkes_parser(sub, data_arguments, tide_argument)
    add_forecast_parser(sub, data_arguments)

    p = sub.add_parser(
        "report", help="write the HTML and PDF report (the main job)",
        description="Run every analysis on DATA (default: the bundled dataset) in the packaged report "
        "notebook and write DIR/<name>.html and DIR/<name>.pdf (or NAME.html and NAME.pdf with -o NAME.html); "
        "prints both paths.",
    )  # fmt: skip
    data_arguments(p)
    add_period_arguments(p)
    p.add_argument("--window", default="30D", help="link and response window: 30D; a bare number is days (default 30D)")
    p.add_argument("--calm", default="3D", help="gap that ends an episode: 3D; a bare number is days (default 3D)")
    tide_argument(p)
    p.add_argument("--ladder", metavar="FILE", help="escalation ladder CSV event_type,rank (default: built-in)")
    p.add_argument("--source-name", metavar="NAME", help="who published the data (named in the report)")
    p.add_argument("--source-url", metavar="URL", help="where the data were published")
    p.add_argument("--source-note", metavar="TEXT", help="citation, coverage or retrieval note for the report")
    p.add_argument("--title", help="report title")
    p.add_argument("-o", "--output", default="reports", metavar="DIR",
                   help="output folder (default reports/), or NAME.html for NAME.html and NAME.pdf")  # fmt: skip
    p.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    p.add_argument("--keep-notebook", action="store_true", help="also write the executed notebook")
    p.add_argument("--freq", default="D",
                   help="period of the reciprocity series: D (default), W or a month (M, MS, ME)")  # fmt: skip
    p.add_argument("--measure", default="events", choices=["events", "fatalities", "any"],
                   help="what the reciprocity series count: events (default), fatalities (known deaths), or any killed "
                        "(0/1)")  # fmt: skip
    p.add_argument("--tables", metavar="DIR",
                   help="also write every table as CSV and LaTeX into DIR (the page links to them)")  # fmt: skip
    p.add_argument("--min-n", type=lambda text: positive_int(text, 2), default=10, metavar="N",
                   help="the least sample a finding, a drawn curve or a comparison with chance rests on: actions of "
                   "a direction, events of a curve, steps with both rungs known (default 10)")  # fmt: skip
    p.add_argument("--forecast-at", metavar="DATE",
                   help="the day of the \"What is likely next\" forecast, made from the events before it (default: "
                   "the day after the last event)")  # fmt: skip
    p.set_defaults(func=cmd_report)
    for command in sub.choices.values():  # "escalation report --quiet" as well as "escalation --quiet report"
        command.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                             help=QUIET_HELP)  # fmt: skip
    return parser


#: The options that name files the command reads, and those that name files it writes.
def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM as an interrupt: the same clean-up as Ctrl-C (temporary files, the report's kernel)."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``escalation`` command."""
    from .._core.terminal import safe_streams

    with safe_streams():  # data never prints terminal commands, and no character ends in an encoding error
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    import signal

    parser = build_parser()
    args = parser.parse_args(_join_signed_values(list(sys.argv[1:] if argv is None else argv)))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (a test calling main() from a worker): leave SIGTERM as it is
        previous = None
    try:
        use_jemalloc()
        refuse_output_onto_input(args)
        check_output_formats(args)
        from .._core.progress import shown
        from .._core.provenance import recording

        argv_used = list(sys.argv[1:] if argv is None else argv)
        with shown(sys.stderr.isatty() and not args.quiet), recording(argv_used, input_files(args)):
            return int(args.func(args))  # bars on a terminal only, never in a log or pipe
    except UsageError as exc:
        print(f"escalation: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (DataError, EscalationError) as exc:
        print(f"escalation: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # `escalation ... | head` is fine
        return EXIT_OK
    except KeyboardInterrupt:
        print("escalation: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file that cannot be read or written: say which and why, in one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"escalation: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_DATA
    except Exception as exc:  # a bug, not the user's doing: one line, and how to get the details
        if os.environ.get("ESCALATION_TRACEBACK"):
            raise
        print(f"escalation: internal error: {type(exc).__name__}: {exc} (this is a bug in escalation; "
              "run again with ESCALATION_TRACEBACK=1 for the traceback and report it)", file=sys.stderr)  # fmt: skip
        return EXIT_DATA
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
