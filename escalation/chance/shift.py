"""Shift (randomization) p-values for Granger-type tests: does the cause's past predict the effect beyond chance?

Asymptotic Granger tests assume the model captures each series' own dynamics. Conflict series are
persistent in ways a few lags do not capture (an intifada's phases last months): on two *independent*
over-dispersed series whose intensity drifts like that, the VAR F-test rejects a true null 14% of the time at
the 5% level, and 34% beside a true one-way effect in the other direction (``benchmarks/calibration.py``,
1,000 and 500 tests). A longer HAC bandwidth makes Wald tests worse, not better (the covariance of many
restrictions becomes noisy). With shifts of the HAC statistic: 4.7% and 4.6%.

The randomization answer needs no model of the persistence: shift the cause's whole series in time
(circularly, by more than the longest lag plus a margin), which keeps its own autocorrelation, bursts and
marginal distribution exactly and breaks only its alignment with the effect; recompute the statistic; the
p-value is the share of shifts whose statistic reaches the observed one, ``(1 + #{shifted >= observed}) /
(1 + shifts)``. This is the surrogate-data test of neuroscience spike trains and the chance baseline this
package already uses for links (:mod:`escalation.baseline`).

Each shift costs a few matrix products, because the statistic is a **score** (Lagrange multiplier)
statistic: the restricted model (the effect on its own lags and the controls) is fitted once, and only the
cause's lag columns change with the shift.

For every model (``ols`` for each VAR equation, ``poisson``, ``negbin`` with the dispersion of the restricted
fit, ``logit``) the statistic is ``U' V^-1 U``, with ``U`` the score of the cause's lags and ``V`` its HAC
(Newey-West) variance; with bandwidth 0 it is statsmodels' ``GLMResults.score_test(cov_type="HC0")`` (a test
checks they agree). For OLS, ``kind="f"`` gives the classical Granger F instead (a test checks it equals the
VAR's).

The null the shifts reproduce is that the two series are independent. When the effect drives the cause
(one-way retaliation), shifting the cause also breaks that, so the reverse-direction p-value is an
approximation; the calibration benchmark measures its size in that case too.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Fewer distinct shifts than this and a 5% test is impossible: the caller falls back to asymptotic p.
MIN_SHIFTS = 19


@dataclass
class Restricted:
    """The restricted fit of one effect: what the score statistic needs, whatever the model."""

    x: np.ndarray  # restricted design (n x p)
    resid: np.ndarray  # score residual per observation
    weight: np.ndarray  # IRLS weight per observation
    model: str


def fit_model(model: str, y: np.ndarray, x: np.ndarray) -> Any:
    """A converged statsmodels fit of ``poisson``, ``negbin`` or ``logit``; None when it did not converge.

    Raises what statsmodels raises for a model that cannot be fitted at all (LinAlgError, ValueError, ...).
    """
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and perfect-prediction chatter: judged here instead
        if model == "poisson":
            fit = sm.GLM(y, x, family=sm.families.Poisson()).fit()
            return fit if fit.converged else None
        if model == "negbin":
            return fit_negbin(y, x)
        if model == "logit":
            fit = sm.Logit(y, x).fit(disp=0, maxiter=300)
            return fit if fit.mle_retvals.get("converged", False) else None
    raise ValueError(model)  # pragma: no cover - callers pass known names


def fit_restricted(model: str, y: np.ndarray, x: np.ndarray) -> Restricted | str:
    """Fit the restricted model; the reason as a string when it cannot be fitted."""
    if model == "ols":
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        return Restricted(x, y - x @ beta, np.ones_like(y), model)
    if np.all(y == y[0]):
        return "not estimable: the outcome never varies"
    try:
        fit = fit_model(model, y, x)
    except (np.linalg.LinAlgError, ValueError, OverflowError) as exc:
        return f"not estimable: the model could not be fitted ({type(exc).__name__})"
    if fit is None:
        return "not estimable: the fit did not converge"
    params = np.asarray(fit.params, dtype=float)
    if model == "negbin":  # NB2: score residual and weight at the restricted dispersion
        alpha = float(params[-1])
        mu = np.exp(x @ params[:-1])
        return Restricted(x, (y - mu) / (1 + alpha * mu), mu / (1 + alpha * mu), model)
    mu = np.asarray(fit.mu if model == "poisson" else fit.predict(), dtype=float)
    weight = mu if model == "poisson" else mu * (1 - mu)
    return Restricted(x, y - mu, weight, model)


def fit_negbin(y: np.ndarray, x: np.ndarray) -> Any:
    """NB2 maximum likelihood: the best converged fit of BFGS and L-BFGS, or None.

    Neither optimiser is safe alone: at no over-dispersion BFGS stops with "precision loss", and on
    B'Tselem's Palestinian series L-BFGS reports convergence at dispersion 2e-9 with a log-likelihood
    1,000 below BFGS's optimum (dispersion 12.4). Both are run and the higher likelihood kept.
    """
    import statsmodels.api as sm

    best = None
    for method in ("bfgs", "lbfgs"):
        fit = sm.NegativeBinomial(y, x).fit(disp=0, maxiter=1000, method=method)
        if fit.mle_retvals.get("converged", False) and np.isfinite(fit.llf) and (best is None or fit.llf > best.llf):
            best = fit
    return best


def score_statistic(r: Restricted, xc: np.ndarray, hac_lags: int, kind: str = "hac") -> float:
    """The statistic of adding columns ``xc`` to the restricted model.

    ``kind="hac"``: the score statistic with a HAC variance (any model, OLS included); ``kind="f"`` (OLS
    only): the classical Granger F. The shift p-values use the HAC one for every model: on persistent,
    heavy-tailed series the shift test of the F statistic rejected a true null 8% of the time at 5%, of
    the HAC statistic 5.5% (400 tests; a studentised statistic is what makes randomization tests robust
    when the series are not exchangeable).
    """
    w = r.weight[:, None]
    xtwx = r.x.T @ (w * r.x)
    try:
        coef = np.linalg.solve(xtwx, r.x.T @ (w * xc))
    except np.linalg.LinAlgError:
        return np.nan
    xt = xc - r.x @ coef  # the cause's columns net of what the restricted design explains
    if kind == "f":
        n, p, q = len(r.resid), r.x.shape[1], xc.shape[1]
        gram = xt.T @ xt
        try:
            explained = float(r.resid @ xt @ np.linalg.solve(gram, xt.T @ r.resid))
        except np.linalg.LinAlgError:
            return np.nan
        rss = float(r.resid @ r.resid) - explained
        return (explained / q) / (rss / (n - p - q))
    contributions = xt * r.resid[:, None]
    u = contributions.sum(axis=0)
    v = hac(contributions, hac_lags)
    try:
        return float(u @ np.linalg.solve(v, u))
    except np.linalg.LinAlgError:
        return np.nan


#: Resampled statistics computed together (bounds the stacked columns to about ``CHUNK * n * q`` numbers).
CHUNK = 64


def score_statistics(r: Restricted, xcs: np.ndarray, hac_lags: int) -> np.ndarray:
    """:func:`score_statistic` (``kind="hac"``) of each of ``k`` column sets ``xcs`` ``(k, n, q)``, together.

    The restricted design's cross-product is formed once and every set's columns are regressed on it in one
    solve; the scores and their HAC variances are batched. The same numbers as a loop of
    :func:`score_statistic` (a test holds them together), at a fraction of the Python overhead: a
    resampling test computes 200 of them for every cause and effect.
    """
    k, n, q = xcs.shape
    w = r.weight[:, None]
    xtwx = r.x.T @ (w * r.x)
    out = np.full(k, np.nan)
    for lo in range(0, k, CHUNK):
        part = xcs[lo : lo + CHUNK]
        m = len(part)
        flat = part.transpose(1, 0, 2).reshape(n, m * q)
        try:
            coef = np.linalg.solve(xtwx, r.x.T @ (w * flat))
        except np.linalg.LinAlgError:
            return out
        scores = ((flat - r.x @ coef) * r.resid[:, None]).reshape(n, m, q).transpose(1, 0, 2)
        u = scores.sum(axis=1)
        front = scores.transpose(0, 2, 1)
        v = front @ scores
        for lag in range(1, hac_lags + 1):
            gamma = front[:, :, lag:] @ scores[:, :-lag]
            v += (1 - lag / (hac_lags + 1)) * (gamma + gamma.transpose(0, 2, 1))
        for j in range(m):  # q x q systems: a singular one is NaN, as in score_statistic
            try:
                out[lo + j] = float(u[j] @ np.linalg.solve(v[j], u[j]))
            except np.linalg.LinAlgError:
                pass
    return out


def hac(s: np.ndarray, lags: int) -> np.ndarray:
    """Newey-West (Bartlett) long-run variance of the sum of the rows of ``s`` (no centring: a score)."""
    v = s.T @ s
    for lag in range(1, lags + 1):
        gamma = s[lag:].T @ s[:-lag]
        v += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    return v


def shifts_for(n: int, deepest: int, n_shifts: int, seed: int) -> np.ndarray:
    """Distinct circular shifts, each more than twice the deepest lag from no shift (and at least 30 periods
    when the series allows), drawn without replacement."""
    margin = max(2 * deepest + 1, min(30, n // 4))
    allowed = np.arange(margin, n - margin + 1)
    if len(allowed) <= n_shifts:
        return allowed
    return np.sort(np.random.default_rng(seed).choice(allowed, size=n_shifts, replace=False))


def null_indices(inference: str, n: int, deepest: int, draws: int, seed: int, block: int) -> np.ndarray:
    """``(draws, n)`` indices of the cause's resampled series: rotations within blocks of the tide
    (``inference="tide"``, :mod:`escalation.chance.series`), or circular shifts of the whole series
    (``"shift"``); none for ``"asymptotic"``, or when too few distinct draws exist for a 5% test."""
    if inference == "tide":
        from .series import rotation_indices

        return rotation_indices(n, block, draws, seed) if n >= 2 * block else np.empty((0, n), np.int64)
    if inference == "shift":
        shifts = shifts_for(n, deepest, draws, seed)
        return (np.arange(n)[None, :] - shifts[:, None]) % n
    return np.empty((0, n), np.int64)


def shift_pvalue(
    r: Restricted,
    cause_values: np.ndarray,
    build: Any,
    hac_lags: int,
    indices: np.ndarray,
) -> tuple[float, float, int]:
    """(observed statistic, resampling p-value, draws used) for one cause; ``build(values)`` makes its lag
    columns (of one series, or of each row of a ``(draws, n)`` array) and ``indices`` (:func:`null_indices`)
    resample the cause's series."""
    observed = score_statistic(r, build(cause_values), hac_lags)
    if not np.isfinite(observed) or len(indices) < MIN_SHIFTS:
        return observed, np.nan, 0  # no resampling p-value: no draw was used
    stats = score_statistics(r, build(cause_values[indices]), hac_lags)
    stats = stats[np.isfinite(stats)]
    return observed, float((1 + np.sum(stats >= observed)) / (1 + len(stats))), len(stats)
