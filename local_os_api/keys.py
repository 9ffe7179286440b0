"""Demo credentials, OAuth 2 tokens and key resolution, like the OS API gateway."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

DEMO_KEY = "local-demo-key"
DEMO_SECRET = "local-demo-secret"
PREMIUM_KEY = "local-premium-key"
PREMIUM_SECRET = "local-premium-secret"
NO_PACKAGES_KEY = "local-empty-key"
NO_PACKAGES_SECRET = "local-empty-secret"

SECRETS = {DEMO_KEY: DEMO_SECRET, PREMIUM_KEY: PREMIUM_SECRET, NO_PACKAGES_KEY: NO_PACKAGES_SECRET}
PACKAGE_KEYS = {DEMO_KEY, PREMIUM_KEY}
PREMIUM_KEYS = {PREMIUM_KEY}


def fault(faultstring: str, errorcode: str) -> dict:
    return {"fault": {"faultstring": faultstring, "detail": {"errorcode": errorcode}}}


MISSING_KEY = fault("Failed to resolve API Key variable request.header.key",
                    "steps.oauth.v2.FailedToResolveAPIKey")
INVALID_KEY = fault("Invalid ApiKey", "oauth.v2.InvalidApiKey")
INVALID_TOKEN = fault("Invalid access token", "oauth.v2.InvalidAccessToken")
EXPIRED_TOKEN = fault("Access Token expired", "keymanagement.service.access_token_expired")


class AuthError(Exception):
    """Authentication failed: answer 401 with `body`."""

    def __init__(self, body: dict) -> None:
        super().__init__(body["fault"]["faultstring"])
        self.body = body


@dataclass
class Token:
    key: str
    expires_at: float


class TokenStore:
    """Access tokens issued by `POST /oauth2/token/v1`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}

    def issue(self, key: str, lifetime: float) -> tuple[str, int]:
        token = secrets.token_urlsafe(24)
        issued_ms = int(time.time() * 1000)
        with self._lock:
            self._tokens[token] = Token(key, time.time() + lifetime)
        return token, issued_ms

    def resolve(self, token: str) -> str:
        with self._lock:
            found = self._tokens.get(token)
        if found is None:
            raise AuthError(INVALID_TOKEN)
        if time.time() >= found.expires_at:
            raise AuthError(EXPIRED_TOKEN)
        return found.key


def resolve_key(headers, query: dict[str, list[str]], tokens: TokenStore) -> str | None:
    """The caller's project key: `Authorization: Bearer`, then the `key` header, then the
    lower-case `key` query parameter. None when none was sent; AuthError when invalid."""
    authorization = headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return tokens.resolve(authorization[7:].strip())
    key = headers.get("key")
    if key is None and "key" in query:
        key = query["key"][0]
    if key is None:
        return None
    if key not in SECRETS:
        raise AuthError(INVALID_KEY)
    return key


def require_key(key: str | None) -> str:
    if key is None:
        raise AuthError(MISSING_KEY)
    return key
