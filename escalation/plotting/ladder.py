"""Charts of where events sit: the escalation ladder over time, and a map of events over shipped borders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._core.time import parse_freq
from ..errors import UsageError
from ..events.ladder import Ladder, event_ranks, is_builtin
from ._labels import drop_overprints
from .style import OTHER_SIDES, date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.table import Events


RUNG_LABELS = [
    "0 ceasefire", "1 statement", "2 threat", "3 coercion", "4 clash", "5 rockets/shelling",
    "6 drone strike", "7 airstrike", "8 missiles", "9 targeted killing",
]  # fmt: skip


def rung_labels(ladder: Ladder | None, counts: Mapping[str, int] | None = None) -> tuple[list[float], list[str]]:
    """The rank axis's ticks and names: the built-in ladder's rungs, or for a ladder of one's own each rank it
    uses with its most common event type in the data (``counts``; else the first by name) and how many more
    share the rank (``"4 gunfire +16"``), so that the axis names the data's words, not the built-in ones."""
    if ladder is None or is_builtin(ladder):
        return list(range(10)), list(RUNG_LABELS)
    by_rank: dict[float, list[str]] = {}
    seen = dict(counts or {})
    for name, rank in sorted(ladder.ranks.items(), key=lambda kv: (kv[1], -seen.get(kv[0], 0), kv[0])):
        by_rank.setdefault(float(rank), []).append(str(name))
    ticks = sorted(by_rank)
    labels = []
    for rank in ticks:
        first = by_rank[rank][0]
        first = first if len(first) <= 16 else first[:15] + "…"
        more = f" +{len(by_rank[rank]) - 1}" if len(by_rank[rank]) > 1 else ""
        labels.append(f"{rank:g} {first}{more}")
    return ticks, labels


def ladder_over_time(
    events: Events,
    *,
    ax: Axes | None = None,
    ladder: Ladder | None = None,
    freq: str = "MS",
    summary: str = "max",
    points: bool = True,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Each event's ladder rank over time, one colour per acting side, with a line per side and period.

    Points are jittered slightly up and down so that events of the same rank stay visible (``points=False``
    leaves them out: thousands of events over decades are a band, not points). The step line is, per period
    (``freq``, monthly by default), the highest rung a side reached (``summary="max"``) or its mean rank
    (``"mean"``, the measure :func:`escalation.trend` tests; on dense data the maximum sits on the top rung
    most months and says little). ``all_sides`` fixes the colours to those of the other figures of the data.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import escalation as esc
    >>> ax = esc.plotting.ladder_over_time(esc.datasets.load_iraq_2019_2021(), summary="mean", points=False)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Iran', 'Iran-aligned militias', 'Iraq', 'United States']
    """
    if summary not in ("max", "mean"):
        raise UsageError(f"summary must be 'max' or 'mean', got {summary!r}")
    period = parse_freq(freq)
    ax = get_ax(ax, figsize=(10, 3.6))
    f = events.frame
    ranks = event_ranks(f, ladder)
    colours = side_colours(events.side_list(), all_sides or events.palette())
    rng = np.random.default_rng(0)  # jitter only; fixed so the chart is the same every time
    for key, idx in f.groupby(f["actor_side"].astype(str)).groups.items():
        side = str(key)
        r = ranks.loc[idx]
        known = r.notna()
        dates = f.loc[idx, "date"][known]
        under = 1.5 if side == OTHER_SIDES else 2  # grey "other sides" under the named ones
        if points:
            ax.scatter(dates, r[known] + rng.uniform(-0.12, 0.12, int(known.sum())), s=14, alpha=0.6,
                       color=colours[side], label=side, edgecolors="none", zorder=under)  # fmt: skip
        if known.any():
            line = r[known].groupby(dates.dt.to_period(period)).agg(summary)
            # Periods without events are gaps (NaN breaks the line), not a held level.
            periods = pd.period_range(line.index.min(), line.index.max(), freq=period)
            line = line.reindex(periods).set_axis(periods.to_timestamp())
            ax.step(line.index, line.to_numpy(), where="post", color=colours[side], lw=1.0 if points else 1.2,
                    alpha=0.8, zorder=under, label=None if points else side)  # fmt: skip
    ticks, labels = rung_labels(ladder, {str(k): int(v) for k, v in f["event_type"].value_counts().items()})
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize="small")
    ax.set_ylim(-0.5, 9.5)
    date_axis(ax)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title:
        ax.set_title(title)
    return ax


def event_map(
    events: Events, *, ax: Axes | None = None, all_sides: Iterable[str] | None = None, title: str | None = None
) -> Axes:
    """Events on longitude/latitude over country outlines (Natural Earth 1:110m, shipped: no tiles, no network),
    by acting side, sized by deaths; ``all_sides`` fixes the colours to those of the other figures.

    The view is the events' extent with a margin; the aspect ratio corrects for latitude so that distances look
    right near the data. Events without coordinates are left out and counted in the title.
    """
    from ._borders import draw_borders

    ax = get_ax(ax, figsize=(6, 5))
    f = events.frame
    has = f["latitude"].notna() & f["longitude"].notna()
    colours = side_colours(events.side_list(), all_sides or events.palette())
    shown = f[has]
    fat = shown["fatalities"].astype("float64")
    size = 20 + 12 * np.sqrt(fat.fillna(0).to_numpy())
    for key, idx in shown.groupby(shown["actor_side"].astype(str)).groups.items():
        side = str(key)
        rows = shown.index.get_indexer(idx)
        ax.scatter(shown.loc[idx, "longitude"], shown.loc[idx, "latitude"], s=size[rows], alpha=0.7,
                   color=colours[side], label=side, edgecolors="white", linewidths=0.4,
                   zorder=2.5 if side == OTHER_SIDES else 3)  # grey "other sides" under the named ones  # fmt: skip
    if len(shown):
        lon, lat = shown["longitude"].astype(float), shown["latitude"].astype(float)
        pad = max(1.5, 0.15 * max(lon.max() - lon.min(), lat.max() - lat.min()))
        box_lon, box_lat = (lon.min() - pad, lon.max() + pad), (lat.min() - pad, lat.max() + pad)
        draw_borders(ax, box_lon, box_lat)
        ax.set_xlim(*box_lon)
        ax.set_ylim(*box_lat)
        ax.set_aspect(1 / np.cos(np.radians(float(lat.mean()))))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(fontsize="small", frameon=True, framealpha=0.9, loc="best")
    missing = int((~has).sum())
    label = title or "Events by place"
    ax.set_title(f"{label} ({missing} without coordinates not shown)" if missing else label, fontsize="medium")
    # country names where the countries are: a small one inside a large one's label loses its name
    names = sorted((t for t in ax.texts if t.get_zorder() == 1), key=lambda t: -len(t.get_text()))
    drop_overprints(ax, names)
    return ax
