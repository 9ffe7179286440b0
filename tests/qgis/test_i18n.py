"""Translations reach the strings: the contexts that pylupdate5 writes are the ones looked up
at run time, for widgets' self.tr() and for the shared tr() helper alike."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not (shutil.which("pylupdate5") and shutil.which("lrelease")),
    reason="pylupdate5/lrelease (pyqt5-dev-tools, qttools5-dev-tools) are not installed",
)


@pytest.fixture()
def pseudo_translation(tmp_path):
    """Every source string 'translated' to itself in upper case, compiled and installed."""
    sources = [str(p) for p in REPO_ROOT.rglob("*.py")
               if p.relative_to(REPO_ROOT).parts[0] in {"core", "ui", "browser",
                                                        "processing_provider"}
               or p.name == "plugin.py"]
    ts = tmp_path / "xx.ts"
    subprocess.run(["pylupdate5", *sources, "-ts", str(ts)], check=True, capture_output=True)
    tree = ET.parse(ts)
    for message in tree.iter("message"):
        translation = message.find("translation")
        translation.text = message.find("source").text.upper()
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8")
    subprocess.run(["lrelease", str(ts)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(tmp_path / "xx.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_widget_and_helper_strings_are_translated(pseudo_translation, iface):
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.download_task import DownloadTask
    from os_data_hub_loader.core.downloads import DownloadRequest
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.opendata_tab import OpenDataTab

    tab = OpenDataTab(ApiContext(), TaskRegistry(), iface)
    assert tab.refresh_button.text() == "REFRESH"  # a widget's self.tr()
    request = DownloadRequest("Boundary-Line", "2024-04", [], Path("."))
    task = DownloadTask(request, engine=None)
    assert task.description() == "DOWNLOADING Boundary-Line"  # the shared tr() helper
    tab.close_down()


def test_processing_algorithm_strings_are_translated(pseudo_translation):
    from os_data_hub_loader.processing_provider.download_opendata import DownloadOpenData

    algorithm = DownloadOpenData()
    assert algorithm.displayName() == algorithm.displayName().upper()
    assert algorithm.shortHelpString() == algorithm.shortHelpString().upper()
