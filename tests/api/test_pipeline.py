"""The shared pipeline (api.pipeline): fetch → verify → unpack against the local OS API server,
the "already unpacked" record, and the one folder layout; the CLI runs it too."""

from __future__ import annotations

from pathlib import Path

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import DownloadEngine, DownloadItem
from os_data_hub_loader.api.errors import LocalFileError
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.models import safe_name
from os_data_hub_loader.api.pipeline import (
    Order,
    Pipeline,
    is_unpacked,
    package_folder,
    product_folder,
)
from testsupport import run_cli

local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.02, max_delay=0.1)


def items_of(os_api, product: str = "OpenGreenspace", area: str = "HP") -> list[DownloadItem]:
    with DownloadsClient(os_api.url, ApiKeyAuth(DEMO_KEY), retry=FAST_RETRY) as client:
        return [d.to_item() for d in client.product_downloads(product, areas=[area],
                                                                 format="GeoPackage")]


def pipeline(os_api, cancel: CancelToken | None = None, **callbacks) -> Pipeline:
    engine = DownloadEngine(os_api.url, ApiKeyAuth(DEMO_KEY), HttpSettings(timeout=10),
                            FAST_RETRY)
    return Pipeline(engine, cancel=cancel, **callbacks)


def test_fetch_verify_unpack_and_report(os_api, tmp_path: Path):
    items = items_of(os_api)
    percents: list[float] = []
    states: list[str] = []
    order = Order("OS Open Greenspace", "2024-04", items, tmp_path / "dl")
    delivery = pipeline(os_api, on_progress=percents.append,
                        on_file=lambda p: states.append(p.file.state)).run(order)
    assert not delivery.cancelled and delivery.failures == []
    assert [p.name for p in delivery.files] == [i.file_name for i in items]
    (ready,) = delivery.ready
    assert ready.files is None and ready.folder == delivery.files[0].with_suffix("")
    assert any(p.suffix == ".gpkg" for p in ready.folder.rglob("*"))
    assert is_unpacked(delivery.files[0], ready.folder)
    assert percents[-1] == 100.0 and percents == sorted(percents)
    assert "done" in states
    assert order.group_name == "OS Open Greenspace (2024-04)"


def test_a_second_run_neither_fetches_nor_unpacks_again(os_api, tmp_path: Path):
    items = items_of(os_api)
    order = Order("OS Open Greenspace", "2024-04", items, tmp_path)
    first = pipeline(os_api).run(order)
    data = next(p for p in first.ready[0].folder.rglob("*.gpkg"))
    size = data.stat().st_size
    data.write_bytes(b"x" * size)  # same size: a record that still holds, not unpacked again
    os_api.clear_requests()
    second = pipeline(os_api).run(order)
    assert second.skipped and not second.files
    assert not [r for r in os_api.requests if r.server == "storage"]
    assert data.read_bytes() == b"x" * size
    data.unlink()  # a file gone from the folder comes back
    pipeline(os_api).run(order)
    assert data.stat().st_size == size and data.read_bytes() != b"x" * size


def test_without_unpacking_zips_stay_packed(os_api, tmp_path: Path):
    delivery = pipeline(os_api).run(Order("x", None, items_of(os_api), tmp_path, unpack=False))
    assert delivery.ready == [] and delivery.packed == delivery.files


def test_a_folder_that_cannot_be_made_fails_every_file_as_a_local_problem(os_api, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    delivery = pipeline(os_api).run(Order("x", None, items_of(os_api), blocker / "sub"))
    (failure,) = delivery.failures
    assert isinstance(failure.error, LocalFileError) and failure.error.exit_code == 1
    assert not delivery.cancelled and delivery.files == []


def test_cancelled_before_it_starts(os_api, tmp_path: Path):
    cancel = CancelToken()
    cancel.cancel()
    delivery = pipeline(os_api, cancel=cancel).run(Order("x", None, items_of(os_api), tmp_path))
    assert delivery.cancelled and delivery.ready == [] and delivery.failures == []


def test_one_folder_layout():
    base = Path("/data")
    assert product_folder(base, "OpenRoads", None) == base / "OpenRoads" / "latest"
    assert product_folder(base, "Open Roads/../x", "2024-04") == base / "Open_Roads_.._x" / \
        "2024-04"
    assert package_folder(base, "0040154231", "My package", "120045", "2021-01") == \
        base / "data-packages" / "0040154231_My_package" / "120045_2021-01"
    assert safe_name("..", None) == "download"


def test_the_cli_unpacks_once(os_api, tmp_path: Path):
    item = items_of(os_api)[0]
    args = ["download", "OpenGreenspace", "--area", "HP", "--format", "GeoPackage",
            "--dest", str(tmp_path), "--unpack", "-q"]
    first = run_cli(os_api.url, *args)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / Path(item.file_name).stem
    assert str(folder) in first.stdout.split()
    data = next(folder.rglob("*.gpkg"))
    data.write_bytes(b"y" * data.stat().st_size)
    again = run_cli(os_api.url, *args)
    assert again.returncode == 0, again.stderr
    assert set(data.read_bytes()) == {ord("y")}, "the CLI unpacked the same zip again"
