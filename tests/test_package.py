"""`make package` builds a zip that QGIS can install: the plugin folder and nothing else."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_package_holds_the_plugin_and_nothing_for_developers(tmp_path: Path):
    target = tmp_path / "os_data_hub_loader.zip"
    subprocess.run([sys.executable, "scripts/package.py", "--output", str(target)],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    names = zipfile.ZipFile(target).namelist()
    assert all(name.startswith("os_data_hub_loader/") for name in names)
    for required in ("__init__.py", "plugin.py", "metadata.txt", "LICENSE", "icon.png",
                     "api/__init__.py", "api/__main__.py", "core/download_task.py",
                     "ui/dock.py"):
        assert f"os_data_hub_loader/{required}" in names, required
    for forbidden in ("tests/", "local_os_api/", "scripts/", ".ci/", "__pycache__", ".venv",
                      "Makefile", ".cache/"):
        assert not [name for name in names if forbidden in name], forbidden
    # Every Python package of the plugin is shipped whole.
    for folder in ("api", "core", "ui"):
        shipped = {n for n in names if n.startswith(f"os_data_hub_loader/{folder}/")}
        on_disk = {f"os_data_hub_loader/{p.relative_to(REPO_ROOT).as_posix()}"
                   for p in (REPO_ROOT / folder).rglob("*.py")}
        assert on_disk <= shipped


def test_metadata_is_complete_for_the_plugin_repository():
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "metadata.txt", encoding="utf-8")
    general = config["general"]
    for field in ("name", "qgisMinimumVersion", "description", "about", "version", "author",
                  "email", "tracker", "repository", "homepage", "category", "tags", "icon",
                  "hasProcessingProvider", "changelog"):
        assert general.get(field, "").strip(), field
    assert general["name"] == "OS Data Hub Loader"
    assert general["qgisMinimumVersion"] == "3.22"
    assert "OS Data Hub account" in general["about"]
    assert (REPO_ROOT / general["icon"]).is_file()


def test_versions_agree():
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "metadata.txt", encoding="utf-8")
    version = config["general"]["version"]
    sys.path.insert(0, str(REPO_ROOT))
    from api import __version__

    assert __version__ == version
    assert f"## {version}" in (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert config["general"]["changelog"].strip().startswith(version)
