"""Statistics of retaliation: time to response, what makes an answer sooner, the delay of answers,
reciprocity, Hawkes processes, trends."""

from __future__ import annotations

from .answers import AnswerModelResult, answer_model
from .delay import AnswerDelayResult, answer_delay
from .hawkes import HawkesResult, MarkedHawkesResult, fit_hawkes, fit_marked_hawkes, simulate_hawkes
from .reciprocity import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response
from .trend import TrendResult, trend

__all__ = [
    "AnswerDelayResult",
    "AnswerModelResult",
    "HawkesResult",
    "MarkedHawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "answer_delay",
    "answer_model",
    "fit_hawkes",
    "fit_marked_hawkes",
    "reciprocity",
    "side_series",
    "simulate_hawkes",
    "time_to_response",
    "trend",
]
