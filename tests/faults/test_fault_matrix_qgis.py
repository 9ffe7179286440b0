"""The fault-injection matrix through the QGIS side: the dock's, Browser's and Processing's
`DownloadTask` (download → verify → unpack → plan → add layers). What the user gets is the
task's outcome: layers only from verified files, a clear error otherwise, and a second run
without the fault that resumes and loads. Counted in the summary line of tests/faults."""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

pytest.importorskip("qgis.core")

from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import PART_SUFFIX, DownloadEngine, DownloadItem
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.core.download_task import DownloadTask
from os_data_hub_loader.core.downloads import DownloadRequest
from qgis.core import QgsApplication, QgsProject
from testsupport import wait_until

from local_os_api import DEMO_KEY
from local_os_api.hostile import FILE_NAMES

RECOVERED = "recovered"
CLEAN_FAILURE = "clean failure"
CORRUPT = "corrupt"
BUG_SIGNS = re.compile(r"Traceback|unexpectedly|Unexpected error|unexpected \w+(Error|Exception)")
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.02, max_delay=0.1)


@pytest.fixture
def project(qgis_app):
    yield QgsProject.instance()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


def listed(os_api, source: str, name: str | None = None) -> list[DownloadItem]:
    with DownloadsClient(os_api.url, ApiKeyAuth(DEMO_KEY), retry=FAST_RETRY) as client:
        if source == "opendata-many":
            downloads = client.product_downloads("OpenGreenspace", areas=["HT"])
        elif source == "hostile":
            downloads = client.product_downloads("OpenGreenspace", file_name=name)
        else:
            detail = client.data_package_version("0040154231", "120045")
            return [d.to_item(client.package_file_url("0040154231", detail.id, d.file_name))
                    for d in detail.downloads]
        return [d.to_item() for d in downloads]


def make_task(os_api, items, folder: Path, on_finished=None) -> DownloadTask:
    engine = DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=5),
                            FAST_RETRY, workers=3, chunk_size=256)
    request = DownloadRequest("Fault matrix", "2021-01", items, folder, unpack=True, load=True)
    return DownloadTask(request, engine, on_finished)


def verified(path: Path, item: DownloadItem) -> bool:
    data = path.read_bytes()
    return len(data) == item.size and hashlib.md5(data).hexdigest() == item.md5.lower()


def layer_file(layer) -> Path:
    return Path(layer.source().split("|", 1)[0])


def from_good_files(path: Path, folder: Path, good: list[Path]) -> bool:
    """A layer's file is in a verified zip's folder, or is the product's GeoPackage imported
    from such files only (its os_data_hub_sources record names them)."""
    if any(g in path.parents for g in good):
        return True
    if path.suffix != ".gpkg" or path.parent != folder:
        return False
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        (stamp,) = db.execute("SELECT stamp FROM os_data_hub_sources").fetchone()
    return all(any(g in (folder / name).parents for g in good) for name, _size in
               json.loads(stamp))


def classify(outcome, ok: bool, items, folder: Path, root: Path) -> tuple[str, str]:
    """As in test_fault_matrix, for a task: a failed task may still load the layers of the
    files that did arrive verified (it reports the others), never anything else."""
    escaped = [p for p in root.rglob("*") if p.is_file() and folder not in p.parents]
    if escaped:
        return CORRUPT, f"written outside the download folder: {escaped}"
    for item in items:
        final = folder / item.file_name
        if final.exists() and not verified(final, item):
            return CORRUPT, f"{item.file_name} present but not verified"
    if ok:
        if outcome.errors or not outcome.layers or outcome.failed_layers:
            return CORRUPT, f"success without layers or with errors: {outcome.errors}"
        if not all((folder / i.file_name).exists() for i in items):
            return CORRUPT, "success with a file missing"
        return RECOVERED, ""
    good = [(folder / i.file_name).with_suffix("") for i in items
            if (folder / i.file_name).exists() and verified(folder / i.file_name, i)]
    stray = [layer.name() for layer in outcome.layers
             if not from_good_files(layer_file(layer), folder, good)]
    if stray:
        return CORRUPT, f"layers from unverified files although it failed: {stray}"
    if not outcome.errors and not outcome.cancelled:
        return CORRUPT, "failed without saying why"
    if any(BUG_SIGNS.search(e) or not e.strip() for e in outcome.errors):
        return CORRUPT, f"unclear error: {outcome.errors}"
    return CLEAN_FAILURE, "; ".join(outcome.errors) or "cancelled"


def run_in_place(task: DownloadTask) -> bool:
    ok = task.run()
    task.finished(ok)
    return ok


def parts(folder: Path, items) -> dict[str, int]:
    return {i.file_name: (folder / (i.file_name + PART_SUFFIX)).stat().st_size
            for i in items if (folder / (i.file_name + PART_SUFFIX)).is_file()}


def resume_and_load(os_api, folder: Path, source: str) -> None:
    """The second run, without the fault: resumes every .part from its end and loads."""
    os_api.faults.reset()
    items = listed(os_api, source)
    kept = parts(folder, items)
    os_api.clear_requests()
    task = make_task(os_api, items, folder)
    assert run_in_place(task), task.outcome.errors
    assert task.outcome.layers and all(verified(folder / i.file_name, i) for i in items)
    for request in os_api.requests:
        if request.server == "storage":
            name = request.path.rsplit("/", 1)[-1]
            first = int(request.headers.get("Range", "bytes=0-").split("=")[1].split("-")[0])
            assert first == kept.get(name, 0), (name, first, kept)


FAULTS = {
    "server-gone": (lambda f: f.server_gone(after_bytes=300), "opendata-many", False),
    "wrong-md5": (lambda f: f.wrong_md5(), "package-one", True),
    "503-burst": (lambda f: f.fail_next(503, times=3, target="any"), "opendata-many", False),
    "expired-signed-url": (lambda f: f.url_lifetime(0), "package-one", False),
}
EXPECT = {"server-gone": CLEAN_FAILURE, "wrong-md5": CLEAN_FAILURE, "503-burst": RECOVERED,
          "expired-signed-url": CLEAN_FAILURE}


@pytest.mark.parametrize("fault_name", list(FAULTS))
def test_task_transport_fault(os_api, tmp_path, project, tally, leak_check, fault_name):
    arm, source, in_listing = FAULTS[fault_name]
    folder = tmp_path / "case" / "downloads"
    before = leak_check()
    if in_listing:
        arm(os_api.faults)
    items = listed(os_api, source)
    if not in_listing:
        arm(os_api.faults)

    task = make_task(os_api, items, folder)
    outcome, why = classify(task.outcome, run_in_place(task), items, folder, tmp_path / "case")

    tally.add(f"task {fault_name} {source}", outcome, why)
    assert outcome == EXPECT[fault_name], why
    if outcome == CLEAN_FAILURE:
        if fault_name == "server-gone":
            assert parts(folder, items) and "resumes" in why
        resume_and_load(os_api, folder, source)
    project.removeAllMapLayers()  # the layers hold their files open
    assert not before.leaks()


@pytest.mark.parametrize("kind", ["zip_slip", "zip_bomb", "empty_file", "non_ascii"])
def test_task_hostile_file(os_api, tmp_path, project, tally, kind):
    os_api.faults.hostile_file(kind, product="OpenGreenspace")
    folder = tmp_path / "case" / "downloads"
    items = listed(os_api, "hostile", FILE_NAMES[kind])
    assert len(items) == 1

    task = make_task(os_api, items, folder)
    ok = run_in_place(task)
    outcome, why = classify(task.outcome, ok, items, folder, tmp_path / "case")

    if kind == "non_ascii":
        # A CSV without coordinates is still a table layer: the whole path works.
        tally.add(f"task hostile {kind}", outcome, why)
        assert outcome == RECOVERED, why
        assert (folder / FILE_NAMES[kind]).with_suffix("").joinpath(
            "Ynys Môn", "Llŷn_ñ.csv").is_file()
        return
    unpacked = (folder / FILE_NAMES[kind]).with_suffix("")
    if outcome == CLEAN_FAILURE and unpacked.exists() and any(
            p.is_file() for p in unpacked.rglob("*")):
        outcome, why = CORRUPT, f"a refused zip left files in {unpacked}"
    tally.add(f"task hostile {kind}", outcome, why)
    assert outcome == CLEAN_FAILURE, why
    assert FILE_NAMES[kind] in why and ("unsafe" in why or "zip bomb" in why
                                        or "empty (0 bytes)" in why), why


def test_task_cancelled_at_a_random_moment(os_api, tmp_path, project, tally, leak_check, seed):
    moment = random.Random(f"{seed}-task").uniform(0.0, 0.8)
    folder = tmp_path / "case" / "downloads"
    items = listed(os_api, "opendata-many")
    before = leak_check()
    os_api.faults.slow(8_000)
    reported: list = []
    task = make_task(os_api, items, folder, reported.append)
    ended: list[str] = []
    task.taskCompleted.connect(lambda: ended.append("completed"))
    task.taskTerminated.connect(lambda: ended.append("terminated"))
    result = task.outcome  # QGIS deletes the task once it ends
    QgsApplication.taskManager().addTask(task)
    started = time.monotonic()
    wait_until(lambda: time.monotonic() - started >= moment, what="the random moment")
    if not reported:
        task.cancel()
    wait_until(lambda: reported and ended, timeout=30, what="the task to end and report")

    ok = ended == ["completed"]
    outcome, why = classify(result, ok, items, folder, tmp_path / "case")
    tally.add(f"task cancel@{moment:.2f}s opendata-many (seed {seed})", outcome, why)
    assert outcome != CORRUPT, why
    if outcome == CLEAN_FAILURE:
        assert result.cancelled and not result.errors and not result.layers, result.errors
        resume_and_load(os_api, folder, "opendata-many")
    project.removeAllMapLayers()
    # The task manager's pool keeps its Qt worker thread, and that thread's event dispatcher.
    assert not before.leaks(ignore=("anon_inode:[eventfd]",))


def test_task_disk_full(os_api, project, tally, small_disk):
    items = listed(os_api, "opendata-many")
    disk = small_disk(4096)

    task = make_task(os_api, items, disk.path)
    outcome, why = classify(task.outcome, run_in_place(task), items, disk.path, disk.path)

    tally.add("task disk-full opendata-many", outcome, why)
    assert outcome == CLEAN_FAILURE, why
    assert "disk is full" in why
    disk.make_room()
    resume_and_load(os_api, disk.path, "opendata-many")


def test_task_disk_full_while_unpacking(os_api, project, tally, small_disk):
    """The zip fits, its contents do not: a clear error, no layers; with room made, the next
    run keeps the verified zip (no byte fetched again) and unpacks and loads it."""
    items = listed(os_api, "package-one")
    disk = small_disk(12 * 1024)

    task = make_task(os_api, items, disk.path)
    outcome, why = classify(task.outcome, run_in_place(task), items, disk.path, disk.path)

    tally.add("task disk-full-unpacking package-one", outcome, why)
    assert outcome == CLEAN_FAILURE, why
    assert verified(disk.path / items[0].file_name, items[0])
    assert "disk space" in why or "disk is full" in why, why
    disk.make_room()
    os_api.clear_requests()
    again = make_task(os_api, items, disk.path)
    assert run_in_place(again), again.outcome.errors
    assert again.outcome.layers and again.outcome.skipped
    assert not [r for r in os_api.requests if r.server == "storage"]


def test_task_download_folder_that_cannot_be_made(os_api, tmp_path, project, tally):
    """A download folder that cannot be created (a file is in the way) is a clear error, not
    an "unexpected error"."""
    items = listed(os_api, "package-one")
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "blocker").write_text("a file, not a folder")
    folder = tmp_path / "case" / "blocker" / "downloads"

    task = make_task(os_api, items, folder)
    outcome, why = classify(task.outcome, run_in_place(task), items, folder, folder)

    tally.add("task folder-cannot-be-made package-one", outcome, why)
    assert outcome == CLEAN_FAILURE, why
    assert str(folder) in why
