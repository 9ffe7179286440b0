"""Unpacked OS files become layers: built with GDAL/OGR here, imported by the import stage,
planned, and opened by real QGIS providers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from os_data_hub_loader.api.importer import Importer, Store
from os_data_hub_loader.core.layer_loader import add_layers, attribution_for
from os_data_hub_loader.core.layer_plan import (
    LayerKind,
    LayerSpec,
    Provider,
    plan_layers,
    unique_names,
)
from osgeo import gdal, ogr, osr
from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer, QgsVectorTileLayer


def _bng() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    return srs


def _points(path: Path, driver: str, layers: list[str], srs=True) -> None:
    ds = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    for name in layers:
        layer = ds.CreateLayer(name, _bng() if srs else None, ogr.wkbPoint)
        layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("name", name)
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (442000 112000)"))
        layer.CreateFeature(feature)
    ds = None


def _ascii_tile(path: Path, x0: int) -> None:
    mem = gdal.GetDriverByName("MEM").Create("", 4, 4, 1, gdal.GDT_Float32)
    mem.SetGeoTransform((x0, 50, 0, 120000, 0, -50))
    mem.GetRasterBand(1).Fill(12.5)
    gdal.GetDriverByName("AAIGrid").CreateCopy(str(path), mem)


@pytest.fixture()
def product_folder(tmp_path: Path) -> Path:
    data = tmp_path / "product"
    (data / "Data").mkdir(parents=True)
    (data / "Doc").mkdir()
    _points(data / "Data" / "greenspace.gpkg", "GPKG", ["GreenspaceSite", "AccessPoint"])
    _points(data / "Data" / "sites.shp", "ESRI Shapefile", ["sites"])
    with (data / "Data" / "addresses.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["UPRN", "X_COORDINATE", "Y_COORDINATE"])
        writer.writerow(["1", "442000.0", "112000.0"])
        writer.writerow(["2", "442100.0", "112100.0"])
    _ascii_tile(data / "Data" / "su41.asc", 440000)
    _ascii_tile(data / "Data" / "su42.asc", 440200)
    picture = gdal.GetDriverByName("MEM").Create("", 4, 4, 1)
    gdal.GetDriverByName("PNG").CreateCopy(str(data / "Doc" / "logo.png"), picture)
    (data / "Doc" / "licence.txt").write_text("Open Government Licence")
    return data


def imported_specs(folder: Path, title: str, store: Store = Store.GEOPACKAGE):
    """What the import stage makes of `folder`, planned as layers."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return plan_layers(Importer(folder, "product_2024-04", "product", "2024-04", store,
                                title=title).run(files))


@pytest.mark.parametrize("store", list(Store))
def test_plan_finds_every_data_file_and_nothing_else(product_folder: Path, store):
    specs = imported_specs(product_folder, "OS Test Product", store)
    names = [spec.name for spec in specs]
    # points first, the mosaic last; the pictures and texts of Doc/ are not data; a lone CSV
    # is the product's table (as OS Open UPRN's), so the mosaic named after it comes second
    assert names[-1] == "OS Test Product (2)" and sorted(names[:-1]) == [
        "Access point", "Greenspace site", "OS Test Product", "Sites"]
    mosaic = specs[-1]
    assert mosaic.kind is LayerKind.RASTER
    assert mosaic.uri.endswith(".vrt") and Path(mosaic.uri).exists()


def test_layers_load_valid_in_a_group_with_crs_and_attribution(product_folder: Path):
    project = QgsProject()
    specs = imported_specs(product_folder, "OS Test Product")
    layers, failed = add_layers(specs, "OS Test Product (2024-04)", "2024-04", project)
    assert failed == []
    assert len(layers) == 5
    group = project.layerTreeRoot().findGroup("OS Test Product (2024-04)")
    assert group is not None and len(group.findLayers()) == 5
    for layer in layers:
        assert layer.isValid()
        assert layer.crs().authid() == "EPSG:27700", layer.name()
        assert "Contains OS data © Crown copyright and database right 2024" in (
            layer.metadata().rights()
        )
    csv_layer = next(layer for layer in layers if layer.name() == "OS Test Product")
    assert isinstance(csv_layer, QgsVectorLayer)
    assert csv_layer.featureCount() == 2
    assert csv_layer.isSpatial()
    raster = next(layer for layer in layers if isinstance(layer, QgsRasterLayer))
    assert raster.width() == 8  # two 4-pixel tiles side by side


def test_code_point_style_headerless_csvs_use_the_header_file(tmp_path: Path):
    folder = tmp_path / "codepo"
    (folder / "Data" / "CSV").mkdir(parents=True)
    (folder / "Doc").mkdir()
    with (folder / "Doc" / "Code-Point_Open_Column_Headers.csv").open("w", newline="") as h:
        csv.writer(h).writerows([
            ["PC", "PQ", "EA", "NO"],
            ["Postcode", "Positional_quality_indicator", "Eastings", "Northings"],
        ])
    for area, rows in {"so": [["SO16 0AS", "10", "437400", "115500"]],
                       "po": [["PO1 1AA", "10", "463900", "100300"],
                              ["PO1 1AB", "10", "464000", "100400"]]}.items():
        with (folder / "Data" / "CSV" / f"{area}.csv").open("w", newline="") as h:
            csv.writer(h).writerows(rows)
    specs = imported_specs(folder, "Code-Point Open")
    assert [spec.name for spec in specs] == ["Code-Point Open"]
    project = QgsProject()
    layers, failed = add_layers(specs, "Code-Point Open (2024-02)", "2024-02", project)
    assert failed == []
    layer = layers[0]
    assert layer.featureCount() == 3
    assert [f.name() for f in layer.fields()][1:5] == [
        "Postcode", "Positional_quality_indicator", "Eastings", "Northings"]
    extent = layer.extent()
    assert 437000 < extent.xMinimum() and extent.xMaximum() < 465000
    # Imported again (downloaded again): the GeoPackage is reused, nothing is rewritten.
    gpkg = folder / "product_2024-04.gpkg"
    made = gpkg.stat().st_mtime_ns
    again = imported_specs(folder, "Code-Point Open")
    assert [spec.name for spec in again] == ["Code-Point Open"]
    assert gpkg.stat().st_mtime_ns == made


def test_vector_mbtiles_becomes_a_vector_tile_layer(tmp_path: Path):
    source = tmp_path / "roads.gpkg"
    _points(source, "GPKG", ["roads"])
    target = tmp_path / "zoomstack.mbtiles"
    gdal.VectorTranslate(str(target), str(source), format="MBTiles",
                         datasetCreationOptions=["MAXZOOM=5"], dstSRS="EPSG:3857")
    specs = imported_specs(tmp_path, "x")
    specs = [spec for spec in specs if spec.kind is not LayerKind.VECTOR]  # the source gpkg
    assert [(s.provider, s.kind) for s in specs] == [
        (Provider.VECTOR_TILE, LayerKind.VECTOR_TILE)]
    project = QgsProject()
    layers, failed = add_layers(specs, "Zoomstack", "2024-01", project)
    assert failed == [] and isinstance(layers[0], QgsVectorTileLayer)


def test_the_provider_says_which_kind_of_layer_it_makes():
    assert {provider.value: provider.kind for provider in Provider} == {
        "ogr": LayerKind.VECTOR, "delimitedtext": LayerKind.VECTOR,
        "gdal": LayerKind.RASTER, "vectortile": LayerKind.VECTOR_TILE}
    assert LayerSpec("a", "a.tif", Provider.GDAL).kind is LayerKind.RASTER


def test_attribution_year_comes_from_the_version():
    assert attribution_for("2021-04").endswith("right 2021")
    assert attribution_for("E37 December 2015 Update").endswith("right 2015")
    assert attribution_for(None)[-4:].isdigit()


def test_names_are_unique_within_a_group():
    specs = [LayerSpec("Road link", "a.gpkg|layername=road_link", Provider.OGR),
             LayerSpec("Road node", "a.gpkg|layername=road_node", Provider.OGR),
             LayerSpec("Road link", "b.vrt", Provider.GDAL)]
    assert [s.name for s in unique_names(specs)] == ["Road link", "Road node", "Road link (2)"]
