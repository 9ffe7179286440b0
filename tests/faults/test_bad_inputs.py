"""The fault-injection matrix, part 2: bad inputs. Spoiled API answers (malformed JSON, HTML
error pages, unknown fields, empty lists) and hostile files in the listings (zip-slip, zip
bomb, a `fileName` with `../`, non-ASCII names, a 0-byte file), through the client, engine
and unpacker in process and through the CLI with --unpack. Counted in the same summary line
as the transport faults (tests/faults/conftest.py)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import PART_SUFFIX, DownloadEngine, DownloadItem
from os_data_hub_loader.api.errors import NotFoundError, OSAPIError, UnsafeArchiveError
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.unpack import safe_unpack
from testsupport import run_cli

from local_os_api import DEMO_KEY
from local_os_api.hostile import FILE_NAMES

RECOVERED = "recovered"
CLEAN_FAILURE = "clean failure"
CORRUPT = "corrupt"
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.02, max_delay=0.1)

PRODUCT = ("OpenGreenspace", "HT")
PACKAGE = ("0040046952", "110012")


def record(tally, case: str, outcome: str, why: str) -> None:
    tally.add(case, outcome, why)
    assert outcome != CORRUPT, f"{case}: corrupt output: {why}"


def client_for(os_api) -> DownloadsClient:
    return DownloadsClient(os_api.url, ApiKeyAuth(DEMO_KEY), retry=FAST_RETRY)


def list_items(os_api, source: str, name: str | None = None) -> list[DownloadItem]:
    with client_for(os_api) as client:
        if source == "product":
            product, area = PRODUCT
            downloads = client.product_downloads(
                product, areas=[area] if name is None else ["GB"], file_name=name)
            return [d.to_item() for d in downloads]
        package, version = PACKAGE
        detail = client.data_package_version(package, version)
        return [d.to_item(client.package_file_url(package, detail.id, d.file_name))
                for d in detail.downloads if name is None or d.file_name == name]


def cli_args(source: str, dest: Path, *extra: str) -> list[str]:
    if source == "product":
        product, area = PRODUCT
        return ["download", product, "--area", area, "--dest", str(dest), *extra]
    return ["download-package", *PACKAGE, "--dest", str(dest), *extra]


def error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, stderr
    return lines[0]


# How a bug shows through: the engine's and task's catch-alls, the CLI's last resort.
BUG_SIGNS = re.compile(r"Traceback|unexpectedly|Unexpected error|unexpected \w+(Error|Exception)")


def clear(message: str) -> bool:
    return bool(message.strip()) and not BUG_SIGNS.search(message)


def verified(path: Path, item: DownloadItem) -> bool:
    data = path.read_bytes()
    return len(data) == item.size and hashlib.md5(data).hexdigest() == item.md5.lower()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- spoiled API answers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Spoil:
    kind: str
    times: int
    status: int | None
    expect: str


SPOILS = {
    "malformed-json": Spoil("malformed_json", 1, None, CLEAN_FAILURE),
    "html-502-once": Spoil("html_error", 1, None, RECOVERED),
    "html-login-page": Spoil("html_error", 100, 200, CLEAN_FAILURE),
    "unknown-fields": Spoil("unknown_fields", 100, None, RECOVERED),
    "empty-lists": Spoil("empty_list", 100, None, CLEAN_FAILURE),
}
# The listing each source's download starts from.
LISTING_PATH = {"product": "/downloads", "package": "/versions/"}


@pytest.mark.parametrize("source", ["product", "package"])
@pytest.mark.parametrize("spoil_name", list(SPOILS))
def test_engine_spoiled_listing(os_api, tmp_path, tally, leak_check, spoil_name, source):
    spoil = SPOILS[spoil_name]
    dest = tmp_path / "downloads"
    before = leak_check()
    os_api.faults.bad_answer(spoil.kind, times=spoil.times, path=LISTING_PATH[source],
                             status=spoil.status)
    try:
        items = list_items(os_api, source)
        if not items:
            raise NotFoundError("nothing to download")  # what the CLI and dock then say
    except OSAPIError as error:
        outcome = CLEAN_FAILURE if clear(str(error)) else CORRUPT
        record(tally, f"engine {spoil_name} {source}", outcome, str(error)[:200])
        assert outcome == spoil.expect, str(error)
        assert "did not come as JSON (application/json)" not in str(error)
        assert not files_under(dest)
        assert not before.leaks()
        return
    engine = DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=5),
                            FAST_RETRY, workers=3)
    results = engine.download(items, dest)
    ok = all(r.error is None and verified(r.path, r.item) for r in results)
    record(tally, f"engine {spoil_name} {source}", RECOVERED if ok else CORRUPT,
           "" if ok else str([str(r.error) for r in results]))
    assert spoil.expect == RECOVERED
    assert not before.leaks()


@pytest.mark.parametrize("source", ["product", "package"])
@pytest.mark.parametrize("spoil_name", list(SPOILS))
def test_cli_spoiled_listing(os_api, tmp_path, tally, spoil_name, source):
    spoil = SPOILS[spoil_name]
    dest = tmp_path / "downloads"
    os_api.faults.bad_answer(spoil.kind, times=spoil.times, path=LISTING_PATH[source],
                             status=spoil.status)

    done = run_cli(os_api.url, *cli_args(source, dest, "--unpack"), key=DEMO_KEY,
                   env={"OS_API_RETRY_ATTEMPTS": "4"})

    if done.returncode == 0:
        os_api.faults.reset()
        items = list_items(os_api, source)
        ok = all(verified(dest / i.file_name, i) and (dest / i.file_name).with_suffix("").is_dir()
                 for i in items) and len(files_under(dest)) > len(items)
        outcome, why = (RECOVERED, "") if ok else (CORRUPT, "exit 0 without verified files")
    else:
        message = error_line(done.stderr)
        outcome = CLEAN_FAILURE if clear(message) and not files_under(dest) else CORRUPT
        why = message
    record(tally, f"cli {spoil_name} {source}", outcome, why)
    assert outcome == spoil.expect, (why, done.stderr)
    if spoil_name == "empty-lists":
        assert done.returncode == NotFoundError.exit_code and "no files" in done.stderr
    if spoil_name == "html-login-page":
        assert "text/html" in done.stderr and "proxy or login page" in done.stderr


# --- hostile files ----------------------------------------------------------------------------

HOSTILE = {  # kind -> what the user must get
    "zip_slip": CLEAN_FAILURE,
    "zip_bomb": CLEAN_FAILURE,
    "dotdot_name": CLEAN_FAILURE,
    "non_ascii": RECOVERED,
    "empty_file": CLEAN_FAILURE,
}


def arm_hostile(os_api, kind: str, source: str) -> None:
    if source == "product":
        os_api.faults.hostile_file(kind, product=PRODUCT[0])
    else:
        os_api.faults.hostile_file(kind, package=PACKAGE[0], version=PACKAGE[1])


def check_hostile_outcome(root: Path, dest: Path, kind: str, error: str | None) -> tuple[str, str]:
    """Classify a hostile-file case: `root` is everything the case may have written to."""
    name = FILE_NAMES[kind]
    escaped = [p for p in files_under(root) if dest not in p.parents]
    if escaped:
        return CORRUPT, f"written outside the download folder: {escaped}"
    if error is not None and not clear(error):
        return CORRUPT, f"unclear error: {error}"
    if kind == "dotdot_name":
        if error is None or files_under(dest):
            return CORRUPT, "a '../' file name was not refused before writing"
        return CLEAN_FAILURE, error
    download = dest / name
    if not download.is_file():
        return CORRUPT, "the verified download is missing"
    unpacked = download.with_suffix("")
    inside = files_under(unpacked)
    if error is not None:
        if inside:
            return CORRUPT, f"a refused zip left files: {inside}"
        return CLEAN_FAILURE, error
    if kind == "non_ascii" and [p.relative_to(unpacked).as_posix() for p in inside] == [
            "Ynys Môn/Llŷn_ñ.csv"] and b"Pwllheli" in inside[0].read_bytes():
        return RECOVERED, ""
    return CORRUPT, f"unpacked without complaint: {inside}"


@pytest.mark.parametrize("source", ["product", "package"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_engine_hostile_file(os_api, tmp_path, tally, leak_check, kind, source):
    dest = tmp_path / "case" / "downloads"
    before = leak_check()
    arm_hostile(os_api, kind, source)
    items = list_items(os_api, source, FILE_NAMES[kind])
    assert [i.file_name for i in items] == [FILE_NAMES[kind]]
    engine = DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=5),
                            FAST_RETRY, workers=2)

    (result,) = engine.download(items, dest)
    error = str(result.error) if result.error is not None else None
    if result.error is None:
        assert verified(result.path, items[0])
        try:
            safe_unpack(result.path, result.path.with_suffix(""))
        except OSAPIError as unpack_error:
            assert isinstance(unpack_error, UnsafeArchiveError), unpack_error
            error = str(unpack_error)
    else:
        assert isinstance(result.error, UnsafeArchiveError), result.error

    outcome, why = check_hostile_outcome(tmp_path / "case", dest, kind, error)
    record(tally, f"engine hostile {kind} {source}", outcome, why)
    assert outcome == HOSTILE[kind], why
    if kind == "empty_file":  # it verified: downloading it again would not help
        assert "empty (0 bytes)" in why and "download it again" not in why
    assert not dest.exists() or not list(dest.rglob("*" + PART_SUFFIX))
    assert not before.leaks()


@pytest.mark.parametrize("source", ["product", "package"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_cli_hostile_file(os_api, tmp_path, tally, kind, source):
    dest = tmp_path / "case" / "downloads"
    arm_hostile(os_api, kind, source)
    args = cli_args(source, dest, "--unpack", "--file", FILE_NAMES[kind])
    if source == "product":
        args[2:4] = ["--area", "GB"]

    done = run_cli(os_api.url, *args, key=DEMO_KEY)

    error = error_line(done.stderr) if done.returncode else None
    outcome, why = check_hostile_outcome(tmp_path / "case", dest, kind, error)
    record(tally, f"cli hostile {kind} {source}", outcome, why)
    assert outcome == HOSTILE[kind], (why, done.stderr)
    if outcome == CLEAN_FAILURE:
        assert done.returncode == UnsafeArchiveError.exit_code, done.stderr
        unpacked = str((dest / FILE_NAMES[kind]).with_suffix(""))
        assert unpacked not in done.stdout.split("\n")  # nothing presented as unpacked


LISTING_FAULTS = {
    "503-burst-listing": (lambda f: f.fail_next(503, times=2), RECOVERED),
    "429-retry-after-listing": (lambda f: f.fail_next(429, times=2, retry_after=1), RECOVERED),
    "500-forever-listing": (lambda f: f.fail_next(500, times=10**6), CLEAN_FAILURE),
}


@pytest.mark.parametrize("source", ["product", "package"])
@pytest.mark.parametrize("fault_name", list(LISTING_FAULTS))
def test_listing_under_server_errors(os_api, tmp_path, tally, leak_check, fault_name, source):
    """Bursts of 429/5xx hit the listing before any download: retried, or a clear error."""
    arm, expect = LISTING_FAULTS[fault_name]
    dest = tmp_path / "downloads"
    before = leak_check()
    arm(os_api.faults)
    try:
        items = list_items(os_api, source)
    except OSAPIError as error:
        outcome = CLEAN_FAILURE if clear(str(error)) and error.status == 500 else CORRUPT
        record(tally, f"engine {fault_name} {source}", outcome, str(error)[:200])
        assert outcome == expect, str(error)
        assert not before.leaks()
        return
    os_api.faults.reset()
    engine = DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=5),
                            FAST_RETRY, workers=3)
    results = engine.download(items, dest)
    ok = bool(items) and all(r.error is None and verified(r.path, r.item) for r in results)
    record(tally, f"engine {fault_name} {source}", RECOVERED if ok else CORRUPT,
           "" if ok else str([str(r.error) for r in results]))
    assert expect == RECOVERED
    assert not before.leaks()
