"""Tables you can take away: every report table as CSV and LaTeX, and the command line that reproduces it.

The report's HTML shows the first rows of each table; with ``escalation report --tables DIR`` the whole table
goes to ``DIR/<name>.csv`` (every row and column as computed, for analysis) and ``DIR/<name>.tex`` (a
``tabular`` fragment with the page's headers and rounding, for a paper; it needs ``\\usepackage{booktabs}``),
and the page links each table to its two files. Under every table the report prints the ``escalation``
command that gives the same numbers, built from the report's own settings (:func:`command_line`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from .._core.formats import latex_table
from .text import HEADERS, esc_html, table_html

#: The page's rounding of numbers in a table (three significant digits), used in the LaTeX files too.
FLOAT_FORMAT = "{:.3g}"
#: Every table a report may write with ``--tables DIR`` (as ``<name>.csv`` and ``<name>.tex``), with
#: ``chain_<id>_steps`` for each chain shown: known before the analyses run, so that a folder where one would
#: replace an input is refused at once.
NAMES = (
    "rejections", "chains", "came_after", "followed_by", "followed_by_camps", "time_to_response", "answer_model",
    "episodes", "reciprocity", "hawkes_fit", "hawkes_parameters", "trend", "forecast", "forecast_evaluation",
    "sensitivity",
)  # fmt: skip
_CHAIN_STEPS = re.compile(r"chain_[0-9]+_steps")


def is_table_name(name: str) -> bool:
    """Whether a report may write a table of this name."""
    return name in NAMES or _CHAIN_STEPS.fullmatch(name) is not None


def table_files(folder: Path) -> list[Path]:
    """The files in ``folder`` that a report with ``--tables folder`` may replace."""
    found = folder.glob("*") if folder.is_dir() else []
    return sorted(f for f in found if f.suffix in (".csv", ".tex") and is_table_name(f.stem))


def data_arguments(parameters: Mapping[str, Any]) -> list[str]:
    """The report's DATA and reading options as command-line arguments (the notebook's parameters back)."""
    from ..io.options import ReadOptions

    args = [str(parameters["data_path"])] if parameters.get("data_path") else []
    args += ReadOptions.from_json(parameters.get("read_options_json")).to_arguments()
    for key in ("start", "end"):
        if parameters.get(key) is not None:
            args += [f"--{key}", str(parameters[key])]
    if parameters.get("level", "side") != "side":
        args += ["--level", str(parameters["level"])]
    return args


def command_line(command: str, parameters: Mapping[str, Any], *options: str) -> str:
    """``escalation <command> DATA ...``: the shell line that reproduces a table, quoted for a POSIX shell.

    Examples
    --------
    >>> from escalation.io import ReadOptions
    >>> reading = ReadOptions(per_victim=True).to_json()
    >>> command_line("episodes", {"data_path": "my data.csv", "read_options_json": reading}, "--calm", "3D")
    "escalation episodes 'my data.csv' --per-victim --calm 3D"
    """
    return "escalation " + shlex.join([command, *data_arguments(parameters), *options])


class Tables:
    """Shows each table on the page and, when a folder is given, writes the whole of it there.

    ``folder`` is where the files are written (the report's temporary folder, moved to ``--tables DIR`` with
    the page); ``href`` is that folder as seen from the HTML page, for the links.
    """

    def __init__(self, folder: str | Path | None = None, href: str | None = None) -> None:
        self.folder = None if folder is None else Path(folder)
        self.href = href
        self.written: list[str] = []

    def html(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        command: str | None = None,
        max_rows: int = 25,
        caption: str = "",
    ) -> str:
        """``frame`` as an HTML table (its first ``max_rows`` rows), the command that reproduces it, and links
        to its CSV and LaTeX files when the report writes them."""
        if not is_table_name(name) or name in self.written:
            raise ValueError(f"table name {name!r} must be new and one of NAMES")
        out = table_html(frame, max_rows=max_rows, float_format=FLOAT_FORMAT)
        notes = []
        if command is not None:
            notes.append(f"Reproduce: <code>{esc_html(command)}</code>{esc_html(caption)}")
        if self.folder is not None:
            self.write(frame, name)
            base = (self.href or ".").rstrip("/") + "/" + name
            rows = f"{len(frame)} row{'s' if len(frame) != 1 else ''}"
            notes.append(
                f'Whole table ({rows}): <a href="{esc_html(quote(base))}.csv">{esc_html(name)}.csv</a>, '
                f'<a href="{esc_html(quote(base))}.tex">{esc_html(name)}.tex</a>'
            )
        if notes:
            out += '<p class="take-away">' + "<br>".join(notes) + "</p>"
        return out

    def write(self, frame: pd.DataFrame, name: str) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        frame.to_csv(self.folder / f"{name}.csv", index=False)
        (self.folder / f"{name}.tex").write_text(to_latex(frame), encoding="utf-8")
        self.written.append(name)


def to_latex(frame: pd.DataFrame) -> str:
    """A ``tabular`` fragment (booktabs rules) with the page's rounding and headers; every LaTeX special
    character in headers and cells escaped, so that any side name or note compiles."""
    return latex_table(frame, headers=HEADERS, float_format=FLOAT_FORMAT)
