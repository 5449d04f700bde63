"""What chance alone gives: "came after" and "followed by" against a null that keeps both sides' tides.

"The most recent earlier event of the reversed dyad within 30 days" exists for most events once both sides
are active, whether or not either side ever answers the other; and in every real conflict both sides are
busy in the same periods (offensives, seasons, ceasefires both keep), which makes one side's actions follow
the other's more often than at random even when nobody answers anybody. So each direction "B answers A" is
tested at the timescale of the tide (:mod:`escalation.chance._tide`):

- **came after** (:func:`link_baseline`): of B's actions against A, how many came within a quarter of the tide (3.5
  days by default, or the linking window when shorter) after an action by A against B, the linking rule's
  count at that lag;
- **followed by** (:func:`answered_baseline`): of A's actions against B whose answer lag was observed, how many
  were followed within it by an action by B against A.

Both count **occasions** (:func:`_once`): a side's actions against one target on one day without clock times
share their order key, their answer and every draw, so they count once, as an action to answer and as an
answer; events with clock times are their own occasions.

The null moves the actions that are *looked for* (A's in "came after", B's in "followed by") by a rotation
within each block of the tide, and leaves the actions that are *counted* where they are. Moving the side
that is searched keeps the counted side's bursts whole, which is what the count's spread depends on: on the
simulation study (``benchmarks/tides.py``), moving the counted side instead let self-exciting sides through at
8-10%, moving the searched side held 0.5-7.5% on every design. The same rotations serve every direction
of a draw; each direction's p-value is its own.

Each direction gets the observed count, the mean over the draws (expected), the 2.5 and 97.5 percentiles (a
95% range), and a one-sided Monte-Carlo p-value, ``(1 + #{drawn >= observed}) / (draws + 1)``. What it cannot
tell apart: a shared shock that moves both sides within a quarter of the tide.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._core.keys import KEY_LIMIT, dyad_codes, side_vocabulary
from .._core.levels import DRAWS
from .._core.time import event_times, order_keys
from ._tide import Blocks, answer_lag_days, parse_tide, rotate_days, rotated

_DAY_S = 86_400
BASELINE_COLUMNS = (
    "trigger_side", "response_side", "responses", "observed", "expected", "lower", "upper", "pvalue",
    "observed_share", "expected_share", "within_days", "tide_days",
)  # fmt: skip


@dataclass(frozen=True)
class _Series:
    """One side's events of one direction, in seconds: order keys, exact time, day start, timed."""

    earlier: np.ndarray
    later: np.ndarray
    exact: np.ndarray
    day: np.ndarray
    timed: np.ndarray
    #: each event's position in the frame the series was cut from
    rows: np.ndarray

    def rotated(self, blocks: Blocks, turns: np.ndarray) -> _Series:
        """Every event moved by the rotation of its tide block (whole days)."""
        delta = rotate_days(self.day, blocks, turns) - self.day
        return _Series(self.earlier + delta, self.later + delta, self.exact + delta, self.day + delta, self.timed,
                       self.rows)  # fmt: skip

    def subset(self, keep: np.ndarray) -> _Series:
        return _Series(self.earlier[keep], self.later[keep], self.exact[keep], self.day[keep], self.timed[keep],
                       self.rows[keep])  # fmt: skip


def _once(keys: np.ndarray) -> np.ndarray:
    """Positions of the first of each distinct key: the occasions of a direction. A side's events against one
    target on one day without clock times share their order key (the day), and with it every answer and every
    draw: counted once, not once per row (one salvo on two bases is one action to answer, and one answer)."""
    return np.sort(np.unique(keys, return_index=True)[1])


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """:func:`_once` on keys already sorted (the vectorised counts sort them anyway): the first of each run."""
    return np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(sorted_keys) else np.zeros(0, dtype=bool)


def _interval_days(trig: _Series, t: np.ndarray, resp: _Series, r: np.ndarray) -> np.ndarray:
    both = trig.timed[t] & resp.timed[r]
    return np.where(both, resp.exact[r] - trig.exact[t], resp.day[r] - trig.day[t]) / _DAY_S


def _linked(trig: _Series, resp: _Series, lag_days: float) -> np.ndarray:
    """For each response: does the linking rule find a trigger (latest earlier one) within ``lag_days``?"""
    order = np.argsort(trig.earlier, kind="stable")
    pos = np.searchsorted(trig.earlier[order], resp.later, side="left") - 1
    ok = pos >= 0
    cand = order[np.maximum(pos, 0)]
    return ok & (_interval_days(trig, cand, resp, np.arange(len(resp.later))) <= lag_days)


def waits(init: _Series, resp: _Series) -> np.ndarray:
    """For each initiating event, the days until the first strictly later ``resp`` event (inf: none): the
    search of :func:`escalation.time_to_response`, on series that may be rotated."""
    if not len(resp.later):
        return np.full(len(init.earlier), np.inf)
    order = np.argsort(resp.later, kind="stable")
    pos = np.searchsorted(resp.later[order], init.earlier, side="right")
    ok = pos < len(order)
    cand = order[np.minimum(pos, len(order) - 1)]
    return np.where(ok, _interval_days(init, np.arange(len(init.earlier)), resp, cand), np.inf)


def _answered(init: _Series, resp: _Series, lag_days: float) -> np.ndarray:
    """For each initiating event: is there a strictly later response within ``lag_days`` (the first one)?"""
    return waits(init, resp) <= lag_days


def _roles(
    frame: pd.DataFrame, triggers: np.ndarray | None, responses: np.ndarray | None
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], _Series], dict[tuple[str, str], _Series]]:
    """The directions, the initiating events of each (those ``triggers`` keeps) and the events that may answer
    (those ``responses`` keeps): a direction needs both."""
    if triggers is None and responses is None:
        directions, series, _ = _directions(frame)
        return directions, series, series
    _, init, _ = _directions(frame, triggers)
    _, resp, _ = _directions(frame, responses)
    return sorted((t, r) for (t, r) in init if (r, t) in resp), init, resp


def _directions(
    frame: pd.DataFrame, keep: np.ndarray | None = None
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], _Series], np.ndarray]:
    """Each directed dyad's events (those ``keep`` keeps) as :class:`_Series`, and every event's day start
    (seconds)."""
    times = event_times(frame)
    earlier, later = order_keys(times)
    ns, day_ns, timed = times
    exact, day = ns // 1_000_000_000, day_ns // 1_000_000_000
    sides = pd.DataFrame({"a": frame["actor_side"].astype(object), "t": frame["target_side"].astype(object)})
    dyadic = (sides["a"].notna() & sides["t"].notna() & (sides["a"] != sides["t"])).to_numpy()
    kept = np.flatnonzero(dyadic if keep is None else dyadic & keep)
    groups = sides.iloc[kept].groupby(["a", "t"], sort=True).indices  # positions among the kept rows
    series: dict[tuple[str, str], _Series] = {}
    for key, at in groups.items():
        trig, resp = (str(k) for k in key)  # type: ignore[attr-defined]  # a 2-key groupby gives tuples
        rows = kept[at]
        series[(trig, resp)] = _Series(earlier[rows], later[rows], exact[rows], day[rows], timed[rows], rows)
    directions = sorted((t, r) for (t, r) in series if (r, t) in series)
    return directions, series, day


def _whole_lag(init: _Series, lag_days: float, end_s: int) -> _Series | None:
    """The events whose whole answer lag lies before the end of observation (None when there are none)."""
    full = np.where(init.timed, init.exact, init.day) + lag_days * _DAY_S <= end_s
    return init.subset(full) if full.any() else None


def _table(rows: list[list[object]], draws_of: list[np.ndarray], lag_days: float, tide_days: float) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["trigger_side", "response_side", "responses", "observed"])
    if not rows:  # no direction with events both ways: nothing to compare
        out = out.astype({"responses": np.int64, "observed": np.int64})
        return out.assign(**dict.fromkeys(BASELINE_COLUMNS[4:], np.nan))[list(BASELINE_COLUMNS)].astype(
            dict.fromkeys(BASELINE_COLUMNS[4:], float)
        )
    sims = np.array(draws_of, dtype=float).reshape(len(rows), -1)
    out["expected"] = sims.mean(axis=1) if sims.size else np.nan
    out["lower"] = np.percentile(sims, 2.5, axis=1) if sims.size else np.nan
    out["upper"] = np.percentile(sims, 97.5, axis=1) if sims.size else np.nan
    observed = out["observed"].to_numpy(float)[:, None]
    out["pvalue"] = (1 + (sims >= observed).sum(axis=1)) / (sims.shape[1] + 1) if sims.size else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        out["observed_share"] = out["observed"] / out["responses"]
        out["expected_share"] = out["expected"] / out["responses"]
    out["within_days"] = float(lag_days)
    out["tide_days"] = float(tide_days)
    return out[list(BASELINE_COLUMNS)]


def _turns(frame: pd.DataFrame, tide: pd.Timedelta, draws: int, seed: int) -> tuple[Blocks, np.ndarray]:
    """The tide blocks of the data and every draw's rotation of each block (the same in both searches)."""
    day_s = event_times(frame)[1] // 1_000_000_000
    blocks = Blocks.covering(day_s, tide)
    return blocks, blocks.draw(draws, np.random.default_rng(seed))


def link_baseline(
    frame: pd.DataFrame,
    window: pd.Timedelta,
    *,
    tide: str | pd.Timedelta | None = None,
    draws: int = DRAWS,
    seed: int = 0,
) -> pd.DataFrame:
    """ "Came after": per direction, responses with a trigger within the answer lag, observed and by chance.

    ``observed`` counts the responses (events by ``response_side`` against ``trigger_side``) for which the
    linking rule finds a trigger within ``within_days`` (a quarter of the tide, or ``window`` when shorter), stated
    links included, so that observed and drawn counts are the same measure; the draws rotate the triggers
    within the tide's blocks. Columns: :data:`BASELINE_COLUMNS`.

    Every direction is rotated by the same draws, so each draw is one search over all directions at once
    (:func:`_link_counts`); :func:`link_baseline_by_direction` is the same computation one direction at a
    time (tens of thousands of Python-level searches on data with 200 sides).
    """
    tide_td = parse_tide(tide)
    lag = answer_lag_days(tide_td, window)
    counted = _link_counts(frame, lag, tide_td, draws, seed)
    if counted is None:  # keys would overflow int64: one direction at a time
        return link_baseline_by_direction(frame, window, tide=tide_td, draws=draws, seed=seed)
    return counted


def link_baseline_by_direction(
    frame: pd.DataFrame, window: pd.Timedelta, *, tide: str | pd.Timedelta | None = None, draws: int = DRAWS,
    seed: int = 0,
) -> pd.DataFrame:  # fmt: skip
    """:func:`link_baseline` one direction at a time: the plain reading of the method (and its reference)."""
    tide_td = parse_tide(tide)
    lag = answer_lag_days(tide_td, window)
    directions, series, _ = _directions(frame)
    blocks, turns = _turns(frame, tide_td, draws, seed)
    rows: list[list[object]] = []
    sims: list[np.ndarray] = []
    for trig_side, resp_side in directions:
        trig, resp = series[(trig_side, resp_side)], series[(resp_side, trig_side)]
        resp = resp.subset(_once(resp.later * 2 + resp.timed))
        observed = int(_linked(trig, resp, lag).sum())
        drawn = [int(_linked(trig.rotated(blocks, t), resp, lag).sum()) for t in turns]
        rows.append([trig_side, resp_side, len(resp.later), observed])
        sims.append(np.asarray(drawn))
    return _table(rows, sims, lag, tide_td / pd.Timedelta(days=1))


def answered_baseline(
    frame: pd.DataFrame,
    window: pd.Timedelta,
    end: pd.Timestamp,
    *,
    tide: str | pd.Timedelta | None = None,
    draws: int = DRAWS,
    seed: int = 0,
    triggers: np.ndarray | None = None,
    responses: np.ndarray | None = None,
) -> pd.DataFrame:
    """ "Followed by": per direction, events answered within the answer lag, observed and by chance.

    Only events whose whole answer lag (``within_days``: a quarter of the tide, or ``window`` when shorter) lies
    before ``end`` are counted. ``trigger_side`` is the initiator, ``response_side`` the side that may answer;
    ``responses`` is the number of initiating events counted and ``observed`` how many were answered. The
    draws rotate the answering side's events within the tide's blocks. ``triggers`` and ``responses``
    (boolean masks over ``frame``) restrict the initiating events and the events that may answer; only the
    latter are rotated, so chance is asked about the same question.
    """
    tide_td = parse_tide(tide)
    lag = answer_lag_days(tide_td, window)
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    counted = _answered_counts(frame, lag, tide_td, end_s, draws, seed, triggers, responses)
    if counted is None:  # keys would overflow int64: one direction at a time
        return answered_baseline_by_direction(frame, window, end, tide=tide_td, draws=draws, seed=seed,
                                              triggers=triggers, responses=responses)  # fmt: skip
    return counted


def answered_baseline_by_direction(
    frame: pd.DataFrame, window: pd.Timedelta, end: pd.Timestamp, *, tide: str | pd.Timedelta | None = None,
    draws: int = DRAWS, seed: int = 0, triggers: np.ndarray | None = None, responses: np.ndarray | None = None,
) -> pd.DataFrame:  # fmt: skip
    """:func:`answered_baseline` one direction at a time: the plain reading of the method (and its reference)."""
    tide_td = parse_tide(tide)
    lag = answer_lag_days(tide_td, window)
    directions, initiating, answering = _roles(frame, triggers, responses)
    blocks, turns = _turns(frame, tide_td, draws, seed)
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    rows: list[list[object]] = []
    sims: list[np.ndarray] = []
    for init_side, resp_side in directions:
        init = _whole_lag(initiating[(init_side, resp_side)], lag, end_s)
        resp = answering[(resp_side, init_side)]
        if init is None:
            continue
        init = init.subset(_once(init.earlier))
        observed = int(_answered(init, resp, lag).sum())
        drawn = [int(_answered(init, resp.rotated(blocks, t), lag).sum()) for t in turns]
        rows.append([init_side, resp_side, len(init.earlier), observed])
        sims.append(np.asarray(drawn))
    return _table(rows, sims, lag, tide_td / pd.Timedelta(days=1))


# ---- all directions at once -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """Every dyadic event of a dyad whose reverse also occurs, with the shared draws and key layout."""

    exact: np.ndarray  # seconds; also each event's order key as the later of two
    day: np.ndarray  # seconds at the day's start
    timed: np.ndarray
    earlier: np.ndarray  # order key as the earlier of two
    dyad: np.ndarray
    rev: np.ndarray
    both: np.ndarray  # positions of the events of such dyads
    names: np.ndarray
    start: int
    span: int
    blocks: Blocks
    turns: np.ndarray  # (draws, blocks)

    @property
    def n_dyads(self) -> int:
        return len(self.names) ** 2

    def table(self, codes: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        """Directions ``code = first * n_sides + second``, sorted by name, and each code's row."""
        n_sides = len(self.names)
        first, second = self.names[codes // n_sides], self.names[codes % n_sides]
        table = pd.DataFrame({"trigger_side": first, "response_side": second, "code": codes})
        table = table.sort_values(["trigger_side", "response_side"], ignore_index=True)
        row_of = np.zeros(self.n_dyads, dtype=np.int64)
        row_of[table["code"].to_numpy()] = np.arange(len(table))
        return table, row_of


def _setup(frame: pd.DataFrame, tide: pd.Timedelta, draws: int, seed: int) -> _Setup | None:
    """What both vectorised baselines share; None when ``dyad * span + time`` keys would overflow int64."""
    ns, day_ns, timed = event_times(frame)
    exact = ns // 1_000_000_000
    del ns  # one array an event at a time: at 10^7 events each is 80 MB
    day = day_ns // 1_000_000_000
    del day_ns
    # the order keys of ``order_keys``: as the later of two events each is its exact second (``exact``); as
    # the earlier one an event without a clock time takes its day's last second
    earlier = np.where(timed, exact, day + _DAY_S - 1)
    start = int(day.min()) if len(day) else 0
    period = int(day.max() - start) + _DAY_S if len(day) else _DAY_S
    blocks = Blocks.covering(day, tide)
    turns = blocks.draw(draws, np.random.default_rng(seed))
    a, t, names = side_vocabulary(frame)
    n_sides = len(names)
    dyad, rev, dyadic = dyad_codes(a, t, n_sides)
    span = period + _DAY_S + 1  # every order key, rotated or not, lies in [start, start + span)
    if n_sides * n_sides * span >= KEY_LIMIT:
        return None
    present = np.zeros(n_sides * n_sides, dtype=bool)
    present[dyad[dyadic]] = True
    # Events of a dyad whose reverse also occurs: each is a trigger of its own direction and a response
    # of the reversed one (whose trigger dyad is its ``rev``).
    both = np.flatnonzero(dyadic & present[rev])
    return _Setup(exact, day, timed, earlier, dyad, rev, both, names, start, span, blocks, turns)


@dataclass(frozen=True)
class _Searched:
    """The side that is looked for, sorted by (group, time) with its tide blocks, rotated draw by draw.

    A rotation keeps every (group, block) run where it is in the sorted order and turns it round by the
    events that wrap: the new order is a gather (no sort), and each draw's keys are those of the run's
    events moved by their block's rotation.
    """

    keys: np.ndarray  # group * span + (time - start), sorted
    exact: np.ndarray
    day: np.ndarray
    timed: np.ndarray
    block: np.ndarray
    place: np.ndarray
    length: np.ndarray
    run: np.ndarray  # each event's (group, block) run
    run_start: np.ndarray  # per run
    run_length: np.ndarray

    @classmethod
    def build(cls, s: _Setup, rows: np.ndarray, group: np.ndarray, time: np.ndarray) -> _Searched:
        order = np.argsort(group * s.span + (time - s.start), kind="stable")
        rows, group = rows[order], group[order]
        block, place, length = s.blocks.of(s.day[rows])
        new_run = np.r_[True, (group[1:] != group[:-1]) | (block[1:] != block[:-1])]
        run = np.cumsum(new_run) - 1
        run_start = np.flatnonzero(new_run)
        return cls(group * s.span + (time[order] - s.start), s.exact[rows], s.day[rows], s.timed[rows], block, place,
                   length, run, run_start, np.diff(np.r_[run_start, len(rows)]))  # fmt: skip

    def draw(self, turn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One rotation: the sorted keys, the event behind each sorted place, and each event's shift (s)."""
        shift, wraps = rotated(self.place, self.length, turn[self.block])
        wrapped = np.bincount(self.run, weights=wraps, minlength=len(self.run_start)).astype(np.int64)
        start, length = self.run_start[self.run], self.run_length[self.run]
        rank = np.arange(len(self.keys)) - start
        source = start + (rank + length - wrapped[self.run]) % length  # the wrapped tail comes first
        return self.keys[source] + shift[source], source, shift


#: Needles searched at a time over all threads: the draws' temporaries stay about 100 MB at any size.
BLOCK = 1 << 20
#: The most threads the draws run on (each holds its rotated copy of the searched side).
MAX_THREADS = 8


def _threads() -> int:
    """The cores this process may use, at most :data:`MAX_THREADS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_THREADS, cores))


def _each_draw(count: Callable[[np.ndarray | None], np.ndarray], turns: np.ndarray, threads: int) -> list[np.ndarray]:
    """``count(None)`` (the observed series) then ``count(turn)`` for every draw, in order, on ``threads``.

    The draws are independent and numpy's searches, gathers and arithmetic release the GIL, so threads
    share the work without copying the sorted arrays. Each draw's counts are the same whatever thread
    computes them.
    """
    todo: list[np.ndarray | None] = [None, *turns]
    if threads == 1:
        return [count(t) for t in todo]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(count, todo))


def _link_counts(frame: pd.DataFrame, lag: float, tide: pd.Timedelta, draws: int, seed: int) -> pd.DataFrame | None:
    """:func:`link_baseline` for all directions at once: per draw, the triggers rotated (a gather) and one
    ``searchsorted`` of every response among them, in blocks of :data:`BLOCK` responses."""
    s = _setup(frame, tide, draws, seed)
    if s is None:
        return None
    table, row_of = s.table(np.unique(s.rev[s.both]))
    if not len(table):
        return _table([], [], lag, tide / pd.Timedelta(days=1))
    trig = _Searched.build(s, s.both, s.dyad[s.both], s.earlier[s.both])
    group_start = np.searchsorted(trig.keys // s.span, np.arange(s.n_dyads, dtype=np.int64))
    # responses sorted by (reversed dyad, time): near-monotone needles for every draw
    # ... and by clock time or none within one second (2**62 keys leave room for the doubling)
    occasion = (s.rev[s.both] * s.span + (s.exact[s.both] - s.start)) * 2 + s.timed[s.both]
    order = np.argsort(occasion, kind="stable")
    resp = s.both[order][_run_starts(occasion[order])]  # occasions (_once)
    del order, occasion
    r_rev, r_timed, r_exact, r_day = s.rev[resp], s.timed[resp], s.exact[resp], s.day[resp]
    needles = r_rev * s.span + (r_exact - s.start)
    r_row = row_of[r_rev]
    responses = np.bincount(r_row, minlength=len(table))
    turns, n_rows = s.turns, len(table)
    del resp, s  # the per-event arrays of every event: only the sorted copies above are needed now
    threads = _threads()
    block = max(BLOCK // threads, 1)

    def count(turn: np.ndarray | None) -> np.ndarray:
        if turn is None:
            keys, source, shift = trig.keys, np.arange(len(trig.keys)), np.zeros(len(trig.keys), np.int64)
        else:
            keys, source, shift = trig.draw(turn)
        linked = np.zeros(n_rows)
        for lo in range(0, len(needles), block):
            at = slice(lo, lo + block)
            pos = np.searchsorted(keys, needles[at], side="left") - 1
            ok = pos >= group_start[r_rev[at]]
            hit = source[np.maximum(pos, 0)]
            moved = shift[hit]
            both_timed = trig.timed[hit] & r_timed[at]
            days = np.where(both_timed, r_exact[at] - trig.exact[hit] - moved, r_day[at] - trig.day[hit] - moved)
            linked += np.bincount(r_row[at], weights=ok & (days <= lag * _DAY_S), minlength=n_rows)
        return linked

    return _counted(table, responses, _each_draw(count, turns, threads), lag, tide)


def _answered_counts(
    frame: pd.DataFrame, lag: float, tide: pd.Timedelta, end_s: int, draws: int, seed: int,
    triggers: np.ndarray | None = None, responses: np.ndarray | None = None,
) -> pd.DataFrame | None:  # fmt: skip
    """:func:`answered_baseline` for all directions at once: per draw, the answers rotated (a gather) and one
    ``searchsorted`` of every initiating event among them."""
    s = _setup(frame, tide, draws, seed)
    if s is None:
        return None
    both, dyad, rev = s.both, s.dyad, s.rev
    answering = both if responses is None else both[responses[both]]
    initiating = both if triggers is None else both[triggers[both]]
    if triggers is not None or responses is not None:  # a direction needs events that may answer
        answered_dyads = np.zeros(s.n_dyads, dtype=bool)
        answered_dyads[rev[answering]] = True
        initiating = initiating[answered_dyads[dyad[initiating]]]
    # initiating events whose whole answer lag lies before the end of observation
    timed_at = np.where(s.timed[initiating], s.exact[initiating], s.day[initiating])
    full = initiating[timed_at + lag * _DAY_S <= end_s]
    table, row_of = s.table(np.unique(dyad[full]))
    if not len(table):
        return _table([], [], lag, tide / pd.Timedelta(days=1))
    keys = dyad[full] * s.span + (s.earlier[full] - s.start)
    order = np.argsort(keys, kind="stable")  # sorted needles
    once = _run_starts(keys[order])  # occasions (_once)
    full, needles = full[order][once], keys[order][once]
    del keys, order, once
    i_dyad, i_timed, i_exact, i_day = dyad[full], s.timed[full], s.exact[full], s.day[full]
    i_row = row_of[i_dyad]
    # the answers to initiator dyad d are the events of dyad rev(d): key them by their own ``rev``
    answers = _Searched.build(s, answering, rev[answering], s.exact[answering])
    group_end = np.searchsorted(answers.keys // s.span, i_dyad, side="right")
    initiated = np.bincount(i_row, minlength=len(table))
    turns, n_rows = s.turns, len(table)
    del s

    def count(turn: np.ndarray | None) -> np.ndarray:
        if turn is None:
            keys, source, shift = answers.keys, np.arange(len(answers.keys)), np.zeros(len(answers.keys), np.int64)
        else:
            keys, source, shift = answers.draw(turn)
        pos = np.searchsorted(keys, needles, side="right")
        ok = pos < group_end  # still an answer to dyad d
        cand = source[np.minimum(pos, len(keys) - 1)]
        moved = shift[cand]
        both_timed = i_timed & answers.timed[cand]
        days = np.where(both_timed, answers.exact[cand] + moved - i_exact, answers.day[cand] + moved - i_day)
        return np.bincount(i_row, weights=ok & (days <= lag * _DAY_S), minlength=n_rows)

    return _counted(table, initiated, _each_draw(count, turns, _threads()), lag, tide)


def _counted(
    table: pd.DataFrame, responses: np.ndarray, counts: list[np.ndarray], lag: float, tide: pd.Timedelta
) -> pd.DataFrame:
    """The baseline table from each direction's count observed (``counts[0]``) and under each draw."""
    draws = len(counts) - 1
    sims = np.column_stack(counts[1:]).astype(np.int64) if draws else np.zeros((len(table), 0), np.int64)
    rows = [[tr, rs, int(n), int(o)] for tr, rs, n, o in zip(
        table["trigger_side"], table["response_side"], responses, counts[0], strict=True)]  # fmt: skip
    return _table(rows, list(sims), lag, tide / pd.Timedelta(days=1))
