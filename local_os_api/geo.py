"""British National Grid helpers and small GDAL/OGR writers for the sample data.

Everything here writes genuine files (GeoPackage, Shapefile, GML, CSV, ASCII grid, GeoTIFF,
MBTiles, JPEG, PNG) with GDAL/OGR, in EPSG:27700 unless the format says otherwise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

# Every 100 km square of the National Grid that holds land, as the README lists them.
ALL_SQUARES = (
    "HP HT HU HW HX HY HZ NA NB NC ND NF NG NH NJ NK NL NM NN NO NR NS NT NU NW NX NY NZ OV "
    "SD SE TA SH SJ SK TF TG SM SN SO SP TL TM SR SS ST SU TQ TR SV SW SX SY SZ TV"
).split()


def bng_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def square_origin(square: str) -> tuple[int, int]:
    """South-west corner (easting, northing) of a 100 km National Grid square such as "SU"."""
    first, second = (ord(c) - ord("A") for c in square.upper())
    first -= first > 7  # the grid letters skip I
    second -= second > 7
    east = ((first - 2) % 5) * 5 + second % 5
    north = (19 - (first // 5) * 5) - second // 5
    return east * 100_000, north * 100_000


def stable_int(*parts: Any) -> int:
    """A small deterministic number from some values (Python's hash() is salted per process)."""
    text = "/".join(str(p) for p in parts)
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_003
    return value


def box(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON (({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def toid(*parts: Any) -> str:
    return "osgb" + str(4000000000000000 + stable_int(*parts) * 7919)


def guid(*parts: Any) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(str(p) for p in parts))).upper()


@dataclass
class Layer:
    """One vector layer: name, OGR geometry type, fields [(name, ogr type)], features."""

    name: str
    geom_type: int
    fields: Sequence[tuple[str, int]]
    features: list[tuple[Sequence[Any], str]] = field(default_factory=list)  # (values, WKT)


def write_vector(driver: str, path: Path, layers: Sequence[Layer], **options: Any) -> None:
    """Write layers to one dataset (GPKG, GML) or, for Shapefile, a folder of .shp sets."""
    drv = ogr.GetDriverByName(driver)
    dsco = options.get("dsco", [])
    lco = options.get("lco", [])
    ds = drv.CreateDataSource(str(path), options=dsco)
    srs = bng_srs()
    for spec in layers:
        layer = ds.CreateLayer(spec.name, srs=srs, geom_type=spec.geom_type, options=lco)
        for name, ftype in spec.fields:
            layer.CreateField(ogr.FieldDefn(name, ftype))
        defn = layer.GetLayerDefn()
        if driver == "GPKG":
            layer.StartTransaction()
        for values, wkt in spec.features:
            feature = ogr.Feature(defn)
            for i, value in enumerate(values):
                feature.SetField(i, value)
            feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            layer.CreateFeature(feature)
        if driver == "GPKG":
            layer.CommitTransaction()
    ds = None


def _mem_raster(bands: Sequence[np.ndarray], gdal_type: int = gdal.GDT_Byte) -> gdal.Dataset:
    rows, cols = bands[0].shape
    ds = gdal.GetDriverByName("MEM").Create("", cols, rows, len(bands), gdal_type)
    for i, array in enumerate(bands, start=1):
        ds.GetRasterBand(i).WriteArray(array)
    return ds


def write_raster(
    driver: str,
    path: Path,
    bands: Sequence[np.ndarray],
    origin: tuple[float, float] | None = None,
    pixel: float = 1.0,
    gdal_type: int = gdal.GDT_Byte,
    options: Sequence[str] = (),
    nodata: float | None = None,
) -> None:
    """Write a raster; with origin (top-left easting, northing) it is georeferenced in 27700."""
    mem = _mem_raster(bands, gdal_type)
    if origin is not None:
        mem.SetGeoTransform((origin[0], pixel, 0.0, origin[1], 0.0, -pixel))
        mem.SetProjection(bng_srs().ExportToWkt())
    if nodata is not None:
        for i in range(mem.RasterCount):
            mem.GetRasterBand(i + 1).SetNoDataValue(nodata)
    gdal.GetDriverByName(driver).CreateCopy(str(path), mem, options=list(options))


def encode_image(driver: str, bands: Sequence[np.ndarray], options: Sequence[str] = ()) -> bytes:
    """Encode an image (PNG, JPEG) in memory and return its bytes."""
    name = f"/vsimem/local_os_api_{uuid.uuid4().hex}"
    mem = _mem_raster(bands)
    gdal.GetDriverByName(driver).CreateCopy(name, mem, options=list(options))
    try:
        handle = gdal.VSIFOpenL(name, "rb")
        gdal.VSIFSeekL(handle, 0, 2)
        size = gdal.VSIFTellL(handle)
        gdal.VSIFSeekL(handle, 0, 0)
        data = bytes(gdal.VSIFReadL(1, size, handle))
        gdal.VSIFCloseL(handle)
    finally:
        gdal.Unlink(name)
        aux = name + ".aux.xml"
        if gdal.VSIStatL(aux) is not None:
            gdal.Unlink(aux)
    return data


def terrain(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A smooth, deterministic elevation surface (metres) over the National Grid."""
    return (
        120.0
        + 90.0 * np.sin(x / 23_000.0) * np.cos(y / 31_000.0)
        + 40.0 * np.sin((x + y) / 7_000.0)
        + 0.0006 * (y - 100_000.0)
    )


def colour_map(shape: tuple[int, int], seed: int, palette: Sequence[Sequence[int]]) -> list:
    """RGB bands of a simple map-like picture: land, water, a grid and some blobs."""
    rows, cols = shape
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float64)
    phase = (seed % 97) / 10.0
    water = np.sin(xx / (cols / 5.0) + phase) + np.cos(yy / (rows / 4.0) - phase) > 1.2
    grid = (xx.astype(int) % max(cols // 8, 2) == 0) | (yy.astype(int) % max(rows // 8, 2) == 0)
    bands = []
    for channel in range(3):
        band = np.full(shape, palette[0][channel], dtype=np.uint8)
        band[water] = palette[1][channel]
        band[grid] = palette[2][channel]
        bands.append(band)
    return bands


def snake_case(name: str) -> str:
    """`SurfaceWater_Area` → `surface_water_area`, `RoadLink` → `road_link`."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and name[i - 1] not in "_" and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
