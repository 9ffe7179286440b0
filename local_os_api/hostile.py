"""Hostile and odd files that the `hostile_file` fault adds to a listing: a zip-slip archive,
a zip bomb, a `fileName` with `../`, non-ASCII names and a 0-byte file. Made at first use
(small; the bomb is 20 MiB of zeros deflated to about 20 KB) and cached under the data folder.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

from .faults import HostileFile

VERSION = "1"  # bump when a file changes: the cached copies are made again
ZIP_DATE = (2021, 1, 4, 9, 0, 0)
BOMB_BYTES = 20 * 1024 * 1024
STORAGE_PREFIX = "/downloads/hostile"
CSV = b"id,name\n1,Southampton\n2,Portsmouth\n"

# kind -> (fileName as listed, zip members as (name, bytes) or None for raw bytes)
FILE_NAMES = {
    "zip_slip": "fault_zipslip.zip",
    "zip_bomb": "fault_zipbomb.zip",
    "dotdot_name": "../fault_escape.zip",
    "non_ascii": "Llŷn_Môn_ñ_テスト.zip",
    "empty_file": "fault_empty.zip",
}


def _members(kind: str) -> list[tuple[str, bytes]] | None:
    if kind == "zip_slip":
        return [("data/ok.csv", CSV), ("../../fault_evil.txt", b"written outside\n")]
    if kind == "zip_bomb":
        return [("data/bomb.csv", b"\0" * BOMB_BYTES)]
    if kind == "dotdot_name":
        return [("data/ok.csv", CSV)]
    if kind == "non_ascii":
        return [("Ynys Môn/Llŷn_ñ.csv", "id,enw\n1,Caergybi\n2,Pwllheli ŵ\n".encode())]
    return None  # empty_file: no zip at all, 0 bytes


def write(kind: str, folder: Path) -> Path:
    """The file for `kind` under `folder` (made once)."""
    path = folder / f"{kind}-v{VERSION}.bin"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    # Two requests may make it at once (the server is threaded): each writes its own copy.
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    members = _members(kind)
    if members is None:
        partial.write_bytes(b"")
    else:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
    partial.replace(path)
    return path


def storage_path(hostile: HostileFile) -> str:
    return f"{STORAGE_PREFIX}/{hostile.kind}/{quote(FILE_NAMES[hostile.kind], safe='')}"


def entry(hostile: HostileFile, folder: Path) -> dict:
    """A listing row for the file, shaped like the catalogue's rows."""
    path = write(hostile.kind, folder)
    data = path.read_bytes()
    return {
        "productId": hostile.product, "packageId": hostile.package,
        "versionId": hostile.version, "fileName": FILE_NAMES[hostile.kind],
        "size": len(data), "md5": hashlib.md5(data).hexdigest(), "area": hostile.area,
        "format": hostile.format, "subformat": None, "path": path,
        "storagePath": storage_path(hostile),
    }


def find(storage_path_asked: str, hostiles: list[HostileFile], folder: Path) -> dict | None:
    """The row behind a storage path as requested (percent-encoded), among armed files."""
    wanted = unquote(storage_path_asked)
    for hostile in hostiles:
        if unquote(storage_path(hostile)) == wanted:
            return entry(hostile, folder)
    return None
