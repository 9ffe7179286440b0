"""Which layers a download makes, as `LayerSpec`s: from what the import stage
(`api.importer`) prepared — the product GeoPackage's tables, VRT unions and mosaics, MBTiles —
in the order a GIS user expects, with names unique within the group. Nothing here scans a data
file: the import stage did that, in the task.

`core.layer_loader` then turns the specs into QGIS layers on the main thread.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from ..api.importer import Geometry, Imported

BNG = "EPSG:27700"
# Top of the layer tree first: points above lines above polygons above tables, rasters last.
STACKING = {Geometry.POINT: 0, Geometry.LINE: 1, Geometry.POLYGON: 2, Geometry.MIXED: 3,
            Geometry.NONE: 4}
VECTOR_TILES_RANK, RASTER_RANK = 5, 6


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


def _mbtiles_is_vector(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM metadata WHERE name = 'format'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and str(row[0]).lower() in {"pbf", "mvt"}


def mbtiles_spec(path: Path) -> LayerSpec:
    """An MBTiles file as it is: vector tiles, or a raster."""
    if _mbtiles_is_vector(path):
        uri = f"type=mbtiles&url={path.resolve()}"
        return LayerSpec(path.stem, uri, Provider.VECTOR_TILE, "EPSG:3857")
    return LayerSpec(path.stem, str(path), Provider.GDAL, "EPSG:3857")


def plan_layers(imported: Imported) -> list[LayerSpec]:
    """The layers of what the import stage prepared, points first and rasters last."""
    ranked: list[tuple[int, LayerSpec]] = []
    for vector in imported.vectors:
        uri = f"{vector.path}|layername={vector.layer}"
        ranked.append((STACKING[vector.geometry], LayerSpec(vector.name, uri, Provider.OGR)))
    for path in imported.tiles:
        spec = mbtiles_spec(path)
        ranked.append((VECTOR_TILES_RANK if spec.kind is LayerKind.VECTOR_TILE else RASTER_RANK,
                       spec))
    for raster in imported.rasters:
        ranked.append((RASTER_RANK, LayerSpec(raster.name, str(raster.path), Provider.GDAL)))
    ranked.sort(key=lambda pair: pair[0])
    return unique_names([spec for _rank, spec in ranked])


def unique_names(specs: list[LayerSpec]) -> list[LayerSpec]:
    """"Road (2)" for a second "Road": names are unique within a group."""
    seen: dict[str, int] = {}
    named = []
    for spec in specs:
        seen[spec.name] = seen.get(spec.name, 0) + 1
        if seen[spec.name] > 1:
            spec = replace(spec, name=f"{spec.name} ({seen[spec.name]})")
        named.append(spec)
    return named
