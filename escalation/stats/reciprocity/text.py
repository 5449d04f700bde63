"""The plain-words findings of :class:`~escalation.stats.reciprocity.analysis.ReciprocityResult`: one sentence per
direction, and the names of sides and dyads in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..._core.levels import LEVEL
from ..._core.time import PERIODS
from ..._core.words import possessive

if TYPE_CHECKING:
    from .analysis import ReciprocityResult

#: Joins the two sides of a dyad series' column name: ``"Israel -> Palestinians"``.
DYAD_ARROW = " -> "


def _p(value: float) -> str:
    return f"{value:.2g}" if value >= 1e-4 else "< 0.0001"


def _p_is(value: float) -> str:
    """``p = 0.23`` or ``p < 0.0001`` (never ``p = < 0.0001``)."""
    return f"p = {value:.2g}" if value >= 1e-4 else "p < 0.0001"


def sentences(result: ReciprocityResult, level: float = LEVEL, most: int | None = None) -> list[str]:
    """One plain-words sentence per direction, from the adjusted p-values of every model.

    The VAR Granger test leads; the count models are named beside it, and a model that disagrees (or
    could not be estimated) is said, never left out. "Consistent with" is the strongest wording: a
    Granger test shows that one side's past predicts the other's, not that it causes it. With ``most``,
    at most that many directions get a sentence, those with evidence first (smallest adjusted p), and
    one sentence counts the rest: with many sides there are hundreds of directions.
    """
    unit = PERIODS[result.freq]
    what = {"fatalities": "killings", "events": "actions", "any": "days with killings"}[result.measure]
    horizon = result.irfs.shape[0] - 1
    table = result.tests
    tested = int(table["pvalue_adjusted"].notna().sum())  # the tests with a p-value, those adjusted for
    adjusted = {"holm": "Holm-adjusted", "fdr_bh": "BH-adjusted", "bonferroni": "Bonferroni-adjusted",
                "none": "unadjusted"}[result.adjust]  # fmt: skip
    out = []
    leads = table.drop_duplicates(["cause", "effect"])  # the first model of each direction leads
    if most is not None and len(leads) > most:
        leads = leads.sort_values("pvalue_adjusted", kind="stable", na_position="last")
    shown = leads if most is None else leads.head(most)
    for cause, effect in shown[["cause", "effect"]].itertuples(index=False):
        records = table[(table["cause"] == cause) & (table["effect"] == effect)].to_dict("records")
        lead = records[0]
        p_adj = float(lead["pvalue_adjusted"])
        found = p_adj < level
        others = []
        for row in records[1:]:
            q = float(row["pvalue_adjusted"])
            if not np.isfinite(q):
                others.append(f"{row['model']}: not estimable")
            else:
                agrees = (q < level) == found
                others.append(f"{row['model']} {'agrees' if agrees else 'disagrees'}, adjusted p = {_p(q)}")
        extra = f"; {'; '.join(others)}" if others else ""
        # A large F with a large p is no contradiction: series that share tides give large F by themselves, so
        # the p comes from resampled series that keep the tides, and the textbook p is said beside it.
        textbook = float(lead.get("pvalue_asymptotic", np.nan))
        against = (
            ""
            if not np.isfinite(textbook)
            else (f": textbook {_p_is(textbook)}, against series that keep the tides {_p_is(float(lead['pvalue']))}")
        )
        stat = f"{lead['model']} F = {lead['statistic']:.2f}{against}, {adjusted} p = {_p(p_adj)}"
        if found:
            verb = "rise" if float(lead["response"]) > 0 else "fall"
            out.append(
                f"Consistent with {named(result, effect, what)} responding to {named(result, cause, what)}: they "
                f"{verb} in the {horizon} {unit}s after ({stat}; {float(lead['response']):+.2f} per additional "
                f"one, cumulated{extra})."
            )
        else:
            out.append(
                f"No evidence at the {level:.0%} level (after adjustment for {tested} tests) that "
                f"{named(result, cause, what)} predict {named(result, effect, what, own=False)} ({stat}{extra})."
            )
    rest = leads.iloc[len(shown) :]
    if len(rest):
        n_found = int((rest["pvalue_adjusted"] < level).sum())
        out.append(
            f"The {len(rest)} other direction{'s' * (len(rest) > 1)} (in the table): {n_found} with evidence at "
            f"the {level:.0%} level, "
            f"{len(rest) - n_found} without, by the {rest['model'].iloc[0]} test after adjustment for "
            f"{tested} tests."
        )
    return out


def named(result: ReciprocityResult, column: str, what: str, own: bool = True) -> str:
    """``"Israel's killings"``, or for a dyad series ``"Israel's killings in Palestinians"``."""
    if result.by != "dyad":
        return f"{possessive(column)} {what}" if own else possessive(column)
    actor, target = column.split(DYAD_ARROW, 1)
    preposition = {"killings": "of", "actions": "against", "days with killings": "of"}[what]
    return f"{possessive(actor)} {what} {preposition} {target}"
