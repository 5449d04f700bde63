"""Statistics of retaliation: time to response, the delay of answers, reciprocity, Hawkes processes, trends."""

from __future__ import annotations

from .delay import AnswerDelayResult, answer_delay
from .hawkes import HawkesResult, fit_hawkes, simulate_hawkes
from .reciprocity import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response
from .trend import TrendResult, trend

__all__ = [
    "AnswerDelayResult",
    "HawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "answer_delay",
    "fit_hawkes",
    "reciprocity",
    "side_series",
    "simulate_hawkes",
    "time_to_response",
    "trend",
]
