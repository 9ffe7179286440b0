"""Every kind of file OS ships, downloaded from the local server through the dock's own task
(download → verify → unpack → import → plan → add), becomes the right layers: one per theme
however many squares, named in words, from the product's GeoPackage (or the files as
downloaded), with provider, CRS, group and attribution."""

from __future__ import annotations

import zipfile

import pytest
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.importer import Store, theme_of, words
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.download_task import DownloadTask
from os_data_hub_loader.core.downloads import DownloadRequest
from qgis.core import (
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
    QgsVectorTileLayer,
)


def zip_names(path, suffix):
    """Names (stems) of members with `suffix`, looking into zips inside the zip too."""
    names = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.lower().endswith(suffix):
                names.append(member.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            if member.lower().endswith(".zip") and suffix == ".asc":
                names.append(member)
    return names


@pytest.fixture()
def load(os_api, monkeypatch, tmp_path):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    project = QgsProject.instance()

    def run(product_id, format_, areas=(), store=Store.GEOPACKAGE):
        with DownloadsClient(os_api.url) as client:
            product = client.product(product_id)
            downloads = client.product_downloads(product_id, format=format_, areas=areas)
        assert downloads, (product_id, format_)
        request = DownloadRequest(
            title=product.name, version=product.version,
            items=[d.to_item() for d in downloads],
            folder=tmp_path / product_id, unpack=True, load=True, store=store,
            dataset_id=product_id,
        )
        task = DownloadTask(request, ApiContext().download_engine())
        assert task.run(), task.outcome.errors
        task.finished(True)
        group = project.layerTreeRoot().findGroup(task.group_name)
        assert group is not None
        assert task.group_name == f"{product.name} ({product.version})"
        in_group = {node.layer().id() for node in group.findLayers()}
        layers = task.outcome.layers
        assert {layer.id() for layer in layers} <= in_group
        assert task.outcome.failed_layers == []
        year = product.version[:4]
        for layer in layers:
            assert layer.isValid(), layer.name()
            assert f"Contains OS data © Crown copyright and database right {year}" in (
                layer.metadata().rights()), layer.name()
        return task, layers

    yield run
    project.removeAllMapLayers()
    project.layerTreeRoot().removeAllChildren()


def _vectors(layers, provider="ogr"):
    assert all(isinstance(layer, QgsVectorLayer) for layer in layers)
    assert {layer.providerType() for layer in layers} == {provider}
    assert all(layer.crs().authid() == "EPSG:27700" for layer in layers)
    return sorted(layer.name() for layer in layers)


def gpkg_of(layer) -> str:
    return layer.source().split("|", 1)[0].rsplit("/", 1)[-1]


def test_geopackage_every_layer(load):
    task, layers = load("OpenGreenspace", "GeoPackage", ["SU"])
    assert _vectors(layers) == ["Access point", "Greenspace site"]
    assert all(layer.featureCount() > 0 for layer in layers)
    assert {gpkg_of(layer) for layer in layers} == {"OpenGreenspace_2020-10.gpkg"}
    assert [layer.name() for layer in layers] == ["Access point", "Greenspace site"]  # points


def test_several_squares_make_one_layer_per_theme(load):
    _task, one = load("OpenGreenspace", "GeoPackage", ["SU"])
    counts = {layer.name(): layer.featureCount() for layer in one}
    QgsProject.instance().removeAllMapLayers()
    _task, layers = load("OpenGreenspace", "GeoPackage", ["SU", "TQ"])
    assert _vectors(layers) == ["Access point", "Greenspace site"]
    assert all(layer.featureCount() > counts[layer.name()] for layer in layers)


def test_the_files_as_downloaded_still_make_one_layer_per_theme(load):
    task, layers = load("OpenGreenspace", "GeoPackage", ["SU", "TQ"], store=Store.FILES)
    assert _vectors(layers) == ["Access point", "Greenspace site"]
    assert all(gpkg_of(layer).endswith(".vrt") for layer in layers)
    assert not (task.request.folder / "OpenGreenspace_2020-10.gpkg").exists()


@pytest.mark.parametrize(("format_", "suffix"), [("ESRI® Shapefile", ".shp"),
                                                  ("MapInfo® TAB", ".tab")])
def test_every_shapefile_and_tab(load, format_, suffix):
    task, layers = load("BoundaryLine", format_)
    expected = sorted(words(theme_of(name)) for name in zip_names(task.outcome.files[0], suffix))
    assert expected and _vectors(layers) == expected


def test_gml_feature_types(load):
    _task, layers = load("BoundaryLine", "GML")
    assert len(_vectors(layers)) >= 2


def test_code_point_csvs_use_the_header_file_and_become_one_point_layer(load, os_api):
    _task, layers = load("CodePointOpen", "CSV")
    (layer,) = layers
    assert layer.providerType() == "ogr" and layer.isSpatial()
    assert gpkg_of(layer).startswith("CodePointOpen_") and gpkg_of(layer).endswith(".gpkg")
    assert layer.name() == "OS Code-Point Open" or "Code-Point" in layer.name()
    assert layer.crs().authid() == "EPSG:27700"
    assert [f.name() for f in layer.fields()][1:5] == [
        "Postcode", "Positional_quality_indicator", "Eastings", "Northings"]  # after fid
    assert layer.featureCount() > 0


def test_ascii_grid_tiles_in_nested_zips_become_one_mosaic(load):
    task, layers = load("Terrain50", "ASCII Grid and GML (Grid)")
    (raster,) = layers
    assert isinstance(raster, QgsRasterLayer) and raster.providerType() == "gdal"
    assert raster.source().endswith(".vrt")
    assert raster.crs().authid() == "EPSG:27700"  # ASCII grids carry none: set
    folder = task.outcome.files[0].with_suffix("")
    assert len(list(folder.rglob("*.asc"))) > 1


def test_geotiff_tiles_become_one_mosaic(load):
    _task, layers = load("250kScaleColourRaster", None)
    (raster,) = layers
    assert isinstance(raster, QgsRasterLayer) and raster.source().endswith(".vrt")
    assert raster.crs().authid() == "EPSG:27700"


def test_mbtiles_become_a_vector_tile_layer(load):
    _task, layers = load("OpenZoomstack", "Vector Tiles")
    (tiles,) = layers
    assert isinstance(tiles, QgsVectorTileLayer)


def test_csv_with_x_y_coordinate_columns_from_a_data_package(load, os_api, auth_db, tmp_path):
    from os_data_hub_loader.api.auth import ApiKeyAuth

    from local_os_api import DEMO_KEY

    with DownloadsClient(os_api.url, auth=ApiKeyAuth(DEMO_KEY)) as client:
        version = client.data_package_version("0040046952", "110012")
    request = DownloadRequest(
        title="Southampton Addresses", version=version.product_version,
        items=[d.to_item() for d in version.downloads],
        folder=tmp_path / "package", unpack=True, load=True,
    )
    task = DownloadTask(request, ApiContext().download_engine(ApiKeyAuth(DEMO_KEY)))
    assert task.run(), task.outcome.errors
    task.finished(True)
    layers = task.outcome.layers
    assert layers and all(layer.isSpatial() for layer in layers)
    assert all(layer.crs().authid() == "EPSG:27700" for layer in layers)
    assert all("X_COORDINATE" in [f.name() for f in layer.fields()] for layer in layers)
    assert all(layer.metadata().rights()[0].endswith("2015") for layer in layers)


def _md5(path):
    import hashlib

    return hashlib.md5(path.read_bytes()).hexdigest()


def test_an_unsafe_zip_is_refused_and_the_other_files_still_load(load, os_api, tmp_path):
    from osgeo import ogr, osr

    served = tmp_path / "served"
    served.mkdir()
    evil = served / "mixed_evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("data/ok.csv", "a,b\n1,2\n")
        archive.writestr("../../escaped.txt", "outside")
    gpkg = served / "sites.gpkg"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    layer = source.CreateLayer("sites", srs, ogr.wkbPoint)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (442000 112000)"))
    layer.CreateFeature(feature)
    source = None
    good = served / "mixed_good.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.write(gpkg, "Data/sites.gpkg")
    summary = {"id": "MixedZipsTest", "name": "Two zips, one unsafe", "description": "Test.",
               "version": "2022-03"}
    rows = [{"fileName": p.name, "area": "GB", "format": "GeoPackage", "size": p.stat().st_size,
             "md5": _md5(p), "path": str(p)} for p in (evil, good)]
    os_api.catalogue.add_product(summary, {**summary, "formats": [{"format": "GeoPackage"}]},
                                 rows)
    with pytest.raises(AssertionError) as failed:  # run() reports the failure ...
        load("MixedZipsTest", "GeoPackage")
    assert "mixed_evil.zip" in str(failed.value)
    assert not (tmp_path / "MixedZipsTest" / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()
    # ... and the safe one was still unpacked and planned.
    assert (tmp_path / "MixedZipsTest" / "mixed_good" / "Data" / "sites.gpkg").exists()


def test_downloading_again_neither_fetches_nor_unpacks_again(load, os_api, tmp_path):
    task, _layers = load("BoundaryLine", "GeoPackage")
    extracted = next((tmp_path / "BoundaryLine").rglob("*.gpkg"))
    stamp = extracted.stat().st_mtime_ns
    os_api.clear_requests()
    task, layers = load("BoundaryLine", "GeoPackage")
    assert task.outcome.skipped and not task.outcome.files
    assert not [r for r in os_api.requests if r.server == "storage"]
    assert extracted.stat().st_mtime_ns == stamp  # not unpacked again
    assert layers  # and loaded all the same


def test_a_file_deleted_from_the_unpacked_folder_comes_back_when_downloaded_again(
        load, os_api, tmp_path):
    load("BoundaryLine", "GeoPackage")
    extracted = next((tmp_path / "BoundaryLine").rglob("*.gpkg"))
    kept = [p for p in extracted.parent.parent.rglob("*") if p.is_file() and p != extracted]
    extracted.unlink()
    os_api.clear_requests()
    task, layers = load("BoundaryLine", "GeoPackage")
    assert task.outcome.skipped and not task.outcome.files  # the zip is not fetched again ...
    assert not [r for r in os_api.requests if r.server == "storage"]
    assert extracted.is_file() and layers  # ... but unpacked again, and loaded
    assert all(p.is_file() for p in kept)


def test_files_sharing_one_url_are_each_downloaded(load):
    # LIDS ships several CSVs for GB with one area and format: one listed URL for all.
    task, layers = load("LIDS", "CSV")
    assert len(task.outcome.files) == 2 and not task.outcome.errors
    assert layers and all(not layer.isSpatial() for layer in layers)  # tables: no coordinates


def test_a_download_cancelled_before_it_ran_says_cancelled(tmp_path):
    reported = []
    request = DownloadRequest("Boundary-Line", "2024-04", [], tmp_path, True, True)
    task = DownloadTask(request, ApiContext().download_engine(), reported.append)
    task.cancel()
    task.finished(False)  # what QGIS does for a task cancelled while still queued
    assert reported == [task] and task.outcome.cancelled and not task.outcome.errors


# ----- the products of the OS README §5, at their real layouts ---------------------------------


def names_of(layers):
    return [layer.name() for layer in layers]


def test_openmap_local_squares_make_one_layer_per_theme(load):
    _task, layers = load("OpenMapLocal", "ESRI® Shapefile", ["SU", "TQ", "NS"])
    names = names_of(layers)
    assert len(names) == len(set(names)) == 8  # 8 themes, not 3 × 8
    assert {"Building", "Road", "Surface water area", "Named place"} <= set(names)
    kinds = [layer.geometryType() for layer in layers]
    assert kinds == sorted(kinds)  # points above lines above polygons


def test_terrain_50_contours_are_lines_and_spot_heights(load):
    _task, layers = load("Terrain50", "ESRI® Shapefile (Contours)")
    assert names_of(layers) == ["Spot heights", "Contour lines"]
    assert all(layer.featureCount() > 0 for layer in layers)


def test_open_names_csv_tiles_are_one_point_layer_with_the_header_file_names(load):
    _task, layers = load("OpenNames", "CSV")
    (layer,) = layers
    fields = [f.name() for f in layer.fields()]
    assert {"NAME1", "GEOMETRY_X", "GEOMETRY_Y"} <= set(fields)
    assert layer.isSpatial() and layer.featureCount() > 4
    second = {feature["NAME2"] for feature in layer.getFeatures()}  # Welsh and Gaelic names
    assert "Steòrnabhagh" in second


def test_open_uprn_csv_is_a_point_layer(load):
    _task, layers = load("OpenUPRN", "CSV")
    (layer,) = layers
    assert layer.isSpatial() and layer.featureCount() > 0
    assert {"UPRN", "X_COORDINATE", "Y_COORDINATE"} <= {f.name() for f in layer.fields()}


def test_built_up_areas_csv_takes_its_geometry_from_the_wkt_column(load):
    _task, layers = load("BuiltUpAreas", "CSV")
    (layer,) = layers
    assert layer.isSpatial() and layer.geometryType() == 2  # polygons
    assert layer.featureCount() > 0


def test_miniscale_styles_are_maps_of_their_own(load):
    _task, layers = load("MiniScale", "GeoTIFF")
    assert sorted(names_of(layers)) == ["Mono", "Relief1", "Relief2", "Standard",
                                        "Std with grid"]
    assert all(isinstance(layer, QgsRasterLayer) and layer.crs().authid() == "EPSG:27700"
               for layer in layers)


def test_open_roads_gml_files_sharing_a_layer_name_make_one_layer(load):
    _task, layers = load("OpenRoads", "GML")
    names = names_of(layers)
    assert names.count("Road link") == 1 and len(names) == len(set(names))
