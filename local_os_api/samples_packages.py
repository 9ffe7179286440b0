"""The data packages' files: AddressBase CSVs (full supply and a change-only update) and an
OS MasterMap Topography GeoPackage around Southampton."""

from __future__ import annotations

from pathlib import Path

from osgeo import ogr, osr

from . import geo
from .geo import Layer, box
from .samplekit import LICENCE, FileSpec, csv_text, vector_zip, zip_members
from .samples_text import wgs84

ADDRESS_HEADER = [
    "UPRN", "CLASS", "X_COORDINATE", "Y_COORDINATE", "LATITUDE", "LONGITUDE",
    "BUILDING_NUMBER", "THOROUGHFARE", "POST_TOWN", "POSTCODE",
]


def address_rows(seed_text: str, count: int) -> list[list]:
    to_wgs84 = osr.CoordinateTransformation(geo.bng_srs(), wgs84())
    rows = []
    for i in range(count):
        seed = geo.stable_int(seed_text, i)
        x = 441_000 + seed % 3_000
        y = 111_000 + seed * 13 % 4_000
        lon, lat, _ = to_wgs84.TransformPoint(float(x), float(y))
        rows.append([100060000000 + seed, "RD04", float(x), float(y), round(lat, 7),
                     round(lon, 7), i + 1, "HIGH STREET", "SOUTHAMPTON", f"SO14 {i % 9}AA"])
    return rows


def package_specs() -> list[FileSpec]:
    specs = []
    for version, names in [
        ("110012", ["AddressBase_FULL_2021-04-01_001_csv.zip",
                    "AddressBase_FULL_2021-04-01_002_csv.zip"]),
        ("110013", ["AddressBase_COU_2021-05-01_001_csv.zip"]),
    ]:
        for name in names:
            def make(path: Path, name: str = name) -> None:
                text = csv_text(address_rows(name, 12), ADDRESS_HEADER)
                zip_members(path, [(name.replace("_csv.zip", ".csv"), text),
                                   ("licence.txt", LICENCE.encode())])

            specs.append(FileSpec({"package": "0040046952", "version": version}, name, make))

    def topo(path: Path) -> None:
        areas = Layer("TopographicArea", ogr.wkbPolygon,
                      [("TOID", ogr.OFTString), ("theme", ogr.OFTString),
                       ("descriptiveGroup", ogr.OFTString)])
        lines = Layer("TopographicLine", ogr.wkbLineString,
                      [("TOID", ogr.OFTString), ("descriptiveGroup", ogr.OFTString)])
        for i in range(6):
            x, y = 441_200 + i * 60, 111_300 + (i % 3) * 50
            group = ["Building", "Road Or Track", "General Surface"][i % 3]
            areas.features.append(([geo.toid("topo", i), group, group],
                                   box(x, y, x + 40, y + 30)))
            lines.features.append(([geo.toid("topo-line", i), "Building"],
                                   f"LINESTRING ({x} {y},{x + 40} {y})"))
        vector_zip(path, "GPKG", [areas, lines], "su4111_topography.gpkg", "Data/")

    specs.append(FileSpec({"package": "0040154231", "version": "120045"},
                          "MasterMap_Topography_SU41_gpkg.zip", topo))
    return specs
