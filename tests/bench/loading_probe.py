"""The loading benchmarks' side inside QGIS (offscreen), one measurement a process: run by
tests/bench/suite.py (`uprn`, `openmap`, `terrain`; issue 15, deliverable 6).

    QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH=DIR python3 tests/bench/loading_probe.py \
        MODE CONFIG.json OUT.json

MODEs (CONFIG's keys in brackets):
- `task`: the plugin's DownloadTask on zips already downloaded and verified (`folder`, `zips`,
  `title`, `version`, `dataset_id`): unpack + import in the task, the layers added in
  `finished()`, while a 10 ms QTimer on the main thread records the longest gap between ticks.
  Seconds from the task's start until its layers are valid and their feature count and
  extent known.
- `delimitedtext`: QGIS's delimitedtext provider on a CSV (`csv`, `x`, `y`), with a spatial
  index, as a QGIS user opens it: seconds until the layer is valid and its feature count and
  extent known (all on the main thread, so that is also its stall).
- `open`: a fresh layer (`uri`, `provider`), as a reopened project makes it: seconds until its
  feature count and extent are known.
- `shapefiles`: every `.shp` under `folder` added as its own layer, one by one, as a user
  dragging them in: seconds (all on the main thread).
- `render`: a raster (`raster`) drawn once, whole, at `pixels` × `pixels` with
  QgsMapRendererParallelJob: seconds to open the layer and to draw it.
Timings start after QGIS has started: its start-up is the same for both sides.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# qgis_probe makes the plugin importable as `os_data_hub_loader` (its link to the checkout).
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapLayer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis_probe import StallMeter, run_task  # noqa: E402


def known(layer: QgsMapLayer) -> dict:
    """What makes a layer usable: valid, with its feature count and extent."""
    valid = layer.isValid()
    count = layer.featureCount() if isinstance(layer, QgsVectorLayer) else None
    extent = layer.extent()
    return {"valid": valid, "features": count, "extent": [extent.xMinimum(), extent.yMinimum(),
                                                          extent.xMaximum(), extent.yMaximum()]}


class VerifiedEngine:
    """The download engine's answer for zips that are there and verified: nothing to fetch."""

    def download(self, items, dest_dir, progress=None, cancel=None):
        from os_data_hub_loader.api.download import DownloadResult

        return [DownloadResult(item, Path(dest_dir) / item.file_name, True, None)
                for item in items]


def task(config: dict) -> dict:
    from os_data_hub_loader.api.download import DownloadItem
    from os_data_hub_loader.core.download_task import DownloadTask
    from os_data_hub_loader.core.downloads import DownloadRequest

    folder = Path(config["folder"])
    items = [DownloadItem(f"file://{folder / name}", name, (folder / name).stat().st_size, None)
             for name in config["zips"]]
    request = DownloadRequest(config["title"], config["version"], items, folder, unpack=True,
                              load=True, dataset_id=config["dataset_id"])
    stalls = StallMeter()
    finish = {}

    class TimedTask(DownloadTask):
        def finished(self, result: bool) -> None:
            started = time.perf_counter()
            super().finished(result)
            finish["seconds"] = time.perf_counter() - started

    started = time.perf_counter()
    stalls.start()
    download = TimedTask(request, VerifiedEngine())
    run_task(download, timeout=3600)
    layers = [known(layer) for layer in download.outcome.layers]
    seconds = time.perf_counter() - started
    stall = stalls.stop()
    if download.outcome.errors or not layers or not all(la["valid"] for la in layers):
        raise RuntimeError(f"no usable layers: {download.outcome.errors}")
    return {"seconds": seconds, "longest_stall_ms": stall, "finished_seconds": finish["seconds"],
            "layers": len(layers), "names": [la.name() for la in download.outcome.layers],
            "features": sum(la["features"] or 0 for la in layers),
            "sources": [la.source() for la in download.outcome.layers]}


def delimitedtext_uri(config: dict) -> str:
    return (f"file://{config['csv']}?type=csv&delimiter=,&xField={config['x']}"
            f"&yField={config['y']}&crs=EPSG:27700&spatialIndex=yes&detectTypes=yes")


def delimitedtext(config: dict) -> dict:
    started = time.perf_counter()
    layer = QgsVectorLayer(delimitedtext_uri(config), "csv", "delimitedtext")
    state = known(layer)
    return {"seconds": time.perf_counter() - started, **state}


def open_layer(config: dict) -> dict:
    uri = delimitedtext_uri(config) if config["provider"] == "delimitedtext" else config["uri"]
    started = time.perf_counter()
    layer = QgsVectorLayer(uri, "again", config["provider"])
    state = known(layer)
    return {"seconds": time.perf_counter() - started, **state}


def shapefiles(config: dict) -> dict:
    paths = sorted(Path(config["folder"]).rglob("*.shp"))
    started = time.perf_counter()
    layers = []
    for path in paths:
        layer = QgsVectorLayer(str(path), path.stem, "ogr")
        layer.featureCount()
        layer.extent()
        layers.append(layer)
        QgsProject.instance().addMapLayer(layer)
    seconds = time.perf_counter() - started
    if not all(layer.isValid() for layer in layers):
        raise RuntimeError("a shapefile did not open")
    return {"seconds": seconds, "layers": len(layers)}


def render(config: dict) -> dict:
    started = time.perf_counter()
    layer = QgsRasterLayer(config["raster"], "mosaic", "gdal")
    if not layer.isValid():
        raise RuntimeError(f"{config['raster']} did not open")
    opened = time.perf_counter() - started
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(config["pixels"], config["pixels"]))
    settings.setExtent(layer.extent())
    job = QgsMapRendererParallelJob(settings)
    drawing = time.perf_counter()
    job.start()
    job.waitForFinished()
    drawn = time.perf_counter() - drawing
    image = job.renderedImage()
    errors = [e.message for e in job.errors()]
    if image.isNull() or errors:
        raise RuntimeError(f"the render failed: {errors}")
    return {"seconds": drawn, "open_seconds": opened, "width": image.width(),
            "overviews": layer.dataProvider().hasPyramids()}


MODES = {"task": task, "delimitedtext": delimitedtext, "open": open_layer,
         "shapefiles": shapefiles, "render": render}


def main() -> int:
    mode, config_path, out_path = sys.argv[1:4]
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    app = QgsApplication([], True)
    app.initQgis()
    results = MODES[mode](config)
    Path(out_path).write_text(json.dumps(results, indent=2), encoding="utf-8")
    sys.stdout.flush()
    os._exit(0)  # skip QGIS's slow and sometimes crashing exit


if __name__ == "__main__":
    sys.exit(main())
