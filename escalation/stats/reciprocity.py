"""Reciprocity (tit-for-tat) on counts: VAR, Granger tests, impulse responses and count models.

One series per side *as actor*: the sum of fatalities (or the number of
events) it caused per period, zero-filled from the first to the last period of
the data. A vector autoregression (statsmodels ``VAR``) with the lag order
chosen by AIC (or fixed) gives Granger F-tests in both directions and impulse
responses with asymptotic bands. Because conflict counts are sparse and
overdispersed, the same question is also asked with count models: a Poisson
and a negative-binomial regression (statsmodels) of each side's count on the
lagged counts of every side, with a Wald test that the other side's lags are
all zero. This is the design of the daily-series studies of the
Israeli-Palestinian conflict (Jaeger & Paserman 2008; Haushofer, Biletzki &
Kanwisher 2010).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from ..events import Events, as_events

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_LAGS = {"D": 14, "W": 8, "M": 6}
IRF_PERIODS = {"D": 14, "W": 8, "M": 6}
_UNIT = {"D": "day", "W": "week", "M": "month"}
TEST_COLUMNS = ["model", "cause", "effect", "lags", "statistic", "df", "pvalue", "response"]


def side_series(
    events: Events | pd.DataFrame,
    *,
    freq: str = "D",
    measure: str = "fatalities",
    sides: Mapping[str, str] | str | None = None,
) -> pd.DataFrame:
    """Counts per period (rows) and side as actor (columns), zero-filled over the data's span.

    Examples
    --------
    >>> import escalation as esc
    >>> s = side_series(esc.datasets.load_iraq_2019_2021(), freq="M", measure="events")
    >>> int(s.to_numpy().sum())
    46
    """
    if freq not in MAX_LAGS:
        raise UsageError(f"freq must be one of {', '.join(MAX_LAGS)}, got {freq!r}")
    if measure not in ("fatalities", "events"):
        raise UsageError(f"measure must be 'fatalities' or 'events', got {measure!r}")
    f = as_events(events, sides=sides).frame
    if f.empty:
        raise DataError("no events to count")
    period = f["date"].dt.to_period(freq)
    values = f["fatalities"].fillna(0).astype("float64") if measure == "fatalities" else pd.Series(1.0, f.index)
    table = values.groupby([period, f["actor_side"].astype(str)]).sum().unstack(fill_value=0)
    full = pd.period_range(period.min(), period.max(), freq=freq)
    table = table.reindex(full, fill_value=0.0)
    table.index.name = "period"
    table.columns.name = "side"
    return table


def reciprocity(
    events: Events | pd.DataFrame,
    *,
    freq: str = "D",
    lags: int | None = None,
    max_lags: int | None = None,
    measure: str = "fatalities",
    sides: Mapping[str, str] | str | None = None,
    irf_periods: int | None = None,
    alpha: float = 0.05,
    count_models: bool = True,
    min_active_periods: int = 5,
) -> ReciprocityResult:
    """Does each side's violence follow the other's? VAR + Granger + impulse responses + count models.

    Parameters
    ----------
    events : Events or DataFrame
    freq : {"D", "W", "M"}
        Period of the series.
    lags : int, optional
        Fixed lag order; default: chosen by AIC up to ``max_lags`` (at least 1).
    max_lags : int, optional
        Upper bound for AIC (default 14 days, 8 weeks or 6 months).
    measure : {"fatalities", "events"}
        What is counted per side and period (unknown fatalities count as 0).
    sides : dict or path, optional
    irf_periods : int, optional
        Horizon of the impulse responses (default 14 days, 8 weeks, 6 months).
    alpha : float
        1 - confidence level of the impulse-response bands.
    count_models : bool
        Also fit the Poisson and negative-binomial models.
    min_active_periods : int
        Sides with a non-zero count in fewer periods are left out (listed in ``dropped_sides``).

    Returns
    -------
    ReciprocityResult

    Examples
    --------
    >>> import escalation as esc
    >>> r = esc.reciprocity(esc.datasets.load_iraq_2019_2021(), freq="W", measure="events", lags=1)
    >>> sorted(r.tests["model"].unique())
    ['negbin', 'poisson', 'var-granger']
    """
    from statsmodels.tsa.api import VAR

    series = side_series(events, freq=freq, measure=measure, sides=sides)
    # A side active in only a handful of periods has no dynamics to estimate
    # (and makes the residual covariance singular): leave it out, and say so.
    active = (series > 0).sum()
    kept = active.index[active >= min_active_periods]
    dropped = [c for c in series.columns if c not in kept]
    if len(kept) < 2:
        raise DataError(
            f"reciprocity needs at least two sides with {measure} in {min_active_periods} or more "
            f"periods; active periods per side: {active.to_dict()}"
        )
    series = series[kept]
    upper = max_lags or MAX_LAGS[freq]
    # Enough observations for every equation: k * p + 1 parameters each.
    upper = max(1, min(upper, (len(series) - 1) // (len(kept) + 1) - 1))
    if lags is not None and lags < 1:
        raise UsageError(f"lags must be at least 1, got {lags}")
    most = (len(series) - 1) // (len(kept) + 1) - 1  # each equation has k * p + 1 parameters
    if lags is not None and lags > most:
        raise UsageError(
            f"lags {lags} is too many for {len(series)} periods of {len(kept)} series: at most {max(most, 0)} "
            "can be estimated (use fewer lags, a finer freq or a longer period)"
        )
    model = VAR(series.to_timestamp())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about frequency inference on period indexes
        order = lags if lags is not None else _aic_order(model, upper)
        try:
            fitted = model.fit(order, trend="c")
        except np.linalg.LinAlgError:
            raise DataError(
                f"the VAR({order}) cannot be estimated: the series of {', '.join(kept)} are too sparse "
                "or collinear; try a coarser freq (W or M) or measure='events'"
            ) from None
    horizon = irf_periods or IRF_PERIODS[freq]
    irf = fitted.irf(horizon)
    return ReciprocityResult(
        series=series,
        var=fitted,
        irfs=irf.irfs.copy(),
        irf_stderr=irf.stderr(orth=False).copy(),
        lags=order,
        lags_chosen_by="aic" if lags is None else "fixed",
        dropped_sides=dropped,
        freq=freq,
        measure=measure,
        alpha=alpha,
        count_models=count_models,
    )


@dataclass(frozen=True)
class _Row:
    cause: str
    effect: str
    statistic: float
    pvalue: float
    response: float


def possessive(name: str) -> str:
    """``"Israel's"``, ``"Palestinians'"``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _aic_order(model: Any, upper: int) -> int:
    """Lag order by AIC, at least 1; lowers the ceiling while high orders are singular."""
    while upper >= 1:
        try:
            return max(1, int(model.select_order(upper).selected_orders["aic"]))
        except np.linalg.LinAlgError:
            upper -= 1
    return 1


def _lagged(series: pd.DataFrame, lags: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(targets, design) with a constant and ``lags`` lags of every column."""
    parts = {f"{c}.L{lag}": series[c].shift(lag) for lag in range(1, lags + 1) for c in series.columns}
    design = pd.DataFrame(parts).iloc[lags:]
    design.insert(0, "const", 1.0)
    return series.iloc[lags:], design


def count_model_tests(series: pd.DataFrame, lags: int) -> pd.DataFrame:
    """Poisson and negative-binomial Wald tests that a cause's lags do not predict an effect.

    ``response`` is the sum of the cause's lag coefficients: ``exp(response)`` is
    the multiplicative change in the effect's expected count after one more
    unit of the cause in each of the previous ``lags`` periods.
    """
    import statsmodels.api as sm

    y, x = _lagged(series, lags)
    rows = []
    for effect in series.columns:
        target = y[effect].to_numpy()
        fits: dict[str, Any] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on sparse series; checked below
            fits["poisson"] = sm.GLM(target, x, family=sm.families.Poisson()).fit()
            try:
                fits["negbin"] = sm.NegativeBinomial(target, x).fit(disp=0, maxiter=200)
            except (np.linalg.LinAlgError, ValueError):
                fits["negbin"] = None
        for name, fit in fits.items():
            for cause in series.columns:
                if cause == effect:
                    continue
                terms = [f"{cause}.L{lag}" for lag in range(1, lags + 1)]
                if fit is None:
                    rows.append([name, cause, effect, lags, np.nan, lags, np.nan, np.nan])
                    continue
                names = list(fit.params.index) if hasattr(fit.params, "index") else list(x.columns)
                r = np.zeros((len(terms), len(names)))
                for i, term in enumerate(terms):
                    r[i, names.index(term)] = 1.0
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        wald = fit.wald_test(r, scalar=True)
                    except (ValueError, np.linalg.LinAlgError):  # no usable covariance: a degenerate fit
                        rows.append([name, cause, effect, lags, np.nan, lags, np.nan, np.nan])
                        continue
                params = pd.Series(np.asarray(fit.params), index=names)
                rows.append(
                    [name, cause, effect, lags, float(wald.statistic), len(terms), float(wald.pvalue),
                     float(params[terms].sum())]
                )  # fmt: skip
    return pd.DataFrame(rows, columns=TEST_COLUMNS)


@dataclass(frozen=True, repr=False, eq=False)
class ReciprocityResult:
    """VAR, Granger tests, impulse responses and count models of per-side series.

    Attributes
    ----------
    series : DataFrame
        Periods x sides, the counts analysed.
    var : statsmodels VARResults
    irfs, irf_stderr : ndarray
        ``[horizon, response, impulse]`` impulse responses (not orthogonalised) and their asymptotic errors.
    lags : int
        The lag order used; ``lags_chosen_by`` says "aic" or "fixed".
    """

    series: pd.DataFrame
    var: Any
    irfs: np.ndarray
    irf_stderr: np.ndarray
    lags: int
    lags_chosen_by: str
    freq: str
    measure: str
    alpha: float = 0.05
    count_models: bool = True
    dropped_sides: list[str] = field(default_factory=list)

    @cached_property
    def granger(self) -> pd.DataFrame:
        """VAR Granger F-tests, both directions for every pair of sides."""
        rows = []
        sides = list(self.series.columns)
        horizon = self.irfs.shape[0] - 1
        for cause in sides:
            for effect in sides:
                if cause == effect:
                    continue
                test = self.var.test_causality(caused=effect, causing=cause, kind="f")
                response = float(self.irfs[1:, sides.index(effect), sides.index(cause)].sum())
                rows.append(["var-granger", cause, effect, self.lags, float(test.test_statistic),
                             f"{test.df[0]},{test.df[1]}", float(test.pvalue), response])  # fmt: skip
        out = pd.DataFrame(rows, columns=TEST_COLUMNS)
        out.attrs["irf_horizon"] = horizon
        return out

    @cached_property
    def tests(self) -> pd.DataFrame:
        """All tests in one tidy table: ``model, cause, effect, lags, statistic, df, pvalue, response``.

        ``response`` is the cumulative impulse response over the horizon (VAR) or
        the sum of the cause's lag coefficients on the log scale (count models).
        """
        parts = [self.granger]
        if self.count_models:
            counts = count_model_tests(self.series, self.lags)
            counts["df"] = counts["df"].astype(str)
            parts.append(counts)
        return pd.concat(parts, ignore_index=True)

    @property
    def summary(self) -> pd.DataFrame:
        """Alias of :attr:`tests`."""
        return self.tests

    @cached_property
    def irf_table(self) -> pd.DataFrame:
        """Tidy impulse responses: ``cause, effect, horizon, response, lower, upper``."""
        from scipy.stats import norm

        z = norm.ppf(1 - self.alpha / 2)
        sides = list(self.series.columns)
        rows = []
        for i, effect in enumerate(sides):
            for j, cause in enumerate(sides):
                for h in range(self.irfs.shape[0]):
                    v, se = self.irfs[h, i, j], self.irf_stderr[h, i, j]
                    rows.append([cause, effect, h, v, v - z * se, v + z * se])
        return pd.DataFrame(rows, columns=["cause", "effect", "horizon", "response", "lower", "upper"])

    def sentences(self, level: float = 0.05) -> list[str]:
        """One plain-words sentence per direction, from the VAR Granger test and impulse response."""
        unit = _UNIT[self.freq]
        what = "killings" if self.measure == "fatalities" else "attacks"
        horizon = self.irfs.shape[0] - 1
        out = []
        for record in self.granger.to_dict("records"):
            row = _Row(**{k: record[k] for k in ("cause", "effect", "statistic", "pvalue", "response")})
            p = f"p = {row.pvalue:.2g}" if row.pvalue >= 1e-4 else "p < 0.0001"
            if row.pvalue < level:
                verb = "rise" if row.response > 0 else "fall"
                out.append(
                    f"{possessive(row.effect)} {what} {verb} in the {horizon} {unit}s after "
                    f"{possessive(row.cause)} {what} "
                    f"(Granger F = {row.statistic:.2f}, {p}; {row.response:+.2f} per additional one, "
                    f"cumulated over {horizon} {unit}s)."
                )
            else:
                out.append(
                    f"No significant evidence that {possessive(row.cause)} {what} predict "
                    f"{possessive(row.effect)} "
                    f"(Granger F = {row.statistic:.2f}, {p})."
                )
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Cross impulse responses with bands; see :func:`escalation.plotting.impulse_responses`."""
        from ..plotting import impulse_responses

        return impulse_responses(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (
            f"<ReciprocityResult: {self.measure} per {_UNIT[self.freq]} for "
            f"{', '.join(self.series.columns)}; "
            f"{len(self.series)} periods; VAR({self.lags}, {self.lags_chosen_by})"
            + (f"; left out (too few active periods): {', '.join(self.dropped_sides)}" if self.dropped_sides else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences())
        return f"<p>{html.escape(repr(self))}</p><ul>{items}</ul>" + self.tests.round(4).to_html(index=False)
