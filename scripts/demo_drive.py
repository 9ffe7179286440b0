"""Run inside QGIS by `make demo` without a display: drive the plugin and take screenshots.

Each step is scheduled before it acts, so that an error in one cannot block the rest; the
last step always exits.
"""

import os
import traceback
from pathlib import Path

from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface, plugins

SHOTS = Path(os.environ.get("DEMO_SHOTS", "demo-shots"))
report: list[str] = []


def shot(name: str) -> None:
    path = SHOTS / f"{name}.png"
    bar = iface.messageBar()
    for item in list(bar.items()):  # QGIS's own notices (a missing datum grid), not ours
        if item.title() != "OS Data Hub":
            bar.popWidget(item)
    iface.mainWindow().grab().save(str(path))
    report.append(f"screenshot {path}")


def finish() -> None:
    (SHOTS / "demo-report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    os._exit(0)


def step(func, delay_ms: int, then=None) -> None:
    def run():
        try:
            func()
        except Exception:
            report.append("step failed: " + traceback.format_exc())
        if then is not None:
            then()

    QTimer.singleShot(delay_ms, run)


def open_dock() -> None:
    plugin = plugins["os_data_hub_loader"]
    plugin.toggle_action.setChecked(True)
    report.append("dock opened")


def wait_for_products(tries: int = 100) -> None:
    dock = plugins["os_data_hub_loader"].dock
    tab = dock.opendata
    if tab.products or tries <= 0:
        report.append(f"products listed: {len(tab.products)}; status: {tab.status.text()}")
        select_product()
        return
    QTimer.singleShot(200, lambda: wait_for_products(tries - 1))


def select_product() -> None:
    tab = plugins["os_data_hub_loader"].dock.opendata
    tab.search.setText("greenspace")
    step(lambda: _pick_first(tab), 600, lambda: step(lambda: shot("01-opendata"), 1500,
                                                        download_greenspace))


def download_greenspace() -> None:
    panel = plugins["os_data_hub_loader"].dock.opendata.downloads
    panel.format.setCurrentIndex(panel.format.findText("GeoPackage"))
    panel.set_areas({"SU", "TQ"})
    panel._tick_shown(True)
    panel.controls.unpack.setChecked(True)
    panel.controls.add_to_map.setChecked(True)
    task = panel.start_download()
    report.append(f"download started: {task is not None}")
    wait_for_download(panel, 150)


def wait_for_download(panel, tries: int) -> None:
    if panel.download_task is None or tries <= 0:
        report.append(f"download finished: {panel.status.text()}")
        zoom_to_a_site()
        step(lambda: shot("02-downloaded-and-loaded"), 2500, show_packages)
        return
    QTimer.singleShot(200, lambda: wait_for_download(panel, tries - 1))


def show_packages() -> None:
    from os_data_hub_loader.core.credentials import Credentials
    from qgis.core import QgsApplication

    QgsApplication.authManager().setMasterPassword("demo-master-password", True)
    dock = plugins["os_data_hub_loader"].dock
    dock.context.credentials.save(Credentials(os.environ.get("DEMO_KEY", "local-demo-key")))
    dock.tabs.setCurrentWidget(dock.packages)
    report.append("data packages tab shown")
    step(lambda: shot("03-data-packages"), 2500, show_basemaps)


def show_basemaps() -> None:
    dock = plugins["os_data_hub_loader"].dock
    dock.tabs.setCurrentWidget(dock.basemaps)
    report.append("basemaps tab shown")
    step(add_basemap, 3000)


def add_basemap() -> None:
    dock = plugins["os_data_hub_loader"].dock
    dock.basemaps.add_default()
    report.append("default basemap asked for")
    step(zoom_to_southampton, 2000)


def zoom_to_a_site() -> None:
    """The sample sites are a few hundred metres across in 100 km squares: show one closely."""
    canvas = iface.mapCanvas()
    for layer in canvas.layers():
        if layer.isValid() and layer.name().startswith("GreenspaceSite"):
            feature = next(layer.getFeatures(), None)
            if feature is not None:
                canvas.setExtent(feature.geometry().boundingBox().buffered(900))
                canvas.refresh()
                return


def zoom_to_southampton() -> None:
    zoom_to_a_site()
    canvas = iface.mapCanvas()
    layers = [layer.name() for layer in canvas.layers()]
    report.append(f"map layers: {layers}")
    step(lambda: shot("04-basemap"), 4000, settings_page)


def settings_page() -> None:
    from os_data_hub_loader.ui.settings_page import OSDataHubOptionsPage

    plugin = plugins["os_data_hub_loader"]
    page = OSDataHubOptionsPage(plugin.context, plugin.tasks)
    page.resize(720, 620)
    page.show()
    page.test()
    report.append("settings page: testing the stored key")

    def grab():
        page.grab().save(str(SHOTS / "05-settings.png"))
        report.append(f"screenshot {SHOTS / '05-settings.png'}: {page.result.text()!r}")
        page.close()

    step(grab, 3000, tooltip)


def tooltip() -> None:
    """The OpenData tab used from the keyboard, with the search box's tooltip showing: the
    screen (tooltips are windows of their own) cut to the panel."""
    from qgis.PyQt.QtCore import QPoint
    from qgis.PyQt.QtGui import QGuiApplication
    from qgis.PyQt.QtWidgets import QToolTip

    dock = plugins["os_data_hub_loader"].dock
    dock.tabs.setCurrentWidget(dock.opendata)
    search = dock.opendata.search
    search.setFocus()
    search.setText("open")

    def show():
        QToolTip.showText(search.mapToGlobal(QPoint(search.width() // 3, search.height())),
                          search.toolTip(), search)
        step(grab, 800, finish)

    def grab():
        screen = QGuiApplication.primaryScreen().grabWindow(0)
        corner = dock.mapToGlobal(QPoint(0, 0))
        picture = screen.copy(corner.x(), corner.y(), dock.width(), dock.height())
        picture.save(str(SHOTS / "06-tooltip.png"))
        report.append(f"screenshot {SHOTS / '06-tooltip.png'}")

    step(show, 1500)


def _pick_first(tab) -> None:
    index = tab.proxy.index(0, 0)
    if index.isValid():
        tab.table.setCurrentIndex(index)
        report.append(f"selected: {index.data()}")


QTimer.singleShot(120_000, finish)  # never hang the demo
step(open_dock, 1500, lambda: wait_for_products())
