"""Traits of an event as model terms, shared by the answer model and the marked Hawkes model.

A trait is named as a user would write it: a numeric column (``fatalities``: entered as it is);
``log1p(col)`` (``log(1 + col)``, for counts such as deaths); ``rung`` (the event's rank on the ladder, unless
the data have a column of that name); a text or true/false column (one 0/1 term per value against the most
common, named as patsy names them, ``site[T.base]``); ``C(col)`` (a numeric column taken as values).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError

#: A text trait takes one term per value but the most common; more values than this is refused.
MAX_LEVELS = 12
_LOG1P = re.compile(r"log1p\((.+)\)")
_CATEGORY = re.compile(r"C\((.+)\)")


def trait_columns(rows: pd.DataFrame, names: list[str], ladder: Any = None) -> pd.DataFrame:
    """The terms of ``names`` (see the module docstring), one column each, from the events' ``rows`` (missing
    where a trait is missing)."""
    columns: dict[str, pd.Series] = {}
    for name in names:
        spec = name.strip()
        log, category = _LOG1P.fullmatch(spec), _CATEGORY.fullmatch(spec)
        wrapped = log or category
        column = wrapped.group(1).strip() if wrapped is not None else spec
        if column == "rung" and "rung" not in rows:
            from ..events.ladder import as_ladder, event_ranks

            values: pd.Series = event_ranks(rows, as_ladder(ladder))
        elif column in rows:
            values = rows[column]
        else:
            usable = [c for c in rows.columns if c not in ("event_id", "date", "has_time", "precision")]
            raise UsageError(f"covariate {name!r}: no column {column!r} in the data (columns: "
                             f"{', '.join(usable)}; or rung, log1p(col), C(col))")  # fmt: skip
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if log:
            if not numeric:
                raise UsageError(f"covariate {name!r}: {column} is not numeric")
            x = values.astype("float64")
            if (x < 0).any():
                raise UsageError(f"covariate {name!r}: {column} has negative values; log1p needs counts")
            columns[spec] = pd.Series(np.log1p(x.to_numpy()), index=x.index)
        elif numeric and not category:
            columns[spec] = values.astype("float64")
        elif pd.api.types.is_bool_dtype(values) and not category:
            columns[spec] = values.astype("float64")
        else:
            columns.update(_levels(spec if category else column, values))
    return pd.DataFrame(columns, index=rows.index)


def _levels(column: str, values: pd.Series) -> dict[str, pd.Series]:
    """One 0/1 term per value of a text column but the most common (the reference; the first in order among
    equally common ones), named as patsy names them (``site[T.base]``, ``C(shots)[T.1]``)."""
    text = values.astype(object).where(values.notna())
    counts = text.value_counts()
    if len(counts) > MAX_LEVELS:
        raise UsageError(f"covariate {column!r} has {len(counts)} values; at most {MAX_LEVELS} can each take a term "
                         "(group them into a new column first)")  # fmt: skip
    reference = sorted(counts.index[counts == counts.max()], key=str)[0] if len(counts) else None
    missing = text.isna()
    return {f"{column}[T.{level}]": (text == level).astype("float64").where(~missing)
            for level in sorted(counts.index, key=str) if level != reference}  # fmt: skip
