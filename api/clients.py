"""Where the API clients and the download engine are built: `ApiConnection`, one snapshot of how
to reach the OS API (address, credentials, network settings, retries, the shared rate limit),
and the retry policy for each purpose.

The QGIS side takes the snapshot on the main thread (`core.context.ApiContext.connection`), the
command line from its options and environment (`api.cli`); worker threads only read it. It
reads nothing itself, so a change of settings after it was taken does not change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .auth import Auth, NoAuth, auth_from
from .cancel import CancelToken
from .client import DownloadsClient
from .download import DEFAULT_WORKERS, DownloadEngine
from .http import HttpSettings, RetryPolicy
from .ratelimit import RateLimiter
from .transport import DEFAULT_BASE_URL
from .wmts import MapsClient

# Downloads, the command line, the plugin's listings and OS Maps requests: ride out a busy
# server (429 with Retry-After, 5xx) for a minute or so.
RETRY_DEFAULT = RetryPolicy(attempts=5, base_delay=1.0, max_delay=60.0)
# Interactive checks where someone watches a spinner (the Browser's tree nodes, the settings
# page's "Test" button): fail fast, one retry, rather than keep them waiting.
RETRY_QUICK = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)


@dataclass(frozen=True)
class ApiConnection:
    """How to reach the OS API, fixed when taken. Safe to hand to worker threads: every client
    it makes has its own session. `auth` and `rate_limiter` are shared on purpose (an OAuth 2
    token is reused until due; every request counts against one per-minute budget)."""

    base_url: str = DEFAULT_BASE_URL
    auth: Auth = field(default_factory=NoAuth, repr=False)
    http: HttpSettings = field(default_factory=HttpSettings)
    retry: RetryPolicy = RETRY_DEFAULT
    rate_limiter: RateLimiter | None = None
    workers: int = DEFAULT_WORKERS

    def downloads_client(self, cancel: CancelToken | None = None) -> DownloadsClient:
        """The OS Downloads API with this connection's auth (close it, or use `with`)."""
        return DownloadsClient(self.base_url, auth=self.auth, http=self.http, retry=self.retry,
                               rate_limiter=self.rate_limiter, cancel=cancel)

    def maps_client(self, key: str, cancel: CancelToken | None = None) -> MapsClient:
        """The OS Maps API with `key` (OS Maps takes the key only, never an OAuth 2 token)."""
        return MapsClient(self.base_url, key=key, http=self.http, retry=self.retry,
                          rate_limiter=self.rate_limiter, cancel=cancel)

    def download_engine(self) -> DownloadEngine:
        """The download engine; its requests to the API's origin carry this connection's auth."""
        return DownloadEngine(api_origin=self.base_url, auth=self.auth, http=self.http,
                              retry=self.retry, rate_limiter=self.rate_limiter,
                              workers=self.workers)

    def with_auth(self, auth: Auth) -> ApiConnection:
        return replace(self, auth=auth)

    def signed_in(self, key: str | None, secret: str | None = None) -> ApiConnection:
        """This connection with `key` (and `secret`: OAuth 2) as its auth, see `auth_from`.
        The caller closes the new auth (`.auth.close()`) when done with it."""
        return self.with_auth(auth_from(key, secret, self.base_url, self.http))


__all__ = ["RETRY_DEFAULT", "RETRY_QUICK", "ApiConnection"]
