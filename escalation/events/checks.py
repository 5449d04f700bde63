"""Validation: every row of a table with canonical column names ends up accepted or rejected.

:func:`validate` (the readers in :mod:`escalation.io` do the renaming first) splits the table into the accepted
events and a rejection table with one line per problem: the file, the row as a spreadsheet shows it, the
column, the offending value and the reason (:mod:`.schema` lists them). It runs as stages, one per kind of
cell: dates, coordinates, counts, ids, then the references between events (:func:`check_references`, which
the Dask engine runs across files). All checks are vectorised; nothing loops over rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._core.dates import (
    AMBIGUOUS_DATE,
    MIXED_ORDERS,
    infer_dayfirst,
    looks_numeric,
    mixed_orders,
    parse_dates,
    reads_numeric,
    unparseable_reason,
)
from .._core.text import TEXT_DTYPE, clean_text
from ..errors import DataError
from .schema import (
    _MAX_COUNT,
    COORDINATE_PAIR,
    COUNT_COLUMNS,
    CYCLE_REFERENCE,
    DATE_OUT_OF_RANGE,
    DUPLICATE_ID,
    EMPTY_ROW,
    FRACTIONAL,
    LATER_REFERENCE,
    LINK_DROPPED,
    MISSING,
    NEGATIVE,
    NON_NUMERIC,
    OUT_OF_RANGE,
    REJECTED_REFERENCE,
    REJECTION_COLUMNS,
    REQUIRED,
    SELF_REFERENCE,
    TEXT_COLUMNS,
    TOO_LARGE,
    UNKNOWN_REFERENCE,
    _whole_numbers,
    by_date,
    empty_rejections,
    generate_ids,
    missing_counts,
    missing_text,
    named_references,
    parse_numbers,
    without_links,
)


class _Problems:
    """Collects (position, column, value, reason) rows from boolean masks."""

    def __init__(self, raw: pd.DataFrame) -> None:
        self.raw = raw
        self.parts: list[pd.DataFrame] = []
        self.skip = np.zeros(len(raw), dtype=bool)

    def add(self, mask: pd.Series, column: str, reason: str | pd.Series, value: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool) & ~self.skip
        if not mask.any():
            return
        if value is None:
            value = self.raw[column] if column in self.raw else pd.Series(pd.NA, self.raw.index)
        self.add_at(
            np.flatnonzero(mask.to_numpy()),
            column,
            pd.Series(value, index=mask.index)[mask].astype(TEXT_DTYPE).to_numpy(),
            reason[mask].to_numpy() if isinstance(reason, pd.Series) else reason,
        )

    def add_at(self, pos: np.ndarray, column: str, value: object, reason: object) -> None:
        self.parts.append(pd.DataFrame({"pos": pos, "column": column, "value": value, "reason": reason}))

    def rejected_positions(self) -> np.ndarray:
        if not self.parts:
            return np.array([], dtype=np.int64)
        return np.unique(np.concatenate([p["pos"].to_numpy() for p in self.parts]))


def validate(
    raw: pd.DataFrame,
    *,
    file: str,
    rows: np.ndarray | pd.Series,
    date_formats: Sequence[str] = (),
    keep: Sequence[str] = (),
    id_source: pd.DataFrame | None = None,
    dayfirst: bool | None = None,
    date_format: str | Sequence[str] | None = None,
    sort: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a table with canonical column names into accepted events and rejections.

    Parameters
    ----------
    raw : DataFrame
        Columns named as in :data:`COLUMNS` (missing optional ones are fine).
    file : str
        Name of the input, written into every rejection.
    rows : array of int
        For each row of ``raw``, its row number as a spreadsheet shows it.
    date_formats : sequence of str
        ``strftime`` formats the source uses, tried after ISO 8601 (e.g. ACLED's ``"%d %B %Y"``).
    dayfirst : bool, optional
        How to read all-number dates such as ``01/03/2021``: ``True`` day first, ``False`` month first;
        ``None`` (default) rejects them as ambiguous. See :mod:`escalation._core.dates`.
    date_format : str or sequence of str, optional
        ``strftime`` format(s) tried before everything else.
    keep : sequence of str
        Extra columns of ``raw`` to carry into the events unchanged.
    id_source : DataFrame, optional
        The table whose row content makes generated ids (default: ``raw``).
    sort : bool
        Put the events in (date, event_id) order (default). ``False`` leaves them in the order of ``raw``,
        for a caller that first drops its own references to the raw table and then calls :func:`by_date`,
        so that the raw cells and the sorted events are not held at once.

    Returns
    -------
    events, rejections : DataFrame
        ``events`` has the canonical columns plus ``has_time`` and ``row``;
        ``rejections`` has ``file, row, column, value, reason``.
    """
    missing_required = [c for c in REQUIRED if c not in raw.columns]
    if missing_required:
        raise DataError(
            f"{file}: no column for {', '.join(missing_required)}; the table has "
            f"{', '.join(map(str, raw.columns)) or 'no columns'}. Map columns with "
            "columns={'date': ..., 'actor': ..., 'target': ...} (CLI: --columns date=...,actor=...,target=...)."
        )
    raw = raw.reset_index(drop=True)
    rows = np.asarray(rows, dtype=np.int64)
    problems = _Problems(raw)

    def text(column: str) -> pd.Series:
        if column in raw:
            return clean_text(raw[column])
        return missing_text(raw.index)

    # A blank line gets one reason, not one per missing column.
    blank = (id_source if id_source is not None else raw).reset_index(drop=True).isna().all(axis=1)
    problems.add(blank, "(all)", EMPTY_ROW, value=pd.Series(pd.NA, index=raw.index))
    problems.skip = blank.to_numpy()

    out = pd.DataFrame(index=raw.index)
    for column in TEXT_COLUMNS:
        out[column] = text(column)
    for column in ("event_id", "responds_to"):
        out[column] = _whole_numbers(out[column])
    date_order = _dates(raw, out, text, problems, date_formats, dayfirst, date_format)
    problems.add(out["actor"].isna(), "actor", MISSING.format(column="actor"))
    _coordinates(raw, out, text, problems)
    _counts(raw, out, problems)
    row_ok = _ids(raw, out, rows, problems, id_source)

    deferred = _DEFERRED.get()
    if deferred is None:
        row_ok = _check_references(out, row_ok, problems)
    else:  # checked later, across files, on the rows valid so far (as for one file)
        deferred.rejected_ids = out["event_id"][~row_ok].dropna().unique()
        referring = np.unique(named_references(out["responds_to"]).index.to_numpy())
        deferred.n_referring = int(row_ok[referring].sum())

    events = out if row_ok.all() else out[row_ok]  # copies every column: only when some row goes
    del out
    events["row"] = rows[row_ok]
    for column in keep:
        if column in raw and column not in events:
            events[column] = raw[column] if row_ok.all() else raw.loc[row_ok, column]
    if sort:
        events = by_date(events)

    rejections = _rejection_table(problems, file, rows)
    if date_order:  # how the column's all-number dates were read, for the reader's record (and its printout)
        events.attrs["date_order"] = date_order
    return events, rejections


def _dates(
    raw: pd.DataFrame,
    out: pd.DataFrame,
    text: Callable[[str], pd.Series],
    problems: _Problems,
    date_formats: Sequence[str],
    dayfirst: bool | None,
    date_format: str | Sequence[str] | None,
) -> str | None:
    """Stage: ``out["date"]`` and ``out["has_time"]``, the bad dates to ``problems``; how the column's
    all-number dates were read when the dates themselves settled it (27/12/2019: day first), else None."""
    date, has_time, out_of_range = parse_dates(raw["date"], date_formats, dayfirst=dayfirst, date_format=date_format)
    is_datetime = pd.api.types.is_datetime64_any_dtype(raw["date"])
    date_missing = raw["date"].isna() if is_datetime else text("date").isna()
    unread = date.isna() & ~date_missing & ~out_of_range
    ambiguous = unread & False
    ambiguous_reason = AMBIGUOUS_DATE
    date_order = None
    if dayfirst is None and not date_format and not reads_numeric(date_formats) and not is_datetime and unread.any():
        # 01/03/2021 with no rule for it. Only the unread cells are looked at: the pattern's \s sends pandas to
        # Python's re, a call per cell (5 s at 10^7 cells), and ISO files have none.
        cells = text("date")[unread]
        numeric = looks_numeric(cells)
        settled, example = infer_dayfirst(cells[numeric])
        if settled is None:  # the column does not say which number is the day: say why, do not guess
            ambiguous[unread] = numeric.to_numpy()
            both = mixed_orders(cells[numeric])
            if both is not None:  # "ambiguous" would be wrong of 27/12/2019: the column mixes the orders
                ambiguous_reason = MIXED_ORDERS.format(day=both[0], month=both[1])
        else:  # a first number over 12 (27/12/2019) settles the column: its all-number dates are read so
            again = cells[numeric]
            read_again, timed_again, beyond_again = parse_dates(again, date_formats, dayfirst=settled)
            date.loc[again.index], has_time.loc[again.index] = read_again, timed_again
            out_of_range.loc[again.index] = beyond_again
            unread = date.isna() & ~date_missing & ~out_of_range
            date_order = f"{'day' if settled else 'month'} first, as {example!r} shows"
    unparseable = unparseable_reason(date_format, date_formats)
    if dayfirst is not None and not date_format and unread.any():
        # --monthfirst on 27/12/2019 (or --dayfirst on 12/28/2019): the option, not the cell, is wrong
        cells = text("date")[unread]
        against, example = infer_dayfirst(cells[looks_numeric(cells)])
        if against is not None and against != dayfirst:
            unparseable += (f"; {example} is {'day' if against else 'month'} first: is "
                            f"--{'monthfirst' if against else 'dayfirst'} right?")  # fmt: skip
    problems.add(date_missing, "date", MISSING.format(column="date"))
    problems.add(out_of_range, "date", DATE_OUT_OF_RANGE)
    problems.add(ambiguous, "date", ambiguous_reason)
    problems.add(unread & ~ambiguous, "date", unparseable)
    out["date"] = date
    out["has_time"] = has_time
    return date_order


def _coordinates(raw: pd.DataFrame, out: pd.DataFrame, text: Callable[[str], pd.Series], problems: _Problems) -> None:
    """Stage: latitude and longitude, numeric, in range, and given in pairs."""
    for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if column not in raw:
            out[column] = np.nan
            continue
        values, bad = parse_numbers(raw[column])
        problems.add(bad, column, NON_NUMERIC.format(column=column))
        problems.add((values < low) | (values > high), column, OUT_OF_RANGE.format(column=column, low=low, high=high))
        out[column] = values
    if "latitude" in raw or "longitude" in raw:
        lat_given = out["latitude"].notna() | (text("latitude").notna() if "latitude" in raw else False)
        lon_given = out["longitude"].notna() | (text("longitude").notna() if "longitude" in raw else False)
        problems.add(lat_given & ~lon_given, "latitude", COORDINATE_PAIR.format(column="latitude", other="longitude"))
        problems.add(lon_given & ~lat_given, "longitude", COORDINATE_PAIR.format(column="longitude", other="latitude"))


def _counts(raw: pd.DataFrame, out: pd.DataFrame, problems: _Problems) -> None:
    """Stage: the counts, whole non-negative numbers (missing means unknown), and the intensity, a number."""
    for column in COUNT_COLUMNS:
        if column not in raw:
            out[column] = missing_counts(len(raw))
            continue
        values, bad = parse_numbers(raw[column])
        problems.add(bad, column, NON_NUMERIC.format(column=column))
        problems.add(values < 0, column, NEGATIVE.format(column=column))
        huge = values > _MAX_COUNT  # "1E100" or "inf" would not fit the integer column
        problems.add(huge, column, TOO_LARGE.format(column=column))
        fractional = values.notna() & ~huge & (values != np.floor(values))
        problems.add(fractional & (values >= 0), column, FRACTIONAL.format(column=column))
        usable = values.where(~fractional & ~huge & (values >= 0))
        out[column] = usable.round().astype("Int64")
    if "intensity" in raw:
        values, bad = parse_numbers(raw["intensity"])
        problems.add(bad, "intensity", NON_NUMERIC.format(column="intensity"))
        out["intensity"] = values
    else:
        out["intensity"] = np.nan


def _ids(
    raw: pd.DataFrame, out: pd.DataFrame, rows: np.ndarray, problems: _Problems, id_source: pd.DataFrame | None
) -> np.ndarray:
    """Stage: given ids kept, missing ones generated from the row's content; a duplicate id among otherwise
    valid rows is rejected (the first stays). The rows still valid, as a mask."""
    absent = out["event_id"].isna()
    if absent.any():
        generated = generate_ids(id_source.reset_index(drop=True) if id_source is not None else raw)
        out["event_id"] = out["event_id"].where(~absent, generated.astype(TEXT_DTYPE))
    row_ok = np.ones(len(raw), dtype=bool)
    row_ok[problems.rejected_positions()] = False
    ids = out["event_id"]
    ok_ids = ids[row_ok]
    dup = ok_ids.duplicated(keep="first")
    if dup.any():
        firsts = ok_ids[~dup]
        first_row_of = pd.Series(rows[firsts.index.to_numpy()], index=firsts.to_numpy())
        dup_pos = ok_ids.index[dup.to_numpy()].to_numpy()
        dup_ids = ids.to_numpy()[dup_pos]
        first_rows = first_row_of.reindex(dup_ids).to_numpy()
        reasons = [DUPLICATE_ID.format(first=int(r)) for r in first_rows]  # one per duplicate, not per row
        problems.add_at(dup_pos, "event_id", dup_ids, reasons)
        row_ok[dup_pos] = False
    return row_ok


@dataclass
class DeferredReferences:
    """What a table validated under :func:`references_checked_later` leaves to the check across files."""

    #: ids of the rows rejected (the check needs them to tell "rejected" from "unknown")
    rejected_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    #: accepted rows naming other events, whose references are still to be checked
    n_referring: int = 0


_DEFERRED: ContextVar[DeferredReferences | None] = ContextVar("escalation_deferred_references", default=None)


@contextlib.contextmanager
def references_checked_later() -> Iterator[DeferredReferences]:
    """Validate one file of many, leaving ``responds_to`` to a check across all files.

    The Dask engine reads each file alone, but a response in one file may name an
    event of another. Under this context, :func:`validate` does every check except
    the references (the duplicate-id check comes before them, as for one file); the
    engine then runs :func:`check_references` on the referring events, the events
    they name and the ids of rejected rows, gathered from all files. The result is
    the pandas engine's on the files concatenated.
    """
    state = DeferredReferences()
    token = _DEFERRED.set(state)
    try:
        yield state
    finally:
        _DEFERRED.reset(token)


def check_references(out: pd.DataFrame, row_ok: np.ndarray) -> pd.DataFrame:
    """The reference check on a table gathered from several files: positions, values and reasons of rejections.

    ``out`` needs ``event_id, responds_to, date, has_time``; rows with ``row_ok``
    False are known-rejected events (referring to them gives "names a rejected event").
    """
    problems = _Problems(out)
    _check_references(out.reset_index(drop=True), np.asarray(row_ok, dtype=bool), problems)
    if not problems.parts:
        return pd.DataFrame({"pos": [], "column": [], "value": [], "reason": []})
    return pd.concat(problems.parts, ignore_index=True)


def _check_references(out: pd.DataFrame, row_ok: np.ndarray, problems: _Problems) -> np.ndarray:
    """Check ``responds_to``: every named id must be an accepted, not-later event.

    A bad link is reported (its reason ends in :data:`LINK_DROPPED`) and taken out of ``out["responds_to"]``;
    the event stays. One pass: no event is rejected here, so nothing cascades.
    """
    refs = named_references(out["responds_to"])
    if refs.empty:
        return row_ok
    own_pos = refs.index.to_numpy()
    ref_ids = refs.to_numpy()
    date = out["date"].to_numpy()
    day = out["date"].dt.normalize().to_numpy()
    has_time = out["has_time"].to_numpy()
    accepted = pd.Series(np.flatnonzero(row_ok), index=out["event_id"].to_numpy()[row_ok])
    active = row_ok[own_pos]
    target = pd.Series(ref_ids).map(accepted).to_numpy(dtype="float64")
    known = ~np.isnan(target)
    tpos = np.where(known, target, 0).astype(np.int64)
    later = known & (
        (day[tpos] > day[own_pos])
        | ((day[tpos] == day[own_pos]) & has_time[tpos] & has_time[own_pos] & (date[tpos] > date[own_pos]))
    )
    is_self = ref_ids == out["event_id"].to_numpy()[own_pos]
    in_file = pd.Series(ref_ids).isin(out["event_id"].dropna()).to_numpy()
    reason = np.select(
        [is_self, later, ~known & in_file, ~known],
        [SELF_REFERENCE, LATER_REFERENCE, REJECTED_REFERENCE, UNKNOWN_REFERENCE],
        default="",
    ).astype(object)  # not a fixed-width string array: longer reasons are set below
    # Events of one day may name each other (same date, no clock times), but not in a circle.
    same_day = active & (reason == "") & (day[tpos] == day[own_pos])
    if same_day.any():
        circular = _in_cycle(own_pos[same_day], tpos[same_day], len(out))
        reason[np.flatnonzero(same_day)[circular]] = CYCLE_REFERENCE
    bad = active & (reason != "")
    if bad.any():
        problems.add_at(own_pos[bad], "responds_to", ref_ids[bad], reason[bad] + LINK_DROPPED)
        out["responds_to"] = without_links(out["responds_to"], own_pos[bad], ref_ids[bad])
    return row_ok


def _in_cycle(source: np.ndarray, target: np.ndarray, n: int) -> np.ndarray:
    """Which edges ``source -> target`` lie on a cycle (both ends in one strongly connected component)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(source), np.int8), (source, target)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="strong")
    return labels[source] == labels[target]


def _rejection_table(problems: _Problems, file: str, rows: np.ndarray) -> pd.DataFrame:
    if not problems.parts:
        return empty_rejections()
    table = pd.concat(problems.parts, ignore_index=True)
    table["row"] = rows[table["pos"].to_numpy()]
    table["file"] = file
    table = table.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    table = table[list(REJECTION_COLUMNS)]
    for column in ("file", "column", "value", "reason"):
        table[column] = table[column].astype(TEXT_DTYPE)
    return table
