"""Every fault switch, in process and through POST /__faults__."""

from __future__ import annotations

import hashlib
import socket
import time
from urllib.parse import urlsplit

import requests

from local_os_api import DEMO_KEY

HT = "/downloads/v1/products/OpenGreenspace/downloads?area=HT&format=ESRI%C2%AE+Shapefile&redirect"
PRODUCTS = "/downloads/v1/products"


def raw_get(url: str, headers: str = "") -> bytes:
    """The raw bytes a server sends until it closes the connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: x\r\n{headers}\r\n"
                     .encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk


def test_drop_after_bytes(client, os_api):
    os_api.faults.drop_after_bytes(1000, times=2)
    location = client.location(HT)
    for _ in range(2):
        raw = raw_get(location)
        head, _, body = raw.partition(b"\r\n\r\n")
        assert b"Content-Length: 4101" in head
        assert len(body) == 1000
    full = client.get(location)
    assert len(full.content) == 4101
    os_api.faults.drop_after_bytes(10)
    try:  # depending on the urllib3 version: an error, or a short body
        assert len(client.get(location).content) == 10
    except requests.exceptions.RequestException:
        pass


def test_drop_applies_to_ranges_too(client, os_api):
    location = client.location(HT)
    os_api.faults.drop_after_bytes(50)
    raw = raw_get(location, "Range: bytes=100-\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 206") and len(body) == 50


def test_fail_next_api_with_retry_after(client, os_api):
    os_api.faults.fail_next(429, times=2, retry_after=3)
    for _ in range(2):
        response = client.get(PRODUCTS)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert "fault" in response.json()
    assert client.get(PRODUCTS).status_code == 200


def test_fail_next_targets(client, os_api):
    location = client.location(HT)
    os_api.faults.fail_next(503, target="storage")
    assert client.get(PRODUCTS).status_code == 200
    failed = client.get(location)
    assert failed.status_code == 503 and "Retry-After" not in failed.headers
    assert client.get(location).status_code == 200
    os_api.faults.fail_next(500, times=2, target="any")
    assert client.get(location).status_code == 500
    assert client.get(PRODUCTS).status_code == 500
    assert client.get(PRODUCTS).status_code == 200


def test_wrong_md5(client, os_api):
    def listed(name):
        items = client.get("/downloads/v1/products/OpenGreenspace/downloads",
                           params={"area": "HT"}).json()
        return {i["fileName"]: i["md5"] for i in items}[name]

    good = listed("opgrsp_essh_ht.zip")
    os_api.faults.wrong_md5("opgrsp_essh_ht.zip")
    bad = listed("opgrsp_essh_ht.zip")
    assert bad != good and bad.isupper() and len(bad) == 32
    assert listed("opgrsp_gpkg_ht.zip") != bad
    data = client.get(client.location(HT)).content
    assert hashlib.md5(data).hexdigest() == good.lower()  # the file is unchanged
    os_api.faults.reset()
    os_api.faults.wrong_md5()
    detail = client.get("/downloads/v1/dataPackages/0040046952/versions/latest",
                        headers={"key": DEMO_KEY}).json()
    item = detail["downloads"][0]
    data = client.get(client.location(item["url"], headers={"key": DEMO_KEY})).content
    assert hashlib.md5(data).hexdigest() != item["md5"]


def test_slow(client, os_api):
    os_api.faults.slow(8000)
    location = client.location(HT)
    started = time.monotonic()
    assert len(client.get(location).content) == 4101
    assert time.monotonic() - started > 0.4


def test_control_endpoint(client, os_api):
    response = client.post("/__faults__", json=[
        {"action": "fail_next", "status": 503, "retry_after": 1},
        {"action": "url_lifetime", "seconds": 0},
    ])
    assert response.status_code == 200
    failed = client.get(PRODUCTS)
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "1"
    assert client.get(client.location(HT)).status_code == 403
    assert client.post("/__faults__", json={"action": "reset"}).status_code == 200
    assert client.get(client.location(HT)).status_code == 200
    assert client.post("/__faults__", json={"action": "explode"}).status_code == 400
    client.post("/__faults__", json={"action": "token_numbers_as_strings", "value": True})
    assert os_api.token_numbers_as_strings is True
    assert all(r.path != "/__faults__" for r in os_api.requests)


def test_reset(os_api):
    os_api.faults.fail_next(500, times=10)
    os_api.faults.drop_after_bytes(1)
    os_api.faults.slow(1)
    os_api.faults.url_lifetime(0)
    os_api.faults.reset()
    assert os_api.faults.take_failure("api") is None
    assert os_api.faults.take_drop() is None
    assert os_api.faults.bytes_per_second is None
    assert os_api.faults.current_url_lifetime == 3600
