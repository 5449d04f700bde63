"""The report's "What is likely next": the forecast from the data's last day (or ``--forecast-at``), and how
forecasts made in turn from the weeks before scored against plain ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .text import esc_html

if TYPE_CHECKING:
    from ..events.table import Events
    from ..stats.forecasting import ForecastEvaluation, ForecastResult
    from .analyses import Analyses


def run(events: Events, analyses: Analyses, at: Any = None) -> tuple[ForecastResult | None, ForecastEvaluation | None]:
    """The forecast (from ``at``, default the day after the last event) and the evaluation of the last 52 weekly
    forecasts whose week ended before it; each None when it cannot be made (the reason in ``analyses.errors``).
    The settings are the command's defaults (``escalation forecast --evaluate``), so the command under each
    table gives its numbers."""
    from ..stats.forecasting import evaluate_forecasts, forecast
    from .analyses import _attempt

    ahead = _attempt(analyses, "forecast", lambda: forecast(events, at=at))
    scores = _attempt(analyses, "forecast evaluation", lambda: evaluate_forecasts(events, before=at))
    return ahead, scores


def _percent(value: float) -> str:
    return f"{value:.0%}" if np.isfinite(value) else ""


def forecast_table(result: ForecastResult) -> pd.DataFrame:
    """One row per side: expected actions, the chance of at least one with its interval, the plain forecast and
    what happened (when the data reach past the horizon)."""
    s = result.summary()
    return pd.DataFrame({
        "side": s["side"], "against": s["target"], "expected actions": s["expected"].round(2),
        "chance of at least one": s["probability"].map(_percent),
        "95% interval": [f"{_percent(a)}-{_percent(b)}" if np.isfinite(a) else "" for a, b in
                         zip(s["lower"], s["upper"], strict=True)],
        "last 28 days' rate": s["recent_probability"].map(_percent),
        "happened": s["observed"].map(lambda v: "not yet known" if not np.isfinite(v) else f"{v:.0f}"),
    })  # fmt: skip


def evaluation_table(evaluation: ForecastEvaluation) -> pd.DataFrame:
    """One row per side and forecaster that made forecasts: the mean scores (lower is better), and for the model
    its skill over the recent rate, the p-value and the verdict (the season-adjusted rate needs two earlier
    whole years: without them its rows are left out, and :func:`findings_html` says so)."""
    s = evaluation.summary()
    s = s[s["origins"] > 0]
    return pd.DataFrame({
        "side": s["side"], "forecaster": s["forecaster"], "origins": s["origins"],
        "share acted": s["share_acted"].round(2), "Brier": s["brier"].round(3), "log score": s["log_score"].round(3),
        "RPS": s["rps"].round(3), "skill over recent rate": s["brier_skill"].round(2) + 0.0,  # + 0.0: no "-0"
        "p": s["pvalue"].round(3), "verdict": s["verdict"],
    }).reset_index(drop=True)  # fmt: skip


def cautions_html(result: ForecastResult) -> str:
    """The fitted model's fragilities (too few events per parameter, an explosive fit), said before its numbers."""
    notes = [n for n in result.summary()["note"].drop_duplicates() if n]
    return "".join(f"<p class='warning'>The model behind this forecast: {esc_html(n)}.</p>" for n in notes)


def intro_html(result: ForecastResult | None, evaluation: ForecastEvaluation | None, noun: str) -> str:
    """What the forecast is and what it rests on."""
    parts = [f"<p>What is likely next? The Hawkes model (the section above, with a 56-day tide: see Methods) is "
             f"fitted to the {esc_html(noun)}s dated before the forecast's day only, and asked each side's chance "
             "of at least one action, and its expected number, in the next 7 days (simulated forward from the "
             "history; the interval: the estimates' uncertainty). Beside it stands the plain forecast a reader "
             "could make without a model, from the last 28 days' rate."]  # fmt: skip
    if result is not None:
        parts.append(f" This forecast is made on {result.at:%d %B %Y}.")
    if evaluation is not None:
        o = evaluation.table["origin"]
        parts.append(f" Whether such forecasts are worth more than the plain one is tested below: forecasts made "
                     f"in turn each week from {o.min():%d %B %Y} to {o.max():%d %B %Y}, each from the "
                     f"{esc_html(noun)}s before it, scored against what happened (Brier and log scores of \"at "
                     "least one\", ranked probability score of the count; lower is better) beside the recent rate "
                     "and a season-adjusted rate.")  # fmt: skip
    return "".join(parts) + "</p>"


def findings_html(evaluation: ForecastEvaluation) -> str:
    """One sentence per side: the model's Brier score against the recent rate's, with the test and verdict."""
    s = evaluation.summary()
    n = evaluation.table["origin"].nunique()
    sentences = []
    for side, part in s.groupby("side", sort=False):
        model = part[part["forecaster"] == "model"].iloc[0]
        recent = part[part["forecaster"] == "recent rate"].iloc[0]
        p = model["pvalue"]
        test = f"p = {p:.2g}" if np.isfinite(p) else "no test: the scores do not differ"
        said = (f"over {n} weekly forecasts, the model's Brier score was {model['brier']:.3f} against the last 28 "
                f"days' rate's {recent['brier']:.3f} ({test}): {model['verdict']}")  # fmt: skip
        sentences.append(f"<li>{esc_html(side)}: {esc_html(said)}.</li>")
    out = f"<ul>{''.join(sentences)}</ul>"
    if not (s.loc[s["forecaster"] == "season", "origins"] > 0).any():
        out += ("<p class='more'>The season-adjusted rate needs two whole years of data before an origin; these "
                "data have fewer, so it made no forecasts.</p>")  # fmt: skip
    return out
