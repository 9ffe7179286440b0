"""The Qt6 lint (scripts/qt6_lint.py): it finds what PyQt6 would reject, and the repository has
none of it under the QGIS these tests run on (every QGIS of the version matrix)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def load_lint():
    spec = importlib.util.spec_from_file_location("qt6_lint", REPO_ROOT / "scripts" / "qt6_lint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["qt6_lint"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lint():
    return load_lint()


BAD = '''\
from PyQt5.QtCore import QTimer
from qgis.core import Qgis, QgsTask
from qgis.PyQt.QtCore import QVariant, Qt
from qgis.PyQt.QtWidgets import QAbstractItemView, QAction

ROLE = Qt.UserRole + 1
LEVEL = Qgis.Info
FLAGS = QgsTask.CanCancel
MODE = QAbstractItemView.SelectRows
KIND = QVariant.String
BOTH = Qt.Orientations(Qt.Orientation.Horizontal)
GONE = Qt.NoSuchRole
ALLOWED = Qt.Checked  # qt6: the pragma keeps a line as it is


def run(loop):
    loop.exec_()
'''

GOOD = '''\
from qgis.core import Qgis, QgsTask
from qgis.PyQt.QtCore import QMetaType, Qt
from qgis.PyQt.QtWidgets import QAbstractItemView

ROLE = Qt.ItemDataRole.UserRole + 1
LEVEL = Qgis.MessageLevel.Info
FLAGS = QgsTask.Flag.CanCancel
MODE = QAbstractItemView.SelectionBehavior.SelectRows
KIND = QMetaType.Type.QString
BOTH = Qt.Orientation.Horizontal | Qt.Orientation.Vertical


def run(loop):
    loop.exec()
'''


def findings_of(lint, path: Path) -> list[str]:
    return [f.message for f in lint.check([path])]


def test_each_kind_of_qt6_breakage_is_found(lint, tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text(BAD, encoding="utf-8")
    found = findings_of(lint, bad)
    expected = [
        "import from qgis.PyQt, not PyQt5.QtCore",
        "QAction is in QtGui in Qt6",
        "unscoped enum Qt.UserRole: write Qt.ItemDataRole.UserRole",
        "unscoped enum Qgis.Info: write Qgis.MessageLevel.Info",
        "unscoped enum QgsTask.CanCancel: write QgsTask.Flag.CanCancel",
        "unscoped enum QAbstractItemView.SelectRows: "
        "write QAbstractItemView.SelectionBehavior.SelectRows",
        "QVariant.String: Qt6 has no QVariant types",
        "PyQt6 has no QFlags classes",
        "has no NoSuchRole in this QGIS",
        ".exec_() is gone in Qt6",
    ]
    for text in expected:
        assert any(text in message for message in found), (text, found)
    assert not any("Qt.Checked" in message for message in found), "the pragma was ignored"
    assert len(found) == len(expected), found


def test_scoped_code_passes(lint, tmp_path: Path):
    good = tmp_path / "good.py"
    good.write_text(GOOD, encoding="utf-8")
    assert findings_of(lint, good) == []


def test_fix_rewrites_unscoped_enums(lint, tmp_path: Path):
    source = tmp_path / "fixable.py"
    source.write_text("from qgis.PyQt.QtCore import Qt\n\nA = (Qt.UserRole, Qt.Key_Return)\n",
                      encoding="utf-8")
    assert lint.fix(lint.check([source])) == 2
    assert source.read_text(encoding="utf-8").endswith(
        "A = (Qt.ItemDataRole.UserRole, Qt.Key.Key_Return)\n")
    assert lint.check([source]) == []


def test_the_repository_has_no_findings_on_this_qgis():
    result = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "qt6_lint.py")],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 finding(s)" in result.stderr
