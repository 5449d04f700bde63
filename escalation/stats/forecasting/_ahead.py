"""What a fitted Hawkes process expects after its end, given everything before it.

At the origin ``T`` (the fit's end) the process is summed up by its **state**: with clock times
``e_j = decay * sum_l exp(-decay (T - t_l))`` over side ``j``'s events (the intensity the history still adds at
``T + s`` is ``adjacency @ e * exp(-decay s)``); per day ``X_j``, the geometric-kernel sum of the days before
(:func:`escalation.stats.hawkes._kernel.daily_sums`) carried to the origin's day. The background holds at its
value on the last day of the data (the tide's level there, or the last period's rate): a forecast does not
know the next season.

- **Expected counts** are exact. Per day, the expected counts follow the same linear recursion as the
  counts (``m = mu + A X``, ``X <- q X + (1 - q) m``). With clock times the expectations obey the linear
  system ``e' = decay (A - I) e + decay mu``, ``N' = mu + A e``, solved by one matrix exponential.
- **Probabilities** of at least one action (and whole count distributions) come from simulating the process
  forward from that state. Per day, a loop over the horizon's days, every history at once. With clock times,
  the branching (cluster) representation: background actions and the children the history has still to
  bear (an inhomogeneous Poisson process of mass ``(A e)_i (1 - exp(-decay h)) / decay``), then generation
  after generation of their children, every history at once. This is the conditioning on history that
  tick's simulator lacks (tick#514).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg import expm

from ..hawkes.simulate import children

if TYPE_CHECKING:
    from ..hawkes.results import HawkesResult


@dataclass(frozen=True)
class Start:
    """The process at the origin. ``baseline`` ``(K, D)`` and ``adjacency`` ``(K, D, D)`` hold ``K`` parameter
    sets (the estimate first, then draws); ``state`` ``(D,)`` is the history's excitation (see the module)."""

    baseline: np.ndarray
    adjacency: np.ndarray
    decay: float
    state: np.ndarray
    daily: bool


def start_of(fit: HawkesResult, parameter_draws: int = 0, rng: np.random.Generator | None = None) -> Start:
    """The fitted process at its end; with ``parameter_draws``, that many more parameter sets drawn from the
    estimates' normal approximation (per side: its background and its row of the adjacency, with their
    covariance; cut at 0), the decay and the history held."""
    data = fit.data
    n_dims = len(fit.sides)
    mu = np.asarray(fit._mu_at(np.array([data.end - 1e-9]))[0], float)
    if data.daily:
        counts, sums = fit._daily
        q = np.exp(-fit.decay)
        state = q * sums[-1] + (1 - q) * counts[-1]
    else:
        left = np.exp(-fit.decay * (data.end - data.times))
        state = fit.decay * np.bincount(data.dims, weights=left, minlength=n_dims)
    baseline = mu[None, :]
    adjacency = fit.adjacency[None, :, :]
    if parameter_draws > 0:
        rng = rng if rng is not None else np.random.default_rng(0)
        baseline = np.repeat(baseline, parameter_draws + 1, axis=0)
        adjacency = np.repeat(adjacency, parameter_draws + 1, axis=0)
        for i in range(n_dims):
            if i >= len(fit.parameter_cov):
                continue
            cov = fit.parameter_cov[i]
            n_bg = cov.shape[0] - n_dims
            # the background parameter that holds over the horizon (the last period's, or the tide's scale)
            keep = np.r_[n_bg - 1, np.arange(n_bg, n_bg + n_dims)]
            sub = cov[np.ix_(keep, keep)].copy()
            if _tide(fit) and sub[0, 0] > 0:  # the parameter is the tide's scale: today's rate is scale x shape
                factor = fit.period_rates_se[-1, i] / np.sqrt(sub[0, 0])  # type: ignore[index]
                sub[0, :] *= factor
                sub[:, 0] *= factor
            # parameters on their zero bound have no curvature (NaN): they stay at 0 in every draw
            free = np.isfinite(np.diag(sub))
            if not free.any():
                continue
            centre = np.r_[mu[i], fit.adjacency[i]]
            drawn = np.tile(centre, (parameter_draws, 1))
            drawn[:, free] = rng.multivariate_normal(centre[free], sub[np.ix_(free, free)], size=parameter_draws,
                                                     method="eigh")  # fmt: skip
            drawn = np.maximum(drawn, 0.0)
            baseline[1:, i] = drawn[:, 0]
            adjacency[1:, i, :] = drawn[:, 1:]
    return Start(baseline, adjacency, float(fit.decay), np.asarray(state, float), bool(data.daily))


def _tide(fit: HawkesResult) -> bool:
    return fit.background_kind == "tide" and fit.period_rates is not None


def expected_counts(start: Start, steps: float) -> np.ndarray:
    """``(K, D)``: expected actions of each side in the next ``steps`` (whole days per day; time units with
    clock times), for each parameter set."""
    mu, a = start.baseline, start.adjacency
    k, d = mu.shape
    if start.daily:
        q = np.exp(-start.decay)
        x = np.broadcast_to(start.state, (k, d)).copy()
        total = np.zeros((k, d))
        for _ in range(round(steps)):  # a loop over the horizon's days, not over actions
            m = mu + np.einsum("kij,kj->ki", a, x)
            total += m
            x = q * x + (1 - q) * m
        return total
    b = start.decay
    system = np.zeros((k, 2 * d + 1, 2 * d + 1))
    eye = np.eye(d)[None]
    system[:, :d, :d] = b * (a - eye)
    system[:, :d, -1] = b * mu
    system[:, d : 2 * d, :d] = a
    system[:, d : 2 * d, -1] = mu
    z0 = np.r_[start.state, np.zeros(d), 1.0]
    return (expm(system * steps) @ z0)[:, d : 2 * d]


def simulate_counts(start: Start, steps: float, draws: int, rng: np.random.Generator, sets: np.ndarray) -> np.ndarray:
    """``(draws, D)`` simulated counts over the next ``steps``; history ``r`` uses parameter set ``sets[r]``."""
    mu, a = start.baseline[sets], start.adjacency[sets]
    d = mu.shape[1]
    if start.daily:
        q = np.exp(-start.decay)
        x = np.broadcast_to(start.state, (draws, d)).copy()
        total = np.zeros((draws, d), np.int64)
        for _ in range(round(steps)):
            n = rng.poisson(mu + np.einsum("rij,rj->ri", a, x))
            total += n
            x = q * x + (1 - q) * n
        return total
    b, h = start.decay, float(steps)
    # generation 0: background actions, and the children the history has still to bear within the horizon
    n_bg = rng.poisson(mu * h)
    from_history = (a @ start.state) * (-np.expm1(-b * h)) / b
    n_hist = rng.poisson(from_history)
    total = (n_bg + n_hist).astype(np.int64)
    # only the times and sides of this generation matter for the next: background times are uniform, the
    # history's children's truncated exponential
    owner, dims = np.repeat(np.arange(draws), d), np.tile(np.arange(d), draws)
    sim, side = owner.repeat(n_bg.ravel()), dims.repeat(n_bg.ravel())
    t = rng.uniform(0, h, len(sim))
    sim_h, side_h = owner.repeat(n_hist.ravel()), dims.repeat(n_hist.ravel())
    t_h = -np.log1p(-rng.random(len(sim_h)) * -np.expm1(-b * h)) / b
    sim, side, t = np.r_[sim, sim_h], np.r_[side, side_h], np.r_[t, t_h]
    while len(t):
        # Poisson(adjacency[i, parent's side]) children of each side i, under each history's own parameters
        parent, side, t = children(a[sim, :, side], t, b, h, rng)
        sim = sim[parent]
        np.add.at(total, (sim, side), 1)
    return total
