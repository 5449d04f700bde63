"""GDELT event files: tab-separated, no header; 61 columns (2.0), 58 (1.0 daily files) or 57 (1.0 historical
backfiles, 1979 - March 2013, which have no SOURCEURL).

The event is named by its CAMEO ``EventCode`` (kept as text: ``"042"`` is not
``42``); ``GoldsteinScale`` (-10 hostile to +10 cooperative) is kept as
``goldstein`` for the escalation ladder. GDELT gives no deaths, so
``fatalities`` is unknown. ``DATEADDED`` is when GDELT saw the story, not when
the event happened, so it is not used as the event's time.

Sides come from the actor *code* by default (``actor_level="code"``): ``Actor1Code`` such as ``IRQMIL`` or
``USAGOV`` keeps the Iraqi military apart from the US government, where the bare ``Actor1Name`` ("POLICE",
"PRESIDENT") merges the police of every country into one party. ``"country"`` uses ``Actor1CountryCode``
(``IRQ``, ``USA``), the level of most GDELT studies of states; ``"name"`` the name. The two other
levels are kept as columns (``actor_name``, ``actor_country``, ...), and so are the CAMEO root code
(``cameo_root``, 01-20), the quad class (1 verbal cooperation .. 4 material conflict) and Goldstein.

Files come tab-separated without a header (the raw downloads) or with GDELT's column names as a header
(BigQuery and other exports, any case, comma- or tab-separated).
"""

from __future__ import annotations

import pandas as pd

NAME = "gdelt"
_ACTOR = [
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
]  # fmt: skip
_GEO_V2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
_GEO_V1 = [g for g in _GEO_V2 if g != "ADM2Code"]


def _columns(geo: list[str]) -> list[str]:
    return (
        ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
        + [f"Actor1{a}" for a in _ACTOR]
        + [f"Actor2{a}" for a in _ACTOR]
        + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass"]
        + ["GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
        + [f"Actor1Geo_{g}" for g in geo]
        + [f"Actor2Geo_{g}" for g in geo]
        + [f"ActionGeo_{g}" for g in geo]
        + ["DATEADDED", "SOURCEURL"]
    )


COLUMNS_V2 = _columns(_GEO_V2)
COLUMNS_V1 = _columns(_GEO_V1)
COLUMNS_V1_HISTORICAL = COLUMNS_V1[:-1]  # no SOURCEURL

MAPPING = {
    "event_id": "GLOBALEVENTID",
    "date": "SQLDATE",
    "actor": "Actor1Code",
    "target": "Actor2Code",
    "event_type": "EventCode",
    "location": "ActionGeo_FullName",
    "country": "ActionGeo_CountryCode",
    "latitude": "ActionGeo_Lat",
    "longitude": "ActionGeo_Long",
    "source": "SOURCEURL",
}
DATE_FORMATS = ("%Y%m%d",)
KEEP = (
    "goldstein",
    "quad_class",
    "cameo_root",
    "actor_name",
    "target_name",
    "actor_code",
    "target_code",
    "actor_country",
    "target_country",
)
#: Where sides come from: the column of each actor level.
ACTOR_LEVELS = {"code": "Code", "name": "Name", "country": "CountryCode"}
#: Lower-cased header names that mark a GDELT table with a header.
SIGNATURE = frozenset({"globaleventid", "sqldate", "actor1code"})


def mapping(actor_level: str = "code") -> dict[str, str]:
    """The column mapping with sides at ``actor_level`` (``code``, ``name`` or ``country``)."""
    level = ACTOR_LEVELS[actor_level]
    return {**MAPPING, "actor": f"Actor1{level}", "target": f"Actor2{level}"}


def keep(actor_level: str = "code") -> tuple[str, ...]:
    """The columns kept beside the mapped ones: every actor level but the one the sides come from."""
    chosen = {"code": "code", "name": "name", "country": "country"}[actor_level]
    return tuple(c for c in KEEP if c not in (f"actor_{chosen}", f"target_{chosen}"))


def header_names(columns: list[str]) -> dict[str, str]:
    """Renames of a header's columns (any case) to GDELT's spelling."""
    known = {c.lower(): c for c in COLUMNS_V2}
    return {c: known[str(c).strip().lower()] for c in columns if str(c).strip().lower() in known}


def sniff(first_line: str) -> list[str] | None:
    """The column names if ``first_line`` looks like a GDELT event record, else None."""
    fields = first_line.rstrip("\r\n").split("\t")
    by_width = {61: COLUMNS_V2, 58: COLUMNS_V1, 57: COLUMNS_V1_HISTORICAL}
    if len(fields) not in by_width or not fields[0].strip().isdigit():
        return None
    if not (len(fields[1]) == 8 and fields[1].isdigit()):
        return None
    return by_width[len(fields)]


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Keep Goldstein, the quad class, the CAMEO root and every actor level under plain names."""
    table = table.rename(columns=header_names(list(table.columns)))
    if "GoldsteinScale" in table:
        table["goldstein"] = pd.to_numeric(table["GoldsteinScale"], errors="coerce")
    plain = {"QuadClass": "quad_class", "EventRootCode": "cameo_root", "Actor1Name": "actor_name",
             "Actor2Name": "target_name", "Actor1Code": "actor_code", "Actor2Code": "target_code",
             "Actor1CountryCode": "actor_country", "Actor2CountryCode": "target_country"}  # fmt: skip
    for column, name in plain.items():
        if column in table:
            table[name] = table[column]
    return table
