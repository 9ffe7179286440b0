"""The client against the local OS API server: every endpoint, the key where it belongs and
nowhere else, faults injected by the server."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
import requests
from os_data_hub_loader.api.auth import ApiKeyAuth, NoAuth, OAuth2ClientCredentials
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.errors import AuthenticationError, NotFoundError, RateLimited
from os_data_hub_loader.api.http import RetryPolicy

local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
DEMO_SECRET: str = local_os_api.DEMO_SECRET
NO_PACKAGES_KEY: str = local_os_api.NO_PACKAGES_KEY
FAST = RetryPolicy(attempts=4, base_delay=0.02, max_delay=0.1)
PACKAGE = "0040046952"


@pytest.fixture
def server(os_api: Any) -> Iterator[Any]:
    os_api.faults.reset()
    os_api.clear_requests()
    yield os_api
    os_api.faults.reset()


@pytest.fixture
def client(server: Any) -> Iterator[DownloadsClient]:
    with DownloadsClient(server.url, auth=ApiKeyAuth(DEMO_KEY), retry=FAST) as made:
        yield made


def test_products_and_product(client: DownloadsClient, server: Any) -> None:
    products = client.products()
    assert "OpenGreenspace" in [p.id for p in products]
    expanded = client.products(expanded=True)
    assert any(p.formats for p in expanded)
    product = client.product("OpenGreenspace")
    assert product.name == "OS Open Greenspace"
    assert any(f.format == "ESRI® Shapefile" for f in product.formats)
    with pytest.raises(NotFoundError, match="product 'Nope'"):
        client.product("Nope")
    api_requests = [r for r in server.requests if r.server == "api"]
    assert api_requests and all(r.headers.get("key") == DEMO_KEY for r in api_requests)
    assert all("key=" not in r.query for r in api_requests)


def test_downloads_with_registered_sign_in_the_format(client: DownloadsClient, server: Any) -> None:
    found = client.product_downloads("OpenGreenspace", areas=["ht"], format="ESRI® Shapefile")
    assert [(d.area, d.format) for d in found] == [("HT", "ESRI® Shapefile")]
    query = [r for r in server.requests if r.path.endswith("/downloads")][-1].query
    assert "format=ESRI%C2%AE+Shapefile" in query or "format=ESRI%C2%AE%20Shapefile" in query
    several = client.product_downloads("OpenGreenspace", areas=["HT", "HP"], format="GeoPackage")
    assert sorted(d.area or "" for d in several) == ["HP", "HT"]


def test_image_redirect_sends_no_key_to_storage(client: DownloadsClient, server: Any) -> None:
    image = client.product_image("OpenGreenspace", 1)
    assert image[:2] == b"\xff\xd8"  # JPEG
    stored = [r for r in server.requests if r.server == "storage"]
    assert stored
    for request in stored:
        names = {name.lower() for name in request.headers}
        assert "key" not in names and "authorization" not in names


def test_data_package_endpoints(client: DownloadsClient) -> None:
    packages = client.data_packages()
    assert PACKAGE in [p.id for p in packages]
    assert client.data_package(PACKAGE).name == "Southampton Addresses"
    versions = client.data_package_versions(PACKAGE)
    assert versions
    latest = client.data_package_version(PACKAGE, "latest")
    assert latest.downloads
    again = client.data_package_version(PACKAGE, latest.id)
    assert again.id == latest.id
    url = client.package_file_url(PACKAGE, latest.id, latest.downloads[0].file_name)
    answer = requests.get(url, headers={"key": DEMO_KEY}, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 307)
    answer.close()


def test_no_packages_yet(server: Any) -> None:
    with DownloadsClient(server.url, auth=ApiKeyAuth(NO_PACKAGES_KEY), retry=FAST) as made:
        assert made.data_packages() == []


def test_wrong_key_is_refused_and_not_shown(server: Any) -> None:
    wrong = "not-a-real-key-0123456789"
    with DownloadsClient(server.url, auth=ApiKeyAuth(wrong), retry=FAST) as made:
        with pytest.raises(AuthenticationError) as caught:
            made.data_packages()
    assert "401" in str(caught.value) and wrong not in str(caught.value)
    with DownloadsClient(server.url, auth=NoAuth(), retry=FAST) as made:
        with pytest.raises(AuthenticationError):
            made.data_packages()


def test_retries_429_and_503_then_succeeds(client: DownloadsClient, server: Any) -> None:
    server.faults.fail_next(429, times=2, retry_after=0)
    assert client.products()
    server.faults.fail_next(503, times=2)
    assert client.products()
    assert len([r for r in server.requests if r.path.endswith("/products")]) == 6


def test_persistent_429_gives_up(client: DownloadsClient, server: Any) -> None:
    server.faults.fail_next(429, times=FAST.attempts)
    with pytest.raises(RateLimited):
        client.products()


def test_oauth_tokens_with_string_numbers_and_short_lifetime(server: Any) -> None:
    server.token_numbers_as_strings = True
    server.token_lifetime = 2
    auth = OAuth2ClientCredentials(
        DEMO_KEY, DEMO_SECRET, server.url + "/oauth2/token/v1", renew_margin=1.5
    )
    try:
        with DownloadsClient(server.url, auth=auth, retry=FAST) as made:
            assert made.data_packages()
            assert made.data_packages()
            assert auth.fetch_count == 1
            time.sleep(0.6)  # inside the renewal margin now
            assert made.data_packages()
            assert auth.fetch_count == 2
        api_requests = [r for r in server.requests if "dataPackages" in r.path]
        assert all(r.headers.get("Authorization", "").startswith("Bearer ") for r in api_requests)
        assert all("key" not in {n.lower() for n in r.headers} for r in api_requests)
    finally:
        server.token_numbers_as_strings = False
        server.token_lifetime = 299
        auth.close()
