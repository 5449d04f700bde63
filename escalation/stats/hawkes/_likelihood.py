"""The likelihood every Hawkes model of the package maximises: a Poisson process linear in its parameters.

One dimension's intensity at each design row is ``x @ theta`` (a background column and one kernel sum per
source, per event or per day), and its compensator is ``comp @ theta``; the log-likelihood is concave in
``theta``. :mod:`.model` (one dimension per side), :mod:`.dyadic` (per directed dyad) and
:mod:`escalation.stats.delay` (a kernel by day lag) all fit it with L-BFGS-B and this analytic gradient.
"""

from __future__ import annotations

import numpy as np


def negloglik(
    theta: np.ndarray, x: np.ndarray, comp: np.ndarray, w: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Negative log-likelihood of one dimension and its gradient.

    ``x`` is the design (one row per event of the dimension: 1, decay * R[k, :];
    or, per day, one row per day with events: 1, X[d, :]), ``w`` the events per
    row (default one), ``comp`` the compensator coefficients (end time, G_1..G_D;
    per day: number of days, sum of X).
    """
    lam = x @ theta
    if np.any(lam <= 0):
        return np.inf, np.zeros_like(theta)
    weights = np.ones(len(lam)) if w is None else w
    value = -(weights @ np.log(lam) - comp @ theta)
    grad = -(x.T @ (weights / lam) - comp)
    return float(value), grad


#: An eigenvalue of the observed information below this share of its largest marks a direction the data
#: do not identify (e.g. two kernel columns that are equal because the events come at a fixed beat).
SINGULAR = 1e-10


def observed_cov(x: np.ndarray, theta: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """The inverse observed information of :func:`negloglik` at ``theta``; NaN rows and columns for the
    parameters on their zero bound, which have no usual standard error, and for those the information does
    not identify (they load on one of its null directions); the rest are inverted alone.

    Inverting a singular information anyway gives numbers, even negative variances, that mean nothing.
    """
    weights = np.ones(len(x)) if w is None else w
    scaled = x * (np.sqrt(weights) / (x @ theta))[:, None]
    info = scaled.T @ scaled
    cov = np.full_like(info, np.nan)
    interior = np.flatnonzero(theta > 1e-8)
    if len(interior) == 0:
        return cov
    block = info[np.ix_(interior, interior)]
    values, vectors = np.linalg.eigh(block)
    null = values <= max(values.max(), 0.0) * SINGULAR
    kept = interior[~np.any(np.abs(vectors[:, null]) > 1e-6, axis=1)]
    if len(kept):
        cov[np.ix_(kept, kept)] = np.linalg.inv(info[np.ix_(kept, kept)])
    return cov
