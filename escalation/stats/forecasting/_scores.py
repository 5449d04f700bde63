"""Proper scoring rules for forecasts of "any action" and of counts, and the comparison of two forecasters.

- **Brier score** of a probability ``p`` for an outcome ``y`` in {0, 1}: ``(p - y)^2`` (Brier 1950).
- **Log score**: ``-log p`` when the action came, ``-log(1 - p)`` when it did not (natural logarithm;
  probabilities are kept inside ``[LOG_FLOOR, 1 - LOG_FLOOR]`` so that one confident miss is costly, not
  infinite).
- **Ranked probability score** of a count forecast (its cumulative distribution ``F``) for an observed count
  ``y``: ``sum_k (F(k) - 1[y <= k])^2`` over ``k = 0, 1, ...`` (Epstein 1969; Czado, Gneiting & Held 2009,
  the discrete analogue of the CRPS). Lower is better for all three.
- **Diebold-Mariano**: is one forecaster's mean score lower than another's? The mean of the score
  differences over origins, with a Newey-West (HAC) standard error, because the outcomes of nearby origins
  are correlated (Diebold & Mariano 1995). statsmodels computes the HAC covariance.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

#: Probabilities are clipped to [LOG_FLOOR, 1 - LOG_FLOOR] in the log score.
LOG_FLOOR = 1e-4


def brier(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per forecast: ``(p - y)^2``."""
    return (np.asarray(p, float) - np.asarray(y, float)) ** 2


def log_score(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per forecast: ``-log p`` if ``y`` else ``-log(1 - p)``, with ``p`` clipped to ``[LOG_FLOOR, 1 - LOG_FLOOR]``."""
    p = np.clip(np.asarray(p, float), LOG_FLOOR, 1 - LOG_FLOOR)
    return -np.where(np.asarray(y, bool), np.log(p), np.log1p(-p))


def rps(cdf: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per forecast: the ranked probability score of the cumulative distributions ``cdf`` (one row per forecast,
    ``cdf[r, k] = P(count <= k)``, the last column 1 or nearly) for the observed counts ``y``.

    Beyond the last column the cumulative probability is taken to stay at its last value, so an observed count
    above it adds ``F_last^2`` per count it exceeds the column by.
    """
    cdf = np.asarray(cdf, float)
    y = np.asarray(y, np.int64)
    k = np.arange(cdf.shape[1])
    inside = ((cdf - (y[:, None] <= k[None, :])) ** 2).sum(axis=1)
    beyond = np.maximum(y - cdf.shape[1], 0) * cdf[:, -1] ** 2  # k from the last column + 1 to y - 1
    return inside + beyond


def poisson_cdf(mean: np.ndarray, width: int) -> np.ndarray:
    """``(len(mean), width)``: Poisson cumulative probabilities of ``0 .. width - 1``."""
    return sps.poisson.cdf(np.arange(width)[None, :], np.asarray(mean, float)[:, None])


def counts_cdf(samples: np.ndarray, width: int) -> np.ndarray:
    """``(rows, width)``: the empirical cumulative distribution of each row of simulated counts."""
    samples = np.asarray(samples, np.int64)
    rows, n = samples.shape
    hist = np.zeros((rows, width + 1))
    np.add.at(hist, (np.repeat(np.arange(rows), n), np.minimum(samples, width).ravel()), 1.0)
    return np.cumsum(hist[:, :width], axis=1) / n


def diebold_mariano(loss_a: np.ndarray, loss_b: np.ndarray, lags: int | None = None) -> tuple[float, float, float]:
    """Mean of ``loss_a - loss_b``, its HAC standard error and the two-sided p-value (normal reference).

    ``lags`` (Newey-West truncation) defaults to ``floor(4 (n / 100)^(2/9))``, the usual rule.
    """
    import statsmodels.api as sm

    d = np.asarray(loss_a, float) - np.asarray(loss_b, float)
    d = d[np.isfinite(d)]
    n = len(d)
    if n < 3 or np.allclose(d, d[0]):
        return (float(d.mean()) if n else np.nan), np.nan, np.nan
    lags = int(np.floor(4 * (n / 100) ** (2 / 9))) if lags is None else lags
    fit = sm.OLS(d, np.ones(n)).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    se = float(fit.bse[0])
    z = float(d.mean()) / se if se > 0 else np.nan
    return float(d.mean()), se, float(2 * sps.norm.sf(abs(z))) if np.isfinite(z) else np.nan
