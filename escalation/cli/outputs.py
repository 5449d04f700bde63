"""What a command writes and reads (internal): no output over an input, output formats known before any work,
and the input files whose checksums go with the outputs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import UsageError

_INPUTS = ("data", "src", "sides", "ladder")
_OUTPUTS = ("chains_output", "rejections", "table", "triggers", "irf_table")


def _written(args: argparse.Namespace) -> list[tuple[Path, bool]]:
    """Every path the command will write, and whether it replaces a whole folder (``convert``'s dataset)."""
    out = [(Path(v), False) for v in (getattr(args, n, None) for n in _OUTPUTS) if v]
    output = getattr(args, "output", None)
    if args.command == "report" and output:
        target = Path(output)
        if target.suffix.lower() in (".html", ".htm", ".pdf"):
            out += [(target.with_suffix(".html"), False), (target.with_suffix(".pdf"), False)]
        else:
            from ..report.build import report_name

            stem = report_name(getattr(args, "data", None))
            out += [(target / f"{stem}.html", False), (target / f"{stem}.pdf", False)]
    elif output:
        out.append((Path(output), False))
    if args.command == "convert":
        from ..io.dataset import rejections_path

        out += [(Path(args.dest), True), (rejections_path(Path(args.dest)), True)]
    return out


def check_output_formats(args: argparse.Namespace) -> None:
    """Every table a command writes has a name whose extension says its format (``.csv``, ``.dta``, ``.xlsx``,
    ...): an unknown one is refused with the list before the analysis runs, not after."""
    from .._core.formats import check_table_path

    for name in _OUTPUTS:
        check_table_path(getattr(args, name, None))
    output = getattr(args, "output", None)
    if args.command in ("chains", "episodes", "survival", "answers", "reciprocity", "counts") or (
        args.command == "hawkes" and output and not str(output).lower().endswith(".json")
    ):
        check_table_path(output)


def input_files(args: argparse.Namespace) -> list[Path]:
    """The files a command reads (the bundled data and sides without DATA): their checksums go with its outputs."""
    named = [Path(v) for v in (getattr(args, n, None) for n in _INPUTS) if v]
    if hasattr(args, "data") and args.data is None:
        from ..datasets import iraq_2019_2021_paths

        data, sides = iraq_2019_2021_paths()
        named = [data, *([] if getattr(args, "sides", None) else [sides]), *named]
    return named


def refuse_output_onto_input(args: argparse.Namespace) -> None:
    """A usage error when a file the command writes is one it reads (the same path, a hard link or a
    symbolic link to it), or a folder it replaces holds one: the input would be lost."""
    inputs = [Path(v) for v in (getattr(args, n, None) for n in _INPUTS) if v and Path(v).exists()]
    for target, folder in _written(args):
        for source in inputs:
            same = target.exists() and os.path.samefile(target, source)
            inside = folder and target.is_dir() and source.resolve().is_relative_to(target.resolve())
            if same or inside:
                how = "is" if same else "holds"
                raise UsageError(f"the output {target} {how} the input {source}: writing it would destroy the "
                                 "input; choose another output name")  # fmt: skip
