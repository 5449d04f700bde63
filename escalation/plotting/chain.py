"""One escalation chain as a diagram: steps left to right, lanes per side, arrows labelled with intervals."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.words import interval_words
from ._labels import place_labels
from .style import STEP_COLOURS, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..linking.chains import ChainsResult


def chain_diagram(
    result: ChainsResult,
    chain_id: int,
    *,
    ax: Axes | None = None,
    max_events: int = 12,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Draw one chain: each event a labelled box in its side's lane, in date order from left to right.

    Arrows go from trigger to response, solid when stated and dashed when inferred, coloured by step kind
    (crimson up the ladder, black level, violet down: colours no side takes) and labelled with the interval
    (:func:`interval_words`) where a label fits without overprinting a box or another label; the title counts
    those left out. A chain of more than ``max_events`` events (dense data link thousands) is summarised: a
    side's events of one day become one box ("3 events"), and if that is still too many, or the boxes do not
    fit the figure at 7 points, only the strongest steps are drawn (stated first, then by link probability
    where the method gives one, then steps up the ladder, then the deadliest responses), with the boxes they
    join. The title says how much is shown. ``all_sides`` fixes the colours to those of the other figures.
    """
    links = result.chain(chain_id)
    ax = get_ax(ax, figsize=(6.8, 2.8))
    if links.empty:
        ax.set_axis_off()
        return ax
    f = result.events.frame.set_index("event_id")
    ids = pd.unique(np.r_[links["trigger_id"].to_numpy(), links["response_id"].to_numpy()])
    nodes = f.loc[ids, ["date", "actor_side", "event_type", "fatalities"]].sort_values("date", kind="stable")
    n_all, n_links = len(nodes), len(links)
    nodes["box"] = np.arange(len(nodes))
    nodes["count"] = 1
    note = ""
    if n_all > max_events:
        # Same day, same side: one box. Its label is the most common type and the known deaths summed.
        key = nodes["date"].dt.normalize().astype(str) + "|" + nodes["actor_side"].astype(str)
        first = ~key.duplicated()
        nodes["box"] = key.map(pd.Series(np.arange(int(first.sum())), index=key[first].to_numpy()))
        note = "; same-day events boxed"
    box_of = nodes["box"]
    steps = links.assign(
        a=box_of.reindex(links["trigger_id"]).to_numpy(), b=box_of.reindex(links["response_id"]).to_numpy()
    )
    steps = steps[steps["a"] != steps["b"]]
    score = (
        (steps["link_kind"] == "stated").astype(float) * 1e6
        + (steps["probability"].fillna(0).astype(float) * 1e3 if "probability" in steps else 0.0)
        + (steps["step_kind"].astype(str) == "escalation").astype(float) * 10
        + steps["response_fatalities"].astype("float64").fillna(0).clip(upper=9) / 10
    )
    steps = steps.assign(score=score).sort_values("score", ascending=False, kind="stable")
    steps = steps.drop_duplicates(["a", "b"])
    boxes = nodes.groupby("box", sort=True).agg(
        date=("date", "min"), side=("actor_side", lambda s: str(s.iloc[0])), count=("count", "sum"),
        what=("event_type", lambda s: str(s.mode().iloc[0]) if s.notna().any() else "?"),
        deaths=("fatalities", lambda s: s.astype("float64").sum(min_count=1)),
    )  # fmt: skip
    if len(boxes) > max_events:
        kept: list[int] = []
        chosen = []
        for index, a_box, b_box in zip(steps.index, steps["a"], steps["b"], strict=True):
            new = [b for b in (int(a_box), int(b_box)) if b not in kept]
            if len(kept) + len(new) > max_events:
                continue
            kept += new
            chosen.append(index)
        steps = steps.loc[chosen]
        boxes = boxes.loc[sorted(kept)]
        note += f"; {len(steps)} strongest steps shown"
    order = {b: i for i, b in enumerate(boxes.sort_values("date", kind="stable").index)}
    lanes = sorted(boxes["side"].unique())
    y = {side: i for i, side in enumerate(lanes)}
    colours = side_colours(result.events.side_list(), all_sides or result.events.palette())
    for b, row in boxes.to_dict("index").items():  # at most max_events boxes: plotting, not a hot path
        deaths = "" if pd.isna(row["deaths"]) else f"\n{int(row['deaths'])} killed"
        what = textwrap.fill(row["what"], 14) if row["count"] == 1 else f"{row['count']} events"
        label = f"{row['date']:%Y-%m-%d}\n{what}{deaths}"
        ax.annotate(label, (order[b], y[row["side"]]), ha="center", va="center", fontsize="small", zorder=3,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=colours[row["side"]], lw=1.4))  # fmt: skip
    intervals: list[tuple[str, tuple[float, float], dict[str, Any]]] = []
    for link in steps.to_dict("records"):
        a = (order[link["a"]], y[boxes.loc[link["a"], "side"]])
        b = (order[link["b"]], y[boxes.loc[link["b"], "side"]])
        colour = STEP_COLOURS[str(link["step_kind"])]
        ax.annotate("", xy=b, xytext=a, zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.3, shrinkA=22, shrinkB=22,
                                    linestyle="-" if link["link_kind"] == "stated" else "--",
                                    connectionstyle="arc3,rad=-0.2"))  # fmt: skip
        intervals.append((interval_words(float(link["interval_days"])), ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2),
                          dict(fontsize="small", color=colour, ha="center", va="center", zorder=4,
                               bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))))  # fmt: skip
    ax.set_xlim(-0.7, len(boxes) - 0.3)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_xticks([])
    for spine in ("top", "right", "bottom"):
        ax.spines[spine].set_visible(False)
    # the summary note on its own line: long lane names leave the axes (and a centred title) narrow
    note = "\n" + note.lstrip("; ") if note else ""
    heading = ax.set_title(title or f"chain {chain_id}: {n_all} events, {n_links} steps{note}", fontsize="medium")
    if not _fit_boxes(ax) and len(boxes) > 2:
        # still one box over another at the smallest legible size: fewer boxes, the strongest steps
        ax.clear()
        return chain_diagram(result, chain_id, ax=ax, max_events=len(boxes) - 1, all_sides=all_sides, title=title)
    # interval labels last, on the final layout, off the event boxes and each other (or left out, and said on
    # the title's first line, which keeps the layout)
    boxes_drawn = [t for t in ax.texts if t.get_text()]  # the event boxes, not the arrows (annotations too)
    _, missing = place_labels(ax, intervals, [(0, 9), (0, -9), (0, 18), (0, -18), (14, 9), (-14, 9)], boxes_drawn)
    if missing:
        first, *rest = heading.get_text().split("\n", 1)
        said = f" ({missing} interval{'s' * (missing > 1)} not labelled: no room)"
        heading.set_text("\n".join([first + said, *rest]))
    return ax


def _fit_boxes(ax: Axes, smallest: float = 7.0) -> bool:
    """Shrink the event boxes' text (to ``smallest`` points, what prints legibly) until no two boxes overlap:
    a chain of many boxes in a narrow figure would otherwise print one date over another. False when they
    still overlap at that size."""
    from ._labels import overlapping

    boxes = [t for t in ax.texts if t.get_text()]
    while (crowded := bool(overlapping(ax))) and boxes and float(boxes[0].get_fontsize()) * 0.9 >= smallest:
        for t in boxes:
            t.set_fontsize(float(t.get_fontsize()) * 0.9)
    return not crowded
