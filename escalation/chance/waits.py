"""The wait until the other side's next action, when nobody answers anybody: per event and per draw.

:func:`escalation.answer_model` asks whether a trait of an action (its deaths, its rung) goes with a sooner
answer. In real conflicts deadlier actions come in the busy seasons, when the other side acts more often
anyway, so a deadlier action is followed sooner whether or not anybody answers it. The comparison keeps that:
each draw rotates the answering side's actions within the tide's blocks (:mod:`escalation.chance._tide`, the
null of "followed by"), which keeps its count in every block and its own bursts and breaks only its timing
against the other side within a block, and measures every event's wait again. A model fitted to the drawn
waits gives the effect the tides alone produce.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._core.levels import DRAWS
from ._tide import parse_tide
from .links import _roles, _turns, waits


def rotated_waits(
    frame: pd.DataFrame,
    rows: np.ndarray,
    *,
    tide: str | pd.Timedelta | None = None,
    draws: int = DRAWS,
    seed: int = 0,
    triggers: np.ndarray | None = None,
    responses: np.ndarray | None = None,
) -> np.ndarray:
    """``(draws, len(rows))`` waits in days (inf: no later action) of the events at positions ``rows`` of
    ``frame`` until the other side's next action, that side's actions rotated within the tide's blocks.

    The rotations are those of every other null of the tide (same blocks, same seed: draw ``k`` here is draw
    ``k`` of "followed by"). ``triggers`` and ``responses`` (boolean masks over ``frame``) say which events
    may be answered and which may answer; an event of no direction (the other side never acts against its
    side) waits forever in every draw.
    """
    out = np.full((draws, len(rows)), np.inf)
    if not draws or not len(rows):
        return out
    directions, initiating, answering = _roles(frame, triggers, responses)
    blocks, turns = _turns(frame, parse_tide(tide), draws, seed)
    where = pd.Index(rows)
    for init_side, resp_side in directions:
        init, resp = initiating[(init_side, resp_side)], answering[(resp_side, init_side)]
        at = where.get_indexer(init.rows)
        keep = at >= 0
        if not keep.any():
            continue
        init = init.subset(keep)
        out[:, at[keep]] = np.array([waits(init, resp.rotated(blocks, t)) for t in turns])
    return out
