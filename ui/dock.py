"""The OS Data Hub dock panel."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QTabWidget, QToolButton, QVBoxLayout, QWidget

from ..core.context import ApiContext
from ..core.tasks import TaskRegistry
from .basemaps_tab import BasemapsTab
from .opendata_tab import OpenDataTab
from .packages_tab import PackagesTab
from .settings_page import open_settings
from .widgets import on_keys, set_tab_order, tip


class OSDataHubDock(QgsDockWidget):
    def __init__(self, iface, context: ApiContext, tasks: TaskRegistry, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OS Data Hub"))
        self.iface = iface
        self.tasks = tasks
        self.context = context

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget(body)
        # Tab titles never scroll out of sight (Welsh ones are longer): the dock is as wide as
        # they need instead.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        layout.addWidget(self.tabs)
        self.opendata = OpenDataTab(self.context, tasks, self.iface, self.tabs)
        self.tabs.addTab(self.opendata, self.tr("OpenData"))
        self.packages = PackagesTab(self.context, tasks, self.iface, self.tabs)
        self.tabs.addTab(self.packages, self.tr("Data packages"))
        self.basemaps = BasemapsTab(self.context, tasks, self.iface, self.tabs)
        self.tabs.addTab(self.basemaps, self.tr("Basemaps"))
        self.settings_button = QToolButton(self.tabs)
        self.settings_button.setIcon(QgsApplication.getThemeIcon("/mActionOptions.svg"))
        self.settings_button.setToolTip(tip(
            self.tr("OS Data Hub settings: API key, download folder, rate limit.")))
        self.settings_button.setAccessibleName(self.tr("OS Data Hub settings"))
        self.settings_button.setAutoRaise(True)
        self.settings_button.clicked.connect(lambda: open_settings(self.iface))
        self.tabs.setCornerWidget(self.settings_button)
        self.tabs.setTabToolTip(0, tip(self.tr(
            "OS OpenData products: free to download, no account needed.")))
        self.tabs.setTabToolTip(1, tip(self.tr(
            "Your premium data packages, ordered on the OS Data Hub (needs an API key).")))
        self.tabs.setTabToolTip(2, tip(self.tr(
            "OS Maps basemap layers (needs an API key).")))
        set_tab_order(self.tabs.tabBar(), self.settings_button, *self.opendata.focus_order(),
                      *self.packages.focus_order(), *self.basemaps.focus_order())
        # Ctrl+F only while the focus is inside the panel (so QGIS's own Ctrl+F, Layer →
        # Filter, works everywhere else). Taken as the key event travels up to the dock, not
        # as a QShortcut, which would be ambiguous with QGIS's and then do neither.
        on_keys(self, [Qt.Key.Key_F], self.find, modifiers=Qt.KeyboardModifier.ControlModifier)
        self.tabs.currentChanged.connect(lambda _index: self._load_current())
        self.setWidget(body)
        self.visibilityChanged.connect(self._on_visibility)

    def find(self) -> None:
        """Ctrl+F: the OpenData search box, its text selected to type over."""
        self.tabs.setCurrentWidget(self.opendata)
        self.opendata.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.opendata.search.selectAll()

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self._load_current()

    def _load_current(self) -> None:
        """Tabs load their lists when first shown, not at QGIS start-up."""
        current = self.tabs.currentWidget()
        if current is not None and hasattr(current, "ensure_loaded"):
            current.ensure_loaded()

    def close_down(self) -> None:
        """Called by the plugin on unload, before the dock is deleted."""
        self.opendata.close_down()
        self.packages.close_down()
        self.basemaps.close_down()
