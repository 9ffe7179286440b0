"""QGIS in Welsh (locale cy): the plugin loads its Welsh translation and the dock, the settings
page, the actions and the messages from `api` are Welsh; the Welsh dock fits where the English
one does. QGIS in English (or any language without a translation) keeps the plugin English."""

from __future__ import annotations

import html
import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from os_data_hub_loader.api.errors import error_for_status
from os_data_hub_loader.api.phrases import QT_TRANSLATE_NOOP
from os_data_hub_loader.core.i18n import error_text, qgis_language, translation_file
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QPoint, QRect, Qt
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)

I18N = Path(__file__).resolve().parents[2] / "i18n"
TS = I18N / "os_data_hub_loader_cy.ts"
QM = I18N / "os_data_hub_loader_cy.qm"
CY = json.loads((I18N / "cy.json").read_text(encoding="utf-8"))
# English sources whose Welsh is different: none of them may be left on screen in Welsh.
ENGLISH_ONLY = {source for entries in CY.values() for source, text in entries.items()
                if text != source}


def welsh(context: str, source: str) -> str:
    return CY[context][source]


@pytest.fixture(scope="module")
def compiled_welsh() -> Path:
    """The compiled translation where the plugin looks for it, as `make translations` leaves
    it (.qm files are built, not committed)."""
    if not QM.exists() or QM.stat().st_mtime < TS.stat().st_mtime:
        if shutil.which("lrelease") is None:
            pytest.skip("lrelease is not installed (Debian: qttools5-dev-tools)")
        subprocess.run(["lrelease", "-silent", str(TS), "-qm", str(QM)], check=True)
    return QM


@pytest.fixture()
def qgis_locale():
    """Sets QGIS's user-interface language as Settings → Options → General does (the override
    flag and the locale); restores the test profile's settings afterwards."""
    app = QgsApplication.instance()
    if app.translation():
        pytest.skip("QGIS was started with a fixed language (--lang)")
    settings = QgsSettings()
    keys = ("locale/overrideFlag", "locale/userLocale")
    saved = {key: settings.value(key) for key in keys}

    def set_locale(code: str) -> None:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", code)

    yield set_locale
    for key, value in saved.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


@pytest.fixture()
def start_plugin(iface, qgis_locale, compiled_welsh):
    """The plugin as QGIS starts it (classFactory, initGui) with QGIS in `code`."""
    started = []

    def start(code: str):
        qgis_locale(code)
        plugin = importlib.import_module("os_data_hub_loader").classFactory(iface)
        plugin.initGui()
        started.append(plugin)
        return plugin

    yield start
    for plugin in started:
        if plugin.toggle_action is not None:
            plugin.unload()


def plain(tooltip: str) -> str:
    """A tooltip's text without the paragraph `ui.widgets.tip()` puts it in."""
    return html.unescape(re.sub(r"<[^>]+>", "", tooltip))


def header(view: QAbstractItemView, column: int) -> str:
    return view.model().headerData(column, Qt.Orientation.Horizontal)


def shown_texts(root: QWidget) -> set[str]:
    """Every text a widget under `root` can show: labels, buttons, placeholders, tooltips,
    combo box items, tab titles and column headers."""
    texts = set()
    for widget in [root, *root.findChildren(QWidget)]:
        texts.update((widget.toolTip(), plain(widget.toolTip()), widget.accessibleName()))
        if isinstance(widget, (QAbstractButton, QLabel)):
            texts.add(widget.text())
        if isinstance(widget, QLineEdit):
            texts.add(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts.update(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTabWidget):
            texts.update(widget.tabText(i) for i in range(widget.count()))
            texts.update(plain(widget.tabToolTip(i)) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts.update(str(header(widget, c)) for c in range(widget.model().columnCount()))
    return {text for text in texts if text}


def test_the_plugin_started_in_welsh_has_a_welsh_dock(start_plugin):
    plugin = start_plugin("cy")
    assert plugin.translator is not None
    dock = plugin.dock
    opendata, packages, basemaps = dock.opendata, dock.packages, dock.basemaps
    panel, controls = opendata.downloads, opendata.downloads.controls
    tabs = [dock.tabs.tabText(i) for i in range(dock.tabs.count())]
    assert tabs == [welsh("OSDataHubDock", s) for s in ("OpenData", "Data packages", "Basemaps")]
    assert tabs[1:] != ["Data packages", "Basemaps"]
    shown = [
        (plain(dock.settings_button.toolTip()), "OSDataHubDock",
         "OS Data Hub settings: API key, download folder, rate limit."),
        (plugin.toggle_action.toolTip(), "OSDataHubLoaderPlugin",
         "Show or hide the OS Data Hub panel"),
        (plugin.basemap_actions.action.text(), "@default", "Add OS basemap"),
        (opendata.search.placeholderText(), "OpenDataTab", "Search OS OpenData products…"),
        (opendata.refresh_button.text(), "OpenDataTab", "Refresh"),
        (opendata.category.itemText(0), "OpenDataTab", "All categories"),
        (opendata.structure.itemText(0), "OpenDataTab", "Vector and raster"),
        (header(opendata.table, 0), "OpenDataTab", "Product"),
        (panel.areas.placeholderText(), "DownloadsPanel",
         "All areas — or type squares: SU, TQ (or GB)"),
        (panel.grid_button.text(), "DownloadsPanel", "&Grid on map"),
        (panel.pick_button.text(), "DownloadsPanel", "P&ick squares"),
        (panel.view_button.text(), "DownloadsPanel", "S&quares in view"),
        (panel.gb_button.text(), "DownloadsPanel", "All of G&B"),
        (panel.tick_all.text(), "DownloadsPanel", "Tic&k all shown"),
        (panel.tick_none.text(), "DownloadsPanel", "&Untick all"),
        (plain(panel.table.toolTip()), "DownloadsPanel", "The product's files. Space ticks or "
         "unticks the current file; Enter downloads the ticked files."),
        (opendata.search_label.text(), "OpenDataTab", "&Find"),
        (header(panel.table, 0), "DownloadsPanel", "File"),
        (controls.unpack.text(), "DownloadControls", "Unpack"),
        (controls.add_to_map.text(), "DownloadControls", "Add to map"),
        (controls.download_button.text(), "DownloadControls", "Dow&nload"),
        (controls.cancel_button.text(), "DownloadControls", "Cancel"),
        (plain(controls.download_button.toolTip()), "DownloadControls",
         "Tick the files to download first: Space ticks the current file in the file list."),
        (packages.settings_button.text(), "PackagesTab", "Open OS Data Hub settings…"),
        (header(packages.version_table, 0), "PackagesTab", "Product version"),
        (basemaps.add_button.text(), "BasemapsTab", "&Add to map"),
        (basemaps.tree.headerItem().text(2), "BasemapsTab", "Zoom levels"),
    ]
    for text, context, source in shown:
        assert (text, source) == (welsh(context, source), source)
        assert text != source
    assert panel.total.text() == welsh("DownloadsPanel", "{0} files ticked, {1}").format(0, "0 B")
    assert shown_texts(dock) & ENGLISH_ONLY == set()


def test_the_settings_page_is_welsh(start_plugin):
    plugin = start_plugin("cy")
    page = plugin.options_factory.createWidget(None)
    try:
        assert plugin.options_factory.title() == "OS Data Hub"  # a name: not translated
        assert page.test_button.text() == welsh("OSDataHubOptionsPage", "&Test") != "&Test"
        assert page.forget_button.text() == welsh("OSDataHubOptionsPage", "&Forget credentials")
        assert welsh("OSDataHubOptionsPage", "API &key") in shown_texts(page)
        assert shown_texts(page) & ENGLISH_ONLY == set()
    finally:
        page.deleteLater()


# Alt+letter of QGIS's main menus, which stay English (QGIS has no Welsh translation).
QGIS_MENU_LETTERS = set("JEVLSPORDWMCH")


def mnemonic_letters(root: QWidget) -> list[str]:
    letters = []
    for widget in root.findChildren(QWidget):
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        sequence = QKeySequence.mnemonic(text) if text and widget.isVisibleTo(root) else None
        if sequence is not None and not sequence.isEmpty():
            letters.append(sequence.toString().split("+")[-1])
    return letters


def test_welsh_mnemonics_do_not_clash(start_plugin):
    """Within each tab of the dock, and on the settings page, every Alt+letter is different,
    and none takes a letter of QGIS's menus."""
    plugin = start_plugin("cy")
    dock = _dock(plugin.iface)
    try:
        for index in range(dock.tabs.count()):
            dock.tabs.setCurrentIndex(index)
            QCoreApplication.processEvents()
            letters = mnemonic_letters(dock.widget())
            assert letters and len(letters) == len(set(letters)), letters
            assert not set(letters) & QGIS_MENU_LETTERS, letters
        page = plugin.options_factory.createWidget(None)
        letters = mnemonic_letters(page)
        assert len(letters) >= 8 and len(letters) == len(set(letters)), letters
        page.deleteLater()
    finally:
        dock.close_down()
        dock.deleteLater()


def test_an_api_error_shown_in_qgis_is_welsh(start_plugin, auth_db, os_api, monkeypatch,
                                             wait_until):
    """A key the server refuses: the Data packages tab says so in Welsh, the `api` part too."""
    from os_data_hub_loader.core.credentials import Credentials, CredentialStore

    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    CredentialStore().save(Credentials("not-a-valid-key"))
    tab = start_plugin("cy").dock.packages
    tab.refresh()
    wait_until(lambda: not tab.busy, what="the data packages")
    refused = welsh("api", "The API key was refused (401) for {what}: {hint}.").format(
        what=welsh("api", "the list of data packages"),
        hint=welsh("api", "check it in Settings → Options → OS Data Hub"))
    prefix = welsh("PackagesTab", "The OS Data Hub refused the stored key: {0} Check the key in "
                   "the settings (and that the project has the Downloads API).").split("{0}")[0]
    assert tab.message.text().startswith(prefix + refused)
    assert "refused" not in tab.message.text()

    error = error_for_status(404, what=QT_TRANSLATE_NOOP("api", "the list of products"),
                             body=b'{"error": {"message": "No such thing"}}')
    assert error_text(error) == " ".join([
        welsh("api", "Not found (404): {what}. Check the product, package, version or file "
                     "name.").format(what=welsh("api", "the list of products")),
        welsh("api", "The server said: {0}").format("No such thing")])
    assert str(error).startswith("Not found (404): the list of products.")  # the CLI's English


def test_english_stays_english(start_plugin):
    plugin = start_plugin("en_GB")
    assert plugin.translator is None
    dock = plugin.dock
    assert [dock.tabs.tabText(i) for i in range(3)] == ["OpenData", "Data packages", "Basemaps"]
    assert dock.opendata.downloads.controls.download_button.text() == "Dow&nload"
    error = error_for_status(404, what=QT_TRANSLATE_NOOP("api", "the list of products"))
    assert error_text(error) == str(error)


def test_unloading_takes_the_welsh_translation_away(start_plugin):
    plugin = start_plugin("cy")
    assert QCoreApplication.translate("OSDataHubDock", "Data packages") == "Pecynnau data"
    plugin.unload()
    assert plugin.translator is None
    assert QCoreApplication.translate("OSDataHubDock", "Data packages") == "Data packages"


@pytest.mark.parametrize("code, found", [
    ("cy", True), ("cy_GB", True), ("cy-GB", True), ("CY", True),
    ("en", False), ("en_GB", False), ("en_US", False), ("C", False), ("fr_FR", False), ("", False),
])
def test_only_welsh_has_a_translation(compiled_welsh, code, found):
    assert (translation_file(code) == compiled_welsh) is found


def test_the_language_is_chosen_as_qgis_chooses_it(qgis_locale, monkeypatch):
    qgis_locale("cy")
    assert qgis_language() == "cy"
    # Without the override QGIS uses (and writes into userLocale) the system's locale.
    QgsSettings().setValue("locale/overrideFlag", False)
    assert qgis_language() == QLocale.system().name()
    # --lang (QgsApplication.translation()) wins over both.
    monkeypatch.setattr(QgsApplication, "translation", lambda _app: "cy_GB")
    assert qgis_language() == "cy_GB"


# -- the Welsh dock fits ---------------------------------------------------------------------------
def cut_off(root: QWidget) -> list[str]:
    """The shown tab titles, buttons, check boxes and one-line labels under `root` that do not
    fit: past the edge of `root`, squeezed narrower than their text, or (tab titles) scrolled
    out of the tab bar. (The contents of scroll areas and tables may extend past what is
    visible.)"""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        parent, inside = widget.parentWidget(), False
        while parent is not None and parent is not root:
            inside = inside or isinstance(parent, (QTabBar, QAbstractScrollArea))
            parent = parent.parentWidget()
        rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
        if isinstance(widget, QTabBar):
            found += [f"tab {widget.tabText(i)!r} at {widget.tabRect(i)} in {widget.rect()}"
                      for i in range(widget.count())
                      if not widget.rect().contains(widget.tabRect(i))]
        if inside or not isinstance(widget, (QAbstractButton, QLabel, QTabBar)):
            continue
        if isinstance(widget, QLabel) and (not widget.text() or widget.wordWrap()):
            continue
        if isinstance(widget, QAbstractButton) and not widget.text():
            continue  # icon buttons are sized by their owners
        if not root.rect().contains(rect) or widget.width() < widget.minimumSizeHint().width():
            found.append(f"{type(widget).__name__} {widget.text()!r} at {rect} in {root.rect()}")
    return found


def _dock(iface, width: int | None = None):
    from os_data_hub_loader.core.context import ApiContext
    from os_data_hub_loader.core.tasks import TaskRegistry
    from os_data_hub_loader.ui.dock import OSDataHubDock

    dock = OSDataHubDock(iface, ApiContext(), TaskRegistry())
    dock.resize(width or dock.sizeHint().width(), 900)
    dock.show()
    return dock


def test_the_welsh_dock_fits_at_its_default_and_at_its_narrowest(start_plugin, iface):
    """Rows of buttons wrap, so only the tab titles (never scrolled away) set how narrow the
    dock can be; at its default width and at that narrowest nothing is cut off."""
    assert start_plugin("cy").translator is not None
    probe = _dock(iface)
    titles = (probe.tabs.tabBar().minimumSizeHint().width()
              + probe.settings_button.sizeHint().width())
    narrowest = probe.minimumSizeHint().width()
    for page in (probe.opendata, probe.packages, probe.basemaps):
        assert page.minimumSizeHint().width() <= titles, type(page).__name__
    probe.close_down()
    probe.deleteLater()
    for width in (None, narrowest):
        dock = _dock(iface, width)
        try:
            for tab in range(dock.tabs.count()):
                dock.tabs.setCurrentIndex(tab)
                QCoreApplication.processEvents()
                assert cut_off(dock) == [], f"tab {tab}, width {dock.width()}"
        finally:
            dock.close_down()
            dock.deleteLater()
