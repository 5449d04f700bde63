"""Dates a user types (``--start``, ``--end``): the day they name, or a clear error."""

from __future__ import annotations

import pandas as pd
import pytest

from escalation._core.dates import parse_day
from escalation.errors import UsageError


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2020-01-03 14:00", "2020-01-03"),
        ("2020-01-03T23:59+03:00", "2020-01-03"),
        ("2020-01-03T23:59-05:00", "2020-01-04"),  # an offset is converted to UTC first
    ],
)
def test_a_date_is_the_start_of_its_day(value, day):
    assert parse_day(value, "end") == pd.Timestamp(day)


@pytest.mark.parametrize("value", ["12h", "0001-01-01", "nan", "abc", "", "1e400"])
def test_what_is_not_a_usable_date_is_refused_by_name(value):
    # "12h" parses as 12:00 on 1 January of year 1, outside the nanosecond range every analysis uses.
    with pytest.raises(UsageError, match="start must be a date"):
        parse_day(value, "start")
