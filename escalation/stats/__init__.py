"""Statistics of retaliation: time to response, reciprocity, Hawkes processes, trends."""

from __future__ import annotations

from .hawkes import HawkesResult, fit_hawkes, simulate_hawkes
from .reciprocity import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response
from .trend import TrendResult, trend

__all__ = [
    "HawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "fit_hawkes",
    "reciprocity",
    "side_series",
    "simulate_hawkes",
    "time_to_response",
    "trend",
]
