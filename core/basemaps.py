"""OS Maps basemaps in QGIS: WMTS layers of the `wms` provider, their capabilities (cached on
disk, refreshed in a background task), premium zoom levels, and the project hooks that keep the
API key out of saved projects.

QGIS 3.22 cannot send the key as a header to a WMS/WMTS server (no API-header auth method before
3.24, and the provider ignores `http-header:`), so the key sits in the layer's `url`; the
capabilities echo it into the GetTile hrefs. `ProjectKeyGuard` strips it from OS Maps sources
when a project is written and puts it back from the authentication database when one is read.
On QGIS >= 3.24 the layers use an API-header auth configuration instead and carry no key.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from qgis.core import (
    QgsDataProvider,
    QgsDataSourceUri,
    QgsNetworkAccessManager,
    QgsPathResolver,
    QgsProject,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..api.cancel import CancelToken
from ..api.errors import OSAPIError
from ..api.transport import url_origin
from ..api.wmts import (
    PREMIUM_AVAILABLE,
    PREMIUM_UNAVAILABLE,
    PREMIUM_UNKNOWN,
    Capabilities,
    MapsClient,
    WmtsLayer,
    open_max_zoom,
    premium_zoom_from,
    wmts_url,
)
from . import cache
from .compat import HAS_API_HEADER_AUTH
from .context import ApiContext
from .credentials import CredentialStore
from .i18n import tr, translated
from .layer_loader import attribution_for, set_attribution
from .network import qgis_http_settings
from .settings import DEFAULT_BASE_URL, PluginSettings
from .tasks import ApiTask, TaskRegistry, cancel_task

MAPS_PATH_PREFIX = "/maps/raster/"
CACHE_NAME = "os_maps_capabilities"
# Custom layer property: the last open zoom level of a layer limited to open levels.
OPEN_LEVELS_PROPERTY = "os_data_hub_loader/open_max_zoom"
OS_MAPS_PROPERTY = "os_data_hub_loader/os_maps_layer"

# The scale a zoom limit is worked out for: QGIS's map canvas renders at 96 dpi on most screens.
SCREEN_DPI = 96.0
INCH_METRES = 0.0254
# QGIS 3.22's WMTS provider draws with the tile matrix whose resolution is nearest (linearly) to
# the view's; below the midpoint between the last open and the first premium matrix it asks for
# premium tiles. The layer is hidden a little before that point.
SWITCH_MARGIN = 1.07


# ----- layer sources ----------------------------------------------------------------------------


def _with_key(url: str, key: str | None) -> str:
    """`url` with its `key` query parameter set to `key` (removed when None)."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "key"]
    if key:
        pairs.insert(0, ("key", key))
    return urlunsplit(parts._replace(query=urlencode(pairs, safe=":/")))


def layer_uri(layer: WmtsLayer, base_url: str, key: str | None = None, authcfg: str = "") -> str:
    """The `wms` provider source of an OS Maps WMTS layer. With `authcfg` (QGIS >= 3.24) the key
    stays out of the URL; otherwise it is the `key` parameter of `url`, which QgsDataSourceUri
    percent-encodes. With `authcfg` tiles are asked for at `url` too (`IgnoreGetMapUrl`), not at
    the GetTile address the capabilities name: the key header goes only to the API's origin,
    and the capabilities' echo of the key (README §4) stays out of tile URLs."""
    uri = QgsDataSourceUri()
    if authcfg:
        uri.setParam("IgnoreGetMapUrl", "1")
    uri.setParam("crs", layer.crs)
    uri.setParam("format", layer.format)
    uri.setParam("layers", layer.id)
    uri.setParam("styles", layer.default_style)
    uri.setParam("tileMatrixSet", layer.tile_matrix_set)
    if authcfg:
        uri.setAuthConfigId(authcfg)
        uri.setParam("url", wmts_url(base_url))
    else:
        uri.setParam("url", _with_key(wmts_url(base_url), key))
    return bytes(uri.encodedUri()).decode("utf-8")


def layer_name(layer: WmtsLayer) -> str:
    """"OS Maps – Road (British National Grid)"."""
    return tr("OS Maps – {style} ({crs})").format(
        style=layer.style_name, crs=translated(layer.crs_name))


def preferred_crs(project: QgsProject | None = None) -> str:
    """British National Grid layers for a British National Grid project, else Web Mercator."""
    project = project or QgsProject.instance()
    return "EPSG:27700" if project.crs().authid() == "EPSG:27700" else "EPSG:3857"


def default_layer(capabilities: Capabilities, project: QgsProject | None = None) -> WmtsLayer:
    """Road in the project's preferred CRS (or the first layer there, or the first at all)."""
    crs = preferred_crs(project)
    in_crs = [layer for layer in capabilities.layers if layer.crs == crs]
    candidates = in_crs or capabilities.layers
    return next((layer for layer in candidates if layer.style_name == "Road"), candidates[0])


def canvas_dpi(canvas) -> float:
    """The dpi the map canvas really draws at (device pixels: HiDPI screens count double)."""
    if canvas is None:
        return SCREEN_DPI
    settings = canvas.mapSettings()
    ratio = settings.devicePixelRatio() if hasattr(settings, "devicePixelRatio") else 1.0
    dpi = settings.outputDpi() * (ratio or 1.0)
    return dpi if dpi > 0 else SCREEN_DPI


def open_scale_limit(
    capabilities: Capabilities, layer: WmtsLayer, dpi: float = SCREEN_DPI
) -> float | None:
    """The most zoomed-in scale (denominator) at which QGIS still draws the layer from open zoom
    levels only; None when the layer has no premium levels."""
    first, last_open = premium_zoom_from(layer), open_max_zoom(layer)
    matrix_set = capabilities.matrix_set(layer)
    if first is None or last_open is None or matrix_set is None:
        return None
    open_matrix, premium = matrix_set.matrix(last_open), matrix_set.matrix(first)
    if open_matrix is None:
        return None
    premium_resolution = premium.resolution if premium else open_matrix.resolution / 2
    switch = (open_matrix.resolution + premium_resolution) / 2
    return switch * SWITCH_MARGIN * dpi / INCH_METRES


def _abstract(layer: WmtsLayer, premium: str, limit: float | None) -> str:
    text = tr("OS Maps API, {style} style in {crs} ({id}).").format(
        style=layer.style_name, crs=translated(layer.crs_name), id=layer.id
    )
    first, last_open = premium_zoom_from(layer), open_max_zoom(layer)
    if first is None:
        return text + " " + tr("Every zoom level of this layer is open to all API keys.")
    if premium == PREMIUM_AVAILABLE:
        return text + " " + tr(
            "Premium zoom levels are available with this API key: all levels are shown."
        )
    scale = tr("about 1:{0}").format(f"{round(limit or 0):,}")
    reason = (
        tr("This API key has no OS Maps premium plan.")
        if premium == PREMIUM_UNAVAILABLE
        else tr("Whether this API key has an OS Maps premium plan is not known, so open levels "
                "only are assumed.")
    )
    return text + " " + reason + " " + tr(
        "Zoom levels {first} and closer need a premium plan: the layer is drawn down to zoom "
        "level {last} ({scale}) and hidden when zoomed in further, instead of showing "
        "broken tiles."
    ).format(first=first, last=last_open, scale=scale)


def add_basemap(
    capabilities: Capabilities,
    layer: WmtsLayer,
    *,
    base_url: str,
    credentials: CredentialStore,
    premium: str = PREMIUM_UNKNOWN,
    project: QgsProject | None = None,
    dpi: float = SCREEN_DPI,
) -> QgsRasterLayer | None:
    """Add an OS Maps layer at the bottom of the layer tree. None if QGIS could not open it.

    Without premium access the layer is limited to the open zoom levels for a map drawn at
    `dpi` (the canvas's; output at a higher dpi near the limit asks for finer levels)."""
    project = project or QgsProject.instance()
    authcfg = credentials.maps_authcfg() if HAS_API_HEADER_AUTH else ""
    key = None
    if not authcfg:
        stored = credentials.load()
        key = stored.key if stored is not None else None
    PluginSettings().remember_maps_base_url(base_url)  # see ProjectKeyGuard._base_urls
    raster = QgsRasterLayer(
        layer_uri(layer, base_url, key=key, authcfg=authcfg), layer_name(layer), "wms"
    )
    if not raster.isValid():
        return None
    limit = None if premium == PREMIUM_AVAILABLE else open_scale_limit(capabilities, layer, dpi)
    set_attribution(raster, attribution_for(None), _abstract(layer, premium, limit))
    raster.setCustomProperty(OS_MAPS_PROPERTY, layer.id)
    if limit is not None:
        raster.setScaleBasedVisibility(True)
        # QGIS 3: the "maximum" scale is the most zoomed-in one the layer is drawn at.
        raster.setMaximumScale(limit)
        raster.setCustomProperty(OPEN_LEVELS_PROPERTY, open_max_zoom(layer))
    project.addMapLayer(raster, False)
    root = project.layerTreeRoot()
    root.insertLayer(len(root.children()), raster)
    return raster


# ----- keeping the key out of saved projects ----------------------------------------------------


def _maps_url_of(source: str) -> tuple[QgsDataSourceUri, str] | None:
    """The parsed source and its `url` when `source` looks like an OS Maps WMTS layer."""
    if "url=" not in source or MAPS_PATH_PREFIX not in source:
        return None
    uri = QgsDataSourceUri()
    uri.setEncodedUri(source)
    url = uri.param("url")
    if not url or MAPS_PATH_PREFIX not in urlsplit(url).path:
        return None
    return uri, url


def _points_at(url: str, base_url: str) -> bool:
    base = urlsplit(base_url.rstrip("/"))
    parts = urlsplit(url)
    return url_origin(url) == url_origin(base_url) and parts.path.startswith(
        base.path + MAPS_PATH_PREFIX
    )


def _replace_url(uri: QgsDataSourceUri, url: str) -> str:
    uri.removeParam("url")
    uri.setParam("url", url)
    return bytes(uri.encodedUri()).decode("utf-8")


def _has_key(url: str) -> bool:
    return any(k == "key" for k, _v in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def strip_key(source: str, base_urls: tuple[str, ...]) -> str:
    """`source` without the key in its url, if it is an OS Maps layer at one of `base_urls`."""
    found = _maps_url_of(source)
    if found is None:
        return source
    uri, url = found
    if not _has_key(url) or not any(_points_at(url, base) for base in base_urls):
        return source
    return _replace_url(uri, _with_key(url, None))


def keep_out_of_disk_cache(request: QNetworkRequest) -> None:
    """A QgsNetworkAccessManager request preprocessor (any thread): OS Maps responses are not
    saved in QGIS's network disk cache, whose files would hold the key, in the URL (QGIS 3.22)
    or among the request headers Qt stores beside a cached response (the API-header auth
    configuration of QGIS >= 3.24). QGIS still keeps drawn tiles in memory."""
    if request.url().path().find(MAPS_PATH_PREFIX) >= 0:
        request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)


class ProjectKeyGuard:
    """Keeps the OS Maps key where it belongs: QgsPathResolver hooks write OS Maps sources
    without the key and read them with the key from the authentication database (or the
    QGIS >= 3.24 auth configuration); a request preprocessor keeps OS Maps responses out of
    QGIS's network disk cache."""

    def __init__(
        self,
        settings: PluginSettings,
        credentials: CredentialStore,
        on_missing_key: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.on_missing_key = on_missing_key
        self._writer_id: str | None = None
        self._reader_id: str | None = None
        self._request_id: str | None = None
        self._missing = 0  # OS Maps sources read without a key since the last project read

    @property
    def installed(self) -> bool:
        return self._writer_id is not None

    def install(self) -> None:
        if self.installed:
            return
        self._writer_id = QgsPathResolver.setPathWriter(self.write)
        self._reader_id = QgsPathResolver.setPathPreprocessor(self.read)
        self._request_id = QgsNetworkAccessManager.setRequestPreprocessor(keep_out_of_disk_cache)
        # Emitted once the project's layers are loaded: one message per read, not per layer.
        QgsProject.instance().readProject.connect(self._project_read)

    def _rewrite_live_layers(self, rewrite: Callable[[str], str]) -> None:
        project = QgsProject.instance()
        for layer in project.mapLayers().values():
            if layer.customProperty(OS_MAPS_PROPERTY) is None:
                continue
            source = layer.source()
            changed = rewrite(source)
            if changed != source:
                # The layer may be invalid (read without its key): it has no provider then.
                options = QgsDataProvider.ProviderOptions()
                options.transformContext = project.transformContext()
                layer.setDataSource(changed, layer.name(), layer.providerType(), options)

    def restore_live_layers(self) -> None:
        """Put the key back into the OS Maps layers of the open project (plugin enabled)."""
        self._rewrite_live_layers(self.read)

    def strip_live_layers(self) -> None:
        """Take the key out of the open project's OS Maps layers: once the plugin is unloaded
        nothing would keep it out of a saved project."""
        self._rewrite_live_layers(self.write)

    def uninstall(self) -> None:
        if self._writer_id is not None:
            try:
                QgsProject.instance().readProject.disconnect(self._project_read)
            except TypeError:
                pass
            QgsPathResolver.removePathWriter(self._writer_id)
        if self._reader_id is not None:
            QgsPathResolver.removePathPreprocessor(self._reader_id)
        if self._request_id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(self._request_id)
        self._writer_id = self._reader_id = self._request_id = None

    def _base_urls(self) -> tuple[str, ...]:
        # Also every address OS Maps layers were added from (the setting may change since).
        return tuple(dict.fromkeys(
            (self.settings.base_url, DEFAULT_BASE_URL, *self.settings.maps_base_urls)))

    def write(self, source: str) -> str:
        try:
            return strip_key(source, self._base_urls())
        except Exception:  # never fail a save; never write the key either
            return re.sub(r"(?i)\bkey(=|%3D)[^&%\s\"'<>]*(%26|&)?", "", source)

    def read(self, source: str) -> str:
        try:
            return self._restore(source)
        except Exception:  # a hook must never break reading a project
            return source

    def _restore(self, source: str) -> str:
        """The source with what this QGIS needs to send the key: the auth configuration on
        QGIS >= 3.24 (the key then in no URL), the key in the URL on 3.22. A project saved by
        either version opens on the other; an auth configuration that is gone counts as none."""
        found = _maps_url_of(source)
        if found is None:
            return source
        uri, url = found
        if not _points_at(url, self.settings.base_url):
            return source
        authcfg = uri.authConfigId()
        if HAS_API_HEADER_AUTH:
            if authcfg and not _has_key(url) and self.credentials.auth_config_exists(authcfg):
                return source
            current = self.credentials.maps_authcfg()
            if current:
                uri.setAuthConfigId(current)
                if not uri.hasParam("IgnoreGetMapUrl"):
                    uri.setParam("IgnoreGetMapUrl", "1")  # as layer_uri() makes it
                return _replace_url(uri, _with_key(url, None))
        elif authcfg:  # saved by QGIS >= 3.24: 3.22 has no API-header auth method to use it
            uri.setAuthConfigId("")
            uri.removeParam("IgnoreGetMapUrl")
            source = _replace_url(uri, url)
        if _has_key(url):
            return source
        stored = self.credentials.load() if self.credentials.has_credentials() else None
        if stored is None:
            self._missing += 1
            return source
        return _replace_url(uri, _with_key(url, stored.key))

    def _project_read(self, *_args) -> None:
        # QGIS 3.40 and later do not call the path preprocessor for `wms` sources: the OS Maps
        # layers read without their key (or with an auth configuration that is gone) are given
        # it here, once they are loaded. Elsewhere this finds them already restored.
        self._missing = 0
        self._rewrite_live_layers(self.read)
        missing, self._missing = self._missing, 0
        if missing and self.on_missing_key is not None:
            self.on_missing_key()


# ----- capabilities, premium access and previews ------------------------------------------------


def preview_path(base_url: str, layer_id: str) -> Path:
    folder = cache.cache_dir() / "os_maps"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{base_url}_{layer_id}")
    return folder / f"{name}.png"


class BasemapService(QObject):
    """The OS Maps layer list and the key's premium access, for the Basemaps tab and the
    toolbar action. Capabilities come from the disk cache at once and are refreshed in a
    background task that also probes premium access (one premium-level tile)."""

    capabilitiesChanged = pyqtSignal()
    premiumChanged = pyqtSignal()
    failed = pyqtSignal(str)

    def __init__(self, context: ApiContext, tasks: TaskRegistry, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.capabilities: Capabilities | None = None
        self.premium = PREMIUM_UNKNOWN
        self.error = ""
        self._premium_for = ""
        self._refresh_task: ApiTask | None = None
        self._waiting: list[Callable[[], None]] = []
        self._preview_tasks: dict[str, ApiTask] = {}
        self.context.credentials.changed.connect(self._credentials_changed)

    @property
    def base_url(self) -> str:
        return self.context.settings.base_url

    @property
    def busy(self) -> bool:
        return self._refresh_task is not None

    @property
    def loading_previews(self) -> bool:
        return bool(self._preview_tasks)

    def has_key(self) -> bool:
        return self.context.has_credentials

    def _credentials_changed(self) -> None:
        self.premium, self._premium_for = PREMIUM_UNKNOWN, ""
        self.premiumChanged.emit()

    def load_cached(self) -> bool:
        if self.capabilities is not None:
            return True
        data = cache.load_json(CACHE_NAME, self.base_url)
        if not isinstance(data, dict):
            return False
        try:
            self.capabilities = Capabilities.from_json(data)
        except OSAPIError:
            return False
        self.capabilitiesChanged.emit()
        return True

    def _client(self, key: str, cancel: CancelToken) -> MapsClient:
        return MapsClient(
            self.base_url,
            key=key,
            http=qgis_http_settings(),
            retry=self.context.retry,
            rate_limiter=self.context.rate_limiter,
            cancel=cancel,
        )

    def _key(self) -> str | None:
        stored = self.context.credentials.load() if self.has_key() else None
        return stored.key if stored is not None else None

    def refresh(self, then: Callable[[], None] | None = None) -> bool:
        """Fetch the capabilities and probe premium access in the background; `then` is called
        on the main thread when that ends (successfully or not). False without a key."""
        if then is not None:
            self._waiting.append(then)
        if self._refresh_task is not None:
            return True
        key = self._key()
        if not key:
            self._call_waiting()
            return False
        token = CancelToken()
        client = self._client(key, token)
        fingerprint = hashlib.sha256(f"{key}\0{self.base_url}".encode()).hexdigest()

        def work(_task: ApiTask) -> tuple[Capabilities, str]:
            with client:
                return client.capabilities_and_plan()

        self._refresh_task = ApiTask(
            tr("Loading the OS Maps layers"),
            work,
            on_done=lambda result: self._refreshed(result, fingerprint),
            on_error=self._refresh_failed,
            cancel_token=token,
        )
        self.tasks.start(self._refresh_task)
        return True

    def _refreshed(self, result: tuple[Capabilities, str], fingerprint: str) -> None:
        self._refresh_task = None
        capabilities, premium = result
        self.capabilities, self.error = capabilities, ""
        cache.save_json(CACHE_NAME, self.base_url, capabilities.to_json())
        self.capabilitiesChanged.emit()
        if premium != PREMIUM_UNKNOWN or self._premium_for != fingerprint:
            self.premium, self._premium_for = premium, fingerprint
            self.premiumChanged.emit()
        self._call_waiting()

    def _refresh_failed(self, message: str) -> None:
        self._refresh_task = None
        self.error = message
        self.failed.emit(message)
        self._call_waiting()

    def _call_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def add(
        self, layer: WmtsLayer, project: QgsProject | None = None, dpi: float = SCREEN_DPI
    ) -> QgsRasterLayer | None:
        if self.capabilities is None:
            return None
        return add_basemap(
            self.capabilities,
            layer,
            base_url=self.base_url,
            credentials=self.context.credentials,
            premium=self.premium,
            project=project,
            dpi=dpi,
        )

    def fetch_preview(self, layer: WmtsLayer, on_done: Callable[[bytes], None]) -> None:
        """A thumbnail of the layer: from the disk cache, else fetched in the background."""
        path = preview_path(self.base_url, layer.id)
        if path.exists():
            on_done(path.read_bytes())
            return
        capabilities, key = self.capabilities, self._key()
        if capabilities is None or not key or layer.id in self._preview_tasks:
            return
        token = CancelToken()
        client = self._client(key, token)

        def work(_task: ApiTask) -> bytes:
            with client:
                data = client.preview(capabilities, layer)
            cache.save_image(path, data)
            return data

        task = ApiTask(
            tr("Loading a preview of {0}").format(layer_name(layer)), work,
            on_done=on_done, cancel_token=token,
        )
        task.taskCompleted.connect(lambda: self._preview_tasks.pop(layer.id, None))
        task.taskTerminated.connect(lambda: self._preview_tasks.pop(layer.id, None))
        self._preview_tasks[layer.id] = task
        self.tasks.start(task)

    def close_down(self) -> None:
        for task in [self._refresh_task, *self._preview_tasks.values()]:
            cancel_task(task)
        self._refresh_task = None
        self._preview_tasks = {}
        self._waiting = []
        try:
            self.context.credentials.changed.disconnect(self._credentials_changed)
        except TypeError:
            pass
