"""Data packages: list, detail, versions, `latest`, file redirects, 404s."""

from __future__ import annotations

import hashlib

from local_os_api import DEMO_KEY, NO_PACKAGES_KEY

KEY = {"key": DEMO_KEY}
BASE = "/downloads/v1/dataPackages"


def test_package_list_shape(client, os_api):
    packages = client.get(BASE, headers=KEY).json()
    assert [p["id"] for p in packages] == ["0040046952", "0040154231"]
    first = packages[0]
    assert list(first) == ["id", "name", "url", "createdOn", "productId", "productName",
                           "versions"]
    assert first["name"] == "Southampton Addresses"
    assert (first["productId"], first["productName"]) == ("ABPOSTSLA", "AddressBase")
    assert first["url"] == f"{os_api.url}{BASE}/0040046952"
    assert list(first["versions"][0]) == ["id", "url", "createdOn", "reason", "supplyType",
                                          "productVersion", "format", "dataPackageUrl"]
    assert [(v["id"], v["reason"], v["supplyType"]) for v in first["versions"]] == [
        ("110012", "INITIAL", "FULL"), ("110013", "UPDATE", "COU")]
    assert packages[1]["productId"] == "MMTOPO"
    assert client.get(f"{BASE}/0040046952", headers=KEY).json() == first
    assert client.get(f"{BASE}/0040046952/versions", headers=KEY).json() == first["versions"]


def test_version_details_and_links(client, os_api):
    initial = client.get(f"{BASE}/0040046952/versions/110012", headers=KEY).json()
    assert initial["nextVersionUrl"].endswith("/versions/110013")
    assert "previousVersionUrl" not in initial
    assert len(initial["downloads"]) == 2
    update = client.get(f"{BASE}/0040046952/versions/110013", headers=KEY).json()
    assert update["previousVersionUrl"].endswith("/versions/110012")
    assert "nextVersionUrl" not in update
    latest = client.get(f"{BASE}/0040046952/versions/latest", headers=KEY).json()
    assert latest == update
    item = update["downloads"][0]
    assert list(item) == ["url", "fileName", "size", "md5"]
    assert item["url"] == (f"{os_api.url}{BASE}/0040046952/versions/110013/downloads"
                           f"?fileName={item['fileName']}")
    assert "key" not in item["url"]


def test_package_file_download(client):
    detail = client.get(f"{BASE}/0040154231/versions/latest", headers=KEY).json()
    item = detail["downloads"][0]
    response = client.get(item["url"], headers=KEY)
    assert response.status_code == 307
    assert response.json() == item
    data = client.get(response.headers["Location"]).content
    assert len(data) == item["size"]
    assert hashlib.md5(data).hexdigest() == item["md5"]
    latest_url = item["url"].replace("/120045/", "/latest/")
    assert client.get(latest_url, headers=KEY).status_code == 307


def test_package_errors(client):
    assert client.get(f"{BASE}/0000000000", headers=KEY).status_code == 404
    assert client.get(f"{BASE}/0040046952/versions/999", headers=KEY).status_code == 404
    assert client.get(f"{BASE}/0040046952/versions/110012/downloads?fileName=x.zip",
                      headers=KEY).status_code == 404
    assert client.get(f"{BASE}/0040046952/versions/110012/downloads",
                      headers=KEY).status_code == 400
    assert client.get(f"{BASE}/0040046952/versions/110012").status_code == 401
    assert client.get(f"{BASE}/0040046952", headers={"key": NO_PACKAGES_KEY}).status_code == 404
