"""Every path closes its connections (issue 13), with urllib3 1.26 and 2.x alike.

The API client, the OS Maps client, OAuth 2 and the CLI are closed after the call, and the
download engine closes its own connections before `download()` returns. Then no socket of this
process may still be connected to the server: on success, on 4xx/5xx answers (retried or not),
after redirects, a body cut off midway, a timeout or a cancel — while the error raised is still
held (as a task, a download result or a caller's `except` block holds it), and with the cyclic
garbage collector paused, so that nothing is closed only because garbage happened to be
collected. With urllib3 2.x `Session.close()` alone left such sockets open (see
`api.http.PoolClosingAdapter`).

Real servers on 127.0.0.1 (tests/api/conftest.py, tests/api/download_server.py); the sockets
are read from /proc (Linux).
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from os_data_hub_loader.api import cli
from os_data_hub_loader.api.auth import ApiKeyAuth, OAuth2ClientCredentials
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import DownloadEngine, DownloadItem
from os_data_hub_loader.api.errors import (
    AuthenticationError,
    Cancelled,
    IntegrityError,
    NetworkError,
    NotFoundError,
    OSAPIError,
    PermissionDeniedError,
    RateLimited,
    ServerError,
)
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.wmts import MapsClient
from testsupport import garbage_collection_paused, load_download_server, open_connections_to

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/net/tcp").exists(), reason="reads the open sockets from Linux's /proc"
)

KEY = "key-0123456789"
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
SHORT = HttpSettings(timeout=0.5)
PRODUCTS = "/downloads/v1/products"
IMAGE = "/downloads/v1/products/OpenGreenspace/images/1"
TOKEN = "/oauth2/token/v1"
WMTS = "/maps/raster/v1/wmts"
BIG = b"x" * (1024 * 1024)


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def outcome(call):
    """What `call()` returned or the `OSAPIError` it raised (kept, as a caller would)."""
    try:
        return call()
    except OSAPIError as error:
        return error


def check(result, expected: type[OSAPIError] | None) -> None:
    if expected is None:
        assert not isinstance(result, BaseException), result
    else:
        assert isinstance(result, expected), result


# --- the Downloads API client -----------------------------------------------------------------


def reply(status: int, body=b"", headers=None, **kw) -> dict:
    """The arguments of a scripted server's `Reply` (that class comes with the fixture)."""
    return dict(status=status, body=body, headers=headers or {}, **kw)


REFUSED = {"error": {"message": "refused"}}
CLIENT_CASES = {
    "success": ({PRODUCTS: reply(200, [])}, None),
    "404": ({PRODUCTS: reply(404, REFUSED)}, NotFoundError),
    "500-retried": ({PRODUCTS: reply(500, REFUSED)}, ServerError),
    "429-retried": ({PRODUCTS: reply(429, REFUSED, {"Retry-After": "0"})}, RateLimited),
    "401": ({PRODUCTS: reply(401, REFUSED)}, AuthenticationError),
    "malformed-json": ({PRODUCTS: reply(200, b'[{"id": "OpenGr')}, OSAPIError),
    "html-page": ({PRODUCTS: reply(200, b"<html>log in</html>", {"Content-Type": "text/html"})},
                  OSAPIError),
    "body-cut-off": ({PRODUCTS: reply(200, b"[" + b" " * 100_000 + b"]", cut=1000)},
                     NetworkError),
    "timeout": ({PRODUCTS: reply(200, [], delay=1.5)}, NetworkError),
    "redirect-then-503": (
        {PRODUCTS: reply(302, b"", {"Location": "/moved"}), "/moved": reply(503, REFUSED)},
        ServerError,
    ),
}


@pytest.mark.parametrize("case", list(CLIENT_CASES))
def test_downloads_client_closes_its_connections(scripted, case):
    routes, expected = CLIENT_CASES[case]
    for path, spec in routes.items():
        scripted.on(path, scripted.Reply(**spec))
    with garbage_collection_paused():
        client = DownloadsClient(scripted.url, ApiKeyAuth(KEY), SHORT, FAST_RETRY)
        result = outcome(client.products)
        client.close()
        check(result, expected)
        assert open_connections_to(port_of(scripted.url)) == []


IMAGE_CASES = {
    "success": (reply(200, BIG, {"Content-Type": "image/jpeg"}), None),
    "403-with-a-big-body": (reply(403, BIG, {"Content-Type": "text/html"}),
                            PermissionDeniedError),
    "503-retried": (reply(503, BIG), ServerError),
    "body-cut-off": (reply(200, BIG, cut=300_000), NetworkError),
    "redirect-to-storage-404": (reply(307, b"", {"Location": "{storage}/thumb.jpg"}),
                                NotFoundError),
}


@pytest.mark.parametrize("case", list(IMAGE_CASES))
def test_streamed_answers_close_their_connections(scripted, storage, case):
    spec, expected = IMAGE_CASES[case]
    headers = {k: v.format(storage=storage.url) for k, v in spec["headers"].items()}
    scripted.on(IMAGE, scripted.Reply(**{**spec, "headers": headers}))
    with garbage_collection_paused():
        client = DownloadsClient(scripted.url, ApiKeyAuth(KEY), SHORT, FAST_RETRY)
        result = outcome(lambda: client.product_image("OpenGreenspace", 1))
        client.close()
        check(result, expected)
        if expected is None:
            assert result == BIG
        assert open_connections_to(port_of(scripted.url), port_of(storage.url)) == []


def test_a_cancel_while_waiting_to_retry_closes_the_connections(scripted):
    scripted.on(PRODUCTS, scripted.Reply(503, {"error": {"message": "busy"}}))
    cancel = CancelToken()
    timer = threading.Timer(0.3, cancel.cancel)
    with garbage_collection_paused():
        slow_retry = RetryPolicy(attempts=5, base_delay=10, max_delay=10)
        client = DownloadsClient(scripted.url, ApiKeyAuth(KEY), SHORT, slow_retry, cancel=cancel)
        timer.start()
        result = outcome(client.products)
        client.close()
        timer.join()
        check(result, Cancelled)
        assert open_connections_to(port_of(scripted.url)) == []


# --- OS Maps ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["capabilities", "capabilities-503", "not-xml", "tile-403"])
def test_maps_client_closes_its_connections(scripted, recordings, case):
    document = (recordings / "wmts_getcapabilities_2020-10.xml").read_bytes()
    xml = {"Content-Type": "text/xml"}
    reply, expected = {
        "capabilities": (scripted.Reply(200, document, xml), None),
        "capabilities-503": (scripted.Reply(503, b"<html>busy</html>"), ServerError),
        "not-xml": (scripted.Reply(200, b"<html>log in", {"Content-Type": "text/html"}),
                    OSAPIError),
        "tile-403": (scripted.Reply(403, BIG), PermissionDeniedError),
    }[case]
    scripted.on(WMTS, reply)
    with garbage_collection_paused():
        client = MapsClient(scripted.url, key=KEY, http=SHORT, retry=FAST_RETRY)
        if case == "tile-403":
            result = outcome(lambda: client.get_tile("Road_27700", "EPSG:27700", 7, 1, 2))
        else:
            result = outcome(client.capabilities)
        client.close()
        check(result, expected)
        assert open_connections_to(port_of(scripted.url)) == []


# --- OAuth 2 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["token", "401", "500", "not-json", "timeout"])
def test_oauth2_closes_its_connections(scripted, case):
    reply, expected = {
        "token": (scripted.Reply(200, {"access_token": "t", "expires_in": "299"}), None),
        "401": (scripted.Reply(401, {"error": "invalid_client"}), AuthenticationError),
        "500": (scripted.Reply(500, {"error": "down"}), ServerError),
        "not-json": (scripted.Reply(200, b"<html>", {"Content-Type": "text/html"}), OSAPIError),
        "timeout": (scripted.Reply(200, {"access_token": "t"}, delay=1.5), NetworkError),
    }[case]
    scripted.on(TOKEN, reply)
    with garbage_collection_paused():
        auth = OAuth2ClientCredentials(KEY, "secret-0123456789", scripted.url + TOKEN, http=SHORT)
        result = outcome(auth.headers)
        auth.close()
        check(result, expected)
        assert open_connections_to(port_of(scripted.url)) == []


# --- the download engine ------------------------------------------------------------------------


download_server = load_download_server()


@pytest.fixture
def servers():
    with download_server.DownloadServers() as pair:
        yield pair


def _arm(servers, case: str) -> None:
    faults = servers.faults
    if case == "api-503-retried":
        faults.fail_next(503, times=100, target="api")
    elif case == "storage-500-retried":
        faults.fail_next(500, times=100, target="storage")
    elif case == "expired-signed-urls":
        faults.url_lifetime = -1.0
    elif case == "wrong-md5":
        faults.corrupt_times = 100
    elif case == "dropped-midway-resumed":
        faults.drop_after_bytes(50_000, times=100)
    elif case == "dropped-at-once":
        faults.drop_after_bytes(0, times=100)
    elif case == "stalled-past-the-timeout":
        faults.stall_seconds = 1.5
    elif case == "cancelled-midway":
        faults.bytes_per_second = 200_000.0


ENGINE_CASES = {
    "success": None,
    "missing-file-404": NotFoundError,
    "refused-key-401": AuthenticationError,
    "api-503-retried": ServerError,
    "storage-500-retried": ServerError,
    "expired-signed-urls": PermissionDeniedError,
    "wrong-md5": IntegrityError,
    "dropped-midway-resumed": None,  # each try gets further: resumed until done
    "dropped-at-once": NetworkError,
    "stalled-past-the-timeout": NetworkError,
    "cancelled-midway": Cancelled,
}


@pytest.mark.parametrize("case", list(ENGINE_CASES))
def test_download_engine_closes_its_connections(servers, tmp_path, case):
    expected = ENGINE_CASES[case]
    items = []
    for number in range(3):
        served = servers.add_file(f"file{number}.zip", bytes([number]) * 300_000)
        name = "not-there.zip" if case == "missing-file-404" else served.name
        items.append(DownloadItem(servers.url_for(name), served.name, served.size, served.md5))
    _arm(servers, case)
    key = "wrong" if case == "refused-key-401" else download_server.API_KEY
    engine = DownloadEngine(servers.api_url, ApiKeyAuth(key), SHORT, FAST_RETRY, workers=2,
                            chunk_size=16 * 1024)
    cancel = CancelToken()
    timer = threading.Timer(0.3, cancel.cancel)
    with garbage_collection_paused():
        if case == "cancelled-midway":
            timer.start()
        results = engine.download(items, tmp_path, cancel=cancel)
        timer.cancel()
        for result in results:
            check(result.error, expected)
        assert open_connections_to(port_of(servers.api_url), port_of(servers.storage_url)) == []


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 404, 500])
def test_cli_closes_its_connections(scripted, monkeypatch, capsys, status):
    scripted.on(PRODUCTS, scripted.Reply(status, [] if status == 200 else {"error": "no"}))
    for name, value in {"OS_API_BASE_URL": scripted.url, "OS_API_RETRY_ATTEMPTS": "3",
                        "OS_API_RETRY_BASE_DELAY": "0.01", "OS_API_RETRY_MAX_DELAY": "0.05",
                        "OS_API_KEY": KEY}.items():
        monkeypatch.setenv(name, value)
    with garbage_collection_paused():
        code = cli.main(["products"])
        assert code == {200: 0, 404: 4, 500: 6}[status], capsys.readouterr().err
        assert open_connections_to(port_of(scripted.url)) == []
