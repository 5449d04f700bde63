"""Reciprocity charts: impulse responses with bands, and counts per side over time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .style import LINE_STYLES, date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.reciprocity.analysis import ReciprocityResult


def impulse_responses(
    result: ReciprocityResult,
    *,
    ax: Axes | None = None,
    cross_only: bool = True,
    directions: Sequence[tuple[str, str]] | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Response of each side's series to one more unit of another side's, with confidence bands.

    Lines are coloured by the responding side; the band is the asymptotic
    ``1 - alpha`` interval. Own-responses are left out unless ``cross_only=False``; ``directions`` lists the
    ``(cause, effect)`` pairs to draw (default: all; with many sides, the few a reader should see).
    ``all_sides`` fixes the colours to those of the other figures (default ``result.all_sides``).
    """
    ax = get_ax(ax, figsize=(7, 4))
    colours = side_colours(result.series.columns, all_sides or result.all_sides)
    table = result.irf_table
    if cross_only:
        table = table[table["cause"] != table["effect"]]
    if directions is not None:
        wanted = {(str(c), str(e)) for c, e in directions}
        pairs = zip(table["cause"].astype(str), table["effect"].astype(str), strict=True)
        table = table[[pair in wanted for pair in pairs]]
    seen: dict[str, int] = {}
    for (cause, effect), g in table.groupby(["cause", "effect"], sort=True):
        c = colours[str(effect)]
        style = LINE_STYLES[seen.get(str(effect), 0) % len(LINE_STYLES)]
        seen[str(effect)] = seen.get(str(effect), 0) + 1
        ax.plot(g["horizon"], g["response"], marker="o", ms=3, color=c, ls=style, label=f"{effect} after {cause}")
        ax.fill_between(g["horizon"], g["lower"], g["upper"], color=c, alpha=0.15, lw=0)
    ax.axhline(0, color="#555555", lw=0.8)
    unit = {"D": "days", "W": "weeks", "M": "months"}[result.freq]
    what = {"fatalities": "killings", "any": "days with killings"}.get(result.measure, "events")
    ax.set_xlabel(f"{unit} after one more unit of the other side's {what}")
    ax.set_ylabel(f"change in {what}")
    ax.grid(alpha=0.3)
    # a white box: the curves pass under the names, not through them; long handles show the dashes
    ax.legend(fontsize="small", frameon=True, framealpha=0.85, edgecolor="none", handlelength=3.2)
    if title:
        ax.set_title(title)
    return ax


def side_counts(
    series: pd.DataFrame,
    *,
    ax: Axes | None = None,
    freq: str = "M",
    title: str | None = None,
    all_sides: Iterable[str] | None = None,
) -> Axes:
    """Counts per side re-aggregated to ``freq`` (monthly by default), as lines over time.

    ``all_sides``: every side of the data (``ReciprocityResult.all_sides``), so that colours match the other
    figures.
    """
    ax = get_ax(ax, figsize=(9, 3.5))
    colours = side_colours(series.columns, all_sides)
    data = series.to_timestamp() if isinstance(series.index, pd.PeriodIndex) else series
    data = data.resample({"D": "D", "W": "W", "M": "MS"}[freq]).sum()
    for side in data.columns:
        ax.plot(data.index, data[side], color=colours[side], lw=1.4, label=side, drawstyle="steps-post")
    ax.set_ylabel("per " + {"D": "day", "W": "week", "M": "month"}[freq])
    date_axis(ax)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    return ax
