"""Decide which layers a folder of downloaded OS data makes: the part of loading that does file
work (listing GeoPackage layers, building a VRT mosaic, joining header-less CSVs to their
header file). It uses GDAL/OGR and the standard library only, so it runs inside a task.

`core.layer_loader` then turns the resulting `LayerSpec`s into QGIS layers on the main thread.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable

from osgeo import gdal, ogr

from ..api.errors import Cancelled
from ..api.models import safe_name

# GDAL's exception mode is global to the QGIS Python: it is neither set nor assumed here.

VECTOR_FILES = {".gpkg", ".shp", ".gml", ".tab", ".mif", ".geojson", ".kml"}
RASTER_FILES = {".tif", ".tiff", ".asc", ".jp2", ".png", ".jpg", ".jpeg", ".img"}
COORDINATE_COLUMNS = [
    ("X_COORDINATE", "Y_COORDINATE"),
    ("EASTINGS", "NORTHINGS"),
    ("EASTING", "NORTHING"),
    ("GEOMETRY_X", "GEOMETRY_Y"),
    ("X", "Y"),
]
BNG = "EPSG:27700"
# The CSV that joins header-less files to their header (written here, so not data to scan).
JOINED_SUFFIX = ".joined.csv"


class LayerKind(Enum):
    """Which QGIS layer class a layer is made with."""

    VECTOR = "vector"
    RASTER = "raster"
    VECTOR_TILE = "vectortile"


class Provider(str, Enum):
    """The QGIS data provider that opens a layer (its value is the provider key)."""

    OGR = "ogr"
    DELIMITED_TEXT = "delimitedtext"
    GDAL = "gdal"
    VECTOR_TILE = "vectortile"

    @property
    def kind(self) -> LayerKind:
        if self is Provider.GDAL:
            return LayerKind.RASTER
        return LayerKind.VECTOR_TILE if self is Provider.VECTOR_TILE else LayerKind.VECTOR


@dataclass(frozen=True)
class LayerSpec:
    """One layer to add, opened by `provider`."""

    name: str
    uri: str
    provider: Provider
    default_crs: str = BNG

    @property
    def kind(self) -> LayerKind:
        return self.provider.kind


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return next(csv.reader(handle), [])


def _looks_like_header(row: list[str]) -> bool:
    """A header row has names; a data row (Code-Point's) has postcodes and numbers."""
    if not row:
        return False
    numeric = sum(1 for value in row if re.fullmatch(r"-?\d+(\.\d+)?", value.strip() or "x"))
    return numeric == 0 and all(re.fullmatch(r"[A-Za-z_][\w .()/-]*", v.strip()) for v in row)


def _coordinate_fields(header: list[str]) -> tuple[str, str] | None:
    upper = {name.strip().upper(): name.strip() for name in header}
    for x_name, y_name in COORDINATE_COLUMNS:
        if x_name in upper and y_name in upper:
            return upper[x_name], upper[y_name]
    return None


def _header_file(folder: Path) -> list[str] | None:
    """A product's separately shipped header file (Code-Point Open's Column_Headers.csv):
    its last row holds the full names of the columns."""
    for path in sorted(folder.rglob("*.csv")):
        if "header" in path.name.lower():
            with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
                rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
            if rows:
                return [cell.strip() for cell in rows[-1]]
    return None


def _delimited_uri(path: Path, fields: tuple[str, str] | None) -> str:
    uri = path.resolve().as_uri() + "?type=csv&detectTypes=yes&geomType=none"
    if fields is not None:
        x_field, y_field = fields
        uri = (
            path.resolve().as_uri()
            + f"?type=csv&detectTypes=yes&xField={x_field}&yField={y_field}&crs={BNG}"
            + "&spatialIndex=yes"
        )
    return uri


def _join_headerless_csvs(
    files: list[Path], header: list[str], target: Path, cancelled: Callable[[], bool]
) -> Path:
    """One CSV with the header row followed by every file's rows, streamed line by line."""
    tmp = target.with_suffix(".csv.part")
    with tmp.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(header)
        for path in files:
            if cancelled():
                break
            with path.open(encoding="utf-8-sig", errors="replace") as source:
                for line in source:
                    out.write(line if line.endswith("\n") else line + "\n")
    if cancelled():
        tmp.unlink(missing_ok=True)
        raise Cancelled()
    tmp.replace(target)
    return target


def _plan_csvs(
    folder: Path, files: list[Path], title: str, cancelled: Callable[[], bool]
) -> list[LayerSpec]:
    specs: list[LayerSpec] = []
    headerless: list[Path] = []
    for path in files:
        if "header" in path.name.lower() or path.name.endswith(JOINED_SUFFIX):
            continue
        header = _csv_header(path)
        if _looks_like_header(header):
            specs.append(
                LayerSpec(path.stem, _delimited_uri(path, _coordinate_fields(header)),
                          Provider.DELIMITED_TEXT)
            )
        else:
            headerless.append(path)
    if headerless:
        header = _header_file(folder)
        if header is None:
            # Without names we cannot find the coordinates: load them as they are.
            specs += [
                LayerSpec(p.stem, _delimited_uri(p, None) + "&useHeader=no",
                          Provider.DELIMITED_TEXT)
                for p in headerless
            ]
        else:
            joined = folder / (safe_name(title, default="layer") + JOINED_SUFFIX)
            _join_headerless_csvs(headerless, header, joined, cancelled)
            specs.append(
                LayerSpec(title, _delimited_uri(joined, _coordinate_fields(header)),
                          Provider.DELIMITED_TEXT)
            )
    return specs


def _vector_specs(path: Path) -> list[LayerSpec]:
    try:
        source = ogr.Open(str(path))
    except RuntimeError:
        return []
    if source is None:
        return []
    names = [source.GetLayer(i).GetName() for i in range(source.GetLayerCount())]
    if len(names) == 1 and path.suffix.lower() in {".shp", ".tab", ".mif"}:
        return [LayerSpec(path.stem, str(path), Provider.OGR)]
    return [
        LayerSpec(name if len(names) > 1 else path.stem, f"{path}|layername={name}",
                  Provider.OGR)
        for name in names
    ]


def _mbtiles_is_vector(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM metadata WHERE name = 'format'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and str(row[0]).lower() in {"pbf", "mvt"}


def _is_georeferenced(path: Path) -> bool:
    """Whether a raster file is data: pictures that come with the documentation have neither
    a world file nor georeferencing."""
    try:
        dataset = gdal.Open(str(path))
    except RuntimeError:
        return False
    if dataset is None:
        return False
    geo = dataset.GetGeoTransform(can_return_null=True)
    return geo is not None and geo != (0.0, 1.0, 0.0, 0.0, 0.0, 1.0)


def _raster_specs(folder: Path, rasters: list[Path], title: str) -> list[LayerSpec]:
    rasters = [p for p in rasters if _is_georeferenced(p)]
    if not rasters:
        return []
    if len(rasters) == 1:
        return [LayerSpec(rasters[0].stem, str(rasters[0]), Provider.GDAL)]
    # Several tiles of one product: one mosaic layer through a VRT.
    vrt = folder / (safe_name(title, default="layer") + "_mosaic.vrt")
    # ASCII grids carry no CRS: the mosaic says EPSG:27700.
    options = {} if _has_crs(rasters[0]) else {"options": gdal.BuildVRTOptions(outputSRS=BNG)}
    dataset = gdal.BuildVRT(str(vrt), [str(p) for p in rasters], **options)
    dataset = None  # noqa: F841 - closing the dataset writes the VRT
    return [LayerSpec(title, str(vrt), Provider.GDAL)]


def _has_crs(path: Path) -> bool:
    try:
        dataset = gdal.Open(str(path))
    except RuntimeError:
        return False
    return bool(dataset is not None and dataset.GetProjection())


def plan_layers(
    folder: Path,
    title: str,
    cancelled: Callable[[], bool] = lambda: False,
    files: Iterable[Path] | None = None,
) -> list[LayerSpec]:
    """The layers that the data files under `folder` make, in a stable order.

    `title` names merged layers (a raster mosaic, joined CSVs). GML's `.gfs` side files,
    documentation and other non-data files are left out.
    """
    paths = sorted(files if files is not None else (p for p in folder.rglob("*") if p.is_file()))
    vector: list[LayerSpec] = []
    csvs: list[Path] = []
    rasters: list[Path] = []
    tiles: list[LayerSpec] = []
    for path in paths:
        if cancelled():
            raise Cancelled()
        suffix = path.suffix.lower()
        if suffix in VECTOR_FILES:
            vector += _vector_specs(path)
        elif suffix == ".csv":
            csvs.append(path)
        elif suffix in RASTER_FILES:
            rasters.append(path)
        elif suffix == ".mbtiles":
            if _mbtiles_is_vector(path):
                uri = f"type=mbtiles&url={path.resolve()}"
                tiles.append(LayerSpec(path.stem, uri, Provider.VECTOR_TILE, "EPSG:3857"))
            else:
                tiles.append(LayerSpec(path.stem, str(path), Provider.GDAL, "EPSG:3857"))
    return (
        vector
        + _plan_csvs(folder, csvs, title, cancelled)
        + _raster_specs(folder, rasters, title)
        + tiles
    )


def disambiguate(planned: list[tuple[str, list[LayerSpec]]]) -> list[LayerSpec]:
    """All specs, with `(<source>)` added to names that several sources share — e.g. the
    `GreenspaceSite` layer of each 100 km square's GeoPackage."""
    counts = Counter(spec.name for _source, specs in planned for spec in specs)
    return [
        replace(spec, name=f"{spec.name} ({source})") if counts[spec.name] > 1 else spec
        for source, specs in planned
        for spec in specs
    ]
