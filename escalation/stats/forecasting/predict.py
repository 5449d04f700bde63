"""What is likely next: each side's chance of acting within the next days, from the fitted Hawkes process.

``forecast(events, at="2014-07-01", horizon="7D")`` fits the Hawkes model (:func:`escalation.fit_hawkes`, the
tide background by default) to the events dated **before** ``at`` only, then asks it, given that history,

- how many actions each side is expected to take in ``[at, at + horizon)`` (exact: :mod:`._ahead`), and
- the probability that it takes at least one (from ``draws`` histories simulated forward from ``at``),

with an interval from the estimates' uncertainty (``parameter_draws`` parameter sets, each simulated; the
decay, the tide's shape and the history held). What is counted: the events of the table (one row per
event, or per incident with ``Events.incidents``) by their acting side; with two sides, each acts against the
other; with more, a side's actions against any target count. Beside each forecast stands the plain one a
reader could make without the model, the rate of the last ``recent`` days (28 by default), and, when the
data reach past the horizon, what happened. Whether the model's forecasts are worth more than the plain one
is a question for :func:`escalation.evaluate_forecasts`, which scores many of them made in turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._core.dates import parse_day
from ..._core.levels import LEVEL
from ..._core.result import Result
from ..._core.time import UNIT_DAYS, parse_window
from ...errors import DataError, UsageError
from ...events.table import Events
from ...io._coerce import as_events
from ._ahead import expected_counts, simulate_counts, start_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..hawkes.results import HawkesResult

#: A forecast needs at least this many earlier events to fit the model to.
MIN_HISTORY = 20
#: The tide of a forecast's background, four times the analyses' 14 days. At the forecast's day the tide can
#: only be estimated from the days before it, and a 14-day tide there follows the last burst up and the last
#: lull down to nearly nothing: on seeded stationary histories its forecasts of "at least one action" were far
#: from calibrated (forecasts of 2% came true 14% of the time); 56 days came much closer and scored better on
#: B'Tselem too (``docs/statistics.md``, "What is likely next").
FORECAST_TIDE = "56D"


def horizon_days(horizon: str | pd.Timedelta | float) -> int:
    """The horizon in whole days (forecasts are of days: "7D", "2W", 30)."""
    td = parse_window(horizon, "horizon")
    days = td / pd.Timedelta(days=1)
    if days < 1 or days != round(days):
        raise UsageError(f"horizon must be a whole number of days, at least one, got {horizon!r}")
    return round(days)


def covered_until(ev: Events) -> pd.Timestamp:
    """The last day the data cover: the last event's, or the end of the period they were cut to
    (:meth:`Events.between`), if later: quiet days at the end are days without actions, not days unknown."""
    last = ev.frame["date"].max().normalize()
    window = ev.provenance.get("window") or [None, None]
    if window[1] is not None:
        last = max(last, parse_day(window[1], "end"))
    return last


def forecast_origin(ev: Events, at: Any) -> pd.Timestamp:
    """The forecast's day: ``at`` (a date), or the day after the last day the data cover."""
    if at is None:
        return covered_until(ev) + pd.Timedelta(days=1)
    return parse_day(at, "at")


def history_before(ev: Events, at: pd.Timestamp) -> Events:
    """The events dated before ``at``'s day (what a forecast made that morning could know)."""
    return ev._keeping((ev.frame["date"] < at).to_numpy(), forecast_at=str(at.date()))


def per_side(ev: Events, inside: pd.Series, sides: list[str]) -> np.ndarray:
    """The actions of each of ``sides`` among the events ``inside`` marks."""
    n = ev.frame.loc[inside, "actor_side"].astype(str).value_counts()
    return n.reindex(sides, fill_value=0).to_numpy(float)


def recent_rate(ev: Events, sides: list[str], at: pd.Timestamp, recent_days: int) -> np.ndarray:
    """Each side's actions per day in the ``recent_days`` before ``at`` (the plain forecast: no model)."""
    f = ev.frame
    inside = (f["date"] >= at - pd.Timedelta(days=recent_days)) & (f["date"] < at)
    return per_side(ev, inside, sides) / recent_days


def observed_counts(ev: Events, sides: list[str], at: pd.Timestamp, days: int) -> np.ndarray | None:
    """Each side's actions in ``[at, at + days)``, when the data reach past it (else None: not yet known)."""
    f = ev.frame
    stop = at + pd.Timedelta(days=days)
    if covered_until(ev) < stop - pd.Timedelta(days=1):
        return None
    return per_side(ev, (f["date"] >= at) & (f["date"] < stop), sides)


def fit_before(ev: Events, at: pd.Timestamp, **hawkes: Any) -> HawkesResult:
    """The Hawkes model of the events before ``at``, observed to the end of the day before (its tide
    :data:`FORECAST_TIDE` unless ``tide`` is given)."""
    from ..hawkes.model import fit_hawkes

    if hawkes.get("tide") is None:
        hawkes["tide"] = FORECAST_TIDE
    history = history_before(ev, at)
    if len(history) < MIN_HISTORY:
        raise DataError(f"a forecast at {at.date()} has {len(history)} earlier events to learn from; it needs at "
                        f"least {MIN_HISTORY} (choose a later date)")  # fmt: skip
    return fit_hawkes(history, end=at - pd.Timedelta(days=1), **hawkes)


def targets(sides: list[str]) -> list[str]:
    """What each side's actions are counted against: the other side of two, or any side."""
    return sides[::-1] if len(sides) == 2 else ["any side"] * len(sides)


def forecast(
    events: Events | pd.DataFrame,
    at: str | pd.Timestamp | None = None,
    horizon: str | pd.Timedelta | float = "7D",
    *,
    sides: Mapping[str, str] | str | None = None,
    recent: str | pd.Timedelta | float = "28D",
    alpha: float = LEVEL,
    draws: int = 4000,
    parameter_draws: int = 200,
    seed: int = 0,
    tide: str | pd.Timedelta | float | None = None,
    background: str | None = "tide",
    decay: float | None = None,
) -> ForecastResult:
    """Each side's chance of acting, and its expected number of actions, in the ``horizon`` from ``at``.

    Parameters
    ----------
    events : Events or DataFrame
    at : date, optional
        The forecast's day: only events dated before it are used. Default: the day after the last event (or
        after the end of the period the events were cut to with :meth:`Events.between`).
    horizon : str, Timedelta or float
        Whole days ahead ("7D", "2W"; a bare number is days).
    sides : dict or path, optional
    recent : str, Timedelta or float
        The plain forecast beside the model's: the rate of the last ``recent`` days.
    alpha : float
        1 - the level of the intervals.
    draws : int
        Histories simulated forward for the probabilities (the Monte-Carlo error of a probability is at most
        ``0.5 / sqrt(draws)``, 0.008 for 4000).
    parameter_draws : int
        Parameter sets drawn for the intervals (each simulated ``draws // 20`` times, at least 100); 0: none.
    seed : int
    tide : str, Timedelta or float, optional
        The background's tide (default :data:`FORECAST_TIDE`, 56 days: see there).
    background, decay
        As in :func:`escalation.fit_hawkes`; ``background="constant"`` is the model of a conflict without
        tides.

    Returns
    -------
    ForecastResult
        ``.summary()`` (one row per side), ``.to_frame()`` (the forecast count distribution), ``.plot()``,
        ``.fit`` (the Hawkes model).

    Examples
    --------
    >>> import escalation as esc
    >>> ahead = esc.forecast(esc.datasets.load_iraq_2019_2021(), at="2021-06-27", horizon="7D", draws=500,
    ...                      parameter_draws=0)
    >>> ahead.summary()[["side", "target", "horizon"]].to_dict("records")[0]
    {'side': 'Iran', 'target': 'any side', 'horizon': '7D'}
    """
    if not 0 < alpha < 1:
        raise UsageError(f"alpha must be between 0 and 1, got {alpha}")
    if draws < 100 or parameter_draws < 0:
        raise UsageError(f"draws must be at least 100 and parameter_draws at least 0, got {draws}, {parameter_draws}")
    ev = as_events(events, sides=sides)
    days = horizon_days(horizon)
    recent_days = horizon_days(recent)
    at_day = forecast_origin(ev, at)
    fit = fit_before(ev, at_day, tide=tide, background=background, decay=decay)
    rng = np.random.default_rng(seed)
    start = start_of(fit, parameter_draws, rng)
    steps = days / UNIT_DAYS[fit.data.time_unit]
    expected = expected_counts(start, steps)
    counts = simulate_counts(start, steps, draws, rng, np.zeros(draws, np.int64))
    probability = (counts > 0).mean(axis=0)
    n_sides = len(fit.sides)
    lower = upper = e_lower = e_upper = np.full(n_sides, np.nan)
    if parameter_draws > 0:
        each = max(draws // 20, 100)
        sets = np.repeat(np.arange(1, parameter_draws + 1), each)
        drawn = simulate_counts(start, steps, len(sets), rng, sets) > 0
        per_set = drawn.reshape(parameter_draws, each, n_sides).mean(axis=1)
        lower, upper = np.quantile(per_set, [alpha / 2, 1 - alpha / 2], axis=0)
        e_lower, e_upper = np.quantile(expected[1:], [alpha / 2, 1 - alpha / 2], axis=0)
    recent_p = -np.expm1(-recent_rate(ev, fit.sides, at_day, recent_days) * days)
    seen = observed_counts(ev, fit.sides, at_day, days)
    note = "" if not fit.diagnostics else "; ".join(fit.diagnostics)
    table = pd.DataFrame({
        "side": fit.sides, "target": targets(fit.sides), "at": at_day, "horizon": f"{days}D",
        "expected": expected[0], "expected_lower": e_lower, "expected_upper": e_upper,
        "probability": probability, "lower": lower, "upper": upper, "recent_probability": recent_p,
        "observed": np.full(n_sides, np.nan) if seen is None else seen, "note": note,
    })  # fmt: skip
    width = int(counts.max()) + 2
    dist = np.stack([np.bincount(counts[:, i], minlength=width) / draws for i in range(n_sides)])
    distribution = pd.DataFrame({
        "side": np.repeat(fit.sides, width), "count": np.tile(np.arange(width), n_sides), "probability": dist.ravel(),
    })  # fmt: skip
    return ForecastResult(table=table, distribution=distribution, fit=fit, at=at_day, horizon_days=days,
                          options={"recent": f"{recent_days}D", "alpha": alpha, "draws": draws,
                                   "parameter_draws": parameter_draws, "seed": seed},
                          all_sides=ev.palette())  # fmt: skip


@dataclass(frozen=True, repr=False, eq=False)
class ForecastResult(Result):
    """Each side's forecast from one day: ``summary()`` one row per side (see :func:`forecast`)."""

    table: pd.DataFrame
    distribution: pd.DataFrame
    fit: HawkesResult
    at: pd.Timestamp
    horizon_days: int
    options: dict[str, Any] = field(default_factory=dict)
    all_sides: dict[str, str | None] = field(default_factory=dict)  # the data's palette (Events.palette)

    def summary(self) -> pd.DataFrame:
        """One row per side: ``side, target, at, horizon``; ``expected`` actions (with the interval's
        ``expected_lower/upper``); ``probability`` of at least one (with ``lower/upper``); the plain
        ``recent_probability`` of the last days' rate; ``observed`` actions when the data reach past the
        horizon (else missing); ``note`` (the model's fragilities)."""
        return self.table.copy()

    def to_frame(self) -> pd.DataFrame:
        """The forecast distribution of each side's count: ``side, count, probability``."""
        return self.distribution.copy()

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """The probabilities and expected counts with their intervals (at the level the forecast was made)."""
        if alpha is not None and alpha != self.options.get("alpha"):
            raise UsageError(f"the intervals were drawn at alpha={self.options.get('alpha')}; forecast again with "
                             f"alpha={alpha}")  # fmt: skip
        return self.table[["side", "probability", "lower", "upper", "expected", "expected_lower", "expected_upper"]]

    def settings(self) -> dict[str, Any]:
        return {"at": self.at, "horizon": f"{self.horizon_days}D", **self.options, **self.fit.settings()}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Each side's probability of acting, with its interval and the plain recent-rate forecast."""
        from ...plotting.forecast import forecast_bars

        return forecast_bars(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        parts = ", ".join(f"{r.side} {r.probability:.0%}" for r in self.table.itertuples())
        return f"ForecastResult(at {self.at.date()}, next {self.horizon_days} days: {parts})"
