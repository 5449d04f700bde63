from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.events.ladder import event_ranks
from escalation.plotting._labels import overlapping


@pytest.fixture(scope="module")
def result():
    return esc.chains(esc.datasets.load_iraq_2019_2021())


def test_timeline_draws_every_event_and_link(result):
    fig, ax = plt.subplots()
    out = result.plot(ax=ax, label_top=0)
    assert out is ax
    n_points = sum(len(c.get_offsets()) for c in ax.collections)
    assert n_points == len(result.events.frame)
    arrows = [a for a in ax.texts if a.arrow_patch is not None]
    assert len(arrows) == len(result.links)
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(result.events.frame["actor_side"].unique())
    plt.close(fig)


def test_timeline_labels_key_events(result):
    ax = esc.plotting.timeline(result.events, label_top=3)
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    assert any("targeted killing" in s for s in labels)
    plt.close(ax.figure)


def test_episode_bars(result):
    ep = esc.episodes(result.events)
    ax = ep.plot()
    assert len(ax.patches) == len(ep.episodes)
    plt.close(ax.figure)


def test_chain_diagram_draws_steps_and_summarises_large_chains(result):
    _, wide = plt.subplots(figsize=(18, 4), layout="constrained")  # room for every box of the chain
    ax = esc.plotting.chain_diagram(result, 1, ax=wide, max_events=100)
    boxes = [t for t in ax.texts if "\n" in t.get_text()]
    assert len(boxes) == result.chains.set_index("chain_id").loc[1, "n_events"]
    # every step's interval is labelled, or counted in the title as left out for want of room
    labelled = sum(bool(t.get_text()) and "\n" not in t.get_text() for t in ax.texts)  # boxes: date, what, killed
    missing = re.search(r"\((\d+) intervals? not labelled: no room\)", ax.get_title())
    assert labelled + (int(missing.group(1)) if missing else 0) == len(result.chain(1))
    assert labelled >= 1
    plt.close(ax.figure)
    narrow = esc.plotting.chain_diagram(result, 1, max_events=100)  # the default size: boxes are fewer, not piled
    assert len([t for t in narrow.texts if "\n" in t.get_text()]) < len(boxes)
    assert not overlapping(narrow) and "strongest steps shown" in narrow.get_title()
    plt.close(narrow.figure)
    ax = esc.plotting.chain_diagram(result, 1, max_events=4)
    boxes = [t for t in ax.texts if "\n" in t.get_text()]
    assert 2 <= len(boxes) <= 4
    assert "strongest steps shown" in ax.get_title()
    # Stated steps are the strongest: the first stated step of the chain is among those drawn.
    stated = result.chain(1)
    stated = stated[stated["link_kind"] == "stated"]
    if len(stated):
        shown = {t.get_text().split("\n")[0] for t in boxes}
        assert f"{stated['response_date'].iloc[0]:%Y-%m-%d}" in shown
    plt.close(ax.figure)


def test_ladder_over_time_and_map(result):
    ev = result.events
    ax = esc.plotting.ladder_over_time(ev)
    assert sum(len(c.get_offsets()) for c in ax.collections) == int(event_ranks(ev.frame).notna().sum())
    plt.close(ax.figure)
    ax = esc.plotting.event_map(ev)
    from matplotlib.collections import PathCollection, PolyCollection

    with_coords = int(ev.frame["latitude"].notna().sum())
    assert sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)) == with_coords
    assert f"{len(ev.frame) - with_coords} without coordinates" in ax.get_title()
    # Country outlines from the shipped Natural Earth file: Iraq and Syria are drawn and named.
    assert any(isinstance(c, PolyCollection) for c in ax.collections)
    assert {"Iraq", "Syria"} <= {t.get_text() for t in ax.texts}
    plt.close(ax.figure)


def test_a_side_has_one_colour_in_every_figure():
    """Israel and Palestinians act; American and Jordanian are only targets: the Hawkes, reciprocity and trend
    figures (which see only the acting sides) colour each side as the timeline does (which sees all four)."""
    from matplotlib.colors import to_hex

    from escalation.plotting.style import side_colours

    rng = np.random.default_rng(2)
    n = 300
    actor = rng.choice(["Israel", "Palestinians"], n)
    target = np.where(rng.random(n) < 0.1, rng.choice(["American", "Jordanian"], n),
                      np.where(actor == "Israel", "Palestinians", "Israel"))  # fmt: skip
    days = pd.Timestamp("2001-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 400, n)), unit="D")
    ev = esc.read_events(pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "actor": actor, "target": target}))
    everywhere = {side: to_hex(c) for side, c in side_colours(ev.side_list()).items()}
    assert len(set(everywhere.values())) == 4
    ax = esc.fit_hawkes(ev).plot(kind="intensity")
    drawn = {
        line.get_label(): to_hex(line.get_color()) for line in ax.get_lines() if not line.get_label().startswith("_")
    }
    assert drawn == {"Israel": everywhere["Israel"], "Palestinians": everywhere["Palestinians"]}
    r = esc.reciprocity(ev, freq="W", measure="events", lags=1, count_models=False)
    ax = esc.plotting.side_counts(r.series, all_sides=r.all_sides)
    drawn = {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines()}
    assert drawn == {"Israel": everywhere["Israel"], "Palestinians": everywhere["Palestinians"]}
    ax = esc.trend(ev, measures=("events",)).plot()  # drew Palestinians in the second colour, not the fourth
    drawn = {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines() if line.get_linestyle() == "-"}
    assert drawn == {"Israel": everywhere["Israel"], "Palestinians": everywhere["Palestinians"]}
    assert (
        to_hex(side_colours(["Israel -> Palestinians"], ev.side_list())["Israel -> Palestinians"])
        == everywhere["Israel"]
    )


def test_a_colour_the_sides_file_fixes_reaches_the_models_own_figures():
    """The bundled sides file fixes the United States' colour. In data of the US and the militias alone, sorted
    colours would give it another; the Hawkes, reciprocity and forecast results keep the data's palette, so their
    own figures draw it in its colour, as every report figure does."""
    from matplotlib.colors import to_hex

    us, militias = "United States", "Iran-aligned militias"
    cut = esc.datasets.load_iraq_2019_2021().where(actor_side=[us, militias], target_side=[us, militias])
    fixed = cut.palette()[us]
    assert fixed == "#cc79a7"

    def named(ax):
        return {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines()
                if not line.get_label().startswith("_")}  # fmt: skip

    assert named(esc.fit_hawkes(cut).plot(kind="intensity"))[us] == fixed
    r = esc.reciprocity(cut, freq="W", measure="events", lags=1, count_models=False, min_active_periods=2)
    assert named(esc.plotting.side_counts(r.series, all_sides=r.all_sides))[us] == fixed
    forecast = esc.forecast(cut)
    bars = [to_hex(p.get_facecolor()) for p in forecast.plot().patches]
    assert bars[forecast.table["side"].tolist().index(us)] == fixed
    plt.close("all")


def test_km_curves_leave_out_groups_too_small_to_draw():
    ttr = esc.time_to_response(esc.datasets.load_iraq_2019_2021())
    sizes = ttr.table["group"].value_counts()
    fig, ax = plt.subplots()
    ttr.plot(ax=ax, min_events=5, chance=False)
    drawn = {line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert drawn == set(sizes[sizes >= 5].index) and len(drawn) < len(sizes)
    plt.close(fig)
    from escalation.report.text import undrawn_groups

    note = undrawn_groups(ttr)
    assert all(g in note for g in sizes[sizes < 5].index)


def test_lumping_keeps_every_event_and_the_main_sides_as_they_were():
    from escalation.plotting.style import OTHER_SIDES, side_colours

    ev = esc.datasets.load_iraq_2019_2021()
    main = esc.plotting.main_sides(ev, 2)
    counts = ev.frame["actor_side"].astype(str).value_counts()
    assert main == counts.index[:2].tolist() and counts.iloc[1] > counts.iloc[2]
    lumped = esc.plotting.lump_sides(ev, 2)
    assert len(lumped.frame) == len(ev.frame)
    assert lumped.frame["actor_side"].value_counts()[OTHER_SIDES] == counts.iloc[2:].sum()
    for side in main:
        assert (lumped.frame["actor_side"] == side).sum() == counts[side]
    assert esc.plotting.lump_sides(ev, 4) is ev  # four sides fit: nothing to lump
    # a side outside the universe takes a colour after the universe's, never one of theirs
    base = side_colours(main, main)
    more = side_colours([*main, "Iraq"], main)
    assert {s: more[s] for s in main} == base and more["Iraq"] not in base.values()


def test_only_the_chosen_curves_and_directions_are_drawn():
    ev = esc.datasets.load_iraq_2019_2021()
    ttr = esc.time_to_response(ev)
    answered = ttr.table.groupby("group", observed=True)["answered"].sum()
    first = min(answered.index, key=lambda g: (-int(answered[g]), str(g)))
    ax = esc.plotting.km_curves(ttr, most=1, chance=False)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [str(first)]
    r = esc.reciprocity(ev, freq="W", measure="events", lags=1, count_models=False)
    cause, effect = r.series.columns[0], r.series.columns[1]
    ax = esc.plotting.impulse_responses(r, directions=[(cause, effect)])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"{effect} after {cause}"]
    plt.close("all")


def test_the_mean_ladder_line_is_each_sides_monthly_mean_rank():
    from escalation.events.ladder import event_ranks

    ev = esc.datasets.load_iraq_2019_2021()
    ax = esc.plotting.ladder_over_time(ev, summary="mean", points=False)
    f = ev.frame.assign(rank=event_ranks(ev.frame, None), month=ev.frame["date"].dt.to_period("M"))
    us = f[(f["actor_side"] == "United States") & f["rank"].notna()]
    expected = us.groupby("month")["rank"].mean()
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "United States"]
    drawn = pd.Series(line.get_ydata(), index=pd.DatetimeIndex(line.get_xdata()).to_period("M")).dropna()
    drawn = drawn[~drawn.index.duplicated()]  # a step line repeats its last point
    assert drawn.to_dict() == pytest.approx(expected.to_dict())
    assert not ax.collections  # no points
    with pytest.raises(esc.errors.UsageError, match="summary must be"):
        esc.plotting.ladder_over_time(ev, summary="median")
    plt.close("all")


def test_a_dense_timeline_draws_one_marker_per_side_and_day():
    # 2 sides x 60 days, 3 events a side a day: 360 events, 120 side-days; a hand count of the day pairs linked
    from matplotlib.collections import LineCollection, PathCollection

    days = pd.date_range("2014-07-01", periods=60, freq="D")
    rows = [(f"{s}{d:%m%d}{k}", d, s, "B" if s == "A" else "A", "airstrike" if k == 0 else "gunfire")
            for d in days for s in "AB" for k in range(3)]  # fmt: skip
    ev = esc.read_events(pd.DataFrame(rows, columns=["event_id", "date", "actor", "target", "event_type"]))
    links = esc.link(ev, window="3D")
    ax = esc.plotting.timeline(ev, links=links)
    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert points == 120
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    day = ev.frame.set_index("event_id")["date"].dt.normalize()
    side = ev.frame.set_index("event_id")["actor_side"].astype(str)
    pairs = {(side[t], day[t], side[r], day[r]) for t, r in zip(links["trigger_id"], links["response_id"], strict=True)
             if (side[t], day[t]) != (side[r], day[r])}  # fmt: skip
    assert len(lines.get_segments()) == len(pairs)
    assert not overlapping(ax)
    plt.close(ax.figure)
    sparse = esc.plotting.timeline(ev.between("2014-07-01", "2014-07-10"), links=links, aggregate=False)
    assert sum(len(c.get_offsets()) for c in sparse.collections if isinstance(c, PathCollection)) == 60
    plt.close(sparse.figure)


def test_an_answer_delay_figure_with_nothing_to_draw_says_so():
    """On the bundled data no direction's answers are above zero: the figure says it, not an empty frame."""
    result = esc.answer_delay(esc.datasets.load_iraq_2019_2021())
    assert not (result.table["lower"] > 0).any()
    ax = result.plot()
    assert not ax.get_lines() and "above zero" in " ".join(t.get_text() for t in ax.texts)
    plt.close("all")
