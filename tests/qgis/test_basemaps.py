"""OS Maps basemaps in real QGIS against the local OS API server: each of the seven WMTS layers
added and rendered, the key kept out of saved .qgs/.qgz projects and put back on reading,
premium zoom levels limited for a key without a premium plan."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from os_data_hub_loader.api.wmts import (
    PREMIUM_AVAILABLE,
    PREMIUM_UNAVAILABLE,
    PREMIUM_UNKNOWN,
    open_max_zoom,
    parse_capabilities,
    premium_zoom_from,
)
from os_data_hub_loader.core.basemap_layers import (
    OPEN_LEVELS_PROPERTY,
    add_basemap,
    canvas_dpi,
    default_layer,
    layer_name,
    layer_uri,
    open_scale_limit,
    strip_key,
)
from os_data_hub_loader.core.compat import HAS_API_HEADER_AUTH
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.key_guard import ProjectKeyGuard
from os_data_hub_loader.core.settings import PluginSettings
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QSize, Qt, QTimer
from qgis.PyQt.QtGui import QColor
from testsupport import wait_until

local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
PREMIUM_KEY: str = local_os_api.PREMIUM_KEY
SEVEN = [
    "Road_27700", "Outdoor_27700", "Light_27700", "Leisure_27700",
    "Road_3857", "Outdoor_3857", "Light_3857",
]
# Southampton: British National Grid and Web Mercator centres.
CENTRES = {"EPSG:27700": (442_000.0, 112_000.0), "EPSG:3857": (-156_300.0, 6_604_400.0)}


@pytest.fixture(scope="module")
def capabilities(recordings: Path):
    return parse_capabilities((recordings / "wmts_getcapabilities_2020-10.xml").read_bytes())


@pytest.fixture()
def project():
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


@pytest.fixture()
def store(os_api, monkeypatch, auth_db):
    """A CredentialStore in the test profile's auth DB (unlocked by `auth_db`, no key stored),
    the plugin pointed at the local server."""
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    credentials = CredentialStore()
    yield credentials
    credentials.forget()


def save_key(store: CredentialStore, key: str) -> None:
    assert store.save(Credentials(key))


def render(layers, crs: str, half_width: float, size: int = 256, dpi: float = 96.0,
           centre: tuple[float, float] | None = None):
    """Render `layers` around Southampton (or `centre`); returns (image, settings, errors)."""
    x, y = centre or CENTRES[crs]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    settings.setOutputSize(QSize(size, size))
    settings.setOutputDpi(dpi)
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    settings.setExtent(QgsRectangle(x - half_width, y - half_width, x + half_width, y + half_width))
    job = QgsMapRendererParallelJob(settings)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    job.start()
    loop.exec()
    assert not job.isActive(), "the render did not finish"
    return job.renderedImage(), settings, [e.message for e in job.errors()]


def colours(image) -> set[int]:
    """Every pixel's colour (a one-pixel grid line counts: QGIS 3.44 draws it a pixel away from
    where 3.22 does)."""
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def not_blank(image) -> bool:
    """Drawn everywhere (no transparent pixel) and not a single flat colour."""
    found = colours(image)
    return len(found) >= 2 and QColor(0, 0, 0, 0).rgba() not in found


def tile_requests(os_api, layer_id: str | None = None) -> list[Any]:
    return [
        r for r in os_api.requests
        if r.path == "/maps/raster/v1/wmts" and "GetTile" in r.query
        and (layer_id is None or f"LAYER={layer_id}&" in r.query)
    ]


def sent_key(request) -> str | None:
    """The key a request carried: in its query on QGIS 3.22, as the `key` header of the
    API-header auth configuration from QGIS 3.24 on."""
    for name, value in request.headers.items():
        if name.lower() == "key":
            return value
    match = re.search(r"(?:^|&)key=([^&]*)", request.query)
    return unquote(match.group(1)) if match else None


def holds_key(layer, key: str = DEMO_KEY) -> bool:
    """How the loaded layer sends the key: in its URL on 3.22, through its auth configuration
    (never in the source) from 3.24 on."""
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    if HAS_API_HEADER_AUTH:
        return key not in layer.source() and bool(uri.authConfigId())
    return key in uri.param("url") and not uri.authConfigId()


def levels(requests) -> set[int]:
    found = set()
    for request in requests:
        match = re.search(r"TILEMATRIX=[^&]*?(\d+)(&|$)", request.query)
        if match:
            found.add(int(match.group(1)))
    return found


def add(capabilities, layer_id: str, store: CredentialStore, premium: str = PREMIUM_UNAVAILABLE):
    layer = capabilities.layer(layer_id)
    added = add_basemap(capabilities, layer, base_url=PluginSettings().base_url,
                        credentials=store, premium=premium)
    assert added is not None and added.isValid(), layer_id
    return added


# ----- sources and names ------------------------------------------------------------------------


def test_layer_uri_and_name(capabilities):
    layer = capabilities.layer("Road_27700")
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer_uri(layer, "https://api.os.uk", key="ab c"))
    assert uri.param("layers") == "Road_27700"
    assert uri.param("styles") == "default"
    assert uri.param("format") == "image/png"
    assert uri.param("tileMatrixSet") == "EPSG:27700"
    assert uri.param("crs") == "EPSG:27700"
    assert uri.param("url") == "https://api.os.uk/maps/raster/v1/wmts?key=ab+c"
    assert "url=https://api.os.uk/maps/raster/v1/wmts?key%3D" in layer_uri(
        layer, "https://api.os.uk", key="abc")
    with_auth = layer_uri(layer, "https://api.os.uk", key=None, authcfg="abc1234")
    assert "authcfg=abc1234" in with_auth and "key" not in with_auth
    assert layer_name(layer) == "OS Maps – Road (British National Grid)"
    assert layer_name(capabilities.layer("Light_3857")) == "OS Maps – Light (Web Mercator)"


def test_default_layer_follows_the_project_crs(capabilities, project):
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    assert default_layer(capabilities, project).id == "Road_27700"
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    assert default_layer(capabilities, project).id == "Road_3857"
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    assert default_layer(capabilities, project).id == "Road_3857"


def test_strip_key_only_touches_os_maps_sources(capabilities):
    layer = capabilities.layer("Outdoor_3857")
    base = "http://127.0.0.1:8123"
    source = layer_uri(layer, base, key="secret-1")
    stripped = strip_key(source, (base,))
    assert "secret-1" not in stripped and "key" not in stripped.replace("Key", "")
    uri = QgsDataSourceUri()
    uri.setEncodedUri(stripped)
    assert uri.param("url") == base + "/maps/raster/v1/wmts"
    assert uri.param("layers") == "Outdoor_3857"
    other = "crs=EPSG:3857&format=image/png&layers=x&styles=&url=https://example.com/wms?key%3Dk"
    assert strip_key(other, (base,)) == other
    assert strip_key("/home/user/data/maps/raster/file.tif", (base,)).endswith("file.tif")
    assert strip_key(source, ("https://elsewhere.example",)) == source


# ----- the seven layers, rendered ---------------------------------------------------------------


@pytest.mark.parametrize("layer_id", SEVEN)
def test_each_layer_is_added_and_renders(layer_id, capabilities, store, os_api, project):
    save_key(store, DEMO_KEY)
    project.setCrs(QgsCoordinateReferenceSystem(capabilities.layer(layer_id).crs))
    os_api.clear_requests()
    added = add(capabilities, layer_id, store)
    assert added.providerType() == "wms"
    assert added.name() == layer_name(capabilities.layer(layer_id))
    uri = QgsDataSourceUri()
    uri.setEncodedUri(added.source())
    assert (uri.param("layers"), uri.param("tileMatrixSet")) == (
        layer_id, capabilities.layer(layer_id).tile_matrix_set)
    metadata = added.metadata()
    assert metadata.rights()[0].startswith("Contains OS data © Crown copyright")
    assert "premium" in metadata.abstract()
    crs = capabilities.layer(layer_id).crs
    # About 1:100 000 at 96 dpi for BNG layers; Leisure and Web Mercator at their open levels.
    image, settings, errors = render([added], crs, 3_500.0)
    assert errors == []
    tiles = tile_requests(os_api, layer_id)
    assert tiles, "no GetTile request reached the server"
    assert all(sent_key(r) == DEMO_KEY for r in tiles)
    assert holds_key(added)
    assert len(colours(image)) >= 3, "the map image is blank"
    assert max(levels(tiles)) < premium_zoom_from(capabilities.layer(layer_id))


def test_added_at_the_bottom_of_the_layer_tree(capabilities, store, project):
    save_key(store, DEMO_KEY)
    first = add(capabilities, "Road_27700", store)
    other = QgsRasterLayer(layer_uri(capabilities.layer("Light_27700"), PluginSettings().base_url,
                                     key=DEMO_KEY), "on top", "wms")
    project.addMapLayer(other)  # QGIS puts it at the top
    second = add(capabilities, "Outdoor_27700", store)
    order = [node.layerId() for node in project.layerTreeRoot().findLayers()]
    assert order == [other.id(), first.id(), second.id()]


# ----- the key never lands in a saved project ---------------------------------------------------


@pytest.fixture()
def guard(store):
    told: list[str] = []
    guard = ProjectKeyGuard(PluginSettings(), store, on_missing_key=lambda: told.append("told"))
    guard.install()
    guard.told = told
    yield guard
    guard.uninstall()


@pytest.mark.parametrize("suffix", [".qgs", ".qgz"])
def test_saved_project_has_no_key_and_renders_when_read_again(
    suffix, capabilities, store, guard, os_api, project, tmp_path
):
    save_key(store, DEMO_KEY)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    road = add(capabilities, "Road_27700", store)
    web = add(capabilities, "Light_3857", store)
    assert holds_key(road)  # QGIS 3.22: the key is in the url while loaded; later: authcfg
    path = tmp_path / f"basemaps{suffix}"
    assert project.write(str(path))
    assert holds_key(road), "writing must not change the loaded layer"
    texts = scan(path)
    assert texts and all(DEMO_KEY not in text for text in texts.values())
    assert all("key%3D" not in text and "key=" not in text for text in texts.values())
    project_text = next(t for name, t in texts.items() if name.endswith(".qgs"))
    assert "/maps/raster/v1/wmts" in project_text and "Road_27700" in project_text
    names, rights = {road.name(), web.name()}, road.metadata().rights()
    road_name = road.name()

    project.clear()
    os_api.clear_requests()
    assert project.read(str(path))
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    assert set(layers) == names
    assert all(layer.isValid() for layer in layers.values())
    assert all(holds_key(layer) for layer in layers.values())
    capabilities_requests = [r for r in os_api.requests if "GetCapabilities" in r.query]
    assert capabilities_requests and all(sent_key(r) == DEMO_KEY
                                         for r in capabilities_requests)
    reopened = layers[road_name]
    image, _settings, errors = render([reopened], "EPSG:27700", 3_500.0)
    assert errors == [] and len(colours(image)) >= 3
    assert reopened.metadata().rights() == rights
    assert guard.told == []


def scan(path: Path) -> dict[str, str]:
    """Every file of the saved project as text (a .qgz unzipped)."""
    if path.suffix == ".qgz":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()}
    return {path.name: path.read_text(encoding="utf-8")}


def test_project_read_without_a_stored_key_says_what_to_do(
    capabilities, store, guard, project, tmp_path
):
    save_key(store, DEMO_KEY)
    add(capabilities, "Road_27700", store)
    path = tmp_path / "shared.qgz"
    assert project.write(str(path))
    project.clear()
    store.forget()
    assert project.read(str(path))
    wait_until(lambda: guard.told, what="the missing-key message")
    QCoreApplication.processEvents()
    assert guard.told == ["told"]  # once per read, not once per layer
    (layer,) = project.mapLayers().values()
    assert DEMO_KEY not in layer.source()


def fetch_cacheable(tmp_path: Path) -> None:
    """Ask QGIS's network access manager for a cacheable response from a server on 127.0.0.1:
    a control for the scans of QGIS's network disk cache."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from qgis.core import QgsNetworkAccessManager
    from qgis.PyQt.QtCore import QUrl
    from qgis.PyQt.QtNetwork import QNetworkRequest

    class Cacheable(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"cacheable-control"
            self.send_response(200)
            self.send_header("Content-Type", "image/png")  # Qt compresses text in its cache
            self.send_header("Cache-Control", "max-age=86400")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Cacheable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        request = QNetworkRequest(QUrl(f"http://127.0.0.1:{server.server_port}/control.txt"))
        reply = QgsNetworkAccessManager.instance().blockingGet(request)
        assert bytes(reply.content()) == b"cacheable-control"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def as_saved_by(path: Path, version: str) -> None:
    """Rewrite the OS Maps sources of the saved .qgs as the other QGIS would have saved them:
    "3.22" without a key or an auth configuration; "3.44" with the id of an auth configuration
    (this profile's database does not hold it: the project comes from another machine)."""
    def rewrite(match: re.Match) -> str:
        source = html.unescape(match.group(1))
        if "/maps/raster/v1/wmts" not in source:
            return match.group(0)
        uri = QgsDataSourceUri()
        uri.setEncodedUri(source)
        assert DEMO_KEY not in source
        uri.setAuthConfigId("" if version == "3.22" else "gone123")
        written = html.escape(bytes(uri.encodedUri()).decode("utf-8"), quote=False)
        return f"<datasource>{written}</datasource>"

    text = path.read_text(encoding="utf-8")
    rewritten, count = re.subn(r"<datasource>(.*?)</datasource>", rewrite, text)
    assert count and rewritten != text or version == "3.22" and not HAS_API_HEADER_AUTH
    path.write_text(rewritten, encoding="utf-8")


@pytest.mark.parametrize(("saved_by", "centre"), [("3.22", (451_000.0, 206_000.0)),
                                                  ("3.44", (545_000.0, 258_000.0))])
def test_a_project_saved_by_another_qgis_version_opens_with_a_working_basemap(
    saved_by, centre, capabilities, store, guard, os_api, project, tmp_path
):
    """3.22 keeps the key in the URL and saves it without; 3.24 and later save the id of an
    auth configuration. Either project opens on this version with the key sent its way."""
    save_key(store, DEMO_KEY)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    add(capabilities, "Road_27700", store)
    path = tmp_path / f"from-{saved_by}.qgs"
    assert project.write(str(path))
    as_saved_by(path, saved_by)
    project.clear()
    os_api.clear_requests()
    assert project.read(str(path))
    (layer,) = project.mapLayers().values()
    assert layer.isValid() and holds_key(layer)
    assert "gone123" not in layer.source()
    # Oxford and Cambridge: tiles no other test has drawn (QGIS keeps drawn tiles in memory).
    image, _settings, errors = render([layer], "EPSG:27700", 3_500.0, centre=centre)
    assert errors == [] and not_blank(image)
    tiles = tile_requests(os_api, "Road_27700")
    assert tiles and all(sent_key(r) == DEMO_KEY for r in tiles)
    assert guard.told == []


def test_other_sources_pass_the_hooks_unchanged(guard, tmp_path, project):
    assert guard.write("/data/file.gpkg|layername=x") == "/data/file.gpkg|layername=x"
    assert guard.read("/data/file.gpkg|layername=x") == "/data/file.gpkg|layername=x"
    source = "contextualWMSLegend=0&crs=EPSG:3857&layers=a&styles=&url=https://x.org/wms?key%3Dk"
    assert guard.write(source) == source and guard.read(source) == source


def test_hooks_are_removed_by_uninstall(capabilities, store, project, tmp_path):
    save_key(store, DEMO_KEY)
    guard = ProjectKeyGuard(PluginSettings(), store)
    guard.install()
    # A source with the key in its url (QGIS 3.22's form, on every version).
    project.addMapLayer(QgsRasterLayer(layer_uri(capabilities.layer("Road_27700"),
                                                 PluginSettings().base_url, key=DEMO_KEY),
                                       "keyed", "wms"))
    guard.uninstall()
    assert not guard.installed
    path = tmp_path / "no-hooks.qgs"
    assert project.write(str(path))
    assert DEMO_KEY in path.read_text(encoding="utf-8")  # proves the writer is gone
    path.unlink()


# ----- premium zoom levels ----------------------------------------------------------------------


def test_open_scale_limit_matches_the_tile_matrices(capabilities):
    road = open_scale_limit(capabilities, capabilities.layer("Road_27700"))
    # Level 9 is 1.75 m/px, level 10 0.875 m/px: QGIS switches at 1.3125 m/px (1:4961 at 96 dpi).
    assert 4961 < road < 5600
    leisure = open_scale_limit(capabilities, capabilities.layer("Leisure_27700"))
    assert 79_370 < leisure < 90_000  # levels 5 (28 m/px) and 6 (14 m/px)
    web = open_scale_limit(capabilities, capabilities.layer("Road_3857"))
    assert 6771 < web < 7700  # levels 16 and 17


@pytest.mark.parametrize("layer_id", ["Road_27700", "Leisure_27700", "Outdoor_3857"])
def test_without_premium_the_layer_stops_at_the_open_levels(
    layer_id, capabilities, store, os_api, project
):
    save_key(store, DEMO_KEY)
    layer = capabilities.layer(layer_id)
    added = add(capabilities, layer_id, store, premium=PREMIUM_UNAVAILABLE)
    limit = open_scale_limit(capabilities, layer)
    assert added.hasScaleBasedVisibility() and added.maximumScale() == pytest.approx(limit)
    assert added.customProperty(OPEN_LEVELS_PROPERTY) == open_max_zoom(layer)
    assert "no OS Maps premium plan" in added.metadata().abstract()
    first_premium = premium_zoom_from(layer)
    # Just above the limit: tiles of the last open level, never a premium one.
    os_api.clear_requests()
    half = half_width_for_scale(limit * 1.02, layer.crs)
    image, settings, errors = render([added], layer.crs, half)
    assert settings.scale() > limit
    assert errors == [] and len(colours(image)) >= 3
    assert levels(tile_requests(os_api, layer_id)) <= {first_premium - 1}
    # Zoomed in further: not drawn at all (no broken tiles), and nothing asked for.
    os_api.clear_requests()
    image, settings, errors = render([added], layer.crs, half / 3)
    assert settings.scale() < limit
    assert tile_requests(os_api, layer_id) == []
    assert colours(image) == {QColor(0, 0, 0, 0).rgba()}


def test_without_the_limit_a_demo_key_gets_broken_tiles(capabilities, store, os_api, project):
    """What the limit prevents: the premium level is asked for and refused (blank map)."""
    save_key(store, DEMO_KEY)
    added = add(capabilities, "Road_27700", store, premium=PREMIUM_AVAILABLE)
    assert not added.hasScaleBasedVisibility()
    os_api.clear_requests()
    image, _settings, _errors = render([added], "EPSG:27700", 120.0)
    assert levels(tile_requests(os_api, "Road_27700")) == {10}
    assert len(colours(image)) == 1


def test_premium_key_gets_every_level(capabilities, store, os_api, project):
    save_key(store, PREMIUM_KEY)
    added = add(capabilities, "Road_27700", store, premium=PREMIUM_AVAILABLE)
    assert not added.hasScaleBasedVisibility()
    assert "Premium zoom levels are available" in added.metadata().abstract()
    os_api.clear_requests()
    image, _settings, errors = render([added], "EPSG:27700", 30.0)
    assert errors == [] and not_blank(image)
    assert levels(tile_requests(os_api, "Road_27700")) == {12}


def test_unknown_plan_assumes_open_levels_and_says_so(capabilities, store, project):
    save_key(store, DEMO_KEY)
    added = add(capabilities, "Light_3857", store, premium=PREMIUM_UNKNOWN)
    assert added.hasScaleBasedVisibility()
    assert "not known, so open levels only are assumed" in added.metadata().abstract()


def half_width_for_scale(scale: float, crs: str, size: int = 256, dpi: float = 96.0) -> float:
    """Half the extent width (map units = metres) giving `scale` on a size-pixel image."""
    return scale * 0.0254 / dpi * size / 2


# ----- the Basemaps tab, the toolbar action and the plugin's hooks ------------------------------


def messages(iface, level) -> list[str]:
    return list(iface.messageBar().get_messages(level))


@pytest.fixture()
def clean_cache(store):
    """No capabilities or previews saved by an earlier test."""
    import shutil

    from os_data_hub_loader.core import cache

    shutil.rmtree(cache.cache_dir(), ignore_errors=True)
    yield


@pytest.fixture()
def tab(store, clean_cache, iface, project):
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.basemaps_tab import BasemapsTab

    tasks = TaskRegistry()
    widget = BasemapsTab(ApiContext(credentials=store), tasks, iface)
    widget.resize(500, 700)
    yield widget
    widget.close_down()
    tasks.cancel_all()


def test_tab_without_a_key_explains_how_to_add_one(tab, os_api):
    os_api.clear_requests()
    tab.ensure_loaded()
    assert not tab.no_key.isHidden()
    assert "OS Data Hub API key" in tab.no_key.text()
    assert "Settings → Options → OS Data Hub" in tab.no_key.text()
    assert not tab.add_button.isEnabled() and tab.tree.topLevelItemCount() == 0
    assert [r for r in os_api.requests if r.path.startswith("/maps/")] == []


def test_tab_lists_layers_with_previews_and_adds_the_selected_one(
    tab, store, os_api, iface, project
):
    save_key(store, DEMO_KEY)
    os_api.clear_requests()
    tab.ensure_loaded()
    wait_until(lambda: tab.tree.topLevelItemCount() == 7 and not tab.service.busy,
               what="the OS Maps layers")
    assert tab.no_key.isHidden() and tab.add_button.isEnabled()
    rows = {tab.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1): [
        tab.tree.topLevelItem(i).text(c) for c in range(3)] for i in range(7)}
    assert rows["Road_27700"] == ["Road", "British National Grid", "0–13 (premium from 10)"]
    assert rows["Leisure_27700"][2] == "0–9 (premium from 6)"
    assert rows["Light_3857"][:2] == ["Light", "Web Mercator"]
    tooltips = {tab.tree.topLevelItem(i).toolTip(1) for i in range(7)}
    assert tooltips == {"EPSG:27700", "EPSG:3857"}
    wait_until(lambda: all(not tab.tree.topLevelItem(i).icon(0).isNull() for i in range(7)),
               what="the preview tiles")
    assert tab.tree.topLevelItem(0).toolTip(2) == tab.tree.topLevelItem(0).text(2)
    tab.resize(380, 700)
    tab.show()
    wait_until(lambda: sum(tab.tree.header().sectionSize(c) for c in range(3))
               <= tab.tree.viewport().width(), what="the columns fitted, no sideways scrolling")
    assert tab.tree.header().sectionSize(0) >= tab.tree.iconSize().width()
    tab.hide()
    previews = [r for r in tile_requests(os_api) if "tilematrix=" in r.query.lower()]
    assert len(previews) >= 7
    assert tab.service.premium == PREMIUM_UNAVAILABLE
    assert "no OS Maps premium plan" in tab.premium.text()
    assert "Default for this project: OS Maps – Road (Web Mercator)" in tab.hint.text()

    assert tab.select("Leisure_27700")
    tab.add_button.click()
    (added,) = project.mapLayers().values()
    assert added.name() == "OS Maps – Leisure (British National Grid)"
    assert added.hasScaleBasedVisibility()
    assert any("Leisure" in m and "zoom level 5" in m
               for m in messages(iface, Qgis.MessageLevel.Success))
    levels = (Qgis.MessageLevel.Info, Qgis.MessageLevel.Success, Qgis.MessageLevel.Warning)
    assert all(DEMO_KEY not in m for level in levels for m in messages(iface, level))


def test_capabilities_are_cached_without_the_key(tab, store, os_api):
    from os_data_hub_loader.core import cache

    save_key(store, DEMO_KEY)
    tab.ensure_loaded()
    wait_until(lambda: tab.tree.topLevelItemCount() == 7 and not tab.service.busy,
               what="the OS Maps layers")
    wait_until(lambda: not tab.service.loading_previews, what="the previews")
    files = [p for p in cache.cache_dir().rglob("*") if p.is_file()]
    assert files
    assert all(DEMO_KEY.encode() not in p.read_bytes() for p in files)
    # A new tab shows the saved list at once, before any answer from the server.
    from os_data_hub_loader.api.http import RetryPolicy
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.basemaps_tab import BasemapsTab

    tasks = TaskRegistry()
    context = ApiContext(credentials=store)
    context.retry = RetryPolicy(attempts=2, base_delay=0.02, max_delay=0.05)
    second = BasemapsTab(context, tasks, tab.iface)
    try:
        os_api.faults.fail_next(503, times=100)
        second.ensure_loaded()
        assert second.tree.topLevelItemCount() == 7
        wait_until(lambda: not second.service.busy, timeout=60, what="the failed refresh")
        assert "Showing the saved list" in second.status.text()
    finally:
        os_api.faults.reset()
        second.close_down()
        tasks.cancel_all()


@pytest.fixture()
def plugin(iface, store, clean_cache, project):
    import importlib

    instance = importlib.import_module("os_data_hub_loader").classFactory(iface)
    instance.initGui()
    yield instance
    if instance.toggle_action is not None:
        instance.unload()


def test_toolbar_action_adds_the_default_basemap(plugin, iface, store, os_api, project):
    from os_data_hub_loader.core.compat import QAction

    action = iface.mainWindow().findChild(QAction, "OSDataHubLoaderAddBasemap")
    assert action is not None and action in iface.webToolBar().actions()
    assert action.text() == "Add OS basemap"
    action.trigger()  # no key yet: says how to add one
    assert any("OS Data Hub API key" in m for m in messages(iface, Qgis.MessageLevel.Warning))
    assert project.mapLayers() == {}

    save_key(store, PREMIUM_KEY)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    action.trigger()
    wait_until(lambda: project.mapLayers(), what="the default basemap")
    (added,) = project.mapLayers().values()
    assert added.name() == "OS Maps – Road (British National Grid)"
    assert not added.hasScaleBasedVisibility()  # the premium key was recognised
    assert "Premium zoom levels are available" in added.metadata().abstract()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    action.trigger()
    wait_until(lambda: len(project.mapLayers()) == 2, what="the second basemap")
    names = [node.name() for node in project.layerTreeRoot().findLayers()]
    assert names == ["OS Maps – Road (British National Grid)", "OS Maps – Road (Web Mercator)"]


def test_plugin_hooks_keep_the_key_out_and_are_removed_on_unload(
    plugin, iface, store, capabilities, project, tmp_path
):
    save_key(store, DEMO_KEY)
    add(capabilities, "Road_27700", store)
    with_plugin = tmp_path / "with-plugin.qgz"
    assert project.write(str(with_plugin))
    assert all(DEMO_KEY not in text for text in scan(with_plugin).values())
    guard = plugin.basemap_actions.guard
    plugin.unload()
    assert not guard.installed
    assert iface.webToolBar().actions() == []
    without = tmp_path / "without-plugin.qgs"
    assert project.write(str(without))
    # The writer hook is gone, and the live layers lost their key with it: still none saved.
    assert DEMO_KEY not in without.read_text(encoding="utf-8")
    without.unlink()


def test_plugin_tells_when_a_project_needs_a_key(plugin, iface, store, capabilities, project,
                                                 tmp_path):
    save_key(store, DEMO_KEY)
    add(capabilities, "Road_27700", store)
    add(capabilities, "Road_3857", store)
    path = tmp_path / "shared.qgs"
    assert project.write(str(path))
    project.clear()
    store.forget()
    assert project.read(str(path))
    wait_until(lambda: any("no OS Data Hub API key is stored" in m
                           for m in messages(iface, Qgis.MessageLevel.Warning)), what="the message")
    QCoreApplication.processEvents()
    told = [m for m in messages(iface, Qgis.MessageLevel.Warning)
            if "no OS Data Hub API key is stored" in m]
    assert len(told) == 1 and "Settings → Options → OS Data Hub" in told[0]


def test_zoom_limit_notice_is_shown_once(plugin, iface, store, capabilities, project):
    save_key(store, DEMO_KEY)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    added = add(capabilities, "Road_27700", store, premium=PREMIUM_UNAVAILABLE)
    notice = plugin.basemap_actions.notice
    notice.check(added.maximumScale() * 2)
    assert not any("stops at zoom level" in m for m in messages(iface, Qgis.MessageLevel.Info))
    notice.check(added.maximumScale() / 2)
    notice.check(added.maximumScale() / 4)
    told = [m for m in messages(iface, Qgis.MessageLevel.Info) if "stops at zoom level 9" in m]
    assert len(told) == 1 and "premium plan" in told[0]


def test_the_key_is_in_no_log_message(capabilities, store, guard, os_api, project, tmp_path):
    """Adding, limiting, rendering, saving and reading again log nothing with the key."""
    from qgis.core import QgsApplication, QgsMessageLog

    logged: list[str] = []

    def collect(message, tag, _level):
        logged.append(f"{tag} {message}")

    QgsApplication.messageLog().messageReceived.connect(collect)
    try:
        save_key(store, DEMO_KEY)
        added = add(capabilities, "Outdoor_27700", store, premium=PREMIUM_UNKNOWN)
        render([added], "EPSG:27700", half_width_for_scale(added.maximumScale() / 3,
                                                           "EPSG:27700"))
        render([added], "EPSG:27700", 3_500.0)
        path = tmp_path / "logged.qgz"
        assert project.write(str(path))
        project.clear()
        assert project.read(str(path))
        QgsMessageLog.logMessage("end of the scan", "test")
        QCoreApplication.processEvents()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
    assert logged and all(DEMO_KEY not in text for text in logged)


@pytest.mark.skipif(not HAS_API_HEADER_AUTH, reason="QGIS 3.22 has no API-header auth method, "
                    "so the key is in the layer URL there; `make test QGIS=3.44` runs this")
def test_with_header_auth_the_key_is_in_no_source_log_cache_or_project(
    capabilities, store, guard, os_api, project, tmp_path
):
    """QGIS >= 3.24: the key goes as a header from an auth configuration, so it is in no layer
    source, no QGIS log line, no file of QGIS's network disk cache, no saved .qgs or .qgz."""
    from qgis.core import QgsApplication, QgsMessageLog, QgsNetworkAccessManager, QgsSettings

    logged: list[str] = []

    def collect(message, tag, _level):
        logged.append(f"{tag} {message}")

    # QGIS's network disk cache as the desktop sets it up, in a folder of this test's: every
    # thread's network access manager shares it.
    settings = QgsSettings()
    kept_folder = settings.value("cache/directory")
    folder = tmp_path / "network-cache"
    settings.setValue("cache/directory", str(folder))
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    QgsApplication.messageLog().messageReceived.connect(collect)
    try:
        save_key(store, DEMO_KEY)
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
        os_api.clear_requests()
        layers = [add(capabilities, "Light_27700", store), add(capabilities, "Road_3857", store)]
        render(layers[:1], "EPSG:27700", 3_500.0, centre=(358_000.0, 173_000.0))  # Bristol
        written = [tmp_path / "header.qgs", tmp_path / "header.qgz"]
        for path in written:
            assert project.write(str(path))
        sources = [layer.source() for layer in layers]
        project.clear()
        assert project.read(str(written[1]))
        reread = list(project.mapLayers().values())
        sources += [layer.source() for layer in reread]
        render(reread, "EPSG:27700", 3_500.0, centre=(359_000.0, 174_000.0))
        QgsMessageLog.logMessage("end of the scan", "test")
        QCoreApplication.processEvents()
        fetch_cacheable(tmp_path)  # the cache works: what is not OS Maps lands in it
        cached = [p for p in folder.rglob("*") if p.is_file()]
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
        if kept_folder is None:
            settings.remove("cache/directory")
        else:
            settings.setValue("cache/directory", kept_folder)
        QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    sent = [r for r in os_api.requests if r.path == "/maps/raster/v1/wmts"]
    assert sent and all(sent_key(r) == DEMO_KEY and "key=" not in r.query.lower() for r in sent)
    assert len(reread) == 2 and all(layer.isValid() for layer in reread)
    assert all(DEMO_KEY not in source and "authcfg=" in source for source in sources)
    assert logged and all(DEMO_KEY not in text for text in logged)
    for path in written:
        assert all(DEMO_KEY not in text for text in scan(path).values()), path
    assert any(b"cacheable-control" in p.read_bytes() for p in cached), \
        "the control response is not in QGIS's network cache: the scan would prove nothing"
    assert [p for p in cached if DEMO_KEY.encode() in p.read_bytes()] == []


def test_the_limit_follows_the_drawing_dpi(capabilities, store, os_api, project, iface):
    """A map drawn at 300 dpi (a HiDPI canvas, say) picks finer tiles at the same scale: the
    limit is worked out for the dpi given, and then holds at that dpi too."""
    save_key(store, DEMO_KEY)
    layer = capabilities.layer("Road_27700")
    added = add_basemap(capabilities, layer, base_url=PluginSettings().base_url,
                        credentials=store, premium=PREMIUM_UNAVAILABLE, dpi=300.0)
    limit = added.maximumScale()
    assert limit == pytest.approx(open_scale_limit(capabilities, layer) * 300 / 96)
    os_api.clear_requests()
    half = limit * 1.02 * 0.0254 / 300 * 256 / 2
    # Winchester: tiles no other test has drawn (QGIS keeps drawn tiles in memory).
    image, settings, errors = render([added], "EPSG:27700", half, dpi=300.0,
                                     centre=(448_000.0, 129_500.0))
    assert settings.scale() > limit and errors == [] and not_blank(image)
    assert levels(tile_requests(os_api, "Road_27700")) == {9}
    assert canvas_dpi(None) == 96.0
    assert canvas_dpi(iface.mapCanvas()) > 0


def test_keys_stay_out_of_projects_after_the_api_address_changes_and_on_unload(
        auth_db, os_api, monkeypatch, tmp_path):
    from os_data_hub_loader.api.wmts import MapsClient

    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    store = CredentialStore()
    store.save(Credentials(DEMO_KEY))
    guard = ProjectKeyGuard(PluginSettings(), store)
    guard.install()
    try:
        with MapsClient(os_api.url, key=DEMO_KEY) as client:
            caps = client.capabilities()
        layer = add_basemap(caps, caps.layers[0], base_url=os_api.url, credentials=store)
        assert holds_key(layer)
        # The address changes (the demo server is gone): the old layer's key still stays out.
        monkeypatch.setenv("OS_API_BASE_URL", "https://api.os.uk")
        path = tmp_path / "changed.qgs"
        assert QgsProject.instance().write(str(path))
        assert DEMO_KEY not in path.read_text(encoding="utf-8")
        # The plugin unloads: the live layer loses its key, so a later save cannot write it.
        guard.strip_live_layers()
        assert DEMO_KEY not in layer.source()
        monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
        guard.restore_live_layers()  # enabled again
        assert holds_key(layer)
    finally:
        guard.uninstall()
        QgsProject.instance().removeAllMapLayers()
