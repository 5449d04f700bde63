"""The timeline: one lane per side, events as markers, links as arrows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..events.ladder import Ladder, event_ranks, is_builtin
from ._labels import place_labels
from .style import (
    RANK_LABELS,
    RANK_MARKERS,
    STEP_COLOURS,
    date_axis,
    get_ax,
    legend_below,
    marker_for,
    side_colours,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.table import Events

_MAX_ARROWS = 400  # above this, links are drawn as plain segments: arrows would hide the events


#: Above this many events shown, :func:`timeline` draws one marker per side and day (``aggregate="auto"``).
AGGREGATE_EVENTS = 150


def timeline(
    events: Events,
    *,
    links: pd.DataFrame | None = None,
    ax: Axes | None = None,
    ladder: Ladder | None = None,
    label_top: int = 6,
    lanes: list[str] | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
    aggregate: bool | str = "auto",
) -> Axes:
    """Events over time, one lane per acting side, with trigger -> response links.

    Markers are sized by fatalities (a small hollow marker where unknown) and
    shaped by ladder band; stated links are solid arrows, inferred links dashed,
    coloured by step kind (crimson escalation, black proportional, violet de-escalation: colours no side
    takes). The ``label_top`` highest-ranked, deadliest events are labelled where a label fits without
    overprinting another. ``lanes`` lists the acting sides shown, in order from the bottom (default: every
    side, alphabetically); the events' sides come from ``events``. ``all_sides`` fixes the colours when
    ``events`` is a cut of larger data (``Events.between``).

    With ``aggregate`` (``"auto"``: more than :data:`AGGREGATE_EVENTS` events shown) a side's events of one
    day are one marker, sized by their number and shaped by their highest rank, and the links between two
    such days one line, thicker for more links and coloured by their most common step: hundreds of markers
    on one lane and arrows over them do not read at A4.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import escalation as esc
    >>> ev = esc.datasets.load_iraq_2019_2021()
    >>> ax = esc.plotting.timeline(ev, links=esc.link(ev))
    >>> len(ax.get_yticks())
    4
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    ax = get_ax(ax, figsize=(11, 4.5))
    f = events.frame
    lanes = lanes or sorted(f["actor_side"].astype(str).unique())
    lane_of = {side: i for i, side in enumerate(lanes)}
    colours = side_colours(events.side_list(), all_sides or events.palette())
    shown = f[f["actor_side"].astype(str).isin(lane_of)]
    ranks_all = event_ranks(shown, ladder).to_numpy()
    daily = len(shown) > AGGREGATE_EVENTS if aggregate == "auto" else bool(aggregate)
    node = np.arange(len(shown))  # each event's marker
    if daily:
        nodes, node = _side_days(shown, ranks_all)
    else:
        nodes = pd.DataFrame({"date": shown["date"].to_numpy(), "side": shown["actor_side"].astype(str).to_numpy(),
                              "rank": ranks_all, "deaths": shown["fatalities"].to_numpy(dtype="float64",
                              na_value=np.nan), "n": 1, "what": shown["event_type"].fillna("").to_numpy()})  # fmt: skip
    y = nodes["side"].map(lane_of).to_numpy(float)
    x = nodes["date"].to_numpy()
    ranks = nodes["rank"].to_numpy(float)
    fat = nodes["deaths"].to_numpy(float)
    if daily:
        size = 18.0 + 16.0 * np.sqrt(nodes["n"].to_numpy(float))
        hollow_all = np.zeros(len(nodes), dtype=bool)
    else:
        size = np.where(np.isnan(fat), 25.0, 30.0 + 14.0 * np.sqrt(np.nan_to_num(fat)))
        hollow_all = np.isnan(fat)
    sides_arr = nodes["side"].to_numpy()
    markers = np.array([marker_for(r) for r in ranks]) if len(ranks) else np.array([], dtype=str)
    for marker in np.unique(markers):
        m = markers == marker
        face = [colours[s] for s in sides_arr[m]]
        hollow = hollow_all[m]
        ax.scatter(x[m][~hollow], y[m][~hollow], s=size[m][~hollow], marker=marker,
                   c=[c for c, h in zip(face, hollow, strict=True) if not h], alpha=0.8,
                   edgecolors="white", linewidths=0.5, zorder=3)  # fmt: skip
        if hollow.any():
            ax.scatter(x[m][hollow], y[m][hollow], s=size[m][hollow], marker=marker, facecolors="none",
                       edgecolors=[c for c, h in zip(face, hollow, strict=True) if h], zorder=3)  # fmt: skip

    if links is not None and len(links):
        pos = pd.Series(node, index=shown["event_id"].to_numpy())
        ti = pos.reindex(links["trigger_id"].to_numpy()).to_numpy()
        ri = pos.reindex(links["response_id"].to_numpy()).to_numpy()
        ok = ~np.isnan(ti) & ~np.isnan(ri)
        ti, ri = ti[ok].astype(int), ri[ok].astype(int)
        kinds = links["link_kind"].to_numpy()[ok]
        steps = links["step_kind"].astype(str).to_numpy()[ok]
        import matplotlib.dates as mdates

        xn = mdates.date2num(x)
        if daily:
            pairs = pd.DataFrame({"a": ti, "b": ri, "step": steps}).query("a != b")
            grouped = pairs.groupby(["a", "b"], sort=False)
            count = grouped.size()
            step = grouped["step"].agg(lambda s: s.mode().iloc[0])  # few hundred pairs: plotting, not a hot path
            a, b = count.index.get_level_values(0).to_numpy(), count.index.get_level_values(1).to_numpy()
            segments = np.stack([np.c_[xn[a], y[a]], np.c_[xn[b], y[b]]], axis=1)
            ax.add_collection(LineCollection(list(segments), colors=[STEP_COLOURS[k] for k in step.to_numpy()],
                                             linewidths=0.5 + 0.7 * np.sqrt(count.to_numpy(float)), alpha=0.45,
                                             zorder=1))  # fmt: skip
        elif len(ti) <= _MAX_ARROWS:
            for a, b, kind, step in zip(ti, ri, kinds, steps, strict=True):
                ax.annotate(
                    "",
                    xy=(x[b], y[b]),
                    xytext=(x[a], y[a]),
                    zorder=2,
                    arrowprops=dict(
                        arrowstyle="-|>",
                        color=STEP_COLOURS[step],
                        lw=1.1,
                        alpha=0.85,
                        linestyle="-" if kind == "stated" else "--",
                        connectionstyle="arc3,rad=0.15",
                        shrinkA=4,
                        shrinkB=4,
                    ),
                )
        else:
            segments = np.stack([np.c_[xn[ti], y[ti]], np.c_[xn[ri], y[ri]]], axis=1)
            ax.add_collection(LineCollection(list(segments), colors=[STEP_COLOURS[s] for s in steps],
                                             linewidths=0.4, alpha=0.3, zorder=1))  # fmt: skip

    pending: list[tuple[str, tuple[object, float], dict[str, object]]] = []
    if label_top and len(nodes):
        score = np.nan_to_num(ranks, nan=-1) * 1000 + np.nan_to_num(fat)
        labels = pd.DataFrame(
            {
                "i": np.arange(len(nodes)),
                "score": score,
                "text": [
                    f"{pd.Timestamp(d):%Y-%m-%d} {t or ''}".strip() for d, t in zip(x, nodes["what"], strict=True)
                ],
            }
        )
        # One label per (day, type): same-day twins (two missile salvos) would print twice.
        labels = labels.sort_values("score", ascending=False, kind="stable").drop_duplicates("text").head(label_top)
        style = dict(ha="center", fontsize="small", color="#333333", zorder=4,
                     bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
                     arrowprops=dict(arrowstyle="-", color="#999999", lw=0.6, shrinkA=0, shrinkB=3))  # fmt: skip
        pending = [(t, (x[i], y[i]), style) for i, t in zip(labels["i"], labels["text"], strict=True)]

    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_ylabel("acting side")
    ax.grid(axis="x", alpha=0.3)
    date_axis(ax)
    handles = [Line2D([], [], marker=m, ls="", color="#555555", label=lab)
               for (_, m), lab in zip(RANK_MARKERS, _band_names(ladder), strict=True)]  # fmt: skip
    if links is not None and len(links):
        handles += [] if daily else [
            Line2D([], [], color="#555555", ls="-", label="stated link"),
            Line2D([], [], color="#555555", ls="--", label="inferred link"),
        ]  # fmt: skip
        handles += [Line2D([], [], color=c, lw=2, label=k) for k, c in STEP_COLOURS.items() if k != "unknown"]
    legend_below(ax, handles)
    if title:
        ax.set_title(title)
    # Labels last, on the final layout: the most important first, each at the first offset where it overprints
    # no other label and stays inside the axes (or left out).
    offsets = [(0, 14), (0, -22), (0, 26), (0, -34), (40, 14), (-40, 14), (40, -22), (-40, -22), (0, 38)]
    place_labels(ax, pending, offsets)
    return ax


def _band_names(ladder: Ladder | None) -> list[str]:
    """The marker bands in words: the built-in ladder's, or ranks only for a ladder of one's own (its 4 need not
    be a clash)."""
    if ladder is None or is_builtin(ladder):
        return list(RANK_LABELS)
    return ["rank 0-2", "rank 3-4", "rank 5-6", "rank 7-8", "rank 9 and above"]


def _side_days(shown: pd.DataFrame, ranks: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per acting side and day: ``date, side, rank`` (the highest), ``deaths`` (known, summed), ``n``
    (events), ``what`` (the type of the highest-ranked event); and each event's row."""
    frame = pd.DataFrame({"date": shown["date"].dt.normalize().to_numpy(),
                          "side": shown["actor_side"].astype(str).to_numpy(), "rank": ranks,
                          "deaths": shown["fatalities"].to_numpy(dtype="float64", na_value=np.nan),
                          "what": shown["event_type"].fillna("").astype(str).to_numpy()})  # fmt: skip
    key = frame["side"] + "|" + frame["date"].astype(str)
    node, _ = pd.factorize(key)
    frame["node"] = node
    top = frame.sort_values(["node", "rank"], ascending=[True, False], na_position="last").drop_duplicates("node")
    g = frame.groupby("node")
    nodes = pd.DataFrame({"date": g["date"].first(), "side": g["side"].first(), "rank": g["rank"].max(),
                          "deaths": g["deaths"].sum(min_count=1), "n": g.size(),
                          "what": top.set_index("node")["what"]}).reset_index(drop=True)  # fmt: skip
    return nodes, node
