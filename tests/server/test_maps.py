"""OS Maps API: the recorded WMTS capabilities with the caller's key, tiles, premium levels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from osgeo import gdal

from local_os_api import DEMO_KEY, PREMIUM_KEY, maps

WMTS = "/maps/raster/v1/wmts"


def tile_params(**overrides):
    params = {"service": "WMTS", "request": "GetTile", "version": "1.0.0",
              "layer": "Road_27700", "style": "default", "tileMatrixSet": "EPSG:27700",
              "tileMatrix": "EPSG:27700:3", "tileRow": "30", "tileCol": "20",
              "format": "image/png", "key": DEMO_KEY}
    params.update(overrides)
    return params


def pixels(png: bytes) -> np.ndarray:
    name = "/vsimem/test_tile.png"
    gdal.FileFromMemBuffer(name, png)
    try:
        return gdal.Open(name).ReadAsArray()
    finally:
        gdal.Unlink(name)


def test_capabilities_escape_the_echoed_key():
    document = maps.capabilities_document("http://127.0.0.1:1", 'a&b<c"d')
    assert b'wmts?key=a&amp;b&lt;c&quot;d&amp;"' in document
    ET.fromstring(document)


def test_capabilities_echo_the_key(client, recordings, os_api):
    response = client.get(f"{WMTS}?key={DEMO_KEY}&service=WMTS&request=GetCapabilities")
    expected = (recordings / "wmts_getcapabilities_2020-10.xml").read_text(encoding="utf-8")
    expected = expected.replace("https://api.os.uk", os_api.url).replace("REDACTED_KEY",
                                                                          DEMO_KEY)
    assert response.content == expected.encode("utf-8")
    assert f'xlink:href="{os_api.url}/maps/raster/v1/wmts?key={DEMO_KEY}&amp;"' in response.text
    ET.fromstring(response.content)


def test_wms_style_and_any_case_kvp(client):
    for query in ["SERVICE=WMS&REQUEST=GetCapabilities", "Service=wmts&Request=getcapabilities"]:
        response = client.get(f"{WMTS}?key={DEMO_KEY}&{query}")
        assert response.status_code == 200 and "<Capabilities" in response.text


def test_maps_need_a_valid_lower_case_key(client):
    assert client.get(f"{WMTS}?service=WMTS&request=GetCapabilities").status_code == 401
    assert client.get(f"{WMTS}?KEY={DEMO_KEY}&request=GetCapabilities").status_code == 401
    assert client.get(f"{WMTS}?key=bad&request=GetCapabilities").status_code == 401
    assert client.get(WMTS, params=tile_params(key="bad")).status_code == 401
    header = client.get(WMTS, params={**tile_params(), "key": None},
                        headers={"key": DEMO_KEY})
    assert header.status_code == 200


def test_get_tile_is_a_real_png_that_differs_by_style(client):
    images = {}
    for layer in ["Road_27700", "Outdoor_27700", "Light_27700", "Leisure_27700"]:
        response = client.get(WMTS, params=tile_params(layer=layer, tileMatrix="3"))
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "image/png"
        array = pixels(response.content)
        assert array.shape == (3, 256, 256)
        assert len(np.unique(array.reshape(3, -1), axis=1).T) >= 3  # not blank
        images[layer] = array
    assert not np.array_equal(images["Road_27700"], images["Outdoor_27700"])
    assert not np.array_equal(images["Light_27700"], images["Leisure_27700"])


@pytest.mark.parametrize("overrides, status", [
    ({"layer": "Nope_27700"}, 400),
    ({"tileMatrix": "EPSG:27700:14"}, 400),
    ({"tileRow": "999999"}, 400),
    ({"layer": "Leisure_27700", "tileMatrix": "EPSG:27700:10", "key": PREMIUM_KEY}, 400),
    ({"tileMatrix": "EPSG:27700:10", "tileRow": "3000", "tileCol": "2000"}, 403),
    ({"layer": "Leisure_27700", "tileMatrix": "EPSG:27700:6", "tileRow": "200",
      "tileCol": "150"}, 403),
    ({"layer": "Road_3857", "tileMatrixSet": "EPSG:3857", "tileMatrix": "EPSG:3857:17",
      "tileRow": "43000", "tileCol": "65000"}, 403),
])
def test_tile_errors(client, overrides, status):
    assert client.get(WMTS, params=tile_params(**overrides)).status_code == status


def test_premium_key_gets_premium_levels(client):
    params = tile_params(tileMatrix="EPSG:27700:10", tileRow="3000", tileCol="2000",
                         key=PREMIUM_KEY)
    assert client.get(WMTS, params=params).status_code == 200
    leisure = tile_params(layer="Leisure_27700", tileMatrix="EPSG:27700:9", tileRow="1500",
                          tileCol="1200", key=PREMIUM_KEY)
    assert client.get(WMTS, params=leisure).status_code == 200


def test_zxy(client):
    response = client.get(f"/maps/raster/v1/zxy/Road_3857/8/127/85.png?key={DEMO_KEY}")
    assert response.status_code == 200 and response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/maps/raster/v1/zxy/Road_3857/8/127/85.png").status_code == 401
    premium = "/maps/raster/v1/zxy/Road_3857/17/65000/43000.png"
    assert client.get(f"{premium}?key={DEMO_KEY}").status_code == 403
    assert client.get(f"{premium}?key={PREMIUM_KEY}").status_code == 200
    assert client.get(f"/maps/raster/v1/zxy/Nope/8/127/85.png?key={DEMO_KEY}").status_code == 400
