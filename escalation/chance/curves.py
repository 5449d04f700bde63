"""The Kaplan-Meier curve chance alone gives: how soon the other side acts when nobody answers anybody.

The same measure as the time to the other side's next action, on the other side's series rotated within
the tide's blocks (:mod:`escalation.chance._tide`, the null of :func:`escalation.chance.links.answered_baseline`):
how soon "an answer" comes when the two sides keep their tides and their own bursts but no answer can
exist. Only events whose whole answer lag lies before the end of observation are used, so no event is
censored before it and the curve is the share not yet followed ``t`` days after the event.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._core.levels import DRAWS


def _unanswered_share(init: Any, resp: Any, grid: np.ndarray) -> np.ndarray:
    """Share of ``init``'s events with no ``resp`` event within ``t`` days, for each ``t`` of ``grid``."""
    from .links import waits

    return (waits(init, resp)[:, None] > grid[None, :]).mean(axis=0)


def chance_curves(
    frame: pd.DataFrame,
    window_days: float,
    end: pd.Timestamp,
    *,
    tide: str | pd.Timedelta | None = None,
    draws: int = DRAWS,
    seed: int = 0,
    triggers: np.ndarray | None = None,
    responses: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per direction: the share of events not yet followed by the other side's action ``t`` whole days on,
    observed and with the other side's actions rotated within the tide's blocks.

    The grid runs to the answer lag (a quarter of the tide, or the window when shorter): beyond it the null keeps
    the alignment it is meant to test. Columns: ``group`` ("B answering A"), ``time`` (0, 1, ... days),
    ``survival`` (mean over the draws), ``lower``, ``upper`` (2.5 and 97.5 percentiles), ``observed`` (the
    same share on the same events), ``events``. ``triggers`` and ``responses`` (boolean masks over
    ``frame``) restrict the initiating events and the events that may answer, as in
    :func:`escalation.chance.links.answered_baseline`.
    """
    from ._tide import answer_lag_days, parse_tide
    from .links import _once, _roles, _turns, _whole_lag

    tide_td = parse_tide(tide)
    lag = answer_lag_days(tide_td, pd.Timedelta(days=window_days))
    directions, initiating, answering = _roles(frame, triggers, responses)
    blocks, turns = _turns(frame, tide_td, draws, seed)
    end_s = int(pd.Timestamp(end).value // 1_000_000_000)
    grid = np.arange(0, int(np.floor(lag)) + 1, dtype=float)
    parts = []
    for init_side, resp_side in directions:
        init, resp = _whole_lag(initiating[(init_side, resp_side)], lag, end_s), answering[(resp_side, init_side)]
        if init is None:
            continue
        init = init.subset(_once(init.earlier))  # a side's events of one day against one target: one occasion
        observed = _unanswered_share(init, resp, grid)
        drawn = np.array([_unanswered_share(init, resp.rotated(blocks, t), grid) for t in turns])
        parts.append(pd.DataFrame({
            "group": f"{resp_side} answering {init_side}", "time": grid, "survival": drawn.mean(axis=0),
            "lower": np.percentile(drawn, 2.5, axis=0), "upper": np.percentile(drawn, 97.5, axis=0),
            "observed": observed, "events": len(init.earlier),
        }))  # fmt: skip
    columns = ["group", "time", "survival", "lower", "upper", "observed", "events"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
