"""Hostile servers, files and a second process against integrity (issue 16): nothing corrupt is
ever called verified.

- two processes downloading one file into one folder (two CLI runs against the local OS API
  server, its storage slowed so that they overlap) end with a verified file or a clean failure;
  one that finds another holding the file's lock for too long says so plainly;
- a listing with `d.bin` and `d.bin.part` (our own suffix) gives `d.bin` right and refuses the
  other;
- the unpacker refuses a member named like its temporary files, and an inner zip that would
  write over the outer zip's files;
- a `.tif` that is a GDAL VRT (pointing at /vsicurl/ and /etc/passwd), a `.gml` that is GML
  and an OGR VRT at once, a `.mbtiles` that is a VRT: left out, never opened as VRTs.

Each case records itself in the hostile tally (tests/faults/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from os_data_hub_loader.api import download as download_module
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.download import DownloadEngine, DownloadItem
from os_data_hub_loader.api.errors import LocalFileError, UnsafeArchiveError
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.unpack import TEMP_SUFFIX, safe_unpack
from testsupport import REPO_ROOT, load_download_server

from local_os_api import DEMO_KEY

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


download_server = load_download_server()


@pytest.fixture
def servers():
    with download_server.DownloadServers() as pair:
        yield pair


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def served(servers, name: str, data: bytes) -> DownloadItem:
    file = servers.add_file(name, data)
    return DownloadItem(servers.url_for(name), name, len(data), file.md5)


def engine_for(servers) -> DownloadEngine:
    return DownloadEngine(servers.api_url, ApiKeyAuth(download_server.API_KEY),
                          HttpSettings(timeout=5), FAST_RETRY, workers=2, chunk_size=16 * 1024)


def cli_environment(base_url: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OS_API_")}
    environment.update(OS_API_BASE_URL=base_url, OS_API_KEY=DEMO_KEY, OS_API_TIMEOUT="20",
                       OS_API_RETRY_BASE_DELAY="0.05", OS_API_RETRY_MAX_DELAY="0.2")
    return environment


# --- two processes, one file -------------------------------------------------------------------


def test_two_processes_downloading_one_file_end_verified(os_api, tmp_path, hostile):
    """The dock and qgis_process (here: two command lines) download the same file into one
    folder at the same time: the second waits for the first's lock, then finds the file
    verified. Before the lock, the second's "wb" truncated the first's .part under it."""
    from os_data_hub_loader.api.client import DownloadsClient

    with DownloadsClient(os_api.url, ApiKeyAuth(DEMO_KEY), retry=FAST_RETRY) as client:
        (download,) = client.product_downloads(
            "OpenGreenspace", areas=("HT",), format="GeoPackage")
    item = download.to_item()
    os_api.faults.slow(max(20_000, item.size / 3))  # about three seconds each
    dest = tmp_path / "shared"
    args = [sys.executable, "-m", "api", "download", "OpenGreenspace", "--area", "HT",
            "--format", "GeoPackage", "--dest", str(dest)]
    env = cli_environment(os_api.url)
    first = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    part = dest / (item.file_name + ".part")
    deadline = time.monotonic() + 20
    while not (part.is_file() and part.stat().st_size > item.size // 3) and \
            time.monotonic() < deadline:
        time.sleep(0.02)
    second = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    final = dest / item.file_name

    def good() -> bool:
        return final.is_file() and md5(final.read_bytes()) == item.md5

    # What the first one called done is checked the moment it says so: it is what its caller
    # unpacks and loads, whatever the second one does to the file afterwards.
    outputs = [first.communicate(timeout=120)]
    first_good = good()
    outputs.append(second.communicate(timeout=120))
    codes = [first.returncode, second.returncode]
    second_good = good()
    corrupt = (codes[0] == 0 and not first_good) or (codes[1] == 0 and not second_good)
    hostile.add("two processes download one file into one folder",
                refused=codes == [0, 0] and first_good and second_good, corrupt=corrupt)
    assert not corrupt, outputs
    assert codes == [0, 0], outputs
    assert not part.exists() and not (dest / (item.file_name + ".part.lock")).exists()


def test_a_download_whose_file_another_process_holds_says_so(servers, tmp_path, monkeypatch,
                                                             hostile):
    """Another process holds the file's lock for longer than the wait: a clear message, the
    file left alone; once it lets go, the download goes ahead."""
    item = served(servers, "held.zip", os.urandom(50_000))
    lock = tmp_path / "held.zip.part.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(download_module, "OTHER_PROCESS_WAIT", 0.6, raising=False)
        (result,) = engine_for(servers).download([item], tmp_path)
        clear = isinstance(result.error, LocalFileError) and \
            "Another download of held.zip" in str(result.error)
        untouched = not (tmp_path / "held.zip").exists() and \
            not (tmp_path / "held.zip.part").exists()
        hostile.add("another process holds the file's lock", refused=clear and untouched)
        assert clear, result.error
        assert untouched
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    (result,) = engine_for(servers).download([item], tmp_path)
    assert result.error is None and md5(result.path.read_bytes()) == item.md5


def test_the_final_check_reads_what_is_renamed(servers, tmp_path, monkeypatch, hostile):
    """Something writes into the .part after the bytes streamed past: the md5 of what is on
    disk decides, not the streamed one."""
    item = served(servers, "spoilt.zip", os.urandom(80_000))
    real_write = download_module._FileJob._write

    def write_then_spoil(job, response, offset):
        digest = real_write(job, response, offset)
        with open(job.part, "r+b") as part:  # another writer's bytes, same size
            part.write(b"\0" * 4096)
        return digest

    monkeypatch.setattr(download_module._FileJob, "_write", write_then_spoil)
    (result,) = engine_for(servers).download([item], tmp_path)
    final = tmp_path / "spoilt.zip"
    corrupt = result.error is None and final.is_file() and md5(final.read_bytes()) != item.md5
    hostile.add(".part changed on disk after streaming", refused=result.error is not None,
                corrupt=corrupt)
    assert not corrupt
    assert result.error is not None and "on disk" in str(result.error)


# --- our own suffixes in a listing and in a zip ------------------------------------------------


def test_a_listing_with_our_part_suffix(servers, tmp_path, hostile):
    """`d.bin` and `d.bin.part` both listed: `d.bin` arrives right, the other is refused (it
    would be `d.bin`'s unfinished download)."""
    real = served(servers, "d.bin", os.urandom(60_000))
    impostor = served(servers, "d.bin.part", os.urandom(60_000))
    results = engine_for(servers).download([real, impostor], tmp_path)
    final = tmp_path / "d.bin"
    right = results[0].error is None and md5(final.read_bytes()) == real.md5
    refused = isinstance(results[1].error, UnsafeArchiveError) and \
        "unfinished downloads" in str(results[1].error)
    corrupt = any(r.error is None and r.path is not None and
                  md5(r.path.read_bytes()) != r.item.md5 for r in results)
    hostile.add("listing with d.bin and d.bin.part", refused=right and refused, corrupt=corrupt)
    assert right and refused, [str(r.error) for r in results]
    assert not corrupt


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_member_named_like_our_temporary_file(tmp_path, hostile):
    """`a.txt.unpacking` beside `a.txt`: a.txt's temporary file would clobber it."""
    members = {"a.txt.unpacking": b"the member itself", "a.txt": b"a.txt's bytes"}
    archive = make_zip(tmp_path / "temp-names.zip", members)
    target = tmp_path / "out"
    error = None
    try:
        written = safe_unpack(archive, target)
    except UnsafeArchiveError as caught:
        error, written = caught, []
    corrupt = any(path.read_bytes() != members[path.name] for path in written if path.exists()) \
        or any(not path.exists() for path in written)
    hostile.add("zip member named like the unpacker's temporary file",
                refused=error is not None and TEMP_SUFFIX in str(error), corrupt=corrupt)
    assert error is not None, "the zip was unpacked: " + ", ".join(p.name for p in written)
    assert not [p for p in target.rglob("*") if p.is_file()]


def test_a_nested_zip_never_overwrites_an_outer_member(tmp_path, hostile):
    """The outer zip holds `tile/a.txt` and `tile.zip`, which holds `a.txt` too: unpacking the
    inner zip into `tile/` would write over the outer's file. Refused; zips in zips with their
    own folders (Terrain 50) still unpack."""
    inner = make_zip(tmp_path / "inner.zip", {"a.txt": b"the inner zip's bytes"})
    outer = make_zip(tmp_path / "outer.zip", {"data/tile/a.txt": b"the outer zip's bytes",
                                              "data/tile.zip": inner.read_bytes()})
    target = tmp_path / "out"
    error = None
    try:
        safe_unpack(outer, target)
    except UnsafeArchiveError as caught:
        error = caught
    kept = target / "data" / "tile" / "a.txt"
    corrupt = error is None and kept.is_file() and kept.read_bytes() != b"the outer zip's bytes"
    hostile.add("nested zip overwrites an outer member", refused=error is not None,
                corrupt=corrupt)
    assert error is not None and "would overwrite" in str(error)
    assert not [p for p in target.rglob("*") if p.is_file()]  # nothing of it kept

    squares = {f"su/su{n:02d}.zip": make_zip(tmp_path / f"su{n:02d}.zip", {
        f"su{n:02d}.asc": f"tile {n}".encode()}).read_bytes() for n in range(3)}
    written = safe_unpack(make_zip(tmp_path / "terrain.zip", squares), tmp_path / "terrain")
    assert sorted(p.name for p in written) == ["su00.asc", "su01.asc", "su02.asc"]


# --- files opened by their content -------------------------------------------------------------


class Listener:
    """A port on 127.0.0.1 that counts connections (a VRT's /vsicurl/ fetch would be one)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


VRT_RASTER = """<VRTDataset rasterXSize="10" rasterYSize="10">
<GeoTransform>400000, 50, 0, 100000, 0, -50</GeoTransform>
<VRTRasterBand dataType="Byte" band="1"><SimpleSource>
<SourceFilename>/vsicurl/http://127.0.0.1:{port}/tile.tif</SourceFilename>
<SourceBand>1</SourceBand></SimpleSource></VRTRasterBand>
<VRTRasterBand dataType="Byte" band="2"><SimpleSource>
<SourceFilename>/etc/passwd</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
</VRTRasterBand></VRTDataset>
"""
# Valid GML (one feature) and, opened by content, an OGR VRT reading /etc/passwd.
POLYGLOT_GML = """<OGRVRTDataSource xmlns:gml="http://www.opengis.net/gml"
 xmlns:ogr="http://ogr.maptools.org/">
<OGRVRTLayer name="thing"><SrcDataSource>CSV:/etc/passwd</SrcDataSource></OGRVRTLayer>
<OGRVRTLayer name="remote"><SrcDataSource>/vsicurl/http://127.0.0.1:{port}/x.csv</SrcDataSource>
</OGRVRTLayer>
<gml:featureMember><ogr:thing fid="thing.0"><ogr:geometryProperty><gml:Point>
<gml:coordinates>400000,100000</gml:coordinates></gml:Point></ogr:geometryProperty>
<ogr:name>x</ogr:name></ogr:thing></gml:featureMember>
</OGRVRTDataSource>
"""


@pytest.mark.parametrize("store", ["files", "geopackage"])
def test_files_that_are_vrts_in_disguise_are_left_out(tmp_path, hostile, store):
    """A `.tif` that is a GDAL VRT, a `.gml` that GDAL opens as an OGR VRT by content, a
    `.mbtiles` that is a VRT: none becomes a layer or a source of one, nothing is fetched."""
    pytest.importorskip("osgeo")
    from os_data_hub_loader.api.importer import Importer, Store

    listener = Listener()
    try:
        folder = tmp_path / "download"
        folder.mkdir()
        tif = folder / "SU01.tif"
        tif.write_text(VRT_RASTER.format(port=listener.port))
        gml = folder / "SU_Things.gml"
        gml.write_text(POLYGLOT_GML.format(port=listener.port))
        tiles = folder / "tiles.mbtiles"
        tiles.write_text(VRT_RASTER.format(port=listener.port))
        imported = Importer(folder, "hostile_1", "Hostile", "2024-01", Store(store)).run(
            [tif, gml, tiles])
    finally:
        listener.close()
    hostile_files = {tif, gml, tiles}
    planned = [v.path for v in imported.vectors] + [r.path for r in imported.rasters] + \
        list(imported.tiles)
    opened_by_content = []
    for path in planned:
        if path in hostile_files:
            opened_by_content.append(path.name)
        elif path.suffix == ".vrt":  # one of ours: it may name only files that are safe
            text = path.read_text()
            opened_by_content += [f.name for f in hostile_files if f.name in text]
    outside = [str(p) for p in planned if folder not in Path(p).resolve().parents]
    left_out = {path.name for path, _why in imported.left_out}
    refused = not opened_by_content and not outside and listener.connections == 0 and \
        "tiles.mbtiles" in left_out
    hostile.add(f"VRT in disguise ({store})", refused=refused)
    assert listener.connections == 0, "GDAL fetched a URL named by a downloaded file"
    assert not opened_by_content, opened_by_content
    assert not outside, outside
    assert "tiles.mbtiles" in left_out
