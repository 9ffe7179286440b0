"""The import stage (api.importer) on small files made here with GDAL, shaped as OS ships them:
one table per theme however many squares, header files, WKT, world files kept elsewhere,
alternative map styles, reuse, cancelling, and files that are not what their name says."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.errors import Cancelled
from os_data_hub_loader.api.importer import LOADS_TABLE, Geometry, Importer, Store, theme_of, words

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")
osr = pytest.importorskip("osgeo.osr")


def bng():
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    return srs


def shapefile(path: Path, kind: str, count: int, x0: float = 400_000, multi: bool = False):
    path.parent.mkdir(parents=True, exist_ok=True)
    source = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    geom_type = {"point": ogr.wkbPoint, "line": ogr.wkbLineString,
                 "polygon": ogr.wkbMultiPolygon if multi else ogr.wkbPolygon}[kind]
    layer = source.CreateLayer(path.stem, bng(), geom_type)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for i in range(count):
        x = x0 + i * 100
        wkt = {"point": f"POINT ({x} 100000)", "line": f"LINESTRING ({x} 100000, {x + 50} 100050)",
               "polygon": f"POLYGON (({x} 100000, {x + 50} 100000, {x + 50} 100050, "
                          f"{x} 100000))"}[kind]
        if kind == "polygon" and multi:
            wkt = "MULTI" + wkt.replace("POLYGON ((", "POLYGON (((").replace("))", ")))")
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("name", f"{path.stem} {i}")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
    source = None


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def run(folder: Path, store: Store = Store.GEOPACKAGE, cancel: CancelToken | None = None,
        title: str = "OS OpenMap Local"):
    importer = Importer(folder, "OpenMapLocal_2024-04", "OpenMapLocal", "2024-04", store,
                        cancel=cancel, title=title)
    return importer.run(files_in(folder))


def query(path: Path, sql: str):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture()
def squares(tmp_path: Path) -> Path:
    """OpenMap Local of two squares: Building (polygons, one square multi), Road, NamedPlace."""
    for square, x0 in (("SU", 400_000), ("TQ", 500_000)):
        data = tmp_path / f"opmplc_essh_{square.lower()}" / \
            f"OS OpenMap Local (ESRI Shape File) {square}" / "data"
        shapefile(data / f"{square}_Building.shp", "polygon", 3, x0, multi=square == "TQ")
        shapefile(data / f"{square}_Road.shp", "line", 2, x0)
        shapefile(data / f"{square}_NamedPlace.shp", "point", 4, x0)
        (data.parent / "readme.txt").write_text("not data")
    return tmp_path


def test_one_table_per_theme_whatever_the_squares(squares: Path):
    imported = run(squares)
    gpkg = squares / "OpenMapLocal_2024-04.gpkg"
    assert imported.geopackage == gpkg and gpkg.is_file() and not imported.reused
    layers = {layer.layer: layer for layer in imported.vectors}
    assert set(layers) == {"building", "road", "named_place"}
    assert (layers["building"].features, layers["road"].features,
            layers["named_place"].features) == (6, 4, 8)
    assert layers["named_place"].name == "Named place"
    assert layers["building"].geometry is Geometry.POLYGON  # polygons and multipolygons
    assert layers["road"].geometry is Geometry.LINE
    assert {layer.path for layer in imported.vectors} == {gpkg}
    assert not list(squares.glob("*.importing.gpkg"))


def test_the_geopackage_records_the_load_indexes_and_credits(squares: Path):
    run(squares)
    gpkg = squares / "OpenMapLocal_2024-04.gpkg"
    rows = query(gpkg, f"SELECT product_id, version, theme, table_name, feature_count, "
                       f"loaded_at FROM {LOADS_TABLE} ORDER BY table_name")
    assert [row[:5] for row in rows] == [
        ("OpenMapLocal", "2024-04", "Building", "building", 6),
        ("OpenMapLocal", "2024-04", "Named place", "named_place", 8),
        ("OpenMapLocal", "2024-04", "Road", "road", 4)]
    assert all(row[5].startswith("20") for row in rows)
    tables = {name for (name,) in query(gpkg, "SELECT name FROM sqlite_master")}
    assert {"rtree_building_geom", "rtree_road_geom", "rtree_named_place_geom"} <= tables
    descriptions = dict(query(gpkg, "SELECT table_name, description FROM gpkg_contents"))
    assert descriptions["building"] == \
        "Contains OS data © Crown copyright and database right 2024"
    srs = query(gpkg, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='road'")
    assert srs == [(27700,)]


def test_the_same_files_again_reuse_the_geopackage_and_new_ones_rebuild_it(squares: Path):
    run(squares)
    gpkg = squares / "OpenMapLocal_2024-04.gpkg"
    made = gpkg.stat().st_mtime_ns
    again = run(squares)
    assert again.reused and gpkg.stat().st_mtime_ns == made
    assert {layer.layer for layer in again.vectors} == {"building", "road", "named_place"}
    shapefile(squares / "opmplc_essh_sp" / "data" / "SP_Road.shp", "line", 5, 450_000)
    more = run(squares)
    assert not more.reused
    assert {layer.layer: layer.features for layer in more.vectors}["road"] == 9


def test_cancelled_leaves_no_geopackage_presented_as_complete(squares: Path):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        run(squares, cancel=cancel)
    assert not list(squares.glob("*.gpkg"))


def test_header_less_csvs_take_the_header_file_names_and_become_one_point_layer(tmp_path):
    data = tmp_path / "codepo_gb" / "Data" / "CSV"
    data.mkdir(parents=True)
    (data / "ab.csv").write_text('"AB10 1AB",10,394251,806376,"S92000003"\n'
                                 '"AB10 1AF",10,394232,806470,"S92000003"\n')
    (data / "b.csv").write_text('"B1 1AA",10,406489,286918,"E92000001"\n')
    doc = tmp_path / "codepo_gb" / "Doc"
    doc.mkdir()
    (doc / "Code-Point_Open_Column_Headers.csv").write_text(
        "PC,PQ,EA,NO,CY\nPostcode,Positional_quality_indicator,Eastings,Northings,"
        "Country_code\n")
    imported = run(tmp_path, title="OS Code-Point Open")
    (layer,) = imported.vectors
    assert (layer.name, layer.layer, layer.features, layer.geometry) == (
        "OS Code-Point Open", "os_code_point_open", 3, Geometry.POINT)
    columns = [row[1] for row in query(layer.path, "PRAGMA table_info(os_code_point_open)")]
    assert {"Postcode", "Eastings", "Northings", "Country_code"} <= set(columns)
    dataset = gdal.OpenEx(str(layer.path), gdal.OF_VECTOR, allowed_drivers=["GPKG"])
    points = {f.GetField("Postcode"): f.GetGeometryRef().GetX()
              for f in dataset.GetLayerByName(layer.layer)}
    assert points == {"AB10 1AB": 394251, "AB10 1AF": 394232, "B1 1AA": 406489}


def test_a_csv_whose_geometry_is_wkt(tmp_path: Path):
    folder = tmp_path / "bua"
    folder.mkdir()
    (folder / "os_open_built_up_areas.csv").write_text(
        "gsscode,name,geometry\n"
        'E63000001,"Ambleside, Cumbria","POLYGON ((337000 503000, 338000 503000, '
        '338000 504000, 337000 503000))"\n'
        'E63000002,"Grasmere","POLYGON ((333000 507000, 334000 507000, 334000 508000, '
        '333000 507000))"\n')
    (layer,) = run(tmp_path, title="OS Open Built Up Areas").vectors
    assert layer.geometry is Geometry.POLYGON and layer.features == 2
    names = {n for (n,) in query(layer.path, f"SELECT name FROM {layer.layer}")}
    assert names == {"Ambleside, Cumbria", "Grasmere"}


def plain_tiff(path: Path, bands: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), 20, 10, bands, gdal.GDT_Byte)
    for band in range(bands):
        dataset.GetRasterBand(band + 1).Fill(band * 40)
    dataset = None  # no georeferencing inside


def test_plain_images_are_placed_by_world_files_kept_elsewhere_and_styles_stay_apart(tmp_path):
    images = tmp_path / "minisc_gb" / "data" / "RGB_TIF_COMPRESSED"
    plain_tiff(images / "MiniScale_(standard)_R23.tif", 3)
    plain_tiff(images / "MiniScale_(mono)_R23.tif", 1)
    plain_tiff(images / "MiniScale_(relief1)_R23.tif", 3)
    world = tmp_path / "minisc_gb" / "data" / "georeferencing_files" / "ESRI_TFW_FILES"
    world.mkdir(parents=True)
    for style in ("standard", "mono"):
        (world / f"MiniScale_({style})_R23.tfw").write_text(
            "1000\n0\n0\n-1000\n500\n1219500\n")
    imported = run(tmp_path, title="MiniScale")
    by_name = {raster.name: raster for raster in imported.rasters}
    assert set(by_name) == {"Standard", "Mono"}
    mosaic = gdal.Open(str(by_name["Standard"].path))
    assert mosaic.GetGeoTransform() == (0.0, 1000.0, 0.0, 1220000.0, 0.0, -1000.0)
    assert "27700" in mosaic.GetProjection() and mosaic.RasterCount == 3
    assert gdal.Open(str(by_name["Mono"].path)).RasterCount == 1
    (left_path, why), = imported.left_out
    assert left_path.name == "MiniScale_(relief1)_R23.tif" and "world file" in why


def test_tiles_of_one_map_make_one_mosaic(tmp_path: Path):
    for number, x in enumerate((400_000, 410_000, 420_000)):
        tile = tmp_path / "terr50_gagg_gb" / "data" / "su" / f"SU{number}0.asc"
        tile.parent.mkdir(parents=True, exist_ok=True)
        tile.write_text(f"ncols 2\nnrows 2\nxllcorner {x}\nyllcorner 100000\ncellsize 5000\n"
                        "NODATA_value -9999\n1 2\n3 4\n")
        tile.with_suffix(".gml").write_text("<gml>grid metadata, not heights</gml>")
    imported = run(tmp_path, title="OS Terrain 50")
    (mosaic,) = imported.rasters
    assert mosaic.name == "OS Terrain 50" and mosaic.tiles == 3
    dataset = gdal.Open(str(mosaic.path))
    assert dataset.RasterXSize == 6 and "27700" in dataset.GetProjection()
    assert imported.vectors == []  # the grids' .gml files are not data


def test_a_file_that_is_not_what_its_name_says_is_left_out(tmp_path: Path):
    folder = tmp_path / "product"
    folder.mkdir()
    (folder / "SU_Building.shp").write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
        "</OGRVRTLayer></OGRVRTDataSource>")
    fake_tif = folder / "SU01.tif"
    fake_tif.write_text('<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand '
                        'dataType="Byte" band="1"><SimpleSource><SourceFilename>'
                        "/vsicurl/http://127.0.0.1:9/x.tif</SourceFilename></SimpleSource>"
                        "</VRTRasterBand></VRTDataset>")
    imported = run(tmp_path)
    assert imported.empty
    assert [p.name for p, _why in imported.left_out] == ["SU_Building.shp"]


def test_the_files_as_downloaded_make_one_vrt_layer_per_theme(squares: Path):
    imported = run(squares, Store.FILES)
    layers = {layer.layer: layer for layer in imported.vectors}
    assert set(layers) == {"building", "road", "named_place"}
    assert not (squares / "OpenMapLocal_2024-04.gpkg").exists()
    road = layers["road"]
    assert road.path.suffix == ".vrt" and road.features == 4
    text = road.path.read_text()
    assert "<FeatureCount>4</FeatureCount>" in text and "<ExtentXMin>" in text
    assert 'relativeToVRT="1"' in text  # the folder can move
    opened = gdal.OpenEx(str(road.path), gdal.OF_VECTOR, allowed_drivers=["OGR_VRT"])
    assert opened.GetLayer(0).GetFeatureCount() == 4


@pytest.mark.parametrize(("name", "theme"), [
    ("SU_Building", "Building"), ("GreenspaceSite", "GreenspaceSite"), ("HP40", ""),
    ("SU01NE", ""), ("TQ_SurfaceWater_Area", "SurfaceWater_Area"), ("road_link", "road_link")])
def test_theme_of_a_name(name, theme):
    assert theme_of(name) == theme


def test_words():
    assert words("SurfaceWater_Area") == "Surface water area"
    assert words("road_link") == "Road link"
