"""Monthly bars by acting side: the timeline that stays legible on thousands of events (as ACLED's dashboards)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._core.time import parse_freq
from .._core.vocabulary import choice
from .style import date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.table import Events


def monthly_bars(
    events: Events,
    *,
    measure: str = "events",
    freq: str = "MS",
    ax: Axes | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Events (or known deaths) per period, stacked by acting side, one colour per side.

    ``measure`` is ``"events"`` (one per row of ``events.frame``: incidents when the data were grouped) or
    ``"fatalities"`` (known deaths; unknown counts as none and the y label says "known"). ``freq`` is a
    period alias (monthly by default; ``"W"`` weekly). ``all_sides`` fixes the colours to the data's sides.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import escalation as esc
    >>> ax = esc.plotting.monthly_bars(esc.datasets.load_iraq_2019_2021())
    >>> ax.get_ylabel()
    'events per month'
    """
    measure = choice(measure, ("events", "fatalities"), "measure")
    period = parse_freq(freq)
    ax = get_ax(ax, figsize=(7, 2.6))
    f = events.frame
    side = f["actor_side"].astype(str)
    value = pd.Series(1.0, index=f.index) if measure == "events" else f["fatalities"].astype("float64").fillna(0)
    when = f["date"].dt.to_period(period)
    table = value.groupby([when, side]).sum().unstack(fill_value=0)
    if len(table):
        periods = pd.period_range(table.index.min(), table.index.max(), freq=period)
        table = table.reindex(periods, fill_value=0.0)
    colours = side_colours(table.columns, all_sides or events.palette())
    index = pd.PeriodIndex(table.index)
    starts = index.to_timestamp()
    widths = ((index + 1).to_timestamp() - starts) * 0.9
    bottom = np.zeros(len(table))
    for name in table.columns:
        ax.bar(starts, table[name].to_numpy(), width=widths, bottom=bottom, align="edge", color=colours[name],
               label=name, linewidth=0)  # fmt: skip
        bottom += table[name].to_numpy()
    unit = {"D": "day", "W": "week", "M": "month"}[period]
    ax.set_ylabel(f"{'events' if measure == 'events' else 'known deaths'} per {unit}")
    date_axis(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize="small", ncol=min(len(table.columns), 4))
    if title:
        ax.set_title(title)
    return ax
