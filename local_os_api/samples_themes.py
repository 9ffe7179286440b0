"""Per-square theme products: OS OpenMap Local, OS VectorMap District (vector) and OS Open
Greenspace, laid out as shared/os-api/README.md §5 says the real zips are.

- OpenMap Local, one zip per 100 km square: `opmplc_essh_<sq>.zip` →
  `OS OpenMap Local (ESRI Shape File) <SQ>/data/<SQ>_<Theme>.shp` (and `.../doc/licence.txt`);
  the GB zip `opmplc_essh_gb.zip` → `data/<SQ>/<SQ>_<Theme>.shp` for every square; the
  GeoPackage is national only.
- VectorMap District: shapefiles per square laid out as OpenMap Local (§5: uncertain), the
  GeoPackage `data/vmdvec_gb.gpkg`.
- Open Greenspace: shapefile `<root>/data/<SQ>_GreenspaceSite.shp`, `<SQ>_AccessPoint.shp` per
  square; the GB zip holds every square's pair in one `data/` folder.

`write_theme_square()` is shared with the benchmark generator (tests/bench/generate.py), which
makes the 20 themes of 10 squares the same way, only with more features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from osgeo import ogr

from . import geo, recordings
from .geo import Layer, box, square_origin
from .samplekit import LICENCE, FileSpec, Member, vector_members, vector_zip, zip_members

POINT, LINE, POLYGON = "point", "line", "polygon"
GEOMETRY_TYPES = {POINT: ogr.wkbPoint, LINE: ogr.wkbLineString, POLYGON: ogr.wkbPolygon}


@dataclass(frozen=True)
class Theme:
    """One theme of a per-square product: its name, geometry, shapefile columns (OS's, cut to
    ten characters as in the shapefiles) and feature code."""

    name: str
    kind: str  # POINT, LINE or POLYGON
    columns: tuple[str, ...]
    featcode: int
    size: float  # metres: footprint of a polygon, length of a line


_NAMED = ("ID", "DISTNAME", "CLASSIFICA", "FEATCODE")
# The 20 themes of OS OpenMap Local, with the columns of its shapefiles.
OPENMAP_THEMES = [
    Theme("Building", POLYGON, ("ID", "FEATCODE"), 15014, 14),
    Theme("CarChargingPoint", POINT, ("ID", "FEATCODE"), 15026, 0),
    Theme("ElectricityTransmissionLine", LINE, ("ID", "FEATCODE"), 15031, 4000),
    Theme("Foreshore", POLYGON, ("ID", "FEATCODE"), 15038, 600),
    Theme("FunctionalSite", POLYGON, _NAMED, 15041, 250),
    Theme("Glasshouse", POLYGON, ("ID", "FEATCODE"), 15016, 30),
    Theme("ImportantBuilding", POLYGON, ("ID", "DISTNAME", "CLASSIFICA", "BUILDGID", "FEATCODE"),
          15020, 40),
    Theme("MotorwayJunction", POINT, ("ID", "JUNCTNUM", "FEATCODE"), 15099, 0),
    Theme("NamedPlace", POINT, ("ID", "DISTNAME", "HTMLNAME", "CLASSIFICA", "FONTHEIGHT",
                                "ORIENTATIO", "FEATCODE"), 15802, 0),
    Theme("RailwayStation", POINT, _NAMED, 15422, 0),
    Theme("RailwayTrack", LINE, ("ID", "CLASSIFICA", "FEATCODE"), 15241, 5000),
    Theme("RailwayTunnel", LINE, ("ID", "FEATCODE"), 15243, 800),
    Theme("Road", LINE, ("ID", "DISTNAME", "ROADNUMBER", "CLASSIFICA", "DRAWLEVEL", "OVERRIDE",
                         "SUPPRESS", "FEATCODE"), 15704, 2500),
    Theme("RoadTunnel", LINE, ("ID", "FEATCODE"), 15716, 400),
    Theme("Roundabout", POINT, ("ID", "CLASSIFICA", "FEATCODE"), 15717, 0),
    Theme("SurfaceWater_Area", POLYGON, ("ID", "FEATCODE"), 15609, 300),
    Theme("SurfaceWater_Line", LINE, ("ID", "FEATCODE"), 15600, 3000),
    Theme("TidalBoundary", LINE, ("ID", "CLASSIFICA", "FEATCODE"), 15632, 3000),
    Theme("TidalWater", POLYGON, ("ID", "FEATCODE"), 15606, 1500),
    Theme("Woodland", POLYGON, ("ID", "FEATCODE"), 15999, 500),
]
THEMES_BY_NAME = {theme.name: theme for theme in OPENMAP_THEMES}
# The local server's OpenMap Local: a mix of points, lines and polygons, small enough to load
# quickly in the tests (the benchmark makes all 20).
SAMPLE_THEMES = ["Building", "NamedPlace", "RailwayStation", "Road", "SurfaceWater_Area",
                 "SurfaceWater_Line", "Woodland", "CarChargingPoint"]
OPENMAP_SQUARES = ["SU", "TQ", "NS", "SZ"]
VMD_THEMES = ["Building", "NamedPlace", "Road", "Woodland", "SurfaceWater_Line"]
VMD_SQUARES = ["SU", "TQ"]

PLACE_NAMES = ["Northam", "Bitterne", "Shirley", "Portswood", "Woolston", "Millbrook",
               "Netley", "Swaythling", "Highfield", "Sholing"]
ROAD_NAMES = ["High Street", "Station Road", "London Road", "Church Lane", "Mill Lane"]
CLASSES = {"NamedPlace": "Suburban Area", "RailwayStation": "Railway Station",
           "FunctionalSite": "Education Facility", "ImportantBuilding": "Primary Education",
           "RailwayTrack": "Multi Track", "Roundabout": "Minor Road",
           "TidalBoundary": "Mean High Water", "Road": "A Road"}


def _value(theme: Theme, column: str, square: str, number: int) -> object:
    seed = geo.stable_int(theme.name, square, number)
    if column in ("ID", "BUILDGID"):
        return geo.guid(column, theme.name, square, number)
    if column == "FEATCODE":
        return theme.featcode
    if column in ("DISTNAME", "HTMLNAME"):
        names = ROAD_NAMES if theme.name == "Road" else PLACE_NAMES
        return names[seed % len(names)]
    if column == "CLASSIFICA":
        return CLASSES.get(theme.name, "Unclassified")
    if column == "ROADNUMBER":
        return f"A{30 + seed % 70}"
    if column == "JUNCTNUM":
        return str(1 + seed % 30)
    if column == "FONTHEIGHT":
        return "Medium"
    return 0  # DRAWLEVEL, OVERRIDE, SUPPRESS, ORIENTATIO


def _field_type(column: str) -> int:
    return ogr.OFTInteger if column in ("FEATCODE", "DRAWLEVEL", "OVERRIDE", "SUPPRESS",
                                        "ORIENTATIO") else ogr.OFTString


def _shape(theme: Theme, x: float, y: float, seed: int) -> str:
    """A plausible geometry at (x, y): a small rotated footprint, a winding line, a point."""
    if theme.kind == POINT:
        return f"POINT ({x:.2f} {y:.2f})"
    if theme.kind == LINE:
        heading = (seed % 360) * math.pi / 180
        points, step = [], theme.size / 8
        for k in range(9):
            bend = heading + 0.35 * math.sin(k + seed)
            x, y = x + step * math.cos(bend), y + step * math.sin(bend)
            points.append(f"{x:.2f} {y:.2f}")
        return f"LINESTRING ({','.join(points)})"
    half, turn = theme.size / 2, (seed % 90) * math.pi / 180
    corners = [(-half, -half * 0.7), (half, -half * 0.7), (half, half * 0.7),
               (-half * 0.4, half), (-half, half * 0.7)]
    ring = [(x + cx * math.cos(turn) - cy * math.sin(turn),
             y + cx * math.sin(turn) + cy * math.cos(turn)) for cx, cy in corners]
    ring.append(ring[0])
    return "POLYGON ((" + ",".join(f"{px:.2f} {py:.2f}" for px, py in ring) + "))"


def theme_layer(theme: Theme, square: str, count: int, name: str | None = None) -> Layer:
    """`count` features of one theme in a 100 km square, clustered around a few towns well
    inside the square (real OS geometries in EPSG:27700)."""
    e0, n0 = square_origin(square)
    layer = Layer(name or f"{square}_{theme.name}", GEOMETRY_TYPES[theme.kind],
                  [(column, _field_type(column)) for column in theme.columns])
    for number in range(count):
        seed = geo.stable_int("feature", theme.name, square, number)
        town = geo.stable_int("town", square, number % 3)
        x = e0 + 20_000 + town % 50_000 + (seed % 4_000)
        y = n0 + 20_000 + town * 7 % 50_000 + (seed * 13 % 4_000)
        values = [_value(theme, column, square, number) for column in theme.columns]
        layer.features.append((values, _shape(theme, x, y, seed)))
    return layer


def write_theme_square(folder: Path, square: str, themes: Sequence[str], count: int) -> None:
    """Shapefiles `<SQ>_<Theme>.shp` (with .shx, .dbf, .prj, .cpg) of one square in `folder`."""
    layers = [theme_layer(THEMES_BY_NAME[name], square, count) for name in themes]
    folder.mkdir(parents=True, exist_ok=True)
    geo.write_vector("ESRI Shapefile", folder, layers, lco=["ENCODING=UTF-8"])


def theme_square_members(square: str, themes: Sequence[str], count: int,
                         prefix: str) -> list[Member]:
    layers = [theme_layer(THEMES_BY_NAME[name], square, count) for name in themes]
    return vector_members("ESRI Shapefile", layers, prefix, lco=["ENCODING=UTF-8"])


def _per_square_product(product: str, title: str, stem: str, themes: Sequence[str],
                        squares: Sequence[str], count: int) -> list[FileSpec]:
    """Shapefile zips of one per-square theme product: one per square and one for GB."""
    specs = []
    owner = {"product": product, "format": "ESRI® Shapefile"}
    for square in squares:
        root = f"{title} (ESRI Shape File) {square}/"

        def one(path: Path, square: str = square, root: str = root) -> None:
            members = theme_square_members(square, themes, count, root + "data/")
            zip_members(path, [*members, (root + "doc/licence.txt", LICENCE.encode())])

        specs.append(FileSpec({**owner, "area": square}, f"{stem}_essh_{square.lower()}.zip", one))

    def gb(path: Path) -> None:
        members: list[Member] = []
        for square in squares:
            members += theme_square_members(square, themes, count, f"data/{square}/")
        zip_members(path, [*members, ("doc/licence.txt", LICENCE.encode())])

    specs.append(FileSpec({**owner, "area": "GB"}, f"{stem}_essh_gb.zip", gb))
    return specs


def _national_geopackage(themes: Sequence[str], squares: Sequence[str], count: int,
                         snake_case: bool) -> list[Layer]:
    layers = []
    for name in themes:
        theme = THEMES_BY_NAME[name]
        table = geo.snake_case(name) if snake_case else name
        layer = theme_layer(theme, squares[0], count, table)
        for square in squares[1:]:
            layer.features += theme_layer(theme, square, count).features
        layers.append(layer)
    return layers


def openmap_local_specs() -> list[FileSpec]:
    specs = _per_square_product("OpenMapLocal", "OS OpenMap Local", "opmplc", SAMPLE_THEMES,
                                OPENMAP_SQUARES, 4)

    def gpkg(path: Path) -> None:
        # Table names in lower case with underscores (uncertain: §5 does not list them).
        layers = _national_geopackage(SAMPLE_THEMES, OPENMAP_SQUARES, 3, snake_case=True)
        vector_zip(path, "GPKG", layers, "opmplc_gb.gpkg", "Data/", licence="Doc/licence.txt")

    specs.append(FileSpec({"product": "OpenMapLocal", "area": "GB", "format": "GeoPackage"},
                          "opmplc_gpkg_gb.zip", gpkg))
    return specs


def vectormap_district_vector_specs() -> list[FileSpec]:
    specs = _per_square_product("VectorMapDistrict", "OS VectorMap District", "vmdvec",
                                VMD_THEMES, VMD_SQUARES, 3)

    def gpkg(path: Path) -> None:
        layers = _national_geopackage(VMD_THEMES, VMD_SQUARES, 3, snake_case=False)
        vector_zip(path, "GPKG", layers, "vmdvec_gb.gpkg", "data/", licence="doc/licence.txt")

    specs.append(FileSpec({"product": "VectorMapDistrict", "area": "GB", "format": "GeoPackage"},
                          "vmdvec_gpkg_gb.zip", gpkg))
    return specs


# --- OS Open Greenspace ------------------------------------------------------------------------

SITE_FUNCTIONS = [
    "Playing Field",
    "Public Park Or Garden",
    "Allotments Or Community Growing Spaces",
    "Play Space",
    "Golf Course",
    "Religious Grounds",
]
GREENSPACE_GB_SQUARES = ["SU", "TQ", "NS", "ST", "HT", "SX"]


def greenspace_layers(area: str) -> list[Layer]:
    squares = GREENSPACE_GB_SQUARES if area == "GB" else [area]
    return [layer for square in squares for layer in _greenspace_square(square)]


def _greenspace_square(square: str, prefix: str = "") -> list[Layer]:
    sites = Layer(
        f"{prefix}GreenspaceSite",
        ogr.wkbPolygon,
        [("id", ogr.OFTString), ("function", ogr.OFTString), ("distName1", ogr.OFTString)],
    )
    points = Layer(
        f"{prefix}AccessPoint",
        ogr.wkbPoint,
        [("id", ogr.OFTString), ("accessType", ogr.OFTString), ("refToGSite", ogr.OFTString)],
    )
    e0, n0 = square_origin(square)
    for i in range(3):
        seed = geo.stable_int("greenspace", square, i)
        x = e0 + 20_000 + (seed % 50) * 1_000 + i * 9_000
        y = n0 + 25_000 + (seed % 37) * 1_000
        site_id = geo.guid("site", square, i)
        function = SITE_FUNCTIONS[seed % len(SITE_FUNCTIONS)]
        name = f"{square} {function} {i + 1}"
        sites.features.append(([site_id, function, name], box(x, y, x + 400, y + 250)))
        if i < 2:
            points.features.append(
                ([geo.guid("ap", square, i), "Pedestrian", site_id], f"POINT ({x} {y + 100})")
            )
    return [sites, points]


def _merged(layers: list[Layer]) -> list[Layer]:
    """One GreenspaceSite and one AccessPoint layer for a GB GML or GeoPackage."""
    by_name: dict[str, Layer] = {}
    for layer in layers:
        kept = by_name.setdefault(layer.name, Layer(layer.name, layer.geom_type, layer.fields))
        kept.features += layer.features
    return list(by_name.values())


def greenspace_specs() -> list[FileSpec]:
    specs = []
    for area in recordings.open_greenspace()["areas"]:  # GB and the squares, as recorded
        tag = area.lower()
        owner = {"product": "OpenGreenspace", "area": area}
        squares = GREENSPACE_GB_SQUARES if area == "GB" else [area]

        def shp(path: Path, area: str = area, squares: list[str] = squares) -> None:
            # The root folder's name is uncertain (§5 says `<root>`): named as OpenMap Local's.
            root = f"OS Open Greenspace (ESRI Shape File) {area}/"
            layers = [layer for sq in squares for layer in _greenspace_square(sq, f"{sq}_")]
            vector_zip(path, "ESRI Shapefile", layers, "", root + "data/",
                       licence=root + "doc/licence.txt", lco=["ENCODING=UTF-8"])

        def gml(path: Path, area: str = area) -> None:
            vector_zip(
                path, "GML", _merged(greenspace_layers(area)), f"{area}_OpenGreenspace.gml",
                "data/", dsco=["FORMAT=GML3"],
            )

        def gpkg(path: Path, area: str = area) -> None:
            vector_zip(path, "GPKG", _merged(greenspace_layers(area)),
                       f"opgrsp_{area.lower()}.gpkg", "data/")

        pad = 4101 if area == "HT" else 0  # the recorded HT Shapefile listing says 4101 bytes
        specs += [
            FileSpec({**owner, "format": "ESRI® Shapefile"}, f"opgrsp_essh_{tag}.zip", shp, pad),
            FileSpec({**owner, "format": "GML", "subformat": "3"}, f"opgrsp_gml3_{tag}.zip", gml),
            FileSpec({**owner, "format": "GeoPackage"}, f"opgrsp_gpkg_{tag}.zip", gpkg),
        ]
    return specs
