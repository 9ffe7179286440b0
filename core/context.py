"""Builds `api` objects from the user's settings. Call on the main thread (it reads QgsSettings
and QGIS's network settings); the objects it returns are then used inside tasks."""

from __future__ import annotations

import hashlib

from ..api.auth import Auth, NoAuth, auth_from
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.download import DownloadEngine
from ..api.http import RetryPolicy
from ..api.ratelimit import RateLimiter
from .credentials import CredentialStore
from .network import qgis_http_settings
from .settings import PluginSettings


class ApiContext:
    """One per plugin: the shared rate limiter lives here, so that every task counts against
    the same per-minute budget."""

    def __init__(
        self,
        settings: PluginSettings | None = None,
        credentials: CredentialStore | None = None,
    ) -> None:
        self.settings = settings or PluginSettings()
        self.credentials = credentials or CredentialStore()
        self.retry = RetryPolicy()
        self._limiter: RateLimiter | None = None
        self._auth: Auth = NoAuth()
        self._auth_fingerprint = ""
        self.credentials.changed.connect(self._forget_auth)

    def _forget_auth(self) -> None:
        self._auth.close()  # an OAuth 2 auth holds a session for its token requests
        self._auth, self._auth_fingerprint = NoAuth(), ""

    def close(self) -> None:
        """Release what the context holds (on unload)."""
        self._forget_auth()

    @property
    def has_credentials(self) -> bool:
        return self.credentials.has_credentials()

    def auth(self) -> Auth:
        """The stored credentials as an `api` auth (NoAuth without any). One object is kept so
        that an OAuth 2 token is reused by every task until it is due for renewal."""
        credentials = self.credentials.load()
        if credentials is None:
            return NoAuth()
        base_url = self.settings.base_url
        fingerprint = hashlib.sha256(
            f"{credentials.key}\0{credentials.secret or ''}\0{base_url}".encode()
        ).hexdigest()
        if fingerprint != self._auth_fingerprint:
            self._auth.close()
            self._auth = auth_from(credentials.key, credentials.secret, base_url,
                                   qgis_http_settings())
            self._auth_fingerprint = fingerprint
        return self._auth

    @property
    def rate_limiter(self) -> RateLimiter:
        rpm = self.settings.requests_per_minute
        if self._limiter is None or self._limiter.requests_per_minute != rpm:
            self._limiter = RateLimiter(rpm)
        return self._limiter

    def downloads_client(
        self, cancel: CancelToken | None = None, auth: Auth | None = None
    ) -> DownloadsClient:
        return DownloadsClient(
            base_url=self.settings.base_url,
            auth=auth or NoAuth(),
            http=qgis_http_settings(),
            retry=self.retry,
            rate_limiter=self.rate_limiter,
            cancel=cancel,
        )

    def download_engine(self, auth: Auth | None = None) -> DownloadEngine:
        return DownloadEngine(
            api_origin=self.settings.base_url,
            auth=auth or NoAuth(),
            http=qgis_http_settings(),
            retry=self.retry,
            rate_limiter=self.rate_limiter,
            workers=self.settings.workers,
        )
