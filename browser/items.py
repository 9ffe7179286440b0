"""The "OS Data Hub" tree of the Browser panel.

    OS Data Hub
    ├── OpenData → products → formats → files      (double-click or drag a file: download, load)
    ├── Basemaps → OS Maps layers                   (double-click or drag onto the map: add)
    └── Data packages → packages → versions → files (when an API key is stored)

Items whose children need the API make them in `createChildren()`, which QGIS runs in a worker
thread: only `api` clients (from the session's `Connection`) are used there, never widgets,
settings or the authentication database. Items without network work are marked `Fast` and
populate on the main thread.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    Qgis,
    QgsDataCollectionItem,
    QgsDataItem,
    QgsErrorItem,
    QgsMimeDataUtils,
)
from qgis.PyQt.QtGui import QIcon

from ..api.errors import OSAPIError
from ..api.models import (
    DataPackage,
    DataPackageVersion,
    Product,
    ProductDownload,
    human_size,
    newest_first,
)
from ..api.national_grid import GB
from ..api.pipeline import package_folder, product_folder
from ..core.basemap_layers import layer_name
from ..core.compat import QAction
from ..core.i18n import error_text
from .session import DROP_KEY, BrowserSession, FileJob, basemap_uri, tr

ROOT_PATH = "osdatahub:"
PLUGIN_ICON = Path(__file__).resolve().parent.parent / "icon.png"


def _error(parent: QgsDataItem, message: str) -> list[QgsDataItem]:
    return [QgsErrorItem(parent, message, parent.path() + "/error")]


def _action(parent, text: str, slot) -> QAction:
    action = QAction(text, parent)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class _Collection(QgsDataCollectionItem):
    """A collection that keeps its Python children alive and can be marked fast."""

    def __init__(self, parent, name: str, path: str, session: BrowserSession,
                 fast: bool = False) -> None:
        super().__init__(parent, name, path, DROP_KEY)
        self.session = session
        self._children: list[QgsDataItem] = []
        if fast:
            self.setCapabilitiesV2(self.capabilities2() | Qgis.BrowserItemCapability.Fast)

    def keep(self, children: list[QgsDataItem]) -> list[QgsDataItem]:
        self._children = list(children)
        return children

    def keyed_connection(self, no_key_message: str = ""):
        """(connection, None) when requests with the stored key can be made, else (None, the
        children to show instead: an unlock item, or `no_key_message`)."""
        connection = self.session.connection
        if connection is None:
            return None, []
        if connection.locked:
            return None, self.keep([LockedItem(self)])
        if not connection.key:
            return None, self.keep(_error(self, no_key_message)) if no_key_message else []
        return connection, None


class RootItem(_Collection):
    def __init__(self, session: BrowserSession) -> None:
        super().__init__(None, tr("OS Data Hub"), ROOT_PATH, session, fast=True)
        self.setIcon(QIcon(str(PLUGIN_ICON)))
        self.setToolTip(tr("Ordnance Survey data from the OS Data Hub"))

    def createChildren(self):
        self.session.connect()  # main thread (Fast): settings and key for the workers
        children = [OpenDataItem(self), BasemapsItem(self)]
        if self.session.has_credentials:
            children.append(PackagesItem(self))
        return self.keep(children)

    def actions(self, parent):
        return [_action(parent, tr("Open the OS Data Hub panel"),
                        lambda: self.session.open_in_panel(""))]


# ----- OpenData ---------------------------------------------------------------------------------


class OpenDataItem(_Collection):
    def __init__(self, parent: RootItem) -> None:
        super().__init__(parent, tr("OpenData"), ROOT_PATH + "/opendata", parent.session)
        self.setIconName("/mIconFolder.svg")
        self.setToolTip(tr("OS OpenData products: free, no API key needed"))

    def createChildren(self):
        connection = self.session.connection
        if connection is None:
            return []
        try:
            with connection.downloads_client() as client:
                products = client.products(expanded=True)
        except OSAPIError as error:
            return self.keep(_error(self, error_text(error)))
        products.sort(key=lambda p: p.name.lower())
        return self.keep([ProductItem(self, product) for product in products])


class ProductItem(_Collection):
    def __init__(self, parent: OpenDataItem, product: Product) -> None:
        super().__init__(parent, product.name, f"{parent.path()}/{product.id}", parent.session)
        self.product = product
        self.setIconName("/mIconFolder.svg")
        self.setToolTip(f"{product.id} ({product.version or ''})\n{product.description}")

    def createChildren(self):
        connection = self.session.connection
        if connection is None:
            return []
        try:
            with connection.downloads_client() as client:
                downloads = client.product_downloads(self.product.id)
        except OSAPIError as error:
            return self.keep(_error(self, error_text(error)))
        groups: dict[tuple[str, str], list[ProductDownload]] = {}
        for download in downloads:
            groups.setdefault((download.format or "", download.subformat or ""), []).append(
                download)
        return self.keep([
            FormatItem(self, format_, subformat, files)
            for (format_, subformat), files in groups.items()
        ])

    def actions(self, parent):
        return [_action(parent, tr("Open in OS Data Hub panel"),
                        lambda: self.session.open_in_panel(self.product.id))]


class FormatItem(_Collection):
    def __init__(self, parent: ProductItem, format_: str, subformat: str,
                 downloads: list[ProductDownload]) -> None:
        label = f"{format_} — {subformat}" if subformat else format_
        key = f"{format_}|{subformat}" if subformat else format_
        super().__init__(parent, label, f"{parent.path()}/{key}", parent.session, fast=True)
        self.product = parent.product
        self.downloads = sorted(
            downloads, key=lambda d: ((d.area or "") != GB, d.area or "", d.file_name))
        self.setIconName("/mIconFolder.svg")
        self.setToolTip((tr("1 file") if len(downloads) == 1 else
                         tr("{0} files")).format(len(downloads)))

    def createChildren(self):
        product = self.product
        return self.keep([
            FileItem(self, FileJob(
                title=product.name, version=product.version, url=d.file_url,
                file_name=d.file_name,
                size=d.size, md5=d.md5,
                folder=product_folder(Path(), product.id, product.version).parts,
                product_id=product.id,
            ), d.area)
            for d in self.downloads
        ])

    def actions(self, parent):
        return [_action(parent, tr("Open in OS Data Hub panel"),
                        lambda: self.session.open_in_panel(self.product.id))]


class FileItem(QgsDataItem):
    """A file: double-click or drag onto the map to download and load it (in a task)."""

    def __init__(self, parent: _Collection, job: FileJob, area: str | None = None) -> None:
        super().__init__(Qgis.BrowserItemType.Custom, parent, job.file_name,
                         f"{parent.path()}/{job.file_name}", DROP_KEY)
        self.session: BrowserSession = parent.session
        self.job = job
        self.setState(Qgis.BrowserItemState.Populated)  # no children
        self.setIconName("/mActionFileSave.svg")
        tip = tr("{0}, {1} — double-click or drag onto the map to download and add it").format(
            area or job.title, human_size(job.size))
        self.setToolTip(tip)

    def hasDragEnabled(self) -> bool:
        return True

    def mimeUris(self):
        uri = QgsMimeDataUtils.Uri()
        uri.layerType = "custom"
        uri.providerKey = DROP_KEY
        uri.name = self.job.file_name
        uri.uri = self.job.to_uri()
        return [uri]

    def handleDoubleClick(self) -> bool:
        self.session.download([self.job])
        return True

    def actions(self, parent):
        actions = [
            _action(parent, tr("Download and add to map"),
                    lambda: self.session.download([self.job])),
            _action(parent, tr("Download to…"), lambda: self.session.download_to([self.job])),
        ]
        if self.job.product_id:
            actions.append(_action(parent, tr("Open in OS Data Hub panel"),
                                   lambda: self.session.open_in_panel(self.job.product_id)))
        return actions


class LockedItem(QgsDataItem):
    """Shown instead of key-protected content until the authentication database is unlocked:
    QGIS asks for its master password on a double-click, never while populating."""

    def __init__(self, parent: _Collection) -> None:
        super().__init__(Qgis.BrowserItemType.Custom, parent,
                         tr("Double-click to use the stored API key"),
                         parent.path() + "/unlock", DROP_KEY)
        self.session: BrowserSession = parent.session
        self.setState(Qgis.BrowserItemState.Populated)
        self.setIconName("/locked.svg")

    def handleDoubleClick(self) -> bool:
        if self.session.unlock() and self.parent() is not None:
            self.parent().refresh()
        return True


# ----- Basemaps ---------------------------------------------------------------------------------


class BasemapsItem(_Collection):
    def __init__(self, parent: RootItem) -> None:
        super().__init__(parent, tr("Basemaps"), ROOT_PATH + "/basemaps", parent.session)
        self.setIconName("/mIconWms.svg")
        self.setToolTip(tr("OS Maps API layers (needs an OS Data Hub API key)"))

    def createChildren(self):
        connection, instead = self.keyed_connection(tr(
            "OS Maps needs an OS Data Hub API key: enter it in the plugin's settings."))
        if connection is None:
            return instead
        try:
            with connection.maps_client() as client:
                capabilities, premium = client.capabilities_and_plan()
        except OSAPIError as error:
            return self.keep(_error(self, error_text(error)))
        self.session.capabilities, self.session.premium = capabilities, premium
        return self.keep([BasemapItem(self, layer.id, layer_name(layer))
                          for layer in capabilities.layers])


class BasemapItem(QgsDataItem):
    """An OS Maps layer: double-click or drag onto the map to add it. The drag carries only
    the layer's name; the key is put in when the layer is made."""

    def __init__(self, parent: BasemapsItem, layer_id: str, name: str) -> None:
        super().__init__(Qgis.BrowserItemType.Custom, parent, name, f"{parent.path()}/{layer_id}",
                         DROP_KEY)
        self.session: BrowserSession = parent.session
        self.layer_id = layer_id
        self.setState(Qgis.BrowserItemState.Populated)
        self.setIconName("/mIconRasterLayer.svg")
        self.setToolTip(tr("{0} — double-click or drag onto the map to add it").format(layer_id))

    def hasDragEnabled(self) -> bool:
        return True

    def mimeUris(self):
        uri = QgsMimeDataUtils.Uri()
        uri.layerType = "custom"
        uri.providerKey = DROP_KEY
        uri.name = self.name()
        uri.uri = basemap_uri(self.layer_id)
        return [uri]

    def handleDoubleClick(self) -> bool:
        self.session.add_basemap(self.layer_id)
        return True

    def actions(self, parent):
        return [_action(parent, tr("Add to map"),
                        lambda: self.session.add_basemap(self.layer_id))]


# ----- Data packages ----------------------------------------------------------------------------


class PackagesItem(_Collection):
    def __init__(self, parent: RootItem) -> None:
        super().__init__(parent, tr("Data packages"), ROOT_PATH + "/packages", parent.session)
        self.setIconName("/mIconFolder.svg")
        self.setToolTip(tr("Premium data packages ordered on the OS Data Hub web site"))

    def createChildren(self):
        connection, instead = self.keyed_connection()
        if connection is None:
            return instead
        try:
            with connection.downloads_client() as client:
                packages = client.data_packages()
        except OSAPIError as error:
            return self.keep(_error(self, error_text(error)))
        if not packages:
            return self.keep(_error(self, tr(
                "No data packages yet: order one on the OS Data Hub web site "
                "(https://osdatahub.os.uk).")))
        return self.keep([PackageItem(self, package) for package in packages])

    def actions(self, parent):
        return [_action(parent, tr("Open in OS Data Hub panel"),
                        lambda: self.session.open_package_in_panel())]


class PackageItem(_Collection):
    def __init__(self, parent: PackagesItem, package: DataPackage) -> None:
        super().__init__(parent, f"{package.name} ({package.id})",
                         f"{parent.path()}/{package.id}", parent.session, fast=True)
        self.package = package
        self.setIconName("/mIconFolder.svg")
        self.setToolTip(package.product_name or package.product_id or "")

    def createChildren(self):
        return self.keep([VersionItem(self, version)
                          for version in newest_first(self.package.versions)])

    def actions(self, parent):
        return [_action(parent, tr("Open in OS Data Hub panel"),
                        lambda: self.session.open_package_in_panel(self.package.id))]


class VersionItem(_Collection):
    def __init__(self, parent: PackageItem, version: DataPackageVersion) -> None:
        label = " — ".join(p for p in (version.id, version.product_version, version.created_on,
                                        version.supply_type) if p)
        super().__init__(parent, label, f"{parent.path()}/{version.id}", parent.session)
        self.package = parent.package
        self.version = version
        self.jobs: list[FileJob] = []
        self.setIconName("/mIconFolder.svg")

    def createChildren(self):
        connection = self.session.connection
        if connection is None or not connection.key:
            return []
        package, version = self.package, self.version
        try:
            with connection.downloads_client() as client:
                detail = client.data_package_version(package.id, version.id)
                self.jobs = [
                    FileJob(
                        title=package.name, version=version.product_version or version.id,
                        url=client.package_file_url(package.id, detail.id, d.file_name),
                        file_name=d.file_name, size=d.size, md5=d.md5,
                        folder=package_folder(Path(), package.id, package.name, version.id,
                                              version.product_version).parts,
                        needs_key=True,
                    )
                    for d in detail.downloads
                ]
        except OSAPIError as error:
            return self.keep(_error(self, error_text(error)))
        return self.keep([FileItem(self, job) for job in self.jobs])

    def actions(self, parent):
        if not self.jobs:  # known once the version is expanded
            return []
        return [
            _action(parent, tr("Download all and add to map"),
                    lambda: self.session.download(self.jobs)),
            _action(parent, tr("Download all to…"), lambda: self.session.download_to(self.jobs)),
        ]
