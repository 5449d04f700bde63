"""Count-model Granger tests: does a cause's past predict an effect's count (or 0/1 outcome) beyond its own past?

Three choices make these tests hold their size on conflict series, which are over-dispersed (a few
mass-casualty days), autocorrelated beyond any fixed lag (phases of an intifada) and sparse:

- **Shift p-values** (:mod:`escalation.chance.shift`, default): the cause's series is shifted in time and the
  statistic recomputed; no model of the persistence is needed. The asymptotic p-value of the same HAC score
  statistic is reported beside it (``pvalue_asymptotic``); on counts it is close (2.3-4.3% at 5% on
  independent persistent series, ``benchmarks/calibration.py``), but the shift p is the one that holds for
  every model, the VAR's included.
- **log(1 + count) lags.** Raw lagged counts in a log link let one day with 100 deaths multiply the predicted
  rate by ``exp(100 b)``, so that day decides the test. ``log1p`` keeps the order of days and tames the
  scale; ``response`` is then the sum of the lag coefficients: the log rate ratio for a one-unit rise of
  ``log(1 + cause)`` (about 0 -> 2 deaths, or 2 -> 7) in every lag.
- **Failures are said, never printed as numbers.** A fit that did not converge, or whose lag coefficients
  run beyond +-20 on the log scale (separation: a rate ratio of e^20), gives missing numbers and the reason
  in ``note``.

The statistic is the score (Lagrange multiplier) statistic with a HAC variance, from the restricted fit
(the effect on its own lags and the controls), so the test does not need the full model to converge;
``response`` comes from the full model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2

from ..._core.levels import DRAWS
from ..._core.progress import steps
from ...chance.shift import fit_model, fit_restricted, null_indices, shift_pvalue

#: Lag coefficients beyond this (log scale) mean the likelihood has no finite maximum (separation).
MAX_ABS_COEFFICIENT = 20.0
NOT_CONVERGED = "response not estimable: the full model did not converge"
SEPARATED = "response not estimable: a lag coefficient diverges (separation or too few non-zero periods)"
ASYMPTOTIC_FALLBACK = "too few periods for a resampling test (two tides at least): asymptotic p-value"


def newey_west_lags(n: int) -> int:
    """Newey and West's (1994) bandwidth rule, ``floor(4 (n/100)^(2/9))``."""
    return max(1, int(np.floor(4 * (n / 100) ** (2 / 9))))


def group_name(low: int, high: int) -> str:
    return f"L{low}" if low == high else f"L{low}-{high}"


def lag_builder(lag_groups: list[tuple[int, int]], transform: str) -> Callable[[np.ndarray], np.ndarray]:
    """A function from one series (n,) to its lag-group columns (n - deepest, groups), or from several
    (k, n) to (k, n - deepest, groups) (a resampling test's draws, all at once).

    A group ``(1, 1)`` is lag 1; ``(2, 7)`` is the mean of lags 2 to 7 (the grouped lags of daily studies).
    """
    deepest = max(high for _, high in lag_groups)

    def build(values: np.ndarray) -> np.ndarray:
        v = np.log1p(values) if transform == "log1p" else np.asarray(values, dtype=float)
        cumulative = np.concatenate([np.zeros((*v.shape[:-1], 1)), np.cumsum(v, axis=-1)], axis=-1)
        t = np.arange(deepest, v.shape[-1])
        # mean of v[t-high .. t-low] from the cumulative sum: no Python loop over days
        return np.stack(
            [(cumulative[..., t - low + 1] - cumulative[..., t - high]) / (high - low + 1) for low, high in lag_groups],
            axis=-1,
        )

    return build


def _lagged_inputs(
    series: pd.DataFrame, build: Callable[[np.ndarray], np.ndarray], deepest: int, controls: pd.DataFrame | None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Each series' values and lag columns, the constant and the control columns, aligned after ``deepest``."""
    raw = {str(c): series[c].to_numpy(dtype=float) for c in series.columns}
    lagged = {c: build(v) for c, v in raw.items()}
    n = len(series) - deepest
    extra = np.empty((n, 0)) if controls is None else controls.to_numpy(dtype=float)[deepest:]
    return raw, lagged, np.ones((n, 1)), extra


def count_model_tests(
    series: pd.DataFrame,
    lag_groups: list[tuple[int, int]],
    *,
    models: tuple[str, ...] = ("poisson", "negbin"),
    transform: str = "log1p",
    controls: pd.DataFrame | None = None,
    hac_lags: int | None = None,
    inference: str = "tide",
    draws: int = DRAWS,
    seed: int = 0,
    pairs: list[tuple[str, str]] | None = None,
    block: int = 14,
) -> pd.DataFrame:
    """Score tests that a cause's lags do not predict an effect, one row per model, cause and effect.

    ``models``: ``poisson`` (quasi-Poisson), ``negbin`` (NB2) for counts, ``logit`` for a 0/1 outcome.
    Columns: ``model, cause, effect, lags, statistic, df, df_denom, pvalue_asymptotic, pvalue, shifts,
    response, note``; ``pvalue`` is the shift p-value (``inference="shift"``) or the asymptotic one.
    """
    build = lag_builder(lag_groups, transform)
    deepest = max(high for _, high in lag_groups)
    raw, lagged, const, extra = _lagged_inputs(series, build, deepest, controls)
    n = len(const)
    bandwidth = hac_lags if hac_lags is not None else newey_west_lags(n)
    indices = null_indices(inference, len(series), deepest, draws, seed, block)
    lag_label = ",".join(group_name(lo, hi) for lo, hi in lag_groups)
    tested = set(pairs) if pairs is not None else None
    rows = []
    for effect in steps(series.columns, "count models", unit="equation"):
        if tested is not None and not any(e == effect for _, e in tested):
            continue
        y = raw[effect][deepest:]
        full = np.column_stack([const, *lagged.values(), extra])
        for name in models:
            response = _responses(name, y, full, list(series.columns), len(lag_groups))
            for cause in series.columns:
                if cause == effect or (tested is not None and (cause, effect) not in tested):
                    continue
                row: dict[str, Any] = {
                    "model": name, "cause": cause, "effect": effect, "lags": lag_label, "statistic": np.nan,
                    "df": len(lag_groups), "df_denom": np.nan, "pvalue_asymptotic": np.nan, "pvalue": np.nan,
                    "draws": 0, "response": np.nan, "note": "",
                }  # fmt: skip
                others = [lagged[c] for c in series.columns if c != cause]
                restricted = fit_restricted(name, y, np.column_stack([const, *others, extra]))
                if isinstance(restricted, str):
                    rows.append({**row, "note": restricted})
                    continue
                stat, p_shift, used = shift_pvalue(restricted, raw[cause], build, bandwidth, indices)
                p_asym = float(chi2.sf(stat, len(lag_groups))) if np.isfinite(stat) else np.nan
                value, why = response.get(cause, (np.nan, ""))
                note = why
                if inference != "asymptotic" and not np.isfinite(p_shift) and np.isfinite(stat):
                    note = "; ".join(filter(None, [ASYMPTOTIC_FALLBACK, why]))
                rows.append({**row, "statistic": stat, "pvalue_asymptotic": p_asym,
                             "pvalue": p_shift if np.isfinite(p_shift) else p_asym, "draws": used,
                             "response": value, "note": note})  # fmt: skip
    return pd.DataFrame(rows)


def _responses(name: str, y: np.ndarray, x: np.ndarray, sides: list[str], groups: int) -> dict[str, tuple[float, str]]:
    """The full model's sum of lag coefficients per cause, or why it cannot be given."""
    try:
        fit = fit_model(name, y, x)
    except (np.linalg.LinAlgError, ValueError, OverflowError) as exc:
        return dict.fromkeys(sides, (np.nan, f"response not estimable ({type(exc).__name__})"))
    if fit is None:
        return dict.fromkeys(sides, (np.nan, NOT_CONVERGED))
    params = np.asarray(fit.params, dtype=float)
    out = {}
    for i, side in enumerate(sides):
        block = params[1 + i * groups : 1 + (i + 1) * groups]
        if not np.all(np.isfinite(block)) or np.any(np.abs(block) > MAX_ABS_COEFFICIENT):
            out[side] = (np.nan, SEPARATED)
        else:
            out[side] = (float(block.sum()), "")
    return out


def var_shift_pvalues(
    series: pd.DataFrame,
    order: int,
    controls: pd.DataFrame | None,
    draws: int,
    seed: int,
    pairs: list[tuple[str, str]] | None = None,
    inference: str = "tide",
    block: int = 14,
) -> dict[tuple[str, str], tuple[float, int]]:
    """Resampling p-values of the VAR Granger tests: ``(cause, effect) -> (p, draws used)``.

    The statistic shifted is the HAC score statistic of the cause's lags in the effect's equation (see
    :func:`escalation.chance.shift.score_statistic`), not the F the VAR row reports.
    """
    build = lag_builder([(k, k) for k in range(1, order + 1)], "none")
    raw, lagged, const, extra = _lagged_inputs(series, build, order, controls)
    n = len(const)
    indices = null_indices(inference, len(series), order, draws, seed, block)
    out = {}
    names = [str(c) for c in series.columns]
    todo = pairs if pairs is not None else [(c, e) for c in names for e in names if c != e]
    for cause, effect in steps(todo, "Granger tests, resampled"):
        x = np.column_stack([const, *[lagged[c] for c in series.columns if c != cause], extra])
        restricted = fit_restricted("ols", raw[effect][order:], x)
        assert not isinstance(restricted, str)  # OLS always fits
        _, p, used = shift_pvalue(restricted, raw[cause], build, newey_west_lags(n), indices)
        out[(cause, effect)] = (p, used)
    return out
