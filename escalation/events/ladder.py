"""The escalation ladder: an ordered rank for every kind of event, and the kind of each step.

The default ladder runs from 0 (ceasefire, agreement) to 9 (targeted killing of
a leader, mass violence)::

    0 ceasefire < 1 statement/protest/demand < 2 threat/show of force
      < 3 arrest/sanctions/embassy storming < 4 armed clash/shooting/IED
      < 5 rocket/mortar/shelling/artillery < 6 drone strike < 7 airstrike
      < 8 ballistic/cruise missile attack < 9 targeted killing/assassination

It also ranks ACLED's sub-event types, UCDP's violence types and CAMEO event
codes (GDELT), whose root codes 01-20 are mapped and a few specific codes
refined (195 aerial weapons, 1952 drones, 186 assassination). A user ladder
(a dict or a CSV ``event_type,rank``) replaces the default; an event's
``intensity`` overrides its rank. Matching ignores case; a type not found
exactly is matched by the longest ladder entry it contains as whole words
("US airstrike on depot" -> ``airstrike``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError

DEFAULT_RANKS: dict[str, float] = {
    # 0: de-escalatory acts
    "ceasefire": 0, "truce": 0, "agreement": 0, "peace agreement": 0, "release of prisoners": 0,
    # 1: words and peaceful protest
    "statement": 1, "demand": 1, "protest": 1, "peaceful protest": 1, "demonstration": 1,
    "protest with intervention": 1, "condemnation": 1, "change to group/activity": 1,
    "non-violent transfer of territory": 1,
    # 2: threats and posture
    "threat": 2, "ultimatum": 2, "warning": 2, "show of force": 2, "military exercise": 2,
    "disrupted weapons use": 2, "headquarters or base established": 2,
    # 3: coercion short of armed force
    "sanctions": 3, "sanction": 3, "arrest": 3, "arrests": 3, "detention": 3, "expulsion": 3,
    "seizure": 3, "embassy storming": 3, "riot": 3, "mob violence": 3, "violent demonstration": 3,
    "abduction": 3, "abduction/forced disappearance": 3, "looting/property destruction": 3,
    "cyber attack": 3, "house demolition": 3, "stones throwing": 3,
    # 4: small arms, close combat and bombs
    "armed clash": 4, "clash": 4, "attack": 4, "raid": 4, "shooting": 4, "gunfire": 4, "stabbing": 4,
    "beating": 4, "hit by a vehicle": 4, "ied": 4, "remote explosive/landmine/ied": 4, "grenade": 4,
    "excessive force against protesters": 4, "sexual violence": 4, "government regains territory": 4,
    "non-state actor overtakes territory": 4, "state-based armed conflict": 4, "non-state conflict": 4,
    "one-sided violence": 4, "fire": 4,
    # 5: indirect fire and large bombs
    "rocket attack": 5, "rockets": 5, "mortar attack": 5, "mortar": 5, "shelling": 5, "artillery fire": 5,
    "artillery": 5, "shelling/artillery/missile attack": 5, "explosion": 5, "suicide bomb": 5,
    "bombing": 5, "car bomb": 5,
    # 6-9: air power, missiles and the killing of leaders
    "drone strike": 6, "drone attack": 6, "airstrike": 7, "air strike": 7, "air/drone strike": 7,
    "ballistic missile attack": 8, "missile attack": 8, "cruise missile attack": 8, "missile": 8,
    "targeted killing": 9, "assassination": 9, "chemical weapon": 9, "mass killing": 9,
}  # fmt: skip

#: CAMEO root codes (GDELT ``EventRootCode``) on the same 0-9 scale.
CAMEO_ROOT_RANKS: dict[str, float] = {
    **{f"{i:02d}": 0 for i in range(1, 10)},  # statements, appeals, cooperation: not escalation
    "10": 1, "11": 1, "12": 1, "14": 1,  # demand, disapprove, reject, protest
    "13": 2, "15": 2,  # threaten, exhibit force posture
    "16": 3, "17": 3,  # reduce relations, coerce (sanctions, arrests)
    "18": 4,  # assault
    "19": 5,  # fight
    "20": 9,  # unconventional mass violence
}  # fmt: skip
#: Specific CAMEO codes that the root code would misplace.
CAMEO_CODE_RANKS: dict[str, float] = {"186": 9, "183": 5, "195": 7, "1951": 7, "1952": 6, "194": 5}

STEP_KINDS = ("escalation", "proportional", "de-escalation", "unknown")
_CAMEO = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Ladder:
    """An ordered ranking of event types.

    Parameters
    ----------
    ranks : mapping
        ``{event_type: rank}``; keys are matched case-insensitively.
    cameo : bool
        Also rank CAMEO codes (``"190"``, ``"0231"``) by their root code.
    keywords : bool
        Match a type not found exactly by the longest entry it contains.

    Examples
    --------
    >>> ladder = Ladder.default()
    >>> ladder.rank(pd.Series(["rocket attack", "US airstrike", "195", "picnic"])).tolist()
    [5.0, 7.0, 7.0, nan]
    """

    ranks: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RANKS))
    cameo: bool = True
    keywords: bool = True

    @classmethod
    def default(cls) -> Ladder:
        return cls()

    @classmethod
    def from_mapping(cls, ranks: Mapping[str, float], **options: bool) -> Ladder:
        clean: dict[str, float] = {}
        for key, value in ranks.items():
            try:
                clean[str(key).strip().lower()] = float(value)
            except (TypeError, ValueError):
                raise UsageError(f"ladder rank of {key!r} must be a number, got {value!r}") from None
        return cls(ranks=clean, **options)

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str], **options: bool) -> Ladder:
        """Read a two-column CSV ``event_type,rank``."""
        path = Path(path)
        if not path.is_file():
            raise DataError(f"{path}: ladder file not found")
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except pd.errors.EmptyDataError:
            raise DataError(f"{path}: the ladder file is empty; a ladder CSV has the columns event_type,rank") from None
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: the ladder file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                            "re-save it as UTF-8") from None  # fmt: skip
        except pd.errors.ParserError as exc:
            raise DataError(f"{path}: not a readable ladder CSV ({exc})") from None
        if list(table.columns[:2]) != ["event_type", "rank"] or table.shape[1] != 2:
            raise DataError(f"{path}: a ladder CSV has two columns, event_type,rank")
        ranks = pd.to_numeric(table["rank"], errors="coerce")
        if ranks.isna().any():
            row = int(ranks.isna().to_numpy().argmax()) + 2
            raise DataError(f"{path}, row {row}: rank {table['rank'].iloc[row - 2]!r} is not a number")
        # one event type ranked twice (or spelled twice, by case or spacing): which rank holds was left to the
        # last row; now it is the user's call
        key = table["event_type"].str.strip().str.lower()
        twice = key.duplicated(keep=False) & ~pd.DataFrame({"k": key, "r": ranks}).duplicated(keep=False)
        if twice.any():
            rows = [int(i) + 2 for i in np.flatnonzero(twice.to_numpy())]
            name = table["event_type"].iloc[rows[0] - 2]
            raise DataError(f"{path}, rows {', '.join(map(str, rows))}: event type {name!r} is ranked twice, "
                            "differently; keep one row")  # fmt: skip
        return cls.from_mapping(dict(zip(table["event_type"], ranks, strict=True)), **options)

    def rank_of(self, event_type: str) -> float:
        """The rank of one event type (NaN when unknown)."""
        text = event_type.strip().lower()
        ranks = {k.lower(): float(v) for k, v in self.ranks.items()}
        if text in ranks:
            return ranks[text]
        if self.cameo and _CAMEO.match(text):
            for length in (4, 3):
                if text[:length] in CAMEO_CODE_RANKS and len(text) >= length:
                    return CAMEO_CODE_RANKS[text[:length]]
            return CAMEO_ROOT_RANKS.get(text[:2], np.nan)
        if self.keywords:
            for key in sorted(ranks, key=len, reverse=True):
                if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text):
                    return ranks[key]
        return np.nan

    def rank(self, event_types: pd.Series) -> pd.Series:
        """Ranks of a column of event types; the work is done once per distinct type."""
        distinct = event_types.dropna().unique()
        lookup = {value: self.rank_of(str(value)) for value in distinct}
        return event_types.map(lookup).astype("float64")


def as_ladder(ladder: Ladder | Mapping[str, float] | str | os.PathLike[str] | None) -> Ladder:
    """Accept a :class:`Ladder`, a dict, a CSV path, or None (the default ladder)."""
    if ladder is None:
        return Ladder.default()
    if isinstance(ladder, Ladder):
        return ladder
    if isinstance(ladder, Mapping):
        return Ladder.from_mapping(ladder)
    return Ladder.from_csv(ladder)


def is_builtin(ladder: Ladder) -> bool:
    """Is this the built-in ladder? Figures name its rungs in its words; a ladder of one's own is named by its
    ranks and the data's types."""
    return dict(ladder.ranks) == DEFAULT_RANKS


def event_ranks(frame: pd.DataFrame, ladder: Ladder | None = None) -> pd.Series:
    """Each event's rank: ``intensity`` where given, else the ladder's rank of its type."""
    ladder = ladder or Ladder.default()
    ranks = ladder.rank(frame["event_type"])
    if "intensity" in frame:
        ranks = frame["intensity"].astype("float64").where(frame["intensity"].notna(), ranks)
    return ranks


def step_directions(
    trigger_rank: np.ndarray, response_rank: np.ndarray, trigger_severity: np.ndarray, response_severity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Masks of steps up and down the ladder (arrays of any broadcastable shape): ranks decide, and within a
    rank severity where both are known. A missing rank compares as neither."""
    tr, rr, ts, rs = trigger_rank, response_rank, trigger_severity, response_severity
    comparable = (tr == rr) & ~np.isnan(ts) & ~np.isnan(rs)
    return (rr > tr) | (comparable & (rs > ts)), (rr < tr) | (comparable & (rs < ts))


def step_kinds(
    trigger_rank: np.ndarray,
    response_rank: np.ndarray,
    trigger_severity: np.ndarray,
    response_severity: np.ndarray,
) -> pd.Categorical[str]:
    """Compare each response with its trigger: up, level or down the ladder.

    Ranks decide; within a rank, severity (deaths, or for GDELT the negated
    Goldstein score) breaks the tie where both are known. An unknown rank on
    either side makes the step ``unknown``.
    """
    tr, rr = np.asarray(trigger_rank, float), np.asarray(response_rank, float)
    unknown = np.isnan(tr) | np.isnan(rr)
    up, down = step_directions(tr, rr, np.asarray(trigger_severity, float), np.asarray(response_severity, float))
    codes = np.select([up, down, unknown], [0, 2, 3], default=1).astype(np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(STEP_KINDS)))


def severity(frame: pd.DataFrame) -> pd.Series:
    """The within-rank tie-breaker: fatalities, else minus the Goldstein score (GDELT)."""
    fat = frame["fatalities"].astype("float64")
    if "goldstein" in frame:
        return fat.where(fat.notna(), -frame["goldstein"].astype("float64"))
    return fat
