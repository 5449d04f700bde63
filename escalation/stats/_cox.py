"""Cox proportional hazards with Efron's ties, vectorised: the fit the answer model repeats for every draw.

statsmodels' ``PHReg`` walks its risk sets one distinct failure time at a time in Python (and its score
residuals with Python sets of rows), which is fine for day-dated waits (a few distinct times) but took 5 s for
one fit of 8,000 waits with clock times, and the comparison with the tides fits 199 more. Here every sum over a
risk set is a cumulative sum over the waits sorted from the longest, within each stratum, and Efron's
correction for tied failures is one row per failure ("slot"), so the likelihood, its score and its Hessian
are a few array operations whatever the number of distinct times. The numbers are those of ``PHReg(...,
ties="efron")`` and of lifelines' ``CoxPHFitter`` (tests/stats/test_answers.py); the clustered sandwich uses
the same (Breslow) score residuals as ``PHReg.robust_covariance``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CoxData:
    """Waits sorted by stratum and from the longest, with the groups of equal (stratum, wait)."""

    x: np.ndarray  # (n, p), sorted
    event: np.ndarray  # (n,) bool, sorted
    order: np.ndarray  # positions in the caller's rows of the sorted rows
    group: np.ndarray  # (n,) the group of equal (stratum, wait) of each sorted row
    group_end: np.ndarray  # (G,) last sorted row of each group
    stratum_start: np.ndarray  # (G,) first sorted row of each group's stratum
    slot_group: np.ndarray  # (m,) the group of each failure
    slot_share: np.ndarray  # (m,) Efron's l / d of each failure within its group

    @classmethod
    def of(cls, duration: np.ndarray, event: np.ndarray, x: np.ndarray, strata: np.ndarray | None) -> CoxData:
        strata = np.zeros(len(duration), np.int64) if strata is None else np.asarray(strata)
        order = np.lexsort((-np.asarray(duration, float), strata))
        t, s = np.asarray(duration, float)[order], strata[order]
        new = np.r_[True, (t[1:] != t[:-1]) | (s[1:] != s[:-1])] if len(t) else np.zeros(0, bool)
        group = np.cumsum(new) - 1
        starts = np.flatnonzero(new)
        ends = np.r_[starts[1:], len(t)] - 1
        first_of_stratum = np.r_[True, s[1:] != s[:-1]] if len(t) else np.zeros(0, bool)
        stratum_row = np.maximum.accumulate(np.where(first_of_stratum, np.arange(len(t)), 0))
        e = np.asarray(event, bool)[order]
        d = np.bincount(group[e], minlength=len(starts))
        slot_group = np.repeat(np.arange(len(starts)), d)
        # l / d for l = 0 .. d - 1 within each group's failures
        within = np.arange(len(slot_group)) - np.repeat(np.cumsum(d) - d, d)
        return cls(np.asarray(x, float)[order], e, order, group, ends, stratum_row[starts], slot_group,
                   within / np.repeat(np.maximum(d, 1), d))  # fmt: skip

    def risk_sums(self, v: np.ndarray) -> np.ndarray:
        """Sums of ``v`` (sorted rows first) over each group's risk set: its stratum's rows with a wait at least
        as long."""
        c = np.cumsum(v, axis=0)
        before = np.where((self.stratum_start > 0)[(...,) + (None,) * (v.ndim - 1)],
                          c[np.maximum(self.stratum_start - 1, 0)], 0.0)  # fmt: skip
        return c[self.group_end] - before

    def event_sums(self, v: np.ndarray) -> np.ndarray:
        out = np.zeros((len(self.group_end), *v.shape[1:]))
        np.add.at(out, self.group[self.event], v[self.event])
        return out


def _parts(data: CoxData, beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Log partial likelihood, score, Hessian and each sorted row's relative risk at ``beta``."""
    eta = data.x @ beta
    r = np.exp(eta - eta.max()) if len(eta) else eta  # shifting eta scales every risk set alike
    rx = r[:, None] * data.x
    rxx = rx[:, :, None] * data.x[:, None, :]
    s0, s1, s2 = data.risk_sums(r), data.risk_sums(rx), data.risk_sums(rxx)
    t0, t1, t2 = data.event_sums(r), data.event_sums(rx), data.event_sums(rxx)
    g, f = data.slot_group, data.slot_share
    den = s0[g] - f * t0[g]
    num1 = s1[g] - f[:, None] * t1[g]
    num2 = s2[g] - f[:, None, None] * t2[g]
    loglik = float((eta - eta.max())[data.event].sum() - np.log(den).sum())
    score = data.x[data.event].sum(axis=0) - (num1 / den[:, None]).sum(axis=0)
    mean = num1 / den[:, None]
    hessian = -(num2 / den[:, None, None] - mean[:, :, None] * mean[:, None, :]).sum(axis=0)
    return loglik, score, hessian, r


def fit_cox(
    duration: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray | None = None,
    *,
    start: np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 50,
) -> tuple[np.ndarray, np.ndarray, CoxData]:
    """Newton-Raphson (with step halving) for Efron's partial likelihood: coefficients, Hessian at them, and
    the sorted data (for :func:`clustered_covariance`). Raises ``np.linalg.LinAlgError`` when the Hessian is
    singular and ``FloatingPointError`` when the fit does not converge."""
    data = CoxData.of(duration, event, x, strata)
    beta = np.zeros(data.x.shape[1]) if start is None else np.asarray(start, float).copy()
    loglik, score, hessian, _ = _parts(data, beta)
    for _ in range(max_iter):
        step = np.linalg.solve(hessian, score)
        size = 1.0
        while True:
            trial = beta - size * step
            new = _parts(data, trial)
            if np.isfinite(new[0]) and new[0] >= loglik - 1e-12:
                break
            size /= 2
            if size < 1e-8:
                raise FloatingPointError("the Cox fit did not converge")
        beta, (loglik, score, hessian, _) = trial, new
        if np.abs(size * step).max(initial=0.0) < tol:
            return beta, hessian, data
    raise FloatingPointError("the Cox fit did not converge")


def clustered_covariance(data: CoxData, beta: np.ndarray, hessian: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """The sandwich ``H^-1 (sum_c U_c U_c') H^-1`` with ``U_c`` the sum of the (Breslow) score residuals of
    cluster ``c`` (``clusters``: one label per row, in the caller's order)."""
    eta = data.x @ beta
    r = np.exp(eta - eta.max())
    s0, s1 = data.risk_sums(r), data.risk_sums(r[:, None] * data.x)
    d = np.bincount(data.group[data.event], minlength=len(s0)).astype(float)
    hazard = np.where(d > 0, d / np.where(s0 > 0, s0, 1.0), 0.0)  # Breslow's increment per group
    mean = s1 / np.where(s0 > 0, s0, 1.0)[:, None]
    # cumulated from the shortest wait within each stratum: sorted rows run from the longest, so reverse
    stratum = np.searchsorted(np.unique(data.stratum_start), data.stratum_start)
    a = _cumulate_shortest_first(hazard, stratum)
    b = _cumulate_shortest_first(mean * hazard[:, None], stratum)
    g = data.group
    resid = np.where(data.event[:, None], data.x - mean[g], 0.0) - r[:, None] * (data.x * a[g][:, None] - b[g])
    labels = np.asarray(clusters)[data.order]
    _, code = np.unique(labels, return_inverse=True)
    per_cluster = np.zeros((code.max(initial=-1) + 1, data.x.shape[1]))
    np.add.at(per_cluster, code, resid)
    inverse = np.linalg.inv(hessian)
    return inverse @ (per_cluster.T @ per_cluster) @ inverse


def _cumulate_shortest_first(v: np.ndarray, stratum: np.ndarray) -> np.ndarray:
    """Per group, the sum of ``v`` over the groups of its stratum with a wait at most as long (groups run from
    the longest wait within each stratum)."""
    out = np.cumsum(v[::-1], axis=0)[::-1]
    # subtract what the later strata (earlier in reversed order) added: the sum from each stratum's end onward
    ends = np.r_[np.flatnonzero(stratum[1:] != stratum[:-1]) + 1, len(stratum)]
    after = np.r_[out[ends[:-1]], np.zeros((1, *v.shape[1:]))] if len(ends) else np.zeros((0, *v.shape[1:]))
    return out - after[stratum]
