"""The trend test: its statistic against statsmodels, its size under persistent nulls, its power on known trends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.stats.trend import kvb_pvalue, kvb_statistic, monthly_series


def _simulate(months, phi, mean, rng, slope=0.0):
    """Negative-binomial counts around a latent AR(1) log-intensity (as benchmarks/trend_size.py)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "trend_size", Path(__file__).resolve().parents[2] / "benchmarks" / "trend_size.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.simulate(months, phi, mean, rng, slope)


def test_statistic_is_statsmodels_bartlett_hac_with_bandwidth_equal_to_the_sample():
    import statsmodels.api as sm

    rng = np.random.default_rng(4)
    y = np.cumsum(rng.normal(size=50)) * 0.3 + rng.normal(size=50)
    t = np.arange(50) / 12
    intercept, slope, stat = kvb_statistic(y, t)
    ols = sm.OLS(y, sm.add_constant(t)).fit(cov_type="HAC", cov_kwds={"maxlags": 49, "use_correction": False})
    assert intercept == pytest.approx(ols.params[0]) and slope == pytest.approx(ols.params[1])
    # Kiefer & Vogelsang (2002): T^-2 sum S_t S_t' is half the Bartlett HAC with bandwidth T.
    assert stat == pytest.approx(np.sqrt(2) * ols.tvalues[1], rel=1e-9)


def test_size_on_persistent_overdispersed_counts():
    rng = np.random.default_rng(11)
    years = np.arange(60) / 12
    ps = [kvb_pvalue(kvb_statistic(np.log1p(_simulate(60, 0.5, 5, rng)), years)[2], years) for _ in range(400)]
    assert 0.025 <= np.mean(np.array(ps) < 0.05) <= 0.085


def test_recovers_a_known_rising_trend():
    rng = np.random.default_rng(12)
    years = np.arange(120) / 12
    found = [kvb_statistic(np.log1p(c), years) for c in (_simulate(120, 0.5, 5, rng, np.log(2)) for _ in range(60))]
    detected = [kvb_pvalue(s, years) < 0.05 and b > 0 for _, b, s in found]
    assert np.mean(detected) >= 0.9


def test_monthly_rates_count_partly_covered_months_by_their_days():
    # One event a day from 17 January to 10 March: every month, full or not, has one a day.
    days = pd.date_range("2020-01-17", "2020-03-10")
    frame = pd.DataFrame({"date": days, "actor": "A", "target": "B", "event_type": "clash"})
    ev = esc.read_events(frame)
    s = monthly_series(ev, "events")
    rates = s[s["series"] == "all sides"]["value"].to_numpy()
    assert rates == pytest.approx([365.25 / 12] * 3)


def test_report_verdicts_on_a_simulated_escalation():
    # Ten years of one side's events, doubling every two years: the trend is found, upwards.
    rng = np.random.default_rng(3)
    counts = _simulate(120, 0.3, 4, rng, np.log(2) / 2)
    dates = [pd.Timestamp("2010-01-01") + pd.DateOffset(months=m) + pd.Timedelta(days=int(d))
             for m, c in enumerate(counts) for d in rng.integers(0, 28, c)]  # fmt: skip
    frame = pd.DataFrame({"date": dates, "actor": "A", "target": "B", "event_type": "clash"})
    result = esc.trend(esc.read_events(frame), measures=("events",))
    assert result.verdicts[("A", "events")] == "up"
    ci = result.conf_int().set_index("series").loc["A"]
    assert 0 < ci["lower"] < ci["slope_per_year"] < ci["upper"]
    row = result.table.set_index("series").loc["A"]
    assert row["fitted_end"] > 4 * row["fitted_start"]  # five doublings, less the log(1 + x) compression


def test_the_drawn_trend_line_is_the_fitted_one_when_the_first_months_have_no_ranked_events():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Two months of unranked events, then 16 months of ranked ones: the rank series starts in month 3.
    dates = pd.date_range("2020-01-01", periods=18, freq="MS") + pd.Timedelta(days=4)
    types = ["picnic", "picnic"] + ["airstrike", "rocket attack"] * 8
    frame = pd.DataFrame({"date": dates, "actor": "A", "target": "B", "event_type": types})
    result = esc.trend(esc.read_events(frame), measures=("rank",), min_events=1)
    row = result.table.set_index("series").loc["A"]
    assert row["start"] == pd.Timestamp("2020-03-01")
    fig, ax = plt.subplots()
    result.plot(ax=ax, measure="rank")
    fitted = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
    x, y = fitted.get_data()
    at_start = list(pd.to_datetime(x)).index(pd.Timestamp("2020-03-01"))
    assert y[at_start] == pytest.approx(row["fitted_start"])
    plt.close(fig)
