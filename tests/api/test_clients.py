"""`api.clients.ApiConnection` against the local OS API server: every client and the engine it
builds carries its address, auth, retry policy and the one shared rate limiter; it is a
snapshot that nothing changes after it was taken."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from pathlib import Path
from typing import Any, List

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth, NoAuth, OAuth2ClientCredentials
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.cli import EPILOG
from os_data_hub_loader.api.clients import RETRY_DEFAULT, RETRY_QUICK, ApiConnection
from os_data_hub_loader.api.errors import AuthenticationError, Cancelled, ServerError
from os_data_hub_loader.api.http import RetryPolicy
from os_data_hub_loader.api.ratelimit import RateLimiter

local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
DEMO_SECRET: str = local_os_api.DEMO_SECRET
THREE_FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)


def hits(os_api: Any, server: str, path_part: str) -> List[Any]:
    return [r for r in os_api.requests if r.server == server and path_part in r.path]


def test_the_downloads_client_tries_as_often_as_the_connections_policy(os_api: Any) -> None:
    os_api.faults.fail_next(503, times=100)
    with ApiConnection(os_api.url, retry=THREE_FAST).downloads_client() as client:
        with pytest.raises(ServerError):
            client.products()
    assert len(hits(os_api, "api", "/products")) == 3


def test_the_maps_client_sends_the_key_with_the_connections_policy(os_api: Any) -> None:
    connection = ApiConnection(os_api.url, retry=THREE_FAST)
    with connection.maps_client(DEMO_KEY) as client:
        assert client.capabilities().layers
    assert all(r.headers.get("key") == DEMO_KEY for r in hits(os_api, "api", "/maps/"))
    os_api.clear_requests()
    os_api.faults.fail_next(503, times=100)
    with connection.maps_client(DEMO_KEY) as client:
        with pytest.raises(ServerError):
            client.capabilities()
    assert len(hits(os_api, "api", "/maps/")) == 3
    with pytest.raises(AuthenticationError):
        connection.maps_client("")


def test_the_engine_downloads_with_the_connections_auth_and_policy(
    os_api: Any, tmp_path: Path
) -> None:
    connection = ApiConnection(os_api.url, retry=THREE_FAST).with_auth(ApiKeyAuth(DEMO_KEY))
    with connection.downloads_client() as client:
        row = min(client.product_downloads("OpenGreenspace"), key=lambda d: d.size or 0)
    engine = connection.download_engine()
    [result] = engine.download([row.to_item()], tmp_path / "ok")
    assert result.error is None and (tmp_path / "ok" / row.file_name).is_file()
    assert all(r.headers.get("key") == DEMO_KEY for r in hits(os_api, "api", "/downloads"))
    os_api.clear_requests()
    os_api.faults.fail_next(503, times=100, target="storage")
    [failed] = engine.download([row.to_item()], tmp_path / "failed")
    assert isinstance(failed.error, ServerError)
    assert len(hits(os_api, "storage", row.file_name)) == 3


def test_signed_in_carries_the_key_or_oauth_and_leaves_the_original_alone(os_api: Any) -> None:
    anonymous = ApiConnection(os_api.url, retry=THREE_FAST)
    keyed = anonymous.signed_in(DEMO_KEY)
    assert isinstance(anonymous.auth, NoAuth) and isinstance(keyed.auth, ApiKeyAuth)
    with keyed.downloads_client() as client:
        assert client.data_packages()
    with anonymous.downloads_client() as client:
        with pytest.raises(AuthenticationError):
            client.data_packages()
    oauth = anonymous.signed_in(DEMO_KEY, DEMO_SECRET)
    try:
        assert isinstance(oauth.auth, OAuth2ClientCredentials)
        with oauth.downloads_client() as client:
            assert client.data_packages()
        assert hits(os_api, "api", "/oauth2/token")
    finally:
        oauth.auth.close()


def test_a_connection_cannot_be_changed_once_taken(os_api: Any) -> None:
    connection = ApiConnection(os_api.url, retry=RETRY_QUICK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        connection.base_url = "http://127.0.0.1:9"  # type: ignore[misc]
    moved = dataclasses.replace(connection, base_url="http://127.0.0.1:9")
    with connection.downloads_client() as client:
        assert client.products()
    assert moved.base_url != connection.base_url


def test_every_client_of_a_connection_counts_against_its_one_rate_limiter(os_api: Any) -> None:
    # 6 requests a minute: one request at once, the next one 10 s later.
    connection = ApiConnection(os_api.url, retry=THREE_FAST, rate_limiter=RateLimiter(6))
    with connection.downloads_client() as client:
        client.products()
    token = CancelToken()  # another client has to wait for the same limiter: stop it waiting
    threading.Timer(0.3, token.cancel).start()
    start = time.monotonic()
    with connection.maps_client(DEMO_KEY, token) as maps:
        with pytest.raises(Cancelled):
            maps.capabilities()
    assert 0.2 < time.monotonic() - start < 5
    assert not hits(os_api, "api", "/maps/")


def test_the_quick_policy_gives_up_after_one_retry_within_seconds(os_api: Any) -> None:
    os_api.faults.fail_next(503, times=100)
    start = time.monotonic()
    with ApiConnection(os_api.url, retry=RETRY_QUICK).downloads_client() as client:
        with pytest.raises(ServerError):
            client.products()
    assert len(hits(os_api, "api", "/products")) == 2
    assert time.monotonic() - start < 5


def test_the_command_line_help_states_the_default_policy() -> None:
    defaults = {name: float(value) for name, value in re.findall(
        r"(OS_API_RETRY_\w+)\s.*\(default ([\d.]+)\)", EPILOG)}
    assert defaults == {
        "OS_API_RETRY_ATTEMPTS": RETRY_DEFAULT.attempts,
        "OS_API_RETRY_BASE_DELAY": RETRY_DEFAULT.base_delay,
        "OS_API_RETRY_MAX_DELAY": RETRY_DEFAULT.max_delay,
    }
