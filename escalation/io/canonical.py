"""The canonical event table (CSV or Parquet): columns named as in :mod:`escalation.events.schema`."""

from __future__ import annotations

import pandas as pd

from ..events.schema import COLUMNS

NAME = "canonical"
MAPPING = {c: c for c in COLUMNS}
DATE_FORMATS: tuple[str, ...] = ()
KEEP: tuple[str, ...] = ()


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    return table
