"""Does a side escalate when it answers, or do its actions simply sit higher on the ladder?

"The United States escalated in 9 of its 13 responses" says little alone: if the US only ever strikes from
the air and the militias fire rockets, nearly any pairing of a US action with a militia action is an
"escalation". The comparison that gives the share a meaning pairs each of the side's responses with the
trigger of another of its own links, chosen at random (a permutation of its triggers, 999 times): the share of
escalations that random pairing gives is what the side's rungs alone produce. A share well above it says the
side climbs *when it answers*; a share inside the range says its responses are no more escalatory than its
usual actions are against the other side's usual actions.

The permutation p-value is exact under the null that the pairing of responses and triggers is unrelated to
their rungs (tests/chance/test_steps.py checks its size on simulated sides); it treats each link as one step, and a
response that answers several triggers counts once per trigger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..events.ladder import severity, step_directions

STEP_COLUMNS = (
    "response_side", "steps", "escalations", "matched", "deescalations", "unknown",
    "escalation_share", "chance_escalation_share", "chance_lower", "chance_upper", "pvalue_escalation",
    "deescalation_share", "chance_deescalation_share", "pvalue_deescalation",
)  # fmt: skip


def _pvalue(observed: float, draws: np.ndarray) -> float:
    """Two-sided permutation p-value of a share: as far from the draws' mean as observed, or farther."""
    centre = draws.mean()
    return float((1 + np.sum(np.abs(draws - centre) >= abs(observed - centre) - 1e-12)) / (1 + len(draws)))


def step_shares(links: pd.DataFrame, frame: pd.DataFrame, *, draws: int = 999, seed: int = 0) -> pd.DataFrame:
    """Per responding side: its steps up, level and down the ladder, against random pairing (see the module).

    ``links`` is a link table (:func:`escalation.link`), ``frame`` the events it was built from (for the
    within-rank tie-breaker). Shares are of the steps whose two rungs are known; ``chance_*`` are the mean and
    the 2.5-97.5% range of the share over ``draws`` permutations of the side's triggers.
    """
    sev = severity(frame.set_index("event_id"))
    rng = np.random.default_rng(seed)
    rows = []
    for side, g in links.groupby(links["response_side"].astype(str), sort=True):
        known = g["trigger_rank"].notna() & g["response_rank"].notna()
        k = g[known]
        tr, rr = k["trigger_rank"].to_numpy(float), k["response_rank"].to_numpy(float)
        ts = k["trigger_id"].map(sev).to_numpy(float)
        rs = k["response_id"].map(sev).to_numpy(float)
        up, down = step_directions(tr, rr, ts, rs)
        n = len(k)
        row = {"response_side": side, "steps": len(g), "escalations": int(up.sum()),
               "matched": int(n - up.sum() - down.sum()), "deescalations": int(down.sum()),
               "unknown": int((~known).sum())}  # fmt: skip
        if n:
            perm = rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)
            p_up, p_down = step_directions(tr[perm], rr[None, :], ts[perm], rs[None, :])
            up_share, down_share = p_up.mean(axis=1), p_down.mean(axis=1)
            row |= {
                "escalation_share": up.mean(), "chance_escalation_share": up_share.mean(),
                "chance_lower": np.quantile(up_share, 0.025), "chance_upper": np.quantile(up_share, 0.975),
                "pvalue_escalation": _pvalue(up.mean(), up_share),
                "deescalation_share": down.mean(), "chance_deescalation_share": down_share.mean(),
                "pvalue_deescalation": _pvalue(down.mean(), down_share),
            }  # fmt: skip
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(STEP_COLUMNS))
    return out.sort_values("steps", ascending=False, kind="stable").reset_index(drop=True)
