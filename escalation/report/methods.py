"""The report's Methods section: how each number was computed, and what the data can and cannot say."""

from __future__ import annotations

from string import Template

from .._core.levels import DRAWS, LEVEL
from ..events.table import Events
from .text import esc_html, lethal_caveat

#: The section, with the package's number of draws and level put in (not written out: they change together).
METHODS = Template("""
<ul>
<li><b>Links.</b> A <i>stated</i> link is taken from <code>responds_to</code>: an official said this action answered
that one. An <i>inferred</i> link joins an event by side A against side B to the most recent earlier event by B
against A within the window (dyad reversal). Such a predecessor exists for most events once both sides are
active, answer or not, and more often still when both sides are busy in the same seasons or offensives. So
whether B <i>answers</i> A is asked at the timescale of the <i>tide</i> (14 days unless set): of A's actions,
how many were followed by one of B's within a quarter of the tide ("followed by", the headline), and of B's
actions, how many came that soon after one of A's ("came after"), each against <i>chance</i>: the same count
when the actions looked for are rotated within each block of the tide ($draws draws), which keeps both sides'
counts in every block (their shared seasons and surges) and their own bursts, and breaks only the timing
within a block. A side's actions against one target on one day without clock times are one occasion, counted
once as an action to answer and once as an answer (two rows of one salvo are one). A shared shock that moves
both sides within a few days cannot be told from an answer.
Inferred links are hypotheses about sequence, not evidence of causation; stated links report what officials
claimed, which is not proof either.</li>
<li><b>Escalation ladder.</b> Each event type has a rank from 0 (ceasefire) to 9 (targeted killing of a leader);
a response is an escalation, proportional or a de-escalation compared with its trigger, on rank and, within a
rank, on deaths. The ladder is a convention: different analysts would rank some types differently.</li>
<li><b>Time to the other side's next action.</b> Kaplan-Meier estimates of the time until the other side's next
action against the initiator, an answer or not; events without one within the window, or too close to the end
of the data, are right-censored. With two busy sides this wait is short whether or not anybody answers, so the
curves are drawn beside what chance gives (the rotations above).</li>
<li><b>Reciprocity.</b> A vector autoregression of each side's events per day, with Granger F-tests and impulse
responses, and Poisson and negative-binomial count models, because conflict counts are sparse and
overdispersed; lags up to a quarter of the tide. Every p-value comes from the cause's series with each block of
the tide rotated on its own ($draws draws), so that shared seasons and surges are not read as prediction. Granger
causality means "helps predict", not "causes".</li>
<li><b>Hawkes process.</b> Each side's events raise the rate of later events by every side, decaying
exponentially; fitted by maximum likelihood. Each side's background rate follows its own slow changes (a kernel
estimate over the tide of the events the model puts down to the background), so that shared seasons are not
read as excitation. When events are dated to the day, the model counts events per day
(a discrete-time Hawkes process with a geometric kernel over whole days): a date says nothing of the order of two
events of one day, so they are not taken to excite each other. Trigger probabilities are model-based
attributions; the goodness-of-fit test says how far to trust
them.</li>
<li><b>What is likely next.</b> The same model, fitted to the events before the forecast's day only, with a 56-day
tide (at the forecast's day the tide can only be estimated from the days before it, and a 14-day one follows the
last burst or lull too closely to forecast from), simulated forward 7 days 4,000 times; the interval redraws the
estimates 200 times. The evaluation repeats this for each of the last 52 weeks the data cover and scores the
forecasts with the Brier and log scores of "at least one action" and the ranked probability score of the count,
against the last 28 days' rate and a season-adjusted rate (the last year's rate times how much busier the same
weeks were in earlier years); the model is said to beat the recent rate only when a Diebold-Mariano test of the
Brier differences (Newey-West standard error) gives p &lt; $level.</li>
<li><b>Episodes.</b> Each dyad's activity is split at gaps of at least the calm period; counter-retaliations count
the times the acting side switched. Events of one day without clock times are simultaneous: a day on which both
sides acted is counted as simultaneous, never as a switch.</li>
<li><b>Unit of analysis.</b> A table with one row per victim is grouped into incidents (same day, acting side,
target side and place) before any analysis: six people killed in one attack are one event, not six.</li>
<li><b>Data.</b> Event data record what was reported. Unreported events, attribution errors (most attacks are
unclaimed) and coding choices affect every number here.</li>
</ul>
""").substitute(draws=DRAWS, level=f"{LEVEL:g}")


def methods_html(events: Events) -> str:
    """The Methods section, its data caveat fitted to the data: a list of killings is not a list of attacks."""
    caveat = lethal_caveat(events)
    if not caveat:
        return METHODS
    return METHODS.replace(
        "Unreported events, attribution errors (most attacks are\nunclaimed) and coding choices affect every number "
        "here.",
        "Unrecorded deaths, attribution errors (who killed whom) and coding choices affect every number here. "
        + esc_html(caveat),
    )
