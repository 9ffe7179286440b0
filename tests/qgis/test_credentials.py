"""The API key and secret live only in the QGIS authentication database; the settings page
stores, tests and forgets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.tasks import TaskRegistry
from os_data_hub_loader.ui.settings_page import OSDataHubOptionsFactory, OSDataHubOptionsPage
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtWidgets import QLabel

from local_os_api import DEMO_KEY, DEMO_SECRET, NO_PACKAGES_KEY, PREMIUM_KEY


def profile_files() -> list[Path]:
    return [p for p in Path(QgsApplication.qgisSettingsDirPath()).rglob("*") if p.is_file()]


def test_saved_key_is_trimmed_encrypted_and_only_in_the_auth_database(auth_db):
    store = CredentialStore()
    assert store.load() is None and not store.has_credentials()
    assert store.save(Credentials(f"  {DEMO_KEY}\n", f" {DEMO_SECRET} "))
    assert store.has_credentials()
    loaded = store.load()
    assert loaded == Credentials(DEMO_KEY, DEMO_SECRET)
    assert DEMO_KEY not in repr(loaded)
    QgsSettings().sync()
    for path in profile_files():  # settings, auth database (encrypted), caches
        assert DEMO_KEY.encode() not in path.read_bytes(), path
        assert DEMO_SECRET.encode() not in path.read_bytes(), path


def test_saving_without_a_secret_removes_an_old_one_and_forget_removes_all(auth_db):
    store = CredentialStore()
    store.save(Credentials(DEMO_KEY, DEMO_SECRET))
    store.save(Credentials(DEMO_KEY))
    assert store.load() == Credentials(DEMO_KEY, None)
    store.forget()
    assert store.load() is None and not store.has_credentials()


@pytest.fixture()
def page(auth_db, os_api, monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    tasks = TaskRegistry()
    widget = OSDataHubOptionsPage(ApiContext(), tasks)
    yield widget
    tasks.cancel_all()


def test_options_page_is_offered_under_the_name_the_messages_use():
    factory = OSDataHubOptionsFactory(ApiContext(), TaskRegistry(), QgsApplication.getThemeIcon(
        "/mActionOptions.svg"))
    assert factory.title() == "OS Data Hub"
    widget = factory.createWidget(None)
    assert widget.objectName() == "OSDataHubOptions"


def test_apply_stores_a_pasted_key_and_clears_the_fields(page):
    page.key.setText(f"  {DEMO_KEY} \n")
    page.apply()
    assert CredentialStore().load() == Credentials(DEMO_KEY)
    assert page.key.text() == "" and "stored" in page.stored.text()
    assert page.forget_button.isEnabled()
    page.forget()
    assert CredentialStore().load() is None
    assert not page.forget_button.isEnabled()


def test_apply_keeps_the_stored_key_when_the_fields_are_left_empty(page):
    CredentialStore().save(Credentials(DEMO_KEY))
    page.apply()
    assert CredentialStore().load() == Credentials(DEMO_KEY)


@pytest.mark.parametrize(
    ("key", "secret", "expected"),
    [
        (DEMO_KEY, None, ["✔ OS OpenData", "✔ Data packages: the key works: 2 data packages",
                          "✔ OS Maps basemaps: the key works: 7 layers, open zoom levels"]),
        (PREMIUM_KEY, None, ["✔ OS Maps basemaps: the key works: 7 layers, premium zoom"]),
        (DEMO_KEY, DEMO_SECRET, ["✔ Data packages", "OAuth 2"]),
        (NO_PACKAGES_KEY, None, ["✔ Data packages: the key works; no data packages yet"]),
        ("wrong-key", None, ["✘ Data packages: the key (or secret) was refused (401)",
                             "✘ OS Maps basemaps: the key (or secret) was refused (401)"]),
        (DEMO_KEY, "wrong-secret", ["✘ Data packages: the key (or secret) was refused"]),
    ],
)
def test_test_button_says_what_the_credentials_open(page, wait_until, key, secret, expected):
    page.key.setText(key)
    if secret:
        page.secret.setText(secret)
    page.test()
    wait_until(lambda: not page.checking, what="the credential test")
    text = page.result.text()
    for part in expected:
        assert part in text, text
    for value in (key, secret):
        if value:
            assert value not in text


def test_test_checks_the_typed_address_with_the_quick_policy(page, wait_until, os_api,
                                                             monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", "http://127.0.0.1:9")  # not the address tested
    page.base_url.setText(os_api.url)
    page.key.setText(DEMO_KEY)
    os_api.faults.fail_next(503, times=100)
    page.test()
    wait_until(lambda: not page.checking, what="the credential test")
    assert page.result.text().count("503") == 3, page.result.text()
    # Someone is waiting for the answer: each service is tried twice, not five times.
    api = [r for r in os_api.requests if r.server == "api"]
    assert len([r for r in api if r.path.endswith("/products")]) == 2
    assert len([r for r in api if r.path.endswith("/dataPackages")]) == 2
    assert len([r for r in api if "/maps/" in r.path]) == 2


def test_test_without_any_key_says_opendata_needs_none(page):
    page.test()
    assert "OS OpenData works without one" in page.result.text()


def test_download_folder_rate_limit_and_workers_are_saved(page, tmp_path):
    page.folder.setFilePath(str(tmp_path / "os-data"))
    page.plan.setCurrentIndex(page.plan.findData(50))
    page.workers.setValue(2)
    page.apply()
    settings = page.context.settings
    assert settings.download_folder == tmp_path / "os-data"
    assert settings.requests_per_minute == 50 and settings.workers == 2
    assert page.context.rate_limiter.requests_per_minute == 50
    settings.requests_per_minute = 600
    settings.workers = 4


def test_the_page_says_when_the_environment_overrides_the_api_address(page, os_api):
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert any("OS_API_BASE_URL is set: " + os_api.url in text for text in texts)


def test_an_api_address_without_a_scheme_is_not_saved(page):
    before = page.context.settings.stored_base_url
    page.base_url.setText("api.example.com")
    page.apply()
    assert page.context.settings.stored_base_url == before
    assert "must start with https://" in page.result.text()
