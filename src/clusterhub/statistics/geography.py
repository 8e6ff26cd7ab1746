"""Country shapes and region positions for the map, from files installed at set-up.

Shapes: Natural Earth's countries as the npm package `world-atlas` carries them (1:50m
for Europe, 1:110m for the world), turned into GeoJSON by topojson-client's `topo2geo`
when `make` installs (`geodata/`, not in the repository). Region positions: the
coordinates the `iso3166-2` package gives every ISO 3166-2 subdivision. Nothing is
fetched at run time.

Pages draw the shapes as SVG paths in Mercator's projection (the one web maps use, so
Europe looks as readers know it), coordinates rounded to whole map units and repeated
points dropped: the Europe view is 90 KB of paths, the world 50 KB.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pycountry
from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import region_subdivisions

GEODATA = Path(__file__).parent / "geodata"
WIDTH = 1000  # the world's width in map units, before a view's scale
# Natural Earth features without an ISO numeric code that the directory may name.
CODES_BY_NAME = {"Kosovo": "XK"}
ANTARCTICA = "AQ"


class MapUnavailable(Exception):
    """The shapes were not installed (`make install` installs them)."""


@dataclass(frozen=True)
class View:
    key: str
    title: str
    resolution: str  # the world-atlas file: "50m" or "110m"
    box: tuple[float, float, float, float]  # west, south, east, north, in degrees
    scale: int  # map units per world unit: finer for a smaller area

    @property
    def corners(self) -> tuple[float, float, float, float]:
        """x and y of the north-west corner, width and height, in map units."""
        west, south, east, north = self.box
        x0, y0 = self.project(np.array([west]), np.array([north]))
        x1, y1 = self.project(np.array([east]), np.array([south]))
        return float(x0[0]), float(y0[0]), float(x1[0] - x0[0]), float(y1[0] - y0[0])

    @property
    def view_box(self) -> str:
        return " ".join(f"{v:.0f}" for v in self.corners)

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mercator: degrees → map units (y down, as SVG has it)."""
        lat = np.radians(np.clip(lat, -85.0, 85.0))
        x = (lon + 180.0) / 360.0 * WIDTH
        y = WIDTH / 2 - WIDTH / (2 * math.pi) * np.log(np.tan(math.pi / 4 + lat / 2))
        return x * self.scale, y * self.scale


VIEWS = {
    "europe": View("europe", _("Europe"), "50m", (-25.0, 33.0, 46.0, 71.5), 3),
    "world": View("world", _("World"), "110m", (-180.0, -57.0, 180.0, 83.7), 1),
}


@dataclass(frozen=True)
class Shape:
    code: str | None  # ISO 3166-1 alpha-2; None for land no code names
    name: str  # Natural Earth's English name
    path: str  # SVG path data in the view's map units


@cache
def _features(resolution: str) -> list[tuple[str | None, str, dict]]:
    """(alpha-2 code, name, GeoJSON geometry) of every country of a world-atlas file."""
    path = GEODATA / f"countries-{resolution}.json"
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MapUnavailable(path) from exc
    found = []
    for feature in collection["features"]:
        name = feature["properties"]["name"]
        country = pycountry.countries.get(numeric=feature.get("id") or "")
        code = country.alpha_2 if country else CODES_BY_NAME.get(name)
        found.append((code, name, feature["geometry"]))
    return found


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


def _path(view: View, geometry: dict) -> str:
    """SVG path data: each ring in whole map units, relative moves, repeated points
    dropped; rings wholly outside the view left out."""
    x0, y0, width, height = view.corners
    drawn = []
    for ring in _rings(geometry):
        lonlat = np.asarray(ring, dtype=np.float64)
        lon = lonlat[:, 0]
        if np.any(np.abs(np.diff(lon)) > 180):  # crosses the antimeridian (Chukotka, Fiji)
            lon = np.where(lon < 0, lon + 360, lon)  # drawn on, past the right edge
        x, y = view.project(lon, lonlat[:, 1])
        if x.max() < x0 or x.min() > x0 + width or y.max() < y0 or y.min() > y0 + height:
            continue
        xi, yi = np.rint(x).astype(np.int64), np.rint(y).astype(np.int64)
        keep = np.ones(len(xi), dtype=bool)
        keep[1:] = (np.diff(xi) != 0) | (np.diff(yi) != 0)
        xi, yi = xi[keep], yi[keep]
        if len(xi) < 3:
            continue
        steps = " ".join(
            f"{dx} {dy}" for dx, dy in zip(np.diff(xi).tolist(), np.diff(yi).tolist(), strict=True)
        )
        drawn.append(f"M{xi[0]} {yi[0]}l{steps}z")
    return "".join(drawn)


@cache
def shapes(view_key: str) -> tuple[Shape, ...]:
    """The countries a view shows, as SVG paths (made once a process)."""
    view = VIEWS[view_key]
    found = []
    for code, name, geometry in _features(view.resolution):
        if code == ANTARCTICA:
            continue
        path = _path(view, geometry)
        if path:
            found.append(Shape(code, name, path))
    return tuple(found)


@cache
def country_geometries() -> dict[str, str]:
    """Alpha-2 code → GeoJSON geometry as JSON text (1:50m, coordinates to about 100 m),
    written once a process."""
    return {
        code: json.dumps({"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
                         separators=(",", ":"))
        for code, _name, geometry in _features("50m")
        if code
    }  # fmt: skip


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(c, 3) for c in coordinates]
    return [_rounded(c) for c in coordinates]


@cache
def _subdivision_positions() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code → (latitude, longitude)."""
    from iso3166_2 import Subdivisions  # 0.2 s to load: only when a map is drawn

    return {
        code: (float(sub["latLng"][0]), float(sub["latLng"][1]))
        for subdivisions in Subdivisions().all.values()
        for code, sub in subdivisions.items()
        if sub.get("latLng")
    }


def region_position(region: str, countries: list[str]) -> tuple[str, float, float] | None:
    """(ISO 3166-2 code, latitude, longitude) of the subdivision a region names; where
    subdivisions of several countries have that name, the one of the first of
    `countries` (most frequent first) that has one."""
    codes = sorted(region_subdivisions(region))
    if not codes:
        return None
    by_country = {code.split("-")[0]: code for code in codes}
    chosen = next((by_country[c] for c in countries if c in by_country), codes[0])
    position = _subdivision_positions().get(chosen)
    if position is None:
        return None
    return chosen, position[0], position[1]


def warm() -> None:
    """Read and project everything once, before a server forks its workers."""
    try:
        for key in VIEWS:
            shapes(key)
        country_geometries()
    except MapUnavailable:
        return
    _subdivision_positions()
