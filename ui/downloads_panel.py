"""The files of the selected product: filter by format and area (typed, or picked as National
Grid squares on the map), tick, and download into layers in a background task."""

from __future__ import annotations

import re
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..api.cancel import CancelToken
from ..api.models import Product, ProductDownload, human_size
from ..api.national_grid import is_area_code
from ..api.pipeline import product_folder
from ..core.context import ApiContext
from ..core.download_task import DownloadTask
from ..core.grid_layer import SquarePickerTool, create_grid_layer, select_codes, squares_in_extent
from ..core.tasks import ApiTask, TaskRegistry, cancel_task, closing
from .download_controls import DownloadControls
from .flow_layout import wrapping_row
from .messages import notify
from .widgets import ENTER, ColumnFitter, ensure_current, on_keys, tip, toggle_check

DOWNLOAD_ROLE = Qt.ItemDataRole.UserRole + 1
SIZE_ROLE = Qt.ItemDataRole.UserRole + 2  # the size in bytes, which the Size column sorts by
ALL = "__all__"
SIZE_COLUMN = 4
STATUS_COLUMN = 5


def format_key(download: ProductDownload) -> str:
    return f"{download.format or ''}\x1f{download.subformat or ''}"


def parse_areas(text: str) -> tuple[set[str], list[str]]:
    """Area codes typed by the user ("SU, TQ" or "su tq"): (valid codes, invalid words)."""
    words = [w.upper() for w in re.split(r"[\s,;]+", text.strip()) if w]
    return {w for w in words if is_area_code(w)}, [w for w in words if not is_area_code(w)]


class DownloadFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.format = ALL
        self.areas: set[str] = set()

    def set_filters(self, format_: str, areas: set[str]) -> None:
        self.format, self.areas = format_, set(areas)
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        download: ProductDownload = self.sourceModel().index(row, 0, parent).data(DOWNLOAD_ROLE)
        if download is None:
            return False
        if self.format != ALL and format_key(download) != self.format:
            return False
        return not self.areas or (download.area or "").upper() in self.areas

    def lessThan(self, left, right) -> bool:
        if left.column() == SIZE_COLUMN:  # by bytes: "24.6 kB" before "139.3 kB"
            return (left.data(SIZE_ROLE) or 0) < (right.data(SIZE_ROLE) or 0)
        return super().lessThan(left, right)


class DownloadsPanel(QWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.iface = iface
        self.product: Product | None = None
        self.downloads: list[ProductDownload] = []
        self._list_task: ApiTask | None = None
        self.grid_layer = None
        self.picker: SquarePickerTool | None = None
        self._rows: dict[str, int] = {}
        self._build_filters()
        self._build_files()
        self.controls = DownloadControls(context, tasks, iface, self)
        self.status = self.controls.status
        self._connect()
        self._lay_out()
        self._update_total()

    def _build_filters(self) -> None:
        """Format and area filters, and the buttons that pick areas on the map."""
        self.format = QComboBox(self)
        self.format.setToolTip(tip(self.tr("Show only files of this format.")))
        self.format_label = QLabel(self.tr("Forma&t"), self)
        self.format_label.setBuddy(self.format)
        self.areas = QLineEdit(self)
        self.areas.setPlaceholderText(self.tr("All areas — or type squares: SU, TQ (or GB)"))
        self.areas.setClearButtonEnabled(True)
        self.areas.setToolTip(tip(
            self.tr("100 km National Grid squares, separated by commas; pick them on the map "
                    "with the buttons below. Empty: all areas.")
        ))
        self.areas_label = QLabel(self.tr("&Areas"), self)
        self.areas_label.setBuddy(self.areas)
        self.grid_button = QToolButton(self)
        self.grid_button.setText(self.tr("&Grid on map"))
        self.grid_button.setCheckable(True)
        self.grid_button.setToolTip(tip(self.tr(
            "Show the 100 km National Grid squares on the map, labelled with their letters.")))
        self.pick_button = QToolButton(self)
        self.pick_button.setText(self.tr("P&ick squares"))
        self.pick_button.setCheckable(True)
        self.pick_button.setToolTip(tip(self.tr(
            "Pick squares on the map: each click adds a square to the areas or removes it. "
            "Press again to stop picking.")))
        self.gb_button = QToolButton(self)
        self.gb_button.setText(self.tr("All of G&B"))
        self.gb_button.setToolTip(tip(self.tr(
            "Show only the files that cover all of Great Britain.")))
        self.gb_button.setEnabled(False)
        self.view_button = QToolButton(self)
        self.view_button.setText(self.tr("S&quares in view"))
        self.view_button.setToolTip(tip(self.tr(
            "Take the squares that the current map view covers as the areas.")))

    def _build_files(self) -> None:
        """The file table, the tick buttons and the total."""
        self.model = QStandardItemModel(0, STATUS_COLUMN + 1, self)
        self.model.setHorizontalHeaderLabels([
            self.tr("File"), self.tr("Format"), self.tr("Subformat"), self.tr("Area"),
            self.tr("Size"), self.tr("Status"),
        ])
        self.proxy = DownloadFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        # A-Z: a header's sort order starts as Z-A, and enabling sorting applies it.
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setToolTip(tip(self.tr(
            "The product's files. Space ticks or unticks the current file; Enter downloads the "
            "ticked files.")))
        self.table.setAccessibleName(self.tr("Files"))
        self.columns = ColumnFitter(self.table, cut_first=(1, 2))  # format, subformat
        self.table.setMinimumHeight(120)
        self.tick_all = QToolButton(self)
        self.tick_all.setText(self.tr("Tic&k all shown"))
        self.tick_all.setToolTip(tip(self.tr(
            "Tick every file that the format and area filters show.")))
        self.tick_none = QToolButton(self)
        self.tick_none.setText(self.tr("&Untick all"))
        self.tick_none.setToolTip(tip(self.tr("Untick every file, shown or not.")))
        self.total = QLabel(self)

    def _connect(self) -> None:
        self.format.currentIndexChanged.connect(self._apply_filters)
        self.areas.editingFinished.connect(self._areas_edited)
        self.areas.textChanged.connect(lambda text: self._areas_edited() if not text else None)
        self.grid_button.toggled.connect(self._show_grid)
        self.pick_button.toggled.connect(self._pick_on_map)
        self.view_button.clicked.connect(self.pick_squares_in_view)
        self.gb_button.clicked.connect(lambda: self.set_areas({"GB"}))
        self.model.itemChanged.connect(lambda _item: self._update_total())
        self.tick_all.clicked.connect(lambda: self._tick_shown(True))
        self.tick_none.clicked.connect(lambda: self._tick_shown(False))
        self.controls.downloadClicked.connect(self.start_download)
        self.controls.fileStatus.connect(self._set_status)
        self.controls.finishedTask.connect(lambda _task: self._update_total())
        on_keys(self.table, [Qt.Key.Key_Space], self.toggle_current,
                when=lambda: self.table.currentIndex().isValid())
        on_keys(self.table, ENTER, self.controls.request_download)
        self.controls.cancel_on_escape(self)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.format_label)
        filters.addWidget(self.format, 1)
        areas = QHBoxLayout()
        areas.addWidget(self.areas_label)
        areas.addWidget(self.areas, 1)
        map_buttons = QGridLayout()
        for index, button in enumerate(
                (self.grid_button, self.pick_button, self.view_button, self.gb_button)):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            map_buttons.addWidget(button, index // 2, index % 2)
        ticks = wrapping_row(self, [self.tick_all, self.tick_none, self.total], last_right=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(areas)
        layout.addLayout(map_buttons)
        layout.addWidget(self.table)
        layout.addWidget(ticks)
        layout.addWidget(self.controls)

    @property
    def listing_files(self) -> bool:
        """Whether the files of the product are being listed."""
        return self._list_task is not None

    def focus_order(self) -> list[QWidget]:
        return [self.format, self.areas, self.grid_button, self.pick_button, self.view_button,
                self.gb_button, self.table, self.tick_all, self.tick_none,
                *self.controls.focus_order()]

    # -- the product's files -------------------------------------------------------------------
    def show_product(self, product: Product) -> None:
        cancel_task(self._list_task)
        self.product = product
        self.downloads = []
        self.gb_button.setEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        self._update_total()
        self.status.setText(self.tr("Loading the files of {0}…").format(product.name))
        token = CancelToken()
        client = self.context.downloads_client(cancel=token)
        task = ApiTask(
            self.tr("Loading the files of {0}").format(product.name),
            lambda _task: closing(client, lambda: client.product_downloads(product.id)),
            on_done=lambda downloads, p=product: self._listed(p, downloads),
            on_error=lambda message, p=product: self._list_failed(p, message),
            cancel_token=token,
        )
        self._list_task = task
        self.tasks.start(task)

    def _listed(self, product: Product, downloads: list[ProductDownload]) -> None:
        if product is not self.product:
            return
        self._list_task = None
        self.downloads = downloads
        self._rows = {}
        self.table.setSortingEnabled(False)
        for download in downloads:
            name = QStandardItem(download.file_name)
            name.setData(download, DOWNLOAD_ROLE)
            name.setCheckable(True)
            size = QStandardItem(human_size(download.size))
            size.setData(download.size or 0, SIZE_ROLE)
            self.model.appendRow([
                name, QStandardItem(download.format or ""), QStandardItem(download.subformat or ""),
                QStandardItem(download.area or ""), size, QStandardItem(""),
            ])
            self._rows[download.file_name] = self.model.rowCount() - 1
        self.table.setSortingEnabled(True)
        self._fill_formats()
        self.gb_button.setEnabled("GB" in self.available_areas)
        self._apply_filters()
        self.status.setText((self.tr("1 file") if len(downloads) == 1 else self.tr("{0} files"))
                            .format(len(downloads)))
        if self.table.hasFocus():  # Enter on the product came before its files
            ensure_current(self.table)
        if self.grid_layer is not None:
            self._refresh_grid()

    def _list_failed(self, product: Product, message: str) -> None:
        if product is self.product:
            self._list_task = None
            self.status.setText(message)

    def _fill_formats(self) -> None:
        self.format.blockSignals(True)
        self.format.clear()
        self.format.addItem(self.tr("All formats"), ALL)
        seen = []
        for download in self.downloads:
            key = format_key(download)
            if key not in seen:
                seen.append(key)
                label = download.format or ""
                if download.subformat:
                    label += f" — {download.subformat}"
                self.format.addItem(label, key)
        self.format.blockSignals(False)

    @property
    def available_areas(self) -> list[str]:
        return sorted({(d.area or "").upper() for d in self.downloads if d.area})

    # -- filters -------------------------------------------------------------------------------
    def selected_areas(self) -> set[str]:
        return parse_areas(self.areas.text())[0]

    def set_areas(self, codes: set[str]) -> None:
        self.areas.setText(", ".join(sorted(codes)))
        self._areas_edited()

    def _areas_edited(self) -> None:
        codes, invalid = parse_areas(self.areas.text())
        if invalid:
            self.status.setText(
                self.tr("Not National Grid squares: {0}. Use two letters such as SU or TQ, or "
                        "GB for all of Great Britain.").format(", ".join(invalid))
            )
        self._apply_filters()
        if self.grid_layer is not None:
            select_codes(self.grid_layer, codes)

    def _apply_filters(self) -> None:
        chosen = self.format.currentData() or ALL
        self.proxy.set_filters(chosen, self.selected_areas())
        # Keep the narrow dock for what matters: one format is named by the combo box, and most
        # files have no subformat.
        self.table.setColumnHidden(1, chosen != ALL)
        self.table.setColumnHidden(2, not any(
            self.proxy.index(row, 2).data() for row in range(self.proxy.rowCount())))
        self.columns.schedule()
        self._update_total()

    # -- ticking -------------------------------------------------------------------------------
    def _tick_shown(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        rows = (
            [self.proxy.mapToSource(self.proxy.index(r, 0)).row()
             for r in range(self.proxy.rowCount())]
            if ticked else range(self.model.rowCount())
        )
        self.model.blockSignals(True)
        for row in rows:
            self.model.item(row, 0).setCheckState(state)
        self.model.blockSignals(False)
        self.model.layoutChanged.emit()
        self._update_total()

    def toggle_current(self) -> None:
        """Space: tick or untick the current file, whichever column is current."""
        source = self.proxy.mapToSource(self.table.currentIndex().siblingAtColumn(0))
        toggle_check(self.model.itemFromIndex(source))

    def chosen(self) -> list[ProductDownload]:
        """The ticked files that the filters show: what Download will fetch."""
        chosen = []
        for r in range(self.proxy.rowCount()):
            item = self.model.item(self.proxy.mapToSource(self.proxy.index(r, 0)).row(), 0)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(item.data(DOWNLOAD_ROLE))
        return chosen

    def _update_total(self) -> None:
        chosen = self.chosen()
        size = sum(d.size or 0 for d in chosen)
        self.total.setText((self.tr("1 file ticked, {1}") if len(chosen) == 1 else
                            self.tr("{0} files ticked, {1}")).format(len(chosen), human_size(size)))
        self.controls.set_ready(bool(chosen))

    # -- the map -------------------------------------------------------------------------------
    def _canvas(self):
        return self.iface.mapCanvas()

    def _show_grid(self, visible: bool) -> None:
        if visible and self.grid_layer is None:
            self._refresh_grid()
        elif not visible:
            self._remove_grid()

    def _refresh_grid(self) -> None:
        self._remove_grid()
        codes = self.available_areas or None
        self.grid_layer = create_grid_layer([c for c in codes if c != "GB"] if codes else None)
        QgsProject.instance().addMapLayer(self.grid_layer)
        self.grid_layer.willBeDeleted.connect(self._grid_deleted)
        select_codes(self.grid_layer, self.selected_areas())
        if not self.grid_button.isChecked():
            self.grid_button.setChecked(True)

    def _grid_deleted(self) -> None:
        self.grid_layer = None
        self.grid_button.blockSignals(True)
        self.grid_button.setChecked(False)
        self.grid_button.blockSignals(False)

    def _remove_grid(self) -> None:
        if self.grid_layer is not None:
            layer, self.grid_layer = self.grid_layer, None
            layer.willBeDeleted.disconnect(self._grid_deleted)
            QgsProject.instance().removeMapLayer(layer.id())

    def _pick_on_map(self, active: bool) -> None:
        canvas = self._canvas()
        if active:
            if self.grid_layer is None:
                self._refresh_grid()
            self.picker = SquarePickerTool(canvas)
            self.picker.squareClicked.connect(self.toggle_square)
            self.picker.deactivated.connect(lambda: self.pick_button.setChecked(False))
            canvas.setMapTool(self.picker)
        elif self.picker is not None:
            picker, self.picker = self.picker, None
            if canvas.mapTool() is picker:
                canvas.unsetMapTool(picker)

    def toggle_square(self, code: str) -> None:
        available = self.available_areas
        if available and code not in available:
            notify(self.iface, self.tr("{0} has no files for square {1}.").format(
                self.product.name if self.product else "", code))
            return
        codes = self.selected_areas()
        codes.symmetric_difference_update({code})
        codes.discard("GB")
        self.set_areas(codes)

    def pick_squares_in_view(self) -> None:
        settings = self._canvas().mapSettings()
        codes = squares_in_extent(
            settings.visibleExtent(), settings.destinationCrs(),
            self.available_areas or [],
        ) if self.available_areas else []
        if not codes:
            notify(self.iface, self.tr(
                "No square with files of this product is in the current map view."))
            return
        self.set_areas(set(codes))

    # -- downloading ---------------------------------------------------------------------------
    @property
    def download_task(self) -> DownloadTask | None:
        return self.controls.task

    def destination(self) -> Path:
        base = self.controls.base_folder()
        product = self.product
        if product is None:
            return base
        return product_folder(base, product.id, product.version)

    def start_download(self) -> DownloadTask | None:
        chosen = self.chosen()
        if self.product is None:
            return None
        items = [d.to_item() for d in chosen]
        return self.controls.start(
            self.product.name, self.product.version, items, self.destination(),
            dataset_id=self.product.id)

    def cancel_download(self) -> None:
        self.controls.cancel()

    def _set_status(self, file_name: str, text: str) -> None:
        row = self._rows.get(file_name)
        if row is not None and self.model.item(row, 0) is not None:
            self.model.item(row, STATUS_COLUMN).setText(text)

    def close_down(self) -> None:
        cancel_task(self._list_task)
        self._list_task = None
        self.controls.close_down()
        if self.pick_button.isChecked():
            self.pick_button.setChecked(False)
        self._remove_grid()

