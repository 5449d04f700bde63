"""Size and power of the trend test (``escalation.stats.trend``) on simulated monthly counts.

Null: negative-binomial counts (gamma mixing, shape 2) around a latent log-intensity that follows a stationary
AR(1) with monthly autocorrelation ``phi`` (sd 0.5): persistent, over-dispersed, no trend. Alternative: the
same with the intensity multiplied by ``exp(slope)`` a year. Each cell: ``REPS`` series, the share with
p < 0.05. The test is applied exactly as ``trend()`` applies it (log(1 + monthly rate), fixed-b statistic,
p from 9,999 white-noise draws at the same months).

    python benchmarks/trend_size.py            # 1,000 series a cell (about 2 minutes)
    python benchmarks/trend_size.py 200        # quicker
"""

from __future__ import annotations

import sys
import time

import numpy as np

from escalation.stats.trend import kvb_pvalue, kvb_statistic


def simulate(months: int, phi: float, mean: float, rng: np.random.Generator, slope: float = 0.0) -> np.ndarray:
    """Monthly counts: NB around exp(latent AR(1) + slope * years)."""
    burn, sd = 50, 0.5
    shocks = rng.normal(0, np.sqrt(1 - phi**2) * sd, months + burn)
    latent = np.zeros(months + burn)
    for i in range(1, months + burn):
        latent[i] = phi * latent[i - 1] + shocks[i]
    years = np.arange(months) / 12
    rate = mean * np.exp(latent[burn:] - sd**2 / 2 + slope * (years - years.mean()))
    return rng.poisson(rate * rng.gamma(2.0, 0.5, months))


def rejects(counts: np.ndarray) -> bool:
    years = np.arange(len(counts)) / 12
    _, _, stat = kvb_statistic(np.log1p(counts), years)
    return kvb_pvalue(stat, years) < 0.05


def rank_rejects(months: int, phi: float, rng: np.random.Generator) -> bool:
    """The ``rank`` measure: monthly mean rank of the month's events (months without events left out), ranks
    0-9 around a persistent latent level (AR(1), ``phi``), event counts as in :func:`simulate` (mean 3)."""
    counts = simulate(months, 0.5, 3, rng)
    level = np.zeros(months + 50)
    for i in range(1, months + 50):
        level[i] = phi * level[i - 1] + rng.normal(0, np.sqrt(1 - phi**2))
    level = 5 + level[50:]
    means = np.array([np.clip(np.round(level[m] + rng.normal(0, 1.5, c)), 0, 9).mean() if c else np.nan
                      for m, c in enumerate(counts)])  # fmt: skip
    keep = ~np.isnan(means)
    years = np.arange(months)[keep] / 12
    _, _, stat = kvb_statistic(np.log1p(means[keep]), years)
    return kvb_pvalue(stat, years) < 0.05


def main(reps: int) -> None:
    rng = np.random.default_rng(20261129)
    began = time.perf_counter()
    print(f"size at 5% ({reps} series a cell); months x monthly autocorrelation, mean 2 and 20 events a month")
    print(f"{'months':>7} {'phi':>5} {'mean 2':>8} {'mean 20':>8}")
    for months in (24, 60, 276):
        for phi in (0.0, 0.5, 0.8, 0.9):
            cells = [np.mean([rejects(simulate(months, phi, m, rng)) for _ in range(reps)]) for m in (2, 20)]
            print(f"{months:>7} {phi:>5} {cells[0]:>8.3f} {cells[1]:>8.3f}", flush=True)
    print("size at 5% of the rank measure (mean ladder rank of each month's events; months without events out)")
    for months in (24, 60, 276):
        cells = [np.mean([rank_rejects(months, phi, rng) for _ in range(reps)]) for phi in (0.0, 0.5, 0.8)]
        print(f"{months:>7} months, phi 0 / 0.5 / 0.8: " + " / ".join(f"{c:.3f}" for c in cells), flush=True)
    print("power at 5%: intensity x1.5 a year (slope log 1.5), phi 0.5, mean 5 events a month")
    for months in (24, 60):
        power = np.mean([rejects(simulate(months, 0.5, 5, rng, np.log(1.5))) for _ in range(reps)])
        print(f"{months:>7} months: {power:.3f}", flush=True)
    print(f"{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
