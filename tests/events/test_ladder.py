from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from escalation import DataError, Ladder, UsageError
from escalation.events.ladder import as_ladder, step_kinds


def test_default_order_of_the_issue():
    ladder = Ladder.default()
    order = ["protest", "threat", "arrest", "sanctions", "rocket attack", "drone strike", "airstrike",
             "ballistic missile attack", "targeted killing"]  # fmt: skip
    ranks = [ladder.rank_of(t) for t in order]
    assert ranks == sorted(ranks)
    assert ladder.rank_of("protest") < ladder.rank_of("threat") < ladder.rank_of("arrest")
    assert ladder.rank_of("shelling") < ladder.rank_of("drone strike") < ladder.rank_of("airstrike")


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("Air/drone strike", 7),  # ACLED sub-event type
        ("Peaceful protest", 1),
        ("one-sided violence", 4),  # UCDP
        ("195", 7),  # CAMEO: employ aerial weapons
        ("1952", 6),  # remotely piloted aerial munitions
        ("186", 9),  # assassinate
        ("042", 0),  # make a visit: cooperation
        ("130", 2),  # threaten
        ("20", 9),
        ("US AIRSTRIKE on depot", 7),  # keyword, case-insensitive
        ("rocketry", np.nan),  # whole words only
    ],
)
def test_rank_of(text, rank):
    got = Ladder.default().rank_of(text)
    assert (np.isnan(got) and np.isnan(rank)) or got == rank


def test_user_ladder_from_csv_replaces_default(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text("event_type,rank\ninsult,1\npunch,2\n", encoding="utf-8")
    ladder = as_ladder(path)
    assert ladder.rank(pd.Series(["Punch", "insult", "airstrike"])).tolist()[:2] == [2.0, 1.0]
    assert np.isnan(ladder.rank_of("airstrike"))
    bad = tmp_path / "bad.csv"
    bad.write_text("event_type,rank\ninsult,high\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2: rank 'high'"):
        as_ladder(bad)
    with pytest.raises(UsageError):
        as_ladder({"x": "high"})


def test_step_kinds_table():
    kinds = step_kinds(
        np.array([5, 5, 5, 5, np.nan, 5]),
        np.array([7, 3, 5, 5, 5, 5]),
        np.array([0, 0, 1, 2, 0, np.nan]),
        np.array([0, 0, 3, 2, 0, 9]),
    )
    assert kinds.tolist() == [
        "escalation",
        "de-escalation",
        "escalation",
        "proportional",
        "unknown",
        "proportional",
    ]
