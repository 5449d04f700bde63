"""Simulating multivariate Hawkes processes with exponential kernels.

``method="thinning"`` is Ogata's (1981) thinning algorithm: candidate times come
from a Poisson process at the current total intensity, which bounds the
intensity until the next event because the kernels only decay; each candidate
is kept with probability ``lambda(t) / bound``. It is sequential by nature (each
kept event raises the intensity), so it loops over candidates; for large runs
``method="cluster"`` uses the branching representation instead (background
events, then generation after generation of children: Poisson(adjacency[i, j])
children of side i per side-j parent, Exp(decay) delays), vectorised per
generation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..._core.time import parse_time_unit, unit_length
from ..._core.vocabulary import renamed_keywords
from ...errors import UsageError


def simulate_times(
    baseline: Sequence[float] | np.ndarray,
    adjacency: Sequence[Sequence[float]] | np.ndarray,
    decay: float,
    end: float,
    *,
    seed: int | None = None,
    method: str = "thinning",
) -> tuple[np.ndarray, np.ndarray]:
    """Event times in ``[0, end)`` and their dimensions."""
    mu = np.asarray(baseline, float)
    a = np.asarray(adjacency, float)
    if a.shape != (len(mu), len(mu)) or (mu < 0).any() or (a < 0).any() or decay <= 0:
        raise UsageError("need baseline >= 0 of length D, adjacency >= 0 of shape (D, D) and decay > 0")
    rng = np.random.default_rng(seed)
    if method == "thinning":
        return _thinning(mu, a, decay, end, rng)
    if method == "cluster":
        if np.max(np.abs(np.linalg.eigvals(a))) >= 1:
            raise UsageError("the cluster method needs a branching ratio below 1")
        times, dims, _ = _cluster(mu, a, decay, end, rng)
        return times, dims
    raise UsageError(f"method must be 'thinning' or 'cluster', got {method!r}")


def _thinning(
    mu: np.ndarray, a: np.ndarray, beta: float, end: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    n_dims = len(mu)
    excite = np.zeros(n_dims)  # sum over past events of each source of beta * exp(-beta (t - t_l))
    t = 0.0
    times: list[float] = []
    dims: list[int] = []
    while True:
        # The intensity only decays until the next event, so its value now bounds it until then.
        bound = float(mu.sum() + (a @ excite).sum())
        if bound <= 0:
            break
        step = rng.exponential(1.0 / bound)
        t += step
        if t >= end:
            break
        excite *= np.exp(-beta * step)
        lam = mu + a @ excite
        u = rng.random() * bound
        cum = np.cumsum(lam)
        if u < cum[-1]:
            i = int(np.searchsorted(cum, u, side="right"))
            times.append(t)
            dims.append(i)
            excite[i] += beta
    return np.asarray(times), np.asarray(dims, dtype=np.int64)


def children(
    rates: np.ndarray, times: np.ndarray, beta: float, end: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One generation of the branching representation: each parent ``k`` (at ``times[k]``) has
    ``Poisson(rates[k, i])`` children of each dimension ``i``, ``Exp(beta)`` later; those before ``end`` are kept.

    Returns each kept child's parent (an index into ``times``), dimension and time. Shared by :func:`_cluster`
    and the forecasts' simulation forward from a history (:mod:`escalation.stats.forecasting._ahead`).
    """
    n_children = rng.poisson(rates)  # (parents, D)
    per = n_children.sum(axis=1)
    parent = np.repeat(np.arange(len(per)), per)
    # Children's dimensions: each dimension repeated by its count, parent by parent, in one call.
    dims = np.tile(np.arange(rates.shape[1]), len(per)).repeat(n_children.ravel())
    t = np.repeat(times, per) + rng.exponential(1.0 / beta, len(parent))
    keep = t < end
    return parent[keep], dims.astype(np.int64)[keep], t[keep]


def _cluster(
    mu: np.ndarray, a: np.ndarray, beta: float, end: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, dimensions and the parent of each event (its index in the output; -1: background)."""
    n_dims = len(mu)
    counts = rng.poisson(mu * end)
    gen_t = np.concatenate([rng.uniform(0, end, c) for c in counts])
    gen_d = np.repeat(np.arange(n_dims), counts)
    gen_id = np.arange(len(gen_t))
    all_t, all_d, all_p = [gen_t], [gen_d], [np.full(len(gen_t), -1)]
    next_id = len(gen_t)
    while len(gen_t):
        # children of each parent in each dimension i: Poisson(a[i, parent_dim])
        parent, gen_d, gen_t = children(a[:, gen_d].T, gen_t, beta, end, rng)
        all_p.append(gen_id[parent])
        gen_id = np.arange(next_id, next_id + len(gen_t))
        next_id += len(gen_t)
        all_t.append(gen_t)
        all_d.append(gen_d)
    t = np.concatenate(all_t)
    d = np.concatenate(all_d).astype(np.int64)
    parent = np.concatenate(all_p).astype(np.int64)
    order = np.argsort(t, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return t[order], d[order], np.where(parent[order] >= 0, rank[np.maximum(parent[order], 0)], -1)


@renamed_keywords(end="length")
def simulate_hawkes(
    baseline: Sequence[float] | np.ndarray,
    adjacency: Sequence[Sequence[float]] | np.ndarray,
    decay: float,
    *,
    length: float,
    sides: Sequence[str] | None = None,
    seed: int | None = None,
    method: str = "thinning",
    origin: str | pd.Timestamp = "2000-01-01",
    time_unit: str = "D",
    parents: bool = False,
) -> pd.DataFrame:
    """Simulated events as a canonical event table (one row per event, with clock times), over ``length``
    time units from ``origin`` (before 0.2: ``end``, which still works for a release).

    With two sides each event targets the other side; with more, the target is
    ``"unspecified"`` (a Hawkes process says who acts, not against whom).
    ``parents=True`` (needs ``method="cluster"``) adds ``true_parent``: the
    ``event_id`` of the event that set each one off, missing for background
    events: the known answer that link inference is tested against.

    Examples
    --------
    >>> sim = simulate_hawkes([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], decay=1.5, length=100, seed=3)
    >>> list(sim.columns)
    ['event_id', 'date', 'actor', 'target']
    """
    time_unit = parse_time_unit(time_unit)
    if parents:
        if method != "cluster":
            raise UsageError("parents=True needs method='cluster' (the branching simulation records parents)")
        mu, a = np.asarray(baseline, float), np.asarray(adjacency, float)
        simulate_times(mu, a, decay, 1e-9, seed=0, method="cluster")  # validates the arguments
        times, dims, parent = _cluster(mu, a, decay, length, np.random.default_rng(seed))
    else:
        times, dims = simulate_times(baseline, adjacency, decay, length, seed=seed, method=method)
        parent = None
    unit = unit_length(time_unit)
    dates = pd.Timestamp(origin) + pd.to_timedelta(times * (unit / pd.Timedelta(days=1)), unit="D")
    out = _event_table(dates, dims, sides, len(np.asarray(baseline)))
    if parent is not None:
        ids = out["event_id"].to_numpy()
        out["true_parent"] = pd.Series(ids[np.maximum(parent, 0)], dtype=object).where(parent >= 0)
    return out


def _event_table(dates: object, dims: np.ndarray, sides: Sequence[str] | None, n_dims: int) -> pd.DataFrame:
    """Simulated events as rows: with two sides each targets the other, with more the target is unspecified."""
    names = list(sides) if sides is not None else [f"side {i}" for i in range(n_dims)]
    actor = np.asarray(names, dtype=object)[dims]
    target = np.asarray(names[::-1], dtype=object)[dims] if len(names) == 2 else np.full(len(dims), "unspecified")
    ids = np.char.add("sim", np.char.zfill(np.arange(len(dims)).astype(str), 7))
    return pd.DataFrame({"event_id": ids, "date": dates, "actor": actor, "target": target})


def simulate_daily(
    baseline: Sequence[float] | np.ndarray,
    adjacency: Sequence[Sequence[float]] | np.ndarray,
    decay: float,
    *,
    days: int,
    sides: Sequence[str] | None = None,
    seed: int | None = None,
    origin: str | pd.Timestamp = "2000-01-01",
) -> pd.DataFrame:
    """Events dated to the day from the discrete-time Hawkes process of a daily fit.

    Each day's count of side ``i`` is Poisson with mean ``baseline[i] + sum_j
    adjacency[i, j] X_j(d)``, ``X(d) = q X(d-1) + (1-q) N(d-1)``, ``q = exp(-decay)``.
    Days depend on the days before, so the loop is over days (not events).

    Examples
    --------
    >>> sim = simulate_daily([0.3, 0.2], [[0.2, 0.3], [0.3, 0.2]], decay=0.7, days=50, seed=1)
    >>> list(sim.columns), bool(sim["date"].str.len().eq(10).all())
    (['event_id', 'date', 'actor', 'target'], True)
    """
    mu, a = np.asarray(baseline, float), np.asarray(adjacency, float)
    if a.shape != (len(mu), len(mu)) or (mu < 0).any() or (a < 0).any() or decay <= 0 or days < 1:
        raise UsageError("need baseline >= 0 of length D, adjacency >= 0 of shape (D, D), decay > 0 and days >= 1")
    rng = np.random.default_rng(seed)
    q = np.exp(-decay)
    x = np.zeros(len(mu))
    counts = np.zeros((days, len(mu)), dtype=np.int64)
    for d in range(days):
        counts[d] = rng.poisson(mu + a @ x)
        x = q * x + (1 - q) * counts[d]
    day, dims = np.nonzero(counts)
    n = counts[day, dims]
    day, dims = np.repeat(day, n), np.repeat(dims, n)
    dates = (pd.Timestamp(origin).normalize() + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d")
    return _event_table(np.asarray(dates, dtype=object), dims, sides, len(mu))
