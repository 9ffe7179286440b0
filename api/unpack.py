"""Unpack a downloaded zip without trusting it.

Every member is checked before anything is written: no absolute paths, drive letters, UNC paths or
`..` that leave the target folder, no symlinks, no encryption, and declared sizes within
`UnpackLimits` (zip bombs). While writing, the real bytes are counted too (declared sizes can lie).
Each member streams into a temporary name in its folder and is renamed when complete, so a member
is either whole or absent; a member named like such a temporary file (`*.unpacking`) is refused.
OS ships zips inside zips (Terrain 50): those are unpacked into a folder named after them, and the
inner zip is removed; an inner zip whose files would land on a file the outer zip (or another
inner zip) already wrote is refused, and what the run wrote is removed again.
"""

from __future__ import annotations

import lzma
import os
import posixpath
import re
import shutil
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from .cancel import CancelToken
from .errors import (
    Cancelled,
    LocalFileError,
    UnsafeArchiveError,
    local_file_error,
)
from .models import human_size
from .phrases import QT_TRANSLATE_NOOP

MB = 1024 * 1024
GB = 1024 * MB
CHUNK_SIZE = 1 * MB
PROGRESS_INTERVAL = 0.1
TEMP_SUFFIX = ".unpacking"
# File systems take names of up to 255 bytes; a member is written first as <name>.unpacking.
MAX_NAME_BYTES = 255 - len(TEMP_SUFFIX)
_SUPPORTED_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
# What a damaged archive raises while it is read.
_DAMAGE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, ValueError)
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class UnpackLimits:
    """Zip-bomb guards.

    `max_total_bytes` caps everything written (nested zips included); `max_ratio` caps
    uncompressed/compressed per member larger than `ratio_min_bytes` (OS data compresses 2-20:1;
    deflate cannot exceed about 1030:1); `max_depth` counts zip levels (the outer zip is 1): zips
    deeper than that are left as files.
    """

    max_total_bytes: int = 50 * GB
    max_ratio: float = 200.0
    ratio_min_bytes: int = 16 * MB
    max_members: int = 100_000
    max_depth: int = 3


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    dest: Path


class _Meter:
    """Progress over uncompressed bytes, throttled; the total grows as nested zips open."""

    def __init__(self, callback: Callable[[int, int], None] | None) -> None:
        self.callback = callback
        self.done = 0
        self.total = 0
        self._last = 0.0

    def grow(self, total: int) -> None:
        self.total += total
        self.emit(force=True)

    def advance(self, count: int) -> None:
        self.done += count
        self.emit()

    def emit(self, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.callback(self.done, self.total)


class _Budget:
    """Bytes that may still be written, shared by the outer zip and the zips inside it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, count: int, label: str) -> None:
        self.used += count
        if self.used > self.limit:
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "{0} unpacks to more than {1}, the limit: it looks like a zip bomb and "
                "was not unpacked.").format(label, human_size(self.limit)))

    def release(self, count: int) -> None:
        self.used -= count


def safe_unpack(
    zip_path: Path,
    target_dir: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
    limits: UnpackLimits = UnpackLimits(),
) -> list[Path]:
    """Unpack `zip_path` into `target_dir` (created if needed); return the files written.

    Raises `UnsafeArchiveError` for an unsafe or damaged zip (nothing of it is kept), `Cancelled`
    (finished members are kept, no half-written one), `LocalFileError` for disk problems.
    Unpacking again into the same folder overwrites what the previous run wrote.
    """
    zip_path, target_dir = Path(zip_path), Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _disk_error(target_dir, error) from None
    unpacker = _Unpacker(limits, cancel, _Meter(progress), _Budget(limits.max_total_bytes))
    try:
        files = unpacker.unpack(zip_path, target_dir, depth=1, label=zip_path.name)
    except UnsafeArchiveError:
        unpacker.remove_written()  # an inner zip was refused: keep nothing of the outer either
        raise
    unpacker.meter.emit(force=True)
    return files


class _Unpacker:
    def __init__(
        self, limits: UnpackLimits, cancel: CancelToken | None, meter: _Meter, budget: _Budget
    ) -> None:
        self.limits = limits
        self.cancel = cancel
        self.meter = meter
        self.budget = budget
        # Every file this run wrote (the outer zip's and the inner zips'), by normcase'd path:
        # an inner zip may not write over any of them.
        self.written: dict[str, Path] = {}

    def remove_written(self) -> None:
        for path in self.written.values():
            path.unlink(missing_ok=True)
        self.written.clear()

    def unpack(self, zip_path: Path, target_dir: Path, depth: int, label: str) -> list[Path]:
        if zip_path.is_file() and zip_path.stat().st_size == 0:
            # Not damaged in transit (a 0-byte file can verify): downloading again won't help.
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "The zip file {0} is empty (0 bytes): there is nothing to unpack. If the "
                "OS Data Hub lists it with a size of 0, the file itself is empty; ask Ordnance "
                "Survey about it.").format(label))
        try:
            with zipfile.ZipFile(zip_path) as archive:
                folders, members = self._plan(archive, target_dir, label)
                self.meter.grow(sum(m.info.file_size for m in members))
                written = self._extract(archive, folders, members, label)
        except _DAMAGE as error:
            if depth > 1:  # inside a verified download: fetching it again cannot help
                raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                    "api", "{0} is named as a zip but is not one ({1}), so it was not unpacked; "
                    "the download around it was verified, so downloading again will not help: "
                    "tell Ordnance Survey about the file.").format(label, error)) from None
            raise _damaged(label, error) from None
        except FileNotFoundError:
            raise LocalFileError(
                QT_TRANSLATE_NOOP("api", "The zip file {0} does not exist.").format(zip_path)
            ) from None
        files: list[Path] = []
        for path in written:
            if path.suffix.lower() == ".zip" and depth < self.limits.max_depth:
                inside = QT_TRANSLATE_NOOP("api", "{0} (inside {1})").format(path.name, label)
                files.extend(self._unpack_nested(path, depth, inside))
            else:
                files.append(path)
        return files

    def _unpack_nested(self, inner: Path, depth: int, label: str) -> list[Path]:
        folder = inner.with_name(inner.name[: -len(".zip")])
        try:
            folder.mkdir(exist_ok=True)
        except OSError as error:
            raise _disk_error(folder, error) from None
        files = self.unpack(inner, folder, depth + 1, label)
        size = inner.stat().st_size
        inner.unlink()
        self.written.pop(_key(inner), None)
        self.budget.release(size)
        return files

    # -- checks before writing anything ----------------------------------------------------

    def _plan(
        self, archive: zipfile.ZipFile, target_dir: Path, label: str
    ) -> tuple[list[Path], list[_Member]]:
        infos = archive.infolist()
        if len(infos) > self.limits.max_members:
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "{0} has {1} members, more than the limit of {2}: it looks like a zip "
                "bomb and was not unpacked.").format(label, len(infos), self.limits.max_members))
        root = target_dir.resolve()
        folders: set[Path] = set()
        members: list[_Member] = []
        seen: set[Path] = set()
        declared = 0
        for info in infos:
            dest = _member_path(info.filename, root, label)
            if dest is None:
                continue
            if info.is_dir() or info.filename.endswith("\\"):
                folders.add(dest)
                continue
            _check_member(info, label, self.limits)
            if dest.name.lower().endswith(TEMP_SUFFIX):
                raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                    "api", "{label} was not unpacked: its member {name!r} ends in '{suffix}', "
                    "the name given to files while they are unpacked. The zip is unsafe or "
                    "damaged; nothing was written.").format(
                    label=label, name=info.filename, suffix=TEMP_SUFFIX))
            earlier = self.written.get(_key(dest))
            if earlier is not None:
                raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                    "api", "{label} was not unpacked: its member {name!r} would overwrite "
                    "{path}, which the zip around it holds. The zip is malformed; nothing of it "
                    "was kept.").format(label=label, name=info.filename, path=earlier))
            if dest in seen:
                raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                    "api", "{0} holds '{1}' twice: the zip is malformed and was not unpacked. "
                    "Download it again.").format(label, info.filename))
            seen.add(dest)
            folders.update(p for p in dest.parents if root in p.parents)
            members.append(_Member(info, dest))
            declared += info.file_size
        clash = next((m for m in members if m.dest in folders), None)
        if clash is not None:
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "{0} has '{1}' both as a file and as a folder: the zip is malformed and "
                "was not unpacked. Download it again.").format(label, clash.info.filename))
        compressed = sum(m.info.compress_size for m in members)
        overall = declared / max(1, compressed)
        if declared > self.limits.ratio_min_bytes and overall > self.limits.max_ratio:
            # Many members each just under the per-member threshold add up the same way.
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "{0} would expand {1:.0f} times (more than {2:.0f}) to {3}: it looks like "
                "a zip bomb and was not unpacked.").format(
                label, overall, self.limits.max_ratio, human_size(declared)))
        if self.budget.used + declared > self.limits.max_total_bytes:
            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                "api", "{0} declares {1} of files, which would make {2} unpacked in all, more "
                "than the limit of {3}: it looks like a zip bomb and was not unpacked.").format(
                label, human_size(declared), human_size(self.budget.used + declared),
                human_size(self.limits.max_total_bytes)))
        free = shutil.disk_usage(root).free
        if declared > free:
            raise LocalFileError(QT_TRANSLATE_NOOP(
                "api", "Not enough disk space to unpack {0}: it needs {1}, {2} are free in "
                "{3}. Free some space or choose another download folder, then try "
                "again.").format(label, human_size(declared), human_size(free), target_dir))
        return sorted(folders), members

    # -- writing ---------------------------------------------------------------------------

    def _extract(
        self, archive: zipfile.ZipFile, folders: list[Path], members: list[_Member], label: str
    ) -> list[Path]:
        written: list[Path] = []
        try:
            for folder in folders:
                _make_folder(folder)
            for member in members:
                self._extract_member(archive, member, label)
                written.append(member.dest)
                self.written[_key(member.dest)] = member.dest
        except Cancelled:
            raise  # finished members are kept; the half-written one is gone already
        except BaseException:
            for path in written:  # from a damaged or hostile zip: keep none of it
                path.unlink(missing_ok=True)
                self.written.pop(_key(path), None)
            raise
        return written

    def _extract_member(self, archive: zipfile.ZipFile, member: _Member, label: str) -> None:
        info, dest = member.info, member.dest
        temp = dest.with_name(dest.name + TEMP_SUFFIX)
        count = 0
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        try:
            with archive.open(info) as source:
                try:
                    out = open(temp, "wb")
                except OSError as error:
                    raise _disk_error(temp, error) from None
                with out:
                    for chunk in _chunks(source):
                        if self.cancel is not None:
                            self.cancel.raise_if_cancelled()
                        count += len(chunk)
                        if count > info.file_size:
                            raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
                                "api", "'{0}' in {1} holds more than the {2} bytes it declares: "
                                "the zip is hostile or damaged and was not unpacked.").format(
                                info.filename, label, info.file_size))
                        self.budget.take(len(chunk), label)
                        try:
                            out.write(chunk)
                        except OSError as error:
                            raise _disk_error(dest, error) from None
                        self.meter.advance(len(chunk))
            try:
                os.replace(temp, dest)
            except OSError as error:
                raise _disk_error(dest, error) from None
        except BaseException:
            temp.unlink(missing_ok=True)
            self.budget.release(count)
            raise


def _key(path: Path) -> str:
    return os.path.normcase(str(path))


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while True:
        chunk = source.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def _member_path(name: str, root: Path, label: str) -> Path | None:
    """Where member `name` goes under `root` (already resolved), None for the root itself."""

    def refuse(why: str) -> UnsafeArchiveError:
        return UnsafeArchiveError(QT_TRANSLATE_NOOP(
            "api", "{label} was not unpacked: its member {name!r} {why}. The zip is unsafe or "
            "damaged; nothing was written.").format(label=label, name=name, why=why))

    if any(ord(c) < 32 for c in name):
        raise refuse(QT_TRANSLATE_NOOP("api", "contains control characters"))
    path = name.replace("\\", "/")
    if path.startswith("/"):
        raise refuse(QT_TRANSLATE_NOOP("api", "is an absolute or network (UNC) path"))
    if _DRIVE.match(path) or any(":" in part for part in path.split("/")):
        raise refuse(
            QT_TRANSLATE_NOOP("api", "contains ':' (a drive letter or a Windows stream name)"))
    longest = max((len(part.encode("utf-8")) for part in path.split("/")), default=0)
    if longest > MAX_NAME_BYTES:
        raise refuse(QT_TRANSLATE_NOOP(
            "api", "has a name of {0} bytes, longer than file systems take ({1} with the "
            "unpacker's temporary suffix)").format(longest, MAX_NAME_BYTES))
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        raise refuse(QT_TRANSLATE_NOOP("api", "would be written outside the target folder ('..')"))
    if normal in (".", ""):
        return None
    dest = root.joinpath(*normal.split("/"))
    if root not in dest.resolve().parents:
        raise refuse(QT_TRANSLATE_NOOP(
            "api", "would be written outside the target folder (through a link)"))
    return dest


def _check_member(info: zipfile.ZipInfo, label: str, limits: UnpackLimits) -> None:
    def refuse(why: str) -> UnsafeArchiveError:
        return UnsafeArchiveError(QT_TRANSLATE_NOOP(
            "api", "{label} was not unpacked: its member {name!r} {why}.").format(
            label=label, name=info.filename, why=why))

    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise refuse(QT_TRANSLATE_NOOP("api", "is a symbolic link, which is refused"))
    if info.flag_bits & 0x1:
        raise refuse(QT_TRANSLATE_NOOP(
            "api", "is encrypted (password-protected zips are not supported)"))
    if info.compress_type not in _SUPPORTED_METHODS:
        raise refuse(QT_TRANSLATE_NOOP(
            "api", "uses compression method {0}, which cannot be unpacked here (Deflate64 is 9); "
            "unpack it with another tool").format(info.compress_type))
    ratio = info.file_size / max(1, info.compress_size)
    if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
        raise refuse(QT_TRANSLATE_NOOP(
            "api", "expands {0:.0f} times (more than {1:.0f}): it looks like a zip bomb").format(
            ratio, limits.max_ratio))


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _disk_error(folder, error) from None


def _damaged(label: str, error: BaseException) -> UnsafeArchiveError:
    return UnsafeArchiveError(QT_TRANSLATE_NOOP(
        "api", "The zip file {0} is damaged ({1}) and was not unpacked: download it "
        "again.").format(label, error))


def _disk_error(path: Path, error: OSError) -> LocalFileError:
    return local_file_error(path, error)
