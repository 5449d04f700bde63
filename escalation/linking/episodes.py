"""Episodes: bursts of back-and-forth within a dyad, separated by calm.

Following the episode statistics of the conflict literature (e.g. studies of
Gaza-Israel violence 2007-2014), a dyad's events are split wherever the gap
between consecutive events is at least ``calm``. For each episode we report who
started it, who ended it, how many events each side carried out, whether it
was one-sided, and the number of **counter-retaliations**: the times the acting
side switched from one event to the next.

Events of the same day without a clock time are simultaneous: none of them is
before another. A day on which both sides acted is counted as ``simultaneous``
(a mixed moment), not as a switch, and an episode that opens or closes with
such a day has no ``started_by`` / ``ended_by`` (missing), because who went
first is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.keys import side_text
from .._core.result import Result
from .._core.time import parse_window
from .._core.words import duration_words
from ..events.table import Events
from ..io._coerce import as_events

if TYPE_CHECKING:
    from matplotlib.axes import Axes

EPISODE_COLUMNS = (
    "episode_id", "side_a", "side_b", "episode", "start", "end", "duration_days", "n_events",
    "events_a", "events_b", "fatalities_a", "fatalities_b", "counter_retaliations", "simultaneous",
    "started_by", "ended_by", "one_sided",
)  # fmt: skip


def episodes(
    events: Events | pd.DataFrame,
    *,
    calm: str | pd.Timedelta | float = "3D",
    sides: Mapping[str, str] | str | None = None,
) -> EpisodesResult:
    """Split each dyad's events into episodes separated by at least ``calm``.

    Parameters
    ----------
    events : Events or DataFrame
    calm : str, Timedelta or float
        The shortest gap that ends an episode (``"3D"``; a number is days).
    sides : dict or path, optional
        Re-map actors to sides first.

    Returns
    -------
    EpisodesResult
        ``.episodes`` (one row per episode), ``.summary()`` (per dyad) and
        ``.distribution`` (episodes by number of counter-retaliations).

    Examples
    --------
    >>> import pandas as pd, escalation as esc
    >>> t = pd.DataFrame({"date": ["2020-01-01", "2020-01-02", "2020-01-03", "2020-02-01"],
    ...                   "actor": ["A", "B", "A", "A"], "target": ["B", "A", "B", "B"]})
    >>> ep = esc.episodes(t, calm="3D").episodes
    >>> ep[["n_events", "counter_retaliations", "started_by", "ended_by", "one_sided"]].values.tolist()
    [[3, 2, 'A', 'A', False], [1, 0, 'A', 'A', True]]
    """
    ev = as_events(events, sides=sides)
    gap = parse_window(calm, "calm")
    f = ev.frame
    actor = side_text(f["actor_side"])
    target = side_text(f["target_side"])
    keep = f["actor_side"].notna().to_numpy() & f["target_side"].notna().to_numpy() & (actor != target)
    side_a = np.where(actor < target, actor, target)[keep]
    side_b = np.where(actor < target, target, actor)[keep]
    data = pd.DataFrame(
        {
            "side_a": side_a,
            "side_b": side_b,
            "actor": actor[keep],
            "date": f["date"].to_numpy()[keep],
            "event_id": f["event_id"].to_numpy()[keep],
            "has_time": f["has_time"].to_numpy(bool)[keep],
            "fatalities": f["fatalities"].to_numpy(dtype="float64", na_value=np.nan)[keep],
        }
    )
    if data.empty:
        return EpisodesResult(pd.DataFrame(columns=list(EPISODE_COLUMNS)), ev, gap)
    data = data.sort_values(["side_a", "side_b", "date", "event_id"], kind="stable").reset_index(drop=True)
    same_dyad = (data["side_a"].eq(data["side_a"].shift())) & (data["side_b"].eq(data["side_b"].shift()))
    new_episode = ~same_dyad | (data["date"].diff() >= gap)
    data["episode_id"] = new_episode.cumsum()
    data["by_a"] = data["actor"] == data["side_a"]
    data["fat_a"] = data["fatalities"].where(data["by_a"])
    data["fat_b"] = data["fatalities"].where(~data["by_a"])
    steps = _steps(data)

    g = data.groupby("episode_id", sort=True)
    sg = steps.groupby("episode_id", sort=True)
    table = pd.DataFrame(
        {
            "side_a": g["side_a"].first(),
            "side_b": g["side_b"].first(),
            "start": g["date"].min(),
            "end": g["date"].max(),
            "n_events": g.size(),
            "events_a": g["by_a"].sum(),
            "fatalities_a": g["fat_a"].sum(min_count=1),
            "fatalities_b": g["fat_b"].sum(min_count=1),
            "counter_retaliations": sg["switch"].sum(),
            "simultaneous": sg["mixed"].sum(),
            # (not groupby first/last: they skip the missing label of a mixed moment)
            "started_by": steps.drop_duplicates("episode_id", keep="first").set_index("episode_id")["label"],
            "ended_by": steps.drop_duplicates("episode_id", keep="last").set_index("episode_id")["label"],
        }
    )
    table["events_b"] = table["n_events"] - table["events_a"]
    table["duration_days"] = (table["end"] - table["start"]).dt.total_seconds() / 86400
    table["one_sided"] = (table["events_a"] == 0) | (table["events_b"] == 0)
    table["episode"] = table.groupby(["side_a", "side_b"]).cumcount() + 1
    table = table.reset_index()
    for column in ("n_events", "events_a", "events_b", "counter_retaliations", "simultaneous"):
        table[column] = table[column].astype(np.int64)
    return EpisodesResult(table[list(EPISODE_COLUMNS)], ev, gap)


def _steps(data: pd.DataFrame) -> pd.DataFrame:
    """The ordered moments of each episode, with who acted at each.

    Events of one day are one moment unless every event of that dyad-day has a
    clock time (then each distinct time is a moment): an untimed event cannot be
    put before or after another event of its day. A moment where both sides
    acted is ``mixed``; its ``label`` is missing, because who went first is unknown.
    A switch (counter-retaliation) is a change of the acting side between two
    consecutive moments that each had one side acting; a mixed moment between
    them hides the order, so it is not counted as a switch either way.
    """
    day = data["date"].dt.normalize()
    all_timed = data.groupby(["episode_id", day], sort=False)["has_time"].transform("all").to_numpy(bool)
    moment = data["date"].where(all_timed, day)
    steps = (
        pd.DataFrame({"episode_id": data["episode_id"], "moment": moment, "actor": data["actor"]})
        .groupby(["episode_id", "moment"], sort=True)["actor"]
        .agg(["first", "nunique"])
        .reset_index()
    )
    steps["mixed"] = steps["nunique"] > 1
    steps["label"] = steps["first"].where(~steps["mixed"])
    prev_label = steps.groupby("episode_id")["label"].shift()
    steps["switch"] = steps["label"].notna() & prev_label.notna() & (steps["label"] != prev_label)
    return steps


@dataclass(frozen=True, repr=False, eq=False)
class EpisodesResult(Result):
    """Episodes of each dyad.

    Attributes
    ----------
    episodes : DataFrame
        One row per episode (see :data:`EPISODE_COLUMNS`); ``side_a`` is the
        alphabetically first side of the dyad.
    events : Events
    calm : Timedelta
    """

    episodes: pd.DataFrame
    events: Events
    calm: pd.Timedelta

    def summary(self) -> pd.DataFrame:
        """One row per dyad (``side_a, side_b``): episodes, share one-sided, durations, counter-retaliations,
        who starts and ends them (``started_simultaneous``: opened on a day both sides acted)."""
        return self._summary.copy()

    def to_frame(self) -> pd.DataFrame:
        """One row per episode (see :data:`EPISODE_COLUMNS`); a copy."""
        return self.episodes.copy()

    def settings(self) -> dict[str, Any]:
        return {"calm": self.calm}

    @cached_property
    def _summary(self) -> pd.DataFrame:
        ep = self.episodes
        if ep.empty:
            return pd.DataFrame(columns=["side_a", "side_b", "episodes"])
        ep = ep.assign(
            started_a=ep["started_by"] == ep["side_a"],
            ended_a=ep["ended_by"] == ep["side_a"],
            started_b=ep["started_by"] == ep["side_b"],
            ended_b=ep["ended_by"] == ep["side_b"],
        )
        g = ep.groupby(["side_a", "side_b"], sort=True)
        out = pd.DataFrame(
            {
                "episodes": g.size(),
                "one_sided_share": g["one_sided"].mean(),
                "median_duration_days": g["duration_days"].median(),
                "mean_events": g["n_events"].mean(),
                "mean_counter_retaliations": g["counter_retaliations"].mean(),
                "max_counter_retaliations": g["counter_retaliations"].max(),
                "started_by_a": g["started_a"].sum().astype(np.int64),
                "started_by_b": g["started_b"].sum().astype(np.int64),
                "ended_by_a": g["ended_a"].sum().astype(np.int64),
                "ended_by_b": g["ended_b"].sum().astype(np.int64),
            }
        )
        # Episodes opening or closing on a day both sides acted: who went first or last is unknown.
        out["started_simultaneous"] = out["episodes"] - out["started_by_a"] - out["started_by_b"]
        out["ended_simultaneous"] = out["episodes"] - out["ended_by_a"] - out["ended_by_b"]
        return out.reset_index()

    @cached_property
    def distribution(self) -> pd.DataFrame:
        """Number of episodes by number of counter-retaliations, per dyad (rows) and count (columns)."""
        ep = self.episodes
        if ep.empty:
            return pd.DataFrame()
        dyad = ep["side_a"] + " / " + ep["side_b"]
        return pd.crosstab(dyad, ep["counter_retaliations"]).rename_axis(index="dyad", columns="counter_retaliations")

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Episodes as bars over time, one row per dyad, coloured by who started them."""
        from ..plotting import episode_bars

        return episode_bars(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        ep = self.episodes
        share = float(ep["one_sided"].mean()) if len(ep) else float("nan")
        n_dyads = len(ep.groupby(["side_a", "side_b"])) if len(ep) else 0
        calm = duration_words(self.calm)
        return f"<EpisodesResult: {len(ep)} episodes in {n_dyads} dyads (calm >= {calm}); {share:.0%} one-sided>"
