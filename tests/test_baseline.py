"""The chance baseline: its size under independence, its power on tit-for-tat, and its counts cross-checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.baseline import _offsets
from escalation.stats.hawkes import simulate_hawkes

WINDOW = "30D"


def simulated(adjacency, seed, end=4000.0, baseline=(0.1, 0.1), dates_only=True):
    sim = simulate_hawkes(list(baseline), adjacency, decay=0.5, end=end, seed=seed, method="cluster",
                          sides=["A", "B"])  # fmt: skip
    if dates_only:
        sim["date"] = sim["date"].dt.strftime("%Y-%m-%d")
    return esc.read_events(sim)


def test_size_under_independent_self_exciting_sides():
    # Two sides that excite themselves (bursts) and never answer each other: the rule still links most
    # events, and the baseline must say that is what chance gives, at about the nominal 5% rate.
    p_links, p_answered, shares = [], [], []
    for seed in range(60):
        ev = simulated([[0.5, 0.0], [0.0, 0.5]], seed)
        result = esc.chains(ev, window=WINDOW)
        p_links += result.baseline["pvalue"].tolist()
        shares += result.baseline["observed_share"].tolist()
        p_answered += esc.time_to_response(ev, window=WINDOW).baseline["pvalue"].tolist()
    assert np.mean(shares) > 0.5  # the rule alone "answers" most events
    # 120 tests each; a valid 5% test rejects 6 on average and more than 12 with probability 0.01
    # (over 400 pairs, benchmarks/README.md: 3.75% and 5.1%)
    assert sum(p <= 0.05 for p in p_links) <= 12
    assert sum(p <= 0.05 for p in p_answered) <= 12


def test_power_on_tit_for_tat():
    ev = simulated([[0.2, 0.45], [0.45, 0.2]], seed=3, baseline=(1 / 18, 1 / 18), end=8000)
    base = esc.chains(ev, window=WINDOW).baseline
    assert (base["pvalue"] <= 0.01).all()
    assert (base["observed"] > base["upper"]).all()
    answered = esc.time_to_response(ev, window=WINDOW).baseline
    assert (answered["pvalue"] <= 0.01).all()


def test_observed_counts_equal_the_link_table_and_the_survival_table():
    ev = simulated([[0.3, 0.3], [0.3, 0.3]], seed=5, end=1500)
    result = esc.chains(ev, window=WINDOW)
    per_direction = result.links.groupby(["trigger_side", "response_side"], observed=True).size()
    base = result.baseline.set_index(["trigger_side", "response_side"])["observed"]
    assert base.to_dict() == per_direction.to_dict()  # linking.py and baseline.py are separate searches

    ttr = esc.time_to_response(ev, window=WINDOW)
    end = ev.frame["date"].max()
    full = ttr.table[ttr.table["date"] + pd.Timedelta(WINDOW) <= end]
    answered = full.groupby("initiator")["answered"].sum()
    table = ttr.baseline.set_index("trigger_side")
    assert table["observed"].to_dict() == answered.to_dict()
    assert table["responses"].to_dict() == full.groupby("initiator").size().to_dict()


def test_shifts_are_longer_than_the_window_and_local():
    rng = np.random.default_rng(0)
    shifts = _offsets(period_days=5000, window_days=30, draws=2000, rng=rng)
    assert (np.abs(shifts) > 30).all() and (np.abs(shifts) <= 360).all()
    assert (shifts < 0).any() and (shifts > 0).any()
    short = _offsets(period_days=40, window_days=30, draws=50, rng=rng)  # too short for the rule
    assert ((short >= 1) & (short < 40)).all()


@pytest.mark.parametrize("command", ["chains", "survival"])
def test_cli_prints_chance_next_to_observed(tmp_path, capsys, command):
    from escalation.cli import main

    assert main([command, "-o", str(tmp_path / "out.csv")]) == 0
    out = capsys.readouterr().out
    assert "against chance" in out and "United States" in out


@pytest.mark.parametrize(("seed", "threads"), [(0, 1), (1, 1), (2, 3), (3, 3)])
def test_all_directions_at_once_equal_one_direction_at_a_time(seed, threads, monkeypatch):
    """The vectorised baselines (one search per draw over every direction, the draws on one thread or on
    several) and the plain per-direction loops give the same tables: same draws, same counts, on sides with
    clock times and without, wrapping shifts."""
    from escalation._linking import sorted_frame
    from escalation.baseline import (
        answered_baseline,
        answered_baseline_by_direction,
        link_baseline,
        link_baseline_by_direction,
    )

    rng = np.random.default_rng(seed)
    n = 3000
    day = rng.integers(0, 900, n)
    timed = rng.random(n) < 0.4
    stamp = pd.Timestamp("2015-03-01") + pd.to_timedelta(day, unit="D") + pd.to_timedelta(
        np.where(timed, rng.integers(0, 86400, n), 0), unit="s")  # fmt: skip
    date = np.where(timed, stamp.strftime("%Y-%m-%dT%H:%M:%S"), stamp.strftime("%Y-%m-%d"))
    sides = np.array(list("ABCDEFGH"))
    frame = pd.DataFrame({"date": date, "actor": sides[rng.integers(0, 8, n)], "target": sides[rng.integers(0, 8, n)]})
    f = sorted_frame(esc.read_events(frame))
    monkeypatch.setattr("escalation.baseline.BLOCK", 257)  # several blocks of responses in each draw
    monkeypatch.setattr("escalation.baseline._threads", lambda: threads)
    for window in ("7D", "30D"):
        fast = link_baseline(f, pd.Timedelta(window), draws=49, seed=seed)
        slow = link_baseline_by_direction(f, pd.Timedelta(window), draws=49, seed=seed)
        assert len(fast) == 56
        pd.testing.assert_frame_equal(fast, slow)
        # time to response: only events whose whole window ends before ``end`` count, so pick an end that
        # cuts some off; the shifted answers wrap around the period in both searches
        end = f["date"].max() - pd.Timedelta(days=20)
        fast = answered_baseline(f, pd.Timedelta(window), end, draws=49, seed=seed)
        slow = answered_baseline_by_direction(f, pd.Timedelta(window), end, draws=49, seed=seed)
        later = answered_baseline(f, pd.Timedelta(window), end + pd.Timedelta(days=60), draws=0)
        assert len(fast) == 56 and fast["responses"].sum() < later["responses"].sum()
        assert 0 < fast["observed"].sum() < fast["responses"].sum()
        pd.testing.assert_frame_equal(fast, slow)
