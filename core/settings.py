"""The plugin's settings in QgsSettings: typed, with defaults. Never secrets (those live in the
QGIS authentication database, see `core.credentials`)."""

from __future__ import annotations

import os
from pathlib import Path

from qgis.core import QgsApplication, QgsSettings

from ..api.importer import Store
from ..api.ratelimit import LIVE_PROJECT_RPM
from ..api.transport import DEFAULT_BASE_URL

PLUGIN_ID = "os_data_hub_loader"

_PREFIX = f"{PLUGIN_ID}/"


def plugin_data_dir() -> Path:
    """The plugin's own folder in the user's QGIS profile (caches, default downloads)."""
    path = Path(QgsApplication.qgisSettingsDirPath()) / PLUGIN_ID
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only profile: writes there fail later, with a message
        pass
    return path


class PluginSettings:
    """Typed access to the plugin's QgsSettings keys."""

    def __init__(self, settings: QgsSettings | None = None) -> None:
        self._settings = settings or QgsSettings()

    def _get(self, name: str, default, type_):
        return self._settings.value(_PREFIX + name, default, type=type_)

    def _set(self, name: str, value) -> None:
        self._settings.setValue(_PREFIX + name, value)

    @property
    def base_url(self) -> str:
        """The API root. OS_API_BASE_URL (e.g. the local demo server) wins over the setting."""
        env = os.environ.get("OS_API_BASE_URL", "").strip()
        return (env or self._get("base_url", DEFAULT_BASE_URL, str) or DEFAULT_BASE_URL).rstrip("/")

    @property
    def stored_base_url(self) -> str:
        """The setting itself, whatever OS_API_BASE_URL says (for the settings page)."""
        return (self._get("base_url", DEFAULT_BASE_URL, str) or DEFAULT_BASE_URL).rstrip("/")

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._set("base_url", value.strip().rstrip("/"))

    @property
    def maps_base_urls(self) -> list[str]:
        """Every API address OS Maps layers were added from: their keys are kept out of saved
        projects even after the address setting changes."""
        value = self._settings.value(_PREFIX + "maps_base_urls", [])
        return [str(v) for v in (value if isinstance(value, list) else [value]) if v]

    def remember_maps_base_url(self, base_url: str) -> None:
        known = self.maps_base_urls
        if base_url not in known:
            self._set("maps_base_urls", [*known, base_url])

    @property
    def download_folder(self) -> Path:
        default = str(plugin_data_dir() / "downloads")
        return Path(self._get("download_folder", default, str) or default)

    @download_folder.setter
    def download_folder(self, value: Path | str) -> None:
        self._set("download_folder", str(value))

    @property
    def requests_per_minute(self) -> int:
        return max(1, self._get("requests_per_minute", LIVE_PROJECT_RPM, int))

    @requests_per_minute.setter
    def requests_per_minute(self, value: int) -> None:
        self._set("requests_per_minute", int(value))

    @property
    def workers(self) -> int:
        return min(8, max(1, self._get("workers", 4, int)))

    @workers.setter
    def workers(self, value: int) -> None:
        self._set("workers", int(value))

    @property
    def unpack(self) -> bool:
        return self._get("unpack", True, bool)

    @unpack.setter
    def unpack(self, value: bool) -> None:
        self._set("unpack", bool(value))

    @property
    def store(self) -> Store:
        """How downloaded data is loaded: one GeoPackage per product (the default) or the
        files as downloaded."""
        try:
            return Store(self._get("store", Store.GEOPACKAGE.value, str))
        except ValueError:
            return Store.GEOPACKAGE

    @store.setter
    def store(self, value: Store) -> None:
        self._set("store", Store(value).value)

    @property
    def add_to_map(self) -> bool:
        return self._get("add_to_map", True, bool)

    @add_to_map.setter
    def add_to_map(self, value: bool) -> None:
        self._set("add_to_map", bool(value))
