"""The (dyad, time) keys behind linking and time to response, and their overflow guard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation as esc
import escalation._core.keys as keys
from escalation._core.keys import time_offsets

times = st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(first=times, second=times, n_dyads=st.sampled_from([1, 4, 10**6, 10**9]))
def test_offsets_keep_every_comparison_and_never_overflow(first, second, n_dyads):
    a, b = np.array(first, np.int64), np.array(second, np.int64)
    (oa, ob), span = time_offsets(a, b, n_dyads=n_dyads)
    assert np.array_equal(np.sign(a[:, None] - b[None, :]), np.sign(oa[:, None] - ob[None, :]))
    assert np.array_equal(np.sign(a[:, None] - a[None, :]), np.sign(oa[:, None] - oa[None, :]))
    assert 0 <= min(oa.min(), ob.min()) and max(oa.max(), ob.max()) < span
    assert (n_dyads - 1) * span + span - 1 < 2**63  # the largest key fits in int64


def random_events(seed: int, n: int = 400) -> esc.Events:
    rng = np.random.default_rng(seed)
    sides = np.array(list("ABCDE"))
    days = pd.Timestamp("2001-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    timed = rng.random(n) < 0.5
    clock = days + pd.to_timedelta(rng.integers(0, 86_400, n), unit="s")
    dates = np.where(timed, clock.strftime("%Y-%m-%dT%H:%M:%S"), days.strftime("%Y-%m-%d"))
    frame = pd.DataFrame({"date": dates, "actor": rng.choice(sides, n), "target": rng.choice(sides, n)})
    return esc.read_events(frame)


def test_the_guarded_path_gives_the_same_links_and_answers(monkeypatch):
    """Force the rank path (as with very many sides over centuries): links and time to response do not change."""
    ev = random_events(3)
    links = esc.link(ev, window="20D")
    ttr = esc.time_to_response(ev, window="20D").table
    assert len(links) > 50
    monkeypatch.setattr(keys, "KEY_LIMIT", 10)
    pd.testing.assert_frame_equal(esc.link(ev, window="20D"), links)
    pd.testing.assert_frame_equal(esc.time_to_response(ev, window="20D").table, ttr)


@pytest.mark.parametrize("dtype", ["object", "string[pyarrow]"])
@pytest.mark.parametrize("seed", range(3))
def test_side_vocabulary_equals_one_factorize_of_both_columns(dtype, seed):
    """Each column is factorized alone and the vocabularies joined: the same codes and names as one factorize of
    the actor column followed by the target column (the reference), missing sides included."""
    from escalation._core.keys import side_vocabulary

    rng = np.random.default_rng(seed)
    n = 300
    pool = np.array(["Iran", "US", "KH", "Israel", "Hamas", None], dtype=object)
    frame = pd.DataFrame(
        {
            "actor_side": pd.Series(rng.choice(pool[:4], n), dtype=dtype),
            "target_side": pd.Series(rng.choice(pool[1:], n), dtype=dtype),
        }
    )
    codes, uniques = pd.factorize(pd.concat([frame["actor_side"], frame["target_side"]], ignore_index=True))
    actor, target, names = side_vocabulary(frame)
    assert list(names) == [str(u) for u in uniques]
    assert (actor == codes[:n]).all() and (target == codes[n:]).all() and (target == -1).any()
