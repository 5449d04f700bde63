"""Does a deadlier action set off more? A Hawkes process whose excitation grows with the trigger's marks.

The intensity of side ``i`` is that of :func:`escalation.fit_hawkes` with each earlier event weighted by its
marks (its deaths, its rung, any trait of :mod:`escalation.stats._traits`)::

    lambda_i(t) = mu_i(t) + sum_j adjacency[i, j] * sum_{l of side j, t_l < t} w_l g(t - t_l)
    w_l = exp(m_l' gamma) / mean_k exp(m_k' gamma)

so ``adjacency`` keeps its meaning (the events one average event of ``j`` sets off) and an event with one unit
more of a mark sets off ``exp(gamma)`` times as many. For fixed ``gamma`` and decay the likelihood is the
package's concave one (:mod:`._likelihood`) with weighted kernel sums; ``gamma`` is profiled out (a bounded
search for one mark, Nelder-Mead for several), then the decay again at the fitted ``gamma``, then ``gamma``
again. The background is the unmarked model's (its tide shape or periods, :func:`.model.background_and_decay`),
so the likelihood-ratio test against the unmarked model (``2 (loglik - unmarked_loglik)``, chi-square with one
degree of freedom per mark term) asks only about the marks. Standard errors come from the curvature of the
profile likelihood in ``gamma`` (decay held at its fitted value).

Marks missing on an event take the mean of the others (a weight as if average), counted in ``missing``.
Checked on seeded marked simulations (``benchmarks/hawkes_marks.py``, docs/statistics.md): recovery of a known
``gamma`` and the test's size when marks have no effect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.optimize import minimize, minimize_scalar

from ..._core.levels import LEVEL
from ..._core.result import Result
from ..._core.vocabulary import Resolution
from ...chance._tide import parse_tide
from ...errors import DataError, UsageError
from ...events.table import Events
from ...io._coerce import as_events
from .._traits import trait_columns
from .model import _decay, background_and_decay, fit_fixed_decay, prepare

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: gamma is searched within this many standard deviations of each mark (exp(8) = 3,000 times the excitation
#: per standard deviation: beyond anything a conflict's data can tell)
GAMMA_BOUND = 8.0


def fit_marked_hawkes(
    events: Events | pd.DataFrame,
    marks: str | Sequence[str],
    *,
    sides: Mapping[str, str] | str | None = None,
    decay: float | None = None,
    time_unit: str = "D",
    decay_bounds: tuple[float, float] = (1e-2, 50.0),
    jitter_seed: int | None = 0,
    end: str | pd.Timestamp | None = None,
    resolution: Resolution = "auto",
    background: str | Sequence[Any] | None = "tide",
    tide: str | pd.Timedelta | float | None = None,
    ladder: Any = None,
    alpha: float = LEVEL,
) -> MarkedHawkesResult:
    """Fit a Hawkes process whose excitation scales with each trigger's marks, and test it against the
    unmarked one.

    Parameters
    ----------
    events : Events or DataFrame
    marks : str or list of str
        Traits of the exciting event (``"log1p(fatalities)"``, ``"rung"``, a column; see
        :mod:`escalation.stats._traits`).
    sides, decay, time_unit, decay_bounds, jitter_seed, end, resolution, background, tide
        As in :func:`escalation.fit_hawkes` (the background and the starting decay are its).
    ladder : Ladder, mapping or path, optional
        The ladder of ``"rung"``.
    alpha : float
        1 - confidence level of the intervals.

    Returns
    -------
    MarkedHawkesResult
        ``summary()`` (one row per mark term: ``gamma`` with its interval, ``multiplier`` = ``exp(gamma)``, the
        likelihood-ratio test), ``to_frame()`` (each event's weight), ``plot()`` (the profile likelihood).

    Examples
    --------
    >>> import escalation as esc
    >>> fit = esc.fit_marked_hawkes(esc.datasets.load_iraq_2019_2021(), "rung", background="constant")
    >>> list(fit.summary()["term"])
    ['rung']
    """
    names = [marks] if isinstance(marks, str) else list(marks)
    if not names:
        raise UsageError("marks: name at least one trait of the exciting events (log1p(fatalities), rung, ...)")
    if not 0 < alpha < 1:
        raise UsageError(f"alpha must be between 0 and 1, got {alpha!r}")
    ev = as_events(events, sides=sides)
    data = prepare(ev, time_unit=time_unit, jitter_seed=jitter_seed, end=end, resolution=resolution)
    tide_td = parse_tide(tide)
    decay0, _, _, starts, shape, (lo, hi) = background_and_decay(data, decay, decay_bounds, background, tide_td)
    unmarked = fit_fixed_decay(data, decay0, None, starts, shape)[2]
    frame = ev.frame
    rows = frame.iloc[pd.Index(frame["event_id"]).get_indexer(data.event_ids)].reset_index(drop=True)
    traits = trait_columns(rows, names, ladder)
    missing = traits.isna().sum().to_numpy()
    values = traits.fillna(traits.mean()).to_numpy(float)
    centre, scale = values.mean(axis=0), values.std(axis=0)
    if (~(scale > 0)).any():
        flat = [t for t, s in zip(traits.columns, scale, strict=True) if not s > 0]
        raise DataError(f"mark {', '.join(flat)} does not vary among the {len(values)} events: nothing to estimate")
    z = (values - centre) / scale

    def weights(g: np.ndarray) -> np.ndarray:
        e = z @ g
        w = np.exp(e - e.max())
        return w / w.mean()

    def negloglik(g: np.ndarray, at_decay: float) -> float:
        return -fit_fixed_decay(data, at_decay, None, starts, shape, weights(np.atleast_1d(g)))[2]

    g_hat = _search(negloglik, traits.shape[1], decay0)
    fitted_decay = decay0
    if decay is None:  # the decay again at the fitted marks, then the marks again at that decay
        fitted_decay = _decay(data, None, lo, hi, starts, shape, weights(g_hat))[0]
        g_hat = _search(negloglik, len(g_hat), fitted_decay, start=g_hat)
    w = weights(g_hat)
    _, adjacency, loglik, _ = fit_fixed_decay(data, fitted_decay, None, starts, shape, w)
    cov = _curvature_cov(lambda g: negloglik(g, fitted_decay), g_hat)
    return MarkedHawkesResult(
        terms=list(traits.columns), gamma=g_hat / scale, gamma_cov=cov / np.outer(scale, scale), loglik=loglik,
        unmarked_loglik=unmarked, decay=fitted_decay, adjacency=adjacency, sides=list(data.sides),
        missing=missing, weights=pd.DataFrame({"event_id": data.event_ids, "side": np.asarray(data.sides)[data.dims],
                                               **{t: values[:, k] for k, t in enumerate(traits.columns)},
                                               "weight": w}),
        alpha=alpha, background=str(background), tide=tide_td, _profile=(negloglik, fitted_decay, g_hat, scale),
    )  # fmt: skip


def _search(negloglik: Any, n: int, decay: float, start: np.ndarray | None = None) -> np.ndarray:
    """The marks' coefficients (per standard deviation) that maximise the likelihood at ``decay``."""
    if n == 1:
        res = minimize_scalar(lambda g: negloglik(np.array([g]), decay), bounds=(-GAMMA_BOUND, GAMMA_BOUND),
                              method="bounded", options={"xatol": 1e-6})  # fmt: skip
        return np.array([float(res.x)])
    x0 = np.zeros(n) if start is None else start
    res = minimize(negloglik, x0, args=(decay,), method="Nelder-Mead",
                   options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 400 * n})  # fmt: skip
    return np.clip(res.x, -GAMMA_BOUND, GAMMA_BOUND)


def _curvature_cov(f: Any, at: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """The inverse of the negative log-likelihood's finite-difference Hessian at ``at`` (NaN when not positive
    definite: the likelihood is flat or the estimate is at its bound)."""
    n = len(at)
    hess = np.zeros((n, n))
    f0 = f(at)
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            if i == j:
                hess[i, i] = (f(at + ei) - 2 * f0 + f(at - ei)) / h**2
            else:
                cross = f(at + ei + ej) - f(at + ei - ej) - f(at - ei + ej) + f(at - ei - ej)
                hess[i, j] = hess[j, i] = cross / (4 * h**2)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return np.full((n, n), np.nan)
    return cov if np.all(np.linalg.eigvalsh(hess) > 0) else np.full((n, n), np.nan)


@dataclass(frozen=True, repr=False, eq=False)
class MarkedHawkesResult(Result):
    """A Hawkes process whose excitation scales with the trigger's marks, and its test against the unmarked.

    Attributes
    ----------
    terms : list of str
    gamma : ndarray
        Per unit of each mark term: an event with one unit more sets off ``exp(gamma)`` times as many.
    gamma_cov : ndarray
        Their covariance (the profile likelihood's curvature, decay held).
    loglik, unmarked_loglik : float
        The marked and the unmarked model's log-likelihoods, with the same background.
    decay : float
    adjacency : ndarray
        ``adjacency[i, j]``: events of side ``i`` one average event of side ``j`` sets off.
    missing : ndarray
        Events whose mark term was missing (given the mean), per term.
    weights : DataFrame
        Each event's marks and weight ``w_l``.
    """

    terms: list[str]
    gamma: np.ndarray
    gamma_cov: np.ndarray
    loglik: float
    unmarked_loglik: float
    decay: float
    adjacency: np.ndarray
    sides: list[str]
    missing: np.ndarray
    weights: pd.DataFrame
    alpha: float
    background: str
    tide: pd.Timedelta
    _profile: tuple[Any, float, np.ndarray, np.ndarray] = field(repr=False)

    @property
    def lr_statistic(self) -> float:
        """``2 (loglik - unmarked_loglik)``, at least 0."""
        return max(0.0, 2 * (self.loglik - self.unmarked_loglik))

    @property
    def pvalue(self) -> float:
        """The likelihood-ratio test's p-value (chi-square, one degree of freedom per term)."""
        return float(sps.chi2.sf(self.lr_statistic, len(self.terms)))

    def settings(self) -> dict[str, Any]:
        return {"marks": self.terms, "alpha": self.alpha, "background": self.background, "tide": self.tide}

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Wald intervals of ``gamma`` per term: ``term, gamma, lower, upper``."""
        z = sps.norm.ppf(1 - (self.alpha if alpha is None else alpha) / 2)
        se = np.sqrt(np.diag(self.gamma_cov))
        return pd.DataFrame({"term": self.terms, "gamma": self.gamma, "lower": self.gamma - z * se,
                             "upper": self.gamma + z * se})  # fmt: skip

    def summary(self) -> pd.DataFrame:
        """One row per mark term: ``gamma``, ``se``, its interval, ``multiplier`` (``exp(gamma)``: how many times
        as many events one unit more sets off) with its interval, the events whose mark was ``missing``, the
        joint likelihood-ratio test (``lr_statistic``, ``df``, ``pvalue``: the same on every row) and a ``note``
        where the data cannot tell (an estimate at the edge of the search, or a likelihood too flat for an
        interval)."""
        ci = self.conf_int()
        g_std = self._profile[2]
        edge, flat = "the estimate sits at the edge of its search range", "the likelihood is too flat for an interval"
        notes = [f"the data cannot tell: {edge}" if abs(g) >= GAMMA_BOUND - 1e-3
                 else f"the data cannot tell: {flat}" if not np.isfinite(lo) else ""
                 for g, lo in zip(g_std, ci["lower"], strict=True)]  # fmt: skip
        return pd.DataFrame({
            "term": self.terms, "gamma": self.gamma, "se": np.sqrt(np.diag(self.gamma_cov)),
            "lower": ci["lower"], "upper": ci["upper"], "multiplier": np.exp(self.gamma),
            "multiplier_lower": np.exp(ci["lower"]), "multiplier_upper": np.exp(ci["upper"]),
            "missing": self.missing, "lr_statistic": self.lr_statistic, "df": len(self.terms), "pvalue": self.pvalue,
            "note": notes,
        })  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        """Each event's marks and weight (a copy)."""
        return self.weights.copy()

    @cached_property
    def profile(self) -> pd.DataFrame:
        """The log-likelihood along each term's ``gamma`` (the others at their estimates, the decay held):
        ``term, gamma, loglik``, 21 points over four standard errors (or one unit) either side."""
        negloglik, decay, g_hat, scale = self._profile
        se = np.sqrt(np.diag(self.gamma_cov))
        parts = []
        for k, term in enumerate(self.terms):
            half = 4 * se[k] if np.isfinite(se[k]) else 1.0
            grid = self.gamma[k] + np.linspace(-half, half, 21)
            values = []
            for g in grid:
                at = g_hat.copy()
                at[k] = g * scale[k]
                values.append(-negloglik(at, decay))
            parts.append(pd.DataFrame({"term": term, "gamma": grid, "loglik": values}))
        return pd.concat(parts, ignore_index=True)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The profile log-likelihood of each term's ``gamma``, with the estimate, 0 (no effect of the mark)
        and the likelihood-ratio cut-off at ``1 - alpha`` (:func:`escalation.plotting.mark_profiles`)."""
        from ...plotting import mark_profiles

        return mark_profiles(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        effects = ", ".join(f"{t} x{np.exp(g):.2f}" for t, g in zip(self.terms, self.gamma, strict=True))
        return (f"<MarkedHawkesResult: {effects} per unit; LR = {self.lr_statistic:.2f}, df {len(self.terms)}, "
                f"p = {self.pvalue:.3g}; decay {self.decay:.3g}>")  # fmt: skip
