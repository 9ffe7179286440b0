"""The Processing provider `os_data_hub`: each algorithm run through `processing.run` against the
local OS API server, its outputs checked, its layers loaded by Processing on completion."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.layer_loader import attribution_for
from os_data_hub_loader.processing_provider.provider import OSDataHubProvider
from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from local_os_api.keys import DEMO_KEY

PROCESSING_PLUGINS = os.path.join(QgsApplication.pkgDataPath(), "python", "plugins")
if PROCESSING_PLUGINS not in sys.path:
    sys.path.append(PROCESSING_PLUGINS)

import processing  # noqa: E402
from processing.core.Processing import Processing  # noqa: E402


def md5(path: Path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def provider():
    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("os_data_hub")
    if existing is not None:
        registry.removeProvider(existing)
    instance = OSDataHubProvider()
    assert registry.addProvider(instance)
    yield instance
    registry.removeProvider(instance)


@pytest.fixture()
def server(os_api, monkeypatch, provider):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    yield os_api
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


def listed(os_api, product: str, file_name: str) -> dict:
    return next(r for r in os_api.catalogue.downloads(product) if r["fileName"] == file_name)


class Recorder(QgsProcessingFeedback):
    def __init__(self) -> None:
        super().__init__()
        self.progress: list[float] = []
        self.infos: list[str] = []
        self.errors: list[str] = []
        self.progressChanged.connect(self.progress.append)

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushInfo(self, info: str) -> None:
        self.infos.append(info)
        super().pushInfo(info)


def test_the_provider_lists_its_algorithms_with_help(provider):
    registry = QgsApplication.processingRegistry()
    assert registry.providerById("os_data_hub").name() == "OS Data Hub"
    ids = sorted(a.id() for a in provider.algorithms())
    assert ids == ["os_data_hub:add_basemap", "os_data_hub:download_data_package",
                   "os_data_hub:download_opendata", "os_data_hub:list_products"]
    for algorithm in provider.algorithms():
        assert algorithm.shortHelpString()
        assert algorithm.displayName()


def test_download_opendata_for_one_square_without_loading(server, tmp_path):
    feedback = Recorder()
    results = processing.run("os_data_hub:download_opendata", {
        "PRODUCT": "OpenGreenspace", "FORMAT": "GeoPackage", "AREAS": "SU",
        "FOLDER": str(tmp_path), "UNPACK": True, "LOAD": False,
    }, feedback=feedback)
    assert results["FILES"] == [str(tmp_path / "opgrsp_gpkg_su.zip")]
    assert md5(tmp_path / "opgrsp_gpkg_su.zip") == listed(
        server, "OpenGreenspace", "opgrsp_gpkg_su.zip")["md5"].lower()
    assert list((tmp_path / "opgrsp_gpkg_su").rglob("*.gpkg"))  # unpacked
    assert results["LAYERS"] == []
    assert results["FOLDER"] == str(tmp_path)
    assert feedback.progress and max(feedback.progress) == 100
    assert any("opgrsp_gpkg_su.zip" in info for info in feedback.infos)
    assert QgsProject.instance().count() == 0


def test_download_opendata_loads_layers_on_completion(server, tmp_path):
    results = processing.runAndLoadResults("os_data_hub:download_opendata", {
        "PRODUCT": "OpenGreenspace", "FORMAT": "geopackage", "AREAS": "su",
        "FOLDER": str(tmp_path), "UNPACK": True, "LOAD": True,
    })
    assert results["LAYERS"]
    project = QgsProject.instance()
    for layer_id in results["LAYERS"]:
        layer = project.mapLayer(layer_id)
        assert layer is not None and layer.isValid()
        assert isinstance(layer, QgsVectorLayer) and layer.featureCount() > 0
        assert attribution_for("2020-10") in layer.metadata().rights()
    group = project.layerTreeRoot().findGroup("OS Open Greenspace (2020-10)")
    assert group is not None
    assert sorted(group.findLayerIds()) == sorted(results["LAYERS"])


def test_in_a_background_task_as_the_processing_dialog_runs_it(server, tmp_path, wait_until):
    """Prepared on the main thread, run in a worker thread, post-processed (layers made) on
    the main thread, then loaded from the context as the dialog does."""
    from processing.gui.Postprocessing import handleAlgorithmResults

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(
        "os_data_hub:download_opendata")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(algorithm, {
        "PRODUCT": "OpenGreenspace", "FORMAT": "GeoPackage", "AREAS": "SU, TQ",
        "FOLDER": str(tmp_path),
    }, context, feedback)
    outcome = {}
    task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    wait_until(lambda: "ok" in outcome, what="the algorithm task")
    assert outcome["ok"], outcome
    results = outcome["results"]
    assert len(results["FILES"]) == 2 and len(results["LAYERS"]) == 2  # two squares, 2 themes
    assert sorted(context.layersToLoadOnCompletion()) == sorted(results["LAYERS"])
    assert handleAlgorithmResults(algorithm, context, feedback)
    names = sorted(QgsProject.instance().mapLayer(i).name() for i in results["LAYERS"])
    assert names == ["Access point", "Greenspace site"]
    sources = {QgsProject.instance().mapLayer(i).source().split("|")[0] for i in results["LAYERS"]}
    assert sources == {str(tmp_path / "OpenGreenspace_2020-10.gpkg")}
    group = QgsProject.instance().layerTreeRoot().findGroup("OS Open Greenspace (2020-10)")
    assert sorted(group.findLayerIds()) == sorted(results["LAYERS"])


def test_processing_run_hands_back_the_layers(server, tmp_path):
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results = processing.run("os_data_hub:download_opendata", {
        "PRODUCT": "MiniScale", "FORMAT": "GeoTIFF", "FOLDER": str(tmp_path),
    }, context=context)
    assert results["FILES"] == [str(tmp_path / "minisc_gb.zip")]
    layers = {layer.name(): layer for layer in results["LAYERS"]}
    # Each map style is a map of its own, placed by the world files kept in another folder.
    assert sorted(layers) == ["Mono", "Relief1", "Relief2", "Standard", "Std with grid"]
    for layer in layers.values():
        assert layer.isValid() and layer.providerType() == "gdal"
        assert layer.crs().authid() == "EPSG:27700" and layer.extent().width() > 100_000
    assert layers["Mono"].bandCount() == 1 and layers["Standard"].bandCount() == 3


def test_download_opendata_takes_the_squares_of_an_extent(server, tmp_path):
    # Southampton and Portsmouth (SU) plus a little of SZ south of it.
    results = processing.run("os_data_hub:download_opendata", {
        "PRODUCT": "OpenGreenspace", "FORMAT": "ESRI® Shapefile",
        "EXTENT": "440000,460000,95000,120000 [EPSG:27700]",
        "FOLDER": str(tmp_path), "UNPACK": False, "LOAD": False,
    })
    assert sorted(Path(p).name for p in results["FILES"]) == [
        "opgrsp_essh_su.zip", "opgrsp_essh_sz.zip"]


def test_download_opendata_explains_a_wrong_format_or_area(server, tmp_path):
    with pytest.raises(QgsProcessingException, match="GeoPackage"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "OpenGreenspace", "FORMAT": "KML", "AREAS": "SU",
            "FOLDER": str(tmp_path), "LOAD": False})
    with pytest.raises(QgsProcessingException, match="Unknown area code 'XX'"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "OpenGreenspace", "FORMAT": "GeoPackage", "AREAS": "XX",
            "FOLDER": str(tmp_path), "LOAD": False})
    with pytest.raises(QgsProcessingException, match="GB"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "MiniScale", "FORMAT": "GeoTIFF", "AREAS": "SU",
            "FOLDER": str(tmp_path), "LOAD": False})
    with pytest.raises(QgsProcessingException, match="NoSuchProduct"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "NoSuchProduct", "FORMAT": "GeoPackage",
            "FOLDER": str(tmp_path), "LOAD": False})
    assert not list(tmp_path.iterdir())


def test_download_opendata_is_cancelled_through_the_feedback(server, tmp_path):
    server.faults.slow(2000)  # bytes a second: the two files take seconds
    feedback = QgsProcessingFeedback()
    # Processing's Cancel button fires from another thread than the one downloading.
    threading.Timer(0.5, feedback.cancel).start()
    started = time.monotonic()
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "OpenGreenspace", "FORMAT": "GeoPackage", "AREAS": "SU, TQ",
            "FOLDER": str(tmp_path), "LOAD": False}, feedback=feedback)
    assert time.monotonic() - started < 3
    assert not (tmp_path / "opgrsp_gpkg_su.zip").exists()
    assert list(tmp_path.glob("*.part"))  # kept to resume


def test_a_server_error_becomes_a_processing_error(server, tmp_path):
    server.faults.fail_next(404, times=1, target="storage")
    with pytest.raises(QgsProcessingException, match="opgrsp_gpkg_su.zip"):
        processing.run("os_data_hub:download_opendata", {
            "PRODUCT": "OpenGreenspace", "FORMAT": "GeoPackage", "AREAS": "SU",
            "FOLDER": str(tmp_path), "LOAD": False})


@pytest.fixture()
def credentials(auth_db):
    store = CredentialStore()
    assert store.save(Credentials(DEMO_KEY))
    return store


def test_download_data_package_latest_version(server, tmp_path, credentials):
    results = processing.run("os_data_hub:download_data_package", {
        "PACKAGE": "0040046952", "VERSION": "latest", "FOLDER": str(tmp_path),
        "UNPACK": True, "LOAD": False,
    })
    files = server.catalogue.package_files("0040046952", "110013")
    assert sorted(Path(p).name for p in results["FILES"]) == sorted(
        f["fileName"] for f in files)
    for row in files:
        assert md5(tmp_path / row["fileName"]) == row["md5"].lower()
    assert DEMO_KEY not in str(results)


def test_download_data_package_a_subset_and_load(server, tmp_path, credentials):
    files = server.catalogue.package_files("0040154231", "120045")
    wanted = files[0]["fileName"]
    results = processing.runAndLoadResults("os_data_hub:download_data_package", {
        "PACKAGE": "0040154231", "VERSION": "120045", "FILES": wanted.upper(),
        "FOLDER": str(tmp_path), "UNPACK": True, "LOAD": True,
    })
    assert [Path(p).name for p in results["FILES"]] == [wanted]
    assert results["LAYERS"]
    for layer_id in results["LAYERS"]:
        assert QgsProject.instance().mapLayer(layer_id).isValid()


def test_download_data_package_needs_a_key(server, tmp_path, auth_db):
    feedback = Recorder()
    with pytest.raises(QgsProcessingException):
        processing.run("os_data_hub:download_data_package", {
            "PACKAGE": "0040046952", "FOLDER": str(tmp_path)}, feedback=feedback)
    assert any("API key" in error for error in feedback.errors)
    assert not list(tmp_path.iterdir())


def test_list_products_writes_the_catalogue_table(server):
    results = processing.run("os_data_hub:list_products", {"OUTPUT": "TEMPORARY_OUTPUT"})
    table = results["OUTPUT"]
    assert table.isValid() and not table.isSpatial()
    assert table.featureCount() == len(server.catalogue.products)
    assert [f.name() for f in table.fields()][:5] == ["id", "name", "version", "formats",
                                                      "areas"]
    rows = {f["id"]: f for f in table.getFeatures()}
    greenspace = rows["OpenGreenspace"]
    assert greenspace["name"] == "OS Open Greenspace"
    assert greenspace["version"] == "2020-10"
    assert "GeoPackage" in greenspace["formats"] and "GML / 3" in greenspace["formats"]
    assert "SU" in greenspace["areas"].split(", ")


def test_add_basemap_adds_the_os_maps_layer_to_the_project(server, credentials):
    results = processing.run("os_data_hub:add_basemap", {"LAYER": "road_27700"})
    layer = QgsProject.instance().mapLayer(results["OUTPUT"])
    assert layer is not None and layer.isValid()
    assert layer.providerType() == "wms"
    assert "layers=Road_27700" in layer.source()
    assert attribution_for(None) in layer.metadata().rights()
    assert DEMO_KEY not in str(results)


def test_add_basemap_names_the_layers_it_knows(server, credentials):
    feedback = Recorder()
    with pytest.raises(QgsProcessingException, match="Outdoor_3857"):
        processing.run("os_data_hub:add_basemap", {"LAYER": "Satellite"}, feedback=feedback)
    assert QgsProject.instance().count() == 0


def test_add_basemap_needs_a_key(server, auth_db):
    with pytest.raises(QgsProcessingException, match="API key"):
        processing.run("os_data_hub:add_basemap", {"LAYER": "Road_27700"})
