"""One file's request for the download engine: `API url --(30x)--> signed storage url`, followed
by hand so that the API key (or bearer token) goes to the API host only; the Range request that
resumes a `.part`; the checks of the response the engine is given (200, 206, or 416 when
resuming) and the errors for every other answer.

Whatever another attempt may fix is raised as `Retry`; the engine (`api.download`) decides
whether to try again, and writes and verifies the body.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Protocol
from urllib.parse import urljoin

import requests

from .cancel import CancelToken
from .errors import (
    NetworkError,
    OSAPIError,
    PermissionDeniedError,
    ServerError,
    error_for_status,
    redact,
    redact_url,
)
from .http import (
    RETRYABLE_STATUSES,
    HttpSettings,
    body_excerpt,
    body_length,
    network_failure_reason,
    parse_retry_after,
)
from .phrases import QT_TRANSLATE_NOOP
from .ratelimit import RateLimiter
from .urls import Origin, downgrade_reason, origin, unsafe_reason

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SMALL_BODY = 64 * 1024
# Never sent to a host other than the API's, whatever the session or ~/.netrc holds.
_CREDENTIAL_HEADERS = ("Authorization", "key", "Cookie")

class Auth(Protocol):
    """What the engine needs of `api.auth`: headers for the API host and the secrets to redact."""

    def headers(self) -> dict[str, str]: ...

    def secrets(self) -> tuple[str, ...]: ...


class Retry(Exception):
    """An attempt failed in a way another attempt may fix; `error` is what the user gets if not."""

    def __init__(
        self, error: OSAPIError, retry_after: float | None = None, immediate: bool = False
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after
        self.immediate = immediate


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) as urllib3 will connect, the scheme's default port filled in; None
    for a URL that must not be requested at all (`api.urls.unsafe_reason`)."""
    return origin(url)


class _NoCredentials(requests.auth.AuthBase):
    """Keeps ~/.netrc out of every request and, off the API host, every credential header."""

    def __init__(self, strip: bool) -> None:
        self.strip = strip

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.strip:
            for name in _CREDENTIAL_HEADERS:
                request.headers.pop(name, None)
        return request


API_AUTH = _NoCredentials(strip=False)
FOREIGN_AUTH = _NoCredentials(strip=True)


def _abort_response(response: requests.Response) -> None:
    """Wake a worker blocked reading `response` by shutting its socket down."""
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class OpenResponses:
    """Responses being read, so that cancel can interrupt a stalled read at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._responses: set[requests.Response] = set()
        self._aborted = False

    def add(self, response: requests.Response) -> None:
        with self._lock:
            if self._aborted:
                _abort_response(response)
            self._responses.add(response)

    def discard(self, response: requests.Response) -> None:
        with self._lock:
            self._responses.discard(response)

    def abort_all(self) -> None:
        with self._lock:
            self._aborted = True
            for response in self._responses:
                _abort_response(response)


class Engine(Protocol):
    """What a request needs of the engine (`api.download.DownloadEngine`)."""

    @property
    def api_origin(self) -> tuple[str, str, int | None]: ...

    @property
    def auth(self) -> Auth: ...

    @property
    def http(self) -> HttpSettings: ...

    @property
    def rate_limiter(self) -> RateLimiter | None: ...


class Batch(Protocol):
    """What a request needs of its batch: the engine, this thread's pooled session, the
    responses cancel can abort, the cancel token."""

    @property
    def engine(self) -> Engine: ...

    @property
    def open_responses(self) -> OpenResponses: ...

    @property
    def cancel(self) -> CancelToken: ...

    def session(self) -> requests.Session: ...


class FileRequest:
    """Asks for one file, once per attempt (`open`): a fresh signed URL from the API each time
    (they expire after an hour; none is kept). Remembers the credentials it sent, so that a
    refused OAuth token is renewed once."""

    def __init__(self, url: str, file_name: str, batch: Batch) -> None:
        self.url = url
        self.file_name = file_name
        self.engine = batch.engine
        self.batch = batch
        self.cancel = batch.cancel
        self._sent_auth: dict[str, str] = {}
        self._auth_renewed = False

    def open(self, offset: int) -> requests.Response:
        """Ask the API url (again) and follow redirects by hand to a 200/206/416 response."""
        url = self.url
        session = self.batch.session()
        for _hop in range(MAX_REDIRECTS + 1):
            self.cancel.raise_if_cancelled()
            self._refuse_unsafe(url)
            on_api = origin_of(url) == self.engine.api_origin
            headers = {"Accept-Encoding": "identity"}
            if offset:
                headers["Range"] = f"bytes={offset}-"
            if on_api:
                self._sent_auth = self._auth_headers()
                headers.update(self._sent_auth)
            if on_api and self.engine.rate_limiter is not None:
                # OS's limit is on the API; the storage host's signed URLs are not counted.
                self.engine.rate_limiter.acquire(self.cancel)
            log.debug("GET %s (%s)", redact_url(url), "API" if on_api else "storage")
            response = self._get(session, url, headers, on_api)
            self.batch.open_responses.add(response)
            status = response.status_code
            if status in _REDIRECT_STATUSES:
                url = self._redirect_target(response, url)
                continue
            if on_api and status == 200 and "json" in response.headers.get("Content-Type", ""):
                # The API listed files instead of redirecting to one: the URL matches several.
                self.drain_and_close(response)
                raise OSAPIError(QT_TRANSLATE_NOOP(
                    "api", "The download link of {0} matches several files, so the OS Data Hub "
                    "listed them instead of sending one: name the file in the link "
                    "(fileName=).").format(self.file_name))
            if status in (200, 206) or (status == 416 and offset):
                return response
            raise self._status_error(response, on_api)
        raise OSAPIError(QT_TRANSLATE_NOOP(
            "api", "The download link of {0} redirected more than {1} times; giving up.").format(
            self.file_name, MAX_REDIRECTS))

    def _get(
        self, session: requests.Session, url: str, headers: dict[str, str], on_api: bool
    ) -> requests.Response:
        try:
            return session.get(
                url,
                headers=headers,
                auth=API_AUTH if on_api else FOREIGN_AUTH,
                allow_redirects=False,
                stream=True,
                timeout=self.engine.http.timeout,
            )
        except requests.exceptions.SSLError as error:
            raise NetworkError(QT_TRANSLATE_NOOP(
                "api", "The secure connection for {0} failed: the server's certificate was "
                "not trusted. On a network with TLS inspection, add its CA certificate in "
                "QGIS (Settings → Options → Authentication). Detail: {1}").format(
                self.file_name, self.redacted(error))
            ) from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ):
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The download link of {0} is not a valid URL: {1}").format(
                self.file_name, redact_url(url))
            ) from None
        except requests.RequestException as error:
            raise Retry(self.network_error(error)) from None

    def _redirect_target(self, response: requests.Response, url: str) -> str:
        location = response.headers.get("Location")
        self.drain_and_close(response)
        if not location:
            raise Retry(
                ServerError(
                    QT_TRANSLATE_NOOP(
                        "api", "The OS Data Hub answered a redirect without a target "
                        "for {0}: try again later.").format(self.file_name),
                    status=response.status_code,
                )
            )
        target = urljoin(url, location)
        refused = downgrade_reason(url, target)
        if refused is not None:
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The download link of {0} redirected to '{1}', which is refused: {2}. "
                "Nothing was sent there.").format(self.file_name, redact_url(target), refused))
        return target

    def _refuse_unsafe(self, url: str) -> None:
        """No request at all to a URL urllib3 would read otherwise than `urlsplit`."""
        refused = unsafe_reason(url)
        if refused is not None:
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The download link of {0} leads to '{1}', which is refused: {2}. "
                "Nothing was sent there.").format(self.file_name, redact_url(url), refused))

    def _auth_headers(self) -> dict[str, str]:
        try:
            return dict(self.engine.auth.headers())
        except NetworkError as error:  # e.g. the OAuth token could not be fetched
            raise Retry(error) from None

    def _renewed_auth(self) -> bool:
        """After a 401: forget a refused token once; True if that gave other credentials."""
        invalidate = getattr(self.engine.auth, "invalidate", None)
        if self._auth_renewed or not callable(invalidate):
            return False
        self._auth_renewed = True
        invalidate()
        try:
            return dict(self.engine.auth.headers()) != self._sent_auth
        except OSAPIError:
            return False

    def _status_error(self, response: requests.Response, on_api: bool) -> Exception:
        status = response.status_code
        body = self._read_small(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        what = QT_TRANSLATE_NOOP("api", "the download of {0}").format(self.file_name)
        error = error_for_status(
            status, what=what, body=body, retry_after=retry_after, secrets=self.secrets()
        )
        if status in RETRYABLE_STATUSES:
            return Retry(error, retry_after)
        if on_api and status == 401 and self._renewed_auth():
            return Retry(error, immediate=True)  # a bearer token that expired early
        if not on_api and status == 403:
            # A signed storage URL that expired: the next attempt asks the API for a fresh one.
            return Retry(
                PermissionDeniedError(
                    QT_TRANSLATE_NOOP(
                        "api", "The storage server refused the signed download link of {0} "
                        "(403) again and again, even fresh ones: try again later.").format(
                        self.file_name),
                    status=status,
                )
            )
        return error

    # -- for the job too ---------------------------------------------------------------------

    def secrets(self) -> tuple[str, ...]:
        try:
            return tuple(self.engine.auth.secrets())
        except Exception:
            return ()

    def redacted(self, error: BaseException) -> str:
        return redact(str(error), self.secrets())[:300]

    def network_error(self, error: BaseException) -> NetworkError:
        reason = network_failure_reason(error, self.engine.http.timeout)
        return NetworkError(QT_TRANSLATE_NOOP(
            "api", "Downloading {name} failed: {reason}. Check the internet connection and the "
            "proxy settings (QGIS: Settings → Options → Network), then download again: it "
            "resumes where it stopped. Detail: {detail}").format(
            name=self.file_name, reason=reason, detail=self.redacted(error)))

    def _read_small(self, response: requests.Response) -> bytes:
        """The start of an error body (for its message); closes the response."""
        self.batch.open_responses.discard(response)
        return body_excerpt(response, _SMALL_BODY, timeout=self.engine.http.timeout)

    def drain_and_close(self, response: requests.Response) -> None:
        """Read a small body (so the connection can be reused) and close the response."""
        self.batch.open_responses.discard(response)
        length = body_length(response)
        if length is not None and length <= _SMALL_BODY:
            # Reading it frees the connection for reuse; bounded in time like an error body.
            body_excerpt(response, _SMALL_BODY, timeout=self.engine.http.timeout)
        response.close()

    def close(self, response: requests.Response) -> None:
        """Done with a response the job read."""
        self.batch.open_responses.discard(response)
        response.close()
