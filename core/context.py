"""Builds `api` objects from the user's settings. Call on the main thread (it reads QgsSettings
and QGIS's network settings); the objects it returns are then used inside tasks."""

from __future__ import annotations

from ..api.auth import Auth, NoAuth
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.download import DownloadEngine
from ..api.http import RetryPolicy
from ..api.ratelimit import RateLimiter
from .network import qgis_http_settings
from .settings import PluginSettings


class ApiContext:
    """One per plugin: the shared rate limiter lives here, so that every task counts against
    the same per-minute budget."""

    def __init__(self, settings: PluginSettings | None = None) -> None:
        self.settings = settings or PluginSettings()
        self.retry = RetryPolicy()
        self._limiter: RateLimiter | None = None

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
