"""A client-side rate limit shared by every worker: OS allows 600 requests a minute per API
for live projects and 50 for development projects."""

from __future__ import annotations

import threading
import time

from .cancel import CancelToken

LIVE_PROJECT_RPM = 600
DEVELOPMENT_PROJECT_RPM = 50


class RateLimiter:
    """Token bucket: at most `requests_per_minute`, with a burst of a tenth of that (>= 1)."""

    def __init__(self, requests_per_minute: int = LIVE_PROJECT_RPM) -> None:
        if requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1")
        self.requests_per_minute = requests_per_minute
        self._rate = requests_per_minute / 60.0
        self._capacity = max(1.0, requests_per_minute / 10.0)
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def _reserve(self) -> float:
        """Take a token if there is one (0.0) or say how long until there will be."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self._rate

    def acquire(self, cancel: CancelToken | None = None) -> None:
        """Block until a request may be sent; raise `Cancelled` if cancelled meanwhile."""
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            wait = self._reserve()
            if wait <= 0.0:
                return
            if cancel is not None:
                cancel.wait(wait)
            else:
                time.sleep(wait)
