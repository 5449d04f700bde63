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
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar

from ...errors import DataError, UsageError
from ...events import Events, as_events
from ._kernel import compensator_terms, excitation
from .results import HawkesResult

_TIME_UNITS = {"D": 1.0, "h": 1 / 24, "W": 7.0}


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


def prepare(
    events: Events | pd.DataFrame,
    *,
    sides: Mapping[str, str] | str | None = None,
    time_unit: str = "D",
    jitter_seed: int | None = 0,
    end: str | pd.Timestamp | None = None,
) -> HawkesData:
    """Event times per acting side; events without a clock time are spread uniformly over their day.

    A Hawkes process has no simultaneous events, but daily data has many per
    day. Placing each untimed event at a uniform random time within its day
    (seeded by ``jitter_seed``, so results are reproducible) is the usual
    remedy; events with a clock time keep it.
    """
    if time_unit not in _TIME_UNITS:
        raise UsageError(f"time_unit must be one of {', '.join(_TIME_UNITS)}, got {time_unit!r}")
    f = as_events(events, sides=sides).frame
    f = f[f["actor_side"].notna()]
    if len(f) < 2:
        raise DataError("a Hawkes fit needs at least two events")
    origin = f["date"].min().normalize()
    days = (f["date"] - origin).dt.total_seconds().to_numpy() / 86400.0
    untimed = ~f["has_time"].to_numpy(bool)
    rng = np.random.default_rng(jitter_seed)
    days = days + np.where(untimed, rng.random(len(days)), 0.0) if jitter_seed is not None else days
    last_day = np.floor(days.max()) + 1.0
    stop = last_day if end is None else (pd.Timestamp(end) - origin).total_seconds() / 86400.0 + 1.0
    if stop < days.max():
        raise UsageError(f"end {end} is before the last event")
    unit = _TIME_UNITS[time_unit]
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
    )


def _negloglik_dim(theta: np.ndarray, x: np.ndarray, comp: np.ndarray) -> tuple[float, np.ndarray]:
    """Negative log-likelihood of one dimension and its gradient.

    ``x`` is the design (one row per event of the dimension: 1, decay * R[k, :]),
    ``comp`` the compensator coefficients (end time, G_1..G_D).
    """
    lam = x @ theta
    if np.any(lam <= 0):
        return np.inf, np.zeros_like(theta)
    value = -(np.log(lam).sum() - comp @ theta)
    grad = -(x.T @ (1.0 / lam) - comp)
    return float(value), grad


def fit_fixed_decay(data: HawkesData, decay: float) -> tuple[np.ndarray, np.ndarray, float, list[np.ndarray]]:
    """Baselines, adjacency, log-likelihood and per-dimension covariance for one decay."""
    n_dims = len(data.sides)
    r, _ = excitation(data.times, data.dims, n_dims, decay)
    g = compensator_terms(data.times, data.dims, n_dims, decay, data.end)
    baseline = np.zeros(n_dims)
    adjacency = np.zeros((n_dims, n_dims))
    covs: list[np.ndarray] = []
    total = 0.0
    for i in range(n_dims):
        mine = data.dims == i
        x = np.column_stack([np.ones(int(mine.sum())), decay * r[mine]])
        comp = np.r_[data.end, g]
        start = np.r_[max(mine.sum(), 1) / data.end * 0.5, np.full(n_dims, 0.1)]
        bounds = [(1e-10, None)] + [(0.0, None)] * n_dims
        res = minimize(_negloglik_dim, start, args=(x, comp), jac=True, method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9})  # fmt: skip
        theta = res.x
        baseline[i], adjacency[i] = theta[0], theta[1:]
        total -= res.fun
        lam = x @ theta
        info = (x / lam[:, None]).T @ (x / lam[:, None])  # observed information
        # A parameter on its bound (zero) has no usual standard error: invert the rest only.
        interior = theta > 1e-8
        cov = np.full_like(info, np.nan)
        try:
            cov[np.ix_(interior, interior)] = np.linalg.inv(info[np.ix_(interior, interior)])
        except np.linalg.LinAlgError:
            pass
        covs.append(cov)
    return baseline, adjacency, total, covs


def fit_hawkes(
    events: Events | pd.DataFrame,
    *,
    decay: float | None = None,
    sides: Mapping[str, str] | str | None = None,
    time_unit: str = "D",
    decay_bounds: tuple[float, float] = (1e-2, 50.0),
    jitter_seed: int | None = 0,
    end: str | pd.Timestamp | None = None,
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
        Seed for spreading untimed events over their day (None: no jitter).
    end : date, optional
        End of observation (default: the end of the last event's day).

    Returns
    -------
    HawkesResult
        ``baseline_``, ``adjacency_`` (with ``adjacency_se_``), ``decay_``,
        ``branching_ratio_``, ``loglik_``, ``trigger_probabilities``,
        ``goodness_of_fit``, ``simulate()``, ``plot()``.

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation.stats.hawkes import simulate_hawkes
    >>> sim = simulate_hawkes([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], decay=1.5, end=2000, seed=1)
    >>> fit = esc.fit_hawkes(sim, jitter_seed=None)
    >>> round(fit.decay_, 1) > 0
    True
    """
    data = prepare(events, sides=sides, time_unit=time_unit, jitter_seed=jitter_seed, end=end)
    lo, hi = decay_bounds
    if not 0 < lo < hi:
        raise UsageError(f"decay_bounds must satisfy 0 < low < high, got {decay_bounds}")
    profile: list[tuple[float, float]] = []
    if decay is None:

        def negprofile(log_decay: float) -> float:
            value = fit_fixed_decay(data, float(np.exp(log_decay)))[2]
            profile.append((float(np.exp(log_decay)), value))
            return -value

        grid = np.linspace(np.log(lo), np.log(hi), 13)
        values = [negprofile(g) for g in grid]
        best = int(np.argmin(values))
        left, right = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
        res = minimize_scalar(negprofile, bounds=(left, right), method="bounded", options={"xatol": 1e-5})
        fitted_decay = float(np.exp(res.x))
        # Curvature of the profile in log(decay) gives the decay's standard error.
        h = 1e-3
        # (the optimum's value is res.fun: refitting there would repeat a full fit)
        f0, fp, fm = -float(res.fun), -negprofile(res.x + h), -negprofile(res.x - h)
        curvature = -(fp - 2 * f0 + fm) / h**2
        decay_se = fitted_decay * (1 / np.sqrt(curvature)) if curvature > 0 else np.nan
    else:
        if decay <= 0:
            raise UsageError(f"decay must be positive, got {decay}")
        fitted_decay, decay_se = float(decay), np.nan
    baseline, adjacency, loglik, covs = fit_fixed_decay(data, fitted_decay)
    n_dims = len(data.sides)
    baseline_se = np.array([np.sqrt(c[0, 0]) if np.isfinite(c[0, 0]) else np.nan for c in covs])
    adjacency_se = np.array([np.sqrt(np.clip(np.diag(c)[1:], 0, None)) for c in covs]).reshape(n_dims, n_dims)
    adjacency_se[~np.isfinite(adjacency_se)] = np.nan
    result = HawkesResult(
        data=data,
        baseline_=baseline,
        adjacency_=adjacency,
        decay_=fitted_decay,
        loglik_=loglik,
        baseline_se_=baseline_se,
        adjacency_se_=adjacency_se,
        decay_se_=float(decay_se),
        decay_fixed=decay is not None,
        profile=pd.DataFrame(sorted(profile), columns=["decay", "loglik"]).drop_duplicates("decay"),
    )
    if result.branching_ratio_ >= 1:
        warnings.warn(
            f"branching ratio {result.branching_ratio_:.2f} >= 1: the fitted process is explosive "
            "(not stationary); rates and trigger probabilities describe this window only",
            RuntimeWarning,
            stacklevel=2,
        )
    return result
