"""UCDP Georeferenced Event Dataset (GED) CSV: one row per event, ``side_a`` and ``side_b``.

UCDP does not say which side attacked: ``side_a`` is the government (or the
first party) and ``side_b`` the other. Reading ``side_a`` as the actor is
therefore a convention, and directional analyses of UCDP data should be read
with that in mind. ``best`` is UCDP's best estimate of deaths.
"""

from __future__ import annotations

import numpy as np
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
#: UCDP's precision and place fields, the deaths' range and the parties' Gleditsch-Ward codes, kept as read;
#: ``date_precision`` is derived from ``date_prec`` and the span ``date_start..date_end`` (see :func:`prepare`).
KEEP: tuple[str, ...] = ("date_precision", "date_prec", "date_end", "where_prec", "adm_1", "adm_2", "low", "high",
                         "gwnoa", "gwnob", "priogrid_gid")  # fmt: skip
#: ``date_prec`` (UCDP GED codebook): 1 the day is known, 2 within 2-6 days, 3 the week, 4 the month, 5 longer.
DATE_PREC = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
VIOLENCE_TYPES = {"1": "state-based armed conflict", "2": "non-state conflict", "3": "one-sided violence"}


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Name UCDP's violence types and drop the midnight clock time UCDP writes on every date."""
    table = table.copy()
    if "type_of_violence" in table:
        codes = table["type_of_violence"].str.strip()
        table["type_of_violence"] = codes.map(VIOLENCE_TYPES).fillna(codes)
    for column in ("date_start", "date_end"):
        if column in table:
            # "2020-01-03 00:00:00.000" is a day, not an event at midnight.
            table[column] = table[column].str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", r"\1", regex=True)
    if "date_prec" in table or "date_end" in table:
        table["date_precision"] = date_precision(table)
    return table


_ORDER = ["day", "week", "month", "year"]


def date_precision(table: pd.DataFrame) -> pd.Series:
    """How well each event's date is known: the coarser of ``date_prec`` and the span from ``date_start`` to
    ``date_end`` (an event over 2-7 days is known to the week, up to 31 days to the month)."""
    rank = pd.Series(0, index=table.index)
    if "date_prec" in table:
        coded = table["date_prec"].astype(str).str.strip().map(DATE_PREC)
        rank = rank.combine(coded.map({p: i for i, p in enumerate(_ORDER)}).fillna(0).astype(int), max)
    if "date_start" in table and "date_end" in table:
        start = pd.to_datetime(table["date_start"].str[:10], errors="coerce", format="%Y-%m-%d")
        end = pd.to_datetime(table["date_end"].str[:10], errors="coerce", format="%Y-%m-%d")
        span = (end - start).dt.days.fillna(0)
        by_span = pd.Series(np.select([span <= 0, span <= 6, span <= 31], [0, 1, 2], 3), index=table.index)
        rank = rank.combine(by_span, max)
    return rank.map(dict(enumerate(_ORDER))).astype(object)
