"""escalation: causal escalation-chain analysis of conflict event data.

The public names below are loaded when first used (PEP 562): ``import escalation`` and ``escalation --help``
do not pay for pandas, SciPy and statsmodels until an analysis needs them (import went from 2.2 s to a few
milliseconds; ``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import DataError, EscalationError, UsageError

__version__ = "0.1.0"

#: public name -> the module that defines it
_WHERE = {
    "ChainsResult": "chains", "chains": "chains", "link": "chains",
    "EpisodesResult": "episodes", "episodes": "episodes",
    "Events": "events", "read_events": "io", "counts": "counts", "Ladder": "ladder", "read_sides": "sides",
    "AnswerDelayResult": "stats", "AnswerModelResult": "stats", "HawkesResult": "stats",
    "ReciprocityResult": "stats", "TimeToResponseResult": "stats", "TrendResult": "stats", "answer_delay": "stats",
    "answer_model": "stats", "fit_hawkes": "stats", "reciprocity": "stats", "time_to_response": "stats",
    "trend": "stats", "MarkedHawkesResult": "stats", "fit_marked_hawkes": "stats", "ForecastResult": "stats",
    "ForecastEvaluation": "stats", "forecast": "stats", "evaluate_forecasts": "stats",
}  # fmt: skip

if TYPE_CHECKING:  # what type checkers and editors see: the names, as if imported here
    from . import datasets, plotting
    from .chains import ChainsResult, chains, link
    from .counts import counts
    from .episodes import EpisodesResult, episodes
    from .events import Events
    from .io import read_events
    from .ladder import Ladder
    from .sides import read_sides
    from .stats import (
        AnswerDelayResult,
        AnswerModelResult,
        ForecastEvaluation,
        ForecastResult,
        HawkesResult,
        MarkedHawkesResult,
        ReciprocityResult,
        TimeToResponseResult,
        TrendResult,
        answer_delay,
        answer_model,
        evaluate_forecasts,
        fit_hawkes,
        fit_marked_hawkes,
        forecast,
        reciprocity,
        time_to_response,
        trend,
    )


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif not name.startswith("__"):
        try:  # a subpackage or module: escalation.datasets, escalation.plotting, escalation.schema, ...
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package module, which keeps ``escalation.chains`` the function. Importing the submodule
    ``escalation.chains`` (or ``episodes``) for the first time makes the import system set the package's
    attribute of that name to the submodule; the public name is the function, as it was when ``__init__``
    imported everything at once."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "AnswerDelayResult",
    "AnswerModelResult",
    "ChainsResult",
    "DataError",
    "EpisodesResult",
    "EscalationError",
    "Events",
    "ForecastEvaluation",
    "ForecastResult",
    "HawkesResult",
    "Ladder",
    "MarkedHawkesResult",
    "ReciprocityResult",
    "TimeToResponseResult",
    "TrendResult",
    "UsageError",
    "__version__",
    "answer_delay",
    "answer_model",
    "chains",
    "counts",
    "datasets",
    "episodes",
    "evaluate_forecasts",
    "fit_hawkes",
    "fit_marked_hawkes",
    "forecast",
    "link",
    "plotting",
    "read_events",
    "read_sides",
    "reciprocity",
    "time_to_response",
    "trend",
]
