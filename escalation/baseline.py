"""What chance alone gives: the linking rule and the "answered within the window" share on shifted series.

"The most recent earlier event of the reversed dyad within 30 days" exists for
most events once both sides are active, whether or not either side ever answers
the other. To say whether a direction shows *more* answers than that, the same
measure is computed again after the responding side's events are moved in time
so that no answer can exist: a **circular shift** of that side's whole series by
a random number of whole days, wrapping around the observed period.

Why a circular shift: it keeps everything about the responding side except its
timing relative to the other side: its rate, its bursts and lulls, its
day-of-week and clock-time pattern, the number of its events per day. A shuffle
of single events, or uniform random times, would destroy the responding side's
own clustering and so make chance look smaller than it is (clustered answers
coincide with clustered triggers more often than scattered ones do). Shifts are
whole days, so date-only events stay date-only and same-day rules still apply.

How far to shift: more than one window (a shorter shift would keep the real
alignment within the window) and at most twelve windows, forwards or backwards
(:data:`MAX_SHIFT_WINDOWS`; 31 to 360 days for a 30-day window). Long conflicts
have phases (an intifada, a war, years of calm) in which both sides are active
together; a shift by years would set one side's war against the other's calm and
call the phases' common rise "answers". A local shift keeps co-variation slower
than a few windows (the phases) and breaks the alignment within a window, which
is what an answer is (the idea of interval jitter in spike-train analysis).
What it cannot tell apart: a common shock that moves both sides within days.

Each direction gets the observed count, the mean over the shifts (expected), the
2.5 and 97.5 percentiles (a 95% range), and a one-sided Monte-Carlo p-value,
``(1 + #{shifted >= observed}) / (draws + 1)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._keys import KEY_LIMIT, dyad_codes, side_vocabulary
from ._time import event_times, order_keys

_DAY_S = 86_400
BASELINE_COLUMNS = (
    "trigger_side", "response_side", "responses", "observed", "expected", "lower", "upper", "pvalue",
    "observed_share", "expected_share",
)  # fmt: skip


@dataclass(frozen=True)
class _Series:
    """One side's events of one direction, in seconds: order keys, exact time, day start, timed."""

    earlier: np.ndarray
    later: np.ndarray
    exact: np.ndarray
    day: np.ndarray
    timed: np.ndarray

    def shifted(self, seconds: int, start: int, period: int) -> _Series:
        """All events moved by ``seconds`` (whole days), wrapping around ``[start, start + period)``."""
        new_day = start + (self.day - start + seconds) % period
        delta = new_day - self.day
        return _Series(self.earlier + delta, self.later + delta, self.exact + delta, new_day, self.timed)


def _interval_days(trig: _Series, t: np.ndarray, resp: _Series, r: np.ndarray) -> np.ndarray:
    both = trig.timed[t] & resp.timed[r]
    return np.where(both, resp.exact[r] - trig.exact[t], resp.day[r] - trig.day[t]) / _DAY_S


def _linked(trig: _Series, trig_order: np.ndarray, resp: _Series, window_days: float) -> np.ndarray:
    """For each response: does the linking rule find a trigger (latest earlier one, within the window)?"""
    keys = trig.earlier[trig_order]
    pos = np.searchsorted(keys, resp.later, side="left") - 1
    ok = pos >= 0
    cand = trig_order[np.maximum(pos, 0)]
    return ok & (_interval_days(trig, cand, resp, np.arange(len(resp.later))) <= window_days)


def _answered(init: _Series, resp: _Series, window_days: float) -> np.ndarray:
    """For each initiating event: is there a strictly later response within the window (the first one)?"""
    order = np.argsort(resp.later, kind="stable")
    pos = np.searchsorted(resp.later[order], init.earlier, side="right")
    ok = pos < len(order)
    cand = order[np.minimum(pos, len(order) - 1)]
    return ok & (_interval_days(init, np.arange(len(init.earlier)), resp, cand) <= window_days)


def _directions(frame: pd.DataFrame) -> tuple[list[tuple[str, str]], dict[tuple[str, str], _Series], int, int]:
    """Each directed dyad's events as :class:`_Series`, with the observed period (start, length) in seconds."""
    times = event_times(frame)
    earlier, later = order_keys(times)
    ns, day_ns, timed = times
    exact, day = ns // 1_000_000_000, day_ns // 1_000_000_000
    sides = pd.DataFrame({"a": frame["actor_side"].astype(object), "t": frame["target_side"].astype(object)})
    dyadic = sides["a"].notna() & sides["t"].notna() & (sides["a"] != sides["t"])
    kept = np.flatnonzero(dyadic.to_numpy())
    groups = sides.iloc[kept].groupby(["a", "t"], sort=True).indices  # positions among the kept rows
    series: dict[tuple[str, str], _Series] = {}
    for key, at in groups.items():
        trig, resp = (str(k) for k in key)  # type: ignore[attr-defined]  # a 2-key groupby gives tuples
        rows = kept[at]
        series[(trig, resp)] = _Series(earlier[rows], later[rows], exact[rows], day[rows], timed[rows])
    directions = sorted((t, r) for (t, r) in series if (r, t) in series)
    start = int(day.min()) if len(day) else 0
    period = int(day.max() - start) + _DAY_S if len(day) else _DAY_S
    return directions, series, start, period


def _whole_window(init: _Series, window_days: float, end_s: int) -> _Series | None:
    """The events whose whole window lies before the end of observation (None when there are none)."""
    full = np.where(init.timed, init.exact, init.day) + window_days * _DAY_S <= end_s
    if not full.any():
        return None
    return _Series(init.earlier[full], init.later[full], init.exact[full], init.day[full], init.timed[full])


#: The longest shift, in windows: series are moved by more than one window and at most this many.
MAX_SHIFT_WINDOWS = 12


def _offsets(period_days: int, window_days: float, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Whole-day shifts, forwards or backwards, longer than the window and at most twelve windows."""
    margin = int(np.ceil(window_days)) + 1
    longest = min(int(np.ceil(MAX_SHIFT_WINDOWS * window_days)), period_days - margin)
    if longest < margin:  # a period too short for the rule: any shift but none
        return rng.integers(1, max(period_days, 2), draws)
    return rng.integers(margin, longest + 1, draws) * rng.choice([-1, 1], draws)


def _table(rows: list[list[object]], draws_of: list[np.ndarray]) -> pd.DataFrame:
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
    return out[list(BASELINE_COLUMNS)]


def link_baseline(frame: pd.DataFrame, window: pd.Timedelta, *, draws: int = 199, seed: int = 0) -> pd.DataFrame:
    """Inferred links per direction, observed and under circular shifts of the responding side.

    ``observed`` counts the responses (events by ``response_side`` against
    ``trigger_side``) for which the reversal rule finds a trigger within the
    window, stated links included, so that observed and shifted counts are the
    same measure. Columns: :data:`BASELINE_COLUMNS`.

    Every direction is shifted by the same draws, so each draw is one search over all directions at once
    (:func:`_link_counts`); :func:`link_baseline_by_direction` is the same computation one direction at a
    time (tens of thousands of Python-level searches on data with 200 sides: 229 s at 10^6 events).
    """
    window_days = window / pd.Timedelta(days=1)
    counted = _link_counts(frame, window_days, draws, seed)
    if counted is None:  # keys would overflow int64: one direction at a time
        return link_baseline_by_direction(frame, window, draws=draws, seed=seed)
    return counted


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
    period: int
    span: int
    offsets: np.ndarray  # the draws' shifts, seconds

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


def _setup(frame: pd.DataFrame, window_days: float, draws: int, seed: int) -> _Setup | None:
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
    rng = np.random.default_rng(seed)
    offsets = _offsets(period // _DAY_S, window_days, draws, rng) * _DAY_S
    a, t, names = side_vocabulary(frame)
    n_sides = len(names)
    dyad, rev, dyadic = dyad_codes(a, t, n_sides)
    span = period + _DAY_S + 1  # every order key, shifted or not, lies in [start, start + span)
    if n_sides * n_sides * span >= KEY_LIMIT:
        return None
    present = np.zeros(n_sides * n_sides, dtype=bool)
    present[dyad[dyadic]] = True
    # Events of a dyad whose reverse also occurs: each is a trigger of its own direction and a response
    # of the reversed one (whose trigger dyad is its ``rev``).
    both = np.flatnonzero(dyadic & present[rev])
    return _Setup(exact, day, timed, earlier, dyad, rev, both, names, start, period, span, offsets)


#: Responses searched at a time over all threads: the draws' temporaries stay about 100 MB at any size.
BLOCK = 1 << 20
#: The most threads the draws run on (each holds ``BLOCK / threads`` responses' temporaries).
MAX_THREADS = 8


def _threads() -> int:
    """The cores this process may use, at most :data:`MAX_THREADS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_THREADS, cores))


def _each_draw(count: Callable[[np.int64], np.ndarray], shifts: np.ndarray, threads: int) -> list[np.ndarray]:
    """``count(shift)`` for every shift (0 first: the observed series), in order, on ``threads`` threads.

    The draws are independent and numpy's searches, gathers and arithmetic release the GIL, so threads
    share the work without copying the sorted arrays: 6.3 s instead of 11.7 s for 21 draws at 10^7 events
    on 2 cores. Each draw's counts are the same whatever thread computes them.
    """
    if threads == 1:
        return [count(shift) for shift in shifts]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(count, shifts))


def _link_counts(frame: pd.DataFrame, window_days: float, draws: int, seed: int) -> pd.DataFrame | None:
    """:func:`link_baseline` for all directions at once: per draw, one ``searchsorted`` of every response
    (shifted) among every trigger sorted by (dyad, time), in blocks of :data:`BLOCK` responses."""
    s = _setup(frame, window_days, draws, seed)
    if s is None:
        return None
    span, start, period, offsets = s.span, s.start, s.period, s.offsets
    table, row_of = s.table(np.unique(s.rev[s.both]))
    if not len(table):
        return _table([], [])
    both = s.both
    trig = both[np.argsort(s.dyad[both] * span + (s.earlier[both] - start), kind="stable")]
    keys = s.dyad[trig] * span + (s.earlier[trig] - start)
    # the triggers' columns in key order: each draw then reads them at near-monotone positions
    t_exact, t_day, t_timed = s.exact[trig], s.day[trig], s.timed[trig]
    del trig
    group_start = np.searchsorted(keys, np.arange(s.n_dyads, dtype=np.int64) * span)
    # responses by (reversed dyad, time): a shift by one constant keeps that order but for one wrap point per
    # dyad, so every draw searches with near-sorted needles
    resp = both[np.argsort(s.rev[both] * span + (s.exact[both] - start), kind="stable")]
    code = np.int32 if s.n_dyads < 2**31 else np.int64  # 4 bytes a response less, below 46,341 sides
    r_rev, r_timed, r_exact, r_day = s.rev[resp].astype(code), s.timed[resp], s.exact[resp], s.day[resp]
    r_row = row_of[r_rev].astype(code)
    del resp, both, s  # the per-event arrays of every event: only the sorted copies above are needed now
    threads = _threads()
    block = max(BLOCK // threads, 1)

    def count(shift: np.int64) -> np.ndarray:
        linked = np.zeros(len(table))
        for lo in range(0, len(r_rev), block):
            at = slice(lo, lo + block)
            new_day = start + (r_day[at] - start + shift) % period
            delta = new_day - r_day[at]
            # int64 before multiplying: numpy 1.x keeps int32 for int32 array * int64 scalar (value-based casting)
            dyad_base = r_rev[at].astype(np.int64) * span
            pos = np.searchsorted(keys, dyad_base + (r_exact[at] + delta - start), side="left") - 1
            ok = pos >= group_start[r_rev[at]]
            hit = np.maximum(pos, 0)
            both_timed = t_timed[hit] & r_timed[at]
            days = np.where(both_timed, r_exact[at] + delta - t_exact[hit], new_day - t_day[hit]) / _DAY_S
            linked += np.bincount(r_row[at], weights=ok & (days <= window_days), minlength=len(table))
        return linked

    counts = _each_draw(count, np.r_[0, offsets].astype(np.int64), threads)  # the observed series first
    return _counted(table, np.bincount(r_row, minlength=len(table)), counts)


def _counted(table: pd.DataFrame, responses: np.ndarray, counts: list[np.ndarray]) -> pd.DataFrame:
    """The baseline table from each direction's count observed (``counts[0]``) and under each draw."""
    draws = len(counts) - 1
    sims = np.column_stack(counts[1:]).astype(np.int64) if draws else np.zeros((len(table), 0), np.int64)
    rows = [[tr, rs, int(n), int(o)] for tr, rs, n, o in zip(
        table["trigger_side"], table["response_side"], responses, counts[0], strict=True)]  # fmt: skip
    return _table(rows, list(sims))


def _answered_counts(frame: pd.DataFrame, window_days: float, end_s: int, draws: int, seed: int) -> pd.DataFrame | None:
    """:func:`answered_baseline` for all directions at once.

    A shift moves the answers by one constant but for those that wrap around the period, which are the
    events past one day (a global threshold): split there, each part stays in its (dyad, time) order under
    the shift, so each draw is two ``searchsorted`` without a sort. The two parts cannot tie (their keys
    differ by less than a period), and ties within a part keep frame order, as in the per-direction search.
    """
    s = _setup(frame, window_days, draws, seed)
    if s is None:
        return None
    both, dyad, rev, span, start, period = s.both, s.dyad, s.rev, s.span, s.start, s.period
    # initiating events whose whole window lies before the end of observation
    full = both[np.where(s.timed[both], s.exact[both], s.day[both]) + window_days * _DAY_S <= end_s]
    table, row_of = s.table(np.unique(dyad[full]))
    if not len(table):
        return _table([], [])
    full = full[np.argsort(dyad[full] * span + (s.earlier[full] - start), kind="stable")]  # sorted needles
    i_dyad, i_timed, i_exact, i_day = dyad[full], s.timed[full], s.exact[full], s.day[full]
    needles = i_dyad * span + (s.earlier[full] - start)
    i_row = row_of[i_dyad]
    # the answers to initiator dyad d are the events of dyad rev(d): key them by their own ``rev``
    resp = both[np.argsort(rev[both] * span + (s.exact[both] - start), kind="stable")]
    keys = rev[resp] * span + (s.exact[resp] - start)
    r_rev, r_day, r_timed, r_exact = rev[resp], s.day[resp], s.timed[resp], s.exact[resp]
    counts = []
    for shift in np.r_[0, s.offsets].astype(np.int64):
        # wrapped: moved past the end (shift > 0) or before the start (shift < 0)
        wraps = r_day >= start + period - shift if shift > 0 else r_day < start - shift
        best_key = np.full(len(needles), np.iinfo(np.int64).max)
        best_at = np.zeros(len(needles), dtype=np.int64)
        for part, moved in ((wraps, shift - np.sign(shift) * period), (~wraps, shift)):
            at = np.flatnonzero(part)
            if not len(at):
                continue
            pos = np.searchsorted(keys[at] + moved, needles, side="right")
            ok = pos < np.searchsorted(r_rev[at], i_dyad, side="right")  # still answers to dyad d
            cand = at[np.minimum(pos, len(at) - 1)]
            better = ok & (keys[cand] + moved < best_key)
            best_key = np.where(better, keys[cand] + moved, best_key)
            best_at = np.where(better, cand, best_at)
        found = best_key < np.iinfo(np.int64).max
        delta = best_key - keys[best_at]  # the shift of the chosen answer, wrap included
        days = np.where(i_timed & r_timed[best_at], r_exact[best_at] + delta - i_exact, r_day[best_at] + delta - i_day)
        counts.append(np.bincount(i_row, weights=found & (days / _DAY_S <= window_days), minlength=len(table)))
    return _counted(table, np.bincount(i_row, minlength=len(table)), counts)


def link_baseline_by_direction(
    frame: pd.DataFrame, window: pd.Timedelta, *, draws: int = 199, seed: int = 0
) -> pd.DataFrame:
    """:func:`link_baseline` one direction at a time: the plain reading of the method (and its reference)."""
    window_days = window / pd.Timedelta(days=1)
    directions, series, start, period = _directions(frame)
    rng = np.random.default_rng(seed)
    offsets = _offsets(period // _DAY_S, window_days, draws, rng) * _DAY_S
    rows: list[list[object]] = []
    sims: list[np.ndarray] = []
    for trig_side, resp_side in directions:
        trig, resp = series[(trig_side, resp_side)], series[(resp_side, trig_side)]
        order = np.argsort(trig.earlier, kind="stable")
        observed = int(_linked(trig, order, resp, window_days).sum())
        shifted = [int(_linked(trig, order, resp.shifted(int(s), start, period), window_days).sum()) for s in offsets]
        rows.append([trig_side, resp_side, len(resp.later), observed])
        sims.append(np.asarray(shifted))
    return _table(rows, sims)


def answered_baseline(
    frame: pd.DataFrame, window: pd.Timedelta, end: pd.Timestamp, *, draws: int = 199, seed: int = 0
) -> pd.DataFrame:
    """Share of events answered within the window, observed and under circular shifts of the answering side.

    Only events whose whole window lies before ``end`` are counted (the rest
    cannot be told answered or not). ``trigger_side`` is the initiator,
    ``response_side`` the side that may answer; ``responses`` is the number of
    initiating events counted and ``observed`` how many were answered.
    """
    window_days = window / pd.Timedelta(days=1)
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    counted = _answered_counts(frame, window_days, end_s, draws, seed)
    if counted is None:  # keys would overflow int64: one direction at a time
        return answered_baseline_by_direction(frame, window, end, draws=draws, seed=seed)
    return counted


def answered_baseline_by_direction(
    frame: pd.DataFrame, window: pd.Timedelta, end: pd.Timestamp, *, draws: int = 199, seed: int = 0
) -> pd.DataFrame:
    """:func:`answered_baseline` one direction at a time: the plain reading of the method (and its reference)."""
    window_days = window / pd.Timedelta(days=1)
    directions, series, start, period = _directions(frame)
    rng = np.random.default_rng(seed)
    offsets = _offsets(period // _DAY_S, window_days, draws, rng) * _DAY_S
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    rows: list[list[object]] = []
    sims: list[np.ndarray] = []
    for init_side, resp_side in directions:
        init, resp = _whole_window(series[(init_side, resp_side)], window_days, end_s), series[(resp_side, init_side)]
        if init is None:
            continue
        observed = int(_answered(init, resp, window_days).sum())
        shifted = [int(_answered(init, resp.shifted(int(s), start, period), window_days).sum()) for s in offsets]
        rows.append([init_side, resp_side, len(init.earlier), observed])
        sims.append(np.asarray(shifted))
    return _table(rows, sims)
