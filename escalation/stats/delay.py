"""The delay of answers: how long after A's action B's *answers* come, not B's next action of any kind.

The Kaplan-Meier curve of :mod:`escalation.stats.survival` measures the wait until the other side's next
action, answer or not: between two busy sides it is short whichever way anybody answers (on simulated
histories where B answers 30% of A's actions after a median 2.5 days, it read 5-7 days, and the same in the
false direction). The delay of the answers themselves is the shape of the *excess* of B's actions after A's,
which is what a Hawkes process with a free-form (histogram) kernel estimates. Per day, for each direction "B
answers A"::

    N_BA(d) ~ Poisson( mu * g(d) + sum_{l=1..K} phi_l N_AB(d - l) + sum_{l=1..K} psi_l N_BA(d - l) )

``N_AB(d)`` counts A's actions against B on day ``d``; ``g`` is the background of B's actions against A (their
own slow changes, smoothed by stochastic declustering as in :func:`escalation.fit_hawkes`, here over twice the
tide: this estimator asks how long answers take, and a background as quick as the tide takes the slower
answers for background, which made the median read 2.2 days for a true 2.5 and its interval cover the truth
80% of the time; over twice the tide, 2.4 and 92.5%, 40 histories while this was built); ``psi`` are B's own
bursts; ``phi_l`` is the number of B's actions that one
of A's actions sets off ``l`` days later. ``K`` is half the tide (7 days by default): answers slower than that
cannot be told from shared changes of rate. Events of one day are not ordered (lag 0 is left out).

From the fit (maximum likelihood with every coefficient at least zero; the likelihood is concave):

- ``answers_per_trigger`` = ``sum(phi)``: the answers one of A's actions sets off within ``K`` days, with a
  delta-method interval. Whether B answers A at all is the question of the tide-keeping tests
  (:attr:`TimeToResponseResult.baseline`); this interval is the model's and is not a test of it;
- the delay distribution ``phi_l / sum(phi)``, its **mean** and its **median** (the cumulative share
  interpolated, lag ``l`` covering ``l - 1/2`` to ``l + 1/2`` days, since an answer ``D`` days after an
  action falls on day lag ``floor(D + U)`` with ``U`` the action's unknown time of day), with intervals from
  999 draws of the coefficients from their estimated normal distribution (negative draws set to zero).

This is a non-parametric Hawkes kernel in discrete time (a Poisson autoregression with distributed lags); the
background and the lags are those of the other models of the package, so the numbers agree in spirit with
:func:`escalation.chains` ``(method="hawkes")`` without forcing its geometric kernel on the delay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from .._core.levels import LEVEL
from .._core.result import Result
from .._core.threads import one_blas_thread
from ..chance._tide import parse_tide
from ..events.table import Events
from ..io._coerce import as_events
from .hawkes._background import TIDE_ROUNDS, smooth_shape
from .hawkes._likelihood import negloglik, observed_cov

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Coefficient draws behind the delay's intervals.
DRAWS = 999
#: The normal quantile of the 95% interval of ``answers_per_trigger``.
Z95 = 1.96
#: The background of this estimator is smoothed over this many tides (see the module docstring).
SMOOTHING_TIDES = 2
SUMMARY_COLUMNS = [
    "trigger_side", "response_side", "triggers", "responses", "answers_per_trigger", "lower", "upper",
    "expected_answers", "mean_delay_days", "mean_lower", "mean_upper", "median_delay_days", "median_lower",
    "median_upper",
]  # fmt: skip


def _lagged(counts: np.ndarray, lags: int) -> np.ndarray:
    """``(n, lags)``: column ``l - 1`` is ``counts`` shifted ``l`` days later (zeros before the start)."""
    n = len(counts)
    out = np.zeros((n, lags))
    for lag in range(1, lags + 1):
        out[lag:, lag - 1] = counts[: n - lag]
    return out


def _fit(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum likelihood of ``y ~ Poisson(x @ theta)``, ``theta >= 0`` (the background > 0): the estimate and
    its covariance from the observed information (NaN rows and columns where an estimate is on its bound)."""
    days = np.flatnonzero(y)
    rows, w, comp = x[days], y[days], x.sum(axis=0)
    start = np.r_[max(w.sum(), 1.0) / max(comp[0], 1e-9) * 0.5, np.full(x.shape[1] - 1, 0.01)]
    bounds = [(1e-10, None)] + [(0.0, None)] * (x.shape[1] - 1)
    res = minimize(negloglik, start, args=(rows, comp, w), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 5000, "ftol": 1e-14, "gtol": 1e-10})  # fmt: skip
    return res.x, observed_cov(rows, res.x, w)


def _median(shares: np.ndarray) -> np.ndarray:
    """Median delay (days) of each row of lag shares (lags 1..K), lag ``l`` covering ``l - 1/2 .. l + 1/2``."""
    cumulative = np.cumsum(shares, axis=-1)
    k = np.argmax(cumulative >= 0.5, axis=-1)  # the lag where half the answers are reached
    before = np.where(k > 0, np.take_along_axis(cumulative, np.maximum(k - 1, 0)[..., None], -1)[..., 0], 0.0)
    within = np.take_along_axis(shares, k[..., None], -1)[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return k + 0.5 + (0.5 - before) / within


def _direction(trig: np.ndarray, resp: np.ndarray, lags: int, tide_days: int, rng: np.random.Generator) -> dict:
    """One direction's fit: trigger and response counts per day -> the numbers of :data:`SUMMARY_COLUMNS`."""
    n = len(resp)
    cross, own = _lagged(trig, lags), _lagged(resp, lags)
    day = np.repeat(np.arange(n), resp.astype(np.int64))
    weights = np.ones(len(day))
    for _ in range(TIDE_ROUNDS):  # stochastic declustering: the background from the events it explains
        shape = smooth_shape(day, np.zeros(len(day), np.int64), weights, 1, n, SMOOTHING_TIDES * tide_days)[:, 0]
        x = np.column_stack([shape, cross, own])
        theta, cov = _fit(resp, x)
        share = shape * theta[0] / (x @ theta)
        weights = share[day]
    phi, phi_cov = theta[1 : lags + 1], cov[1 : lags + 1, 1 : lags + 1]
    total = float(phi.sum())
    known = ~np.isnan(np.diag(phi_cov))  # NaN: on the zero bound, or not identified by the data
    if np.any((phi > 1e-8) & ~known):  # an unidentified lag: the total has no standard error, nor the delays
        known[:] = False
    se = float(np.sqrt(phi_cov[np.ix_(known, known)].sum())) if known.any() else np.nan
    out: dict[str, Any] = {"answers_per_trigger": total, "lower": max(total - Z95 * se, 0.0),
                           "upper": total + Z95 * se}  # fmt: skip
    out["expected_answers"] = total * float(trig[: n - 1].sum())
    if total <= 0 or not known.any():
        out.update(dict.fromkeys(SUMMARY_COLUMNS[8:], np.nan))
        return {**out, "phi": phi, "phi_se": np.sqrt(np.diag(phi_cov))}
    draws = np.repeat(phi[None, :], DRAWS, axis=0)
    draws[:, known] = np.maximum(rng.multivariate_normal(phi[known], phi_cov[np.ix_(known, known)], DRAWS,
                                                         method="eigh"), 0.0)  # fmt: skip
    draws = draws[draws.sum(axis=1) > 0]
    shares = draws / draws.sum(axis=1, keepdims=True)
    lag = np.arange(1, lags + 1)
    means, medians = shares @ lag, _median(shares)
    out["mean_delay_days"] = float(phi @ lag / total)
    out["mean_lower"], out["mean_upper"] = np.percentile(means, [2.5, 97.5])
    out["median_delay_days"] = float(_median(phi / total))
    out["median_lower"], out["median_upper"] = np.percentile(medians, [2.5, 97.5])
    return {**out, "phi": phi, "phi_se": np.sqrt(np.diag(phi_cov))}


@one_blas_thread
def answer_delay(
    events: Events | pd.DataFrame,
    *,
    tide: str | pd.Timedelta | float | None = None,
    sides: Mapping[str, str] | str | None = None,
    seed: int = 0,
) -> AnswerDelayResult:
    """How many answers each action sets off, and after how long, per direction (see the module docstring).

    Parameters
    ----------
    events : Events or DataFrame
    tide : str, Timedelta or float, optional
        The timescale of the background (default 14 days); lags run to half of it.
    sides : dict or path, optional
    seed : int
        Seed of the coefficient draws behind the intervals.

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation.chance.simulate import simulate_tides
    >>> sim = simulate_tides(days=2922, rates=(0.1, 0.03), answer=0.3, seed=4)  # B answers 30% of A's actions
    >>> delay = esc.answer_delay(sim)
    >>> row = delay.summary().set_index(["trigger_side", "response_side"]).loc[("A", "B")]
    >>> bool(row["lower"] > 0), bool(1 <= row["median_delay_days"] <= 4)
    (True, True)
    """
    ev = as_events(events, sides=sides)
    tide_td = parse_tide(tide)
    lags = max(1, tide_td.days // 2)
    f = ev.frame
    dyadic = f["actor_side"].notna() & f["target_side"].notna() & (f["actor_side"] != f["target_side"])
    f = f[dyadic]
    rows: list[dict[str, Any]] = []
    lag_rows: list[pd.DataFrame] = []
    if len(f):
        origin = f["date"].min().normalize()
        day = ((f["date"] - origin).dt.days).to_numpy()
        n_days = int(day.max()) + 1
        actor, target = f["actor_side"].astype(str).to_numpy(), f["target_side"].astype(str).to_numpy()
        pairs = pd.Series(1, index=pd.MultiIndex.from_arrays([actor, target])).groupby(level=[0, 1]).size()
        rng = np.random.default_rng(seed)
        for a, b in sorted(pairs.index):
            if (b, a) not in pairs.index:
                continue
            trig = np.bincount(day[(actor == a) & (target == b)], minlength=n_days).astype(float)
            resp = np.bincount(day[(actor == b) & (target == a)], minlength=n_days).astype(float)
            fit = _direction(trig, resp, lags, tide_td.days, rng)
            phi, phi_se = fit.pop("phi"), fit.pop("phi_se")
            rows.append({"trigger_side": a, "response_side": b, "triggers": int(trig.sum()),
                         "responses": int(resp.sum()), **fit})  # fmt: skip
            total = phi.sum()
            lag_rows.append(pd.DataFrame({"trigger_side": a, "response_side": b, "lag_days": np.arange(1, lags + 1),
                                          "answers": phi, "se": phi_se,
                                          "share": phi / total if total > 0 else np.nan}))  # fmt: skip
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    lag_columns = ["trigger_side", "response_side", "lag_days", "answers", "se", "share"]
    by_lag = pd.concat(lag_rows, ignore_index=True) if lag_rows else pd.DataFrame(columns=lag_columns)
    return AnswerDelayResult(table=summary, by_lag=by_lag, tide=tide_td, lags=lags, events=ev)


@dataclass(frozen=True, repr=False, eq=False)
class AnswerDelayResult(Result):
    """Answers per action and their delay, per direction "``response_side`` answers ``trigger_side``".

    Attributes
    ----------
    table : DataFrame
        One row per direction: :data:`SUMMARY_COLUMNS` (the delays are NaN where the model finds no answers to
        time).
    by_lag : DataFrame
        ``trigger_side, response_side, lag_days, answers, se, share``: the kernel, answers per trigger at
        each day lag, and its share of the direction's answers.
    """

    table: pd.DataFrame
    by_lag: pd.DataFrame
    tide: pd.Timedelta
    lags: int
    events: Events = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """One row per direction (see :attr:`table`)."""
        return self.table.copy()

    def to_frame(self) -> pd.DataFrame:
        """The kernel per direction and day lag (see :attr:`by_lag`); a copy."""
        return self.by_lag.copy()

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """``trigger_side, response_side, quantity, estimate, lower, upper`` for answers per trigger, mean and
        median delay (95%; other levels are not computed)."""
        if alpha not in (None, LEVEL):
            raise ValueError("answer_delay computes 95% intervals only")
        rows = []
        for r in self.table.to_dict("records"):
            for quantity, est, lo, hi in (("answers per trigger", "answers_per_trigger", "lower", "upper"),
                                          ("mean delay (days)", "mean_delay_days", "mean_lower", "mean_upper"),
                                          ("median delay (days)", "median_delay_days", "median_lower",
                                           "median_upper")):  # fmt: skip
                rows.append([r["trigger_side"], r["response_side"], quantity, r[est], r[lo], r[hi]])
        return pd.DataFrame(rows, columns=["trigger_side", "response_side", "quantity", "estimate", "lower", "upper"])

    def settings(self) -> dict[str, Any]:
        return {"tide": self.tide, "lags": self.lags, "draws": DRAWS}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Answers per trigger by day lag, one line per direction whose answers' interval is above zero, in the
        answering side's colour (:func:`escalation.plotting.answer_delays`)."""
        from ..plotting import answer_delays

        return answer_delays(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        timed = int(self.table["median_delay_days"].notna().sum()) if len(self.table) else 0
        return (f"<AnswerDelayResult: {len(self.table)} directions, {timed} with answers to time; lags 1-{self.lags} "
                "days>")  # fmt: skip
