"""Signed storage URLs shaped like Azure blob SAS URLs (`sv, spr, se, sr, sp, sig`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from datetime import datetime, timezone
from urllib.parse import quote, unquote

SAS_VERSION = "2020-04-08"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class UrlSigner:
    def __init__(self) -> None:
        self._secret = os.urandom(32)

    def _signature(self, path: str, expiry: str) -> str:
        message = f"r\n{unquote(path)}\n{expiry}\n{SAS_VERSION}".encode()
        return base64.b64encode(hmac.new(self._secret, message, hashlib.sha256).digest()).decode()

    def sign(self, path: str, lifetime: float) -> str:
        """The query string of a signed URL for `path`, valid for `lifetime` seconds."""
        expiry = _iso(time.time() + lifetime)
        sig = self._signature(path, expiry)
        return (f"sv={SAS_VERSION}&spr=https&se={quote(expiry, safe='')}&sr=b&sp=r"
                f"&sig={quote(sig, safe='')}")

    def check(self, path: str, params: dict[str, list[str]]) -> str | None:
        """None when the URL is valid, else what Azure would say is wrong."""
        expiry = params.get("se", [""])[0]
        sig = params.get("sig", [""])[0]
        if not expiry or not sig:
            return "Signature fields not well formed."
        if not hmac.compare_digest(sig, self._signature(path, expiry)):
            return ("Signature did not match. String to sign used was r\n"
                    f"{unquote(path)}\n{expiry}\n{SAS_VERSION}")
        try:
            expires = datetime.strptime(expiry, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return "Signature fields not well formed."
        if expires.timestamp() <= time.time():
            now = _iso(time.time())
            return f"Signed expiry time [{expiry}] must be after signed start time [{now}]"
        return None
