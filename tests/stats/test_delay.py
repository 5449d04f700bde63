"""The delay of answers: a Hawkes kernel by day lag over a tide background, checked on histories whose answers
and their delays are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.chance.simulate import simulate_tides
from escalation.stats.delay import _median
from escalation.stats.hawkes._likelihood import observed_cov


def test_median_of_lag_shares_by_hand():
    # lags 1, 2, 3 with shares 0.2, 0.3, 0.5: half is reached at the end of lag 2, which covers 1.5-2.5 days
    assert _median(np.array([0.2, 0.3, 0.5])) == pytest.approx(2.5)
    # all at lag 1: the middle of 0.5-1.5
    assert _median(np.array([1.0, 0.0, 0.0])) == pytest.approx(1.0)
    assert _median(np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])) == pytest.approx([1.5, 3.0])


@pytest.mark.parametrize("tide", ["flat", "season"])
def test_recovers_the_delay_of_one_way_answers(tide):
    # B answers 30% of A's actions after a gamma delay of median 2.5 days (mean 3); A never answers B
    covered, medians = 0, []
    for seed in range(6):
        sim = simulate_tides(days=2922, rates=(0.1, 0.03), answer=0.3, tide=tide, seed=seed)
        result = esc.answer_delay(sim)
        t = result.summary().set_index(["trigger_side", "response_side"])
        true, false = t.loc[("A", "B")], t.loc[("B", "A")]
        medians.append(true["median_delay_days"])
        covered += int(true["median_lower"] <= 2.5 <= true["median_upper"])
        assert true["lower"] > 0.05 and true["answers_per_trigger"] < 0.35  # 0.29 within 7 days, less absorbed
        assert false["answers_per_trigger"] < true["lower"]
        # the kernel by lag adds up to the answers per trigger, its shares to one
        k = result.by_lag[(result.by_lag["trigger_side"] == "A") & (result.by_lag["response_side"] == "B")]
        assert k["answers"].sum() == pytest.approx(true["answers_per_trigger"])
        assert k["share"].sum() == pytest.approx(1.0) and list(k["lag_days"]) == list(range(1, 8))
    assert 2.0 < np.mean(medians) < 3.0
    assert covered >= 5  # benchmarks/answer_delay.py measures the coverage on 200 histories


def test_a_direction_the_data_do_not_identify_has_no_standard_error():
    """Two equal design columns: their split is not identified, so their variances are NaN (inverting the
    singular information gave negative variances, and a sqrt warning); the background keeps its own, which
    by hand is the inverse of its information alone once the equal columns are left out."""
    rng = np.random.default_rng(0)
    a = rng.poisson(1.0, 200).astype(float)
    x = np.column_stack([np.ones(200), a, a])
    theta = np.array([0.5, 0.2, 0.2])
    cov = observed_cov(x, theta)
    assert np.isnan(cov[1:, :]).all() and np.isnan(cov[:, 1:]).all()
    by_hand = 1.0 / np.sum((1.0 / (x @ theta)) ** 2)
    assert cov[0, 0] == pytest.approx(by_hand, rel=1e-12)
    full = observed_cov(x[:, :2], np.array([0.5, 0.4]))
    assert np.isfinite(full).all() and np.all(np.linalg.eigvalsh(full) > 0)


def test_answers_at_a_fixed_beat_give_no_interval_rather_than_a_warning():
    """Sides acting in strict turns every three days: B's answer at lag 3 and A's own beat at lag 6 are the
    same column, so that direction's split is not identified; it is reported without interval or delay."""
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(range(0, 600, 3), unit="D")
    table = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "actor": ["A", "B"] * 100,
                          "target": ["B", "A"] * 100, "event_type": "airstrike"})  # fmt: skip
    summary = esc.answer_delay(esc.read_events(table)).summary().set_index("trigger_side")
    assert summary.loc["A", "mean_delay_days"] == pytest.approx(3.0)
    assert np.isnan(summary.loc["B", ["lower", "upper", "mean_delay_days"]].astype(float)).all()
