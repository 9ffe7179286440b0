"""What the Browser items need from the plugin: API clients for their worker threads, and the
actions they start on the main thread (download in a `DownloadTask`, add an OS Maps layer, open
the dock on a product).

Browser items make their children in worker threads: everything that reads QGIS settings, the
network settings or the authentication database is read here first, on the main thread, into a
`Connection` (the `ApiContext`'s snapshot, `api.clients.ApiConnection`, with the key's state),
which the workers only use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QFileDialog

from ..api.auth import Auth, NoAuth
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.clients import RETRY_QUICK, ApiConnection
from ..api.download import DownloadItem
from ..api.models import safe_name
from ..api.wmts import PREMIUM_UNKNOWN, Capabilities, MapsClient
from ..core.basemap_layers import add_basemap
from ..core.basemap_service import saved_capabilities
from ..core.context import ApiContext
from ..core.download_task import DownloadTask, start_download
from ..core.downloads import DownloadRequest, starting_message
from ..core.i18n import tr
from ..core.tasks import TaskRegistry
from ..ui.messages import notify, tell_outcome

SELECT_ATTEMPTS = 150  # x 200 ms: how long "Open in panel" waits for the product list
DROP_KEY = "os_data_hub"  # QgsMimeDataUtils.Uri.providerKey of dragged items


@dataclass(frozen=True)
class Connection:
    """The API as the user set it up, read on the main thread for worker threads: the snapshot
    (with the quick retry policy: the Browser lists fail fast rather than keep a tree node
    spinning) and the stored key, if it could be read."""

    api: ApiConnection
    key: str | None = field(default=None, repr=False)
    locked: bool = False  # a key is stored but the authentication database is not unlocked

    @property
    def auth(self) -> Auth:
        return self.api.auth

    def downloads_client(self, cancel: CancelToken | None = None) -> DownloadsClient:
        return self.api.downloads_client(cancel)

    def maps_client(self) -> MapsClient:
        return self.api.maps_client(self.key or "")


@dataclass(frozen=True)
class FileJob:
    """One file a Browser item offers: what `DownloadTask` needs, and where it goes by default
    (`folder`: parts under the plugin's download folder, as the dock lays them out)."""

    title: str
    version: str | None
    url: str
    file_name: str
    size: int | None
    md5: str | None
    folder: tuple[str, ...]
    needs_key: bool = False
    product_id: str | None = None

    def to_uri(self) -> str:
        return json.dumps({"kind": "file", **asdict(self)})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileJob:
        values = {name: data.get(name) for name in cls.__dataclass_fields__}
        values["folder"] = tuple(values["folder"] or ())
        values["needs_key"] = bool(values["needs_key"])
        return cls(**values)

    def item(self) -> DownloadItem:
        return DownloadItem(self.url, self.file_name, self.size, self.md5)


def basemap_uri(layer_id: str) -> str:
    return json.dumps({"kind": "basemap", "layer": layer_id})


class BrowserSession:
    """Shared by every item of one "OS Data Hub" root. `dock` returns the plugin's dock (or
    None); `parent` the window that dialogs belong to."""

    def __init__(
        self,
        iface,
        context: ApiContext,
        tasks: TaskRegistry,
        dock: Callable[[], Any] = lambda: None,
    ) -> None:
        self.iface = iface
        self.context = context
        self.tasks = tasks
        self.dock = dock
        self.connection: Connection | None = None
        self.capabilities: Capabilities | None = None
        self.premium = PREMIUM_UNKNOWN
        self.downloads: list[DownloadTask] = []
        self._select_timer: QTimer | None = None

    # -- main thread: the connection -------------------------------------------------------------
    def connect(self) -> Connection:
        """Read the settings (and the key, if the authentication database is unlocked)."""
        context = self.context
        auth: Auth = NoAuth()
        key = None
        locked = False
        if context.has_credentials:
            if QgsApplication.authManager().masterPasswordIsSet():
                stored = context.credentials.load()
                if stored is not None:
                    auth, key = context.auth(), stored.key
            else:
                locked = True  # asking for the master password is left to a double-click
        self.connection = Connection(context.connection(auth, retry=RETRY_QUICK), key, locked)
        return self.connection

    def unlock(self) -> bool:
        """Load the stored key (QGIS may ask for its master password). True if there is one."""
        stored = self.context.credentials.load()
        if stored is None:
            return False
        self.connect()
        return self.connection is not None and self.connection.key is not None

    @property
    def has_credentials(self) -> bool:
        return self.context.has_credentials

    # -- main thread: actions --------------------------------------------------------------------
    def default_folder(self, job: FileJob) -> Path:
        # The parts come from a dropped URI too: each is made a plain folder name.
        return Path(self.context.settings.download_folder).joinpath(
            *(safe_name(part) for part in job.folder))

    def download(self, jobs: list[FileJob], folder: Path | None = None) -> DownloadTask | None:
        """Download, unpack and load files in a background task (the dock's own pipeline)."""
        if not jobs:
            return None
        first = jobs[0]
        folder = Path(folder) if folder is not None else self.default_folder(first)
        auth: Auth = NoAuth()
        if any(job.needs_key for job in jobs):
            if self.connection is None or self.connection.key is None:
                self.unlock()
            if self.connection is None or self.connection.key is None:
                notify(self.iface, tr("Data packages need the OS Data Hub API key: enter it "
                                      "in the plugin's settings."), Qgis.MessageLevel.Warning)
                return None
            auth = self.connection.auth
        request = DownloadRequest(
            title=first.title, version=first.version, items=[job.item() for job in jobs],
            folder=folder, unpack=self.context.settings.unpack, load=True,
            store=self.context.settings.store, dataset_id=first.product_id or first.title,
        )
        notify(self.iface, starting_message(request))
        return start_download(request, self.context, self.tasks, auth, self._finished,
                              before_start=self.downloads.append)

    def download_to(self, jobs: list[FileJob]) -> DownloadTask | None:
        """Ask for a folder, then download into it."""
        if not jobs:
            return None
        parent = self.iface.mainWindow() if self.iface is not None else None
        chosen = QFileDialog.getExistingDirectory(
            parent, tr("Download to…"), str(self.default_folder(jobs[0])))
        return self.download(jobs, Path(chosen)) if chosen else None

    def _finished(self, task: DownloadTask) -> None:
        if task in self.downloads:
            self.downloads.remove(task)
        tell_outcome(self.iface, task)

    def add_basemap(self, layer_id: str):
        """Add an OS Maps layer with the Basemaps tab's own function. None if it failed."""
        capabilities = self.capabilities or saved_capabilities(self.context.settings.base_url)
        layer = capabilities.layer(layer_id) if capabilities is not None else None
        if layer is None or not self.context.has_credentials:
            notify(self.iface, tr("OS Maps needs the OS Data Hub API key and its layer list: "
                                  "open Basemaps in the Browser again."), Qgis.MessageLevel.Warning)
            return None
        raster = add_basemap(capabilities, layer, base_url=self.context.settings.base_url,
                             credentials=self.context.credentials, premium=self.premium)
        if raster is None:
            notify(self.iface, tr("QGIS could not open the OS Maps layer {0}.").format(layer_id),
                   Qgis.MessageLevel.Critical)
        return raster

    def handle_uri(self, text: str) -> bool:
        """A dropped item (see `FileJob.to_uri`, `basemap_uri`)."""
        try:
            data = json.loads(text)
        except ValueError:
            return False
        if not isinstance(data, dict):
            return False
        if data.get("kind") == "file":
            return self.download([FileJob.from_dict(data)]) is not None
        if data.get("kind") == "basemap":
            return self.add_basemap(str(data.get("layer"))) is not None
        return False

    def open_in_panel(self, product_id: str) -> bool:
        """Show the dock's OpenData tab with the product selected (once its list is loaded)."""
        dock = self._show_tab("opendata")
        if dock is None:
            return False
        if product_id:
            self._select_when_loaded(lambda: dock.opendata.select_product(product_id))
        return True

    def open_package_in_panel(self, package_id: str = "") -> bool:
        """Show the dock's Data packages tab with the package selected (once listed)."""
        dock = self._show_tab("packages")
        if dock is None:
            return False
        if package_id:
            self._select_when_loaded(lambda: dock.packages.select_package(package_id))
        return True

    def _show_tab(self, name: str):
        dock = self.dock()
        if dock is None:
            return None
        dock.show()
        dock.raise_()
        tab = getattr(dock, name)
        dock.tabs.setCurrentWidget(tab)
        tab.ensure_loaded()
        return dock

    def _select_when_loaded(self, select: Callable[[], bool]) -> None:
        """Call `select` now, or every 200 ms until it succeeds (the list may be loading)."""
        if self._select_timer is not None:
            self._select_timer.stop()
        if select():
            return
        timer = QTimer()
        timer.setInterval(200)
        attempts = [0]

        def again() -> None:
            attempts[0] += 1
            if select() or attempts[0] >= SELECT_ATTEMPTS:
                timer.stop()

        timer.timeout.connect(again)
        timer.start()
        self._select_timer = timer

    def close_down(self) -> None:
        if self._select_timer is not None:
            self._select_timer.stop()
            self._select_timer = None
