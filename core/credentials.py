"""The OS Data Hub API key and secret, kept only in the QGIS authentication database.

They are stored encrypted with `QgsAuthManager.storeAuthSetting(..., encrypt=True)`; QGIS asks
for its master password as usual. Never in QgsSettings, project files, logs or messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
from qgis.PyQt.QtCore import QObject, pyqtSignal

from .compat import HAS_API_HEADER_AUTH

KEY_SETTING = "os_data_hub_loader/api_key"
SECRET_SETTING = "os_data_hub_loader/api_secret"
# The id of the QGIS auth configuration made for OS Maps on QGIS >= 3.24 (not a secret).
AUTHCFG_SETTING = "os_data_hub_loader/maps_authcfg"


@dataclass(frozen=True)
class Credentials:
    key: str
    secret: str | None = None

    @property
    def uses_oauth(self) -> bool:
        return bool(self.secret)

    def __repr__(self) -> str:  # never print the values
        return f"Credentials(key=***, secret={'***' if self.secret else None})"


def clean(value: str | None) -> str:
    """Pasted keys often carry spaces or a line break."""
    return "".join((value or "").split())


class CredentialStore(QObject):
    """Reads and writes the credentials; `changed` is emitted after a save or forget."""

    changed = pyqtSignal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    @staticmethod
    def _manager():
        return QgsApplication.authManager()

    def has_credentials(self) -> bool:
        """Whether a key is stored, without asking for the master password."""
        try:
            return bool(self._manager().existsAuthSetting(KEY_SETTING))
        except Exception:
            return False

    def load(self) -> Credentials | None:
        """The stored credentials (may prompt for the master password), or None."""
        manager = self._manager()
        if not self.has_credentials():
            return None
        key = clean(manager.authSetting(KEY_SETTING, "", True))
        if not key:
            return None
        secret = clean(manager.authSetting(SECRET_SETTING, "", True)) or None
        return Credentials(key, secret)

    def save(self, credentials: Credentials) -> bool:
        """Store the key (and secret, or remove an old one). False if the database refused."""
        manager = self._manager()
        key, secret = clean(credentials.key), clean(credentials.secret)
        if not key:
            return False
        if not manager.setMasterPassword(True):
            return False
        ok = manager.storeAuthSetting(KEY_SETTING, key, True)
        if secret:
            ok = manager.storeAuthSetting(SECRET_SETTING, secret, True) and ok
        elif manager.existsAuthSetting(SECRET_SETTING):
            manager.removeAuthSetting(SECRET_SETTING)
        if ok and HAS_API_HEADER_AUTH:
            self._update_maps_authcfg(key)
        self.changed.emit()
        return bool(ok)

    def forget(self) -> None:
        manager = self._manager()
        for name in (KEY_SETTING, SECRET_SETTING):
            if manager.existsAuthSetting(name):
                manager.removeAuthSetting(name)
        settings = QgsSettings()
        authcfg = settings.value(AUTHCFG_SETTING, "", type=str)
        if authcfg:
            manager.removeAuthenticationConfig(authcfg)
            settings.remove(AUTHCFG_SETTING)
        self.changed.emit()

    # -- QGIS >= 3.24: an "API Header" auth configuration for the OS Maps layers -------------
    def maps_authcfg(self) -> str:
        """The auth configuration id that adds the `key` header (QGIS >= 3.24), else ''. An id
        whose configuration is no longer in the authentication database counts as none."""
        if not HAS_API_HEADER_AUTH:
            return ""
        authcfg = QgsSettings().value(AUTHCFG_SETTING, "", type=str) or ""
        return authcfg if authcfg and self.auth_config_exists(authcfg) else ""

    def auth_config_exists(self, authcfg: str) -> bool:
        """Whether the authentication database holds the configuration `authcfg` (no master
        password needed to ask)."""
        try:
            return authcfg in self._manager().configIds()
        except Exception:
            return False

    def _update_maps_authcfg(self, key: str) -> None:
        manager = self._manager()
        settings = QgsSettings()
        config = QgsAuthMethodConfig("APIHeader")
        config.setName("OS Data Hub (OS Maps API)")
        config.setConfigMap({"key": key})
        existing = settings.value(AUTHCFG_SETTING, "", type=str)
        if existing and existing in manager.configIds():
            config.setId(existing)
            manager.updateAuthenticationConfig(config)
            return
        result = manager.storeAuthenticationConfig(config)
        # PyQGIS returns (ok, config) where the id is filled in; older bindings a bool.
        ok, stored = result if isinstance(result, tuple) else (result, config)
        if ok and stored.id():
            settings.setValue(AUTHCFG_SETTING, stored.id())
