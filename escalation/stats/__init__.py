"""Statistics of retaliation: time to response, reciprocity, Hawkes processes."""

from __future__ import annotations

from .hawkes import HawkesResult, fit_hawkes, simulate_hawkes
from .reciprocity import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response

__all__ = [
    "HawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "fit_hawkes",
    "reciprocity",
    "side_series",
    "simulate_hawkes",
    "time_to_response",
]
