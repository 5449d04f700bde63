"""The report's words: every number computed, every string from the data HTML-escaped.

The report notebook calls these functions, so what the report says can be
tested without running a notebook. The analyses they put into words are run by :mod:`.analyses`; the Methods
section is in :mod:`.methods`.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from .._core.levels import LEVEL
from .._core.time import PERIODS
from .._core.words import a_, duration_words, interval_words, possessive
from ..events.table import Events
from ..linking.chains import ChainsResult
from ..stats.hawkes import HawkesResult
from ..stats.survival import TimeToResponseResult
from ..stats.trend import ALL_SIDES, TrendResult
from .analyses import MIN_N, Analyses, lethal_only


def undrawn_groups(ttr: TimeToResponseResult, min_n: int = MIN_N) -> str:
    """The groups too small to draw as a curve, said under the figure."""
    sizes = ttr.table["group"].value_counts().sort_index()
    small = sizes[sizes < min_n]
    if small.empty:
        return ""
    listed = "; ".join(f"{esc_html(g)} ({n})" for g, n in small.items())
    return (f"<p class='more'>Not drawn (fewer than {min_n} events, the report's minimum; in the table below): "
            f"{listed}.</p>")  # fmt: skip


def source_name(events: Events) -> str:
    """What the data are called in the report: the bundled dataset's name, or the file's name without the
    folders it sits in (a report is shared; the path of someone's home directory or venv is not its business)."""
    p = events.provenance
    if p.get("dataset"):
        return f"{p['dataset']} (bundled with escalation)"
    file = p.get("file")
    return Path(str(file)).name if file else "a table given in Python"


def credited(events: Events) -> str:
    """Who the report credits for the data: the publisher given with ``--source-name`` (recorded by the
    report as ``provenance["publisher"]``), else :func:`source_name`."""
    return str(events.provenance.get("publisher") or source_name(events))


def data_title(events: Events, most: int = 3) -> str:
    """A title from the data: the most active sides and the months covered."""
    f = events.frame
    active = f["actor_side"].astype(str).value_counts().index.tolist()
    names = active[:most]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    more = f" (and {len(active) - most} more)" if len(active) > most else ""
    return f"{who}{more}, {f['date'].min():%B %Y} - {f['date'].max():%B %Y}"


def esc_html(value: object) -> str:
    """Text from the data, safe inside HTML."""
    missing = value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))
    return html.escape("" if missing else str(value))


#: Readable headers for the tables the report shows.
HEADERS = {
    "chain_id": "chain", "n_events": "events", "n_steps": "steps", "n_stated": "stated",
    "mean_gap": "mean rescaled gap", "ks_statistic": "KS statistic", "ks_pvalue": "KS p",
    "n_escalations": "up", "n_deescalations": "down", "side_a": "side A", "side_b": "side B",
    "one_sided_share": "one-sided share", "median_duration_days": "median days", "mean_events": "mean events",
    "mean_counter_retaliations": "mean counter-retaliations", "max_counter_retaliations": "max counter-retaliations",
    "started_by_a": "started by A", "ended_by_a": "ended by A", "started_by_b": "started by B",
    "ended_by_b": "ended by B", "median_days": "median days", "median_ci_lower": "median CI low",
    "median_ci_upper": "median CI high", "answered_share_raw": "followed (raw share)", "answered": "followed",
    "answered_by_1d": "by 1 day", "answered_by_3d": "by 3 days", "answered_by_7d": "by 7 days",
    "answered_by_30d": "by 30 days", "trigger_side": "trigger side", "response_side": "responding side",
    "observed_pct": "observed %", "chance_pct": "chance %", "chance_range": "chance 95% range", "pvalue": "p",
    "pvalue_asymptotic": "p (asymptotic)", "pvalue_adjusted": "p adjusted",
    "started_simultaneous": "started same day", "ended_simultaneous": "ended same day",
}  # fmt: skip


def num(key: str, value: object, fmt: str = "{}") -> str:
    """A computed number, tagged so tests can read it back from the report."""
    text = fmt.format(value) if not isinstance(value, str) else value
    return f'<span class="num" data-key="{html.escape(key)}">{html.escape(text)}</span>'


def lethal_caveat(events: Events) -> str:
    """The caveat of data of killings only, said in Key findings and Methods; "" for other data."""
    if not lethal_only(events):
        return ""
    why = "one row per person killed" if events.provenance.get("per_victim") else "every event has a death"
    return (
        f"These data record killings only ({why}): an attack that killed nobody is absent, so an "
        '"answer" here is a lethal incident that followed a lethal incident. A side that answers with '
        "non-lethal force, or whose attacks rarely kill, is under-counted, and a surge of deaths can come from "
        "more lethal weapons rather than more attacks."
    )


def reciprocity_tide(a: Analyses) -> str:
    """The tide the reciprocity p-values kept, as a ``--tide`` value (whole days)."""
    if a.reciprocity is None or a.reciprocity.tide is None:
        return a.tide
    return f"{int(pd.Timedelta(a.reciprocity.tide).days)}D"


def hawkes_cautions(h: HawkesResult) -> str:
    """What makes the side-level Hawkes fit fragile, said where it is drawn: few events per parameter, the
    sides whose timing the fit does not describe (time-rescaling KS p < 0.05), and why it can differ from the
    dyadic model."""
    out = [f"<p class='warning'>Caution: {esc_html(d)}.</p>" for d in h.diagnostics]
    gof = h.goodness_of_fit
    failed = gof[(gof["side"] != ALL_SIDES) & (gof["ks_pvalue"] < LEVEL)]
    if len(failed):
        listed = ", ".join(f"{esc_html(r.side)} (KS p = {r.ks_pvalue:.2g})" for r in failed.itertuples())
        out.append(f"<p class='warning'>The fit does not describe when these sides act (time-rescaling test, "
                   f"p &lt; {LEVEL:g}): {listed}; their rows below and their trigger probabilities are not to be "
                   "relied on.</p>")  # fmt: skip
    if out:
        out.append("<p>This model pools each side's actions against every target, one excitation per pair of "
                   "sides; the dyadic model behind the links (Main escalation chains) has one per directed dyad "
                   "and says an answer exists only where it tells answers from none. On few events the two can "
                   "disagree about a single event; the findings use the dyadic model and the chance comparisons."
                   "</p>")  # fmt: skip
    return "".join(out)


def reciprocity_words(a: Analyses) -> str:
    """What the reciprocity series count, per what: "events per day"."""
    measure = a.reciprocity.measure if a.reciprocity is not None else "events"
    return f"{measure} per {PERIODS[a.freq]}"


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
    source = esc_html(credited(events))
    unit = "incidents" if events.members is not None else "events"
    grouped = ""
    if events.members is not None:
        keys = ", ".join(str(k) for k in p.get("incident_keys", []))
        grouped = (f" The source has one row per victim; its {num('rows_grouped', events.n_accepted)} accepted rows "
                   f"were grouped into incidents (rows with equal {esc_html(keys)}), the unit of every analysis "
                   "below.")  # fmt: skip
    parts.append(
        f"This report covers {num('events', len(f))} {unit} "
        f"from {num('start', f['date'].min().date().isoformat())} to {num('end', f['date'].max().date().isoformat())} "
        f"involving {num('sides', len(sides))} sides ({esc_html(', '.join(sides))}). "
        f"Of {num('rows_read', events.n_read)} rows read from <code>{source}</code>, "
        f"{num('accepted', events.n_accepted)} were accepted and {num('rejected', events.n_rejected)} rejected."
        + grouped
    )
    if a.chains is not None:
        s = a.chains.summary().iloc[-1]  # all sides
        text = (
            f"{num('links', int(s['links']))} trigger-to-response links were found "
            f"({num('stated', int(s['stated']))} stated by officials, "
            f"{num('inferred', int(s['inferred']))} inferred by dyad reversal within {window}), "
            f"forming {num('chains', int(s['chains']))} chains (a chain breaks where no link spans the quiet: "
            f"where the sides go longer than {window} without acting against each other, unless a stated link "
            "bridges it). "
        )
        if len(a.chains.chains):
            longest = a.chains.chains.sort_values(["n_steps", "start"], ascending=[False, True]).iloc[0]
            text += (
                f"The longest runs from {esc_html(longest['start'].date())} to {esc_html(longest['end'].date())} "
                f"with {num('longest_steps', int(longest['n_steps']))} steps among {esc_html(longest['sides'])}. "
            )
        if int(s["links"]):
            n_unknown = int(s["unknown"])
            unknown_steps = (f"; {num('unknown_steps', n_unknown)} have an end the ladder does not rank"
                             if n_unknown else "")  # fmt: skip
            median = num("median_interval", float(s["median_interval_days"]), "{:.1f}")
            text += (
                f"{num('escalations', int(s['escalation']))} steps went up the escalation ladder, "
                f"{num('proportional', int(s['proportional']))} matched their trigger and "
                f"{num('deescalations', int(s['de-escalation']))} went down{unknown_steps}; "
                f"the median interval from trigger to response was {median} days."
            )
        parts.append(text)
    if a.ttr is not None and len(a.ttr.table):
        t = a.ttr.table
        came = a.chains.baseline if a.chains is not None else None
        parts.append(
            f"Of {num('answerable', len(t))} {unit} that the other side could answer, "
            f"{num('answered', int(t['answered'].sum()))} were followed by {a_(a.noun)} of the other side within "
            f"{window} (answer or not; the others are counted as censored, not dropped). Whether a side "
            "<i>answers</i> is asked at the timescale of the tide: "
            + " ".join(answer_sentences(a.ttr.baseline, came, a.ttr.timescale, min_n=a.min_n, noun=a.noun))
        )
    if a.reciprocity is not None:
        parts.append(" ".join(esc_html(x) for x in a.reciprocity.sentences(most=4)))
    if a.hawkes is not None:
        h = a.hawkes
        triggered = 1 - float(h.trigger_probabilities["p_background"].mean())
        unit = "days" if h.data.time_unit == "D" else h.data.time_unit
        fit_p = float(h.goodness_of_fit["ks_pvalue"].iloc[-1])
        misfit = (
            f" Its goodness-of-fit test rejects it (pooled KS p = {num('hawkes_fit_p', fit_p, '{:.2g}')}): these "
            "numbers describe a model that does not fit the data, and are not findings."
            if fit_p < LEVEL
            else ""
        )
        parts.append(
            "A Hawkes process fitted to the events has branching ratio "
            f"{num('branching_ratio', h.branching_ratio, '{:.2f}')} (the largest eigenvalue of the excitation "
            "matrix: how fast answers to answers grow from one generation to the next, dying out below 1; it is 0 "
            "when excitation runs one way only, however strong). "
            f"Separately, summing each event's probability of having been set off by an earlier one, about "
            f"{num('triggered_share', 100 * triggered, '{:.0f}')}% of events were, with a mean delay of "
            f"{num('mean_delay_days', h.mean_delay, '{:.1f}')} {unit}"
            + (
                " (counted per day: events of the same day are not taken to excite each other)."
                if h.resolution == "daily"
                else "."
            )
            + "".join(f" Caution: {esc_html(d)}." for d in h.diagnostics)
            + misfit
        )
    if a.episodes is not None and len(a.episodes.episodes):
        ep = a.episodes.episodes
        one_sided = num("one_sided_pct", 100 * float(ep["one_sided"].mean()), "{:.0f}")
        parts.append(
            f"Split at gaps of at least {calm}, the dyads' activity forms {num('episodes', len(ep))} episodes, "
            f"{one_sided}% of them one-sided."
        )
    return "".join(f"<p>{part}</p>" for part in parts)


def least_answered(min_n: int) -> int:
    """The answers a direction needs beside ``min_n`` actions before the report says whether it answers."""
    return max(1, (min_n + 1) // 2)


def answer_sentences(
    followed: pd.DataFrame,
    came: pd.DataFrame | None,
    timescale: str,
    most: int = 4,
    min_n: int = MIN_N,
    noun: str = "action",
) -> list[str]:
    """One sentence per direction "B answers A" (the most active first), from the two measures against chance.

    The headline is **followed by** (``followed``, :attr:`TimeToResponseResult.baseline`): of A's actions
    against B, the share followed by an action of B against A ``timescale``. Beside it, **came after**
    (``came``, :attr:`ChainsResult.baseline`): of B's actions against A, the share that came that soon after an
    action of A. They can disagree: B may follow A's actions more often than chance while most of B's actions
    are not answers (a side busy on its own), or B's actions may come after A's more often than chance while
    few of A's actions are answered (a side that answers rarely); the sentence says which.
    """
    if followed is None or followed.empty:
        return []
    other = None if came is None or came.empty else came.set_index(["trigger_side", "response_side"])
    out: list[str] = []
    few: list[str] = []
    least = least_answered(min_n)
    for row in followed.sort_values("responses", ascending=False).to_dict("records"):
        trig, resp = row["trigger_side"], row["response_side"]
        n, answered = int(row["responses"]), int(row["observed"])
        if n < min_n or answered < least:
            few.append(f"{esc_html(resp)} answering {esc_html(trig)} ({answered} of {n})")
            continue
        if len(out) == most:
            continue
        key = f"answers:{trig}->{resp}"
        low, high = 100 * float(row["lower"]) / n, 100 * float(row["upper"]) / n
        p1 = float(row["pvalue"])
        what = (f"Of {num(key + ':n', n)} {noun}s by {esc_html(trig)} against {esc_html(resp)} (a day's {noun}s "
                "against one target count once), "
                f"{num(key + ':share', 100 * float(row['observed_share']), '{:.0f}')}% were followed by {a_(noun)} "
                f"by {esc_html(resp)} {esc_html(timescale)}; "
                f"chance {num(key + ':chance', 100 * float(row['expected_share']), '{:.0f}')}% "
                f"(95% range {low:.0f}-{high:.0f}%, p = {num(key + ':p', p1, '{:.3f}')})")  # fmt: skip
        beside, p2 = "", np.nan
        below = float(row["observed"]) < float(row["lower"])  # fewer than every draw but the lowest 2.5%
        if other is not None and (trig, resp) in other.index:
            c = other.loc[(trig, resp)]
            below |= float(c["observed"]) < float(c["lower"])
            p2 = float(c["pvalue"])
            p_came = num(key + ":p_came", p2, "{:.3f}")
            beside = (f". Of {int(c['responses'])} {noun}s by {esc_html(resp)} against {esc_html(trig)}, "
                      f"{100 * float(c['observed_share']):.0f}% came that soon after one by {esc_html(trig)} "
                      f"(chance {100 * float(c['expected_share']):.0f}%, p = {p_came})")  # fmt: skip
        first, second = p1 <= LEVEL, p2 <= LEVEL
        if first and (second or np.isnan(p2)):
            verdict = f"{esc_html(resp)} answers {esc_html(trig)} more often than shared tides give"
        elif first:
            verdict = (f"{esc_html(resp)} follows {possessive(esc_html(trig))} {noun}s more often than chance, but "
                       f"most of its {noun}s are not such answers")  # fmt: skip
        elif second:
            verdict = (f"mixed: {possessive(esc_html(resp))} {noun}s come after {possessive(esc_html(trig))} more "
                       f"often than chance, but {possessive(esc_html(trig))} {noun}s are not followed more often than "
                       "chance (few of them are "
                       "answered, if any): read as weak evidence")  # fmt: skip
        else:
            verdict = "consistent with chance: no answering beyond what shared tides and each side's bursts give"
        if below and not (first or second):  # the mark of shared daily shocks, which rotations turn into short lags
            verdict = (f"fewer than chance: {esc_html(trig)} and {esc_html(resp)} act on the same days more often "
                       "than their tides give, which the rotations turn into short lags, so at this timescale the "
                       "data cannot say who answers whom")  # fmt: skip
        elif below:
            verdict += (f". Fewer than chance on one measure: {esc_html(trig)} and {esc_html(resp)} also act on the "
                        "same days more often than their tides give")  # fmt: skip
        out.append(f"{what}{beside}: {verdict} (one of {len(followed)} directions tested, not adjusted).")
    if few:
        out.append(f"Too few to say (fewer than {min_n} {noun}s or {least} followed by the other side, the report's "
                   f"minimum): {', '.join(few)}.")  # fmt: skip
    return out


def camp_words(events: Events) -> str:
    """``Iran and aligned militias: Iran, Iran-aligned militias``: each camp and its sides, in words."""
    camps: dict[str, list[str]] = {}
    for side, camp in sorted(events.camps.items()):
        camps.setdefault(camp, []).append(side)
    return "; ".join(f"{camp}: {', '.join(sides)}" for camp, sides in sorted(camps.items()))


def baseline_table(table: pd.DataFrame) -> pd.DataFrame:
    """A baseline table for display: shares in percent, chance with its 95% range."""
    columns = ["trigger_side", "response_side", "observed", "observed_pct", "chance_pct", "chance_range", "pvalue"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    shown = table.assign(
        observed=table["observed"].astype(str) + " of " + table["responses"].astype(str),
        observed_pct=(100 * table["observed_share"]).round(0),
        chance_pct=(100 * table["expected_share"]).round(0),
        chance_range=(100 * table["lower"] / table["responses"]).round(0).astype(int).astype(str)
        + "-"
        + (100 * table["upper"] / table["responses"]).round(0).astype(int).astype(str),
    )
    return shown[columns]


#: How to get the trend table (no command gives it): the report's call.
TREND_CALL = 'esc.trend(events, measures=("events", "fatalities", "rank"), ladder=ladder).table (Python)'


def trend_table(result: TrendResult) -> pd.DataFrame:
    """The trend tests as a reader wants them: all sides first, then the side series by p-value."""
    t = result.table.assign(first=lambda d: d["series"] != ALL_SIDES).sort_values(["first", "pvalue"])
    return pd.DataFrame({
        "series": t["series"], "measure": t["measure"], "months": t["months"],
        "from": t["start"].dt.strftime("%Y-%m"), "to": t["end"].dt.strftime("%Y-%m"),
        "fitted first month": t["fitted_start"].round(1), "fitted last month": t["fitted_end"].round(1),
        "p": t["pvalue"], "direction": t["direction"],
    })  # fmt: skip


def table_html(frame: pd.DataFrame, *, max_rows: int = 25, float_format: str = "{:.3g}") -> str:
    """A DataFrame as an escaped HTML table (pandas escapes cell text); long text cut (:func:`shorten`)."""
    shown = frame.head(max_rows).rename(columns=HEADERS)
    for column in shown.columns:
        if pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(shown[column]):
            text = shown[column]
            shown[column] = shorten(text.astype(str).where(text.notna(), "")).where(text.notna(), np.nan)
    out = shown.to_html(index=False, escape=True, na_rep="", float_format=lambda v: float_format.format(v), border=0)
    if len(frame) > max_rows:
        out += f'<p class="more">... {len(frame) - max_rows} more rows not shown.</p>'
    return out


def chain_steps(result: ChainsResult, chain_id: int) -> pd.DataFrame:
    """One chain as a story: each event in date order, who did what to whom, what it answered, and notes."""
    f = result.events.frame.set_index("event_id")
    links = result.chain(chain_id)
    ids = pd.Index(pd.concat([links["trigger_id"], links["response_id"]], ignore_index=True)).unique()
    nodes = f.loc[ids].sort_values("date", kind="stable")
    what = links["trigger_type"].astype(object).fillna("?").astype(str)  # a categorical takes no new "?"
    answers = (
        links["trigger_date"].dt.strftime("%Y-%m-%d") + " " + what
        + " (" + links["interval_days"].map(interval_words) + ", " + links["link_kind"].astype(str)
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


#: Longest text shown in a table cell; the full text stays in the data (a 100 kB note made 30 pages).
CELL_CHARS = 300


def shorten(text: pd.Series, most: int = CELL_CHARS) -> pd.Series:
    """Cells longer than ``most`` characters cut at a word, with the number of characters left out."""
    long = text.str.len() > most
    if not long.any():
        return text
    cut = text[long].str.slice(0, most).str.replace(r"\s+\S*$", "", regex=True)
    rest = text[long].str.len() - cut.str.len()
    return text.where(~long, cut + " [... " + rest.astype(str) + " more characters in the data]")


def main_chains(result: ChainsResult, top: int = 4) -> list[int]:
    """Ids of the chains with the most steps (ties: earliest first)."""
    if not len(result.chains):
        return []
    ranked = result.chains.sort_values(["n_steps", "start"], ascending=[False, True])
    return [int(c) for c in ranked["chain_id"].head(top)]
