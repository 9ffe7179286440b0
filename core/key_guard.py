"""The project key guard: QgsPathResolver hooks keep the OS Maps key out of saved projects
(`.qgs`/`.qgz`) and put it back from the authentication database when one is read; a request
preprocessor keeps OS Maps responses out of QGIS's network disk cache.

QGIS 3.22 has the key in the layer's `url` (see `core.basemap_layers`); QGIS >= 3.24 an
API-header auth configuration, which this puts in (or takes out) when a project saved by the
other version is read.
"""

from __future__ import annotations

import re
from typing import Callable

from qgis.core import QgsDataProvider, QgsNetworkAccessManager, QgsPathResolver, QgsProject
from qgis.PyQt.QtNetwork import QNetworkRequest

from .basemap_layers import (
    MAPS_PATH_PREFIX,
    OS_MAPS_PROPERTY,
    has_key,
    maps_url_of,
    points_at,
    replace_url,
    strip_key,
    with_key,
)
from .compat import HAS_API_HEADER_AUTH
from .credentials import CredentialStore
from .settings import DEFAULT_BASE_URL, PluginSettings


def keep_out_of_disk_cache(request: QNetworkRequest) -> None:
    """A QgsNetworkAccessManager request preprocessor (any thread): OS Maps responses are not
    saved in QGIS's network disk cache, whose files would hold the key, in the URL (QGIS 3.22)
    or among the request headers Qt stores beside a cached response (the API-header auth
    configuration of QGIS >= 3.24). QGIS still keeps drawn tiles in memory."""
    if request.url().path().find(MAPS_PATH_PREFIX) >= 0:
        request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)


class ProjectKeyGuard:
    """Keeps the OS Maps key where it belongs: QgsPathResolver hooks write OS Maps sources
    without the key and read them with the key from the authentication database (or the
    QGIS >= 3.24 auth configuration); a request preprocessor keeps OS Maps responses out of
    QGIS's network disk cache."""

    def __init__(
        self,
        settings: PluginSettings,
        credentials: CredentialStore,
        on_missing_key: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.on_missing_key = on_missing_key
        self._writer_id: str | None = None
        self._reader_id: str | None = None
        self._request_id: str | None = None
        self._missing = 0  # OS Maps sources read without a key since the last project read

    @property
    def installed(self) -> bool:
        return self._writer_id is not None

    def install(self) -> None:
        if self.installed:
            return
        self._writer_id = QgsPathResolver.setPathWriter(self.write)
        self._reader_id = QgsPathResolver.setPathPreprocessor(self.read)
        self._request_id = QgsNetworkAccessManager.setRequestPreprocessor(keep_out_of_disk_cache)
        # Emitted once the project's layers are loaded: one message per read, not per layer.
        QgsProject.instance().readProject.connect(self._project_read)

    def _rewrite_live_layers(self, rewrite: Callable[[str], str]) -> None:
        project = QgsProject.instance()
        for layer in project.mapLayers().values():
            if layer.customProperty(OS_MAPS_PROPERTY) is None:
                continue
            source = layer.source()
            changed = rewrite(source)
            if changed != source:
                # The layer may be invalid (read without its key): it has no provider then.
                options = QgsDataProvider.ProviderOptions()
                options.transformContext = project.transformContext()
                layer.setDataSource(changed, layer.name(), layer.providerType(), options)

    def restore_live_layers(self) -> None:
        """Put the key back into the OS Maps layers of the open project (plugin enabled)."""
        self._rewrite_live_layers(self.read)

    def strip_live_layers(self) -> None:
        """Take the key out of the open project's OS Maps layers: once the plugin is unloaded
        nothing would keep it out of a saved project."""
        self._rewrite_live_layers(self.write)

    def uninstall(self) -> None:
        if self._writer_id is not None:
            try:
                QgsProject.instance().readProject.disconnect(self._project_read)
            except TypeError:
                pass
            QgsPathResolver.removePathWriter(self._writer_id)
        if self._reader_id is not None:
            QgsPathResolver.removePathPreprocessor(self._reader_id)
        if self._request_id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(self._request_id)
        self._writer_id = self._reader_id = self._request_id = None

    def _base_urls(self) -> tuple[str, ...]:
        # Also every address OS Maps layers were added from (the setting may change since).
        return tuple(dict.fromkeys(
            (self.settings.base_url, DEFAULT_BASE_URL, *self.settings.maps_base_urls)))

    def write(self, source: str) -> str:
        try:
            return strip_key(source, self._base_urls())
        except Exception:  # never fail a save; never write the key either
            return re.sub(r"(?i)\bkey(=|%3D)[^&%\s\"'<>]*(%26|&)?", "", source)

    def read(self, source: str) -> str:
        try:
            return self._restore(source)
        except Exception:  # a hook must never break reading a project
            return source

    def _restore(self, source: str) -> str:
        """The source with what this QGIS needs to send the key: the auth configuration on
        QGIS >= 3.24 (the key then in no URL), the key in the URL on 3.22. A project saved by
        either version opens on the other; an auth configuration that is gone counts as none."""
        found = maps_url_of(source)
        if found is None:
            return source
        uri, url = found
        if not points_at(url, self.settings.base_url):
            return source
        authcfg = uri.authConfigId()
        if HAS_API_HEADER_AUTH:
            if authcfg and not has_key(url) and self.credentials.auth_config_exists(authcfg):
                return source
            current = self.credentials.maps_authcfg()
            if current:
                uri.setAuthConfigId(current)
                if not uri.hasParam("IgnoreGetMapUrl"):
                    uri.setParam("IgnoreGetMapUrl", "1")  # as layer_uri() makes it
                return replace_url(uri, with_key(url, None))
        elif authcfg:  # saved by QGIS >= 3.24: 3.22 has no API-header auth method to use it
            uri.setAuthConfigId("")
            uri.removeParam("IgnoreGetMapUrl")
            source = replace_url(uri, url)
        if has_key(url):
            return source
        stored = self.credentials.load() if self.credentials.has_credentials() else None
        if stored is None:
            self._missing += 1
            return source
        return replace_url(uri, with_key(url, stored.key))

    def _project_read(self, *_args) -> None:
        # QGIS 3.40 and later do not call the path preprocessor for `wms` sources: the OS Maps
        # layers read without their key (or with an auth configuration that is gone) are given
        # it here, once they are loaded. Elsewhere this finds them already restored.
        self._missing = 0
        self._rewrite_live_layers(self.read)
        missing, self._missing = self._missing, 0
        if missing and self.on_missing_key is not None:
            self.on_missing_key()
