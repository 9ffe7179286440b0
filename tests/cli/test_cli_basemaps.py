"""`python3 -m api basemaps [--json]` end to end: a real subprocess against the local OS API
server's OS Maps WMTS."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from testsupport import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
local_os_api = pytest.importorskip("local_os_api")
DEMO_KEY: str = local_os_api.DEMO_KEY
WRONG_KEY = "wrong-maps-key-never-shown-0123"


def run(os_api: Any, *args: str, key: str | None = None, **env: str) -> subprocess.CompletedProcess:
    return run_cli(os_api.url, *args, key=key, env=env)


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_basemaps_table(os_api: Any) -> None:
    os_api.clear_requests()
    result = run(os_api, "basemaps", key=DEMO_KEY)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "ID", "STYLE", "CRS", "TILE", "MATRIX", "SET", "ZOOM", "PREMIUM", "FROM", "FORMATS"
    ]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {
        "Light_27700", "Light_3857", "Outdoor_27700", "Outdoor_3857", "Road_27700",
        "Road_3857", "Leisure_27700",
    }
    assert rows["Road_27700"].split() == [
        "Road_27700", "Road", "EPSG:27700", "(British", "National", "Grid)", "EPSG:27700",
        "0-13", "10", "image/png",
    ]
    assert "Web Mercator" in rows["Light_3857"] and "7-20" in rows["Light_3857"]
    assert rows["Leisure_27700"].split()[-3:] == ["0-9", "6", "image/png"]
    assert "7 layer(s)" in result.stderr
    assert DEMO_KEY not in result.stdout + result.stderr
    maps_requests = [r for r in os_api.requests if r.path.startswith("/maps/")]
    assert maps_requests and all(r.headers.get("key") == DEMO_KEY for r in maps_requests)
    assert not [r for r in maps_requests if DEMO_KEY in r.query]


def test_basemaps_json(os_api: Any) -> None:
    result = run(os_api, "basemaps", "--json", key=DEMO_KEY)
    assert result.returncode == 0, result.stderr
    layers = {layer["id"]: layer for layer in json.loads(result.stdout)}
    assert len(layers) == 7
    assert layers["Outdoor_3857"] == {
        "id": "Outdoor_3857",
        "title": "Outdoor_3857",
        "style": "Outdoor",
        "tileMatrixSet": "EPSG:3857",
        "crs": "EPSG:3857",
        "formats": ["image/png"],
        "styles": ["default"],
        "defaultStyle": "default",
        "minZoom": 7,
        "maxZoom": 20,
        "premiumFromZoom": 17,
    }
    assert (layers["Leisure_27700"]["minZoom"], layers["Leisure_27700"]["maxZoom"]) == (0, 9)
    assert DEMO_KEY not in result.stdout


def test_basemaps_needs_a_key(os_api: Any) -> None:
    result = run(os_api, "basemaps")
    assert result.returncode == 3
    assert error_lines(result) == [
        "error: OS Maps needs an OS Data Hub API key: pass --key or set OS_API_KEY"
    ]


def test_basemaps_wrong_key_exits_3_and_is_never_shown(os_api: Any) -> None:
    result = run(os_api, "--key", WRONG_KEY, "basemaps")
    assert result.returncode == 3
    (line,) = error_lines(result)
    assert "401" in line and "--key" in line
    assert WRONG_KEY not in result.stdout + result.stderr


def test_basemaps_server_failure_exits_6(os_api: Any) -> None:
    os_api.faults.fail_next(503, times=100)
    try:
        result = run(os_api, "basemaps", key=DEMO_KEY, OS_API_RETRY_ATTEMPTS="2")
    finally:
        os_api.faults.reset()
    assert result.returncode == 6
    (line,) = error_lines(result)
    assert "503" in line and DEMO_KEY not in result.stderr


def test_basemaps_unreachable_exits_6(os_api: Any) -> None:
    result = run(os_api, "--base-url", "http://127.0.0.1:9", "basemaps", key=DEMO_KEY,
                 OS_API_RETRY_ATTEMPTS="1")
    assert result.returncode == 6
    (line,) = error_lines(result)
    assert "connection" in line.lower() and DEMO_KEY not in result.stderr


def test_help_lists_basemaps(os_api: Any) -> None:
    result = run(os_api, "--help")
    assert result.returncode == 0 and "basemaps" in result.stdout
