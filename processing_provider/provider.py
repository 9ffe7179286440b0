"""The Processing provider `os_data_hub` ("OS Data Hub")."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .base import plugin_icon, tr
from .download_data_package import DownloadDataPackage
from .download_opendata import DownloadOpenData
from .list_products import ListProducts

PROVIDER_ID = "os_data_hub"


def algorithm_classes() -> list:
    from .add_basemap import AddBasemap

    return [DownloadOpenData, DownloadDataPackage, AddBasemap, ListProducts]


class OSDataHubProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return tr("OS Data Hub")

    def longName(self) -> str:
        return tr("OS Data Hub (Ordnance Survey downloads and basemaps)")

    def icon(self) -> QIcon:
        return plugin_icon()

    def loadAlgorithms(self) -> None:
        for algorithm in algorithm_classes():
            self.addAlgorithm(algorithm())
