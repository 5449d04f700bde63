"""The ``escalation sides`` command: a first sides file, drafted from the data's actor and target names."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any


def add_sides_parser(sub: Any, data_arguments: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "sides", help="draft a sides file from the data's names, to edit and pass back with --sides",
        description="Every actor and target name of DATA, each given a side: ACLED's 'Military Forces of X "
        "(years)' and 'Police Forces of X (years)' (any unit after them) fold into 'X (state forces)', a regime's "
        "years in brackets are dropped, every other name is its own side. Edit the file (merge sides, add "
        '"re:PATTERN" keys for families of names and a "camps" object), then pass it with --sides.',
    )  # fmt: skip
    data_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", help="the sides file (default sides.json)")
    p.set_defaults(func=cmd_sides)


def cmd_sides(args: argparse.Namespace) -> int:
    import pandas as pd

    from .._core.atomic import write_text_atomic
    from .._core.provenance import write_sidecar
    from ..errors import UsageError
    from ..events.sides import draft_sides
    from ._common import EXIT_OK, load, output_path, print_counts

    target = output_path(args.output, "sides.json")  # your edited draft is never replaced without -o
    if target.suffix.lower() != ".json":
        raise UsageError(f"{target}: a sides file is written as JSON; give a name ending in .json")
    events = load(args)
    print_counts(events)
    f = events.frame
    mapping = draft_sides(pd.concat([f["actor"], f["target"]], ignore_index=True))
    path = write_text_atomic(target, json.dumps(mapping, indent=2, ensure_ascii=False) + "\n")
    write_sidecar(path)
    folded = len(mapping) - len(set(mapping.values()))
    print(f"{len(mapping)} names -> {len(set(mapping.values()))} sides ({folded} names folded into another's side)")
    print(f"sides file: {path} (edit it, then pass it with --sides)")
    return EXIT_OK
