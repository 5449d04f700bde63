"""The report's Key findings: what the analyses say, each next to the chance comparison that gives it meaning.

Every sentence comes from a table a reader can recompute: ``ChainsResult.step_shares()`` (does a side climb
when it answers?), ``TimeToResponseResult.baseline`` (does it answer more often than unrelated timing
would?), ``ChainsResult.chains`` (the chains that matter). Numbers are tagged (``num``) so that tests read
them back. ``TrendResult`` (is activity or the ladder rank rising?) comes with how far its test can be trusted
on data this long.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._core.levels import LEVEL
from .._core.words import possessive
from ..events.table import Events
from .analyses import Analyses
from .text import answer_sentences, duration_words, esc_html, least_answered, lethal_caveat, num

#: A rung holding this share of the ranked events makes the ladder say little; the findings warn.
CROWDED_RUNG = 0.8


class _Row(dict[Any, Any]):
    """A table row whose columns read as attributes (``row.steps``)."""

    def __getattr__(self, name: str) -> Any:
        return self[name]


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def step_findings(a: Analyses, most: int = 4) -> list[str]:
    """One sentence per responding side: its steps up the ladder against random pairing."""
    if a.chains is None or not len(a.chains.links):
        return []
    table = a.chains.step_shares()
    out: list[str] = []
    few: list[str] = []
    for r in table.to_dict("records"):
        row = _Row(r)
        side = str(row.response_side)
        known = int(row.escalations + row.matched + row.deescalations)
        if known < a.min_n:
            few.append(f"{esc_html(side)} ({known})")
            continue
        if len(out) == most:
            continue
        p = row.pvalue_escalation
        if p < LEVEL and row.escalation_share > row.chance_escalation_share:
            verdict = "more often than random pairing gives: it climbs when it responds"
        elif p < LEVEL:
            verdict = "less often than random pairing gives: its responses stay below its usual rung"
        else:
            verdict = f"within what random pairing gives: its responses climb no more than its usual {a.noun}s do"
        key = f"steps_{side}"
        out.append(
            f"<b>{esc_html(side)}</b> went up the escalation ladder in {num(key + '_up', int(row.escalations))} of "
            f"its {num(key + '_known', known)} responses ({num(key + '_share', _pct(row.escalation_share))}) and "
            f"down in {num(key + '_down', int(row.deescalations))} (responses: its {a.noun}s linked to an earlier one "
            "of the other side, stated or within the window, a sequence rather than a shown answer). Paired at random "
            "with the triggers it responded to, "
            f"its responses would go up {num(key + '_chance', _pct(row.chance_escalation_share))} of the time "
            f"(95% range {_pct(row.chance_lower)}-{_pct(row.chance_upper)}; p = {p:.2g}): {verdict}."
        )
    if few:
        out.append(f"Too few steps with both rungs known to compare with chance (fewer than {a.min_n}, the report's "
                   "minimum): "
                   f"{', '.join(few)}.")  # fmt: skip
    ranks = a.chains.ranks.dropna()
    if len(ranks):
        top_rank, share = ranks.value_counts().index[0], float(ranks.value_counts(normalize=True).iloc[0])
        if share >= CROWDED_RUNG:
            out.append(f"Caution: {num('crowded_rung_share', _pct(share))} of the ranked events sit on one rung "
                       f"(rank {top_rank:g}), so most steps compare like with like and a step's direction turns "
                       "on deaths within the rung: check that the event types are informative (the ladder is set "
                       "by the event_type column).")  # fmt: skip
    unknown = int(table["unknown"].sum())
    if unknown:
        out.append(f"{num('steps_unknown', unknown)} steps involve an event type the ladder does not rank; they are "
                   "counted as unknown, not as any direction.")  # fmt: skip
    return out


def speed_findings(a: Analyses, most: int = 4) -> list[str]:
    """How often and how fast each side answers, against unrelated timing."""
    if a.ttr is None or not len(a.ttr.table):
        return []
    window = duration_words(a.window)
    came = a.chains.baseline if a.chains is not None else None
    out = answer_sentences(a.ttr.baseline, came, a.ttr.timescale, most=most, min_n=a.min_n, noun=a.noun)
    medians = a.ttr.conf_int()
    sizes = a.ttr.summary().set_index("group")
    large = sizes.index[(sizes["events"] >= a.min_n) & (sizes["answered"] >= least_answered(a.min_n))]
    medians = medians[medians["median_days"].notna() & medians["group"].isin(large)]
    for r in medians.head(most).to_dict("records"):
        row = _Row(r)
        bounded = pd.notna(row.upper) and np.isfinite(row.upper)
        ci = "" if pd.isna(row.lower) else f", 95% interval {row.lower:.0f}-{row.upper:.0f}" if bounded else (
            f", 95% interval from {row.lower:.0f} day{'' if row.lower == 1 else 's'}, no upper bound")  # fmt: skip
        days = "day" if f"{row.median_days:.0f}" == "1" else "days"
        first = a.ttr.table[a.ttr.table["group"] == row.group].iloc[0]
        init, resp = possessive(esc_html(first["initiator"])), possessive(esc_html(first["responder"]))
        median = num("median_" + str(row.group), f"{row.median_days:.0f}")
        out.append(f"Half of {init} {a.noun}s were followed by {resp} next {a.noun}, an answer or not, within "
                   f"{median} {days}{ci} (Kaplan-Meier median of the wait; {a.noun}s without one within "
                   f"{esc_html(window)} count as censored, not dropped).{_chance_wait(a, str(row.group))}")  # fmt: skip
    out += delay_findings(a, most)
    return out


def _chance_wait(a: Analyses, group: str) -> str:
    """The median of the same wait when nobody answers (:attr:`TimeToResponseResult.chance`, to the answer
    lag), so that a short wait is not read as an answer when two busy sides give it anyway; whether the
    direction answers is the headline's test above."""
    assert a.ttr is not None
    c = a.ttr.chance
    c = c[c["group"] == group]
    if c.empty:
        return ""
    lag = float(c["time"].iloc[-1])
    half = c[c["survival"] <= 0.5]
    if len(half):
        t = float(half["time"].iloc[0])
        median = f"{t:.0f} day{'' if t == 1 else 's'}"
    else:
        median = f"more than {lag:.0f} days (chance is drawn to the answer lag only)"
    key = f"chance_wait_{group}"
    return (
        f" With the other side's {a.noun}s rotated within the tide's blocks (nobody answers), the median wait "
        f"would be {num(key, median)}."
    )


def delay_findings(a: Analyses, most: int = 4) -> list[str]:
    """The delay of the answers, for the directions the tide-keeping test finds answering (and no others)."""
    if a.ttr is None:
        return []
    followed = a.ttr.baseline
    found = followed[(followed["pvalue"] <= LEVEL) & (followed["responses"] >= a.min_n)
                     & (followed["observed"] >= least_answered(a.min_n))]  # fmt: skip
    if found.empty:
        return []
    delay = a.ttr.answer_delay.summary().set_index(["trigger_side", "response_side"])
    out = []
    for r in found.head(most).to_dict("records"):
        key = (r["trigger_side"], r["response_side"])
        if key not in delay.index or pd.isna(delay.loc[key, "median_delay_days"]):
            continue
        d = delay.loc[key]
        tag = f"delay_{r['trigger_side']}_{r['response_side']}"
        out.append(
            f"{possessive(esc_html(r['response_side']))} answers to {esc_html(r['trigger_side'])} come a median "
            f"{num(tag, f'{d.median_delay_days:.1f}')} days after (95% interval {d.median_lower:.1f}-"
            f"{d.median_upper:.1f}; mean {d.mean_delay_days:.1f}), about {d.answers_per_trigger:.2f} answers per "
            f"{a.noun} (95% interval {d.lower:.2f}-{d.upper:.2f}) within {a.ttr.answer_delay.lags} days: the "
            f"excess of its {a.noun}s after the other side's, by day, over its own slow changes and bursts (a Hawkes "
            f"kernel by day lag), not the wait for its next {a.noun}."
        )
    return out


def chain_findings(events: Events, a: Analyses) -> list[str]:
    """The longest, the deadliest and the most escalatory chain, one sentence each, and a warning when the
    longest is a period of continuous fighting rather than one sequence of answers.

    "Most escalatory" is a rate: the largest share of steps up the ladder among chains with at least the
    report's minimum of steps with both rungs known (a count would crown the biggest chain).
    """
    if a.chains is None or not len(a.chains.chains):
        return []
    chains, frame = a.chains.chains, events.frame.set_index("event_id")
    chains = chains.assign(up_share=chains["n_escalations"] / chains["n_ranked_steps"].where(
        chains["n_ranked_steps"] >= a.min_n))  # fmt: skip

    def event(eid: str) -> str:
        e = frame.loc[eid]
        place = f" ({e['location']})" if isinstance(e.get("location"), str) else ""
        kind = esc_html(e["event_type"]) or "event of unrecorded type"
        return f"{kind} by {esc_html(e['actor'])} on {e['date']:%Y-%m-%d}{esc_html(place)}"

    out: list[str] = []
    told: set[int] = set()
    rules = (("longest", "n_steps", ""), ("deadliest", "fatalities", ""),
             ("most escalatory", "up_share", f" (the largest share of steps up the ladder among chains with at least "
                                             f"{a.min_n} steps whose rungs are known)"))  # fmt: skip
    for label, column, how in rules:
        ranked = chains.sort_values([column, "start"], ascending=[False, True], kind="stable", na_position="last")
        top = ranked.iloc[0]
        if pd.isna(top[column]) or top[column] == 0:
            if column == "up_share":
                out.append(f"No chain has {a.min_n} steps whose rungs are known, the report's minimum for a chain's "
                           "share of steps up: none is called the most escalatory.")  # fmt: skip
            continue
        share = (f" ({num('chain_up_share', _pct(top['up_share']))} of its {int(top['n_ranked_steps'])} ranked "
                 "steps up)") if column == "up_share" else ""  # fmt: skip
        if column == "up_share" and chains["up_share"].notna().sum() == 1:
            out.append(f"Only chain #{num('chain_' + label, int(top['chain_id']))} has at least {a.min_n} steps whose "
                       "rungs are known (the report's minimum for a chain's share of steps up); "
                       f"{num('chain_up_share', _pct(top['up_share']))} of its {int(top['n_ranked_steps'])} went up. "
                       "With no other chain to compare, none is called the most escalatory.")  # fmt: skip
            continue
        if int(top["chain_id"]) in told:
            out.append(f"The {label} chain{how} is the same, #{num('chain_' + label, int(top['chain_id']))}{share}.")
            continue
        told.add(int(top["chain_id"]))
        out.append(
            f"The {label} chain{how}, #{num('chain_' + label, int(top['chain_id']))}{share}: {int(top['n_steps'])} "
            f"steps over {int(top['duration_days'])} days among {esc_html(top['sides'])}, "
            f"{int(top['n_escalations'])} of them up the ladder and {int(top['n_deescalations'])} down, "
            f"{int(top['fatalities']) if pd.notna(top['fatalities']) else 'unknown'} deaths; from the "
            f"{event(top['first_event'])} to the {event(top['last_event'])}."
        )
    out += _continuous_fighting(chains, a)
    return out


#: A chain longer than this many windows, or holding more than half of the linked events, is called a period.
LONG_CHAIN_WINDOWS = 10


def _continuous_fighting(chains: pd.DataFrame, a: Analyses) -> list[str]:
    """A warning for each chain that spans many windows or absorbs most linked events (the Second Intifada as
    one chain of 1,144 steps): chains break only where no link spans the quiet, so in dense fighting every link
    joins one sequence."""
    window_days = pd.Timedelta(a.window).total_seconds() / 86400
    linked = int(chains["n_events"].sum())
    big = chains[(chains["duration_days"] > LONG_CHAIN_WINDOWS * window_days) | (2 * chains["n_events"] > linked)]
    out = []
    for r in big.sort_values("n_steps", ascending=False).head(3).to_dict("records"):
        row = _Row(r)
        share = num(f"chain_{int(row.chain_id)}_events_share", _pct(row.n_events / linked))
        out.append(
            f"Caution: chain #{int(row.chain_id)} is a period of continuous fighting rather than one sequence of "
            f"answers: it runs {int(row.duration_days)} days ({row.duration_days / window_days:.0f} windows of "
            f"{esc_html(duration_words(a.window))}) and holds {share} "
            f"of the linked events, and its longest quiet spell is {row.longest_gap_days:.0f} days. A chain breaks "
            f"only where no link spans the quiet (at most the window, {esc_html(duration_words(a.window))}, unless "
            "a stated link bridges more), so while both sides keep acting every link joins it; read its steps, "
            "not its length (a shorter window splits it: the window table under Main escalation chains)."
        )
    return out


def trend_findings(a: Analyses, most_sides: int = 3) -> list[str]:
    """Per series, the fitted level at both ends of the data and the fixed-b trend test's verdict.

    All sides together always get a sentence; with more than ``most_sides`` sides, only the side series with
    a trend do, and one sentence counts the others against the number a 5% test finds by chance.
    """
    if a.trend is None:
        reason = a.errors.get("trend")
        return [f"No trend test: {esc_html(reason)}."] if reason else []
    from ..stats.trend import ALL_SIDES, SHORT_MONTHS

    table = a.trend.table
    pooled, by_side = table[table["series"] == ALL_SIDES], table[table["series"] != ALL_SIDES]
    crowded = by_side["series"].nunique() > most_sides
    told = by_side[by_side["direction"] != "no trend shown"].sort_values("pvalue") if crowded else by_side
    out = [_trend_sentence(_Row(r)) for r in pd.concat([pooled, told]).to_dict("records")]
    if crowded:
        found = int((by_side["direction"] != "no trend shown").sum())
        out.append(
            f"Of the {num('trend_side_series', len(by_side))} series of single sides tested (table under Timeline), "
            f"{num('trend_side_found', found)} show a trend at the 5% level, where about "
            f"{LEVEL * len(by_side):.1f} would by chance alone with no trend anywhere; the others show none beyond "
            "month-to-month swings."
        )
    if len(out) and int(table["months"].max()) < SHORT_MONTHS:
        out.append(
            f"How far to trust this: on fewer than {SHORT_MONTHS // 12} years of monthly values, the test finds a "
            "trend in up to 14% of simulated trendless but strongly persistent series at the 5% level, and misses a "
            "real 1.5-fold yearly rise in 86% of two-year series (benchmarks/trend_size.py): read p between 0.01 and "
            "0.05 as weak, and a large p as little evidence either way."
        )
    if a.trend.skipped:
        listed = a.trend.skipped[:6] + ([f"and {len(a.trend.skipped) - 6} more"] if len(a.trend.skipped) > 6 else [])
        out.append("Not tested (too few events or months): " + esc_html("; ".join(listed)) + ".")
    return out


def _trend_sentence(row: _Row) -> str:
    what = {"events": "events a month", "fatalities": "known deaths a month", "rank": "mean ladder rank"}
    key = f"trend_{row.series}_{row.measure}"
    verdict = {
        "up": "rising, more than a persistent series without a trend would show",
        "down": "falling, more than a persistent series without a trend would show",
    }.get(row.direction, "no trend beyond what month-to-month swings alone produce")
    digits = "{:.1f}" if row.measure == "rank" or row.fitted_end < 10 else "{:.0f}"
    return (
        f"<b>{esc_html(row.series)}</b>, {what[row.measure]}: from about "
        f"{num(key + '_start', row.fitted_start, digits)} to {num(key + '_end', row.fitted_end, digits)} over "
        f"{row.months} months{' with ranked events' if row.measure == 'rank' else ''} ({row.start:%Y-%m} to "
        f"{row.end:%Y-%m}, a straight line on log(1 + value)); trend test "
        f"p = {num(key + '_p', row.pvalue, '{:.2g}')}: {verdict}."
    )


def findings_html(events: Events, a: Analyses) -> str:
    """The Key findings section: the ladder per side, the speed of answers, the chains, the trend."""
    parts = [
        ("Does each side answer the other?", speed_findings(a)),
        ("Who escalates when responding", step_findings(a)),
        ("The chains that matter", chain_findings(events, a)),
        ("Up or down over time", trend_findings(a)),
    ]
    caveat = lethal_caveat(events)
    html = [f"<p class='warning'>{esc_html(caveat)}</p>"] if caveat else []
    for title, sentences in parts:
        if sentences:
            items = "".join(f"<li>{s}</li>" for s in sentences)
            html.append(f"<h3>{esc_html(title)}</h3><ul class='findings'>{items}</ul>")
    return "".join(html) or "<p>No findings: the data have no links between sides.</p>"
