"""The dock with the keyboard only: a tooltip (and, where nothing labels it, an accessible name)
on every control, the tab order, the mnemonics, and the keys of the user guide's section 10 —
sent as real key events to whichever widget has the focus, in a main window that, like QGIS,
has its own Ctrl+F."""

from __future__ import annotations

import pytest
from os_data_hub_loader.core.compat import QAction
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.credentials import Credentials, CredentialStore
from os_data_hub_loader.core.tasks import TaskRegistry
from os_data_hub_loader.ui.dock import OSDataHubDock
from os_data_hub_loader.ui.settings_page import OSDataHubOptionsPage
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QEvent, QObject, Qt, QUrl, pyqtSlot
from qgis.PyQt.QtGui import QDesktopServices, QKeySequence
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabBar,
    QTextEdit,
    QWidget,
)
from testsupport import wait_until

from local_os_api import DEMO_KEY

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox,
               QTextEdit, QTabBar)
# Their inner widgets (a line edit's clear button, a table's corner button, a combo box's
# popup, a tab bar's scroll buttons) are Qt's own and described by Qt.
COMPOUND = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractScrollArea, QTabBar)
# Alt+letter of QGIS's main menus (Pro&ject, &Edit, &View, &Layer, &Settings, &Plugins,
# Vect&or, &Raster, &Database, &Web, &Mesh, Pro&cessing, &Help): a dock's mnemonic must not
# take one of them.
QGIS_MENU_LETTERS = set("JEVLSPORDWMCH")


class KeyRecorder(QObject):
    """Records the keys that reach a widget, i.e. that nothing inside it used up."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.keys: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self.keys.append(event.key())
        return False


@pytest.fixture()
def window(iface):
    """A main window like QGIS's: a central widget outside the dock and a Ctrl+F action (QGIS's
    Layer → Filter…)."""
    main = QMainWindow()
    main.resize(1100, 950)
    main.setCentralWidget(QLineEdit(main))
    main.filter_action = QAction("Filter…", main)
    main.filter_action.setShortcut(QKeySequence("Ctrl+F"))
    main.filter_triggered = []
    main.filter_action.triggered.connect(lambda: main.filter_triggered.append(True))
    main.addAction(main.filter_action)
    yield main
    main.close()
    main.deleteLater()


@pytest.fixture()
def make_dock(os_api, iface, window, monkeypatch, tmp_path, auth_db):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    settings = ApiContext().settings
    kept = settings.unpack, settings.add_to_map  # (settings outlive the test)
    made = []

    def make(key: str | None = None) -> OSDataHubDock:
        if key is not None:
            CredentialStore().save(Credentials(key))
        context = ApiContext()
        context.settings.download_folder = tmp_path / "downloads"
        dock = OSDataHubDock(iface, context, TaskRegistry(), window)
        dock.opendata.downloads.controls.unpack.setChecked(False)
        dock.opendata.downloads.controls.add_to_map.setChecked(False)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.show()
        window.activateWindow()
        QApplication.setActiveWindow(window)
        assert QTest.qWaitForWindowActive(window)
        made.append(dock)
        return dock

    yield make
    for dock in made:
        dock.close_down()
        dock.tasks.cancel_all()
    settings.unpack, settings.add_to_map = kept
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


@pytest.fixture()
def dock(make_dock):
    return make_dock()


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key, modifiers=Qt.KeyboardModifier.NoModifier) -> QWidget:
    """A key pressed by the user: it goes to whichever widget has the focus."""
    QTest.keyClick(focus(), key, modifiers)
    QApplication.processEvents()
    return focus()


def loaded(dock: OSDataHubDock) -> OSDataHubDock:
    tab = dock.opendata
    tab.ensure_loaded()
    wait_until(lambda: not tab.loading_products and tab.products, what="the product list")
    return dock


def files_listed(dock: OSDataHubDock) -> None:
    panel = dock.opendata.downloads
    wait_until(lambda: not panel.listing_files and panel.downloads, what="the files")


# -- tooltips and names --------------------------------------------------------------------------
def controls(root: QWidget) -> list[QWidget]:
    """The interactive widgets that `root` shows: buttons, fields, lists, and whatever else
    takes the focus with Tab (labels excepted: they are text, even with a link in them)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or isinstance(widget, QLabel):
            continue
        parent, inside = widget.parentWidget(), False
        while parent is not None and parent is not root:
            inside = inside or isinstance(parent, COMPOUND)
            parent = parent.parentWidget()
        if inside or widget.focusProxy() is not None:
            continue
        tab_focus = int(widget.focusPolicy()) & int(Qt.FocusPolicy.TabFocus)
        if isinstance(widget, INTERACTIVE) or tab_focus:
            found.append(widget)
    return found


def undescribed(root: QWidget) -> list[str]:
    """Controls without a (word-wrapped) tooltip, or with neither a label nor a name."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel)
               if label.buddy() is not None}
    problems = []
    for widget in controls(root):
        what = f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}"
        if isinstance(widget, QAbstractButton):
            what += f" {widget.text()!r}"
        if isinstance(widget, QTabBar):  # the tooltips are the tabs'
            tooltips = [widget.tabToolTip(i) for i in range(widget.count())]
            labelled = True
        else:
            tooltips = [widget.toolTip()]
            labelled = (bool(widget.text()) if isinstance(widget, QAbstractButton)
                        else id(widget) in buddies)
        if not all(text.strip() for text in tooltips):
            problems.append(f"{what}: no tooltip")
        elif not all(text.startswith("<p>") for text in tooltips):
            problems.append(f"{what}: tooltip not made with tip(), so it will not wrap")
        if not labelled and not widget.accessibleName():
            problems.append(f"{what}: no label and no accessible name")
    return problems


def test_every_control_of_every_tab_has_a_tooltip_and_a_name(dock):
    seen = 0
    for index in range(dock.tabs.count()):
        dock.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        seen += len(controls(dock.widget()))
        assert undescribed(dock.widget()) == [], dock.tabs.tabText(index)
    assert seen > 30


def test_the_walk_finds_a_control_added_without_a_tooltip(dock):
    from qgis.PyQt.QtWidgets import QPushButton

    QPushButton("New", dock.opendata.downloads).show()
    unnamed = QComboBox(dock.opendata.downloads)
    unnamed.setToolTip("<p>A combo box.</p>")
    plain = QLineEdit(dock.opendata.downloads)
    plain.setToolTip("Not wrapped.")
    plain.setAccessibleName("Plain")
    unnamed.show()
    plain.show()
    problems = undescribed(dock.widget())
    assert "QPushButton '' 'New': no tooltip" in problems
    assert any("QComboBox" in p and "no label and no accessible name" in p for p in problems)
    assert any("'Plain'" in p and "will not wrap" in p for p in problems)


def test_every_control_of_the_settings_page_has_a_tooltip_and_a_name(auth_db, window):
    page = OSDataHubOptionsPage(ApiContext(), TaskRegistry(), window)
    page.show()
    QApplication.processEvents()
    assert len(controls(page)) >= 8
    assert undescribed(page) == []
    page.close()


def test_the_documentation_link_has_a_tooltip(dock):
    loaded(dock)
    assert dock.opendata.select_product("OpenGreenspace")
    document = dock.opendata.details.document()
    links = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isAnchor():
                links.append(fragment.charFormat().toolTip())
            iterator += 1
        block = block.next()
    assert links and all("web browser" in text for text in links)


class UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @pyqtSlot(QUrl)
    def open(self, url) -> None:
        self.urls.append(url.toString())


def test_tab_reaches_the_documentation_link_and_enter_opens_it(dock):
    tab = loaded(dock).opendata
    assert tab.select_product("OpenGreenspace")
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("https", recorder, "open")
    try:
        tab.details.setFocus(Qt.FocusReason.TabFocusReason)
        assert press(Qt.Key.Key_Tab) is tab.details  # on the link, still in the details
        assert tab.details.textCursor().selectedText() == (
            "Product documentation (opens in the browser)")
        press(Qt.Key.Key_Return)
        assert recorder.urls and "open-map-greenspace" in recorder.urls[0]
    finally:
        QDesktopServices.unsetUrlHandler("https")


# -- mnemonics -----------------------------------------------------------------------------------
def mnemonics(root: QWidget) -> list[str]:
    letters = []
    for widget in root.findChildren(QWidget):
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        if widget.isVisibleTo(root) and text:
            sequence = QKeySequence.mnemonic(text)
            if not sequence.isEmpty():
                letters.append(sequence.toString().split("+")[-1])
    return letters


def test_mnemonics_do_not_clash_within_a_tab_or_with_qgis_menus(make_dock):
    dock = make_dock()
    for index in range(dock.tabs.count()):
        dock.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        letters = mnemonics(dock.widget())
        assert len(letters) == len(set(letters)), letters
        assert not set(letters) & QGIS_MENU_LETTERS, letters
    page = OSDataHubOptionsPage(ApiContext(), TaskRegistry(), dock)
    letters = mnemonics(page)
    assert len(letters) >= 8 and len(letters) == len(set(letters)), letters


def test_alt_letters_reach_the_labelled_controls(dock):
    tab = dock.opendata
    tab.downloads.table.setFocus()
    assert press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier) is tab.search
    assert press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier) is tab.downloads.areas
    assert press(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier) is tab.downloads.format


# -- Ctrl+F and the search box -------------------------------------------------------------------
def test_ctrl_f_goes_to_the_search_box_only_from_inside_the_panel(dock, window):
    tab = dock.opendata
    tab.search.setText("boundary")
    dock.tabs.setCurrentWidget(dock.packages)
    dock.packages.package_table.setFocus()
    assert press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier) is tab.search
    assert dock.tabs.currentWidget() is tab
    assert tab.search.selectedText() == "boundary"  # typing replaces it
    assert window.filter_triggered == []  # QGIS's Ctrl+F did not run as well

    window.centralWidget().setFocus()  # e.g. the map: QGIS's Ctrl+F is QGIS's
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_triggered == [True]
    assert focus() is window.centralWidget()


def test_enter_in_the_search_box_filters_at_once_and_moves_to_the_list(dock):
    tab = loaded(dock).opendata
    tab.search.setFocus()
    QTest.keyClicks(tab.search, "greenspace")
    assert press(Qt.Key.Key_Return) is tab.table  # no wait for the debounce
    assert tab.proxy.rowCount() == 1
    assert tab.table.currentIndex().row() == 0
    assert tab.table.selectionModel().isRowSelected(0, tab.table.rootIndex())
    assert tab.current is not None and tab.current.id == "OpenGreenspace"


def test_down_in_the_search_box_moves_to_the_list_keeping_the_current_row(dock):
    tab = loaded(dock).opendata
    assert tab.select_product("BoundaryLine")
    row = tab.table.currentIndex().row()
    tab.search.setFocus()
    assert press(Qt.Key.Key_Down) is tab.table
    assert tab.table.currentIndex().row() == row and tab.current.id == "BoundaryLine"
    tab.search.setFocus()
    # the keypad's Enter too
    assert press(Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier) is tab.table


def test_esc_clears_the_search_and_is_otherwise_left_alone(dock, window):
    tab = loaded(dock).opendata
    total = tab.proxy.rowCount()
    reached_window = KeyRecorder(window)
    tab.search.setFocus()
    QTest.keyClicks(tab.search, "greenspace")
    press(Qt.Key.Key_Return)
    assert tab.proxy.rowCount() == 1
    tab.search.setFocus()
    assert press(Qt.Key.Key_Escape) is tab.search
    assert tab.search.text() == "" and tab.proxy.rowCount() == total
    assert Qt.Key.Key_Escape not in reached_window.keys
    press(Qt.Key.Key_Escape)  # nothing to clear: Esc goes on as before, to the window
    assert reached_window.keys.count(Qt.Key.Key_Escape) == 1


# -- products, files, download ---------------------------------------------------------------------
def test_enter_on_a_product_then_space_and_enter_in_its_files(dock, os_api):
    tab = loaded(dock).opendata
    panel = tab.downloads
    tab.search.setFocus()
    QTest.keyClicks(tab.search, "greenspace")
    press(Qt.Key.Key_Return)
    assert press(Qt.Key.Key_Return) is panel.table  # before its files are listed
    files_listed(dock)
    assert panel.table.currentIndex().isValid()  # a current file for Space at once
    panel.format.setCurrentIndex(panel.format.findText("GeoPackage"))
    panel.set_areas({"SU"})
    panel.table.setCurrentIndex(panel.proxy.index(0, 3))  # any column will do
    assert panel.chosen() == []

    press(Qt.Key.Key_Return)  # nothing ticked: says how, downloads nothing
    assert panel.download_task is None and "Space" in panel.status.text()
    assert press(Qt.Key.Key_Space) is panel.table
    assert [d.area for d in panel.chosen()] == ["SU"]
    press(Qt.Key.Key_Space)
    assert panel.chosen() == []
    press(Qt.Key.Key_Space)
    assert "1 file ticked" in panel.total.text()

    os_api.clear_requests()
    press(Qt.Key.Key_Return)
    task = panel.download_task
    assert task is not None
    wait_until(lambda: panel.download_task is None, 60, what="the download")
    assert task.outcome.files and not task.outcome.errors
    assert [r for r in os_api.requests if r.server == "storage"]


def test_esc_cancels_a_running_download_only_from_the_download_area(dock, os_api, window):
    tab = loaded(dock).opendata
    panel = tab.downloads
    os_api.add_large_file(3_000_000)
    tab.refresh()
    wait_until(lambda: not tab.loading_products, what="the refreshed list")
    assert tab.select_product("BenchLargeFile")
    files_listed(dock)
    reached_window = KeyRecorder(window)
    panel.table.setFocus()
    press(Qt.Key.Key_Escape)  # no download running: Esc is not taken
    assert reached_window.keys == [Qt.Key.Key_Escape]

    os_api.faults.slow(1_000_000)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    task = panel.download_task
    assert task is not None
    wait_until(lambda: list(panel.destination().glob("*.part")), what="the download to start")
    tab.table.setFocus()  # the product list: not the download area
    press(Qt.Key.Key_Escape)
    assert not task.cancel_token.cancelled
    panel.table.setFocus()
    press(Qt.Key.Key_Escape)
    assert task.cancel_token.cancelled
    assert reached_window.keys == [Qt.Key.Key_Escape, Qt.Key.Key_Escape]  # (the product list's)
    wait_until(lambda: panel.download_task is None, what="the cancelled download")
    assert task.outcome.cancelled


# -- data packages and basemaps -------------------------------------------------------------------
def test_enter_moves_from_package_to_versions_to_files(make_dock):
    dock = make_dock(DEMO_KEY)
    tab = dock.packages
    dock.tabs.setCurrentWidget(tab)
    wait_until(lambda: tab.version is not None, what="the latest version's files")
    tab.package_table.setFocus()
    assert press(Qt.Key.Key_Return) is tab.version_table
    assert tab.version_table.currentIndex().row() == 0
    tab.version_table.setCurrentIndex(tab.version_model.index(1, 2))  # the full supply
    assert press(Qt.Key.Key_Return) is tab.file_table
    wait_until(lambda: tab.version is not None and tab.version.id == "110012"
               and not tab.busy, what="the full supply's files")
    assert tab.file_table.currentIndex().isValid()
    tab.file_table.setCurrentIndex(tab.file_model.index(0, 1))  # any column will do
    ticked = len(tab.chosen())
    assert ticked == tab.file_model.rowCount() >= 1  # all ticked by default
    press(Qt.Key.Key_Space)
    assert len(tab.chosen()) == ticked - 1
    press(Qt.Key.Key_Space)
    assert len(tab.chosen()) == ticked


def test_enter_in_the_package_files_downloads_and_esc_cancels(make_dock, os_api):
    dock = make_dock(DEMO_KEY)
    tab = dock.packages
    dock.tabs.setCurrentWidget(tab)
    wait_until(lambda: tab.version is not None and not tab.busy, what="files")
    os_api.faults.slow(5_000)
    tab.file_table.setFocus()
    press(Qt.Key.Key_Return)
    task = tab.controls.task
    assert task is not None
    tab.controls.unpack.setFocus()  # the download controls are the download area too
    press(Qt.Key.Key_Escape)
    assert task.cancel_token.cancelled
    wait_until(lambda: tab.controls.task is None, what="the cancelled download")


def test_enter_on_a_basemap_adds_it(make_dock):
    dock = make_dock(DEMO_KEY)
    tab = dock.basemaps
    dock.tabs.setCurrentWidget(tab)
    wait_until(lambda: tab.tree.topLevelItemCount() == 7 and not tab.service.busy,
               what="the OS Maps layers")
    assert tab.select("Outdoor_27700")
    tab.tree.setFocus()
    press(Qt.Key.Key_Return)
    (added,) = QgsProject.instance().mapLayers().values()
    assert added.name() == "OS Maps – Outdoor (British National Grid)"


# -- tab order -----------------------------------------------------------------------------------
def tab_walk(start: QWidget, within: QWidget, backwards: bool = False) -> list[QWidget]:
    """The widgets that Tab (or Shift+Tab) visits from `start` until it leaves `within` (to the
    rest of the main window) or comes back to `start`."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert focus() is start
    visited = [start]
    for _ in range(60):
        if backwards:
            widget = press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            widget = press(Qt.Key.Key_Tab)
        if widget is start or not within.isAncestorOf(widget):
            return visited
        if widget is not visited[-1]:  # (Tab walks the links in the details first)
            visited.append(widget)
    raise AssertionError(f"Tab never left: {[describe(w) for w in visited]}")


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    return f"{type(widget).__name__} {widget.accessibleName() or text!r}"


def test_tab_goes_through_the_opendata_tab_top_to_bottom(dock):
    tab = loaded(dock).opendata
    assert tab.select_product("OpenGreenspace")
    files_listed(dock)
    panel, controls_ = tab.downloads, tab.downloads.controls
    expected = [
        dock.tabs.tabBar(), dock.settings_button,
        tab.search, tab.category, tab.structure, tab.refresh_button, tab.table, tab.details,
        panel.format, panel.areas, panel.grid_button, panel.pick_button, panel.view_button,
        panel.gb_button, panel.table, panel.tick_all, panel.tick_none,
        *controls_.folder_parts, controls_.unpack, controls_.add_to_map,
        *([controls_.store] if controls_.store.isEnabled() else []),
        # (Cancel and Download are disabled: Tab passes them by)
    ]
    forwards = tab_walk(expected[0], dock)
    assert forwards == expected, [describe(w) for w in forwards]
    assert tab_walk(expected[-1], dock, backwards=True) == expected[::-1]


def test_tab_goes_through_the_packages_and_basemaps_tabs(make_dock):
    dock = make_dock(DEMO_KEY)
    tab = dock.packages
    dock.tabs.setCurrentWidget(tab)
    wait_until(lambda: tab.version is not None and not tab.busy, what="files")
    controls_ = tab.controls
    assert tab_walk(dock.tabs.tabBar(), dock) == [
        dock.tabs.tabBar(), dock.settings_button, tab.refresh_button,
        tab.package_table, tab.version_table, tab.file_table,
        *controls_.folder_parts, controls_.unpack, controls_.add_to_map, controls_.store,
        controls_.download_button,
    ]
    basemaps = dock.basemaps
    dock.tabs.setCurrentWidget(basemaps)
    wait_until(lambda: basemaps.tree.topLevelItemCount() == 7 and not basemaps.service.busy,
               what="the OS Maps layers")
    assert tab_walk(dock.tabs.tabBar(), dock) == [
        dock.tabs.tabBar(), dock.settings_button, basemaps.tree, basemaps.add_button,
        basemaps.refresh_button,
    ]


def test_tab_goes_through_the_settings_page_top_to_bottom(auth_db, window):
    page = OSDataHubOptionsPage(ApiContext(), TaskRegistry(), window)
    window.setCentralWidget(page)
    window.show()
    QApplication.setActiveWindow(window)
    assert QTest.qWaitForWindowActive(window)
    folder_line = page.folder.lineEdit()
    visited = tab_walk(page.key, page)
    order = [page.key, page.secret, page.test_button, folder_line, page.plan, page.workers,
             page.base_url]  # (Forget is disabled without a stored key)
    assert [w for w in visited if w in order] == order
