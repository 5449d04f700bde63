"""Escalation chains: connected components of the trigger -> response graph.

A chain is every event reachable from another through links, in either
direction: the K-1 rocket attack, the strikes that answered it, the embassy
siege that answered those, and so on. Chains are numbered 1, 2, ... in the
order of their first event, so ``chain_id`` is stable for the same data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.levels import LEVEL
from .._core.result import Result
from .._core.time import sorted_frame
from .._core.vocabulary import LinkMethod, Resolution
from .._core.words import duration_words
from ..chance._tide import DEFAULT_TIDE, parse_tide
from ..events.ladder import Ladder, as_ladder, event_ranks
from ..events.table import Events
from ..io._coerce import as_events
from ._components import chain_numbers, link_ends
from ._rule import build_link_table, check_link_options, link_pairs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LadderLike = Ladder | Mapping[str, float] | str | os.PathLike[str] | None


def add_chain_ids(links: pd.DataFrame) -> pd.DataFrame:
    """Number the chains of a collected link table (e.g. from the Dask engine) as :func:`link` does.

    Linked events are ordered by (date, event_id), the pandas engine's order, so chain 1
    is the chain of the earliest linked event and the ids equal the pandas engine's.
    """
    ends, trig, resp = link_ends(links)
    chain_of = chain_numbers(len(ends), trig, resp)
    return links.assign(chain_id=chain_of[trig])[["chain_id", *[c for c in links.columns if c != "chain_id"]]]


def link(
    events: Events | pd.DataFrame,
    *,
    window: str | pd.Timedelta | float = "30D",
    sides: Mapping[str, str] | str | None = None,
    max_distance_km: float | None = None,
    ladder: LadderLike = None,
    method: LinkMethod = "reversal",
    min_probability: float = 0.5,
    resolution: Resolution = "auto",
) -> pd.DataFrame:
    """One row per link, trigger -> response, stated or inferred.

    Parameters
    ----------
    events : Events or DataFrame
        A DataFrame is validated as by :func:`escalation.read_events`.
    window : str, Timedelta or float
        How far back a response may look for its trigger (``"30D"``; a number is days).
    sides : dict or path, optional
        Re-map actors to sides before linking.
    max_distance_km : float, optional
        Only link events within this distance; events without coordinates get no inferred link.
    ladder : Ladder, dict or CSV path, optional
        The escalation ladder for ``step_kind`` (default: :class:`escalation.events.ladder.Ladder`).
    method : {"reversal", "hawkes"}
        How links are inferred. ``"reversal"``: an event answers the most recent
        earlier event of the reversed dyad within the window. ``"hawkes"``: a
        dyadic Hawkes model gives each candidate trigger the probability that it
        set the response off (:mod:`escalation.stats.hawkes.dyadic`); links at or
        above ``min_probability`` are kept, in dyads where the model finds answering at all (reverse
        excitation at least 1.96 standard errors above zero). Stated links are kept either way.
    min_probability : float
        With ``method="hawkes"``, the least probability of an inferred link (default 0.5:
        no response can then have two inferred triggers).
    resolution : {"auto", "daily", "continuous"}
        With ``method="hawkes"``: the model's time (``auto``: daily unless every event has a clock time).

    Returns
    -------
    DataFrame
        ``chain_id, trigger_id, response_id, trigger_date, response_date,
        interval_days, link_kind, step_kind`` and the sides, types, ranks and
        fatalities of both ends (and ``distance_km`` when coordinates exist);
        ``link_kind``, ``step_kind``, the sides and the types are categoricals;
        with ``method="hawkes"`` also ``probability`` (the model's, for stated
        links too; missing where the model has no term for the pair).

    Examples
    --------
    >>> import escalation as esc
    >>> links = esc.link(esc.datasets.load_iraq_2019_2021())
    >>> row = links[links["trigger_id"] == "IRQ-2020-01-03-SOL"].iloc[0]
    >>> row["response_id"], float(row["interval_days"]), row["link_kind"]
    ('IRQ-2020-01-05-PAR', 2.0, 'stated')
    """
    return _link(events, window, sides, max_distance_km, ladder, method, min_probability, resolution).links


@dataclass(frozen=True)
class _Linked:
    events: Events
    frame: pd.DataFrame
    links: pd.DataFrame
    chain_of: np.ndarray
    ranks: np.ndarray
    window: pd.Timedelta
    model: Any = None  # the dyadic Hawkes fit with method="hawkes"


def _link(
    events: Events | pd.DataFrame,
    window: str | pd.Timedelta | float,
    sides: Mapping[str, str] | str | None,
    max_distance_km: float | None,
    ladder: LadderLike,
    method: LinkMethod = "reversal",
    min_probability: float = 0.5,
    resolution: Resolution = "auto",
    tide: pd.Timedelta = DEFAULT_TIDE,
) -> _Linked:
    """Shared work of :func:`link` and :func:`chains`."""
    ev = as_events(events, sides=sides).dated_to_the_day()  # a month-precise date is no time to link on
    window_td = check_link_options(window, max_distance_km, method, min_probability)
    frame = sorted_frame(ev)
    ranks = event_ranks(frame, as_ladder(ladder)).to_numpy()
    model = None
    if method == "hawkes":
        trig, resp, stated, interval, probability, model = _hawkes_pairs(
            frame, window_td, min_probability, resolution, tide
        )
    else:
        trig, resp, stated, interval = link_pairs(frame, window_td, max_distance_km)
    chain_of = chain_numbers(len(frame), trig, resp)
    links = build_link_table(frame, trig, resp, stated, interval, chain_of, ranks)
    if model is not None:
        links.insert(list(links.columns).index("link_kind") + 1, "probability", probability)
    return _Linked(ev, frame, links, chain_of, ranks, window_td, model)


def _hawkes_pairs(
    frame: pd.DataFrame, window: pd.Timedelta, min_probability: float, resolution: Resolution, tide: pd.Timedelta
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, Any]:
    """Stated links, and inferred ones at or above ``min_probability`` under the dyadic Hawkes model."""
    from .._core.time import event_times, intervals
    from ..stats.hawkes.dyadic import fit_dyadic_hawkes
    from ._rule import stated_pairs

    model = fit_dyadic_hawkes(frame, window=window, resolution=resolution, tide=tide)
    st_trig, st_resp = stated_pairs(frame)
    cand = model.candidates
    # a link only where the model finds answering in the response's dyad at all: with a reverse excitation
    # not told from zero, a single coincidence at a quiet time can reach any probability
    dyad_of = pd.Series(model.data.dim, index=model.data.position)
    answering = model.answering[dyad_of.reindex(cand["response"].to_numpy()).to_numpy()]
    cand = cand[(cand["probability"].to_numpy() >= min_probability) & answering]
    # A response that states what it answers gets no inferred link, as with the reversal rule.
    cand = cand[~np.isin(cand["response"].to_numpy(), st_resp)]
    trig = np.r_[st_trig, cand["trigger"].to_numpy(np.int64)]
    resp = np.r_[st_resp, cand["response"].to_numpy(np.int64)]
    stated = np.r_[np.ones(len(st_trig), bool), np.zeros(len(cand), bool)]
    prob = np.r_[model.pair_probability(st_trig, st_resp), cand["probability"].to_numpy(float)]
    order = np.lexsort((trig, resp))
    trig, resp, stated, prob = trig[order], resp[order], stated[order], prob[order]
    return trig, resp, stated, intervals(event_times(frame), trig, resp), prob, model


def chains(
    events: Events | pd.DataFrame,
    *,
    window: str | pd.Timedelta | float = "30D",
    sides: Mapping[str, str] | str | None = None,
    max_distance_km: float | None = None,
    ladder: LadderLike = None,
    method: LinkMethod = "reversal",
    min_probability: float = 0.5,
    resolution: Resolution = "auto",
    tide: str | pd.Timedelta | float | None = None,
) -> ChainsResult:
    """Link events and group the links into escalation chains.

    Takes the arguments of :func:`link` and returns a :class:`ChainsResult`
    with ``.links`` (one row per link), ``.chains`` (one row per chain),
    ``.baseline`` (each direction against chance), ``.summary()``, ``.to_frame()`` and ``.plot(ax=...)``.
    ``tide`` (default 14 days) is the timescale of the comparison with chance: actions within a quarter of the tide
    count as possible answers, shared changes of rate slower than a tide are kept by the null
    (:mod:`escalation.chance`); with ``method="hawkes"`` the model's background follows changes slower
    than the tide too.

    Examples
    --------
    >>> import escalation as esc
    >>> result = esc.chains(esc.datasets.load_iraq_2019_2021(), window="30D")
    >>> first = result.chains.iloc[0]
    >>> first["first_event"], int(first["n_steps"])
    ('IRQ-2019-12-27-K1', 15)
    """
    tide_td = parse_tide(tide)
    done = _link(events, window, sides, max_distance_km, ladder, method, min_probability, resolution, tide_td)
    return ChainsResult(
        links=done.links,
        chains=_chain_table(done.frame, done.links, done.chain_of, done.ranks),
        events=done.events,
        window=done.window,
        max_distance_km=max_distance_km,
        ranks=pd.Series(done.ranks, index=pd.Index(done.frame["event_id"])),  # Arrow ids, not Python str
        method=method,
        min_probability=min_probability if method == "hawkes" else None,
        model=done.model,
        tide=tide_td,
    )


def _chain_table(frame: pd.DataFrame, links: pd.DataFrame, chain_of: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
    columns = [
        "chain_id", "first_event", "last_event", "start", "end", "duration_days", "n_events", "n_steps",
        "n_stated", "n_inferred", "n_escalations", "n_deescalations", "n_ranked_steps", "longest_gap_days", "sides",
        "max_rank", "fatalities",
    ]  # fmt: skip
    linked = chain_of > 0
    if not linked.any():
        return pd.DataFrame(columns=columns)
    # codes of the whole column, then the linked rows: not a copy of 10^7 side names first
    all_codes, uniques = pd.factorize(frame["actor_side"])
    # names in order, and each code's place among them (``sort=True`` would rewrite all 10^7 codes)
    order = np.argsort(np.asarray(uniques, dtype=object), kind="stable")
    side_names = np.append(np.asarray(uniques, dtype=object)[order], "")  # a missing side (code -1) reads as ""
    place = np.append(np.argsort(order), len(order))  # code -1 -> the "" at the end
    # int32 positions and numbers while they fit: each array here is as long as the linked events
    small = np.int32 if len(frame) < 2**31 else np.int64
    pos = np.flatnonzero(linked).astype(small)
    chain = chain_of[pos].astype(small)
    sides = _side_lists(chain, place[all_codes[pos]].astype(small), side_names)
    del all_codes
    # Per-chain sums and extremes as bincounts and ufunc.at over chain numbers (1..K), on positions rather
    # than ids and dates: the frame is in (date, event_id) order, so a chain's first event is its lowest
    # position and its last the highest. A pandas group-by of ids and dates made Python strings of the ids
    # and hash tables of 10^7 rows (about 0.8 GB more at the peak for 10^7 events).
    k = int(chain.max()) + 1
    n_events = np.bincount(chain, minlength=k)
    first = np.full(k, len(frame), dtype=np.int64)
    np.minimum.at(first, chain, pos)
    last = np.full(k, -1, dtype=np.int64)
    np.maximum.at(last, chain, pos)
    max_rank = np.full(k, np.nan)
    np.fmax.at(max_rank, chain, ranks[pos].astype("float64"))  # fmax: a missing rank is skipped, as max() does
    deaths = frame["fatalities"].to_numpy(dtype="float64", na_value=np.nan)[pos]
    known = ~np.isnan(deaths)
    fatalities = np.bincount(chain[known], weights=deaths[known], minlength=k).astype("float64")  # int if none
    fatalities[np.bincount(chain[known], minlength=k) == 0] = np.nan  # sum(min_count=1): no count, no sum
    del deaths, known
    dates = frame["date"].to_numpy()
    gap = _longest_gaps(chain, dates[pos].astype("datetime64[ns]").view("int64"), k)
    del pos, chain
    ids = np.flatnonzero(n_events)  # the chain numbers in use, in order
    first, last = first[ids], last[ids]
    out = pd.DataFrame(
        {
            "chain_id": ids,
            "first_event": frame["event_id"].array.take(first),
            "last_event": frame["event_id"].array.take(last),
            "start": dates[first],
            "end": dates[last],
            "n_events": n_events[ids],
            "max_rank": max_rank[ids],
            "fatalities": fatalities[ids],
            "longest_gap_days": gap[ids] / 86400e9,
        }
    )
    out["sides"] = pd.Series(sides.reindex(ids).to_numpy(), index=out.index, dtype=object)
    out["duration_days"] = (out["end"] - out["start"]).dt.total_seconds() / 86400
    link_chain = links["chain_id"].to_numpy()

    def per_chain(flag: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(link_chain, weights=flag, minlength=k)[ids].astype(np.int64)

    out["n_steps"] = per_chain()
    out["n_stated"] = per_chain((links["link_kind"] == "stated").to_numpy())
    out["n_inferred"] = out["n_steps"] - out["n_stated"]
    out["n_escalations"] = per_chain((links["step_kind"] == "escalation").to_numpy())
    out["n_deescalations"] = per_chain((links["step_kind"] == "de-escalation").to_numpy())
    out["n_ranked_steps"] = per_chain((links["step_kind"].isin(["escalation", "proportional", "de-escalation"])
                                       ).to_numpy())  # fmt: skip
    return out[columns]


def _longest_gaps(chain: np.ndarray, ns: np.ndarray, k: int) -> np.ndarray:
    """Per chain number (0..k-1), the longest wait in nanoseconds between two of its consecutive events:
    the quiet spell a chain runs through (at most the window unless a stated link bridges more)."""
    order = np.argsort(chain, kind="stable")  # events in date order already: stable keeps it within a chain
    c, t = chain[order], ns[order]
    same = c[1:] == c[:-1]
    longest = np.zeros(k, dtype=np.int64)
    np.maximum.at(longest, c[1:][same], np.diff(t)[same])
    return longest


def _side_lists(chain: np.ndarray, side: np.ndarray, names: np.ndarray) -> pd.Series:
    """``"A; B"`` per chain without a Python call per chain: most chains have one or two sides.

    ``side`` codes index ``names``, which is in name order. Each chain's lowest and highest side give the
    one- and two-side chains from arrays as long as the chains; only chains with a side between those two
    (three or more sides, few) are listed side by side.
    """
    n = len(names)
    k = int(chain.max()) + 1
    low = np.full(k, n, dtype=side.dtype)
    np.minimum.at(low, chain, side)
    high = np.full(k, -1, dtype=side.dtype)
    np.maximum.at(high, chain, side)
    used = np.flatnonzero(high >= 0)
    text = pd.Series(names[low[used]], index=pd.Index(used, name="chain_id"), dtype=object)
    two = high[used] > low[used]
    text[two] = text[two] + "; " + names[high[used][two]]
    between = (side > low[chain]) & (side < high[chain])
    if between.any():  # rare: one join per chain of three or more sides
        many = np.unique(chain[between])
        rows = np.isin(chain, many)
        pairs = np.unique(chain[rows].astype(np.int64) * n + side[rows])
        listed = pd.Series(names[pairs % n]).groupby(pairs // n).agg("; ".join)
        text[listed.index.to_numpy()] = listed.to_numpy()
    return text


@dataclass(frozen=True, repr=False, eq=False)
class ChainsResult(Result):
    """Links and chains of an event set.

    Attributes
    ----------
    links : DataFrame
        One row per link (see :func:`link`).
    chains : DataFrame
        One row per chain: ``chain_id, first_event, last_event, start, end,
        duration_days, n_events, n_steps, n_stated, n_inferred, n_escalations,
        n_deescalations, n_ranked_steps, longest_gap_days, sides, max_rank, fatalities``.
        ``n_ranked_steps`` counts the steps with both rungs known (up, matched or down);
        ``longest_gap_days`` is the longest wait between two consecutive events of the chain: a
        chain breaks only where no link spans the quiet, so it is at most the window unless a
        stated link bridges more, and a chain that runs for many windows with short gaps is a
        period of continuous fighting rather than one sequence of answers.
    events : Events
        The events that were linked.
    window : Timedelta
        The inference window.
    ranks : Series
        Each event's ladder rank, indexed by ``event_id``.
    baseline : DataFrame
        Per direction, the links the rule finds against what it finds when the
        responding side's series is shifted in time (see :mod:`escalation.baseline`).
    """

    links: pd.DataFrame
    chains: pd.DataFrame
    events: Events
    window: pd.Timedelta
    max_distance_km: float | None = None
    ranks: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    method: str = "reversal"
    min_probability: float | None = None
    model: Any = None
    tide: pd.Timedelta = field(default_factory=lambda: DEFAULT_TIDE)

    @cached_property
    def link_probabilities(self) -> pd.DataFrame:
        """With ``method="hawkes"``: every candidate link with probability >= 0.01.

        ``trigger_id, response_id, trigger_side, response_side, interval_days,
        probability, answering``; the probabilities of a response's candidates sum to the
        probability that it answered the other side at all. ``answering`` says whether the
        model finds answers in the response's dyad (reverse excitation 1.96 standard errors
        above zero): links are inferred only there, since elsewhere a probability is the
        model's share-out of a rate it cannot tell from zero (on histories where nobody
        answers, a candidate reached 0.5 in up to 38% of them). Empty for ``"reversal"``.
        """
        columns = ["trigger_id", "response_id", "trigger_side", "response_side", "interval_days", "probability",
                   "answering"]  # fmt: skip
        if self.model is None:
            return pd.DataFrame(columns=columns)

        frame = sorted_frame(self.events)
        cand = self.model.candidates
        t, r = cand["trigger"].to_numpy(np.int64), cand["response"].to_numpy(np.int64)
        ids, sides = frame["event_id"].array, frame["actor_side"].array
        return pd.DataFrame(
            {
                "trigger_id": ids.take(t), "response_id": ids.take(r), "trigger_side": sides.take(t),
                "response_side": sides.take(r), "interval_days": cand["lag_days"].to_numpy(),
                "probability": cand["probability"].to_numpy(),
                "answering": self.model.answering[pd.Series(self.model.data.dim, index=self.model.data.position)
                                                  .reindex(r).to_numpy()],
            }
        )  # fmt: skip

    @cached_property
    def stated_check(self) -> pd.DataFrame:
        """With ``method="hawkes"``: what the model makes of each stated link.

        ``verdict`` is ``"improbable"`` when the model gives the pair a probability
        below 0.05 in a dyad where it finds answers (reverse excitation 1.96 standard
        errors above zero), ``"not assessed"`` where it has no term for the pair (the
        trigger is not an event of the reversed dyad, or is on the same day in daily
        data) or finds no answers it can tell from none in the dyad (a probability
        there says nothing of the pair), else ``"plausible"``.
        """
        stated = self.links[self.links["link_kind"] == "stated"]
        columns = ["trigger_id", "response_id", "trigger_side", "response_side", "interval_days", "probability"]
        if self.model is None:
            return pd.DataFrame(columns=[*columns, "verdict"])
        out = stated[columns].reset_index(drop=True)
        p = out["probability"].to_numpy(float)

        ids = pd.Series(np.arange(len(self.events.frame)), index=sorted_frame(self.events)["event_id"].to_numpy())
        dyad_of = pd.Series(self.model.data.dim, index=self.model.data.position)
        dim = dyad_of.reindex(ids.reindex(out["response_id"].to_numpy()).to_numpy()).to_numpy()
        answering = np.zeros(len(out), bool)
        known = ~np.isnan(dim)
        answering[known] = self.model.answering[dim[known].astype(np.int64)]
        out["verdict"] = np.where(np.isnan(p) | ~answering, "not assessed",
                                  np.where(p < LEVEL, "improbable", "plausible"))  # fmt: skip
        return out

    @cached_property
    def baseline(self) -> pd.DataFrame:
        """ "Came after": per direction, the responses with a trigger within a quarter of the tide (or the window when
        shorter), against chance (199 rotations of the triggers within the tide's blocks, seed 0).

        ``trigger_side, response_side, responses, observed, expected, lower, upper, pvalue, observed_share,
        expected_share, within_days, tide_days``: a direction whose ``observed`` lies inside ``[lower,
        upper]`` comes after the other side no more often than two sides that keep their tides and bursts
        but never answer each other; see :mod:`escalation.chance.links`.
        """
        from ..chance.links import link_baseline

        return link_baseline(sorted_frame(self.events), self.window, tide=self.tide)

    @property
    def timescale(self) -> str:
        """What :attr:`baseline` tests, in words (``"within 3.5 days, beyond ...t shared changes slower than 14
        days give"``)."""
        from ..chance import tide_words

        return tide_words(self.tide, self.window)

    def summary(self) -> pd.DataFrame:
        """One row per direction (``trigger_side``, ``response_side``: links in which the response side
        answered the trigger side), and a last row ``"all sides"`` for the whole: ``links``, ``stated``,
        ``inferred``, steps by kind (``escalation``, ``proportional``, ``de-escalation``, ``unknown``), the
        ``chains`` with a link of that direction and the ``longest_chain_steps`` among them, and the
        ``median_interval_days`` and ``mean_interval_days`` of the links."""
        return self._summary.copy()

    def to_frame(self) -> pd.DataFrame:
        """The link table (see :func:`link`): a copy, so that writing into it leaves the result as it was."""
        return self.links.copy()

    def settings(self) -> dict[str, Any]:
        return {"window": self.window, "max_distance_km": self.max_distance_km, "method": self.method,
                "min_probability": self.min_probability, "tide": self.tide}  # fmt: skip

    @cached_property
    def _summary(self) -> pd.DataFrame:
        links, chains = self.links, self.chains
        n_steps = chains.set_index("chain_id")["n_steps"] if len(chains) else pd.Series(dtype="int64")
        by_direction = links.groupby(["trigger_side", "response_side"], sort=True, observed=True)
        groups = [(key, part, n_steps.reindex(part["chain_id"].unique())) for key, part in by_direction]
        rows = []
        for (trigger, response), part, steps in [*groups, (("all sides", "all sides"), links, n_steps)]:
            rows.append({
                "trigger_side": trigger, "response_side": response, "links": len(part),
                "stated": int((part["link_kind"] == "stated").sum()),
                "inferred": int((part["link_kind"] == "inferred").sum()),
                **{kind: int((part["step_kind"] == kind).sum())
                   for kind in ("escalation", "proportional", "de-escalation", "unknown")},
                "chains": len(steps),
                "longest_chain_steps": int(steps.max()) if len(steps) else 0,
                "median_interval_days": float(part["interval_days"].median()) if len(part) else np.nan,
                "mean_interval_days": float(part["interval_days"].mean()) if len(part) else np.nan,
            })  # fmt: skip
        return pd.DataFrame(rows)

    def step_shares(self, *, draws: int = 999, seed: int = 0) -> pd.DataFrame:
        """Per responding side: steps up, level and down the ladder, against pairing its responses with its
        triggers at random (does it climb *when it answers*?); see :mod:`escalation.chance.steps`."""
        from ..chance.steps import step_shares

        return step_shares(self.links, self.events.frame, draws=draws, seed=seed)

    def chain(self, chain_id: int) -> pd.DataFrame:
        """The links of one chain, in date order."""
        return self.links[self.links["chain_id"] == chain_id].reset_index(drop=True)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Timeline of the events with links drawn as arrows (stated solid, inferred dashed)."""
        from ..plotting import timeline

        return timeline(self.events, links=self.links, ax=ax, **kwargs)

    def __repr__(self) -> str:
        s = self._summary.iloc[-1]  # all sides
        return (
            f"<ChainsResult: {s['links']} links ({s['stated']} stated, {s['inferred']} inferred) in {s['chains']} "
            f"chains; window {duration_words(self.window)}; {s['escalation']} escalations, {s['de-escalation']} "
            "de-escalations>"
        )

    def _repr_html_(self) -> str:
        return super()._repr_html_() + self.chains.head(20).to_html(index=False, escape=True)
