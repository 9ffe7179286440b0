"""The OpenData tab as a user meets it, against the local OS API server: list, search, filter,
details, files, areas on the map, download into layers, cancel and resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from os_data_hub_loader.api.models import human_size
from os_data_hub_loader.core import cache
from os_data_hub_loader.core.catalogue import CatalogueService
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.tasks import TaskRegistry
from os_data_hub_loader.ui.opendata_tab import OpenDataTab
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QLabel
from testsupport import wait_until


@pytest.fixture()
def tab(os_api, iface, monkeypatch, tmp_path):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    context = ApiContext()
    context.settings.download_folder = tmp_path / "downloads"
    tasks = TaskRegistry()
    widget = OpenDataTab(context, tasks, iface)
    widget.downloads.controls.unpack.setChecked(True)  # (settings persist between tests)
    widget.downloads.controls.add_to_map.setChecked(True)
    widget.resize(500, 900)
    yield widget
    widget.close_down()
    tasks.cancel_all()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


def loaded(tab: OpenDataTab) -> OpenDataTab:
    tab.ensure_loaded()
    wait_until(lambda: not tab.loading_products and tab.products, what="the product list")
    return tab


def names(tab: OpenDataTab) -> list[str]:
    return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def choose(tab: OpenDataTab, product_id: str) -> None:
    assert tab.select_product(product_id)
    wait_until(lambda: not tab.downloads.listing_files and tab.downloads.downloads,
               what=f"the files of {product_id}")


def test_products_are_listed_with_version_category_and_type(tab, os_api):
    loaded(tab)
    assert tab.model.rowCount() == len(os_api.catalogue.products)
    row = names(tab).index("OS Open Greenspace")
    assert tab.proxy.index(row, 1).data() == "2020-10"
    assert tab.proxy.index(row, 2).data() == "Greenspace"
    assert tab.proxy.index(row, 3).data() == "Vector"
    assert "products" in tab.status.text()


def test_products_and_files_are_listed_a_to_z(tab):
    loaded(tab)
    shown = names(tab)
    assert len(shown) > 3 and shown == sorted(shown)
    choose(tab, "OpenGreenspace")
    proxy = tab.downloads.proxy
    files = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert len(files) > 3 and files == sorted(files)


def test_search_filters_after_typing_pauses(tab):
    loaded(tab)
    total = tab.proxy.rowCount()
    tab.search.setText("greenspace")
    assert tab.proxy.rowCount() == total  # not yet: debounced
    wait_until(lambda: tab.proxy.rowCount() < total, what="the search filter")
    assert names(tab) == ["OS Open Greenspace"]
    assert tab.status.text() == f"1 of {total} products"


def test_category_and_structure_filters(tab):
    loaded(tab)
    tab.structure.setCurrentIndex(tab.structure.findData("Raster"))
    rasters = names(tab)
    assert rasters and "OS Open Greenspace" not in rasters
    tab.structure.setCurrentIndex(0)
    tab.category.setCurrentIndex(tab.category.findData("Greenspace"))
    assert names(tab) == ["OS Open Greenspace"]


def test_the_list_is_cached_and_shown_at_once_next_time(tab, os_api, iface):
    loaded(tab)
    again = OpenDataTab(tab.context, TaskRegistry(), iface)
    cached = cache.load_json("products", os_api.url)
    assert cached and len(cached) == len(tab.products)
    again.ensure_loaded()  # shows the saved list before the refresh finishes
    assert again.model.rowCount() == len(tab.products)
    assert "refreshing" in again.status.text()
    wait_until(lambda: not again.loading_products, what="the refresh")
    again.close_down()


def test_a_failed_refresh_says_so_and_keeps_the_list(tab, os_api):
    loaded(tab)
    os_api.faults.fail_next(503, times=20, target="api")
    tab.context.retry = type(tab.context.retry)(attempts=2, base_delay=0.01, max_delay=0.02)
    tab.refresh()
    wait_until(lambda: not tab.loading_products, what="the failed refresh")
    assert "503" in tab.status.text()
    assert tab.model.rowCount() == len(tab.products)


def test_details_show_description_formats_and_documentation_link(tab):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    text = tab.details.toHtml()
    assert "OS Open Greenspace" in text
    assert "ESRI® Shapefile" in text and "GeoPackage" in text
    assert "open-map-greenspace" in text  # the documentation link


def test_thumbnails_load_in_the_background(tab):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    wait_until(lambda: tab.thumbnail_count > 0, what="a thumbnail")
    label = tab.thumbnails.findChild(QLabel)
    assert label.pixmap() is not None and not label.pixmap().isNull()


def test_the_catalogue_service_shows_the_saved_list_then_the_fresh_one(tab, os_api):
    loaded(tab)
    service = CatalogueService(tab.context, TaskRegistry())
    seen: list[tuple[str, object]] = []
    service.loadingChanged.connect(lambda loading: seen.append(("loading", loading)))
    service.productsChanged.connect(lambda saved: seen.append(("products", saved)))
    service.ensure_loaded()
    assert seen == [("products", True), ("loading", True)]  # the saved list at once
    assert [p.name for p in service.products] == sorted(
        (p.name for p in service.products), key=str.lower)
    wait_until(lambda: not service.loading, what="the refresh")
    assert seen[2:] == [("loading", False), ("products", False)]
    assert len(service.products) == len(os_api.catalogue.products)
    service.ensure_loaded()  # loaded: nothing again
    assert len(seen) == 4

    pictures: list[tuple[str, bytes]] = []
    service.thumbnailLoaded.connect(lambda product, data: pictures.append((product.id, data)))
    greenspace = next(p for p in service.products if p.id == "OpenGreenspace")
    service.load_thumbnails(greenspace)  # cached by the tab's test above, or fetched
    wait_until(lambda: len(pictures) == greenspace.image_count, what="the pictures")
    assert {product_id for product_id, _data in pictures} == {"OpenGreenspace"}
    assert all(data for _id, data in pictures)
    service.close_down()


def test_files_filter_by_format_and_area(tab):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    panel = tab.downloads
    assert not panel.table.isColumnHidden(2)  # GML's subformat "3"
    total = panel.proxy.rowCount()
    assert total == len(panel.downloads) > 3
    panel.format.setCurrentIndex(panel.format.findText("GeoPackage"))
    assert {panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())} == {
        "GeoPackage"}
    panel.areas.setText("su, TQ")
    QTest.keyClick(panel.areas, Qt.Key.Key_Return)  # editing finished
    shown = {panel.proxy.index(r, 3).data() for r in range(panel.proxy.rowCount())}
    assert shown == {"SU", "TQ"} & set(panel.available_areas)
    panel.areas.setText("SU, XX")
    QTest.keyClick(panel.areas, Qt.Key.Key_Return)  # editing finished
    assert "XX" in panel.status.text()


def test_picking_squares_on_the_map_syncs_with_the_area_filter(tab, iface):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    panel = tab.downloads
    panel.grid_button.setChecked(True)
    layer = panel.grid_layer
    assert layer is not None and layer.featureCount() == len(
        [a for a in panel.available_areas if a != "GB"])
    assert layer.labelsEnabled()
    panel.toggle_square("SU")
    panel.toggle_square("TQ")
    assert panel.selected_areas() == {"SU", "TQ"}
    assert sorted(f["code"] for f in layer.selectedFeatures()) == ["SU", "TQ"]
    panel.toggle_square("TQ")
    assert panel.areas.text() == "SU"
    layer_id = layer.id()
    assert QgsProject.instance().mapLayer(layer_id) is not None
    panel.grid_button.setChecked(False)
    assert panel.grid_layer is None
    assert QgsProject.instance().mapLayer(layer_id) is None


def test_squares_in_view_work_in_any_crs(tab, iface):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    panel = tab.downloads
    canvas = iface.mapCanvas()
    size = canvas.mapSettings().outputSize()
    aspect = size.width() / max(1, size.height())

    def show(cx, cy, max_half_width, max_half_height):
        # An extent with the canvas's own shape, so that QGIS does not widen it.
        half_height = min(max_half_height, max_half_width / aspect)
        half_width = half_height * aspect
        canvas.setExtent(QgsRectangle(cx - half_width, cy - half_height,
                                      cx + half_width, cy + half_height))

    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    show(-1.3, 51.05, 0.15, 0.08)  # north of Southampton, all inside SU
    panel.pick_squares_in_view()
    assert panel.selected_areas() == {"SU"}
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    show(500_000, 150_000, 95_000, 45_000)  # across the SU/TQ boundary
    panel.pick_squares_in_view()
    assert panel.selected_areas() == {"SU", "TQ"} & set(panel.available_areas)


def _download(panel, timeout=60.0):
    panel.start_download()
    assert panel.download_task is not None
    task = panel.download_task
    wait_until(lambda: panel.download_task is None, timeout, what="the download task")
    return task


def tick(tab, product_id: str, format_: str, areas: set[str]):
    """Choose a product, show one format and some areas, and tick every file shown."""
    choose(tab, product_id)
    panel = tab.downloads
    panel.format.setCurrentIndex(panel.format.findText(format_))
    panel.set_areas(areas)
    panel.tick_all.click()
    return panel


def test_download_verifies_unpacks_and_loads_layers(tab, os_api):
    loaded(tab)
    panel = tick(tab, "OpenGreenspace", "GeoPackage", {"SU"})
    assert panel.chosen() and "1 file ticked" in panel.total.text()
    task = _download(panel)
    assert task.outcome.errors == [] and not task.outcome.cancelled
    file = task.outcome.files[0]
    assert file.exists() and not Path(str(file) + ".part").exists()
    assert file.parent == panel.destination()
    group = QgsProject.instance().layerTreeRoot().findGroup("OS Open Greenspace (2020-10)")
    assert group is not None and group.findLayers()
    for node in group.findLayers():
        layer = node.layer()
        assert layer.isValid()
        assert any("Crown copyright" in r for r in layer.metadata().rights())
    status = panel.model.item(panel._rows[file.name], 5).text()
    assert status == "done"

    # Again: already there and verified, so nothing is fetched from the storage host.
    os_api.clear_requests()
    task = _download(panel)
    assert task.outcome.skipped and not task.outcome.files
    assert not [r for r in os_api.requests if r.server == "storage"]


def _choose_large_file(tab, os_api, size=3_000_000):
    os_api.add_large_file(size)
    tab.refresh()
    wait_until(lambda: not tab.loading_products, what="the refreshed list")
    choose(tab, "BenchLargeFile")
    panel = tab.downloads
    panel.controls.add_to_map.setChecked(False)
    panel.controls.unpack.setChecked(False)
    panel.tick_all.click()
    return panel


def test_cancel_keeps_the_part_file_and_a_later_download_resumes(tab, os_api):
    loaded(tab)
    panel = _choose_large_file(tab, os_api)
    os_api.faults.slow(1_000_000)
    panel.start_download()
    task = panel.download_task
    wait_until(lambda: any(p.suffix == ".part" and p.stat().st_size > 0
                           for p in panel.destination().glob("*.part")), what="a part file")
    panel.cancel_download()
    wait_until(lambda: panel.download_task is None, what="the cancelled task")
    assert task.outcome.cancelled
    parts = list(panel.destination().glob("*.part"))
    assert parts and parts[0].stat().st_size > 0
    os_api.faults.reset()
    task = _download(panel)
    assert task.outcome.files and not task.outcome.errors
    assert not list(panel.destination().glob("*.part"))
    ranges = [r.headers.get("Range") for r in os_api.requests if r.server == "storage"]
    assert any(r and r.startswith("bytes=") and not r.startswith("bytes=0-") for r in ranges)


def test_unload_cancels_a_running_download(tab, os_api):
    loaded(tab)
    panel = _choose_large_file(tab, os_api)
    os_api.faults.slow(1_000_000)
    panel.start_download()
    task = panel.download_task
    wait_until(lambda: list(panel.destination().glob("*.part")), what="the download to start")
    tab.close_down()
    tab.tasks.cancel_all()
    assert task.cancel_token.cancelled
    wait_until(lambda: QgsApplication.taskManager().countActiveTasks() == 0,
               what="every task to stop")
    assert task.outcome.cancelled or sip.isdeleted(task)
    assert list(panel.destination().glob("*.part"))


def test_clicking_squares_with_the_map_tool(tab, iface):
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    loaded(tab)
    choose(tab, "OpenGreenspace")
    panel = tab.downloads
    canvas = iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    panel.pick_button.setChecked(True)
    assert canvas.mapTool() is panel.picker

    def click(x, y, crs):
        from qgis.core import QgsCoordinateTransform

        point = QgsCoordinateTransform(
            QgsCoordinateReferenceSystem(crs), canvas.mapSettings().destinationCrs(),
            QgsProject.instance()).transform(QgsPointXY(x, y))
        pixel = canvas.getCoordinateTransform().transform(point)
        event = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonPress,
                                 QPoint(int(pixel.x()), int(pixel.y())), Qt.MouseButton.LeftButton)
        panel.picker.canvasPressEvent(event)

    canvas.setExtent(QgsRectangle(-300_000, 6_500_000, 100_000, 6_900_000))
    click(-1.40, 50.90, "EPSG:4326")   # Southampton: SU
    click(-0.13, 51.51, "EPSG:4326")   # London: TQ
    assert panel.selected_areas() == {"SU", "TQ"}
    click(-1.40, 50.90, "EPSG:4326")   # again: off
    assert panel.selected_areas() == {"TQ"}
    tool = panel.picker
    panel.pick_button.setChecked(False)
    assert panel.picker is None and canvas.mapTool() is not tool


def test_squares_in_view_from_a_web_mercator_map(tab, iface):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    canvas = iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    size = canvas.mapSettings().outputSize()
    aspect = size.width() / max(1, size.height())
    # Around Edinburgh (NT), small enough to stay inside the square.
    cx, cy, half = -355_000, 7_545_000, 10_000
    canvas.setExtent(QgsRectangle(cx - half * aspect, cy - half, cx + half * aspect, cy + half))
    tab.downloads.pick_squares_in_view()
    assert tab.downloads.selected_areas() == {"NT"}


def test_all_of_gb_picks_the_gb_files(tab):
    loaded(tab)
    choose(tab, "OpenGreenspace")
    panel = tab.downloads
    assert panel.gb_button.isEnabled()
    panel.gb_button.click()
    areas = {panel.proxy.index(r, 3).data() for r in range(panel.proxy.rowCount())}
    assert areas == {"GB"}


def test_several_files_download_with_per_file_progress(tab, os_api):
    loaded(tab)
    panel = tick(tab, "OpenGreenspace", "ESRI® Shapefile", {"SU", "TQ", "NT"})
    statuses: dict[str, list[str]] = {}
    panel.controls.fileStatus.connect(
        lambda name, text: statuses.setdefault(name, []).append(text))
    progress: list[int] = []
    panel.controls.progress.valueChanged.connect(progress.append)
    task = _download(panel)
    assert len(task.outcome.files) == 3 and not task.outcome.errors
    assert set(statuses) == {p.name for p in task.outcome.files}
    for texts in statuses.values():
        assert texts[0] == "queued" and texts[-1] == "done"
    assert progress and progress[-1] == 100 and progress == sorted(progress)
    # three squares, one layer per theme
    assert sorted(layer.name() for layer in task.outcome.layers) == [
        "Access point", "Greenspace site"]


def test_a_checksum_failure_is_shown_and_leaves_no_file(tab, os_api, iface):
    from qgis.core import Qgis, QgsApplication

    logged: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: logged.append(f"{tag}|{message}"))
    tab.context.retry = type(tab.context.retry)(attempts=2, base_delay=0.01, max_delay=0.02)
    loaded(tab)
    panel = tick(tab, "OpenGreenspace", "GeoPackage", {"SU"})
    name = panel.chosen()[0].file_name
    os_api.faults.wrong_md5(name)
    choose(tab, "BoundaryLine")  # list the files again, now with the wrong md5
    tick(tab, "OpenGreenspace", "GeoPackage", {"SU"})
    task = _download(panel, timeout=120)
    assert task.outcome.errors
    critical = iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
    assert critical and "damaged (md5" in critical[-1] and "Try again later" in critical[-1]
    assert critical[-1].count(name) == 1
    assert not (panel.destination() / name).exists()
    assert panel.model.item(panel._rows[name], 5).text() == "failed"
    assert any(entry.startswith("OS Data Hub|") and "md5" in entry for entry in logged)


def test_the_subformat_column_shows_only_when_a_file_has_one(tab):
    loaded(tab)
    choose(tab, "CodePointOpen")
    assert tab.downloads.table.isColumnHidden(2)
    choose(tab, "BoundaryLine")  # one of its files has a subformat, its GeoPackage has none
    panel = tab.downloads
    assert not panel.table.isColumnHidden(2) and not panel.table.isColumnHidden(1)
    panel.format.setCurrentIndex(panel.format.findText("GeoPackage"))
    assert panel.table.isColumnHidden(2) and panel.table.isColumnHidden(1)


def test_when_some_files_fail_the_message_says_which_layers_were_still_added(tab, os_api, iface):
    from qgis.core import Qgis

    tab.context.retry = type(tab.context.retry)(attempts=2, base_delay=0.01, max_delay=0.02)
    loaded(tab)
    panel = tick(tab, "OpenGreenspace", "GeoPackage", {"SU", "TQ"})
    bad = next(d.file_name for d in panel.chosen() if d.area == "SU")
    os_api.faults.wrong_md5(bad)
    choose(tab, "BoundaryLine")
    tick(tab, "OpenGreenspace", "GeoPackage", {"SU", "TQ"})
    task = _download(panel, timeout=120)
    assert len(task.outcome.errors) == 1 and task.outcome.layers
    critical = iface.messageBar().get_messages(Qgis.MessageLevel.Critical)[-1]
    assert "1 of 2 files failed: " in critical
    assert f"{len(task.outcome.layers)} layers were added from the files that were verified" \
        in critical


def test_one_file_is_counted_in_the_singular(tab, os_api):
    loaded(tab)
    panel = tick(tab, "OpenGreenspace", "GeoPackage", {"SU"})
    assert panel.total.text().startswith("1 file ticked, ")
    task = _download(panel)
    assert not task.outcome.errors
    assert tab.downloads.controls.status.text().startswith("1 file ready in ")


def test_columns_fit_a_narrow_dock_names_first_then_area_and_size(tab):
    from qgis.PyQt.QtWidgets import QApplication

    tab.resize(420, 900)
    tab.show()
    loaded(tab)
    choose(tab, "OpenGreenspace")
    table, header = tab.downloads.table, tab.downloads.table.horizontalHeader()
    wait_until(lambda: QApplication.processEvents() or header.sectionSize(0) > 0,
               what="the columns fitted")
    QApplication.processEvents()
    width = table.viewport().width()
    shown = [c for c in range(header.count()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= width + 1  # no sideways scrolling
    assert header.sectionSize(0) >= 0.35 * width - 1  # the file names keep a good part
    for column in (3, 4):  # area and size are read in full; format is cut first
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
    header.resizeSection(4, 150)  # by hand: left alone from now on
    tab.resize(460, 900)
    QApplication.processEvents()
    QApplication.processEvents()
    assert header.sectionSize(4) == 150
    tab.hide()


def click_header(header, section: int) -> None:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))


def test_the_size_column_sorts_by_bytes_not_by_text(tab):
    loaded(tab)
    choose(tab, "OpenZoomstack")  # "139.3 kB" and "24.6 kB": the other way round as text
    panel = tab.downloads
    proxy = panel.proxy
    header = panel.table.horizontalHeader()
    sizes = {d.file_name: d.size for d in panel.downloads}
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        click_header(header, 4)
        if header.sortIndicatorOrder() != order:
            click_header(header, 4)
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (4, order)
        shown = [sizes[proxy.index(r, 0).data()] for r in range(proxy.rowCount())]
        assert len(set(shown)) > 1
        assert shown == sorted(shown, reverse=order == Qt.SortOrder.DescendingOrder)
        assert [proxy.index(r, 4).data() for r in range(proxy.rowCount())] == [
            human_size(s) for s in shown]  # the text shown stays the same
