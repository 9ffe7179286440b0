"""The QGIS plugin class: a Web menu entry and a toolbar button that show or hide the dock."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon

from .core.compat import QAction
from .core.i18n import install_translator
from .core.tasks import TaskRegistry

PLUGIN_DIR = Path(__file__).resolve().parent
MENU = "&OS Data Hub Loader"


class OSDataHubLoaderPlugin:
    """Created by `classFactory`; QGIS calls `initGui()` and, on unload, `unload()`."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.tasks = TaskRegistry()
        self.context = None
        self.options_factory = None
        self.processing_provider = None
        self.browser = None
        self.dock = None
        self.toggle_action: QAction | None = None
        self.basemap_actions = None
        # Before any widget is made: QGIS's language, if the plugin has a translation for it.
        self.translator: QTranslator | None = install_translator()

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("OSDataHubLoaderPlugin", text)

    def initProcessing(self) -> None:
        """Register the Processing provider `os_data_hub` (once)."""
        from qgis.core import QgsApplication

        from .processing_provider.provider import OSDataHubProvider

        if self.processing_provider is None:
            self.processing_provider = OSDataHubProvider()
            QgsApplication.processingRegistry().addProvider(self.processing_provider)

    def initGui(self) -> None:
        from .core.context import ApiContext
        from .ui.dock import OSDataHubDock
        from .ui.settings_page import OSDataHubOptionsFactory

        self.initProcessing()
        self.context = ApiContext()
        self.options_factory = OSDataHubOptionsFactory(
            self.context, self.tasks, QIcon(str(PLUGIN_DIR / "icon.png")))
        self.iface.registerOptionsWidgetFactory(self.options_factory)
        QCoreApplication.instance().aboutToQuit.connect(self.tasks.cancel_all)

        self.dock = OSDataHubDock(self.iface, self.context, self.tasks, self.iface.mainWindow())
        self.dock.setObjectName("OSDataHubLoaderDock")
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()

        self.toggle_action = QAction(
            QIcon(str(PLUGIN_DIR / "icon.png")), self.tr("OS Data Hub"), self.iface.mainWindow()
        )
        self.toggle_action.setObjectName("OSDataHubLoaderToggleDock")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip(self.tr("Show or hide the OS Data Hub panel"))
        self.toggle_action.toggled.connect(self._set_dock_visible)
        self.dock.visibilityChanged.connect(self._sync_action)
        self.iface.addPluginToWebMenu(MENU, self.toggle_action)
        self.iface.addWebToolBarIcon(self.toggle_action)

        from .browser.provider import BrowserIntegration

        # "OS Data Hub" in the Browser panel, and drops of its items onto the map.
        self.browser = BrowserIntegration(self.iface, self.context, self.tasks, lambda: self.dock)
        self.browser.install()

        from .ui.basemap_actions import BasemapActions

        # "Add OS basemap" action and the hooks keeping the key out of saved projects.
        self.basemap_actions = BasemapActions(self.iface, self.dock, MENU)

    def _set_dock_visible(self, visible: bool) -> None:
        if self.dock is None:
            return
        self.dock.setVisible(visible)
        if visible:
            self.dock.raise_()

    def _sync_action(self, visible: bool) -> None:
        if self.toggle_action is not None and self.toggle_action.isChecked() != visible:
            self.toggle_action.blockSignals(True)
            self.toggle_action.setChecked(visible)
            self.toggle_action.blockSignals(False)

    def unload(self) -> None:
        """Remove everything initGui() added and stop running work."""
        self.tasks.cancel_all()
        try:
            QCoreApplication.instance().aboutToQuit.disconnect(self.tasks.cancel_all)
        except TypeError:  # not connected (initGui never ran)
            pass
        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None
        if self.toggle_action is not None:
            self.iface.removePluginWebMenu(MENU, self.toggle_action)
            self.iface.removeWebToolBarIcon(self.toggle_action)
            self.toggle_action.deleteLater()
            self.toggle_action = None
        if self.browser is not None:
            self.browser.uninstall()
            self.browser = None
        if self.basemap_actions is not None:
            self.basemap_actions.unload()
            self.basemap_actions = None
        if self.dock is not None:
            self.dock.close_down()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.processing_provider is not None:
            from qgis.core import QgsApplication

            QgsApplication.processingRegistry().removeProvider(self.processing_provider)
            self.processing_provider = None
        if self.context is not None:
            self.context.close()
            self.context = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

