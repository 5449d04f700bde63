"""Episodes as bars on a time axis, one row per dyad."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .style import date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..episodes import EpisodesResult


SIMULTANEOUS = "both sides on the first day"


def episode_bars(result: EpisodesResult, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each episode as a bar from start to end (at least one day wide), coloured by who started it.

    Bar height grows with the number of counter-retaliations, so long
    back-and-forth stands out from one-sided bursts.
    """
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    ax = get_ax(ax, figsize=(11, 3.5))
    ep = result.episodes
    dyads = (ep["side_a"] + " / " + ep["side_b"]).to_numpy()
    rows = sorted(set(dyads))
    row_of = {d: i for i, d in enumerate(rows)}
    colours = side_colours(result.events.side_list())
    start = mdates.date2num(ep["start"].to_numpy())
    width = np.maximum(mdates.date2num(ep["end"].to_numpy()) - start, 1.0)
    height = 0.25 + 0.5 * np.minimum(ep["counter_retaliations"].to_numpy(), 6) / 6
    y = np.array([row_of[d] for d in dyads], dtype=float)
    # An episode opening on a day both sides acted (untimed) has no starter: grey.
    starter = ep["started_by"].where(ep["started_by"].notna(), SIMULTANEOUS)
    colours[SIMULTANEOUS] = "#9a9a9a"
    ax.barh(y, width, left=start, height=height, color=[colours[s] for s in starter],
            edgecolor="white", linewidth=0.3)  # fmt: skip
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis_date()
    date_axis(ax)
    ax.grid(axis="x", alpha=0.3)
    starters = sorted(set(starter))
    ax.legend(
        handles=[Patch(color=colours[s], label=s if s == SIMULTANEOUS else f"started by {s}") for s in starters],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=4,
        frameon=False,
        fontsize="small",
    )
    if title:
        ax.set_title(title)
    return ax
