"""UCDP Georeferenced Event Dataset (GED) CSV: one row per event, ``side_a`` and ``side_b``.

UCDP does not say which side attacked: ``side_a`` is the government (or the
first party) and ``side_b`` the other. Reading ``side_a`` as the actor is
therefore a convention, and directional analyses of UCDP data should be read
with that in mind. ``best`` is UCDP's best estimate of deaths.
"""

from __future__ import annotations

import pandas as pd

NAME = "ucdp"
SIGNATURE = frozenset({"date_start", "side_a", "side_b", "best"})
MAPPING = {
    "event_id": "id",
    "date": "date_start",
    "actor": "side_a",
    "target": "side_b",
    "event_type": "type_of_violence",
    "location": "where_coordinates",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
    "fatalities": "best",
    "source": "source_article",
    "notes": "source_headline",
}
DATE_FORMATS: tuple[str, ...] = ()
KEEP: tuple[str, ...] = ()
VIOLENCE_TYPES = {"1": "state-based armed conflict", "2": "non-state conflict", "3": "one-sided violence"}


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Name UCDP's violence types and drop the midnight clock time UCDP writes on every date."""
    table = table.copy()
    if "type_of_violence" in table:
        codes = table["type_of_violence"].str.strip()
        table["type_of_violence"] = codes.map(VIOLENCE_TYPES).fillna(codes)
    if "date_start" in table:
        # "2020-01-03 00:00:00.000" is a day, not an event at midnight.
        table["date_start"] = table["date_start"].str.replace(
            r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", r"\1", regex=True
        )
    return table
