"""Builds `api` objects from the user's settings: the only place on the QGIS side that makes
API clients and download engines. Call on the main thread (it reads QgsSettings, QGIS's network
settings and the authentication database); what it returns is then used inside tasks.

`connection()` is the snapshot (`api.clients.ApiConnection`) that worker threads are given; the
other methods are shortcuts for a client or an engine made from a fresh one."""

from __future__ import annotations

import hashlib

from qgis.core import Qgis

from ..api.auth import Auth, NoAuth, auth_from
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.clients import RETRY_DEFAULT, ApiConnection
from ..api.download import DownloadEngine
from ..api.http import RetryPolicy
from ..api.ratelimit import RateLimiter
from ..api.urls import plain_http_warning
from ..api.wmts import MapsClient
from .credentials import CredentialStore
from .i18n import translated
from .log import log
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
        self.retry: RetryPolicy = RETRY_DEFAULT  # when `connection()` is given none
        self._limiter: RateLimiter | None = None
        self._auth: Auth = NoAuth()
        self._auth_fingerprint = ""
        self._warned_plain_http: set[str] = set()
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

    def connection(
        self,
        auth: Auth | None = None,
        *,
        retry: RetryPolicy | None = None,
        base_url: str | None = None,
    ) -> ApiConnection:
        """The API as set up now, for clients made here or in a worker thread: the API address
        (`base_url` instead, e.g. one typed but not saved yet), QGIS's network settings, the
        shared rate limiter, `auth` (no auth by default: pass `auth()` for the stored
        credentials) and `retry` (`self.retry` by default; `api.clients.RETRY_QUICK` where
        someone waits for a listing). Later changes of the settings do not alter it.
        A plain `http://` address that is not this machine's is warned about in the log, once."""
        base_url = (base_url or self.settings.base_url).strip().rstrip("/")
        self._warn_plain_http(base_url)
        return ApiConnection(
            base_url=base_url,
            auth=auth if auth is not None else NoAuth(),
            http=qgis_http_settings(),
            retry=retry if retry is not None else self.retry,
            rate_limiter=self.rate_limiter,
            workers=self.settings.workers,
        )

    def _warn_plain_http(self, base_url: str) -> None:
        warning = plain_http_warning(base_url)
        if warning is not None and base_url not in self._warned_plain_http:
            self._warned_plain_http.add(base_url)
            log(translated(warning), Qgis.MessageLevel.Warning)

    def downloads_client(
        self, cancel: CancelToken | None = None, auth: Auth | None = None
    ) -> DownloadsClient:
        return self.connection(auth).downloads_client(cancel)

    def maps_client(self, key: str, cancel: CancelToken | None = None) -> MapsClient:
        """OS Maps with `key` (the stored key, which the caller has loaded)."""
        return self.connection().maps_client(key, cancel)

    def download_engine(self, auth: Auth | None = None) -> DownloadEngine:
        return self.connection(auth).download_engine()
