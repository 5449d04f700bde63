"""Shared look: one colour per side everywhere, readable dates, marker shapes by ladder rank."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..events.table import Events

# Colour-blind-safe palette (Okabe-Ito), then Paul Tol's "muted" hues that differ from those (matplotlib's
# tab10 repeats Okabe-Ito's orange, blue and green closely enough to confuse two sides).
_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
            "#332288", "#882255", "#999933", "#44AA99", "#AA4499", "#DDCC77", "#117733", "#CC6677"]  # fmt: skip
#: The side that :func:`lump_sides` gives the less active sides; drawn grey in every figure.
OTHER_SIDES = "other sides"
OTHER_COLOUR = "#9A9A9A"
#: Sides drawn by name when a figure has room for few (:func:`main_sides`).
MOST_SIDES = 6
LINE_STYLES = ["-", "--", ":", "-."]
#: Step colours that no side takes among the first :data:`MOST_SIDES` (blue, vermilion, green, pink, orange,
#: sky blue) nor the grey of "other sides": a crimson darker than the vermilion, a violet, near-black, a pale grey; at
#: least 25 CIE76 units from each of them (tests/test_plotting.py measures it).
STEP_COLOURS = {
    "escalation": "#A50026",
    "proportional": "#333333",
    "de-escalation": "#7B3294",
    "unknown": "#E0E0E0",
}
# Marker by rank band: words/threats, coercion/small arms, indirect fire/drones, air/missiles, killings.
RANK_MARKERS = [(2.5, "o"), (4.5, "s"), (6.5, "^"), (8.5, "D"), (np.inf, "*")]
RANK_LABELS = ["statement / threat (0-2)", "coercion / small arms (3-4)", "rockets / drones (5-6)",
               "airstrike / missiles (7-8)", "targeted killing (9)"]  # fmt: skip


def side_colours(
    sides: Iterable[str], universe: Iterable[str] | Mapping[str, str | None] | None = None
) -> dict[str, str]:
    """A stable colour for each side: its place in ``universe`` (all the data's sides, in the order given:
    ``Events.side_list()`` is sorted; the report puts the most active first, see :func:`main_sides`).

    Give ``universe`` (``Events.palette()``, ``Events.side_list()``, or a result's ``all_sides``) whenever a
    figure shows only some sides, so that a side has the colour it has in every other figure of the same
    data. A mapping ``{side: colour or None}`` (``Events.palette()``: the sides file's ``"colours"``) fixes
    the colours it names; the other sides take the palette's colours in order, skipping those fixed. A
    directed-dyad series ``"A -> B"`` takes the colour of its acting side ``A``; sides not in ``universe``
    take colours after those of its sides, and :data:`OTHER_SIDES` is grey.

    >>> side_colours(["B", "A"], {"A": "#000000", "B": None})
    {'A': '#000000', 'B': '#0072B2'}
    """
    names = list(sides)
    fixed = {k: v for k, v in universe.items() if v} if isinstance(universe, Mapping) else {}
    known = [side for side in dict.fromkeys(universe or []) if side != OTHER_SIDES]  # in the order given
    # sides outside the universe come after it, so that they never shift the colours of the sides in it
    extra = sorted({n.split(" -> ")[0] for n in names} - set(known) - {OTHER_SIDES})
    taken = {c.lower() for c in fixed.values()}
    free = iter([c for c in _PALETTE if c.lower() not in taken] or _PALETTE)
    by_side: dict[str, str] = {}
    spare = list(_PALETTE)
    for i, side in enumerate(known + extra):
        if side in fixed:
            by_side[side] = fixed[side]
        else:
            by_side[side] = next(free, spare[i % len(spare)])
    if OTHER_SIDES in names or OTHER_SIDES in set(universe or []):
        by_side[OTHER_SIDES] = OTHER_COLOUR
    return {**by_side, **{n: by_side[n.split(" -> ")[0]] for n in names}}


def main_sides(events: Events, most: int = MOST_SIDES) -> list[str]:
    """The ``most`` sides that act most often (ties by name), most active first."""
    counts = events.frame["actor_side"].dropna().astype(str).value_counts()
    ranked = sorted(((str(side), int(n)) for side, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    return [side for side, _ in ranked[:most]]


def lump_sides(events: Events, most: int = MOST_SIDES) -> Events:
    """``events`` with every side but the ``most`` most active renamed :data:`OTHER_SIDES` (as actor and as
    target), for figures that colour by side: beyond about seven colours a reader cannot tell sides apart.
    Unchanged when there are no more sides than that.

    Examples
    --------
    >>> import escalation as esc
    >>> from escalation.plotting import lump_sides
    >>> lump_sides(esc.datasets.load_iraq_2019_2021(), most=2).side_list()
    ['Iran-aligned militias', 'United States', 'other sides']
    """
    from dataclasses import replace

    if len(events.side_list()) <= most:
        return events
    keep = set(main_sides(events, most))
    frame = events.frame.copy()
    for column in ("actor_side", "target_side"):
        values = frame[column].astype(object)
        frame[column] = values.where(values.isna() | values.isin(keep), OTHER_SIDES)
    return replace(events, frame=frame, provenance={**events.provenance, "lumped_sides": most})


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
    """A legend under the chart. When ``ax`` is alone on a constrained-layout figure, the legend is the
    figure's, centred on the figure, so that long side names on the y axis cannot push it off the page."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    fig = ax.get_figure()
    style: dict[str, Any] = {"handles": handles, "ncols": ncol, "frameon": False, "fontsize": "small"}
    if fig is not None and len(fig.axes) == 1 and isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.legend(loc="outside lower center", **style)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), **style)
