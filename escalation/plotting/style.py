"""Shared look: one colour per side everywhere, readable dates, marker shapes by ladder rank."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Colour-blind-safe palette (Okabe-Ito), then matplotlib's tab10 for more sides.
_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
LINE_STYLES = ["-", "--", ":", "-."]
STEP_COLOURS = {
    "escalation": "#C0392B",
    "proportional": "#7F8C8D",
    "de-escalation": "#2471A3",
    "unknown": "#BBBBBB",
}
# Marker by rank band: words/threats, coercion/small arms, indirect fire/drones, air/missiles, killings.
RANK_MARKERS = [(2.5, "o"), (4.5, "s"), (6.5, "^"), (8.5, "D"), (np.inf, "*")]
RANK_LABELS = ["statement / threat (0-2)", "coercion / small arms (3-4)", "rockets / drones (5-6)",
               "airstrike / missiles (7-8)", "targeted killing (9)"]  # fmt: skip


def side_colours(sides: Iterable[str], universe: Iterable[str] | None = None) -> dict[str, str]:
    """A stable colour for each side: its place among ``universe`` (all the data's sides, sorted).

    Give ``universe`` (``Events.side_list()``, or a result's ``all_sides``) whenever a figure shows only some
    sides, so that a side has the colour it has in every other figure of the same data. A directed-dyad
    series ``"A -> B"`` takes the colour of its acting side ``A``.
    """
    import matplotlib as mpl

    extra = [mpl.colors.to_hex(c) for c in mpl.colormaps["tab10"].colors]  # type: ignore[attr-defined]
    palette = _PALETTE + extra
    names = list(sides)
    order = sorted(set(universe or []) | {n.split(" -> ")[0] for n in names})
    by_side = {side: palette[i % len(palette)] for i, side in enumerate(order)}
    return {**by_side, **{n: by_side[n.split(" -> ")[0]] for n in names}}


def marker_for(rank: float) -> str:
    if np.isnan(rank):
        return "X"
    for bound, marker in RANK_MARKERS:
        if rank <= bound:
            return marker
    return "*"


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (10, 4)) -> Axes:
    """The given Axes, or a new one on a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize, layout="constrained")
    return new_ax


def date_axis(ax: Axes) -> None:
    """Concise, non-overlapping date ticks."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def legend_below(ax: Axes, handles: list[Any], ncol: int = 4) -> None:
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=ncol,
              frameon=False, fontsize="small")  # fmt: skip
