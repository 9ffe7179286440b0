"""api messages are English strings that remember how to translate them (api.phrases), and api
stays free of Qt and QGIS."""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys
from pathlib import Path

from os_data_hub_loader.api.errors import (
    CREATE_FOLDER,
    AuthenticationError,
    OSAPIError,
    error_for_status,
    local_file_error,
)
from os_data_hub_loader.api.phrases import QT_TRANSLATE_NOOP, Phrase, join
from testsupport import imported_names

API = Path(__file__).resolve().parents[2] / "api"


def test_a_phrase_is_its_english_text():
    what = QT_TRANSLATE_NOOP("api", "the list of products")
    phrase = QT_TRANSLATE_NOOP("api", "Not found (404): {what}.").format(what=what)
    assert phrase == "Not found (404): the list of products."
    assert isinstance(phrase, str) and isinstance(phrase, Phrase)
    assert (phrase.context, phrase.source) == ("api", "Not found (404): {what}.")
    assert phrase.kwargs == {"what": what} and phrase.kwargs["what"].source == what


def test_joined_phrases_keep_their_parts():
    first = QT_TRANSLATE_NOOP("api", "Cancelled.")
    second = QT_TRANSLATE_NOOP("api", "The server said: {0}").format("busy")
    joined = join((first, second))
    assert joined == "Cancelled. The server said: busy"
    assert joined.context is None and joined.args == (first, second)
    added = first + " x"
    assert added == "Cancelled. x" and added.args == (first, " x")
    assert ("x " + first).args == ("x ", first)
    assert f"{first}!" == "Cancelled.!" and type(f"{first}!") is str


def test_a_phrase_survives_pickling():
    phrase = QT_TRANSLATE_NOOP("api", "{0} bytes").format(12)
    again = pickle.loads(pickle.dumps(phrase))
    assert again == phrase and again.source == "{0} bytes" and again.args == (12,)


def test_error_messages_are_phrases_and_read_as_before():
    error = error_for_status(401, what=QT_TRANSLATE_NOOP("api", "the list of products"),
                             body=b'{"fault": {"faultstring": "Invalid ApiKey"}}')
    assert isinstance(error, AuthenticationError) and error.exit_code == 3
    assert str(error) == ("The API key was refused (401) for the list of products: check it in "
                          "Settings → Options → OS Data Hub. The server said: Invalid ApiKey")
    assert isinstance(error.args[0], Phrase)
    assert isinstance(OSAPIError().args[0], Phrase)
    full = local_file_error("/data", OSError(errno.ENOSPC, "No space"), CREATE_FOLDER)
    assert str(full).startswith("Could not create the download folder /data: the disk is full.")
    assert full.args[0].kwargs["advice"].source.startswith("the disk is full.")


_imports = imported_names


def test_api_imports_neither_qt_nor_qgis():
    for path in sorted(API.glob("*.py")):
        assert not _imports(path) & {"qgis", "PyQt5", "PyQt6", "sip"}, path.name
        # GDAL only where the import stage runs, so the CLI works without it (--import says
        # what to do then).
        assert "osgeo" not in _imports(path, top_level=True), path.name
        assert "osgeo" not in _imports(path) or path.name == "importer.py", path.name
    code = ("import sys, api, api.cli, api.download, api.unpack, api.wmts, api.pipeline; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qgis', 'PyQt5', "
            "'osgeo')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=API.parent, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_api_imports_itself_relatively_so_the_plugin_has_one_copy(tmp_path):
    """Under the plugin's name (`os_data_hub_loader.api`), every module of `api` imports and
    none pulls in a second copy as top-level `api` (there would be two `OSAPIError`s)."""
    (tmp_path / "os_data_hub_loader").symlink_to(API.parent, target_is_directory=True)
    code = ("import importlib, pkgutil, sys; import os_data_hub_loader.api as package; "
            "names = [m.name for m in pkgutil.iter_modules(package.__path__)]; "
            "[importlib.import_module(package.__name__ + '.' + n) for n in names "
            " if n != '__main__']; "
            "print(len(names), sorted(m for m in sys.modules if m.split('.')[0] == 'api'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=API.parent, capture_output=True,
                            text=True, check=True, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    count, top_level = result.stdout.strip().split(" ", 1)
    assert int(count) > 10 and top_level == "[]"
