"""Which events a filter keeps (internal): ``{"event_type": "rocket attack", "actor_side": ["Iran", "Iraq"]}``.

Shared by :meth:`escalation.Events.where` (a subset of the events) and the trigger and response filters of
the analyses (:func:`escalation.time_to_response`), so that one spelling selects the same rows everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

Filters = Mapping[str, Any]


def _values(value: Any) -> list[Any]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return [value]
    return list(value)


def row_mask(frame: pd.DataFrame, filters: Filters | None, *, name: str = "filter") -> np.ndarray:
    """Rows of ``frame`` where every column of ``filters`` holds one of its values (text compared as
    written, after trimming; dates and numbers as they are). ``None`` or ``{}`` keeps every row.

    >>> f = pd.DataFrame({"event_type": ["airstrike", "rocket attack", None]})
    >>> row_mask(f, {"event_type": ["rocket attack", "threat"]}).tolist()
    [False, True, False]
    """
    keep = np.ones(len(frame), dtype=bool)
    for column, value in (filters or {}).items():
        if column not in frame.columns:
            from ..errors import UsageError

            shown = ", ".join(str(c) for c in frame.columns if not str(c).startswith("_"))
            raise UsageError(f"{name} names the column {column!r}, which the events do not have; they have {shown}")
        wanted = _values(value)
        cells = frame[column]
        if pd.api.types.is_string_dtype(cells.dtype) or cells.dtype == object:
            cells = cells.astype(object).where(cells.notna(), None).map(lambda v: v if v is None else str(v).strip())
            wanted = [str(v).strip() for v in wanted]
        keep &= cells.isin(wanted).to_numpy(dtype=bool)
    return keep


def describe(filters: Filters | None) -> str:
    """``event_type = rocket attack; actor_side in (Iran, Iraq)``; empty for no filter."""
    parts = []
    for column, value in (filters or {}).items():
        values = _values(value)
        shown = str(values[0]) if len(values) == 1 else "(" + ", ".join(map(str, values)) + ")"
        parts.append(f"{column} {'=' if len(values) == 1 else 'in'} {shown}")
    return "; ".join(parts)
