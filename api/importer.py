"""The import stage: what the pipeline unpacked, made into data a GIS opens at once.

By default (`Store.GEOPACKAGE`) the vector data of one product and version goes into one
GeoPackage, `<product>_<version>.gpkg` in its download folder, with one table per theme however
many squares or tiles were downloaded (all appended into it), a spatial index, the OS
attribution as each table's description, and a table `os_data_hub_loads` recording what was
loaded. CSVs with coordinates or WKT are imported the same way, header-less ones with the
column names of their product's header file. With `Store.FILES` the files stay as they are,
and the files of one theme are still one layer: an OGR VRT union written here, with the feature
count and extent worked out once so that opening it scans nothing.

Rasters stay as files: the tiles of one map make one VRT mosaic (with overviews when large),
each alternative map style its own; world files are found wherever the zip puts them;
EPSG:27700 where the data says nothing. MBTiles stay as they are.

Everything is done with GDAL's own API (`gdal.VectorTranslate`, `gdal.BuildVRT`); downloaded
files are opened only with the driver their type names. Needs GDAL's Python bindings (osgeo),
imported when the stage runs: `GdalMissing` says what to do without them.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Sequence, Tuple
from xml.sax.saxutils import escape, quoteattr

from .cancel import CancelToken
from .errors import Cancelled, LocalFileError, OSAPIError
from .phrases import QT_TRANSLATE_NOOP, Phrase

BNG = "EPSG:27700"
ATTRIBUTION = "Contains OS data © Crown copyright and database right {year}"
LOADS_TABLE = "os_data_hub_loads"
SOURCES_TABLE = "os_data_hub_sources"
# Drivers by file type: a downloaded file is never opened by its content's own claim.
VECTOR_DRIVERS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".gml": "GML",
                  ".tab": "MapInfo File", ".mif": "MapInfo File", ".geojson": "GeoJSON"}
RASTER_DRIVERS = {".tif": "GTiff", ".tiff": "GTiff", ".asc": "AAIGrid", ".jp2": "JP2OpenJPEG",
                  ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
# GDAL's other readers of one format, which it may prefer when it opens a file by content.
SAME_FORMAT = {"JP2ECW": "JP2OpenJPEG", "JP2KAK": "JP2OpenJPEG", "JPEG2000": "JP2OpenJPEG",
               "JP2MrSID": "JP2OpenJPEG"}
WORLD_FILES = {".tif": (".tfw", ".tifw", ".wld"), ".tiff": (".tfw", ".tiffw", ".wld"),
               ".png": (".pgw", ".pngw", ".wld"), ".jpg": (".jgw", ".jpgw", ".wld"),
               ".jpeg": (".jgw", ".jpegw", ".wld")}
COORDINATE_COLUMNS = [
    ("X_COORDINATE", "Y_COORDINATE"), ("EASTINGS", "NORTHINGS"), ("EASTING", "NORTHING"),
    ("GEOMETRY_X", "GEOMETRY_Y"), ("LOCATION_X", "LOCATION_Y"), ("LOCATION X", "LOCATION Y"),
    ("X", "Y"),
]
# OS Terrain 50's contours come as a line file and a point file per tile.
CONTOUR_THEMES = {"line": "Contour lines", "point": "Spot heights"}
WKT_COLUMNS = ("WKT", "GEOMETRY", "GEOM", "WKT_GEOMETRY", "THE_GEOM")
WKT_START = re.compile(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)|^\s*GEOMETRYCOLLECTION", re.I)
# A National Grid square or tile code as a part of a file or layer name: SU, SU01, SU01NE, HP40.
GRID_CODE = re.compile(r"^[A-Za-z]{2}(\d{2}|\d{4})?([NS][EW])?$")
OVERVIEW_PIXELS = 4096 * 4096  # a mosaic larger than this gets overviews
DISK_RESERVE = 1024 * 1024  # less free than this when GDAL fails: the disk is full
TRANSACTION_ROWS = 100_000
SAMPLED_FEATURES = 100  # features read to tell the geometry type of a layer that does not say


class Store(str, Enum):
    """Where the vector data goes: one GeoPackage per product and version, or the files as
    downloaded (one layer per theme all the same)."""

    GEOPACKAGE = "geopackage"
    FILES = "files"


class Geometry(str, Enum):
    POINT = "point"
    LINE = "line"
    POLYGON = "polygon"
    NONE = "none"
    MIXED = "mixed"


class GdalMissing(OSAPIError):
    exit_code = 1

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "Importing needs GDAL's Python bindings (the osgeo package), which this "
            "Python does not have: install them (Debian: python3-gdal), or download without "
            "importing.")


@dataclass(frozen=True)
class VectorLayer:
    """One layer per theme: `path` (a GeoPackage, an OGR VRT or a data file) and its layer."""

    name: str
    path: Path
    layer: str
    geometry: Geometry
    features: int


@dataclass(frozen=True)
class RasterLayer:
    name: str
    path: Path  # a VRT (mosaic, or one image given its world file) or the file itself
    tiles: int = 1


@dataclass
class Imported:
    """What the import stage made: the layers to open and what it left out, and why."""

    geopackage: Path | None = None
    vectors: List[VectorLayer] = field(default_factory=list)
    rasters: List[RasterLayer] = field(default_factory=list)
    tiles: List[Path] = field(default_factory=list)  # MBTiles
    left_out: List[Tuple[Path, Phrase]] = field(default_factory=list)
    reused: bool = False

    @property
    def empty(self) -> bool:
        return not (self.vectors or self.rasters or self.tiles)


def attribution_for(version: str | None) -> str:
    """The OS attribution with the data's year (`2021-04`, `E37 December 2015 Update`), else
    this year."""
    match = re.search(r"\b((?:19|20)\d{2})\b", version or "")
    year = match.group(1) if match else str(datetime.date.today().year)
    return ATTRIBUTION.format(year=year)


def words(theme: str) -> str:
    """A theme as a person reads it: `SurfaceWater_Area` → "Surface water area"."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", theme).replace("_", " ").strip()
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:].lower() if text else theme


def table_name(theme: str) -> str:
    """`SurfaceWater_Area` → `surface_water_area`: a lower-case table name."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", theme)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return text if text and not text[0].isdigit() else f"t_{text or 'data'}"


def theme_of(name: str) -> str:
    """The theme in a file or layer name without the square or tile it covers:
    `SU_Building` → `Building`, `GreenspaceSite` stays, `HP40` → "" (a tile, no theme)."""
    parts = [p for p in re.split(r"[_\s]+", name) if p]
    while parts and GRID_CODE.match(parts[0]) and len(parts) > 1:
        parts.pop(0)
    while parts and GRID_CODE.match(parts[-1]) and len(parts) > 1:
        parts.pop()
    if len(parts) == 1 and GRID_CODE.match(parts[0]):
        return ""
    return "_".join(parts)


def _theme_key(theme: str) -> str:
    return re.sub(r"[^a-z0-9]", "", theme.lower())


# ----- GDAL, opened only by type ----------------------------------------------------------------


def gdal_available() -> None:
    """Raises `GdalMissing` when GDAL's Python bindings cannot be imported."""
    _gdal()


def _gdal() -> Tuple[Any, Any]:
    try:
        from osgeo import gdal, ogr
    except ImportError:
        raise GdalMissing() from None
    return gdal, ogr


def _open_as(path: Path, kind: int, driver: str, open_options: Sequence[str] = ()) -> Any:
    """`path` opened with `driver` only, or None. Also None when GDAL, opening the file by its
    content, would pick another driver: QGIS, `gdal.BuildVRT` and the OGR VRT unions written
    here open it again that way, and a file that is valid GML and an OGR VRT at once (or a
    `.mbtiles` that is a VRT) would then read whatever files and URLs the VRT names."""
    gdal, _ogr = _gdal()
    try:
        dataset = gdal.OpenEx(str(path), kind | gdal.OF_READONLY, allowed_drivers=[driver],
                              open_options=list(open_options))
        claimed = gdal.IdentifyDriverEx(str(path), kind) if dataset is not None else None
    except RuntimeError:
        return None
    if claimed is None or SAME_FORMAT.get(claimed.ShortName, claimed.ShortName) != driver:
        return None
    return dataset


def _open_vector(path: Path) -> Any:
    gdal, _ogr = _gdal()
    driver = VECTOR_DRIVERS.get(path.suffix.lower())
    return None if driver is None else _open_as(path, gdal.OF_VECTOR, driver)


def _open_raster(path: Path) -> Any:
    gdal, _ogr = _gdal()
    driver = RASTER_DRIVERS.get(path.suffix.lower())
    return None if driver is None else _open_as(path, gdal.OF_RASTER, driver)


def _is_mbtiles(path: Path) -> bool:
    """An MBTiles file (raster or vector tiles), as GDAL and QGIS will open it by content."""
    gdal, _ogr = _gdal()
    return any(_open_as(path, kind, "MBTiles") is not None
               for kind in (gdal.OF_RASTER, gdal.OF_VECTOR))


def _geometry_of(ogr: Any, geom_type: int) -> Geometry:
    flat = ogr.GT_Flatten(geom_type)
    if flat in (ogr.wkbPoint, ogr.wkbMultiPoint):
        return Geometry.POINT
    if flat in (ogr.wkbLineString, ogr.wkbMultiLineString, ogr.wkbCircularString,
                ogr.wkbCompoundCurve, ogr.wkbMultiCurve):
        return Geometry.LINE
    if flat in (ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbCurvePolygon, ogr.wkbMultiSurface):
        return Geometry.POLYGON
    if flat == ogr.wkbNone:
        return Geometry.NONE
    return Geometry.MIXED


# ----- what the files hold ----------------------------------------------------------------------


@dataclass
class _Source:
    """One layer of one file (or one CSV with the open options that give it geometry)."""

    path: Path
    layer: str
    theme: str
    open_options: Tuple[str, ...] = ()
    select: str | None = None  # an OGR SQL SELECT renaming header-less CSV columns
    geom_type: int | None = None  # the layer's OGR geometry type, when it was opened to list it


@dataclass
class _Theme:
    theme: str
    sources: List[_Source] = field(default_factory=list)

    @property
    def table(self) -> str:
        return table_name(self.theme)


def _csv_first_row(path: Path) -> List[str]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return next(csv.reader(handle), [])


def _looks_like_header(row: Sequence[str]) -> bool:
    """A header row has names; a data row (Code-Point's) has postcodes and numbers."""
    if not row:
        return False
    numeric = sum(1 for value in row if re.fullmatch(r"-?\d+(\.\d+)?", value.strip() or "x"))
    return numeric == 0 and all(re.fullmatch(r"[A-Za-z_][\w .()/-]*", v.strip()) for v in row)


def _is_header_file(path: Path) -> bool:
    return "header" in path.name.lower()


def _header_names(files: Iterable[Path]) -> List[str] | None:
    """A product's separately shipped header file (Code-Point Open's Column_Headers.csv has
    short names, then full names; Open Names' one row): the names of its last row."""
    for path in sorted(files):
        if _is_header_file(path) and path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
                rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
            if rows:
                return [cell.strip() for cell in rows[-1]]
    return None


def _coordinates(names: Sequence[str]) -> Tuple[int, int] | None:
    upper = [n.strip().upper().replace(" ", "_") for n in names]
    for x_name, y_name in COORDINATE_COLUMNS:
        x_key, y_key = x_name.replace(" ", "_"), y_name.replace(" ", "_")
        if x_key in upper and y_key in upper:
            return upper.index(x_key), upper.index(y_key)
    return None


def _wkt_column(path: Path, names: Sequence[str], headered: bool) -> int | None:
    upper = [n.strip().upper() for n in names]
    for candidate in WKT_COLUMNS:
        if candidate in upper:
            return upper.index(candidate)
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        if headered:
            next(reader, None)
        row = next(reader, [])
    return next((i for i, value in enumerate(row) if WKT_START.match(value)), None)


def _csv_sources(files: List[Path], all_files: List[Path], product: str) -> List[_Source]:
    """CSV files as layers with geometry: their header row, or their product's header file,
    names the columns; coordinates or a WKT column make the geometry. Header-less files are
    tiles of one table (Code-Point Open's postcode areas, Open Names' tiles), and so are files
    with the same header; files with different headers are themes of their own."""
    header_file = _header_names(all_files)
    data = sorted(p for p in files if not _is_header_file(p))
    firsts = {path: _csv_first_row(path) for path in data}
    headers = {tuple(row) for path, row in firsts.items() if _looks_like_header(row)}
    sources = []
    for path in data:
        first = firsts[path]
        headered = _looks_like_header(first)
        names = first if headered else (header_file or [])
        options = ["HEADERS=" + ("YES" if headered else "NO"), "AUTODETECT_TYPE=YES"]
        select = None
        if not headered and names:
            fields = ", ".join(f'field_{i + 1} AS "{_sql_name(name)}"'
                               for i, name in enumerate(names))
            select = f'SELECT {fields} FROM "{path.stem}"'

        xy = _coordinates(names) if names else None
        wkt = None if xy else _wkt_column(path, names, headered)
        if xy:
            options += [f"X_POSSIBLE_NAMES={_column(names, headered, xy[0])}",
                        f"Y_POSSIBLE_NAMES={_column(names, headered, xy[1])}",
                        "KEEP_GEOM_COLUMNS=YES"]
        elif wkt is not None:
            options += [f"GEOM_POSSIBLE_NAMES={_column(names, headered, wkt)}",
                        "KEEP_GEOM_COLUMNS=NO"]
        theme = product if not headered or len(headers) <= 1 else (
            theme_of(path.stem) or path.stem)
        sources.append(_Source(path, path.stem, theme, tuple(options), select))
    return sources


def _column(names: Sequence[str], headered: bool, index: int) -> str:
    """The CSV driver's name of a column: its own, or `field_<n>` in a header-less file."""
    return names[index] if headered else f"field_{index + 1}"


def _is_raster_tab(path: Path) -> bool:
    """A MapInfo .tab that places an image (`Type "RASTER"`), not a table of features."""
    if path.suffix.lower() != ".tab":
        return False
    try:
        head = path.read_bytes()[:4096].decode("latin-1").upper()
    except OSError:
        return False
    return "RASTER" in head and "TYPE" in head


def _sql_name(name: str) -> str:
    return name.replace('"', "'").strip() or "column"


def _vector_sources(files: List[Path], left_out: List[Tuple[Path, Phrase]]) -> List[_Source]:
    sources = []
    asc_stems = {p.with_suffix("") for p in files if p.suffix.lower() == ".asc"}
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in VECTOR_DRIVERS:
            continue
        if suffix == ".gml" and path.with_suffix("") in asc_stems:
            continue  # Terrain 50's grid metadata beside each tile, not data
        dataset = _open_vector(path)
        if dataset is None:
            if not _is_raster_tab(path):  # MiniScale's MapInfo placing of its images
                left_out.append((path, QT_TRANSLATE_NOOP(
                    "api", "it could not be opened as {0}").format(VECTOR_DRIVERS[suffix])))
            continue
        for index in range(dataset.GetLayerCount()):
            layer = dataset.GetLayer(index)
            name = layer.GetName()
            if name in (LOADS_TABLE, SOURCES_TABLE):
                continue
            single = dataset.GetLayerCount() == 1 and suffix != ".gpkg"
            theme = theme_of(path.stem if single else name) or theme_of(name) or name
            sources.append(_Source(path, name, theme, geom_type=layer.GetGeomType()))
        dataset = None
    return sources


def _group(sources: List[_Source]) -> List[_Theme]:
    themes: Dict[str, _Theme] = {}
    for source in sources:
        key = _theme_key(source.theme)
        themes.setdefault(key, _Theme(source.theme)).sources.append(source)
    return list(themes.values())


# ----- the stage --------------------------------------------------------------------------------

Progress = Callable[[float], None]


class Importer:
    """Imports the unpacked data of one product and version (`name`: the GeoPackage's name,
    `<product>_<version>`) kept in `folder`. `product` is its id (recorded in the loads table),
    `title` what people call it (the layer of header-less CSV tiles is named after it)."""

    def __init__(self, folder: Path, name: str, product: str, version: str | None,
                 store: Store = Store.GEOPACKAGE, cancel: CancelToken | None = None,
                 progress: Progress | None = None, title: str | None = None) -> None:
        self.folder = folder
        self.name = name
        self.product = product
        self.title = title or product
        self.version = version
        self.store = Store(store)
        self.cancel = cancel or CancelToken()
        self.progress = progress or (lambda _fraction: None)

    @property
    def geopackage(self) -> Path:
        return self.folder / f"{self.name}.gpkg"

    def run(self, files: Sequence[Path]) -> Imported:
        """`files`: every file the pipeline made ready. Raises `Cancelled`, `LocalFileError`
        (disk full, ...), `GdalMissing`."""
        gdal, _ogr = _gdal()
        gdal.PushErrorHandler("CPLQuietErrorHandler")  # GDAL's warnings are not for the user
        try:
            return self._run(sorted({p for p in files if p.is_file() and not self._ours(p)}))
        finally:
            gdal.PopErrorHandler()

    def _ours(self, path: Path) -> bool:
        """What an import wrote (the GeoPackage, VRTs, overviews) is never a source."""
        name = path.name
        return (path.parent == self.folder and name.startswith(self.name)) or \
            name.endswith((".georeferenced.vrt", ".vrt.ovr", ".importing.gpkg"))

    def _run(self, files: list[Path]) -> Imported:
        imported = Imported()
        vectors = _vector_sources(files, imported.left_out)
        csvs = [p for p in files if p.suffix.lower() == ".csv"]
        vectors += _csv_sources(csvs, files, self.title)
        themes = _group(vectors)
        if themes:
            if self.store is Store.GEOPACKAGE:
                self._to_geopackage(themes, files, imported)
            else:
                self._as_files(themes, imported)
        self._rasters(files, imported)
        for path in (p for p in files if p.suffix.lower() == ".mbtiles"):
            if _is_mbtiles(path):
                imported.tiles.append(path)
            else:
                imported.left_out.append((path, QT_TRANSLATE_NOOP(
                    "api", "it could not be opened as {0}").format("MBTiles")))
        return imported

    # -- one GeoPackage ------------------------------------------------------------------------
    def _stamp(self, themes: List[_Theme]) -> str:
        sources = sorted({s.path for theme in themes for s in theme.sources})
        return json.dumps([[str(p.relative_to(self.folder)) if self.folder in p.parents
                            else str(p), p.stat().st_size] for p in sources])

    def _recorded(self, path: Path, stamp: str) -> bool:
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                row = db.execute(f"SELECT stamp FROM {SOURCES_TABLE}").fetchone()
        except sqlite3.Error:
            return False
        return bool(row) and row[0] == stamp

    def _to_geopackage(self, themes: List[_Theme], files: List[Path],
                       imported: Imported) -> None:
        target = self.geopackage
        stamp = self._stamp(themes)
        imported.geopackage = target
        if target.is_file() and self._recorded(target, stamp):
            imported.reused = True
            imported.vectors = self._layers_of(target)
            return
        working = target.with_name(target.stem + ".importing.gpkg")
        working.unlink(missing_ok=True)
        try:
            counts = self._write(working, themes)
            self._record(working, themes, counts, stamp)
            os.replace(working, target)
        except BaseException:
            working.unlink(missing_ok=True)
            raise
        imported.vectors = self._layers_of(target)

    def _write(self, working: Path, themes: List[_Theme]) -> Dict[str, int]:
        gdal, ogr = _gdal()
        total = sum(len(t.sources) for t in themes) or 1
        done = 0
        counts: Dict[str, int] = {}
        attribution = attribution_for(self.version)
        for theme in themes:
            geometry_type = self._target_type(ogr, theme)
            for number, source in enumerate(theme.sources):
                self.cancel.raise_if_cancelled()
                dataset = self._open_source(source)
                if dataset is None:
                    continue
                first = not working.exists()
                options = gdal.VectorTranslateOptions(
                    format="GPKG",
                    accessMode=None if first else ("append" if number else "update"),
                    layers=None if source.select else [source.layer],
                    SQLStatement=source.select,
                    layerName=theme.table,
                    geometryType=geometry_type,
                    layerCreationOptions=["SPATIAL_INDEX=NO", f"DESCRIPTION={attribution}",
                                          f"IDENTIFIER={self._display(theme.theme)}"],
                    options=["-gt", str(TRANSACTION_ROWS)]
                    + ([] if self._has_srs(dataset, source) else ["-a_srs", BNG])
                    + (["-addfields"] if number else []),
                    callback=self._callback(done, total),
                )
                reason = ""
                try:
                    result = gdal.VectorTranslate(str(working), dataset, options=options)
                except RuntimeError as error:  # where GDAL's exceptions are on
                    result, reason = None, str(error)
                dataset = None
                if result is None:
                    raise self._failed(working, source, reason)
                result = None
                done += 1
            self.cancel.raise_if_cancelled()
            count = self._index(working, theme.table) if working.exists() else None
            if count is not None:
                counts[theme.table] = count
        return counts

    def _open_source(self, source: _Source) -> Any:
        gdal, _ogr = _gdal()
        if source.path.suffix.lower() == ".csv":
            return _open_as(source.path, gdal.OF_VECTOR, "CSV", source.open_options)
        return _open_vector(source.path)

    @staticmethod
    def _has_srs(dataset: Any, source: _Source) -> bool:
        layer = dataset.GetLayerByName(source.layer) if not source.select else None
        layer = layer or dataset.GetLayer(0)
        return layer is not None and layer.GetSpatialRef() is not None

    def _target_type(self, ogr: Any, theme: _Theme) -> str:
        """The table's geometry type: polygons and multipolygons (squares differ) as
        multipolygons, and lines alike; points stay points unless some are multipoints; a layer
        that does not say (a CSV's WKT column) is judged by its first features."""
        kinds, multi = set(), False
        for source in theme.sources:
            listed = source.geom_type
            known = listed is not None and ogr.GT_Flatten(listed) != ogr.wkbUnknown
            types = [listed] if listed is not None and known else \
                self._sampled_types(ogr, source)
            for geom_type in types:
                kinds.add(_geometry_of(ogr, geom_type))
                multi = multi or ogr.GT_Flatten(geom_type) in (
                    ogr.wkbMultiPoint, ogr.wkbMultiLineString, ogr.wkbMultiPolygon)
        kinds.discard(Geometry.NONE)
        if len(kinds) != 1:
            return "GEOMETRY" if kinds else "NONE"
        kind = kinds.pop()
        if kind is Geometry.POINT:
            return "MULTIPOINT" if multi else "POINT"
        return {Geometry.LINE: "MULTILINESTRING", Geometry.POLYGON: "MULTIPOLYGON"}.get(
            kind, "GEOMETRY")

    def _sampled_types(self, ogr: Any, source: _Source) -> list[int]:
        """The geometry types of a layer that was not opened yet (a CSV) or does not say
        (a CSV's WKT column, some GML): its own, else those of its first features."""
        dataset = self._open_source(source)
        layer = dataset.GetLayerByName(source.layer) if dataset is not None else None
        if layer is None and dataset is not None:
            layer = dataset.GetLayer(0)
        if layer is None:
            return []
        types = [layer.GetGeomType()]
        if ogr.GT_Flatten(types[0]) == ogr.wkbUnknown:
            types = [f.GetGeometryRef().GetGeometryType() for f, _n in
                     zip(layer, range(SAMPLED_FEATURES)) if f.GetGeometryRef() is not None]
        return types

    def _callback(self, done: int, total: int) -> Callable[..., int]:
        def callback(fraction: float, _message: Any, _data: Any) -> int:
            self.progress((done + fraction) / total)
            return 0 if self.cancel.cancelled else 1
        return callback

    def _failed(self, working: Path, source: _Source, reason: str = "") -> OSAPIError:
        if self.cancel.cancelled:
            return Cancelled()
        gdal, _ogr = _gdal()
        message = reason or gdal.GetLastErrorMsg() or "GDAL gave no reason"
        text = message.lower()
        try:
            nearly_full = shutil.disk_usage(working.parent).free < DISK_RESERVE
        except OSError:
            nearly_full = False
        if "no space left" in text or "disk is full" in text or "disk full" in text or \
                nearly_full:
            return LocalFileError(QT_TRANSLATE_NOOP(
                "api", "The disk is full: {0} could not be written. Free some space or choose "
                "another download folder, then try again.").format(working.name))
        return OSAPIError(QT_TRANSLATE_NOOP(
            "api", "{0} could not be imported into {1}: {2}").format(
            source.path.name, self.geopackage.name, message))

    @staticmethod
    def _index(working: Path, table: str) -> int | None:
        gdal, _ogr = _gdal()
        dataset = gdal.OpenEx(str(working), gdal.OF_VECTOR | gdal.OF_UPDATE,
                              allowed_drivers=["GPKG"])
        layer = dataset.GetLayerByName(table)
        if layer is None:
            return None
        count = int(layer.GetFeatureCount())
        column = layer.GetGeometryColumn() if layer.GetLayerDefn().GetGeomFieldCount() else ""
        if column:
            result = dataset.ExecuteSQL(f"SELECT CreateSpatialIndex('{table}', '{column}')")
            if result is not None:
                dataset.ReleaseResultSet(result)
        layer = dataset = None
        return count

    def _record(self, working: Path, themes: List[_Theme], counts: Dict[str, int],
                stamp: str) -> None:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        with closing(sqlite3.connect(str(working))) as db, db:
            db.execute(f"CREATE TABLE {LOADS_TABLE} (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
                       "product_id TEXT, version TEXT, theme TEXT, table_name TEXT, "
                       "feature_count INTEGER, loaded_at TEXT)")
            db.executemany(
                f"INSERT INTO {LOADS_TABLE} (product_id, version, theme, table_name, "
                "feature_count, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(self.product, self.version or "", self._display(t.theme), t.table,
                  counts.get(t.table, 0), now) for t in themes if t.table in counts])
            db.execute(f"CREATE TABLE {SOURCES_TABLE} (stamp TEXT)")
            db.execute(f"INSERT INTO {SOURCES_TABLE} VALUES (?)", (stamp,))
            for name in (LOADS_TABLE, SOURCES_TABLE):
                db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                           "description, last_change) VALUES (?, 'attributes', ?, ?, "
                           "strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                           (name, name, "OS Data Hub Loader"))

    def _layers_of(self, path: Path) -> List[VectorLayer]:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            rows = db.execute(f"SELECT theme, table_name, feature_count FROM {LOADS_TABLE} "
                              "ORDER BY fid").fetchall()
            kinds = dict(db.execute("SELECT table_name, geometry_type_name FROM "
                                    "gpkg_geometry_columns").fetchall())
        return [VectorLayer(theme, path, table, _kind_of_name(kinds.get(table)), count)
                for theme, table, count in rows]

    def _display(self, theme: str) -> str:
        if theme == self.title:
            return theme
        if "terrain" in self.title.lower() and theme.lower() in CONTOUR_THEMES:
            return CONTOUR_THEMES[theme.lower()]
        return words(theme)

    # -- the files as downloaded, one layer per theme -----------------------------------------
    def _as_files(self, themes: List[_Theme], imported: Imported) -> None:
        _gdal_module, ogr = _gdal()
        for theme in themes:
            self.cancel.raise_if_cancelled()
            if len(theme.sources) == 1 and not theme.sources[0].open_options:
                source = theme.sources[0]
                dataset = _open_vector(source.path)
                layer = dataset.GetLayerByName(source.layer) if dataset is not None else None
                if layer is None:
                    continue
                imported.vectors.append(VectorLayer(
                    self._display(theme.theme), source.path, source.layer,
                    _geometry_of(ogr, layer.GetGeomType()), int(layer.GetFeatureCount())))
                continue
            vrt = self.folder / f"{self.name}_{theme.table}.vrt"
            geometry, count = self._write_union(vrt, theme)
            imported.vectors.append(VectorLayer(self._display(theme.theme), vrt, theme.table,
                                                geometry, count))

    def _write_union(self, vrt: Path, theme: _Theme) -> Tuple[Geometry, int]:
        """An OGR VRT union of the theme's files, its feature count and extent written in so
        that QGIS need not scan the files to open it."""
        gdal, ogr = _gdal()
        members = []
        count = 0
        extent = [float("inf"), float("inf"), float("-inf"), float("-inf")]
        kinds = set()
        for source in theme.sources:
            self.cancel.raise_if_cancelled()
            dataset = self._open_source(source)
            if dataset is None:
                continue
            layer = (dataset.ExecuteSQL(source.select) if source.select else
                     dataset.GetLayerByName(source.layer))
            if layer is None:
                continue
            features = layer.GetFeatureCount()  # a CSV is read through for it: once
            count += features
            kinds.add(_geometry_of(ogr, layer.GetGeomType()))
            if features:
                xmin, xmax, ymin, ymax = layer.GetExtent(force=1)
                extent = [min(extent[0], xmin), min(extent[1], ymin), max(extent[2], xmax),
                          max(extent[3], ymax)]
            members.append(self._vrt_member(source))
            if source.select:
                dataset.ReleaseResultSet(layer)
            dataset = None
        kinds.discard(Geometry.NONE)
        geometry = kinds.pop() if len(kinds) == 1 else Geometry.MIXED
        bounds = "".join(f"<Extent{name}>{value!r}</Extent{name}>" for name, value in
                         zip(("XMin", "YMin", "XMax", "YMax"), extent)) if count else ""
        text = (f'<OGRVRTDataSource><OGRVRTUnionLayer name={quoteattr(theme.table)}>'
                f'{"".join(members)}<SourceLayerFieldName>source</SourceLayerFieldName>'
                f'<LayerSRS>{BNG}</LayerSRS><FeatureCount>{count}</FeatureCount>{bounds}'
                '</OGRVRTUnionLayer></OGRVRTDataSource>')
        try:
            vrt.write_text(text, encoding="utf-8")
        except OSError as error:
            raise LocalFileError(QT_TRANSLATE_NOOP(
                "api", "{0} could not be written ({1}): free some space or choose another "
                "download folder.").format(vrt.name, error.strerror or error)) from None
        return geometry, count

    def _vrt_member(self, source: _Source) -> str:
        driver = "CSV:" if source.path.suffix.lower() == ".csv" else ""
        relative = self.folder in source.path.parents and not driver
        where = source.path.relative_to(self.folder) if relative else source.path
        data = f'<SrcDataSource relativeToVRT="{int(relative)}">' \
            f'{escape(driver + where.as_posix())}</SrcDataSource>'
        options = "".join(f"<OOI key={quoteattr(o.split('=', 1)[0])}>"
                          f"{escape(o.split('=', 1)[1])}</OOI>" for o in source.open_options)
        opened = f"<OpenOptions>{options}</OpenOptions>" if options else ""
        if source.select:
            return (f'<OGRVRTLayer name={quoteattr(source.path.stem)}>{data}{opened}'
                    f'<SrcSQL dialect="OGRSQL">{escape(source.select)}</SrcSQL></OGRVRTLayer>')
        name = source.layer if source.layer == source.path.stem else \
            f"{source.path.stem}_{source.layer}"
        return (f'<OGRVRTLayer name={quoteattr(name)}>{data}{opened}'
                f'<SrcLayer>{escape(source.layer)}</SrcLayer></OGRVRTLayer>')

    # -- rasters -------------------------------------------------------------------------------
    def _rasters(self, files: List[Path], imported: Imported) -> None:
        gdal, _ogr = _gdal()
        maps: Dict[Tuple[str, int], List[Path]] = defaultdict(list)
        world = _world_files(files)
        for path in files:
            suffix = path.suffix.lower()
            if suffix not in RASTER_DRIVERS:
                continue
            self.cancel.raise_if_cancelled()
            dataset = _open_raster(path)
            if dataset is None:
                continue
            georeferenced = _georeferenced(dataset)
            bands = dataset.RasterCount
            dataset = None
            source = path
            if not georeferenced:
                transform = world.get(path.stem.lower())
                if transform is None:
                    if not _is_picture(path):
                        imported.left_out.append((path, QT_TRANSLATE_NOOP(
                            "api", "no georeferencing: neither the image nor a world file "
                            "says where it lies")))
                    continue
                source = self._georeferenced_copy(path, transform)
            maps[(_map_key(path), bands)].append(source)
        for (key, bands), sources in sorted(maps.items()):
            self.cancel.raise_if_cancelled()
            name = words(key) if key else self.title
            if len(sources) == 1 and sources[0].suffix.lower() == ".vrt":
                imported.rasters.append(RasterLayer(name, sources[0]))
                continue
            label = table_name(key or "mosaic") + (f"_{bands}band" if len(
                {b for (k, b) in maps if k == key}) > 1 else "")
            vrt = self.folder / f"{self.name}_{label}.vrt"
            options = gdal.BuildVRTOptions(outputSRS=None if _has_srs(sources[0]) else BNG)
            mosaic = gdal.BuildVRT(str(vrt), [str(p) for p in sources], options=options)
            if mosaic is None:
                continue
            pixels = mosaic.RasterXSize * mosaic.RasterYSize
            mosaic = None
            if pixels > OVERVIEW_PIXELS:
                self._overviews(vrt)
            imported.rasters.append(RasterLayer(name, vrt, len(sources)))

    def _georeferenced_copy(self, path: Path, transform: Tuple[float, ...]) -> Path:
        """A VRT of a plain image placed by its world file (which the zip keeps elsewhere)."""
        gdal, _ogr = _gdal()
        vrt = path.with_name(path.stem + ".georeferenced.vrt")
        source = _open_raster(path)
        copy = gdal.Translate(str(vrt), source, options=gdal.TranslateOptions(
            format="VRT", outputSRS=BNG))
        copy.SetGeoTransform(transform)
        copy = source = None
        return vrt

    def _overviews(self, vrt: Path) -> None:
        gdal, _ogr = _gdal()
        dataset = gdal.OpenEx(str(vrt), gdal.OF_RASTER | gdal.OF_READONLY,
                              allowed_drivers=["VRT"])
        levels, size = [], max(dataset.RasterXSize, dataset.RasterYSize)
        factor = 2
        while size // factor >= 256:
            levels.append(factor)
            factor *= 2
        callback = self._callback(0, 1)
        dataset.BuildOverviews("AVERAGE", levels or [2], callback=callback)
        dataset = None
        self.cancel.raise_if_cancelled()


def _kind_of_name(name: str | None) -> Geometry:
    text = (name or "").upper()
    if "POINT" in text:
        return Geometry.POINT
    if "LINE" in text or "CURVE" in text:
        return Geometry.LINE
    if "POLYGON" in text or "SURFACE" in text:
        return Geometry.POLYGON
    return Geometry.NONE if not text else Geometry.MIXED


def _georeferenced(dataset: Any) -> bool:
    geo = dataset.GetGeoTransform(can_return_null=True)
    return geo is not None and tuple(geo) != (0.0, 1.0, 0.0, 0.0, 0.0, 1.0)


def _has_srs(path: Path) -> bool:
    gdal, _ogr = _gdal()
    dataset = (gdal.OpenEx(str(path), gdal.OF_RASTER, allowed_drivers=["VRT"])
               if path.suffix.lower() == ".vrt" else _open_raster(path))
    return bool(dataset is not None and dataset.GetProjection())


def _is_picture(path: Path) -> bool:
    """Pictures of the documentation (logos, previews) are not data to report as left out."""
    return path.suffix.lower() in (".png", ".jpg", ".jpeg") or any(
        part.lower() in ("doc", "docs", "documentation") for part in path.parts)


def _world_files(files: List[Path]) -> Dict[str, Tuple[float, ...]]:
    """World files by image name (lower case), wherever they are: MiniScale keeps its `.tfw`
    in `georeferencing_files/ESRI_TFW_FILES`, away from the images."""
    found = {}
    suffixes = {s for group in WORLD_FILES.values() for s in group}
    for path in files:
        if path.suffix.lower() in suffixes:
            transform = _read_world_file(path)
            if transform is not None:
                found[path.stem.lower()] = transform
    return found


def _read_world_file(path: Path) -> Tuple[float, ...] | None:
    try:
        values = [float(line) for line in path.read_text(errors="replace").split()[:6]]
    except (OSError, ValueError):
        return None
    if len(values) != 6:
        return None
    a, d, b, e, c, f = values  # the world file's order; GDAL's geotransform wants the corner
    return (c - a / 2 - b / 2, a, b, f - d / 2 - e / 2, d, e)


def _map_key(path: Path) -> str:
    """Which map a raster file is a tile of: MiniScale's `MiniScale_(relief1)_R23.tif` → its
    style; tiles such as `SU01NE.tif` or `su01_OST50GRID` → the folder family (one mosaic)."""
    style = re.search(r"\(([^)]+)\)", path.stem)
    if style:
        return style.group(1)
    return theme_of(path.stem) if not GRID_CODE.match(path.stem.split("_")[0]) else ""
