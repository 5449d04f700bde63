"""Write ``escalation/plotting/data/ne_110m_countries.json``: country outlines for maps drawn offline.

Source: Natural Earth 1:110m Admin 0 - Countries (version 5.0.1, public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as shipped by geopandas 0.14.4 in
``geopandas/datasets/naturalearth_lowres`` (177 countries). We take that copy because this machine reaches
PyPI and not naturalearthdata.com; geopandas removed it in 1.0, so it is not a dependency we can use.

Reproduce::

    pip download --no-deps geopandas==0.14.4 pyshp
    unzip geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*'
    pip install pyshp   # in a scratch environment
    python tools/make_borders.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Coordinates are rounded to 0.01 degree (about 1 km): the 1:110m outlines are far coarser than that.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import shapefile  # pyshp

OUT = Path(__file__).resolve().parents[1] / "escalation" / "plotting" / "data" / "ne_110m_countries.json"


def main(shp: str) -> None:
    reader = shapefile.Reader(shp)
    fields = [f[0] for f in reader.fields[1:]]
    countries = []
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        attrs = dict(zip(fields, record, strict=True))
        starts = [*shape.parts, len(shape.points)]
        rings = [[[round(x, 2), round(y, 2)] for x, y in shape.points[a:b]] for a, b in itertools.pairwise(starts)]
        countries.append({"name": attrs["name"], "iso_a3": attrs["iso_a3"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    doc = {
        "source": "Natural Earth 1:110m Admin 0 - Countries 5.0.1 (public domain), via geopandas 0.14.4",
        "countries": countries,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    print(f"{len(countries)} countries, {sum(len(r) for c in countries for r in c['rings'])} points -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
