"""Trigger -> response links: stated ones from ``responds_to``, inferred ones by dyad reversal (internal).

The public entry points are :func:`escalation.link` and :func:`escalation.chains`.

The inference rule: an event by side A against side B answers the **most
recent earlier event by B against A** within ``window``. "Earlier" means an
earlier date, or the same date with an earlier clock time when both times are
known; an event without a time is never placed before or after another event
of the same day. An event that states what it answers gets no inferred link.

The work is one as-of join (``pandas.merge_asof`` by reversed dyad, see
:func:`_latest_within`); with a distance limit, which may pass over the latest
trigger, one stable sort on a combined key (reversed dyad, time) and one
``numpy.searchsorted``, then a walk back past far triggers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import numpy as np
import pandas as pd

from .._core.keys import dyad_codes, side_codes, time_offsets
from .._core.time import event_times, intervals, order_keys, parse_window
from .._core.vocabulary import LinkMethod
from ..errors import UsageError
from ..events.ladder import STEP_KINDS, severity, step_kinds
from ..events.schema import named_references

LINK_COLUMNS = (
    "chain_id", "trigger_id", "response_id", "trigger_date", "response_date", "interval_days",
    "link_kind", "step_kind", "trigger_side", "response_side", "trigger_type", "response_type",
    "trigger_rank", "response_rank", "trigger_fatalities", "response_fatalities",
)  # fmt: skip
_EARTH_KM = 6371.0088


def _haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


#: How links are inferred (``link(method=...)``).
METHODS: tuple[str, ...] = get_args(LinkMethod)


def check_link_options(
    window: str | pd.Timedelta | float, max_distance_km: float | None, method: str, min_probability: float
) -> pd.Timedelta:
    """The linking options' checks, before any work: the command line runs them before its chance baseline,
    so that a mistyped option fails at once rather than after minutes on a large file. Returns the window."""
    window_td = parse_window(window)
    if max_distance_km is not None and not max_distance_km > 0:
        raise UsageError(f"max_distance_km must be positive, got {max_distance_km!r}")
    if method not in METHODS:
        raise UsageError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not 0 < min_probability <= 1:
        raise UsageError(f"min_probability must be in (0, 1], got {min_probability!r}")
    if method == "hawkes" and max_distance_km is not None:
        raise UsageError("max_distance_km applies to method='reversal' only; the Hawkes model has no distance")
    return window_td


def infer_pairs(
    frame: pd.DataFrame,
    window: pd.Timedelta,
    *,
    max_distance_km: float | None = None,
    exclude: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions ``(trigger, response)`` and intervals of the inferred links of a date-sorted frame."""
    n = len(frame)
    empty = np.array([], np.int64)
    if n == 0:
        return empty, empty, np.array([], float)
    a, t, n_sides = side_codes(frame)
    times = event_times(frame)
    trigger_key, response_key = order_keys(times)

    dyad, reverse, dyadic = dyad_codes(a, t, n_sides)
    triggers = np.flatnonzero(dyadic)
    responders = dyadic if exclude is None else dyadic & ~exclude
    responses = np.flatnonzero(responders)
    if len(triggers) == 0 or len(responses) == 0:
        return empty, empty, np.array([], float)

    if max_distance_km is None:
        return _latest_within(times, trigger_key, response_key, dyad, reverse, triggers, responses, window)

    # With a distance limit a response may pass over its latest trigger for an earlier, nearer one: a sorted
    # (dyad, time) key and a binary search, then a walk back through the dyad's earlier triggers.
    # One sortable int64 key per event: (directed dyad, time). A response looks
    # for the reversed dyad, so its key uses (target, actor).
    n_dyads = n_sides * n_sides
    (tk, rk), span = time_offsets(trigger_key, response_key, n_dyads=n_dyads)
    if n_dyads <= 1 << 16:
        # Two cheap stable sorts instead of one general one: the frame is in date
        # order, so trigger keys are nearly sorted (timsort is close to linear on
        # that), and a stable sort on 16-bit dyad codes is a radix sort.
        by_time = triggers[np.argsort(trigger_key[triggers], kind="stable")]
        sorted_trigger = by_time[np.argsort(dyad[by_time].astype(np.uint16), kind="stable")]
        # Responses are already in time order; group them by reversed dyad the same way.
        needle_order = np.argsort(reverse[responses].astype(np.uint16), kind="stable")
    else:
        order = np.argsort(dyad[triggers] * span + tk[triggers], kind="stable")
        sorted_trigger = triggers[order]
        needle_order = np.argsort(reverse[responses] * span + rk[responses])
    # Among equal keys the stable sorts keep frame order, so the last one is the largest event_id.
    # sorted_trigger is grouped by dyad, so its dyad column is each dyad repeated by its count: no gather.
    counts = np.bincount(dyad[triggers], minlength=n_dyads)
    sorted_dyad = np.repeat(np.arange(n_dyads, dtype=np.int64), counts)
    sorted_keys = sorted_dyad * span + tk[sorted_trigger]
    # The first sorted position of each dyad: a candidate below its dyad's start belongs to another dyad.
    # (A gather from this small table stays in cache; one from sorted_dyad, 10^7 long, would not.)
    group_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rkey = reverse[responses] * span + rk[responses]
    # Sorted needles let numpy start each binary search where the last one ended.
    pos = np.empty(len(rkey), dtype=np.int64)
    pos[needle_order] = np.searchsorted(sorted_keys, rkey[needle_order], side="left") - 1
    del sorted_keys, sorted_dyad, rkey

    window_days = window / pd.Timedelta(days=1)
    found = np.zeros(len(responses), dtype=bool)
    chosen = np.full(len(responses), -1, dtype=np.int64)
    interval = np.full(len(responses), np.nan)
    todo = np.arange(len(responses))
    limited = max_distance_km is not None
    lat = frame["latitude"].to_numpy(float) if limited else np.empty(0)
    lon = frame["longitude"].to_numpy(float) if limited else np.empty(0)
    # Walk back through candidates only while a distance limit rejects them;
    # without a limit this loop runs once.
    while len(todo):
        p = pos[todo]
        resp = responses[todo]
        ok = p >= group_start[reverse[resp]]  # also false for p = -1
        cand = sorted_trigger[np.maximum(p, 0)]
        days = intervals(times, cand, resp)
        within = ok & (days <= window_days)
        if not limited:
            accept = within
            retry = np.zeros_like(within)
        else:
            dist = _haversine_km(lat[cand], lon[cand], lat[resp], lon[resp])
            near = dist <= float(max_distance_km or 0)  # NaN coordinates compare False: no link
            accept = within & near
            retry = within & ~near & ~np.isnan(lat[resp])
        chosen[todo[accept]] = cand[accept]
        interval[todo[accept]] = days[accept]
        found[todo[accept]] = True
        pos[todo[retry]] -= 1
        todo = todo[retry]
    return chosen[found], responses[found], interval[found]


def _latest_within(
    times: tuple[np.ndarray, np.ndarray, np.ndarray],
    trigger_key: np.ndarray,
    response_key: np.ndarray,
    dyad: np.ndarray,
    reverse: np.ndarray,
    triggers: np.ndarray,
    responses: np.ndarray,
    window: pd.Timedelta,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each response's latest strictly earlier trigger of the reversed dyad, kept when within ``window``.

    This is exactly an as-of join (pandas ``merge_asof``, backward, ``by`` the dyad, exact matches excluded):
    one pass over both sides in time order with a hash table of each dyad's last trigger, no sort by dyad
    and no binary search. Among triggers with equal keys it takes the last in frame order, the largest
    ``event_id``, as the rule says.
    """
    # Trigger keys are near-sorted (an untimed event takes its day's last second): timsort is close to linear.
    by_key = triggers[np.argsort(trigger_key[triggers], kind="stable")]
    # int32 dyads and positions where they fit: each 10^7-row column of the join costs half
    small = np.int32 if max(len(dyad), int(dyad.max(initial=0)), int(reverse.max(initial=0))) < 2**31 else np.int64
    right = pd.DataFrame(
        {"key": trigger_key[by_key], "dyad": dyad[by_key].astype(small), "trigger": by_key.astype(small)}, copy=False
    )
    del by_key
    left = pd.DataFrame({"key": response_key[responses], "dyad": reverse[responses].astype(small)}, copy=False)
    joined = pd.merge_asof(left, right, on="key", by="dyad", allow_exact_matches=False, direction="backward")
    del left, right
    found = joined["trigger"].to_numpy(dtype=float, na_value=np.nan)
    del joined
    has = ~np.isnan(found)
    cand, resp = found[has].astype(np.int64), responses[has]
    days = intervals(times, cand, resp)
    within = days <= window / pd.Timedelta(days=1)
    return cand[within], resp[within], days[within]


def stated_pairs(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(trigger, response)`` of the links stated in ``responds_to``."""
    refs = named_references(frame["responds_to"])  # only the cells that name something are split
    if refs.empty:
        return np.array([], np.int64), np.array([], np.int64)
    position = pd.Series(np.arange(len(frame)), index=pd.Index(frame["event_id"]))
    trig = position.reindex(refs.to_numpy()).to_numpy()
    known = ~np.isnan(trig.astype(float))
    return trig[known].astype(np.int64), refs.index.to_numpy()[known].astype(np.int64)


def link_pairs(
    frame: pd.DataFrame, window: pd.Timedelta, max_distance_km: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All links of a sorted frame as positions ``(trigger, response, stated, interval_days)``.

    Links come out ordered by response, then trigger: positions follow the
    frame's (date, event_id) order, so this is date order.
    """
    st_trig, st_resp = stated_pairs(frame)
    has_stated = np.zeros(len(frame), dtype=bool)
    has_stated[st_resp] = True
    in_trig, in_resp, in_days = infer_pairs(frame, window, max_distance_km=max_distance_km, exclude=has_stated)
    if len(st_trig) == 0:  # inferred links are already in response order
        return in_trig, in_resp, np.zeros(len(in_trig), bool), in_days
    trig = np.concatenate([st_trig, in_trig])
    resp = np.concatenate([st_resp, in_resp])
    stated = np.concatenate([np.ones(len(st_trig), bool), np.zeros(len(in_trig), bool)])
    days = np.concatenate([intervals(event_times(frame), st_trig, st_resp), in_days])
    order = np.lexsort((trig, resp))
    return trig[order], resp[order], stated[order], days[order]


def build_link_table(
    frame: pd.DataFrame,
    trig: np.ndarray,
    resp: np.ndarray,
    stated: np.ndarray,
    interval_days: np.ndarray,
    chain_of: np.ndarray,
    ranks: np.ndarray,
    *,
    categorical: bool = True,
) -> pd.DataFrame:
    """The tidy link table from link positions (see :data:`LINK_COLUMNS`).

    Sides and event types are categoricals (a few hundred names for millions of links): over the frame's own
    categories when its column is categorical, else over its sorted names. ``categorical=False`` keeps the
    frame's dtype, for the Dask engine, whose partitions cannot share one vocabulary.
    """
    sev = severity(frame).to_numpy()
    dates = frame["date"].to_numpy("datetime64[ns]")
    ids = frame["event_id"].array
    labels = _labels if categorical else _same_dtype
    sides = labels(frame["actor_side"])
    types = labels(frame["event_type"])
    fat = frame["fatalities"].array
    table = pd.DataFrame(
        {
            "chain_id": chain_of[trig],
            "trigger_id": ids.take(trig),
            "response_id": ids.take(resp),
            "trigger_date": dates[trig],
            "response_date": dates[resp],
            "interval_days": interval_days,
            "link_kind": pd.Categorical.from_codes(np.where(stated, 0, 1), categories=pd.Index(["stated", "inferred"])),
            "step_kind": step_kinds(ranks[trig], ranks[resp], sev[trig], sev[resp]),
            "trigger_side": sides(trig),
            "response_side": sides(resp),
            "trigger_type": types(trig),
            "response_type": types(resp),
            "trigger_rank": ranks[trig],
            "response_rank": ranks[resp],
            "trigger_fatalities": fat.take(trig),
            "response_fatalities": fat.take(resp),
        },
        copy=False,
    )
    table["step_kind"] = table["step_kind"].astype(pd.CategoricalDtype(list(STEP_KINDS)))
    if "latitude" in frame and frame["latitude"].notna().any():
        lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
        table["distance_km"] = _haversine_km(lat[trig], lon[trig], lat[resp], lon[resp])
    return table


def _labels(column: pd.Series) -> Callable[[np.ndarray], Any]:
    """Takes from a text column as categoricals: one small code per link instead of a copy of each name.

    At 10^7 events a side or type name taken as an Arrow string costs about 15 bytes a link, four columns
    0.4 GiB of the link table; as int16/int8 codes 41 MB (6.8x10^6 links, 200 sides).
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, dtype = column.cat.codes.to_numpy(), column.dtype
    else:
        codes, names = pd.factorize(column, sort=True)  # a missing name is code -1, a missing category
        dtype = pd.CategoricalDtype(pd.Index(names))
    return lambda positions: pd.Categorical.from_codes(codes[positions], dtype=dtype)


def _same_dtype(column: pd.Series) -> Callable[[np.ndarray], Any]:
    array = column.array
    return lambda positions: array.take(positions)
