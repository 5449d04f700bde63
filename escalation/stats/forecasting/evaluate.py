"""Are the forecasts worth anything? Rolling-origin evaluation against plain forecasts, with proper scores.

At each origin (every ``step``, default the horizon, so the forecasts do not overlap), the Hawkes model is
fitted to the events before it and forecasts each side's actions in the horizon (:func:`forecast`'s
machinery, without the intervals); two plain forecasts stand beside it:

- **recent rate**: the side's rate over the last ``recent`` days (28), Poisson over the horizon;
- **season**: the side's rate over the last 365 days, times how much busier the same weeks of the calendar
  (the horizon widened by two weeks each side) were than the rest of the year in the earlier whole years
  (missing with fewer than two of them).

Every forecast is then scored against what happened (:mod:`._scores`): the Brier and log scores of "at least
one action", the ranked probability score of the count. The summary gives each forecaster's mean scores per
side, the model's Brier skill over the recent rate (``1 - Brier / Brier_recent``) and the Diebold-Mariano
p-value of the difference; the model is said to beat the plain forecast only when that p-value is below
``alpha``. The reliability table bins the "at least one" probabilities and puts beside each bin's observed
share the range a calibrated forecaster's share would fall in (Monte Carlo: outcomes drawn from the
forecasts themselves; Bröcker & Smith 2007).

No forecast sees the future: each fit uses the events dated before its origin only. The decay is estimated
at the first origin (from the events before it) and held afterwards unless ``decay`` fixes it, which keeps
the evaluation's cost at a few fits per origin; the background's tide and the excitation are refitted at
every origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..._core.dates import parse_day
from ..._core.levels import LEVEL
from ..._core.result import Result
from ..._core.time import UNIT_DAYS
from ..._core.vocabulary import renamed_keywords
from ...errors import DataError, UsageError
from ...events.table import Events
from ...io._coerce import as_events
from ._ahead import expected_counts, simulate_counts, start_of
from ._scores import brier, counts_cdf, diebold_mariano, log_score, poisson_cdf, rps
from .predict import MIN_HISTORY, covered_until, fit_before, horizon_days, observed_counts, per_side, recent_rate

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FORECASTERS = ("model", "recent rate", "season")
#: Bins of the reliability table (equal widths of the probability).
RELIABILITY_BINS = 10
SEASON_WIDEN_DAYS = 14


@renamed_keywords(start="first_origin", end="last_origin")
def evaluate_forecasts(
    events: Events | pd.DataFrame,
    horizon: str | pd.Timedelta | float = "7D",
    *,
    first_origin: str | pd.Timestamp | None = None,
    last_origin: str | pd.Timestamp | None = None,
    before: str | pd.Timestamp | None = None,
    step: str | pd.Timedelta | float | None = None,
    origins: int = 52,
    sides: Mapping[str, str] | str | None = None,
    recent: str | pd.Timedelta | float = "28D",
    alpha: float = LEVEL,
    draws: int = 1000,
    seed: int = 0,
    tide: str | pd.Timedelta | float | None = None,
    background: str | None = "tide",
    decay: float | None = None,
) -> ForecastEvaluation:
    """Forecasts made in turn from many origins, scored against what happened and against plain forecasts.

    Parameters
    ----------
    events : Events or DataFrame
    horizon : str, Timedelta or float
        Whole days ahead of each origin.
    first_origin, last_origin : date, optional
        The first and last origin. Default: the last ``origins`` origins whose horizon the data cover. (Before
        0.2: ``start`` and ``end``, which elsewhere bound the observed period; the old names still work for a
        release.)
    before : date, optional
        Only origins whose horizon ends before this day (the forecasts a forecaster on that day could have
        scored: :func:`escalation.forecast`'s ``at``).
    step : str, Timedelta or float, optional
        Days between origins (default: the horizon).
    origins : int
        How many origins at most when ``first_origin`` is not given.
    sides, recent, alpha, draws, seed, tide, background, decay
        As in :func:`escalation.forecast`; ``decay`` default: estimated at the first origin, then held.

    Returns
    -------
    ForecastEvaluation
        ``.summary()`` (one row per side and forecaster), ``.to_frame()`` (one row per origin and side),
        ``.reliability()``, ``.plot()``.

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation.stats.hawkes import simulate_daily
    >>> sim = simulate_daily([0.2, 0.2], [[0.3, 0.3], [0.3, 0.3]], decay=0.5, days=600, seed=1)
    >>> scores = esc.evaluate_forecasts(sim, origins=10, draws=200)
    >>> sorted(scores.summary()["forecaster"].unique())
    ['model', 'recent rate', 'season']
    """
    if not 0 < alpha < 1:
        raise UsageError(f"alpha must be between 0 and 1, got {alpha}")
    if draws < 100 or origins < 1:
        raise UsageError(f"draws must be at least 100 and origins at least 1, got {draws}, {origins}")
    ev = as_events(events, sides=sides)
    days = horizon_days(horizon)
    every = days if step is None else horizon_days(step)
    recent_days = horizon_days(recent)
    if before is not None:
        last = parse_day(before, "before") - pd.Timedelta(days=days)
        last_origin = last if last_origin is None else min(parse_day(last_origin, "last_origin"), last)
    plan = _origins(ev, days, every, origins, first_origin, last_origin)
    rng = np.random.default_rng(seed)
    rows: list[pd.DataFrame] = []
    held = decay
    for at in plan:
        fit = fit_before(ev, at, tide=tide, background=background, decay=held)
        held = fit.decay if held is None else held
        rows.append(_one_origin(ev, fit, at, days, recent_days, draws, rng))
    table = pd.concat(rows, ignore_index=True)
    options = {"horizon": f"{days}D", "step": f"{every}D", "recent": f"{recent_days}D", "alpha": alpha,
               "draws": draws, "seed": seed, "decay": held, "decay_estimated_at": None if decay is not None
               else str(plan[0].date())}  # fmt: skip
    return ForecastEvaluation(table=table, options=options, all_sides=ev.palette(), seed=seed)


def _origins(ev: Events, days: int, every: int, count: int, start: Any, end: Any) -> list[pd.Timestamp]:
    f = ev.frame
    last = covered_until(ev) + pd.Timedelta(days=1) - pd.Timedelta(days=days)  # the horizon still covered
    stop = last if end is None else min(parse_day(end, "last_origin"), last)
    dates = np.sort(f["date"].to_numpy())
    earliest = pd.Timestamp(dates[min(MIN_HISTORY, len(dates) - 1)]).normalize() + pd.Timedelta(days=1)
    if start is not None:
        first = max(parse_day(start, "first_origin"), earliest)
        plan = list(pd.date_range(first, stop, freq=f"{every}D"))
    else:
        plan = list(pd.date_range(end=stop, periods=count, freq=f"{every}D"))
        plan = [p for p in plan if p >= earliest]
    if not plan:
        raise DataError(f"no origin has both {MIN_HISTORY} earlier events and {days} days of data after it")
    return plan


def _season_factor(ev: Events, sides: list[str], at: pd.Timestamp, days: int) -> np.ndarray:
    """How much busier the weeks of the horizon were than the whole year, in the earlier whole years."""
    f = ev.frame
    earlier = f["date"] < at - pd.Timedelta(days=365)
    years = int((at - pd.Timedelta(days=365) - f["date"].min()).days // 365)
    if years < 2:
        return np.full(len(sides), np.nan)
    offset = ((f["date"] - at).dt.days % 365 + SEASON_WIDEN_DAYS) % 365  # days into the widened window
    window = per_side(ev, earlier & (offset < days + 2 * SEASON_WIDEN_DAYS), sides)
    whole = per_side(ev, earlier, sides)
    share = (days + 2 * SEASON_WIDEN_DAYS) / 365
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, window / (whole * share), 1.0)


def _one_origin(ev: Events, fit: Any, at: pd.Timestamp, days: int, recent_days: int, draws: int,
                rng: np.random.Generator) -> pd.DataFrame:  # fmt: skip
    sides = fit.sides
    start = start_of(fit)
    steps = days / UNIT_DAYS[fit.data.time_unit]
    counts = simulate_counts(start, steps, draws, rng, np.zeros(draws, np.int64))
    y = observed_counts(ev, sides, at, days)
    assert y is not None  # the origins are chosen so that the data cover every horizon
    y = y.astype(np.int64)
    recent_mean = recent_rate(ev, sides, at, recent_days) * days
    last_year = recent_rate(ev, sides, at, 365) * days
    season_mean = last_year * _season_factor(ev, sides, at, days)
    width = int(max(counts.max(), y.max(), 1)) + 2
    model_cdf = counts_cdf(counts.T, width)
    out = pd.DataFrame({"origin": at, "side": sides, "observed": y, "acted": y > 0,
                        "expected_model": expected_counts(start, steps)[0], "expected_recent rate": recent_mean,
                        "expected_season": season_mean, "p_model": (counts > 0).mean(axis=0),
                        "p_recent rate": -np.expm1(-recent_mean), "p_season": -np.expm1(-season_mean)})  # fmt: skip
    out["rps_model"] = rps(model_cdf, y)
    for name, mean in (("recent rate", recent_mean), ("season", season_mean)):
        w = int(max(width, np.nanmax(sps.poisson.ppf(1 - 1e-9, np.nan_to_num(mean))) + 2))
        out[f"rps_{name}"] = np.where(np.isfinite(mean), rps(poisson_cdf(np.nan_to_num(mean), w), y), np.nan)
    acted = y > 0
    for name in FORECASTERS:
        p = out[f"p_{name}"].to_numpy(float)
        out[f"brier_{name}"] = brier(p, acted)
        out[f"log_{name}"] = np.where(np.isfinite(p), log_score(np.nan_to_num(p), acted), np.nan)
    return out


@dataclass(frozen=True, repr=False, eq=False)
class ForecastEvaluation(Result):
    """Forecasts from many origins, scored. ``to_frame()``: one row per origin and side."""

    table: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    all_sides: dict[str, str | None] = field(default_factory=dict)  # the data's palette (Events.palette)
    seed: int = 0

    def summary(self) -> pd.DataFrame:
        """One row per side and forecaster: ``side, forecaster, origins, share_acted`` (of the origins after
        which the side acted), mean ``brier``, ``log_score`` and ``rps``; for the model, ``brier_skill`` over
        the recent rate, the Diebold-Mariano ``pvalue`` of the Brier difference and a ``verdict``."""
        alpha = float(self.options.get("alpha", LEVEL))
        rows = []
        for side, part in self.table.groupby("side", sort=False):
            for name in FORECASTERS:
                b = part[f"brier_{name}"]
                row: dict[str, Any] = {"side": side, "forecaster": name, "origins": int(b.notna().sum()),
                                       "share_acted": float(part["acted"].mean()), "brier": b.mean(),
                                       "log_score": part[f"log_{name}"].mean(), "rps": part[f"rps_{name}"].mean(),
                                       "brier_skill": np.nan, "pvalue": np.nan, "verdict": ""}  # fmt: skip
                if name == "model":
                    ref = part["brier_recent rate"].mean()
                    row["brier_skill"] = 1 - b.mean() / ref if ref > 0 else np.nan
                    diff, _se, p = diebold_mariano(b.to_numpy(), part["brier_recent rate"].to_numpy())
                    row["pvalue"] = p
                    row["verdict"] = _verdict(diff, p, alpha)
                rows.append(row)
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def reliability(self, forecaster: str = "model", bins: int = RELIABILITY_BINS, draws: int = 2000) -> pd.DataFrame:
        """The "at least one action" forecasts of every side pooled and binned by probability: ``bin_lower,
        bin_upper, forecasts, mean_probability, observed_share``, and ``band_lower, band_upper``: the 95% range of
        the observed share if the forecasts were calibrated (outcomes drawn from them, ``draws`` times)."""
        if forecaster not in FORECASTERS:
            raise UsageError(f"forecaster must be one of {', '.join(FORECASTERS)}, got {forecaster!r}")
        p = self.table[f"p_{forecaster}"].to_numpy(float)
        y = self.table["acted"].to_numpy(bool)
        keep = np.isfinite(p)
        p, y = p[keep], y[keep]
        edges = np.linspace(0, 1, bins + 1)
        which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
        rng = np.random.default_rng(self.seed)
        fake = rng.random((draws, len(p))) < p[None, :]
        rows = []
        for b in np.unique(which):
            mine = which == b
            shares = fake[:, mine].mean(axis=1)
            rows.append({"bin_lower": edges[b], "bin_upper": edges[b + 1], "forecasts": int(mine.sum()),
                         "mean_probability": float(p[mine].mean()), "observed_share": float(y[mine].mean()),
                         "band_lower": float(np.quantile(shares, 0.025)),
                         "band_upper": float(np.quantile(shares, 0.975))})  # fmt: skip
        return pd.DataFrame(rows)

    def settings(self) -> dict[str, Any]:
        return dict(self.options)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The reliability diagram of the model and the recent rate, with the calibrated band."""
        from ...plotting.forecast import reliability_diagram

        return reliability_diagram(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        origins = self.table["origin"]
        return (f"ForecastEvaluation({origins.nunique()} origins from {origins.min().date()} to "
                f"{origins.max().date()}, horizon {self.options.get('horizon')})")  # fmt: skip


def _verdict(diff: float, pvalue: float, alpha: float) -> str:
    if not np.isfinite(pvalue):
        return "cannot tell"
    if pvalue < alpha:
        return "beats the recent rate" if diff < 0 else "worse than the recent rate"
    return "no better than the recent rate"
