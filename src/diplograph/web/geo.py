"""World country outlines for the map page, from the npm package ``world-atlas`` (Natural Earth).

``make install`` puts the package under ``.venv/geo`` (``npm install world-atlas``); nothing is
fetched at run time. The TopoJSON is decoded here into GeoJSON whose features carry the ISO
3166-1 alpha-3 code in ``properties.code``, the key the map's choropleth is drawn by.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

ATLAS_FILE = "countries-110m.json"
ENV = "DIPLOGRAPH_WORLD_ATLAS"  # a world-atlas folder or countries-*.json file elsewhere
DIGITS = 2  # coordinates rounded to about a kilometre: plenty at this scale


def atlas_path() -> Path | None:
    """Where the world-atlas TopoJSON is installed (None when it is not)."""
    candidates = []
    if os.environ.get(ENV):
        given = Path(os.environ[ENV])
        candidates.append(given if given.suffix == ".json" else given / ATLAS_FILE)
    for prefix in dict.fromkeys([sys.prefix, os.environ.get("VIRTUAL_ENV") or sys.prefix]):
        candidates.append(Path(prefix) / "geo" / "node_modules" / "world-atlas" / ATLAS_FILE)
    return next((path for path in candidates if path.is_file()), None)


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (delta-decoded, de-quantised)."""
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
        else:
            points = [(round(px, DIGITS), round(py, DIGITS)) for px, py in arc]
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)  # arcs share their end points
    return [list(point) for point in ring]


def _alpha3(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_3 if country else None


def topojson_to_geojson(topology: dict[str, Any], name: str = "countries") -> dict[str, Any]:
    """The ``name`` object of ``topology`` as a GeoJSON FeatureCollection with ISO codes."""
    arcs = _arcs(topology)
    features = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates: Any = [_ring(ring, arcs) for ring in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(ring, arcs) for ring in poly] for poly in geometry["arcs"]]
        else:
            continue
        props = dict(geometry.get("properties") or {})
        props["code"] = _alpha3(geometry.get("id")) or props.get("name", "")
        features.append(
            {
                "type": "Feature",
                "id": props["code"],
                "properties": props,
                "geometry": {"type": kind, "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


@cache
def world_geojson() -> dict[str, Any] | None:
    """The world's countries as GeoJSON, or None when world-atlas is not installed."""
    path = atlas_path()
    if path is None:
        return None
    return topojson_to_geojson(json.loads(path.read_text(encoding="utf-8")))


@cache
def world_geojson_bytes() -> bytes | None:
    """:func:`world_geojson` serialised once, for the /geo/countries.json route."""
    geo = world_geojson()
    return None if geo is None else json.dumps(geo, separators=(",", ":")).encode()
