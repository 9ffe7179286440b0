"""The safe unpacker against real zip files built in the test, hostile ones included."""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.errors import Cancelled, UnsafeArchiveError
from os_data_hub_loader.api.unpack import UnpackLimits, safe_unpack


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def patch_central_directory(path: Path, offset: int, fmt: str, value: int) -> None:
    """Overwrite a field of every central directory record (offset from its signature)."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into(fmt, data, start + offset, value)
        start += 4
    path.write_bytes(bytes(data))


# -- the normal path ----------------------------------------------------------------------------


def test_unpacks_files_and_folders_and_returns_only_files(tmp_path):
    archive = make_zip(
        tmp_path / "data.zip",
        {"readme.txt": b"hello", "data/": b"", "data/a.csv": b"1,2\n" * 1000, "empty/": b""},
    )
    target = tmp_path / "out"
    files = safe_unpack(archive, target)
    assert files == [target / "readme.txt", target / "data" / "a.csv"]
    assert (target / "data" / "a.csv").read_bytes() == b"1,2\n" * 1000
    assert (target / "empty").is_dir()
    assert files_under(target) == ["data/a.csv", "readme.txt"]


def test_progress_counts_uncompressed_bytes_up_to_the_total(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.bin": os.urandom(3_000_000), "b.txt": b"x" * 10})
    calls: list[tuple[int, int]] = []
    safe_unpack(archive, tmp_path / "out", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3_000_010, 3_000_010)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_unpacking_again_overwrites_cleanly(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.txt": b"original", "sub/b.txt": b"b"})
    target = tmp_path / "out"
    first = safe_unpack(archive, target)
    (target / "a.txt").write_bytes(b"changed by the user")
    second = safe_unpack(archive, target)
    assert first == second
    assert (target / "a.txt").read_bytes() == b"original"
    assert files_under(target) == ["a.txt", "sub/b.txt"]


def test_backslash_names_from_windows_tools_become_folders(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"data\\a.txt": b"a"})
    files = safe_unpack(archive, tmp_path / "out")
    assert files == [tmp_path / "out" / "data" / "a.txt"]


def test_dot_dot_that_stays_inside_is_allowed(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a/../b.txt": b"b"})
    assert safe_unpack(archive, tmp_path / "out") == [tmp_path / "out" / "b.txt"]


# -- paths that escape --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "sub/../../evil.txt",
        "..\\evil.txt",
        "/tmp/evil.txt",
        "\\\\server\\share\\evil.txt",
        "C:/evil.txt",
        "C:evil.txt",
        "sub/file.txt:stream",
        "bad\x01name.txt",
    ],
)
def test_escaping_members_are_refused_and_nothing_is_written(tmp_path, name):
    archive = make_zip(tmp_path / "d.zip", {"good.txt": b"first, harmless", name: b"evil"})
    target = tmp_path / "out"
    with pytest.raises(UnsafeArchiveError) as caught:
        safe_unpack(archive, target)
    assert repr(name)[1:-1] in str(caught.value) or name in str(caught.value)
    assert files_under(tmp_path) == ["d.zip"]  # every member is checked before any is written


def test_symlink_members_are_refused(tmp_path):
    archive = tmp_path / "d.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        link = zipfile.ZipInfo("link")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ok.txt", b"ok")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        safe_unpack(archive, tmp_path / "out")
    assert files_under(tmp_path) == ["d.zip"]


def test_a_link_already_in_the_target_does_not_lead_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "sub").symlink_to(outside, target_is_directory=True)
    archive = make_zip(tmp_path / "d.zip", {"sub/evil.txt": b"evil"})
    with pytest.raises(UnsafeArchiveError, match="outside the target folder"):
        safe_unpack(archive, target)
    assert list(outside.iterdir()) == []


def test_a_name_used_as_file_and_folder_is_refused(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"x": b"file", "x/y.txt": b"inside"})
    with pytest.raises(UnsafeArchiveError, match="both as a file and as a folder"):
        safe_unpack(archive, tmp_path / "out")


# -- zip bombs ----------------------------------------------------------------------------------


def test_too_many_members_are_refused(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {f"f{i}.txt": b"x" for i in range(6)})
    with pytest.raises(UnsafeArchiveError, match="6 members"):
        safe_unpack(archive, tmp_path / "out", limits=UnpackLimits(max_members=5))


def test_declared_total_over_the_limit_is_refused_before_writing(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.bin": os.urandom(600), "b.bin": os.urandom(600)})
    with pytest.raises(UnsafeArchiveError, match="zip bomb") as raised:
        safe_unpack(archive, tmp_path / "out", limits=UnpackLimits(max_total_bytes=1000))
    assert files_under(tmp_path) == ["d.zip"]
    # Sizes read as everywhere else (api.models.human_size): decimal units.
    assert "declares 1.2 kB of files, which would make 1.2 kB unpacked in all, more than the " \
        "limit of 1.0 kB" in str(raised.value)


def test_extreme_compression_ratio_is_refused(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"ok.txt": b"x", "zeros.bin": bytes(2_000_000)})
    limits = UnpackLimits(ratio_min_bytes=1_000_000)
    with pytest.raises(UnsafeArchiveError, match="'zeros.bin' expands"):
        safe_unpack(archive, tmp_path / "out", limits=limits)
    assert files_under(tmp_path) == ["d.zip"]


def test_small_members_may_compress_well(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"zeros.bin": bytes(500_000)})
    assert safe_unpack(archive, tmp_path / "out", limits=UnpackLimits(ratio_min_bytes=1_000_000))


def test_declared_sizes_that_lie_are_caught_and_nothing_is_kept(tmp_path):
    archive = make_zip(
        tmp_path / "d.zip",
        {"first.txt": b"fine", "big.bin": os.urandom(100_000)},
        method=zipfile.ZIP_STORED,
    )
    data = bytearray(archive.read_bytes())
    # Central directory: uncompressed size at +24; claim big.bin is only 1000 bytes.
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    archive.write_bytes(bytes(data))
    with pytest.raises(UnsafeArchiveError):
        safe_unpack(archive, tmp_path / "out")
    assert files_under(tmp_path) == ["d.zip"]


# -- damaged zips -------------------------------------------------------------------------------


def test_truncated_zip_says_download_again(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.bin": os.urandom(50_000)})
    archive.write_bytes(archive.read_bytes()[:30_000])
    with pytest.raises(UnsafeArchiveError, match="damaged.*download it again"):
        safe_unpack(archive, tmp_path / "out")


def test_not_a_zip_at_all(tmp_path):
    archive = tmp_path / "d.zip"
    archive.write_text("<html>Service unavailable</html>")
    with pytest.raises(UnsafeArchiveError, match="download it again"):
        safe_unpack(archive, tmp_path / "out")


def test_crc_error_removes_what_was_written(tmp_path):
    archive = make_zip(
        tmp_path / "d.zip",
        {"first.txt": b"fine", "second.bin": os.urandom(50_000)},
        method=zipfile.ZIP_STORED,
    )
    data = bytearray(archive.read_bytes())
    data[40_000] ^= 0xFF  # inside second.bin's stored bytes
    archive.write_bytes(bytes(data))
    with pytest.raises(UnsafeArchiveError, match="damaged"):
        safe_unpack(archive, tmp_path / "out")
    assert files_under(tmp_path) == ["d.zip"]


def test_unsupported_compression_is_refused_clearly(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.txt": b"a"}, method=zipfile.ZIP_STORED)
    patch_central_directory(archive, 10, "<H", 9)  # Deflate64
    with pytest.raises(UnsafeArchiveError, match="compression method 9"):
        safe_unpack(archive, tmp_path / "out")


def test_encrypted_members_are_refused_clearly(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.txt": b"a"}, method=zipfile.ZIP_STORED)
    patch_central_directory(archive, 8, "<H", 1)
    with pytest.raises(UnsafeArchiveError, match="encrypted"):
        safe_unpack(archive, tmp_path / "out")


# -- nested zips (OS Terrain 50 ships zips inside a zip) ---------------------------------------


def test_nested_zips_are_unpacked_next_to_themselves_and_removed(tmp_path):
    inner = make_zip(tmp_path / "hp40.zip", {"hp40.asc": b"ncols 10\n", "meta/hp40.xml": b"<x/>"})
    outer = tmp_path / "terr50.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "data/hp/hp40.zip")
        zf.writestr("readme.txt", b"read me")
    inner.unlink()
    target = tmp_path / "out"
    files = safe_unpack(outer, target)
    assert files == [
        target / "data/hp/hp40/hp40.asc",
        target / "data/hp/hp40/meta/hp40.xml",
        target / "readme.txt",
    ]
    assert files_under(target) == [
        "data/hp/hp40/hp40.asc",
        "data/hp/hp40/meta/hp40.xml",
        "readme.txt",
    ]
    assert safe_unpack(outer, target) == files  # again: idempotent


def test_nesting_deeper_than_the_limit_is_left_zipped(tmp_path):
    level = make_zip(tmp_path / "l4.zip", {"deep.txt": b"deep"})
    for n in (3, 2, 1):
        outer = tmp_path / f"l{n}.zip"
        with zipfile.ZipFile(outer, "w") as zf:
            zf.write(level, level.name)
        level.unlink()
        level = outer
    files = safe_unpack(level, tmp_path / "out", limits=UnpackLimits(max_depth=3))
    assert files == [tmp_path / "out/l2/l3/l4.zip"]


def test_hostile_nested_zip_is_refused(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"../../../evil.txt": b"evil"})
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "inner.zip")
    inner.unlink()
    with pytest.raises(UnsafeArchiveError, match=r"inner\.zip \(inside outer\.zip\)"):
        safe_unpack(outer, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_nested_zips_share_the_size_budget(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"a.bin": os.urandom(3000)}, zipfile.ZIP_STORED)
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as zf:
        zf.write(inner, "inner.zip")
        zf.writestr("b.bin", os.urandom(3000))
    inner.unlink()
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        safe_unpack(outer, tmp_path / "out", limits=UnpackLimits(max_total_bytes=8000))


# -- cancel -------------------------------------------------------------------------------------


class CancelAfterChecks(CancelToken):
    """Cancels itself at the n-th check, as a user clicking Cancel mid-way would."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.left = checks

    def raise_if_cancelled(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.cancel()
        super().raise_if_cancelled()


def test_cancel_keeps_finished_members_and_leaves_no_half_written_one(tmp_path):
    archive = make_zip(
        tmp_path / "d.zip", {"a.txt": b"small", "b.bin": os.urandom(3_000_000)}, zipfile.ZIP_STORED
    )
    target = tmp_path / "out"
    # checks: a.txt start, its chunk, b.bin start, b.bin's first chunk (cancelled there)
    with pytest.raises(Cancelled):
        safe_unpack(archive, target, cancel=CancelAfterChecks(4))
    assert files_under(target) == ["a.txt"]


def test_many_members_each_under_the_threshold_are_a_bomb_together(tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for index in range(40):
            zf.writestr(f"data/part{index:02}.bin", b"\0" * 200_000)  # 8 MB of zeros in all
    limits = UnpackLimits(max_ratio=50, ratio_min_bytes=1_000_000)  # each member: 0.2 MB
    with pytest.raises(UnsafeArchiveError) as refused:
        safe_unpack(archive, tmp_path / "out", limits=limits)
    assert "zip bomb" in str(refused.value)
    assert not list(tmp_path.rglob("*.bin"))  # refused before anything was written
