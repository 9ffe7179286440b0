"""Raster and height products: OS Terrain 50, MiniScale, the 1:250 000 Scale Colour Raster,
OS VectorMap District's raster tiles and GB Overview Maps, laid out as shared/os-api/README.md
§5 says the real zips are.

- Terrain 50 ASCII grid `terr50_gagg_gb.zip` → `data/<sq>/<tile>_OST50GRID_<date>.zip` (zips
  inside the zip, in one folder per square), each holding `<TILE>.asc`, `<TILE>.gml` (grid
  metadata, not heights), `<TILE>.prj`, `<TILE>.asc.aux.xml` and `Metadata_<TILE>.xml`.
  Contours (`terr50_cesh_gb.zip` shapefiles, `terr50_cgml_gb.zip` GML) are nested the same way,
  a line file (contours traced by GDAL from the same heights) and a point file (spot heights)
  per tile.
- MiniScale `data/RGB_TIF_COMPRESSED/MiniScale_(<style>)_R<nn>.tif`: plain TIFFs, no
  georeferencing inside; world files in `georeferencing_files/ESRI_TFW_FILES`, MapInfo `.tab`
  in `georeferencing_files/MAPINFO_TAB_FILES`; no `.prj`; five styles, RGB and one-band.
- 1:250 000 Scale Colour Raster `data/<SQ>.tif` tiles and a gazetteer text file.
- VectorMap District raster tiles `data/<SQ><e><n>.tif` (10 km) with world files beside.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np
from osgeo import gdal, ogr

from . import geo
from .geo import Layer, square_origin
from .samplekit import (
    LICENCE,
    FileSpec,
    Member,
    folder_members,
    mapinfo_raster_tab,
    vector_members,
    world_file,
    zip_members,
)

# --- OS Terrain 50 -----------------------------------------------------------------------------

# Tiles of 10 km in several squares; the four in SU touch, so they make one mosaic.
TERRAIN_TILES = ["su40", "su41", "su50", "su51", "sz09", "tq37", "ns56", "st76", "ht93"]
TERRAIN_DATE = "20200610"
TERRAIN_CELLS = 200  # 50 m cells over 10 km, as the real grid


def tile_origin(tile: str) -> tuple[int, int]:
    """South-west corner of a 10 km tile such as "su41"."""
    e0, n0 = square_origin(tile[:2])
    return e0 + int(tile[2]) * 10_000, n0 + int(tile[3]) * 10_000


def tile_heights(tile: str, cells: int = TERRAIN_CELLS) -> np.ndarray:
    e0, n0 = tile_origin(tile)
    pixel = 10_000 / cells
    yy, xx = np.mgrid[0:cells, 0:cells].astype(np.float64)
    heights = geo.terrain(e0 + xx * pixel + pixel / 2, n0 + 10_000 - yy * pixel - pixel / 2)
    return heights.astype(np.float32)


def grid_metadata_gml(tile: str, cells: int) -> bytes:
    """The tile's `.gml`: a description of the grid (extent, cell size), not the heights."""
    e0, n0 = tile_origin(tile)
    name = tile.upper()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gml:RectifiedGridCoverage xmlns:gml="http://www.opengis.net/gml/3.2" gml:id="{name}">
  <gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::27700">
    <gml:lowerCorner>{e0} {n0}</gml:lowerCorner>
    <gml:upperCorner>{e0 + 10_000} {n0 + 10_000}</gml:upperCorner>
  </gml:Envelope></gml:boundedBy>
  <gml:domainSet><gml:RectifiedGrid gml:id="{name}_grid" dimension="2">
    <gml:limits><gml:GridEnvelope><gml:low>0 0</gml:low>
      <gml:high>{cells - 1} {cells - 1}</gml:high></gml:GridEnvelope></gml:limits>
    <gml:axisLabels>x y</gml:axisLabels>
    <gml:origin><gml:Point gml:id="{name}_origin"><gml:pos>{e0} {n0 + 10_000}</gml:pos>
    </gml:Point></gml:origin>
    <gml:offsetVector>{10_000 / cells} 0</gml:offsetVector>
    <gml:offsetVector>0 {-10_000 / cells}</gml:offsetVector>
  </gml:RectifiedGrid></gml:domainSet>
  <gml:rangeSet><gml:File><gml:rangeParameters/>
    <gml:fileName>{name}.asc</gml:fileName><gml:fileStructure>Record Interleaved</gml:fileStructure>
  </gml:File></gml:rangeSet>
</gml:RectifiedGridCoverage>
""".encode()


def tile_metadata_xml(tile: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"
    xmlns:gco="http://www.isotc211.org/2005/gco">
  <gmd:fileIdentifier><gco:CharacterString>{tile.upper()}_OST50GRID_{TERRAIN_DATE}</gco:CharacterString></gmd:fileIdentifier>
  <gmd:dateStamp><gco:Date>{TERRAIN_DATE[:4]}-{TERRAIN_DATE[4:6]}-{TERRAIN_DATE[6:]}</gco:Date></gmd:dateStamp>
  <gmd:referenceSystemInfo><gco:CharacterString>EPSG:27700</gco:CharacterString></gmd:referenceSystemInfo>
</gmd:MD_Metadata>
""".encode()


def write_grid_tile(folder: Path, tile: str, cells: int = TERRAIN_CELLS) -> None:
    """One Terrain 50 tile's five files in `folder` (the AAIGrid driver writes the .prj;
    computing the statistics writes the .asc.aux.xml, as in the real tiles)."""
    e0, n0 = tile_origin(tile)
    asc = folder / f"{tile.upper()}.asc"
    geo.write_raster("AAIGrid", asc, [tile_heights(tile, cells)], origin=(e0, n0 + 10_000),
                     pixel=10_000 / cells, gdal_type=gdal.GDT_Float32,
                     options=["DECIMAL_PRECISION=1"])
    dataset = gdal.Open(str(asc))
    dataset.GetRasterBand(1).ComputeStatistics(False)
    dataset = None
    (folder / f"{tile.upper()}.gml").write_bytes(grid_metadata_gml(tile, cells))
    (folder / f"Metadata_{tile.upper()}.xml").write_bytes(tile_metadata_xml(tile))


def contour_layers(tile: str) -> tuple[Layer, Layer]:
    """Contours every 10 m traced by GDAL from the tile's heights (on a coarser grid, to keep
    the files small) and a few spot heights."""
    e0, n0 = tile_origin(tile)
    heights = tile_heights(tile, 50)
    grid = gdal.GetDriverByName("MEM").Create("", 50, 50, 1, gdal.GDT_Float32)
    grid.SetGeoTransform((e0, 200.0, 0.0, n0 + 10_000, 0.0, -200.0))
    grid.GetRasterBand(1).WriteArray(heights)
    source = ogr.GetDriverByName("Memory").CreateDataSource("contours")
    traced = source.CreateLayer("contours", geo.bng_srs(), ogr.wkbLineString)
    traced.CreateField(ogr.FieldDefn("ID", ogr.OFTInteger))
    traced.CreateField(ogr.FieldDefn("PROP_VALUE", ogr.OFTReal))
    gdal.ContourGenerate(grid.GetRasterBand(1), 10.0, 0.0, [], 0, 0.0, traced, 0, 1)
    name = tile.upper()
    lines = Layer(f"{name}_line", ogr.wkbLineString,
                  [("ID", ogr.OFTString), ("PROP_VALUE", ogr.OFTReal)])
    for number, feature in enumerate(traced):
        lines.features.append(([f"{name}_L{number}", feature.GetField("PROP_VALUE")],
                               feature.GetGeometryRef().ExportToWkt()))
    points = Layer(f"{name}_point", ogr.wkbPoint,
                   [("ID", ogr.OFTString), ("PROP_VALUE", ogr.OFTReal)])
    for number, (row, col) in enumerate([(10, 10), (25, 30), (40, 15), (35, 42)]):
        x, y = e0 + col * 200 + 100, n0 + 10_000 - row * 200 - 100
        points.features.append(([f"{name}_P{number}", round(float(heights[row, col]), 1)],
                                f"POINT ({x} {y})"))
    return lines, points


def terrain_specs() -> list[FileSpec]:
    owner = {"product": "Terrain50", "area": "GB"}

    def nested(path: Path, kind: str, tile_members) -> None:
        members: list[Member] = []
        with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
            for tile in TERRAIN_TILES:
                inner = Path(tmp) / f"{tile}_OST50{kind}_{TERRAIN_DATE}.zip"
                zip_members(inner, tile_members(tile, Path(tmp)))
                members.append((f"data/{tile[:2]}/{inner.name}", inner.read_bytes()))
        members.append(("doc/licence.txt", LICENCE.encode()))
        zip_members(path, members)

    def grid_members(tile: str, tmp: Path) -> list[Member]:
        folder = tmp / tile
        folder.mkdir()
        write_grid_tile(folder, tile)
        return [(name, path.read_bytes()) for name, path in folder_members(folder, "", True)]

    def shapefile_members(tile: str, tmp: Path) -> list[Member]:
        return vector_members("ESRI Shapefile", list(contour_layers(tile)), "", tmp=tmp,
                              lco=["ENCODING=UTF-8"])

    def gml_members(tile: str, tmp: Path) -> list[Member]:
        members: list[Member] = []
        for layer in contour_layers(tile):
            members += vector_members("GML", [layer], "", f"{layer.name}.gml", tmp=tmp,
                                      dsco=["FORMAT=GML3"])
        return members

    return [
        FileSpec({**owner, "format": "ASCII Grid and GML (Grid)"}, "terr50_gagg_gb.zip",
                 lambda path: nested(path, "GRID", grid_members)),
        FileSpec({**owner, "format": "ESRI® Shapefile (Contours)"}, "terr50_cesh_gb.zip",
                 lambda path: nested(path, "CONT", shapefile_members)),
        FileSpec({**owner, "format": "GML 3 (Contours)"}, "terr50_cgml_gb.zip",
                 lambda path: nested(path, "CONT", gml_members)),
    ]


# --- rasters -----------------------------------------------------------------------------------

PALETTE = [(236, 230, 206), (160, 200, 235), (200, 120, 90)]


def georeferenced_tiles(tiles: Sequence[tuple[str, tuple[int, int], int, tuple[int, int]]],
                        options: Sequence[str], tmp: Path) -> list[Member]:
    """GeoTIFF tiles with a world file beside each. tiles: (member path, (top-left easting,
    northing), pixel size, (rows, cols))."""
    members: list[Member] = []
    for member, origin, pixel, shape in tiles:
        name = Path(member).name
        folder = tmp / name
        folder.mkdir()
        bands = geo.colour_map(shape, geo.stable_int(member), PALETTE)
        geo.write_raster("GTiff", folder / name, bands, origin=origin, pixel=pixel,
                         options=[*options, "TFW=YES"])
        members += [(n, p.read_bytes()) for n, p in folder_members(folder, member[:-len(name)])]
    return members


def plain_tiff(bands: Sequence[np.ndarray], options: Sequence[str], tmp: Path) -> bytes:
    """A baseline TIFF: no GeoTIFF tags, so no georeferencing inside."""
    path = tmp / f"plain_{geo.stable_int(len(bands), bands[0].shape, options)}.tif"
    geo.write_raster("GTiff", path, bands, options=[*options, "PROFILE=BASELINE"])
    data = path.read_bytes()
    path.unlink()
    return data


MINISCALE_RELEASE = "R23"
MINISCALE_ORIGIN = (0, 1_300_000)  # top-left of the map: all of Great Britain
MINISCALE_PIXEL = 2_000  # the real map has 100 m pixels; the sample is coarser
MINISCALE_SHAPE = (650, 350)
# style, number of bands (the mono map is one grey band, the others RGB)
MINISCALE_STYLES = [("standard", 3), ("relief1", 3), ("relief2", 3), ("mono", 1),
                    ("std_with_grid", 3)]


def miniscale_members(tmp: Path) -> list[Member]:
    members: list[Member] = []
    rows, cols = MINISCALE_SHAPE
    for style, band_count in MINISCALE_STYLES:
        stem = f"MiniScale_({style})_{MINISCALE_RELEASE}"
        bands = geo.colour_map(MINISCALE_SHAPE, geo.stable_int("miniscale", style), PALETTE)
        if band_count == 1:
            bands = [np.mean(bands, axis=0).astype(np.uint8)]
        members.append((f"data/RGB_TIF_COMPRESSED/{stem}.tif",
                        plain_tiff(bands, ["COMPRESS=LZW"], tmp)))
        # Where georeferencing_files sits (here beside RGB_TIF_COMPRESSED, under data/) is
        # uncertain; that it is a separate folder is not.
        members.append((f"data/georeferencing_files/ESRI_TFW_FILES/{stem}.tfw",
                        world_file(MINISCALE_ORIGIN, MINISCALE_PIXEL)))
        members.append((f"data/georeferencing_files/MAPINFO_TAB_FILES/{stem}.tab",
                        mapinfo_raster_tab(f"{stem}.tif", MINISCALE_ORIGIN, MINISCALE_PIXEL,
                                           (cols, rows))))
    return members


RAS250_SQUARES = ["SU", "TQ", "ST", "NS"]
VMD_RASTER_SQUARES = ["SU", "TQ"]


def raster_specs() -> list[FileSpec]:
    def ras250(path: Path) -> None:
        # Georeferenced GeoTIFFs with world files beside (§5: OS calls the supply not
        # georeferenced, with world files apart, yet users load the tiles directly: uncertain).
        with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
            tiles = []
            for square in RAS250_SQUARES:
                e0, n0 = square_origin(square)
                tiles.append((f"data/{square}.tif", (e0, n0 + 100_000), 250, (400, 400)))
            members = georeferenced_tiles(tiles, ["COMPRESS=LZW"], Path(tmp))
        gazetteer = "".join(f"{square}\t{square_origin(square)[0]}\t{square_origin(square)[1]}"
                            "\r\n" for square in RAS250_SQUARES)
        zip_members(path, [*members, ("gazetteer/ras250_gazetteer.txt", gazetteer.encode()),
                           ("doc/licence.txt", LICENCE.encode())])

    def miniscale(path: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
            members = miniscale_members(Path(tmp))
        zip_members(path, [*members, ("doc/licence.txt", LICENCE.encode())])

    def overview(path: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
            members = georeferenced_tiles([("data/GBOverview.tif", (0, 1_300_000), 5000,
                                            (260, 140))], ["COMPRESS=DEFLATE"], Path(tmp))
        zip_members(path, [*members, ("doc/licence.txt", LICENCE.encode())])

    specs = [
        FileSpec({"product": "250kScaleColourRaster", "area": "GB", "format": "TIFF-LZW"},
                 "ras250_gb.zip", ras250),
        FileSpec({"product": "MiniScale", "area": "GB", "format": "GeoTIFF"},
                 "minisc_gb.zip", miniscale),
        FileSpec({"product": "GBOverviewMaps", "area": "GB", "format": "GeoTIFF"},
                 "gboverview_gb.zip", overview),
    ]
    return specs + vmd_raster_specs()


def vmd_raster_specs() -> list[FileSpec]:
    """VectorMap District raster: 10 km tiles per square, plain TIFFs georeferenced by the
    world file beside each (whether the real tiles also carry GeoTIFF tags is uncertain)."""
    specs = []
    for square in VMD_RASTER_SQUARES:
        def make(path: Path, square: str = square) -> None:
            members: list[Member] = []
            e0, n0 = square_origin(square)
            with tempfile.TemporaryDirectory(prefix="osapi-") as tmp:
                for e, n in [(4, 0), (4, 1), (5, 0), (5, 1)]:
                    name = f"{square}{e}{n}"
                    origin = (e0 + e * 10_000, n0 + (n + 1) * 10_000)
                    bands = geo.colour_map((200, 200), geo.stable_int("vmd", name), PALETTE)
                    members.append((f"data/{name}.tif",
                                    plain_tiff(bands, ["COMPRESS=LZW"], Path(tmp))))
                    members.append((f"data/{name}.tfw", world_file(origin, 50)))
            zip_members(path, [*members, ("doc/licence.txt", LICENCE.encode())])

        specs.append(FileSpec({"product": "VectorMapDistrict", "area": square,
                               "format": "GeoTIFF"}, f"vmdras_tiff_{square.lower()}.zip", make))
    return specs
