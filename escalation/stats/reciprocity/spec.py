"""How a reciprocity analysis is specified: sample bounds, calendar controls, lag choice, VAR ordering, bands.

The checks and translations behind the keywords of :func:`escalation.stats.reciprocity.analysis.reciprocity`, kept
apart so that the analysis module reads as the analysis.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._core.dates import parse_day
from ...errors import UsageError

CRITERIA = ("aic", "bic", "hqic")
CONTROLS = ("year", "month", "dow")


def sample_bound(value: str | pd.Timestamp | None, name: str) -> pd.Timestamp | None:
    return None if value is None else parse_day(value, name)


def calendar_controls(controls: Sequence[str] | pd.DataFrame | None, index: Any) -> pd.DataFrame | None:
    """Dummy columns (first level dropped) for calendar controls, or the user's table aligned to ``index``."""
    if controls is None or (not isinstance(controls, pd.DataFrame) and len(controls) == 0):
        return None
    if isinstance(controls, pd.DataFrame):
        missing = index.difference(pd.Index(controls.index))
        if len(missing):
            raise UsageError(f"controls has no row for {len(missing)} periods of the series (first: {missing[0]})")
        return controls.loc[index].astype("float64")
    if isinstance(controls, str):
        controls = [controls]
    unknown = [c for c in controls if c not in CONTROLS]
    if unknown:
        raise UsageError(f"controls must be from {', '.join(CONTROLS)} or a DataFrame, got {unknown}")
    start = index.to_timestamp()
    keys = {
        "year": lambda: start.year.astype(str),
        "month": lambda: start.strftime("%Y-%m"),
        "dow": lambda: start.day_of_week.astype(str),
    }
    parts = [
        pd.get_dummies(pd.Series(keys[c](), index=index), prefix=c, drop_first=True, dtype=float) for c in controls
    ]
    table = pd.concat(parts, axis=1)
    return table if table.shape[1] else None


def lag_spec(lags: Any) -> tuple[str, int | None, list[tuple[int, int]] | None]:
    """(how chosen, fixed VAR order or None, count-model lag groups or None) from ``lags``."""
    if lags is None or (isinstance(lags, str) and lags.lower() in CRITERIA):
        return (lags or "aic").lower(), None, None
    if isinstance(lags, str):
        raise UsageError(f"lags must be a number, {', '.join(CRITERIA)}, or groups such as [1, (2, 7)]; got {lags!r}")
    if isinstance(lags, int | np.integer) and not isinstance(lags, bool):
        if lags < 1:
            raise UsageError(f"lags must be at least 1, got {lags}")
        return "fixed", int(lags), [(k, k) for k in range(1, int(lags) + 1)]
    groups: list[tuple[int, int]] = []
    for item in lags:
        low, high = (item, item) if isinstance(item, int | np.integer) else tuple(item)
        if not 1 <= low <= high:
            raise UsageError(f"a lag group is (first, last) with 1 <= first <= last, got {item!r}")
        groups.append((int(low), int(high)))
    if not groups or any(groups[i][1] >= groups[i + 1][0] for i in range(len(groups) - 1)):
        raise UsageError(f"lag groups must be given in order without overlap, e.g. [1, (2, 7), (8, 14)]; got {lags!r}")
    return "groups", groups[-1][1], groups


def criterion_order(data: pd.DataFrame, upper: int, criterion: str, exog: np.ndarray | None = None) -> int:
    """Lag order by AIC, BIC or HQ of the series' **own** pasts, at least 1.

    The criterion of a system in which each series depends on its own lags only (the sum over series of
    statsmodels ``ar_select_order``'s criteria, one sample for every order), minimised over ``1..upper``.
    Why not the VAR's own criterion: it looks at the cross lags too, so it favours the order at which one side
    happens to predict the other, and a test at that order over-rejects. On independent 0/1 daily series the
    VAR-AIC order made the 5% shift tests reject 6.8% of 1,000 tests; an order chosen from the series' own
    pasts does not depend on how the series are aligned, which keeps every shift test exact
    (``benchmarks/calibration.py``). A fixed ``lags=`` gives any other order.
    """
    from statsmodels.tsa.ar_model import ar_select_order

    total = np.zeros(upper + 1)
    for column in data.columns:
        values = data[column].to_numpy(dtype=float)
        if np.ptp(values) == 0:
            continue  # a constant series has no dynamics to choose from
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = ar_select_order(values, upper, ic=criterion, trend="c", exog=exog)
            except (np.linalg.LinAlgError, ValueError):
                continue
        values_by_order = getattr(found, criterion)
        for lags, value in values_by_order.items():
            total[0 if lags == 0 else max(lags)] += value
    return max(1, int(np.argmin(total[1:]) + 1)) if total.any() else 1


def ordered_sides(kept: list[str], order: Sequence[str] | None) -> list[str]:
    """``kept`` with the sides named in ``order`` first, in that order."""
    if not order:
        return kept
    if isinstance(order, str):
        order = [order]
    unknown = [s for s in order if s not in kept]
    if unknown:
        raise UsageError(f"irf_order names {', '.join(map(repr, unknown))}, not among the series {', '.join(kept)}")
    return [*order, *[s for s in kept if s not in order]]


def mc_bands(irf: Any, orthogonal: bool, draws: int, alpha: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Monte-Carlo bands of the impulse responses (statsmodels ``errband_mc``).

    statsmodels 0.14 seeds every replication with the same seed, so all its draws are one draw and the
    band has zero width; 0.15 takes a generator (``rng``). Bands are refused on 0.14 rather than printed.
    """
    import inspect

    if "rng" not in inspect.signature(irf.errband_mc).parameters:
        import statsmodels

        raise UsageError(
            f"irf_bands='bootstrap' needs statsmodels >= 0.15 (0.14's Monte-Carlo bands repeat one draw; this is "
            f"{statsmodels.__version__}): pip install -U statsmodels, or use the asymptotic bands"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lower, upper = irf.errband_mc(orth=orthogonal, repl=draws, signif=alpha, rng=np.random.default_rng(seed))
    return np.asarray(lower).copy(), np.asarray(upper).copy()
