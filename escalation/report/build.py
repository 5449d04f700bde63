"""The report pipeline: execute the packaged notebook, convert it to HTML, render the HTML to PDF.

papermill runs ``report.ipynb`` with the user's parameters in a fresh kernel;
nbconvert's ``basic`` template turns the executed notebook into HTML without
code, with figures embedded as data URIs; our page template adds a table of
contents and print CSS; WeasyPrint renders that HTML to PDF with the system's
pango (no browser, no LaTeX). Every file is written atomically.
"""

from __future__ import annotations

import dataclasses
import html
import json
import numbers
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from .._core.atomic import write_atomic, write_text_atomic
from .._core.vocabulary import Format, Level, SeriesMeasure
from ..errors import DataError, EscalationError
from ..io.options import ReadOptions
from .text import data_title
from .text import source_name as data_name

_PACKAGE = "escalation.report"


@dataclass(frozen=True)
class ReportPaths:
    html: Path
    pdf: Path | None
    notebook: Path | None = None
    removed: Path | None = None  # with pdf=False: an earlier run's PDF of the same name, removed with it
    tables: tuple[Path, ...] = ()  # with tables=DIR: every table's CSV and LaTeX file


def _resource(name: str) -> str:
    return (resources.files(_PACKAGE) / name).read_text(encoding="utf-8")


def report_name(data: str | os.PathLike[str] | None) -> str:
    """``iraq_2019_2021`` for the bundled data, else the data file's stem."""
    if data is None:
        return "iraq_2019_2021"
    stem = Path(data).name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem) or "report"


def _toc_and_ids(body: str) -> tuple[str, str]:
    """A table of contents from the ``<h2>`` headings (nbconvert gives them ids)."""
    items = []
    for match in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', body, flags=re.S):
        text = re.sub(r"<[^>]+>", "", match.group(2)).replace("¶", "").strip()
        items.append(f'<li><a href="#{match.group(1)}">{text}</a></li>')
    return "<ol>" + "".join(items) + "</ol>", body


def execute(parameters: dict[str, Any], workdir: Path, progress: Any = None) -> Any:
    """Run the report notebook with ``parameters``; returns the executed notebook."""
    import nbformat
    import papermill as pm

    source = workdir / "report.ipynb"
    source.write_text(_resource("report.ipynb"), encoding="utf-8")
    output = workdir / "report.executed.ipynb"
    from jupyter_client.manager import KernelManager

    # IPC sockets in our temporary folder: the kernel talks to no network port
    # (and ipykernel does not warn about unencrypted TCP on stderr).
    # The connection file (it holds the kernel's key) goes in the same folder, which is removed on
    # success, failure and interrupt alike, instead of the shared Jupyter runtime folder.
    sockets, short = _socket_base(workdir)
    km = KernelManager(kernel_name="python3", transport="ipc", ip=sockets,
                       connection_file=str(workdir / "kernel.json"))  # fmt: skip
    try:
        pm.execute_notebook(
            str(source), str(output), parameters=parameters, kernel_name="python3", progress_bar=False,
            cwd=str(workdir), log_output=False, km=km,
        )  # fmt: skip
    except pm.PapermillExecutionError as exc:
        # The notebook failed on the data: say which section and why, without the kernel's traceback.
        raise DataError(f"the report could not be computed: {exc.ename}: {exc.evalue}") from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        if short is not None:
            shutil.rmtree(short, ignore_errors=True)
    return nbformat.read(str(output), as_version=4)


# A Unix socket's path must fit in 108 bytes on Linux and 104 on macOS, and the kernel appends "-<port>":
# a deep temporary folder (a long TMPDIR, a test runner's) would stop the report with "File name too long".
_SOCKET_PATH_MAX = 90


def _socket_base(workdir: Path) -> tuple[str, Path | None]:
    """Where the kernel's IPC sockets go: the run's folder, or a short-named one in /tmp when that is too deep.

    The second value is the extra folder to remove afterwards (None when the run's own folder is used).
    """
    base = workdir / "kernel"
    if len(os.fsencode(base)) <= _SOCKET_PATH_MAX:
        return str(base), None
    short = Path(tempfile.mkdtemp(prefix="escalation-", dir="/tmp"))
    return str(short / "kernel"), short


def generated_date() -> str:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds: two runs, one page)."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise DataError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from None
    return dt.date.today().isoformat()


def to_html(notebook: Any, *, title: str, subtitle: str, source: str) -> str:
    """The executed notebook as a standalone HTML page (no code, figures embedded)."""
    from nbconvert import HTMLExporter

    from .. import __version__

    for cell in notebook.cells:
        # papermill gives the cell it injects a random id, which nbconvert writes into the page: a fixed one
        # keeps two runs on the same input byte-identical (SOURCE_DATE_EPOCH fixes the date).
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(notebook)
    toc, body = _toc_and_ids(body)
    page = Template(_resource("template.html"))
    return page.substitute(
        title=html.escape(title),
        title_css=css_string(title),
        subtitle=html.escape(subtitle),
        toc=toc,
        body=body,
        version=__version__,
        generated=generated_date(),
        source=html.escape(source),
    )


def write_pair(page: str, out_dir: Path, stem: str, *, pdf: bool = True) -> tuple[Path, Path | None, Path | None]:
    """Write ``stem.html`` and ``stem.pdf`` as one pair: both from this run, or neither.

    Both are rendered to temporary files unique to this run first; only when both are
    complete are they renamed over the old ones, under a lock, so that an interrupt
    (or a failure in the PDF step) leaves the previous pair, and two runs with the same
    name cannot interleave their renames. Without a PDF (``pdf=False``), an earlier run's
    ``stem.pdf`` is removed with the same lock, so that no PDF sits beside an HTML it does not
    match; its path is returned third (None when there was none).
    """
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{stem}.html"] + ([out_dir / f"{stem}.pdf"] if pdf else [])
    for target in targets:
        if target.is_dir():
            raise DataError(f"cannot write {target}: it is a folder")
    temps: list[Path] = []
    try:
        for target in targets:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=out_dir)
            os.close(fd)
            temps.append(Path(name))
        temps[0].write_text(page, encoding="utf-8")
        if pdf:
            render_pdf(page, temps[1])
        mask = os.umask(0)
        os.umask(mask)
        folder = os.open(out_dir, os.O_RDONLY)  # the lock is on the folder: no lock file is left behind
        stale = None if pdf else out_dir / f"{stem}.pdf"
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            for tmp, target in zip(temps, targets, strict=True):
                os.chmod(tmp, 0o666 & ~mask)
                os.replace(tmp, target)
            if stale is not None and stale.is_file():
                stale.unlink()
            else:
                stale = None
        finally:
            os.close(folder)  # closing releases the lock
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return targets[0], (targets[1] if pdf else None), stale


def css_string(text: str) -> str:
    """``text`` for a double-quoted CSS string inside ``<style>``: every character that could end the string,
    the rule or the element (quotes, backslashes, ``<``, ``>``, ``&``, new lines) as a CSS hex escape."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?()-_'")
    return "".join(c if c in safe else f"\\{ord(c):06x}" for c in text)


def render_pdf(page: str, target: Path) -> None:
    """Render the HTML page to a PDF file at ``target`` with WeasyPrint (not atomic: see :func:`to_pdf`)."""
    with warnings.catch_warnings():
        # WeasyPrint asks (at import) for the optional HarfBuzz-Subset system library, which only makes
        # the embedded fonts smaller; the PDF is complete without it, so the user need not see this.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

        HTML(string=page, base_url=None).write_pdf(str(target))


def to_pdf(page: str, target: Path) -> Path:
    """Render the HTML page to PDF with WeasyPrint."""

    return write_atomic(target, lambda tmp: render_pdf(page, tmp))


def build_report(
    data: str | os.PathLike[str] | None = None,
    *,
    sides: str | os.PathLike[str] | None = None,
    columns: dict[str, str] | None = None,
    per_victim: bool = False,
    format: Format = "auto",
    incident_keys: list[str] | None = None,
    encoding: str = "utf-8",
    read_options: ReadOptions | Mapping[str, Any] | None = None,
    window: str = "30D",
    calm: str = "3D",
    tide: str = "14D",
    ladder: str | os.PathLike[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    freq: str = "D",
    measure: SeriesMeasure = "events",
    level: Level = "side",
    min_n: int = 10,
    forecast_at: str | None = None,
    source_name: str | None = None,
    source_url: str | None = None,
    source_note: str | None = None,
    title: str | None = None,
    output_dir: str | os.PathLike[str] = "reports",
    name: str | None = None,
    pdf: bool = True,
    keep_notebook: bool = False,
    tables: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> ReportPaths:
    """Write the HTML (and PDF) report of a dataset; the bundled one by default.

    ``ladder`` is a CSV ``event_type,rank`` (``examples/btselem_ladder.csv``); ``source_name``, ``source_url``
    and ``source_note`` (citation, coverage, retrieval) name the data's publisher in the report, which
    otherwise names only the file. The data are read as :func:`escalation.read_events` reads them, with
    ``sides`` .. ``encoding`` and ``read_options`` (an :class:`escalation.io.ReadOptions`, or a mapping of
    further ``read_events`` keywords: ``dayfirst``, ``delimiter``, ...). ``start`` and ``end`` cut the period
    analysed (:meth:`Events.between`); ``freq`` and ``measure`` set the reciprocity series
    (:func:`escalation.reciprocity`); ``level="camp"`` reads every analysis at the level of the sides file's
    camps (:meth:`Events.at_level`); ``min_n`` is the least
    sample any finding, drawn curve or chance comparison rests on (actions of a direction, events of a curve,
    steps with both rungs known; shares also need half as many counted outcomes). ``forecast_at`` is the day of
    the "What is likely next" forecast (default: the day after the last event). ``tables`` is a
    folder for every table as CSV and LaTeX (linked from the page; :mod:`escalation.report.tables`); every
    table on the page names the command that reproduces it.

    Examples
    --------
    >>> from escalation.report import build_report
    >>> paths = build_report(output_dir="reports")  # doctest: +SKIP
    >>> paths.html.name, paths.pdf.name  # doctest: +SKIP
    ('iraq_2019_2021.html', 'iraq_2019_2021.pdf')
    """
    from tqdm import tqdm

    from .._core.time import parse_freq, parse_window
    from ..chance import parse_tide
    from ..datasets import load_or_read
    from ..errors import UsageError
    from ..events.ladder import as_ladder
    from ..stats.reciprocity.analysis import MEASURES

    if ladder is not None:
        as_ladder(ladder)  # a bad ladder file fails here, by name, before a kernel starts
    parse_window(window)  # so does a window or calm that is no positive duration (window 0 ran for minutes)
    parse_window(calm, "calm")
    parse_tide(tide)  # and a bad tide
    parse_freq(freq)  # and a bad series period or measure
    if measure not in MEASURES:
        raise UsageError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, numbers.Integral) or min_n < 2:
        raise UsageError(f"min_n must be a whole number of at least 2, got {min_n!r}")
    if forecast_at is not None:
        from .._core.dates import parse_day

        forecast_at = str(parse_day(forecast_at, "forecast_at").date())  # a date, or a clear error here
    publisher = {k: v for k, v in {"name": source_name, "url": source_url, "note": source_note}.items() if v}
    inputs = [Path(v) for v in (data, sides, ladder) if v is not None]
    if tables is not None:  # a table that would replace an input is refused now, not after the analyses
        from .tables import table_files

        refuse_tables_onto_inputs(table_files(Path(tables)), inputs)
        if Path(tables).exists() and not Path(tables).is_dir():
            raise DataError(f"cannot write tables to {tables}: it is a file, not a folder")

    options = _reading(read_options, sides=sides, columns=columns, per_victim=per_victim, format=format,
                       incident_keys=incident_keys, encoding=encoding)  # fmt: skip
    if isinstance(options.sides, str | os.PathLike):  # the notebook and the tables' commands run elsewhere
        options = dataclasses.replace(options, sides=str(Path(options.sides).resolve()))
    # Read once here so that a bad file fails fast, with the reader's message, before a kernel starts.
    events = load_or_read(data, **options.keywords())
    events = events.between(start, end).at_level(level)
    if len(events.frame) < 2:
        raise DataError(
            f"a report needs at least 2 accepted {events.unit}s; {events.provenance.get('file')} has "
            f"{len(events.frame)} ({events.n_read} rows read, {events.n_rejected} rejected: "
            "see escalation validate"
            + (f"; {events.provenance['outside_window']} outside the period" if "window" in events.provenance else "")
            + ")"
        )
    out_dir = Path(output_dir)
    stem = name or report_name(data)
    default_title = "US, Iran and Iraqi militias, December 2019 - December 2021" if data is None else data_title(events)
    the_title = title or default_title
    f = events.frame
    span = f"{f['date'].min():%d %B %Y} to {f['date'].max():%d %B %Y}"
    shown_source = publisher.get("name") or data_name(events)
    subtitle = f"{shown_source}: {len(f)} {events.unit}s, {span}; {', '.join(events.side_list())}"
    parameters = {
        "data_path": None if data is None else str(Path(data).resolve()),
        "read_options_json": options.to_json(),
        "window": window,
        "calm": calm,
        "tide": str(tide),
        "ladder_path": None if ladder is None else str(Path(ladder).resolve()),
        "start": start,
        "end": end,
        "freq": freq,
        "measure": measure,
        "level": level,
        "min_n": int(min_n),
        "forecast_at": forecast_at,
        "source_json": json.dumps(publisher),
    }
    stages = ["run the analyses", "write HTML"] + (["write PDF"] if pdf else [])
    bar = tqdm(total=len(stages), desc="report", unit="stage", disable=not progress, leave=False)
    try:
        with tempfile.TemporaryDirectory(prefix="escalation-report-") as tmp:
            bar.set_description(stages[0])
            if tables is not None:
                parameters["tables_dir"] = str(Path(tmp) / "tables")
                parameters["tables_href"] = Path(os.path.relpath(Path(tables).resolve(), out_dir.resolve())).as_posix()
            notebook = execute(parameters, Path(tmp))
            bar.update()
            bar.set_description(stages[1])
            page = to_html(notebook, title=the_title, subtitle=subtitle,
                           source=shown_source)  # fmt: skip
            nb_path = None
            if keep_notebook:
                import nbformat

                nb_path = write_text_atomic(out_dir / f"{stem}.ipynb", nbformat.writes(notebook))
            bar.update()
            if pdf:
                bar.set_description(stages[2])
            written = () if tables is None else copy_tables(Path(tmp) / "tables", Path(tables), inputs)
            html_path, pdf_path, removed = write_pair(page, out_dir, stem, pdf=pdf)
            if pdf:
                bar.update()
    except (OSError, RuntimeError) as exc:
        if isinstance(exc, EscalationError):
            raise
        raise DataError(f"the report could not be written to {out_dir}: {exc}") from None
    finally:
        bar.close()
    return ReportPaths(html=html_path, pdf=pdf_path, notebook=nb_path, removed=removed, tables=written)


def _reading(read_options: ReadOptions | Mapping[str, Any] | None, **keywords: Any) -> ReadOptions:
    """One :class:`ReadOptions` of ``read_options`` and the reading keywords; an option given in both, with
    different values, is a :class:`~escalation.errors.UsageError`."""
    from ..errors import UsageError

    base = read_options if isinstance(read_options, ReadOptions) else ReadOptions(**dict(read_options or {}))
    given, already = ReadOptions(**keywords).keywords(), base.keywords()
    twice = sorted(k for k, v in given.items() if k in already and already[k] != v)
    if twice:
        raise UsageError(f"{', '.join(twice)} given both as keywords and in read_options")
    return dataclasses.replace(base, **given)


def refuse_tables_onto_inputs(targets: list[Path], inputs: list[Path]) -> None:
    """A :class:`~escalation.errors.UsageError` when one of the table files ``targets`` is one of ``inputs``."""
    from ..errors import UsageError

    for out in targets:
        for inp in inputs:
            if out.exists() and inp.exists() and os.path.samefile(out, inp):
                raise UsageError(f"the table {out} is the input {inp}: writing it would destroy the input; "
                                 "choose another --tables folder")  # fmt: skip


def copy_tables(source: Path, target: Path, inputs: list[Path]) -> tuple[Path, ...]:
    """Copy the kernel's table files to ``target``, each atomically; refused (before any is written) when one
    would replace an input. The page is written after them, so that it never links to a missing file."""
    from functools import partial

    files = sorted(source.glob("*")) if source.is_dir() else []
    targets = [target / f.name for f in files]
    refuse_tables_onto_inputs(targets, inputs)  # checked before the run too; the folder may have changed since
    if target.exists() and not target.is_dir():
        raise DataError(f"cannot write tables to {target}: it is a file, not a folder")
    for f, out in zip(files, targets, strict=True):
        write_atomic(out, partial(shutil.copyfile, f))
    return tuple(targets)
