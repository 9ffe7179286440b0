"""Each sample product's zip is laid out as shared/os-api/README.md §5 says the real one is:
folder and file names, nesting, header files, world files; and every listing's size and md5
are those of the bytes served."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from osgeo import gdal, ogr

from local_os_api.geo import square_origin

gdal.UseExceptions()


def download(client, product: str, file_name: str, tmp_path: Path) -> Path:
    (item,) = client.get(f"/downloads/v1/products/{product}/downloads",
                         params={"fileName": file_name}).json()
    response = client.get(item["url"] + "&fileName=" + quote(file_name))
    assert response.status_code == 307
    data = client.get(response.headers["Location"]).content
    assert len(data) == item["size"] and hashlib.md5(data).hexdigest() == item["md5"].lower()
    path = tmp_path / file_name
    path.write_bytes(data)
    return path


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def read(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member)


def inner_names(path: Path, member: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(read(path, member))) as inner:
        return inner.namelist()


def vsizip(path: Path, *members: str) -> str:
    """GDAL's name for a member, through zips inside the zip."""
    chain = str(path)
    for inner in members[:-1]:
        chain = f"/vsizip/{chain}/{inner}"
    return f"/vsizip/{chain}/{members[-1]}"


def layer_of(source: str):
    """(dataset, first layer): the layer is only valid while its dataset is referenced."""
    dataset = ogr.Open(source)
    return dataset, dataset.GetLayer(0)


def layer_names(source: str) -> list[str]:
    dataset = ogr.Open(source)
    return [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]


def stems(members: list[str], suffix: str) -> set[str]:
    return {m.rsplit("/", 1)[-1][: -len(suffix)] for m in members if m.endswith(suffix)}


def in_square(source: str, square: str) -> None:
    _dataset, layer = layer_of(source)
    x0, x1, y0, y1 = layer.GetExtent()
    e0, n0 = square_origin(square)
    assert e0 <= x0 <= x1 <= e0 + 100_000 and n0 <= y0 <= y1 <= n0 + 100_000, source


# --- listings ----------------------------------------------------------------------------------


def test_every_listing_matches_the_bytes_served(client, os_api):
    for row in os_api.catalogue.downloads():
        (item,) = client.get(f"/downloads/v1/products/{row['productId']}/downloads",
                             params={"fileName": row["fileName"]}).json()
        response = client.get(item["url"] + "&fileName=" + quote(row["fileName"]))
        data = client.get(response.headers["Location"]).content
        assert len(data) == item["size"], row["fileName"]
        assert hashlib.md5(data).hexdigest() == item["md5"].lower(), row["fileName"]


def test_the_new_products_are_listed_with_their_formats_and_areas(client):
    items = {item["id"]: item for item in client.get("/downloads/v1/products?expanded").json()}
    for product in ("OpenMapLocal", "OpenRoads", "OpenNames", "OpenUPRN", "BuiltUpAreas",
                    "VectorMapDistrict"):
        assert product in items
        listed = client.get(f"/downloads/v1/products/{product}/downloads").json()
        assert {d["format"] for d in listed} == {f["format"] for f in items[product]["formats"]}
    assert items["OpenMapLocal"]["areas"] == ["GB", "NS", "SU", "SZ", "TQ"]


# --- OS OpenMap Local --------------------------------------------------------------------------


def test_openmap_local_per_square_zips(client, tmp_path):
    path = download(client, "OpenMapLocal", "opmplc_essh_su.zip", tmp_path)
    members = names(path)
    root = "OS OpenMap Local (ESRI Shape File) SU/data/"
    themes = {m[len(root):-4] for m in members if m.startswith(root) and m.endswith(".shp")}
    assert {"SU_Building", "SU_Road", "SU_Woodland", "SU_SurfaceWater_Area",
            "SU_NamedPlace"} <= themes
    for theme in themes:
        for side in (".shx", ".dbf", ".prj"):
            assert root + theme + side in members
    kinds = set()
    for theme in themes:
        source = vsizip(path, root + theme + ".shp")
        _dataset, layer = layer_of(source)
        kinds.add(ogr.GeometryTypeToName(layer.GetGeomType()))
        assert layer.GetSpatialRef().GetAuthorityCode(None) == "27700"
        assert "ID" in [f.GetName() for f in layer.schema] and layer.GetFeatureCount() > 0
        in_square(source, "SU")
    assert kinds == {"Point", "Line String", "Polygon"}
    _dataset, road = layer_of(vsizip(path, root + "SU_Road.shp"))
    assert {"DISTNAME", "ROADNUMBER", "CLASSIFICA", "FEATCODE"} <= {f.GetName()
                                                                    for f in road.schema}


def test_openmap_local_several_squares_and_the_gb_zip(client, os_api, tmp_path):
    squares = {d["area"] for d in os_api.catalogue.downloads("OpenMapLocal")
               if d["format"] == "ESRI® Shapefile"} - {"GB"}
    assert len(squares) >= 3
    path = download(client, "OpenMapLocal", "opmplc_essh_gb.zip", tmp_path)
    members = names(path)
    for square in squares:
        assert f"data/{square}/{square}_Building.shp" in members
        in_square(vsizip(path, f"data/{square}/{square}_Woodland.shp"), square)
    gpkg = download(client, "OpenMapLocal", "opmplc_gpkg_gb.zip", tmp_path)
    assert "Data/opmplc_gb.gpkg" in names(gpkg)
    assert "building" in layer_names(vsizip(gpkg, "Data/opmplc_gb.gpkg"))


# --- OS Open Greenspace ------------------------------------------------------------------------


def test_greenspace_shapefiles_per_square_under_a_root_folder(client, tmp_path):
    path = download(client, "OpenGreenspace", "opgrsp_essh_su.zip", tmp_path)
    shapefiles = [m for m in names(path) if m.endswith(".shp")]
    assert len({m.split("/")[0] for m in shapefiles}) == 1  # one root folder
    assert sorted(m.split("/", 1)[1] for m in shapefiles) == [
        "data/SU_AccessPoint.shp", "data/SU_GreenspaceSite.shp"]
    gb = download(client, "OpenGreenspace", "opgrsp_essh_gb.zip", tmp_path)
    found = {m.rsplit("/", 1)[-1] for m in names(gb) if m.endswith(".shp")}
    assert {"SU_GreenspaceSite.shp", "TQ_AccessPoint.shp", "NS_GreenspaceSite.shp"} <= found
    gpkg = download(client, "OpenGreenspace", "opgrsp_gpkg_su.zip", tmp_path)
    (inside,) = [m for m in names(gpkg) if m.endswith(".gpkg")]
    assert sorted(layer_names(vsizip(gpkg, inside))) == ["AccessPoint", "GreenspaceSite"]


# --- Code-Point Open ---------------------------------------------------------------------------


def test_code_point_open_layout(client, tmp_path):
    path = download(client, "CodePointOpen", "codepo_gb.zip", tmp_path)
    members = names(path)
    csvs = [m for m in members if m.startswith("Data/CSV/")]
    assert len(csvs) >= 5 and all(re.fullmatch(r"Data/CSV/[a-z]{1,2}\.csv", m) for m in csvs)
    assert {"Doc/Code-Point_Open_Column_Headers.csv", "Doc/metadata.txt",
            "licence.txt"} <= set(members)
    headers = read(path, "Doc/Code-Point_Open_Column_Headers.csv").decode().splitlines()
    assert len(headers) == 2 and headers[0].split(",")[:4] == ["PC", "PQ", "EA", "NO"]
    assert headers[1].split(",")[2:4] == ["Eastings", "Northings"]
    first = read(path, "Data/CSV/so.csv").decode()
    assert first.startswith('"SO16 ')  # no header row; strings quoted
    row = next(csv.reader(io.StringIO(first)))
    assert len(row) == len(headers[0].split(",")) and row[2].isdigit()


# --- OS Open Names -----------------------------------------------------------------------------


def test_open_names_layout(client, tmp_path):
    path = download(client, "OpenNames", "opname_csv_gb.zip", tmp_path)
    members = names(path)
    tiles = [m for m in members if m.startswith("Data/")]
    assert len(tiles) >= 3 and all(re.fullmatch(r"Data/[A-Z]{2}\d\d\.csv", m) for m in tiles)
    (header,) = read(path, "Doc/OS_Open_Names_Header.csv").decode().splitlines()
    columns = header.split(",")
    assert columns[:3] == ["ID", "NAMES_URI", "NAME1"] and "GEOMETRY_X" in columns
    text = b"".join(read(path, m) for m in tiles).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(row) == len(columns) for row in rows)
    assert not any(row[0] == "ID" for row in rows)  # no header in the data files
    langs = {row[columns.index("NAME2_LANG")] for row in rows}
    assert {"cym", "gla"} <= langs
    assert "Steòrnabhagh" in text and any("," in field for row in rows for field in row)
    gpkg = download(client, "OpenNames", "opname_gpkg_gb.zip", tmp_path)
    assert "Data/opname_gb.gpkg" in names(gpkg)
    assert layer_names(vsizip(gpkg, "Data/opname_gb.gpkg")) == ["named_place"]


# --- OS Open UPRN ------------------------------------------------------------------------------


def test_open_uprn_layout(client, tmp_path):
    (item,) = [d for d in client.get("/downloads/v1/products/OpenUPRN/downloads",
                                     params={"format": "CSV"}).json()]
    stem = re.fullmatch(r"(osopenuprn_\d{6})_csv\.zip", item["fileName"]).group(1)
    path = download(client, "OpenUPRN", item["fileName"], tmp_path)
    data = read(path, f"{stem}_csv/{stem}.csv")
    lines = data.split(b"\r\n")
    assert lines[0] == b"UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE"
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")  # CRLF throughout
    uprn, x, y, lat, lon = lines[1].decode().split(",")
    assert uprn.isdigit() and 0 < float(x) < 700_000 and 49 < float(lat) < 61
    assert -9 < float(lon) < 2
    gpkg = download(client, "OpenUPRN", f"{stem}_gpkg.zip", tmp_path)
    assert any(m.endswith(".gpkg") for m in names(gpkg))


# --- OS Open Built Up Areas --------------------------------------------------------------------


def test_built_up_areas_csv_has_wkt_and_the_geopackage_three_types(client, os_api, tmp_path):
    rows = {d["format"]: d["fileName"] for d in os_api.catalogue.downloads("BuiltUpAreas")}
    path = download(client, "BuiltUpAreas", rows["CSV"], tmp_path)
    (member,) = [m for m in names(path) if m.endswith(".csv")]
    table = list(csv.reader(io.StringIO(read(path, member).decode("utf-8"))))
    header, body = table[0], table[1:]
    wkt_column = header.index("geometry")
    assert all(row[wkt_column].startswith("MULTIPOLYGON (((") for row in body)
    assert any("," in row[header.index("name1_text")] for row in body)  # quoted comma
    assert b'"Newport, Isle of Wight"' in read(path, member)
    gpkg = download(client, "BuiltUpAreas", rows["GeoPackage"], tmp_path)
    (inside,) = [m for m in names(gpkg) if m.endswith(".gpkg")]
    assert len(layer_names(vsizip(gpkg, inside))) == 3


# --- OS Terrain 50 -----------------------------------------------------------------------------


def test_terrain50_grid_is_nested_zips_per_square_folder(client, tmp_path):
    path = download(client, "Terrain50", "terr50_gagg_gb.zip", tmp_path)
    inner = [m for m in names(path) if m.endswith(".zip")]
    assert all(re.fullmatch(r"data/([a-z]{2})/\1\d\d_OST50GRID_\d{8}\.zip", m) for m in inner)
    assert len({m.split("/")[1] for m in inner}) >= 3 and len(inner) >= 6
    for member in inner:
        tile = member.split("/")[2][:4].upper()
        assert sorted(inner_names(path, member)) == sorted([
            f"{tile}.asc", f"{tile}.gml", f"{tile}.prj", f"{tile}.asc.aux.xml",
            f"Metadata_{tile}.xml"])
    grid = gdal.Open(vsizip(path, "data/su/su41_OST50GRID_20200610.zip", "SU41.asc"))
    assert (grid.RasterXSize, grid.RasterYSize) == (200, 200)
    assert grid.GetGeoTransform()[:2] == (440000.0, 50.0)
    metadata = read(path, "data/su/su41_OST50GRID_20200610.zip")
    with zipfile.ZipFile(io.BytesIO(metadata)) as tile:
        assert b"RectifiedGrid" in tile.read("SU41.gml")  # grid metadata, not heights


@pytest.mark.parametrize(("file_name", "suffix"), [("terr50_cesh_gb.zip", ".shp"),
                                                   ("terr50_cgml_gb.zip", ".gml")])
def test_terrain50_contours_are_nested_with_a_line_and_a_point_file_per_tile(
        client, tmp_path, file_name, suffix):
    path = download(client, "Terrain50", file_name, tmp_path)
    inner = [m for m in names(path) if m.endswith(".zip")]
    assert all(re.fullmatch(r"data/([a-z]{2})/\1\d\d_OST50CONT_\d{8}\.zip", m) for m in inner)
    for member in inner:
        tile = member.split("/")[2][:4].upper()
        files = [n for n in inner_names(path, member) if n.endswith(suffix)]
        assert sorted(files) == [f"{tile}_line{suffix}", f"{tile}_point{suffix}"]
    source = vsizip(path, "data/su/su41_OST50CONT_20200610.zip", f"SU41_line{suffix}")
    _lines_dataset, lines = layer_of(source)
    assert lines.GetFeatureCount() > 0 and lines.GetGeomType() in (
        ogr.wkbLineString, ogr.wkbMultiLineString)
    _points_dataset, points = layer_of(source.replace("_line", "_point"))
    assert ogr.GeometryTypeToName(points.GetGeomType()) == "Point"


# --- MiniScale ---------------------------------------------------------------------------------


def test_miniscale_plain_tiffs_with_world_files_in_their_own_folder(client, tmp_path):
    path = download(client, "MiniScale", "minisc_gb.zip", tmp_path)
    members = names(path)
    tiffs = [m for m in members if m.endswith(".tif")]
    styles = {re.fullmatch(r"data/RGB_TIF_COMPRESSED/MiniScale_\((\w+)\)_R\d\d\.tif", m).group(1)
              for m in tiffs}
    assert styles == {"standard", "relief1", "relief2", "mono", "std_with_grid"}
    assert not any(m.endswith(".prj") for m in members)
    bands = set()
    for tiff in tiffs:
        dataset = gdal.Open(vsizip(path, tiff))
        assert dataset.GetProjection() == ""  # not a GeoTIFF
        assert dataset.GetGeoTransform() == (0.0, 1.0, 0.0, 0.0, 0.0, 1.0)
        bands.add(dataset.RasterCount)
        stem = tiff.rsplit("/", 1)[1][:-4]
        world = [m for m in members if m.endswith(f"/ESRI_TFW_FILES/{stem}.tfw")]
        tab = [m for m in members if m.endswith(f"/MAPINFO_TAB_FILES/{stem}.tab")]
        assert len(world) == len(tab) == 1 and "georeferencing_files/" in world[0]
        assert world[0].rsplit("/", 1)[0] != tiff.rsplit("/", 1)[0]  # a separate folder
        values = [float(v) for v in read(path, world[0]).split()]
        assert len(values) == 6 and values[0] > 0 and values[3] == -values[0]
        assert f'File "{stem}.tif"'.encode() in read(path, tab[0])
    assert bands == {1, 3}


def test_a_miniscale_world_file_put_beside_its_tiff_georeferences_it(client, tmp_path):
    path = download(client, "MiniScale", "minisc_gb.zip", tmp_path)
    stem = "MiniScale_(standard)_R23"
    (tmp_path / f"{stem}.tif").write_bytes(read(path, f"data/RGB_TIF_COMPRESSED/{stem}.tif"))
    (tmp_path / f"{stem}.tfw").write_bytes(
        read(path, f"data/georeferencing_files/ESRI_TFW_FILES/{stem}.tfw"))
    dataset = gdal.Open(str(tmp_path / f"{stem}.tif"))
    x0, pixel, _, y0, _, negative = dataset.GetGeoTransform()
    assert (x0, y0) == (0.0, 1_300_000.0) and pixel == -negative > 0
    assert y0 + negative * dataset.RasterYSize == 0.0


# --- OS Open Roads -----------------------------------------------------------------------------


def test_open_roads_geopackage_shapefiles_and_gml(client, tmp_path):
    gpkg = download(client, "OpenRoads", "oproad_gpkg_gb.zip", tmp_path)
    assert layer_names(vsizip(gpkg, "Data/oproad_gb.gpkg")) == [
        "road_link", "road_node", "motorway_junction"]
    shp = download(client, "OpenRoads", "oproad_essh_gb.zip", tmp_path)
    found = stems(names(shp), ".shp")
    squares = {name.split("_")[0] for name in found}
    assert len(squares) >= 3
    assert found == {f"{sq}_{kind}" for sq in squares
                     for kind in ("RoadLink", "RoadNode", "MotorwayJunction")}
    assert all(m.startswith("data/") for m in names(shp) if m.endswith(".shp"))
    _dataset, link = layer_of(vsizip(shp, "data/SU_RoadLink.shp"))
    assert all(len(f.GetName()) <= 10 for f in link.schema)
    gml = download(client, "OpenRoads", "oproad_gml3_gb.zip", tmp_path)
    files = [m for m in names(gml) if m.endswith(".gml")]
    assert len(files) == 2
    assert [layer_names(vsizip(gml, f))[0] for f in files] == ["RoadLink", "RoadLink"]


# --- Boundary-Line -----------------------------------------------------------------------------


def test_boundary_line_folders_and_upper_case_tab_extensions(client, tmp_path):
    shp = download(client, "BoundaryLine", "bdline_essh_gb.zip", tmp_path)
    folders = {m.rsplit("/", 1)[0] for m in names(shp) if m.endswith(".shp")}
    assert {"Data/GB", "Data/Supplementary_Ceremonial", "Data/Supplementary_Historical",
            "Data/Supplementary_Historic_European_Region", "Data/Supplementary_Country"} == folders
    tab = download(client, "BoundaryLine", "bdline_mitab_gb.zip", tmp_path)
    upper = [m for m in names(tab) if m.endswith(".TAB")]
    assert upper and any(m.endswith(".tab") for m in names(tab))
    for member in upper:
        stem = member[:-4]
        assert {stem + ".DAT", stem + ".MAP", stem + ".ID"} <= set(names(tab))
    dataset = ogr.Open(vsizip(tab, upper[0]))
    assert dataset.GetLayer(0).GetFeatureCount() > 0
    gpkg = download(client, "BoundaryLine", "bdline_gpkg_gb.zip", tmp_path)
    assert {"county", "westminster_const", "boundary_line_ceremonial_counties"} <= set(
        layer_names(vsizip(gpkg, "Data/bdline_gb.gpkg")))


# --- rasters: VectorMap District, 1:250 000 --------------------------------------------------


def test_vectormap_district_raster_tiles_have_world_files(client, tmp_path):
    path = download(client, "VectorMapDistrict", "vmdras_tiff_su.zip", tmp_path)
    tiffs = [m for m in names(path) if m.endswith(".tif")]
    assert len(tiffs) >= 2 and all(re.fullmatch(r"data/SU\d\d\.tif", m) for m in tiffs)
    for tiff in tiffs:
        assert tiff[:-4] + ".tfw" in names(path)
    dataset = gdal.Open(vsizip(path, "data/SU41.tif"))  # the .tfw beside is read
    assert dataset.GetGeoTransform()[0::3] == (440_000.0, 120_000.0)
    vector = download(client, "VectorMapDistrict", "vmdvec_essh_su.zip", tmp_path)
    assert "OS VectorMap District (ESRI Shape File) SU/data/SU_Building.shp" in names(vector)


def test_250k_raster_tiles_per_square_and_a_gazetteer(client, tmp_path):
    path = download(client, "250kScaleColourRaster", "ras250_gb.zip", tmp_path)
    tiffs = [m for m in names(path) if m.endswith(".tif")]
    assert len(tiffs) >= 3 and all(re.fullmatch(r"data/[A-Z]{2}\.tif", m) for m in tiffs)
    assert any("gazetteer" in m.lower() and m.endswith(".txt") for m in names(path))


# --- OS Open Zoomstack -------------------------------------------------------------------------


def test_zoomstack_one_geopackage_with_several_layers_and_mbtiles(client, os_api, tmp_path):
    rows = {d["format"]: d["fileName"] for d in os_api.catalogue.downloads("OpenZoomstack")}
    path = download(client, "OpenZoomstack", rows["GeoPackage"], tmp_path)
    (inside,) = [m for m in names(path) if m.endswith(".gpkg")]
    layers = layer_names(vsizip(path, inside))
    assert len(layers) >= 6 and {"roads_national", "names", "woodland"} <= set(layers)
    mbtiles = download(client, "OpenZoomstack", rows["Vector Tiles"], tmp_path)
    assert mbtiles.suffix == ".mbtiles"
