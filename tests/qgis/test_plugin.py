"""The plugin loads in QGIS through classFactory, adds its action and dock, and unloads cleanly."""

from __future__ import annotations

import importlib

import pytest
from os_data_hub_loader.core.compat import QAction
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget


@pytest.fixture()
def plugin(iface):
    package = importlib.import_module("os_data_hub_loader")
    instance = package.classFactory(iface)
    instance.initGui()
    yield instance
    if instance.toggle_action is not None:
        instance.unload()


def test_init_gui_adds_the_toggle_action_and_a_hidden_dock(plugin, iface):
    assert isinstance(plugin.toggle_action, QAction)
    assert plugin.toggle_action.isCheckable()
    assert plugin.toggle_action.text() == "OS Data Hub"
    assert plugin.dock is not None
    assert plugin.dock.objectName() == "OSDataHubLoaderDock"
    assert plugin.dock.isHidden()
    assert plugin.options_factory in iface.optionsWidgetFactories()


def test_toggle_action_shows_and_hides_the_dock(plugin):
    plugin.toggle_action.setChecked(True)
    assert not plugin.dock.isHidden()
    plugin.toggle_action.setChecked(False)
    assert plugin.dock.isHidden()


def test_unload_removes_everything(plugin, iface):
    main_window = iface.mainWindow()
    assert plugin.toggle_action in iface.webToolBar().actions()
    assert [a.text() for a in iface.webMenu().actions()] == ["&OS Data Hub Loader"]
    plugin.unload()
    assert iface.webToolBar().actions() == []
    assert iface.webMenu().actions() == []
    assert iface.optionsWidgetFactories() == []
    assert plugin.toggle_action is None
    assert plugin.dock is None
    assert plugin.tasks.running == []
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert main_window.findChild(QAction, "OSDataHubLoaderToggleDock") is None
    assert main_window.findChild(QDockWidget, "OSDataHubLoaderDock") is None


def test_the_dock_opens_the_settings_page(plugin, iface):
    plugin.dock.settings_button.click()
    assert iface.optionsShown[-1] == "OSDataHubOptions"
    assert plugin.options_factory.createWidget(None).objectName() == "OSDataHubOptions"


def test_a_cancelled_task_does_not_wait_for_a_request_in_flight(wait_until):
    import socket
    import time

    from os_data_hub_loader.api.client import DownloadsClient
    from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
    from os_data_hub_loader.core.tasks import ApiTask, TaskRegistry

    silent = socket.socket()  # accepts connections and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        client = DownloadsClient(f"http://127.0.0.1:{silent.getsockname()[1]}",
                                 http=HttpSettings(timeout=30), retry=RetryPolicy(attempts=1))
        errors: list[str] = []
        task = ApiTask("hanging request", lambda _task: client.products(),
                       on_error=errors.append, cancel_token=client.cancel)
        registry = TaskRegistry()
        registry.start(task)
        time.sleep(0.5)  # the request is in flight
        started = time.monotonic()
        registry.cancel_all(wait_ms=5000)
        assert time.monotonic() - started < 2.0
        wait_until(lambda: errors, what="the task to report")
        assert errors == ["Cancelled."]
    finally:
        silent.close()
