"""Link probabilities: a Hawkes process on directed dyads, and who set off each response (stochastic declustering).

**What the model measures.** One dimension per directed dyad (A against B).
The intensity of "A against B" is a background rate plus excitation by A's own
earlier attacks on B (``self``) and by B's earlier attacks on A (``reverse``)::

    lambda_AB(t) = mu_AB + self_AB * sum_{A->B events s < t} k(t - s)
                         + reverse_AB * sum_{B->A events s < t} k(t - s)

with a kernel ``k`` that integrates to one and a decay shared by all dyads, so
``reverse_AB`` is the expected number of A->B events set off by one B->A event:
"A answers B" is exactly that term. Attacks on third parties do not enter: with
three or more sides, A's strike on C is not counted as an answer to B.

**Who set off each event.** Under the branching view of the process, an event
of A->B at ``t`` came from the background with probability ``mu / lambda(t)``
and from one particular earlier B->A event ``s`` with probability
``reverse * k(t - s) / lambda(t)`` (Zhuang, Ogata & Vere-Jones 2002, stochastic
declustering). These are the ``probability`` of each candidate link: they sum,
over a response's candidate triggers, to the probability that it was an answer
at all, and over all responses to the expected number of answers.

**Daily data.** Most event data are dated to the day; putting untimed events at
made-up hours would invent an order that is not in the data. When any dyadic
event lacks a clock time (``resolution="auto"``), the model is fitted to daily
counts instead (a discrete-time Hawkes / Poisson autoregression): the number of
A->B events on day ``d`` is Poisson with mean
``mu + self * X_AB(d) + reverse * X_BA(d)``, ``X(d) = sum_{k >= 1} g(k) N(d - k)``,
with the geometric kernel ``g(k) = (1 - q) q^(k-1)``, ``q = exp(-decay)``. Events
of the same day never excite each other (an answer on the day of its trigger
cannot be told from a coincidence without clock times) and the decay is bounded
so the mean lag ``1 / (1 - q)`` lies between one day and the window: what daily
data can identify. With clock times on every event the continuous exponential
kernel ``decay * exp(-decay t)`` is used, with the decay bounded between one
window and about 30 minutes.

For a fixed decay the log-likelihood separates by dyad and is concave in
``(mu, self, reverse)``; each dyad is fitted by L-BFGS-B with its analytic
gradient, and the decay by profile likelihood (a grid, then a bounded search).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, get_args

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar

from ..._core.result import Result
from ..._core.threads import one_blas_thread
from ..._core.vocabulary import Resolution
from ...chance._tide import parse_tide
from ...errors import DataError, UsageError
from ._background import TIDE_ROUNDS, shape_integral, smooth_shape
from ._kernel import daily_design, daily_sums, excitation, geometric_kernel
from ._likelihood import negloglik, observed_cov

if TYPE_CHECKING:
    from matplotlib.axes import Axes

RESOLUTIONS: tuple[str, ...] = get_args(Resolution)
_FLOOR = 0.01  # candidate links below this probability are not listed (they add little to any sum)
#: A dyad's answers are told from none when its reverse excitation is this many standard errors above zero.
ANSWER_Z = 1.96


@dataclass(frozen=True, eq=False)
class DyadData:
    """Dyadic events of a date-sorted frame: positions, times in days, dyad of each, and the dyads."""

    position: np.ndarray  # row in the frame
    time: np.ndarray  # days since origin: exact (continuous) or whole days (daily)
    dim: np.ndarray
    dyads: list[tuple[str, str]]
    reverse: np.ndarray  # dimension of the reverse dyad, -1 if it has no events
    end: float  # continuous: end of observation in days; daily: number of days
    daily: bool
    shape: np.ndarray | None = None  # (days, dyads): a background that follows the tide, mean one

    @cached_property
    def rows(self) -> list[np.ndarray]:
        """Each dyad's events (positions in these arrays), in time order."""
        counts = np.bincount(self.dim, minlength=len(self.dyads))
        return np.split(np.argsort(self.dim, kind="stable"), np.cumsum(counts)[:-1])


def dyad_data(frame: pd.DataFrame, resolution: str = "auto") -> DyadData:
    """The dyadic events of ``frame`` (sorted by date) in the model's time."""
    if resolution not in RESOLUTIONS:
        raise UsageError(f"resolution must be one of {', '.join(RESOLUTIONS)}, got {resolution!r}")
    actor, target = frame["actor_side"].astype(object), frame["target_side"].astype(object)
    dyadic = (actor.notna() & target.notna() & (actor != target)).to_numpy()
    position = np.flatnonzero(dyadic)
    if len(position) < 2:
        raise DataError("a dyadic Hawkes model needs at least two events with an acting and a targeted side")
    pairs = pd.MultiIndex.from_arrays([actor.to_numpy()[position].astype(str), target.to_numpy()[position].astype(str)])
    dim, uniques = pd.factorize(pairs, sort=True)
    dyads = [(str(a), str(t)) for a, t in uniques]
    index = {d: i for i, d in enumerate(dyads)}
    reverse = np.array([index.get((t, a), -1) for a, t in dyads], dtype=np.int64)
    has_time = frame["has_time"].to_numpy(bool)[position]
    daily = resolution == "daily" or (resolution == "auto" and not has_time.all())
    if resolution == "continuous" and not has_time.all():
        raise UsageError("resolution='continuous' needs a clock time on every event; these have dates only")
    dates = frame["date"].to_numpy("datetime64[ns]")[position]
    origin = dates.min().astype("datetime64[D]")
    days = (dates - origin) / np.timedelta64(1, "D")
    if daily:
        whole = np.floor(days)
        return DyadData(position, whole, dim.astype(np.int64), dyads, reverse, float(whole.max() + 1), True)
    order = np.argsort(days, kind="stable")
    end = float(np.floor(days.max()) + 1)
    return DyadData(position[order], days[order], dim[order].astype(np.int64), dyads, reverse, end, False)


def _designs(data: DyadData, decay: float) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per dyad: design rows ``(background, self sum, reverse sum)``, their weights, and the compensator
    coefficients. The background column is one, or the tide shape on the row's day (:attr:`DyadData.shape`)."""
    plain = _plain_designs(data, decay)
    if data.shape is None:
        return plain
    integral = shape_integral(data.shape, data.end)
    out = []
    for i, (x, w, comp) in enumerate(plain):
        mine = data.rows[i]
        day = np.unique(data.time[mine]) if data.daily else np.floor(data.time[mine])
        out.append((np.column_stack([data.shape[day.astype(np.int64), i], x[:, 1:]]), w, np.r_[integral[i], comp[1:]]))
    return out


def _plain_designs(data: DyadData, decay: float) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`_designs` with a constant background."""
    n_dims = len(data.dyads)
    out = []
    if data.daily:
        n_days = int(data.end)
        counts, x = daily_sums(data.time, data.dim, n_dims, n_days, decay)
        return [daily_design(counts, x, i, [i, int(data.reverse[i])]) for i in range(n_dims)]
    # Continuous: every pair of reversed dyads is one segment of one vectorised kernel pass, with
    # role 0 for the lower-numbered dyad and 1 for its reverse (a dyad without reverse is alone).
    pair = np.minimum(data.dim, np.where(data.reverse[data.dim] >= 0, data.reverse[data.dim], data.dim))
    role = (data.dim != pair).astype(np.int64)
    order = np.lexsort((data.time, pair))
    sums_sorted, _ = excitation(data.time[order], role[order], 2, decay, segments=pair[order])
    sums = np.empty_like(sums_sorted)
    sums[order] = sums_sorted
    own = np.where(role == 0, sums[:, 0], sums[:, 1])
    other = np.where(role == 0, sums[:, 1], sums[:, 0])
    mass = -np.expm1(-decay * (data.end - data.time))  # each event's kernel mass before the end
    total = np.bincount(data.dim, weights=mass, minlength=n_dims)
    for i, mine in enumerate(data.rows):
        r = data.reverse[i]
        design = np.column_stack([np.ones(len(mine)), decay * own[mine], decay * other[mine]])
        out.append((design, np.ones(len(mine)), np.array([data.end, total[i], total[r] if r >= 0 else 0.0])))
    return out


def _fit_fixed(data: DyadData, decay: float, warm: np.ndarray | None = None) -> tuple[np.ndarray, float, bool]:
    """``theta`` (dyads x [mu, self, reverse]), total log-likelihood and whether every fit converged.

    ``warm``: the solution at a nearby decay, a better start than a guess (the profile search
    evaluates many close decays).
    """
    thetas = np.zeros((len(data.dyads), 3))
    total, converged = 0.0, True
    for i, (x, w, comp) in enumerate(_designs(data, decay)):
        has_reverse = data.reverse[i] >= 0
        if warm is not None:
            start = np.maximum(warm[i], [1e-6, 1e-3, 1e-3 if has_reverse else 0.0])
        else:
            start = np.array([max(w.sum(), 1.0) / comp[0] * 0.5, 0.1, 0.1 if has_reverse else 0.0])
        bounds = [(1e-10, None), (0.0, None), (0.0, None) if has_reverse else (0.0, 0.0)]
        options = {"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8}
        res = minimize(negloglik, start, args=(x, comp, w), jac=True, method="L-BFGS-B", bounds=bounds,
                       options=options)  # fmt: skip
        if not res.success:  # a line search that stalls near the optimum: one restart from there
            res = minimize(negloglik, res.x, args=(x, comp, w), jac=True, method="L-BFGS-B", bounds=bounds,
                           options=options)  # fmt: skip
        thetas[i] = res.x
        total -= float(res.fun)
        converged &= bool(res.success) or _stationary(res.x, res.jac, res.fun)
    return thetas, total, converged


def _state(data: DyadData, decay: float, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event: its dyad's intensity at its time (or day), the reverse dyad's kernel sum there, and the
    background's part of the intensity."""
    lam, rev_sum, background = (np.zeros(len(data.time)) for _ in range(3))
    for i, (x, _w, _c) in enumerate(_designs(data, decay)):
        mine = data.rows[i]
        rows = x @ thetas[i]
        if data.daily:  # design rows are the dyad's active days, in day order
            at = np.searchsorted(np.unique(data.time[mine]), data.time[mine])
        else:  # design rows are the dyad's events, in time order
            at = np.arange(len(mine))
        lam[mine], rev_sum[mine], background[mine] = rows[at], x[at, 2], x[at, 0] * thetas[i, 0]
    return lam, rev_sum, background


def _stationary(theta: np.ndarray, grad: np.ndarray, value: float) -> bool:
    """At an optimum even if L-BFGS-B's line search gave up there ("ABNORMAL" in the last digits):
    the gradient, projected on the bounds, is negligible next to the log-likelihood."""
    projected = np.where((theta <= 1e-9) & (grad > 0), 0.0, grad)
    return bool(np.max(np.abs(projected)) <= 1e-4 * max(1.0, abs(value)))


def decay_bounds(daily: bool, window_days: float) -> tuple[float, float]:
    """Decays the data can identify: mean lag between one window and one day (daily) or ~30 minutes."""
    if daily:
        # geometric kernel: mean lag 1 / (1 - exp(-decay)); from the window down to just over one day
        return float(-np.log(1 - 1 / max(window_days, 1.5))), 5.0
    return 1.0 / window_days, 48.0


@dataclass(frozen=True, repr=False, eq=False)
class DyadicHawkes(Result):
    """A fitted dyadic Hawkes process (see the module docstring).

    Attributes
    ----------
    dyads : list of (actor side, target side)
    baseline, self_excitation, reverse_excitation : ndarray
        Per dyad: background rate (events per day), expected own-dyad events and
        expected answers set off by one event of the dyad / of the reverse dyad.
    decay : float
        Per day. Mean delay of a set-off event: ``1 / decay`` (continuous) or
        ``1 / (1 - exp(-decay))`` days (daily).
    loglik : float
    converged : bool
        Every per-dyad optimisation reported success.
    at_bound : bool
        The fitted decay lies at an end of the range searched.
    """

    data: DyadData
    baseline: np.ndarray
    self_excitation: np.ndarray
    reverse_excitation: np.ndarray
    decay: float
    loglik: float
    converged: bool
    at_bound: bool
    window_days: float
    bounds: tuple[float, float] = field(default=(0.0, 0.0))

    @property
    def resolution(self) -> str:
        return "daily" if self.data.daily else "continuous"

    @property
    def mean_delay_days(self) -> float:
        q = np.exp(-self.decay)
        return float(1 / (1 - q)) if self.data.daily else float(1 / self.decay)

    @cached_property
    def _state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per event: intensity of its dyad at its time (or day), the kernel sum of the reverse dyad there,
        and the background's part of the intensity."""
        return _state(self.data, self.decay, np.column_stack([self.baseline, self.self_excitation,
                                                              self.reverse_excitation]))  # fmt: skip

    def _kernel(self, lag: np.ndarray) -> np.ndarray:
        if self.data.daily:
            return geometric_kernel(lag, self.decay)
        return np.where(lag > 0, self.decay * np.exp(-self.decay * lag), 0.0)

    @cached_property
    def reverse_se(self) -> np.ndarray:
        """Per dyad: the standard error of ``reverse_excitation`` from the observed information, given the
        decay and the background's shape (NaN where the estimate is on its zero bound)."""
        out = np.full(len(self.data.dyads), np.nan)
        thetas = np.column_stack([self.baseline, self.self_excitation, self.reverse_excitation])
        for i, (x, w, _c) in enumerate(_designs(self.data, self.decay)):
            variance = observed_cov(x, thetas[i], w)[2, 2]
            out[i] = float(np.sqrt(max(variance, 0.0))) if np.isfinite(variance) else np.nan
        return out

    @property
    def answering(self) -> np.ndarray:
        """Per dyad: does the model find answers in it, ``reverse_excitation`` at least 1.96 standard errors
        above zero? Links are inferred only in such dyads (:func:`escalation.chains`)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(self.reverse_excitation / self.reverse_se) >= ANSWER_Z

    @cached_property
    def event_probabilities(self) -> pd.DataFrame:
        """Per dyadic event: ``position, dyad, p_background, p_self, p_answer`` (they sum to one)."""
        data = self.data
        lam, rev_sum, background = self._state
        theta = np.column_stack([self.baseline, self.self_excitation, self.reverse_excitation])[data.dim]
        p_answer = theta[:, 2] * rev_sum / lam
        p_background = background / lam
        return pd.DataFrame(
            {
                "position": data.position,
                "actor_side": [data.dyads[d][0] for d in data.dim],
                "target_side": [data.dyads[d][1] for d in data.dim],
                "p_background": p_background,
                "p_self": 1 - p_background - p_answer,
                "p_answer": p_answer,
            }
        )

    def pair_probability(self, trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
        """Probability that the event at frame position ``resp`` was set off by the one at ``trig``.

        NaN where the model has no term for the pair: the trigger is not an event
        of the reverse dyad, or (daily data) it is on the same day.
        """
        data = self.data
        where = pd.Series(np.arange(len(data.position)), index=data.position)
        t, r = where.reindex(trig).to_numpy(), where.reindex(resp).to_numpy()
        ok = ~np.isnan(t) & ~np.isnan(r)
        ti, ri = np.where(ok, t, 0).astype(np.int64), np.where(ok, r, 0).astype(np.int64)
        ok &= data.reverse[data.dim[ri]] == data.dim[ti]
        lag = data.time[ri] - data.time[ti]
        ok &= lag >= 1 if data.daily else lag > 0
        lam = self._state[0]
        p = self.reverse_excitation[data.dim[ri]] * self._kernel(lag) / lam[ri]
        return np.where(ok, p, np.nan)

    @cached_property
    def candidates(self) -> pd.DataFrame:
        """Every (trigger, response) pair within the window with probability >= 0.01, as frame positions.

        Columns: ``trigger, response, probability, lag_days``. For each response
        its candidate triggers are the earlier events of the reverse dyad, latest
        first; the walk back stops below 0.01, since the kernel only decreases.
        """
        data = self.data
        lam = self._state[0]
        trig_out: list[np.ndarray] = []
        resp_out: list[np.ndarray] = []
        prob_out: list[np.ndarray] = []
        lag_out: list[np.ndarray] = []
        for i, r in enumerate(data.reverse):
            if r < 0 or self.reverse_excitation[i] <= 0:
                continue
            resp, trig = data.rows[i], data.rows[r]  # in time order
            trig_time = data.time[trig]
            pos = np.searchsorted(trig_time, data.time[resp], side="left") - 1  # latest strictly earlier
            active = np.arange(len(resp))
            while len(active):
                p_idx = pos[active]
                ok = p_idx >= 0
                cand = trig[np.maximum(p_idx, 0)]
                rr = resp[active]
                lag = data.time[rr] - data.time[cand]
                prob = self.reverse_excitation[i] * self._kernel(lag) / lam[rr]
                ok &= (lag <= self.window_days) & (prob >= _FLOOR)
                trig_out.append(data.position[cand[ok]])
                resp_out.append(data.position[rr[ok]])
                prob_out.append(prob[ok])
                lag_out.append(lag[ok])
                active = active[ok]
                pos[active] -= 1
        if not trig_out:
            return pd.DataFrame({"trigger": [], "response": [], "probability": [], "lag_days": []})
        out = pd.DataFrame(
            {
                "trigger": np.concatenate(trig_out),
                "response": np.concatenate(resp_out),
                "probability": np.concatenate(prob_out),
                "lag_days": np.concatenate(lag_out),
            }
        )
        return out.sort_values(["response", "trigger"], kind="stable").reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """One row per directed dyad (``actor_side``, ``target_side``: its ``events``, the answers per event of
        the reverse dyad ``reverse`` and whether that is ``answering``, its ``expected_answers``), and a last
        row ``"all sides"`` with the events and expected answers of every dyad and what is the model's: the
        ``decay``, ``mean_delay_days``, ``loglik``, whether every fit ``converged`` and whether the decay is
        ``at_bound`` of its range."""
        table = self.to_frame()[["actor_side", "target_side", "events", "reverse", "answering", "expected_answers"]]
        whole = {"actor_side": "all sides", "target_side": "all sides", "events": int(table["events"].sum()),
                 "reverse": np.nan, "answering": None, "expected_answers": float(table["expected_answers"].sum()),
                 "decay": self.decay, "mean_delay_days": self.mean_delay_days, "loglik": self.loglik,
                 "converged": bool(self.converged), "at_bound": bool(self.at_bound)}  # fmt: skip
        return pd.concat([table, pd.DataFrame([whole])], ignore_index=True)

    def settings(self) -> dict[str, Any]:
        return {"resolution": self.resolution, "window_days": self.window_days, "decay_bounds": list(self.bounds),
                "background": "constant" if self.data.shape is None else "tide"}  # fmt: skip

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Expected answers per event of the reverse dyad (``reverse``), one bar per dyad, in the acting side's
        colour (:func:`escalation.plotting.dyadic_answers`)."""
        from ...plotting import dyadic_answers

        return dyadic_answers(self, ax=ax, **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """Per dyad: ``actor_side, target_side, events, baseline, self, reverse, reverse_se, answering,
        expected_answers, answer_share``.

        ``reverse`` is answers per event of the other side (``answering``: at least 1.96 standard errors above
        zero); ``expected_answers``
        the sum of ``p_answer`` over the dyad's events and ``answer_share`` that
        sum over the number of events.
        """
        ep = self.event_probabilities
        counts = np.bincount(self.data.dim, minlength=len(self.data.dyads))
        answers = np.bincount(self.data.dim, weights=ep["p_answer"].to_numpy(), minlength=len(self.data.dyads))
        return pd.DataFrame(
            {
                "actor_side": [a for a, _ in self.data.dyads],
                "target_side": [t for _, t in self.data.dyads],
                "events": counts,
                "baseline": self.baseline,
                "self": self.self_excitation,
                "reverse": self.reverse_excitation,
                "reverse_se": self.reverse_se,
                "answering": self.answering,
                "expected_answers": answers,
                "answer_share": answers / np.maximum(counts, 1),
            }
        )

    def __repr__(self) -> str:
        return (
            f"<DyadicHawkes: {len(self.data.time)} events in {len(self.data.dyads)} dyads ({self.resolution}); "
            f"mean delay {self.mean_delay_days:.2g} days; converged {self.converged}; decay at bound {self.at_bound}>"
        )


@one_blas_thread
def fit_dyadic_hawkes(
    frame: pd.DataFrame,
    *,
    window: pd.Timedelta | None = None,
    resolution: Resolution = "auto",
    decay: float | None = None,
    background: str = "tide",
    tide: str | pd.Timedelta | float | None = None,
) -> DyadicHawkes:
    """Fit the dyadic Hawkes model of the module docstring to a date-sorted event frame.

    ``background="tide"`` (default): each dyad's background follows its own slow changes of rate, a kernel
    estimate (Gaussian, standard deviation ``tide``, default 14 days) of the events the model puts down to
    the background, over :data:`~escalation.stats.hawkes._background.TIDE_ROUNDS` rounds of stochastic
    declustering; ``"constant"``: one rate per dyad. With a constant background, two sides that merely share
    seasons or surges get answers the data do not hold (issue 29: 41-43% of events on such histories).

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation._core.time import sorted_frame
    >>> sim = esc.stats.simulate_hawkes([0.06, 0.06], [[0.2, 0.45], [0.45, 0.2]], decay=0.5, length=3000, seed=2)
    >>> fit = fit_dyadic_hawkes(sorted_frame(esc.read_events(sim)))
    >>> fit.resolution, bool(0.25 < fit.reverse_excitation.mean() < 0.65)
    ('continuous', True)
    """
    if background not in ("tide", "constant"):
        raise UsageError(f"background must be 'tide' or 'constant', got {background!r}")
    if decay is not None and not 0 < decay < np.inf:
        raise UsageError(f"decay must be a positive, finite number, got {decay}")
    data = dyad_data(frame, resolution)
    window_days = (pd.Timedelta(days=30) if window is None else window) / pd.Timedelta(days=1)
    lo, hi = decay_bounds(data.daily, window_days)
    if background == "tide":
        tide_days = parse_tide(tide).days
        day = np.floor(data.time).astype(np.int64)
        n_days, weights = int(np.ceil(data.end)), np.ones(len(data.time))
        for _ in range(TIDE_ROUNDS):
            shape = smooth_shape(day, data.dim, weights, len(data.dyads), n_days, tide_days)
            data = replace(data, shape=shape)
            fitted, thetas, loglik, converged, at_bound = _fit_decay(data, decay, lo, hi)
            lam, _, part = _state(data, fitted, thetas)
            weights = part / lam
    else:
        fitted, thetas, loglik, converged, at_bound = _fit_decay(data, decay, lo, hi)
    result = DyadicHawkes(
        data=data, baseline=thetas[:, 0], self_excitation=thetas[:, 1], reverse_excitation=thetas[:, 2], decay=fitted,
        loglik=loglik, converged=converged, at_bound=at_bound, window_days=window_days, bounds=(lo, hi),
    )  # fmt: skip
    if not converged:
        warnings.warn("the dyadic Hawkes fit did not converge for every dyad; link probabilities are unreliable",
                      RuntimeWarning, stacklevel=2)  # fmt: skip
    return result


def _fit_decay(
    data: DyadData, decay: float | None, lo: float, hi: float
) -> tuple[float, np.ndarray, float, bool, bool]:
    """The decay (fixed, or maximising the profile likelihood: a grid, then a bounded search) and the fit at
    it: ``(decay, thetas, loglik, converged, at_bound)``."""
    if decay is not None:
        return float(decay), *_fit_fixed(data, float(decay)), False
    cache: dict[float, tuple[np.ndarray, float, bool]] = {}

    def negprofile(log_decay: float) -> float:
        key = float(log_decay)
        if key not in cache:
            nearest = min(cache, key=lambda k: abs(k - key)) if cache else None
            cache[key] = _fit_fixed(data, float(np.exp(key)), None if nearest is None else cache[nearest][0])
        return -cache[key][1]

    grid = np.linspace(np.log(lo), np.log(hi), 12)
    values = [negprofile(g) for g in grid]
    best = int(np.argmin(values))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = minimize_scalar(negprofile, bounds=(left, right), method="bounded", options={"xatol": 1e-4})
    log_decay = float(res.x) if res.fun <= values[best] else float(grid[best])
    fitted = float(np.exp(log_decay))
    thetas, loglik, converged = cache[log_decay] if log_decay in cache else _fit_fixed(data, fitted)
    at_bound = bool(abs(log_decay - np.log(lo)) < 1e-3 or abs(log_decay - np.log(hi)) < 1e-3)
    return fitted, thetas, loglik, converged, at_bound
