"""The OS Maps WMTS capabilities parser (on the real recorded document and variations of it), the
premium-level knowledge, and `MapsClient` against the local OS API server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from os_data_hub_loader.api.errors import AuthenticationError, OSAPIError, ServerError
from os_data_hub_loader.api.http import RetryPolicy
from os_data_hub_loader.api.wmts import (
    Capabilities,
    MapsClient,
    PremiumAccess,
    WmtsLayer,
    normalise_crs,
    open_max_zoom,
    parse_capabilities,
    premium_zoom_from,
    preview_zoom,
    zoom_of,
)

RECORDING = "wmts_getcapabilities_2020-10.xml"
FAST = RetryPolicy(attempts=3, base_delay=0.02, max_delay=0.1)
SEVEN = {
    "Road_27700", "Outdoor_27700", "Light_27700", "Leisure_27700",
    "Road_3857", "Outdoor_3857", "Light_3857",
}


@pytest.fixture(scope="module")
def document(recordings: Path) -> str:
    return (recordings / RECORDING).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def capabilities(document: str) -> Capabilities:
    return parse_capabilities(document.encode("utf-8"))


# ----- the recorded document --------------------------------------------------------------------


def test_the_recording_lists_the_seven_layers(capabilities: Capabilities) -> None:
    assert {layer.id for layer in capabilities.layers} == SEVEN
    assert capabilities.title == "OS Maps API"
    by_id = {layer.id: layer for layer in capabilities.layers}
    road = by_id["Road_27700"]
    assert (road.style_name, road.crs, road.tile_matrix_set) == ("Road", "EPSG:27700", "EPSG:27700")
    assert road.crs_name == "British National Grid"
    assert road.formats == ("image/png",) and road.format == "image/png"
    assert road.styles == ("default",) and road.default_style == "default"
    assert (road.min_zoom, road.max_zoom) == (0, 13)
    assert road.bbox == pytest.approx((-238375.0, 0.0, 900000.0, 1376256.0))
    assert road.wgs84_bbox is not None and road.wgs84_bbox[1] == pytest.approx(49.388, abs=1e-3)
    assert by_id["Leisure_27700"].max_zoom == 9
    web = by_id["Outdoor_3857"]
    assert (web.style_name, web.crs, web.crs_name) == ("Outdoor", "EPSG:3857", "Web Mercator")
    assert (web.min_zoom, web.max_zoom) == (7, 20)
    assert web.limits_for(7) is not None and web.limits_for(7).contains(40, 62)
    assert {layer.style_name for layer in capabilities.layers} == {
        "Road", "Outdoor", "Light", "Leisure"
    }


def test_the_recording_tile_matrix_sets(capabilities: Capabilities) -> None:
    bng = capabilities.tile_matrix_sets["EPSG:27700"]
    assert bng.crs == "EPSG:27700" and bng.zooms == list(range(14))
    level0 = bng.matrix(0)
    assert level0.identifier == "EPSG:27700:0" and level0.zoom == 0
    assert level0.top_left == (-238375.0, 1376256.0)
    assert (level0.tile_width, level0.tile_height) == (256, 256)
    assert (level0.matrix_width, level0.matrix_height) == (5, 7)
    assert level0.resolution == pytest.approx(896.0, rel=1e-6)
    assert bng.matrix(7).resolution == pytest.approx(7.0, rel=1e-6)
    web = capabilities.tile_matrix_sets["EPSG:3857"]
    assert web.crs == "EPSG:3857" and web.zooms == list(range(7, 21))
    assert web.matrix(20).scale_denominator == pytest.approx(533.18, rel=1e-4)
    assert web.matrix(0) is None


def test_premium_levels_follow_the_readme(capabilities: Capabilities) -> None:
    expected = {
        "Road_27700": 10, "Outdoor_27700": 10, "Light_27700": 10, "Leisure_27700": 6,
        "Road_3857": 17, "Outdoor_3857": 17, "Light_3857": 17,
    }
    for layer in capabilities.layers:
        assert premium_zoom_from(layer) == expected[layer.id], layer.id
        assert open_max_zoom(layer) == expected[layer.id] - 1
    # A layer whose levels all come before the premium ones has none.
    leisure = capabilities.layer("Leisure_27700")
    short = WmtsLayer(**{**leisure.__dict__, "max_zoom": 5})
    assert premium_zoom_from(short) is None and open_max_zoom(short) == 5
    unknown = WmtsLayer(id="X", title="X", style_name="X", crs="EPSG:4326", tile_matrix_set="X")
    assert premium_zoom_from(unknown) is None


def test_preview_zoom_is_open_and_town_sized(capabilities: Capabilities) -> None:
    for layer in capabilities.layers:
        zoom = preview_zoom(layer, capabilities.matrix_set(layer))
        assert zoom is not None and zoom <= open_max_zoom(layer)
        assert zoom >= (layer.min_zoom or 0)


def test_json_round_trip_keeps_everything_but_no_href(
    capabilities: Capabilities, document: str
) -> None:
    data = capabilities.to_json()
    assert Capabilities.from_json(data) == capabilities
    assert "REDACTED_KEY" in document and "REDACTED_KEY" not in repr(data)
    with pytest.raises(OSAPIError, match="damaged"):
        Capabilities.from_json({"layers": [{"id": "x"}], "tile_matrix_sets": {}})


def test_small_helpers() -> None:
    assert zoom_of("EPSG:27700:13") == 13 and zoom_of("7") == 7 and zoom_of("EPSG:3857") == 3857
    assert zoom_of("top") is None
    assert normalise_crs("urn:ogc:def:crs:EPSG::27700") == "EPSG:27700"
    assert normalise_crs("urn:ogc:def:crs:EPSG:6.18:3:3857") == "EPSG:3857"
    assert normalise_crs("http://www.opengis.net/def/crs/EPSG/0/3857") == "EPSG:3857"
    assert normalise_crs("urn:ogc:def:crs:OGC:2:84") == ""


# ----- variations -------------------------------------------------------------------------------


def _layers(document: str) -> list[str]:
    return re.findall(r"<Layer>.*?</Layer>", document, flags=re.S)


def test_layer_order_does_not_matter(document: str) -> None:
    layers = _layers(document)
    body = "".join(reversed(layers))
    start = document.index(layers[0])
    end = document.index(layers[-1]) + len(layers[-1])
    reordered = document[:start] + body + document[end:]
    caps = parse_capabilities(reordered)
    assert [layer.id for layer in caps.layers][0] == "Leisure_27700"
    assert {layer.id for layer in caps.layers} == SEVEN


def test_tile_matrix_sets_before_layers(document: str) -> None:
    sets = re.findall(r"<TileMatrixSet>\s*<ows:Title>.*?</TileMatrixSet>", document, flags=re.S)
    assert len(sets) == 2
    moved = document
    for block in sets:
        moved = moved.replace(block, "")
    moved = moved.replace("<Contents>", "<Contents>" + "".join(sets))
    caps = parse_capabilities(moved)
    assert {layer.id for layer in caps.layers} == SEVEN
    assert caps.layer("Road_3857").min_zoom == 7


def test_extra_layers_and_unknown_elements_are_kept(document: str) -> None:
    extra = """
        <Layer>
            <ows:Title>Night_27700</ows:Title>
            <ows:Identifier>Night_27700</ows:Identifier>
            <Style isDefault="true"><ows:Identifier>dark</ows:Identifier></Style>
            <Style><ows:Identifier>default</ows:Identifier></Style>
            <Format>image/jpeg</Format>
            <Format>image/png</Format>
            <InfoFormat>text/html</InfoFormat>
            <Dimension><ows:Identifier>Time</ows:Identifier></Dimension>
            <TileMatrixSetLink><TileMatrixSet>EPSG:27700</TileMatrixSet></TileMatrixSetLink>
        </Layer>
        <Layer><ows:Title>broken</ows:Title></Layer>
    """
    caps = parse_capabilities(document.replace("<Contents>", "<Contents>" + extra))
    assert len(caps.layers) == 8
    night = caps.layer("Night_27700")
    assert night.style_name == "Night" and night.crs == "EPSG:27700"
    assert night.styles == ("dark", "default") and night.default_style == "dark"
    assert night.formats == ("image/jpeg", "image/png") and night.format == "image/png"
    assert (night.min_zoom, night.max_zoom) == (0, 13)


def test_missing_optional_elements(document: str) -> None:
    stripped = re.sub(r"\s*<ows:(WGS84)?BoundingBox.*?</ows:(WGS84)?BoundingBox>", "", document,
                      flags=re.S)
    stripped = re.sub(r"\s*<Style.*?</Style>", "", stripped, flags=re.S)
    stripped = re.sub(r"\s*<Format>.*?</Format>", "", stripped)
    stripped = re.sub(r"\s*<ows:Title>[^<]*</ows:Title>", "", stripped)
    stripped = re.sub(r"\s*<ows:SupportedCRS>[^<]*</ows:SupportedCRS>", "", stripped)
    stripped = re.sub(r"\s*<TileMatrixSetLimits>.*?</TileMatrixSetLimits>", "", stripped,
                      flags=re.S)
    stripped = re.sub(r"\s*<ows:ServiceIdentification>.*?</ows:ServiceIdentification>", "",
                      stripped, flags=re.S)
    caps = parse_capabilities(stripped)
    assert caps.title == ""
    road = caps.layer("Road_27700")
    assert road.title == "Road_27700" and road.style_name == "Road"
    assert road.bbox is None and road.wgs84_bbox is None and road.limits == ()
    assert road.formats == ("image/png",) and road.styles == ("default",)
    assert road.crs == "EPSG:27700"  # from the set's identifier
    # Without limits the zoom range is the tile matrix set's (Leisure then reads 0-13).
    assert (caps.layer("Leisure_27700").min_zoom, caps.layer("Road_3857").max_zoom) == (0, 20)


def test_other_namespace_prefixes_and_no_namespace(document: str) -> None:
    prefixed = (
        document.replace('xmlns="http://www.opengis.net/wmts/1.0"',
                         'xmlns:wmts="http://www.opengis.net/wmts/1.0"')
        .replace("xmlns:ows=", "xmlns:o=")
    )
    prefixed = re.sub(r"<(/?)ows:", r"<\1o:", prefixed)
    prefixed = re.sub(r"<(/?)(?![?!/]|o:|wmts:)(\w)", r"<\1wmts:\2", prefixed)
    caps = parse_capabilities(prefixed)
    assert {layer.id for layer in caps.layers} == SEVEN
    bare = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", document)
    bare = re.sub(r"<(/?)\w+:", r"<\1", bare)
    bare = re.sub(r'\s(xlink|xsi):\w+="[^"]*"', "", bare)
    assert parse_capabilities(bare).layer("Light_3857").max_zoom == 20


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<html><body>Please log in</body></html", "not XML"),
        (b"<html><body>Please log in</body></html>", "'html' document"),
        (b'<Capabilities xmlns="http://www.opengis.net/wmts/1.0"/>', "no Contents"),
        (b'<Capabilities xmlns="http://www.opengis.net/wmts/1.0"><Contents/></Capabilities>',
         "no layers"),
        (b'<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception '
         b'exceptionCode="InvalidParameterValue"><ows:ExceptionText>Bad key=abc</ows:ExceptionText>'
         b"</ows:Exception></ows:ExceptionReport>", "Bad key=\\*\\*\\*"),
    ],
)
def test_unusable_documents_raise_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(OSAPIError, match=message):
        parse_capabilities(body)


def test_a_broken_tile_matrix_is_named(document: str) -> None:
    broken = document.replace("<MatrixWidth>5</MatrixWidth>", "<MatrixWidth>five</MatrixWidth>")
    with pytest.raises(OSAPIError, match="EPSG:27700:0.*MatrixWidth"):
        parse_capabilities(broken)


# ----- the client against the local server ------------------------------------------------------


@pytest.fixture
def maps(os_api: Any) -> Any:
    os_api.clear_requests()
    return os_api


def test_client_reads_capabilities_with_the_key_in_a_header_not_the_url(maps: Any) -> None:
    with MapsClient(maps.url, key=local_key("DEMO_KEY"), retry=FAST) as client:
        caps = client.capabilities()
    assert {layer.id for layer in caps.layers} == SEVEN
    request = maps.requests[-1]
    assert request.path == "/maps/raster/v1/wmts"
    assert request.headers.get("key") == local_key("DEMO_KEY")
    assert local_key("DEMO_KEY") not in request.query
    assert "request=GetCapabilities" in request.query


def test_client_tiles_previews_and_premium_probe(maps: Any) -> None:
    with MapsClient(maps.url, key=local_key("DEMO_KEY"), retry=FAST) as client:
        caps = client.capabilities()
        for layer in caps.layers:
            assert client.preview(caps, layer)[:8] == b"\x89PNG\r\n\x1a\n"
        assert client.has_premium(caps) is False
    with MapsClient(maps.url, key=local_key("PREMIUM_KEY"), retry=FAST) as client:
        assert client.has_premium(caps) is True
        road = caps.layer("Road_27700")
        assert client.sample_tile(caps, road, 13)[:4] == b"\x89PNG"


def test_client_errors_never_carry_the_key(maps: Any) -> None:
    wrong = "wrong-maps-key-0123456789"
    with MapsClient(maps.url, key=wrong, retry=FAST) as client, pytest.raises(
        AuthenticationError
    ) as caught:
        client.capabilities()
    assert wrong not in str(caught.value)
    maps.faults.fail_next(503, times=10)
    with MapsClient(maps.url, key=wrong, retry=FAST) as client, pytest.raises(ServerError) as err:
        client.capabilities()
    assert "503" in str(err.value) and wrong not in str(err.value)
    with pytest.raises(AuthenticationError, match="needs an OS Data Hub API key"):
        MapsClient(maps.url, key="  ")


def test_client_retries_a_server_error(maps: Any) -> None:
    maps.faults.fail_next(503, times=2)
    with MapsClient(maps.url, key=local_key("DEMO_KEY"), retry=FAST) as client:
        assert client.capabilities().layer("Road_3857") is not None
    asked = [r.path for r in maps.requests]
    assert asked == ["/maps/raster/v1/wmts"] * 3  # two 503s, then the answer


def test_client_gives_up_after_the_retry_policy_s_attempts(maps: Any) -> None:
    maps.faults.fail_next(503, times=FAST.attempts + 2)
    with MapsClient(maps.url, key=local_key("DEMO_KEY"), retry=FAST) as client:
        with pytest.raises(ServerError):
            client.capabilities()
    assert len(maps.requests) == FAST.attempts


def local_key(name: str) -> str:
    local_os_api = pytest.importorskip("local_os_api")
    return getattr(local_os_api, name)


@pytest.mark.parametrize(("key_name", "plan"), [("DEMO_KEY", PremiumAccess.UNAVAILABLE),
                                                ("PREMIUM_KEY", PremiumAccess.AVAILABLE)])
def test_capabilities_and_plan_probe_premium_levels(
    maps: Any, key_name: str, plan: PremiumAccess
) -> None:
    with MapsClient(maps.url, key=local_key(key_name), retry=FAST) as client:
        capabilities, found = client.capabilities_and_plan()
    assert len(capabilities.layers) == 7 and found is plan


def test_plan_is_unknown_when_the_probe_itself_fails(maps: Any) -> None:
    class ProbeFails(MapsClient):
        def has_premium(self, capabilities):  # the premium tile answered 503 after retries
            raise ServerError("The OS Data Hub had a server error (503).", status=503)

    with ProbeFails(maps.url, key=local_key("DEMO_KEY"), retry=FAST) as client:
        capabilities, found = client.capabilities_and_plan()
    assert len(capabilities.layers) == 7 and found is PremiumAccess.UNKNOWN
