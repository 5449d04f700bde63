"""One escalation chain as a diagram: steps left to right, lanes per side, arrows labelled with intervals."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import STEP_COLOURS, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..chains import ChainsResult


def chain_diagram(
    result: ChainsResult, chain_id: int, *, ax: Axes | None = None, max_events: int = 40, title: str | None = None
) -> Axes:
    """Draw one chain: each event a labelled box in its side's lane, in date order from left to right.

    Arrows go from trigger to response, solid when stated and dashed when
    inferred, coloured by step kind (red up the ladder, grey level, blue down)
    and labelled with the interval in days. A chain of more than ``max_events``
    events (dense data can link thousands) is drawn up to its ``max_events``-th
    event, and the title says so.
    """
    links = result.chain(chain_id)
    ax = get_ax(ax, figsize=(11, 3.6))
    if links.empty:
        ax.set_axis_off()
        return ax
    f = result.events.frame.set_index("event_id")
    ids = pd.unique(np.r_[links["trigger_id"].to_numpy(), links["response_id"].to_numpy()])
    nodes = f.loc[ids, ["date", "actor_side", "event_type", "fatalities"]].sort_values("date", kind="stable")
    n_all, n_links = len(nodes), len(links)
    if n_all > max_events:
        nodes = nodes.iloc[:max_events]
        keep = links["trigger_id"].isin(nodes.index) & links["response_id"].isin(nodes.index)
        links = links[keep]
    x = {eid: i for i, eid in enumerate(nodes.index)}
    lanes = sorted(nodes["actor_side"].astype(str).unique())
    y = {side: i for i, side in enumerate(lanes)}
    colours = side_colours(result.events.side_list())
    for eid, row in nodes.iterrows():  # a chain has tens of events: plotting, not a hot path
        side = str(row["actor_side"])
        deaths = "" if pd.isna(row["fatalities"]) else f"\n{int(row['fatalities'])} killed"
        what = textwrap.fill(str(row["event_type"]) if pd.notna(row["event_type"]) else "?", 14)
        label = f"{row['date']:%Y-%m-%d}\n{what}{deaths}"
        ax.annotate(label, (x[eid], y[side]), ha="center", va="center", fontsize=6.5, zorder=3,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=colours[side], lw=1.4))  # fmt: skip
    side_of = f["actor_side"].astype(str).to_dict()
    for link in links.to_dict("records"):
        a = (x[link["trigger_id"]], y[side_of[link["trigger_id"]]])
        b = (x[link["response_id"]], y[side_of[link["response_id"]]])
        colour = STEP_COLOURS[str(link["step_kind"])]
        ax.annotate("", xy=b, xytext=a, zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.3, shrinkA=22, shrinkB=22,
                                    linestyle="-" if link["link_kind"] == "stated" else "--",
                                    connectionstyle="arc3,rad=-0.2"))  # fmt: skip
        ax.text((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 0.18, f"{link['interval_days']:g} d", fontsize=6.5,
                color=colour, ha="center", zorder=4)  # fmt: skip
    ax.set_xlim(-0.7, len(nodes) - 0.3)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_xticks([])
    for spine in ("top", "right", "bottom"):
        ax.spines[spine].set_visible(False)
    shown = f"; first {len(nodes)} events shown" if n_all > len(nodes) else ""
    ax.set_title(title or f"chain {chain_id}: {n_all} events, {n_links} steps{shown}", fontsize="medium")
    return ax
