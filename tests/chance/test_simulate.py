"""The generator of histories with a known answer: its rates, tides, bursts and answers are what it says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from escalation.chance.simulate import simulate_tides, tide_shape
from escalation.errors import UsageError


@pytest.mark.parametrize("kind", ["flat", "season", "surge", "wander"])
def test_tide_shapes_have_mean_one(kind):
    shape = tide_shape(kind, 2000, np.random.default_rng(0))
    assert shape.shape == (2000,) and shape.mean() == pytest.approx(1.0) and (shape > 0).all()
    if kind == "surge":
        assert set(np.round(shape / shape.min(), 6)) == {1.0, 5.0}


def test_rates_bursts_and_answers_are_as_asked():
    sim = simulate_tides(days=20_000, rates=(0.1, 0.05), self_excitation=0.4, answer=0.3, seed=3)
    days = 20_000
    by = sim.groupby(["actor", "cause"]).size()
    a_total = by["A"].sum()
    # A: background 0.1 a day, own bursts with branching 0.4 -> 0.1 / 0.6 a day in all
    assert a_total / days == pytest.approx(0.1 / 0.6, rel=0.05)
    # B answers 30% of A's actions (each answer bursts in turn)
    assert by[("B", "answer")] / a_total == pytest.approx(0.3, abs=0.02)
    date = pd.to_datetime(sim.set_index("event_id")["date"])
    child = sim[sim["parent"] != ""]
    assert (date[child["parent"]].to_numpy() <= pd.to_datetime(child["date"]).to_numpy()).all()
    answers = child[child["cause"] == "answer"]
    assert (sim.set_index("event_id").loc[answers["parent"], "actor"] == "A").all()
    with pytest.raises(UsageError, match="self_excitation"):
        simulate_tides(self_excitation=1.0)
    with pytest.raises(UsageError, match="tide"):
        simulate_tides(tide="monsoon")
