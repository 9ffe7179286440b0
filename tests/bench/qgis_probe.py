"""The plugin's side of `make bench`, inside QGIS (offscreen): run by tests/bench/suite.py.

    QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH=DIR python3 tests/bench/qgis_probe.py \
        CONFIG.json OUT.json

CONFIG names the local server (`url`), the large file's listing (`large`), a folder (`dest`)
and zips to unpack (`zips`). Measures, with QgsApplication's own task manager:
- the catalogue: the dock opened until its product list is filled, with an empty cache (from
  the server) and again with the cache (warm);
- the large file downloaded (and verified) by a DownloadTask, then the zips unpacked in a task,
  while a 10 ms QTimer on the main thread records the longest gap between its ticks;
- the sample products downloaded, unpacked and planned by DownloadTasks: how long `finished()`
  (adding the layers, on the main thread) takes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The plugin imports itself as `os_data_hub_loader` (see tests/conftest.py).
_LINK = Path(tempfile.mkdtemp(prefix="osdh-bench-plugin-"))
(_LINK / "os_data_hub_loader").symlink_to(REPO_ROOT, target_is_directory=True)
sys.path.insert(0, str(_LINK))

from qgis.core import QgsApplication, QgsProject  # noqa: E402
from qgis.gui import QgsMapCanvas  # noqa: E402
from qgis.PyQt.QtCore import QEventLoop, QTimer  # noqa: E402
from qgis.PyQt.QtWidgets import QMainWindow  # noqa: E402

SAMPLE_PRODUCTS = [  # product, format, areas: one of each kind of layer OS ships
    ("OpenGreenspace", "GeoPackage", ["SU"]),
    ("CodePointOpen", "CSV", []),
    ("Terrain50", "ASCII Grid and GML (Grid)", []),
    ("MiniScale", "GeoTIFF", []),
]


class StallMeter:
    """A 10 ms timer on the main thread; the longest gap between two ticks while armed."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest * 1000


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QgsApplication.processEvents()
        time.sleep(0.001)


class Iface:
    """What the dock asks of QGIS's interface: a map canvas, a main window and a message bar;
    anything else does nothing."""

    def __init__(self) -> None:
        from qgis.gui import QgsMessageBar

        self.window = QMainWindow()
        self.canvas = QgsMapCanvas(self.window)
        self.bar = QgsMessageBar(self.window)

    def mapCanvas(self):
        return self.canvas

    def mainWindow(self):
        return self.window

    def messageBar(self):
        return self.bar

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None


def catalogue(iface, results: dict) -> None:
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.dock import OSDataHubDock

    for name in ("catalogue_cold_ms", "catalogue_warm_ms"):
        tasks = TaskRegistry()
        dock = OSDataHubDock(iface, ApiContext(), tasks)
        started = time.perf_counter()
        dock.show()
        tab = dock.opendata
        wait_for(lambda tab=tab: tab.model.rowCount() > 0, 60, "the product list")
        results[name] = (time.perf_counter() - started) * 1000
        results["products"] = tab.model.rowCount()
        wait_for(lambda tab=tab: not tab.loading_products, 60, "the refresh")
        dock.close_down()
        tasks.cancel_all()
        dock.deleteLater()
        QgsApplication.processEvents()


def run_task(task, timeout: float = 600) -> float:
    """Add `task` to QGIS's task manager and wait in Qt's event loop, as QGIS's main thread
    would (idle until an event comes); its seconds."""
    done: list[bool] = []
    loop = QEventLoop()

    def end(ok: bool) -> None:
        done.append(ok)
        loop.quit()

    task.taskCompleted.connect(lambda: end(True))
    task.taskTerminated.connect(lambda: end(False))
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    started = time.perf_counter()
    QgsApplication.taskManager().addTask(task)
    if not done:
        loop.exec()
    seconds = time.perf_counter() - started
    if not done:
        raise TimeoutError(f"timed out waiting for {task.description()}")
    if not done[0]:
        raise RuntimeError(f"{task.description()} failed: {getattr(task, 'outcome', '')}")
    return seconds


def download_and_unpack(config: dict, stalls: StallMeter, results: dict) -> None:
    from os_data_hub_loader.api.download import DownloadItem
    from os_data_hub_loader.api.unpack import safe_unpack
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.download_task import DownloadTask
    from os_data_hub_loader.core.downloads import DownloadRequest
    from os_data_hub_loader.core.tasks import ApiTask

    large = config["large"]
    url = large["url"] + "&fileName=" + large["fileName"]
    results["stalls_ms"] = {}
    for attempt in range(config.get("repeat", 1)):
        request = DownloadRequest(
            "Benchmark", None, [DownloadItem(url, large["fileName"], large["size"], large["md5"])],
            Path(config["dest"]) / "large", unpack=False, load=False)
        task = DownloadTask(request, ApiContext().download_engine())
        stalls.start()
        seconds = run_task(task)
        results["stalls_ms"][f"download task {attempt + 1} ({seconds:.1f} s)"] = stalls.stop()
        results.setdefault("download_task_runs", []).append(seconds)
        if task.outcome.errors or not task.outcome.files:
            raise RuntimeError(f"the download task failed: {task.outcome.errors}")
        Path(task.outcome.files[0]).unlink()
        os.sync()
    results["download_task_seconds"] = min(results["download_task_runs"])

    for zip_path in config["zips"]:
        target = Path(config["dest"]) / Path(zip_path).stem

        def work(task, zip_path=zip_path, target=target):
            return len(safe_unpack(Path(zip_path), target, cancel=task.cancel_token))

        unpack = ApiTask(f"unpack {Path(zip_path).name}", work)
        stalls.start()
        seconds = run_task(unpack)
        results["stalls_ms"][f"unpack {Path(zip_path).name} ({seconds:.1f} s)"] = stalls.stop()
        results.setdefault("unpack_task_seconds", {})[Path(zip_path).name] = seconds


def layer_loading(config: dict, results: dict) -> None:
    from os_data_hub_loader.api.client import DownloadsClient
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.download_task import DownloadTask
    from os_data_hub_loader.core.downloads import DownloadRequest

    class TimedTask(DownloadTask):
        finish_seconds = 0.0

        def finished(self, result: bool) -> None:
            started = time.perf_counter()
            super().finished(result)
            TimedTask.finish_seconds += time.perf_counter() - started

    layers = 0
    for product_id, format_, areas in SAMPLE_PRODUCTS:
        with DownloadsClient(config["url"]) as client:
            product = client.product(product_id)
            downloads = client.product_downloads(product_id, format=format_, areas=areas)
        request = DownloadRequest(
            product.name, product.version,
            [d.to_item() for d in downloads],
            Path(config["dest"]) / "samples" / product_id, unpack=True, load=True)
        task = TimedTask(request, ApiContext().download_engine())
        run_task(task)
        layers += len(task.outcome.layers)
        if task.outcome.errors or not task.outcome.layers:
            raise RuntimeError(f"{product_id}: no layers ({task.outcome.errors})")
    results["layer_loading_seconds"] = TimedTask.finish_seconds
    results["layers"] = layers
    results["layer_products"] = [p for p, _, _ in SAMPLE_PRODUCTS]
    QgsProject.instance().removeAllMapLayers()


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    os.environ["OS_API_BASE_URL"] = config["url"]
    app = QgsApplication([], True)
    app.initQgis()
    results: dict = {"qgis_started": time.time()}
    stalls = StallMeter()
    iface = Iface()
    catalogue(iface, results)
    download_and_unpack(config, stalls, results)
    layer_loading(config, results)
    results["longest_stall_ms"] = max(results["stalls_ms"].values())
    Path(sys.argv[2]).write_text(json.dumps(results, indent=2), encoding="utf-8")
    os._exit(0)  # skip QGIS's slow and sometimes crashing exit


if __name__ == "__main__":
    sys.exit(main())
