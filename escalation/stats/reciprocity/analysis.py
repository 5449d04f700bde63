"""Reciprocity (tit-for-tat) on counts: VAR, Granger tests, impulse responses and count models.

One series per side *as actor*: the sum of fatalities (or the number of
events, or whether anyone was killed) it caused per period, zero-filled over the
requested window (``start``/``end``, by default the data's span). A vector
autoregression (statsmodels ``VAR``) with the lag order chosen by AIC, BIC or HQ
(or fixed) gives Granger F-tests in both directions and impulse responses with
asymptotic bands. Because conflict counts are sparse and overdispersed, the same
question is also asked with count models (:mod:`escalation.stats.reciprocity.count_models`): Poisson
and negative-binomial regressions (or a logit for ``measure="any"``) of each side's
count on the lagged ``log(1 + count)`` of every side, with a HAC score test that
the other side's lags are all zero. Every test's p-value comes from resampling the
cause's series with both sides' tides kept: each block of the tide (14 days by
default) rotated on its own (:mod:`escalation.chance.series`), because the
asymptotic ones do not hold their size on conflict series and shifts of the whole
series take shared war phases and seasons for prediction. This is the design of the
daily-series studies of the Israeli-Palestinian conflict (Jaeger & Paserman 2008;
Haushofer, Biletzki & Kanwisher 2010), tested at the timescale of the tide.

Every test is reported with a p-value adjusted across the whole table (Holm by
default), and the plain-words summary uses the adjusted one.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd

from ..._core.keys import side_text
from ..._core.levels import DRAWS, LEVEL
from ..._core.result import Result
from ..._core.threads import one_blas_thread
from ..._core.time import PERIODS, parse_freq
from ..._core.vocabulary import Adjustment, Inference, SeriesMeasure, choice, renamed_keywords
from ...chance._tide import answer_lag_days, parse_tide
from ...errors import DataError, UsageError
from ...events.table import Events
from ...io._coerce import as_events
from ..counts import counts
from .count_models import ASYMPTOTIC_FALLBACK, count_model_tests, var_shift_pvalues
from .spec import calendar_controls, criterion_order, lag_spec, mc_bands, ordered_sides, sample_bound
from .text import DYAD_ARROW, sentences

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_LAGS = {"D": 14, "W": 8, "M": 6}
IRF_PERIODS = {"D": 14, "W": 8, "M": 6}
TEST_COLUMNS = ["model", "cause", "effect", "lags", "statistic", "df", "df_denom", "pvalue_asymptotic", "pvalue",
                "draws", "pvalue_adjusted", "response", "note"]  # fmt: skip
MEASURES = ("fatalities", "events", "any")
INFERENCES: tuple[str, ...] = get_args(Inference)
#: Days in one period of each frequency (a month is an average one).
PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
#: A tide shorter than this many periods leaves no room for a lag inside a block.
MIN_BLOCK = 4
ADJUSTMENTS: tuple[str, ...] = get_args(Adjustment)


@renamed_keywords(series="by")
def side_series(
    events: Events | pd.DataFrame,
    *,
    freq: str = "D",
    measure: str = "fatalities",
    sides: Mapping[str, str] | str | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    by: Literal["side", "dyad"] = "side",
) -> pd.DataFrame:
    """Counts per period (rows) and side as actor (columns), zero-filled from ``start`` to ``end``.

    ``by="side"``: one column per acting side, all its events (one-sided ones and those against third
    parties included). ``by="dyad"``: one column per directed dyad, ``"A -> B"``, only A's events
    against B, so that with three or more sides A's attacks on a third party do not count as answers to B.

    ``measure``: ``"fatalities"`` (unknown counts as 0), ``"events"``, or ``"any"`` (1 if the side killed
    anyone in the period, Jaeger & Paserman's outcome). ``start``/``end`` (inclusive) default to the
    data's first and last period; events outside are left out, and periods inside with no event are 0.

    Examples
    --------
    >>> import escalation as esc
    >>> s = side_series(esc.datasets.load_iraq_2019_2021(), freq="M", measure="events")
    >>> int(s.to_numpy().sum())
    62
    """
    freq = parse_freq(freq)
    # the caller is three frames up: choice, side_series and renamed_keywords' wrapper
    measure = choice(measure, MEASURES, "measure", stacklevel=4)
    by = choice(by, ("side", "dyad"), "by", stacklevel=4)  # type: ignore[assignment]
    first, last = sample_bound(start, "start"), sample_bound(end, "end")
    if first is not None and last is not None and first > last:
        raise UsageError(f"start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")
    # the long panel of esc.counts (every unit in every period, zeros included), made wide: one way to count
    panel = counts(events, by=by, freq=freq, start=first, end=last, sides=sides)
    values = panel["events" if measure == "events" else "fatalities"].astype("float64")
    column = pd.Series(side_text(panel["actor_side"]), index=panel.index)
    if by == "dyad":
        column = column + DYAD_ARROW + side_text(panel["target_side"])
    table = values.groupby([panel["period"].dt.to_period(freq), column], sort=True).sum().unstack(fill_value=0)
    if measure == "any":
        table = (table > 0).astype("float64")
    table = table.sort_index(axis=1)
    table.index.name = "period"
    table.columns.name = "side"
    return table


def tide_periods(tide: pd.Timedelta, freq: str) -> int:
    """How many periods of ``freq`` (``"D"``, ``"W"``, ``"M"``) a tide spans: its blocks' length in the series;
    a tide test needs at least :data:`MIN_BLOCK`."""
    return round(tide / pd.Timedelta(days=PERIOD_DAYS[freq]))


@renamed_keywords(series="by")
@one_blas_thread
def reciprocity(
    events: Events | pd.DataFrame,
    *,
    freq: str = "D",
    lags: int | str | list[Any] | None = None,
    max_lags: int | None = None,
    measure: SeriesMeasure = "events",
    sides: Mapping[str, str] | str | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    irf_periods: int | None = None,
    alpha: float = LEVEL,
    count_models: bool = True,
    min_active_periods: int = 5,
    adjust: Adjustment = "holm",
    transform: Literal["log1p", "none"] = "log1p",
    controls: Sequence[str] | pd.DataFrame | None = None,
    by: Literal["side", "dyad"] = "side",
    irf_order: Sequence[str] | None = None,
    orthogonal: bool = False,
    irf_bands: Literal["asymptotic", "bootstrap"] = "asymptotic",
    irf_draws: int = 500,
    inference: Inference = "tide",
    draws: int = DRAWS,
    seed: int = 0,
    tide: str | pd.Timedelta | float | None = None,
) -> ReciprocityResult:
    """Does each side's violence follow the other's? VAR + Granger + impulse responses + count models.

    Parameters
    ----------
    events : Events or DataFrame
    freq : str
        Period of the series, a pandas alias: ``"D"``, ``"W"`` or a month (``"M"``, ``"MS"``, ``"ME"``).
    lags : int, {"aic", "bic", "hqic"} or list, optional
        Default: every lag up to the answer lag of the tide (a quarter of it: 3 days for the default 14-day
        tide), the lags at which the tide-keeping test can see answers. A fixed lag order; a criterion
        choosing it up to ``max_lags`` (at least 1) on
        the series' own pasts (a system in which each series depends on its own lags only: a choice that never
        looks at the cross lags cannot favour a relation; see
        :func:`escalation.stats.reciprocity.spec.criterion_order`); or
        lag groups for the count models, e.g. ``[1, (2, 7), (8, 14)]`` (each group enters as the mean of its
        lags; the VAR then uses every lag up to the deepest).
    max_lags : int, optional
        Upper bound for the criterion (default 14 days, 8 weeks or 6 months).
    measure : {"events", "fatalities", "any"}
        What is counted per side and period (default ``"events"``: every action, whether or not its deaths
        are known; unknown fatalities count as 0 in ``"fatalities"``); ``"any"``: 1 if the side
        killed anyone (a linear-probability VAR and a logit replace the count models).
    sides : dict or path, optional
    start, end : date, optional
        The sample (inclusive); the series are zero-filled over it.
    irf_periods : int, optional
        Horizon of the impulse responses (default 14 days, 8 weeks, 6 months).
    alpha : float
        1 - confidence level of the impulse-response bands.
    irf_order : sequence of str, optional
        Order of the sides in the VAR (the listed ones first): it decides the orthogonalised impulse
        responses (a Cholesky factor lets the first side's shock move the others in the same period, not
        the reverse).
    orthogonal : bool
        Orthogonalised impulse responses (one standard deviation shocks, in ``irf_order``) instead of the
        responses to one more unit of the cause (default).
    irf_bands : {"asymptotic", "bootstrap"}
        Bands of the impulse responses: asymptotic (delta method) or Monte-Carlo from ``irf_draws``
        simulations of the fitted VAR (statsmodels ``errband_mc``), which do not rely on normality.
    count_models : bool
        Also fit the Poisson and negative-binomial models.
    min_active_periods : int
        Sides with a non-zero count in fewer periods are left out (listed in ``dropped_sides``).
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Multiple-testing adjustment across every test of the table (statsmodels ``multipletests``), in
        ``pvalue_adjusted``; Holm controls the family-wise error, ``fdr_bh`` the false-discovery rate.
    by : {"side", "dyad"}
        One series per acting side (default), or per directed dyad (``"A -> B"``: A's events against B);
        with dyads, each dyad is tested against its reverse only. (Before 0.2: ``series``, with ``"actor"``
        for ``"side"``; the old names still work for a release.)
    controls : sequence of {"year", "month", "dow"} or DataFrame, optional
        Dummies added to every equation (VAR and count models): calendar year, year-month (phases), day of
        week; or a table of control columns indexed like :func:`side_series` (periods).
    inference : {"tide", "shift", "asymptotic"}
        ``"tide"`` (default): p-values from ``draws`` resamplings of the cause's series that keep both sides'
        tides: every block of the tide rotated on its own (:mod:`escalation.chance.series`). ``"shift"``:
        circular shifts of the whole series (which keep each series' persistence but not the alignment of
        shared phases; kept to compare with earlier results). The textbook asymptotic p-value is kept as
        ``pvalue_asymptotic``; ``"asymptotic"``: that one only.
    draws, seed : int
        Number of resamplings (the smallest p-value is ``1 / (draws + 1)``) and the seed drawing them.
    tide : str, Timedelta or float, optional
        The timescale that separates answering from shared slow changes (default 14 days for daily series,
        eight periods for weekly or monthly ones; :mod:`escalation.chance._tide`): the null keeps what is
        slower than the tide; the default lags reach a quarter of it. It must span at least four periods of
        ``freq``.
    transform : {"log1p", "none"}
        How the count models enter lagged counts: ``log(1 + count)`` (default; one mass-casualty day does
        not decide the test) or raw counts.

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

    # the user's call is five frames up: choice, reciprocity, one_blas_thread's and renamed_keywords' wrappers
    measure = choice(measure, MEASURES, "measure", stacklevel=5)  # type: ignore[assignment]
    by = choice(by, ("side", "dyad"), "by", stacklevel=5)  # type: ignore[assignment]
    for value, allowed, name in ((adjust, ADJUSTMENTS, "adjust"), (inference, INFERENCES, "inference"),
                                 (transform, ("log1p", "none"), "transform"),
                                 (irf_bands, ("asymptotic", "bootstrap"), "irf_bands")):  # fmt: skip
        choice(value, allowed, name)
    if draws < 19:
        raise UsageError(f"draws must be at least 19 (a 5% test needs 1/(n+1) < 0.05), got {draws}")
    freq = parse_freq(freq)
    # weekly and monthly series: the default tide is eight periods (answers within two)
    tide_td = parse_tide(tide if tide is not None or freq == "D" else f"{round(8 * PERIOD_DAYS[freq])}D")
    block = tide_periods(tide_td, freq)
    if inference == "tide" and block < MIN_BLOCK:
        longer = f"{2 * MIN_BLOCK * PERIOD_DAYS[freq]:.0f}D"
        raise UsageError(
            f"a tide of {tide_td.days} days spans {block} {PERIODS[freq]}s: at least {MIN_BLOCK} are needed to test "
            f"answers within it (use a finer freq, or a longer tide, e.g. tide='{longer}')"
        )
    fixed: int | None
    groups: list[tuple[int, int]] | None
    if lags is None:  # every lag at which the tide-keeping test can see an answer
        depth = max(1, int(answer_lag_days(tide_td) // PERIOD_DAYS[freq]))
        chosen_by, fixed, groups = "tide", depth, [(k, k) for k in range(1, depth + 1)]
    else:
        chosen_by, fixed, groups = lag_spec(lags)
    ev = as_events(events, sides=sides)
    data = side_series(ev, freq=freq, measure=measure, start=start, end=end, by=by)
    # A side active in only a handful of periods has no dynamics to estimate
    # (and makes the residual covariance singular): leave it out, and say so.
    active = (data > 0).sum()
    kept = active.index[active >= min_active_periods]
    dropped = [c for c in data.columns if c not in kept]
    if len(kept) < 2:
        raise DataError(
            f"reciprocity needs at least two sides with {measure} in {min_active_periods} or more "
            f"periods; active periods per side: {active.to_dict()}"
        )
    data = data[ordered_sides(list(kept), irf_order)]
    most = (len(data) - 1) // (len(kept) + 1) - 1  # enough observations for k * p + 1 parameters an equation
    upper = max(1, min(max_lags or MAX_LAGS[freq], most))
    if fixed is not None and fixed > most:
        raise UsageError(
            f"lags {fixed} is too many for {len(data)} periods of {len(kept)} series: at most {max(most, 0)} "
            "can be estimated (use fewer lags, a finer freq or a longer period)"
        )
    exog = calendar_controls(controls, data.index)
    model = VAR(data.to_timestamp(), exog=None if exog is None else exog.to_numpy(dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about frequency inference on period indexes
        order = (
            fixed
            if fixed is not None
            else criterion_order(data, upper, chosen_by, None if exog is None else exog.to_numpy(dtype=float))
        )
        try:
            fitted = model.fit(order, trend="c")
        except np.linalg.LinAlgError:
            raise DataError(
                f"the VAR({order}) cannot be estimated: the series of {', '.join(kept)} are too sparse "
                "or collinear; try a coarser freq (W or M) or measure='events'"
            ) from None
    horizon = irf_periods or IRF_PERIODS[freq]
    try:
        irf = fitted.irf(horizon)
    except np.linalg.LinAlgError:  # a singular residual covariance: some series are (nearly) copies of others
        raise DataError(
            f"the VAR({order}) of {', '.join(kept)} has a singular residual covariance (series too sparse or "
            "collinear): try a coarser freq (W or M), fewer sides, or a larger min_active_periods"
        ) from None
    bounds = None
    if irf_bands == "bootstrap":
        bounds = mc_bands(irf, orthogonal, irf_draws, alpha, seed)
    return ReciprocityResult(
        series=data,
        var=fitted,
        irfs=(irf.orth_irfs if orthogonal else irf.irfs).copy(),
        irf_stderr=irf.stderr(orth=orthogonal).copy(),
        irf_bounds=bounds,
        orthogonal=orthogonal,
        lags=order,
        lags_chosen_by=chosen_by,
        lag_groups=groups or [(k, k) for k in range(1, order + 1)],
        dropped_sides=dropped,
        freq=freq,
        measure=measure,
        alpha=alpha,
        count_models=count_models,
        adjust=adjust,
        transform=transform,
        controls=exog,
        inference=inference,
        draws=draws,
        seed=seed,
        tide=tide_td,
        block=block,
        by=by,
        all_sides=ev.palette(),
    )


@dataclass(frozen=True, repr=False, eq=False)
class ReciprocityResult(Result):
    """VAR, Granger tests, impulse responses and count models of per-side series.

    Attributes
    ----------
    series : DataFrame
        Periods x sides, the counts analysed.
    var : statsmodels VARResults
    irfs, irf_stderr : ndarray
        ``[horizon, response, impulse]`` impulse responses (not orthogonalised) and their asymptotic errors.
    lags : int
        The VAR lag order; ``lags_chosen_by`` says "aic", "bic", "hqic", "fixed" or "groups"; ``lag_groups``
        are the count models' lags.
    adjust, inference : str
        The multiple-testing adjustment of ``pvalue_adjusted``; shift or asymptotic p-values.
    """

    series: pd.DataFrame
    var: Any
    irfs: np.ndarray
    irf_stderr: np.ndarray
    lags: int
    lags_chosen_by: str
    freq: str
    measure: str
    alpha: float = LEVEL
    count_models: bool = True
    dropped_sides: list[str] = field(default_factory=list)
    lag_groups: list[tuple[int, int]] = field(default_factory=list)
    adjust: str = "holm"
    transform: str = "log1p"
    controls: pd.DataFrame | None = None
    inference: str = "tide"
    draws: int = DRAWS
    seed: int = 0
    tide: pd.Timedelta = field(default_factory=lambda: parse_tide(None))
    block: int = 14
    by: str = "side"
    irf_bounds: tuple[np.ndarray, np.ndarray] | None = None
    orthogonal: bool = False
    all_sides: dict[str, str | None] = field(default_factory=dict)  # the data's palette (Events.palette)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The (cause, effect) pairs tested: every ordered pair of sides, or each dyad against its reverse."""
        columns = list(self.series.columns)
        ordered = [(c, e) for c in columns for e in columns if c != e]
        if self.by != "dyad":
            return ordered
        return [(c, e) for c, e in ordered if e == DYAD_ARROW.join(reversed(c.split(DYAD_ARROW, 1)))]

    @cached_property
    def granger(self) -> pd.DataFrame:
        """VAR Granger F-tests, both directions for every pair of sides (``pvalue_adjusted`` is in :attr:`tests`)."""
        rows = []
        sides = list(self.series.columns)
        horizon = self.irfs.shape[0] - 1
        model = "var-granger" if self.measure != "any" else "lpm-var-granger"
        shift = (
            var_shift_pvalues(
                self.series, self.lags, self.controls, self.draws, self.seed, self.pairs, self.inference, self.block
            )
            if self.inference != "asymptotic"
            else {}
        )
        for cause, effect in self.pairs:
            test = self.var.test_causality(caused=effect, causing=cause, kind="f")
            response = float(self.irfs[1:, sides.index(effect), sides.index(cause)].sum())
            p_shift, used = shift.get((cause, effect), (np.nan, 0))
            note = "" if self.inference == "asymptotic" or np.isfinite(p_shift) else ASYMPTOTIC_FALLBACK
            rows.append({"model": model, "cause": cause, "effect": effect, "lags": str(self.lags),
                         "statistic": float(test.test_statistic), "df": int(test.df[0]),
                         "df_denom": float(test.df[1]), "pvalue_asymptotic": float(test.pvalue),
                         "pvalue": p_shift if np.isfinite(p_shift) else float(test.pvalue), "draws": used,
                         "response": response, "note": note})  # fmt: skip
        out = pd.DataFrame(rows)
        out.attrs["irf_horizon"] = horizon
        return out

    @cached_property
    def tests(self) -> pd.DataFrame:
        """Every test in one tidy table.

        Columns: ``model, cause, effect, lags, statistic, df, df_denom, pvalue_asymptotic, pvalue, shifts,
        pvalue_adjusted, response, note``. ``pvalue`` is the shift p-value (``inference="shift"``, from
        ``shifts`` shifts; see :mod:`escalation.chance.shift`), ``pvalue_asymptotic`` the textbook one (the
        VAR's F, the count models' chi-square score test). ``response`` is the cumulative impulse response
        over the horizon (VAR) or the sum of the cause's lag coefficients on ``log(1 + count)``, log scale
        (count models). ``df_denom`` is the F-test's denominator (VAR; count-model tests are chi-square). A
        model that cannot be estimated has no statistic and says why in ``note``. ``pvalue_adjusted`` is
        adjusted across every row with a p-value (``adjust``), equal to statsmodels' ``multipletests``.
        """
        from statsmodels.stats.multitest import multipletests

        parts = [self.granger]
        if self.count_models:
            models = ("logit",) if self.measure == "any" else ("poisson", "negbin")
            parts.append(
                count_model_tests(
                    self.series,
                    self.lag_groups,
                    pairs=self.pairs,
                    models=models,
                    transform=self.transform,
                    controls=self.controls,
                    inference=self.inference,
                    draws=self.draws,
                    seed=self.seed,
                    block=self.block,
                )
            )
        table = pd.concat(parts, ignore_index=True)
        table["pvalue_adjusted"] = np.nan
        ok = table["pvalue"].notna().to_numpy()
        if ok.any():
            p = table.loc[ok, "pvalue"].to_numpy(dtype=float)
            table.loc[ok, "pvalue_adjusted"] = p if self.adjust == "none" else multipletests(p, method=self.adjust)[1]
        return table[TEST_COLUMNS]

    def summary(self) -> pd.DataFrame:
        """One row per direction (``cause, effect``): what every model says about "the cause's past predicts
        the effect".

        ``models`` tests with a p-value, ``consistent`` how many of them have an adjusted p-value below
        ``alpha``, ``pvalue_adjusted_min`` / ``_max`` the range of their adjusted p-values,
        ``var_response`` the VAR's cumulative impulse response, ``not_estimable`` the models that could not be
        estimated. The plain-words version is :meth:`sentences`.
        """
        t = self.tests
        rows = []
        for (cause, effect), g in t.groupby(["cause", "effect"], sort=False):
            ok = g[g["pvalue_adjusted"].notna()]
            var = g[g["model"].str.endswith("var-granger")]
            rows.append({
                "cause": cause, "effect": effect, "models": len(ok),
                "consistent": int((ok["pvalue_adjusted"] < self.alpha).sum()),
                "pvalue_adjusted_min": ok["pvalue_adjusted"].min() if len(ok) else np.nan,
                "pvalue_adjusted_max": ok["pvalue_adjusted"].max() if len(ok) else np.nan,
                "var_response": float(var["response"].iloc[0]) if len(var) else np.nan,
                "not_estimable": ", ".join(g.loc[g["pvalue"].isna(), "model"]),
            })  # fmt: skip
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        """Every test (see :attr:`tests`); a copy."""
        return self.tests.copy()

    def settings(self) -> dict[str, Any]:
        return {"freq": self.freq, "measure": self.measure, "by": self.by, "lags": self.lags,
                "lags_chosen_by": self.lags_chosen_by, "lag_groups": self.lag_groups, "transform": self.transform,
                "inference": self.inference, "draws": self.draws, "tide": self.tide, "seed": self.seed,
                "adjust": self.adjust,
                "alpha": self.alpha, "orthogonal": self.orthogonal, "dropped_sides": self.dropped_sides,
                "start": str(self.series.index[0]), "end": str(self.series.index[-1])}  # fmt: skip

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Impulse responses with their bands (``cause, effect, horizon, response, lower, upper``).

        The bands are the result's (``alpha`` at fit time; Monte-Carlo with ``irf_bands="bootstrap"``);
        another ``alpha`` recomputes the asymptotic ones.
        """
        if alpha is None or alpha == self.alpha:
            return self.irf_table
        from dataclasses import replace

        return replace(self, alpha=alpha, irf_bounds=None).irf_table

    @cached_property
    def stationarity(self) -> pd.DataFrame:
        """ADF and KPSS tests of each series: ``side, adf_statistic, adf_pvalue, kpss_statistic, kpss_pvalue``.

        The VAR and its Granger tests assume stationary series. ADF's null is a unit root (small p:
        stationary); KPSS's null is stationarity around a constant (small p: not stationary). KPSS p-values
        are interpolated in a table and capped at 0.01 and 0.1.
        """
        from statsmodels.tools.sm_exceptions import InterpolationWarning
        from statsmodels.tsa.stattools import adfuller, kpss

        rows = []
        for side in self.series.columns:
            x = self.series[side].to_numpy(dtype=float)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InterpolationWarning)
                # statsmodels 0.15 announces result objects for 0.16; the tuple's first two fields stay put
                warnings.filterwarnings("ignore", message=".*currently returns a plain tuple", category=FutureWarning)
                adf = adfuller(x, autolag="AIC")
                k = kpss(x, regression="c", nlags="auto")
            rows.append([side, float(adf[0]), float(adf[1]), float(k[0]), float(k[1])])
        return pd.DataFrame(rows, columns=["side", "adf_statistic", "adf_pvalue", "kpss_statistic", "kpss_pvalue"])

    @cached_property
    def irf_table(self) -> pd.DataFrame:
        """Tidy impulse responses: ``cause, effect, horizon, response, lower, upper`` (Monte-Carlo bands when
        ``irf_bands="bootstrap"``, else asymptotic)."""
        from scipy.stats import norm

        z = norm.ppf(1 - self.alpha / 2)
        sides = list(self.series.columns)
        rows = []
        for i, effect in enumerate(sides):
            for j, cause in enumerate(sides):
                for h in range(self.irfs.shape[0]):
                    v, se = self.irfs[h, i, j], self.irf_stderr[h, i, j]
                    if self.irf_bounds is not None:
                        low, high = self.irf_bounds[0][h, i, j], self.irf_bounds[1][h, i, j]
                    else:
                        low, high = v - z * se, v + z * se
                    rows.append([cause, effect, h, v, low, high])
        return pd.DataFrame(rows, columns=["cause", "effect", "horizon", "response", "lower", "upper"])

    def sentences(self, level: float = LEVEL, most: int | None = None) -> list[str]:
        """One plain-words sentence per direction, from the adjusted p-values of every model.

        The VAR Granger test leads; the count models are named beside it, and a model that disagrees (or
        could not be estimated) is said, never left out. "Consistent with" is the strongest wording: a
        Granger test shows that one side's past predicts the other's, not that it causes it. With ``most``,
        at most that many directions get a sentence, those with evidence first (smallest adjusted p), and
        one sentence counts the rest: with many sides there are hundreds of directions.
        """
        return sentences(self, level, most)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Cross impulse responses with bands; see :func:`escalation.plotting.impulse_responses`."""
        from ...plotting import impulse_responses

        return impulse_responses(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (
            f"<ReciprocityResult: {self.measure} per {PERIODS[self.freq]} for "
            f"{', '.join(self.series.columns)}; "
            f"{len(self.series)} periods; VAR({self.lags}, {self.lags_chosen_by})"
            + (f"; left out (too few active periods): {', '.join(self.dropped_sides)}" if self.dropped_sides else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences())
        return (
            f"<p>{html.escape(repr(self))}</p><ul>{items}</ul>"
            + self.tests.round(4).to_html(index=False, escape=True)
            + "<p>Stationarity of each series (ADF null: unit root; KPSS null: stationary):</p>"
            + self.stationarity.round(4).to_html(index=False)
        )
