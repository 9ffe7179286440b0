"""National vector products: OS Open Roads, Boundary-Line and OS Open Zoomstack, laid out as
shared/os-api/README.md §5 says the real zips are.

- Open Roads: GeoPackage `Data/oproad_gb.gpkg` (road_link, road_node, motorway_junction); the
  GB shapefile zip `data/<SQ>_RoadLink.shp`, `<SQ>_RoadNode.shp`, `<SQ>_MotorwayJunction.shp`
  per square (column names cut to ten characters); GML 3 one file per square whose feature
  types share their names (`RoadLink` in each), the situation that gives two
  `RoadLink (oproad_gml3_gb)` layers.
- Boundary-Line: `Data/GB/*` plus `Data/Supplementary_Ceremonial`, `Supplementary_Historical`,
  `Supplementary_Historic_European_Region`, `Supplementary_Country`; the MapInfo TAB files of
  the supplementary folders have upper-case extensions (`.TAB`, `.DAT`, `.MAP`, `.ID`), as some
  supplies do; the GeoPackage `Data/bdline_gb.gpkg` with the real layer names.
- Zoomstack: one GeoPackage with several layers (zipped, as the 3.8 GB real one is); MBTiles
  bare (§5: zipped or bare is uncertain).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from osgeo import gdal, ogr

from . import geo
from .geo import Layer, box, square_origin
from .samplekit import LICENCE, FileSpec, Member, vector_members, vector_zip, zip_members

# --- OS Open Roads -----------------------------------------------------------------------------

ROAD_SQUARES = ["SU", "TQ", "ST", "NS"]
# (road number, class, name, Welsh name) per link of a square's small network.
ROADS = [
    ("M27", "Motorway", "", ""),
    ("A33", "A Road", "Bassett Avenue", ""),
    ("A35", "A Road", "Queen Street", "Heol y Frenhines"),
    ("B3038", "B Road", "Burgess Road", ""),
    ("", "Unclassified", "Church Lane", "Lôn yr Eglwys"),
    ("", "Not Classified", "", ""),
]
ROAD_LINK_GPKG = [
    ("id", ogr.OFTString), ("fictitious", ogr.OFTString), ("road_classification", ogr.OFTString),
    ("road_function", ogr.OFTString), ("form_of_way", ogr.OFTString),
    ("road_classification_number", ogr.OFTString), ("name_1", ogr.OFTString),
    ("name_1_lang", ogr.OFTString), ("name_2", ogr.OFTString), ("name_2_lang", ogr.OFTString),
    ("road_structure", ogr.OFTString), ("length", ogr.OFTInteger),
    ("length_uom", ogr.OFTString), ("loop", ogr.OFTString), ("primary_route", ogr.OFTString),
    ("trunk_road", ogr.OFTString), ("start_node", ogr.OFTString), ("end_node", ogr.OFTString),
]
# The shapefile's columns (older names, ten characters at most), in the same order.
ROAD_LINK_SHP = [
    ("identifier", ogr.OFTString), ("fictitious", ogr.OFTString), ("class", ogr.OFTString),
    ("function", ogr.OFTString), ("formOfWay", ogr.OFTString), ("roadNumber", ogr.OFTString),
    ("name1", ogr.OFTString), ("name1_lang", ogr.OFTString), ("name2", ogr.OFTString),
    ("name2_lang", ogr.OFTString), ("structure", ogr.OFTString), ("length", ogr.OFTInteger),
    ("length_uom", ogr.OFTString), ("loop", ogr.OFTString), ("primary", ogr.OFTString),
    ("trunkRoad", ogr.OFTString), ("startNode", ogr.OFTString), ("endNode", ogr.OFTString),
]
ROAD_NODE = {"gpkg": [("id", ogr.OFTString), ("form_of_road_node", ogr.OFTString)],
             "shp": [("identifier", ogr.OFTString), ("formOfNode", ogr.OFTString)]}
JUNCTION = {"gpkg": [("id", ogr.OFTString), ("junction_number", ogr.OFTString)],
            "shp": [("identifier", ogr.OFTString), ("number", ogr.OFTString)]}


def road_layers(square: str, style: str, prefix: str = "") -> list[Layer]:
    """Links, nodes and a motorway junction of one square. style: "gpkg" (snake_case names),
    "shp" (the shapefile's names) or "gml" (the shapefile's names, CamelCase feature types)."""
    names = {"gpkg": ("road_link", "road_node", "motorway_junction"),
             "shp": ("RoadLink", "RoadNode", "MotorwayJunction"),
             "gml": ("RoadLink", "RoadNode", "MotorwayJunction")}[style]
    key = "gpkg" if style == "gpkg" else "shp"
    links = Layer(prefix + names[0], ogr.wkbLineString,
                  ROAD_LINK_GPKG if key == "gpkg" else ROAD_LINK_SHP)
    nodes = Layer(prefix + names[1], ogr.wkbPoint, ROAD_NODE[key])
    junctions = Layer(prefix + names[2], ogr.wkbPoint, JUNCTION[key])
    e0, n0 = square_origin(square)
    cx = e0 + 30_000 + geo.stable_int("roads", square) % 30_000
    cy = n0 + 30_000 + geo.stable_int("roads", square, 1) % 30_000
    points = [(cx + dx * 1_500.0, cy + dy * 1_200.0) for dy in (0, 1) for dx in (0, 1, 2)]
    ids = [geo.guid("node", square, i) for i in range(len(points))]
    for i, (x, y) in enumerate(points):
        form = "junction" if i in (1, 4) else "road end"
        nodes.features.append(([ids[i], form], f"POINT ({x:.2f} {y:.2f})"))
    pairs = [(0, 1), (1, 2), (3, 4), (4, 5), (1, 4), (0, 3)]
    for number, ((start, end), road) in enumerate(zip(pairs, ROADS)):
        (x0, y0), (x1, y1) = points[start], points[end]
        mid = ((x0 + x1) / 2 + 120, (y0 + y1) / 2 - 80)
        wkt = f"LINESTRING ({x0:.2f} {y0:.2f},{mid[0]:.2f} {mid[1]:.2f},{x1:.2f} {y1:.2f})"
        length = round(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
        road_number, klass, name, welsh = road
        links.features.append(([
            geo.guid("link", square, number), "false", klass,
            "Motorway" if klass == "Motorway" else "Local Road", "Single Carriageway",
            road_number, name, "eng" if name else "", welsh, "cym" if welsh else "", "",
            length, "m", "false", "true" if klass == "A Road" else "false", "false",
            ids[start], ids[end],
        ], wkt))
    junctions.features.append(([geo.guid("junction", square), "5"],
                               f"POINT ({points[0][0]:.2f} {points[0][1]:.2f})"))
    return [links, nodes, junctions]


def _merge(layer_sets: list[list[Layer]]) -> list[Layer]:
    merged = [Layer(layer.name, layer.geom_type, layer.fields) for layer in layer_sets[0]]
    for layers in layer_sets:
        for target, layer in zip(merged, layers):
            target.features += layer.features
    return merged


def open_roads_specs() -> list[FileSpec]:
    owner = {"product": "OpenRoads", "area": "GB"}

    def gpkg(path: Path) -> None:
        layers = _merge([road_layers(square, "gpkg") for square in ROAD_SQUARES])
        vector_zip(path, "GPKG", layers, "oproad_gb.gpkg", "Data/", licence="Doc/licence.txt")

    def shp(path: Path) -> None:
        layers = [layer for square in ROAD_SQUARES
                  for layer in road_layers(square, "shp", f"{square}_")]
        vector_zip(path, "ESRI Shapefile", layers, "", "data/", licence="doc/licence.txt",
                   lco=["ENCODING=UTF-8"])

    def gml(path: Path) -> None:
        # One GML file per square; each holds RoadLink, RoadNode and MotorwayJunction.
        members: list[Member] = []
        for square in ROAD_SQUARES[:2]:
            members += vector_members("GML", road_layers(square, "gml"), "data/",
                                      f"OSOpenRoads_{square}.gml",
                                      dsco=["FORMAT=GML3", "PREFIX=road"])
        zip_members(path, [*members, ("doc/licence.txt", LICENCE.encode())])

    return [
        FileSpec({**owner, "format": "ESRI® Shapefile"}, "oproad_essh_gb.zip", shp),
        FileSpec({**owner, "format": "GML", "subformat": "3"}, "oproad_gml3_gb.zip", gml),
        FileSpec({**owner, "format": "GeoPackage"}, "oproad_gpkg_gb.zip", gpkg),
    ]


# --- Boundary-Line -----------------------------------------------------------------------------

BOUNDARIES = [
    # GeoPackage layer, name, area code, square, (x0, y0, x1, y1) offsets in km within the square
    ("county", "Hampshire", "E10000014", "SU", (5, 5, 60, 60)),
    ("county", "Kent", "E10000016", "TQ", (50, 5, 99, 60)),
    ("district_borough_unitary", "Southampton", "E06000045", "SU", (35, 5, 48, 20)),
    ("district_borough_unitary", "City of Glasgow", "S12000049", "NS", (50, 55, 65, 72)),
    ("district_borough_unitary", "Bath and North East Somerset", "E06000022", "ST",
     (60, 50, 80, 70)),
    ("district_borough_unitary", "Shetland Islands", "S12000027", "HT", (85, 50, 99, 90)),
    ("westminster_const", "Southampton, Test", "E14000955", "SU", (36, 10, 42, 18)),
    ("westminster_const", "Isle of Wight", "E14000762", "SZ", (40, 75, 70, 95)),
    ("boundary_line_ceremonial_counties", "Hampshire", "", "SU", (4, 4, 62, 62)),
    ("boundary_line_historic_counties", "Hampshire", "", "SU", (2, 2, 64, 64)),
    ("historic_european_region", "South East", "E15000008", "TQ", (0, 0, 99, 99)),
    ("country_region", "Scotland", "S92000003", "NS", (0, 0, 99, 99)),
]
# Where each layer sits in the shapefile and TAB supplies, and under which file name.
BOUNDARY_FILES = {
    "county": ("GB", "county_region"),
    "district_borough_unitary": ("GB", "district_borough_unitary_region"),
    "westminster_const": ("GB", "westminster_const_region"),
    "boundary_line_ceremonial_counties": ("Supplementary_Ceremonial",
                                          "Boundary-line-ceremonial-counties_region"),
    "boundary_line_historic_counties": ("Supplementary_Historical",
                                        "Boundary-line-historic-counties_region"),
    "historic_european_region": ("Supplementary_Historic_European_Region",
                                 "historic_european_region_region"),
    "country_region": ("Supplementary_Country", "country_region"),
}


def boundary_layers(file_names: bool) -> list[Layer]:
    """The boundary layers, named as the GeoPackage has them or (file_names) as their files."""
    layers: dict[str, Layer] = {}
    fields = [
        ("NAME", ogr.OFTString), ("AREA_CODE", ogr.OFTString), ("DESCRIPTIO", ogr.OFTString),
        ("FILE_NAME", ogr.OFTString), ("HECTARES", ogr.OFTReal), ("CODE", ogr.OFTString),
    ]
    for kind, name, code, square, (x0, y0, x1, y1) in BOUNDARIES:
        layer_name = BOUNDARY_FILES[kind][1] if file_names else kind
        layer = layers.setdefault(kind, Layer(layer_name, ogr.wkbPolygon, fields))
        e0, n0 = square_origin(square)
        wkt = box(e0 + x0 * 1000, n0 + y0 * 1000, e0 + x1 * 1000, n0 + y1 * 1000)
        hectares = (x1 - x0) * (y1 - y0) * 100.0
        layer.features.append(([name, kind.upper()[:3], kind, kind.upper(), hectares, code], wkt))
    return list(layers.values())


def _boundary_members(driver: str, **options) -> list[Member]:
    """Every layer in its folder under Data/; TAB files outside Data/GB get upper-case
    extensions."""
    members: list[Member] = []
    folders = {file_name: folder for folder, file_name in BOUNDARY_FILES.values()}
    for layer in boundary_layers(True):
        folder = folders[layer.name]
        for name, data in vector_members(driver, [layer], f"Data/{folder}/", **options):
            if driver == "MapInfo File" and folder != "GB":
                stem, extension = name.rsplit(".", 1)
                name = f"{stem}.{extension.upper()}"
            members.append((name, data))
    return [*members, ("Doc/licence.txt", LICENCE.encode())]


def boundaryline_specs() -> list[FileSpec]:
    owner = {"product": "BoundaryLine", "area": "GB"}

    def shp(path: Path) -> None:
        zip_members(path, _boundary_members("ESRI Shapefile", lco=["ENCODING=UTF-8"]))

    def tab(path: Path) -> None:
        zip_members(path, _boundary_members("MapInfo File"))

    def gml(path: Path) -> None:
        vector_zip(path, "GML", boundary_layers(False), "bdline_gb.gml", "Data/GB/",
                   dsco=["FORMAT=GML3"])

    def gpkg(path: Path) -> None:
        vector_zip(path, "GPKG", boundary_layers(False), "bdline_gb.gpkg", "Data/")

    return [
        FileSpec({**owner, "format": "ESRI® Shapefile"}, "bdline_essh_gb.zip", shp),
        FileSpec({**owner, "format": "GML", "subformat": "3"}, "bdline_gml3_gb.zip", gml),
        FileSpec({**owner, "format": "GeoPackage"}, "bdline_gpkg_gb.zip", gpkg),
        FileSpec({**owner, "format": "MapInfo® TAB"}, "bdline_mitab_gb.zip", tab),
    ]


# --- OS Open Zoomstack -------------------------------------------------------------------------

TOWNS = [("Southampton", "SU", (42, 12)), ("London", "TQ", (30, 80)),
         ("Glasgow", "NS", (59, 65)), ("Bath", "ST", (75, 64)), ("Lerwick", "HT", (95, 41)),
         ("Plymouth", "SX", (48, 55))]


def zoomstack_layers() -> list[Layer]:
    text = ogr.OFTString
    roads = Layer("roads_national", ogr.wkbLineString, [("type", text), ("number", text)])
    rail = Layer("rail", ogr.wkbLineString, [("type", text)])
    names = Layer("names", ogr.wkbPoint, [("name", text), ("type", text)])
    stations = Layer("railway_stations", ogr.wkbPoint, [("name", text), ("type", text)])
    woodland = Layer("woodland", ogr.wkbPolygon, [("type", text)])
    buildings = Layer("local_buildings", ogr.wkbPolygon, [("uuid", text)])
    urban = Layer("urban_areas", ogr.wkbPolygon, [("type", text)])
    water = Layer("surfacewater", ogr.wkbPolygon, [("type", text)])
    roads.features += [
        (["Motorway", "M3"], "LINESTRING (450000 120000,470000 140000,510000 170000)"),
        (["Motorway", "M27"], "LINESTRING (430000 110000,450000 108000,470000 106000)"),
        (["A Road", "A82"], "LINESTRING (258000 665000,240000 700000,220000 740000)"),
    ]
    for name, square, (dx, dy) in TOWNS:
        e0, n0 = square_origin(square)
        x, y = e0 + dx * 1000, n0 + dy * 1000
        names.features.append(([name, "City"], f"POINT ({x} {y})"))
        stations.features.append(([f"{name} Central", "Railway Station"],
                                  f"POINT ({x + 300} {y - 200})"))
        rail.features.append((["Multi Track"], f"LINESTRING ({x + 300} {y - 200},"
                                               f"{x + 3000} {y - 2500},{x + 6000} {y - 4000})"))
        woodland.features.append((["Local"], box(x + 2000, y + 2000, x + 4000, y + 3500)))
        buildings.features.append(([geo.guid("zoomstack", name)],
                                   box(x - 60, y - 40, x - 20, y - 10)))
        urban.features.append((["Large Urban Area"], box(x - 3000, y - 3000, x + 3000, y + 3000)))
        water.features.append((["National"], box(x - 5000, y + 3200, x - 3500, y + 3900)))
    return [roads, rail, names, stations, woodland, buildings, urban, water]


def zoomstack_specs() -> list[FileSpec]:
    owner = {"product": "OpenZoomstack", "area": "GB"}

    def gpkg(path: Path) -> None:
        zip_members(path, [*vector_members("GPKG", zoomstack_layers(), "",
                                           "OS_Open_Zoomstack.gpkg"),
                           ("licence.txt", LICENCE.encode())])

    def mbtiles(path: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
            source = Path(tmp) / "source.gpkg"
            geo.write_vector("GPKG", source, zoomstack_layers())
            gdal.VectorTranslate(
                str(path), str(source), format="MBTiles",
                datasetCreationOptions=["MINZOOM=0", "MAXZOOM=6", "NAME=OS Open Zoomstack"],
            )

    return [
        FileSpec({**owner, "format": "GeoPackage"}, "OS_Open_Zoomstack_gpkg.zip", gpkg),
        FileSpec({**owner, "format": "Vector Tiles", "subformat": "(MBTiles)"},
                 "OS_Open_Zoomstack.mbtiles", mbtiles),
    ]
