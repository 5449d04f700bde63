"""The timeline: one lane per side, events as markers, links as arrows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..ladder import Ladder, event_ranks
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

    from ..events import Events

_MAX_ARROWS = 400  # above this, links are drawn as plain segments: arrows would hide the events


def timeline(
    events: Events,
    *,
    links: pd.DataFrame | None = None,
    ax: Axes | None = None,
    ladder: Ladder | None = None,
    label_top: int = 6,
    lanes: list[str] | None = None,
    all_sides: list[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Events over time, one lane per acting side, with trigger -> response links.

    Markers are sized by fatalities (a small hollow marker where unknown) and
    shaped by ladder band; stated links are solid arrows, inferred links dashed,
    coloured by step kind (red escalation, grey proportional, blue de-escalation).
    The ``label_top`` highest-ranked, deadliest events are labelled. ``lanes`` lists the acting sides shown,
    in order from the bottom (default: every side, alphabetically); the events' sides come from ``events``.
    ``all_sides`` fixes the colours when ``events`` is a cut of larger data (``Events.between``).

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
    colours = side_colours(events.side_list(), all_sides)
    shown = f[f["actor_side"].astype(str).isin(lane_of)]
    y = shown["actor_side"].astype(str).map(lane_of).to_numpy(float)
    x = shown["date"].to_numpy()
    ranks = event_ranks(shown, ladder).to_numpy()
    fat = shown["fatalities"].to_numpy(dtype="float64", na_value=np.nan)
    size = np.where(np.isnan(fat), 25.0, 30.0 + 14.0 * np.sqrt(np.nan_to_num(fat)))
    sides_arr = shown["actor_side"].astype(str).to_numpy()
    markers = np.array([marker_for(r) for r in ranks]) if len(ranks) else np.array([], dtype=str)
    for marker in np.unique(markers):
        m = markers == marker
        face = [colours[s] for s in sides_arr[m]]
        hollow = np.isnan(fat[m])
        ax.scatter(x[m][~hollow], y[m][~hollow], s=size[m][~hollow], marker=marker,
                   c=[c for c, h in zip(face, hollow, strict=True) if not h], alpha=0.8,
                   edgecolors="white", linewidths=0.5, zorder=3)  # fmt: skip
        if hollow.any():
            ax.scatter(x[m][hollow], y[m][hollow], s=size[m][hollow], marker=marker, facecolors="none",
                       edgecolors=[c for c, h in zip(face, hollow, strict=True) if h], zorder=3)  # fmt: skip

    if links is not None and len(links):
        pos = pd.Series(np.arange(len(shown)), index=shown["event_id"].to_numpy())
        ti = pos.reindex(links["trigger_id"].to_numpy()).to_numpy()
        ri = pos.reindex(links["response_id"].to_numpy()).to_numpy()
        ok = ~np.isnan(ti) & ~np.isnan(ri)
        ti, ri = ti[ok].astype(int), ri[ok].astype(int)
        kinds = links["link_kind"].to_numpy()[ok]
        steps = links["step_kind"].astype(str).to_numpy()[ok]
        if len(ti) <= _MAX_ARROWS:
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
            import matplotlib.dates as mdates

            xn = mdates.date2num(x)
            segments = np.stack([np.c_[xn[ti], y[ti]], np.c_[xn[ri], y[ri]]], axis=1)
            ax.add_collection(LineCollection(list(segments), colors=[STEP_COLOURS[s] for s in steps],
                                             linewidths=0.4, alpha=0.3, zorder=1))  # fmt: skip

    if label_top and len(shown):
        score = np.nan_to_num(ranks, nan=-1) * 1000 + np.nan_to_num(fat)
        labels = pd.DataFrame(
            {
                "i": np.arange(len(shown)),
                "score": score,
                "text": [
                    f"{pd.Timestamp(d):%Y-%m-%d} {t or ''}".strip()
                    for d, t in zip(x, shown["event_type"].fillna(""), strict=True)
                ],
            }
        )
        # One label per (day, type): same-day twins (two missile salvos) would print twice.
        labels = labels.sort_values("score", ascending=False, kind="stable").drop_duplicates("text").head(label_top)
        offsets = [16, -20, 28, -32]  # staggered, so neighbours in time do not overprint
        for k, i in enumerate(sorted(labels["i"], key=lambda i: x[i])):
            text = labels.loc[labels["i"] == i, "text"].iloc[0]
            ax.annotate(text, (x[i], y[i]), xytext=(0, offsets[k % len(offsets)]), textcoords="offset points",
                        ha="center", fontsize="small", color="#333333", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))  # fmt: skip

    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_ylabel("acting side")
    ax.grid(axis="x", alpha=0.3)
    date_axis(ax)
    handles = [Line2D([], [], marker=m, ls="", color="#555555", label=lab)
               for (_, m), lab in zip(RANK_MARKERS, RANK_LABELS, strict=True)]  # fmt: skip
    if links is not None and len(links):
        handles += [
            Line2D([], [], color="#555555", ls="-", label="stated link"),
            Line2D([], [], color="#555555", ls="--", label="inferred link"),
        ] + [Line2D([], [], color=c, lw=2, label=k) for k, c in STEP_COLOURS.items() if k != "unknown"]
    legend_below(ax, handles)
    if title:
        ax.set_title(title)
    return ax
