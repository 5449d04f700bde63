"""Reading many event files on Dask: one pandas read per file, then the checks that need every file."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._core.vocabulary import Format
from ...errors import DataError
from ...events.checks import check_references, references_checked_later
from ...events.schema import (
    DUPLICATE_ID,
    TEXT_DTYPE,
    dropped_links,
    empty_rejections,
    named_references,
    without_links,
)
from ...events.sides import read_sides
from ...io.dataset import (
    check_converted_columns,
    check_options,
    count_rejected,
    publish,
    read_marker,
    rejections_path,
    staging_dir,
)
from ...io.options import ReadOptions
from ._compute import compute

_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
Source = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def expand_sources(source: Source) -> list[Path]:
    """Files named by a path, a folder (its event files), a glob pattern, or a list of those; sorted."""
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    files: list[Path] = []
    for item in items:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.suffix.lower() in _SUFFIXES and p.is_file()]
            parquet_dataset = not found and any(p.suffix == ".parquet" for p in path.rglob("*.parquet"))
            files.extend([path] if parquet_dataset else found)
        elif any(ch in text for ch in "*?["):
            files.extend(Path(p) for p in sorted(glob.glob(text)))
        elif path.exists():
            files.append(path)
        else:
            raise DataError(f"{path}: no such file")
    if not files:
        raise DataError(f"{source}: no event files found")
    return files


@dataclass(frozen=True)
class DaskEvents:
    """Validated events as a Dask DataFrame, with the rejections and counts of the pandas path.

    Attributes
    ----------
    frame : dask DataFrame
        Accepted events, with the pandas engine's columns.
    rejections : dask DataFrame
        ``file, row, column, value, reason``.
    files : list of Path
        The input files (or the converted dataset).
    rows_read : int or Dask scalar
        Rows read in all files.
    """

    frame: Any
    rejections: Any
    files: list[Path]
    rows_read: Any

    def counts(self, progress: bool = False) -> dict[str, int]:
        """Rows read, accepted and rejected (computes the reading, once)."""
        read, accepted, rejected = compute(
            self.rows_read,
            self.frame.shape[0],
            rejected_rows(self.rejections).drop_duplicates(["file", "row"]).shape[0],
            progress=progress,
        )
        return {"rows_read": int(read), "accepted": int(accepted), "rejected": int(rejected)}


def rejected_rows(rejections: Any) -> Any:
    """The lines of a (Dask) rejection table that reject a row: not the dropped stated links."""
    return rejections[~dropped_links(rejections)]


def _read_one(path: Path, index: int, options: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One file by the pandas reader: events (with ``_file``), rejections, and what the checks across files need.

    References to ids the file does not accept are left to the check across files;
    the third frame holds the rows read and the number of accepted rows naming other
    events (in its first row), and the ids of the file's rejected rows.
    """
    from ...io import read_events

    with references_checked_later() as later:
        ev = read_events(path, **options)
    # Rows, not incidents: a per-victim file is converted row by row and grouped when read back.
    frame = ev.rows.assign(_file=np.int32(index))
    ids = list(later.rejected_ids)
    m = max(len(ids), 1)
    info = pd.DataFrame(
        {
            "rows": np.r_[ev.n_read, np.zeros(m - 1, np.int64)].astype(np.int64),
            "referring": np.r_[later.n_referring, np.zeros(m - 1, np.int64)].astype(np.int64),
            "rejected_id": pd.array(ids + [pd.NA] * (m - len(ids)), dtype=TEXT_DTYPE),
        }
    )
    return frame, ev.rejections, info


@dataclass(frozen=True)
class _Text:
    """The lazy reading of text files, before the checks across files."""

    events: Any  # with _file
    rejections: Any
    info: Any  # rows, referring, rejected_id
    names: list[str]

    def pass_results(self) -> list[Any]:
        """Rows read, accepted rows naming others, repeated ids, the rows naming others (lazy, to compute together).

        The ids of rejected rows, which can be many, are not collected here: the
        reference check needs them only when some event names another.
        """
        return [self.info["rows"].sum(), self.info["referring"].sum(), _repeated_ids(self.events, len(self.names)),
                _with_references(self.events)]  # fmt: skip

    @property
    def rejected_ids(self) -> Any:
        return self.info[["rejected_id"]].dropna()


def _read_text(files: list[Path], options: dict[str, Any]) -> _Text:
    import dask
    import dask.dataframe as dd

    # The first file gives the schema (Dask needs it up front); every file is read by the same code.
    first = _read_one(files[0], 0, options)
    parts = [dask.delayed(_read_one, nout=3)(path, i, options) for i, path in enumerate(files)]
    frames = [dd.from_delayed([p[k] for p in parts], meta=first[k].iloc[:0], verify_meta=False) for k in range(3)]
    return _Text(frames[0], frames[1], frames[2], [str(f) for f in files])


def _repeated_ids(events: Any, n_files: int) -> Any:
    """The ids seen more than once (lazy). Each file's own duplicates are already rejected."""
    # split_out=1, not False: Dask 2026.8 reads False as zero output partitions (ZeroDivisionError)
    counts = events["event_id"].value_counts(split_out=True if n_files > 1 else 1)
    return counts[counts > 1]


_REF_COLUMNS = ["event_id", "responds_to", "date", "has_time", "_file", "row"]


def _with_references(events: Any) -> Any:
    return events[events["responds_to"].notnull()][_REF_COLUMNS]


def read_events_dask(
    source: Source,
    *,
    columns: Mapping[str, str] | None = None,
    sides: Mapping[str, str] | str | os.PathLike[str] | None = None,
    format: Format = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
    progress: bool = False,
    **reading: Any,
) -> DaskEvents:
    """Read many event files (a folder, a glob, a list) into Dask, validated file by file.

    Each file is one task running :func:`escalation.read_events`. The checks that
    need every file then run on the few rows concerned: ids repeated across files
    and references to events of other files (finding them reads the files once more,
    when some id repeats or some event names another).
    A dataset written by :func:`convert` is read as it was written, without parsing
    or validating again.

    Examples
    --------
    >>> from escalation.engine.dask import read_events_dask
    >>> ev = read_events_dask("data/samples/acled_sample.csv")  # doctest: +SKIP
    >>> ev.counts()  # doctest: +SKIP
    {'rows_read': 4, 'accepted': 2, 'rejected': 2}
    """
    import dask.dataframe as dd

    if isinstance(source, str | os.PathLike) and Path(source).is_dir():
        record = read_marker(source)
        if record is not None:
            check_options(Path(source), columns=columns, format=format, per_victim=per_victim)
            return _read_converted(Path(source), record, read_sides(sides))
    files = expand_sources(source)
    text = _read_text(files, _options(columns, sides, format, per_victim, encoding, reading))
    rows_read, referring, repeated, refs = compute(*text.pass_results(), progress=progress)
    bad = _checks_across_files(text.events, referring, repeated, refs, text.rejected_ids["rejected_id"], text.names)
    events, rejections = text.events, text.rejections
    if len(bad):
        events = _drop_rows(events, bad)
        rejections = dd.concat([rejections, dd.from_pandas(bad[list(empty_rejections())], npartitions=1)])
    return DaskEvents(frame=events.drop(columns=["_file"]), rejections=rejections, files=files, rows_read=rows_read)


def _options(
    columns: Any, sides: Any, format: Format, per_victim: bool, encoding: str, reading: dict[str, Any]
) -> dict[str, Any]:
    """The :func:`escalation.read_events` keywords of every file (``reading``: dates, delimiter, sheet, ...):
    those not at their default, as :class:`~escalation.io.ReadOptions` says them."""
    return ReadOptions(columns=columns, sides=sides, format=format, per_victim=per_victim, encoding=encoding,
                       **reading).keywords()  # fmt: skip


def _read_converted(path: Path, record: Mapping[str, Any], sides: Mapping[str, str]) -> DaskEvents:
    import dask.dataframe as dd

    from ...events.sides import apply_sides

    frame = dd.read_parquet(path)
    check_converted_columns(frame._meta, path)  # the columns and types, without a pass over the data
    if sides:
        frame = frame.map_partitions(apply_sides, dict(sides), meta=frame._meta)
    rejections = dd.read_parquet(rejections_path(path))
    return DaskEvents(frame=frame, rejections=rejections, files=[path], rows_read=int(record["rows_read"]))


def _checks_across_files(
    events: Any,
    referring: int,
    repeated: pd.Series,
    refs: pd.DataFrame,
    rejected_ids: Any,
    names: list[str],
) -> pd.DataFrame:
    """Rejections only the whole archive shows: repeated ids, and references across files.

    Returns the rejection rows plus ``_file``. When no id repeats and no event names
    another (GDELT, ACLED, UCDP), nothing more is read.
    """
    parts = []
    dup_keys = np.array([], dtype=np.int64)
    if len(repeated):
        owners = events[events["event_id"].isin(list(repeated.index))][["event_id", "_file", "row"]].compute()
        dups = _duplicate_rejections(owners, names)
        dup_keys = _keys(dups)
        parts.append(dups)
    if referring:
        wanted = list(set(named_references(refs["responds_to"])))
        targets, gone = compute(events[events["event_id"].isin(wanted)][_REF_COLUMNS], rejected_ids)  # one pass
        parts.append(_reference_rejections(refs, targets, gone, dup_keys, names))
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_rejections().assign(_file=np.int32(0))
    return pd.concat(parts, ignore_index=True)


def _keys(table: pd.DataFrame) -> np.ndarray:
    """One integer per (file, row)."""
    return table["_file"].to_numpy(np.int64) << 32 | table["row"].to_numpy(np.int64)


def _duplicate_rejections(owners: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Every occurrence of an id after its first (by file, then row)."""
    owners = owners.sort_values(["_file", "row"], kind="stable")
    later = owners.duplicated("event_id", keep="first").to_numpy()
    first = owners[~later].set_index("event_id").reindex(owners["event_id"][later])
    bad = owners[later]
    reasons = [  # one per duplicate row: there are few
        DUPLICATE_ID.format(first=int(r))[:-1] + f" of {names[int(k)]})"
        for r, k in zip(first["row"], first["_file"], strict=True)
    ]
    return _rejection_rows(bad["_file"], bad["row"], "event_id", bad["event_id"], reasons, names)


def _rejection_rows(files: Any, rows: Any, column: str, values: Any, reasons: Any, names: list[str]) -> pd.DataFrame:
    k = np.asarray(files, dtype=np.int32)
    table = pd.DataFrame({"file": [names[i] for i in k], "row": np.asarray(rows, dtype=np.int64), "column": column,
                          "value": np.asarray(values, dtype=object), "reason": np.asarray(reasons, dtype=object),
                          "_file": k})  # fmt: skip
    return table.astype({c: TEXT_DTYPE for c in ("file", "column", "value", "reason")})


def _reference_rejections(
    refs: pd.DataFrame, targets: pd.DataFrame, rejected_ids: pd.Series, dup_keys: np.ndarray, names: list[str]
) -> pd.DataFrame:
    """The pandas reference check (:func:`escalation.events.checks.check_references`) on the rows concerned.

    Those are the accepted events naming others, the accepted events they name, and
    the ids of rejected rows (so that naming one reads "names a rejected event").
    """
    gathered = pd.concat([refs, targets], ignore_index=True).drop_duplicates(["_file", "row"])
    gathered = gathered[~np.isin(_keys(gathered), dup_keys)].reset_index(drop=True)
    n = len(rejected_ids)
    gone = pd.DataFrame({"event_id": pd.array(rejected_ids.to_numpy(), dtype=TEXT_DTYPE), "has_time": False,
                         "date": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")})  # fmt: skip
    table = pd.concat([gathered, gone], ignore_index=True)
    row_ok = np.r_[np.ones(len(gathered), bool), np.zeros(len(gone), bool)]
    problems = check_references(table, row_ok)
    if problems.empty:
        return problems
    at = problems["pos"].to_numpy(np.int64)
    return _rejection_rows(gathered["_file"].to_numpy()[at], gathered["row"].to_numpy()[at], "responds_to",
                           problems["value"], problems["reason"], names)  # fmt: skip


def _drop_rows(events: Any, bad: pd.DataFrame) -> Any:
    """The events without the rows ``bad`` rejects (by file and row), and without the stated links it drops."""
    links = dropped_links(bad).to_numpy()
    keys = np.unique(_keys(bad[~links]))
    link_keys, link_ids = _keys(bad[links]), bad["value"].to_numpy(object)[links]

    def keep(part: pd.DataFrame) -> pd.DataFrame:
        if len(link_keys):
            own = pd.Series(np.arange(len(part)), index=_keys(part))
            at = own.reindex(link_keys).to_numpy()
            here = ~np.isnan(at)
            if here.any():
                fixed = without_links(part["responds_to"].reset_index(drop=True), at[here].astype(np.int64),
                                      link_ids[here])  # fmt: skip
                part = part.assign(responds_to=fixed.astype(part["responds_to"].dtype).to_numpy())
        return part[~np.isin(_keys(part), keys)] if len(keys) else part

    return events.map_partitions(keep, meta=events._meta)


def convert(
    source: Source,
    dest: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    sides: Mapping[str, str] | str | os.PathLike[str] | None = None,
    format: Format = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
    progress: bool = False,
    **reading: Any,
) -> dict[str, int]:
    """Read and validate event files once, into a Parquet dataset that later reads trust.

    Writes ``dest`` (accepted events, one part file per input file), ``dest.rejections``
    and the marker of :mod:`escalation.io.dataset`. The text is parsed in one pass:
    the events, the rejections, the rows read and what the checks across files need
    are computed together; only when those checks reject rows are the staged part
    files read again to take the rows out. Both folders are replaced whole, and the
    marker is written last.

    Returns
    -------
    dict
        ``rows_read``, ``accepted``, ``rejected``.

    Examples
    --------
    >>> from escalation.engine.dask import convert, read_events_dask
    >>> convert("archive/*.csv", "archive.parquet")  # doctest: +SKIP
    {'rows_read': 50000000, 'accepted': 50000000, 'rejected': 0}
    >>> events = read_events_dask("archive.parquet")  # doctest: +SKIP
    """
    import dask.dataframe as dd
    import pyarrow.dataset as pads

    files = expand_sources(source)
    options = _options(columns, sides, format, per_victim, encoding, reading)
    target = Path(dest)
    text = _read_text(files, options)
    with staging_dir(target) as tmp:
        writes = [
            text.events.drop(columns=["_file"]).to_parquet(
                tmp / "staged", write_index=False, compute=False, name_function=_part_name
            ),
            text.rejections.to_parquet(tmp / "rejections", write_index=False, compute=False, name_function=_part_name),
            text.rejected_ids.to_parquet(tmp / "rejected_ids", write_index=False, compute=False),
        ]
        *_, rows_read, referring, repeated, refs = compute(*writes, *text.pass_results(), progress=progress)
        meta = text.events._meta
        staged = _read_parts(tmp / "staged", len(files), meta)
        gone = dd.read_parquet(tmp / "rejected_ids")["rejected_id"]
        bad = _checks_across_files(staged, referring, repeated, refs, gone, text.names)
        if len(bad):
            _drop_rows(staged, bad).drop(columns=["_file"]).to_parquet(
                tmp / "events", write_index=False, name_function=_part_name
            )
            bad[list(empty_rejections())].to_parquet(tmp / "rejections" / "across-files.parquet", index=False)
        else:
            os.replace(tmp / "staged", tmp / "events")
        accepted = pads.dataset(tmp / "events").count_rows()
        rejected = count_rejected(tmp / "rejections")
        publish(tmp, target, rows_read=int(rows_read), accepted=accepted, rejected=rejected, sources=text.names,
                options={k: v for k, v in options.items() if k != "encoding"})  # fmt: skip
    return {"rows_read": int(rows_read), "accepted": int(accepted), "rejected": int(rejected)}


def _part_name(i: int) -> str:
    return f"part.{i:06d}.parquet"


def _read_parts(folder: Path, n: int, meta: pd.DataFrame) -> Any:
    """The staged part files, one partition per input file, with ``_file`` restored from the part number."""
    import dask
    import dask.dataframe as dd

    def read(i: int) -> pd.DataFrame:
        path = folder / _part_name(i)
        if not path.exists():
            return meta
        return pd.read_parquet(path).astype(meta.dtypes.drop("_file").to_dict()).assign(_file=np.int32(i))

    return dd.from_delayed([dask.delayed(read)(i) for i in range(n)], meta=meta, verify_meta=False)


__all__ = ["DaskEvents", "convert", "expand_sources", "read_events_dask"]
