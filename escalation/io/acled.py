"""ACLED exports (acleddata.com): one row per event, actors as ``actor1`` -> ``actor2``.

``sub_event_type`` (e.g. *Air/drone strike*) is more specific than
``event_type`` (e.g. *Explosions/Remote violence*), so it names the event
where present; ACLED's own ``event_type`` is kept as ``category``.
"""

from __future__ import annotations

import pandas as pd

NAME = "acled"
SIGNATURE = frozenset({"event_id_cnty", "event_date", "actor1"})
MAPPING = {
    "event_id": "event_id_cnty",
    "date": "event_date",
    "actor": "actor1",
    "target": "actor2",
    "event_type": "sub_event_type",
    "location": "location",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
    "fatalities": "fatalities",
    "source": "source",
    "notes": "notes",
}
# Web exports write ISO dates; older spreadsheet exports wrote "03 January 2020".
DATE_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
#: ACLED's actor-type codes (1 state forces .. 8 civilians) and their interaction code, kept for analyses by
#: actor type; ``civilian_targeting`` (2022-) marks events that targeted civilians.
#: ``time_precision`` (1 the day is known, 2 the week, 3 the month; read as ``date_precision``),
#: ``geo_precision``, the admin units and the associated actors are kept as read.
KEEP = ("category", "inter1", "inter2", "interaction", "civilian_targeting", "date_precision", "time_precision",
        "geo_precision", "admin1", "admin2", "admin3", "assoc_actor_1", "assoc_actor_2")  # fmt: skip
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Fill ``sub_event_type`` from ``event_type`` where empty; keep ``event_type`` as ``category``."""
    table = table.copy()
    if "event_type" in table:
        table["category"] = table["event_type"]
        if "sub_event_type" in table:
            table["sub_event_type"] = table["sub_event_type"].fillna(table["event_type"])
        else:
            table["sub_event_type"] = table["event_type"]
    if "time_precision" in table:
        table["date_precision"] = table["time_precision"].astype(str).str.strip().map(TIME_PRECISION).astype(object)
    return table
