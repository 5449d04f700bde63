"""The :class:`Events` object: accepted events, the rejection table and where they came from."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.dates import parse_day
from .._core.vocabulary import Level
from .._core.words import counted
from .schema import LINK_DROPPED, dropped_links, n_rejected_rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True, repr=False, eq=False)
class Events:
    """Validated events with the rows that were rejected and the provenance of both.

    Attributes
    ----------
    frame : DataFrame
        One row per accepted event, sorted by date then ``event_id``, with the
        canonical columns plus ``has_time``, ``row`` (its row in the source)
        and ``actor_side`` / ``target_side``.
    rejections : DataFrame
        One row per problem: ``file, row, column, value, reason``.
    provenance : dict
        ``file, format, rows_read, accepted, rejected, columns, sides``.
    sides : dict
        The sides mapping applied (names not in it are their own side).
    members : DataFrame or None
        When rows were grouped into incidents (:meth:`incidents`, or
        ``read_events(per_victim=True)``): every accepted source row with the
        ``incident_id`` it belongs to. ``None`` when each row is an event.
    """

    frame: pd.DataFrame
    rejections: pd.DataFrame
    provenance: Mapping[str, Any] = field(default_factory=dict)
    sides: Mapping[str, str] = field(default_factory=dict)
    members: pd.DataFrame | None = None
    #: side -> camp (a patron and the groups it backs, allies), from the sides file; see :meth:`at_level`
    camps: Mapping[str, str] = field(default_factory=dict)
    #: side (or camp) -> "#rrggbb", the colours the sides file fixes for every figure; see :meth:`palette`
    colours: Mapping[str, str] = field(default_factory=dict)

    @property
    def n_read(self) -> int:
        """Rows read from the source (accepted + rejected)."""
        return int(self.provenance.get("rows_read", len(self.frame) + self.n_rejected))

    @property
    def n_accepted(self) -> int:
        """Rows accepted (when rows were grouped into incidents, rows, not incidents), with those outside a
        period cut by :meth:`between` or a filter of :meth:`where` (``provenance["outside_window_rows"]``):
        accepted + rejected == read."""
        kept = len(self.members) if self.members is not None else len(self.frame)
        return kept + int(self.provenance.get("outside_window_rows", 0))

    @property
    def n_one_sided(self) -> int:
        """Events (or incidents) without a target: counted for their actor, never part of a link."""
        return int(self.frame["target_side"].isna().sum()) if "target_side" in self.frame else 0

    @property
    def unit(self) -> str:
        """What one row of :attr:`frame` is: ``"incident"`` (grouped rows) or ``"event"``."""
        return "incident" if self.members is not None else "event"

    @property
    def rows(self) -> pd.DataFrame:
        """The accepted source rows as read: :attr:`members` (without ``incident_id``) for incidents, else
        :attr:`frame`. What re-mapping sides, conversion and the Dask reader start from."""
        return self.members.drop(columns=["incident_id"]) if self.members is not None else self.frame

    def incidents(self, keys: Sequence[str] | None = None) -> Events:
        """Group rows that describe one event into incidents; see
        :func:`escalation.events.incidents.group_incidents`."""
        from .incidents import group_incidents

        return group_incidents(self, keys)

    def between(self, start: Any = None, end: Any = None) -> Events:
        """The events dated from ``start`` to ``end`` (whole days, both included); the rest are left out.

        Counts read and rejected stay those of the source; ``provenance["window"]`` records the cut. Neither
        ``start`` nor ``end``: the events as they are, no cut recorded.

        Examples
        --------
        >>> import escalation as esc
        >>> len(esc.datasets.load_iraq_2019_2021().between("2020-01-01", "2020-01-31"))
        12
        """
        if start is None and end is None:
            return self
        day = self.frame["date"].dt.normalize()
        keep = pd.Series(True, index=self.frame.index)
        if start is not None:
            keep &= day >= parse_day(start, "start")
        if end is not None:
            keep &= day <= parse_day(end, "end")
        return self._keeping(
            keep.to_numpy(),
            window=[None if start is None else str(start), None if end is None else str(end)],
            outside_window=int((~keep).sum()) + int(self.provenance.get("outside_window", 0)),
        )

    def _keeping(self, keep: np.ndarray, frame: pd.DataFrame | None = None, **record: Any) -> Events:
        """These events only (``keep``, a mask over :attr:`frame`; ``frame``: the kept rows, when the caller
        changed them), their member rows with them, the rows left out still counted as accepted (accepted +
        rejected == read), and ``record`` added to the provenance."""
        kept = self.frame[keep].reset_index(drop=True) if frame is None else frame
        members = self.members
        if members is not None:
            members = members[members["incident_id"].isin(kept["event_id"])].reset_index(drop=True)
        provenance = {
            **self.provenance,
            **record,
            "outside_window_rows": self.n_accepted - (len(members) if members is not None else len(kept)),
        }
        return replace(self, frame=kept, members=members, provenance=provenance)

    def where(self, filters: Mapping[str, Any] | None = None, /, **columns: Any) -> Events:
        """The events whose columns hold the values given (a value or a list of values per column), with the
        same sides, counts and reading record; stated links to events left out are dropped and counted.

        Filter on any column: ``event_type``, ``actor_side``, ``target_side``, ``actor``, ``location``, a
        source's own columns. Counts read and rejected stay those of the source (the rows left out count as
        accepted), as with :meth:`between`; ``provenance["subset"]`` records the filter.

        Examples
        --------
        >>> import escalation as esc
        >>> ev = esc.datasets.load_iraq_2019_2021()
        >>> rockets = ev.where(event_type="rocket attack", actor_side="Iran-aligned militias")
        >>> len(rockets), rockets.side_list()
        (24, ['Iran-aligned militias', 'United States'])
        """
        from .._core.subset import describe, row_mask
        from .schema import named_references, without_links

        spec = {**(filters or {}), **columns}
        if not spec:
            return self
        keep = row_mask(self.frame, spec, name="where")
        frame = self.frame[keep].reset_index(drop=True)
        dropped = 0
        if "responds_to" in frame and frame["responds_to"].notna().any():
            refs = named_references(frame["responds_to"])
            gone = ~refs.isin(frame["event_id"]).to_numpy()
            if gone.any():  # a stated link to an event outside the subset has nothing to link to
                frame["responds_to"] = without_links(frame["responds_to"], refs.index.to_numpy()[gone],
                                                     refs.to_numpy()[gone])  # fmt: skip
                dropped = int(gone.sum())
        earlier = self.provenance.get("subset")
        return self._keeping(
            keep, frame,
            subset=f"{earlier}; {describe(spec)}" if earlier else describe(spec),
            outside_subset=int((~keep).sum()) + int(self.provenance.get("outside_subset", 0)),
            links_to_outside=dropped + int(self.provenance.get("links_to_outside", 0)),
        )  # fmt: skip

    def at_level(self, level: Level = "side") -> Events:
        """The events read at the level of ``"side"`` (as they are) or ``"camp"``: each side replaced by its
        camp (:attr:`camps`, from the sides file; a side in no camp is its own camp).

        At the camp level a US strike on Iran can answer the rockets of Iran-backed militias, and the militias
        can answer a US strike on Iran, which the side level cannot see; events between two sides of one camp
        (Iran and its militias) are then within one party and are not linked. Every analysis, and its
        comparison with chance, runs on what it is given: at the level chosen here.

        Examples
        --------
        >>> import escalation as esc
        >>> camps = esc.datasets.load_iraq_2019_2021().at_level("camp")
        >>> camps.side_list()
        ['Iran and aligned militias', 'Iraq', 'United States']
        """
        from ..errors import UsageError

        if level == "side":
            return self
        if level != "camp":
            raise UsageError(f"level must be 'side' or 'camp', got {level!r}")
        if not self.camps:
            raise UsageError('no camps: the sides file names none (a JSON "camps" object {"camp": ["side", ...]}, '
                             "or a third CSV column camp)")  # fmt: skip
        if self.provenance.get("level") == "camp":
            return self
        frame = self.frame.copy(deep=False)
        for column in ("actor_side", "target_side"):
            sides = frame[column]
            frame[column] = sides.map(dict(self.camps)).astype(sides.dtype).fillna(sides)
        return replace(self, frame=frame, provenance={**self.provenance, "level": "camp"})

    @property
    def n_imprecise(self) -> int:
        """Events whose date is known only to the week, the month or a longer span (``date_precision``, from
        ACLED's ``time_precision``, UCDP's ``date_prec`` and ``date_end``, or a table's own column)."""
        if "date_precision" not in self.frame:
            return 0
        p = self.frame["date_precision"]
        return int((p.notna() & (p.astype(object) != "day")).sum())

    def dated_to_the_day(self) -> Events:
        """The events whose day is known: what links and waits are timed on. An event known only to the month
        linked as if on its first day would answer, or be answered by, events it may have followed or preceded;
        those events are left out (``provenance["imprecise_left_out"]``) rather than timed as if exact.

        >>> import escalation as esc
        >>> esc.datasets.load_iraq_2019_2021().dated_to_the_day().n_imprecise
        0
        """
        n = self.n_imprecise
        if not n:
            return self
        p = self.frame["date_precision"]
        return self._keeping((p.isna() | (p.astype(object) == "day")).to_numpy(), imprecise_left_out=n)

    def subset_note(self) -> str | None:
        """The filter of :meth:`where` and what it left out, in words (None without one).

        >>> import escalation as esc
        >>> esc.datasets.load_iraq_2019_2021().where(event_type="airstrike").subset_note()
        'event_type = airstrike: 4 events kept, 58 left out; 3 stated links to events left out dropped'
        """
        if "subset" not in self.provenance:
            return None
        p = self.provenance
        links = p.get("links_to_outside", 0)
        tail = f"; {links} stated link{'s' if links != 1 else ''} to events left out dropped" if links else ""
        return f"{p['subset']}: {counted(len(self.frame), self.unit)} kept, {p['outside_subset']} left out{tail}"

    def period_note(self) -> str | None:
        """The period cut by :meth:`between` and how many it left out, in words (None when uncut).

        Examples
        --------
        >>> import escalation as esc
        >>> esc.datasets.load_iraq_2019_2021().between("2020-01-01", "2020-01-31").period_note()
        '2020-01-01 to 2020-01-31: 12 events in it, 50 outside it left out'
        """
        if "window" not in self.provenance:
            return None
        start, end = self.provenance["window"]
        return (f"{start or 'first day'} to {end or 'last day'}: {counted(len(self.frame), self.unit)} in it, "
                f"{self.provenance.get('outside_window', 0)} outside it left out")  # fmt: skip

    @property
    def n_rejected(self) -> int:
        """Rows rejected (a row with several problems counts once; a dropped stated link rejects no row)."""
        return n_rejected_rows(self.rejections)

    @property
    def n_dropped_links(self) -> int:
        """Stated links dropped (``responds_to`` naming an unknown, rejected or later event); their events kept."""
        return int(dropped_links(self.rejections).sum()) if len(self.rejections) else 0

    def __len__(self) -> int:
        return len(self.frame)

    def summary(self) -> pd.DataFrame:
        """One row per side as actor: ``side, events, fatalities`` (known), ``first, last`` dates, ``targets``
        and ``one_sided`` (events without a target)."""
        return self._summary.copy()

    def to_frame(self) -> pd.DataFrame:
        """The accepted events (incidents when rows were grouped), one row each; a copy, as every result's."""
        return self.frame.copy()

    def to_dict(self) -> dict[str, Any]:
        """The counts, sides, camps, colours, provenance and the per-side summary as plain JSON values (the
        events themselves are :meth:`to_frame`: a table, not a document).

        >>> import escalation as esc
        >>> esc.datasets.load_iraq_2019_2021().to_dict()["counts"]["rows read"]
        62
        """
        from .._core.result import json_value, records

        counts = self.counts
        return {
            "counts": {str(k): json_value(v) for k, v in counts.iloc[:, 0].items()},
            "unit": self.unit,
            "sides": self.side_list(),
            "camps": dict(self.camps),
            "colours": dict(self.colours),
            "provenance": json_value(dict(self.provenance)),
            "summary": records(self.summary()),
        }

    @cached_property
    def _summary(self) -> pd.DataFrame:
        f = self.frame
        if f.empty:
            return pd.DataFrame(columns=["side", "events", "fatalities", "first", "last", "targets", "one_sided"])
        grouped = f.groupby("actor_side", observed=True, sort=True)
        out = pd.DataFrame(
            {
                "events": grouped.size(),
                "fatalities": grouped["fatalities"].sum(min_count=1),
                "first": grouped["date"].min(),
                "last": grouped["date"].max(),
                "targets": grouped["target_side"].agg(lambda s: "; ".join(sorted(s.dropna().astype(str).unique()))),
                "one_sided": grouped["target_side"].agg(lambda s: int(s.isna().sum())),
            }
        )
        out.index.name = "side"
        return out.reset_index()

    @cached_property
    def counts(self) -> pd.DataFrame:
        """Rows read, accepted and rejected, and rejections by reason."""
        rows = [("rows read", self.n_read), ("accepted", self.n_accepted), ("rejected", self.n_rejected)]
        if self.members is not None:
            rows.append(("incidents", len(self.frame)))
        rows.append((f"one-sided {self.unit}s (no target)", self.n_one_sided))
        if len(self.rejections):
            links = dropped_links(self.rejections).to_numpy()
            rejected = self.rejections[~links]
            for reason, n in rejected.groupby("reason")["row"].nunique().sort_values(ascending=False).items():
                rows.append((f"rejected: {reason}", int(n)))
            if links.any():
                rows.append(("stated links dropped (events kept)", int(links.sum())))
        return pd.DataFrame(rows, columns=["count", "n"]).set_index("count")

    @cached_property
    def warnings(self) -> list[str]:
        """What is accepted but probably wrong: a header-only file, dates in the future, and side names
        that look the same but differ by case, spacing, Unicode form or an invisible character (which become
        separate sides)."""
        out = []
        if self.n_read == 0:
            out.append("the file has a header but no rows")
        for field_name, column in self.provenance.get("shadowed_columns", {}).items():
            out.append(f"the file's column {field_name!r} is not used: the column mapping reads {field_name} "
                       f"from {column!r}")  # fmt: skip
        if self.n_dropped_links:
            first = self.rejections[dropped_links(self.rejections).to_numpy()].iloc[0]
            reason = str(first["reason"]).removesuffix(LINK_DROPPED)
            n = self.n_dropped_links
            out.append(f"{n} stated link{'s' if n != 1 else ''} dropped, their events kept (first: row {first['row']}, "
                       f"{first['value']!r}: {reason}); listed with the rejections")  # fmt: skip
        f = self.frame
        if len(f) and f["target_side"].isna().all():
            out.append(f"no {self.unit} has a target: all are one-sided and none can be linked "
                       "(is the target column mapped? --columns target=...)")  # fmt: skip
        if len(f):
            tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
            future = f[f["date"] >= tomorrow]
            if len(future):
                first = future.iloc[0]
                plural = "s" if len(future) != 1 else ""
                out.append(f"{len(future)} {self.unit}{plural} dated in the future (first: row {first['row']}, "
                           f"{first['date']:%Y-%m-%d})")  # fmt: skip
            names = pd.Series(self.side_list(), dtype=object)
            folded = names.map(_look)
            for _, same in names.groupby(folded.to_numpy()):
                if len(same) > 1:
                    listed = " / ".join(repr(n) if n.isascii() else f"{n!r} ({n!a})" for n in same)
                    out.append(f"side names that look the same but differ (by case, spacing, Unicode form or an "
                               f"invisible character) are separate sides: {listed} (map them to one side with "
                               "--sides)")  # fmt: skip
        return out

    def side_list(self) -> list[str]:
        """Every side that acts or is targeted, sorted."""
        return sorted(set(self.frame["actor_side"].dropna()) | set(self.frame["target_side"].dropna()))

    def palette(self) -> dict[str, str | None]:
        """Every side (sorted) with the colour the sides file fixes for it, or None: what the figures'
        ``all_sides`` take, so that a side keeps its colour in every figure and every report.

        >>> import escalation as esc
        >>> esc.datasets.load_iraq_2019_2021().palette()["United States"]
        '#cc79a7'
        """
        return {side: self.colours.get(side) for side in self.side_list()}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Timeline of events, one lane per side; see :func:`escalation.plotting.timeline`."""
        from ..plotting import timeline

        return timeline(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        p = self.provenance
        sides = self.side_list()
        span = ""
        if len(self.frame):
            span = f", {self.frame['date'].min():%Y-%m-%d} to {self.frame['date'].max():%Y-%m-%d}"
        grouped = ""
        if self.members is not None:
            keys = ", ".join(p.get("incident_keys", []))
            grouped = f" -> {len(self.frame)} incidents (rows with equal {keys})"
        # a cut or a subset says what it holds first: "62 accepted" of a 4-event subset read as the whole
        cuts = "; ".join(note for note in (self.period_note(), self.subset_note()) if note)
        held = f"{counted(len(self.frame), self.unit)} ({cuts}); read: " if cuts else ""
        return (
            f"<Events: {held}{self.n_accepted} accepted, {self.n_rejected} rejected of {self.n_read} rows{grouped}"
            f" from {p.get('file', '?')} ({p.get('format', '?')}){span}; sides: {', '.join(sides[:6])}"
            f"{'...' if len(sides) > 6 else ''}>"
        )

    def _repr_html_(self) -> str:
        return (
            f"<p>{html.escape(repr(self))}</p>"
            + self.summary().to_html(index=False, escape=True)
            + ("<p>Rejections</p>" + self.rejections.head(20).to_html(index=False) if len(self.rejections) else "")
        )


def _look(name: str) -> str:
    """How a name looks: Unicode-normalised (NFKC: "é" one character or two), without invisible format
    characters (zero-width spaces and joiners, bidirectional marks), case-folded, spaces collapsed. Two sides
    that look the same but are different strings are probably one party typed twice."""
    import unicodedata

    shown = "".join(c for c in unicodedata.normalize("NFKC", str(name)) if unicodedata.category(c) != "Cf")
    return " ".join(shown.casefold().split())
