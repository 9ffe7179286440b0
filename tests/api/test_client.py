"""The Downloads API client over real HTTP on 127.0.0.1, with a scripted server for the odd cases
(recorded bodies, garbled answers, hand-made redirects, statuses on demand)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth, NoAuth, OAuth2ClientCredentials
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.errors import (
    AuthenticationError,
    BadRequestError,
    Cancelled,
    NetworkError,
    NotFoundError,
    OSAPIError,
    PermissionDeniedError,
    RateLimited,
    ServerError,
)
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.ratelimit import RateLimiter
from os_data_hub_loader.api.transport import url_origin

KEY = "client-test-key-0123456789"
API = "/downloads/v1"
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def client(scripted: Any) -> Iterator[DownloadsClient]:
    with DownloadsClient(scripted.url, auth=ApiKeyAuth(KEY), retry=FAST) as made:
        yield made


def recorded(recordings: Path, name: str) -> bytes:
    return (recordings / name).read_bytes()


def test_urls_and_origin() -> None:
    made = DownloadsClient("https://API.os.uk/")
    assert made.api_url == "https://API.os.uk/downloads/v1"
    assert made.api_origin == "https://api.os.uk:443"
    assert url_origin("http://127.0.0.1:8080/x?y") == "http://127.0.0.1:8080"
    assert isinstance(made.auth, NoAuth)
    made.close()
    with pytest.raises(BadRequestError):
        DownloadsClient("api.os.uk")


def test_products_with_key_header(client: DownloadsClient, scripted: Any, recordings: Path) -> None:
    scripted.on(
        f"{API}/products", scripted.Reply(200, recorded(recordings, "products_sample_2021-02.json"))
    )
    products = client.products()
    assert len(products) == 7 and products[-1].id == "OpenGreenspace"
    (request,) = scripted.hits(f"{API}/products")
    assert request.headers["key"] == KEY
    assert request.path == f"{API}/products"
    assert "user-agent" in request.headers and "OSDataHubLoader" in request.headers["user-agent"]
    client.products(expanded=True)
    assert scripted.requests[-1].path == f"{API}/products?expanded"


def test_product(client: DownloadsClient, scripted: Any, recordings: Path) -> None:
    scripted.on(
        f"{API}/products/OpenGreenspace",
        scripted.Reply(200, recorded(recordings, "product_OpenGreenspace_2021-02.json")),
    )
    product = client.product("OpenGreenspace")
    assert product.name == "OS Open Greenspace"


def test_product_id_is_path_encoded(client: DownloadsClient, scripted: Any) -> None:
    with pytest.raises(NotFoundError, match="product 'a/b c'"):
        client.product("a/b c")
    assert scripted.requests[-1].path == f"{API}/products/a%2Fb%20c"


def test_format_with_registered_sign_is_encoded(
    client: DownloadsClient, scripted: Any, recordings: Path
) -> None:
    body = recorded(
        recordings, "product_OpenGreenspace_downloads_area-HT_format-ESRI-Shapefile_2021-02.json"
    )
    scripted.on(f"{API}/products/OpenGreenspace/downloads", scripted.Reply(200, body))
    (download,) = client.product_downloads("OpenGreenspace", areas=["ht"], format="ESRI® Shapefile")
    assert download.md5 == "38a059aec5a63ffa95f6ffd942a4cbc9"
    query = scripted.requests[-1].path.split("?", 1)[1]
    assert "format=ESRI%C2%AE+Shapefile" in query
    assert "area=HT" in query


def test_several_areas_filtered_here(client: DownloadsClient, scripted: Any) -> None:
    files = [
        {"url": "u1", "fileName": "a_hp.zip", "area": "HP", "format": "GeoPackage", "size": 1},
        {"url": "u2", "fileName": "a_su.zip", "area": "su", "format": "GeoPackage", "size": "2"},
        {"url": "u3", "fileName": "a_tq.zip", "area": "TQ", "format": "GeoPackage", "size": 3},
        {"url": "u4", "fileName": "a_su.gml", "area": "SU", "format": "GML", "subformat": "3"},
    ]
    scripted.on(f"{API}/products/P/downloads", scripted.Reply(200, files))
    found = client.product_downloads("P", areas=["SU", "hp", "SU"], format="GeoPackage")
    assert [d.file_name for d in found] == ["a_hp.zip", "a_su.zip"]
    query = scripted.requests[-1].path
    assert "area=" not in query and "format=GeoPackage" in query
    # Format names are compared exactly, subformats too.
    assert client.product_downloads("P", format="geopackage") == []
    assert [d.file_name for d in client.product_downloads("P", subformat="3")] == ["a_su.gml"]


def test_unknown_area_named_before_any_request(client: DownloadsClient, scripted: Any) -> None:
    with pytest.raises(BadRequestError, match="'XX'"):
        client.product_downloads("P", areas=["SU", "XX"])
    assert scripted.requests == []


def test_data_package_endpoints(client: DownloadsClient, scripted: Any, recordings: Path) -> None:
    scripted.on(
        f"{API}/dataPackages",
        scripted.Reply(200, recorded(recordings, "docs_example_data_packages.json")),
    )
    one = json.loads(recorded(recordings, "docs_example_data_packages.json"))[0]
    scripted.on(f"{API}/dataPackages/0040046952", scripted.Reply(200, one))
    scripted.on(
        f"{API}/dataPackages/0040046952/versions",
        scripted.Reply(200, recorded(recordings, "docs_example_data_package_versions.json")),
    )
    scripted.on(
        f"{API}/dataPackages/0040046952/versions/latest",
        scripted.Reply(200, recorded(recordings, "docs_example_data_package_version_detail.json")),
    )
    assert client.data_packages()[0].id == "0040046952"
    assert client.data_package("0040046952").name == "Southampton Addresses"
    assert client.data_package_versions("0040046952")[0].id == "110012"
    detail = client.data_package_version("0040046952", "latest")
    assert detail.id == "110012" and detail.downloads[0].file_name == "data.zip"
    assert all(r.headers.get("key") == KEY for r in scripted.requests)
    assert client.package_file_url("0040046952", "110012", "a b&c.zip") == (
        f"{scripted.url}{API}/dataPackages/0040046952/versions/110012/downloads"
        "?fileName=a%20b%26c.zip"
    )


def test_product_image_follows_redirect_without_the_key(
    client: DownloadsClient, scripted: Any, storage: Any
) -> None:
    jpeg = b"\xff\xd8\xff\xe0fake-jpeg"
    scripted.on(
        f"{API}/products/P/images/1",
        scripted.Reply(307, {}, {"Location": f"{storage.url}/thumbs/p1.jpg?sig=abc"}),
    )
    storage.on("/thumbs/p1.jpg", storage.Reply(200, jpeg, {"Content-Type": "image/jpeg"}))
    assert client.product_image("P", 1, large=True) == jpeg
    assert scripted.requests[-1].path == f"{API}/products/P/images/1?large"
    (fetched,) = storage.requests
    assert "key" not in fetched.headers and "authorization" not in fetched.headers


def test_an_image_over_the_limit_is_refused_with_the_limit_as_a_size(
    client: DownloadsClient, scripted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os_data_hub_loader.api.client.MAX_IMAGE_BYTES", 200_000)
    scripted.on(f"{API}/products/P/images/1",
                scripted.Reply(200, b"\xff" * 300_000, {"Content-Type": "image/jpeg"}))
    with pytest.raises(OSAPIError, match=r"image 1 of product 'P' is larger than 200\.0 kB\."):
        client.product_image("P", 1)


def test_json_redirect_to_another_host_carries_no_key(
    client: DownloadsClient, scripted: Any, storage: Any
) -> None:
    scripted.on(
        f"{API}/products", scripted.Reply(302, b"", {"Location": f"{storage.url}/elsewhere"})
    )
    storage.on("/elsewhere", storage.Reply(200, []))
    assert client.products() == []
    assert "key" not in storage.requests[0].headers


def test_retries_429_then_succeeds(client: DownloadsClient, scripted: Any) -> None:
    scripted.on(
        f"{API}/products",
        scripted.Reply(429, b"", {"Retry-After": "0.2"}),
        scripted.Reply(429, b"{}"),
        scripted.Reply(200, []),
    )
    start = time.monotonic()
    assert client.products() == []
    assert len(scripted.hits(f"{API}/products")) == 3
    assert time.monotonic() - start >= 0.2  # Retry-After honoured


def test_retries_5xx_then_succeeds(client: DownloadsClient, scripted: Any) -> None:
    scripted.on(
        f"{API}/products",
        scripted.Reply(503, b"<html>busy</html>", {"Content-Type": "text/html"}),
        scripted.Reply(504),
        scripted.Reply(500),
        scripted.Reply(200, []),
    )
    assert client.products() == []
    assert len(scripted.hits(f"{API}/products")) == 4


def test_gives_up_after_the_attempts(client: DownloadsClient, scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(429, b"", {"Retry-After": "0"}))
    with pytest.raises(RateLimited) as caught:
        client.products()
    assert caught.value.retry_after == 0.0
    assert len(scripted.hits(f"{API}/products")) == FAST.attempts
    scripted.on(f"{API}/products", scripted.Reply(503))
    with pytest.raises(ServerError, match="the list of products"):
        client.products()


def test_no_retry_on_client_errors(client: DownloadsClient, scripted: Any) -> None:
    for status, error in (
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ):
        scripted.requests.clear()
        scripted.on(f"{API}/products/X", scripted.Reply(status, {"message": "nope"}))
        with pytest.raises(error, match="nope"):
            client.product("X")
        assert len(scripted.requests) == 1


def test_401_message_never_shows_the_key(client: DownloadsClient, scripted: Any) -> None:
    body = {"fault": {"faultstring": f"Invalid ApiKey {KEY}", "detail": {"errorcode": "x"}}}
    scripted.on(f"{API}/dataPackages", scripted.Reply(401, body))
    with pytest.raises(AuthenticationError) as caught:
        client.data_packages()
    message = str(caught.value)
    assert "401" in message and "the list of data packages" in message
    assert KEY not in message
    assert caught.value.exit_code == 3


@pytest.mark.parametrize(
    "body",
    [b"<html>Please log in to the proxy</html>", b"", b"{not json", b"\xff\xfe"],
)
def test_invalid_json_is_a_clear_error(client: DownloadsClient, scripted: Any, body: bytes) -> None:
    scripted.on(f"{API}/products", scripted.Reply(200, body, {"Content-Type": "text/html"}))
    with pytest.raises(OSAPIError, match="unexpected answer.*the list of products.*JSON"):
        client.products()


def test_wrong_json_shape_is_a_clear_error(client: DownloadsClient, scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(200, {"products": []}))
    with pytest.raises(OSAPIError, match="unexpected answer"):
        client.products()
    scripted.on(f"{API}/products/X", scripted.Reply(200, {"name": "no id"}))
    with pytest.raises(OSAPIError, match="'id'"):
        client.product("X")


def test_connection_refused_is_a_network_error() -> None:
    with DownloadsClient("http://127.0.0.1:9", auth=ApiKeyAuth(KEY), retry=FAST) as made:
        with pytest.raises(NetworkError) as caught:
            made.products()
    assert "the list of products" in str(caught.value) and KEY not in str(caught.value)


def test_timeout_is_a_network_error(scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(200, [], delay=0.5))
    retry = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.01)
    with DownloadsClient(scripted.url, http=HttpSettings(timeout=0.1), retry=retry) as made:
        with pytest.raises(NetworkError, match="no answer within 0.1 s"):
            made.products()
    assert len(scripted.hits(f"{API}/products")) == 2


def test_cancel_interrupts_a_retry_wait(scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(503, b"", {"Retry-After": "30"}))
    cancel = CancelToken()
    retry = RetryPolicy(attempts=3, base_delay=0.01, max_delay=60)
    with DownloadsClient(scripted.url, retry=retry, cancel=cancel) as made:
        threading.Timer(0.2, cancel.cancel).start()
        start = time.monotonic()
        with pytest.raises(Cancelled):
            made.products()
    assert time.monotonic() - start < 5


def test_rate_limiter_is_used(scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(200, []))
    with DownloadsClient(scripted.url, rate_limiter=RateLimiter(60)) as made:  # burst of 6
        start = time.monotonic()
        for _ in range(7):
            made.products()
    assert time.monotonic() - start >= 0.8


def test_oauth_token_renewed_once_on_401(scripted: Any) -> None:
    issued = {"n": 0}

    def token(_: Any) -> Any:
        issued["n"] += 1
        return scripted.Reply(200, {"access_token": f"tok{issued['n']}", "expires_in": "299"})

    def products(request: Any) -> Any:
        if request.headers.get("authorization") == "Bearer tok1":
            return scripted.Reply(401, {"fault": {"faultstring": "Access Token expired"}})
        return scripted.Reply(200, [])

    scripted.handle("/oauth2/token/v1", token)
    scripted.handle(f"{API}/products", products)
    auth = OAuth2ClientCredentials(KEY, "s3cret", scripted.url + "/oauth2/token/v1")
    with DownloadsClient(scripted.url, auth=auth, retry=FAST) as made:
        assert made.products() == []
    auth.close()
    assert issued["n"] == 2
    assert [r.headers.get("authorization") for r in scripted.hits(f"{API}/products")] == [
        "Bearer tok1",
        "Bearer tok2",
    ]
