"""What is likely next: forecasts from the fitted Hawkes process, and their honest evaluation."""

from __future__ import annotations

from .evaluate import ForecastEvaluation, evaluate_forecasts
from .predict import ForecastResult, forecast

__all__ = ["ForecastEvaluation", "ForecastResult", "evaluate_forecasts", "forecast"]
