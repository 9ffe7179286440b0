"""What the plugin adds for OS Maps outside the dock: the one-click "Add OS basemap" action
(Web toolbar and Web menu), the project hooks that keep the API key out of saved projects, and
the one-time notice when a layer limited to open zoom levels stops drawing."""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtCore import QObject

from ..core.basemap_layers import OPEN_LEVELS_PROPERTY
from ..core.compat import QAction
from ..core.i18n import tr
from ..core.key_guard import ProjectKeyGuard
from .messages import notify


def missing_key_text() -> str:
    return tr(
        "This project has OS Maps layers, but no OS Data Hub API key is stored on this "
        "computer, so they cannot be drawn. Add the key in Settings → Options → OS Data Hub, "
        "then open the project again."
    )


class ZoomLimitNotice(QObject):
    """Tells the user once per layer why an OS Maps layer limited to open zoom levels
    disappears when the map is zoomed in past them."""

    def __init__(self, iface, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.told: set[str] = set()
        self.canvas = iface.mapCanvas()
        if self.canvas is not None:
            self.canvas.scaleChanged.connect(self.check)

    def check(self, scale: float) -> None:
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        for layer in project.mapLayers().values():
            last_open = layer.customProperty(OPEN_LEVELS_PROPERTY)
            if last_open is None or layer.id() in self.told or not layer.hasScaleBasedVisibility():
                continue
            node = root.findLayer(layer.id())
            if node is None or not node.isVisible() or scale >= layer.maximumScale():
                continue
            self.told.add(layer.id())
            notify(self.iface, tr(
                "{0} stops at zoom level {1} (about 1:{2}): closer zoom levels need an OS Maps "
                "premium plan, which this API key does not have (or could not be checked)."
            ).format(layer.name(), last_open, f"{round(layer.maximumScale()):,}"),
            Qgis.MessageLevel.Info)

    def close(self) -> None:
        if self.canvas is not None:
            try:
                self.canvas.scaleChanged.disconnect(self.check)
            except TypeError:
                pass


class BasemapActions:
    """Created in the plugin's initGui() once the dock exists; `unload()` removes it all."""

    def __init__(self, iface, dock, menu: str) -> None:
        self.iface = iface
        self.dock = dock
        self.menu = menu
        context = dock.context
        self.guard = ProjectKeyGuard(
            context.settings, context.credentials,
            on_missing_key=lambda: notify(iface, missing_key_text(), Qgis.MessageLevel.Warning),
        )
        self.guard.install()
        self.guard.restore_live_layers()  # enabled again in a session: layers work again
        self.action = QAction(
            QgsApplication.getThemeIcon("/mActionAddWmsLayer.svg"),
            tr("Add OS basemap"),
            iface.mainWindow(),
        )
        self.action.setObjectName("OSDataHubLoaderAddBasemap")
        self.action.setToolTip(tr(
            "Add the OS Maps Road basemap in the project's CRS (British National Grid or "
            "Web Mercator) at the bottom of the layer list"
        ))
        self.action.triggered.connect(self.add_default)
        iface.addPluginToWebMenu(menu, self.action)
        iface.addWebToolBarIcon(self.action)
        self.notice = ZoomLimitNotice(iface)

    def add_default(self) -> None:
        self.dock.basemaps.add_default()

    def unload(self) -> None:
        self.guard.strip_live_layers()
        self.guard.uninstall()
        self.notice.close()
        self.iface.removePluginWebMenu(self.menu, self.action)
        self.iface.removeWebToolBarIcon(self.action)
        self.action.deleteLater()
