"""The OS Maps API (raster) WMTS: its GetCapabilities as typed Python, tiles, premium levels.

`parse_capabilities()` reads the OGC WMTS 1.0.0 document (as the recording in
`os-api/recordings/wmts_getcapabilities_2020-10.xml`) by local element names, so namespace
prefixes do not matter; optional elements may be missing and unknown layers are kept.

The service wants the key in the URL (the lower-case `key` parameter) and echoes it into the
operation hrefs of the capabilities: nothing here keeps those hrefs, and URLs only ever reach a
message through `redact_url()`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Dict, Iterable, Iterator, List, Sequence, Tuple

from .auth import ApiKeyAuth
from .cancel import CancelToken
from .errors import (
    AuthenticationError,
    BadRequestError,
    OSAPIError,
    PermissionDeniedError,
    redact,
)
from .http import HttpSettings, RetryPolicy
from .phrases import QT_TRANSLATE_NOOP
from .ratelimit import RateLimiter
from .transport import DEFAULT_BASE_URL, ApiClient

MAPS_PATH = "/maps/raster/v1"
WMTS_PATH = MAPS_PATH + "/wmts"
# Metres per pixel of a tile matrix = scale denominator x 0.28 mm (the OGC "standard pixel").
STANDARD_PIXEL_METRES = 0.00028
MAX_TILE_BYTES = 5 * 1024 * 1024


class PremiumAccess(Enum):
    """Whether a key has the premium zoom levels (UNKNOWN: not asked yet, or the probe failed)."""

    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


# The older names, still imported by core.basemaps, core.credential_check and Processing.
PREMIUM_AVAILABLE = PremiumAccess.AVAILABLE
PREMIUM_UNAVAILABLE = PremiumAccess.UNAVAILABLE
PREMIUM_UNKNOWN = PremiumAccess.UNKNOWN

CRS_NAMES = {
    "EPSG:27700": QT_TRANSLATE_NOOP("api", "British National Grid"),
    "EPSG:3857": QT_TRANSLATE_NOOP("api", "Web Mercator"),
}

# Premium zoom levels need a premium plan (os-api/README.md, section 2): the first premium level
# per tile matrix set, and per style where a style differs. The 27700 split is "uncertain" in
# the README: keep it here, in one place.
PREMIUM_FROM_ZOOM: Dict[str, int] = {"EPSG:3857": 17, "EPSG:27700": 10}
PREMIUM_FROM_ZOOM_BY_STYLE: Dict[Tuple[str, str], int] = {("Leisure", "EPSG:27700"): 6}

# A point well inside every OS Maps layer (Southampton), per CRS: previews and premium probes.
SAMPLE_POINTS: Dict[str, Tuple[float, float]] = {
    "EPSG:27700": (442_000.0, 112_000.0),
    "EPSG:3857": (-156_300.0, 6_604_400.0),
}


# ----- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TileMatrix:
    identifier: str
    scale_denominator: float
    top_left: Tuple[float, float]
    tile_width: int
    tile_height: int
    matrix_width: int
    matrix_height: int

    @property
    def zoom(self) -> int | None:
        return zoom_of(self.identifier)

    @property
    def resolution(self) -> float:
        """Map units (metres) per pixel."""
        return self.scale_denominator * STANDARD_PIXEL_METRES

    def tile_at(self, x: float, y: float) -> Tuple[int, int]:
        """(row, col) of the tile holding the point."""
        col = math.floor((x - self.top_left[0]) / (self.tile_width * self.resolution))
        row = math.floor((self.top_left[1] - y) / (self.tile_height * self.resolution))
        return row, col


@dataclass(frozen=True)
class TileMatrixSet:
    identifier: str
    crs: str
    matrices: Tuple[TileMatrix, ...] = ()

    def matrix(self, zoom: int) -> TileMatrix | None:
        return next((m for m in self.matrices if m.zoom == zoom), None)

    @property
    def zooms(self) -> List[int]:
        return sorted(z for z in (m.zoom for m in self.matrices) if z is not None)


@dataclass(frozen=True)
class TileMatrixLimits:
    tile_matrix: str
    min_row: int
    max_row: int
    min_col: int
    max_col: int

    @property
    def zoom(self) -> int | None:
        return zoom_of(self.tile_matrix)

    def contains(self, row: int, col: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


BBox = Tuple[float, float, float, float]


@dataclass(frozen=True)
class WmtsLayer:
    id: str
    title: str
    style_name: str
    crs: str
    tile_matrix_set: str
    formats: Tuple[str, ...] = ("image/png",)
    styles: Tuple[str, ...] = ("default",)
    default_style: str = "default"
    min_zoom: int | None = None
    max_zoom: int | None = None
    bbox: BBox | None = None
    wgs84_bbox: BBox | None = None
    limits: Tuple[TileMatrixLimits, ...] = ()

    @property
    def crs_name(self) -> str:
        return CRS_NAMES.get(self.crs, self.crs)

    @property
    def format(self) -> str:
        """The format to ask for: PNG when offered."""
        return "image/png" if "image/png" in self.formats else (self.formats or ("image/png",))[0]

    def limits_for(self, zoom: int) -> TileMatrixLimits | None:
        return next((lim for lim in self.limits if lim.zoom == zoom), None)

    def summary(self) -> Dict[str, Any]:
        """What `python3 -m api basemaps --json` prints for the layer."""
        return {
            "id": self.id,
            "title": self.title,
            "style": self.style_name,
            "tileMatrixSet": self.tile_matrix_set,
            "crs": self.crs,
            "formats": list(self.formats),
            "styles": list(self.styles),
            "defaultStyle": self.default_style,
            "minZoom": self.min_zoom,
            "maxZoom": self.max_zoom,
            "premiumFromZoom": premium_zoom_from(self),
        }


@dataclass(frozen=True)
class Capabilities:
    title: str = ""
    layers: List[WmtsLayer] = field(default_factory=list)
    tile_matrix_sets: Dict[str, TileMatrixSet] = field(default_factory=dict)

    def layer(self, layer_id: str) -> WmtsLayer | None:
        return next((layer for layer in self.layers if layer.id == layer_id), None)

    def matrix_set(self, layer: WmtsLayer) -> TileMatrixSet | None:
        return self.tile_matrix_sets.get(layer.tile_matrix_set)

    # A cache on disk keeps this (never the document: its hrefs carry the caller's key).
    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> Capabilities:
        def matrix_set(raw: Dict[str, Any]) -> TileMatrixSet:
            matrices = tuple(
                TileMatrix(**{**m, "top_left": tuple(m["top_left"])}) for m in raw["matrices"]
            )
            return TileMatrixSet(raw["identifier"], raw["crs"], matrices)

        def layer(raw: Dict[str, Any]) -> WmtsLayer:
            values = dict(raw)
            for name in ("formats", "styles"):
                values[name] = tuple(values[name])
            for name in ("bbox", "wgs84_bbox"):
                values[name] = tuple(values[name]) if values.get(name) else None
            values["limits"] = tuple(TileMatrixLimits(**lim) for lim in values.get("limits", ()))
            return WmtsLayer(**values)

        try:
            return cls(
                title=str(data.get("title", "")),
                layers=[layer(raw) for raw in data["layers"]],
                tile_matrix_sets={
                    name: matrix_set(raw) for name, raw in data["tile_matrix_sets"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The saved OS Maps layer list is damaged ({0}).").format(exc)) from None


# ----- premium zoom levels ----------------------------------------------------------------------


def premium_zoom_from(layer: WmtsLayer) -> int | None:
    """The first zoom level of the layer that needs a premium plan, None if it has none (or is
    not an OS Maps layer this module knows)."""
    first = PREMIUM_FROM_ZOOM_BY_STYLE.get(
        (layer.style_name, layer.crs), PREMIUM_FROM_ZOOM.get(layer.crs)
    )
    if first is None or (layer.max_zoom is not None and layer.max_zoom < first):
        return None
    return first


def open_max_zoom(layer: WmtsLayer) -> int | None:
    """The last zoom level a key without a premium plan gets."""
    first = premium_zoom_from(layer)
    return layer.max_zoom if first is None else first - 1


# ----- parsing ----------------------------------------------------------------------------------


def zoom_of(identifier: str) -> int | None:
    """`EPSG:27700:7` -> 7, `7` -> 7, anything else -> None."""
    text = (identifier or "").strip().rsplit(":", 1)[-1]
    return int(text) if text.isdigit() else None


def normalise_crs(text: str | None) -> str:
    """`urn:ogc:def:crs:EPSG::27700`, `urn:ogc:def:crs:EPSG:6.18:3:3857`, `EPSG:27700`,
    `http://www.opengis.net/def/crs/EPSG/0/3857` -> `EPSG:<code>`; '' if not EPSG."""
    value = (text or "").strip()
    match = re.search(r"EPSG(?::[\d.]*)*:(\d+)$", value, re.IGNORECASE) or re.search(
        r"/EPSG/[^/]*/(\d+)$", value, re.IGNORECASE
    )
    return f"EPSG:{match.group(1)}" if match else ""


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next(_children(element, name), None)


def _text(element: ET.Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _numbers(text: str) -> List[float]:
    return [float(part) for part in text.replace(",", " ").split()]


def _bbox(element: ET.Element | None) -> BBox | None:
    if element is None:
        return None
    try:
        lower = _numbers(_text(element, "LowerCorner"))
        upper = _numbers(_text(element, "UpperCorner"))
    except ValueError:
        return None
    if len(lower) != 2 or len(upper) != 2:
        return None
    return (lower[0], lower[1], upper[0], upper[1])


def _int(element: ET.Element, name: str, what: str) -> int:
    text = _text(element, name)
    try:
        return int(text)
    except ValueError:
        raise _unreadable(QT_TRANSLATE_NOOP(
            "api", "{0} has no whole number in {1} ('{2}')").format(what, name, text)) from None


def _unreadable(detail: str) -> OSAPIError:
    return OSAPIError(
        QT_TRANSLATE_NOOP("api", "The OS Maps capabilities could not be read: {0}.").format(detail))


def _tile_matrix(element: ET.Element, set_id: str) -> TileMatrix:
    identifier = _text(element, "Identifier")
    what = QT_TRANSLATE_NOOP("api", "tile matrix '{0}' of '{1}'").format(identifier or "?", set_id)
    try:
        scale = float(_text(element, "ScaleDenominator"))
        corner = _numbers(_text(element, "TopLeftCorner"))
    except ValueError:
        raise _unreadable(
            QT_TRANSLATE_NOOP("api", "{0} has no scale or top-left corner").format(what)) from None
    if not identifier or len(corner) != 2 or scale <= 0:
        raise _unreadable(QT_TRANSLATE_NOOP(
            "api", "{0} has no identifier, scale or top-left corner").format(what))
    return TileMatrix(
        identifier=identifier,
        scale_denominator=scale,
        top_left=(corner[0], corner[1]),
        tile_width=_int(element, "TileWidth", what),
        tile_height=_int(element, "TileHeight", what),
        matrix_width=_int(element, "MatrixWidth", what),
        matrix_height=_int(element, "MatrixHeight", what),
    )


def _tile_matrix_set(element: ET.Element) -> TileMatrixSet | None:
    identifier = _text(element, "Identifier")
    if not identifier:
        return None
    crs = normalise_crs(_text(element, "SupportedCRS")) or normalise_crs(identifier)
    matrices = tuple(_tile_matrix(m, identifier) for m in _children(element, "TileMatrix"))
    return TileMatrixSet(identifier, crs, matrices)


def _limits(link: ET.Element) -> Tuple[TileMatrixLimits, ...]:
    found = []
    for group in _children(link, "TileMatrixSetLimits"):
        for element in _children(group, "TileMatrixLimits"):
            name = _text(element, "TileMatrix")
            what = QT_TRANSLATE_NOOP("api", "the limits of tile matrix '{0}'").format(name)
            found.append(
                TileMatrixLimits(
                    tile_matrix=name,
                    min_row=_int(element, "MinTileRow", what),
                    max_row=_int(element, "MaxTileRow", what),
                    min_col=_int(element, "MinTileCol", what),
                    max_col=_int(element, "MaxTileCol", what),
                )
            )
    return tuple(found)


def style_name_of(layer_id: str, title: str = "") -> str:
    """`Road_27700` -> `Road`; otherwise the title or the id."""
    head, sep, tail = layer_id.rpartition("_")
    if sep and head and tail.isdigit():
        return head
    return title or layer_id


def _layer(element: ET.Element, sets: Dict[str, TileMatrixSet]) -> WmtsLayer | None:
    identifier = _text(element, "Identifier")
    links = list(_children(element, "TileMatrixSetLink"))
    if not identifier or not links:
        return None
    # Prefer a link to a set this document defines (OS Maps layers have exactly one).
    link = next((lk for lk in links if _text(lk, "TileMatrixSet") in sets), links[0])
    set_id = _text(link, "TileMatrixSet")
    if not set_id:
        return None
    matrix_set = sets.get(set_id)
    bbox_element = _child(element, "BoundingBox")
    crs = (
        (matrix_set.crs if matrix_set else "")
        or normalise_crs(set_id)
        or (normalise_crs(bbox_element.get("crs")) if bbox_element is not None else "")
    )
    styles = []
    default_style = ""
    for style in _children(element, "Style"):
        name = _text(style, "Identifier")
        if not name:
            continue
        styles.append(name)
        if (style.get("isDefault") or "").strip().lower() == "true" and not default_style:
            default_style = name
    styles = styles or ["default"]
    formats = tuple(
        (f.text or "").strip() for f in _children(element, "Format") if (f.text or "").strip()
    )
    limits = _limits(link)
    zooms = sorted(z for z in (lim.zoom for lim in limits) if z is not None)
    if not zooms and matrix_set is not None:
        zooms = matrix_set.zooms
    title = _text(element, "Title") or identifier
    return WmtsLayer(
        id=identifier,
        title=title,
        style_name=style_name_of(identifier, title),
        crs=crs,
        tile_matrix_set=set_id,
        formats=formats or ("image/png",),
        styles=tuple(styles),
        default_style=default_style or styles[0],
        min_zoom=zooms[0] if zooms else None,
        max_zoom=zooms[-1] if zooms else None,
        bbox=_bbox(bbox_element),
        wgs84_bbox=_bbox(_child(element, "WGS84BoundingBox")),
        limits=limits,
    )


def parse_capabilities(xml: bytes | str, secrets: Iterable[str] = ()) -> Capabilities:
    """The layers and tile matrix sets of a WMTS GetCapabilities document, or `OSAPIError`
    (an `ExceptionReport`'s text with `secrets` redacted: the service may echo the key)."""
    if not xml or not xml.strip():
        raise _unreadable("the answer was empty")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise _unreadable(QT_TRANSLATE_NOOP(
            "api", "it is not XML ({0}); a proxy or login page may be in the way").format(exc)
        ) from None
    name = _local(root.tag)
    if name == "ExceptionReport":
        texts = [(e.text or "").strip() for e in root.iter() if _local(e.tag) == "ExceptionText"]
        codes = [e.get("exceptionCode", "") for e in root.iter() if _local(e.tag) == "Exception"]
        detail = redact(" ".join(t for t in texts + codes if t), secrets)
        raise OSAPIError(QT_TRANSLATE_NOOP(
            "api", "The OS Maps API answered with an error: {0}.").format(
            detail or QT_TRANSLATE_NOOP("api", "no details")))
    if name != "Capabilities":
        raise _unreadable(QT_TRANSLATE_NOOP(
            "api", "it is a '{0}' document, not WMTS capabilities").format(name))
    contents = _child(root, "Contents")
    if contents is None:
        raise _unreadable(QT_TRANSLATE_NOOP("api", "it lists no Contents"))
    sets: Dict[str, TileMatrixSet] = {}
    for element in _children(contents, "TileMatrixSet"):
        matrix_set = _tile_matrix_set(element)
        if matrix_set is not None:
            sets[matrix_set.identifier] = matrix_set
    layers = [layer for layer in (_layer(e, sets) for e in _children(contents, "Layer")) if layer]
    if not layers:
        raise _unreadable(QT_TRANSLATE_NOOP("api", "it lists no layers"))
    identification = _child(root, "ServiceIdentification")
    title = _text(identification, "Title") if identification is not None else ""
    return Capabilities(title=title, layers=layers, tile_matrix_sets=sets)


# ----- the service ------------------------------------------------------------------------------


def wmts_url(base_url: str) -> str:
    """The WMTS endpoint under the API root, without any key."""
    return base_url.strip().rstrip("/") + WMTS_PATH


def preview_zoom(layer: WmtsLayer, matrix_set: TileMatrixSet) -> int | None:
    """A zoom level that shows a town and its surroundings on one tile, open to every key."""
    zooms = [z for z in matrix_set.zooms if layer.min_zoom is None or z >= layer.min_zoom]
    last_open = open_max_zoom(layer)
    zooms = [z for z in zooms if last_open is None or z <= last_open]
    if not zooms:
        return None
    # About 2-3 km across the tile suits a 128 px thumbnail.
    return min(zooms, key=lambda z: abs(_tile_span(matrix_set, z) - 2_500.0))


def _tile_span(matrix_set: TileMatrixSet, zoom: int) -> float:
    matrix = matrix_set.matrix(zoom)
    return matrix.resolution * matrix.tile_width if matrix else math.inf


class MapsClient(ApiClient):
    """The OS Maps API WMTS for the plugin's own requests (capabilities, previews, the premium
    probe). The key goes in the `key` header, so it is in no URL that a log could show (QGIS
    3.22's own tile requests need it in the URL: see `core.basemap_layers`). Retries, rate
    limit, cancel and redacted errors come from `api.transport.ApiClient`."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        key: str = "",
        http: HttpSettings | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        key = (key or "").strip()
        if not key:
            raise AuthenticationError(QT_TRANSLATE_NOOP(
                "api",
                "OS Maps needs an OS Data Hub API key: add it in Settings → Options → "
                "OS Data Hub."))
        super().__init__(base_url, ApiKeyAuth(key), http, retry, rate_limiter, cancel)
        self.key = key
        self.url = wmts_url(self.base_url)

    def capabilities_xml(self) -> bytes:
        params = {"service": "WMTS", "request": "GetCapabilities", "version": "1.0.0"}
        return self._fetch(
            params, QT_TRANSLATE_NOOP("api", "the OS Maps layer list (WMTS capabilities)"))

    def capabilities(self) -> Capabilities:
        return parse_capabilities(self.capabilities_xml(), self.auth.secrets())

    def get_tile(
        self,
        layer: str,
        matrix_set: str,
        zoom: int,
        row: int,
        col: int,
        *,
        style: str = "default",
        format: str = "image/png",
    ) -> bytes:
        params = {
            "service": "WMTS",
            "request": "GetTile",
            "version": "1.0.0",
            "layer": layer,
            "style": style,
            "format": format,
            "tileMatrixSet": matrix_set,
            "tileMatrix": f"{matrix_set}:{zoom}",
            "tileRow": str(int(row)),
            "tileCol": str(int(col)),
        }
        return self._fetch(params, QT_TRANSLATE_NOOP(
            "api", "tile {0}/{1}/{2} of OS Maps layer '{3}'").format(zoom, row, col, layer))

    def sample_tile(self, capabilities: Capabilities, layer: WmtsLayer, zoom: int) -> bytes:
        """The tile at `zoom` around the sample point (Southampton) of the layer's CRS."""
        matrix_set = capabilities.matrix_set(layer)
        matrix = matrix_set.matrix(zoom) if matrix_set else None
        point = SAMPLE_POINTS.get(layer.crs)
        if matrix is None or point is None:
            raise BadRequestError(QT_TRANSLATE_NOOP(
                "api", "OS Maps layer '{0}' has no zoom level {1}.").format(layer.id, zoom))
        row, col = matrix.tile_at(*point)
        return self.get_tile(
            layer.id, layer.tile_matrix_set, zoom, row, col,
            style=layer.default_style, format=layer.format,
        )

    def preview(self, capabilities: Capabilities, layer: WmtsLayer) -> bytes:
        """A thumbnail tile of the layer (at an open zoom level)."""
        matrix_set = capabilities.matrix_set(layer)
        zoom = preview_zoom(layer, matrix_set) if matrix_set else None
        if zoom is None:
            raise BadRequestError(QT_TRANSLATE_NOOP(
                "api", "OS Maps layer '{0}' has no open zoom level.").format(layer.id))
        return self.sample_tile(capabilities, layer, zoom)

    def capabilities_and_plan(self) -> Tuple[Capabilities, PremiumAccess]:
        """The capabilities and whether the key has premium zoom levels (UNKNOWN when the probe
        itself failed)."""
        capabilities = self.capabilities()
        try:
            has_premium = self.has_premium(capabilities)
        except OSAPIError:
            return capabilities, PremiumAccess.UNKNOWN
        return capabilities, PremiumAccess.AVAILABLE if has_premium else PremiumAccess.UNAVAILABLE

    def has_premium(self, capabilities: Capabilities) -> bool:
        """Whether the key gets premium zoom levels: one premium tile is asked for; 401/403 means
        no. Other failures raise (the plan stays unknown)."""
        for layer in capabilities.layers:
            first = premium_zoom_from(layer)
            if first is None or layer.crs not in SAMPLE_POINTS:
                continue
            try:
                self.sample_tile(capabilities, layer, first)
            except (AuthenticationError, PermissionDeniedError):
                return False
            return True
        return False

    def _fetch(self, params: Dict[str, str], what: str) -> bytes:
        response = self._get(self.url, what, params=params, stream=True)
        return self._read_limited(response, MAX_TILE_BYTES, what)


def layers_table_rows(layers: Sequence[WmtsLayer]) -> List[List[str]]:
    """Rows for the CLI table: id, style, CRS, tile matrix set, zoom range, premium from."""

    def zooms(layer: WmtsLayer) -> str:
        if layer.min_zoom is None or layer.max_zoom is None:
            return "?"
        return f"{layer.min_zoom}-{layer.max_zoom}"

    rows = []
    for layer in layers:
        first = premium_zoom_from(layer)
        rows.append([
            layer.id,
            layer.style_name,
            f"{layer.crs} ({layer.crs_name})" if layer.crs in CRS_NAMES else layer.crs or "?",
            layer.tile_matrix_set,
            zooms(layer),
            str(first) if first is not None else "-",
            ", ".join(layer.formats),
        ])
    return rows


__all__ = [
    "Capabilities",
    "MapsClient",
    "PremiumAccess",
    "TileMatrix",
    "TileMatrixLimits",
    "TileMatrixSet",
    "WmtsLayer",
    "open_max_zoom",
    "parse_capabilities",
    "premium_zoom_from",
    "wmts_url",
]
