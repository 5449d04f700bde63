"""The ``--engine dask`` paths of the CLI: a LocalCluster or a running scheduler, validate and chains."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._core.progress import is_shown
from .._core.words import counted
from ..errors import UsageError
from ._common import EXIT_DATA, EXIT_OK, output_path


def dask_cluster(args: argparse.Namespace) -> Any:
    """A LocalCluster (``--workers``), or the cluster at ``--scheduler``, as a context manager."""
    try:
        import distributed
    except ImportError:
        raise UsageError("--engine dask needs Dask: pip install 'escalation[dask]'") from None
    if args.scheduler:
        client = distributed.Client(args.scheduler)
    else:
        import logging

        cluster = distributed.LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            memory_limit=args.memory_limit,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        client = distributed.Client(cluster)
    if not getattr(args, "quiet", False):  # -q: nothing but results and errors
        print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
    return client


def cmd_validate_dask(args: argparse.Namespace) -> int:
    from ..engine.dask import read_events_dask
    from ..io import ReadOptions

    if args.data is None:
        raise UsageError("--engine dask needs DATA: a file, a folder or a glob")
    with dask_cluster(args):
        events = read_events_dask(args.data, progress=is_shown(), **ReadOptions.from_arguments(args).keywords())
        counts = events.counts(progress=is_shown())
        print(f"{counted(len(events.files), 'file')}: {counted(counts['rows_read'], 'row')} read, "
              f"{counts['accepted']} accepted, {counts['rejected']} rejected")  # fmt: skip
        if counts["rejected"] and args.rejections:
            from .._core.formats import write_table

            print(f"rejection table: {write_table(events.rejections.compute(), args.rejections)}")
    return EXIT_DATA if counts["rejected"] else EXIT_OK


def cmd_chains_dask(args: argparse.Namespace) -> int:
    from .._core.formats import write_table
    from .._core.provenance import write_sidecar
    from ..engine.dask import link_dask, read_events_dask
    from ..engine.dask._compute import compute
    from ..io import ReadOptions
    from ..io.dataset import count_rejected, read_marker, rejections_path, staging_dir, swap_in

    if args.data is None:
        raise UsageError("--engine dask needs DATA: a file, a folder or a glob")
    marker = read_marker(args.data) if Path(args.data).is_dir() else None
    options = ReadOptions.from_arguments(args)
    if options.per_victim or options.incident_keys or (marker and marker["options"].get("per_victim")):
        raise UsageError(
            "rows must be grouped into incidents before linking, which the Dask engine does not do: use the "
            "pandas engine (--engine pandas) for per-victim tables or --incident-keys"
        )
    target = output_path(args.output, "links.parquet")
    with dask_cluster(args):
        events = read_events_dask(args.data, progress=is_shown(), **options.keywords())
        links = link_dask(
            events,
            window=args.window,
            max_distance_km=args.max_distance_km,
            ladder=args.ladder,
            input_partitions=args.partitions,
        )
        # Rejections of text input go beside the output (a converted dataset keeps its own).
        rejected = None if read_marker(args.data) else rejections_path(target)
        with staging_dir(target) as tmp:
            writes = [] if rejected is None else [
                events.rejections.to_parquet(tmp / "rejections", write_index=False, compute=False)]  # fmt: skip
            if target.suffix == ".parquet":
                compute(links.to_parquet(tmp / "links", write_index=False, compute=False), *writes, progress=is_shown())
                import pyarrow.dataset as pads

                n = pads.dataset(tmp / "links").count_rows()  # from the files' metadata, without recomputing
                swap_in(tmp / "links", target, tmp / "old-links")
                write_sidecar(target)  # the run's record, as beside every table the command line writes
            else:
                table, *_ = compute(links, *writes, progress=is_shown())
                write_table(table, target)
                n = len(table)
            if rejected is not None:
                n_rejected = count_rejected(tmp / "rejections")
                swap_in(tmp / "rejections", rejected, tmp / "old-rejections")
    print(f"{n} links with chain ids; window {args.window}")
    print(f"links: {target}")
    if rejected is not None:
        print(f"{n_rejected} rows rejected: {rejected}")
    return EXIT_OK
