"""Every served file is genuine: it downloads with the listed size and md5 and, unzipped
(nested zips included), opens with GDAL/OGR with features where they belong."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from osgeo import gdal, ogr

from local_os_api import DEMO_KEY
from local_os_api.geo import square_origin

gdal.UseExceptions()
VECTOR = {".shp", ".gpkg", ".gml", ".mbtiles"}
RASTER = {".asc", ".tif"}


def fetch(client, url: str, target: Path, headers=None) -> bytes:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 307, url
    data = client.get(response.headers["Location"]).content
    target.write_bytes(data)
    return data


def unpack(path: Path, folder: Path) -> list[Path]:
    """Data files below `path`, unzipping zips inside zips as OS ships them."""
    if path.suffix != ".zip":
        return [path]
    out = folder / (path.stem + "_unzipped")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        archive.extractall(out)
    files = []
    for member in sorted(p for p in out.rglob("*") if p.is_file()):
        files += unpack(member, member.parent) if member.suffix == ".zip" else [member]
    return files


def check_vector(path: Path, square: str | None) -> int:
    dataset = ogr.Open(str(path))
    assert dataset is not None and dataset.GetLayerCount() > 0, path
    total = 0
    for i in range(dataset.GetLayerCount()):
        layer = dataset.GetLayer(i)
        count = layer.GetFeatureCount()
        total += count
        if square and count:
            x0, x1, y0, y1 = layer.GetExtent()
            e0, n0 = square_origin(square)
            assert e0 <= x0 <= x1 <= e0 + 100_000 and n0 <= y0 <= y1 <= n0 + 100_000, path
        if path.suffix in (".shp", ".gpkg"):
            assert layer.GetSpatialRef().GetAuthorityCode(None) == "27700", path
    return total


def check_raster(path: Path, files: list[Path]) -> None:
    """Georeferenced in British National Grid, or (plain TIFFs as MiniScale's) by a world
    file of the same name somewhere in the zip."""
    dataset = gdal.Open(str(path))
    assert dataset.RasterXSize > 0 and dataset.RasterYSize > 0
    assert dataset.GetRasterBand(1).ComputeRasterMinMax(False)[1] > 0
    if dataset.GetProjection():
        assert dataset.GetGeoTransform()[1] > 0
        assert "British National Grid" in dataset.GetProjection().replace("_", " ")
        return
    world = [f for f in files if f.suffix.lower() == ".tfw" and f.stem == path.stem]
    assert len(world) == 1, path
    pixel, _, _, minus_pixel, x, y = (float(v) for v in world[0].read_text().split())
    assert pixel > 0 and minus_pixel == -pixel and 0 <= x < 700_000 and 0 < y < 1_300_000


def is_grid_metadata(path: Path) -> bool:
    """Terrain 50's `<TILE>.gml` beside `<TILE>.asc` describes the grid: no features."""
    return path.suffix.lower() == ".gml" and path.with_suffix(".asc").is_file()


def test_every_product_file_is_genuine(client, os_api, tmp_path):
    rows = os_api.catalogue.downloads()
    by_product: dict[str, set] = {}
    for row in rows:
        listing = client.get(f"/downloads/v1/products/{row['productId']}/downloads",
                             params={"fileName": row["fileName"]}).json()
        assert len(listing) == 1
        item = listing[0]
        target = tmp_path / row["fileName"]
        url = item["url"] + "&fileName=" + quote(row["fileName"])  # some files share a URL
        data = fetch(client, url, target)
        assert len(data) == item["size"] == row["size"]
        assert hashlib.md5(data).hexdigest() == item["md5"].lower()
        square = row["area"] if row["area"] != "GB" else None
        kinds = set()
        members = unpack(target, tmp_path)
        for member in members:
            suffix = member.suffix.lower()
            if suffix in VECTOR and not is_grid_metadata(member):
                assert check_vector(member, square) > 0, member
            elif suffix in RASTER:
                check_raster(member, members)
            if suffix == ".shp":
                for sidecar in (".shx", ".dbf", ".prj", ".cpg"):
                    assert member.with_suffix(sidecar).is_file(), member
            kinds.add(suffix)
        by_product.setdefault(row["productId"], set()).update(kinds)
    assert {".shp", ".gml", ".gpkg"} <= by_product["OpenGreenspace"]
    assert {".shp", ".gml", ".gpkg"} <= by_product["BoundaryLine"]
    assert {".asc", ".gml"} <= by_product["Terrain50"]
    assert {".gpkg", ".mbtiles"} <= by_product["OpenZoomstack"]
    assert ".tif" in by_product["MiniScale"] and ".csv" in by_product["LIDS"]


def test_terrain50_is_zips_inside_a_zip(client, tmp_path):
    url = ("/downloads/v1/products/Terrain50/downloads"
           "?area=GB&format=ASCII+Grid+and+GML+%28Grid%29&redirect")
    fetch(client, url, tmp_path / "terr50_gagg_gb.zip")
    with zipfile.ZipFile(tmp_path / "terr50_gagg_gb.zip") as archive:
        names = archive.namelist()
    assert "data/su/su41_OST50GRID_20200610.zip" in names
    grid = gdal.Open("/vsizip//vsizip/" + str(tmp_path / "terr50_gagg_gb.zip")
                     + "/data/su/su41_OST50GRID_20200610.zip/SU41.asc")
    assert (grid.RasterXSize, grid.RasterYSize) == (200, 200)
    assert grid.GetGeoTransform()[:2] == (440000.0, 50.0)


def test_code_point_open_csv_has_no_header_and_a_header_file(client, tmp_path):
    url = "/downloads/v1/products/CodePointOpen/downloads?area=GB&format=CSV&redirect"
    fetch(client, url, tmp_path / "codepo_gb.zip")
    files = unpack(tmp_path / "codepo_gb.zip", tmp_path)
    names = {f.relative_to(tmp_path / "codepo_gb_unzipped").as_posix() for f in files}
    assert {"Data/CSV/so.csv", "Doc/Code-Point_Open_Column_Headers.csv"} <= names
    headers = tmp_path / "codepo_gb_unzipped/Doc/Code-Point_Open_Column_Headers.csv"
    long_names = headers.read_text().splitlines()[1].split(",")
    assert long_names[:4] == ["Postcode", "Positional_quality_indicator", "Eastings", "Northings"]
    so = tmp_path / "codepo_gb_unzipped/Data/CSV/so.csv"
    assert so.read_text().startswith('"SO16 ')
    dataset = gdal.OpenEx(str(so), gdal.OF_VECTOR, open_options=["HEADERS=NO"])
    layer = dataset.GetLayer(0)
    assert layer.GetLayerDefn().GetFieldCount() == len(long_names)
    e0, n0 = square_origin("SU")
    for feature in layer:
        assert e0 <= int(feature.GetField(2)) < e0 + 100_000
        assert n0 <= int(feature.GetField(3)) < n0 + 100_000


@pytest.mark.parametrize("package", ["0040046952", "0040154231"])
def test_package_files_are_genuine(client, tmp_path, package):
    key = {"key": DEMO_KEY}
    versions = client.get(f"/downloads/v1/dataPackages/{package}/versions", headers=key).json()
    for version in versions:
        detail = client.get(version["url"], headers=key).json()
        assert detail["downloads"]
        for item in detail["downloads"]:
            data = fetch(client, item["url"], tmp_path / item["fileName"], key)
            assert len(data) == item["size"]
            assert hashlib.md5(data).hexdigest() == item["md5"]
            for member in unpack(tmp_path / item["fileName"], tmp_path):
                if member.suffix == ".csv":
                    dataset = gdal.OpenEx(str(member), gdal.OF_VECTOR, open_options=[
                        "X_POSSIBLE_NAMES=X_COORDINATE", "Y_POSSIBLE_NAMES=Y_COORDINATE"])
                    x0, x1, y0, y1 = dataset.GetLayer(0).GetExtent()
                    assert 400_000 <= x0 <= x1 < 500_000 and 100_000 <= y0 <= y1 < 200_000
                elif member.suffix == ".gpkg":
                    assert check_vector(member, "SU") > 0


def test_mbtiles_holds_vector_tiles(client, tmp_path):
    url = "/downloads/v1/products/OpenZoomstack/downloads?area=GB&subformat=%28MBTiles%29&redirect"
    fetch(client, url, tmp_path / "zoomstack.mbtiles")
    dataset = gdal.OpenEx(str(tmp_path / "zoomstack.mbtiles"), gdal.OF_VECTOR)
    assert dataset.GetDriver().ShortName == "MBTiles"
    names = {dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())}
    assert {"roads_national", "names"} <= names
