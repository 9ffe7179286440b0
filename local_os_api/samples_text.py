"""Products shipped as CSV: Code-Point Open, OS Open Names, OS Open UPRN, OS Open Built Up
Areas and OS Open Linked Identifiers, laid out as shared/os-api/README.md §5 says (each also
as a GeoPackage where OS offers one).

- Code-Point Open: `Data/CSV/<area>.csv` (lower-case names, no header, strings quoted),
  `Doc/Code-Point_Open_Column_Headers.csv` (short names, then full names), `Doc/metadata.txt`,
  `licence.txt`.
- Open Names: `Data/<TILE>.csv` (20 km tiles, no header, UTF-8 with Welsh and Gaelic names,
  fields with commas quoted), `Doc/OS_Open_Names_Header.csv` (one row); the GeoPackage
  `Data/opname_gb.gpkg` with the layer `named_place` (NamedPlace before 2024).
- Open UPRN: one CSV with the header `UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE`,
  CRLF, in `osopenuprn_<yyyymm>_csv/osopenuprn_<yyyymm>.csv`; a GeoPackage.
- Built Up Areas: a CSV with a header and the geometry as WKT in a column (quoted, as every
  string with a comma); a GeoPackage with three feature types.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import BinaryIO

import numpy as np
from osgeo import ogr, osr

from . import geo
from .geo import Layer, square_origin
from .samplekit import LICENCE, FileSpec, csv_text, vector_zip, zip_members


def wgs84() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


# --- Code-Point Open ---------------------------------------------------------------------------

CODEPOINT_HEADERS = (
    "PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\r\n"
    "Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,"
    "NHS_regional_HA_code,NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code\r\n"
)
CODEPOINT_METADATA = (
    "Code-Point Open sample supply (local OS API server)\r\n"
    "Product version: 2020-11\r\n"
    "Coordinate reference system: British National Grid (EPSG:27700)\r\n"
    "Files: Data/CSV/<postcode area>.csv, no header row; column names in "
    "Doc/Code-Point_Open_Column_Headers.csv\r\n"
)
POSTCODE_AREAS = [
    # postcode area file, district prefix, square, country code
    ("so", "SO16", "SU", "E92000001"),
    ("po", "PO30", "SZ", "E92000001"),
    ("ba", "BA1", "ST", "E92000001"),
    ("se", "SE1", "TQ", "E92000001"),
    ("g", "G2", "NS", "S92000003"),
    ("ze", "ZE1", "HT", "S92000003"),
]


def codepoint_rows(area: str, district: str, square: str, country: str) -> list[list]:
    e0, n0 = square_origin(square)
    rows = []
    for i in range(6):
        seed = geo.stable_int("cp", area, i)
        east = e0 + 30_000 + (seed % 30_000)
        north = n0 + 15_000 + (seed * 7 % 40_000)
        postcode = f"{district} {i + 1}{'ABDEFG'[i]}{'ABDEFG'[(i + 2) % 6]}"
        rows.append([postcode, 10, east, north, country, "", "", "", "E07000091", "E05004642"])
    return rows


def codepoint_specs() -> list[FileSpec]:
    owner = {"product": "CodePointOpen", "area": "GB"}

    def csv_zip(path: Path) -> None:
        members: list[tuple[str, object]] = [
            (f"Data/CSV/{area}.csv", csv_text(codepoint_rows(area, *rest)))
            for area, *rest in POSTCODE_AREAS
        ]
        members += [("Doc/Code-Point_Open_Column_Headers.csv", CODEPOINT_HEADERS.encode()),
                    ("Doc/metadata.txt", CODEPOINT_METADATA.encode()),
                    ("licence.txt", LICENCE.encode())]
        zip_members(path, members)

    def gpkg(path: Path) -> None:
        layer = Layer(
            "code_point_open",
            ogr.wkbPoint,
            [("postcode", ogr.OFTString), ("positional_quality_indicator", ogr.OFTInteger),
             ("country_code", ogr.OFTString), ("admin_district_code", ogr.OFTString)],
        )
        for area, *rest in POSTCODE_AREAS:
            for row in codepoint_rows(area, *rest):
                layer.features.append(([row[0], row[1], row[4], row[8]],
                                       f"POINT ({row[2]} {row[3]})"))
        vector_zip(path, "GPKG", [layer], "codepo_gb.gpkg", "Data/", licence="licence.txt")

    return [
        FileSpec({**owner, "format": "CSV"}, "codepo_gb.zip", csv_zip),
        FileSpec({**owner, "format": "GeoPackage"}, "codepo_gpkg_gb.zip", gpkg),
    ]


# --- OS Open Names -----------------------------------------------------------------------------

NAMES_HEADER = [
    "ID", "NAMES_URI", "NAME1", "NAME1_LANG", "NAME2", "NAME2_LANG", "TYPE", "LOCAL_TYPE",
    "GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES", "MBR_XMIN",
    "MBR_YMIN", "MBR_XMAX", "MBR_YMAX", "POSTCODE_DISTRICT", "POSTCODE_DISTRICT_URI",
    "POPULATED_PLACE", "POPULATED_PLACE_URI", "POPULATED_PLACE_TYPE", "DISTRICT_BOROUGH",
    "DISTRICT_BOROUGH_URI", "DISTRICT_BOROUGH_TYPE", "COUNTY_UNITARY", "COUNTY_UNITARY_URI",
    "COUNTY_UNITARY_TYPE", "REGION", "REGION_URI", "COUNTRY", "COUNTRY_URI",
    "RELATED_SPATIAL_OBJECT", "SAME_AS_DBPEDIA", "SAME_AS_GEONAMES",
]
OS_URI = "http://data.ordnancesurvey.co.uk/id/"
# tile (20 km), district or county, country, then (name1, lang1, name2, lang2, type, local type,
# x, y) per entry: Welsh in SH56, Scottish Gaelic in NB42, "Bristol, City of" (a comma) in ST56.
NAMES_TILES = {
    "SU40": ("Southampton", "England", [
        ("Southampton", "", "", "", "populatedPlace", "City", 442_170, 112_130),
        ("Bassett Avenue", "", "", "", "transportNetwork", "Named Road", 442_900, 115_300),
        ("Portswood", "", "", "", "populatedPlace", "Suburban Area", 443_100, 114_400),
    ]),
    "SH56": ("Gwynedd", "Wales", [
        ("Bangor", "eng", "Bangor", "cym", "populatedPlace", "City", 258_030, 371_950),
        ("Llanberis", "", "", "", "populatedPlace", "Village", 257_750, 360_380),
        ("Port Dinorwic", "eng", "Y Felinheli", "cym", "populatedPlace", "Village",
         252_660, 367_520),
        ("Afon Seiont", "", "", "", "hydrography", "River", 253_500, 362_900),
    ]),
    "NB42": ("Na h-Eileanan an Iar", "Scotland", [
        ("Stornoway", "eng", "Steòrnabhagh", "gla", "populatedPlace", "Town", 142_380, 933_080),
        ("Sandwick", "eng", "Sanndabhaig", "gla", "populatedPlace", "Village", 144_300, 932_000),
    ]),
    "ST56": ("Bristol, City of", "England", [
        ("Bedminster", "", "", "", "populatedPlace", "Suburban Area", 358_200, 171_200),
        ("Whitchurch Lane", "", "", "", "transportNetwork", "Named Road", 360_100, 168_900),
    ]),
}


def names_rows(tile: str) -> list[list]:
    district, country, entries = NAMES_TILES[tile]
    rows = []
    for number, (name1, lang1, name2, lang2, kind, local, x, y) in enumerate(entries):
        ident = f"osgb{4000000074500000 + geo.stable_int(tile, number)}"
        district_uri = OS_URI + f"{7000000000012345 + geo.stable_int(district)}"
        rows.append([
            ident, OS_URI + ident, name1, lang1, name2, lang2, kind, local, x, y, 1000, 25000,
            x - 200, y - 200, x + 200, y + 200, "", "", "", "", "", district, district_uri,
            "http://data.ordnancesurvey.co.uk/ontology/admingeo/UnitaryAuthority", "", "", "",
            "", "", country, f"http://data.ordnancesurvey.co.uk/id/country/{country.lower()}",
            "", "", "",
        ])
    return rows


def names_specs() -> list[FileSpec]:
    owner = {"product": "OpenNames", "area": "GB"}

    def csv_zip(path: Path) -> None:
        members: list[tuple[str, object]] = [
            (f"Data/{tile}.csv", csv_text(names_rows(tile), quoting=csv.QUOTE_MINIMAL))
            for tile in NAMES_TILES
        ]
        members += [("Doc/OS_Open_Names_Header.csv", (",".join(NAMES_HEADER) + "\r\n").encode()),
                    ("Doc/licence.txt", LICENCE.encode())]
        zip_members(path, members)

    def gpkg(path: Path) -> None:
        numbers = {"GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES",
                   "MBR_XMIN", "MBR_YMIN", "MBR_XMAX", "MBR_YMAX"}
        fields = [(name.lower(), ogr.OFTReal if name in numbers else ogr.OFTString)
                  for name in NAMES_HEADER]
        layer = Layer("named_place", ogr.wkbPoint, fields)  # "NamedPlace" before 2024
        for tile in NAMES_TILES:
            for row in names_rows(tile):
                layer.features.append((row, f"POINT ({row[8]} {row[9]})"))
        vector_zip(path, "GPKG", [layer], "opname_gb.gpkg", "Data/")

    return [
        FileSpec({**owner, "format": "CSV"}, "opname_csv_gb.zip", csv_zip),
        FileSpec({**owner, "format": "GeoPackage"}, "opname_gpkg_gb.zip", gpkg),
    ]


# --- OS Open UPRN ------------------------------------------------------------------------------

UPRN_HEADER = "UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE\r\n"
UPRN_VERSION = "202405"  # the catalogue lists OpenUPRN as 2024-05
# Towns the sample addresses cluster around (easting, northing), all on land.
UPRN_TOWNS = [(442_200, 112_100), (530_000, 180_500), (259_000, 665_500), (375_000, 164_800),
              (358_500, 172_800), (258_000, 371_900)]


def write_uprn_rows(handle: BinaryIO, count: int, seed: int, batch: int = 50_000) -> None:
    """`count` rows in the OS Open UPRN layout (no header) written to `handle`, in batches so
    that memory stays flat: UPRNs rising, coordinates around a few towns, latitude and
    longitude transformed by OSR from the grid coordinates. Deterministic for a `seed`."""
    rng = np.random.default_rng(seed)
    transform = osr.CoordinateTransformation(geo.bng_srs(), wgs84())
    towns = np.array(UPRN_TOWNS, dtype=np.float64)
    uprn = 10_000_000 + seed % 1000
    done = 0
    while done < count:
        size = min(batch, count - done)
        centres = towns[rng.integers(0, len(towns), size)]
        xy = np.round(centres + rng.normal(0, 2_500, (size, 2)), 2)
        steps = rng.integers(1, 40, size).cumsum() + uprn
        uprn = int(steps[-1])
        lonlat = transform.TransformPoints(xy.tolist())
        out = io.StringIO()
        for number, (x, y), (lon, lat, *_) in zip(steps.tolist(), xy.tolist(), lonlat):
            out.write(f"{number},{x:.2f},{y:.2f},{lat:.7f},{lon:.7f}\r\n")
        handle.write(out.getvalue().encode("ascii"))
        done += size


def uprn_specs() -> list[FileSpec]:
    owner = {"product": "OpenUPRN", "area": "GB"}
    stem = f"osopenuprn_{UPRN_VERSION}"

    def csv_zip(path: Path) -> None:
        # The folder inside the zip follows §5's example (`osopenuprn_<yyyymm>_csv/...`);
        # whether the real zip has that folder or the CSV at its root is uncertain.
        out = io.BytesIO()
        out.write(UPRN_HEADER.encode("ascii"))
        write_uprn_rows(out, 60, seed=2024)
        zip_members(path, [(f"{stem}_csv/{stem}.csv", out.getvalue()),
                           (f"{stem}_csv/licence.txt", LICENCE.encode())])

    def gpkg(path: Path) -> None:
        out = io.BytesIO()
        write_uprn_rows(out, 60, seed=2024)
        layer = Layer("osopenuprn_address", ogr.wkbPoint,  # the table name is uncertain
                      [("uprn", ogr.OFTInteger64), ("x_coordinate", ogr.OFTReal),
                       ("y_coordinate", ogr.OFTReal), ("latitude", ogr.OFTReal),
                       ("longitude", ogr.OFTReal)])
        for line in out.getvalue().decode("ascii").splitlines():
            uprn, x, y, lat, lon = line.split(",")
            layer.features.append(([int(uprn), float(x), float(y), float(lat), float(lon)],
                                   f"POINT ({x} {y})"))
        vector_zip(path, "GPKG", [layer], f"{stem}.gpkg", f"{stem}_gpkg/",
                   licence=f"{stem}_gpkg/licence.txt")

    return [
        FileSpec({**owner, "format": "CSV"}, f"{stem}_csv.zip", csv_zip),
        FileSpec({**owner, "format": "GeoPackage"}, f"{stem}_gpkg.zip", gpkg),
    ]


# --- OS Open Built Up Areas --------------------------------------------------------------------

# Column names of the CSV and the GeoPackage (uncertain: §5 names only the WKT geometry column).
BUA_HEADER = ["gsscode", "name1_text", "name1_language", "name2_text", "name2_language",
              "bua_size", "areahectares", "geometry_area_m", "geometry"]
BUILT_UP = [
    # code, name, Welsh name, centre (easting, northing), half-width in metres
    ("E63004874", "Southampton", "", (442_000, 113_000), 3_500),
    ("E63010556", "Newport, Isle of Wight", "", (449_800, 89_000), 1_200),
    ("W45000102", "Cardiff", "Caerdydd", (318_000, 177_000), 3_000),
    ("S45000017", "Glasgow", "", (259_000, 665_500), 4_000),
]
# The GeoPackage's three feature types (table names uncertain).
BUA_TABLES = ["os_open_built_up_areas", "os_open_built_up_extents",
              "os_open_non_built_up_extents"]


def _built_up_wkt(centre: tuple[int, int], half: int, grow: float) -> str:
    x, y = centre
    h = half * grow
    ring = [(x - h, y - h * 0.6), (x + h * 0.8, y - h), (x + h, y + h * 0.7), (x - h * 0.5, y + h),
            (x - h, y - h * 0.6)]
    return "MULTIPOLYGON (((" + ",".join(f"{px:.1f} {py:.1f}" for px, py in ring) + ")))"


def built_up_rows(grow: float = 1.0) -> list[list]:
    rows = []
    for code, name, welsh, centre, half in BUILT_UP:
        wkt = _built_up_wkt(centre, half, grow)
        area = ogr.CreateGeometryFromWkt(wkt).GetArea()
        size = "Major" if half >= 3_000 else "Minor"
        rows.append([code, name, "eng" if welsh else "", welsh, "cym" if welsh else "", size,
                     round(area / 10_000, 2), round(area, 1), wkt])
    return rows


def built_up_specs() -> list[FileSpec]:
    owner = {"product": "BuiltUpAreas", "area": "GB"}

    def csv_zip(path: Path) -> None:
        zip_members(path, [("Data/OS_Open_Built_Up_Areas.csv",
                            csv_text(built_up_rows(), BUA_HEADER, quoting=csv.QUOTE_MINIMAL)),
                           ("Doc/licence.txt", LICENCE.encode())])

    def gpkg(path: Path) -> None:
        fields = [(name, ogr.OFTReal if name in ("areahectares", "geometry_area_m")
                   else ogr.OFTString) for name in BUA_HEADER[:-1]]
        layers = []
        for table, grow in zip(BUA_TABLES, (1.0, 1.3, 2.0)):
            layer = Layer(table, ogr.wkbMultiPolygon, fields)
            layer.features += [(row[:-1], row[-1]) for row in built_up_rows(grow)]
            layers.append(layer)
        vector_zip(path, "GPKG", layers, "OS_Open_Built_Up_Areas.gpkg", "Data/")

    # File names uncertain (no source gives them).
    return [
        FileSpec({**owner, "format": "CSV"}, "opbuas_csv_gb.zip", csv_zip),
        FileSpec({**owner, "format": "GeoPackage"}, "opbuas_gpkg_gb.zip", gpkg),
    ]


# --- OS Open Linked Identifiers ----------------------------------------------------------------

LIDS_HEADER = [
    "IDENTIFIER_1", "VERSION_NUMBER_1", "VERSION_DATE_1", "IDENTIFIER_2", "VERSION_NUMBER_2",
    "VERSION_DATE_2", "CORRELATION_ID", "CONFIDENCE",
]


def lids_specs() -> list[FileSpec]:
    specs = []
    for number, (first, second) in enumerate([("BLPU-UPRN", "RoadLink-TOID"),
                                              ("RoadLink-TOID", "Street-USRN")], start=9):
        name = f"lids-2020-12_csv_{first}-{second}-{number}"

        def make(path: Path, name: str = name, first: str = first) -> None:
            rows = []
            for i in range(8):
                left = str(10023000000 + i) if first.endswith("UPRN") else geo.toid(name, i)
                rows.append([left, "", "", geo.toid(name, "r", i), 3, "2020-11-30",
                             geo.guid(name, i).lower(), "VERSION_INFORMATION_NOT_AVAILABLE"])
            zip_members(path, [(f"{name}.csv", csv_text(rows, LIDS_HEADER))])

        specs.append(FileSpec({"product": "LIDS", "area": "GB", "format": "CSV"},
                              f"{name}.zip", make))
    return specs
