"""The Data packages tab against the local server: no key, refused key, empty list, packages →
versions → files → download → layers, OAuth 2 with token renewal, and no key anywhere."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.tasks import TaskRegistry
from os_data_hub_loader.ui.packages_tab import PackagesTab
from qgis.core import Qgis, QgsApplication, QgsProject

from local_os_api import DEMO_KEY, DEMO_SECRET, NO_PACKAGES_KEY


@pytest.fixture()
def make_tab(auth_db, os_api, iface, monkeypatch, tmp_path, wait_until):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    made = []

    def make(credentials: Credentials | None) -> PackagesTab:
        if credentials is not None:
            CredentialStore().save(credentials)
        context = ApiContext()
        context.settings.download_folder = tmp_path / "downloads"
        tab = PackagesTab(context, TaskRegistry(), iface)
        tab.controls.unpack.setChecked(True)  # (settings persist between tests)
        tab.controls.add_to_map.setChecked(True)
        made.append(tab)
        tab.ensure_loaded()
        wait_until(lambda: not tab.busy, what="the data packages")
        return tab

    yield make
    for tab in made:
        tab.close_down()
        tab.tasks.cancel_all()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


def test_without_credentials_it_explains_and_links_to_sign_up(make_tab, os_api):
    tab = make_tab(None)
    assert "add your OS Data Hub project API key" in tab.message.text()
    assert "https://osdatahub.os.uk" in tab.message.text()
    assert not tab.settings_button.isHidden()
    assert tab.package_model.rowCount() == 0
    assert not [r for r in os_api.requests if "dataPackages" in r.path]


def test_a_refused_key_says_so_and_points_to_the_settings(make_tab):
    tab = make_tab(Credentials("not-a-valid-key"))
    assert "refused" in tab.message.text() and "settings" in tab.message.text()
    assert not tab.settings_button.isHidden()


def test_an_empty_package_list_is_explained(make_tab):
    tab = make_tab(Credentials(NO_PACKAGES_KEY))
    assert "must first be ordered on the" in tab.message.text()


def test_packages_versions_files_with_the_latest_preselected(make_tab, wait_until, os_api):
    tab = make_tab(Credentials(DEMO_KEY))
    assert tab.package_model.rowCount() == 2
    assert tab.package_model.item(0, 0).text() == "Southampton Addresses"
    assert tab.package_model.item(0, 1).text() == "AddressBase"
    wait_until(lambda: tab.version is not None, what="the latest version's files")
    # Latest first and preselected: the change-only update 110013, labelled as such.
    assert tab.version.id == "110013"
    assert tab.version_model.item(0, 3).text() == "Change-only update (COU)"
    assert tab.version_model.item(1, 3).text() == "Full supply"
    assert tab.version_model.item(0, 2).text() == "UPDATE"
    assert "change-only update, not a full supply" in tab.message.text()
    assert len(tab.chosen()) == tab.file_model.rowCount() >= 1  # all ticked by default
    key_headers = [r.headers.get("key") for r in os_api.requests
                   if r.server == "api" and "dataPackages" in r.path]
    assert key_headers and set(key_headers) == {DEMO_KEY}


def _download(tab, wait_until):
    task = tab.start_download()
    assert task is not None
    wait_until(lambda: tab.controls.task is None, 60, what="the download")
    return task


def test_download_a_full_version_into_its_own_folder_and_load_it(make_tab, wait_until):
    tab = make_tab(Credentials(DEMO_KEY))
    wait_until(lambda: tab.version is not None, what="files")
    tab.version_table.selectRow(1)  # the INITIAL full supply
    wait_until(lambda: tab.version is not None and tab.version.id == "110012", what="110012")
    task = _download(tab, wait_until)
    assert task.outcome.errors == [] and task.outcome.files
    folder = tab.destination()
    assert folder.name.startswith("110012") and folder.parent.name.startswith("0040046952")
    assert all(path.parent == folder for path in task.outcome.files)
    layers = task.outcome.layers
    assert layers and all(layer.isValid() for layer in layers)
    assert all(layer.crs().authid() == "EPSG:27700" for layer in layers)
    assert QgsProject.instance().layerTreeRoot().findGroup(task.group_name) is not None
    assert tab.file_model.item(0, 2).text() == "done"


def test_versions_download_side_by_side(make_tab, wait_until):
    tab = make_tab(Credentials(DEMO_KEY))
    wait_until(lambda: tab.version is not None, what="files")
    latest = _download(tab, wait_until).request.folder
    tab.version_table.selectRow(1)
    wait_until(lambda: tab.version is not None and tab.version.id == "110012", what="110012")
    initial = _download(tab, wait_until).request.folder
    assert latest != initial and latest.parent == initial.parent
    assert list(latest.glob("*.zip")) and list(initial.glob("*.zip"))


def test_oauth2_token_is_fetched_renewed_and_no_secret_leaks(
    make_tab, wait_until, os_api, iface, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    log_messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: log_messages.append(f"{tag} {message}"))
    os_api.token_lifetime = 32  # renewed 30 s before expiry: every token is short-lived
    tab = make_tab(Credentials(DEMO_KEY, DEMO_SECRET))
    wait_until(lambda: tab.version is not None, what="files")
    time.sleep(2.5)
    task = _download(tab, wait_until)
    assert task.outcome.errors == []
    token_calls = [r for r in os_api.requests if r.path.startswith("/oauth2/token")]
    assert len(token_calls) >= 2  # fetched, then renewed before it expired
    bearer = [r.headers.get("Authorization", "") for r in os_api.requests
              if r.server == "api" and "dataPackages" in r.path]
    assert bearer and all(value.startswith("Bearer ") for value in bearer)
    assert not [r for r in os_api.requests if r.server == "storage" and (
        "Authorization" in r.headers or "key" in r.headers)]

    # The key and secret appear in no log, message, exception text or written file.
    texts = [*log_messages, *(r.getMessage() for r in caplog.records),
             tab.message.text(), tab.controls.status.text()]
    for level in (Qgis.MessageLevel.Info, Qgis.MessageLevel.Warning,
                  Qgis.MessageLevel.Critical, Qgis.MessageLevel.Success):
        texts += iface.messageBar().get_messages(level)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    files += [p for p in Path(QgsApplication.qgisSettingsDirPath()).rglob("*")
              if p.is_file() and p.name != "qgis-auth.db"]
    for secret in (DEMO_KEY, DEMO_SECRET):
        assert not [t for t in texts if secret in t]
        assert not [p for p in files if secret.encode() in p.read_bytes()]


def test_the_latest_version_endpoint_is_used_by_the_client(auth_db, os_api, monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    CredentialStore().save(Credentials(DEMO_KEY))
    context = ApiContext()
    with context.downloads_client(auth=context.auth()) as client:
        latest = client.data_package_version("0040046952", "latest")
    assert latest.id == "110013" and latest.previous_version_url
    assert not latest.next_version_url
