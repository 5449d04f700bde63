"""The canonical event schema: the columns of an event table, the reasons a row is rejected, and the helpers
that read its cells (numbers, counts, ids, the events a ``responds_to`` cell names) and keep it in date order.

:mod:`.checks` applies it: every row ends up accepted or rejected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._core.text import TEXT_DTYPE, clean_text

#: Columns of the canonical event table, in display order.
COLUMNS: tuple[str, ...] = (
    "event_id",
    "date",
    "actor",
    "target",
    "event_type",
    "location",
    "country",
    "latitude",
    "longitude",
    "fatalities",
    "injuries",
    "intensity",
    "responds_to",
    "source",
    "notes",
)
#: ``target`` is optional: an event without one (a protest, a riot, a one-actor GDELT record) is a
#: **one-sided event**: accepted, counted for its actor, and left out only of what needs a dyad.
REQUIRED: tuple[str, ...] = ("date", "actor")
TEXT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "actor",
    "target",
    "event_type",
    "location",
    "country",
    "responds_to",
    "source",
    "notes",
)
COUNT_COLUMNS: tuple[str, ...] = ("fatalities", "injuries")
REJECTION_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "reason")
#: Columns of ``Events.frame``, in order; extra columns a source carries follow them.
FRAME_COLUMNS: tuple[str, ...] = (
    "event_id", "date", "has_time", "actor", "target", "actor_side", "target_side",
    "event_type", "location", "country", "latitude", "longitude", "fatalities",
    "injuries", "intensity", "responds_to", "source", "notes", "row",
)  # fmt: skip


def order_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns first, in :data:`FRAME_COLUMNS` order, then any extra ones."""
    first = [c for c in FRAME_COLUMNS if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


# Reasons, spelled once so that tests and users can filter on them.
MISSING = "missing {column}"
DATE_OUT_OF_RANGE = "date outside 1678-2261"
NON_NUMERIC = "non-numeric {column}"
OUT_OF_RANGE = "{column} outside [{low}, {high}]"
COORDINATE_PAIR = "{column} given without {other}"
NEGATIVE = "negative {column}"
FRACTIONAL = "fractional {column}"
#: Counts above 2**53 are no longer whole numbers in floating point (and no event has that many deaths).
TOO_LARGE = "{column} too large to be a count (over 2**53)"
_MAX_COUNT = float(2**53)
DUPLICATE_ID = "duplicate event_id (first at row {first})"
UNKNOWN_REFERENCE = "responds_to names an unknown event"
REJECTED_REFERENCE = "responds_to names a rejected event"
LATER_REFERENCE = "responds_to names a later event"
SELF_REFERENCE = "responds_to names the event itself"
CYCLE_REFERENCE = "responds_to forms a cycle within one day (each names the other)"
#: A bad stated link is dropped, never its event: the event is still an event, and rejecting it would orphan
#: every event naming it in turn (a cascade that took the chain's own events out of the analysis).
LINK_DROPPED = "; the link is dropped, the event kept"
EMPTY_ROW = "empty row"


def dropped_links(rejections: pd.DataFrame) -> pd.Series:
    """Which lines of a rejection table are dropped stated links (their event accepted), not rejected rows."""
    return rejections["reason"].astype(object).str.endswith(LINK_DROPPED).fillna(False).astype(bool)


def n_rejected_rows(rejections: pd.DataFrame) -> int:
    """Rows rejected: distinct (file, row) among the lines that reject a row (a row with several problems, or
    rows of two files with the same number, count as they are)."""
    if not len(rejections):
        return 0
    rows = rejections.loc[~dropped_links(rejections).to_numpy()]
    columns = ["file", "row"] if "file" in rows else ["row"]
    return len(rows[columns].drop_duplicates())


def empty_rejections() -> pd.DataFrame:
    """An empty rejection table with the right columns and dtypes."""
    return pd.DataFrame(
        {
            "file": pd.Series([], dtype=TEXT_DTYPE),
            "row": pd.Series([], dtype="int64"),
            "column": pd.Series([], dtype=TEXT_DTYPE),
            "value": pd.Series([], dtype=TEXT_DTYPE),
            "reason": pd.Series([], dtype=TEXT_DTYPE),
        }
    )


def missing_text(index: pd.Index) -> pd.Series:
    """A text column with no value, for an optional field the source lacks, at almost no memory.

    Arrow's all-null string array over zero-filled buffers from ``numpy.zeros``: the kernel maps zero pages
    for them until something writes, and nothing does (Arrow arrays are immutable). Filled with ``pd.NA``
    the same column took 84 MB at 10^7 rows; a canonical CSV lacks five of them.
    """
    n = len(index)
    offsets = pa.py_buffer(np.zeros(n + 1, dtype=np.int64))
    validity = pa.py_buffer(np.zeros((n + 7) // 8, dtype=np.uint8))  # all bits 0: every value missing
    array = pa.LargeStringArray.from_buffers(n, offsets, pa.py_buffer(b""), validity, null_count=n)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([array])), index=index, copy=False)


def missing_counts(n: int) -> pd.arrays.IntegerArray:
    """A count column with no value (``Int64``, all missing): zeros that stay unwritten and a mask."""
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse numbers; returns ``(float values, mask of non-numeric non-empty cells)``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        infinite = pd.Series(np.isinf(numbers.to_numpy()), index=values.index)
        return numbers.mask(infinite), infinite
    text = clean_text(values)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    numbers = numbers.where(np.isfinite(numbers))  # "inf" is not a count or a coordinate
    bad = text.notna() & numbers.isna()
    return numbers, bad.astype(bool)


def _hex16(keys: np.ndarray) -> np.ndarray:
    """Format uint64 keys as 16 lowercase hex digits without a Python loop."""
    shifts = np.arange(60, -1, -4, dtype=np.uint64)
    nibbles = ((keys[:, None] >> shifts) & np.uint64(0xF)).astype(np.uint8)
    table = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    return table[nibbles].view("S16").ravel().astype("U16")


def generate_ids(raw: pd.DataFrame) -> pd.Series:
    """Stable event ids from a row's content: the same row always gets the same id.

    The id is a 64-bit hash of every cell of the row as read (pandas'
    ``hash_pandas_object``, which uses a fixed key), so it does not depend on
    the row's position; identical rows get ``-2``, ``-3``... in file order.
    """
    keys = pd.util.hash_pandas_object(raw.astype(TEXT_DTYPE), index=False).to_numpy()
    ids = pd.Series(np.char.add("ev-", _hex16(keys)), index=raw.index)
    occurrence = pd.Series(keys, index=raw.index).groupby(keys).cumcount()
    repeated = occurrence > 0
    if repeated.any():
        ids[repeated] = ids[repeated] + "-" + (occurrence[repeated] + 1).astype(str)
    return ids


def by_date(events: pd.DataFrame) -> pd.DataFrame:
    """Events in (date, event_id) order, with a fresh index. **Empties** ``events`` as it goes.

    A table already in order (as exports sorted by date are) is returned as it is. Otherwise each column is
    taken out of ``events`` and put in order before the next: the unsorted and the sorted table are never
    held whole at once (for 10^7 events each is about 1 GB). A column with no value (an optional field the
    source lacks) reads the same in any order and is not copied.
    """
    order = _date_id_order(events)
    if (order == np.arange(len(order))).all():
        return events.reset_index(drop=True)
    moved: dict[str, pd.Series] = {}
    for column in list(events.columns):
        values = events.pop(column).reset_index(drop=True)
        moved[column] = values if values.isna().all() else values.take(order).reset_index(drop=True)
        del values  # the unsorted column goes before the next is copied
    return pd.DataFrame(moved, copy=False)


def _date_id_order(events: pd.DataFrame) -> np.ndarray:
    """Positions of ``events`` in (date, event_id) order; ties keep their order.

    Arrow's sort on the two keys compares ids only where dates tie; pandas' ``sort_values`` first ranks every
    id (a sorted factorize of 10^6 distinct strings, 0.4 s). Same order, 3-5x faster. Missing dates, or ids
    that are not Arrow strings, take the pandas sort.
    """
    date, ids = events["date"], events["event_id"]
    if (
        getattr(ids.dtype, "storage", None) == "pyarrow"
        and pd.api.types.is_datetime64_dtype(date.dtype)
        and date.notna().all()
    ):
        keys = pa.table({"date": date.to_numpy("datetime64[ns]").view(np.int64), "id": pa.array(ids.array)})
        order = pc.sort_indices(keys, sort_keys=[("date", "ascending"), ("id", "ascending")])
        return order.to_numpy().astype(np.intp)  # Arrow gives uint64
    keys = events[["date", "event_id"]].reset_index(drop=True)
    return keys.sort_values(["date", "event_id"], kind="stable").index.to_numpy()


_DECIMAL_IDS = r"\s*\d+\.0\s*(?:;\s*\d+\.0\s*)*"


def _whole_numbers(ids: pd.Series) -> pd.Series:
    """Ids written as decimals ("17.0": a column of whole numbers with a gap, saved by pandas or a spreadsheet
    as floats) as the whole numbers they are, when every id of the column is one; otherwise unchanged.
    Without this, event 17 named as "17.0" in ``responds_to`` was "an unknown event"."""
    given = ids.dropna()
    # the first ids decide for almost every file, without a regular expression over 10^7 cells
    if given.empty or not given.head(100).str.fullmatch(_DECIMAL_IDS).all():
        return ids
    if not given.str.fullmatch(_DECIMAL_IDS).all():
        return ids
    # every id is digits and ".0" (checked above), so the only ".0" in a cell are the decimal points' (and no
    # look-ahead: pyarrow's regular expressions have none)
    return ids.str.replace(".0", "", regex=False)


_NUMBER_LIST = r"\d+(?:\s+\d+)+"


def named_references(responds_to: pd.Series) -> pd.Series:
    """The ids named in ``responds_to``, one per line, indexed like the input.

    Ids are separated by ``;`` or ``,`` (``"1; 3"``, ``"1, 3"``), and numbers also by spaces (``"1 3"``); an id
    with a space in it (``"K-1 attack"``) stays whole. A spreadsheet's "1, 3" named two events, and was
    rejected as one unknown id."""
    # only the cells that name something: most events name nothing, and splitting 10^7 missing cells takes 3 s
    given = responds_to[responds_to.notna()]
    refs = given.str.replace(",", ";", regex=False).str.split(";").explode().str.strip()
    refs = refs[refs.notna() & (refs != "")]
    numbers = refs.str.fullmatch(_NUMBER_LIST).fillna(False).astype(bool)
    if numbers.any():
        spaced = refs[numbers].str.split().explode()
        refs = pd.concat([refs[~numbers], spaced]).sort_index(kind="stable").astype(refs.dtype)
    # "a; a" names a once: one link, not two identical rows
    return refs[~refs.reset_index().duplicated().to_numpy()]


def without_links(responds_to: pd.Series, pos: np.ndarray, ids: np.ndarray) -> pd.Series:
    """``responds_to`` (positional index) with the ids ``ids`` taken out of the cells at ``pos``."""
    touched = np.unique(pos)
    refs = named_references(responds_to.iloc[touched])
    drop = pd.MultiIndex.from_arrays([pos, ids])
    kept = refs[~pd.MultiIndex.from_arrays([refs.index.to_numpy(), refs.to_numpy()]).isin(drop)]
    joined = kept.astype(object).groupby(level=0).agg("; ".join)
    out = responds_to.copy()
    out.iloc[touched] = pd.Series(touched).map(joined).astype(responds_to.dtype).to_numpy()  # missing: all went
    return out
