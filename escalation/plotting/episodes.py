"""Episodes as bars on a time axis, one row per dyad."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..linking.episodes import EpisodesResult


SIMULTANEOUS = "both sides on the first day"


def episode_bars(
    result: EpisodesResult,
    *,
    ax: Axes | None = None,
    most: int | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Each episode as a bar from start to end, coloured by who started it; at least one day wide, or 1/250 of
    the period drawn when that is wider, so that a one-day episode shows at print size on a two-year axis.

    Bar height grows with the number of counter-retaliations, so long
    back-and-forth stands out from one-sided bursts. ``most`` keeps the dyads with the most events (default:
    every dyad); ``all_sides`` fixes the colours to those of the other figures.
    """
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    ax = get_ax(ax, figsize=(11, 3.5))
    ep = result.episodes
    dyads = (ep["side_a"].astype(str) + " / " + ep["side_b"].astype(str)).to_numpy()
    if most is not None:
        size = pd.Series(ep["n_events"].to_numpy(), index=dyads).groupby(level=0).sum()
        kept = sorted(((str(d), int(n)) for d, n in size.items()), key=lambda kv: (-kv[1], kv[0]))[:most]
        keep = np.isin(dyads, [d for d, _ in kept])
        ep, dyads = ep[keep], dyads[keep]
    rows = sorted(set(dyads))
    row_of = {d: i for i, d in enumerate(rows)}
    colours = side_colours(result.events.side_list(), all_sides or result.events.palette())
    start = mdates.date2num(ep["start"].to_numpy())
    ends = mdates.date2num(ep["end"].to_numpy())
    span = float(ends.max() - start.min()) if len(start) else 0.0
    width = np.maximum(ends - start, max(1.0, span / 250))
    height = 0.25 + 0.5 * np.minimum(ep["counter_retaliations"].to_numpy(), 6) / 6
    y = np.array([row_of[d] for d in dyads], dtype=float)
    # An episode opening on a day both sides acted (untimed) has no starter: grey.
    starter = ep["started_by"].where(ep["started_by"].notna(), SIMULTANEOUS)
    colours[SIMULTANEOUS] = "#9a9a9a"
    ax.barh(y, width, left=start, height=height, color=[colours[s] for s in starter], edgecolor="none")
    # long ACLED-style names ("Military Forces of Syria (2000-2024)") would squeeze the bars to nothing
    ax.set_yticks(range(len(rows)), [r.replace(" / ", " /\n") if len(r) > 40 else r for r in rows])
    ax.xaxis_date()
    date_axis(ax)
    ax.grid(axis="x", alpha=0.3)
    starters = sorted(set(starter))
    ax.legend(
        handles=[Patch(color=colours[s], label=s if s == SIMULTANEOUS else f"started by {s}") for s in starters],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=max(1, min(4, 100 // max(len(s) + 11 for s in starters))),
        frameon=False,
        fontsize="small",
    )
    if title:
        ax.set_title(title)
    return ax
