"""The fault switches added for the fault-injection matrix (tests/faults): truncated bodies,
abortive drops, a storage host that goes away, spoiled API answers and hostile files."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import time
import zipfile
from urllib.parse import urlsplit

import pytest
import requests

from local_os_api import DEMO_KEY
from local_os_api.faults import parse_cli_fault

HT = "/downloads/v1/products/OpenGreenspace/downloads?area=HT&format=ESRI%C2%AE+Shapefile&redirect"
PRODUCTS = "/downloads/v1/products"
PACKAGE_VERSION = "/downloads/v1/dataPackages/0040046952/versions/110012"


def raw_exchange(url: str) -> tuple[bytes, bytes, str]:
    """(head, body, how the connection ended: 'fin' or 'rst')."""
    parts = urlsplit(url)
    data = b""
    ending = "fin"
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                ending = "rst"
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body, ending


def test_truncate_body_claims_the_whole_length_and_ends_cleanly(client, os_api):
    os_api.faults.truncate_body(700, times=2)
    location = client.location(HT)
    for _ in range(2):
        head, body, ending = raw_exchange(location)
        assert b"Content-Length: 4101" in head
        assert len(body) == 700 and ending == "fin"
    assert len(client.get(location).content) == 4101


def test_drop_with_reset_ends_abortively(client, os_api):
    os_api.faults.drop_after_bytes(500, reset=True)
    head, body, ending = raw_exchange(client.location(HT))
    assert b"Content-Length: 4101" in head
    assert ending == "rst" and len(body) <= 500


def test_server_gone_cuts_the_download_then_hangs_up_until_reset(client, os_api):
    os_api.faults.server_gone(after_bytes=300)
    location = client.location(HT)
    head, body, _ = raw_exchange(location)
    assert b"Content-Length: 4101" in head and len(body) <= 300
    for _ in range(2):
        with pytest.raises(requests.RequestException):
            client.get(location)
    assert client.get(PRODUCTS).status_code == 200  # the API host is still there
    os_api.faults.reset()
    assert len(client.get(location).content) == 4101


def test_server_gone_for_a_while(client, os_api):
    os_api.faults.server_gone(after_bytes=0, seconds=0.5)
    location = client.location(HT)
    with pytest.raises(requests.RequestException):
        client.get(location)  # cut at byte 0: the body never comes
    with pytest.raises(requests.RequestException):
        client.get(location)
    time.sleep(0.6)
    assert len(client.get(location).content) == 4101


def test_bad_answer_malformed_json_once(client, os_api):
    good = client.get(PRODUCTS).content
    os_api.faults.bad_answer("malformed_json")
    bad = client.get(PRODUCTS)
    assert bad.status_code == 200 and bad.headers["Content-Type"].startswith("application/json")
    assert bad.content == good[: len(good) // 2]
    with pytest.raises(ValueError):
        json.loads(bad.content)
    assert client.get(PRODUCTS).content == good  # byte-exact again


def test_bad_answer_html_error_page_and_path_filter(client, os_api):
    os_api.faults.bad_answer("html_error", times=2, path="/dataPackages")
    assert client.get(PRODUCTS).status_code == 200
    page = client.get("/downloads/v1/dataPackages", headers={"key": DEMO_KEY})
    assert page.status_code == 502 and page.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in page.content
    os_api.faults.reset()
    os_api.faults.bad_answer("html_error", status=200)
    login = client.get(PRODUCTS)
    assert login.status_code == 200 and login.headers["Content-Type"].startswith("text/html")


def test_bad_answer_unknown_fields_and_empty_lists(client, os_api):
    good = client.get(PACKAGE_VERSION, headers={"key": DEMO_KEY}).json()
    os_api.faults.bad_answer("unknown_fields")
    extra = client.get(PACKAGE_VERSION, headers={"key": DEMO_KEY}).json()
    assert extra["x-unknown-field"]["list"] == [1, 2]
    assert all("newThing2030" in item for item in extra["downloads"])
    assert {k: v for k, v in extra.items() if k in good} == {
        k: (v if k != "downloads" else extra["downloads"]) for k, v in good.items()}
    os_api.faults.bad_answer("empty_list", times=2)
    assert client.get(PACKAGE_VERSION, headers={"key": DEMO_KEY}).json()["downloads"] == []
    assert client.get(PRODUCTS).json() == []
    assert client.get(PRODUCTS).json() != []


def test_bad_answer_leaves_redirects_alone(client, os_api):
    os_api.faults.bad_answer("malformed_json", times=5)
    assert client.get(HT).status_code == 307


def listed(client, path, **params):
    return {row["fileName"]: row for row in client.get(path, params=params,
                                                       headers={"key": DEMO_KEY}).json()}


@pytest.mark.parametrize("kind", ["zip_slip", "zip_bomb", "dotdot_name", "non_ascii",
                                  "empty_file"])
def test_hostile_file_in_a_product_listing(client, os_api, kind):
    from local_os_api.hostile import FILE_NAMES

    name = FILE_NAMES[kind]
    path = "/downloads/v1/products/OpenGreenspace/downloads"
    assert name not in listed(client, path, area="GB")
    os_api.faults.hostile_file(kind, product="OpenGreenspace")
    row = listed(client, path, area="GB")[name]
    location = client.location(path, params={"area": "GB", "format": "GeoPackage",
                                             "fileName": name, "redirect": ""})
    data = client.get(location).content
    assert len(data) == row["size"] and hashlib.md5(data).hexdigest() == row["md5"]
    if kind == "empty_file":
        assert data == b""
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    if kind == "zip_slip":
        assert "../../fault_evil.txt" in names
    elif kind == "zip_bomb":
        assert infos[0].file_size / infos[0].compress_size > 1000
    elif kind == "non_ascii":
        assert names == ["Ynys Môn/Llŷn_ñ.csv"]
    os_api.faults.reset()
    assert name not in listed(client, path, area="GB")
    assert client.get(location).status_code == 404


def test_hostile_file_in_a_data_package_version(client, os_api):
    os_api.faults.hostile_file("dotdot_name", package="0040046952", version="110012")
    detail = client.get(PACKAGE_VERSION, headers={"key": DEMO_KEY}).json()
    row = next(d for d in detail["downloads"] if d["fileName"] == "../fault_escape.zip")
    assert "fileName=..%2Ffault_escape.zip" in row["url"]
    data = client.get(client.location(row["url"], headers={"key": DEMO_KEY})).content
    assert hashlib.md5(data).hexdigest() == row["md5"]
    other = client.get("/downloads/v1/dataPackages/0040046952/versions/110013",
                       headers={"key": DEMO_KEY}).json()
    assert all(d["fileName"] != "../fault_escape.zip" for d in other["downloads"])


def test_new_switches_by_name_and_from_the_command_line(client, os_api):
    assert parse_cli_fault("bad_answer=html_error,status=200") == (
        "bad_answer", ["html_error"], {"status": 200})
    response = client.post("/__faults__", json=[
        {"action": "hostile_file", "kind": "zip_slip", "product": "OpenGreenspace"},
        {"action": "truncate_body", "n": 10},
        {"action": "server_gone", "after_bytes": 0, "seconds": 1},
        {"action": "bad_answer", "kind": "empty_list"},
    ])
    assert response.status_code == 200
    assert os_api.faults.hostile_files()[0].kind == "zip_slip"
    assert client.post("/__faults__", json={"action": "bad_answer",
                                            "kind": "nonsense"}).status_code == 400
    with pytest.raises(ValueError):
        os_api.faults.hostile_file("zip_slip")
    os_api.faults.reset()
    assert os_api.faults.take_cut() is None and not os_api.faults.storage_gone
    assert os_api.faults.hostile_files() == [] and os_api.faults.take_bad_answer("/") is None
