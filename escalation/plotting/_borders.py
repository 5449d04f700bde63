"""Country outlines for maps drawn offline: Natural Earth 1:110m, shipped with the package.

``data/ne_110m_countries.json`` is written by ``tools/make_borders.py`` (source, version and licence there:
public domain). 1:110m is coarse (Gaza is not a polygon at this scale) but tells Syria from Iraq, which is
what a map of events needs; it costs 160 kB and no download.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SOURCE = "Natural Earth 1:110m countries (public domain)"


@lru_cache(maxsize=1)
def countries() -> list[dict[str, Any]]:
    """Every country: ``name``, ``iso_a3`` and ``rings`` (arrays of lon, lat rows)."""
    text = (resources.files("escalation.plotting") / "data" / "ne_110m_countries.json").read_text(encoding="utf-8")
    out: list[dict[str, Any]] = json.loads(text)["countries"]
    for country in out:
        country["rings"] = [np.asarray(r, dtype=float) for r in country["rings"]]
    return out


def draw_borders(ax: Axes, lon: tuple[float, float], lat: tuple[float, float], *, labels: bool = True) -> list[str]:
    """Draw the countries that reach into the box (land grey, borders white) and name those whose largest
    outline has its centre in the box; returns the names drawn."""
    from matplotlib.collections import PolyCollection

    polygons, names = [], []
    for country in countries():
        rings = [r for r in country["rings"] if r[:, 0].max() >= lon[0] and r[:, 0].min() <= lon[1]
                 and r[:, 1].max() >= lat[0] and r[:, 1].min() <= lat[1]]  # fmt: skip
        if not rings:
            continue
        polygons.extend(rings)
        names.append(country["name"])
        largest = max(country["rings"], key=len)
        x, y = largest[:, 0].mean(), largest[:, 1].mean()
        if labels and lon[0] < x < lon[1] and lat[0] < y < lat[1]:
            ax.text(x, y, country["name"], ha="center", va="center", fontsize="small", color="#777777",
                    zorder=1, clip_on=True)  # fmt: skip
    ax.add_collection(PolyCollection(polygons, facecolors="#EEEEEE", edgecolors="#AAAAAA", linewidths=0.6,
                                     zorder=0))  # fmt: skip
    return names
