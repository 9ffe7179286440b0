"""`make package` builds a zip that QGIS can install: the plugin folder and nothing else, and
`make validate` (this test too) checks it against plugins.qgis.org's rules."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import package  # noqa: E402

WELSH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy_GB">
<context><name>OSDataHubDock</name>
<message><source>OS Data Hub</source><translation>Hyb Data OS</translation></message>
</context>
</TS>
"""


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory) -> Path:
    """The zip as `make package` names it, built from this checkout."""
    target = tmp_path_factory.mktemp("package") / package.default_output().name
    subprocess.run([sys.executable, "scripts/package.py", "--output", str(target)],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    return target


def test_the_built_package_passes_the_plugin_repository_rules(built_zip: Path):
    result = subprocess.run(
        [sys.executable, "scripts/validate_package.py", str(built_zip),
         "--changelog", "CHANGELOG.md", "--translations", "i18n"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert built_zip.name == f"os_data_hub_loader-{package.version()}.zip"


def test_package_holds_the_plugin_and_nothing_for_developers(built_zip: Path):
    names = zipfile.ZipFile(built_zip).namelist()
    assert all(name.startswith("os_data_hub_loader/") for name in names)
    for required in ("__init__.py", "plugin.py", "metadata.txt", "LICENSE", "icon.png",
                     "api/__init__.py", "api/__main__.py", "core/download_task.py",
                     "ui/dock.py"):
        assert f"os_data_hub_loader/{required}" in names, required
    for forbidden in ("tests/", "local_os_api/", "scripts/", ".ci/", "__pycache__", ".venv",
                      "Makefile", ".cache/", "docs/", ".pyc", "README.md", "CHANGELOG.md"):
        assert not [name for name in names if forbidden in name], forbidden
    # Every Python package of the plugin is shipped whole.
    for folder in ("api", "core", "ui"):
        shipped = {n for n in names if n.startswith(f"os_data_hub_loader/{folder}/")}
        on_disk = {f"os_data_hub_loader/{p.relative_to(REPO_ROOT).as_posix()}"
                   for p in (REPO_ROOT / folder).rglob("*.py")}
        assert on_disk <= shipped
    # Every translation is shipped compiled.
    for ts in (REPO_ROOT / "i18n").glob("*.ts"):
        assert f"os_data_hub_loader/i18n/{ts.stem}.qm" in names, ts.name


def test_the_same_sources_give_the_same_zip(built_zip: Path, tmp_path: Path):
    again = package.build(tmp_path / built_zip.name)
    assert again.read_bytes() == built_zip.read_bytes()


def _plugin_copy(tmp_path: Path) -> Path:
    root = tmp_path / "plugin"
    root.mkdir()
    for name in package.FILES:
        shutil.copy2(REPO_ROOT / name, root / name)
    for folder in package.PACKAGES:
        shutil.copytree(REPO_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    (root / "i18n").mkdir()
    (root / "i18n" / "os_data_hub_loader_cy.ts").write_text(WELSH_TS, encoding="utf-8")
    return root


def test_without_lrelease_a_translation_stops_the_build(tmp_path: Path):
    root = _plugin_copy(tmp_path)
    output = tmp_path / "out" / "os_data_hub_loader-0.0.1.zip"
    with pytest.raises(package.PackageError, match="lrelease is needed to compile "
                                                   "os_data_hub_loader_cy.ts"):
        package.build(output, root=root, lrelease=str(tmp_path / "no-such-lrelease"))
    assert not output.exists()


def test_a_broken_translation_stops_the_build(tmp_path: Path):
    if shutil.which("lrelease") is None:
        pytest.skip("lrelease is not installed (Debian: qttools5-dev-tools)")
    root = _plugin_copy(tmp_path)
    (root / "i18n" / "os_data_hub_loader_cy.ts").write_text("<TS><context>", encoding="utf-8")
    with pytest.raises(package.PackageError, match="could not compile"):
        package.build(tmp_path / "out.zip", root=root)


def test_translations_are_compiled_into_the_zip(tmp_path: Path):
    if shutil.which("lrelease") is None:
        pytest.skip("lrelease is not installed (Debian: qttools5-dev-tools)")
    from qgis.PyQt.QtCore import QTranslator

    root = _plugin_copy(tmp_path)
    output = package.build(tmp_path / "os_data_hub_loader-0.0.1.zip", root=root)
    qm = tmp_path / "cy.qm"
    qm.write_bytes(zipfile.ZipFile(output).read("os_data_hub_loader/i18n/os_data_hub_loader_cy.qm"))
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("OSDataHubDock", "OS Data Hub") == "Hyb Data OS"


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
    # Offered to QGIS 4 (Qt6) too: without a maximum, QGIS 4 takes 3.99.
    assert (general["qgisMaximumVersion"], general["supportsQt6"]) == ("4.99", "True")
    assert "OS Data Hub account" in general["about"]
    assert (REPO_ROOT / general["icon"]).is_file()


def test_versions_agree():
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "metadata.txt", encoding="utf-8")
    version = config["general"]["version"]
    sys.path.insert(0, str(REPO_ROOT))
    from os_data_hub_loader.api import __version__

    assert __version__ == version
    assert f"## {version}" in (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert config["general"]["changelog"].strip().startswith(version)


# ----- pb_tool (the user's own tool) gives the same plugin files -----

PB_TOOL_ONLY_KEYS = {"datetime", "commitsha1", "commitnumber"}  # what `pb_tool zip` stamps


@pytest.fixture(scope="module")
def pb_tool_builds(tmp_path_factory) -> dict[str, Path]:
    """From one copy of the plugin's sources (pb_tool works in, and zips into, the current
    folder): `make package`'s zip, `pb_tool deploy`'s folder and `pb_tool zip`'s zip."""
    tool = Path(sys.executable).with_name("pb_tool")
    if not tool.exists():
        found = shutil.which("pb_tool")
        if found is None:
            pytest.skip("pb_tool is not installed (pip install -r requirements-dev.txt)")
        tool = Path(found)
    for needed in ("zip", "lrelease"):
        if shutil.which(needed) is None:
            pytest.skip(f"pb_tool needs {needed} here")
    work = tmp_path_factory.mktemp("pb_tool")
    root = work / "checkout"
    root.mkdir()
    for name in [*package.FILES, "pb_tool.cfg"]:
        shutil.copy2(REPO_ROOT / name, root / name)
    for folder in package.PACKAGES:
        shutil.copytree(REPO_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (root / "i18n").mkdir()
    for ts in (REPO_ROOT / "i18n").glob("*.ts"):
        shutil.copy2(ts, root / "i18n" / ts.name)

    def pb_tool(*args: str, answer: str = "") -> None:
        done = subprocess.run([str(tool), *args], cwd=root, input=answer, capture_output=True,
                              text=True, check=False, timeout=120)
        assert done.returncode == 0, f"pb_tool {' '.join(args)}:\n{done.stdout}{done.stderr}"

    pb_tool("translate")
    pb_tool("deploy", "-y", "-n", "-p", str(work / "deployed"))
    pb_tool("zip", "-n", "-p", str(work / "for-zip"), answer="y\n")
    return {"package": package.build(work / "package.zip", root=root),
            "deployed": work / "deployed", "zip": root / "os_data_hub_loader.zip"}


def test_pb_tool_deploy_installs_exactly_the_package_files(pb_tool_builds):
    packaged = zipfile.ZipFile(pb_tool_builds["package"])
    deployed = pb_tool_builds["deployed"]
    files = {p.relative_to(deployed).as_posix(): p for p in deployed.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(packaged.namelist())
    assert "os_data_hub_loader/i18n/os_data_hub_loader_cy.qm" in files
    assert [n for n in files if files[n].read_bytes() != packaged.read(n)] == []


def test_pb_tool_zip_holds_the_package_files_and_stamps_only_metadata(pb_tool_builds, tmp_path):
    packaged = zipfile.ZipFile(pb_tool_builds["package"])
    zipped = zipfile.ZipFile(pb_tool_builds["zip"])
    names = [n for n in zipped.namelist() if not n.endswith("/")]  # zip adds folder entries
    assert sorted(names) == sorted(packaged.namelist())
    metadata = "os_data_hub_loader/metadata.txt"
    assert [n for n in names if n != metadata and zipped.read(n) != packaged.read(n)] == []
    # The one difference, pb_tool's own: it stamps the build into metadata.txt.
    ours, theirs = configparser.ConfigParser(), configparser.ConfigParser()
    ours.read_string(packaged.read(metadata).decode("utf-8"))
    theirs.read_string(zipped.read(metadata).decode("utf-8"))
    assert set(theirs["general"]) - set(ours["general"]) <= PB_TOOL_ONLY_KEYS
    assert {k: v for k, v in theirs["general"].items() if k not in PB_TOOL_ONLY_KEYS} == dict(
        ours["general"])
    # Named as `make package` names it, pb_tool's zip passes the plugin repository's rules too.
    renamed = tmp_path / pb_tool_builds["package"].name.replace(
        "package", f"os_data_hub_loader-{package.version()}")
    shutil.copy(pb_tool_builds["zip"], renamed)
    result = subprocess.run(
        [sys.executable, "scripts/validate_package.py", str(renamed),
         "--changelog", "CHANGELOG.md", "--translations", "i18n"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
