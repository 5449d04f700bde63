"""Statistics of retaliation: time to response, what makes an answer sooner, the delay of answers,
reciprocity, Hawkes processes, trends, forecasts."""

from __future__ import annotations

from .answers import AnswerModelResult, answer_model
from .delay import AnswerDelayResult, answer_delay
from .forecasting import ForecastEvaluation, ForecastResult, evaluate_forecasts, forecast
from .hawkes import HawkesResult, MarkedHawkesResult, fit_hawkes, fit_marked_hawkes, simulate_hawkes
from .reciprocity.analysis import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response
from .trend import TrendResult, trend

__all__ = [
    "AnswerDelayResult",
    "AnswerModelResult",
    "ForecastEvaluation",
    "ForecastResult",
    "HawkesResult",
    "MarkedHawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "answer_delay",
    "answer_model",
    "evaluate_forecasts",
    "fit_hawkes",
    "fit_marked_hawkes",
    "forecast",
    "reciprocity",
    "side_series",
    "simulate_hawkes",
    "time_to_response",
    "trend",
]
