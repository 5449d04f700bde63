"""The linking rule, clause by clause, and its invariants against a brute-force reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation import UsageError, link, read_events


def ev(rows, **kwargs):
    """Events from (id, date, actor, target[, extra dict]) tuples."""
    records = []
    for r in rows:
        rec = {"event_id": r[0], "date": r[1], "actor": r[2], "target": r[3]}
        if len(r) > 4:
            rec.update(r[4])
        records.append(rec)
    events = read_events(pd.DataFrame(records), **kwargs)
    assert events.n_rejected == 0, events.rejections
    return events


def pairs(links):
    return sorted(zip(links["trigger_id"], links["response_id"], strict=True))


def test_dyad_reversal_links_to_most_recent_earlier_event():
    e = ev([("a1", "2020-01-01", "A", "B"), ("a2", "2020-01-03", "A", "B"), ("b1", "2020-01-05", "B", "A")])
    links = link(e)
    assert pairs(links) == [("a2", "b1")]
    assert links.loc[0, "interval_days"] == 2.0
    assert links.loc[0, "link_kind"] == "inferred"


def test_same_direction_and_other_dyads_are_not_linked():
    e = ev([("a1", "2020-01-01", "A", "B"), ("a2", "2020-01-02", "A", "B"), ("c1", "2020-01-03", "C", "A")])
    assert link(e).empty


def test_window_limits_inference():
    e = ev([("a1", "2020-01-01", "A", "B"), ("b1", "2020-01-31", "B", "A"), ("b2", "2020-02-01", "B", "A")])
    assert pairs(link(e, window="30D")) == [("a1", "b1")]  # exactly 30 days is within
    assert pairs(link(e, window="29D")) == []


def test_several_responses_may_answer_one_trigger():
    e = ev([("a1", "2020-01-01", "A", "B"), ("b1", "2020-01-02", "B", "A"), ("b2", "2020-01-03", "B", "A")])
    assert pairs(link(e)) == [("a1", "b1"), ("a1", "b2")]


def test_same_day_without_times_is_not_earlier():
    e = ev([("a1", "2020-01-01", "A", "B"), ("b1", "2020-01-01", "B", "A")])
    assert link(e).empty


def test_same_day_with_both_times_links_with_fractional_interval():
    e = ev([("a1", "2020-01-01T06:00", "A", "B"), ("b1", "2020-01-01T18:00", "B", "A")])
    links = link(e)
    assert pairs(links) == [("a1", "b1")]
    assert links.loc[0, "interval_days"] == pytest.approx(0.5)


def test_same_day_with_one_time_is_not_earlier():
    e = ev([("a1", "2020-01-01", "A", "B"), ("b1", "2020-01-01T18:00", "B", "A")])
    assert link(e).empty
    e = ev([("a1", "2020-01-01T06:00", "A", "B"), ("b1", "2020-01-01", "B", "A")])
    assert link(e).empty


def test_mixed_times_across_days_use_whole_days():
    e = ev([("a1", "2020-01-01T23:00", "A", "B"), ("b1", "2020-01-03", "B", "A")])
    assert link(e).loc[0, "interval_days"] == 2.0


def test_stated_link_replaces_inference():
    e = ev(
        [
            ("a1", "2020-01-01", "A", "B"),
            ("a2", "2020-01-03", "A", "B"),
            ("b1", "2020-01-05", "B", "A", {"responds_to": "a1"}),
        ]
    )
    links = link(e)
    assert pairs(links) == [("a1", "b1")]
    assert links.loc[0, "link_kind"] == "stated"
    assert links.loc[0, "interval_days"] == 4.0


def test_stated_links_ignore_window_and_dyad():
    e = ev([("x", "2019-01-01", "C", "D"), ("b1", "2020-01-05", "B", "A", {"responds_to": "x"})])
    assert pairs(link(e, window="1D")) == [("x", "b1")]


def test_sides_fold_actors_before_linking():
    e = ev(
        [("k", "2020-01-01", "Kata'ib Hezbollah", "US Army"), ("u", "2020-01-02", "US Air Force", "KH")],
        sides={"Kata'ib Hezbollah": "Militias", "KH": "Militias", "US Army": "US", "US Air Force": "US"},
    )
    assert pairs(link(e)) == [("k", "u")]


def test_max_distance_skips_far_triggers_for_nearer_earlier_ones():
    near = {"latitude": 33.30, "longitude": 44.40}
    far = {"latitude": 36.19, "longitude": 44.01}  # Erbil, ~320 km from Baghdad
    e = ev(
        [
            ("a_near", "2020-01-01", "A", "B", near),
            ("a_far", "2020-01-02", "A", "B", far),
            ("b1", "2020-01-03", "B", "A", {"latitude": 33.31, "longitude": 44.41}),
            ("b_nocoord", "2020-01-04", "B", "A"),
        ]
    )
    assert pairs(link(e)) == [("a_far", "b1"), ("a_far", "b_nocoord")]
    links = link(e, max_distance_km=50)
    assert pairs(links) == [("a_near", "b1")]
    assert links.loc[0, "distance_km"] == pytest.approx(1.43, abs=0.05)


def test_step_kinds_by_rank_then_fatalities():
    e = ev(
        [
            ("a1", "2020-01-01", "A", "B", {"event_type": "rocket attack", "fatalities": "1"}),
            ("b1", "2020-01-02", "B", "A", {"event_type": "airstrike", "fatalities": "0"}),
            ("a2", "2020-01-03", "A", "B", {"event_type": "airstrike", "fatalities": "4"}),
            ("b2", "2020-01-04", "B", "A", {"event_type": "airstrike", "fatalities": "4"}),
            ("a3", "2020-01-05", "A", "B", {"event_type": "threat"}),
            ("b3", "2020-01-06", "B", "A", {"event_type": "something new"}),
        ]
    )
    kinds = dict(zip(link(e)["response_id"], link(e)["step_kind"].astype(str), strict=True))
    assert kinds == {
        "b1": "escalation",  # rocket attack (5) -> airstrike (7)
        "a2": "escalation",  # same rank, 0 -> 4 deaths
        "b2": "proportional",  # same rank, same deaths
        "a3": "de-escalation",  # airstrike -> threat
        "b3": "unknown",  # type not on the ladder
    }


def test_intensity_overrides_ladder():
    e = ev(
        [
            ("a1", "2020-01-01", "A", "B", {"event_type": "airstrike"}),
            ("b1", "2020-01-02", "B", "A", {"event_type": "threat", "intensity": "8"}),
        ]
    )
    assert link(e).loc[0, "step_kind"] == "escalation"


def test_bad_arguments():
    e = ev([("a1", "2020-01-01", "A", "B")])
    with pytest.raises(UsageError, match="not a duration"):
        link(e, window="soon")
    with pytest.raises(UsageError, match="positive"):
        link(e, max_distance_km=-1)


# --- invariants, against a slow reference written straight from the rule -----------------------

_DAY = pd.Timedelta(days=1)


def reference_links(frame: pd.DataFrame, window_days: float) -> set[tuple[str, str]]:
    """O(n^2) inferred links straight from the rule (no stated links in these inputs)."""
    out = set()
    rows = frame.to_dict("records")
    for r in rows:
        if r["actor_side"] == r["target_side"]:
            continue
        best = None
        for t in rows:
            if (t["actor_side"], t["target_side"]) != (r["target_side"], r["actor_side"]):
                continue
            tday, rday = t["date"].normalize(), r["date"].normalize()
            both = t["has_time"] and r["has_time"]
            earlier = tday < rday or (tday == rday and both and t["date"] < r["date"])
            if not earlier:
                continue
            interval = (r["date"] - t["date"]) / _DAY if both else (rday - tday) / _DAY
            if interval > window_days:
                continue
            key = t["date"] if t["has_time"] else tday + _DAY - pd.Timedelta(seconds=1)
            rank = (key, t["date"], t["event_id"])
            if best is None or rank > best[0]:
                best = (rank, t["event_id"])
        if best is not None:
            out.add((best[1], r["event_id"]))
    return out


_event = st.tuples(
    st.integers(0, 40),  # day
    st.one_of(st.none(), st.integers(0, 23 * 60 + 59)),  # minute of day, or no time
    st.sampled_from("ABC"),
    st.sampled_from("ABC"),
)


def _table(draw_events):
    base = pd.Timestamp("2020-01-01")
    recs = []
    for i, (day, minute, a, t) in enumerate(draw_events):
        when = base + pd.Timedelta(days=day)
        date = when.strftime("%Y-%m-%d") if minute is None else (when + pd.Timedelta(minutes=minute)).isoformat()
        recs.append({"event_id": f"e{i:03d}", "date": date, "actor": a, "target": t})
    return pd.DataFrame(recs)


@settings(max_examples=150, deadline=None)
@given(st.lists(_event, min_size=1, max_size=30), st.sampled_from([1, 3, 10, 30]))
def test_matches_reference_and_invariants(events, window):
    table = _table(events)
    e = read_events(table)
    links = link(e, window=f"{window}D")
    assert set(pairs(links)) == reference_links(e.frame, window)
    f = e.frame.set_index("event_id")
    if len(links):
        t, r = f.loc[links["trigger_id"]], f.loc[links["response_id"]]
        # no link goes back in time; every inferred link reverses its dyad and lies in the window
        assert (links["interval_days"] >= 0).all()
        assert (t["date"].dt.normalize().to_numpy() <= r["date"].dt.normalize().to_numpy()).all()
        assert (t["actor_side"].to_numpy() == r["target_side"].to_numpy()).all()
        assert (t["target_side"].to_numpy() == r["actor_side"].to_numpy()).all()
        assert (links["interval_days"] <= window).all()
        # each response has at most one inferred trigger
        assert not links["response_id"].duplicated().any()


@settings(max_examples=60, deadline=None)
@given(st.lists(_event, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(events, rnd):
    table = _table(events)
    shuffled = table.sample(frac=1, random_state=rnd.randint(0, 2**31)).reset_index(drop=True)
    a, b = link(read_events(table)), link(read_events(shuffled))
    pd.testing.assert_frame_equal(a, b)
    assert np.array_equal(a["chain_id"].to_numpy(), b["chain_id"].to_numpy())


@pytest.mark.parametrize("categorical_input", [False, True])
def test_link_table_sides_and_types_are_categoricals_of_each_ends_value(categorical_input):
    e = ev([("a1", "2020-01-01", "Israel", "Hamas", {"event_type": "airstrike"}),
            ("h1", "2020-01-02", "Hamas", "Israel", {"event_type": "rocket attack"}),
            ("a2", "2020-01-04", "Israel", "Hamas"),  # no event type
            ("h2", "2020-01-05", "Hamas", "Israel", {"event_type": "rocket attack"})])  # fmt: skip
    if categorical_input:  # a frame a user built with categoricals keeps their vocabulary
        frame = e.frame.astype({"actor_side": "category", "target_side": "category", "event_type": "category"})
        e = type(e)(frame=frame, rejections=e.rejections, provenance=e.provenance, sides=e.sides)
    links = link(e)
    assert pairs(links) == [("a1", "h1"), ("a2", "h2"), ("h1", "a2")]
    by_id = e.frame.set_index("event_id")
    for end in ("trigger", "response"):
        side, kind = links[f"{end}_side"], links[f"{end}_type"]
        assert isinstance(side.dtype, pd.CategoricalDtype) and isinstance(kind.dtype, pd.CategoricalDtype)
        assert list(side.cat.categories) == ["Hamas", "Israel"]
        assert list(kind.cat.categories) == ["airstrike", "rocket attack"]
        want = by_id.loc[links[f"{end}_id"]]
        assert side.astype(object).tolist() == want["actor_side"].astype(object).tolist()
        assert kind.astype(object).where(kind.notna(), None).tolist() == (
            want["event_type"].astype(object).where(want["event_type"].notna(), None).tolist()
        )
    assert links.loc[links["trigger_id"] == "a2", "trigger_type"].isna().all()


def test_an_id_named_twice_in_responds_to_gives_one_link():
    frame = pd.DataFrame({"event_id": ["a", "b"], "date": ["2020-01-01", "2020-01-03"], "actor": ["A", "B"],
                          "target": ["B", "A"], "responds_to": [None, "a; a;a"]})  # fmt: skip
    links = link(read_events(frame))
    assert len(links[links["link_kind"] == "stated"]) == 1
