"""The fault-injection matrix, through the real download engine and the CLI.

Each case arms one fault of the local server (tests/server/test_fault_switches.py shows what
each does), downloads a single file or several, from an OpenData product or a data package,
and classifies the outcome (see conftest.py): recovered or clean failure, never corrupt. A
clean failure is then run again without the fault: it must complete, resuming the `.part`
files (the bytes fetched again are checked against the storage host's Range requests). No
case may leave a thread or an open file behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import (
    PART_SUFFIX,
    DownloadEngine,
    DownloadItem,
    DownloadResult,
)
from os_data_hub_loader.api.errors import (
    Cancelled,
    IntegrityError,
    LocalFileError,
    NetworkError,
    OSAPIError,
    PermissionDeniedError,
    RateLimited,
    ServerError,
)
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.unpack import TEMP_SUFFIX
from testsupport import REPO_ROOT, run_cli

from local_os_api import DEMO_KEY

# The outcomes, as tests/faults/conftest.py counts them.
RECOVERED = "recovered"
CLEAN_FAILURE = "clean failure"
CORRUPT = "corrupt"

# How a bug shows through: the engine's and task's catch-alls, the CLI's last resort.
BUG_SIGNS = re.compile(r"Traceback|unexpectedly|Unexpected error|unexpected \w+(Error|Exception)")
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.02, max_delay=0.1)
CHUNK = 256  # small reads: a cut connection keeps all but the last few bytes in the .part


@dataclass(frozen=True)
class Scenario:
    product: str | None = None
    areas: tuple[str, ...] = ()
    format: str | None = None
    package: str | None = None
    version: str | None = None


SCENARIOS = {
    "opendata-one": Scenario(product="OpenGreenspace", areas=("HT",), format="GeoPackage"),
    "opendata-many": Scenario(product="OpenGreenspace", areas=("HT",)),
    "package-one": Scenario(package="0040154231", version="120045"),
    "package-many": Scenario(package="0040046952", version="110012"),
}


@dataclass(frozen=True)
class Fault:
    arm: Callable
    expect: str  # RECOVERED or CLEAN_FAILURE
    error: type[OSAPIError] | None = None  # the error a clean failure must carry
    keeps_part: bool = False  # a clean failure leaves resumable bytes
    in_listing: bool = False  # the fault shows in the listing: arm it before listing
    resumes: bool = False  # recovering takes a resumed (Range) request


TRANSPORT_FAULTS = {
    "drop-fin": Fault(lambda f: f.drop_after_bytes(300, times=2), RECOVERED, resumes=True),
    "drop-rst": Fault(lambda f: f.drop_after_bytes(300, times=2, reset=True), RECOVERED,
                      resumes=True),
    "drop-every-response": Fault(lambda f: f.drop_after_bytes(500, times=10**6), RECOVERED,
                                 resumes=True),
    "429-retry-after": Fault(lambda f: f.fail_next(429, times=2, retry_after=1), RECOVERED),
    "429-no-retry-after": Fault(lambda f: f.fail_next(429, times=2), RECOVERED),
    "429-forever": Fault(lambda f: f.fail_next(429, times=10**6, retry_after=0), CLEAN_FAILURE,
                         RateLimited),
    "500-burst-storage": Fault(lambda f: f.fail_next(500, times=3, target="storage"),
                               RECOVERED),
    "503-burst-any": Fault(lambda f: f.fail_next(503, times=3, target="any"), RECOVERED),
    "503-forever": Fault(lambda f: f.fail_next(503, times=10**6, target="storage"),
                         CLEAN_FAILURE, ServerError),
    "wrong-md5": Fault(lambda f: f.wrong_md5(), CLEAN_FAILURE, IntegrityError,
                       in_listing=True),
    "expired-signed-url": Fault(lambda f: f.url_lifetime(0), CLEAN_FAILURE,
                                PermissionDeniedError),
    "slow-trickle": Fault(lambda f: f.slow(40_000), RECOVERED),
    "truncated-body": Fault(lambda f: f.truncate_body(500, times=2), RECOVERED, resumes=True),
    "server-gone": Fault(lambda f: f.server_gone(after_bytes=300), CLEAN_FAILURE,
                         NetworkError, keeps_part=True),
}


# --- helpers ----------------------------------------------------------------------------------


def armed_and_listed(os_api, fault: Fault, scenario: Scenario) -> list[DownloadItem]:
    """Arm `fault` and list the scenario's files, in the order the fault needs."""
    if fault.in_listing:
        fault.arm(os_api.faults)
    items = listed_items(os_api, scenario)
    if not fault.in_listing:
        fault.arm(os_api.faults)
    return items


def listed_items(os_api, scenario: Scenario) -> list[DownloadItem]:
    """The files of a scenario, listed through the real client (as the CLI and dock do)."""
    with DownloadsClient(os_api.url, ApiKeyAuth(DEMO_KEY), retry=FAST_RETRY) as client:
        if scenario.product:
            downloads = client.product_downloads(
                scenario.product, areas=scenario.areas, format=scenario.format)
            return [d.to_item() for d in downloads]
        detail = client.data_package_version(scenario.package, scenario.version)
        return [d.to_item(client.package_file_url(scenario.package, detail.id, d.file_name))
                for d in detail.downloads]


def make_engine(os_api, workers: int = 3) -> DownloadEngine:
    return DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=5), FAST_RETRY,
                          workers=workers, chunk_size=CHUNK)


def verified(path: Path, item: DownloadItem) -> bool:
    data = path.read_bytes()
    return len(data) == item.size and hashlib.md5(data).hexdigest() == item.md5.lower()


def part_sizes(dest: Path, items: list[DownloadItem]) -> dict[str, int]:
    sizes = {}
    for item in items:
        part = dest / (item.file_name + PART_SUFFIX)
        if part.is_file():
            sizes[item.file_name] = part.stat().st_size
    return sizes


def classify(dest: Path, items: list[DownloadItem], failures: dict[str, str],
             allowed_extra: Callable[[Path], bool] = lambda p: False) -> tuple[str, str]:
    """(outcome, why) from what is on disk and the errors the user was given per file."""
    expected = {item.file_name: item for item in items}
    for item in items:
        final = dest / item.file_name
        if final.exists() and not verified(final, item):
            return CORRUPT, f"{item.file_name} is present but does not verify"
        if not final.exists() and item.file_name not in failures:
            return CORRUPT, f"{item.file_name} is missing and no error says so"
        if final.exists() and item.file_name in failures and not allowed_extra(final):
            return CORRUPT, f"{item.file_name} is present although it is reported as failed"
    for message in failures.values():
        if not message.strip() or BUG_SIGNS.search(message):
            return CORRUPT, f"unclear error: {message!r}"
    for path in dest.rglob("*") if dest.exists() else []:
        name = path.name
        if name.endswith(TEMP_SUFFIX):
            return CORRUPT, f"a half-unpacked member was left: {path.relative_to(dest)}"
        if path.is_dir() or name in expected or allowed_extra(path):
            continue
        if name.endswith(PART_SUFFIX) and name[: -len(PART_SUFFIX)] in expected:
            continue
        return CORRUPT, f"unexpected file {path.relative_to(dest)}"
    if failures:
        return CLEAN_FAILURE, "; ".join(sorted(failures.values()))[:200]
    return RECOVERED, ""


def engine_failures(results: list[DownloadResult]) -> dict[str, str]:
    return {r.item.file_name: str(r.error) for r in results if r.error is not None}


def storage_ranges(os_api) -> dict[str, int]:
    """File name -> the first byte asked for in the last storage request for it."""
    offsets = {}
    for request in os_api.requests:
        if request.server != "storage":
            continue
        name = unquote(request.path.rsplit("/", 1)[-1])
        header = {k.lower(): v for k, v in request.headers.items()}.get("range", "bytes=0-")
        offsets[name] = int(header.split("=", 1)[1].split("-", 1)[0] or 0)
    return offsets


def follow_up_resumes(os_api, dest: Path, scenario: Scenario, run) -> int:
    """List and run again without the fault: everything must land verified, each .part
    resumed from its end. Returns the bytes fetched again."""
    os_api.faults.reset()
    items = listed_items(os_api, scenario)
    parts = part_sizes(dest, items)
    os_api.clear_requests()
    failures = run(items)
    assert not failures, failures
    offsets = storage_ranges(os_api)
    refetched = 0
    for item in items:
        assert verified(dest / item.file_name, item), item.file_name
        assert not (dest / (item.file_name + PART_SUFFIX)).exists()
        if item.file_name in offsets:
            assert offsets[item.file_name] == parts.get(item.file_name, 0), (
                item.file_name, offsets[item.file_name], parts)
            refetched += item.size - offsets[item.file_name]
    return refetched


def record(tally, case: str, outcome: str, why: str) -> None:
    tally.add(case, outcome, why)
    assert outcome != CORRUPT, f"{case}: corrupt output: {why}"


# --- the engine: transport faults × scenarios -------------------------------------------------


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("fault_name", list(TRANSPORT_FAULTS))
def test_engine_transport_fault(os_api, tmp_path, tally, leak_check, fault_name, scenario):
    fault = TRANSPORT_FAULTS[fault_name]
    before = leak_check()
    items = armed_and_listed(os_api, fault, SCENARIOS[scenario])
    assert items and (len(items) > 1) == scenario.endswith("many")
    dest = tmp_path / "downloads"

    results = make_engine(os_api).download(items, dest)

    failures = engine_failures(results)
    outcome, why = classify(dest, items, failures)
    record(tally, f"engine {fault_name} {scenario}", outcome, why)
    assert outcome == fault.expect, why
    for result in results:
        if result.error is not None:
            assert isinstance(result.error, fault.error), result.error
            assert result.item.file_name in str(result.error)
    if fault.resumes:  # the retries within the run resumed from the .part, not from byte 0
        assert any(r.server == "storage" and "range" in {k.lower() for k in r.headers}
                   for r in os_api.requests)
    if outcome == CLEAN_FAILURE:
        if fault.keeps_part:
            assert sum(part_sizes(dest, items).values()) > 0
        total = sum(i.size for i in items)
        kept = sum(part_sizes(dest, items).values())
        refetched = follow_up_resumes(os_api, dest, SCENARIOS[scenario], lambda again: (
            engine_failures(make_engine(os_api).download(again, dest))))
        assert refetched == total - kept - sum(
            i.size for i in items if i.file_name not in failures)
    assert not before.leaks()


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_engine_disk_full(os_api, tally, leak_check, small_disk, scenario):
    items = listed_items(os_api, SCENARIOS[scenario])
    total = sum(i.size for i in items)
    disk = small_disk(4096 if total > 4096 else 0)
    before = leak_check()

    results = make_engine(os_api).download(items, disk.path)

    failures = engine_failures(results)
    outcome, why = classify(disk.path, items, failures)
    record(tally, f"engine disk-full {scenario}", outcome, why)
    assert outcome == CLEAN_FAILURE, why
    assert all(isinstance(r.error, LocalFileError) and "disk is full" in str(r.error)
               for r in results if r.error is not None)
    kept = part_sizes(disk.path, items)
    disk.make_room()
    refetched = follow_up_resumes(os_api, disk.path, SCENARIOS[scenario], lambda again: (
        engine_failures(make_engine(os_api).download(again, disk.path))))
    assert refetched == sum(i.size for i in items if i.file_name in failures) - sum(
        kept.values())
    assert not before.leaks()


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_engine_cancel_at_a_random_moment(os_api, tmp_path, tally, leak_check, seed, scenario):
    rng = random.Random(f"{seed}-{scenario}")
    moment = rng.uniform(0.0, 0.6)
    items = listed_items(os_api, SCENARIOS[scenario])
    dest = tmp_path / "downloads"
    before = leak_check()
    os_api.faults.slow(8_000)  # about 0.1-0.7 s a file: the moment lands anywhere in it
    cancel = CancelToken()
    timer = threading.Timer(moment, cancel.cancel)
    timer.start()

    results = make_engine(os_api).download(items, dest, cancel=cancel)
    timer.join()

    failures = engine_failures(results)
    outcome, why = classify(dest, items, failures)
    record(tally, f"engine cancel@{moment:.2f}s {scenario} (seed {seed})", outcome, why)
    assert all(isinstance(r.error, Cancelled) for r in results if r.error is not None)
    if outcome == CLEAN_FAILURE:
        kept = part_sizes(dest, items)
        refetched = follow_up_resumes(os_api, dest, SCENARIOS[scenario], lambda again: (
            engine_failures(make_engine(os_api).download(again, dest))))
        assert refetched == sum(i.size for i in items if i.file_name in failures) - sum(
            kept.values())
    assert not before.leaks()


# --- the CLI: a few transport faults end to end, with --unpack --------------------------------

CLI_FAULTS = ["drop-rst", "503-burst-any", "wrong-md5", "server-gone", "expired-signed-url"]
CLI_SCENARIOS = ["opendata-many", "package-one"]


def cli_args(scenario: Scenario, dest: Path, *extra: str) -> list[str]:
    if scenario.product:
        args = ["download", scenario.product]
        for area in scenario.areas:
            args += ["--area", area]
        if scenario.format:
            args += ["--format", scenario.format]
    else:
        args = ["download-package", scenario.package, scenario.version]
    return [*args, "--dest", str(dest), "--workers", "2", *extra]


def cli_failures(done, items: list[DownloadItem]) -> dict[str, str]:
    """Per file, the CLI's error line when it failed (it names the worst failure)."""
    if done.returncode == 0:
        return {}
    lines = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, done.stderr
    printed = set(done.stdout.split())
    return {i.file_name: lines[0] for i in items if not any(
        p.endswith("/" + i.file_name) for p in printed)} or {"(unpack)": lines[0]}


def unpacked(path: Path) -> bool:
    """Part of an unpacked folder next to its zip, or the record that the zip was unpacked
    (`<name>.zip.unpacked`, beside a verified zip)."""
    if path.name.endswith(".zip.unpacked"):
        return path.with_name(path.name[: -len(".unpacked")]).is_file()
    return any(parent.name and parent.with_suffix(".zip").is_file() for parent in path.parents)


@pytest.mark.parametrize("scenario", CLI_SCENARIOS)
@pytest.mark.parametrize("fault_name", CLI_FAULTS)
def test_cli_transport_fault(os_api, tmp_path, tally, fault_name, scenario):
    fault = TRANSPORT_FAULTS[fault_name]
    items = armed_and_listed(os_api, fault, SCENARIOS[scenario])
    dest = tmp_path / "downloads"

    done = run_cli(os_api.url, *cli_args(SCENARIOS[scenario], dest, "--unpack"), key=DEMO_KEY,
                   env={"OS_API_RETRY_ATTEMPTS": "4"})

    failures = cli_failures(done, items)
    outcome, why = classify(dest, items, failures, unpacked)
    record(tally, f"cli {fault_name} {scenario}", outcome, why)
    assert outcome == fault.expect, (why, done.stderr)
    if outcome == RECOVERED:
        assert done.returncode == 0
        assert all((dest / i.file_name).with_suffix("").is_dir() for i in items)
        return
    assert done.returncode == fault.error.exit_code, done.stderr
    kept = part_sizes(dest, items)

    def again(items: list[DownloadItem]) -> dict[str, str]:
        rerun = run_cli(os_api.url, *cli_args(SCENARIOS[scenario], dest, "--unpack"),
                        key=DEMO_KEY)
        return cli_failures(rerun, items)

    refetched = follow_up_resumes(os_api, dest, SCENARIOS[scenario], again)
    assert refetched == sum(i.size for i in items if i.file_name in failures) - sum(
        kept.values())
    assert all((dest / i.file_name).with_suffix("").is_dir() for i in items)


@pytest.mark.parametrize("scenario", CLI_SCENARIOS)
def test_cli_interrupted_at_a_random_moment(os_api, tmp_path, tally, seed, scenario):
    """Ctrl-C (SIGINT) at a seeded random moment: exit 130, .part files kept, the same
    command again resumes them."""
    moment = random.Random(f"{seed}-cli-{scenario}").uniform(0.0, 0.8)  # into the download
    items = listed_items(os_api, SCENARIOS[scenario])
    dest = tmp_path / "downloads"
    os_api.faults.slow(4_000)
    os_api.clear_requests()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OS_API_")}
    environment.update(OS_API_BASE_URL=os_api.url, OS_API_KEY=DEMO_KEY,
                       OS_API_RETRY_BASE_DELAY="0.05", OS_API_RETRY_MAX_DELAY="0.2")
    process = subprocess.Popen(
        [sys.executable, "-m", "api", *cli_args(SCENARIOS[scenario], dest)],
        cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 30
    while not any(r.server == "storage" for r in os_api.requests) and process.poll() is None:
        assert time.monotonic() < deadline, "the CLI never started downloading"
        time.sleep(0.01)
    time.sleep(moment)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    if process.returncode == 0:
        failures: dict[str, str] = {}
    else:
        assert process.returncode == Cancelled.exit_code, stderr
        done = subprocess.CompletedProcess([], process.returncode, stdout, stderr)
        failures = cli_failures(done, items)
        assert "run the same command again to resume" in stderr or "interrupted" in stderr
    outcome, why = classify(dest, items, failures)
    record(tally, f"cli SIGINT@{moment:.2f}s {scenario} (seed {seed})", outcome, why)
    if outcome == CLEAN_FAILURE:
        kept = part_sizes(dest, items)

        def again(listed: list[DownloadItem]) -> dict[str, str]:
            rerun = run_cli(os_api.url, *cli_args(SCENARIOS[scenario], dest), key=DEMO_KEY)
            return cli_failures(rerun, listed)

        refetched = follow_up_resumes(os_api, dest, SCENARIOS[scenario], again)
        assert refetched == sum(i.size for i in items if i.file_name in failures) - sum(
            kept.values())
