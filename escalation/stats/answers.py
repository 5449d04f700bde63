"""What makes an answer sooner or likelier: a proportional-hazards model of the time to response.

For every action by A against B that could be answered, the time until B's next action against A
(:func:`escalation.time_to_response`: censored at the window and at the end of the data) is modelled with
Cox's proportional hazards, ``h(t | x) = h0(t) exp(x'b)``, on traits of the action (``covariates``: its
deaths, its rung, any column of the data). ``exp(b)`` is a **hazard ratio**: above 1, an action with more of
the trait is followed sooner (and, within the window, more often).

- **Fit**: Efron's partial likelihood (day-dated waits tie often), vectorised in :mod:`escalation.stats._cox`
  (the numbers of statsmodels' ``PHReg`` and lifelines' ``CoxPHFitter``, 500 times faster than ``PHReg`` on
  waits with clock times), one model per direction (``by="direction"``), or one for all directions with a
  baseline hazard each (``by=None``). A direction is fitted when it has at least :data:`MIN_ANSWERS_PER_TERM`
  answers per term (Peduzzi et al. 1995's ten events per variable); otherwise its rows say so.
- **Intervals**: Wald intervals from the sandwich covariance clustered by occasion: one answer serves every
  earlier action it is the next action after, and a side's actions against one target on one day share their
  answer, so they are one cluster, not independent subjects (a plain Cox interval is too narrow when they
  are counted as such).
- **Against the tides** (``pvalue_tide``): in every real conflict both sides are busier in the same
  seasons, and the deadlier actions come in the busy ones, so a deadlier action is *followed* sooner whether
  or not anybody answers it. The model is fitted again on ``draws`` histories in which the answering side's
  actions are rotated within the tide's blocks (:mod:`escalation.chance.waits`): the same events, the same
  traits, each side's count in every block and its own bursts kept, no answer possible. ``chance_hr`` is the
  hazard ratio those give (the geometric mean, with a 95% range), and ``pvalue_tide`` the two-sided
  Monte-Carlo p-value of the observed coefficient among theirs. An effect is called one only when both the
  interval excludes 1 and ``pvalue_tide`` is below ``alpha``; it then holds at the timescale of the tide.
  The rotation keeps the answering side's count in each block, answers included, so part of a true effect is
  kept by chance too: the comparison is conservative, the more so for answers slower than a quarter of the
  tide, which is why the window defaults to that quarter (3.5 days for 14).

What is counted: one row per action (an event, or an incident with ``Events.incidents``) that could be
answered, with its trait; rows with a missing trait are left out and counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from .._core.levels import DRAWS, LEVEL
from .._core.result import Result
from .._core.time import event_times, order_keys, sorted_frame
from ..chance.waits import rotated_waits
from ..errors import UsageError
from ..events.table import Events
from ._traits import trait_columns
from .survival import _role_masks, censored, time_left_days, time_to_response

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.ladder import Ladder

#: A direction is modelled with at least this many answers per term (Peduzzi et al. 1995).
MIN_ANSWERS_PER_TERM = 10
SUMMARY_COLUMNS = ("group", "term", "events", "answered", "clusters", "coef", "se", "hazard_ratio", "lower",
                   "upper", "pvalue", "chance_hr", "chance_lower", "chance_upper", "pvalue_tide", "draws",
                   "verdict", "note")  # fmt: skip


def answer_model(
    events: Events | pd.DataFrame,
    covariates: str | Sequence[str],
    *,
    window: str | pd.Timedelta | float | None = None,
    sides: Mapping[str, str] | str | None = None,
    by: str | None = "direction",
    end: str | pd.Timestamp | None = None,
    tide: str | pd.Timedelta | float | None = None,
    triggers: Mapping[str, Any] | None = None,
    responses: Mapping[str, Any] | None = None,
    ladder: Ladder | Mapping[str, float] | str | None = None,
    alpha: float = LEVEL,
    draws: int = DRAWS,
    seed: int = 0,
) -> AnswerModelResult:
    """Does a trait of an action (its deaths, its rung, where it struck) go with a sooner answer?

    Parameters
    ----------
    events : Events or DataFrame
    covariates : str or list of str
        Traits of the action that may be answered, each one of: a numeric column (``"fatalities"``, entered
        as it is); ``"log1p(col)"`` (``log(1 + col)``, for counts such as deaths); ``"rung"`` (the action's
        rank on the ``ladder``, unless the data have a column of that name); a text or true/false column
        (one term per value against the most common one); ``"C(col)"`` (a numeric column taken as values).
    window : str, Timedelta or float, optional
        Longest wait counted as an answer; later ones are censored there. Default: a quarter of the tide
        (3.5 days for 14), the timescale at which the comparison with chance tells answers from shared tides
        (answers slower than that are partly kept by the rotation, which hides them).
    sides, end, tide, triggers, responses
        As in :func:`escalation.time_to_response`.
    by : {"direction", None}
        One model per direction ("B answering A"), or one for all directions (each its own baseline hazard).
    ladder : Ladder, mapping or path, optional
        The ladder of ``"rung"`` (default: the built-in one).
    alpha : float
        1 - confidence level of the intervals, and the level of the verdicts.
    draws, seed : int
        Histories of the comparison with chance (0: none), and their seed.

    Returns
    -------
    AnswerModelResult
        ``.summary()`` (one row per direction and term), ``.conf_int()``, ``.to_frame()`` (one row per
        action), ``.plot()``.

    Examples
    --------
    >>> import escalation as esc
    >>> fit = esc.answer_model(esc.datasets.load_iraq_2019_2021(), ["rung"], by=None, draws=19)
    >>> fit.summary()[["group", "term"]].to_dict("records")
    [{'group': 'all directions', 'term': 'rung'}]
    """
    names = [covariates] if isinstance(covariates, str) else list(covariates)
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise UsageError("covariates: name at least one trait of the actions (a column, log1p(col), C(col), rung)")
    if by not in ("direction", None):
        raise UsageError(f"by must be 'direction' or None, got {by!r}")
    if not 0 < alpha < 1:
        raise UsageError(f"alpha must be between 0 and 1, got {alpha!r}")
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 0:
        raise UsageError(f"draws must be a whole number, at least 0, got {draws!r}")
    if window is None:
        from ..chance._tide import answer_lag_days, parse_tide

        window = pd.Timedelta(days=answer_lag_days(parse_tide(tide)))
    ttr = time_to_response(events, window=window, sides=sides, by=by, end=end, tide=tide, triggers=triggers,
                           responses=responses, alpha=alpha)  # fmt: skip
    frame = sorted_frame(ttr.events)
    table = ttr.table
    at = pd.Index(frame["event_id"]).get_indexer(table["event_id"])
    design = trait_columns(frame.iloc[at].reset_index(drop=True), names, ladder)
    # an occasion (a side's actions against one target at one order key) shares its answer: one cluster
    earlier = order_keys(event_times(frame))[0][at]
    occasion = "o:" + table["direction"].astype(str) + "@" + pd.Series(earlier, dtype="int64").astype(str)
    cluster = occasion.where(~table["answered"], "r:" + table["response_id"].fillna("").astype(str))
    out = pd.concat([table.drop(columns="group"), design], axis=1).assign(
        group=table["group"].replace({"all": "all directions"}), cluster=cluster.to_numpy()
    )
    end_ts = ttr.end if ttr.end is not None else frame["date"].max()
    trig_mask, resp_mask = _role_masks(frame, ttr.triggers, ttr.responses)
    drawn = rotated_waits(frame, at, tide=ttr.tide, draws=int(draws), seed=seed, triggers=trig_mask,
                          responses=resp_mask)  # fmt: skip
    left = time_left_days(frame, end_ts)[at]
    return AnswerModelResult(table=out, terms=list(design.columns), covariates=names, window=ttr.window,
                             tide=ttr.tide, by=by, alpha=alpha, draws=int(draws), seed=seed, end=end_ts,
                             events=ttr.events, _drawn=drawn, _left=left)  # fmt: skip


def _fit(
    duration: np.ndarray,
    status: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray | None,
    groups: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cox coefficients and their covariance (sandwich by ``groups`` when given); NaN when the fit fails."""
    from ._cox import clustered_covariance, fit_cox

    nan = np.full(x.shape[1], np.nan), np.full((x.shape[1], x.shape[1]), np.nan)
    if not status.any():
        return nan
    try:
        with np.errstate(all="ignore"):
            params, hessian, data = fit_cox(duration, status, x, strata, start=start)
            cov = clustered_covariance(data, params, hessian, groups) if groups is not None else np.linalg.inv(-hessian)
    except (np.linalg.LinAlgError, FloatingPointError):
        return nan
    return (params, cov) if np.all(np.isfinite(params)) and np.all(np.isfinite(cov)) else nan


@dataclass(frozen=True, repr=False, eq=False)
class AnswerModelResult(Result):
    """A proportional-hazards model of the time to response, per direction, against the tides.

    Attributes
    ----------
    table : DataFrame
        One row per action that could be answered: the columns of
        :attr:`escalation.TimeToResponseResult.table`, one column per term, ``group`` (the model it enters)
        and ``cluster`` (its occasion, or the answer it shares).
    terms : list of str
        The model's terms (a text covariate has one per value but the most common).
    """

    table: pd.DataFrame
    terms: list[str]
    covariates: list[str]
    window: pd.Timedelta
    tide: pd.Timedelta
    by: str | None
    alpha: float
    draws: int
    seed: int
    end: pd.Timestamp
    events: Events
    _drawn: np.ndarray = field(repr=False)
    _left: np.ndarray = field(repr=False)

    def settings(self) -> dict[str, Any]:
        return {"covariates": self.covariates, "window": self.window, "tide": self.tide, "by": self.by,
                "alpha": self.alpha, "draws": self.draws, "seed": self.seed, "end": self.end}  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        """One row per action that could be answered (see the class attributes); a copy."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """One row per direction (``group``) and term: the sample (``events``, ``answered``, ``clusters``), the
        coefficient and its clustered standard error, the hazard ratio with its interval and Wald p-value,
        what the tides alone give (``chance_hr`` with ``chance_lower``/``chance_upper``), ``pvalue_tide``, the
        ``draws`` it rests on, the ``verdict`` and a ``note`` where a model could not be fitted."""
        return self._summary.copy()

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """The hazard ratios' Wald intervals (clustered): ``group, term, hazard_ratio, lower, upper``."""
        z = sps.norm.ppf(1 - (self.alpha if alpha is None else alpha) / 2)
        s = self._summary
        return pd.DataFrame({"group": s["group"], "term": s["term"], "hazard_ratio": s["hazard_ratio"],
                             "lower": np.exp(s["coef"] - z * s["se"]),
                             "upper": np.exp(s["coef"] + z * s["se"])})  # fmt: skip

    @cached_property
    def _summary(self) -> pd.DataFrame:
        rows: list[dict[str, Any]] = []
        t = self.table
        for group, at in t.groupby("group", sort=True).indices.items():
            rows.extend(self._fit_group(str(group), np.asarray(at)))
        return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))

    def _fit_group(self, group: str, at: np.ndarray) -> list[dict[str, Any]]:
        t = self.table
        x_all = t[self.terms].to_numpy(float)[at]
        complete = ~np.isnan(x_all).any(axis=1)
        at, x = at[complete], x_all[complete]
        left_out = int((~complete).sum())
        duration, status = t["duration_days"].to_numpy(float)[at], t["answered"].to_numpy(bool)[at]
        varies = (x.max(axis=0) > x.min(axis=0)) if len(x) else np.zeros(len(self.terms), bool)
        terms = [term for term, v in zip(self.terms, varies, strict=True) if v]
        base = {"group": group, "events": len(at), "answered": int(status.sum()),
                "clusters": int(pd.unique(t["cluster"].to_numpy()[at]).size), "draws": 0}  # fmt: skip
        notes = [f"{left_out} actions left out: a trait is missing"] if left_out else []
        blank = dict.fromkeys(SUMMARY_COLUMNS[5:16], np.nan)
        if not terms or status.sum() < MIN_ANSWERS_PER_TERM * len(terms):
            why = ("no trait varies among these actions" if not terms else
                   f"too few answers ({int(status.sum())}) for {len(terms)} term{'s' if len(terms) > 1 else ''}: "
                   f"at least {MIN_ANSWERS_PER_TERM} per term")  # fmt: skip
            return [{**base, **blank, "term": term, "draws": 0, "verdict": "not estimated",
                     "note": "; ".join([*notes, why])} for term in self.terms]  # fmt: skip
        x = x[:, varies]
        strata = pd.factorize(t["direction"].to_numpy()[at])[0] if self.by is None else None
        # An action censored at 0 (on the last day) and a direction never answered add nothing to the partial
        # likelihood, and leave statsmodels' score residuals undefined (NaN) for their rows: left out of the fit.
        keep = duration > 0
        if strata is not None:
            keep &= np.bincount(strata, weights=status, minlength=strata.max() + 1)[strata] > 0
        at, x, duration, status = at[keep], x[keep], duration[keep], status[keep]
        strata = pd.factorize(strata[keep])[0] if strata is not None else None
        coef, cov = _fit(duration, status, x, strata, groups=t["cluster"].to_numpy()[at])
        drawn = np.full((self.draws, len(terms)), np.nan)
        # every draw's durations at once (censored takes the draws on its first axis); only the fits loop
        durations, statuses = censored(self._drawn[:, at], self.window / pd.Timedelta(days=1), self._left[at])
        start = coef if np.all(np.isfinite(coef)) else None
        for k in range(self.draws):
            drawn[k] = _fit(durations[k], statuses[k], x, strata, start=start)[0]
        ok = np.isfinite(drawn).all(axis=1)
        drawn = drawn[ok]
        z = sps.norm.ppf(1 - self.alpha / 2)
        out = []
        for j, term in enumerate(terms):
            b, se = coef[j], float(np.sqrt(cov[j, j]))
            row = {**base, "term": term, "coef": b, "se": se, "hazard_ratio": np.exp(b), "lower": np.exp(b - z * se),
                   "upper": np.exp(b + z * se), "pvalue": 2 * sps.norm.sf(abs(b / se)) if se > 0 else np.nan,
                   "draws": len(drawn)}  # fmt: skip
            if len(drawn):
                null = drawn[:, j]
                row.update(chance_hr=float(np.exp(null.mean())), chance_lower=float(np.exp(np.percentile(null, 2.5))),
                           chance_upper=float(np.exp(np.percentile(null, 97.5))),
                           pvalue_tide=two_sided_pvalue(b, null))  # fmt: skip
            else:
                row.update(chance_hr=np.nan, chance_lower=np.nan, chance_upper=np.nan, pvalue_tide=np.nan)
            row["verdict"] = self._verdict(row)
            row["note"] = "; ".join(notes + ([f"{self.draws - len(drawn)} draws could not be fitted"]
                                             if len(drawn) < self.draws else []))  # fmt: skip
            out.append(row)
        for term in self.terms:
            if term not in terms:
                out.append({**base, **blank, "term": term, "verdict": "not estimated",
                            "note": "; ".join([*notes, "does not vary among these actions"])})  # fmt: skip
        return out

    def _verdict(self, row: Mapping[str, Any]) -> str:
        """Sooner or later beyond the tides, what the tides give, or no telling."""
        if not np.isfinite(row["coef"]) or not np.isfinite(row["se"]):
            return "not estimated"
        beyond_interval = row["lower"] > 1 or row["upper"] < 1
        if not beyond_interval:
            return "cannot tell"
        if not np.isfinite(row["pvalue_tide"]):
            return "sooner (not compared with the tides)" if row["coef"] > 0 else "later (not compared with the tides)"
        if row["pvalue_tide"] >= self.alpha:
            return "no more than the tides give"
        return "sooner beyond the tides" if row["coef"] > 0 else "later beyond the tides"

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Hazard ratios with their intervals beside what the tides give; see
        :func:`escalation.plotting.hazard_ratios`."""
        from ..plotting import hazard_ratios

        return hazard_ratios(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        t = self.table
        groups = t["group"].nunique()
        return (f"<AnswerModelResult: {', '.join(self.terms)}; {len(t)} actions, {int(t['answered'].sum())} answered "
                f"within {self.window / pd.Timedelta(days=1):g} days; {groups} model{'s' if groups != 1 else ''}, "
                f"{self.draws} draws against the tides>")  # fmt: skip


def two_sided_pvalue(observed: float, drawn: np.ndarray) -> float:
    """Two-sided Monte-Carlo p-value of ``observed`` among ``drawn``: twice the smaller tail, each counted
    with the observed value among the draws (``(1 + #) / (n + 1)``), at most 1."""
    n = len(drawn)
    upper = (1 + int((drawn >= observed).sum())) / (n + 1)
    lower = (1 + int((drawn <= observed).sum())) / (n + 1)
    return float(min(1.0, 2 * min(upper, lower)))
