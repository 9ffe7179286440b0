"""OS Maps API (raster): the recorded WMTS capabilities and generated 256 px PNG tiles."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from osgeo import osr

from . import geo, recordings

NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}

# Premium zoom levels (README: EPSG:3857 17-20; EPSG:27700 10-13, Leisure 6-9).
PREMIUM_FROM = {"EPSG:3857": 17, "EPSG:27700": 10}
LEISURE_PREMIUM_FROM = 6

# Style palettes: land, water, grid, roads, features.
PALETTES = {
    "Road": [(242, 239, 233), (170, 211, 223), (214, 208, 196), (245, 158, 66), (200, 200, 190)],
    "Outdoor": [(226, 236, 210), (150, 200, 230), (190, 170, 140), (230, 120, 60), (120, 170, 90)],
    "Light": [(248, 248, 246), (214, 228, 236), (228, 228, 228), (200, 200, 200), (225, 225, 220)],
    "Leisure": [(250, 246, 224), (160, 210, 240), (120, 150, 220), (220, 60, 60), (110, 180, 80)],
}


class TileError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Matrix:
    left: float
    top: float
    resolution: float
    width: int
    height: int


def capabilities_document(api_root: str, key: str) -> bytes:
    """The recorded capabilities with the host and the caller's key put in."""
    text = recordings.wmts_capabilities().replace(recordings.OS_API_ROOT, api_root)
    return text.replace("REDACTED_KEY", escape(key, {'"': "&quot;"})).encode("utf-8")


class TileService:
    def __init__(self, cache_size: int = 512) -> None:
        self.layers: dict[str, tuple[str, dict[int, tuple[int, int, int, int]]]] = {}
        self.matrices: dict[str, dict[int, Matrix]] = {}
        self._parse(recordings.wmts_capabilities())
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _parse(self, xml: str) -> None:
        root = ET.fromstring(xml)
        contents = root.find("wmts:Contents", NS)
        for tms in contents.findall("wmts:TileMatrixSet", NS):
            name = tms.find("ows:Identifier", NS).text
            levels = {}
            for tm in tms.findall("wmts:TileMatrix", NS):
                level = int(tm.find("ows:Identifier", NS).text.rsplit(":", 1)[1])
                left, top = (float(v) for v in tm.find("wmts:TopLeftCorner", NS).text.split())
                scale = float(tm.find("wmts:ScaleDenominator", NS).text)
                levels[level] = Matrix(
                    left, top, scale * 0.00028,
                    int(tm.find("wmts:MatrixWidth", NS).text),
                    int(tm.find("wmts:MatrixHeight", NS).text),
                )
            self.matrices[name] = levels
        for layer in contents.findall("wmts:Layer", NS):
            name = layer.find("ows:Identifier", NS).text
            link = layer.find("wmts:TileMatrixSetLink", NS)
            tms = link.find("wmts:TileMatrixSet", NS).text
            limits = {}
            for lim in link.findall("wmts:TileMatrixSetLimits/wmts:TileMatrixLimits", NS):
                level = int(lim.find("wmts:TileMatrix", NS).text.rsplit(":", 1)[1])
                limits[level] = tuple(
                    int(lim.find(f"wmts:{tag}", NS).text)
                    for tag in ("MinTileRow", "MaxTileRow", "MinTileCol", "MaxTileCol")
                )
            self.layers[name] = (tms, limits)

    def check(self, layer: str, matrix_set: str | None, matrix: str, row: int, col: int,
              premium: bool) -> tuple[str, int]:
        """Validate a tile request; returns (matrix set, level) or raises TileError."""
        if layer not in self.layers:
            raise TileError(400, f"Unknown layer: {layer}")
        tms, limits = self.layers[layer]
        if matrix_set is not None and matrix_set != tms:
            raise TileError(400, f"Layer {layer} has no tile matrix set {matrix_set}")
        prefix, _, text = matrix.rpartition(":")
        if prefix and prefix != tms:
            raise TileError(400, f"Invalid tile matrix {matrix} for {tms}")
        try:
            level = int(text)
        except ValueError:
            raise TileError(400, f"Invalid tile matrix: {matrix}") from None
        if level not in self.matrices[tms] or (limits and level not in limits):
            raise TileError(400, f"Tile matrix {matrix} is not available for {layer}")
        m = self.matrices[tms][level]
        bounds = limits.get(level, (0, m.height - 1, 0, m.width - 1))
        if not (0 <= row < m.height and 0 <= col < m.width) or not (
            bounds[0] <= row <= bounds[1] and bounds[2] <= col <= bounds[3]
        ):
            raise TileError(400, f"Tile row/column out of range: {row}/{col} at {matrix}")
        premium_from = PREMIUM_FROM[tms]
        if layer.startswith("Leisure"):
            premium_from = LEISURE_PREMIUM_FROM
        if level >= premium_from and not premium:
            raise TileError(403, "Premium zoom levels need a Premium plan API key")
        return tms, level

    def tile(self, layer: str, tms: str, level: int, row: int, col: int) -> bytes:
        cache_key = (layer, level, row, col)
        with self._lock:
            if cache_key in self._cache:
                self._cache.move_to_end(cache_key)
                return self._cache[cache_key]
        png = render_tile(layer.split("_")[0], tms, self.matrices[tms][level], row, col)
        with self._lock:
            self._cache[cache_key] = png
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return png


# Rough ellipses of Great Britain (centre easting, northing, radii) for a land-ish picture.
ISLANDS = [
    (430_000, 290_000, 170_000, 230_000), (280_000, 250_000, 80_000, 90_000),
    (270_000, 760_000, 130_000, 230_000), (440_000, 1_150_000, 25_000, 70_000),
    (330_000, 100_000, 150_000, 60_000), (380_000, 540_000, 70_000, 120_000),
]


def is_land(east: np.ndarray, north: np.ndarray) -> np.ndarray:
    wobble = 0.12 * np.sin(east / 17_000.0) * np.cos(north / 23_000.0) + 0.05 * np.sin(
        (east - north) / 3_000.0)
    land = np.zeros(east.shape, dtype=bool)
    for x, y, rx, ry in ISLANDS:
        land |= ((east - x) / rx) ** 2 + ((north - y) / ry) ** 2 < 1.0 + wobble
    return land


_TO_BNG: dict[int, osr.CoordinateTransformation] = {}


def _bng_corners(tms: str, x0: float, y0: float, x1: float, y1: float) -> list[tuple]:
    if tms == "EPSG:27700":
        return [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    ident = threading.get_ident()
    if ident not in _TO_BNG:
        merc = osr.SpatialReference()
        merc.ImportFromEPSG(3857)
        merc.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        _TO_BNG[ident] = osr.CoordinateTransformation(merc, geo.bng_srs())
    transform = _TO_BNG[ident]
    return [transform.TransformPoint(x, y)[:2] for x, y in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]]


def render_tile(style: str, tms: str, m: Matrix, row: int, col: int) -> bytes:
    """A map-like PNG: land and sea, National Grid lines, roads and parks, in the style's
    colours. Computed in British National Grid metres so that neighbouring tiles join up."""
    size = 256
    x0 = m.left + col * size * m.resolution
    y0 = m.top - row * size * m.resolution
    x1, y1 = x0 + size * m.resolution, y0 - size * m.resolution
    tl, tr, bl, br = _bng_corners(tms, x0, y0, x1, y1)
    u = (np.arange(size) + 0.5) / size
    fx, fy = np.meshgrid(u, u)
    east = (tl[0] * (1 - fx) * (1 - fy) + tr[0] * fx * (1 - fy) + bl[0] * (1 - fx) * fy
            + br[0] * fx * fy)
    north = (tl[1] * (1 - fx) * (1 - fy) + tr[1] * fx * (1 - fy) + bl[1] * (1 - fx) * fy
             + br[1] * fx * fy)
    pixel = max(abs(tr[0] - tl[0]) / size, 0.01)

    land = is_land(east, north)
    grid_step = 100_000.0 if pixel > 100 else (10_000.0 if pixel > 10 else 1_000.0)
    width = 1.2 * pixel
    grid = (np.abs((east + width / 2) % grid_step) < width) | (
        np.abs((north + width / 2) % grid_step) < width
    )
    road_step = grid_step * 0.7
    road = np.abs(((north - 0.4 * east + 20_000 * np.sin(east / 50_000.0)) % road_step)
                  - road_step / 2) < 2.5 * pixel
    park = (np.sin(east / (grid_step / 3.1)) * np.cos(north / (grid_step / 2.3))) > 0.6
    lake = (np.sin(east / (grid_step / 1.7) + 1.0) * np.cos(north / (grid_step / 2.9))) > 0.93

    palette = PALETTES.get(style, PALETTES["Road"])
    bands = []
    for channel in range(3):
        band = np.full((size, size), palette[1][channel], dtype=np.uint8)
        band[land] = palette[0][channel]
        band[land & park] = palette[4][channel]
        band[land & lake] = palette[1][channel]
        band[land & road] = palette[3][channel]
        band[grid] = palette[2][channel]
        bands.append(band)
    return geo.encode_image("PNG", bands)
