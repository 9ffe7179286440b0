"""`qgis_process`, a separate process with the plugin installed (the files the plugin zip ships)
in a throwaway profile, finds the provider through `initProcessing()` and downloads a file from
the local OS API server."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def qgis_process() -> str:
    # Debian's `qgis_process` wrapper passes --noversioncheck, which 3.22's binary refuses.
    for name in ("qgis_process.bin", "qgis_process"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("qgis_process is not installed")


def shipped_files() -> list[Path]:
    spec = importlib.util.spec_from_file_location("package", REPO_ROOT / "scripts" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    return package.plugin_files()


@pytest.fixture()
def profile(tmp_path) -> Path:
    """A QGIS_CUSTOM_CONFIG_PATH with the plugin installed and enabled."""
    config = tmp_path / "qgis-config"
    default = config / "profiles" / "default"
    plugin = default / "python" / "plugins" / "os_data_hub_loader"
    for path in shipped_files():
        target = plugin / path.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    (default / "QGIS").mkdir(parents=True)
    (default / "QGIS" / "QGIS3.ini").write_text("[PythonPlugins]\nos_data_hub_loader=true\n")
    return config


def run(profile: Path, base_url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(profile), QT_QPA_PLATFORM="offscreen",
               OS_API_BASE_URL=base_url)
    return subprocess.run([qgis_process(), *args], env=env, capture_output=True, text=True,
                          timeout=240)


def test_the_plugin_zip_holds_the_provider():
    names = {p.relative_to(REPO_ROOT).as_posix() for p in shipped_files()}
    assert "processing_provider/provider.py" in names
    assert "browser/provider.py" in names


def test_qgis_process_downloads_opendata(profile, os_api, tmp_path):
    folder = tmp_path / "downloads"
    result = run(profile, os_api.url, "--json", "run", "os_data_hub:download_opendata", "--",
                 "PRODUCT=OpenGreenspace", "FORMAT=GeoPackage", "AREAS=SU",
                 f"FOLDER={folder}", "LOAD=false")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    answer = json.loads(result.stdout[result.stdout.index("{"):])
    zip_path = folder / "opgrsp_gpkg_su.zip"
    assert answer["results"]["FILES"] == [str(zip_path)]
    assert answer["results"]["LAYERS"] == []
    listed = next(r for r in os_api.catalogue.downloads("OpenGreenspace")
                  if r["fileName"] == zip_path.name)
    assert hashlib.md5(zip_path.read_bytes()).hexdigest() == listed["md5"].lower()
    assert list((folder / "opgrsp_gpkg_su").rglob("*.gpkg"))


def test_qgis_process_lists_the_algorithms_and_reports_errors(profile, os_api, tmp_path):
    listing = run(profile, os_api.url, "list")
    assert listing.returncode == 0
    for name in ("download_opendata", "download_data_package", "add_basemap", "list_products"):
        assert f"os_data_hub:{name}" in listing.stdout
    failed = run(profile, os_api.url, "run", "os_data_hub:download_opendata", "--",
                 "PRODUCT=OpenGreenspace", "FORMAT=KML", f"FOLDER={tmp_path}", "LOAD=false")
    assert failed.returncode != 0
    assert "no files in format 'KML'" in failed.stdout + failed.stderr
