"""Parquet datasets written by ``escalation convert``: events read and validated once.

A converted dataset is a folder ``NAME.parquet`` of Parquet part files holding the
accepted events, with the columns and types of :func:`escalation.read_events` (``row``
is the row in the source file), a sibling folder ``NAME.parquet.rejections`` holding
the rejection table, and a marker ``NAME.parquet/_escalation.json`` with the counts
and the source files. Parquet readers skip files starting with ``_``, so the folder
is still an ordinary Parquet dataset for pandas, pyarrow, Dask or DuckDB.

Readers trust a marked dataset: its rows were validated when it was written, so
reading it again neither parses text nor checks rows, and gives the same events,
rejections and counts as reading the sources did.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .._core.atomic import _umask, write_text_atomic
from ..errors import DataError, UsageError
from ..events.table import Events

MARKER = "_escalation.json"
VERSION = 1


def rejections_path(dest: str | os.PathLike[str]) -> Path:
    """The rejection dataset beside an events dataset: ``NAME.parquet.rejections``."""
    target = Path(dest)
    return target.with_name(target.name + ".rejections")


def write_marker(
    folder: str | os.PathLike[str], *, rows_read: int, accepted: int, rejected: int, sources: Sequence[str],
    options: Mapping[str, Any],
) -> Path:  # fmt: skip
    """Write the marker that makes ``folder`` a converted dataset (last, once the data is in place)."""
    record = {
        "escalation_dataset": VERSION,
        "rows_read": int(rows_read),
        "accepted": int(accepted),
        "rejected": int(rejected),
        "sources": [str(s) for s in sources],
        "options": {k: (str(v) if isinstance(v, os.PathLike) else v) for k, v in options.items()},
    }
    return write_text_atomic(Path(folder) / MARKER, json.dumps(record, indent=1, default=str) + "\n")


def read_marker(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The marker of a converted dataset, or None when ``path`` is not one."""
    marker = Path(path) / MARKER
    if not marker.is_file():
        return None
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{marker}: unreadable dataset marker ({exc})") from None
    if not isinstance(record, dict) or record.get("escalation_dataset") != VERSION:
        raise DataError(f"{marker}: not an escalation dataset marker of version {VERSION}")
    return record


def check_options(path: Path, *, columns: Mapping[str, str] | None, format: str, per_victim: bool) -> None:
    """Options that shaped the rows at conversion cannot be changed when reading them back."""
    if columns or per_victim or format not in ("auto", "parquet", "canonical"):
        raise UsageError(
            f"{path} was converted with its column mapping and format already applied; "
            "pass --columns/--format/--per-victim to convert instead (--sides may still be given)"
        )


def text_as_arrow(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as the engine's Arrow-backed strings (Parquet writers record them differently)."""
    from ..events.schema import TEXT_DTYPE

    text = [c for c, t in frame.dtypes.items() if pd.api.types.is_object_dtype(t) or isinstance(t, pd.StringDtype)]
    return frame.astype(dict.fromkeys(text, TEXT_DTYPE)) if text else frame


def count_rejected(folder: str | os.PathLike[str]) -> int:
    """Rows rejected in a rejection dataset: distinct (file, row), as a row may have several problems (dropped
    stated links reject no row)."""
    from ..events.schema import n_rejected_rows

    return n_rejected_rows(pd.read_parquet(folder, columns=["file", "row", "reason"]))


def read_rejections(path: Path) -> pd.DataFrame:
    """The stored rejection table of a converted dataset."""
    from ..events.schema import empty_rejections

    folder = rejections_path(path)
    if not folder.exists():
        raise DataError(f"{path}: its rejection table {folder} is missing")
    table = pd.read_parquet(folder)
    if table.empty:
        return empty_rejections()
    return text_as_arrow(table.astype({"row": "int64"})).reset_index(drop=True)


#: What every reader of a converted dataset relies on, and the dtype kind each must have
_RELIED_ON = {"event_id": "text", "date": "datetime", "has_time": "bool", "actor": "text", "target": "text",
              "fatalities": "number", "injuries": "number", "responds_to": "text", "row": "integer"}  # fmt: skip


def _kind_ok(series: pd.Series, kind: str) -> bool:
    api = pd.api.types
    if kind == "datetime":
        return bool(api.is_datetime64_any_dtype(series.dtype))
    if kind == "bool":
        return bool(api.is_bool_dtype(series.dtype))
    if kind == "integer":
        return bool(api.is_integer_dtype(series.dtype))
    if kind == "number":
        return bool(api.is_numeric_dtype(series.dtype) or series.isna().all())
    return bool(api.is_string_dtype(series.dtype) or api.is_object_dtype(series.dtype) or series.isna().all())


def _changed(path: Path, what: str) -> DataError:
    return DataError(f"{path}: {what}; it is not as escalation convert wrote it (changed since?): convert the "
                     "sources again")  # fmt: skip


def check_converted_columns(frame: pd.DataFrame, path: Path) -> None:
    """The columns a converted dataset's readers rely on, with their types (works on Dask's empty ``_meta``)."""
    missing = [c for c in _RELIED_ON if c not in frame.columns]
    if missing:
        raise _changed(path, f"no column {', '.join(map(repr, missing))}")
    for column, kind in _RELIED_ON.items():
        if not _kind_ok(frame[column], kind) and not (len(frame) == 0 and kind in ("number", "text")):
            raise _changed(path, f"column {column!r} holds {frame[column].dtype} values, not {kind}s")


def check_converted(frame: pd.DataFrame, path: Path) -> None:
    """A converted dataset is trusted, so check what trusting it means, at the cost of a few column passes:
    the columns and their types, one row per id, and stated links that point back in time to its events.
    A dataset edited after conversion (a later ``responds_to``, dates as text, a dropped column, a repeated
    id, a count written as "eight") gave a negative interval or an internal error."""
    from ..events.schema import named_references

    def bad(what: str) -> DataError:
        return _changed(path, what)

    check_converted_columns(frame, path)
    if frame["date"].isna().any() or frame["actor"].isna().any():
        raise bad("an event without a date or an actor")
    if frame["event_id"].isna().any() or frame["event_id"].duplicated().any():
        first = frame["event_id"][frame["event_id"].duplicated()]
        raise bad(f"event_id {first.iloc[0]!r} on two rows" if len(first) else "an event without an event_id")
    refs = named_references(frame["responds_to"])
    if len(refs):
        when = pd.Series(frame["date"].dt.normalize().to_numpy(), index=frame["event_id"].to_numpy())
        named = when.reindex(refs.to_numpy()).to_numpy()
        own = frame["date"].dt.normalize().to_numpy()[refs.index.to_numpy()]
        wrong = pd.isna(named) | (named > own)
        if wrong.any():
            i = int(wrong.argmax())
            raise bad(
                f"the event at row {int(frame['row'].iloc[refs.index[i]])} names {refs.iloc[i]!r}, "
                + ("which it does not hold" if pd.isna(named[i]) else "a later event")
            )


def read_converted(path: Path, record: Mapping[str, Any], sides: Mapping[str, str] | None) -> Events:
    """A converted dataset as :class:`Events`, as it was when converted (sides re-applied if given)."""
    from ..events.schema import order_columns
    from ..events.sides import apply_sides

    frame = text_as_arrow(pd.read_parquet(path))
    if len(frame) != record["accepted"]:
        raise DataError(f"{path}: holds {len(frame)} events but its marker says {record['accepted']}; "
                        "was it changed after conversion? Convert the sources again")  # fmt: skip
    check_converted(frame, path)
    if sides:
        frame = apply_sides(frame, sides)
    frame = order_columns(frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True))
    provenance = {
        "file": str(path), "format": "converted", "rows_read": int(record["rows_read"]),
        "accepted": len(frame), "rejected": int(record["rejected"]), "sources": list(record["sources"]),
        "columns": record["options"].get("columns"), "per_victim": record["options"].get("per_victim", False),
        "sides": "given" if sides else record["options"].get("sides"),
    }  # fmt: skip
    return Events(frame=frame, rejections=read_rejections(path), provenance=provenance, sides=dict(sides or {}))


def write_converted(events: Events, dest: str | os.PathLike[str], sources: Sequence[str],
                    options: Mapping[str, Any]) -> tuple[Path, Path]:  # fmt: skip
    """Write :class:`Events` (the pandas engine) as a converted dataset; both folders are replaced whole."""
    target = Path(dest)
    with staging_dir(target) as tmp:
        (tmp / "events").mkdir()
        (tmp / "rejections").mkdir()
        # Rows, not incidents: reading the dataset back groups them again with the recorded options.
        events.rows.to_parquet(tmp / "events" / "part.000000.parquet", index=False)
        events.rejections.to_parquet(tmp / "rejections" / "part.000000.parquet", index=False)
        publish(tmp, target, rows_read=events.n_read, accepted=events.n_accepted, rejected=events.n_rejected,
                sources=sources, options=options)  # fmt: skip
    return target, rejections_path(target)


@contextlib.contextmanager
def staging_dir(target: Path) -> Iterator[Path]:
    """A private folder beside ``target`` for writing a dataset; removed afterwards, whatever happens."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(tmp: Path, target: Path, **marker: Any) -> None:
    """Move ``tmp/events`` and ``tmp/rejections`` into place, then mark the dataset.

    Each folder is swapped in by renames on one file system, so a reader never sees
    a mix of old and new part files. The marker (``write_marker(**marker)``) is
    written last: until it exists the folder is an ordinary Parquet dataset, which
    readers validate again instead of trusting, so a crash halfway leaves nothing
    that is trusted and wrong.
    """
    for name, final in (("rejections", rejections_path(target)), ("events", target)):
        swap_in(tmp / name, final, tmp / f"old-{name}")
    write_marker(target, **marker)


def swap_in(src: Path, final: Path, old: Path) -> None:
    """Put the folder ``src`` at ``final`` by renames, moving a previous ``final`` to ``old`` (to be removed)."""
    os.chmod(src, 0o777 & ~_umask())  # mkdtemp folders are private; give the normal permissions
    if final.exists():
        os.replace(final, old)
    os.replace(src, final)


__all__ = [
    "MARKER",
    "check_options",
    "count_rejected",
    "publish",
    "read_converted",
    "read_marker",
    "read_rejections",
    "rejections_path",
    "staging_dir",
    "swap_in",
    "write_converted",
    "write_marker",
]
