"""Time-to-response charts: Kaplan-Meier curves and the interval histogram."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import LINE_STYLES, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.survival import TimeToResponseResult


def km_curves(
    result: TimeToResponseResult,
    *,
    ax: Axes | None = None,
    bands: bool = True,
    chance: bool = True,
    title: str | None = None,
    min_events: int = 1,
    most: int | None = None,
    all_sides: Iterable[str] | None = None,
) -> Axes:
    """Share of events not yet followed by the other side's next action (an answer or not) against days since
    the event, one step curve per group.

    Groups with fewer than ``min_events`` events are not drawn (a curve of two events is two steps with a
    band from 0 to 1); they stay in the result's tables. ``most`` draws only that many groups, those with the
    most answered events (with many sides, a curve per pair cannot be told apart). ``all_sides`` fixes the
    colours to those of the other figures.

    Curves are coloured by the responding side; censored events are ticked. Bands are the cluster-bootstrap
    ones (events one response answers resampled together); ``chance`` adds, in the same colour and thin
    dots, the curve with the other side's actions rotated within each block of the tide, up to the answer
    lag: a curve well below its chance curve is followed sooner than shared tides give.
    """
    ax = get_ax(ax, figsize=(7, 4))
    curves = result.curves
    colours = side_colours(result.events.side_list(), all_sides or result.events.palette())
    responder = result.table.drop_duplicates("group").set_index("group")["responder"]
    seen: dict[str, int] = {}
    chance_table = result.chance if chance and result.by else result.chance.iloc[0:0]
    sizes = result.table["group"].value_counts()
    answered = result.table.groupby("group", observed=True)["answered"].sum()
    eligible = [g for g in answered.index if sizes.get(g, 0) >= min_events]
    ranked = sorted(eligible, key=lambda g: (-int(answered[g]), str(g)))
    drawn = set(ranked if most is None else ranked[:most])
    for i, (group, c) in enumerate(curves.groupby("group", sort=True)):
        if group not in drawn:
            continue
        who = str(responder.get(group, ""))
        colour = colours.get(who, f"C{i}") if result.by else "C0"
        # same responder, different initiator: same colour, another line style
        style = LINE_STYLES[seen.get(who, 0) % len(LINE_STYLES)]
        seen[who] = seen.get(who, 0) + 1
        ax.step(c["time"], c["survival"], where="post", color=colour, lw=1.6, ls=style, label=str(group))
        if bands:
            ax.fill_between(c["time"], c["cluster_lower"], c["cluster_upper"], step="post", color=colour, alpha=0.15,
                            lw=0)  # fmt: skip
        if chance:
            ch = chance_table[chance_table["group"] == group]
            if len(ch):
                ax.step(ch["time"], ch["survival"], where="post", color=colour, lw=0.9, ls=":")
        g = result.table[(result.table["group"] == group) & ~result.table["answered"]]
        if len(g):
            t = c["time"].to_numpy()
            s = c["survival"].to_numpy()
            at = s[np.clip(np.searchsorted(t, g["duration_days"].to_numpy(), side="right") - 1, 0, len(s) - 1)]
            ax.plot(g["duration_days"], at, "|", color=colour, ms=6, alpha=0.7)
    ax.set_xlim(0, result.window_days)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("days since the event")
    ax.set_ylabel("share not yet followed")
    ax.grid(alpha=0.3)
    if len(chance_table):  # one legend entry for every dotted chance curve
        ax.plot([], [], color="grey", lw=0.9, ls=":", label="dotted: chance (rotated within tide blocks)")
    ax.legend(fontsize="small", frameon=False, loc="upper right")
    if title:
        ax.set_title(title)
    return ax


#: Intervals drawn day by day in :func:`interval_histogram`; longer ones share one bar.
DAYS_DRAWN = 60


def interval_histogram(
    links: pd.DataFrame, *, ax: Axes | None = None, bins: int | str = "days", title: str | None = None
) -> Axes:
    """Histogram of trigger -> response intervals, stated and inferred links stacked.

    ``bins="days"`` (the default) gives one bar a whole day, from 0 to 60 days (the 0-5 days most answers take
    are six bars, not one); longer intervals (a stated answer months later) share one last bar, labelled as
    such. Any value ``numpy.histogram_bin_edges`` takes is passed on.
    """
    ax = get_ax(ax, figsize=(7, 3.5))
    data = [links.loc[links["link_kind"] == k, "interval_days"].to_numpy(float) for k in ("stated", "inferred")]
    values = np.concatenate(data) if sum(map(len, data)) else np.array([0.0, 1.0])
    beyond = None
    if bins == "days":
        top = float(np.nanmax(values))
        last = int(np.ceil(min(max(top, 1.0), DAYS_DRAWN)))
        edges = np.arange(0, last + 1, dtype=float)
        if top > DAYS_DRAWN:
            beyond = int(np.sum(values > DAYS_DRAWN))
            edges = np.append(edges, [last + 1.0, last + 2.0])  # one bar for everything longer, a day apart
            data = [np.where(d > DAYS_DRAWN, last + 1.5, d) for d in data]
    else:
        edges = np.histogram_bin_edges(values, bins=bins)
    ax.hist(data, bins=list(edges), stacked=True, label=["stated", "inferred"], color=["#444444", "#AAAAAA"])
    if beyond:
        ticks = [t for t in ax.get_xticks() if 0 <= t <= DAYS_DRAWN - 10]  # room for the "> 60" label
        ax.set_xticks([*ticks, DAYS_DRAWN + 1.5], [f"{t:g}" for t in ticks] + [f"> {DAYS_DRAWN}"])
        ax.set_xlim(-1, DAYS_DRAWN + 3)
    ax.set_xlabel("days from trigger to response")
    ax.set_ylabel("links")
    ax.legend(frameon=False, fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    if title:
        ax.set_title(title)
    return ax
