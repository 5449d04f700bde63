"""Charts: each function takes data or a result and an optional ``ax``, and returns the ``Axes``.

matplotlib is imported inside the functions, so importing :mod:`escalation`
stays fast and works without a display. Nothing here opens a window: callers decide how to show.
"""

from __future__ import annotations

from .answers import answer_delays, hazard_ratios
from .bars import monthly_bars
from .chain import chain_diagram
from .episodes import episode_bars
from .forecast import forecast_bars, reliability_diagram
from .hawkes import dyadic_answers, hawkes_adjacency, hawkes_intensity, hawkes_qq, mark_profiles
from .ladder import event_map, ladder_over_time
from .reciprocity import impulse_responses, side_counts
from .style import lump_sides, main_sides
from .survival import interval_histogram, km_curves
from .timeline import timeline
from .trend import trend_lines

__all__ = [
    "answer_delays",
    "chain_diagram",
    "dyadic_answers",
    "episode_bars",
    "event_map",
    "forecast_bars",
    "hawkes_adjacency",
    "hawkes_intensity",
    "hawkes_qq",
    "hazard_ratios",
    "impulse_responses",
    "interval_histogram",
    "km_curves",
    "ladder_over_time",
    "lump_sides",
    "main_sides",
    "mark_profiles",
    "monthly_bars",
    "reliability_diagram",
    "side_counts",
    "timeline",
    "trend_lines",
]
