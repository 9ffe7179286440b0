"""The tests import the plugin's code under one name, `os_data_hub_loader` (as QGIS does):
importing `api.*` as well would load every module twice, with two `OSAPIError` classes that
do not catch each other. (`python3 -m api` in a subprocess is the command line, not an import;
tests/bench/suite.py runs outside pytest, from the repo root.)"""

from __future__ import annotations

from pathlib import Path

from testsupport import imported_names

TESTS = Path(__file__).resolve().parent
PACKAGES = {"api", "core", "ui", "browser", "processing_provider", "plugin"}


def test_the_tests_import_the_plugin_as_os_data_hub_loader_only():
    offenders = {
        str(path.relative_to(TESTS)): sorted(imported_names(path) & PACKAGES)
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "suite.py" and imported_names(path) & PACKAGES
    }
    assert offenders == {}
