"""How requests to the OS API host prove who is asking: nothing, the project's API key, or an
OAuth 2 bearer token (client credentials: key + secret).

Every auth has `headers()` (for requests to the API host only, never the storage host),
`secrets()` (values that must never appear in a message) and `invalidate()` (forget a token the
API refused so the next `headers()` fetches a new one).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Union

import requests

from .errors import (
    SETTINGS_HINT,
    AuthenticationError,
    BadRequestError,
    NetworkError,
    OSAPIError,
    error_for_status,
    redact_url,
    remember_secrets,
)
from .http import HttpSettings, make_session
from .phrases import QT_TRANSLATE_NOOP
from .urls import unsafe_reason

TOKEN_PATH = "/oauth2/token/v1"
SECRET_HINT = QT_TRANSLATE_NOOP("api", "check them in Settings → Options → OS Data Hub")
SECRET_REFUSED = QT_TRANSLATE_NOOP("api", "The API key or secret was refused (401): {0}").format(
    SECRET_HINT)


def check_sendable(value: str, what: str) -> str:
    """`value` (a key or secret, `what` names it) if every character of it can be sent in an
    HTTP header, else `AuthenticationError` naming the first that cannot: OS keys are plain
    ASCII letters and digits, so such a character was pasted in (a typographic dash or quote,
    a no-break space) and the key would fail anyway."""
    for char in value:
        if not " " < char < "\x7f":
            raise AuthenticationError(QT_TRANSLATE_NOOP(
                "api", "The {what} contains the character '{char}' (U+{code:04X}), which cannot "
                "be sent: API keys and secrets are plain letters and digits. It was probably "
                "pasted with typographic characters; type it again or copy it from the OS Data "
                "Hub, and {hint}.").format(
                what=what, char=char if char.isprintable() else "?", code=ord(char),
                hint=SETTINGS_HINT))
    return value


API_KEY = QT_TRANSLATE_NOOP("api", "API key")
API_SECRET = QT_TRANSLATE_NOOP("api", "API secret")


class NoAuth:
    """OpenData endpoints need no key."""

    def headers(self) -> dict[str, str]:
        return {}

    def secrets(self) -> tuple[str, ...]:
        return ()

    def invalidate(self) -> None:
        """Nothing to renew."""

    def close(self) -> None:
        """Nothing to release."""

    @property
    def has_key(self) -> bool:
        return False


class ApiKeyAuth:
    """The project's API key in the `key` header (never in a URL that could be logged)."""

    def __init__(self, key: str) -> None:
        key = (key or "").strip()
        if not key:
            raise AuthenticationError(
                QT_TRANSLATE_NOOP("api", "No API key was given: {0}.").format(SETTINGS_HINT))
        self._key = check_sendable(key, API_KEY)
        remember_secrets(self._key)

    def headers(self) -> dict[str, str]:
        return {"key": self._key}

    def secrets(self) -> tuple[str, ...]:
        return (self._key,)

    def invalidate(self) -> None:
        """A key cannot be renewed: a 401 means it is wrong."""

    def close(self) -> None:
        """Nothing to release."""

    @property
    def has_key(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "ApiKeyAuth(key=***)"


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float  # on our own clock
    issued_at: float | None  # the server's, in seconds; informative only (clocks differ)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


class OAuth2ClientCredentials:
    """A bearer token from the OAuth 2 endpoint, cached and renewed `renew_margin` seconds before
    it expires (or at once after `invalidate()`). Thread-safe: one fetch at a time."""

    DEFAULT_LIFETIME = 299.0

    def __init__(
        self,
        key: str,
        secret: str,
        token_url: str,
        *,
        http: HttpSettings | None = None,
        session_factory: Callable[[], requests.Session] | None = None,
        renew_margin: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = (key or "").strip()
        self._secret = (secret or "").strip()
        if not self._key or not self._secret:
            raise AuthenticationError(QT_TRANSLATE_NOOP(
                "api", "OAuth 2 needs both the project's API key and its secret: {0}.").format(
                SETTINGS_HINT))
        check_sendable(self._key, API_KEY)
        check_sendable(self._secret, API_SECRET)
        remember_secrets(self._key, self._secret)
        self.token_url = token_url
        self._http = http or HttpSettings()
        self._session_factory = session_factory or (lambda: make_session(self._http))
        self._session: requests.Session | None = None
        self.renew_margin = renew_margin
        self._clock = clock
        self._token: _Token | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    @property
    def has_key(self) -> bool:
        return True

    def headers(self) -> dict[str, str]:
        with self._lock:
            token = self._token
            if token is None or self._clock() >= token.expires_at - self.renew_margin:
                token = self._token = self._fetch()
            return {"Authorization": f"Bearer {token.value}"}

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def close(self) -> None:
        """Release the token endpoint's connections (a later `headers()` opens new ones)."""
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def secrets(self) -> tuple[str, ...]:
        token = self._token
        return tuple(s for s in (self._key, self._secret, token.value if token else "") if s)

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(token_url={self.token_url!r}, key=***, secret=***)"

    def _fetch(self) -> _Token:
        refused = unsafe_reason(self.token_url)
        if refused is not None:  # the key and secret go nowhere urllib3 reads otherwise
            raise BadRequestError(QT_TRANSLATE_NOOP(
                "api", "The OAuth 2 address '{0}' is refused: {1}.").format(
                redact_url(self.token_url), refused))
        if self._session is None:
            self._session = self._session_factory()
        requested_at = self._clock()
        what = QT_TRANSLATE_NOOP("api", "an OAuth 2 token")
        try:
            response = self._session.post(
                self.token_url,
                auth=(self._key, self._secret),
                data={"grant_type": "client_credentials"},
                headers={"Accept": "application/json"},
                timeout=self._http.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise NetworkError(QT_TRANSLATE_NOOP(
                "api", "The OS Data Hub did not answer in time when asked for {0}: check the "
                "internet connection and the proxy settings, then try again.").format(what)
            ) from exc
        except requests.RequestException as exc:
            raise NetworkError(QT_TRANSLATE_NOOP(
                "api", "Could not reach the OS Data Hub for {0}: check the internet connection "
                "and the proxy settings (QGIS: Settings → Options → Network), then try "
                "again.").format(what)
            ) from exc
        self.fetch_count += 1
        if response.status_code == 401:
            raise AuthenticationError(SECRET_REFUSED, status=401)
        if response.status_code != 200:
            raise error_for_status(
                response.status_code,
                what=what,
                body=response.content,
                secrets=(self._key, self._secret),
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            raise OSAPIError(QT_TRANSLATE_NOOP(
                "api", "The OS Data Hub sent an unexpected answer when asked for an OAuth 2 "
                "token: no access_token."))
        value = data["access_token"].strip()
        remember_secrets(value)
        if not value:
            raise OSAPIError(
                QT_TRANSLATE_NOOP("api", "The OS Data Hub sent an empty OAuth 2 token."))
        lifetime = _number(data.get("expires_in"))
        if lifetime is None or lifetime <= 0:
            lifetime = self.DEFAULT_LIFETIME
        issued_at = _number(data.get("issued_at"))
        if issued_at is not None and issued_at > 1e11:  # milliseconds, as OS documents it
            issued_at /= 1000.0
        # Count from when we asked, on our own clock: the server's issued_at may be skewed.
        return _Token(value=value, expires_at=requested_at + lifetime, issued_at=issued_at)


Auth = Union[NoAuth, ApiKeyAuth, OAuth2ClientCredentials]


def auth_from(
    key: str | None,
    secret: str | None,
    base_url: str = "https://api.os.uk",
    http: HttpSettings | None = None,
) -> Auth:
    """OAuth 2 when a secret is given, the key header when only a key is, else no auth."""
    key = (key or "").strip()
    secret = (secret or "").strip()
    if secret:
        if not key:
            raise AuthenticationError(QT_TRANSLATE_NOOP(
                "api", "An API secret was given without its API key: {0}.").format(SETTINGS_HINT))
        return OAuth2ClientCredentials(
            key, secret, base_url.rstrip("/") + TOKEN_PATH, http=http or HttpSettings()
        )
    if key:
        return ApiKeyAuth(key)
    return NoAuth()
