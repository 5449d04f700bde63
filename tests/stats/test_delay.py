"""The delay of answers: a Hawkes kernel by day lag over a tide background, checked on histories whose answers
and their delays are known."""

from __future__ import annotations

import numpy as np
import pytest

import escalation as esc
from escalation.chance.simulate import simulate_tides
from escalation.stats.delay import _median


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
