"""Chance: every null the package compares an observed "B answers A" with, in one place.

Observed relations mean nothing alone: "the rule links 78% of Israeli incidents to an earlier Palestinian
one" is what two unrelated sides give too, once both are active, and more still when both rise and fall in
the same seasons. Every inferred relation is therefore printed next to what chance gives under a null that
keeps what chance would keep:

- :mod:`._tide`: the **tide**, the one timescale (default 14 days) that separates answering (faster than
  a quarter of the tide) from shared slow changes of rate (slower than a tide), and the rotation within tide blocks
  that every event-level null here uses;
- :mod:`.links`: "came after" (:func:`link_baseline`) and "followed by" (:func:`answered_baseline`) per
  direction, against rotations within the tide's blocks;
- :mod:`.curves`: the Kaplan-Meier curve of the time to the other side's next action under the same null;
- :mod:`.series`: the same rotation for count series (the reciprocity tests' p-values);
- :mod:`.steps`: whether a side climbs the ladder *when it answers* (a permutation of its triggers);
- :mod:`.simulate`: histories with a known answer (shared seasons, surges, a wandering level, bursts,
  one-way answering) on which every test here is checked.
"""

from __future__ import annotations

from ._tide import DEFAULT_TIDE, answer_lag_days, parse_tide, tide_words
from .links import BASELINE_COLUMNS, answered_baseline, link_baseline

__all__ = [
    "BASELINE_COLUMNS",
    "DEFAULT_TIDE",
    "answer_lag_days",
    "answered_baseline",
    "link_baseline",
    "parse_tide",
    "tide_words",
]
