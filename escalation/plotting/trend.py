"""Trends: each side's monthly series with its fitted trend."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._core.vocabulary import choice
from .style import date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.trend import TrendResult

#: The y-axis label of each measure.
LABELS = {"events": "events a month", "fatalities": "deaths a month", "rank": "mean ladder rank"}


def trend_lines(
    result: TrendResult,
    *,
    ax: Axes | None = None,
    measure: str = "events",
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Each side's monthly ``measure`` (``"events"``, ``"fatalities"`` or ``"rank"``) and its fitted trend
    (dashed), one colour per side: its colour in every figure of the data (``all_sides``, by default the
    data's palette, fixes the colours)."""
    ax = get_ax(ax, figsize=(7, 3))
    measure = choice(measure, tuple(LABELS), "measure")
    lines = result.lines(measure)
    names = [name for name, *_ in lines]
    colours = side_colours(names, all_sides or result.all_sides or names)
    for name, months, values, fitted in lines:
        ax.plot(months, values, color=colours[name], lw=1.0, alpha=0.8, label=name)
        if fitted is not None:
            ax.plot(months, fitted, color=colours[name], lw=1.6, ls="--")
    ax.set_ylabel(LABELS[measure])
    date_axis(ax)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    if title:
        ax.set_title(title)
    return ax
