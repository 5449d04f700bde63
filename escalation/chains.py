"""Escalation chains: connected components of the trigger -> response graph.

A chain is every event reachable from another through links, in either
direction: the K-1 rocket attack, the strikes that answered it, the embassy
siege that answered those, and so on. Chains are numbered 1, 2, ... in the
order of their first event, so ``chain_id`` is stable for the same data.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .errors import UsageError
from .events import Events, as_events
from .ladder import Ladder, as_ladder, event_ranks
from .linking import build_link_table, link_pairs, parse_window, sorted_frame

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LadderLike = Ladder | Mapping[str, float] | str | os.PathLike[str] | None


def _components(n: int, trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    """Chain number (1, 2, ... by first event) of each event; 0 for events in no link."""
    chain_of = np.zeros(n, dtype=np.int64)
    if len(trig) == 0:
        return chain_of
    graph = coo_matrix((np.ones(len(trig), dtype=np.int8), (trig, resp)), shape=(n, n))
    n_labels, labels = connected_components(graph, directed=True, connection="weak")
    linked = np.zeros(n, dtype=bool)
    linked[trig] = True
    linked[resp] = True
    # SciPy numbers components in the order of their lowest node (it starts a new
    # label at each unvisited node, scanning 0..n-1); the frame is in date order,
    # so label order is first-event order. Renumber the labels that have links 1, 2, ...
    used = np.zeros(n_labels, dtype=bool)
    used[labels[linked]] = True
    number = np.cumsum(used) * used
    chain_of[linked] = number[labels[linked]]
    return chain_of


def add_chain_ids(links: pd.DataFrame) -> pd.DataFrame:
    """Number the chains of a collected link table (e.g. from the Dask engine) as :func:`link` does.

    Linked events are ordered by (date, event_id), the pandas engine's order, so chain 1
    is the chain of the earliest linked event and the ids equal the pandas engine's.
    """
    ends = pd.DataFrame(
        {
            "id": np.r_[links["trigger_id"].to_numpy(dtype=object), links["response_id"].to_numpy(dtype=object)],
            "date": np.r_[links["trigger_date"].to_numpy(), links["response_date"].to_numpy()],
        }
    ).drop_duplicates("id")
    ends = ends.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    position = pd.Series(np.arange(len(ends)), index=ends["id"].to_numpy())
    trig = position[links["trigger_id"].to_numpy(dtype=object)].to_numpy()
    resp = position[links["response_id"].to_numpy(dtype=object)].to_numpy()
    chain_of = _components(len(ends), trig, resp)
    return links.assign(chain_id=chain_of[trig])[["chain_id", *[c for c in links.columns if c != "chain_id"]]]


def link(
    events: Events | pd.DataFrame,
    *,
    window: str | pd.Timedelta | float = "30D",
    sides: Mapping[str, str] | str | None = None,
    max_distance_km: float | None = None,
    ladder: LadderLike = None,
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
        The escalation ladder for ``step_kind`` (default: :class:`escalation.ladder.Ladder`).

    Returns
    -------
    DataFrame
        ``chain_id, trigger_id, response_id, trigger_date, response_date,
        interval_days, link_kind, step_kind`` and the sides, types, ranks and
        fatalities of both ends (and ``distance_km`` when coordinates exist).

    Examples
    --------
    >>> import escalation as esc
    >>> links = esc.link(esc.datasets.load_iraq_2019_2021())
    >>> row = links[links["trigger_id"] == "IRQ-2020-01-03-SOL"].iloc[0]
    >>> row["response_id"], float(row["interval_days"]), row["link_kind"]
    ('IRQ-2020-01-05-PAR', 2.0, 'stated')
    """
    return _link(events, window, sides, max_distance_km, ladder)[2]


def _link(
    events: Events | pd.DataFrame,
    window: str | pd.Timedelta | float,
    sides: Mapping[str, str] | str | None,
    max_distance_km: float | None,
    ladder: LadderLike,
) -> tuple[Events, pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray, pd.Timedelta]:
    """Shared work of :func:`link` and :func:`chains`: (events, frame, links, chain_of, ranks, window)."""
    ev = as_events(events, sides=sides)
    window_td = parse_window(window)
    if max_distance_km is not None and not max_distance_km > 0:
        raise UsageError(f"max_distance_km must be positive, got {max_distance_km!r}")
    frame = sorted_frame(ev)
    ranks = event_ranks(frame, as_ladder(ladder)).to_numpy()
    trig, resp, stated, interval = link_pairs(frame, window_td, max_distance_km)
    chain_of = _components(len(frame), trig, resp)
    links = build_link_table(frame, trig, resp, stated, interval, chain_of, ranks)
    return ev, frame, links, chain_of, ranks, window_td


def chains(
    events: Events | pd.DataFrame,
    *,
    window: str | pd.Timedelta | float = "30D",
    sides: Mapping[str, str] | str | None = None,
    max_distance_km: float | None = None,
    ladder: LadderLike = None,
) -> ChainsResult:
    """Link events and group the links into escalation chains.

    Takes the same arguments as :func:`link` and returns a :class:`ChainsResult`
    with ``.links`` (one row per link), ``.chains`` (one row per chain),
    ``.summary`` and ``.plot(ax=...)``.

    Examples
    --------
    >>> import escalation as esc
    >>> result = esc.chains(esc.datasets.load_iraq_2019_2021(), window="30D")
    >>> first = result.chains.iloc[0]
    >>> first["first_event"], int(first["n_steps"])
    ('IRQ-2019-12-27-K1', 11)
    """
    ev, frame, links, chain_of, ranks, window_td = _link(events, window, sides, max_distance_km, ladder)
    return ChainsResult(
        links=links,
        chains=_chain_table(frame, links, chain_of, ranks),
        events=ev,
        window=window_td,
        max_distance_km=max_distance_km,
        ranks=pd.Series(ranks, index=frame["event_id"].to_numpy()),
    )


def _chain_table(frame: pd.DataFrame, links: pd.DataFrame, chain_of: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
    columns = [
        "chain_id", "first_event", "last_event", "start", "end", "duration_days", "n_events", "n_steps",
        "n_stated", "n_inferred", "n_escalations", "n_deescalations", "sides", "max_rank", "fatalities",
    ]  # fmt: skip
    linked = chain_of > 0
    if not linked.any():
        return pd.DataFrame(columns=columns)
    side_codes, side_names = pd.factorize(frame["actor_side"].astype(str), sort=True)
    nodes = pd.DataFrame(
        {
            "chain_id": chain_of[linked],
            "event_id": frame["event_id"].to_numpy()[linked],
            "date": frame["date"].to_numpy()[linked],
            "side": side_codes[linked],
            "rank": ranks[linked],
            "fatalities": frame["fatalities"].to_numpy(dtype="float64", na_value=np.nan)[linked],
        }
    )
    g = nodes.groupby("chain_id", sort=True)
    out = pd.DataFrame(
        {
            "first_event": g["event_id"].first(),
            "last_event": g["event_id"].last(),
            "start": g["date"].min(),
            "end": g["date"].max(),
            "n_events": g.size(),
            "max_rank": g["rank"].max(),
            "fatalities": g["fatalities"].sum(min_count=1),
        }
    )
    out["sides"] = _side_lists(nodes[["chain_id", "side"]], np.asarray(side_names))
    out["duration_days"] = (out["end"] - out["start"]).dt.total_seconds() / 86400
    flags = pd.DataFrame(
        {
            "chain_id": links["chain_id"].to_numpy(),
            "stated": (links["link_kind"] == "stated").to_numpy(),
            "up": (links["step_kind"] == "escalation").to_numpy(),
            "down": (links["step_kind"] == "de-escalation").to_numpy(),
        }
    ).groupby("chain_id", sort=True)
    out["n_steps"] = flags.size()
    out["n_stated"] = flags["stated"].sum()
    out["n_inferred"] = out["n_steps"] - out["n_stated"]
    out["n_escalations"] = flags["up"].sum()
    out["n_deescalations"] = flags["down"].sum()
    return out.reset_index()[columns]


def _side_lists(pairs: pd.DataFrame, names: np.ndarray) -> pd.Series:
    """``"A; B"`` per chain without a Python call per chain: most chains have one or two sides."""
    pairs = pairs.drop_duplicates().sort_values(["chain_id", "side"], kind="stable")
    g = pairs.groupby("chain_id", sort=True)["side"]
    first, last, count = g.min(), g.max(), g.size()
    text = pd.Series(names[first.to_numpy()], index=first.index, dtype=object)
    two = count == 2
    text[two] = text[two] + "; " + names[last[two].to_numpy()]
    many = count[count > 2].index
    if len(many):
        subset = pairs[pairs["chain_id"].isin(many)]
        text[many] = subset.groupby("chain_id")["side"].agg(lambda s: "; ".join(names[s.to_numpy()]))
    return text


@dataclass(frozen=True, repr=False, eq=False)
class ChainsResult:
    """Links and chains of an event set.

    Attributes
    ----------
    links : DataFrame
        One row per link (see :func:`link`).
    chains : DataFrame
        One row per chain: ``chain_id, first_event, last_event, start, end,
        duration_days, n_events, n_steps, n_stated, n_inferred, n_escalations,
        n_deescalations, sides, max_rank, fatalities``.
    events : Events
        The events that were linked.
    window : Timedelta
        The inference window.
    ranks : Series
        Each event's ladder rank, indexed by ``event_id``.
    """

    links: pd.DataFrame
    chains: pd.DataFrame
    events: Events
    window: pd.Timedelta
    max_distance_km: float | None = None
    ranks: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Headline numbers: links by kind, steps by kind, chains and intervals."""
        links = self.links
        rows: list[tuple[str, float]] = [
            ("events", len(self.events.frame)),
            ("links", len(links)),
            ("stated links", int((links["link_kind"] == "stated").sum())),
            ("inferred links", int((links["link_kind"] == "inferred").sum())),
        ]
        for kind in ("escalation", "proportional", "de-escalation", "unknown"):
            rows.append((f"steps: {kind}", int((links["step_kind"] == kind).sum())))
        rows += [
            ("chains", len(self.chains)),
            ("longest chain (steps)", int(self.chains["n_steps"].max()) if len(self.chains) else 0),
            ("median interval (days)", float(links["interval_days"].median()) if len(links) else np.nan),
            ("mean interval (days)", float(links["interval_days"].mean()) if len(links) else np.nan),
        ]
        return pd.DataFrame(rows, columns=["statistic", "value"]).set_index("statistic")

    def chain(self, chain_id: int) -> pd.DataFrame:
        """The links of one chain, in date order."""
        return self.links[self.links["chain_id"] == chain_id].reset_index(drop=True)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Timeline of the events with links drawn as arrows (stated solid, inferred dashed)."""
        from .plotting import timeline

        return timeline(self.events, links=self.links, ax=ax, **kwargs)

    def __repr__(self) -> str:
        s = self.summary["value"]
        return (
            f"<ChainsResult: {int(s['links'])} links ({int(s['stated links'])} stated, "
            f"{int(s['inferred links'])} inferred) in {int(s['chains'])} chains; window {self.window}; "
            f"{int(s['steps: escalation'])} escalations, {int(s['steps: de-escalation'])} de-escalations>"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.chains.head(20).to_html(index=False)
