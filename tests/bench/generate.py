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
