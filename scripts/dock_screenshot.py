"""A picture of the dock in a language, at its default width, with the local OS API server's
OpenData listed: `python scripts/dock_screenshot.py cy docs/dock-cy.png` (headless).

Used to check that a translation fits (nothing cut off, rows wrapping) and for the README.
Needs the compiled translation (`make translations`) and GDAL (the local server).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(language: str, output: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = tempfile.mkdtemp(prefix="osdh-shot-")
    link = Path(tempfile.mkdtemp(prefix="osdh-plugin-")) / "os_data_hub_loader"
    link.symlink_to(ROOT, target_is_directory=True)
    sys.path[:0] = [str(link.parent), str(ROOT)]

    from local_os_api import LocalOSAPI

    server = LocalOSAPI(data_dir=ROOT / ".cache" / "local-os-api").start()
    os.environ["OS_API_BASE_URL"] = server.url

    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    app.initQgis()
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.i18n import install_translator
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.dock import OSDataHubDock
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QImage
    from qgis.PyQt.QtWidgets import QMainWindow

    translator = install_translator(language)
    if translator is None and not language.startswith("en"):
        raise SystemExit(f"no compiled translation for {language}: run make translations")

    class Iface:
        def __init__(self) -> None:
            self.canvas, self.window = QgsMapCanvas(), QMainWindow()

        def mapCanvas(self):
            return self.canvas

        def mainWindow(self):
            return self.window

    def wait(condition, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit("the local server did not answer in time")
            app.processEvents()
            time.sleep(0.02)

    dock = OSDataHubDock(Iface(), ApiContext(), TaskRegistry())
    dock.resize(dock.sizeHint().width(), 960)
    dock.show()
    tab = dock.opendata
    tab.ensure_loaded()
    wait(lambda: tab.products and not tab.loading_products)
    tab.select_product("OpenGreenspace")
    wait(lambda: tab.downloads.downloads)
    tab.downloads.model.item(0, 0).setCheckState(Qt.CheckState.Checked)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    # 256 colours keep the picture small enough for the repository.
    image = dock.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8,
                                                  Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(output), "PNG", 0)
    print(f"{output}: {dock.width()} px wide, {output.stat().st_size:,} bytes")
    dock.close_down()
    server.stop()
    del translator
    os._exit(0)  # QGIS's exit with a live dock and tasks' threads is slow and noisy headless


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], Path(sys.argv[2]))
