"""Linking on Dask: shuffle on the unordered dyad, run the pandas linker per partition, join stated links."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..._core.keys import side_vocabulary
from ..._core.time import event_times, intervals, parse_window
from ...errors import UsageError
from ...events.ladder import Ladder, as_ladder, event_ranks
from ...events.schema import named_references
from ...events.sides import apply_sides, read_sides
from ...linking._rule import build_link_table, infer_pairs, stated_pairs
from ._chains import ROOT_DATE, ROOT_ID, local_roots, number_chains
from ._read import DaskEvents


def _dyad_key(frame: pd.DataFrame) -> pd.Series:
    """The unordered dyad as one 64-bit number: the fixed-key hashes of its two sides (``pandas.util.hash_array``,
    the same in every process), smaller first, mixed.

    The shuffle only needs every event of a dyad in one partition; a number shared by two dyads puts both in
    one partition, where the linker keeps them apart by their sides. Each side name is hashed once (a
    partition has a few hundred), not once per event: a text key cost a Python string per event (about 70
    bytes) in the worker and through the shuffle.
    """
    actor, target, names = side_vocabulary(frame)
    # a missing side (code -1) hashes as "", as ``side_text`` spells it: the appended last entry
    hashed = pd.util.hash_array(np.append(names, ""))
    one, other = hashed[actor], hashed[target]
    first, second = np.minimum(one, other), np.maximum(one, other)
    # arrays of uint64 wrap around silently: (first, second) -> one well-mixed 64-bit value
    return pd.Series(first * np.uint64(0x9E3779B97F4A7C15) + second, index=frame.index, dtype="uint64")


#: The columns the linker reads; only these travel through the shuffle.
_LINK_INPUT = ("event_id", "date", "has_time", "actor_side", "target_side", "event_type", "fatalities",
               "intensity", "goldstein", "latitude", "longitude", "responds_to")  # fmt: skip


def _link_partition(
    part: pd.DataFrame, window: pd.Timedelta, ladder: Ladder, max_distance_km: float | None
) -> pd.DataFrame:
    frame = part.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    has_stated = frame["responds_to"].notna().to_numpy()
    trig, resp, days = infer_pairs(frame, window, max_distance_km=max_distance_km, exclude=has_stated)
    ranks = event_ranks(frame, ladder).to_numpy()
    table = build_link_table(
        frame, trig, resp, np.zeros(len(trig), bool), days, np.zeros(len(frame), np.int64), ranks, categorical=False
    )
    dates = frame["date"].to_numpy("datetime64[ns]")
    table[ROOT_DATE], table[ROOT_ID] = local_roots(dates, frame["event_id"].array, trig, resp)
    return _same_columns(table, frame)


def _same_columns(table: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Every partition gives the same columns: ``distance_km`` whenever there are coordinate columns.

    (The pandas engine adds it when any event has coordinates, which one partition cannot know.)
    """
    if "latitude" in frame and "distance_km" not in table:
        table["distance_km"] = np.nan
    # one order whether the link table brought distance_km or it was added above (the roots last); a
    # partition with coordinates put it before the roots and the metadata after, and Dask refused the result
    columns = [c for c in table.columns if c not in (ROOT_DATE, ROOT_ID, "chain_id")] + [ROOT_DATE, ROOT_ID]
    return table[columns]


def _stated_links(events: Any, ladder: Ladder) -> pd.DataFrame:
    """Stated links, joined across the whole data (they may cross dyads and partitions).

    The responding events and the events they name are collected (a small part of the
    data); :func:`escalation.linking._rule.stated_pairs` then reads ``responds_to`` exactly as
    the pandas engine does.
    """
    given = events[events["responds_to"].notnull()]
    refs = given[["event_id", "responds_to"]].compute()
    if refs.empty:
        return pd.DataFrame()
    wanted = set(named_references(refs["responds_to"])) | set(refs["event_id"])
    rows = events[events["event_id"].isin(list(wanted))].compute()
    frame = rows.drop_duplicates("event_id").sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    trig, resp = stated_pairs(frame)
    order = np.lexsort((trig, resp))
    trig, resp = trig[order], resp[order]
    days = intervals(event_times(frame), trig, resp)
    ranks = event_ranks(frame, ladder).to_numpy()
    table = build_link_table(
        frame, trig, resp, np.ones(len(trig), bool), days, np.zeros(len(frame), np.int64), ranks, categorical=False
    )
    # a stated link may join chains of different dyads: its trigger stands for its chain until they are joined
    table[ROOT_DATE], table[ROOT_ID] = table["trigger_date"], table["trigger_id"]
    return _same_columns(table, frame)


def link_dask(
    events: DaskEvents | Any,
    *,
    window: str | pd.Timedelta | float = "30D",
    max_distance_km: float | None = None,
    ladder: Ladder | Mapping[str, float] | str | None = None,
    sides: Mapping[str, str] | str | os.PathLike[str] | None = None,
    npartitions: int | None = None,
    input_partitions: int | None = None,
    chain_ids: bool = True,
) -> Any:
    """Links of a Dask event table: the pandas linker per dyad partition, plus stated links.

    ``sides`` re-maps actors and targets to sides before linking, as in :func:`escalation.link` (a mapping
    or a sides file); by default the sides the events were read with.

    Returns a Dask DataFrame with the pandas engine's link columns; ``distance_km`` is always there
    (missing where either event has no coordinates). Only the columns the linker reads are shuffled.

    ``chain_id`` numbers the chains as the pandas engine does (1, 2, ... by first event), without collecting
    the link table: each dyad partition numbers its own chains, stated links join them, and only one row
    per chain moves (see :mod:`escalation.engine.dask._chains`). ``chain_ids=False`` leaves the column out
    and skips that work.

    ``input_partitions`` splits the events into that many partitions before the shuffle, and ``npartitions``
    (default: as many) sets the partitions after it. Each shuffle task holds one input partition and its
    shards: with 10^6 events a partition, 2 workers of 3 GiB failed on 5x10^7 events (``KilledWorker``), and
    with 200 partitions of 2.5x10^5 they finished in 106 s, peaking at 2.6 GiB for client and workers
    together (``benchmarks/README.md``). Aim at a few hundred thousand events a partition for workers
    under 4 GiB.
    """
    import dask.dataframe as dd

    frame = events.frame if isinstance(events, DaskEvents) else events
    if sides is not None:
        mapping = read_sides(sides)
        frame = frame.map_partitions(apply_sides, mapping, meta=apply_sides(frame._meta, mapping))
    if "date_precision" in frame.columns:  # as the pandas engine: a month-precise date is no time to link on
        precision = frame["date_precision"]
        frame = frame[precision.isna() | (precision.astype(object) == "day")]
    frame = frame[[c for c in _LINK_INPUT if c in frame.columns]]
    if input_partitions is not None:
        if int(input_partitions) < 1:
            raise UsageError(f"input_partitions must be a positive number, got {input_partitions!r}")
        frame = frame.repartition(npartitions=int(input_partitions))
    window_td = parse_window(window)
    the_ladder = as_ladder(ladder)
    keyed = frame.assign(_dyad=frame.map_partitions(_dyad_key, meta=("_dyad", "uint64")))
    shuffled = keyed.shuffle("_dyad", npartitions=npartitions or frame.npartitions)
    meta = _link_partition(frame._meta.assign(_dyad=pd.Series(dtype="uint64")), window_td, the_ladder, max_distance_km)
    links = shuffled.map_partitions(_link_partition, window_td, the_ladder, max_distance_km, meta=meta)
    stated = _stated_links(frame, the_ladder)
    if not stated.empty:
        links = dd.concat([dd.from_pandas(stated.astype(meta.dtypes.to_dict()), npartitions=1), links])
    if chain_ids:
        return number_chains(links, stated)
    return links.drop(columns=[ROOT_DATE, ROOT_ID])
