"""Step shares per side against random pairing: a hand case, the test's size on simulated sides, its power."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.chance.steps import step_shares


def links_for(trigger_ranks, response_ranks, side="X"):
    n = len(trigger_ranks)
    links = pd.DataFrame({
        "trigger_id": [f"t{i}" for i in range(n)], "response_id": [f"r{i}" for i in range(n)],
        "trigger_rank": np.asarray(trigger_ranks, float), "response_rank": np.asarray(response_ranks, float),
        "response_side": side,
    })  # fmt: skip
    frame = pd.DataFrame({"event_id": [*links["trigger_id"], *links["response_id"]], "fatalities": np.nan})
    return links, frame


def test_hand_case():
    # Triggers on rungs 2, 2, 2, 5 answered on 5, 5, 5, 2: three steps up, one down. Paired at random, a rung-5
    # response meets a rung-2 trigger 3 times in 4: expected escalations 3 * 3/4 of 4 steps = 9/16.
    links, frame = links_for([2, 2, 2, 5], [5, 5, 5, 2])
    row = step_shares(links, frame, draws=4000).iloc[0]
    assert (row["steps"], row["escalations"], row["matched"], row["deescalations"]) == (4, 3, 0, 1)
    assert row["escalation_share"] == 0.75
    assert row["chance_escalation_share"] == pytest.approx(9 / 16, abs=0.01)
    # a rung-2 response is down when it meets the rung-5 trigger (1 in 4): 1/16 of steps
    assert row["chance_deescalation_share"] == pytest.approx(1 / 16, abs=0.01)


def test_size_when_pairing_is_unrelated_to_rungs():
    """Responses on higher rungs than triggers, but paired at random: the 5% test rejects about 5%."""
    rng = np.random.default_rng(7)
    p = []
    for _ in range(400):
        links, frame = links_for(rng.integers(0, 5, 30), rng.integers(2, 8, 30))
        p.append(step_shares(links, frame, draws=199, seed=int(rng.integers(1 << 30))).iloc[0]["pvalue_escalation"])
    rejected = np.mean(np.array(p) < 0.05)
    assert 0.025 <= rejected <= 0.085  # binomial 95% range of a true 5% over 400 tests is 3.0-7.3%


def test_power_when_a_side_climbs_as_it_answers():
    rng = np.random.default_rng(8)
    triggers = rng.integers(0, 8, 40)
    links, frame = links_for(triggers, np.minimum(triggers + 1, 9))  # always one rung above what it answers
    row = step_shares(links, frame).iloc[0]
    assert row["escalation_share"] == 1.0 and row["pvalue_escalation"] < 0.01


def test_bundled_data_by_side():
    result = esc.chains(esc.datasets.load_iraq_2019_2021())
    table = result.step_shares().set_index("response_side")
    links = result.links
    for side, row in table.iterrows():
        mine = links[links["response_side"].astype(str) == side]
        assert row["steps"] == len(mine)
        assert row["escalations"] == int((mine["step_kind"] == "escalation").sum())
        assert row["deescalations"] == int((mine["step_kind"] == "de-escalation").sum())
