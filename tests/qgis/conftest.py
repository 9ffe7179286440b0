"""pytest-qgis's stub QgisInterface lacks the Web menu, Web toolbar, options page, layer tree
view and removeDockWidget calls that the real one has:
add them, backed by a real QMenu and QToolBar on the stub's main window, so tests can check
what the plugin adds and removes."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtWidgets import QMenu, QToolBar


@pytest.fixture()
def iface(qgis_iface):
    window = qgis_iface.mainWindow()
    web_menu = window.findChild(QMenu, "mWebMenu")
    if web_menu is None:
        web_menu = window.menuBar().addMenu("&Web")
        web_menu.setObjectName("mWebMenu")
        toolbar = QToolBar("Web Toolbar", window)
        toolbar.setObjectName("mWebToolBar")
        window.addToolBar(toolbar)
    toolbar = window.findChild(QToolBar, "mWebToolBar")
    submenus: dict[str, QMenu] = {}

    def add_to_web_menu(name, action):
        if name not in submenus:
            submenus[name] = web_menu.addMenu(name)
        submenus[name].addAction(action)

    def remove_from_web_menu(name, action):
        menu = submenus.get(name)
        if menu is not None:
            menu.removeAction(action)
            if menu.isEmpty():
                web_menu.removeAction(menu.menuAction())
                del submenus[name]

    qgis_iface.addPluginToWebMenu = add_to_web_menu
    qgis_iface.removePluginWebMenu = remove_from_web_menu
    qgis_iface.addWebToolBarIcon = toolbar.addAction
    qgis_iface.removeWebToolBarIcon = toolbar.removeAction
    options_factories: list = []
    qgis_iface.registerOptionsWidgetFactory = options_factories.append
    qgis_iface.unregisterOptionsWidgetFactory = options_factories.remove
    qgis_iface.optionsWidgetFactories = lambda: list(options_factories)
    options_shown: list[str] = []
    qgis_iface.showOptionsDialog = (
        lambda parent=None, currentPage="": options_shown.append(currentPage))
    qgis_iface.optionsShown = options_shown
    drop_handlers: list = []
    qgis_iface.registerCustomDropHandler = drop_handlers.append
    qgis_iface.unregisterCustomDropHandler = drop_handlers.remove
    qgis_iface.customDropHandlers = lambda: list(drop_handlers)
    if not hasattr(qgis_iface, "removeDockWidget"):
        qgis_iface.removeDockWidget = window.removeDockWidget
    qgis_iface.webMenu = lambda: web_menu
    qgis_iface.webToolBar = lambda: toolbar
    return qgis_iface


@pytest.fixture(scope="session", autouse=True)
def layer_tree_view(qgis_iface):
    """QGIS 3.40 and later: Processing's post-processing puts result layers into
    `iface.layerTreeView()`, which the real desktop has and pytest-qgis's stub lacks. A real
    view of the project's layer tree, on the stub's main window."""
    if hasattr(qgis_iface, "layerTreeView"):
        yield qgis_iface.layerTreeView()
        return
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView(qgis_iface.mainWindow())
    view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
    qgis_iface.layerTreeView = lambda: view
    yield view
    del qgis_iface.layerTreeView


@pytest.fixture(autouse=True)
def fail_on_slot_exceptions(monkeypatch):
    """An exception raised in a slot or a QgsTask's finished() would abort the test process
    (PyQt's default); record it instead and fail the test that caused it."""
    import sys
    import traceback

    errors: list[str] = []

    def hook(kind, value, tb):
        errors.append("".join(traceback.format_exception(kind, value, tb)))

    monkeypatch.setattr(sys, "excepthook", hook)
    yield errors
    if errors:
        pytest.fail("exception in a Qt slot or task callback:\n" + "\n".join(errors))


@pytest.fixture()
def auth_db():
    """The test profile's QGIS authentication database, unlocked, with no OS credentials."""
    from os_data_hub_loader.core.credentials import CredentialStore
    from qgis.core import QgsApplication

    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("test-master-password", True)
    store = CredentialStore()
    store.forget()
    yield manager
    store.forget()


@pytest.fixture()
def wait_until():
    """`testsupport.wait_until` as a fixture."""
    from testsupport import wait_until as wait

    return wait


@pytest.fixture(autouse=True)
def _no_task_outlives_its_test():
    """Background tasks a test started (previews, thumbnails, lists) are cancelled and drained
    before the next test, so that their requests do not land in its server log."""
    import time

    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    yield
    manager = QgsApplication.taskManager()
    manager.cancelAll()
    deadline = time.monotonic() + 15
    while manager.countActiveTasks() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def _qgis_in_english():
    """The plugin follows QGIS's language, and QGIS follows the system's locale: tests that
    start the plugin expect English whatever the machine's locale (a Welsh one, say), so QGIS's
    language is set to English as Settings → Options → General does. test_translation_cy.py
    sets Welsh itself."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "en_US")
    yield
    settings.remove("locale/overrideFlag")
    settings.remove("locale/userLocale")
