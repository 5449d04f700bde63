"""The report's figures: each a function of the data and the analyses, returning the figure and its caption.

Figures are drawn at their printed size (at most :data:`PAGE_WIDTH` inches, the A4 text width of the page
template) with :data:`STYLE`, so that no text in them is smaller than 7 pt on paper; the notebook shows them
with IPython's "retina" PNGs, whose HTML width is the figure's width at 96 pixels an inch, which is the size
WeasyPrint prints them at. Every caption states what is counted, how many, the period and the source.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import plotting
from .._core.time import PERIODS
from .._core.words import possessive
from ..events.table import Events
from ..plotting.style import MOST_SIDES, OTHER_SIDES, main_sides
from .analyses import Analyses
from .text import credited, esc_html

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
    # a side named "$100 bn fund$" is text, not mathematics (mathtext broke the report on such names)
    "text.parse_math": False,
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
            f"source: {esc_html(credited(events))}.")  # fmt: skip


def crowded(events: Events) -> bool:
    """More sides than a figure can tell apart by colour (:data:`MOST_SIDES`)."""
    return len(events.side_list()) > MOST_SIDES


def palette(events: Events) -> dict[str, str | None]:
    """The data's sides in the order they take colours, the same in every figure, with the colours the sides
    file fixes (:meth:`Events.palette`): sorted, or when crowded the most active first (the rest are grey
    "other sides" where sides are stacked or mapped, and take the later colours where they are named: chains,
    episodes, answers)."""
    fixed = events.palette()
    if not crowded(events):
        return fixed
    main = main_sides(events, MOST_SIDES)
    return {side: fixed.get(side) for side in main + [side for side in events.side_list() if side not in main]}


def lumped_note(events: Events) -> str:
    """What a caption says when the less active sides are drawn as one grey "other sides"."""
    if not crowded(events):
        return ""
    rest = len(events.side_list()) - MOST_SIDES
    return f'The {rest} sides beyond the {MOST_SIDES} most active are drawn grey as "{OTHER_SIDES}". '


#: A side with less than this share of the events is a sliver in stacked bars: the sides get a row each.
SLIVER = 0.15


def monthly(events: Events) -> tuple[Figure, str]:
    """Events and known deaths per month, stacked by acting side: the timeline of the whole period; a row per
    side, each on its own scale, when a side would be a sliver of the stack (:data:`SLIVER`)."""
    shares = events.frame["actor_side"].astype(str).value_counts(normalize=True)
    if 2 <= len(shares) <= 4 and float(shares.min()) < SLIVER:
        return _monthly_rows(events, shares)
    fig, (top, bottom) = _new(4.6, nrows=2, sharex=True)
    shown = plotting.lump_sides(events, MOST_SIDES)
    plotting.monthly_bars(shown, ax=top, all_sides=palette(events))
    plotting.monthly_bars(shown, measure="fatalities", ax=bottom, all_sides=palette(events))
    handles, labels = top.get_legend_handles_labels()
    top.get_legend().remove()
    bottom.get_legend().remove()
    longest = max((len(label) for label in labels), default=1)
    fig.legend(handles, labels, loc="outside lower center", ncols=max(1, min(4, 110 // longest)), frameon=False,
               fontsize="small")  # fmt: skip
    unit = "incidents" if events.members is not None else "events"
    return fig, (f"{unit.capitalize()} (top) and known deaths (bottom) per calendar month, stacked by acting "
                 f"side; unknown death counts count as none. {lumped_note(events)}{caption_tail(events)}")  # fmt: skip


def _monthly_rows(events: Events, shares: pd.Series) -> tuple[Figure, str]:
    """:func:`monthly` with one row per acting side (most active first), events left and deaths right."""
    from matplotlib.ticker import MaxNLocator

    sides = list(shares.index)
    unit = "incidents" if events.members is not None else "events"
    fig, axes = _new(1.0 + 1.45 * len(sides), ncols=2, nrows=len(sides), sharex=True, squeeze=False)
    for row, side in enumerate(sides):
        own = events.where(actor_side=side)
        for col, measure in enumerate(("events", "fatalities")):
            ax = axes[row][col]
            plotting.monthly_bars(own, measure=measure, ax=ax, all_sides=palette(events))
            ax.get_legend().remove()
            ax.set_ylabel("")
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))  # counts: whole numbers, from 0
            ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
            what = f"{unit} by {side}" if measure == "events" else f"deaths in {possessive(side)} {unit}"
            ax.set_title(f"{what} per month", fontsize="small", loc="left")
    smallest = shares.index[-1]
    return fig, (f"{unit.capitalize()} (left) and known deaths in them (right) per calendar month, one row per acting "
                 f"side, each on its own scale ({100 * float(shares.iloc[-1]):.0f}% of the {unit} are "
                 f"{esc_html(possessive(str(smallest)))}: stacked, their bars would be a sliver); unknown death "
                 f"counts count as none. {caption_tail(events)}")  # fmt: skip


def busiest_window(events: Events, a: Analyses, days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The ``days`` days (first and last) holding the most links, or the most events when there are none."""
    if a.chains is not None and len(a.chains.links):
        dates = a.chains.links["response_date"].dt.normalize()
    else:
        dates = events.frame["date"].dt.normalize()
    daily = dates.value_counts().sort_index().asfreq("D", fill_value=0)
    end = daily.rolling(days, min_periods=1).sum().idxmax()
    # trimmed to the days with links (or events): a window that starts before the first event says nothing
    inside = daily[end - pd.Timedelta(days=days - 1) : end]
    busy = inside.index[inside.to_numpy() > 0]
    start = busy[0]
    if a.chains is not None and len(a.chains.links):  # and opened to the triggers of its links: no arrow off the axis
        links = a.chains.links
        counted = links["response_date"].dt.normalize().between(busy[0], busy[-1])
        start = min(start, links.loc[counted, "trigger_date"].dt.normalize().min())
    return start, busy[-1]


def arrow_window(events: Events, a: Analyses) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The window the arrow timeline shows: None (the whole period) up to :data:`DENSE_EVENTS` events, else
    the busiest :data:`WINDOW_DAYS` days."""
    return None if len(events.frame) <= DENSE_EVENTS else busiest_window(events, a, WINDOW_DAYS)


def timeline_intro(events: Events, a: Analyses) -> str:
    """What the Timeline section draws, with the numbers the figures use."""
    if arrow_window(events, a) is None:
        return (f"<p>The whole period as monthly bars; then every {events.unit} and link as arrows (the whole "
                f"period has at most {DENSE_EVENTS} {events.unit}s), with its busiest {ZOOM_DAYS} days again when "
                f"they hold {ZOOM_LINKS} links or more.</p>")  # fmt: skip
    return (
        f"<p>The whole period as monthly bars; then links as arrows for its busiest {WINDOW_DAYS} days (more "
        f"than {DENSE_EVENTS} {events.unit}s in all: drawn whole, the arrows would not read).</p>"
    )


def timeline(events: Events, a: Analyses) -> tuple[Figure, str]:
    """The arrow timeline: whole when sparse, else its busiest days."""
    window = arrow_window(events, a)
    shown = events if window is None else events.between(window[0], window[1])
    links = a.chains.links if a.chains is not None else None
    fig, ax = _new(3.6 + 0.15 * max(0, min(len(events.side_list()), MOST_SIDES + 1) - 4))
    plotting.timeline(plotting.lump_sides(shown, MOST_SIDES) if crowded(events) else shown, links=links, ax=ax,
                      all_sides=palette(events), label_top=4, ladder=a.ladder)  # fmt: skip
    where = ("" if window is None else
             f"The {WINDOW_DAYS} days with the most links ({window[0]:%d %b %Y} to {window[1]:%d %b %Y}, from the "
             "first trigger to the last response); the whole period is in the monthly bars above. ")  # fmt: skip
    return fig, where + _timeline_key(len(shown.frame), events.unit) + f"{lumped_note(events)}{caption_tail(shown)}"


def _timeline_key(n_shown: int, unit: str) -> str:
    """How :func:`escalation.plotting.timeline` drew, in its caption: event by event, or side-day by side-day."""
    from ..plotting.timeline import AGGREGATE_EVENTS

    if n_shown > AGGREGATE_EVENTS:
        return (f"One lane per acting side; one marker per side and day ({n_shown} {unit}s are too many to draw one "
                f"by one), sized by its {unit}s and shaped by the highest ladder rank among them. Lines join the days "
                "of triggers and responses, thicker for more links, coloured by their most common step: crimson up "
                "the ladder, black matched, violet down. ")  # fmt: skip
    return (
        "One lane per acting side; marker size grows with deaths (hollow: unknown), shape with the ladder rank. "
        "Arrows join triggers to responses: solid when stated, dashed when inferred; crimson steps went up the "
        "ladder, black matched, violet went down. "
    )


#: The busiest days drawn again under a timeline drawn whole, when they hold this many links.
ZOOM_DAYS, ZOOM_LINKS = 45, 10


def zoom(events: Events, a: Analyses, days: int = ZOOM_DAYS, min_links: int = ZOOM_LINKS) -> tuple[Figure, str] | None:
    """For data drawn whole: its busiest ``days`` days again, when they hold ``min_links`` links or more (the
    bundled data's January 2020 is a knot at two years' scale)."""
    if arrow_window(events, a) is not None or a.chains is None or not len(a.chains.links):
        return None
    start, end = busiest_window(events, a, days)
    links = a.chains.links
    next_day = end + pd.Timedelta(days=1)
    inside = (links["response_date"].between(start, next_day, inclusive="left")
              & links["trigger_date"].between(start, next_day, inclusive="left"))  # fmt: skip
    if int(inside.sum()) < min_links:
        return None
    shown = events.between(start, end)
    fig, ax = _new(3.4)
    plotting.timeline(plotting.lump_sides(shown, MOST_SIDES) if crowded(events) else shown, links=a.chains.links,
                      ax=ax, all_sides=palette(events), label_top=6, ladder=a.ladder)  # fmt: skip
    return fig, (f"The busiest {days} days, with {int(inside.sum())} links: {start:%d %b %Y} to {end:%d %b %Y}, "
                 "from the first trigger to the last response, drawn as in the figure above. "
                 f"{caption_tail(shown)}")  # fmt: skip


def ladder(events: Events, a: Analyses) -> tuple[Figure, str]:
    """Ladder ranks over time: every event and each side's monthly top rung when sparse; each side's monthly
    mean rank (what the trend test tests) when dense, where points are a band and the top rung is always 7."""
    fig, ax = _new(3.0)
    dense = len(events.frame) > DENSE_EVENTS
    plotting.ladder_over_time(plotting.lump_sides(events, MOST_SIDES), ax=ax, ladder=a.ladder,
                              summary="mean" if dense else "max", points=not dense,
                              all_sides=palette(events))  # fmt: skip
    what = ("Each side's mean ladder rank per month, the measure of the trend test (months without ranked "
            f"{events.unit}s are gaps). " if dense else "Ladder rank of each event (points, jittered) and each "
            "side's highest rank per month (lines). ")  # fmt: skip
    return fig, f"{what}{lumped_note(events)}{caption_tail(events)}"


def event_map(events: Events) -> tuple[Figure, str]:
    from ..plotting._borders import SOURCE

    fig, ax = _new(4.6)
    plotting.event_map(plotting.lump_sides(events, MOST_SIDES), ax=ax, all_sides=palette(events))
    n = int(events.frame["latitude"].notna().sum())
    return fig, (f"Events with coordinates ({n} of {len(events.frame)}), by acting side, sized by deaths; "
                 f"borders: {SOURCE}. {lumped_note(events)}{caption_tail(events)}")  # fmt: skip


def chain(events: Events, a: Analyses, chain_id: int) -> tuple[Figure, str]:
    assert a.chains is not None
    fig, ax = _new(2.8)
    plotting.chain_diagram(a.chains, chain_id, ax=ax, max_events=CHAIN_BOXES, all_sides=palette(events))
    row = a.chains.chains.set_index("chain_id").loc[chain_id].to_dict()
    return fig, (f"Chain {chain_id}, {row['start']:%d %b %Y} to {row['end']:%d %b %Y}: {int(row['n_events'])} "
                 f"{events.unit}s, {int(row['n_steps'])} steps; boxes are {events.unit}s in their side's lane, "
                 "arrows are links labelled with the days between; solid stated, dashed inferred. Source: "
                 f"{esc_html(credited(events))}.")  # fmt: skip


def step_intervals(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.chains is not None
    fig, ax = _new(2.6)
    plotting.interval_histogram(a.chains.links, ax=ax)
    return fig, (f"Days from trigger to response, {len(a.chains.links)} links (stated and inferred). "
                 f"{caption_tail(events)}")  # fmt: skip


def time_to_response(events: Events, a: Analyses, min_events: int) -> tuple[Figure, str]:
    assert a.ttr is not None
    fig, ax = _new(3.2)
    most = MOST_SIDES if crowded(events) else None
    a.ttr.plot(ax=ax, min_events=min_events, most=most, all_sides=palette(events))
    groups = int(a.ttr.table["group"].nunique())
    which = (f"The {most} of {groups} pairs with the most answered {events.unit}s are drawn; all are in the table. "
             if most is not None and groups > most else "")  # fmt: skip
    return fig, (f"Share of each side's {events.unit}s not yet followed by the other side's next action (an answer "
                 f"or not), by days since the {events.unit} (Kaplan-Meier, 95% bands; ticks are censored "
                 f"{events.unit}s); {len(a.ttr.table)} {events.unit}s at risk. Dotted, to the answer lag: the same "
                 "with the other side's actions rotated within each block of the tide (chance). "
                 f"{which}{caption_tail(events)}")  # fmt: skip


def hazard_ratios(events: Events, result: Any) -> tuple[Figure, str]:
    """The answer model's hazard ratios beside what the tides give (:mod:`escalation.report.answers`)."""
    shown = int(np.isfinite(result.summary()["hazard_ratio"].to_numpy(float)).sum())
    fig, ax = _new(0.9 + 0.42 * shown)
    from .answers import TRAITS

    per = {term: (f"{name}, per {unit}", factor) for term, (name, unit, factor) in TRAITS.items()}
    result.plot(ax=ax, all_sides=palette(events), per=per)
    return fig, (f"Hazard ratio of the other side's next action (within {result.window / pd.Timedelta(days=1):g} "
                 "days) per doubling of deaths + 1 and per rung up, 95% interval clustered by shared answer (right "
                 "of 1: the next action came sooner); grey: 95% of what the same model gives with "
                 f"the answering side's actions rotated within each {result.tide.days}-day block. "
                 f"{caption_tail(events)}")  # fmt: skip


def reciprocity(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.reciprocity is not None
    r = a.reciprocity
    directions, which, columns = None, "", list(r.series.columns)
    if not crowded(events):
        fig, axes = _new(2.9, ncols=2)
    else:  # long names and many lines: one panel a row, legends under them
        fig, axes = _new(6.4, nrows=2)
        lead = r.tests.drop_duplicates(["cause", "effect"]).sort_values("pvalue_adjusted", kind="stable")
        directions = list(lead[["cause", "effect"]].head(4).itertuples(index=False, name=None))
        kept = set(main_sides(events, MOST_SIDES))
        columns = [c for c in columns if c.split(" -> ")[0] in kept]
        which = (f" The {len(directions)} of {len(lead)} directions with the smallest adjusted p are drawn, and the "
                 f"{len(columns)} most active sides' series.")  # fmt: skip
    r.plot(ax=axes[0], title="Impulse responses", directions=directions, all_sides=palette(events))
    plotting.side_counts(r.series[columns], ax=axes[1], freq="M", title=f"{r.measure} per month (shown)",
                         all_sides=palette(events))  # fmt: skip
    if crowded(events):
        for ax, ncol in zip(axes, (1, 2), strict=True):
            handles, labels = ax.get_legend_handles_labels()
            ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.14), ncols=ncol, frameon=False,
                      fontsize="small")  # fmt: skip
    first, second = ("Top", "Bottom") if crowded(events) else ("Left", "Right")
    return fig, (f"{first}: impulse responses of the VAR with its asymptotic 95% bands, which assume the model "
                 "and do not keep shared tides: a band that excludes zero is not a finding; the tests' p-values "
                 f"(rotations within tide blocks) are. {second}: the models' series, {esc_html(r.measure)} per "
                 f"{PERIODS[r.freq]}, summed by month for the picture.{which} {caption_tail(events)}")  # fmt: skip


def hawkes(events: Events, a: Analyses) -> list[tuple[Figure, str]]:
    assert a.hawkes is not None
    h = a.hawkes
    sides = main_sides(events, MOST_SIDES) if crowded(events) else None
    which = f" The {MOST_SIDES} most active sides are drawn." if sides is not None else ""
    fig1, ax = _new(2.8)
    h.plot(ax=ax, kind="intensity", show=sides, all_sides=palette(events))
    tail = caption_tail(events)
    if sides is None:
        fig2, axes = _new(3.0, ncols=2)
        h.plot(ax=axes[0], kind="adjacency")
        h.plot(ax=axes[1], kind="qq", title="Goodness of fit", all_sides=palette(events))
        where = ("Left: excitation between sides (expected events of the row side set off by one of the column "
                 "side). Right: time-rescaled")  # fmt: skip
    else:  # a matrix of many sides needs the page width, and its Q-Q plot its own figure
        fig2, ax2 = _new(4.8)
        h.plot(ax=ax2, kind="adjacency")
        fig3, ax3 = _new(3.0)
        h.plot(ax=ax3, kind="qq", title="Goodness of fit", sides=sides, all_sides=palette(events))
        where = "Excitation between sides (expected events of the row side set off by one of the column side)."
    figures = [
        (fig1, f"Conditional intensity by side from the fitted Hawkes process ({events.unit}s per day).{which} "
               f"{tail}"),
        (fig2, f"{where} residuals against the exponential; points off the line mean misfit. {tail}"
               if sides is None else f"{where} {tail}"),
    ]  # fmt: skip
    if sides is not None:
        figures.append((fig3, f"Time-rescaled residuals against the exponential; points off the line mean misfit."
                              f"{which} {tail}"))  # fmt: skip
    return figures


def episodes(events: Events, a: Analyses) -> tuple[Figure, str]:
    assert a.episodes is not None
    ep = a.episodes.episodes
    dyads = len(ep[["side_a", "side_b"]].drop_duplicates())
    most = 2 * MOST_SIDES if dyads > 2 * MOST_SIDES else None
    rows = min(dyads, 2 * MOST_SIDES)
    long_names = max((len(s) for s in events.side_list()), default=0) > 20  # two-line row labels, one-column legend
    starters = min(len(events.side_list()), 2 * rows) + 1
    fig, ax = _new(1.2 + (0.36 if long_names else 0.22) * rows + (0.12 * starters if long_names else 0.4))
    a.episodes.plot(ax=ax, most=most, all_sides=palette(events))
    which = f"The {most} of {dyads} dyads with the most {events.unit}s are drawn. " if most else ""
    return fig, (f"Episodes: each dyad's activity split at gaps of at least {esc_html(a.calm)}; "
                 f"{len(ep)} episodes. {which}{caption_tail(events)}")  # fmt: skip


class Numbering:
    """Shows figures in order with "Figure n." captions (the notebook's one piece of state)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, href: str | None = None) -> None:
        self.n = 0
        self.folder = None if folder is None else Path(folder)
        self.href = href

    def show(self, fig: Figure, caption: str) -> None:
        """Show ``fig`` as a 2x PNG at its printed width, its caption as the image's alternative text; with a
        folder (``escalation report --tables DIR``), also write it there as ``figure_N.svg`` (vector, for a
        paper) and link it under the caption."""
        import base64
        import html
        import io
        import re

        import matplotlib.pyplot as plt
        from IPython.display import HTML, display

        self.n += 1
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=2 * fig.dpi)
        link = ""
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"figure_{self.n}.svg"
            # no date and fixed element ids: the same data give the same file (SOURCE_DATE_EPOCH reports)
            with plt.rc_context({"svg.hashsalt": "escalation"}):
                fig.savefig(self.folder / name, format="svg", metadata={"Date": None})
            href = html.escape(f"{self.href}/{name}" if self.href else name, quote=True)
            link = f" <a class='take-away' href='{href}'>SVG</a>"
        plt.close(fig)
        width = round(fig.get_figwidth() * fig.dpi)
        alt = html.escape(f"Figure {self.n}. " + html.unescape(re.sub(r"<[^>]+>", "", caption)), quote=True)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        display(HTML(f"<img src='data:image/png;base64,{data}' width='{width}' alt=\"{alt}\">"))
        display(HTML(f"<p class='caption'><b>Figure {self.n}.</b> {caption}{link}</p>"))


def forecast(events: Events, result: Any, evaluation: Any) -> tuple[Figure, str]:
    """What is likely next (:mod:`escalation.report.ahead`): each side's chance of acting in the next 7 days,
    and, beside it, the reliability of the forecasts made in turn from the weeks before."""
    panels = 1 + (evaluation is not None)
    fig, axes = _new(0.9 + max(2.6, 0.55 * len(result.summary())) if panels == 1 else 3.4, ncols=panels)
    axes = np.atleast_1d(axes)
    result.plot(ax=axes[0], all_sides=palette(events))
    caption = (f"Chance of at least one action in the {result.horizon_days} days from {result.at:%d %B %Y}, from "
               "the Hawkes model of the events before it (bar; line: 95% interval from the estimates' "
               "uncertainty), beside the last 28 days' rate (dotted); * the side acted, x it did not.")  # fmt: skip
    if evaluation is not None:
        evaluation.plot(ax=axes[1])
        o = evaluation.table["origin"]
        caption += (f" Right: the forecasts made each week from {o.min():%d %B %Y} to {o.max():%d %B %Y}, every "
                    "side pooled, binned by forecast probability, against the share followed by an action (on the "
                    "diagonal: the forecasts mean what they say; grey: the range a calibrated forecaster's share "
                    "falls in, 95%).")  # fmt: skip
    return fig, f"{caption} {caption_tail(events)}"
