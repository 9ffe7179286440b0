"""Run inside the real QGIS desktop by scripts/gui_test.sh (`make gui-test`): use the installed
plugin as a person would, through its widgets, and record what happened.

The steps run one after the other. Each acts (clicks, typing), then waits, polling the event
loop, until what a person would see has happened, or fails after its time limit; then it checks
the outcome. A screenshot of the main window is saved after each step, passed or failed.
Every message of the QGIS message log goes to qgis-messages.log; a "Python error" there (also
an uncaught exception in a slot, which this script logs instead of opening QGIS's error
dialog, which would block) fails the run. At the end result.json is written and QGIS exits:
status 0 if every step passed and no Python error was logged, 1 otherwise.

Environment: GUI_OUT (output folder), GUI_SERVER_LOG (the local server's request log),
GUI_PLUGIN_DIR (where the zip was installed), GUI_DEADLINE (when to give up, in seconds
since the epoch).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererParallelJob,
    QgsMessageLog,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.utils import iface, plugins

OUT = Path(os.environ["GUI_OUT"])
SERVER_LOG = Path(os.environ["GUI_SERVER_LOG"])
PLUGIN_DIR = Path(os.environ["GUI_PLUGIN_DIR"])
DEADLINE = float(os.environ.get("GUI_DEADLINE") or time.time() + 180)  # epoch seconds
PLUGIN = "os_data_hub_loader"
KEY = "local-demo-key"  # local_os_api/keys.py
MASTER_PASSWORD = "gui-test-master-password"
SEARCH = "Boundary"
PRODUCT = "BoundaryLine"
FORMAT = "GeoPackage"
SQUARE = "GB"  # Boundary-Line comes for all of Great Britain only
BASEMAP = "Road_27700"
SOUTHAMPTON_BNG = QgsRectangle(380_000, 80_000, 520_000, 180_000)
# Tiles that QGIS's WMTS provider asks for (upper-case KVP names); the plugin's own preview
# and probe requests use lower-case names.
QGIS_TILE = re.compile(r"GET /maps/raster/v1/wmts\?\S*REQUEST=GetTile\S* -> (\d+)")

STARTED = time.monotonic()
steps: list[dict] = []
python_errors: list[str] = []
state: dict = {}
message_log = open(OUT / "qgis-messages.log", "a", encoding="utf-8")


# -- the QGIS log --------------------------------------------------------------------------------
def on_message(message: str, tag: str, level) -> None:
    message_log.write(f"{int(level)}\t{tag}\t{message}\n")
    message_log.flush()
    if tag == "Python error" or "Traceback (most recent call last)" in message:
        python_errors.append(f"[{tag}] {message}")


def log_uncaught(kind, value, tb) -> None:
    QgsMessageLog.logMessage("".join(traceback.format_exception(kind, value, tb)),
                             "Python error", Qgis.MessageLevel.Critical)


QgsApplication.messageLog().messageReceived.connect(on_message)
sys.excepthook = log_uncaught


# -- running steps ---------------------------------------------------------------------------------
class Step:
    def __init__(self, name: str, act, done, check=None, limit: float = 30.0,
                 waiting_for: str = "") -> None:
        self.name, self.act, self.done, self.check = name, act, done, check
        self.limit, self.waiting_for = limit, waiting_for


def record(step: Step, ok: bool, began: float, detail: str) -> None:
    shot = OUT / f"{len(steps) + 1:02d}-{step.name}.png"
    try:
        iface.mainWindow().grab().save(str(shot))
    except Exception:
        shot = None
    steps.append({"name": step.name, "ok": ok, "seconds": round(time.monotonic() - began, 1),
                  "detail": detail, "screenshot": shot.name if shot else None})


def write_result() -> bool:
    ok = bool(steps) and all(s["ok"] for s in steps) and len(steps) == len(STEPS) \
        and not python_errors
    result = {"ok": ok, "seconds": round(time.monotonic() - STARTED, 1), "steps": steps,
              "python_errors": python_errors}
    (OUT / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return ok


def finish() -> None:
    ok = write_result()
    message_log.close()
    os._exit(0 if ok else 1)


def run(queue: list[Step]) -> None:
    if not queue:
        QTimer.singleShot(500, finish)  # let late log messages arrive
        return
    step, began = queue[0], time.monotonic()
    try:
        step.act()
    except Exception:
        record(step, False, began, "acting failed: " + traceback.format_exc(limit=4))
        finish()
        return
    QTimer.singleShot(100, lambda: poll(queue, began))


def poll(queue: list[Step], began: float) -> None:
    step = queue[0]
    if python_errors:  # no need to wait for the time limit
        record(step, False, began, "a Python error was logged (see python_errors)")
        finish()
        return
    try:
        ready = step.done()
    except Exception:
        record(step, False, began, "waiting failed: " + traceback.format_exc(limit=4))
        finish()
        return
    if not ready:
        if time.monotonic() - began > step.limit:
            record(step, False, began, f"not done within {step.limit:.0f} s: {step.waiting_for}")
            finish()
        else:
            QTimer.singleShot(100, lambda: poll(queue, began))
        return
    try:
        detail = step.check() if step.check else ""
    except Exception as error:
        record(step, False, began, f"check failed: {type(error).__name__}: {error}")
        finish()
        return
    record(step, True, began, detail or "")
    QTimer.singleShot(300, lambda: run(queue[1:]))


def watchdog() -> None:
    """If the main thread hangs (a modal dialog, a dead lock), still report and exit."""
    time.sleep(max(0.0, DEADLINE - time.time()))
    steps.append({"name": "watchdog", "ok": False, "screenshot": None,
                  "seconds": round(time.monotonic() - STARTED, 1),
                  "detail": "the run did not finish by its deadline (GUI_TIMEOUT)"})
    write_result()
    os._exit(1)


# -- what a person sees --------------------------------------------------------------------------
def plugin():
    return plugins[PLUGIN]


def dock():
    return plugin().dock


def opendata():
    return dock().opendata


def files():
    return opendata().downloads


def click(widget, pos=None) -> None:
    if pos is None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def canvas_refreshed_after(action) -> None:
    """Run `action` (which refreshes the map) and note when the canvas has drawn."""
    canvas = iface.mapCanvas()
    state["drawn"] = False

    def drawn() -> None:
        state["drawn"] = True
        canvas.mapCanvasRefreshed.disconnect(drawn)

    canvas.mapCanvasRefreshed.connect(drawn)
    action()


def qgis_tile_statuses() -> list[str]:
    text = SERVER_LOG.read_text(encoding="utf-8", errors="replace")
    return QGIS_TILE.findall(text)


# 1. QGIS is up, with the plugin from the zip.
def started_act() -> None:
    iface.mainWindow().resize(1600, 1000)


def started_done() -> bool:
    return PLUGIN in plugins and iface.mainWindow().isVisible()


def started_check() -> str:
    loaded_from = Path(sys.modules[PLUGIN].__file__).resolve().parent
    assert loaded_from == PLUGIN_DIR.resolve(), f"plugin loaded from {loaded_from}"
    return f"QGIS {Qgis.version()}; plugin loaded from the installed zip ({loaded_from})"


# 2. The toolbar button opens the dock; the products are listed.
def open_dock_act() -> None:
    button = iface.webToolBar().widgetForAction(plugin().toggle_action)
    assert button is not None, "no OS Data Hub button in the Web toolbar"
    click(button)


def open_dock_done() -> bool:
    tab = opendata()
    return dock().isVisible() and bool(tab.products) and not tab.loading_products


def open_dock_check() -> str:
    return f"dock open; {opendata().status.text()}"


# 3. Type the search.
def search_act() -> None:
    opendata().search.setFocus()
    QTest.keyClicks(opendata().search, SEARCH)


def search_done() -> bool:
    return opendata().proxy.text == [SEARCH.lower()]


def shown_products() -> list:
    from os_data_hub_loader.ui.opendata_tab import PRODUCT_ROLE

    proxy = opendata().proxy
    return [proxy.index(row, 0).data(PRODUCT_ROLE) for row in range(proxy.rowCount())]


def search_check() -> str:
    shown = shown_products()
    assert PRODUCT in [p.id for p in shown], [p.id for p in shown]
    assert len(shown) < len(opendata().products), "the search filtered nothing"
    return f"{opendata().status.text()}: {', '.join(p.name for p in shown)}"


# 4. Click the product in the list; its files are listed.
def select_act() -> None:
    row = [p.id for p in shown_products()].index(PRODUCT)
    table = opendata().table
    index = opendata().proxy.index(row, 0)
    table.scrollTo(index)
    click(table.viewport(), table.visualRect(index).center())


def select_done() -> bool:
    panel = files()
    return (panel.product is not None and panel.product.id == PRODUCT
            and panel._list_task is None and panel.model.rowCount() > 0)


def select_check() -> str:
    return f"{files().product.name}: {files().status.text()}"


# 5. Choose the format (typing in the combo box, as with the keyboard), the square (the "All of
#    GB" button) and tick the file in the files table: click its row, Home to its first cell,
#    Space to tick it.
def choose_act() -> None:
    panel = files()
    panel.format.setFocus()
    QTest.keyClicks(panel.format, FORMAT)
    click(panel.gb_button)
    table = panel.table
    assert panel.proxy.rowCount() == 1, f"{panel.proxy.rowCount()} files shown, expected 1"
    index = panel.proxy.index(0, 3)  # the Area column: a click there does not tick
    click(table.viewport(), table.visualRect(index).center())
    QTest.keyClick(table, Qt.Key.Key_Home)
    QTest.keyClick(table, Qt.Key.Key_Space)
    for box in (panel.controls.unpack, panel.controls.add_to_map):
        if not box.isChecked():
            click(box)


def choose_done() -> bool:
    panel = files()
    return len(panel.chosen()) == 1 and panel.controls.download_button.isEnabled()


def choose_check() -> str:
    panel = files()
    chosen = panel.chosen()[0]
    assert panel.format.currentText() == FORMAT, panel.format.currentText()
    assert (chosen.format, chosen.area) == (FORMAT, SQUARE), (chosen.format, chosen.area)
    assert panel.areas.text() == SQUARE, panel.areas.text()
    return f"{chosen.file_name} ({chosen.format}, {chosen.area}); {panel.total.text()}"


# 6. Press Download and wait for the task.
def download_act() -> None:
    controls = files().controls
    controls.finishedTask.connect(lambda task: state.__setitem__("task", task))
    click(controls.download_button)
    assert controls.task is not None, "Download started no task"


def download_done() -> bool:
    return "task" in state


def download_check() -> str:
    outcome = state["task"].outcome
    assert not outcome.cancelled, "cancelled"
    assert not outcome.errors, outcome.errors
    assert outcome.layers, "no layers"
    return files().controls.status.text()


# 7. The layers are in the layer tree, with features, and drawn.
def product_group():
    root = QgsProject.instance().layerTreeRoot()
    groups = [g for g in root.findGroups(True) if "Boundary" in g.name()]
    names = [child.name() for child in root.children()]
    assert groups, f"no Boundary-Line group in the layer tree: {names}"
    return groups[0]


def layers_act() -> None:
    layers = [node.layer() for node in product_group().findLayers()]
    extent = QgsRectangle()
    for layer in layers:
        extent.combineExtentWith(layer.extent())

    def show() -> None:
        iface.mapCanvas().setExtent(extent)
        iface.mapCanvas().refresh()

    canvas_refreshed_after(show)


def layers_check() -> str:
    group = product_group()
    layers = [node.layer() for node in group.findLayers()]
    assert layers, "the group is empty"
    described = []
    for layer in layers:
        assert layer is not None and layer.isValid(), f"invalid layer {layer}"
        assert isinstance(layer, QgsVectorLayer), f"{layer.name()} is not a vector layer"
        count = layer.featureCount()
        assert count > 0, f"{layer.name()} has no features"
        described.append(f"{layer.name()} ({count})")
    return f"group {group.name()!r}: {', '.join(described)}"


# 8. With the key stored, the Basemaps tab lists the OS Maps layers with their previews.
def basemaps_act() -> None:
    from os_data_hub_loader.core.credentials import Credentials

    assert QgsApplication.authManager().setMasterPassword(MASTER_PASSWORD, True)
    assert dock().context.credentials.save(Credentials(KEY)), "the key was not stored"
    bar = dock().tabs.tabBar()
    click(bar, bar.tabRect(dock().tabs.indexOf(dock().basemaps)).center())


def basemaps_done() -> bool:
    tab = dock().basemaps
    tree = tab.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return (dock().tabs.currentWidget() is tab and bool(items) and tab.add_button.isEnabled()
            and all(not item.icon(0).isNull() for item in items))


def basemaps_check() -> str:
    state["tiles_before"] = len(qgis_tile_statuses())
    return dock().basemaps.status.text()


# 9. Select a layer and press "Add to map".
def basemap_item():
    from os_data_hub_loader.ui.basemaps_tab import LAYER_ROLE

    tree = dock().basemaps.tree
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item.data(0, LAYER_ROLE) == BASEMAP:
            return item
    raise AssertionError(f"{BASEMAP} is not listed")


def add_basemap_act() -> None:
    tab = dock().basemaps
    item = basemap_item()
    tab.tree.scrollToItem(item)
    click(tab.tree.viewport(), tab.tree.visualItemRect(item).center())
    assert tab.selected_layer() is not None and tab.selected_layer().id == BASEMAP
    click(tab.add_button)


def wms_layers() -> list:
    return [layer for layer in QgsProject.instance().mapLayers().values()
            if layer.providerType() == "wms"]


def add_basemap_done() -> bool:
    return bool(wms_layers())


def add_basemap_check() -> str:
    layer = wms_layers()[0]
    assert layer.isValid(), f"{layer.name()} is not valid: {layer.error().summary()}"
    assert QgsProject.instance().layerTreeRoot().findLayer(layer.id()) is not None
    state["basemap"] = layer
    return f"{layer.name()} added ({layer.crs().authid()})"


# 10. Over Southampton the basemap draws from tiles the local server sent.
def render_act() -> None:
    canvas = iface.mapCanvas()
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                       canvas.mapSettings().destinationCrs(),
                                       QgsProject.instance())

    def show() -> None:
        canvas.setExtent(transform.transformBoundingBox(SOUTHAMPTON_BNG))
        canvas.refresh()

    canvas_refreshed_after(show)


def render_done() -> bool:
    if not state.get("drawn"):
        return False
    if "job" not in state:  # the canvas has drawn: now the basemap alone
        settings = iface.mapCanvas().mapSettings()
        settings.setLayers([state["basemap"]])
        job = QgsMapRendererParallelJob(settings)
        job.finished.connect(lambda: state.__setitem__("image", job.renderedImage()))
        state["job"] = job
        job.start()
    return "image" in state


def render_check() -> str:
    image = state["image"]
    image.save(str(OUT / "basemap-alone.png"))
    background = iface.mapCanvas().mapSettings().backgroundColor().rgb()
    colours = Counter(image.pixel(x * image.width() // 100, y * image.height() // 100)
                      for x in range(100) for y in range(100))
    uncovered = colours[background] / sum(colours.values())
    # Tiles cover the view (little bare background) and show a map, not one flat colour.
    assert uncovered < 0.1, f"the basemap left {uncovered:.0%} of the view empty"
    assert len(colours) >= 3, f"the basemap is flat: {len(colours)} colours"
    statuses = qgis_tile_statuses()[state["tiles_before"]:]
    served = statuses.count("200")
    assert served > 0, "the local server sent QGIS no tile"
    failed = [s for s in statuses if s != "200"]
    assert not failed, f"tile requests failed: {Counter(failed)}"
    return (f"{served} tiles served to QGIS; the basemap alone covers {1 - uncovered:.0%} of "
            f"the view in {len(colours)} colours")


STEPS = [
    Step("qgis-started", started_act, started_done, started_check, 60,
         "QGIS's main window with the plugin loaded"),
    Step("dock-opened", open_dock_act, open_dock_done, open_dock_check, 30,
         "the dock with the product list"),
    Step("searched", search_act, search_done, search_check, 10, "the search applied"),
    Step("product-selected", select_act, select_done, select_check, 20,
         "the product's files listed"),
    Step("file-chosen", choose_act, choose_done, choose_check, 10,
         "one ticked file and Download enabled"),
    Step("downloaded", download_act, download_done, download_check, 60,
         "the download task to finish"),
    Step("layers-loaded", layers_act, lambda: state.get("drawn"), layers_check, 20,
         "the map canvas to draw the layers"),
    Step("basemaps-listed", basemaps_act, basemaps_done, basemaps_check, 30,
         "the OS Maps layers with their previews"),
    Step("basemap-added", add_basemap_act, add_basemap_done, add_basemap_check, 15,
         "an OS Maps layer in the project"),
    Step("basemap-rendered", render_act, render_done, render_check, 30,
         "the canvas and the basemap to draw"),
]

threading.Thread(target=watchdog, daemon=True).start()
QTimer.singleShot(1000, lambda: run(STEPS))
