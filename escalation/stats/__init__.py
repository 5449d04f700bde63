"""Statistics of retaliation: time to response, reciprocity, Hawkes processes."""

from __future__ import annotations

from .reciprocity import ReciprocityResult, reciprocity, side_series
from .survival import TimeToResponseResult, time_to_response

__all__ = ["ReciprocityResult", "TimeToResponseResult", "reciprocity", "side_series", "time_to_response"]
