"""Which host a URL really reaches, as urllib3 (the HTTP library under `requests`) will connect,
and whether credentials may go there.

`urlsplit` and urllib3 read some URLs differently: `http://evil\\@api-host/` is `api-host` to
`urlsplit` and `evil` to urllib3. Such URLs (a backslash, userinfo, control characters or
spaces, a host the two parsers disagree on) are refused outright: no request goes to them. Every
comparison of origins (the transport, the download engine) goes through `origin()`.
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from .errors import redact_url
from .phrases import QT_TRANSLATE_NOOP, Phrase

DEFAULT_PORTS = {"http": 80, "https": 443}


class Origin(NamedTuple):
    """scheme, host (lower case, IPv6 without brackets) and port (the default filled in)."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def _both_parsers(url: str) -> tuple[Origin, Origin]:
    """The origin as urllib3 reads it and as `urlsplit` does; ValueError if either cannot."""
    try:
        ours = parse_url(url)
    except LocationParseError as error:
        raise ValueError(str(error)) from None
    theirs = urlsplit(url)
    scheme = (ours.scheme or "").lower()
    default = DEFAULT_PORTS.get(scheme, 0)
    host = (ours.host or "").lower().strip("[]")
    return (
        Origin(scheme, host, ours.port or default),
        Origin(theirs.scheme.lower(), (theirs.hostname or "").lower(), theirs.port or default),
    )


def unsafe_reason(url: str) -> Phrase | None:
    """Why a request must not go to `url` at all (None if it may): not http(s), an ambiguous
    authority, or a host `urlsplit` and urllib3 would read differently."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return QT_TRANSLATE_NOOP("api", "it contains spaces or control characters")
    if "\\" in url:
        return QT_TRANSLATE_NOOP("api", "it contains a backslash")
    try:
        ours, theirs = _both_parsers(url)
        userinfo = parse_url(url).auth is not None or "@" in urlsplit(url).netloc
    except ValueError:
        return QT_TRANSLATE_NOOP("api", "it cannot be read as a URL")
    if ours.scheme not in DEFAULT_PORTS:
        return QT_TRANSLATE_NOOP("api", "it is not an http:// or https:// address")
    if userinfo:
        return QT_TRANSLATE_NOOP("api", "it carries a user name or password (user@host)")
    if not ours.host or ours != theirs or "%" in ours.host or not ours.host.isascii():
        return QT_TRANSLATE_NOOP("api", "its host name is ambiguous")
    return None


def origin(url: str) -> Origin | None:
    """The origin urllib3 will connect to; None for a URL refused by `unsafe_reason`."""
    if unsafe_reason(url) is not None:
        return None
    return _both_parsers(url)[0]


def is_loopback(url: str) -> bool:
    """Whether `url` reaches this machine only (localhost, 127.0.0.0/8, ::1)."""
    found = origin(url)
    if found is None:
        return False
    if found.host == "localhost" or found.host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(found.host).is_loopback
    except ValueError:
        return False


def downgrade_reason(from_url: str, to_url: str) -> Phrase | None:
    """Why a redirect from `from_url` to `to_url` must not be followed: https → http."""
    if urlsplit(from_url).scheme.lower() == "https" and urlsplit(to_url).scheme.lower() != "https":
        return QT_TRANSLATE_NOOP("api", "it leaves https for plain http")
    return None


def plain_http_warning(base_url: str) -> Phrase | None:
    """The warning for an `http://` API address that is not this machine's, else None."""
    if urlsplit(base_url.strip()).scheme.lower() != "http" or is_loopback(base_url.strip()):
        return None
    return QT_TRANSLATE_NOOP(
        "api", "The API address {0} is plain http://: the API key, the secret and the data go "
        "over the network unencrypted. Use https:// unless you trust every network in "
        "between.").format(redact_url(base_url.strip()))


__all__ = ["Origin", "downgrade_reason", "is_loopback", "origin", "plain_http_warning",
           "unsafe_reason"]
