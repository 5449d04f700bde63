"""Maximum-likelihood fit of a multivariate Hawkes process with exponential kernels.

Intensity of side ``i`` (one dimension per side)::

    lambda_i(t) = mu_i + sum_j adjacency[i, j] * decay * sum_{t_l^j < t} exp(-decay (t - t_l^j))

so ``adjacency[i, j]`` is the expected number of side-``i`` events set off by one
side-``j`` event (tick's convention) and ``decay`` is shared. For a fixed decay
the log-likelihood separates by dimension and is concave in
``(mu_i, adjacency[i, :])``; each dimension is fitted by L-BFGS-B with the
analytic gradient. The decay is fitted by maximising that profile likelihood
over ``log(decay)`` (a grid, then a bounded Brent search), or fixed by the user.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar

from ..._core.threads import one_blas_thread
from ..._core.time import UNIT_DAYS, parse_time_unit
from ..._core.vocabulary import Resolution
from ...chance._tide import parse_tide
from ...errors import DataError, UsageError
from ...events.table import Events
from ...io._coerce import as_events
from ._background import (
    TIDE_ROUNDS,
    period_index,
    period_lengths,
    period_starts,
    shape_integral,
    smooth_shape,
    with_background,
)
from ._kernel import compensator_terms, daily_design, daily_sums, excitation
from ._likelihood import negloglik, observed_cov
from .results import HawkesResult

RESOLUTIONS: tuple[str, ...] = get_args(Resolution)
#: With events dated to the day, the geometric kernel's mean lag 1 / (1 - exp(-decay)) is at least one day;
#: decays above this put all the mass on the next day and cannot be told apart.
DAILY_MAX_DECAY = 5.0


@dataclass(frozen=True)
class HawkesData:
    """Event times (in ``time_unit`` from ``origin``), dimensions, and what they mean."""

    times: np.ndarray
    dims: np.ndarray
    sides: list[str]
    end: float
    origin: pd.Timestamp
    time_unit: str
    event_ids: np.ndarray
    daily: bool = False  # times are whole days and the model counts events per day


def prepare(
    events: Events | pd.DataFrame,
    *,
    sides: Mapping[str, str] | str | None = None,
    time_unit: str = "D",
    jitter_seed: int | None = 0,
    end: str | pd.Timestamp | None = None,
    resolution: Resolution = "auto",
) -> HawkesData:
    """Event times per acting side, per day or continuous.

    ``resolution="auto"`` counts events per day (``daily``) when any event lacks a
    clock time: a date says nothing of the order of two events of one day, and a
    model must not invent it. ``"continuous"`` keeps clock times and, for events
    without one, spreads them uniformly over their day (seeded by ``jitter_seed``),
    the usual remedy elsewhere, which does invent an order.
    """
    time_unit = parse_time_unit(time_unit)
    if resolution not in RESOLUTIONS:
        raise UsageError(f"resolution must be one of {', '.join(RESOLUTIONS)}, got {resolution!r}")
    f = as_events(events, sides=sides).frame
    f = f[f["actor_side"].notna()]
    if len(f) < 2:
        raise DataError("a Hawkes fit needs at least two events")
    origin = f["date"].min().normalize()
    days = (f["date"] - origin).dt.total_seconds().to_numpy() / 86400.0
    untimed = ~f["has_time"].to_numpy(bool)
    daily = resolution == "daily" or (resolution == "auto" and bool(untimed.any()))
    if daily:
        if time_unit != "D":
            raise UsageError("events dated to the day are modelled per day, so time_unit must be 'D' "
                             "(resolution='continuous' spreads them over their day instead)")  # fmt: skip
        days = np.floor(days)
    elif jitter_seed is not None:
        rng = np.random.default_rng(jitter_seed)
        days = days + np.where(untimed, rng.random(len(days)), 0.0)
    last_day = np.floor(days.max()) + 1.0
    if end is not None:
        from ..._core.dates import parse_day

        parse_day(end, "end")  # what is no date is said so, not a pandas parser error
    stop = last_day if end is None else np.floor((pd.Timestamp(end) - origin).total_seconds() / 86400.0) + 1.0
    if stop < days.max() + (1 if daily else 0):
        raise UsageError(f"end {end} is before the last event")
    unit = UNIT_DAYS[time_unit]
    side_names = sorted(f["actor_side"].astype(str).unique())
    dims = pd.Categorical(f["actor_side"].astype(str), categories=side_names).codes.astype(np.int64)
    order = np.argsort(days, kind="stable")
    return HawkesData(
        times=days[order] / unit,
        dims=dims[order],
        sides=side_names,
        end=float(stop / unit),
        origin=origin,
        time_unit=time_unit,
        event_ids=f["event_id"].to_numpy()[order],
        daily=daily,
    )


def _designs(
    data: HawkesData,
    decay: float,
    starts: np.ndarray | None = None,
    shape: np.ndarray | None = None,
    marks: np.ndarray | None = None,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per dimension: design rows, their weights (events per row) and the compensator coefficients.

    With period ``starts`` (a piecewise-constant background), the constant column becomes one indicator per
    period (see :mod:`._background`). With a per-day ``shape`` (a background that follows the tide), it
    becomes the shape's value on each row's day, and its compensator the shape's integral. ``marks`` (one
    weight per event, in ``data``'s order) scale each event's excitation (:mod:`.marks`).
    """
    n_dims = len(data.sides)
    out = []
    if data.daily:
        n_days = round(data.end)
        counts, sums = daily_sums(data.times, data.dims, n_dims, n_days, decay, marks)
        out = [daily_design(counts, sums, i, list(range(n_dims))) for i in range(n_dims)]
    else:
        r, _ = excitation(data.times, data.dims, n_dims, decay, weights=marks)
        g = compensator_terms(data.times, data.dims, n_dims, decay, data.end, marks)
        for i in range(n_dims):
            mine = data.dims == i
            out.append((np.column_stack([np.ones(int(mine.sum())), decay * r[mine]]), np.ones(int(mine.sum())),
                        np.r_[data.end, g]))  # fmt: skip
    if shape is not None:
        unit = UNIT_DAYS[data.time_unit]
        integral = shape_integral(shape, data.end * unit) / unit
        designs = []
        for i, (x, w, comp) in enumerate(out):
            at = data.times[data.dims == i]
            day = np.unique(at) if data.daily else np.floor(at * unit)
            designs.append((np.column_stack([shape[day.astype(np.int64), i], x[:, 1:]]), w,
                            np.r_[integral[i], comp[1:]]))  # fmt: skip
        return designs
    if starts is None or len(starts) == 1:
        return out
    lengths = period_lengths(starts, data.end, data.daily)
    designs = []
    for i, (x, w, comp) in enumerate(out):
        # the time of each design row: the side's events, or per day the days it has events (times are days)
        at = data.times[data.dims == i]
        xb, compb = with_background(x, comp, period_index(starts, np.unique(at) if data.daily else at), lengths)
        designs.append((xb, w, compb))
    return designs


def fit_fixed_decay(
    data: HawkesData,
    decay: float,
    failures: list[str] | None = None,
    starts: np.ndarray | None = None,
    shape: np.ndarray | None = None,
    marks: np.ndarray | None = None,
    warm: dict[int, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, float, list[np.ndarray]]:
    """Background rates ``(periods, D)``, adjacency, log-likelihood and per-dimension covariance for one decay.

    With a ``shape``, the background rates are one scale per side (the rate is the scale times the shape).
    The optimiser's messages for sides it did not converge on are appended to ``failures``. ``warm`` (side ->
    parameters) starts each side's search where the last fit of a nearby decay or tide ended, and keeps where
    this one ends: the likelihood is concave, so the optimum is the same, reached in fewer steps (the decay's
    profile and the tide's rounds refit the same model dozens of times).
    """
    n_dims = len(data.sides)
    n_periods = 1 if starts is None or shape is not None else len(starts)
    baseline = np.zeros((n_periods, n_dims))
    adjacency = np.zeros((n_dims, n_dims))
    covs: list[np.ndarray] = []
    total = 0.0
    for i, (x, w, comp) in enumerate(_designs(data, decay, starts, shape, marks)):
        rate = max(w.sum(), 1) / comp[:n_periods].sum() * 0.5
        cold = np.r_[np.full(n_periods, rate), np.full(n_dims, 0.1)]
        bounds = [(1e-10, None)] * n_periods + [(0.0, None)] * n_dims
        options = {"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9}
        res = None
        if warm is not None and i in warm and len(warm[i]) == len(cold):
            start = np.maximum(warm[i], np.r_[np.full(n_periods, 1e-10), np.zeros(n_dims)])
            res = minimize(negloglik, start, args=(x, comp, w), jac=True, method="L-BFGS-B", bounds=bounds,
                           options=options)  # fmt: skip
        if res is None or not res.success:  # a warm start at the optimum can end in a failed line search
            res = minimize(negloglik, cold, args=(x, comp, w), jac=True, method="L-BFGS-B", bounds=bounds,
                           options=options)  # fmt: skip
        if not res.success and failures is not None:
            failures.append(f"{data.sides[i]}: {res.message}")
        theta = res.x
        if warm is not None:
            warm[i] = theta
        baseline[:, i], adjacency[i] = theta[:n_periods], theta[n_periods:]
        total -= res.fun
        covs.append(observed_cov(x, theta, w))
    return baseline, adjacency, total, covs


@one_blas_thread
def fit_hawkes(
    events: Events | pd.DataFrame,
    *,
    decay: float | None = None,
    sides: Mapping[str, str] | str | None = None,
    time_unit: str = "D",
    decay_bounds: tuple[float, float] = (1e-2, 50.0),
    jitter_seed: int | None = 0,
    end: str | pd.Timestamp | None = None,
    resolution: Resolution = "auto",
    background: str | Sequence[Any] | None = "tide",
    tide: str | pd.Timedelta | float | None = None,
) -> HawkesResult:
    """Fit a multivariate Hawkes process (one dimension per acting side) by maximum likelihood.

    Parameters
    ----------
    events : Events or DataFrame
    decay : float, optional
        Fixed kernel decay per ``time_unit``; default: fitted within ``decay_bounds``.
    sides : dict or path, optional
    time_unit : {"D", "h", "W"}
        Unit of time for rates and decay (default: per day).
    decay_bounds : (float, float)
        Range searched for the decay (per ``time_unit``).
    jitter_seed : int or None
        With ``resolution="continuous"``: seed for spreading untimed events over their day (None: no jitter).
    end : date, optional
        End of observation (default: the end of the last event's day).
    resolution : {"auto", "daily", "continuous"}
        ``daily`` counts events per day (a discrete-time Hawkes process: events of
        one day do not excite each other; the kernel is geometric over whole days,
        ``g(k) = (1 - q) q^(k-1)``, ``q = exp(-decay)``, and the decay is capped at
        :data:`DAILY_MAX_DECAY` where all the mass is on the next day). ``auto``:
        daily when any event lacks a clock time, else continuous.
    background : str or sequence of dates, optional
        ``"tide"`` (default): each side's background follows its own slow changes of rate, a kernel estimate
        (Gaussian, standard deviation ``tide``) of the events the model puts down to the background,
        re-estimated over :data:`~escalation.stats.hawkes._background.TIDE_ROUNDS` rounds of stochastic
        declustering (Zhuang, Ogata & Vere-Jones 2002); a constant background makes two sides that merely
        share their seasons or surges look as if they excited each other. ``None`` or ``"constant"``: one
        rate per side. A pandas frequency (``"YS"``, ``"QS"``, ``"6MS"``) or a list of break dates: one rate
        per side and period (piecewise constant). ``period_rates`` then holds the rates (per day with
        ``"tide"``), ``baseline`` their time-weighted mean. See :mod:`escalation.stats.hawkes._background`.
    tide : str, Timedelta or float, optional
        The smoothing of the ``"tide"`` background (default 14 days): changes of rate much slower than it
        are background, faster ones can be excitation.

    Returns
    -------
    HawkesResult
        ``baseline``, ``adjacency`` (with ``adjacency_se``), ``decay``,
        ``branching_ratio``, ``loglik``, ``trigger_probabilities``,
        ``goodness_of_fit``, ``simulate()``, ``plot()``.

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation.stats.hawkes import simulate_hawkes
    >>> sim = simulate_hawkes([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], decay=1.5, length=2000, seed=1)
    >>> fit = esc.fit_hawkes(sim, jitter_seed=None)
    >>> round(fit.decay, 1) > 0
    True
    """
    ev = as_events(events, sides=sides)  # once: prepare() would validate or re-map a second time
    n_sides = len(ev.frame["actor_side"].dropna().unique())
    if n_sides * n_sides + n_sides + 1 > max(len(ev.frame), 1):
        # k sides take k^2 excitations, k rates and a decay: with more parameters than events there is nothing
        # to estimate (and 500 sides ran for minutes before giving nonsense)
        raise DataError(f"a Hawkes model of {n_sides:,} sides has {n_sides * n_sides + n_sides + 1:,} parameters for "
                        f"{len(ev.frame):,} {ev.unit}s: fold names into sides (--sides; escalation sides drafts a "
                        "file) or fit fewer sides")  # fmt: skip
    data = prepare(ev, time_unit=time_unit, jitter_seed=jitter_seed, end=end, resolution=resolution)
    tide_td = parse_tide(tide)
    warm: dict[int, np.ndarray] = {}
    fitted_decay, decay_se, profile, starts, shape, (lo, hi) = background_and_decay(
        data, decay, decay_bounds, background, tide_td, warm
    )
    failures: list[str] = []
    rates, adjacency, loglik, covs = fit_fixed_decay(data, fitted_decay, failures, starts, shape, warm=warm)
    n_dims, n_periods = len(data.sides), len(rates)
    period_rates_arr: np.ndarray | None
    period_rates_se_arr: np.ndarray | None
    starts_out: np.ndarray | None
    if shape is not None:  # one rate per day: the scale times the shape
        period_rates_arr = rates[0][None, :] * shape
        scale_se = np.array([np.sqrt(c[0, 0]) if np.isfinite(c[0, 0]) else np.nan for c in covs])
        period_rates_se_arr = scale_se[None, :] * shape
        starts_out = np.arange(len(shape)) / UNIT_DAYS[data.time_unit]
        baseline = (
            rates[0]
            * shape_integral(shape, data.end * UNIT_DAYS[data.time_unit])
            / (data.end * UNIT_DAYS[data.time_unit])
        )
        baseline_se = scale_se
    else:
        share = period_lengths(starts, data.end, data.daily)
        share = share / share.sum()
        baseline = share @ rates  # the time-weighted mean rate of each side
        # its standard error: the periods' rates are separate parameters of one side's likelihood
        baseline_se = np.array(
            [np.sqrt(share @ c[:n_periods, :n_periods] @ share) if np.isfinite(c[:n_periods, :n_periods]).all()
             else np.nan for c in covs]
        )  # fmt: skip
        period_rates_arr = rates if n_periods > 1 else None
        rates_se = np.array([np.sqrt(np.clip(np.diag(c)[:n_periods], 0, None)) for c in covs]).T
        period_rates_se_arr = rates_se if n_periods > 1 else None
        starts_out = starts if n_periods > 1 else None
    adjacency_se = np.array([np.sqrt(np.clip(np.diag(c)[n_periods:], 0, None)) for c in covs]).reshape(n_dims, n_dims)
    adjacency_se[~np.isfinite(adjacency_se)] = np.nan
    result = HawkesResult(
        data=data,
        baseline=baseline,
        adjacency=adjacency,
        decay=fitted_decay,
        loglik=loglik,
        baseline_se=baseline_se,
        adjacency_se=adjacency_se,
        decay_se=float(decay_se),
        decay_fixed=decay is not None,
        decay_at_bound=decay is None and bool(np.isclose(np.log(fitted_decay), np.log([lo, hi]), atol=1e-3).any()),
        profile=profile,
        not_converged=failures,
        period_rates=period_rates_arr,
        period_rates_se=period_rates_se_arr,
        period_starts=starts_out,
        all_sides=ev.palette(),
        background_kind="tide" if shape is not None else "periods" if n_periods > 1 else "constant",
        tide=tide_td,
        parameter_cov=covs,
    )
    if result.branching_ratio >= 1:
        warnings.warn(
            f"branching ratio {result.branching_ratio:.2f} >= 1: the fitted process is explosive "
            "(not stationary); rates and trigger probabilities describe this window only",
            RuntimeWarning,
            stacklevel=2,
        )
    return result


def background_and_decay(
    data: HawkesData,
    decay: float | None,
    decay_bounds: tuple[float, float],
    background: str | Sequence[Any] | None,
    tide: pd.Timedelta,
    warm: dict[int, np.ndarray] | None = None,
) -> tuple[float, float, pd.DataFrame, np.ndarray, np.ndarray | None, tuple[float, float]]:
    """The decay (its standard error and profile), the background's period starts and (with ``"tide"``) its
    daily shape, and the decay's search range: everything of :func:`fit_hawkes` but the final fit, which the
    marked model (:mod:`.marks`) shares."""
    lo, hi = decay_bounds
    if not 0 < lo < hi:
        raise UsageError(f"decay_bounds must satisfy 0 < low < high, got {decay_bounds}")
    if decay is not None and not 0 < decay < np.inf:  # nan and inf too: a kernel with no time scale
        raise UsageError(f"decay must be a positive, finite number, got {decay}")
    if data.daily:
        hi = min(hi, DAILY_MAX_DECAY)
        lo = min(lo, hi / 10)
    kind = "tide" if isinstance(background, str) and background == "tide" else "periods"
    starts = np.array([0.0]) if kind == "tide" else period_starts(background, data.origin, data.end, data.time_unit)
    if data.daily:  # periods start on whole days
        starts = np.unique(np.ceil(starts))
    shape = None
    if kind == "tide":
        unit = UNIT_DAYS[data.time_unit]
        event_day = (data.times if data.daily else np.floor(data.times * unit)).astype(np.int64)
        n_days = int(np.ceil(data.end * unit))
        weights = np.ones(len(data.times))
        for _ in range(TIDE_ROUNDS):
            shape = smooth_shape(event_day, data.dims, weights, len(data.sides), n_days, tide.days)
            fitted_decay, decay_se, profile = _decay(data, decay, lo, hi, starts, shape, warm=warm)
            rates, adjacency, _, _ = fit_fixed_decay(data, fitted_decay, None, starts, shape, warm=warm)
            weights = _background_share(data, fitted_decay, rates[0], adjacency, shape)
    else:
        fitted_decay, decay_se, profile = _decay(data, decay, lo, hi, starts, None, warm=warm)
    return fitted_decay, decay_se, profile, starts, shape, (lo, hi)


def _decay(
    data: HawkesData,
    decay: float | None,
    lo: float,
    hi: float,
    starts: np.ndarray,
    shape: np.ndarray | None,
    marks: np.ndarray | None = None,
    warm: dict[int, np.ndarray] | None = None,
) -> tuple[float, float, pd.DataFrame]:
    """The decay (fixed, or maximising the profile likelihood over ``log(decay)``: a grid, then a bounded
    search), its standard error from the profile's curvature, and the profile itself."""
    if decay is not None:
        return float(decay), np.nan, pd.DataFrame(columns=["decay", "loglik"])
    profile: list[tuple[float, float]] = []

    def negprofile(log_decay: float) -> float:
        value = fit_fixed_decay(data, float(np.exp(log_decay)), starts=starts, shape=shape, marks=marks, warm=warm)[2]
        profile.append((float(np.exp(log_decay)), value))
        return -value

    grid = np.linspace(np.log(lo), np.log(hi), 13)
    values = [negprofile(g) for g in grid]
    best = int(np.argmin(values))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = minimize_scalar(negprofile, bounds=(left, right), method="bounded", options={"xatol": 1e-5})
    fitted = float(np.exp(res.x))
    # Curvature of the profile in log(decay) gives the decay's standard error
    # (the optimum's value is res.fun: refitting there would repeat a full fit).
    h = 1e-3
    f0, fp, fm = -float(res.fun), -negprofile(res.x + h), -negprofile(res.x - h)
    curvature = -(fp - 2 * f0 + fm) / h**2
    decay_se = fitted * (1 / np.sqrt(curvature)) if curvature > 0 else np.nan
    table = pd.DataFrame(sorted(profile), columns=["decay", "loglik"]).drop_duplicates("decay")
    return fitted, float(decay_se), table


def _background_share(
    data: HawkesData, decay: float, scale: np.ndarray, adjacency: np.ndarray, shape: np.ndarray
) -> np.ndarray:
    """Each event's probability of coming from the background (its design row's background term over the
    intensity): the weights of the next round's background estimate."""
    out = np.ones(len(data.times))
    for i, (x, _w, _c) in enumerate(_designs(data, decay, None, shape)):
        theta = np.r_[scale[i], adjacency[i]]
        share = x[:, 0] * theta[0] / np.maximum(x @ theta, 1e-300)
        mine = np.flatnonzero(data.dims == i)
        if data.daily:  # rows are the side's days with events, in order: every event of a day shares its row
            days = np.unique(data.times[mine])
            out[mine] = share[np.searchsorted(days, data.times[mine])]
        else:  # rows are the side's events in time order (``data.times`` is sorted)
            out[mine] = share
    return out
