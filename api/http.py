"""HTTP plumbing shared by every client: sessions, retry policy, Retry-After."""

from __future__ import annotations

import email.utils
import http.client
import random
import socket
import time
import zlib
from dataclasses import dataclass, field
from typing import Mapping

import requests
import requests.adapters

from . import __version__
from .errors import NetworkError, OSAPIError
from .phrases import QT_TRANSLATE_NOOP

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
ERROR_BODY_EXCERPT = 64 * 1024  # bytes of an error answer read for its message, at most
# The most an answer read whole (a listing, a token, capabilities) may hold once decoded.
ANSWER_LIMIT = 64 * 1024 * 1024
# A whole answer (its redirects, headers and body) must arrive within this many times the
# network timeout, which itself bounds each wait for the next bytes: a server trickling one
# byte a second never times out a read, but it does time out the request. Ten times the
# default 60 s is ten minutes, enough for a 64 MB listing at 1 Mbit/s. File downloads have no
# overall deadline (they take hours on a slow line); their bytes are kept as they arrive.
DEADLINE_FACTOR = 10
# Compressions an answer may come in (asked for with Accept-Encoding), decoded here with a
# bound on what they expand to: never by urllib3, which expands a read without limit.
ANSWER_ENCODINGS = "gzip, deflate"
_READ_STEP = 64 * 1024
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
    session.headers["Accept-Encoding"] = ANSWER_ENCODINGS  # what BodyReader decodes
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


def body_excerpt(
    response: requests.Response, limit: int = ERROR_BODY_EXCERPT, timeout: float | None = None
) -> bytes:
    """The start of a body, at most `limit` bytes once decoded (what an error message needs),
    read for at most `timeout` seconds in all, and the response closed: an error must not keep
    the response, and with it a connection, open."""
    try:
        if getattr(response, "_content_consumed", False):  # read already (stream=False)
            return (response.content or b"")[:limit]
        deadline = time.monotonic() + (timeout if timeout is not None else 30.0)
        return BodyReader(response, limit, deadline, excerpt=True).read()
    except Exception:  # a body cut off, garbled or too slow: the status alone must do
        return b""
    finally:
        response.close()


def request_deadline(timeout: float) -> float:
    """The `time.monotonic()` by which a whole answer must have arrived (DEADLINE_FACTOR)."""
    return time.monotonic() + DEADLINE_FACTOR * timeout


class AnswerTooLarge(OSAPIError):
    """An answer read whole is larger than its limit once decoded."""


class _Decoder:
    """Undoes the Content-Encoding of a body (gzip or deflate, stacked too) in steps, each
    step's output bounded, so that a tiny compressed body cannot expand into gigabytes."""

    def __init__(self, encodings: list[str]) -> None:
        self._stages = []
        for name in reversed(encodings):  # the last one applied is undone first
            wbits = 16 + zlib.MAX_WBITS if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
            self._stages.append(zlib.decompressobj(wbits))

    def decode(self, data: bytes, room: int) -> bytes:
        """`data` decoded; at most `room` + 1 bytes out of each stage (more is too much)."""
        for stage in self._stages:
            out = []
            size = 0
            while data and size <= room:
                piece = stage.decompress(data, room + 1 - size)
                out.append(piece)
                size += len(piece)
                data = stage.unconsumed_tail
                if not piece and data:
                    break  # no progress (e.g. data after the end of the stream)
            data = b"".join(out)
        return data


class BodyReader:
    """Reads a streamed response's body whole: at most `limit` bytes once decoded, by
    `deadline` (`time.monotonic()`), each wait for bytes no longer than the socket's timeout.

    Bytes are taken from http.client as they arrive (`read1`), never by urllib3's decoder:
    a gzip or deflate body (the only ones asked for) is decoded here, step by step, counted
    against the limit. `excerpt` keeps the first `limit` bytes instead of refusing more.
    """

    def __init__(
        self, response: requests.Response, limit: int, deadline: float, *, excerpt: bool = False
    ) -> None:
        self.response = response
        self.limit = limit
        self.deadline = deadline
        self.excerpt = excerpt
        encodings = [
            e.strip().lower()
            for e in response.headers.get("Content-Encoding", "").split(",")
            if e.strip() and e.strip().lower() != "identity"
        ]
        unknown = [e for e in encodings if e not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The OS Data Hub sent an unexpected answer: it came compressed as '{0}', "
                "which was not asked for; a proxy may be changing the answers.").format(
                ", ".join(unknown)))
        self._decoder = _Decoder(encodings) if encodings else None
        self.received = 0  # bytes as sent (before decoding)

    def read(self) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            data = self._read_some()
            if not data:
                break
            self.received += len(data)
            if self._decoder is not None:
                try:
                    data = self._decoder.decode(data, self.limit - size)
                except zlib.error as error:
                    raise requests.exceptions.ContentDecodingError(str(error)) from None
            size += len(data)
            chunks.append(data)
            if size > self.limit:
                if self.excerpt:
                    return b"".join(chunks)[: self.limit]
                raise AnswerTooLarge(QT_TRANSLATE_NOOP(
                    "api", "The OS Data Hub sent an unexpected answer: it is larger than {0} MB; "
                    "a proxy or a broken server may be sending it.").format(
                    round(self.limit / 1e6)))
        if getattr(self.response.raw, "_fp", None) is not None:
            # Read to its end through http.client: closing the response may hand the
            # connection back to the pool.
            self.response._content_consumed = True
        return b"".join(chunks)

    def _read_some(self) -> bytes:
        """What arrived, up to _READ_STEP bytes (b'' at the end of the body); raises
        `NetworkError` once the deadline has passed."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._too_slow()
        raw = self.response.raw
        fp = getattr(raw, "_fp", None)  # http.client's response, under urllib3's
        sock = getattr(getattr(raw, "_connection", None), "sock", None)
        timeout = sock.gettimeout() if sock is not None else None
        try:
            if sock is not None and (timeout is None or timeout > remaining):
                sock.settimeout(remaining)  # the deadline cuts the wait for bytes short
            if fp is not None and hasattr(fp, "read1"):
                data = fp.read1(_READ_STEP)
                if not data:
                    fp.close()  # as its readinto() would: the connection may be reused
                return data
            return raw.read(_READ_STEP, decode_content=False) or b""
        except socket.timeout:
            if time.monotonic() >= self.deadline:
                raise self._too_slow() from None
            raise requests.exceptions.ReadTimeout("no bytes within the timeout") from None
        except (OSError, http.client.HTTPException) as error:
            raise requests.exceptions.ChunkedEncodingError(str(error)) from None
        finally:
            if sock is not None and timeout is not None:
                try:
                    sock.settimeout(timeout)
                except OSError:
                    pass

    def _too_slow(self) -> NetworkError:
        return NetworkError(QT_TRANSLATE_NOOP(
            "api", "The answer of the OS Data Hub did not arrive in time: {0} bytes in the "
            "time allowed; the server or a proxy is too slow. Try again later.").format(
            self.received))


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
