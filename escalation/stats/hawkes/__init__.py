"""Multivariate Hawkes processes with exponential kernels: fit, trigger probabilities, simulation."""

from __future__ import annotations

from .model import fit_hawkes
from .results import HawkesResult
from .simulate import simulate_daily, simulate_hawkes, simulate_times

__all__ = ["HawkesResult", "fit_hawkes", "simulate_daily", "simulate_hawkes", "simulate_times"]
