"""Multivariate Hawkes processes with exponential kernels: fit, marks, trigger probabilities, simulation."""

from __future__ import annotations

from .marks import MarkedHawkesResult, fit_marked_hawkes
from .model import fit_hawkes
from .results import HawkesResult
from .simulate import simulate_daily, simulate_hawkes, simulate_times

__all__ = [
    "HawkesResult",
    "MarkedHawkesResult",
    "fit_hawkes",
    "fit_marked_hawkes",
    "simulate_daily",
    "simulate_hawkes",
    "simulate_times",
]
