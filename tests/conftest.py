"""Test set-up shared by every test folder.

The repo root is the plugin package, deployed as `os_data_hub_loader`. To import it under that
name whatever the checkout folder is called (`fresh-ci` included), link a temporary folder of
that name to the repo root and put its parent on sys.path.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_RECORDINGS = REPO_ROOT.parent / "shared" / "os-api" / "recordings"
# The project's verbatim copy (the local server serves from it): used where shared/ is absent.
COPIED_RECORDINGS = REPO_ROOT / "local_os_api" / "recordings"
RECORDINGS = SHARED_RECORDINGS if SHARED_RECORDINGS.is_dir() else COPIED_RECORDINGS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _make_plugin_importable() -> None:
    link_parent = Path(tempfile.mkdtemp(prefix="osdh-plugin-"))
    (link_parent / "os_data_hub_loader").symlink_to(REPO_ROOT, target_is_directory=True)
    sys.path.insert(0, str(link_parent))


_make_plugin_importable()


@pytest.fixture(scope="session", autouse=True)
def _pytest_qgis_teardown_connection(request):
    """pytest-qgis connects QgsProject.instance().legendLayersAdded to processEvents and
    disconnects it at session end; in long sessions that connection is sometimes already gone
    (the proxy PyQt keeps for it), and the disconnect then fails the last test, whichever
    folder it is in. Make sure there is exactly one connection for it to remove. (Nothing to
    do where pytest-qgis is not loaded: `-p no:qgis`.)"""
    try:
        app = request.getfixturevalue("qgis_app")
    except pytest.FixtureLookupError:
        app = None
    yield
    if app is None:
        return
    from qgis.core import QgsProject

    signal = QgsProject.instance().legendLayersAdded
    try:
        signal.disconnect(app.processEvents)
    except TypeError:
        pass
    signal.connect(app.processEvents)


@pytest.fixture(scope="session")
def recordings() -> Path:
    return RECORDINGS


# --- the local OS API server (local_os_api) ----------------------------------------------------
# One in-process server for the whole session; its sample data is cached under the repo's
# `.cache/` (git-ignored) so that repeated runs start in well under a second.
LOCAL_OS_API_CACHE = REPO_ROOT / ".cache" / "local-os-api"


@pytest.fixture(scope="session")
def os_api_server():
    try:
        import osgeo  # noqa: F401
    except ImportError:
        pytest.skip("the local OS API server needs GDAL's Python bindings (osgeo)")
    from local_os_api import LocalOSAPI

    server = LocalOSAPI(data_dir=LOCAL_OS_API_CACHE).start()
    yield server
    server.stop()


@pytest.fixture
def os_api(os_api_server):
    """The session's local OS API server, with faults reset and the request log cleared."""
    os_api_server.faults.reset()
    os_api_server.token_lifetime = 299
    os_api_server.token_numbers_as_strings = False
    os_api_server.clear_requests()
    yield os_api_server
    os_api_server.faults.reset()
