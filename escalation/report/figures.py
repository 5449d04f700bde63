"""The report's figures: each a function of the data and the analyses, returning the figure and its caption.

Figures are drawn at their printed size (at most :data:`PAGE_WIDTH` inches, the A4 text width of the page
template) with :data:`STYLE`, so that no text in them is smaller than 7 pt on paper; the notebook shows them
with IPython's "retina" PNGs, whose HTML width is the figure's width at 96 pixels an inch, which is the size
WeasyPrint prints them at. Every caption states what is counted, how many, the period and the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import plotting
from ..events import Events
from .text import Analyses, esc_html, source_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The A4 text width of ``template.html`` (210 mm less 2 x 14 mm margins and 2 x 4 mm padding), inches.
PAGE_WIDTH = 6.85
#: Smallest text on paper, points.
MIN_FONT = 7.0
#: rcParams of every report figure: 96 dpi is the CSS inch, so a figure prints at its own size.
STYLE: dict[str, Any] = {
    "figure.dpi": 96,
    "font.size": 8.5,  # "small" (legends, labels in charts) is then 7.1 pt
    "axes.titlesize": "medium",
    "figure.titlesize": "medium",
}
#: Boxes in a chain diagram: eight fit the page width with their labels.
CHAIN_BOXES = 8
#: More events than this: the arrow timeline shows one window, the monthly bars show the whole period.
DENSE_EVENTS = 150
#: The arrow timeline of dense data shows this many days, those with the most links.
WINDOW_DAYS = 90


def _period(frame: pd.DataFrame) -> str:
    return f"{frame['date'].min():%d %b %Y} to {frame['date'].max():%d %b %Y}" if len(frame) else "no events"


def _new(height: float, ncols: int = 1, nrows: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=(PAGE_WIDTH, height), layout="constrained", **kwargs)


def caption_tail(events: Events) -> str:
    """``N <unit>s, <period>; source: <name>`` for a caption."""
    return (f"{len(events.frame)} {events.unit}s, {_period(events.frame)}; "
            f"source: {esc_html(source_name(events))}.")  # fmt: skip


def monthly(events: Events) -> tuple[Figure, str]:
    """Events and known deaths per month, stacked by acting side: the timeline of the whole period."""
    fig, (top, bottom) = _new(4.4, nrows=2, sharex=True)
    plotting.monthly_bars(events, ax=top, all_sides=events.side_list())
    plotting.monthly_bars(events, measure="deaths", ax=bottom, all_sides=events.side_list())
    bottom.get_legend().remove()
    unit = "incidents" if events.members is not None else "events"
    return fig, (f"{unit.capitalize()} (top) and known deaths (bottom) per calendar month, stacked by acting "
                 f"side; unknown death counts count as none. {caption_tail(events)}")  # fmt: skip


def busiest_window(events: Events, a: Analyses, days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The ``days`` days (first and last) holding the most links, or the most events when there are none."""
    if a.chains is not None and len(a.chains.links):
        dates = a.chains.links["response_date"].dt.normalize()
    else:
        dates = events.frame["date"].dt.normalize()
    daily = dates.value_counts().sort_index().asfreq("D", fill_value=0)
    end = daily.rolling(days, min_periods=1).sum().idxmax()
    return end - pd.Timedelta(days=days - 1), end


def arrow_window(events: Events, a: Analyses) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The window the arrow timeline shows: None (the whole period) up to :data:`DENSE_EVENTS` events, else
    the busiest :data:`WINDOW_DAYS` days."""
    return None if len(events.frame) <= DENSE_EVENTS else busiest_window(events, a, WINDOW_DAYS)


def timeline(events: Events, a: Analyses) -> tuple[Figure, str]:
    """The arrow timeline: whole when sparse, else its busiest days."""
    window = arrow_window(events, a)
    shown = events if window is None else events.between(window[0], window[1])
    links = a.chains.links if a.chains is not None else None
    fig, ax = _new(3.6)
    plotting.timeline(shown, links=links, ax=ax, all_sides=events.side_list(), label_top=4, ladder=a.ladder)
    where = ("" if window is None else
             f"The {WINDOW_DAYS} days with the most links ({window[0]:%d %b %Y} to {window[1]:%d %b %Y}); the whole "
             "period is in the monthly bars above. ")  # fmt: skip
    return fig, (f"{where}One lane per acting side; marker size grows with deaths (hollow: unknown), shape with "
                 "the ladder rank. Arrows join triggers to responses: solid when stated, dashed when inferred; "
                 f"red steps went up the ladder, grey matched, blue went down. {caption_tail(shown)}")  # fmt: skip


def zoom(events: Events, a: Analyses, days: int = 45, min_links: int = 10) -> tuple[Figure, str] | None:
    """For data drawn whole: its busiest ``days`` days again, when they hold ``min_links`` links or more (the
    bundled data's January 2020 is a knot at two years' scale)."""
    if arrow_window(events, a) is not None or a.chains is None or not len(a.chains.links):
        return None
    start, end = busiest_window(events, a, days)
    inside = a.chains.links["response_date"].between(start, end + pd.Timedelta(days=1), inclusive="left")
    if int(inside.sum()) < min_links:
        return None
    shown = events.between(start, end)
    fig, ax = _new(3.4)
    plotting.timeline(shown, links=a.chains.links, ax=ax, all_sides=events.side_list(), label_top=6,
                      ladder=a.ladder)  # fmt: skip
    return fig, (f"The busiest {days} days, {start:%d %b %Y} to {end:%d %b %Y} ({int(inside.sum())} links), drawn "
                 f"as in the figure above. {caption_tail(shown)}")  # fmt: skip


def ladder(events: Events, a: Analyses) -> tuple[Figure, str]:
    fig, ax = _new(3.0)
    plotting.ladder_over_time(events, ax=ax, ladder=a.ladder)
    return fig, (f"Ladder rank of each event (points, jittered) and each side's highest rank per month (lines). "
                 f"{caption_tail(events)}")  # fmt: skip


def event_map(events: Events) -> tuple[Figure, str]:
    from ..plotting._borders import SOURCE

    fig, ax = _new(4.6)
    plotting.event_map(events, ax=ax)
    n = int(events.frame["latitude"].notna().sum())
    return fig, (f"Events with coordinates ({n} of {len(events.frame)}), by acting side, sized by deaths; "
                 f"borders: {SOURCE}. {caption_tail(events)}")  # fmt: skip


def chain(events: Events, a: Analyses, chain_id: int) -> tuple[Figure, str]:
    assert a.chains is not None
    fig, ax = _new(2.8)
    plotting.chain_diagram(a.chains, chain_id, ax=ax, max_events=CHAIN_BOXES)
    row = a.chains.chains.set_index("chain_id").loc[chain_id].to_dict()
    return fig, (f"Chain {chain_id}, {row['start']:%d %b %Y} to {row['end']:%d %b %Y}: {int(row['n_events'])} "
                 f"{events.unit}s, {int(row['n_steps'])} steps; boxes are {events.unit}s in their side's lane, "
                 "arrows are links labelled with the days between; solid stated, dashed inferred. Source: "
                 f"{esc_html(source_name(events))}.")  # fmt: skip


def step_intervals(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.chains is not None
    fig, ax = _new(2.6)
    plotting.interval_histogram(a.chains.links, ax=ax)
    return fig, (f"Days from trigger to response, {len(a.chains.links)} links (stated and inferred). "
                 f"{caption_tail(events)}")  # fmt: skip


def time_to_response(events: Events, a: Analyses, min_events: int) -> tuple[Figure, str]:
    assert a.ttr is not None
    fig, ax = _new(3.2)
    a.ttr.plot(ax=ax, min_events=min_events)
    return fig, (f"Share of each side's {events.unit}s not yet answered by the other side, by days since the "
                 f"{events.unit} (Kaplan-Meier, 95% bands; ticks are censored {events.unit}s); "
                 f"{len(a.ttr.table)} {events.unit}s at risk. {caption_tail(events)}")  # fmt: skip


def reciprocity(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.reciprocity is not None
    r = a.reciprocity
    fig, axes = _new(2.9, ncols=2)
    r.plot(ax=axes[0], title="Impulse responses")
    plotting.side_counts(r.series, ax=axes[1], freq="M", title=f"{r.measure} per month", all_sides=r.all_sides)
    return fig, (f"Left: impulse responses of the VAR with 95% bands. Right: {esc_html(r.measure)} per month by "
                 f"acting side, the series the models use. {caption_tail(events)}")  # fmt: skip


def hawkes(events: Events, a: Analyses) -> list[tuple[Figure, str]]:
    assert a.hawkes is not None
    h = a.hawkes
    fig1, ax = _new(2.8)
    h.plot(ax=ax, kind="intensity")
    fig2, axes = _new(3.0, ncols=2)
    h.plot(ax=axes[0], kind="adjacency")
    h.plot(ax=axes[1], kind="qq", title="Goodness of fit")
    tail = caption_tail(events)
    return [
        (fig1, f"Conditional intensity by side from the fitted Hawkes process ({events.unit}s per day). {tail}"),
        (fig2, "Left: excitation between sides (expected events of the row side set off by one of the column "
               "side). Right: time-rescaled residuals against the exponential; points off the line mean misfit. "
               f"{tail}"),
    ]  # fmt: skip


def episodes(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.episodes is not None
    fig, ax = _new(2.8)
    a.episodes.plot(ax=ax)
    return fig, (f"Episodes: each dyad's activity split at gaps of at least {esc_html(a.calm)}; "
                 f"{len(a.episodes.episodes)} episodes. {caption_tail(events)}")  # fmt: skip


class Numbering:
    """Shows figures in order with "Figure n." captions (the notebook's one piece of state)."""

    def __init__(self) -> None:
        self.n = 0

    def show(self, fig: Figure, caption: str) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import HTML, display

        self.n += 1
        display(fig)
        plt.close(fig)
        display(HTML(f"<p class='caption'><b>Figure {self.n}.</b> {caption}</p>"))
