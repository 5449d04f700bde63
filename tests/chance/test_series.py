"""The tide-keeping null for count series: rotations within blocks, and the reciprocity tests' size and power."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation as esc
from escalation.chance.series import rotation_indices
from escalation.chance.simulate import simulate_tides


@settings(max_examples=80, deadline=None)
@given(n=st.integers(2, 200), block=st.integers(2, 40), seed=st.integers(0, 1000))
def test_rotations_permute_each_block_keeping_its_cyclic_order(n, block, seed):
    idx = rotation_indices(n, block, draws=5, seed=seed)
    for row in idx:
        assert sorted(row) == list(range(n))  # a permutation: every period's value is used once
        which = np.arange(n) // block
        assert (row // block == which).all()  # within its block: each block's total is kept
        for b in np.unique(which):
            at = row[which == b]
            # a rotation: consecutive places take consecutive source places, round the block
            length = len(at)
            assert ((np.diff(at) - 1) % length == 0).all() or length == 1


def histories(tide, answer, seeds, **kw):
    for seed in seeds:
        sim = simulate_tides(tide=tide, answer=answer, seed=seed, **kw)
        yield esc.read_events(sim[["event_id", "date", "actor", "target"]])


def lead(result, cause, effect):
    """The VAR row's (adjusted p, p) of one direction: the test the sentences lead with."""
    t = result.tests
    row = t[(t["model"] == "var-granger") & (t["cause"] == cause) & (t["effect"] == effect)].iloc[0]
    return float(row["pvalue_adjusted"]), float(row["pvalue"])


@pytest.mark.slow
def test_reciprocity_holds_its_size_when_both_sides_share_a_surge():
    # 12 four-year histories, both sides five times busier in the same surges, nobody answering: the whole-series
    # shifts of earlier versions rejected most of them; rotations within 14-day blocks must reject about 5%
    # (benchmarks/tides.py runs more).
    shifted, tide = [], []
    for ev in histories("surge", 0.0, range(12)):
        new = esc.reciprocity(ev)
        tide += [lead(new, "A", "B")[1], lead(new, "B", "A")[1]]
        old = esc.reciprocity(ev, inference="shift", lags=3)
        shifted += [lead(old, "A", "B")[1], lead(old, "B", "A")[1]]
    # unadjusted p-values, each test on its own
    assert np.mean(np.array(shifted) <= 0.05) > 0.5
    assert np.sum(np.array(tide) <= 0.05) <= 4  # 24 tests: 1.2 expected, more than 4 has probability 0.008


def test_reciprocity_default_sees_one_way_answers():
    # B answers 30% of A's actions (gamma delay, mean 3 days): the default (events per day, lags to a quarter of
    # the tide, tide-keeping p-values) finds it; the death counts of these histories are unknown (zero).
    for ev in histories("season", 0.3, range(3), days=2922, rates=(0.1, 0.03)):
        result = esc.reciprocity(ev)
        assert result.measure == "events" and result.lags == 3 and result.lags_chosen_by == "tide"
        assert lead(result, "A", "B")[0] < 0.05 and lead(result, "B", "A")[0] > 0.05


def test_weekly_series_take_a_tide_of_eight_weeks_and_a_short_tide_is_refused():
    ev = esc.datasets.load_iraq_2019_2021()
    weekly = esc.reciprocity(ev, freq="W", lags=1)
    assert weekly.tide == pd.Timedelta(days=56) and weekly.block == 8
    with pytest.raises(esc.UsageError, match="at least 4 are needed"):
        esc.reciprocity(ev, freq="W", tide="14D")
