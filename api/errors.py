"""Typed errors with messages a person can act on.

Every message is safe to show: it never contains an API key, a bearer token or the signature of
a signed storage URL. Use `redact_url()` on any URL before putting it into a message.

Messages are `api.phrases.Phrase`s (English text the plugin can translate): make them with
`QT_TRANSLATE_NOOP("api", "...").format(...)`, never with f-strings.
"""

from __future__ import annotations

import errno
import html
import json
import re
from typing import Any, Iterable
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from .phrases import QT_TRANSLATE_NOOP, Phrase, join

SETTINGS_HINT = QT_TRANSLATE_NOOP("api", "check it in Settings → Options → OS Data Hub")

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
        return QT_TRANSLATE_NOOP("api", "The OS Data Hub request failed.")


class AuthenticationError(OSAPIError):
    """401: key missing, wrong or expired."""

    exit_code = 3

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP("api", "The API key was refused (401): {hint}.").format(
            hint=SETTINGS_HINT)


class PermissionDeniedError(OSAPIError):
    """403: the key works but has no rights to this resource (or a signed URL expired)."""

    exit_code = 3

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "Access was denied (403): the API key has no rights to this data; check the "
            "project's APIs on the OS Data Hub and {hint}.").format(hint=SETTINGS_HINT)


class NotFoundError(OSAPIError):
    exit_code = 4

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "Not found (404): check the product, package, version or file name.")


class BadRequestError(OSAPIError):
    exit_code = 6

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "The OS Data Hub did not accept the request (400): check the options given.")


class RateLimited(OSAPIError):
    """429: too many requests. `retry_after` is the server's hint in seconds, if it sent one."""

    exit_code = 6

    def __init__(
        self, message: str = "", *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "The OS Data Hub rate limit was reached (429): wait a minute and try again, "
            "or download fewer files at once.")


class ServerError(OSAPIError):
    exit_code = 6

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP("api", "The OS Data Hub had a server error: try again later.")


class NetworkError(OSAPIError):
    """No answer: connection refused or dropped, DNS, TLS, timeout, proxy."""

    exit_code = 6

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "Could not reach the OS Data Hub: check the internet connection and the proxy "
            "settings (QGIS: Settings → Options → Network), then try again.")


class IntegrityError(OSAPIError):
    """A downloaded file's size or md5 is still wrong after retries."""

    exit_code = 5

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "A downloaded file was damaged (size or md5 mismatch): download it again.")


class UnsafeArchiveError(OSAPIError):
    """A zip that is broken or would write outside its folder or expand absurdly."""

    exit_code = 5

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "api", "The zip file is damaged or unsafe and was not unpacked: download it again.")


class LocalFileError(OSAPIError):
    """The local disk refused: full, read-only, no permission. Nothing to do with OS."""

    exit_code = 1

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP("api", "A file could not be written: check the download folder.")


WRITE = QT_TRANSLATE_NOOP("api", "Could not write {path}: {advice}.")
CREATE_FOLDER = QT_TRANSLATE_NOOP("api", "Could not create the download folder {path}: {advice}.")


def local_file_error(path: object, error: OSError, message: str = WRITE) -> LocalFileError:
    """A `LocalFileError` that says what to do about the usual causes. `message` has the
    fields `{path}` and `{advice}`: `WRITE` or `CREATE_FOLDER`."""
    if error.errno == errno.ENOSPC:
        advice = QT_TRANSLATE_NOOP(
            "api", "the disk is full. Free some space or choose another download folder, then "
            "download again (what is already downloaded is kept)")
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = QT_TRANSLATE_NOOP(
            "api", "there is no permission to write there. Choose another download folder")
    else:
        advice = QT_TRANSLATE_NOOP("api", "{0}. Check the download folder").format(
            error.strerror or error)
    return LocalFileError(as_phrase(message).format(path=path, advice=advice))


def as_phrase(text: str) -> Phrase:
    """`text` as a `Phrase` (one that is not translated if it is a plain string)."""
    return text if isinstance(text, Phrase) else Phrase(None, text)


class Cancelled(OSAPIError):
    exit_code = 130

    def default_message(self) -> str:
        return QT_TRANSLATE_NOOP("api", "Cancelled.")


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


# Every secret an auth was made with (and every bearer token fetched) in this process, so that
# text redacted without its auth at hand (QGIS's log and message bar, an unexpected error) is
# cleaned too. Only values long enough not to hit ordinary words.
_REMEMBERED: set[str] = set()
_REMEMBERED_MIN_LENGTH = 8


def remember_secrets(*secrets: str | None) -> None:
    """Have every later `redact()` remove these values too (OS keys, secrets, tokens)."""
    for secret in secrets:
        if secret and len(secret) >= _REMEMBERED_MIN_LENGTH:
            _REMEMBERED.add(secret)


def secret_forms(secret: str) -> set[str]:
    """The ways `secret` can appear in text: raw, URL-encoded (`%xx`, lower-case hex, `+` for
    spaces), inside a repr (str and bytes), JSON- and XML-escaped, and with its whitespace
    collapsed as one-line messages do."""
    forms = {secret, " ".join(secret.split())}
    for encoded in (quote(secret, safe=""), quote(secret), quote_plus(secret)):
        forms.add(encoded)
        forms.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded))
    forms.add(repr(secret)[1:-1])
    forms.add(ascii(secret)[1:-1])
    forms.add(repr(secret.encode("utf-8", "replace"))[2:-1])
    forms.add(json.dumps(secret)[1:-1])
    forms.add(json.dumps(secret, ensure_ascii=False)[1:-1])
    forms.add(html.escape(secret))
    return {form for form in forms if form.strip()}


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with every non-empty secret (in every form of `secret_forms`, and those remembered
    by `remember_secrets`) and secret URL parameters (`key=`, `sig=`, ...) replaced by `***`."""
    text = str(text)
    forms: set[str] = set()
    for secret in {*(s for s in secrets if s), *_REMEMBERED}:
        forms |= secret_forms(secret)
    for form in sorted(forms, key=len, reverse=True):  # the longest first: no half-replaced forms
        text = text.replace(form, "***")
    return re.sub(
        r"(?i)\b(key|sig|access_token)(=|%3D)([^&\s\"'<>]+)",
        lambda m: f"{m.group(1)}{m.group(2)}***",
        text,
    )


def redact_data(data: Any, secrets: Iterable[str | None] = ()) -> Any:
    """A JSON-like value with `redact()` applied to every string in it (keys too)."""
    secrets = tuple(secrets)
    if isinstance(data, str):
        return redact(data, secrets)
    if isinstance(data, dict):
        return {redact_data(k, secrets): redact_data(v, secrets) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [redact_data(item, secrets) for item in data]
    return data


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
    cls: type[OSAPIError]
    if status == 401:
        cls, message = AuthenticationError, QT_TRANSLATE_NOOP(
            "api", "The API key was refused (401) for {what}: {hint}.").format(
            what=what, hint=SETTINGS_HINT)
    elif status == 403:
        cls, message = PermissionDeniedError, QT_TRANSLATE_NOOP(
            "api", "Access was denied (403) for {what}: the API key has no rights to it; check "
            "the project's APIs on the OS Data Hub and {hint}.").format(
            what=what, hint=SETTINGS_HINT)
    elif status == 404:
        cls, message = NotFoundError, QT_TRANSLATE_NOOP(
            "api", "Not found (404): {what}. Check the product, package, version or file "
            "name.").format(what=what)
    elif status == 429:
        cls, message = RateLimited, QT_TRANSLATE_NOOP(
            "api", "The OS Data Hub rate limit was reached (429) for {what}: wait a minute and "
            "try again, or download fewer files at once.").format(what=what)
    elif status >= 500:
        cls, message = ServerError, QT_TRANSLATE_NOOP(
            "api", "The OS Data Hub had a server error ({status}) for {what}: try again "
            "later.").format(status=status, what=what)
    else:
        cls, message = BadRequestError, QT_TRANSLATE_NOOP(
            "api", "The OS Data Hub did not accept the request ({status}) for {what}: check the "
            "options given.").format(status=status, what=what)
    detail = redact(server_message(body), secrets)
    if detail:
        message = join((message, QT_TRANSLATE_NOOP("api", "The server said: {0}").format(detail)))
    if cls is RateLimited:
        return RateLimited(message, retry_after=retry_after)
    return cls(message, status=status)
