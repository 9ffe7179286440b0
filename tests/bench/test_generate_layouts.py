"""The benchmark's real-layout generators (generate.py) at a tiny size: the layout of
shared/os-api/README.md §5, the listed size and md5, and the cache by parameters."""

from __future__ import annotations

import hashlib
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("osgeo", reason="the generators use GDAL")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import (
    write_openmap_local_zips,
    write_terrain50_grid_zip,
    write_uprn_csv_zip,
)


def genuine(entry: dict) -> Path:
    path = Path(entry["path"])
    data = path.read_bytes()
    assert len(data) == entry["size"] and hashlib.md5(data).hexdigest() == entry["md5"]
    assert path.name == entry["fileName"]
    return path


def test_uprn_csv_zip(tmp_path):
    entry = write_uprn_csv_zip(tmp_path, rows=1_234, seed=7)
    with zipfile.ZipFile(genuine(entry)) as archive:
        (name,) = archive.namelist()
        data = archive.read(name)
    assert re.fullmatch(r"(osopenuprn_\d{6})_csv/\1\.csv", name)
    lines = data.split(b"\r\n")
    assert lines[0] == b"UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE"
    assert len(lines) == 1 + 1_234 + 1 and lines[-1] == b""
    uprns = [int(line.split(b",")[0]) for line in lines[1:-1]]
    assert uprns == sorted(set(uprns))
    assert write_uprn_csv_zip(tmp_path, rows=1_234, seed=7) == entry  # cached
    assert write_uprn_csv_zip(tmp_path, rows=1_234, seed=8)["md5"] != entry["md5"]


def test_openmap_local_zips(tmp_path):
    from osgeo import ogr

    entries = write_openmap_local_zips(tmp_path, squares=2, themes=20, features=3)
    assert [e["area"] for e in entries] == ["SU", "TQ"]
    for entry in entries:
        square = entry["area"]
        with zipfile.ZipFile(genuine(entry)) as archive:
            names = archive.namelist()
        root = f"OS OpenMap Local (ESRI Shape File) {square}/data/"
        shapefiles = [n for n in names if n.endswith(".shp")]
        assert len(shapefiles) == 20 and all(n.startswith(root + square + "_") for n in shapefiles)
        dataset = ogr.Open(f"/vsizip/{entry['path']}/{root}{square}_Road.shp")
        assert dataset.GetLayer(0).GetFeatureCount() == 3


def test_terrain50_grid_zip_is_nested_zips(tmp_path):
    from osgeo import gdal

    entry = write_terrain50_grid_zip(tmp_path, tiles=102, cells=20)
    path = genuine(entry)
    with zipfile.ZipFile(path) as archive:
        inner = archive.namelist()
        assert len(inner) == 102
        assert all(re.fullmatch(r"data/([a-z]{2})/\1\d\d_OST50GRID_\d{8}\.zip", n) for n in inner)
        assert len({n.split("/")[1] for n in inner}) == 2  # a second square once one is full
        with zipfile.ZipFile(io.BytesIO(archive.read(inner[0]))) as tile:
            stem = inner[0].split("/")[2][:4].upper()
            assert sorted(tile.namelist()) == sorted([
                f"{stem}.asc", f"{stem}.asc.aux.xml", f"{stem}.gml", f"{stem}.prj",
                f"Metadata_{stem}.xml"])
    grid = gdal.Open(f"/vsizip//vsizip/{path}/{inner[0]}/{stem}.asc")
    assert (grid.RasterXSize, grid.RasterYSize) == (20, 20) and grid.GetGeoTransform()[1] == 500
