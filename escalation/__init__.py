"""escalation: causal escalation-chain analysis of conflict event data."""

from __future__ import annotations

from . import datasets, plotting
from .chains import ChainsResult, chains, link
from .episodes import EpisodesResult, episodes
from .errors import DataError, EscalationError, UsageError
from .events import Events
from .io import read_events
from .ladder import Ladder
from .sides import read_sides
from .stats import (
    AnswerDelayResult,
    HawkesResult,
    ReciprocityResult,
    TimeToResponseResult,
    TrendResult,
    answer_delay,
    fit_hawkes,
    reciprocity,
    time_to_response,
    trend,
)

__version__ = "0.1.0"

__all__ = [
    "AnswerDelayResult",
    "ChainsResult",
    "DataError",
    "EpisodesResult",
    "EscalationError",
    "Events",
    "HawkesResult",
    "Ladder",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "UsageError",
    "__version__",
    "answer_delay",
    "chains",
    "datasets",
    "episodes",
    "fit_hawkes",
    "link",
    "plotting",
    "read_events",
    "read_sides",
    "reciprocity",
    "time_to_response",
    "trend",
]
