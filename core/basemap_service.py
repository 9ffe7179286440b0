"""The basemap service: the OS Maps layer list (capabilities, cached on disk and refreshed in a
background task), the key's premium access (probed with one premium-level tile) and the layer
previews, for the Basemaps tab, the toolbar action and the Browser. The only reader and writer
of the capabilities cache.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable

from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..api.cancel import CancelToken
from ..api.errors import OSAPIError, redact
from ..api.wmts import PREMIUM_UNKNOWN, Capabilities, MapsClient, WmtsLayer
from . import cache
from .basemap_layers import SCREEN_DPI, add_basemap, layer_name
from .context import ApiContext
from .i18n import tr
from .tasks import ApiTask, TaskRegistry, cancel_task

CACHE_NAME = "os_maps_capabilities"


def saved_capabilities(base_url: str) -> Capabilities | None:
    """The OS Maps capabilities last fetched from the API at `base_url`, from the disk cache;
    None if there are none (or they cannot be read)."""
    data = cache.load_json(CACHE_NAME, base_url)
    if not isinstance(data, dict):
        return None
    try:
        return Capabilities.from_json(data)
    except OSAPIError:
        return None


def save_capabilities(base_url: str, capabilities: Capabilities) -> None:
    cache.save_json(CACHE_NAME, base_url, capabilities.to_json())


def preview_path(base_url: str, layer_id: str) -> Path:
    folder = cache.cache_dir() / "os_maps"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{base_url}_{layer_id}")
    return folder / f"{name}.png"


class BasemapService(QObject):
    """The OS Maps layer list and the key's premium access, for the Basemaps tab and the
    toolbar action. Capabilities come from the disk cache at once and are refreshed in a
    background task that also probes premium access (one premium-level tile)."""

    capabilitiesChanged = pyqtSignal()
    premiumChanged = pyqtSignal()
    failed = pyqtSignal(str)

    def __init__(self, context: ApiContext, tasks: TaskRegistry, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.capabilities: Capabilities | None = None
        self.premium = PREMIUM_UNKNOWN
        self.error = ""
        self._premium_for = ""
        self._refresh_task: ApiTask | None = None
        self._waiting: list[Callable[[], None]] = []
        self._preview_tasks: dict[str, ApiTask] = {}
        self.context.credentials.changed.connect(self._credentials_changed)

    @property
    def base_url(self) -> str:
        return self.context.settings.base_url

    @property
    def busy(self) -> bool:
        return self._refresh_task is not None

    @property
    def loading_previews(self) -> bool:
        return bool(self._preview_tasks)

    def has_key(self) -> bool:
        return self.context.has_credentials

    def _credentials_changed(self) -> None:
        self.premium, self._premium_for = PREMIUM_UNKNOWN, ""
        self.premiumChanged.emit()

    def load_cached(self) -> bool:
        if self.capabilities is not None:
            return True
        capabilities = saved_capabilities(self.base_url)
        if capabilities is None:
            return False
        self.capabilities = capabilities
        self.capabilitiesChanged.emit()
        return True

    def _client(self, key: str, cancel: CancelToken) -> MapsClient:
        return self.context.maps_client(key, cancel)

    def _key(self) -> str | None:
        stored = self.context.credentials.load() if self.has_key() else None
        return stored.key if stored is not None else None

    def refresh(self, then: Callable[[], None] | None = None) -> bool:
        """Fetch the capabilities and probe premium access in the background; `then` is called
        on the main thread when that ends (successfully or not). False without a key."""
        if then is not None:
            self._waiting.append(then)
        if self._refresh_task is not None:
            return True
        key = self._key()
        if not key:
            self._call_waiting()
            return False
        token = CancelToken()
        client = self._client(key, token)
        fingerprint = hashlib.sha256(f"{key}\0{self.base_url}".encode()).hexdigest()

        def work(_task: ApiTask) -> tuple[Capabilities, str]:
            with client:
                return client.capabilities_and_plan()

        self._refresh_task = ApiTask(
            tr("Loading the OS Maps layers"),
            work,
            on_done=lambda result: self._refreshed(result, fingerprint),
            on_error=self._refresh_failed,
            cancel_token=token,
        )
        self.tasks.start(self._refresh_task)
        return True

    def _refreshed(self, result: tuple[Capabilities, str], fingerprint: str) -> None:
        self._refresh_task = None
        capabilities, premium = result
        self.capabilities, self.error = capabilities, ""
        save_capabilities(self.base_url, capabilities)
        self.capabilitiesChanged.emit()
        if premium != PREMIUM_UNKNOWN or self._premium_for != fingerprint:
            self.premium, self._premium_for = premium, fingerprint
            self.premiumChanged.emit()
        self._call_waiting()

    def _refresh_failed(self, message: str) -> None:
        self._refresh_task = None
        self.error = message = redact(message)  # an ExceptionReport may echo the key
        self.failed.emit(message)
        self._call_waiting()

    def _call_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def add(
        self, layer: WmtsLayer, project: QgsProject | None = None, dpi: float = SCREEN_DPI
    ) -> QgsRasterLayer | None:
        if self.capabilities is None:
            return None
        return add_basemap(
            self.capabilities,
            layer,
            base_url=self.base_url,
            credentials=self.context.credentials,
            premium=self.premium,
            project=project,
            dpi=dpi,
        )

    def fetch_preview(self, layer: WmtsLayer, on_done: Callable[[bytes], None]) -> None:
        """A thumbnail of the layer: from the disk cache, else fetched in the background."""
        path = preview_path(self.base_url, layer.id)
        if path.exists():
            on_done(path.read_bytes())
            return
        capabilities, key = self.capabilities, self._key()
        if capabilities is None or not key or layer.id in self._preview_tasks:
            return
        token = CancelToken()
        client = self._client(key, token)

        def work(_task: ApiTask) -> bytes:
            with client:
                data = client.preview(capabilities, layer)
            cache.save_image(path, data)
            return data

        task = ApiTask(
            tr("Loading a preview of {0}").format(layer_name(layer)), work,
            on_done=on_done, cancel_token=token,
        )
        task.taskCompleted.connect(lambda: self._preview_tasks.pop(layer.id, None))
        task.taskTerminated.connect(lambda: self._preview_tasks.pop(layer.id, None))
        self._preview_tasks[layer.id] = task
        self.tasks.start(task)

    def close_down(self) -> None:
        for task in [self._refresh_task, *self._preview_tasks.values()]:
            cancel_task(task)
        self._refresh_task = None
        self._preview_tasks = {}
        self._waiting = []
        try:
            self.context.credentials.changed.disconnect(self._credentials_changed)
        except TypeError:
            pass
