"""What every OS API client shares: one pooled session, the auth headers sent to the API's own
origin only, redirects followed by hand, retries with backoff for connection errors, timeouts,
429 (honouring Retry-After) and 5xx, sleeps a `CancelToken` interrupts, and error messages
that never carry the key, a token or a signed URL's signature.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any, Dict, TypeVar, Union
from urllib.parse import urljoin, urlsplit

import requests

from .auth import Auth, NoAuth, OAuth2ClientCredentials
from .cancel import CancelToken
from .errors import (
    BadRequestError,
    Cancelled,
    NetworkError,
    OSAPIError,
    RateLimited,
    ServerError,
    error_for_status,
    redact,
    redact_url,
)
from .fetch import API_AUTH, FOREIGN_AUTH
from .http import (
    ANSWER_LIMIT,
    RETRYABLE_STATUSES,
    AnswerTooLarge,
    BodyReader,
    HttpSettings,
    RetryPolicy,
    body_excerpt,
    body_length,
    make_session,
    network_failure_reason,
    parse_retry_after,
    request_deadline,
)
from .models import human_size, unexpected_answer
from .phrases import QT_TRANSLATE_NOOP
from .ratelimit import RateLimiter
from .urls import downgrade_reason, origin, unsafe_reason

DEFAULT_BASE_URL = "https://api.os.uk"
MAX_REDIRECTS = 5

Params = Union[Dict[str, str], str, None]
ClientT = TypeVar("ClientT", bound="ApiClient")


def url_origin(url: str) -> str:
    """`scheme://host:port` of a URL as urllib3 will connect to it, lower case with the port
    always written, for comparing origins (`https://API.os.uk` and `https://api.os.uk:443` are
    the same); '' for a URL `api.urls.unsafe_reason` refuses (never the API's origin)."""
    found = origin(url)
    return str(found) if found is not None else ""


class _ApiCookiesOnly(http.cookiejar.DefaultCookiePolicy):
    """Cookies are taken from the API's own origin only, and offered to it only (requests
    copies the jar before a request, so `FOREIGN_AUTH` also strips the Cookie header)."""

    def __init__(self, api_origin: str) -> None:
        super().__init__()
        self.api_origin = api_origin

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return url_origin(request.get_full_url()) == self.api_origin and super().set_ok(
            cookie, request)

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return url_origin(request.get_full_url()) == self.api_origin and super().return_ok(
            cookie, request)


class ApiClient:
    """Base of the OS API clients. One instance may be shared; pass a `CancelToken` to stop
    waits. `ACCEPT` is the media type asked of the API."""

    ACCEPT = "*/*"

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        auth: Auth | None = None,
        http: HttpSettings | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.base_url = base_url.strip().rstrip("/")
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise BadRequestError(QT_TRANSLATE_NOOP(
                "api", "The API address must start with https:// (got '{0}').").format(
                redact_url(self.base_url)))
        reason = unsafe_reason(self.base_url)
        if reason is not None:
            raise BadRequestError(QT_TRANSLATE_NOOP(
                "api", "The API address '{0}' is refused: {1}. Write it as "
                "https://host[:port]/path.").format(redact_url(self.base_url), reason))
        self.api_origin = url_origin(self.base_url)
        self.auth: Auth = auth if auth is not None else NoAuth()
        self.http = http or HttpSettings()
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.cancel = cancel or CancelToken()
        self._session = make_session(self.http)
        self._session.cookies.set_policy(_ApiCookiesOnly(self.api_origin))

    def close(self) -> None:
        self._session.close()

    def __enter__(self: ClientT) -> ClientT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- the endpoints -----
    def _get(
        self, url: str, what: str, *, params: Params = None, stream: bool = False
    ) -> requests.Response:
        """A successful (2xx) response, after retries; a typed `OSAPIError` otherwise."""
        attempt = 0
        renewed_token = False
        while True:
            attempt += 1
            self.cancel.raise_if_cancelled()
            retry_after: float | None = None
            try:
                response = self._follow(url, what, params, stream)
            except (NetworkError, RateLimited, ServerError) as exc:
                error: OSAPIError = exc
                retry_after = getattr(exc, "retry_after", None)
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                body = body_excerpt(response, timeout=self.http.timeout)
                if (
                    status == 401
                    and not renewed_token
                    and isinstance(self.auth, OAuth2ClientCredentials)
                ):
                    # The token may have expired early: fetch a new one, once.
                    renewed_token = True
                    self.auth.invalidate()
                    attempt -= 1
                    continue
                error = error_for_status(
                    status,
                    what=what,
                    body=body,
                    retry_after=retry_after,
                    secrets=self.auth.secrets(),
                )
                if status not in RETRYABLE_STATUSES:
                    raise error
            if attempt >= self.retry.attempts:
                raise error
            if self.cancel.wait(self.retry.delay(attempt, retry_after)):
                raise Cancelled()

    def _follow(self, url: str, what: str, params: Params, stream: bool) -> requests.Response:
        """One try: the request and any redirects, the auth headers only on the API origin;
        unless `stream`, a 2xx answer's body read (at most ANSWER_LIMIT, by the deadline)."""
        for _hop in range(MAX_REDIRECTS + 1):
            refused = unsafe_reason(url)
            if refused is not None:  # e.g. a listing's link to `http://evil\\@api-host/`
                raise unexpected_answer(QT_TRANSLATE_NOOP(
                    "api", "the address '{0}' for {1} is refused: {2}.").format(
                    redact_url(url), what, refused))
            on_api = url_origin(url) == self.api_origin
            headers = {"Accept": self.ACCEPT} if on_api else {}
            if on_api:
                if self.rate_limiter is not None:
                    self.rate_limiter.acquire(self.cancel)
                headers.update(self.auth.headers())
            deadline = request_deadline(self.http.timeout)
            try:
                response = self._session.get(
                    url,
                    params=params,
                    headers=headers,
                    timeout=self.http.timeout,
                    allow_redirects=False,
                    stream=True,  # bodies are read here, bounded (api.http.BodyReader)
                    # Off the API's origin no Cookie, key or Authorization header (the session's
                    # merged cookie jar ignores the policy's return_ok); never ~/.netrc.
                    auth=API_AUTH if on_api else FOREIGN_AUTH,
                )
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,  # the body cut off midway
            ) as exc:
                raise self._network_error(exc, what, url) from exc
            except requests.RequestException as exc:
                raise OSAPIError(QT_TRANSLATE_NOOP(
                    "api", "Could not ask the OS Data Hub for {0}: {1}").format(
                    what, redact(str(exc), self.auth.secrets()))
                ) from exc
            if not response.is_redirect:
                if not stream and 200 <= response.status_code < 300:
                    self._read_whole(response, ANSWER_LIMIT, what, deadline)
                return response
            location = urljoin(response.url, response.headers["Location"])
            response.close()
            if urlsplit(location).scheme not in ("http", "https"):
                raise unexpected_answer(QT_TRANSLATE_NOOP(
                    "api", "{0} redirected to '{1}'.").format(what, redact_url(location)))
            refused = unsafe_reason(location) or downgrade_reason(url, location)
            if refused is not None:
                raise unexpected_answer(QT_TRANSLATE_NOOP(
                    "api", "{0} redirected to '{1}', which is refused: {2}.").format(
                    what, redact_url(location), refused))
            url, params = location, None
        raise unexpected_answer(QT_TRANSLATE_NOOP(
            "api", "{0} redirected more than {1} times.").format(what, MAX_REDIRECTS))

    def _network_error(self, exc: Exception, what: str, url: str) -> NetworkError:
        host = urlsplit(url).netloc or url
        reason = network_failure_reason(exc, self.http.timeout)
        return NetworkError(QT_TRANSLATE_NOOP(
            "api", "Could not reach the OS Data Hub ({host}) for {what}: {reason}. Check the "
            "internet connection and the proxy settings (QGIS: Settings → Options → Network), "
            "then try again.").format(host=redact_url(host), what=what, reason=reason))

    def _read_limited(self, response: requests.Response, limit: int, what: str) -> bytes:
        """The whole body of a streamed response, refusing one larger than `limit` bytes."""
        with response:
            return self._read_whole(response, limit, what, request_deadline(self.http.timeout))

    def _read_whole(
        self, response: requests.Response, limit: int, what: str, deadline: float
    ) -> bytes:
        """The body, at most `limit` bytes once decoded, by `deadline`; kept as the response's
        `content` too. The response is closed on failure."""
        try:
            reader = BodyReader(response, limit, deadline)
            body = reader.read()
        except AnswerTooLarge:
            response.close()
            raise unexpected_answer(QT_TRANSLATE_NOOP(
                "api", "{0} is larger than {1}.").format(what, human_size(limit))) from None
        except OSAPIError:
            response.close()
            raise
        except requests.RequestException as exc:
            response.close()
            raise self._network_error(exc, what, response.url) from exc
        response._content = body
        response._content_consumed = True
        response.close()  # the connection goes back to the pool; `content` stays
        self._check_complete(response, reader.received, what)
        return body

    def _check_complete(self, response: requests.Response, received: int, what: str) -> None:
        """A `NetworkError` (response closed) if the body is shorter than announced: urllib3
        1.26 lets a connection dropped midway pass as a short body, 2.x raises."""
        announced = body_length(response)
        if announced is not None and received < announced:
            response.close()
            raise self._network_error(requests.exceptions.ChunkedEncodingError(
                f"{received} of {announced} bytes"), what, response.url)
