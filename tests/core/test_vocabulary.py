"""One vocabulary: renamed keywords and values still work for a release, warn at the user's own line, and give
what the new names give."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main
from escalation.errors import UsageError

matplotlib.use("Agg")

HERE = __file__


def _warned_here(record: pytest.WarningsRecorder, *words: str) -> None:
    """One DeprecationWarning, naming the new spelling, pointing at this file (the caller), not at the package."""
    caught = [w for w in record if issubclass(w.category, DeprecationWarning)]
    assert len(caught) == 1, [str(w.message) for w in caught]
    assert caught[0].filename == HERE
    for word in words:
        assert word in str(caught[0].message)


@pytest.fixture(scope="module")
def bundled():
    return esc.datasets.load_iraq_2019_2021()


def test_trend_measure_deaths_is_now_fatalities(bundled):
    new = esc.trend(bundled, measures=("fatalities",), min_events=5)
    with pytest.warns(DeprecationWarning) as record:
        old = esc.trend(bundled, measures=("deaths",), min_events=5)
    _warned_here(record, "'fatalities'")
    assert set(old.table["measure"]) == {"fatalities"}
    pd.testing.assert_frame_equal(old.table, new.table)
    with pytest.raises(UsageError, match="events, fatalities, rank"):
        esc.trend(bundled, measures=("killed",))


def test_monthly_bars_measure_deaths_is_now_fatalities(bundled):
    new = esc.plotting.monthly_bars(bundled, measure="fatalities")
    with pytest.warns(DeprecationWarning) as record:
        old = esc.plotting.monthly_bars(bundled, measure="deaths")
    _warned_here(record, "'fatalities'")
    assert old.get_ylabel() == new.get_ylabel() == "known deaths per month"
    heights = [[p.get_height() for p in ax.patches] for ax in (old, new)]
    assert heights[0] == heights[1] and sum(heights[0]) == bundled.frame["fatalities"].fillna(0).sum()


def test_reciprocity_series_is_now_by_and_actor_is_now_side(bundled):
    options = {"freq": "W", "measure": "events", "lags": 1, "count_models": False, "draws": 19}
    new = esc.reciprocity(bundled, by="side", **options)
    with pytest.warns(DeprecationWarning) as record:
        old = esc.reciprocity(bundled, series="actor", **options)
    assert len(record) == 2  # the keyword, then its value
    assert all(w.filename == HERE for w in record)
    assert "reciprocity(by=...)" in str(record[0].message) and "by='side'" in str(record[1].message)
    pd.testing.assert_frame_equal(old.tests, new.tests)
    assert old.by == "side" and old.settings()["by"] == "side"
    with pytest.raises(UsageError, match="give by= only"):
        esc.reciprocity(bundled, by="side", series="actor", **options)


def test_simulate_end_is_now_length():
    args = ([0.3, 0.2], [[0.3, 0.3], [0.4, 0.2]], 1.0)
    new = esc.stats.simulate_hawkes(*args, length=200, seed=4)
    with pytest.warns(DeprecationWarning) as record:
        old = esc.stats.simulate_hawkes(*args, end=200, seed=4)
    _warned_here(record, "simulate_hawkes(length=...)")
    pd.testing.assert_frame_equal(old, new)
    fit = esc.fit_hawkes(new, decay=1.0, background=None)
    with pytest.warns(DeprecationWarning) as record:
        again = fit.simulate(end=50, seed=1)
    _warned_here(record, "simulate(length=...)")
    pd.testing.assert_frame_equal(again, fit.simulate(length=50, seed=1))
    assert again["date"].max() < new["date"].min() + pd.Timedelta(days=50)


def test_evaluate_forecasts_start_end_are_now_first_and_last_origin():
    sim = esc.stats.simulate_hawkes([0.3, 0.2], [[0.3, 0.3], [0.4, 0.2]], decay=1.0, length=400, seed=2)
    span = {"first_origin": "2000-10-01", "last_origin": "2000-11-05"}
    new = esc.evaluate_forecasts(sim, draws=100, background="constant", **span)
    with pytest.warns(DeprecationWarning) as record:
        old = esc.evaluate_forecasts(sim, draws=100, background="constant", start=span["first_origin"],
                                     end=span["last_origin"])  # fmt: skip
    assert len(record) == 2 and all(w.filename == HERE for w in record)
    pd.testing.assert_frame_equal(old.table, new.table)
    assert old.table["origin"].min() == pd.Timestamp("2000-10-01")
    assert old.table["origin"].max() <= pd.Timestamp("2000-11-05")


def test_cli_reciprocity_series_still_works_and_says_by(tmp_path, capsys):
    common = ["reciprocity", "--freq", "W", "--tide", "56D", "--lags", "1", "--draws", "19", "--measure", "events"]
    assert main([*common, "--by", "side", "-o", str(tmp_path / "new.csv")]) == 0
    capsys.readouterr()
    assert main([*common, "--series", "actor", "-o", str(tmp_path / "old.csv")]) == 0
    err = capsys.readouterr().err
    assert "--series actor is now --by side" in err
    assert (tmp_path / "old.csv").read_bytes() == (tmp_path / "new.csv").read_bytes()


def test_hawkes_intensity_sides_is_now_show(bundled):
    fit = esc.fit_hawkes(bundled)
    shown = fit.sides[:1]
    new = esc.plotting.hawkes_intensity(fit, show=shown)
    with pytest.warns(DeprecationWarning) as record:
        old = esc.plotting.hawkes_intensity(fit, sides=shown)
    _warned_here(record, "hawkes_intensity(show=...)")
    labels = [
        [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] for ax in (old, new)
    ]
    assert labels[0] == labels[1] == shown
