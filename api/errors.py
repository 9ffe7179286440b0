"""Typed errors with messages a person can act on.

Every message is safe to show: it never contains an API key, a bearer token or the signature of
a signed storage URL. Use `redact_url()` on any URL before putting it into a message.
"""

from __future__ import annotations

import errno
import json
import re
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SETTINGS_HINT = "check it in Settings → OS Data Hub"

# Query parameters whose values are secret: the OS key and the parts of an Azure SAS signature.
_SECRET_PARAMS = {"key", "sig", "signature", "access_token", "token", "code"}


class OSAPIError(Exception):
    """Base of every error `api` raises. `exit_code` is what the CLI exits with."""

    exit_code = 6

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message or self.default_message())
        self.status = status

    @property
    def message(self) -> str:
        return str(self)

    def default_message(self) -> str:
        return "The OS Data Hub request failed."


class AuthenticationError(OSAPIError):
    """401: key missing, wrong or expired."""

    exit_code = 3

    def default_message(self) -> str:
        return f"The API key was refused (401): {SETTINGS_HINT}."


class PermissionDeniedError(OSAPIError):
    """403: the key works but has no rights to this resource (or a signed URL expired)."""

    exit_code = 3

    def default_message(self) -> str:
        return (
            "Access was denied (403): the API key has no rights to this data; "
            f"check the project's APIs on the OS Data Hub and {SETTINGS_HINT}."
        )


class NotFoundError(OSAPIError):
    exit_code = 4

    def default_message(self) -> str:
        return "Not found (404): check the product, package, version or file name."


class BadRequestError(OSAPIError):
    exit_code = 6

    def default_message(self) -> str:
        return "The OS Data Hub did not accept the request (400): check the options given."


class RateLimited(OSAPIError):
    """429: too many requests. `retry_after` is the server's hint in seconds, if it sent one."""

    exit_code = 6

    def __init__(
        self, message: str = "", *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after

    def default_message(self) -> str:
        return (
            "The OS Data Hub rate limit was reached (429): wait a minute and try again, "
            "or download fewer files at once."
        )


class ServerError(OSAPIError):
    exit_code = 6

    def default_message(self) -> str:
        return "The OS Data Hub had a server error: try again later."


class NetworkError(OSAPIError):
    """No answer: connection refused or dropped, DNS, TLS, timeout, proxy."""

    exit_code = 6

    def default_message(self) -> str:
        return (
            "Could not reach the OS Data Hub: check the internet connection and the proxy "
            "settings (QGIS: Settings → Options → Network), then try again."
        )


class IntegrityError(OSAPIError):
    """A downloaded file's size or md5 is still wrong after retries."""

    exit_code = 5

    def default_message(self) -> str:
        return "A downloaded file was damaged (size or md5 mismatch): download it again."


class UnsafeArchiveError(OSAPIError):
    """A zip that is broken or would write outside its folder or expand absurdly."""

    exit_code = 5

    def default_message(self) -> str:
        return "The zip file is damaged or unsafe and was not unpacked: download it again."


class LocalFileError(OSAPIError):
    """The local disk refused: full, read-only, no permission. Nothing to do with OS."""

    exit_code = 1

    def default_message(self) -> str:
        return "A file could not be written: check the download folder."


def local_file_error(path: object, error: OSError, doing: str = "write") -> LocalFileError:
    """A `LocalFileError` that says what to do about the usual causes."""
    if error.errno == errno.ENOSPC:
        advice = ("the disk is full. Free some space or choose another download folder, then "
                  "download again (what is already downloaded is kept)")
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "there is no permission to write there. Choose another download folder"
    else:
        advice = f"{error.strerror or error}. Check the download folder"
    return LocalFileError(f"Could not {doing} {path}: {advice}.")


class Cancelled(OSAPIError):
    exit_code = 130

    def default_message(self) -> str:
        return "Cancelled."


def redact_url(url: str) -> str:
    """The URL with the values of secret query parameters (key, sig, ...) replaced by `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<url>"
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    cleaned = [(k, "***" if k.lower() in _SECRET_PARAMS and v else v) for k, v in pairs]
    query = urlencode(cleaned, safe="*:/")
    # Keep bare flags such as `&redirect` readable.
    query = re.sub(r"=(?=&|$)", "", query)
    return urlunsplit(parts._replace(query=query))


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every non-empty secret (and secret URL parameters) replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(
        r"(?i)\b(key|sig|access_token)=([^&\s\"'<>]+)",
        lambda m: f"{m.group(1)}=***",
        text,
    )


def server_message(body: bytes | str | None) -> str:
    """Whatever human-readable message an OS gateway put into an error body, or ''.

    The shape varies between gateways (`fault.faultstring`, `error.message`, `message`, ...);
    never fail on an unexpected body.
    """
    if not body:
        return ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data: Any = json.loads(body)
    except ValueError:
        return ""
    for path in (("fault", "faultstring"), ("error", "message"), ("message",), ("error",)):
        node = data
        for step in path:
            node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, str) and node.strip():
            return node.strip()[:300]
    return ""


def error_for_status(
    status: int,
    *,
    what: str,
    body: bytes | str | None = None,
    retry_after: float | None = None,
    secrets: Iterable[str | None] = (),
) -> OSAPIError:
    """The typed error for an HTTP status, its message naming `what` was asked for."""
    detail = redact(server_message(body), secrets)
    suffix = f" The server said: {detail}" if detail else ""
    if status == 401:
        return AuthenticationError(
            f"The API key was refused (401) for {what}: {SETTINGS_HINT}.{suffix}", status=status
        )
    if status == 403:
        return PermissionDeniedError(
            f"Access was denied (403) for {what}: the API key has no rights to it; check the "
            f"project's APIs on the OS Data Hub and {SETTINGS_HINT}.{suffix}",
            status=status,
        )
    if status == 404:
        return NotFoundError(
            f"Not found (404): {what}. Check the product, package, version or file name.{suffix}",
            status=status,
        )
    if status == 429:
        return RateLimited(
            f"The OS Data Hub rate limit was reached (429) for {what}: wait a minute and try "
            f"again, or download fewer files at once.{suffix}",
            retry_after=retry_after,
        )
    if status >= 500:
        return ServerError(
            f"The OS Data Hub had a server error ({status}) for {what}: try again later.{suffix}",
            status=status,
        )
    return BadRequestError(
        f"The OS Data Hub did not accept the request ({status}) for {what}: check the options "
        f"given.{suffix}",
        status=status,
    )
