"""Forecasts: proper scores by hand, exact expectations against simulation, no look-ahead, and seeded
Hawkes histories on which the model must beat the recent rate and stay calibrated."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import escalation as esc
from escalation.stats.forecasting._ahead import Start, expected_counts, simulate_counts, start_of
from escalation.stats.forecasting._scores import brier, diebold_mariano, log_score, poisson_cdf, rps
from escalation.stats.forecasting.evaluate import ForecastEvaluation
from escalation.stats.hawkes import simulate_daily, simulate_hawkes


def test_scores_by_hand():
    np.testing.assert_allclose(brier([0.2, 0.9], [0, 1]), [0.04, 0.01])
    np.testing.assert_allclose(log_score([0.2, 0.9], [0, 1]), [-np.log(0.8), -np.log(0.9)])
    # P(0) = 0.5, P(1) = 0.3, P(2) = 0.2: sum over k of (F(k) - 1[y <= k])^2
    cdf = np.array([[0.5, 0.8, 1.0]] * 4)
    np.testing.assert_allclose(rps(cdf, np.array([0, 1, 3, 4])),
                               [0.25 + 0.04 + 0, 0.25 + 0.04, 0.25 + 0.64 + 1, 0.25 + 0.64 + 1 + 1])  # fmt: skip


def test_rps_equals_the_crps_kernel_form():
    # for counts the RPS is the CRPS, E|X - y| - E|X - X'| / 2 (Gneiting & Raftery 2007): another formula
    k = np.arange(60)
    for mean, y in [(2.3, 4), (0.4, 0), (7.0, 1)]:
        pmf = sps.poisson.pmf(k, mean)
        kernel = pmf @ np.abs(k - y) - 0.5 * pmf @ np.abs(k[:, None] - k[None, :]) @ pmf
        assert rps(poisson_cdf(np.array([mean]), 60), np.array([y]))[0] == pytest.approx(kernel, abs=1e-9)


def test_diebold_mariano_equals_newey_west_by_hand():
    rng = np.random.default_rng(3)
    a, b = rng.random(80), rng.random(80) + 0.05
    d = a - b
    lags = int(np.floor(4 * (80 / 100) ** (2 / 9)))
    u = d - d.mean()
    s = u @ u / 80 + 2 * sum((1 - j / (lags + 1)) * (u[j:] @ u[:-j]) / 80 for j in range(1, lags + 1))
    mean, se, p = diebold_mariano(a, b)
    assert mean == pytest.approx(d.mean())
    assert se == pytest.approx(np.sqrt(s / 80), rel=1e-9)
    assert p == pytest.approx(2 * sps.norm.sf(abs(d.mean()) / np.sqrt(s / 80)), rel=1e-9)


def test_daily_expectations_follow_the_recursion_by_hand():
    # one side, mu 0.2, a 0.5, q = exp(-0.4); X at the origin 1.5: E N(d) = mu + a X(d), X <- q X + (1-q) E N(d)
    start = Start(np.array([[0.2]]), np.array([[[0.5]]]), 0.4, np.array([1.5]), daily=True)
    q, x, total = np.exp(-0.4), 1.5, 0.0
    for _ in range(5):
        m = 0.2 + 0.5 * x
        total += m
        x = q * x + (1 - q) * m
    assert expected_counts(start, 5)[0, 0] == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("daily", [True, False])
def test_expected_counts_equal_the_mean_of_simulated_futures(daily):
    if daily:
        sim = simulate_daily([0.3, 0.2], [[0.3, 0.3], [0.4, 0.2]], decay=0.7, days=400, seed=2)
        fit = esc.fit_hawkes(sim, background="constant")
    else:
        sim = simulate_hawkes([0.3, 0.2], [[0.3, 0.3], [0.4, 0.2]], decay=1.0, length=400, seed=2)
        fit = esc.fit_hawkes(sim, jitter_seed=None, background="constant")
    start = start_of(fit)
    counts = simulate_counts(start, 7.0, 100_000, np.random.default_rng(0), np.zeros(100_000, np.int64))
    se = counts.std(axis=0) / np.sqrt(len(counts))
    assert np.all(np.abs(counts.mean(axis=0) - expected_counts(start, 7.0)[0]) < 4 * se)


def test_a_forecast_sees_only_the_events_before_its_day():
    ev = esc.datasets.load_iraq_2019_2021()
    whole = esc.forecast(ev, at="2021-06-27", draws=400, parameter_draws=20)
    before = esc.forecast(ev.between(None, "2021-06-26"), at="2021-06-27", draws=400, parameter_draws=20)
    cols = ["side", "expected", "probability", "lower", "upper", "recent_probability"]
    pd.testing.assert_frame_equal(whole.summary()[cols], before.summary()[cols])
    # the data reach past the week: what happened is shown (the US struck twice on 28 June 2021)
    us = whole.summary().set_index("side").loc["United States"]
    assert us["observed"] == 2 and before.summary()["observed"].isna().all()


def test_result_protocol_and_bad_requests():
    ev = esc.datasets.load_iraq_2019_2021()
    ahead = esc.forecast(ev, at="2021-06-27", horizon=10, draws=300, parameter_draws=20)
    s = ahead.summary()
    assert list(s.columns) == ["side", "target", "at", "horizon", "expected", "expected_lower", "expected_upper",
                               "probability", "lower", "upper", "recent_probability", "observed", "note"]  # fmt: skip
    assert (s["horizon"] == "10D").all() and s["probability"].between(0, 1).all()
    assert (s["lower"] <= s["upper"]).all()
    dist = ahead.to_frame().groupby("side")["probability"].sum()
    np.testing.assert_allclose(dist, 1.0)
    json.dumps(ahead.to_dict())
    assert "United States" in ahead._repr_html_()
    with pytest.raises(esc.UsageError, match="whole number of days"):
        esc.forecast(ev, horizon="12h")
    with pytest.raises(esc.DataError, match="4 earlier events"):
        esc.forecast(ev, at="2020-01-04")  # the bundled data begin on 27 December 2019
    with pytest.raises(esc.UsageError, match="at"):
        esc.forecast(ev, at="not a date")


def test_plots_return_their_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ev = esc.datasets.load_iraq_2019_2021()
    ahead = esc.forecast(ev, at="2021-06-27", draws=300, parameter_draws=20)
    ax = ahead.plot()
    assert ax.get_xlim() == (0.0, 1.0)
    sim = simulate_daily([0.1, 0.1], [[0.3, 0.3], [0.3, 0.3]], decay=0.5, days=500, seed=4)
    scores = esc.evaluate_forecasts(sim, origins=8, draws=200, background="constant")
    assert scores.plot().get_ylabel() == "share followed by an action"
    plt.close("all")


def _bursty(seed: int) -> pd.DataFrame:
    # quiet years broken by bursts of mutual answering: branching ratio 0.75, mean delay 3.9 days
    return simulate_daily([0.03, 0.02], [[0.45, 0.3], [0.35, 0.4]], decay=0.3, days=1500, seed=seed)


@pytest.mark.slow
def test_on_seeded_hawkes_histories_the_model_beats_the_recent_rate_and_is_calibrated():
    # 3 histories x 60 weekly origins x 2 sides. The model of the simulation's kind (a constant background)
    # must beat the recent rate and stay within the calibrated band; so must the default's Brier score.
    def pooled(**options):
        runs = [esc.evaluate_forecasts(_bursty(seed), origins=60, draws=500, seed=seed, **options) for seed in range(3)]
        return ForecastEvaluation(table=pd.concat([e.table for e in runs]), options={"alpha": 0.05})

    right = pooled(background="constant")
    model = right.summary().query("forecaster == 'model'")
    assert (model["verdict"] == "beats the recent rate").all()
    assert (model["brier_skill"] > 0.15).all()
    rel = right.reliability()
    outside = (rel["observed_share"] < rel["band_lower"]) | (rel["observed_share"] > rel["band_upper"])
    assert outside.sum() <= 1, rel  # 95% bands: one bin of ten outside is chance, more would be a signal
    # the recent rate, on the same origins, is not calibrated: it trails the bursts
    rel_recent = right.reliability("recent rate")
    assert ((rel_recent["observed_share"] < rel_recent["band_lower"])
            | (rel_recent["observed_share"] > rel_recent["band_upper"])).sum() >= 2  # fmt: skip
    default = pooled().summary().query("forecaster == 'model'")
    assert (default["verdict"] == "beats the recent rate").all()


def test_cli_forecast_and_its_evaluation(tmp_path, capsys):
    from escalation.cli import main

    out = tmp_path / "ahead.csv"
    table = tmp_path / "scores.csv"
    argv = ["forecast", "--at", "2021-06-27", "--draws", "300", "--evaluate", "--origins", "6", "-o", str(out),
            "--table", str(table)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    written = pd.read_csv(out)
    assert len(written) == 4 and written["probability"].between(0, 1).all()
    us = written.set_index("side").loc["United States"]
    assert f"{us['probability']:.0%}" in printed and "happened" in printed
    assert "ForecastEvaluation(6 origins" in printed and len(pd.read_csv(table)) == 6 * 4
    assert main(["forecast", "--horizon", "6h"]) != 0
    assert "whole number of days" in capsys.readouterr().err
    assert main(["forecast", "--at", "2020-01-04"]) != 0
    assert "4 earlier events" in capsys.readouterr().err


def test_an_evaluation_before_a_day_scores_only_weeks_that_ended_before_it():
    sim = simulate_daily([0.1, 0.1], [[0.3, 0.3], [0.3, 0.3]], decay=0.5, days=500, seed=4)
    scores = esc.evaluate_forecasts(sim, before="2001-03-01", origins=5, draws=200, background="constant")
    origins = scores.to_frame()["origin"]
    assert origins.nunique() == 5 and origins.max() == pd.Timestamp("2001-02-22")  # its week ends on 28 February
    assert scores.settings()["decay_estimated_at"] == "2001-01-25"
