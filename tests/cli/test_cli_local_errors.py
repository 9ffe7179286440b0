"""`python3 -m api` exits 1 for a problem on the user's own machine (README: exit codes), with a
message that says what to do: a download folder that cannot be created, no room to unpack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest
from testsupport import run_cli

local_os_api = pytest.importorskip("local_os_api")


def error_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def smallest_zip(os_api: Any) -> list[str]:
    """`download` options that select the smallest zip of OS Open Greenspace."""
    listed = run_cli(os_api.url, "downloads", "OpenGreenspace", "--format", "GeoPackage",
                     "--json")
    assert listed.returncode == 0, listed.stderr
    row = min((r for r in json.loads(listed.stdout) if r["fileName"].endswith(".zip")),
              key=lambda r: int(r["size"]))
    return ["OpenGreenspace", "--area", row["area"], "--format", row["format"],
            "--file", row["fileName"]]


def test_a_download_folder_that_cannot_be_created_exits_1(os_api: Any, tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    dest = in_the_way / "downloads"
    result = run_cli(os_api.url, "download", *smallest_zip(os_api), "--dest", str(dest))
    assert result.returncode == 1, result.stderr
    line = error_line(result)
    assert f"could not create the download folder {dest}" in line
    assert "check the download folder" in line.lower()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """(a folder with no free space, the environment for the CLI): a full tmpfs where we may
    mount one (root; OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL=1 forces the other way, as in
    tests/faults), else the CLI sees `shutil.disk_usage` report 0 bytes free."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    simulate = os.environ.get("OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL") == "1"
    mounted = not simulate and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(folder)],
        capture_output=True, check=False).returncode == 0
    env: dict[str, str] = {}
    if not mounted:
        hook = tmp_path / "no-free-space"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(
            "import shutil\n"
            "shutil.disk_usage = lambda path: shutil._ntuple_diskusage(1 << 30, 1 << 30, 0)\n")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(hook), *filter(None, [os.environ.get("PYTHONPATH")])])
    try:
        yield folder, env
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Take all the free space left in `folder` (a tmpfs: it says ENOSPC when full)."""
    handle = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(handle)


def test_no_room_to_unpack_exits_1(os_api: Any, tmp_path: Path, full_disk) -> None:
    folder, env = full_disk
    options = smallest_zip(os_api)
    fetched = tmp_path / "fetched"
    first = run_cli(os_api.url, "download", *options, "--dest", str(fetched))
    assert first.returncode == 0, first.stderr
    (zip_path,) = fetched.glob("*.zip")
    with zipfile.ZipFile(zip_path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 8192  # more than a tmpfs rounds
    shutil.copy(zip_path, folder / zip_path.name)  # verified there: not downloaded again
    if not env:
        fill(folder)
    result = run_cli(os_api.url, "download", *options, "--dest", str(folder), "--unpack",
                     env=env)
    assert result.returncode == 1, result.stderr
    line = error_line(result).lower()
    assert f"not enough disk space to unpack {zip_path.name}" in line
    assert "free some space or choose another download folder, then try again" in line
    assert (folder / zip_path.name).is_file()  # the download is kept


def test_help_lists_the_exit_codes_of_the_errors(os_api: Any) -> None:
    """One source: --help says what each error class's `exit_code` is."""
    from os_data_hub_loader.api.errors import (
        AuthenticationError,
        Cancelled,
        IntegrityError,
        LocalFileError,
        NotFoundError,
        OSAPIError,
    )

    shown = run_cli(os_api.url, "--help")
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split("exit codes:")[1].split())
    for error, meaning in [(LocalFileError, "local or unexpected error"),
                           (AuthenticationError, "key refused"), (NotFoundError, "not found"),
                           (IntegrityError, "damaged download"),
                           (OSAPIError, "network or server failure"),
                           (Cancelled, "interrupted")]:
        assert f"{error.exit_code} {meaning}" in text
