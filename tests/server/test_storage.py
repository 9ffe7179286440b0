"""The storage host: signed URLs, Range requests, streaming, and what it never receives."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from local_os_api import DEMO_KEY

HT = "/downloads/v1/products/OpenGreenspace/downloads?area=HT&format=ESRI%C2%AE+Shapefile&redirect"


def test_full_download_matches_the_listing(client, os_api):
    location = client.location(HT)
    response = client.get(location)
    assert response.status_code == 200
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["ETag"].startswith('"0x')
    assert response.headers["Content-Type"] == "application/zip"
    assert int(response.headers["Content-Length"]) == len(response.content) == 4101
    row = next(r for r in os_api.catalogue.downloads("OpenGreenspace")
               if r["fileName"] == "opgrsp_essh_ht.zip")
    assert hashlib.md5(response.content).hexdigest() == row["md5"].lower()


def test_range_requests(client):
    location = client.location(HT)
    whole = client.get(location).content
    part = client.get(location, headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-{len(whole) - 1}/{len(whole)}"
    assert part.content == whole[100:]
    middle = client.get(location, headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == whole[10:20]
    assert middle.headers["Content-Length"] == "10"
    suffix = client.get(location, headers={"Range": "bytes=-5"})
    assert suffix.status_code == 206 and suffix.content == whole[-5:]
    beyond = client.get(location, headers={"Range": f"bytes={len(whole)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(whole)}"


def test_bad_signature_is_403(client):
    location = client.location(HT)
    tampered = location.replace("sig=", "sig=AAAA")
    response = client.get(tampered)
    assert response.status_code == 403
    assert "<Code>AuthenticationFailed</Code>" in response.text
    unsigned = location.split("?")[0]
    assert client.get(unsigned).status_code == 403
    other_file = location.replace("opgrsp_essh_ht.zip", "opgrsp_essh_hp.zip")
    assert client.get(other_file).status_code == 403


def test_expired_url_is_403(client, os_api):
    os_api.faults.url_lifetime(0)
    location = client.location(HT)
    response = client.get(location)
    assert response.status_code == 403
    assert "Signed expiry time" in response.text


def test_url_expires_after_its_lifetime(client, os_api):
    os_api.faults.url_lifetime(1)
    location = client.location(HT)
    assert client.get(location).status_code in (200, 403)  # second boundary
    time.sleep(2.1)
    assert client.get(location).status_code == 403


def test_default_expiry_is_one_hour(client):
    location = client.location(HT)
    expiry = dict(p.split("=") for p in urlsplit(location).query.split("&"))["se"]
    stamp = time.mktime(time.strptime(expiry.replace("%3A", ":"), "%Y-%m-%dT%H:%M:%SZ"))
    stamp -= time.timezone if not time.daylight else time.altzone
    assert 3590 < stamp - time.time() < 3610


def test_storage_never_sees_the_key(client, os_api):
    location = client.location(HT, headers={"key": DEMO_KEY})
    client.get(location)
    storage = [r for r in os_api.requests if r.server == "storage"]
    api = [r for r in os_api.requests if r.server == "api"]
    assert storage and api
    assert any(k.lower() == "key" for k in api[0].headers)
    for request in storage:
        assert "key" not in {k.lower() for k in request.headers}
        assert "authorization" not in {k.lower() for k in request.headers}
        assert "key=" not in request.query


def test_unknown_blob_with_valid_signature_is_404(client, os_api):
    query = os_api.signer.sign("/downloads/Nothing/x.zip", 60)
    response = client.get(f"{os_api.storage_url}/downloads/Nothing/x.zip?{query}")
    assert response.status_code == 404
    assert "<Code>BlobNotFound</Code>" in response.text


def test_large_file_streams_with_range(client, os_api):
    listing = os_api.add_large_file(3 * 1024 * 1024 + 17)
    assert listing["size"] == 3 * 1024 * 1024 + 17
    assert listing["fileName"].startswith("BenchLargeFile")
    products = client.get("/downloads/v1/products/BenchLargeFile/downloads").json()
    assert products[0]["md5"] == listing["md5"]
    location = client.location(listing["url"])
    with client.get(location, stream=True) as response:
        digest = hashlib.md5()
        for chunk in response.iter_content(1 << 16):
            digest.update(chunk)
    assert digest.hexdigest() == listing["md5"]
    tail = client.get(location, headers={"Range": f"bytes={listing['size'] - 100}-"})
    assert tail.status_code == 206 and len(tail.content) == 100
    again = os_api.add_large_file(3 * 1024 * 1024 + 17)  # cached on disk: same content
    assert again["md5"] == listing["md5"]
