"""API key and OAuth 2 client credentials, against a real token endpoint on 127.0.0.1."""

from __future__ import annotations

import base64
import threading
from typing import Any, Callable, Iterator, List
from urllib.parse import parse_qs

import pytest
from os_data_hub_loader.api.auth import (
    SECRET_REFUSED,
    ApiKeyAuth,
    NoAuth,
    OAuth2ClientCredentials,
    auth_from,
)
from os_data_hub_loader.api.errors import AuthenticationError, NetworkError, OSAPIError, ServerError

KEY = "demo-key-1234567890"
SECRET = "demo-secret-abcdef"
TOKEN_PATH = "/oauth2/token/v1"


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


Make = Callable[..., OAuth2ClientCredentials]


@pytest.fixture
def make() -> Iterator[Make]:
    """Builds OAuth 2 helpers and closes them afterwards, so no socket is left open."""
    made: List[OAuth2ClientCredentials] = []

    def build(*args: Any, **kwargs: Any) -> OAuth2ClientCredentials:
        made.append(OAuth2ClientCredentials(*args, **kwargs))
        return made[-1]

    yield build
    for auth in made:
        auth.close()


def token_endpoint(scripted: Any, lifetimes: List[Any], issued_at: Any = "1576249823754") -> None:
    """Answer each POST with a new token; expires_in taken from `lifetimes` in turn."""
    count = {"n": 0}

    def reply(request: Any) -> Any:
        count["n"] += 1
        lifetime = lifetimes[min(count["n"], len(lifetimes)) - 1]
        return scripted.Reply(
            200,
            {
                "access_token": f"token-{count['n']}",
                "expires_in": lifetime,
                "issued_at": issued_at,
                "token_type": "Bearer",
            },
        )

    scripted.handle(TOKEN_PATH, reply)


def test_no_auth_and_api_key() -> None:
    assert NoAuth().headers() == {} and NoAuth().secrets() == ()
    auth = ApiKeyAuth(f"  {KEY}\n")
    assert auth.headers() == {"key": KEY}
    assert auth.secrets() == (KEY,)
    assert KEY not in repr(auth)
    with pytest.raises(AuthenticationError):
        ApiKeyAuth("   ")


def test_auth_from_picks_the_scheme() -> None:
    assert isinstance(auth_from(None, None, "https://api.os.uk"), NoAuth)
    assert isinstance(auth_from("  ", "", "https://api.os.uk"), NoAuth)
    assert isinstance(auth_from(KEY, None, "https://api.os.uk"), ApiKeyAuth)
    oauth = auth_from(KEY, SECRET, "https://api.os.uk/")
    assert isinstance(oauth, OAuth2ClientCredentials)
    assert oauth.token_url == "https://api.os.uk/oauth2/token/v1"
    with pytest.raises(AuthenticationError, match="without its API key"):
        auth_from(None, SECRET, "https://api.os.uk")


def test_token_request_and_caching(scripted: Any, make: Make) -> None:
    token_endpoint(scripted, [299])
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH, clock=FakeClock())
    assert auth.headers() == {"Authorization": "Bearer token-1"}
    assert auth.headers() == {"Authorization": "Bearer token-1"}
    (request,) = scripted.hits(TOKEN_PATH)
    assert request.method == "POST"
    expected = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert parse_qs(request.body.decode()) == {"grant_type": ["client_credentials"]}
    assert set(auth.secrets()) == {KEY, SECRET, "token-1"}
    assert SECRET not in repr(auth) and KEY not in repr(auth)


@pytest.mark.parametrize("lifetime", [60, "60", 60.0, " 60 "])
def test_renewed_before_expiry(scripted: Any, lifetime: Any, make: Make) -> None:
    token_endpoint(scripted, [lifetime], issued_at=1576249823754)
    clock = FakeClock()
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH, renew_margin=30, clock=clock)
    assert auth.headers()["Authorization"] == "Bearer token-1"
    clock.now += 29  # 31 s left: still good
    assert auth.headers()["Authorization"] == "Bearer token-1"
    clock.now += 2  # 29 s left: inside the margin, renew
    assert auth.headers()["Authorization"] == "Bearer token-2"
    assert len(scripted.hits(TOKEN_PATH)) == 2


def test_short_expiry_with_real_clock(scripted: Any, make: Make) -> None:
    token_endpoint(scripted, ["1"])
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH, renew_margin=0.5)
    first = auth.headers()["Authorization"]
    threading.Event().wait(0.6)
    assert auth.headers()["Authorization"] != first


def test_invalidate_fetches_a_new_token(scripted: Any, make: Make) -> None:
    token_endpoint(scripted, [299])
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH, clock=FakeClock())
    assert auth.headers()["Authorization"] == "Bearer token-1"
    auth.invalidate()
    assert auth.headers()["Authorization"] == "Bearer token-2"


def test_missing_or_garbled_expires_in_uses_a_safe_default(scripted: Any, make: Make) -> None:
    scripted.on(TOKEN_PATH, scripted.Reply(200, {"access_token": "t", "expires_in": "soon"}))
    clock = FakeClock()
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH, clock=clock)
    auth.headers()
    clock.now += 200
    auth.headers()
    assert len(scripted.hits(TOKEN_PATH)) == 1


def test_one_fetch_for_many_threads(scripted: Any, make: Make) -> None:
    token_endpoint(scripted, [299])
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH)
    seen: List[str] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        seen.append(auth.headers()["Authorization"])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["Bearer token-1"] * 8
    assert len(scripted.hits(TOKEN_PATH)) == 1


def test_401_from_token_endpoint(scripted: Any, make: Make) -> None:
    scripted.on(
        TOKEN_PATH,
        scripted.Reply(401, {"fault": {"faultstring": f"Invalid client {KEY}:{SECRET}"}}),
    )
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH)
    with pytest.raises(AuthenticationError) as caught:
        auth.headers()
    assert str(caught.value) == SECRET_REFUSED
    assert caught.value.exit_code == 3
    assert KEY not in str(caught.value) and SECRET not in str(caught.value)


def test_server_error_and_garbage_from_token_endpoint(scripted: Any, make: Make) -> None:
    auth = make(KEY, SECRET, scripted.url + TOKEN_PATH)
    scripted.on(TOKEN_PATH, scripted.Reply(503, b"busy"))
    with pytest.raises(ServerError):
        auth.headers()
    scripted.on(TOKEN_PATH, scripted.Reply(200, b"<html>login</html>"))
    with pytest.raises(OSAPIError, match="unexpected answer"):
        auth.headers()


def test_unreachable_token_endpoint(make: Make) -> None:
    auth = make(KEY, SECRET, "http://127.0.0.1:9/oauth2/token/v1")
    with pytest.raises(NetworkError) as caught:
        auth.headers()
    assert SECRET not in str(caught.value)
