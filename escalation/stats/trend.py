"""Is it spiralling? A trend test on monthly series that holds its size when the series are persistent.

Conflict intensity wanders: a bad month is followed by bad months. An ordinary regression of monthly counts
on time, or a Poisson model with a time term, then finds "trends" in most stretches of a trendless but
persistent series (on simulated persistent counts of two to five years, a Newey-West HAC test rejected
9-28% of 5% tests, a quasi-Poisson model with lagged counts 4-20%: ``benchmarks/trend_size.py`` has the
setting). The test here is the fixed-b HAC t-test of
Kiefer, Vogelsang & Bunzel (2000) with the Bartlett kernel and a bandwidth equal to the sample, which Bunzel &
Vogelsang (2005, JBES 23:4) recommend for trend slopes under strong serial correlation: the slope of
``log(1 + monthly rate)`` on time, divided by a standard error built from partial sums of the residuals. Its
null distribution is not normal; we simulate it at the series' own time points (9,999 white-noise series,
fixed seed), so the p-value is exact for white noise; how far it holds for persistent series is measured:

Measured size at 5% (``benchmarks/trend_size.py``, 1,000 series a cell; negative-binomial counts on a
latent AR(1) log-intensity with monthly autocorrelation phi, no trend):

=========  =========  =========  =========  =========
months     phi 0      phi 0.5    phi 0.8    phi 0.9
=========  =========  =========  =========  =========
24         5.2-5.4%   6.0-6.3%   8.3-11%    11-14%
60         4.6-5.3%   4.3-6.6%   6.5-7.8%   10-13%
276        5.1%       4.8-4.9%   5.5-6.4%   6.9-7.4%
=========  =========  =========  =========  =========

The ``rank`` measure (months without events left out) rejects 3.9-10.5% on 24-60 months and 5.0-5.2% on 276.
So on a few years of strongly persistent data a p-value just under 0.05 is weak evidence; the report says
so (:data:`SHORT_MONTHS`). Power: an intensity rising 1.5-fold a year is found in 14% of 24-month series
and 78% of 60-month ones (phi 0.5, 5 events a month). Two years rarely show a trend that is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.levels import LEVEL
from .._core.result import Result
from .._core.threads import one_blas_thread
from .._core.vocabulary import choice
from ..errors import DataError
from ..events.ladder import Ladder, event_ranks

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.table import Events

MEASURES = ("events", "fatalities", "rank")
#: A series needs this many months (with data, for ``rank``) before its trend is tested.
MIN_MONTHS = 12
#: The series of every side together, tested beside each side's own.
ALL_SIDES = "all sides"
#: Below this many months the test can reject a trendless persistent series up to 14% of the time at 5%.
SHORT_MONTHS = 120
_NULL_DRAWS = 9_999
_MONTH_DAYS = 365.25 / 12


def kvb_statistic(y: np.ndarray, t: np.ndarray) -> tuple[float, float, float]:
    """(intercept, slope, t*) of ``y`` on ``t`` with the fixed-b Bartlett (b = 1) standard error.

    ``t*`` is the slope over ``sqrt(Q^-1 Omega Q^-1)`` where ``Omega = T^-2 sum_t S_t S_t'`` and ``S_t`` are
    the partial sums of ``x_s u_s`` (Kiefer, Vogelsang & Bunzel 2000); it equals ``sqrt(2)`` times the
    t-value from a Bartlett-kernel HAC covariance with ``T - 1`` lags (tested against statsmodels).
    """
    stats = _kvb_many(np.asarray(y, dtype=float)[None, :], np.asarray(t, dtype=float))
    return float(stats[0][0]), float(stats[1][0]), float(stats[2][0])


def _kvb_many(values: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`kvb_statistic` for each row of ``values`` (vectorised over rows: the null draws)."""
    n = values.shape[1]
    x = np.column_stack([np.ones(n), t])
    q_inv = np.linalg.inv(x.T @ x)
    coef = values @ x @ q_inv  # rows x 2
    resid = values - coef @ x.T
    s1, s2 = np.cumsum(resid, axis=1), np.cumsum(resid * t, axis=1)
    o11, o12, o22 = (s1 * s1).sum(1), (s1 * s2).sum(1), (s2 * s2).sum(1)
    a0, a1 = q_inv[1]
    # Q^-1 (T Omega) Q^-1 for the slope, with Omega = T^-2 sum S S': the T's leave one 1/T.
    variance = (a0 * a0 * o11 + 2 * a0 * a1 * o12 + a1 * a1 * o22) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = coef[:, 1] / np.sqrt(variance)
    return coef[:, 0], coef[:, 1], tstat


def kvb_pvalue(statistic: float, t: np.ndarray, draws: int = _NULL_DRAWS, seed: int = 0) -> float:
    """Two-sided p-value of ``t*`` against its distribution for white noise at the same time points."""
    if not np.isfinite(statistic):
        return float("nan")
    null = _null_abs(np.asarray(t, dtype=float).tobytes(), draws, seed)
    exceed = len(null) - int(np.searchsorted(null, abs(statistic), side="left"))
    return (1 + exceed) / (draws + 1)


@lru_cache(maxsize=32)
def _null_abs(t_bytes: bytes, draws: int, seed: int) -> np.ndarray:
    """Sorted ``|t*|`` of ``draws`` white-noise series at the time points ``t`` (cached: every series and
    measure of one dataset shares its months)."""
    t = np.frombuffer(t_bytes, dtype=float)
    rng = np.random.default_rng(seed)
    parts = []
    for start in range(0, draws, 2_000):  # chunks: a 23-year monthly series times 9,999 draws stays small
        size = min(2_000, draws - start)
        parts.append(np.abs(_kvb_many(rng.standard_normal((size, len(t))), t)[2]))
    return np.sort(np.concatenate(parts))


def _years(months: pd.Series, origin: pd.Timestamp | None = None) -> np.ndarray:
    """Years since ``origin``'s month (default: the first month): 0, 1/12, ... from the periods' ordinals."""
    ordinal = pd.PeriodIndex(months).asi8.astype(float)
    first = ordinal[0] if origin is None else pd.Period(origin, freq="M").ordinal
    return (ordinal - first) / 12


def monthly_series(events: Events, measure: str = "events", ladder: Ladder | None = None) -> pd.DataFrame:
    """One row per calendar month and acting side (and ``"all sides"``): the monthly value to test.

    ``events`` and ``fatalities`` (known deaths) are rates per month of coverage (the first and last months are
    often covered only in part: 24 days of September count as 24 days, not a whole month); ``rank`` is the mean
    ladder rank of the month's ranked events, missing in months without any.
    """
    measure = choice(measure, MEASURES, "measure")
    f = events.frame
    if not len(f):
        raise DataError("no events: nothing to test for a trend")
    start, end = f["date"].min().normalize(), f["date"].max().normalize()
    months = pd.period_range(start, end, freq="M")
    first_day = months.to_timestamp()
    last_day = (months + 1).to_timestamp() - pd.Timedelta(days=1)
    covered = (last_day.where(last_day < end, end) - first_day.where(first_day > start, start)).days + 1
    exposure = pd.Series(np.asarray(covered, dtype=float) / _MONTH_DAYS, index=months)
    month = f["date"].dt.to_period("M")
    side = f["actor_side"].astype(str)
    if measure == "events":
        value = pd.Series(1.0, index=f.index)
    elif measure == "fatalities":
        value = f["fatalities"].astype("float64")
    else:
        value = event_ranks(f, ladder)
    rows = []
    for name, mask in [(ALL_SIDES, np.ones(len(f), dtype=bool)), *((s, (side == s).to_numpy())
                                                                     for s in sorted(side.unique()))]:  # fmt: skip
        v = value[mask]
        if measure == "rank":
            per_month = v.groupby(month[mask]).mean().reindex(months)
        else:
            per_month = v.fillna(0).groupby(month[mask]).sum().reindex(months, fill_value=0.0) / exposure
        rows.append(pd.DataFrame({"series": name, "month": months, "value": per_month.to_numpy(dtype=float),
                                  "n_events": v.groupby(month[mask]).size().reindex(months, fill_value=0)
                                  .to_numpy()}))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


@one_blas_thread
def trend(
    events: Events | pd.DataFrame,
    *,
    measures: tuple[str, ...] = ("events", "rank"),
    ladder: Ladder | None = None,
    min_events: int = 10,
    seed: int = 0,
) -> TrendResult:
    """Test whether each side's monthly activity (and all sides together) trends up or down over the data.

    For each series and measure: the slope of ``log(1 + value)`` on time in years (``events``, ``fatalities``:
    monthly rates; ``rank``: the month's mean ladder rank, so ``log(1 + rank)``), its fixed-b HAC statistic
    and p-value (see the module docstring), and the fitted level at the start and the end. A side with fewer
    than ``min_events`` events, or a series with fewer than 12 months, is left out and listed.

    Examples
    --------
    >>> import escalation as esc
    >>> res = esc.trend(esc.datasets.load_iraq_2019_2021())
    >>> res.to_frame()[["series", "measure"]].head(2).values.tolist()
    [['all sides', 'events'], ['all sides', 'rank']]
    """
    from ..io._coerce import as_events

    events = as_events(events)  # a DataFrame is validated as by read_events, as everywhere else
    named = []
    for m in measures:  # not a generator, whose frame would stand between: the caller is trend's wrapper's caller
        named.append(choice(m, MEASURES, "measures", stacklevel=4))
    measures = tuple(named)
    counts = events.frame["actor_side"].astype(str).value_counts()
    series = {m: monthly_series(events, m, ladder) for m in measures}
    rows, skipped, times, longest = [], [], {}, 0
    for name in [ALL_SIDES, *sorted(counts.index)]:
        if name != ALL_SIDES and counts[name] < min_events:
            skipped.append(f"{name} ({counts[name]} events)")
            continue
        for measure in measures:
            s = series[measure]
            s = s[(s["series"] == name) & s["value"].notna()]
            if len(s) < MIN_MONTHS:
                skipped.append(f"{name}, {measure} ({len(s)} months with data)")
                longest = max(longest, len(s))
                continue
            years = _years(s["month"])
            y = np.log1p(s["value"].to_numpy(dtype=float))
            intercept, slope, stat = kvb_statistic(y, years)
            p = kvb_pvalue(stat, years, seed=seed)
            times[(name, measure)] = years
            rows.append({
                "series": name, "measure": measure, "months": len(s), "events": int(s["n_events"].sum()),
                "start": s["month"].iloc[0].start_time, "end": s["month"].iloc[-1].end_time.normalize(),
                "fitted_start": max(float(np.expm1(intercept)), 0.0),
                "fitted_end": max(float(np.expm1(intercept + slope * years[-1])), 0.0),
                "intercept": intercept, "slope_per_year": slope, "statistic": stat, "pvalue": p,
                "direction": "up" if p < LEVEL and slope > 0 else "down" if p < LEVEL else "no trend shown",
            })  # fmt: skip
    if not rows:
        raise DataError(
            f"no series long enough to test for a trend: the longest has {longest} months with data, and the test "
            f"needs {MIN_MONTHS}"
        )
    return TrendResult(table=pd.DataFrame(rows), series=series, times=times, skipped=skipped, min_events=min_events,
                       seed=seed, all_sides=events.palette())  # fmt: skip


@dataclass(frozen=True, repr=False, eq=False)
class TrendResult(Result):
    """Trend tests per series and measure (one row each): slope, fixed-b statistic, p-value, direction.
    ``all_sides`` is the data's palette (every side, with the colours a sides file fixes), so that a side has
    the same colour here as in every other figure of the data."""

    table: pd.DataFrame
    series: dict[str, pd.DataFrame]
    times: dict[tuple[str, str], np.ndarray]
    skipped: list[str]
    min_events: int
    seed: int
    all_sides: dict[str, str | None] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<TrendResult: {len(self.table)} tests, {int((self.table['pvalue'] < LEVEL).sum())} at p < {LEVEL:g}>"

    def summary(self) -> pd.DataFrame:
        """One row per test: what, over which months, the fitted level at both ends, p-value, direction."""
        cols = ["series", "measure", "months", "events", "fitted_start", "fitted_end", "pvalue", "direction"]
        return self.table[cols].copy()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def settings(self) -> dict[str, Any]:
        return {"min_events": self.min_events, "seed": self.seed, "null_draws": _NULL_DRAWS,
                "test": "fixed-b HAC (Bartlett, b = 1) t-test of the slope of log(1 + monthly value)"}  # fmt: skip

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Intervals of each slope (per year, on the log(1 + value) scale) from the fixed-b null quantile."""
        level = LEVEL if alpha is None else alpha
        out = self.table[["series", "measure", "slope_per_year"]].copy()
        se = self.table["slope_per_year"] / self.table["statistic"]
        crit = []
        for key in zip(self.table["series"].astype(str), self.table["measure"].astype(str), strict=True):
            null = _null_abs(self.times[key].tobytes(), _NULL_DRAWS, self.seed)
            crit.append(float(np.quantile(null, 1 - level)))
        out["lower"] = out["slope_per_year"] - np.asarray(crit) * se.abs()
        out["upper"] = out["slope_per_year"] + np.asarray(crit) * se.abs()
        return out

    @cached_property
    def verdicts(self) -> pd.Series:
        """``up``, ``down`` or ``no trend shown`` per (series, measure)."""
        return self.table.set_index(["series", "measure"])["direction"]

    def lines(self, measure: str = "events") -> list[tuple[str, pd.Series, pd.Series, np.ndarray | None]]:
        """Per side (not "all sides"): the months (as timestamps), the monthly values of ``measure`` and the
        fitted trend (None where the side was not tested): what :func:`escalation.plotting.trend_lines` draws."""
        measure = choice(measure, tuple(self.series), "measure")
        data = self.series[measure]
        tested = self.table[self.table["measure"] == measure].set_index("series")
        out = []
        for name in [n for n in data["series"].unique() if n != ALL_SIDES]:
            s = data[data["series"] == name]
            fitted = None
            if name in tested.index:
                row = tested.loc[name]
                # Years from the first month tested (for ``rank``, the first with ranked events), as in the fit.
                years = _years(s["month"], origin=row["start"])
                fitted = np.clip(np.expm1(float(row["intercept"]) + float(row["slope_per_year"]) * years), 0, None)
            out.append((str(name), s["month"].dt.to_timestamp(), s["value"], fitted))
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Each side's monthly series and its fitted trend (dashed), one colour per side
        (:func:`escalation.plotting.trend_lines`; keywords ``measure``, ``all_sides``, ``title``)."""
        from ..plotting import trend_lines

        return trend_lines(self, ax=ax, **kwargs)
