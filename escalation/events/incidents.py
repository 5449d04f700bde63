"""Incidents: rows that describe one event (one row per victim, per source, ...) grouped into one event.

A per-victim table such as B'Tselem's fatality list has one row per person
killed: six people killed in one attack are six rows. Analysed as events, those
rows make an attack "answer" itself five times and inflate every count, chain
and Hawkes self-excitation. Every event-level analysis must run on incidents.

An incident is the set of rows with the same values of ``keys``; by default the
same calendar day, acting side, target side and location. The incident keeps
the first row's ``event_id`` (rows are in date, then ``event_id`` order), sums
fatalities and injuries (so on a per-victim table ``fatalities`` is the number of
victims), takes the most frequent ``event_type`` (ties: the first row's), the
mean coordinates and the distinct values of the text columns joined by ``"; "``.
Stated links (``responds_to``) are carried over to the incidents that hold the
named rows; a row naming a row of its own incident adds nothing. The source rows
stay available in :attr:`escalation.Events.members` with their ``incident_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import UsageError

if TYPE_CHECKING:
    from .table import Events

from .schema import FRAME_COLUMNS, TEXT_DTYPE, named_references, order_columns

#: Rows with equal values of these columns are one incident (``date`` is compared by calendar day).
DEFAULT_INCIDENT_KEYS: tuple[str, ...] = ("date", "actor_side", "target_side", "location")
_JOINED = ("actor", "target", "location", "country", "source", "notes")
_SUMMED = ("fatalities", "injuries")


def _incident_numbers(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Incident number of each row, 0, 1, ... in order of the incident's first row."""
    key_frame = pd.DataFrame(
        {k: (frame[k].dt.normalize() if k == "date" else frame[k]) for k in keys}, index=frame.index
    )
    # dropna=False: a missing location is one more value of the key, not a reason to drop the row
    return key_frame.groupby(list(keys), dropna=False, sort=False, observed=True).ngroup().to_numpy(np.int64)


def _join_unique(number: np.ndarray, values: pd.Series, n: int) -> pd.Series:
    """Distinct non-missing values of each incident, in row order, joined by ``"; "``."""
    pairs = pd.DataFrame({"incident": number, "value": values.to_numpy()}).dropna().drop_duplicates()
    out = pd.Series(pd.NA, index=np.arange(n), dtype=TEXT_DTYPE)
    if pairs.empty:
        return out
    count = pairs.groupby("incident")["value"].transform("size").to_numpy()
    # Most incidents have one distinct value: take it directly and join only the rest.
    single = pairs[count == 1]
    out.iloc[single["incident"].to_numpy()] = single["value"].astype(str).to_numpy()
    many = pairs[count > 1]
    if len(many):
        joined = many.groupby("incident", sort=True)["value"].agg(lambda s: "; ".join(map(str, s)))
        out.iloc[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _most_frequent(number: np.ndarray, values: pd.Series, n: int) -> pd.Series:
    """The most frequent non-missing value of each incident; ties go to the value seen first."""
    data = pd.DataFrame({"incident": number, "value": values.to_numpy(), "order": np.arange(len(number))}).dropna()
    out = pd.Series(pd.NA, index=np.arange(n), dtype=TEXT_DTYPE)
    if data.empty:
        return out
    stats = data.groupby(["incident", "value"], sort=False).agg(count=("order", "size"), first=("order", "min"))
    stats = stats.reset_index().sort_values(["incident", "count", "first"], ascending=[True, False, True])
    best = stats.drop_duplicates("incident")
    out.iloc[best["incident"].to_numpy()] = best["value"].astype(str).to_numpy()
    return out


def _carried_links(frame: pd.DataFrame, number: np.ndarray, ids: np.ndarray, n: int) -> pd.Series:
    """``responds_to`` of each incident: the incidents holding the rows its rows name (not itself)."""
    out = pd.Series(pd.NA, index=np.arange(n), dtype=TEXT_DTYPE)
    refs = named_references(frame["responds_to"])
    if refs.empty:
        return out
    incident_of = pd.Series(number, index=frame["event_id"].to_numpy())
    target = incident_of.reindex(refs.to_numpy()).to_numpy()
    source = number[frame.index.get_indexer(refs.index)]
    keep = ~np.isnan(target.astype(float))
    pairs = pd.DataFrame({"incident": source[keep], "named": target[keep].astype(np.int64)})
    pairs = pairs[pairs["incident"] != pairs["named"]].drop_duplicates()
    if pairs.empty:
        return out
    return _join_unique(pairs["incident"].to_numpy(), pd.Series(ids[pairs["named"].to_numpy()]), n)


def group_incidents(events: Events, keys: Sequence[str] | None = None) -> Events:
    """Group the rows of ``events`` into incidents (see the module docstring).

    Parameters
    ----------
    events : Events
        Row-level events (e.g. one row per victim).
    keys : sequence of str, optional
        Columns whose equal values make one incident (default
        :data:`DEFAULT_INCIDENT_KEYS`). ``actor_side`` and ``target_side`` must be
        among them: an incident has one acting and one targeted side.

    Returns
    -------
    Events
        One row per incident, with ``n_rows`` (rows grouped); ``members`` holds the rows.

    Examples
    --------
    >>> import pandas as pd, escalation as esc
    >>> rows = pd.DataFrame({"date": ["2001-06-01"] * 3 + ["2001-06-02"],
    ...                      "actor": ["P", "P", "P", "I"], "target": ["I", "I", "I", "P"],
    ...                      "location": ["Tel Aviv"] * 3 + ["Gaza"], "fatalities": [1, 1, 1, 1]})
    >>> inc = esc.read_events(rows).incidents()
    >>> inc.n_read, len(inc), inc.frame["fatalities"].tolist()
    (4, 2, [3, 1])
    """
    if events.members is not None:
        raise UsageError("these events are incidents already; group their members (Events.members) instead")
    keys = list(DEFAULT_INCIDENT_KEYS if keys is None else keys)
    frame = events.frame
    unknown = [k for k in keys if k not in frame.columns]
    if unknown:
        raise UsageError(f"incident keys {', '.join(map(repr, unknown))} are not columns of the events; "
                         f"they have {', '.join(frame.columns)}")  # fmt: skip
    if "actor_side" not in keys or "target_side" not in keys:
        raise UsageError("incident keys must include actor_side and target_side: an incident has one of each")
    frame = frame.reset_index(drop=True)
    number = _incident_numbers(frame, keys)
    n = int(number.max()) + 1 if len(number) else 0
    first = np.full(n, len(frame), dtype=np.int64)
    np.minimum.at(first, number, np.arange(len(frame)))
    heads = frame.iloc[first].reset_index(drop=True)
    g = pd.DataFrame({"incident": number, "date": frame["date"], "has_time": frame["has_time"]}).groupby("incident")
    all_timed = g["has_time"].all().to_numpy()
    earliest = g["date"].min()
    out = heads.copy()
    # An incident whose rows are not all timed has no clock time: its date is the day.
    out["date"] = earliest.where(all_timed, earliest.dt.normalize()).to_numpy()
    out["has_time"] = all_timed
    for column in _JOINED:
        if column in frame.columns and column not in keys:
            out[column] = _join_unique(number, frame[column], n).to_numpy()
    if "event_type" in frame.columns and "event_type" not in keys:
        out["event_type"] = _most_frequent(number, frame["event_type"], n).to_numpy()
    numbers = pd.DataFrame({c: frame[c] for c in (*_SUMMED, "latitude", "longitude", "intensity") if c in frame})
    numbers["incident"] = number
    ng = numbers.groupby("incident", sort=True)
    for column in _SUMMED:
        if column in frame.columns:
            out[column] = ng[column].sum(min_count=1).to_numpy()
    for column in ("latitude", "longitude"):
        if column in frame.columns:
            out[column] = ng[column].mean().to_numpy()
    if "intensity" in frame.columns:
        out["intensity"] = ng["intensity"].max().to_numpy()
    if "responds_to" in frame.columns:
        out["responds_to"] = _carried_links(frame, number, out["event_id"].to_numpy(), n).to_numpy()
    out["n_rows"] = np.bincount(number, minlength=n).astype(np.int64)
    # Columns a source adds beyond the canonical ones (a victim's name, age) describe rows, not
    # incidents: they stay in ``members``.
    out = order_columns(out[[c for c in (*FRAME_COLUMNS, "n_rows") if c in out.columns]])
    out = out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    members = frame.assign(incident_id=heads["event_id"].to_numpy()[number])
    provenance = {**events.provenance, "incidents": n, "incident_keys": keys}
    # the same Events with the incidents as rows: ``replace`` keeps the rejections, sides, camps and colours, and
    # needs no import of the data model, which imports this module for :meth:`Events.incidents`
    return replace(events, frame=out, provenance=provenance, members=members)
