"""The report's "What makes an answer sooner" part: the answer model on the traits the data carry, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .text import esc_html

if TYPE_CHECKING:
    from ..events.table import Events
    from ..stats.answers import AnswerModelResult
    from .analyses import Analyses

#: What each trait the report models is called, and per what its hazard ratio is shown: log1p(deaths) per
#: doubling of deaths + 1 (its coefficient times log 2), the rung per rung.
TRAITS = {"log1p(fatalities)": ("deaths", "doubling of deaths + 1", np.log(2.0)), "rung": ("rung", "rung up", 1.0)}


def traits(events: Events, ladder: Any = None) -> list[str]:
    """The traits of an action the report models: deaths where known and varying, the rung where it varies."""
    from ..events.ladder import event_ranks

    frame = events.frame
    dyadic = frame[frame["target_side"].notna()]
    out = []
    deaths = dyadic["fatalities"].dropna()
    if deaths.nunique() > 1:
        out.append("log1p(fatalities)")
    if event_ranks(dyadic, ladder).dropna().nunique() > 1:
        out.append("rung")
    return out


def run(events: Events, analyses: Analyses) -> AnswerModelResult | None:
    """The answer model per direction with the report's tide and ladder (None: no trait varies, or it failed;
    the failure is in ``analyses.errors``)."""
    from ..stats.answers import answer_model
    from .analyses import _attempt

    chosen = traits(events, analyses.ladder)
    if not chosen:
        analyses.errors["answers"] = "no trait of the actions varies (neither deaths nor the rung)"
        return None
    result: AnswerModelResult | None = _attempt(
        analyses, "answers", lambda: answer_model(events, chosen, tide=analyses.tide, ladder=analyses.ladder)
    )
    return result


def table(result: AnswerModelResult) -> pd.DataFrame:
    """The estimated rows as a reader wants them: hazard ratios per doubling of deaths or per rung, with the
    interval and what the tides give."""
    s = result.summary()
    s = s[s["verdict"] != "not estimated"]
    scale = s["term"].map(lambda t: TRAITS.get(t, (t, "unit", 1.0))[2]).to_numpy(float)
    ratio = lambda column: np.exp(np.log(s[column].to_numpy(float)) * scale)  # noqa: E731
    pair = lambda lo, hi: [f"{a:.2f}-{b:.2f}" if np.isfinite(a) else "" for a, b in zip(lo, hi, strict=True)]  # noqa: E731
    return pd.DataFrame({
        "direction": s["group"].to_numpy(), "trait": s["term"].map(lambda t: TRAITS.get(t, (t,))[0]).to_numpy(),
        "per": s["term"].map(lambda t: TRAITS.get(t, (t, "unit"))[1]).to_numpy(),
        "actions": s["events"].to_numpy(), "followed": s["answered"].to_numpy(),
        "hazard ratio": ratio("hazard_ratio").round(2), "95% interval": pair(ratio("lower"), ratio("upper")),
        "tides give": ratio("chance_hr").round(2),
        "tides 95% range": pair(ratio("chance_lower"), ratio("chance_upper")),
        "p (tides)": s["pvalue_tide"].to_numpy(), "verdict": s["verdict"].to_numpy(),
    })  # fmt: skip


def intro_html(result: AnswerModelResult, noun: str) -> str:
    """What the model asks and against what, with the numbers of its settings."""
    lag = result.window / pd.Timedelta(days=1)
    return (f"<p>What makes the other side's next action come sooner? For each {esc_html(noun)}, the wait until the "
            f"other side's next action against its side (censored at {lag:g} days and at the end of the data) is "
            "modelled on its deaths and its rung (Cox proportional hazards, one model per direction, intervals "
            "clustered by shared answer). A hazard ratio above 1: the next action came sooner after deadlier or "
            f"higher-rung {esc_html(noun)}s. Deadlier {esc_html(noun)}s come in busier seasons, when the other side "
            "acts more often anyway, so each ratio stands beside what the same model gives with the answering "
            f"side's actions rotated within each {result.tide.days}-day block ({result.draws} draws; no answer "
            "possible): only a ratio beyond that range speaks of answering.</p>")  # fmt: skip


def findings_html(result: AnswerModelResult, noun: str = "action") -> str:
    """One sentence per estimated trait and direction, and the directions the data cannot speak for."""
    s = result.summary()
    sentences = []
    for _, row in table(result).iterrows():
        trait = f"{'deadlier' if row['trait'] == 'deaths' else 'higher-rung'} {noun}s"
        verdict, p = row["verdict"], row["p (tides)"]
        ratio = f"hazard ratio {row['hazard ratio']:.2f} per {row['per']}, 95% interval {row['95% interval']}"
        tides = f"{row['tides give']:.2f}, range {row['tides 95% range']}; p = {p:.2g}"
        sooner = "sooner" if row["hazard ratio"] > 1 else "later"
        if verdict.endswith("beyond the tides"):
            said = (f"the next action came {sooner} after {trait} ({ratio}), beyond what the shared tides give "
                    f"({tides})")  # fmt: skip
        elif verdict == "no more than the tides give":
            said = (f"the next action came {sooner} after {trait} ({ratio}), but no more than the shared tides "
                    f"give ({tides}): not evidence of answering")  # fmt: skip
        else:
            said = f"the data cannot tell whether the next action comes sooner after {trait} ({ratio})"
        sentences.append(f"<li>{esc_html(row['direction'])}: {esc_html(said)}.</li>")
    from ..stats.answers import MIN_ANSWERS_PER_TERM

    skipped = s[s["verdict"] == "not estimated"]["group"].drop_duplicates()
    out = f"<ul>{''.join(sentences)}</ul>" if sentences else ""
    if len(skipped):
        out += (f"<p>Not estimated (fewer than {MIN_ANSWERS_PER_TERM} followed actions per trait, or no trait varies): "
                f"{esc_html(', '.join(map(str, skipped)))}.</p>")  # fmt: skip
    return out
