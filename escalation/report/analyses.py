"""The report's analyses: each run once with the report's settings, or the reason it could not run.

A dataset on which an analysis cannot run (one side only, too few events) gets that analysis reported as
unavailable with the reason, instead of stopping the report; the warnings an analysis gave are kept as notes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._core.vocabulary import SeriesMeasure
from ..errors import EscalationError
from ..events.ladder import Ladder
from ..events.table import Events
from ..linking.chains import ChainsResult, chains
from ..linking.episodes import EpisodesResult, episodes
from ..stats.hawkes import HawkesResult, fit_hawkes
from ..stats.reciprocity.analysis import ReciprocityResult, reciprocity
from ..stats.survival import TimeToResponseResult, time_to_response
from ..stats.trend import TrendResult, trend

#: The report's one minimum sample (``escalation report --min-n``): no finding, drawn curve, chance comparison
#: of steps or rate of a chain rests on fewer units than this (actions of a direction, events of a curve, steps
#: with both rungs known); a share needs half as many counted outcomes too (3 answered of 10 says little).
MIN_N = 10


@dataclass
class Analyses:
    """Every analysis of the report, or why it could not run."""

    chains: ChainsResult | None = None
    episodes: EpisodesResult | None = None
    ttr: TimeToResponseResult | None = None
    reciprocity: ReciprocityResult | None = None
    hawkes: HawkesResult | None = None
    trend: TrendResult | None = None
    ladder: Ladder | None = None
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    window: str = "30D"
    calm: str = "3D"
    tide: str = "14D"
    min_n: int = MIN_N
    #: what one counted event is called in sentences: "action", or "lethal incident" for data of killings only
    noun: str = "action"

    @property
    def freq(self) -> str:
        """The period of the reciprocity series (the package's default: days)."""
        return self.reciprocity.freq if self.reciprocity is not None else "D"


def _attempt(analyses: Analyses, name: str, run: Callable[[], Any]) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = run()
        except (EscalationError, ValueError, np.linalg.LinAlgError) as exc:
            analyses.errors[name] = str(exc)
            return None
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning | UserWarning)]
    if messages:
        analyses.notes[name] = sorted(set(messages))
    return result


def run_analyses(
    events: Events,
    *,
    window: str = "30D",
    calm: str = "3D",
    tide: str = "14D",
    ladder: Ladder | None = None,
    freq: str = "D",
    measure: SeriesMeasure = "events",
    start: str | None = None,
    end: str | None = None,
    min_n: int = MIN_N,
) -> Analyses:
    """Run every analysis of the report with the same settings, and the package's defaults otherwise (the
    numbers are those of the commands and functions run with the same options). The reciprocity series are
    of ``measure`` per ``freq``; with weekly or monthly series a tide shorter than four of their periods gives
    way to reciprocity's own (eight periods; :func:`reciprocity_tide` says which was used). ``start`` and
    ``end`` (the period the events were cut to) make the series span the whole period, zero-filled. ``min_n``
    is the least sample any finding rests on (:data:`MIN_N`)."""
    a = Analyses(window=window, calm=calm, tide=tide, ladder=ladder, min_n=min_n, noun=event_noun(events))
    a.chains = _attempt(a, "chains", lambda: chains(events, window=window, ladder=ladder, tide=tide))
    a.episodes = _attempt(a, "episodes", lambda: episodes(events, calm=calm))
    a.ttr = _attempt(a, "time to response", lambda: time_to_response(events, window=window, tide=tide))
    a.reciprocity = _attempt(
        a,
        "reciprocity",
        lambda: reciprocity(events, tide=series_tide(tide, freq), freq=freq, measure=measure, start=start, end=end),
    )
    a.hawkes = _attempt(a, "hawkes", lambda: fit_hawkes(events, tide=tide))
    a.trend = _attempt(a, "trend", lambda: trend(events, measures=("events", "fatalities", "rank"), ladder=ladder))
    return a


def lethal_only(events: Events) -> bool:
    """Data of killings only: one row per victim, or every event with a known death count of at least one
    (a fatality list; attacks that killed nobody are absent)."""
    deaths = events.frame["fatalities"]
    return bool(events.provenance.get("per_victim")) or (len(deaths) > 0 and bool((deaths >= 1).fillna(False).all()))


def event_noun(events: Events) -> str:
    """What the sentences call one event: "lethal incident" for data of killings only, else "action"."""
    return "lethal incident" if lethal_only(events) else "action"


def series_tide(tide: str, freq: str) -> str | None:
    """The report's tide for series of ``freq``, or None (reciprocity's default) when it spans < 4 periods."""
    from .._core.time import parse_freq
    from ..chance import parse_tide
    from ..stats.reciprocity.analysis import MIN_BLOCK, tide_periods

    code = parse_freq(freq)
    return tide if code == "D" or tide_periods(parse_tide(tide), code) >= MIN_BLOCK else None
