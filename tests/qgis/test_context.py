"""`ApiContext`, the QGIS side's only builder of API clients: its connection is the settings,
QGIS's network settings and the stored credentials as they were when it was taken, and every
client it makes (for the dock, Processing, the basemap service) uses its retry policy and
its one rate limiter. Against the local OS API server."""

from __future__ import annotations

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth, NoAuth
from os_data_hub_loader.api.clients import RETRY_DEFAULT, RETRY_QUICK
from os_data_hub_loader.api.errors import NetworkError, ServerError
from os_data_hub_loader.api.http import RetryPolicy
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from qgis.core import QgsNetworkAccessManager

from local_os_api import DEMO_KEY

DEAD_URL = "http://127.0.0.1:9"
THREE_FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)


@pytest.fixture()
def context(os_api, monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    made = ApiContext()
    settings = made.settings
    kept = settings.workers, settings.requests_per_minute, QgsNetworkAccessManager.timeout()
    yield made
    settings.workers, settings.requests_per_minute = kept[:2]
    QgsNetworkAccessManager.setTimeout(kept[2])
    made.close()


def hits(os_api, path_part: str) -> list:
    return [r for r in os_api.requests if r.server == "api" and path_part in r.path]


def test_a_connection_keeps_the_settings_it_was_taken_with(context, os_api, monkeypatch):
    context.settings.workers = 3
    context.settings.requests_per_minute = 120
    QgsNetworkAccessManager.setTimeout(25_000)
    taken = context.connection()
    assert (taken.base_url, taken.workers, taken.http.timeout) == (os_api.url, 3, 25.0)
    assert taken.retry is RETRY_DEFAULT and isinstance(taken.auth, NoAuth)
    assert taken.rate_limiter is context.rate_limiter  # one per-minute budget

    monkeypatch.setenv("OS_API_BASE_URL", DEAD_URL)
    context.settings.workers = 5
    context.settings.requests_per_minute = 60
    QgsNetworkAccessManager.setTimeout(40_000)
    assert (taken.base_url, taken.workers, taken.http.timeout) == (os_api.url, 3, 25.0)
    with taken.downloads_client() as client:  # still reaches the server it was taken for
        assert client.products()
    assert taken.download_engine().workers == 3

    now = context.connection()
    assert (now.base_url, now.workers, now.http.timeout) == (DEAD_URL, 5, 40.0)
    assert now.rate_limiter is not None and now.rate_limiter.requests_per_minute == 60
    with now.downloads_client() as client, pytest.raises(NetworkError):
        client.products()


def test_a_connection_may_be_taken_for_another_address_and_the_quick_policy(context, os_api,
                                                                            monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", DEAD_URL)
    os_api.faults.fail_next(503, times=100)
    quick = context.connection(retry=RETRY_QUICK, base_url=f" {os_api.url}/ ")
    assert quick.base_url == os_api.url
    with quick.downloads_client() as client, pytest.raises(ServerError):
        client.products()
    assert len(hits(os_api, "/products")) == 2


def test_the_contexts_clients_use_its_policy_and_the_key_given(context, os_api, auth_db):
    assert CredentialStore().save(Credentials(DEMO_KEY))
    context.retry = THREE_FAST
    auth = context.auth()
    assert isinstance(auth, ApiKeyAuth)
    with context.downloads_client(auth=auth) as client:
        assert client.data_packages()
    with context.maps_client(DEMO_KEY) as maps:
        assert maps.capabilities().layers
    keyed = hits(os_api, "/dataPackages") + hits(os_api, "/maps/")
    assert keyed and all(r.headers.get("key") == DEMO_KEY for r in keyed)

    os_api.clear_requests()
    os_api.faults.fail_next(503, times=100)
    with context.downloads_client() as client, pytest.raises(ServerError):
        client.products()
    with context.maps_client(DEMO_KEY) as maps, pytest.raises(ServerError):
        maps.capabilities()
    assert len(hits(os_api, "/products")) == 3 and len(hits(os_api, "/maps/")) == 3
    assert context.download_engine(auth).retry is THREE_FAST
