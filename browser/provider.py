"""The Browser panel's "OS Data Hub" root (a QgsDataItemProvider) and the map canvas drop
handler for its dragged files and OS Maps layers."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsDataItemProvider, QgsDataProvider
from qgis.gui import QgsCustomDropHandler

from .items import RootItem
from .session import DROP_KEY, BrowserSession


class OSDataHubItemProvider(QgsDataItemProvider):
    def __init__(self, session: BrowserSession) -> None:
        super().__init__()
        self.session = session

    def name(self) -> str:
        return "OS Data Hub"

    def dataProviderKey(self) -> str:
        return DROP_KEY

    def capabilities(self) -> int:
        return QgsDataProvider.DataCapability.Net

    def createDataItem(self, path: str, parentItem):
        if path:
            return None
        return RootItem(self.session)


class OSDataHubDropHandler(QgsCustomDropHandler):
    """Items dragged from the "OS Data Hub" tree onto the map: files are downloaded and loaded
    in a task, OS Maps layers added."""

    def __init__(self, session: BrowserSession) -> None:
        super().__init__()
        self.session = session

    def customUriProviderKey(self) -> str:
        return DROP_KEY

    def handleCustomUriDrop(self, uri) -> None:
        self.session.handle_uri(uri.uri)


class BrowserIntegration:
    """The plugin's part of the Browser: the item provider and the canvas drop handler."""

    def __init__(self, iface, context, tasks, dock=lambda: None) -> None:
        self.iface = iface
        self.session = BrowserSession(iface, context, tasks, dock)
        self.provider: OSDataHubItemProvider | None = None
        self.drop_handler: OSDataHubDropHandler | None = None

    def install(self) -> None:
        self.provider = OSDataHubItemProvider(self.session)
        QgsApplication.dataItemProviderRegistry().addProvider(self.provider)
        self.drop_handler = OSDataHubDropHandler(self.session)
        self.iface.registerCustomDropHandler(self.drop_handler)

    def uninstall(self) -> None:
        self.session.close_down()
        if self.drop_handler is not None:
            self.iface.unregisterCustomDropHandler(self.drop_handler)
            self.drop_handler = None
        if self.provider is not None:
            QgsApplication.dataItemProviderRegistry().removeProvider(self.provider)  # deletes it
            self.provider = None
