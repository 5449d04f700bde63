"""Time to response: KM against lifelines, a hand-computed censored case, the response search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation as esc
from escalation.stats.survival import _next_response, km_curve

from ..conftest import reference


def test_hand_computed_kaplan_meier_with_censoring():
    # durations 1, 2+, 3, 3, 5+ (+ = censored)
    curve = km_curve(np.array([1, 2, 3, 3, 5.0]), np.array([1, 0, 1, 1, 0]))
    s = dict(zip(curve["time"], curve["survival"], strict=True))
    assert s[1.0] == pytest.approx(4 / 5)  # 5 at risk, 1 event
    assert s[3.0] == pytest.approx(4 / 5 * (1 - 2 / 3))  # 3 at risk after the censoring at 2, 2 events


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_curve_and_bands_match_lifelines(seed):
    rng = np.random.default_rng(seed)
    n = 300
    duration = np.round(rng.exponential(5, n), 1)
    observed = rng.random(n) < 0.7
    ours = km_curve(duration, observed).set_index("time")
    lifelines = reference("lifelines")
    kmf = lifelines.KaplanMeierFitter().fit(duration, observed, alpha=0.05)
    theirs = kmf.survival_function_["KM_estimate"]
    ci = kmf.confidence_interval_
    common = ours.index.intersection(theirs.index)
    assert len(common) == len(ours)
    np.testing.assert_allclose(ours.loc[common, "survival"], theirs.loc[common], rtol=0, atol=1e-9)
    inner = [t for t in common if 0 < theirs.loc[t] < 1]
    np.testing.assert_allclose(ours.loc[inner, "ci_lower"], ci.loc[inner].iloc[:, 0], atol=1e-9)
    np.testing.assert_allclose(ours.loc[inner, "ci_upper"], ci.loc[inner].iloc[:, 1], atol=1e-9)


def test_logrank_matches_lifelines():
    rng = np.random.default_rng(5)
    rows = []
    for i in range(120):
        a, b = ("A", "B") if i % 2 else ("B", "A")
        rows.append(
            {
                "date": (pd.Timestamp("2020-01-01") + pd.Timedelta(days=int(rng.integers(0, 400)))).date().isoformat(),
                "actor": a,
                "target": b,
            }
        )
    ttr = esc.time_to_response(pd.DataFrame(rows), window="20D")
    t = ttr.table
    g1, g2 = (t[t["group"] == g] for g in sorted(t["group"].unique()))
    reference("lifelines")
    import lifelines.statistics

    ref = lifelines.statistics.logrank_test(g1["duration_days"], g2["duration_days"], g1["answered"], g2["answered"])
    assert ttr.logrank["chisq"] == pytest.approx(ref.test_statistic, rel=1e-9)
    assert ttr.logrank["pvalue"] == pytest.approx(ref.p_value, rel=1e-9)


def test_answer_window_and_end_censoring():
    t = pd.DataFrame(
        {
            "event_id": ["a1", "b1", "a2", "a3"],
            "date": ["2020-01-01", "2020-01-04", "2020-02-01", "2020-02-20"],
            "actor": ["A", "B", "A", "A"],
            "target": ["B", "A", "B", "B"],
        }
    )
    table = esc.time_to_response(t, window="10D").table.set_index("event_id")
    assert table.loc["a1", ["duration_days", "answered", "response_id"]].tolist() == [3.0, True, "b1"]
    # b1 is never answered by A within 10 days (a2 comes 28 days later): censored at the window
    assert table.loc["b1", ["duration_days", "answered"]].tolist() == [10.0, False]
    # a3 is 0 days before the end of the data: censored at 0, not dropped
    assert table.loc["a3", ["duration_days", "answered"]].tolist() == [0.0, False]
    # a2: no answer, 19 days of data left, censored at the 10-day window
    assert table.loc["a2", "duration_days"] == 10.0
    assert len(table) == 4


def test_end_leaves_out_later_events_and_answers_it_cannot_see():
    t = pd.DataFrame(
        {
            "event_id": ["a1", "b1", "a2", "b2", "a3"],
            "date": ["2020-01-01", "2020-01-04", "2020-01-10", "2020-01-16", "2020-01-20"],
            "actor": ["A", "B", "A", "B", "A"],
            "target": ["B", "A", "B", "A", "B"],
        }
    )
    table = esc.time_to_response(t, window="10D", end="2020-01-12").table.set_index("event_id")
    assert sorted(table.index) == ["a1", "a2", "b1"]  # b2 and a3 are after the end: left out
    assert table.loc["a1", ["duration_days", "answered"]].tolist() == [3.0, True]
    # b2 answers a2 six days later, but after the end of observation: not seen, censored at the end (2 days)
    assert table.loc["a2", ["duration_days", "answered"]].tolist() == [2.0, False]
    assert pd.isna(table.loc["a2", "response_id"])
    # without end, the same answer counts
    assert esc.time_to_response(t, window="10D").table.set_index("event_id").loc["a2", "answered"]


def test_summary_and_median_by_hand():
    # A hits B on days 0, 10, 20; B answers on day 2 (2 d) and 13 (3 d); day 20 waits the whole 5-day window
    # (C on day 40 extends the data). KM for "B answering A": S(2) = 2/3, S(3) = 1/3: median 3, by 7 d 2/3.
    # B's events (days 2, 13) wait 8 and 7 days for A: both censored at the window.
    days = [0, 2, 10, 13, 20, 40]
    dates = [str(pd.Timestamp("2020-01-01") + pd.Timedelta(days=d))[:10] for d in days]
    table = pd.DataFrame({"date": dates, "actor": list("ABABAC"), "target": list("BABABD")})
    ttr = esc.time_to_response(table, window="5D")
    s = ttr.summary().set_index("group")
    b = s.loc["B answering A"]
    assert (b["events"], b["answered"], b["censored"], b["median_days"]) == (3, 2, 1, 3.0)
    assert b["answered_by_1d"] == 0 and b["answered_by_3d"] == pytest.approx(2 / 3)
    a = s.loc["A answering B"]
    assert (a["events"], a["answered"], a["censored"]) == (2, 0, 2) and np.isnan(a["median_days"])
    ci = ttr.conf_int().set_index("group")
    assert ci.loc["B answering A", "median_days"] == 3.0 and np.isnan(ci.loc["A answering B", "median_days"])
    assert ttr.window == pd.Timedelta(days=5) and ttr.window_days == 5.0


def test_bundled_summary_is_consistent():
    ttr = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), window="30D")
    s = ttr.summary().set_index("group")
    us = s.loc["Iran answering United States"]
    # Soleimani (01-03) was answered 5 days later; the 01-04 threat too (4 days): both within 7 days.
    assert us["answered_by_7d"] > 0
    assert ttr.table.set_index("event_id").loc["IRQ-2020-01-03-SOL", "duration_days"] == 5.0


_event = st.tuples(
    st.integers(0, 30),
    st.one_of(st.none(), st.integers(0, 1439)),
    st.sampled_from("AB"),
    st.sampled_from("AB"),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_event, min_size=1, max_size=25))
def test_next_response_matches_brute_force(events):
    base = pd.Timestamp("2020-01-01")
    rows = [
        {
            "event_id": f"e{i:02d}",
            "actor": a,
            "target": b,
            "date": (base + pd.Timedelta(days=d)).date().isoformat()
            if m is None
            else (base + pd.Timedelta(days=d, minutes=m)).isoformat(),
        }
        for i, (d, m, a, b) in enumerate(events)
    ]
    frame = esc.read_events(pd.DataFrame(rows)).frame
    got = _next_response(frame)
    for k, r in frame.iterrows():
        best, best_key = -1, None
        if r["actor_side"] != r["target_side"]:
            for j, c in frame.iterrows():
                if (c["actor_side"], c["target_side"]) != (r["target_side"], r["actor_side"]):
                    continue
                same_day = c["date"].normalize() == r["date"].normalize()
                later = c["date"].normalize() > r["date"].normalize() or (
                    same_day and c["has_time"] and r["has_time"] and c["date"] > r["date"]
                )
                if later:
                    key = c["date"] if c["has_time"] else c["date"].normalize()
                    if best_key is None or (key, c["event_id"]) < best_key:
                        best, best_key = j, (key, c["event_id"])
        assert got[k] == best


def test_logrank_leaves_out_small_groups_and_says_why():
    ttr = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), window="30D")
    lr = ttr.logrank
    # the finding: p = 1e-4 "across 8 groups of 2-10 events"; no group but one is large enough now
    assert np.isnan(lr["pvalue"]) and lr["df"] == 0
    assert lr["note"].startswith("no test: fewer than two groups large enough")
    assert "Iran answering United States" in lr["note"]
    pooled = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), window="30D", by=None).logrank
    assert pooled["note"].startswith("no test")  # one group: nothing to compare


def test_cluster_bands_match_greenwood_without_clusters_and_widen_with_them():
    from escalation.stats._km_bands import cluster_bootstrap_bands
    from escalation.stats.survival import km_curve

    rng = np.random.default_rng(4)
    n = 400
    duration = np.minimum(rng.exponential(6.0, n).round() + 1, 30.0)
    answered = duration < 30
    curve = km_curve(duration, answered)
    at = curve["time"].to_numpy()
    lower, upper = cluster_bootstrap_bands(duration, answered, np.arange(n), at, draws=999)
    mid = (curve["survival"] > 0.2).to_numpy() & (curve["survival"] < 0.8).to_numpy()
    # independent events: the bootstrap band is Greenwood's band, up to Monte-Carlo error
    np.testing.assert_allclose(lower[mid], curve["ci_lower"].to_numpy()[mid], atol=0.02)
    np.testing.assert_allclose(upper[mid], curve["ci_upper"].to_numpy()[mid], atol=0.02)
    # the same durations in clusters of 8 (one response answering 8 events): a wider band
    clustered = np.repeat(duration[:50], 8)
    lo8, up8 = cluster_bootstrap_bands(clustered, clustered < 30, np.repeat(np.arange(50), 8), at, draws=999)
    c8 = km_curve(clustered, clustered < 30)
    inner = (c8["survival"] > 0.2).to_numpy() & (c8["survival"] < 0.8).to_numpy()
    green = c8["ci_upper"].to_numpy()[inner] - c8["ci_lower"].to_numpy()[inner]
    cluster = (up8 - lo8)[np.isin(at, c8["time"].to_numpy()[inner])]
    assert np.median(cluster) > 2 * np.median(green)  # about sqrt(8) = 2.8 times


def test_cluster_bands_cover_the_true_curve():
    # 60 responses, each answering 5 events at the same delay (Exp, mean 5 days): S(5) = exp(-1). The
    # simulation is benchmarks/coverage.py's (300 replications recorded there), run here on 200.
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "coverage.py"
    spec = importlib.util.spec_from_file_location("coverage_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rates = module.km_coverage(200)
    assert 0.89 <= rates["KM band at day 5, cluster bootstrap"] <= 0.99  # nominal 95% (200 replications: +-3%)
    assert rates["KM band at day 5, Greenwood"] < 0.75  # Greenwood treats 300 events as independent: far too narrow


def test_chance_curve_tells_tit_for_tat_from_independence():
    rng = np.random.default_rng(1)
    days = np.sort(rng.choice(np.arange(0, 2000), size=150, replace=False))
    a = pd.DataFrame({"date": pd.Timestamp("2015-01-01") + pd.to_timedelta(days, "D"), "actor": "A", "target": "B"})
    answers = a.assign(date=a["date"] + pd.Timedelta(days=1), actor="B", target="A")  # B answers the next day
    ttr = esc.time_to_response(pd.concat([a, answers], ignore_index=True), window="10D")
    ch = ttr.chance.set_index(["group", "time"])
    b = ch.loc[("B answering A", 1.0)]
    # every event answered by day 1; by chance few are (a block rotated by 0 or 1 day, 1 in 7, keeps some)
    assert b["observed"] == 0.0 and b["lower"] > 0.7
    other = esc.time_to_response(pd.concat([a, answers.assign(date=answers["date"] + pd.to_timedelta(
        rng.integers(200, 900, len(answers)), "D"))], ignore_index=True), window="10D").chance  # fmt: skip
    row = other[(other["group"] == "B answering A") & (other["time"] == 3.0)].iloc[0]  # the grid ends at 3.5 days
    assert row["lower"] <= row["observed"] <= row["upper"]  # B's timing unrelated to A's: within chance
