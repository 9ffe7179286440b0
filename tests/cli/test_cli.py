"""`python3 -m api` end to end: a real subprocess against the local OS API server, with its
faults switched on. Retry delays are kept short through OS_API_RETRY_BASE_DELAY."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Dict, List

import pytest
from testsupport import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
DEMO_SECRET: str = local_os_api.DEMO_SECRET
NO_PACKAGES_KEY: str = local_os_api.NO_PACKAGES_KEY
WRONG_KEY = "wrong-key-never-shown-0123456789"
PACKAGE = "0040046952"


def run(os_api: Any, *args: str, **options: Any) -> subprocess.CompletedProcess:
    return run_cli(os_api.url, *args, **options)


def error_line(result: subprocess.CompletedProcess) -> str:
    """The one `error:` line a failure prints on stderr."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def downloads(os_api: Any, product: str = "OpenGreenspace") -> List[Dict[str, Any]]:
    result = run(os_api, "downloads", product, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def smallest(os_api: Any, product: str = "OpenGreenspace") -> Dict[str, Any]:
    return min(downloads(os_api, product), key=lambda d: int(d["size"]))


def file_args(row: Dict[str, Any]) -> List[str]:
    """Options that select exactly this file of a product."""
    args = ["--area", row["area"], "--format", row["format"], "--file", row["fileName"]]
    if row.get("subformat"):
        args += ["--subformat", row["subformat"]]
    return args


@pytest.fixture(autouse=True)
def normal_server(os_api: Any) -> Any:
    os_api.faults.reset()
    yield
    os_api.faults.reset()


# ----- usage, help, version -----


def test_help_and_version(os_api: Any) -> None:
    result = run(os_api, "--help")
    assert result.returncode == 0
    for name in ("products", "download-package", "OS_API_RETRY_BASE_DELAY", "exit codes"):
        assert name in result.stdout
    result = run(os_api, "--version")
    assert result.returncode == 0 and "0." in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["product"],
        ["downloads", "OpenGreenspace", "--area", "XX"],
        ["download", "OpenGreenspace"],  # --dest missing
        ["download", "OpenGreenspace", "--dest", "x", "--workers", "0"],
    ],
)
def test_usage_errors_exit_2(os_api: Any, args: List[str]) -> None:
    result = run(os_api, *args)
    assert result.returncode == 2, result.stderr
    if "XX" in args:
        assert "XX" in result.stderr


# ----- listings -----


def test_products_table_and_json(os_api: Any) -> None:
    result = run(os_api, "products")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert header.split() == ["ID", "VERSION", "NAME"]
    assert "OpenGreenspace" in result.stdout and "OS Open Greenspace" in result.stdout
    result = run(os_api, "products", "--json")
    assert result.returncode == 0
    products = json.loads(result.stdout)
    assert any(p["id"] == "OpenGreenspace" for p in products)


def test_global_options_after_the_command(os_api: Any) -> None:
    result = run(os_api, "products", "--base-url", os_api.url, "-q", "--rate-limit", "50")
    assert result.returncode == 0, result.stderr


def test_product_details(os_api: Any) -> None:
    result = run(os_api, "product", "OpenGreenspace")
    assert result.returncode == 0, result.stderr
    assert "ESRI® Shapefile" in result.stdout and "Greenspace" in result.stdout
    data = json.loads(run(os_api, "product", "OpenGreenspace", "--json").stdout)
    assert data["id"] == "OpenGreenspace" and "documentationUrl" in data


def test_product_not_found_exits_4(os_api: Any) -> None:
    result = run(os_api, "product", "NoSuchProduct")
    assert result.returncode == 4
    assert "NoSuchProduct" in error_line(result)


def test_downloads_table_and_filters(os_api: Any) -> None:
    row = smallest(os_api)
    args = ["--area", row["area"].lower(), "--format", row["format"]]
    if row.get("subformat"):
        args += ["--subformat", row["subformat"]]
    result = run(os_api, "downloads", "OpenGreenspace", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[:4] == ["FILE", "AREA", "FORMAT", "SIZE"]
    assert row["fileName"] in result.stdout
    assert any(unit in result.stdout for unit in (" B", " kB", " MB"))
    listed = json.loads(run(os_api, "downloads", "OpenGreenspace", *args, "--json").stdout)
    assert row["fileName"] in [d["fileName"] for d in listed]
    assert {d["area"].upper() for d in listed} == {row["area"].upper()}


def test_downloads_several_areas(os_api: Any) -> None:
    rows = downloads(os_api)
    areas = sorted({r["area"] for r in rows if r["area"] != "GB"})[:2]
    result = run(
        os_api, "downloads", "OpenGreenspace", "--json", *sum((["--area", a] for a in areas), [])
    )
    assert result.returncode == 0, result.stderr
    assert {d["area"] for d in json.loads(result.stdout)} == set(areas)


def test_downloads_no_match_lists_what_exists(os_api: Any) -> None:
    result = run(os_api, "downloads", "OpenGreenspace", "--format", "Nonexistent Format")
    assert result.returncode == 4
    line = error_line(result)
    assert "Nonexistent Format" in line and "GeoPackage" in line and "areas" in line


# ----- downloads -----


def test_download_one_file_and_unpack(os_api: Any, tmp_path: Path) -> None:
    row = smallest(os_api)
    result = run(
        os_api, "download", "OpenGreenspace", "--dest", str(tmp_path), "--unpack", *file_args(row)
    )
    assert result.returncode == 0, result.stderr
    final = tmp_path / row["fileName"]
    assert md5_of(final) == row["md5"].lower()
    assert str(final) in result.stdout.splitlines()
    assert f"done: {row['fileName']}" in result.stderr  # stderr is not a TTY: a line per file
    if final.suffix == ".zip":
        unpacked = tmp_path / final.stem
        assert unpacked.is_dir() and any(unpacked.rglob("*"))
        assert str(unpacked) in result.stdout.splitlines()
    # A second run finds the file complete and verified: nothing fetched again.
    again = run(os_api, "download", "OpenGreenspace", "--dest", str(tmp_path), *file_args(row))
    assert again.returncode == 0, again.stderr
    assert str(final) in again.stdout


def test_download_unknown_file_exits_4(os_api: Any, tmp_path: Path) -> None:
    row = smallest(os_api)
    result = run(
        os_api,
        "download",
        "OpenGreenspace",
        "--dest",
        str(tmp_path),
        "--file",
        "nope.zip",
        "--area",
        row["area"],
    )
    assert result.returncode == 4
    line = error_line(result)
    assert "nope.zip" in line and row["fileName"] in line
    assert not list(tmp_path.iterdir())


def test_resume_after_dropped_connection(os_api: Any, tmp_path: Path) -> None:
    row = max(downloads(os_api), key=lambda d: int(d["size"]))
    os_api.faults.drop_after_bytes(int(row["size"]) // 2)
    result = run(os_api, "download", "OpenGreenspace", "--dest", str(tmp_path), *file_args(row))
    assert result.returncode == 0, result.stderr
    assert md5_of(tmp_path / row["fileName"]) == row["md5"].lower()


@pytest.mark.parametrize("retry_after", [1, None])
def test_429_then_success(os_api: Any, tmp_path: Path, retry_after: int | None) -> None:
    row = smallest(os_api)
    os_api.faults.fail_next(429, times=2, retry_after=retry_after)
    start = time.monotonic()
    result = run(os_api, "download", "OpenGreenspace", "--dest", str(tmp_path), *file_args(row))
    assert result.returncode == 0, result.stderr
    if retry_after:
        assert time.monotonic() - start >= 1.0
    assert md5_of(tmp_path / row["fileName"]) == row["md5"].lower()


def test_listing_retries_503_then_success(os_api: Any) -> None:
    os_api.faults.fail_next(503, times=2)
    result = run(os_api, "products")
    assert result.returncode == 0, result.stderr


def test_server_failure_after_retries_exits_6(os_api: Any) -> None:
    os_api.faults.fail_next(503, times=100)
    result = run(os_api, "products", env={"OS_API_RETRY_ATTEMPTS": "3"})
    assert result.returncode == 6
    assert "503" in error_line(result)


@pytest.mark.parametrize(
    ("command", "target", "path_part"),
    [
        (["products"], "api", "/products"),
        (["basemaps"], "api", "/maps/"),
        (["download", "OpenGreenspace", "--area", "SV", "--format", "GML", "--subformat", "3"],
         "storage", "opgrsp_gml3_sv.zip"),
    ],
    ids=["listing", "os-maps", "download-engine"],
)
def test_every_client_tries_as_often_as_os_api_retry_attempts_says(
    os_api: Any, tmp_path: Path, command: List[str], target: str, path_part: str
) -> None:
    """The Downloads client, the OS Maps client and the engine all get the CLI's policy."""
    if command[0] == "download":
        command = [*command, "--dest", str(tmp_path)]
    os_api.faults.fail_next(503, times=100, target=target)
    result = run(os_api, *command, key=DEMO_KEY, env={"OS_API_RETRY_ATTEMPTS": "3"})
    assert result.returncode == 6, result.stderr
    tried = [r for r in os_api.requests if r.server == target and path_part in r.path]
    assert len(tried) == 3, [r.path for r in os_api.requests]


def test_unreachable_server_exits_6(os_api: Any) -> None:
    result = run(
        os_api, "--base-url", "http://127.0.0.1:9", "products", env={"OS_API_RETRY_ATTEMPTS": "2"}
    )
    assert result.returncode == 6
    assert "connection" in error_line(result).lower()


def test_wrong_md5_exits_5_without_a_final_file(os_api: Any, tmp_path: Path) -> None:
    row = smallest(os_api)
    os_api.faults.wrong_md5()
    result = run(os_api, "download", "OpenGreenspace", "--dest", str(tmp_path), *file_args(row))
    assert result.returncode == 5, result.stderr
    assert row["fileName"] in error_line(result)
    assert not (tmp_path / row["fileName"]).exists()


def test_expired_signed_url_is_asked_for_again(os_api: Any, tmp_path: Path) -> None:
    """Signed URLs live 1 s and the first transfer breaks; the retry waits longer than that, so
    reusing the old URL would get 403: the engine must ask the API for a fresh one."""
    row = max(downloads(os_api), key=lambda d: int(d["size"]))
    os_api.faults.url_lifetime(1)
    os_api.faults.drop_after_bytes(int(row["size"]) // 3)
    result = run(
        os_api,
        "download",
        "OpenGreenspace",
        "--dest",
        str(tmp_path),
        *file_args(row),
        env={"OS_API_RETRY_BASE_DELAY": "2.4", "OS_API_RETRY_MAX_DELAY": "2.4"},
    )
    assert result.returncode == 0, result.stderr
    assert md5_of(tmp_path / row["fileName"]) == row["md5"].lower()


def test_interrupt_keeps_the_part_file(os_api: Any, tmp_path: Path) -> None:
    row = max(downloads(os_api), key=lambda d: int(d["size"]))
    os_api.faults.slow(max(1000, int(row["size"]) // 20))  # about 20 s for the file
    os_api.clear_requests()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OS_API_")}
    environment["OS_API_BASE_URL"] = os_api.url
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api",
            "download",
            "OpenGreenspace",
            "--dest",
            str(tmp_path),
            *file_args(row),
        ],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    part = tmp_path / (row["fileName"] + ".part")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(r.server == "storage" for r in os_api.requests):
        time.sleep(0.05)
    time.sleep(1.0)  # some bytes arrive
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.startswith("error: ")][0].startswith(
        "error: interrupted"
    )
    assert part.exists() and not (tmp_path / row["fileName"]).exists()


# ----- keys and data packages -----


def test_packages_need_a_key(os_api: Any) -> None:
    for command in (
        ["packages"],
        ["package", PACKAGE],
        ["versions", PACKAGE],
        ["version", PACKAGE, "latest"],
    ):
        result = run(os_api, *command)
        assert result.returncode == 3
        assert error_line(result) == (
            "error: data packages need an OS Data Hub API key: pass --key or set OS_API_KEY"
        )


def test_wrong_key_exits_3_and_is_never_shown(os_api: Any) -> None:
    result = run(os_api, "--key", WRONG_KEY, "packages")
    assert result.returncode == 3
    assert "401" in error_line(result)
    assert WRONG_KEY not in result.stdout + result.stderr
    result = run(os_api, "packages", key=DEMO_KEY, secret="wrong-secret-never-shown")
    assert result.returncode == 3
    assert "secret" in error_line(result)
    assert "wrong-secret-never-shown" not in result.stdout + result.stderr
    assert DEMO_KEY not in result.stdout + result.stderr


def test_packages_listing(os_api: Any) -> None:
    result = run(os_api, "packages", key=DEMO_KEY)
    assert result.returncode == 0, result.stderr
    assert PACKAGE in result.stdout and "Southampton Addresses" in result.stdout
    data = json.loads(run(os_api, "packages", "--json", key=DEMO_KEY).stdout)
    assert any(p["id"] == PACKAGE and "productId" in p for p in data)


def test_packages_with_oauth(os_api: Any) -> None:
    result = run(os_api, "packages", key=DEMO_KEY, secret=DEMO_SECRET)
    assert result.returncode == 0, result.stderr
    assert PACKAGE in result.stdout
    assert DEMO_SECRET not in result.stdout + result.stderr


def test_no_packages_yet_explains_ordering(os_api: Any) -> None:
    result = run(os_api, "packages", key=NO_PACKAGES_KEY)
    assert result.returncode == 0, result.stderr
    assert "ordered on the OS Data Hub" in result.stderr
    assert json.loads(run(os_api, "packages", "--json", key=NO_PACKAGES_KEY).stdout) == []


def test_package_versions_and_version(os_api: Any) -> None:
    result = run(os_api, "package", PACKAGE, key=DEMO_KEY)
    assert result.returncode == 0, result.stderr
    assert "Southampton Addresses" in result.stdout
    versions = json.loads(run(os_api, "versions", PACKAGE, "--json", key=DEMO_KEY).stdout)
    assert versions and all("supplyType" in v for v in versions)
    result = run(os_api, "versions", PACKAGE, key=DEMO_KEY)
    assert result.returncode == 0 and versions[0]["id"] in result.stdout
    latest = json.loads(run(os_api, "version", PACKAGE, "latest", "--json", key=DEMO_KEY).stdout)
    assert latest["downloads"]
    result = run(os_api, "version", PACKAGE, latest["id"], key=DEMO_KEY)
    assert result.returncode == 0
    assert latest["downloads"][0]["fileName"] in result.stdout


def test_unknown_package_exits_4(os_api: Any) -> None:
    result = run(os_api, "package", "0000000000", key=DEMO_KEY)
    assert result.returncode == 4
    assert "0000000000" in error_line(result)


def test_download_package(os_api: Any, tmp_path: Path) -> None:
    latest = json.loads(run(os_api, "version", PACKAGE, "latest", "--json", key=DEMO_KEY).stdout)
    result = run(
        os_api, "download-package", PACKAGE, "latest", "--dest", str(tmp_path), key=DEMO_KEY
    )
    assert result.returncode == 0, result.stderr
    for file in latest["downloads"]:
        path = tmp_path / file["fileName"]
        assert str(path) in result.stdout.splitlines()
        assert md5_of(path) == file["md5"].lower()
    result = run(
        os_api,
        "download-package",
        PACKAGE,
        "latest",
        "--dest",
        str(tmp_path),
        "--file",
        "missing.zip",
        key=DEMO_KEY,
    )
    assert result.returncode == 4
    assert latest["downloads"][0]["fileName"] in error_line(result)


def test_unsafe_zip_exits_5_and_writes_nothing_outside(os_api: Any, tmp_path: Path) -> None:
    """A zip whose member climbs out of its folder (zip-slip) is downloaded but not unpacked."""
    evil = tmp_path / "source" / "evil_gb.zip"
    evil.parent.mkdir()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("data/ok.csv", "a,b\n1,2\n")
        archive.writestr("../../escaped.txt", "outside")
    summary = {
        "id": "UnsafeZipTest",
        "name": "A zip that climbs out",
        "description": ["Test only."],
        "version": "2021-01",
    }
    row = {
        "fileName": evil.name,
        "area": "GB",
        "format": "CSV",
        "size": evil.stat().st_size,
        "md5": md5_of(evil),
        "path": str(evil),
    }
    os_api.catalogue.add_product(summary, {**summary, "formats": [{"format": "CSV"}]}, [row])
    dest = tmp_path / "dest" / "inner"
    result = run(os_api, "download", "UnsafeZipTest", "--dest", str(dest), "--unpack")
    assert result.returncode == 5, result.stderr
    assert "error: " in error_line(result)
    assert (dest / evil.name).is_file()  # the download itself is fine and kept
    assert not (tmp_path / "dest" / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_ctrl_c_before_the_command_starts_is_a_clean_interrupt(tmp_path):
    """Ctrl-C while Python is still importing the CLI: exit 130 and one line, no traceback."""
    (tmp_path / "sitecustomize.py").write_text(
        "import builtins\n"
        "_real = builtins.__import__\n"
        "def _import(name, *args, **kwargs):\n"
        "    if name == 'cli' or name.endswith('api.cli'):\n"
        "        raise KeyboardInterrupt\n"
        "    return _real(name, *args, **kwargs)\n"
        "builtins.__import__ = _import\n",
        encoding="utf-8",
    )
    result = run_cli("http://127.0.0.1:9", "products", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 130
    assert result.stderr.strip() == "interrupted."
