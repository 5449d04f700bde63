"""How much the main link numbers move with the settings: two other windows and the other linking method."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._core.levels import LEVEL
from ..errors import EscalationError
from ..events.table import Events
from ..linking.chains import ChainsResult, chains
from .analyses import Analyses
from .text import esc_html, table_html

#: Windows tried beside the report's own.
WINDOWS = ("7D", "14D")
#: Above this many events the Hawkes linking method is left out of the table (it fits a model per run).
HAWKES_MAX_EVENTS = 1500


def _share_with_chance(shares: pd.DataFrame, kind: str) -> str | None:
    """``"31 (35)"``: the percentage of steps with both rungs known that went ``kind`` (``escalation`` or
    ``deescalation``), and what random pairing of each side's responses with its triggers gives, pooled over
    the responding sides by their steps (``ChainsResult.step_shares``)."""
    known = shares["escalations"] + shares["matched"] + shares["deescalations"]
    if not known.sum():
        return None
    observed = (shares[f"{kind}_share"] * known).sum() / known.sum()
    chance = (shares[f"chance_{kind}_share"] * known).sum() / known.sum()
    return f"{100 * observed:.0f} ({100 * chance:.0f})"


def _row(setting: str, result: ChainsResult) -> dict[str, object]:
    s = result.summary().iloc[-1]  # all sides
    links = int(s["links"])
    base = result.baseline
    above = int((base["pvalue"] <= LEVEL).sum()) if base is not None and len(base) else 0
    shares = result.step_shares()
    return {
        "setting": setting,
        "links": links,
        "inferred": int(s["inferred"]),
        "chains": int(s["chains"]),
        "longest chain (steps)": int(s["longest_chain_steps"]),
        "steps up % (chance %)": _share_with_chance(shares, "escalation"),
        "steps down % (chance %)": _share_with_chance(shares, "deescalation"),
        "median interval (days)": float(s["median_interval_days"]) if links else None,
        "directions above chance": f"{above} of {0 if base is None else len(base)}",
    }


def sensitivity_table(events: Events, a: Analyses) -> tuple[pd.DataFrame, list[str]]:
    """One row per setting: the report's window, :data:`WINDOWS`, and Hawkes linking; and what was left out."""
    rows, left_out = [], []
    if a.chains is not None:
        rows.append(_row(f"window {a.window} (this report)", a.chains))
    for window in WINDOWS:
        if pd.Timedelta(window) == pd.Timedelta(a.window):
            continue
        try:
            rows.append(_row(f"window {window}", chains(events, window=window, ladder=a.ladder, tide=a.tide)))
        except EscalationError as exc:
            left_out.append(f"window {window}: {exc}")
    if len(events.frame) <= HAWKES_MAX_EVENTS:
        try:
            hawkes = chains(events, window=a.window, method="hawkes", ladder=a.ladder, tide=a.tide)
            rows.append(_row(f"Hawkes linking, window {a.window}", hawkes))
        except (EscalationError, ValueError) as exc:
            left_out.append(f"Hawkes linking: {exc}")
    else:
        left_out.append(f"Hawkes linking (more than {HAWKES_MAX_EVENTS} {events.unit}s; run "
                        "escalation.chains(events, method='hawkes') to see it)")  # fmt: skip
    return pd.DataFrame(rows), left_out


def sensitivity_html(events: Events, a: Analyses, tables: Any = None, command: str | None = None) -> str:
    """The sensitivity table with its reading; through ``tables`` (a :class:`~escalation.report.tables.Tables`)
    when given, so that it can be taken away."""
    table, left_out = sensitivity_table(events, a)
    if table.empty:
        return ""
    out = ("<p>The same link numbers under other settings. Steps up and down: percent of the steps with both "
           "rungs known, and in brackets what random pairing of each side's responses with its triggers gives. "
           "Directions above chance: how many directions' responses came within a quarter of the tide after the "
           "other side's action more often than rotations within the tide's blocks give (\"came after\", p &le; "
           "0.05; the same for every window of at least a quarter of the tide). A finding that holds in one row "
           "only depends on the setting.</p>")  # fmt: skip
    out += (
        table_html(table)
        if tables is None
        else tables.html(
            table,
            "sensitivity",
            command=command,
            caption=" (W: each row's window"
            + ("; the Hawkes row adds --method hawkes)" if table["setting"].str.startswith("Hawkes").any() else ")"),
        )
    )
    if left_out:
        out += "<p class='more'>Not run: " + esc_html("; ".join(left_out)) + ".</p>"
    return out
