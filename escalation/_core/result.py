"""The protocol every analysis result follows.

=================  ==============================================================================
``summary()``      a tidy DataFrame of the headline numbers (what one row is: each result says)
``to_frame()``     the result's main table (links, episodes, events at risk, tests, parameters)
``plot(ax=None)``  draws on ``ax`` (or a new figure) and returns the Axes
``conf_int()``     intervals of the estimates, where the result has estimates
``settings()``     the options the analysis ran with
``to_dict()``      all of the above as plain JSON values (``json.dumps`` takes it as it is)
``_repr_html_``    the repr and the summary, escaped, for notebooks
=================  ==============================================================================

A new analysis subclasses :class:`Result` and fills in ``summary``, ``to_frame``, ``plot`` and
``settings`` (and ``conf_int`` when it estimates something); ``to_dict`` and ``_repr_html_`` then come
for free. See ``docs/extending.md``.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def json_value(value: Any) -> Any:
    """A setting as a plain JSON value: durations and dates as text, numpy numbers as numbers, NaN as None."""
    if isinstance(value, pd.Timedelta):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a table as JSON records (dates in ISO form, missing values as None)."""
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
    return out


class Result:
    """Base of every analysis result; see the module docstring for the protocol."""

    def summary(self) -> pd.DataFrame:
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        raise NotImplementedError

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        raise NotImplementedError

    def settings(self) -> dict[str, Any]:
        return {}

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Intervals of the estimates; a result without estimates says so."""
        raise NotImplementedError(f"{type(self).__name__} has no estimates with confidence intervals")

    def to_dict(self) -> dict[str, Any]:
        """``result`` (the class), ``settings``, ``summary`` and ``table`` (``to_frame``) as JSON values."""
        return {
            "result": type(self).__name__,
            "settings": json_value(self.settings()),
            "summary": records(self.summary()),
            "table": records(self.to_frame()),
        }

    def _repr_html_(self) -> str:
        table = self.summary().to_html(index=False, escape=True, na_rep="", float_format=lambda v: f"{v:.4g}")
        return f"<p>{html.escape(repr(self))}</p>{table}"
