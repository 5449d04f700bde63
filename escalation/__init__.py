"""escalation: causal escalation-chain analysis of conflict event data."""

from __future__ import annotations

from .errors import DataError, EscalationError, UsageError
from .events import Events
from .io import read_events
from .sides import read_sides

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "EscalationError",
    "Events",
    "UsageError",
    "__version__",
    "read_events",
    "read_sides",
]
