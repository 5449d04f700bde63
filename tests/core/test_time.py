"""One time vocabulary: pandas aliases and Timedelta strings everywhere, bare numbers are days."""

from __future__ import annotations

import pandas as pd
import pytest

import escalation as esc
from escalation._core.time import parse_freq, parse_time_unit, parse_window
from escalation.errors import UsageError


@pytest.mark.parametrize(("alias", "code"), [("D", "D"), ("1D", "D"), ("W", "W"), ("W-SUN", "W"), ("M", "M"),
                                             ("MS", "M"), ("ME", "M"), ("ms", "M")])  # fmt: skip
def test_period_aliases(alias, code):
    assert parse_freq(alias) == code


@pytest.mark.parametrize("bad", ["Q", "2W", "h", "", None, 7])
def test_other_periods_are_refused_by_name(bad):
    with pytest.raises(UsageError, match="freq must be a day"):
        parse_freq(bad)


@pytest.mark.parametrize(("unit", "code"), [("D", "D"), ("1D", "D"), (1, "D"), ("24h", "D"), ("h", "h"), ("60min", "h"),
                                            ("W", "W"), ("7D", "W"), ("7", "W")])  # fmt: skip
def test_time_units_are_durations(unit, code):
    assert parse_time_unit(unit) == code


def test_a_bare_number_is_days_everywhere():
    assert parse_window(30) == parse_window("30") == parse_window("30D") == pd.Timedelta(days=30)
    with pytest.raises(UsageError, match="time_unit"):
        parse_time_unit("2D")


def test_a_month_alias_gives_the_same_analysis():
    ev = esc.datasets.load_iraq_2019_2021()
    by_m = esc.reciprocity(ev, freq="M", measure="events", lags=1, count_models=False)
    by_ms = esc.reciprocity(ev, freq="MS", measure="events", lags=1, count_models=False)
    assert by_ms.freq == "M"
    pd.testing.assert_frame_equal(by_m.series, by_ms.series)
    pd.testing.assert_frame_equal(by_m.tests, by_ms.tests)
