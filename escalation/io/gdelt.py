"""GDELT event files: tab-separated, no header; 61 columns (2.0), 58 (1.0 daily files) or 57 (1.0 historical
backfiles, 1979 - March 2013, which have no SOURCEURL).

The event is named by its CAMEO ``EventCode`` (kept as text: ``"042"`` is not
``42``); ``GoldsteinScale`` (-10 hostile to +10 cooperative) is kept as
``goldstein`` for the escalation ladder. GDELT gives no deaths, so
``fatalities`` is unknown. ``DATEADDED`` is when GDELT saw the story, not when
the event happened, so it is not used as the event's time.
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
    "actor": "Actor1Name",
    "target": "Actor2Name",
    "event_type": "EventCode",
    "location": "ActionGeo_FullName",
    "country": "ActionGeo_CountryCode",
    "latitude": "ActionGeo_Lat",
    "longitude": "ActionGeo_Long",
    "source": "SOURCEURL",
}
DATE_FORMATS = ("%Y%m%d",)
KEEP = ("goldstein", "quad_class")


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
    """Keep Goldstein and the quad class under plain names."""
    table = table.copy()
    table["goldstein"] = pd.to_numeric(table["GoldsteinScale"], errors="coerce")
    table["quad_class"] = table["QuadClass"]
    return table
