"""The OS Data Hub dock panel."""

from __future__ import annotations

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..core.context import ApiContext
from ..core.tasks import TaskRegistry
from .opendata_tab import OpenDataTab


class OSDataHubDock(QgsDockWidget):
    def __init__(self, iface, tasks: TaskRegistry, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OS Data Hub"))
        self.iface = iface
        self.tasks = tasks
        self.context = ApiContext()

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget(body)
        layout.addWidget(self.tabs)
        self.opendata = OpenDataTab(self.context, tasks, self.iface, self.tabs)
        self.tabs.addTab(self.opendata, self.tr("OpenData"))
        self.setWidget(body)
        self.visibilityChanged.connect(self._on_visibility)

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.opendata.ensure_loaded()

    def close_down(self) -> None:
        """Called by the plugin on unload, before the dock is deleted."""
        self.opendata.close_down()
