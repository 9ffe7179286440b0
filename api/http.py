"""HTTP plumbing shared by every client: sessions, retry policy, Retry-After."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Mapping

import requests
import requests.adapters

from . import __version__
from .phrases import QT_TRANSLATE_NOOP

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
ERROR_BODY_EXCERPT = 64 * 1024  # bytes of an error answer read for its message, at most
USER_AGENT = f"OSDataHubLoader/{__version__} python-requests/{requests.__version__}"


@dataclass(frozen=True)
class HttpSettings:
    """How to reach the network. The QGIS side fills it from QGIS's own network settings.

    `proxies` None means requests' usual environment variables; `verify` is True (system CAs)
    or the path of a CA bundle. Switching TLS verification off is not offered.
    """

    timeout: float = 60.0
    proxies: Mapping[str, str] | None = None
    verify: bool | str = True
    user_agent: str = USER_AGENT
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verify is False:
            raise ValueError("TLS verification cannot be switched off; give a CA bundle instead.")


class PoolClosingAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, but `close()` closes the connections of every pool it made.

    requests' own `close()` calls urllib3's `PoolManager.clear()`. With urllib3 1.26 that
    closes each pool; urllib3 2.x only forgets them, and a forgotten pool's idle connections
    close when the pool is garbage-collected. Whatever still refers to the pool then keeps its
    sockets (and the server's threads) open: a response in an exception's traceback, say, or a
    download result holding that exception. So close the pools here, on every urllib3.
    Connections still lent to an unclosed response close when it is closed or released.
    """

    def close(self) -> None:
        for manager in (self.poolmanager, *self.proxy_manager.values()):
            pools = manager.pools
            for key in list(pools.keys()):
                pool = pools.get(key)
                if pool is not None:
                    pool.close()
        super().close()


def make_session(settings: HttpSettings) -> requests.Session:
    """A pooled session that carries the settings (one per worker thread). Its `close()`
    closes its connections, with urllib3 1.26 and 2.x alike."""
    session = requests.Session()
    for prefix in ("https://", "http://"):
        session.mount(prefix, PoolClosingAdapter())
    session.headers["User-Agent"] = settings.user_agent
    session.headers.update(settings.extra_headers)
    session.verify = settings.verify
    if settings.proxies is not None:
        session.trust_env = False
        session.proxies.update(settings.proxies)
    return session


def body_length(response: requests.Response) -> int | None:
    """The Content-Length of an unencoded body, else None."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def body_excerpt(response: requests.Response, limit: int = ERROR_BODY_EXCERPT) -> bytes:
    """The start of a body, at most `limit` bytes (what an error message needs), and the
    response closed: an error must not keep the response, and with it a connection, open."""
    try:
        if getattr(response, "_content_consumed", False):  # read already (stream=False)
            return (response.content or b"")[:limit]
        return response.raw.read(limit, decode_content=True) or b""
    except Exception:  # a body cut off or garbled: the status alone must do
        return b""
    finally:
        response.close()


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, honouring the server's Retry-After.

    `attempts` counts every try, the first included.
    """

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        wait = random.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay * 5))
        return wait


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), None if absent/garbled."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def network_failure_reason(error: BaseException, timeout: float) -> str:
    """What went wrong on the way, in words a user can act on (proxy, TLS, timeout)."""
    if isinstance(error, requests.exceptions.ProxyError):
        return QT_TRANSLATE_NOOP("api", "the proxy refused the connection")
    if isinstance(error, requests.exceptions.SSLError):
        return QT_TRANSLATE_NOOP(
            "api", "the secure connection failed (behind a proxy that inspects TLS, add its CA "
            "certificate in QGIS: Settings → Options → Authentication)")
    if isinstance(error, requests.Timeout):
        return QT_TRANSLATE_NOOP("api", "no answer within {0:g} s").format(timeout)
    return QT_TRANSLATE_NOOP("api", "the connection failed or was dropped")
