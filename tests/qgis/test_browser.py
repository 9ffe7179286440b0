"""The "OS Data Hub" tree of the Browser panel against the local OS API server: items created,
expanded (in the test, and once through QGIS's own worker-thread population), their actions run
with a real TaskRegistry, drops onto the map handled."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest
from os_data_hub_loader.browser.items import (
    BasemapItem,
    FileItem,
    LockedItem,
    ProductItem,
)
from os_data_hub_loader.browser.provider import OSDataHubDropHandler, OSDataHubItemProvider
from os_data_hub_loader.browser.session import BrowserSession
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.layer_loader import attribution_for
from os_data_hub_loader.core.tasks import TaskRegistry
from qgis.core import Qgis, QgsApplication, QgsDataItem, QgsErrorItem, QgsProject
from qgis.PyQt.QtWidgets import QFileDialog, QWidget

from local_os_api.keys import DEMO_KEY


def md5(path: Path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def listed_md5(os_api, product: str, file_name: str) -> str:
    return next(r["md5"] for r in os_api.catalogue.downloads(product)
                if r["fileName"] == file_name).lower()


@pytest.fixture()
def session(os_api, iface, monkeypatch, tmp_path, auth_db):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    context = ApiContext()
    context.settings.download_folder = tmp_path / "downloads"
    tasks = TaskRegistry()
    session = BrowserSession(iface, context, tasks)
    yield session
    tasks.cancel_all()
    session.close_down()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


@pytest.fixture()
def with_key(session):
    assert CredentialStore().save(Credentials(DEMO_KEY))
    return session


def root_of(session: BrowserSession) -> QgsDataItem:
    root = OSDataHubItemProvider(session).createDataItem("", None)
    assert root is not None and root.name() == "OS Data Hub"
    return root


def child(item: QgsDataItem, name: str) -> QgsDataItem:
    children = item.createChildren()
    names = [c.name() for c in children]
    assert name in names, names
    return children[names.index(name)]


MENU_PARENT: list[QWidget] = []  # the actions live as long as their parent widget


def action(item: QgsDataItem, text: str):
    MENU_PARENT[:] = [QWidget()]
    actions = item.actions(MENU_PARENT[0])
    texts = [a.text() for a in actions]
    assert text in texts, texts
    return actions[texts.index(text)]


def wait_for_downloads(session: BrowserSession, wait_until) -> None:
    wait_until(lambda: not session.downloads and not session.tasks.running,
               what="the download task")


def greenspace_file(session: BrowserSession, format_: str, file_name: str) -> FileItem:
    product = child(child(root_of(session), "OpenData"), "OS Open Greenspace")
    item = child(child(product, format_), file_name)
    assert isinstance(item, FileItem)
    return item


def test_root_holds_opendata_and_basemaps_and_packages_only_with_a_key(session):
    assert [c.name() for c in root_of(session).createChildren()] == ["OpenData", "Basemaps"]
    assert CredentialStore().save(Credentials(DEMO_KEY))
    assert [c.name() for c in root_of(session).createChildren()] == [
        "OpenData", "Basemaps", "Data packages"]


def test_products_formats_and_files(session, os_api):
    opendata = child(root_of(session), "OpenData")
    products = opendata.createChildren()
    assert len(products) == len(os_api.catalogue.products)
    assert all(isinstance(p, ProductItem) for p in products)
    greenspace = child(opendata, "OS Open Greenspace")
    assert [f.name() for f in greenspace.createChildren()] == [
        "ESRI® Shapefile", "GML — 3", "GeoPackage"]
    files = child(greenspace, "GeoPackage").createChildren()
    assert files[0].name() == "opgrsp_gpkg_gb.zip"  # all of Great Britain first
    assert "opgrsp_gpkg_su.zip" in [f.name() for f in files]
    zoomstack = child(opendata, "OS Open Zoomstack")
    assert "Vector Tiles — (MBTiles)" in [f.name() for f in zoomstack.createChildren()]


def test_qgis_populates_the_products_in_its_worker_thread(session, os_api, wait_until):
    opendata = child(root_of(session), "OpenData")
    opendata.populate()  # as the Browser does when a node is expanded
    wait_until(lambda: opendata.state() == Qgis.BrowserItemState.Populated, what="the products")
    assert len(opendata.children()) == len(os_api.catalogue.products)


def test_an_unreachable_api_shows_an_error_item(session, os_api):
    os_api.faults.fail_next(503, times=10, target="api")
    children = child(root_of(session), "OpenData").createChildren()
    assert len(children) == 1 and isinstance(children[0], QgsErrorItem)
    assert "503" in children[0].name()
    # The quick policy: one retry, not the downloads' five tries, while the node spins.
    assert len([r for r in os_api.requests if r.path.endswith("/products")]) == 2


def test_the_workers_use_the_connection_taken_on_the_main_thread(with_key, os_api, monkeypatch):
    session = with_key
    root = root_of(session)
    opendata, packages = child(root, "OpenData"), child(root, "Data packages")
    # Settings changed after the snapshot do not reach the worker threads' clients.
    monkeypatch.setenv("OS_API_BASE_URL", "http://127.0.0.1:9")
    assert len(opendata.createChildren()) == len(os_api.catalogue.products)
    assert any("0040046952" in c.name() for c in packages.createChildren())
    listed = [r for r in os_api.requests if "/dataPackages" in r.path]
    assert listed and all(r.headers.get("key") == DEMO_KEY for r in listed)
    # A new snapshot is taken when the root is listed again.
    child(root_of(session), "OpenData")
    assert session.connection is not None
    assert session.connection.api.base_url == "http://127.0.0.1:9"


def test_double_click_downloads_and_loads_a_file(session, os_api, wait_until):
    item = greenspace_file(session, "GeoPackage", "opgrsp_gpkg_su.zip")
    assert item.handleDoubleClick()
    wait_for_downloads(session, wait_until)
    path = session.context.settings.download_folder / "OpenGreenspace" / "2020-10" / item.name()
    assert md5(path) == listed_md5(os_api, "OpenGreenspace", item.name())
    group = QgsProject.instance().layerTreeRoot().findGroup("OS Open Greenspace (2020-10)")
    assert group is not None and group.findLayers()
    for node in group.findLayers():
        assert node.layer().isValid()
        assert attribution_for("2020-10") in node.layer().metadata().rights()


def test_download_to_asks_for_a_folder(session, os_api, wait_until, monkeypatch, tmp_path):
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: str(chosen)))
    item = greenspace_file(session, "ESRI® Shapefile", "opgrsp_essh_su.zip")
    action(item, "Download to…").trigger()
    wait_for_downloads(session, wait_until)
    assert md5(chosen / item.name()) == listed_md5(os_api, "OpenGreenspace", item.name())
    assert QgsProject.instance().count() > 0


def test_a_file_dragged_onto_the_map_is_downloaded(session, os_api, wait_until):
    item = greenspace_file(session, "GeoPackage", "opgrsp_gpkg_tq.zip")
    assert item.hasDragEnabled()
    [uri] = item.mimeUris()
    assert uri.providerKey == "os_data_hub" and uri.layerType == "custom"
    OSDataHubDropHandler(session).handleCustomUriDrop(uri)
    wait_for_downloads(session, wait_until)
    path = session.context.settings.download_folder / "OpenGreenspace" / "2020-10" / item.name()
    assert path.exists()
    assert QgsProject.instance().count() > 0


def test_basemaps_need_a_key(session):
    [only] = child(root_of(session), "Basemaps").createChildren()
    assert isinstance(only, QgsErrorItem) and "API key" in only.name()


def test_basemaps_list_the_os_maps_layers_and_add_them(with_key):
    session = with_key
    layers = child(root_of(session), "Basemaps").createChildren()
    assert all(isinstance(item, BasemapItem) for item in layers)
    ids = [item.layer_id for item in layers]
    assert "Road_27700" in ids and "Light_3857" in ids
    road = layers[ids.index("Road_27700")]
    assert road.handleDoubleClick()
    [added] = QgsProject.instance().mapLayers().values()
    assert added.isValid() and added.providerType() == "wms"
    assert attribution_for(None) in added.metadata().rights()
    # A drag carries the layer's name only, never the key.
    [uri] = layers[ids.index("Outdoor_3857")].mimeUris()
    assert DEMO_KEY not in uri.uri
    OSDataHubDropHandler(session).handleCustomUriDrop(uri)
    assert QgsProject.instance().count() == 2


def test_data_packages_versions_and_files(with_key, os_api, wait_until):
    session = with_key
    packages = child(root_of(session), "Data packages")
    package = child(packages, "Southampton Addresses (0040046952)")
    versions = package.createChildren()
    assert [v.name().split(" — ")[0] for v in versions] == ["110013", "110012"]
    files = versions[0].createChildren()
    rows = os_api.catalogue.package_files("0040046952", "110013")
    assert sorted(f.name() for f in files) == sorted(r["fileName"] for r in rows)
    assert all(DEMO_KEY not in f.mimeUris()[0].uri for f in files)
    assert files[0].handleDoubleClick()
    wait_for_downloads(session, wait_until)
    row = next(r for r in rows if r["fileName"] == files[0].name())
    [path] = list(session.context.settings.download_folder.rglob(files[0].name()))
    assert md5(path) == row["md5"].lower()


def test_a_locked_key_waits_for_a_double_click(with_key, auth_db, wait_until):
    session = with_key
    auth_db.clearMasterPassword()  # a new QGIS session: the key is stored but locked
    packages = child(root_of(session), "Data packages")
    [locked] = packages.createChildren()  # populating never asks for the master password
    assert isinstance(locked, LockedItem)
    # On the double-click QGIS asks for the master password; here the test gives it.
    assert auth_db.setMasterPassword("test-master-password", True)
    assert locked.handleDoubleClick()
    wait_until(lambda: packages.state() == Qgis.BrowserItemState.Populated
               and any("0040046952" in c.name() for c in packages.children()),
               what="the packages after unlocking")


@pytest.fixture()
def plugin(iface, os_api, monkeypatch, tmp_path, auth_db):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    instance = importlib.import_module("os_data_hub_loader").classFactory(iface)
    instance.initGui()
    instance.context.settings.download_folder = tmp_path / "downloads"
    yield instance
    if instance.toggle_action is not None:
        instance.unload()
    QgsProject.instance().removeAllMapLayers()


def test_the_plugin_registers_the_browser_root_and_drop_handler(plugin, iface):
    registry = QgsApplication.dataItemProviderRegistry()
    assert registry.provider("OS Data Hub") is not None
    assert plugin.browser.drop_handler in iface.customDropHandlers()
    plugin.unload()
    assert registry.provider("OS Data Hub") is None
    assert iface.customDropHandlers() == []


def test_open_in_panel_shows_the_dock_on_the_product(plugin, wait_until):
    session = plugin.browser.session
    root = plugin.browser.provider.createDataItem("", None)
    product = child(child(root, "OpenData"), "OS Open Greenspace")
    action(product, "Open in OS Data Hub panel").trigger()
    assert not plugin.dock.isHidden()
    assert plugin.dock.tabs.currentWidget() is plugin.dock.opendata
    wait_until(lambda: plugin.dock.opendata.current is not None
               and plugin.dock.opendata.current.id == "OpenGreenspace",
               what="the product selected in the panel")
    assert session.dock() is plugin.dock


def test_open_in_panel_shows_the_dock_on_the_data_package(plugin, wait_until):
    assert CredentialStore().save(Credentials(DEMO_KEY))
    root = plugin.browser.provider.createDataItem("", None)
    packages = child(root, "Data packages")
    package = child(packages, "Topography Southampton (0040154231)")
    action(package, "Open in OS Data Hub panel").trigger()
    assert not plugin.dock.isHidden()
    assert plugin.dock.tabs.currentWidget() is plugin.dock.packages
    wait_until(lambda: plugin.dock.packages.package is not None
               and plugin.dock.packages.package.id == "0040154231",
               what="the package selected in the panel")
    action(packages, "Open in OS Data Hub panel").trigger()
    assert plugin.dock.tabs.currentWidget() is plugin.dock.packages
