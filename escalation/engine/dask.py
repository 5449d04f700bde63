"""The same analyses on Dask, for event archives larger than one machine's memory.

Nothing here re-implements an analysis. Each input file is read and validated by
the pandas code of :mod:`escalation.io` inside a Dask task, so reasons, row numbers
and counts are the pandas path's. Linking shuffles events on their *unordered*
dyad, so every partition holds whole dyads (both directions), and runs the pandas
linker on each partition; stated links, which may cross dyads, are joined
globally. Daily and weekly counts are Dask group-bys; the small series they give
go through the existing statsmodels code.

What differs from the pandas engine, by design or not yet done:

* ``chain_id`` needs the global link graph, so Dask link tables come without it;
  :func:`escalation.chains.add_chain_ids` numbers a collected link table exactly as
  the pandas engine does.
* ``responds_to`` is checked within each file; a reference to an event in another
  file is rejected as unknown.
* Duplicate ids are checked across files too; the first (by file order, then
  row) is kept, as the pandas engine keeps the first row of a file.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from ..ladder import Ladder, as_ladder, event_ranks
from ..linking import build_link_table, event_times, infer_pairs, intervals, parse_window, stated_pairs
from ..schema import DUPLICATE_ID, TEXT_DTYPE

_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq")


def expand_sources(source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
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


def _read_one(path: Path, index: int, options: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Events, rejections and rows read of one file, by the pandas reader."""
    from ..io import read_events

    ev = read_events(path, **options)
    frame = ev.frame.assign(_file=np.int32(index))
    return frame, ev.rejections, ev.n_read


@dataclass(frozen=True)
class DaskEvents:
    """Validated events as a Dask DataFrame, with the rejections and counts of the pandas path.

    Attributes
    ----------
    frame : dask DataFrame
        Accepted events (the pandas engine's columns plus ``_file``, the input file's index).
    rejections : dask DataFrame
        ``file, row, column, value, reason``.
    files : list of Path
    """

    frame: Any
    rejections: Any
    files: list[Path]
    rows_read: Any  # a Dask scalar: the sum of rows read per file

    def counts(self) -> dict[str, int]:
        """Rows read, accepted and rejected (computes the reading)."""
        import dask

        # (a delayed value and dataframe expressions are computed apart: Dask warns when they are mixed)
        read = self.rows_read.compute()
        accepted, rejected = dask.compute(
            self.frame.shape[0], self.rejections.drop_duplicates(["file", "row"]).shape[0]
        )
        return {"rows_read": int(read), "accepted": int(accepted), "rejected": int(rejected)}


def read_events_dask(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    columns: Mapping[str, str] | None = None,
    sides: Mapping[str, str] | str | os.PathLike[str] | None = None,
    format: str = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
) -> DaskEvents:
    """Read many event files (a folder, a glob, a list) into Dask, validated file by file.

    Each file is one task running :func:`escalation.read_events`; events whose
    ``event_id`` repeats one in an earlier file are then moved to the rejections.

    Examples
    --------
    >>> from escalation.engine.dask import read_events_dask
    >>> ev = read_events_dask("data/samples/acled_sample.csv")  # doctest: +SKIP
    >>> ev.counts()  # doctest: +SKIP
    {'rows_read': 4, 'accepted': 2, 'rejected': 2}
    """
    import dask
    import dask.dataframe as dd

    files = expand_sources(source)
    options = {"columns": dict(columns or {}) or None, "sides": sides, "format": format,
               "per_victim": per_victim, "encoding": encoding}  # fmt: skip
    # The first file gives the schema (Dask needs it up front); every file is read by the same code.
    first_events, first_rejections, _ = _read_one(files[0], 0, options)
    meta_events, meta_rejections = first_events.iloc[:0], first_rejections.iloc[:0]
    parts = [dask.delayed(_read_one, nout=3)(path, i, options) for i, path in enumerate(files)]
    events = dd.from_delayed([p[0] for p in parts], meta=meta_events, verify_meta=False)
    rejections = dd.from_delayed([p[1] for p in parts], meta=meta_rejections, verify_meta=False)
    # Rows read per file as a one-column frame of the same graph, so counts() reads each file once.
    rows_read = dd.from_delayed(
        [dask.delayed(pd.DataFrame)({"rows": [p[2]]}) for p in parts], meta=pd.DataFrame({"rows": [0]}).iloc[:0]
    )["rows"].sum()
    events, rejections = _reject_cross_file_duplicates(events, rejections, [str(f) for f in files])
    return DaskEvents(frame=events, rejections=rejections, files=files, rows_read=rows_read)


def _reject_cross_file_duplicates(events: Any, rejections: Any, names: list[str]) -> tuple[Any, Any]:
    """Move events whose id appeared in an earlier file (or earlier in the same one) to the rejections."""
    if len(names) < 2:
        return events, rejections
    counts = events["event_id"].value_counts()
    repeated = counts[counts > 1].index.to_series().compute()
    if repeated.empty:
        return events, rejections
    owners = events[events["event_id"].isin(list(repeated))][["event_id", "_file", "row"]].compute()
    first = owners.sort_values(["_file", "row"]).drop_duplicates("event_id").set_index("event_id")

    def split(part: pd.DataFrame, keep: bool) -> pd.DataFrame:
        mine = part["event_id"].isin(first.index)
        f = first.reindex(part["event_id"])
        is_first = (f["_file"].to_numpy() == part["_file"].to_numpy()) & (f["row"].to_numpy() == part["row"].to_numpy())
        dup = mine.to_numpy() & ~is_first
        if keep:
            return part[~dup]
        bad = part[dup]
        first_rows = f["row"].to_numpy()[dup]
        first_files = f["_file"].to_numpy()[dup]
        reasons = [  # one per duplicate row: there are few
            DUPLICATE_ID.format(first=int(r))[:-1] + f" of {names[int(k)]})"
            for r, k in zip(first_rows, first_files, strict=True)
        ]
        return pd.DataFrame(
            {
                "file": [names[int(k)] for k in bad["_file"].to_numpy()],
                "row": bad["row"].to_numpy().astype(np.int64),
                "column": "event_id",
                "value": bad["event_id"].astype(object).to_numpy(),
                "reason": reasons,
            }
        ).astype({"file": TEXT_DTYPE, "column": TEXT_DTYPE, "value": TEXT_DTYPE, "reason": TEXT_DTYPE})

    import dask.dataframe as dd

    kept = events.map_partitions(split, True, meta=events._meta)
    moved = events.map_partitions(split, False, meta=rejections._meta)
    return kept, dd.concat([rejections, moved])


def _dyad_key(frame: pd.DataFrame) -> pd.Series:
    a = frame["actor_side"].astype(str)
    t = frame["target_side"].astype(str)
    return a.where(a < t, t) + "\x1f" + t.where(a < t, a)


def _link_partition(
    part: pd.DataFrame, window: pd.Timedelta, ladder: Ladder, max_distance_km: float | None
) -> pd.DataFrame:
    frame = part.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    has_stated = frame["responds_to"].notna().to_numpy()
    trig, resp, days = infer_pairs(frame, window, max_distance_km=max_distance_km, exclude=has_stated)
    ranks = event_ranks(frame, ladder).to_numpy()
    table = build_link_table(frame, trig, resp, np.zeros(len(trig), bool), days, np.zeros(len(frame), np.int64), ranks)
    return table.drop(columns=["chain_id"])


def _stated_links(events: Any, ladder: Ladder) -> pd.DataFrame:
    """Stated links, joined across the whole data (they may cross dyads and partitions).

    The responding events and the events they name are collected (a small part of the
    data); :func:`escalation.linking.stated_pairs` then reads ``responds_to`` exactly as
    the pandas engine does.
    """
    given = events[events["responds_to"].notnull()]
    refs = given[["event_id", "responds_to"]].compute()
    if refs.empty:
        return pd.DataFrame()
    named = refs["responds_to"].str.split(";").explode().str.strip()
    wanted = set(named) | set(refs["event_id"])
    rows = events[events["event_id"].isin(list(wanted))].compute()
    frame = rows.drop_duplicates("event_id").sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    trig, resp = stated_pairs(frame)
    order = np.lexsort((trig, resp))
    trig, resp = trig[order], resp[order]
    days = intervals(event_times(frame), trig, resp)
    ranks = event_ranks(frame, ladder).to_numpy()
    table = build_link_table(frame, trig, resp, np.ones(len(trig), bool), days, np.zeros(len(frame), np.int64), ranks)
    return table.drop(columns=["chain_id"])


def link_dask(
    events: DaskEvents | Any,
    *,
    window: str | pd.Timedelta | float = "30D",
    max_distance_km: float | None = None,
    ladder: Ladder | Mapping[str, float] | str | None = None,
    npartitions: int | None = None,
) -> Any:
    """Links of a Dask event table: the pandas linker per dyad partition, plus stated links.

    Returns a Dask DataFrame with the pandas engine's link columns except ``chain_id``.
    """
    import dask.dataframe as dd

    frame = events.frame if isinstance(events, DaskEvents) else events
    window_td = parse_window(window)
    the_ladder = as_ladder(ladder)
    keyed = frame.assign(_dyad=frame.map_partitions(_dyad_key, meta=("_dyad", "object")))
    shuffled = keyed.shuffle("_dyad", npartitions=npartitions or frame.npartitions)
    meta = _link_partition(frame._meta.assign(_dyad=pd.Series(dtype=object)), window_td, the_ladder, max_distance_km)
    inferred = shuffled.map_partitions(_link_partition, window_td, the_ladder, max_distance_km, meta=meta)
    stated = _stated_links(frame, the_ladder)
    if stated.empty:
        return inferred
    return dd.concat([dd.from_pandas(stated.astype(meta.dtypes.to_dict()), npartitions=1), inferred])


def counts_by_period(
    events: DaskEvents | Any, *, freq: str = "D", by: str = "side", measure: str = "events"
) -> pd.DataFrame:
    """Events (or fatalities) per period and side-as-actor (or directed dyad), zero-filled: a small pandas table.

    The result is what :func:`escalation.stats.reciprocity.side_series` gives for the same data.
    """
    if by not in ("side", "dyad") or measure not in ("events", "fatalities") or freq not in ("D", "W", "M"):
        raise UsageError("by must be side|dyad, measure events|fatalities, freq D|W|M")
    frame = events.frame if isinstance(events, DaskEvents) else events
    cols = ["date", "actor_side", "target_side", "fatalities"]
    small = frame[cols].map_partitions(
        _periodise, freq, by, measure, meta=_periodise(frame._meta[cols], freq, by, measure)
    )
    table = small.groupby(["period", "key"])["value"].sum().compute()
    wide = table.unstack(fill_value=0.0).sort_index()
    wide = wide[sorted(wide.columns)]
    full = pd.period_range(wide.index.min(), wide.index.max(), freq=freq)
    wide = wide.reindex(full, fill_value=0.0)
    wide.index.name = "period"
    wide.columns.name = "side" if by == "side" else "dyad"
    return wide


def _periodise(part: pd.DataFrame, freq: str, by: str, measure: str) -> pd.DataFrame:
    key = part["actor_side"].astype(str)
    if by == "dyad":
        key = key + " -> " + part["target_side"].astype(str)
    value = part["fatalities"].astype("float64").fillna(0.0) if measure == "fatalities" else pd.Series(1.0, part.index)
    return pd.DataFrame({"period": part["date"].dt.to_period(freq), "key": key, "value": value})


def to_parquet_dataset(events: DaskEvents, dest: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write accepted events to ``dest`` (a partitioned Parquet dataset, one file per input partition)
    and the rejections to ``dest`` + ``.rejections``, computing both in one pass."""
    import dask

    target = Path(dest)
    rejected = target.with_name(target.name + ".rejections")
    frame = events.frame.drop(columns=["_file"])
    writes = [
        frame.to_parquet(target, write_index=False, compute=False, overwrite=True),
        events.rejections.to_parquet(rejected, write_index=False, compute=False, overwrite=True),
    ]
    dask.compute(*writes)
    return target, rejected


__all__ = [
    "DaskEvents",
    "counts_by_period",
    "expand_sources",
    "link_dask",
    "read_events_dask",
    "to_parquet_dataset",
]
