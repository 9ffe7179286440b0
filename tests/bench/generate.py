"""The benchmark's files, generated once and cached (build/bench/cache, or cache-tiny).

Downloads are the local server's incompressible-enough bytes (`write_large_file`, one seed per
file). Writing them costs little more than the disk. The unpack zips mix stored binary members
with deflated CSV text, like OS's products. A manifest records sizes and md5s, so a second run
only checks that the files are still there.
"""

from __future__ import annotations

import json
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from local_os_api.server import random_block, write_large_file

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
VERSION = 2  # bump when the layout or the content changes


@dataclass(frozen=True)
class Sizes:
    large: int  # one file: throughput, memory, resume
    memory: int  # the smaller one of the memory pair
    small_count: int
    small: int
    medium_count: int
    medium: int
    zip_members: int  # the zip of many files: members of zip_member bytes
    zip_member: int
    nested_zips: int  # the zip of zips: inner zips of nested_members members
    nested_members: int
    nested_member: int


FULL = Sizes(large=GIB, memory=100 * MIB, small_count=500, small=256 * KIB, medium_count=50,
             medium=20 * MIB, zip_members=256, zip_member=4 * MIB, nested_zips=32,
             nested_members=8, nested_member=1 * MIB)
TINY = Sizes(large=6 * MIB, memory=2 * MIB, small_count=12, small=16 * KIB, medium_count=4,
             medium=1 * MIB, zip_members=8, zip_member=256 * KIB, nested_zips=3,
             nested_members=3, nested_member=64 * KIB)

def _csv_block(seed: int) -> bytes:
    """About 1 MiB of CSV rows like Code-Point Open's."""
    rng = random.Random(seed)
    rows = [
        f"SO{rng.randrange(10, 99)} {rng.randrange(1, 9)}{chr(65 + rng.randrange(26))}"
        f"{chr(65 + rng.randrange(26))},10,{rng.randrange(400000, 460000)},"
        f"{rng.randrange(90000, 130000)},E92000001,E19000002,E18000006,E08000025,E05011130"
        for _ in range(11_000)
    ]
    return ("\n".join(rows) + "\n").encode()


def _write_member(archive: zipfile.ZipFile, name: str, size: int, seed: int, text: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=(2021, 1, 4, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    block = _csv_block(seed % 7) if text else random_block()
    with archive.open(info, "w", force_zip64=size >= 2 * GIB) as out:
        written = index = 0
        while written < size:
            stamp = f"# {seed:08d}:{index:08d}\n".encode()
            chunk = (stamp + block[len(stamp):])[: size - written]
            out.write(chunk)
            written += len(chunk)
            index += 1


def write_many_files_zip(path: Path, sizes: Sizes) -> None:
    """Members in a few folders, every other one deflated CSV text, the others stored."""
    partial = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(partial, "w", compresslevel=1, allowZip64=True) as archive:
        for number in range(sizes.zip_members):
            text = number % 2 == 0
            name = f"data/part{number % 8}/file{number:04d}.{'csv' if text else 'bin'}"
            _write_member(archive, name, sizes.zip_member, number, text)
    os.replace(partial, path)


def write_nested_zip(path: Path, sizes: Sizes) -> None:
    """Inner zips (like Terrain 50's tiles), each stored in the outer zip."""
    partial = path.with_name(path.name + ".tmp")
    inner = path.with_name("inner.zip.tmp")
    with zipfile.ZipFile(partial, "w", allowZip64=True) as outer:
        for tile in range(sizes.nested_zips):
            with zipfile.ZipFile(inner, "w", compresslevel=1) as archive:
                for number in range(sizes.nested_members):
                    text = number % 2 == 0
                    name = f"tile{tile:02d}/grid{number:02d}.{'asc' if text else 'bin'}"
                    _write_member(archive, name, sizes.nested_member, tile * 100 + number, text)
            outer.write(inner, f"data/tiles/tile{tile:02d}.zip", zipfile.ZIP_STORED)
    inner.unlink()
    os.replace(partial, path)


class BenchData:
    """The files under `folder`: `ensure()` makes what is missing; `files(kind)` lists them."""

    def __init__(self, folder: Path, sizes: Sizes) -> None:
        self.folder = Path(folder)
        self.sizes = sizes
        self.manifest_path = self.folder / "manifest.json"
        self.generated_seconds = 0.0

    def _plan(self) -> dict[str, list[tuple[str, int]]]:
        s = self.sizes
        return {
            "large": [(f"large_{s.large}.bin", s.large)],
            "memory": [(f"memory_{s.memory}.bin", s.memory)],
            "small": [(f"small/s{n:04d}.gpkg", s.small) for n in range(s.small_count)],
            "medium": [(f"medium/m{n:03d}.gpkg", s.medium) for n in range(s.medium_count)],
        }

    def _load(self) -> dict:
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": VERSION, "files": {}}
        if manifest.get("version") != VERSION:
            return {"version": VERSION, "files": {}}
        return manifest

    def ensure(self) -> float:
        """Make missing files; return the seconds it took (0 when all were cached)."""
        import time

        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        manifest = self._load()
        known = manifest["files"]
        seed = 0
        for files in self._plan().values():
            for relative, size in files:
                seed += 1
                path = self.folder / relative
                entry = known.get(relative)
                if entry and entry["size"] == size and path.is_file() and \
                        path.stat().st_size == size:
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                known[relative] = {"size": size, "md5": write_large_file(path, size, seed)}
                self.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        for name, writer in (("many_files.zip", write_many_files_zip),
                             ("nested.zip", write_nested_zip)):
            path = self.folder / name
            stamp = json.dumps(self.sizes.__dict__, sort_keys=True)
            if known.get(name, {}).get("sizes") == stamp and path.is_file():
                continue
            writer(path, self.sizes)
            known[name] = {"sizes": stamp, "size": path.stat().st_size}
            self.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        self.generated_seconds = time.perf_counter() - started
        return self.generated_seconds

    def files(self, kind: str) -> list[dict]:
        """[{fileName, path, size, md5}] of one kind: large, memory, small, medium."""
        known = self._load()["files"]
        return [
            {"fileName": Path(relative).name, "path": str(self.folder / relative),
             "size": size, "md5": known[relative]["md5"]}
            for relative, size in self._plan()[kind]
        ]

    def zip_path(self, name: str) -> Path:
        return self.folder / name


# --- real-layout products for the loading benchmarks (issue 15, deliverable 6) -----------------
# Each writer below makes one product in the layout of shared/os-api/README.md §5, with the
# local server's own sample builders (local_os_api.samples_*), at benchmark size. Results are
# cached by their parameters in `folder` (a stamp file beside each zip records the parameters,
# size and md5); a second call with the same parameters only checks the stamp and the size.

UPRN_ROWS = 5_000_000
OPENMAP_BENCH_SQUARES = ["SU", "TQ", "SZ", "ST", "SX", "SY", "SP", "TL", "NS", "NT"]
TERRAIN_BENCH_TILES = 2_000
# Rows of squares from the south coast northwards: the tiles fill them in turn, 100 a square,
# so that any number of tiles up to 2,900 makes one block of touching tiles.
TERRAIN_BENCH_SQUARES = ("SV SW SX SY SZ TV SR SS ST SU TQ TR SM SN SO SP TL TM SH SJ SK TF "
                         "TG SD SE TA NX NY NZ").split()


def _md5_of(path: Path) -> str:
    import hashlib

    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cached_zip(path: Path, params: dict, writer) -> dict:
    """`writer(partial_path)` once per `params`; returns {fileName, path, size, md5}."""
    stamp = path.with_name(path.name + ".json")
    try:
        known = json.loads(stamp.read_text(encoding="utf-8"))
        if known["params"] == params and path.stat().st_size == known["size"]:
            return {"fileName": path.name, "path": str(path), "size": known["size"],
                    "md5": known["md5"]}
    except (OSError, ValueError, KeyError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    writer(partial)
    os.replace(partial, path)
    entry = {"params": params, "size": path.stat().st_size, "md5": _md5_of(path)}
    stamp.write_text(json.dumps(entry), encoding="utf-8")
    return {"fileName": path.name, "path": str(path), "size": entry["size"], "md5": entry["md5"]}


def write_uprn_csv_zip(folder: Path, rows: int = UPRN_ROWS, seed: int = 20240501) -> dict:
    """An OS Open UPRN CSV zip of `rows` addresses: `osopenuprn_202405_csv.zip` holding
    `osopenuprn_202405_csv/osopenuprn_202405.csv` with the header
    `UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE` and CRLF lines (the local server's
    sample layout, `local_os_api.samples_text`). Streamed into the zip in batches of 50,000
    rows: memory stays flat whatever `rows` is (5 M rows: about 250 MB of CSV, 100 MB zipped).
    Deterministic for (rows, seed). Returns {fileName, path, size, md5}."""
    from local_os_api.samples_text import UPRN_HEADER, UPRN_VERSION, write_uprn_rows

    stem = f"osopenuprn_{UPRN_VERSION}"

    def write(partial: Path) -> None:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6,
                             allowZip64=True) as archive:
            info = zipfile.ZipInfo(f"{stem}_csv/{stem}.csv", date_time=(2024, 5, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as out:
                out.write(UPRN_HEADER.encode("ascii"))
                write_uprn_rows(out, rows, seed)

    return _cached_zip(Path(folder) / f"uprn-{rows}-{seed}" / f"{stem}_csv.zip",
                       {"rows": rows, "seed": seed, "version": 1}, write)


def write_openmap_local_zips(folder: Path, squares: int = 10, themes: int = 20,
                             features: int = 200) -> list[dict]:
    """OS OpenMap Local shapefile zips for `squares` 100 km squares (at most 10) with `themes`
    of its 20 themes each (`features` features per theme and square): one
    `opmplc_essh_<sq>.zip` per square holding
    `OS OpenMap Local (ESRI Shape File) <SQ>/data/<SQ>_<Theme>.shp` (+ .shx .dbf .prj .cpg),
    as the real per-square downloads. Points, lines and polygons in EPSG:27700 inside each
    square (`local_os_api.samples_themes`). Returns one {fileName, path, size, md5, area} per
    zip; a run of the loader should give `themes` layers, not squares × themes."""
    from local_os_api.samplekit import LICENCE, zip_members
    from local_os_api.samples_themes import OPENMAP_THEMES, theme_square_members

    names = [theme.name for theme in OPENMAP_THEMES[:themes]]
    files = []
    for square in OPENMAP_BENCH_SQUARES[:squares]:
        root = f"OS OpenMap Local (ESRI Shape File) {square}/"

        def write(partial: Path, square: str = square, root: str = root) -> None:
            members = theme_square_members(square, names, features, root + "data/")
            zip_members(partial, [*members, (root + "doc/licence.txt", LICENCE.encode())])

        path = Path(folder) / f"opmplc-{themes}-{features}" / f"opmplc_essh_{square.lower()}.zip"
        entry = _cached_zip(path, {"themes": themes, "features": features, "version": 1}, write)
        files.append({**entry, "area": square})
    return files


def write_terrain50_grid_zip(folder: Path, tiles: int = TERRAIN_BENCH_TILES,
                             cells: int = 200) -> dict:
    """An OS Terrain 50 ASCII grid zip of `tiles` 10 km tiles (default 2,000; the real GB has
    2,858): `terr50_gagg_gb.zip` holding `data/<sq>/<tile>_OST50GRID_<date>.zip`, one zip per
    tile in a folder per 100 km square, each with `<TILE>.asc` (`cells` × `cells` heights),
    `<TILE>.prj`, `<TILE>.asc.aux.xml`, `<TILE>.gml` and `Metadata_<TILE>.xml`, as the local
    server's sample (`local_os_api.samples_raster`). Tiles fill whole squares in turn (100 per
    square, TERRAIN_BENCH_SQUARES), so together they make one block of touching tiles: one
    mosaic. Written tile by tile: memory stays flat. Returns {fileName, path, size, md5}."""
    import tempfile

    from local_os_api.samplekit import folder_members, zip_members
    from local_os_api.samples_raster import TERRAIN_DATE, write_grid_tile

    if tiles > 100 * len(TERRAIN_BENCH_SQUARES):
        raise ValueError(f"at most {100 * len(TERRAIN_BENCH_SQUARES)} tiles")
    names = [f"{square.lower()}{e}{n}" for square in TERRAIN_BENCH_SQUARES
             for e in range(10) for n in range(10)][:tiles]

    def write(partial: Path) -> None:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as outer, \
                tempfile.TemporaryDirectory(prefix="bench-terr50-") as tmp:
            for tile in names:
                work = Path(tmp) / tile
                work.mkdir()
                write_grid_tile(work, tile, cells)
                inner = Path(tmp) / f"{tile}_OST50GRID_{TERRAIN_DATE}.zip"
                zip_members(inner, folder_members(work, "", keep_aux=True))
                outer.write(inner, f"data/{tile[:2]}/{inner.name}", zipfile.ZIP_STORED)
                inner.unlink()
                for path in work.iterdir():
                    path.unlink()
                work.rmdir()

    return _cached_zip(Path(folder) / f"terr50-{tiles}-{cells}" / "terr50_gagg_gb.zip",
                       {"tiles": tiles, "cells": cells, "version": 1}, write)
