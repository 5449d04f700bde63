from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
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


def test_chain_diagram_draws_steps_and_caps_large_chains(result):
    ax = esc.plotting.chain_diagram(result, 1)
    boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert len(boxes) == result.chains.set_index("chain_id").loc[1, "n_events"]
    assert sum(t.get_text().endswith(" d") for t in ax.texts) == len(result.chain(1))
    plt.close(ax.figure)
    ax = esc.plotting.chain_diagram(result, 1, max_events=4)
    assert len([t for t in ax.texts if t.get_bbox_patch() is not None]) == 4
    assert "first 4 events shown" in ax.get_title()
    plt.close(ax.figure)


def test_ladder_over_time_and_map(result):
    ev = result.events
    ax = esc.plotting.ladder_over_time(ev)
    assert sum(len(c.get_offsets()) for c in ax.collections) == int(esc.ladder.event_ranks(ev.frame).notna().sum())
    plt.close(ax.figure)
    ax = esc.plotting.event_map(ev)
    with_coords = int(ev.frame["latitude"].notna().sum())
    assert sum(len(c.get_offsets()) for c in ax.collections) == with_coords
    assert f"{len(ev.frame) - with_coords} without coordinates" in ax.get_title()
    plt.close(ax.figure)
