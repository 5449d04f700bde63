from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import escalation as esc


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
    ax = esc.plotting.chain_diagram(result, 1, max_events=100)
    boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert len(boxes) == result.chains.set_index("chain_id").loc[1, "n_events"]
    assert sum(t.get_text().endswith(" d") for t in ax.texts) == len(result.chain(1))
    plt.close(ax.figure)
    ax = esc.plotting.chain_diagram(result, 1, max_events=4)
    boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
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
    assert sum(len(c.get_offsets()) for c in ax.collections) == int(esc.ladder.event_ranks(ev.frame).notna().sum())
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
    """Israel and Palestinians act; American and Jordanian are only targets: the Hawkes and reciprocity
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
    assert (
        to_hex(side_colours(["Israel -> Palestinians"], ev.side_list())["Israel -> Palestinians"])
        == everywhere["Israel"]
    )


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
