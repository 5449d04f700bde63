"""Events from what an analysis is given (internal): :class:`~escalation.Events` as they are (with a new
sides mapping applied), or a DataFrame in the canonical schema, read and validated like a file.

Above :mod:`escalation.events` (the data model) and the reader (:mod:`escalation.io`, imported only when a
DataFrame is given), so that the data model never imports the reader.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..errors import DataError
from ..events.table import Events


def as_events(data: Events | pd.DataFrame, *, sides: Mapping[str, str] | str | None = None) -> Events:
    """Accept :class:`Events` or a DataFrame in the canonical schema (validated here).

    A DataFrame is validated like a file; rejected rows make it an error here,
    because an analysis must not silently run on part of the data the caller gave.
    """
    if isinstance(data, Events):
        if sides is not None:
            from ..events.sides import apply_sides, read_camps, read_colours, read_sides

            mapping = read_sides(sides)
            remapped = Events(
                frame=apply_sides(data.rows, mapping),
                rejections=data.rejections,
                provenance={**data.provenance, "sides": "given"},
                sides=mapping,
                camps=read_camps(sides),
                colours=read_colours(sides),
            )
            # Incidents are grouped by side: new sides mean grouping the rows again.
            return remapped if data.members is None else remapped.incidents(data.provenance.get("incident_keys"))
        return data
    if isinstance(data, pd.DataFrame):
        from . import read_events  # the reader only when a DataFrame is given

        events = read_events(data, sides=sides)
        if events.n_rejected:
            first = events.rejections.iloc[0]
            raise DataError(
                f"{events.n_rejected} of {events.n_read} rows are not valid events "
                f"(first: row {first['row']}, {first['column']}: {first['reason']}); "
                "read them with escalation.read_events() to see the rejection table"
            )
        return events
    raise TypeError(f"expected Events or a DataFrame, got {type(data).__name__}")
