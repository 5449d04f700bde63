"""The fitted Hawkes process: parameters, trigger probabilities, goodness of fit, simulation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..._core.levels import LEVEL
from ..._core.result import Result
from ..._core.time import unit_length
from ..._core.vocabulary import renamed_keywords
from ...errors import UsageError
from ._background import integral_to, rates_at
from ._kernel import daily_sums, excitation, geometric_kernel

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .model import HawkesData


def _json_floats(values: np.ndarray) -> list[Any]:
    """Nested lists with NaN as None: JSON has no NaN."""
    cleaned: list[Any] = np.asarray(values, dtype=object).tolist()
    if np.ndim(values) == 1:
        return [v if np.isfinite(v) else None for v in cleaned]
    return [[v if np.isfinite(v) else None for v in row] for row in cleaned]


#: Fewer events than this per fitted parameter and a fit is flagged as fragile (``HawkesResult.diagnostics``).
EVENTS_PER_PARAMETER = 10
DAILY_KERNEL = "adjacency[i][j] * (1 - q) * q**(k - 1) for whole-day lags k >= 1, q = exp(-decay)"


@dataclass(frozen=True, repr=False, eq=False)
class HawkesResult(Result):
    """A fitted multivariate Hawkes process with exponential kernels.

    Attributes
    ----------
    baseline : ndarray
        Background rate of each side, events per ``time_unit``.
    adjacency : ndarray
        ``adjacency[i, j]``: expected number of side-``i`` events set off by one side-``j`` event.
    decay : float
        Kernel decay per ``time_unit``; the mean delay of a triggered event is ``1 / decay``.
    loglik : float
    baseline_se, adjacency_se : ndarray
        Standard errors from the observed information, given the decay.
    decay_se : float
        From the curvature of the profile likelihood (NaN when the decay was fixed).
    profile : DataFrame
        The profile log-likelihood at the decays evaluated.
    diagnostics : list of str
        What makes the estimates fragile, in words: sides the optimiser did not converge on, a decay at the
        edge of its search range, fewer than :data:`EVENTS_PER_PARAMETER` events per parameter, an
        explosive fit. Printed by the CLI and the report beside the estimates.

    Notes
    -----
    The standard errors are conditional on the decay (the decay is profiled out and its own error comes from
    the profile's curvature) and use the observed information, which is reliable only with many events per
    parameter; the goodness-of-fit tests use the estimated parameters, so their p-values are optimistic
    (too large) on small samples.
    """

    data: HawkesData
    baseline: np.ndarray
    adjacency: np.ndarray
    decay: float
    loglik: float
    baseline_se: np.ndarray
    adjacency_se: np.ndarray
    decay_se: float = np.nan
    decay_fixed: bool = False
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    decay_at_bound: bool = False
    not_converged: list[str] = field(default_factory=list)
    period_rates: np.ndarray | None = None
    period_rates_se: np.ndarray | None = None
    period_starts: np.ndarray | None = None
    all_sides: dict[str, str | None] = field(default_factory=dict)  # the data's palette (Events.palette)
    background_kind: str = "constant"  # "constant", "periods" or "tide" (one rate per day, scale x shape)
    tide: pd.Timedelta = field(default_factory=lambda: pd.Timedelta(days=14))
    #: Per side, the covariance of its background parameters (period rates, or the tide's scale) and its row of
    #: the adjacency, from the observed information given the decay (what :func:`escalation.forecast` draws).
    parameter_cov: list[np.ndarray] = field(default_factory=list)

    def _mu_at(self, times: np.ndarray) -> np.ndarray:
        """``(len(times), D)``: background rate of each side at each time (piecewise or constant)."""
        if self.period_rates is None or self.period_starts is None:
            return np.broadcast_to(self.baseline, (len(times), len(self.sides)))
        return rates_at(self.period_rates, self.period_starts, times)

    def _mu_integral(self, times: np.ndarray) -> np.ndarray:
        """``(len(times), D)``: background integrated from the origin to each time."""
        if self.period_rates is None or self.period_starts is None:
            return self.baseline[None, :] * np.asarray(times, dtype=float)[:, None]
        return integral_to(self.period_rates, self.period_starts, times)

    @property
    def background_table(self) -> pd.DataFrame:
        """Background rate per period and side: ``period_start, side, rate, se`` (one period when constant)."""
        unit = unit_length(self.data.time_unit)
        starts = np.array([0.0]) if self.period_starts is None else self.period_starts
        rates = self.baseline[None, :] if self.period_rates is None else self.period_rates
        ses = self.baseline_se[None, :] if self.period_rates_se is None else self.period_rates_se
        rows = [[self.data.origin + starts[p] * unit, side, rates[p, i], ses[p, i]]
                for p in range(len(starts)) for i, side in enumerate(self.sides)]  # fmt: skip
        return pd.DataFrame(rows, columns=["period_start", "side", "rate", "se"])

    @property
    def n_parameters(self) -> int:
        """Background rates, adjacency and decay: ``P D + D^2 + 1`` for ``P`` background periods (the decay not
        counted when fixed)."""
        d = len(self.sides)
        # a tide background has one free scale per side (its shape is a smoother's, of the events themselves)
        periods = 1 if self.period_starts is None or self.background_kind == "tide" else len(self.period_starts)
        return periods * d + d * d + (0 if self.decay_fixed else 1)

    @property
    def diagnostics(self) -> list[str]:
        """Fragilities of this fit, in words (empty when there are none)."""
        out = [f"the optimiser did not converge for {message}" for message in self.not_converged]
        n = len(self.data.times)
        if n < EVENTS_PER_PARAMETER * self.n_parameters:
            out.append(
                f"{n} events for {self.n_parameters} parameters ({n / self.n_parameters:.1f} per parameter, fewer "
                f"than {EVENTS_PER_PARAMETER}): the estimates and their standard errors are fragile; fewer sides "
                "(a sides file folding them) or a fixed decay leave fewer parameters"
            )
        if self.decay_at_bound:
            out.append(
                f"the decay ({self.decay:.3g} per {self.data.time_unit}) is at the edge of its search range: "
                "widen decay_bounds or fix the decay"
            )
        if self.branching_ratio >= 1:
            out.append(f"branching ratio {self.branching_ratio:.2f} >= 1: the fitted process is explosive")
        return out

    @property
    def sides(self) -> list[str]:
        return list(self.data.sides)

    @property
    def resolution(self) -> str:
        """``"daily"`` (counts per day, geometric kernel over whole days) or ``"continuous"``."""
        return "daily" if self.data.daily else "continuous"

    @property
    def mean_delay(self) -> float:
        """Mean delay of a set-off event, in ``time_unit``: ``1 / decay`` or, per day, ``1 / (1 - exp(-decay))``."""
        return float(1 / -np.expm1(-self.decay)) if self.data.daily else float(1 / self.decay)

    @cached_property
    def _daily(self) -> tuple[np.ndarray, np.ndarray]:
        """Per day: counts and geometric-kernel sums, each ``(n_days, D)`` (daily resolution only)."""
        return daily_sums(self.data.times, self.data.dims, len(self.sides), round(self.data.end), self.decay)

    @cached_property
    def _excite(self) -> np.ndarray:
        """Per event and source side: the kernel sum over that side's earlier events (the adjacency's factor)."""
        if self.data.daily:
            return self._daily[1][self.data.times.astype(np.int64)]
        return self.decay * self._sums[0]

    def _kernel(self, lag: np.ndarray) -> np.ndarray:
        if self.data.daily:
            return geometric_kernel(lag, self.decay)
        return self.decay * np.exp(-self.decay * lag)

    @cached_property
    def branching_ratio(self) -> float:
        """Spectral radius of the adjacency: >= 1 means the process is explosive."""
        return float(np.max(np.abs(np.linalg.eigvals(self.adjacency))))

    @cached_property
    def _sums(self) -> tuple[np.ndarray, np.ndarray]:
        return excitation(self.data.times, self.data.dims, len(self.sides), self.decay)

    def summary(self) -> pd.DataFrame:
        """One row per side, and a last row ``"all sides"`` for the model: ``events``, the ``baseline`` rate
        (per ``time_unit``; the sum over sides in the last row), the events of the side that one of its own
        sets off (``from_own``) and that one event of each other side sets off, summed (``from_others``), and
        the goodness-of-fit p-value (``gof_pvalue``; pooled in the last row). The last row alone has what is
        the model's: ``parameters``, ``events_per_parameter``, ``branching_ratio``, ``decay`` and ``decay_se``,
        ``mean_delay`` (in ``time_unit``) and ``loglik``. The estimates themselves are :meth:`to_frame` and
        :meth:`conf_int`."""
        n_side = np.bincount(np.asarray(self.data.dims, dtype=np.int64), minlength=len(self.sides))
        own = np.diag(self.adjacency)
        gof = self.goodness_of_fit["ks_pvalue"].to_numpy(dtype=float)
        table = pd.DataFrame({"side": self.sides, "events": n_side, "baseline": self.baseline, "from_own": own,
                              "from_others": self.adjacency.sum(axis=1) - own, "gof_pvalue": gof[:-1]})  # fmt: skip
        n = len(self.data.times)
        whole = {"side": "all sides", "events": n, "baseline": float(self.baseline.sum()), "from_own": np.nan,
                 "from_others": np.nan, "gof_pvalue": float(gof[-1]), "parameters": self.n_parameters,
                 "events_per_parameter": n / self.n_parameters, "branching_ratio": self.branching_ratio,
                 "decay": self.decay, "decay_se": self.decay_se, "mean_delay": self.mean_delay,
                 "loglik": self.loglik}  # fmt: skip
        return pd.concat([table, pd.DataFrame([whole])], ignore_index=True)

    def settings(self) -> dict[str, Any]:
        periods = 1 if self.period_starts is None else len(self.period_starts)
        return {"time_unit": self.data.time_unit, "resolution": self.resolution, "decay_fixed": self.decay_fixed,
                "sides": self.sides, "background": self.background_kind, "periods": periods,
                "tide": self.tide if self.background_kind == "tide" else None}  # fmt: skip

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Wald intervals ``estimate +- z se`` of every parameter (default 95%): :meth:`to_frame` with ``lower``
        and ``upper``. Conditional on the decay (see Notes); their coverage on simulated data is in
        ``benchmarks/coverage.py``. Every parameter is a rate, an excitation or a decay, none below 0, so the
        lower end is cut at 0: an interval that holds the true value still does (the same coverage), and no
        table shows a negative rate."""
        from scipy.stats import norm

        z = norm.ppf(1 - (LEVEL if alpha is None else alpha) / 2)
        table = self.to_frame()
        lower = (table["estimate"] - z * table["se"]).clip(lower=0.0)
        return table.assign(lower=lower, upper=table["estimate"] + z * table["se"])

    def to_frame(self) -> pd.DataFrame:
        """Every parameter with its standard error: ``parameter, side, source, estimate, se``."""
        rows: list[list[Any]] = []
        for i, side in enumerate(self.sides):
            rows.append(["baseline", side, "", self.baseline[i], self.baseline_se[i]])
        for i, side in enumerate(self.sides):
            for j, source in enumerate(self.sides):
                rows.append(["adjacency", side, source, self.adjacency[i, j], self.adjacency_se[i, j]])
        rows.append(["decay", "", "", self.decay, self.decay_se])
        rows.append(["branching ratio", "", "", self.branching_ratio, np.nan])
        return pd.DataFrame(rows, columns=["parameter", "side", "source", "estimate", "se"])

    def to_dict(self) -> dict[str, Any]:
        """The protocol's ``result, settings, summary, table`` and the parameters as plain JSON-ready values
        (the keys of the CLI's params.json)."""
        return {
            **super().to_dict(),
            "sides": self.sides,
            "baseline": self.baseline.tolist(),
            "adjacency": self.adjacency.tolist(),
            "decay": self.decay,
            "branching_ratio": self.branching_ratio,
            "loglik": self.loglik,
            "time_unit": self.data.time_unit,
            "resolution": self.resolution,
            "kernel": DAILY_KERNEL if self.data.daily else "adjacency[i][j] * decay * exp(-decay * t)",
            "mean_delay": self.mean_delay,
            "decay_at_bound": self.decay_at_bound,
            "background": None
            if self.period_rates is None
            else {
                "kind": self.background_kind,
                "tide_days": self.tide.days if self.background_kind == "tide" else None,
                "period_starts": [str(t.date()) for t in self.background_table["period_start"].unique()],
                "rates": self.period_rates.tolist(),
            },
            "diagnostics": self.diagnostics,
            "baseline_se": _json_floats(self.baseline_se),
            "adjacency_se": _json_floats(self.adjacency_se),
            "decay_se": None if np.isnan(self.decay_se) else self.decay_se,
            "n_events": len(self.data.times),
            "origin": str(self.data.origin.date()),
            "end": self.data.end,
        }

    @cached_property
    def trigger_probabilities(self) -> pd.DataFrame:
        """For every event, the probability it came from the background or from each side.

        Columns: ``event_id, side, time, intensity, p_background, p_<side>...,
        parent_id, parent_side, parent_prob``. The *parent* is the single
        earlier event most likely to have set this one off (the most recent
        event of the side contributing most), or none when the background is
        more likely; it can be compared with :func:`escalation.link`.
        """
        data = self.data
        mu = self._mu_at(data.times)[np.arange(len(data.times)), data.dims]
        contrib = self.adjacency[data.dims] * self._excite  # (n, D)
        lam = mu + contrib.sum(axis=1)
        out = pd.DataFrame(
            {
                "event_id": data.event_ids,
                "side": np.asarray(self.sides)[data.dims],
                "time": data.times,
                "intensity": lam,
                "p_background": mu / lam,
            }
        )
        for j, side in enumerate(self.sides):
            out[f"p_{side}"] = contrib[:, j] / lam
        # Most likely single parent: for each source side, its latest strictly earlier event (earlier day, per day).
        best_value = mu.copy()
        best_parent = np.full(len(lam), -1)
        for j in range(len(self.sides)):
            idx = np.flatnonzero(data.dims == j)
            pos = np.searchsorted(data.times[idx], data.times, side="left") - 1
            has = pos >= 0
            parent = np.where(has, idx[np.maximum(pos, 0)], -1)
            lag = np.where(has, data.times - data.times[np.maximum(parent, 0)], np.inf)
            value = self.adjacency[data.dims, j] * self._kernel(lag)
            better = value > best_value
            best_value = np.where(better, value, best_value)
            best_parent = np.where(better, parent, best_parent)
        found = best_parent >= 0
        out["parent_id"] = pd.Series(data.event_ids[np.maximum(best_parent, 0)]).where(found)
        out["parent_side"] = pd.Series(np.asarray(self.sides)[data.dims[np.maximum(best_parent, 0)]]).where(found)
        out["parent_prob"] = best_value / lam
        return out

    @cached_property
    def rescaled_times(self) -> dict[str, np.ndarray]:
        """Time-rescaled gaps between each side's events: Exp(1) if the model is right.

        Per day (daily resolution) there are no gaps between events to rescale; each
        day's count gets instead its randomised probability integral transform under
        the fitted Poisson mean, ``u = F(n - 1) + V (F(n) - F(n - 1))`` with ``V``
        uniform (seed 0), returned as ``-log(1 - u)``: also Exp(1) if the model is right.
        """
        if self.data.daily:
            counts, sums = self._daily
            lam = self._mu_at(np.arange(len(counts))) + sums @ self.adjacency.T
            rng = np.random.default_rng(0)
            out = {}
            for i, side in enumerate(self.sides):
                n, mean = counts[:, i], lam[:, i]
                low = np.where(n > 0, sps.poisson.cdf(n - 1, mean), 0.0)
                u = low + rng.random(len(n)) * (sps.poisson.cdf(n, mean) - low)
                out[side] = -np.log1p(-np.minimum(u, 1 - 1e-16))
            return out
        r, counts = self._sums
        data = self.data
        lam_int = (
            self._mu_integral(data.times) + (counts - r) @ self.adjacency.T
        )  # Lambda_i(t_k) for every i, at every event k
        out = {}
        for i, side in enumerate(self.sides):
            mine = np.flatnonzero(data.dims == i)
            comp = lam_int[mine, i]
            out[side] = np.diff(np.r_[0.0, comp])
        return out

    @cached_property
    def goodness_of_fit(self) -> pd.DataFrame:
        """Kolmogorov-Smirnov tests of the rescaled gaps against Exp(1), per side and pooled."""
        rows = []
        pooled = np.concatenate(list(self.rescaled_times.values()))
        for side, gaps in [*self.rescaled_times.items(), ("all sides", pooled)]:
            if len(gaps) < 2:
                rows.append([side, len(gaps), np.nan, np.nan, np.nan])
                continue
            ks = sps.kstest(gaps, "expon")
            rows.append([side, len(gaps), float(np.mean(gaps)), float(ks.statistic), float(ks.pvalue)])
        return pd.DataFrame(rows, columns=["side", "n", "mean_gap", "ks_statistic", "ks_pvalue"])

    def intensity(self, points: int = 800) -> pd.DataFrame:
        """Conditional intensity of each side on a regular time grid (rates per ``time_unit``).

        Per day (daily resolution): each day's expected number of events, one row per day.
        """
        data = self.data
        if data.daily:
            _, sums = self._daily
            lam_days = self._mu_at(np.arange(len(sums))) + sums @ self.adjacency.T
            days = data.origin + pd.to_timedelta(np.arange(len(lam_days)), unit="D")
            return pd.DataFrame(lam_days, index=pd.DatetimeIndex(days, name="time"), columns=self.sides)
        n_dims = len(self.sides)
        grid = np.linspace(0.0, data.end, points)
        times = np.r_[data.times, grid]
        dims = np.r_[data.dims, np.full(points, n_dims)]
        order = np.argsort(times, kind="stable")
        r, _ = excitation(times[order], dims[order], n_dims + 1, self.decay)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        at_grid = r[inverse[len(data.times) :], :n_dims]
        lam = self._mu_at(grid) + self.decay * at_grid @ self.adjacency.T
        unit = unit_length(data.time_unit)
        index = data.origin + grid * unit
        return pd.DataFrame(lam, index=pd.DatetimeIndex(index, name="time"), columns=self.sides)

    @renamed_keywords(end="length")
    def simulate(
        self, length: float | None = None, *, seed: int | None = None, method: str = "thinning"
    ) -> pd.DataFrame:
        """Simulate events from the fitted process (what-if runs) over ``length`` time units (default: as long as
        the data; before 0.2 ``end``, which still works for a release); see :func:`simulate_hawkes`.

        A daily fit simulates daily counts (:func:`simulate_daily`), dated to the day.
        """
        from .simulate import simulate_daily, simulate_hawkes

        if self.period_rates is not None:
            raise UsageError("simulate() needs a constant background; refit with background=None to simulate")
        if self.data.daily:
            return simulate_daily(self.baseline, self.adjacency, self.decay, days=int(length or self.data.end),
                                  sides=self.sides, seed=seed, origin=self.data.origin)  # fmt: skip
        return simulate_hawkes(
            self.baseline, self.adjacency, self.decay, length=length or self.data.end, sides=self.sides,
            seed=seed, method=method, origin=self.data.origin, time_unit=self.data.time_unit,
        )  # fmt: skip

    def compare_links(self, links: pd.DataFrame) -> pd.DataFrame:
        """How often each kind of link's trigger is also the Hawkes process's most likely parent."""
        parent = self.trigger_probabilities.set_index("event_id")["parent_id"]
        merged = links.assign(hawkes_parent=links["response_id"].map(parent))
        merged["agrees"] = merged["hawkes_parent"] == merged["trigger_id"]
        return (
            merged.groupby("link_kind", observed=True)["agrees"]
            .agg(["size", "sum", "mean"])
            .rename(columns={"size": "links", "sum": "agree", "mean": "share"})
        )

    def plot(self, ax: Axes | None = None, kind: str = "intensity", **kwargs: Any) -> Axes:
        """``kind="intensity"`` (over time), ``"adjacency"`` (heatmap) or ``"qq"`` (goodness of fit)."""
        from ...plotting import hawkes_adjacency, hawkes_intensity, hawkes_qq

        draw = {"intensity": hawkes_intensity, "adjacency": hawkes_adjacency, "qq": hawkes_qq}
        if kind not in draw:
            from ...errors import UsageError

            raise UsageError(f"kind must be one of {', '.join(draw)}, got {kind!r}")
        return draw[kind](self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return (
            f"<HawkesResult: {len(self.data.times)} events ({self.resolution}), sides {', '.join(self.sides)}; decay "
            f"{self.decay:.3g}/{self.data.time_unit}; branching ratio {self.branching_ratio:.2f}; "
            f"loglik {self.loglik:.1f}>"
        )

    def _repr_html_(self) -> str:
        return super()._repr_html_() + self.to_frame().round(4).to_html(index=False, escape=True)
