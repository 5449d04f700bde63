"""The report's "What is likely next": its tables and sentences are the results' numbers, escaped."""

from __future__ import annotations

import re

import numpy as np

import escalation as esc
from escalation.io._coerce import as_events
from escalation.report import ahead
from escalation.report.analyses import Analyses
from escalation.stats.hawkes import simulate_daily


def test_tables_and_sentences_are_the_results_numbers_escaped():
    events = as_events(simulate_daily([0.1, 0.08], [[0.3, 0.3], [0.3, 0.3]], decay=0.5, days=600, seed=5,
                                      sides=["<b>Alpha</b>", "Beta & co"]))  # fmt: skip
    analyses = Analyses()
    result, scores = ahead.run(events, analyses)
    assert result is not None and scores is not None and not analyses.errors
    table = ahead.forecast_table(result)
    s = result.summary()
    assert list(table["chance of at least one"]) == [f"{p:.0%}" for p in s["probability"]]
    assert list(table["against"]) == ["Beta & co", "<b>Alpha</b>"]
    assert (table["happened"] == "not yet known").all()  # the forecast is from the day after the data
    sentences = ahead.findings_html(scores)
    assert "<b>Alpha</b>" not in sentences and "&lt;b&gt;Alpha&lt;/b&gt;" in sentences
    model = scores.summary().query("forecaster == 'model'")
    for row in model.itertuples():
        assert f"Brier score was {row.brier:.3f}" in sentences and row.verdict in sentences
    assert len(re.findall(r"<li>", sentences)) == 2
    intro = ahead.intro_html(result, scores, "action")
    assert f"{result.at:%d %B %Y}" in intro and "<b>" not in intro
    # 600 days: no origin has two whole years before it, so the season-adjusted rate made no forecasts
    evaluation = ahead.evaluation_table(scores)
    assert list(evaluation["forecaster"]) == ["model", "recent rate"] * 2
    made = scores.summary().query("origins > 0")
    np.testing.assert_allclose(evaluation["Brier"], made["brier"].round(3))
    assert "it made no forecasts" in sentences


def test_a_fragile_model_is_said_before_its_forecast():
    # the bundled data: 62 events for a model of four sides (21 parameters)
    result = esc.forecast(esc.datasets.load_iraq_2019_2021(), draws=200, parameter_draws=0)
    said = ahead.cautions_html(result)
    assert said.startswith("<p class='warning'>The model behind this forecast: 62 events for 21 parameters")


def test_too_few_events_are_said_not_raised():
    events = esc.datasets.load_iraq_2019_2021().between(None, "2020-01-10")
    analyses = Analyses()
    result, scores = ahead.run(events, analyses)
    assert result is None and scores is None
    assert "earlier events to learn from" in analyses.errors["forecast"]
    assert isinstance(analyses.errors["forecast evaluation"], str)
    assert "<p" in ahead.intro_html(None, None, "action")
