"""The two numbers behind every verdict (internal): the level of the tests and the draws of the comparisons
with chance. Spelled once, so that a verdict, its message and the option's default cannot disagree."""

from __future__ import annotations

#: The level of every "significant", "answered" or "beyond the tides" verdict unless an analysis is given another.
LEVEL = 0.05
#: Histories drawn in every comparison with chance (the Monte-Carlo p-value's resolution is 1 / (DRAWS + 1)).
DRAWS = 199
