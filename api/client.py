"""The OS Downloads API (`/downloads/v1`): its nine GET endpoints as typed Python calls.

Every request to the API host is rate limited and retried (connection errors, timeouts, 429
with its Retry-After, 5xx) with sleeps that a `CancelToken` interrupts. Redirects are followed
by hand so that the key or bearer token only ever goes to the API's own origin, never to the
storage host a redirect points at. Error messages name what was asked for and never carry the
key, the token or a signed URL's signature.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Union
from urllib.parse import quote, urljoin, urlsplit

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
from .http import RETRYABLE_STATUSES, HttpSettings, RetryPolicy, make_session, parse_retry_after
from .models import (
    DataPackage,
    DataPackageVersion,
    DataPackageVersionDetail,
    Product,
    ProductDownload,
    parse_list,
    unexpected_answer,
)
from .national_grid import AREA_CODES, GB
from .ratelimit import RateLimiter

DEFAULT_BASE_URL = "https://api.os.uk"
API_PATH = "/downloads/v1"

KNOWN_AREAS = frozenset((GB, *AREA_CODES))

MAX_REDIRECTS = 5
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}

Params = Union[Dict[str, str], str, None]


def url_origin(url: str) -> str:
    """`scheme://host:port` of a URL, lower case with the port always written, for comparing
    origins (`https://API.os.uk` and `https://api.os.uk:443` are the same)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or _DEFAULT_PORTS.get(scheme, 0)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def normalise_area(code: str) -> str:
    """An area code in upper case, or `BadRequestError` naming the unknown code."""
    value = (code or "").strip().upper()
    if value not in KNOWN_AREAS:
        raise BadRequestError(
            f"Unknown area code '{code.strip()}': use GB (all of Great Britain) or a 100 km "
            f"National Grid square ({', '.join(AREA_CODES)})."
        )
    return value


def _segment(value: str) -> str:
    """A path segment, percent-encoded (ids are user input)."""
    return quote(str(value).strip(), safe="")


class DownloadsClient:
    """The OS Downloads API. One instance may be shared; pass a `CancelToken` to stop waits."""

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
            raise BadRequestError(
                f"The API address must start with https:// (got '{redact_url(self.base_url)}')."
            )
        self.api_url = self.base_url + API_PATH
        self.api_origin = url_origin(self.api_url)
        self.auth: Auth = auth if auth is not None else NoAuth()
        self.http = http or HttpSettings()
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.cancel = cancel or CancelToken()
        self._session = make_session(self.http)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> DownloadsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- the endpoints -----

    def products(self, expanded: bool = False) -> List[Product]:
        what = "the list of products"
        data = self._get_json("/products", what, params="expanded" if expanded else None)
        return parse_list(data, Product.from_json, what)

    def product(self, product_id: str) -> Product:
        what = f"product '{product_id}'"
        data = self._get_json(f"/products/{_segment(product_id)}", what)
        return Product.from_json(data)

    def product_downloads(
        self,
        product_id: str,
        *,
        areas: Sequence[str] = (),
        format: str | None = None,
        subformat: str | None = None,
        file_name: str | None = None,
    ) -> List[ProductDownload]:
        """The files of a product, filtered. The API takes one area: for several, ask for all
        and keep the wanted ones here. Format names are compared exactly (`ESRI® Shapefile`)."""
        codes: List[str] = []
        for area in areas:
            code = normalise_area(area)
            if code not in codes:
                codes.append(code)
        params: Dict[str, str] = {}
        if len(codes) == 1:
            params["area"] = codes[0]
        if format:
            params["format"] = format
        if subformat:
            params["subformat"] = subformat
        if file_name:
            params["fileName"] = file_name
        what = f"the downloads of product '{product_id}'"
        data = self._get_json(
            f"/products/{_segment(product_id)}/downloads", what, params=params or None
        )
        downloads = parse_list(data, ProductDownload.from_json, what)
        return [
            d
            for d in downloads
            if (not codes or (d.area or "").upper() in codes)
            and (not format or d.format == format)
            and (not subformat or d.subformat == subformat)
            and (not file_name or d.file_name == file_name)
        ]

    def product_image(self, product_id: str, index: int, large: bool = False) -> bytes:
        """A product's thumbnail (JPEG). The API redirects to another host: no key goes there."""
        what = f"image {index} of product '{product_id}'"
        response = self._get(
            f"{self.api_url}/products/{_segment(product_id)}/images/{int(index)}",
            what,
            params="large" if large else None,
            stream=True,
        )
        with response:
            chunks: List[bytes] = []
            total = 0
            try:
                for chunk in response.iter_content(64 * 1024):
                    total += len(chunk)
                    if total > MAX_IMAGE_BYTES:
                        raise unexpected_answer(f"{what} is larger than 20 MB.")
                    chunks.append(chunk)
            except requests.RequestException as exc:
                raise self._network_error(exc, what, response.url) from exc
        return b"".join(chunks)

    def data_packages(self) -> List[DataPackage]:
        what = "the list of data packages"
        return parse_list(self._get_json("/dataPackages", what), DataPackage.from_json, what)

    def data_package(self, package_id: str) -> DataPackage:
        what = f"data package '{package_id}'"
        return DataPackage.from_json(self._get_json(f"/dataPackages/{_segment(package_id)}", what))

    def data_package_versions(self, package_id: str) -> List[DataPackageVersion]:
        what = f"the versions of data package '{package_id}'"
        data = self._get_json(f"/dataPackages/{_segment(package_id)}/versions", what)
        return parse_list(data, DataPackageVersion.from_json, what)

    def data_package_version(self, package_id: str, version_id: str) -> DataPackageVersionDetail:
        """One version with its files; `version_id` may be `latest`."""
        what = f"version '{version_id}' of data package '{package_id}'"
        data = self._get_json(
            f"/dataPackages/{_segment(package_id)}/versions/{_segment(version_id)}", what
        )
        return DataPackageVersionDetail.from_json(data)

    def package_file_url(self, package_id: str, version_id: str, file_name: str) -> str:
        """The API URL that redirects to one file of a data package version (needs the key)."""
        return (
            f"{self.api_url}/dataPackages/{_segment(package_id)}/versions/"
            f"{_segment(version_id)}/downloads?fileName={quote(file_name, safe='')}"
        )

    # ----- plumbing -----

    def _get_json(self, path: str, what: str, params: Params = None) -> Any:
        response = self._get(self.api_url + path, what, params=params)
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            raise unexpected_answer(
                f"{what} did not come as JSON ({kind}); a proxy or login page may be in the way."
            ) from None

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
                body = response.content[:65536]
                response.close()
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
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
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
        """One try: the request and any redirects, the auth headers only on the API origin."""
        for _hop in range(MAX_REDIRECTS + 1):
            on_api = url_origin(url) == self.api_origin
            headers = {"Accept": "application/json"} if on_api else {}
            if on_api:
                if self.rate_limiter is not None:
                    self.rate_limiter.acquire(self.cancel)
                headers.update(self.auth.headers())
            try:
                response = self._session.get(
                    url,
                    params=params,
                    headers=headers,
                    timeout=self.http.timeout,
                    allow_redirects=False,
                    stream=stream,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise self._network_error(exc, what, url) from exc
            except requests.RequestException as exc:
                raise OSAPIError(
                    f"Could not ask the OS Data Hub for {what}: "
                    f"{redact(str(exc), self.auth.secrets())}"
                ) from exc
            if not response.is_redirect:
                return response
            location = urljoin(response.url, response.headers["Location"])
            response.close()
            if urlsplit(location).scheme not in ("http", "https"):
                raise unexpected_answer(f"{what} redirected to '{redact_url(location)}'.")
            url, params = location, None
        raise unexpected_answer(f"{what} redirected more than {MAX_REDIRECTS} times.")

    def _network_error(self, exc: Exception, what: str, url: str) -> NetworkError:
        host = urlsplit(url).netloc or url
        if isinstance(exc, requests.Timeout):
            reason = f"no answer within {self.http.timeout:g} s"
        elif isinstance(exc, requests.exceptions.SSLError):
            reason = "the secure connection failed (a proxy inspecting TLS needs its CA trusted)"
        elif isinstance(exc, requests.exceptions.ProxyError):
            reason = "the proxy refused the connection"
        else:
            reason = "the connection failed"
        return NetworkError(
            f"Could not reach the OS Data Hub ({redact_url(host)}) for {what}: {reason}. "
            "Check the internet connection and the proxy settings "
            "(QGIS: Settings → Options → Network), then try again."
        )
