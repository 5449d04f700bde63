"""The report's words: every number computed, every string from the data HTML-escaped.

The report notebook calls these functions, so what the report says can be
tested without running a notebook. Analyses that cannot run on a dataset
(one side only, too few events) are reported as unavailable with the reason,
instead of stopping the report.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..chains import ChainsResult, chains
from ..episodes import EpisodesResult, episodes
from ..errors import EscalationError
from ..events import Events
from ..stats.hawkes import HawkesResult, fit_hawkes
from ..stats.reciprocity import ReciprocityResult, reciprocity
from ..stats.survival import TimeToResponseResult, time_to_response


def esc_html(value: object) -> str:
    """Text from the data, safe inside HTML."""
    return html.escape("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))


def duration_words(value: str) -> str:
    """``"30D"`` -> ``"30 days"``; ``"12h"`` -> ``"12 hours"`` (for prose)."""
    td = pd.Timedelta(value)
    days = td / pd.Timedelta(days=1)
    if days >= 1 and days == int(days):
        return f"{int(days)} day{'s' if days != 1 else ''}"
    hours = td / pd.Timedelta(hours=1)
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


#: Readable headers for the tables the report shows.
HEADERS = {
    "chain_id": "chain", "n_events": "events", "n_steps": "steps", "n_stated": "stated",
    "n_escalations": "up", "n_deescalations": "down", "side_a": "side A", "side_b": "side B",
    "one_sided_share": "one-sided share", "median_duration_days": "median days", "mean_events": "mean events",
    "mean_counter_retaliations": "mean counter-retaliations", "max_counter_retaliations": "max counter-retaliations",
    "started_by_a": "started by A", "ended_by_a": "ended by A", "started_by_b": "started by B",
    "ended_by_b": "ended by B", "median_days": "median days", "median_ci_lower": "median CI low",
    "median_ci_upper": "median CI high", "answered_share_raw": "answered (raw share)",
    "answered_by_1d": "by 1 day", "answered_by_3d": "by 3 days", "answered_by_7d": "by 7 days",
    "answered_by_30d": "by 30 days",
}  # fmt: skip


def num(key: str, value: object, fmt: str = "{}") -> str:
    """A computed number, tagged so tests can read it back from the report."""
    text = fmt.format(value) if not isinstance(value, str) else value
    return f'<span class="num" data-key="{html.escape(key)}">{html.escape(text)}</span>'


@dataclass
class Analyses:
    """Every analysis of the report, or why it could not run."""

    chains: ChainsResult | None = None
    episodes: EpisodesResult | None = None
    ttr: TimeToResponseResult | None = None
    reciprocity: ReciprocityResult | None = None
    hawkes: HawkesResult | None = None
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    window: str = "30D"
    calm: str = "3D"
    freq: str = "D"


def _attempt(analyses: Analyses, name: str, run: Callable[[], Any]) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = run()
        except (EscalationError, ValueError, np.linalg.LinAlgError) as exc:
            analyses.errors[name] = str(exc)
            return None
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning | UserWarning)]
    if messages:
        analyses.notes[name] = sorted(set(messages))
    return result


def choose_freq(events: Events) -> str:
    """Daily series for long, dense data; weekly for sparse data (fewer than ~1 event a day on average)."""
    f = events.frame
    days = max((f["date"].max() - f["date"].min()).days + 1, 1)
    return "D" if len(f) / days >= 1 else "W"


def run_analyses(events: Events, *, window: str = "30D", calm: str = "3D", freq: str | None = None) -> Analyses:
    """Run every analysis of the report with the same settings."""
    a = Analyses(window=window, calm=calm, freq=freq or choose_freq(events))
    a.chains = _attempt(a, "chains", lambda: chains(events, window=window))
    a.episodes = _attempt(a, "episodes", lambda: episodes(events, calm=calm))
    a.ttr = _attempt(a, "time to response", lambda: time_to_response(events, window=window))
    a.reciprocity = _attempt(a, "reciprocity", lambda: reciprocity(events, freq=a.freq, measure=_measure(events)))
    a.hawkes = _attempt(a, "hawkes", lambda: fit_hawkes(events))
    return a


def _measure(events: Events) -> str:
    """Fatalities when most events report them, else event counts."""
    known = events.frame["fatalities"].notna().mean() if len(events.frame) else 0.0
    return "fatalities" if known >= 0.5 and events.frame["fatalities"].fillna(0).sum() > 0 else "events"


def unavailable(analyses: Analyses, name: str) -> str:
    reason = esc_html(analyses.errors.get(name, "not run"))
    return f'<p class="unavailable">Not available for this dataset: {reason}</p>'


def summary_html(events: Events, a: Analyses) -> str:
    """The plain-words summary paragraph(s) at the top of the report."""
    f = events.frame
    p = events.provenance
    parts = []
    sides = events.side_list()
    window, calm = esc_html(duration_words(a.window)), esc_html(duration_words(a.calm))
    source = esc_html(p.get("dataset") or p.get("file"))
    parts.append(
        f"This report covers {num('events', len(f))} events "
        f"from {num('start', f['date'].min().date().isoformat())} to {num('end', f['date'].max().date().isoformat())} "
        f"involving {num('sides', len(sides))} sides ({esc_html(', '.join(sides))}). "
        f"Of {num('rows_read', events.n_read)} rows read from <code>{source}</code>, "
        f"{num('accepted', events.n_accepted)} were accepted and {num('rejected', events.n_rejected)} rejected."
    )
    if a.chains is not None:
        s = a.chains.summary["value"]
        text = (
            f"{num('links', int(s['links']))} trigger-to-response links were found "
            f"({num('stated', int(s['stated links']))} stated by officials, "
            f"{num('inferred', int(s['inferred links']))} inferred by dyad reversal within {window}), "
            f"forming {num('chains', int(s['chains']))} chains. "
        )
        if len(a.chains.chains):
            longest = a.chains.chains.sort_values(["n_steps", "start"], ascending=[False, True]).iloc[0]
            text += (
                f"The longest runs from {esc_html(longest['start'].date())} to {esc_html(longest['end'].date())} "
                f"with {num('longest_steps', int(longest['n_steps']))} steps among {esc_html(longest['sides'])}. "
            )
        if int(s["links"]):
            median = num("median_interval", float(s["median interval (days)"]), "{:.1f}")
            text += (
                f"{num('escalations', int(s['steps: escalation']))} steps went up the escalation ladder, "
                f"{num('proportional', int(s['steps: proportional']))} matched their trigger and "
                f"{num('deescalations', int(s['steps: de-escalation']))} went down; "
                f"the median interval from trigger to response was {median} days."
            )
        parts.append(text)
    if a.ttr is not None and len(a.ttr.table):
        t = a.ttr.table
        parts.append(
            f"Of {num('answerable', len(t))} events that the other side could answer, "
            f"{num('answered', int(t['answered'].sum()))} were answered within {window}; "
            "the others are counted as censored, not dropped."
        )
    if a.reciprocity is not None:
        parts.append(" ".join(esc_html(x) for x in a.reciprocity.sentences()))
    if a.hawkes is not None:
        h = a.hawkes
        triggered = 1 - float(h.trigger_probabilities["p_background"].mean())
        unit = "days" if h.data.time_unit == "D" else h.data.time_unit
        parts.append(
            "A Hawkes process fitted to the events has branching ratio "
            f"{num('branching_ratio', h.branching_ratio_, '{:.2f}')}: about "
            f"{num('triggered_share', 100 * triggered, '{:.0f}')}% of events are estimated to have been set off "
            f"by earlier ones, with a mean delay of {num('mean_delay_days', 1 / h.decay_, '{:.1f}')} {unit}."
        )
    if a.episodes is not None and len(a.episodes.episodes):
        ep = a.episodes.episodes
        one_sided = num("one_sided_pct", 100 * float(ep["one_sided"].mean()), "{:.0f}")
        parts.append(
            f"Split at gaps of at least {calm}, the dyads' activity forms {num('episodes', len(ep))} episodes, "
            f"{one_sided}% of them one-sided."
        )
    return "".join(f"<p>{part}</p>" for part in parts)


def table_html(frame: pd.DataFrame, *, max_rows: int = 25, float_format: str = "{:.3g}") -> str:
    """A DataFrame as an escaped HTML table (pandas escapes cell text)."""
    shown = frame.head(max_rows).rename(columns=HEADERS)
    out = shown.to_html(index=False, escape=True, na_rep="", float_format=lambda v: float_format.format(v), border=0)
    if len(frame) > max_rows:
        out += f'<p class="more">... {len(frame) - max_rows} more rows not shown.</p>'
    return out


def provenance_html(events: Events) -> str:
    """Where the data came from: file, format, counts, mapping, and the rejection table."""
    p = events.provenance
    rows = [
        ("file", p.get("dataset") or p.get("file")),
        ("format", p.get("format")),
        ("rows read", events.n_read),
        ("accepted", events.n_accepted),
        ("rejected", events.n_rejected),
        ("sides mapping", p.get("sides") or "none (each name is its own side)"),
        ("one row per victim", "yes" if p.get("per_victim") else "no"),
    ]
    head = pd.DataFrame(rows, columns=["", "value"])
    out = table_html(head)
    if events.n_rejected:
        out += "<h3>Rejected rows</h3>" + table_html(
            events.rejections[["row", "column", "value", "reason"]], max_rows=40
        )
    return out


def chain_steps(result: ChainsResult, chain_id: int) -> pd.DataFrame:
    """One chain as a story: each event in date order, who did what to whom, what it answered, and notes."""
    f = result.events.frame.set_index("event_id")
    links = result.chain(chain_id)
    ids = pd.Index(pd.concat([links["trigger_id"], links["response_id"]], ignore_index=True)).unique()
    nodes = f.loc[ids].sort_values("date", kind="stable")
    answers = (
        links["trigger_date"].dt.strftime("%Y-%m-%d") + " " + links["trigger_type"].fillna("?").astype(str)
        + " (" + links["interval_days"].round(1).astype(str) + " d, " + links["link_kind"].astype(str)
        + ", " + links["step_kind"].astype(str) + ")"
    )  # fmt: skip
    answered = answers.groupby(links["response_id"].to_numpy()).agg("; ".join)
    deaths = nodes["fatalities"].astype("Float64").astype(str).replace("<NA>", "").str.replace(".0", "", regex=False)
    return pd.DataFrame(
        {
            "date": nodes["date"].dt.strftime("%Y-%m-%d").to_numpy(),
            "who, against whom": (nodes["actor"].astype(str) + " against " + nodes["target"].astype(str)).to_numpy(),
            "what": nodes["event_type"].fillna("").astype(str).to_numpy(),
            "killed": deaths.to_numpy(),
            "answers": answered.reindex(nodes.index).fillna("").to_numpy(),
            "notes": nodes["notes"].fillna("").astype(str).to_numpy(),
        }
    )


def main_chains(result: ChainsResult, top: int = 4) -> list[int]:
    """Ids of the chains with the most steps (ties: earliest first)."""
    if not len(result.chains):
        return []
    ranked = result.chains.sort_values(["n_steps", "start"], ascending=[False, True])
    return [int(c) for c in ranked["chain_id"].head(top)]


METHODS = """
<ul>
<li><b>Links.</b> A <i>stated</i> link is taken from <code>responds_to</code>: an official said this action answered
that one. An <i>inferred</i> link joins an event by side A against side B to the most recent earlier event by B
against A within the window (dyad reversal). Inferred links are hypotheses about sequence, not evidence of
causation; stated links report what officials claimed, which is not proof either.</li>
<li><b>Escalation ladder.</b> Each event type has a rank from 0 (ceasefire) to 9 (targeted killing of a leader);
a response is an escalation, proportional or a de-escalation compared with its trigger, on rank and, within a
rank, on deaths. The ladder is a convention: different analysts would rank some types differently.</li>
<li><b>Time to response.</b> Kaplan-Meier estimates of the time until the other side's next action against the
initiator; events not answered within the window, or too close to the end of the data, are right-censored.</li>
<li><b>Reciprocity.</b> A vector autoregression of each side's deaths caused (or events) per period, with Granger
F-tests and impulse responses, and Poisson and negative-binomial count models, because conflict counts are sparse
and overdispersed. Granger causality means "helps predict", not "causes".</li>
<li><b>Hawkes process.</b> Each side's events raise the rate of later events by every side, decaying
exponentially; fitted by maximum likelihood. Events without a clock time are placed at a random time within
their day. Trigger probabilities are model-based attributions; the goodness-of-fit test says how far to trust
them.</li>
<li><b>Episodes.</b> Each dyad's activity is split at gaps of at least the calm period; counter-retaliations count
the times the acting side switched.</li>
<li><b>Data.</b> Event data record what was reported. Unreported events, attribution errors (most attacks are
unclaimed) and coding choices affect every number here.</li>
</ul>
"""


def sources_html(events: Events, limit: int = 60) -> str:
    """The data's sources: the dataset's citation and the distinct ``source`` values."""
    p = events.provenance
    parts = []
    if p.get("dataset") == "iraq_2019_2021":
        parts.append(
            "<p>Bundled dataset <code>iraq_2019_2021</code>, compiled from public reporting; see "
            "<code>escalation/datasets/README.md</code>. Outlets cited per event:</p>"
        )
    else:
        parts.append(f"<p>Data file: <code>{esc_html(p.get('file'))}</code> ({esc_html(p.get('format'))} format).</p>")
    sources = events.frame["source"].dropna().astype(str)
    if len(sources):
        distinct = sources.value_counts()
        items = "".join(f"<li>{esc_html(s)}</li>" for s in distinct.index[:limit])
        more = f"<p class='more'>... and {len(distinct) - limit} more.</p>" if len(distinct) > limit else ""
        parts.append(f"<ul class='sources'>{items}</ul>{more}")
    else:
        parts.append("<p>The data carry no per-event source column.</p>")
    return "".join(parts)
