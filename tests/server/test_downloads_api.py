"""Downloads API: recorded bodies byte for byte, filters, the 307 redirect, images."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

from osgeo import gdal

SAMPLE_IDS = ["250kScaleColourRaster", "BoundaryLine", "CodePointOpen", "GBOverviewMaps", "LIDS",
              "MiniScale", "OpenGreenspace"]


def recorded(recordings, name: str, server) -> bytes:
    text = (recordings / name).read_text(encoding="utf-8").rstrip("\n")
    return text.replace("https://api.os.uk", server.url).encode("utf-8")


def test_products_list_reproduces_the_recorded_items(client, recordings, os_api):
    response = client.get("/downloads/v1/products")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    items = response.json()
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)
    assert {"Terrain50", "OpenZoomstack", *SAMPLE_IDS} <= set(ids)
    for item in items:
        assert list(item) == ["id", "name", "description", "version", "url"]
    subset = [item for item in items if item["id"] in SAMPLE_IDS]
    body = json.dumps(subset, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert body == recorded(recordings, "products_sample_2021-02.json", os_api)
    # and the bytes on the wire are that same compact serialisation
    assert b'"name":"Boundary-Line\xe2\x84\xa2"' in response.content


def test_open_greenspace_product_is_the_recorded_body(client, recordings, os_api):
    response = client.get("/downloads/v1/products/OpenGreenspace")
    assert response.content == recorded(recordings, "product_OpenGreenspace_2021-02.json", os_api)


def test_open_greenspace_ht_shapefile_listing_matches_the_recording(client, recordings, os_api):
    response = client.get("/downloads/v1/products/OpenGreenspace/downloads",
                          params={"format": "ESRI® Shapefile", "area": "HT"})
    expected = json.loads(recorded(recordings, "product_OpenGreenspace_downloads_area-HT_"
                                   "format-ESRI-Shapefile_2021-02.json", os_api))
    # Our file is genuine, so its md5 is ours (upper-case, as recorded); the size is the
    # recorded 4101 bytes and every other byte is the recording's.
    served = response.json()
    assert re.fullmatch(r"[0-9A-F]{32}", served[0]["md5"])
    expected[0]["md5"] = served[0]["md5"]
    assert response.content == json.dumps(expected, separators=(",", ":"),
                                          ensure_ascii=False).encode("utf-8")
    assert served[0]["size"] == 4101


def test_expanded_products_and_description_shapes(client):
    items = client.get("/downloads/v1/products?expanded").json()
    by_id = {item["id"]: item for item in items}
    assert isinstance(by_id["OpenGreenspace"]["description"], str)
    assert isinstance(by_id["Terrain50"]["description"], list)
    terrain = by_id["Terrain50"]
    assert list(terrain)[:5] == ["id", "name", "description", "version", "documentationUrl"]
    assert terrain["formats"] == [{"format": "ASCII Grid and GML (Grid)"},
                                  {"format": "ESRI® Shapefile (Contours)"},
                                  {"format": "GML 3 (Contours)"}]
    assert {"format": "Vector Tiles", "subformat": "(MBTiles)"} in by_id["OpenZoomstack"][
        "formats"]
    for item in items:
        assert item["downloadsUrl"].endswith(f"/products/{item['id']}/downloads")
        assert item["areas"][0] == "GB"


def test_areas_list_exactly_what_is_served(client, os_api):
    for product in os_api.catalogue.product_ids():
        details = client.get(f"/downloads/v1/products/{product}").json()
        served = {row["area"] for row in os_api.catalogue.downloads(product)}
        assert set(details["areas"]) == served, product


def test_unknown_product_is_404_with_json(client):
    response = client.get("/downloads/v1/products/NoSuchProduct")
    assert response.status_code == 404
    assert response.json()["error"]["statuscode"] == 404
    assert client.get("/downloads/v1/products/NoSuchProduct/downloads").status_code == 404
    assert client.get("/downloads/v1/nothing").status_code == 404


def test_non_get_is_405(client):
    response = client.session.post(client.server.url + "/downloads/v1/products", timeout=5)
    assert response.status_code == 405


def test_format_filter_accepts_any_encoding(client):
    base = "/downloads/v1/products/OpenGreenspace/downloads?area=HT&format="
    for encoded in ["ESRI%C2%AE%20Shapefile", "ESRI%C2%AE+Shapefile"]:
        items = client.get(base + encoded).json()
        assert [i["fileName"] for i in items] == ["opgrsp_essh_ht.zip"]
    gml = client.get("/downloads/v1/products/OpenGreenspace/downloads",
                     params={"area": "SU", "format": "GML", "subformat": "3"}).json()
    assert [i["fileName"] for i in gml] == ["opgrsp_gml3_su.zip"]
    assert list(gml[0]) == ["md5", "size", "url", "format", "subformat", "area", "fileName"]
    assert gml[0]["url"].endswith("?area=SU&format=GML&subformat=3&redirect")
    mbtiles = client.get("/downloads/v1/products/OpenZoomstack/downloads",
                         params={"subformat": "(MBTiles)"}).json()
    assert mbtiles[0]["url"].endswith("format=Vector+Tiles&subformat=%28MBTiles%29&redirect")
    assert mbtiles[0]["md5"] == mbtiles[0]["md5"].lower()  # later products: lower case


def test_files_sharing_area_and_format_share_their_url(client):
    items = client.get("/downloads/v1/products/LIDS/downloads").json()
    assert len(items) == 2 and items[0]["url"] == items[1]["url"]
    assert "fileName=" not in items[0]["url"]
    listed = client.get(items[0]["url"])  # several matches: no redirect, the list
    assert listed.status_code == 200 and len(listed.json()) == 2
    for item in items:  # naming the file gets the redirect
        response = client.get(item["url"], params={"fileName": item["fileName"]})
        assert response.status_code == 307
        assert response.json()["fileName"] == item["fileName"]


def test_redirect_matches_the_recorded_shape(client, recordings, os_api):
    listing = client.get("/downloads/v1/products/OpenGreenspace/downloads",
                         params={"area": "HT", "format": "ESRI® Shapefile"}).json()[0]
    response = client.get(listing["url"])
    assert response.status_code == 307
    assert response.reason == "Temporary Redirect"
    assert response.json() == listing
    recorded_names = [
        line.split(":", 1)[0]
        for line in (recordings / "redirect_307_headers_2021-04.txt").read_text().splitlines()[1:]
        if line.strip()
    ]
    for name in recorded_names:
        assert name in response.headers, name
    for name in ["Content-Type", "Cache-Control", "Pragma", "Expires", "X-Content-Type-Options"]:
        recorded_line = next(
            line for line in (recordings / "redirect_307_headers_2021-04.txt").read_text()
            .splitlines() if line.startswith(name + ":")
        )
        assert response.headers[name] == recorded_line.split(":", 1)[1].strip()
    assert int(response.headers["Content-Length"]) == len(response.content)
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == os_api.storage_url
    assert unquote(parts.path) == (
        "/downloads/OpenGreenspace/2020-10/100kmSquares/ESRI® Shapefile/opgrsp_essh_ht.zip")
    assert re.fullmatch(
        r"sv=2020-04-08&spr=https&se=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ&sr=b&sp=r&sig=[^&]+",
        parts.query,
    )
    assert list(parse_qs(parts.query)) == ["sv", "spr", "se", "sr", "sp", "sig"]


def test_redirect_with_gb_scope_and_head(client):
    url = "/downloads/v1/products/BoundaryLine/downloads?area=GB&format=GeoPackage&redirect"
    location = client.location(url)
    assert "/downloads/BoundaryLine/2020-10/allGB/GeoPackage/bdline_gpkg_gb.zip?" in location
    head = client.session.head(client.server.url + url, allow_redirects=False, timeout=5)
    assert head.status_code == 307 and head.content == b""


def test_redirect_without_a_match_is_404(client):
    url = "/downloads/v1/products/BoundaryLine/downloads?area=SU&format=GeoPackage&redirect"
    assert client.get(url).status_code == 404


def test_images_redirect_to_genuine_jpegs(client, os_api):
    sizes = {}
    for flag in ["", "?large"]:
        response = client.get("/downloads/v1/products/OpenGreenspace/images/1" + flag)
        assert response.status_code == 307
        image = client.get(response.headers["Location"])
        assert image.status_code == 200
        assert image.headers["Content-Type"] == "image/jpeg"
        assert image.content[:3] == b"\xff\xd8\xff"
        name = f"/vsimem/test_image{flag}.jpg"
        gdal.FileFromMemBuffer(name, image.content)
        dataset = gdal.Open(name)
        sizes[flag] = (dataset.RasterXSize, dataset.RasterYSize)
        dataset = None
        gdal.Unlink(name)
    assert sizes["?large"][0] > sizes[""][0]
    for bad in ["0", "4", "x"]:
        assert client.get(f"/downloads/v1/products/OpenGreenspace/images/{bad}").status_code == 404


def test_catalogue_matches_the_listings(client, os_api):
    for row in os_api.catalogue.downloads():
        assert row["path"].is_file()
        assert row["path"].stat().st_size == row["size"]
    listed = client.get("/downloads/v1/products/CodePointOpen/downloads").json()
    rows = os_api.catalogue.downloads("CodePointOpen")
    assert [(i["fileName"], i["md5"], i["size"]) for i in listed] == [
        (r["fileName"], r["md5"], r["size"]) for r in rows
    ]
