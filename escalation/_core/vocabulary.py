"""One vocabulary: the names of choices every analysis shares, and the old names that still work for a release.

``docs/vocabulary.md`` is the table users read; this module is what the code checks. A renamed keyword or
value keeps working for one release with a :class:`DeprecationWarning` that names the new spelling, so that a
script written for the old names runs and says what to change.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from ..errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

#: What a count series or a trend counts: events, known fatalities (the ``fatalities`` column), the ladder's
#: rank, or whether anyone was killed (0/1).
Measure = Literal["events", "fatalities", "rank", "any"]
#: The unit of a series: the acting side, the targeted side, the directed dyad.
Unit = Literal["side", "target", "dyad"]
#: Who acts in every analysis: the sides, or the camps a sides file puts them in.
Level = Literal["side", "camp"]
#: How responses are linked to triggers: the nearest earlier reversed-dyad event, or a Hawkes model's
#: probabilities.
LinkMethod = Literal["reversal", "hawkes"]
#: Whether events are placed by day or by clock time ("auto": by clock time when every event has one).
Resolution = Literal["auto", "daily", "continuous"]
#: The formats of an event file (``"auto"``: told from the file).
Format = Literal["auto", "canonical", "acled", "ucdp", "gdelt", "parquet"]
#: GDELT's actor columns: ``Actor1Code``, ``Actor1Name`` or ``Actor1CountryCode``.
ActorLevel = Literal["code", "name", "country"]
#: What a reciprocity series counts per period.
SeriesMeasure = Literal["events", "fatalities", "any"]
#: The multiple-testing adjustments of statsmodels' ``multipletests`` the package offers.
Adjustment = Literal["holm", "fdr_bh", "bonferroni", "none"]
#: Where a reciprocity p-value comes from: resampling that keeps the tides, circular shifts, or the textbook.
Inference = Literal["tide", "shift", "asymptotic"]

#: value renames: the old word -> the word every function now uses
RENAMED_VALUES = {"deaths": "fatalities", "actor": "side"}


def choice(value: str, allowed: Sequence[str], name: str, *, stacklevel: int = 3) -> str:
    """``value`` in the shared vocabulary: an old word is renamed (with a warning), and what is not one of
    ``allowed`` is a :class:`UsageError` that lists them.

    >>> choice("events", ("events", "fatalities"), "measure")
    'events'
    """
    if value in RENAMED_VALUES and RENAMED_VALUES[value] in allowed:
        new = RENAMED_VALUES[value]
        warnings.warn(
            f"{name}={value!r} is now {name}={new!r}, as everywhere in escalation (the old word goes in the next "
            "release)",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        value = new
    if value not in allowed:
        raise UsageError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def renamed_keywords(**renames: str) -> Callable[[F], F]:
    """A decorator: the keyword ``old`` of the decorated function is now ``new`` (``renamed_keywords(old="new")``).
    The old keyword still works for one release, with a warning; giving both is a :class:`UsageError`."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise UsageError(f"give {new}= only: {old}= is its old name")
                    warnings.warn(
                        f"{func.__name__}({old}=...) is now {func.__name__}({new}=...) (the old keyword goes in the "
                        "next release)",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
