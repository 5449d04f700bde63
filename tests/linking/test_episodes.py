from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation as esc
from escalation.cli import main


def table(rows):
    return pd.DataFrame(rows, columns=["date", "actor", "target", "fatalities"])


def test_hand_computed_episodes():
    t = table(
        [
            ("2020-01-01", "A", "B", 1),
            ("2020-01-02", "B", "A", 2),
            ("2020-01-03", "B", "A", 0),
            ("2020-01-04", "A", "B", 5),  # gap 1 day: same episode; switches A>B, B>A = 2
            ("2020-01-10", "A", "B", 1),  # gap 6 days >= 3: new, one-sided episode
            ("2020-01-12", "A", "C", 1),  # another dyad
        ]
    )
    ep = esc.episodes(t, calm="3D").episodes
    ab = ep[(ep["side_a"] == "A") & (ep["side_b"] == "B")]
    assert ab[["n_events", "events_a", "events_b", "counter_retaliations"]].values.tolist() == [
        [4, 2, 2, 2],
        [1, 1, 0, 0],
    ]
    assert ab["started_by"].tolist() == ["A", "A"] and ab["ended_by"].tolist() == ["A", "A"]
    assert ab["one_sided"].tolist() == [False, True]
    assert ab["fatalities_a"].tolist() == [6, 1] and ab["fatalities_b"].iloc[0] == 2
    assert ab["duration_days"].tolist() == [3.0, 0.0]
    assert len(ep) == 3


def test_gap_exactly_calm_splits():
    t = table([("2020-01-01", "A", "B", 0), ("2020-01-04", "B", "A", 0)])
    assert len(esc.episodes(t, calm="3D").episodes) == 2
    assert len(esc.episodes(t, calm="4D").episodes) == 1


def test_summary_on_bundled_data():
    result = esc.episodes(esc.datasets.load_iraq_2019_2021(), calm="3D")
    summary = result.summary()
    s = summary[(summary["side_a"] == "Iran-aligned militias") & (summary["side_b"] == "United States")].iloc[0]
    assert (
        s["episodes"]
        == result.episodes.query("side_a == 'Iran-aligned militias' and side_b == 'United States'").shape[0]
    )
    assert s["started_by_a"] + s["started_by_b"] == s["episodes"]
    assert result.distribution.to_numpy().sum() == len(result.episodes)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from("ABC"), st.sampled_from("ABC")), min_size=1, max_size=40))
def test_every_dyadic_event_is_in_exactly_one_episode(rows):
    t = pd.DataFrame(
        [(str(pd.Timestamp("2020-01-01") + pd.Timedelta(days=d))[:10], a, b) for d, a, b in rows],
        columns=["date", "actor", "target"],
    )
    ep = esc.episodes(t, calm="3D").episodes
    dyadic = int((t["actor"] != t["target"]).sum())
    assert ep["n_events"].sum() == dyadic
    assert (ep["events_a"] + ep["events_b"] == ep["n_events"]).all()
    assert (ep["counter_retaliations"] <= ep["n_events"] - 1).all()


def test_cli_episodes(tmp_path, capsys):
    out = tmp_path / "ep.csv"
    assert main(["episodes", "--calm", "7D", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert len(pd.read_csv(out)) > 0


def test_same_day_untimed_events_are_simultaneous_not_switches():
    t = pd.DataFrame(
        {
            "event_id": ["z1", "a1", "b1", "b2", "c1"],  # ids chosen so that id order would say B then A
            "date": ["2020-01-01", "2020-01-01", "2020-01-02", "2020-01-03", "2020-01-03"],
            "actor": ["B", "A", "A", "B", "A"],
            "target": ["A", "B", "B", "A", "B"],
        }
    )
    ep = esc.episodes(t, calm="3D").episodes.iloc[0]
    # Days: {A, B} mixed, then A, then {A, B} mixed: no order can be told, so no switch and no starter.
    assert ep["counter_retaliations"] == 0 and ep["simultaneous"] == 2
    assert pd.isna(ep["started_by"]) and pd.isna(ep["ended_by"])
    s = esc.episodes(t, calm="3D").summary().iloc[0]
    assert s["started_simultaneous"] == 1 and s["started_by_a"] == 0 and s["started_by_b"] == 0


def test_same_day_events_with_clock_times_are_ordered():
    t = pd.DataFrame(
        {
            "date": ["2020-01-01 08:00", "2020-01-01 09:30", "2020-01-01 17:00"],
            "actor": ["B", "A", "B"],
            "target": ["A", "B", "A"],
        }
    )
    ep = esc.episodes(t, calm="3D").episodes.iloc[0]
    assert ep["counter_retaliations"] == 2 and ep["simultaneous"] == 0
    assert ep["started_by"] == "B" and ep["ended_by"] == "B"


def test_btselem_counter_retaliations_are_between_days(btselem_path):
    from ..conftest import BTSELEM_COLUMNS, EXAMPLES

    ev = esc.read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    ep = esc.episodes(ev, calm="3D").episodes
    # Rows were victims and same-day rows were ordered by id: one episode had 128 "counter-retaliations".
    assert ep["counter_retaliations"].max() < 20
    # a switch needs two days, so it can never exceed the episode's days
    days = (ep["end"] - ep["start"]).dt.days + 1
    assert (ep["counter_retaliations"] < days).all()
