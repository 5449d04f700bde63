"""Benchmark: one Cox fit (Efron's ties, clustered sandwich) of the answer model, against statsmodels' PHReg.

Run:  python benchmarks/bench_cox.py [--sizes 1e3 1e4 1e5] [--phreg-up-to 1e4]

Waits: exponential with two traits, censored at 30 days, clusters of two actions on average; "timed" waits are
continuous (every wait its own time), "dated" waits are whole days (30 distinct times). For each size, in one
process (peak resident memory above the start):

* ``bare sort + cumsum``: the operations the fit cannot avoid (one sort of the waits, a cumulative sum of the
  risk scores);
* ``escalation``: :func:`escalation.stats._cox.fit_cox` and :func:`~escalation.stats._cox.clustered_covariance`,
  what :func:`escalation.answer_model` runs once per direction and once per draw (199 draws);
* ``statsmodels``: ``PHReg(..., ties="efron").fit(groups=...)`` (up to ``--phreg-up-to`` waits: it walks the
  distinct times in Python), and the largest difference of coefficients and clustered errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import measure

from escalation.stats._cox import clustered_covariance, fit_cox


def waits(n: int, dated: bool, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.c_[rng.normal(size=n), rng.random(n) < 0.4].astype(float)
    t = rng.exponential(6 / np.exp(0.5 * x[:, 0] - 0.7 * x[:, 1]))
    if dated:
        t = np.ceil(t)
    return np.minimum(t, 30.0), t <= 30, x, rng.integers(0, max(n // 2, 1), n)


def run(n: int, dated: bool, phreg_up_to: float) -> None:
    duration, event, x, groups = waits(n, dated)
    kind = "dated" if dated else "timed"

    def bare() -> float:
        order = np.argsort(-duration, kind="stable")
        return float(np.cumsum(np.exp(x[order] @ np.array([0.5, -0.7])))[-1])

    def ours() -> tuple[np.ndarray, np.ndarray]:
        beta, hessian, data = fit_cox(duration, event, x)
        return beta, np.sqrt(np.diag(clustered_covariance(data, beta, hessian, groups)))

    _, seconds, peak = measure(bare)
    print(f"{n:>8} {kind:>6} {'bare sort + cumsum':>18} {seconds:>9.3f} {peak / 2**20:>9.1f}")
    (beta, se), seconds, peak = measure(ours)
    print(f"{n:>8} {kind:>6} {'escalation':>18} {seconds:>9.3f} {peak / 2**20:>9.1f}")
    if n <= phreg_up_to:
        from statsmodels.duration.hazard_regression import PHReg

        model = PHReg(duration, x, status=event.astype(int), ties="efron")
        fitted, seconds, peak = measure(lambda: model.fit(groups=groups))
        agree = max(np.abs(beta - fitted.params).max(), np.abs(se - fitted.bse).max())
        print(f"{n:>8} {kind:>6} {'statsmodels':>18} {seconds:>9.3f} {peak / 2**20:>9.1f}  {agree:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e4, 1e5])
    parser.add_argument("--phreg-up-to", type=float, default=1e4)
    args = parser.parse_args()
    print(f"{'waits':>8} {'kind':>6} {'what':>18} {'seconds':>9} {'peak MiB':>9}  agreement")
    for size in args.sizes:
        for dated in (True, False):
            run(int(size), dated, args.phreg_up_to)


if __name__ == "__main__":
    main()
