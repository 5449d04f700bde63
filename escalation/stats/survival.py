"""Time to response: how long until the other side answers, with right-censoring.

For every event by side A against side B, the *time to response* is the time
until B's next event against A ("next" as in :func:`escalation.link`: a later
day, or the same day with a later clock time when both are known). Events that
are not answered within ``window``, and events too close to the end of the data
to tell, are **right-censored** at the window or at the end of the data (never
dropped). Kaplan-Meier curves come from ``statsmodels.duration.SurvfuncRight``
and the log-rank test from ``statsmodels.duration.survdiff``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from .._core.dates import parse_day
from .._core.keys import dyad_codes, side_codes, side_text, time_offsets
from .._core.levels import LEVEL
from .._core.result import Result
from .._core.time import event_times, order_keys, parse_window, sorted_frame
from ..chance._tide import parse_tide, tide_words
from ..events.table import Events
from ..io._coerce import as_events
from ._km_bands import cluster_bootstrap_bands

if TYPE_CHECKING:
    from matplotlib.axes import Axes

HORIZONS = (1, 3, 7, 30)
#: A group enters the log-rank test with at least this many events and answers.
MIN_LOGRANK_EVENTS = 10
MIN_LOGRANK_ANSWERS = 5


def _next_response(frame: pd.DataFrame, responses: np.ndarray | None = None) -> np.ndarray:
    """Position of the first later event of the reversed dyad (among those ``responses`` keeps) for each
    event (-1: none)."""
    n = len(frame)
    a, t, n_sides = side_codes(frame)
    times = event_times(frame)
    as_earlier, as_later = order_keys(times)
    dyad, reverse, dyadic = dyad_codes(a, t, n_sides)
    out = np.full(n, -1, dtype=np.int64)
    if not dyadic.any():
        return out
    (as_earlier, as_later), span = time_offsets(as_earlier, as_later, n_dyads=n_sides * n_sides)
    idx = np.flatnonzero(dyadic)
    cand_idx = idx if responses is None else np.flatnonzero(dyadic & responses)
    if not len(cand_idx):
        return out
    key = dyad[cand_idx] * span + as_later[cand_idx]  # candidate responses, keyed by their own dyad
    order = np.argsort(key, kind="stable")  # stable: among same-time answers, frame (event_id) order
    sorted_key = key[order]
    query = reverse[idx] * span + as_earlier[idx]
    pos = np.searchsorted(sorted_key, query, side="right")  # first candidate strictly later
    ok = pos < len(sorted_key)
    cand = cand_idx[order[np.minimum(pos, len(order) - 1)]]
    ok &= dyad[cand] == reverse[idx]
    out[idx[ok]] = cand[ok]
    return out


def time_to_response(
    events: Events | pd.DataFrame,
    *,
    window: str | pd.Timedelta | float = "30D",
    sides: Mapping[str, str] | str | None = None,
    by: str | None = "direction",
    end: str | pd.Timestamp | None = None,
    alpha: float = LEVEL,
    tide: str | pd.Timedelta | float | None = None,
    triggers: Mapping[str, Any] | None = None,
    responses: Mapping[str, Any] | None = None,
) -> TimeToResponseResult:
    """Kaplan-Meier analysis of the time until the other side's next action, and how often it came sooner
    than chance gives.

    The Kaplan-Meier curve measures the wait until the other side's next action against this side, answer
    or not: with two busy sides it is short whether or not anybody answers anybody. Whether the other side
    *answers* is what :attr:`TimeToResponseResult.baseline` and :attr:`TimeToResponseResult.chance` say, at
    the timescale of the ``tide``.

    Parameters
    ----------
    events : Events or DataFrame
    window : str, Timedelta or float
        Longest wait counted as an answer (``"30D"``); later answers are censored at the window.
    sides : dict or path, optional
        Re-map actors to sides first.
    by : {"direction", None}
        One curve per direction ("B answering A") or one pooled curve.
    end : date, optional
        End of observation (default: the last event's date), a whole day, included. Events after it are
        left out; answers after it are not seen, so events whose window reaches past it are censored at
        it (an answer on a later day does not count).
    alpha : float
        1 - confidence level of the pointwise bands (log-log transform).
    tide : str, Timedelta or float, optional
        The timescale of the comparison with chance (default 14 days; :mod:`escalation.chance._tide`):
        actions within a quarter of the tide count as possible answers, shared changes slower than a tide are kept.
    triggers, responses : dict, optional
        Which events may be answered, and which count as an answer: column -> value (or list of values), as
        in :meth:`escalation.Events.where` (``{"event_type": "rocket attack"}``). Every other event is still
        there (it is part of the sides' tides); the comparison with chance asks the same question, rotating
        only the events that may answer.

    Returns
    -------
    TimeToResponseResult
        ``.table`` (one row per event), ``.curves``, ``.summary()``, ``.conf_int()``, ``.logrank``, ``.plot()``.

    Examples
    --------
    >>> import escalation as esc
    >>> ttr = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), window="30D")
    >>> int(ttr.table["answered"].sum()) > 0
    True

    How often did the United States answer the militias' rocket attacks?

    >>> rockets = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), triggers={"event_type": "rocket attack"})
    >>> int(rockets.summary().set_index("group").loc["United States answering Iran-aligned militias", "events"])
    24
    """
    ev = as_events(events, sides=sides).dated_to_the_day()  # a wait is not timed from a month-precise date
    end_ts = parse_day(end, "end") if end is not None else None
    if end_ts is not None:
        ev = ev.between(end=end_ts)
    window_days = parse_window(window) / pd.Timedelta(days=1)
    if by not in ("direction", None):
        from ..errors import UsageError

        raise UsageError(f"by must be 'direction' or None, got {by!r}")
    frame = sorted_frame(ev)
    a_side = side_text(frame["actor_side"])
    t_side = side_text(frame["target_side"])
    dyadic = frame["actor_side"].notna().to_numpy() & frame["target_side"].notna().to_numpy() & (a_side != t_side)
    trigger_mask, response_mask = _role_masks(frame, triggers, responses)
    if trigger_mask is not None:
        dyadic = dyadic & trigger_mask
    nxt = _next_response(frame, response_mask)
    ns, day, has_time = event_times(frame)
    end_ts = end_ts if end_ts is not None else frame["date"].max()
    found = nxt >= 0
    safe = np.where(found, nxt, 0)
    exact = has_time & has_time[safe]
    wait = np.where(found, np.where(exact, ns[safe] - ns, day[safe] - day) / 86400e9, np.inf)
    duration, answered = censored(wait, window_days, time_left_days(frame, end_ts))
    table = pd.DataFrame(
        {
            "event_id": frame["event_id"].to_numpy(),
            "date": frame["date"].to_numpy(),
            "initiator": a_side,
            "responder": t_side,
            "direction": pd.Series(t_side, dtype=object) + " answering " + pd.Series(a_side, dtype=object),
            "duration_days": duration,
            "answered": answered,
            "response_id": pd.Series(frame["event_id"].to_numpy()[safe]).where(answered),
        }
    )[dyadic].reset_index(drop=True)
    table["group"] = table["direction"] if by == "direction" else "all"
    window_td = pd.Timedelta(days=window_days)
    return TimeToResponseResult(table=table, window=window_td, alpha=alpha, by=by, events=ev, end=end_ts,
                                tide=parse_tide(tide), triggers=dict(triggers or {}),
                                responses=dict(responses or {}))  # fmt: skip


def censored(wait: np.ndarray, window_days: float, left: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Durations and whether each was answered, from the waits until the other side's next action (inf: none;
    any shape whose last axis is the events'): an answer within the window and before the end of observation
    counts; any other event is censored at the window or at the end, whichever comes first."""
    answered = (wait <= window_days) & (wait <= left + 1e-9)  # an answer after the end is not seen
    return np.where(answered, wait, np.minimum(window_days, np.maximum(left, 0.0))), answered


def time_left_days(frame: pd.DataFrame, end: pd.Timestamp) -> np.ndarray:
    """Days each event of ``frame`` has left to be answered before ``end`` (whole days when its clock time is
    unknown): an answer after that is not seen, and the event is censored there."""
    ns, day, has_time = event_times(frame)
    return np.where(has_time, end.value - ns, end.value - day) / 86400e9


def _role_masks(
    frame: pd.DataFrame, triggers: Mapping[str, Any] | None, responses: Mapping[str, Any] | None
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The rows that may be answered and the rows that may answer (None: every row)."""
    from .._core.subset import row_mask

    return (row_mask(frame, triggers, name="triggers") if triggers else None,
            row_mask(frame, responses, name="responses") if responses else None)  # fmt: skip


def _positions(labels: pd.Series) -> tuple[list[str], list[np.ndarray]]:
    """The distinct labels (sorted) and the positions of each, from one factorisation and one sort."""
    codes, uniques = pd.factorize(labels.astype(object).to_numpy(), sort=True)
    if not len(uniques):  # no group (a header-only file): np.split would still give one empty part
        return [], []
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes[codes >= 0], minlength=len(uniques)))[:-1]
    return [str(u) for u in uniques], np.split(order[codes[order] >= 0], bounds)


def km_curve(duration: np.ndarray, observed: np.ndarray, alpha: float = LEVEL) -> pd.DataFrame:
    """Kaplan-Meier estimate with Greenwood standard errors and log(-log) pointwise bands.

    The bands are ``S ** exp(+-z * se / (S * log S))``, the same "exponential
    Greenwood" interval lifelines uses by default.
    """
    sf = SurvfuncRight(np.asarray(duration, float), np.asarray(observed, int))
    s = np.asarray(sf.surv_prob)
    se = np.asarray(sf.surv_prob_se)
    z = sps.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = se / (s * np.log(s))
        lower = s ** np.exp(-z * theta)
        upper = s ** np.exp(z * theta)
    lower = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, lower))
    upper = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, upper))
    curve = pd.DataFrame(
        {
            "time": np.asarray(sf.surv_times, float),
            "survival": s,
            "ci_lower": np.minimum(lower, upper),
            "ci_upper": np.maximum(lower, upper),
            "at_risk": np.asarray(sf.n_risk),
            "events": np.asarray(sf.n_events),
        }
    )
    if not len(curve) or curve["time"].iloc[0] > 0:  # the curve starts at 1 unless events happen at time 0
        start = pd.DataFrame({"time": [0.0], "survival": [1.0], "ci_lower": [1.0], "ci_upper": [1.0],
                              "at_risk": [len(duration)], "events": [0]})  # fmt: skip
        curve = pd.concat([start, curve], ignore_index=True)
    return curve


def _median_ci(duration: np.ndarray, answered: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Kaplan-Meier median and its (log-log) interval; NaN where it does not exist."""
    if not answered.any():
        return np.nan, np.nan, np.nan
    sf = SurvfuncRight(duration, answered.astype(int))
    try:
        with np.errstate(all="ignore"):  # log(-log(1)) at the curve's start: statsmodels handles it
            lo, hi = sf.quantile_ci(0.5, alpha=alpha)
    except (ValueError, IndexError, ZeroDivisionError):
        lo = hi = np.nan
    as_float = lambda v: np.nan if v is None else float(v)  # noqa: E731
    return float(sf.quantile(0.5)), as_float(lo), as_float(hi)


def _survival_at(time: np.ndarray, survival: np.ndarray, t: float) -> float:
    idx = int(np.searchsorted(time, t, side="right")) - 1
    return float(survival[max(idx, 0)])


@dataclass(frozen=True, repr=False, eq=False)
class TimeToResponseResult(Result):
    """Time to response per event and its Kaplan-Meier summaries.

    Attributes
    ----------
    table : DataFrame
        One row per event that could be answered: ``event_id, date, initiator,
        responder, direction, duration_days, answered, response_id, group``.
    window : Timedelta
        How long an event waits for an answer before it is censored (``window_days``: the same in days).
    alpha : float
    by : str or None
    events : Events
    """

    table: pd.DataFrame
    window: pd.Timedelta
    alpha: float
    by: str | None
    events: Events
    end: pd.Timestamp | None = None
    tide: pd.Timedelta = field(default_factory=lambda: parse_tide(None))
    #: the events that may be answered, and those that count as answers (column -> values; empty: all)
    triggers: dict[str, Any] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)

    @property
    def window_days(self) -> float:
        return float(self.window / pd.Timedelta(days=1))

    def to_frame(self) -> pd.DataFrame:
        """One row per event that could be answered (see the class attributes); a copy."""
        return self.table.copy()

    def settings(self) -> dict[str, Any]:
        return {"window": self.window, "alpha": self.alpha, "by": self.by, "end": self.end, "tide": self.tide}

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Median time to response per group with its interval (``group, median_days, lower, upper``).

        ``alpha`` other than the result's recomputes the interval (statsmodels ``quantile_ci``, log-log);
        it treats events as independent, as Greenwood's bands do.
        """
        level = self.alpha if alpha is None else alpha
        rows = []
        duration, answered = self.table["duration_days"].to_numpy(), self.table["answered"].to_numpy()
        for group, at in self._groups:
            median, low, high = _median_ci(duration[at], answered[at], level)
            rows.append({"group": group, "median_days": median, "lower": low, "upper": high})
        return pd.DataFrame(rows, columns=["group", "median_days", "lower", "upper"])

    @cached_property
    def _groups(self) -> list[tuple[str, np.ndarray]]:
        """Each group (sorted) and its rows' positions in :attr:`table`. A pandas groupby over the Arrow-text
        group sliced every column once per group: with 500 sides (5,000 directions) the summary took 70 s."""
        return list(zip(*_positions(self.table["group"]), strict=True))

    @cached_property
    def curves(self) -> pd.DataFrame:
        """Tidy Kaplan-Meier curves: ``group, time, survival, ci_lower, ci_upper, cluster_lower,
        cluster_upper, at_risk, events``.

        ``ci_lower``/``ci_upper`` are Greenwood's (log-log) bands, which treat events as independent;
        ``cluster_lower``/``cluster_upper`` resample the clusters of events one response answers (199
        draws; see :mod:`escalation.stats._km_bands`) and are the ones plotted. The curve is the time to the
        other side's next action, answer or not; compare it with :attr:`chance`.
        """
        parts = []
        t = self.table
        all_duration, all_answered = t["duration_days"].to_numpy(), t["answered"].to_numpy()
        # one cluster per answering response; each unanswered event is its own
        # (pandas 3 keeps a missing value missing through astype(str): fill it before concatenating)
        by_response = ("r:" + t["response_id"].fillna("").astype(str)).to_numpy(dtype=object)
        by_event = ("e:" + t["event_id"].astype(str)).to_numpy(dtype=object)
        all_cluster = np.where(all_answered, by_response, by_event)
        for group, at in self._groups:
            duration, answered = all_duration[at], all_answered[at]
            curve = km_curve(duration, answered, self.alpha)
            lower, upper = cluster_bootstrap_bands(
                duration, answered, all_cluster[at], curve["time"].to_numpy(), alpha=self.alpha
            )
            parts.append(curve.assign(group=group, cluster_lower=lower, cluster_upper=upper))
        columns = ["group", "time", "survival", "ci_lower", "ci_upper", "cluster_lower", "cluster_upper", "at_risk",
                   "events"]  # fmt: skip
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)[columns]

    @cached_property
    def chance(self) -> pd.DataFrame:
        """Per direction, the share not yet followed by the other side's action after ``t`` days, observed
        and with the other side's actions rotated within the tide's blocks (both sides keep their tides and
        bursts, no answer can exist): ``group, time, survival, lower, upper, observed, events``, up to half
        the tide. Plotted beside each curve; see :mod:`escalation.chance.curves`."""
        from ..chance.curves import chance_curves

        end = self.end if self.end is not None else self.events.frame["date"].max()
        frame = sorted_frame(self.events)
        triggers, responses = _role_masks(frame, self.triggers, self.responses)
        return chance_curves(frame, self.window_days, end, tide=self.tide, triggers=triggers, responses=responses)

    def summary(self) -> pd.DataFrame:
        """One row per group: events, answered, censored, median time to response (CI), share answered by day.

        Shares are Kaplan-Meier estimates ``1 - S(t)``, which count censored
        events correctly, beside the raw share answered within the window.
        """
        return self._summary.copy()

    @cached_property
    def _summary(self) -> pd.DataFrame:
        rows = []
        all_duration, all_answered = self.table["duration_days"].to_numpy(), self.table["answered"].to_numpy()
        curves = self.curves
        curve_of = dict(zip(*_positions(curves["group"]), strict=True))  # one pass, not a filter per group
        curve_time, curve_survival = curves["time"].to_numpy(float), curves["survival"].to_numpy(float)
        for group, at in self._groups:
            duration, observed = all_duration[at], all_answered[at]
            at_curve = curve_of[group]
            median, lo, hi = _median_ci(duration, observed, self.alpha)
            row: dict[str, Any] = {
                "group": group,
                "events": len(at),
                "answered": int(observed.sum()),
                "censored": int((~observed).sum()),
                "median_days": median,
                "median_ci_lower": lo,
                "median_ci_upper": hi,
            }
            for h in HORIZONS:
                if h <= self.window_days:
                    row[f"answered_by_{h}d"] = 1 - _survival_at(curve_time[at_curve], curve_survival[at_curve], h)
            row["answered_share_raw"] = float(observed.mean())
            rows.append(row)
        return pd.DataFrame(rows) if rows else pd.DataFrame(columns=["group", "events", "answered", "censored"])

    @cached_property
    def baseline(self) -> pd.DataFrame:
        """ "Followed by": per direction, the share of events followed by the other side's action within half
        the tide (or the window when shorter), against chance (199 rotations within the tide's blocks, seed 0).

        Counts only events whose whole answer lag was observed. ``trigger_side`` is the initiator and
        ``response_side`` the side answering; ``observed_share`` is the share followed, ``expected_share``
        (with ``lower``/``upper`` counts) what the same events show when the answering side keeps its tides
        and bursts but not its timing within a block; see :mod:`escalation.chance.links`.
        """
        from ..chance.links import answered_baseline

        end = self.end if self.end is not None else self.events.frame["date"].max()
        frame = sorted_frame(self.events)
        triggers, responses = _role_masks(frame, self.triggers, self.responses)
        return answered_baseline(frame, self.window, end, tide=self.tide, triggers=triggers, responses=responses)

    @cached_property
    def answer_delay(self) -> Any:
        """How many answers each action sets off and after how long, per direction: the delay of the answers
        themselves, which the Kaplan-Meier curve (the wait until the other side's next action, answer or not)
        is not; see :func:`escalation.answer_delay`."""
        from .delay import answer_delay

        return answer_delay(self.events, tide=self.tide)

    @property
    def timescale(self) -> str:
        """What :attr:`baseline` and :attr:`chance` test, in words (``"within 3.5 days, beyond ..."``)."""
        return tide_words(self.tide, self.window)

    @cached_property
    def logrank(self) -> dict[str, Any]:
        """Log-rank test of equal time-to-response curves across groups large enough to compare.

        Returns ``chisq, df, pvalue, groups`` (the groups compared) and ``note``: which groups were left out
        (fewer than :data:`MIN_LOGRANK_EVENTS` events or :data:`MIN_LOGRANK_ANSWERS` answers: the test's
        chi-square approximation does not hold for them), or why there is no test. The test treats events as
        independent, but one response can answer several earlier events, so its p-value is optimistic when
        events cluster; the note says so.
        """
        t = self.table
        sizes = t.groupby("group")["answered"].agg(["size", "sum"])
        large = sizes[(sizes["size"] >= MIN_LOGRANK_EVENTS) & (sizes["sum"] >= MIN_LOGRANK_ANSWERS)].index
        small = [str(g) for g in sizes.index if g not in large]
        left_out = (f"left out (fewer than {MIN_LOGRANK_EVENTS} events or {MIN_LOGRANK_ANSWERS} answers): "
                    f"{', '.join(small)}") if small else ""  # fmt: skip
        undefined = {"chisq": np.nan, "df": 0, "pvalue": np.nan, "groups": [str(g) for g in large]}
        if len(large) < 2:
            why = "no test: fewer than two groups large enough to compare"
            return {**undefined, "note": "; ".join(filter(None, [why, left_out]))}
        kept = t[t["group"].isin(large)]
        try:
            chisq, pvalue = survdiff(
                kept["duration_days"].to_numpy(), kept["answered"].to_numpy().astype(int), kept["group"].to_numpy()
            )
        except np.linalg.LinAlgError:
            return {**undefined, "note": "no test: the groups' curves cannot be compared (singular covariance)"}
        per_response = t.loc[t["answered"], "response_id"].value_counts()
        shared = per_response[per_response > 1]
        clustered = (f"{len(shared)} answers each answer several events ({int(shared.sum())} events in all), which "
                     "the test treats as independent: its p-value is optimistic") if len(shared) else ""  # fmt: skip
        return {"chisq": float(chisq), "df": len(large) - 1, "pvalue": float(pvalue),
                "groups": [str(g) for g in large], "note": "; ".join(filter(None, [left_out, clustered]))}  # fmt: skip

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Kaplan-Meier curves of the share not yet answered; see :func:`escalation.plotting.km_curves`."""
        from ..plotting import km_curves

        return km_curves(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        t = self.table
        return (
            f"<TimeToResponseResult: {len(t)} events, {int(t['answered'].sum())} answered within "
            f"{self.window_days:g} days, {int((~t['answered']).sum())} censored; "
            f"{t['group'].nunique()} group{'s' if t['group'].nunique() != 1 else ''}>"
        )
