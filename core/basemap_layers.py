"""OS Maps layer sources: the `wms` provider source of an OS Maps WMTS layer, its name and
abstract, the premium zoom limit, adding it to the project, and the source rewrites (key in,
key out) that `core.key_guard` applies to saved projects.

QGIS 3.22 cannot send the key as a header to a WMS/WMTS server (no API-header auth method before
3.24, and the provider ignores `http-header:`), so the key sits in the layer's `url`; the
capabilities echo it into the GetTile hrefs. On QGIS >= 3.24 the layers use an API-header auth
configuration instead and carry no key.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from qgis.core import QgsDataSourceUri, QgsProject, QgsRasterLayer

from ..api.transport import url_origin
from ..api.wmts import (
    PREMIUM_AVAILABLE,
    PREMIUM_UNAVAILABLE,
    PREMIUM_UNKNOWN,
    Capabilities,
    WmtsLayer,
    open_max_zoom,
    premium_zoom_from,
    wmts_url,
)
from .compat import HAS_API_HEADER_AUTH
from .credentials import CredentialStore
from .i18n import tr, translated
from .layer_loader import attribution_for, set_attribution
from .settings import PluginSettings

MAPS_PATH_PREFIX = "/maps/raster/"
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



def with_key(url: str, key: str | None) -> str:
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
        uri.setParam("url", with_key(wmts_url(base_url), key))
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
    PluginSettings().remember_maps_base_url(base_url)  # see key_guard.ProjectKeyGuard._base_urls
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


# ----- rewriting a saved source ---------------------------------------------------------------


def maps_url_of(source: str) -> tuple[QgsDataSourceUri, str] | None:
    """The parsed source and its `url` when `source` looks like an OS Maps WMTS layer."""
    if "url=" not in source or MAPS_PATH_PREFIX not in source:
        return None
    uri = QgsDataSourceUri()
    uri.setEncodedUri(source)
    url = uri.param("url")
    if not url or MAPS_PATH_PREFIX not in urlsplit(url).path:
        return None
    return uri, url


def points_at(url: str, base_url: str) -> bool:
    base = urlsplit(base_url.rstrip("/"))
    parts = urlsplit(url)
    return url_origin(url) == url_origin(base_url) and parts.path.startswith(
        base.path + MAPS_PATH_PREFIX
    )


def replace_url(uri: QgsDataSourceUri, url: str) -> str:
    uri.removeParam("url")
    uri.setParam("url", url)
    return bytes(uri.encodedUri()).decode("utf-8")


def has_key(url: str) -> bool:
    return any(k == "key" for k, _v in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def strip_key(source: str, base_urls: tuple[str, ...]) -> str:
    """`source` without the key in its url, if it is an OS Maps layer at one of `base_urls`."""
    found = maps_url_of(source)
    if found is None:
        return source
    uri, url = found
    if not has_key(url) or not any(points_at(url, base) for base in base_urls):
        return source
    return replace_url(uri, with_key(url, None))
