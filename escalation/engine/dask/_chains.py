"""Chain ids on Dask without collecting the link table: components per dyad partition, joined across them.

The pandas engine numbers chains 1, 2, ... by their first event in (date, event_id) order. Here:

1. Each dyad partition numbers its own chains (inferred links never leave their dyad) and gives every link
   the *root* of its chain there, the chain's first event (``_root_date``, ``_root_id``). A stated link,
   which may cross dyads, starts with its trigger as root.
2. Stated links join chains of different partitions. Only their ends and the roots of those ends travel:
   one small partition runs a connected-components pass over them and maps each root it saw to the
   root of the joined chain, its earliest event. Every partition then renames those roots.
3. Chain numbers are the ranks of the roots in (date, event_id) order. The roots, one row per chain and
   partition, are shuffled by day, so each day's roots meet in one partition and are ranked there; the
   number of chains of each earlier day (a table with one row per day) gives the offset.
4. The numbers go back to the partition each root came from (a shuffle of one row per chain and
   partition, routed by partition number) and are attached to its links.

Only roots and day counts move; the link table itself is never collected or shuffled again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...events.schema import TEXT_DTYPE
from ...linking._components import chain_roots

ROOT_DATE, ROOT_ID = "_root_date", "_root_id"


def local_roots(dates: np.ndarray, ids: Any, trig: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, Any]:
    """For each link, the first event of its chain among these events (given in (date, event_id) order)."""
    root = chain_roots(len(dates), trig, resp)[trig]
    return dates[root], ids.take(root)


def _ends_seen(links: pd.DataFrame, ends: np.ndarray) -> pd.DataFrame:
    """The stated links' ends that this partition links, with their date and their chain's root here."""
    parts = [
        pd.DataFrame(
            {
                "id": links[f"{end}_id"],
                "date": links[f"{end}_date"],
                ROOT_DATE: links[ROOT_DATE],
                ROOT_ID: links[ROOT_ID],
            }
        )
        for end in ("trigger", "response")
    ]
    seen = pd.concat(parts, ignore_index=True)
    seen = seen[seen["id"].isin(ends)]
    return seen.drop_duplicates("id").reset_index(drop=True)


def _joined_roots(seen: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """Each root and stated end mapped to the root of its chain once stated links join chains: its earliest
    event, by (date, event_id)."""
    nodes = pd.concat(
        [
            pd.DataFrame({"id": stated["trigger_id"], "date": stated["trigger_date"]}),
            pd.DataFrame({"id": stated["response_id"], "date": stated["response_date"]}),
            pd.DataFrame({"id": seen[ROOT_ID], "date": seen[ROOT_DATE]}),
        ],
        ignore_index=True,
    ).drop_duplicates("id")
    nodes = nodes.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    position = pd.Index(nodes["id"])
    one = np.r_[position.get_indexer(stated["trigger_id"]), position.get_indexer(seen["id"])]
    other = np.r_[position.get_indexer(stated["response_id"]), position.get_indexer(seen[ROOT_ID])]
    first = chain_roots(len(nodes), one, other)  # nodes are in (date, id) order, as chain_roots needs
    ids = nodes["id"].astype(TEXT_DTYPE)
    joined = {ROOT_ID: ids.array, "_joined_date": nodes["date"].to_numpy()[first], "_joined_id": ids.array.take(first)}
    return pd.DataFrame(joined)


def _rename_roots(links: pd.DataFrame, joined: pd.DataFrame) -> pd.DataFrame:
    at = pd.Index(joined[ROOT_ID]).get_indexer(links[ROOT_ID])
    hit = at >= 0
    if not hit.any():
        return links
    links = links.copy()
    links.loc[hit, ROOT_DATE] = joined["_joined_date"].to_numpy()[at[hit]]
    links.loc[hit, ROOT_ID] = joined["_joined_id"].to_numpy()[at[hit]]
    return links


def _roots(links: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per chain of this partition: its root, day, and the partition's number."""
    roots = links[[ROOT_DATE, ROOT_ID]].drop_duplicates(ROOT_ID).reset_index(drop=True)
    part = partition_info["number"] if partition_info else 0
    return roots.assign(_day=roots[ROOT_DATE].dt.floor("D"), _part=np.int64(part))


def _rank_in_day(roots: pd.DataFrame) -> pd.DataFrame:
    """Rank of each root among the roots of its day (all of them are in this partition), from 0."""
    distinct = roots.drop_duplicates(ROOT_ID).sort_values([ROOT_DATE, ROOT_ID], kind="stable")
    within = distinct.groupby("_day", sort=False).cumcount().to_numpy()
    rank = within[pd.Index(distinct[ROOT_ID]).get_indexer(roots[ROOT_ID])]
    return pd.DataFrame({"_part": roots["_part"].to_numpy(), ROOT_ID: roots[ROOT_ID].array,
                         "_day": roots["_day"].to_numpy(), "_within": rank})  # fmt: skip


def _day_sizes(roots: pd.DataFrame) -> pd.DataFrame:
    distinct = roots.drop_duplicates(ROOT_ID)
    return distinct.groupby("_day").size().rename("_n").reset_index()


def _day_offsets(sizes: pd.DataFrame) -> pd.DataFrame:
    """Chains whose first event falls on an earlier day, for each day."""
    per_day = sizes.groupby("_day")["_n"].sum().sort_index()
    return pd.DataFrame({"_day": per_day.index, "_offset": per_day.cumsum().to_numpy() - per_day.to_numpy()})


def _number(ranked: pd.DataFrame, offsets: pd.DataFrame) -> pd.DataFrame:
    offset = offsets["_offset"].to_numpy()[pd.Index(offsets["_day"]).get_indexer(ranked["_day"])]
    return pd.DataFrame({"_part": ranked["_part"].to_numpy(), ROOT_ID: ranked[ROOT_ID].array,
                         "chain_id": offset + ranked["_within"].to_numpy() + 1})  # fmt: skip


def _attach(links: pd.DataFrame, numbers: pd.DataFrame) -> pd.DataFrame:
    at = pd.Index(numbers[ROOT_ID]).get_indexer(links[ROOT_ID])
    chain = numbers["chain_id"].to_numpy()[at] if len(links) else np.zeros(0, dtype=np.int64)
    out = links.drop(columns=[ROOT_DATE, ROOT_ID])
    out.insert(0, "chain_id", chain.astype(np.int64))
    return out


def number_chains(links: Any, stated: pd.DataFrame) -> Any:
    """Add ``chain_id`` (the pandas engine's numbers) to Dask links carrying ``_root_date`` and ``_root_id``.

    ``stated`` is the (collected, small) table of stated links, also the first partition of ``links``.
    """
    import dask.dataframe as dd

    if not stated.empty:
        ends = np.unique(np.r_[stated["trigger_id"].to_numpy(object), stated["response_id"].to_numpy(object)])
        seen_meta = pd.DataFrame({"id": links._meta["trigger_id"], "date": links._meta["trigger_date"],
                                  ROOT_DATE: links._meta[ROOT_DATE], ROOT_ID: links._meta[ROOT_ID]})  # fmt: skip
        seen = links.map_partitions(_ends_seen, ends, meta=seen_meta)
        ends_table = stated[["trigger_id", "trigger_date", "response_id", "response_date"]]
        joined_meta = _joined_roots(seen_meta, ends_table.iloc[:0])
        joined = seen.repartition(npartitions=1).map_partitions(_joined_roots, ends_table, meta=joined_meta)
        links = links.map_partitions(_rename_roots, joined, meta=links._meta)  # one partition: given whole to each
    roots_meta = _roots(links._meta)
    roots = links.map_partitions(_roots, meta=roots_meta).shuffle("_day")
    ranked = roots.map_partitions(_rank_in_day, meta=_rank_in_day(roots_meta))
    sizes = roots.map_partitions(_day_sizes, meta=_day_sizes(roots_meta))
    offsets = sizes.repartition(npartitions=1).map_partitions(_day_offsets, meta=_day_offsets(_day_sizes(roots_meta)))
    numbers_meta = _number(_rank_in_day(roots_meta), _day_offsets(_day_sizes(roots_meta)))
    numbers = ranked.map_partitions(_number, offsets, meta=numbers_meta)  # one partition: given whole to each
    n = links.npartitions
    # partition k of ``by_part`` holds the numbers of partition k of ``links`` (divisions 0, 1, ..., n-1, n-1)
    by_part = numbers.set_index("_part", divisions=(*range(n), n - 1))
    return dd.map_partitions(_attach, links, by_part, align_dataframes=False, meta=_attach(links._meta, numbers_meta))
