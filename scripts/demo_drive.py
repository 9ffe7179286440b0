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
    step(lambda: _pick_first(tab), 600, lambda: step(lambda: shot("01-opendata"), 800, finish))


def _pick_first(tab) -> None:
    index = tab.proxy.index(0, 0)
    if index.isValid():
        tab.list.setCurrentIndex(index)
        report.append(f"selected: {index.data()}")


QTimer.singleShot(120_000, finish)  # never hang the demo
step(open_dock, 1500, lambda: wait_for_products())
