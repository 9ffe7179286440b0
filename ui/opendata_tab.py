"""The OpenData tab: browse OS OpenData products, pick files (by format and National Grid
square, on the map too) and download them into layers."""

from __future__ import annotations

import html

from qgis.core import Qgis
from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QPixmap, QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..api.models import Product
from ..core.catalogue import CatalogueService
from ..core.context import ApiContext
from ..core.tasks import TaskRegistry
from .downloads_panel import DownloadsPanel
from .messages import notify
from .widgets import ENTER, ColumnFitter, busy_bar, focus_list, on_keys, tip

PRODUCT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
ALL = "__all__"


class ProductFilter(QSortFilterProxyModel):
    """Search text (name, id, description) plus category and data-structure filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = ""
        self.category = ALL
        self.structure = ALL

    def set_filters(self, text: str, category: str, structure: str) -> None:
        self.text, self.category, self.structure = text.lower().split(), category, structure
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        product: Product = index.data(PRODUCT_ROLE)
        if product is None:
            return False
        haystack = (index.data(SEARCH_ROLE) or "").lower()
        if any(word not in haystack for word in self.text):
            return False
        if self.category != ALL and self.category not in _categories(product):
            return False
        return self.structure == ALL or self.structure in product.data_structures


def _categories(product: Product) -> list[str]:
    return [c for c in [product.category, *product.categories] if c]


class OpenDataTab(QWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.iface = iface
        self.current: Product | None = None
        self.service = CatalogueService(context, tasks, self)
        self._build_products()
        self._build_details()
        self.downloads = DownloadsPanel(context, tasks, iface, self)
        self._connect()
        self._lay_out()
        self._set_categories([])

    def _build_products(self) -> None:
        """The search box, the filters and the product table."""
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search OS OpenData products…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(tip(self.tr(
            "Type words from a product's name, id or description to filter the list. Enter or "
            "Down moves to the list, Esc clears the search, Ctrl+F comes back here.")))
        self.search_label = QLabel(self.tr("&Find"), self)
        self.search_label.setBuddy(self.search)
        self.category = QComboBox(self)
        self.category.setToolTip(tip(self.tr("Show only products of this category.")))
        self.category.setAccessibleName(self.tr("Category"))
        self.structure = QComboBox(self)
        self.structure.addItem(self.tr("Vector and raster"), ALL)
        self.structure.addItem(self.tr("Vector"), "Vector")
        self.structure.addItem(self.tr("Raster"), "Raster")
        self.structure.setToolTip(tip(self.tr("Show only vector or only raster products.")))
        self.structure.setAccessibleName(self.tr("Vector or raster"))
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(tip(self.tr(
            "Load the product list again from the OS Data Hub.")))
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("Version"), self.tr("Category"), self.tr("Type")]
        )
        self.proxy = ProductFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        # A-Z: a header's sort order starts as Z-A, and enabling sorting applies it.
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.columns = ColumnFitter(self.table, cut_first=(2, 3))  # category, type
        self.table.setToolTip(tip(self.tr(
            "OS OpenData products: select one to see its details and files. Enter moves to "
            "its files.")))
        self.table.setAccessibleName(self.tr("OS OpenData products"))

    def _build_details(self) -> None:
        """The selected product's description and pictures."""
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.details.setToolTip(tip(self.tr(
            "The selected product's description. Tab reaches its documentation link and Enter "
            "opens it in your web browser.")))
        self.details.setAccessibleName(self.tr("Product details"))
        self.thumbnails = QWidget(self)
        self.thumbnail_layout = QHBoxLayout(self.thumbnails)
        self.thumbnail_layout.setContentsMargins(0, 0, 0, 0)
        self.thumbnail_layout.addStretch()
        self.thumbnail_area = QScrollArea(self)
        self.thumbnail_area.setWidget(self.thumbnails)
        self.thumbnail_area.setWidgetResizable(True)
        self.thumbnail_area.setFixedHeight(76)
        self.thumbnail_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # Pictures only, each with its tooltip.
        self.thumbnail_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _connect(self) -> None:
        self.details.anchorClicked.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        # Debounce: filter once typing pauses, not on every key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.category.currentIndexChanged.connect(self._apply_filters)
        self.structure.currentIndexChanged.connect(self._apply_filters)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.service.loadingChanged.connect(self._loading_changed)
        self.service.productsChanged.connect(self._show_products)
        self.service.failed.connect(self._failed)
        self.service.thumbnailLoaded.connect(self._add_thumbnail)
        on_keys(self.search, [*ENTER, Qt.Key.Key_Down], self.go_to_list)
        on_keys(self.search, [Qt.Key.Key_Escape], self.clear_search, when=lambda: bool(
            self.search.text()))
        on_keys(self.table, ENTER, lambda: focus_list(self.downloads.table),
                when=lambda: self.table.currentIndex().isValid())

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.category, 1)
        filters.addWidget(self.structure)
        filters.addWidget(self.refresh_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        top_layout.addLayout(search_row)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.busy)
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.table)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.details)
        middle_layout.addWidget(self.thumbnail_area)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(middle)
        splitter.addWidget(self.downloads)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    @property
    def products(self) -> list[Product]:
        """The products listed (A–Z), shown or filtered out."""
        return self.service.products

    @property
    def loading_products(self) -> bool:
        """Whether the product list is being loaded or refreshed."""
        return self.service.loading

    @property
    def thumbnail_count(self) -> int:
        """How many pictures of the selected product are shown."""
        return self.thumbnail_layout.count() - 1

    def focus_order(self) -> list[QWidget]:
        return [self.search, self.category, self.structure, self.refresh_button, self.table,
                self.details, *self.downloads.focus_order()]

    # -- keys ----------------------------------------------------------------------------------
    def go_to_list(self) -> None:
        """Enter or Down in the search box: the (filtered) list, on its first row if none."""
        self._filter_now()
        if self.proxy.rowCount():
            focus_list(self.table)

    def clear_search(self) -> None:
        self.search.clear()
        self._filter_now()

    def _filter_now(self) -> None:
        """What the debounce timer would do when typing pauses, at once."""
        self._search_timer.stop()
        self._apply_filters()

    # -- the catalogue ---------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """First show: the cached catalogue at once, and a refresh in the background."""
        self.service.ensure_loaded()

    def refresh(self) -> None:
        self.service.refresh()

    def _loading_changed(self, loading: bool) -> None:
        self.busy.setVisible(loading)
        self.refresh_button.setEnabled(not loading)
        if loading and not self.products:
            self.status.setText(self.tr("Loading the OS OpenData products…"))

    def _failed(self, message: str) -> None:
        if self.products:
            message = self.tr("Showing the saved list: {0}").format(message)
        self.status.setText(message)
        notify(self.iface, message, Qgis.MessageLevel.Warning)

    def _show_products(self, cached: bool) -> None:
        selected = self.current.id if self.current is not None else None
        self.model.removeRows(0, self.model.rowCount())
        for product in self.products:
            name = QStandardItem(product.name)
            name.setData(product, PRODUCT_ROLE)
            name.setData(
                " ".join([product.id, product.name, product.description, *_categories(product)]),
                SEARCH_ROLE,
            )
            name.setToolTip(f"{product.id}\n{product.description}")
            row = [
                name,
                QStandardItem(product.version or ""),
                QStandardItem(", ".join(_categories(product))),
                QStandardItem(", ".join(product.data_structures)),
            ]
            self.model.appendRow(row)
        self._set_categories(sorted({c for p in self.products for c in _categories(p)}))
        self.status.setText(
            self.tr("{0} products (saved list; refreshing…)").format(len(self.products))
            if cached else self._count_text()
        )
        if selected:
            self.select_product(selected)

    def _set_categories(self, categories: list[str]) -> None:
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(self.tr("All categories"), ALL)
        for category in categories:
            self.category.addItem(category, category)
        index = self.category.findData(current)
        self.category.setCurrentIndex(max(0, index))
        self.category.blockSignals(False)

    # -- filters and selection -----------------------------------------------------------------
    def _apply_filters(self) -> None:
        self.proxy.set_filters(
            self.search.text(), self.category.currentData() or ALL,
            self.structure.currentData() or ALL,
        )
        if not self.service.loading and self.products:
            self.status.setText(self._count_text())

    def _count_text(self) -> str:
        shown, total = self.proxy.rowCount(), len(self.products)
        if shown == total:
            return self.tr("{0} products").format(total)
        return self.tr("{0} of {1} products").format(shown, total)

    def select_product(self, product_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(PRODUCT_ROLE).id == product_id:
                self.table.setCurrentIndex(index)
                return True
        return False

    def _current_changed(self, current, _previous) -> None:
        product = current.siblingAtColumn(0).data(PRODUCT_ROLE) if current.isValid() else None
        if product is None or product is self.current:
            return
        self.current = product
        self._show_details(product)
        self._clear_thumbnails()
        self.service.load_thumbnails(product)
        self.downloads.show_product(product)

    def _show_details(self, product: Product) -> None:
        parts = [f"<h3>{html.escape(product.name)}</h3>"]
        if product.end_of_life:
            parts.append(
                '<p style="color:#b00020"><b>{0}</b></p>'.format(
                    html.escape(self.tr("End of life: {0}").format(product.end_of_life))
                )
            )
        if product.warning:
            parts.append(f'<p style="color:#b00020">{html.escape(product.warning)}</p>')
        for paragraph in product.description_paragraphs or [product.description]:
            parts.append(f"<p>{html.escape(paragraph)}</p>")
        facts = [(self.tr("Version"), product.version or "")]
        if product.formats:
            facts.append((
                self.tr("Formats"),
                ", ".join(f.format + (f" {f.subformat}" if f.subformat else "")
                          for f in product.formats),
            ))
        if product.areas:
            facts.append((self.tr("Areas"), ", ".join(product.areas)))
        facts.append((self.tr("Product id"), product.id))
        parts.append("<table>" + "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in facts) + "</table>")
        if product.documentation_url:
            parts.append('<p><a href="{0}" title="{2}">{1}</a></p>'.format(
                html.escape(product.documentation_url, quote=True),
                html.escape(self.tr("Product documentation (opens in the browser)")),
                html.escape(self.tr("Open {0} in your web browser.").format(
                    product.documentation_url), quote=True),
            ))
        self.details.setHtml("".join(parts))

    # -- thumbnails ------------------------------------------------------------------------------
    def _clear_thumbnails(self) -> None:
        while self.thumbnail_layout.count() > 1:
            item = self.thumbnail_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _add_thumbnail(self, product: Product, data: bytes) -> None:
        if product is not self.current:
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return
        label = QLabel(self.thumbnails)
        label.setPixmap(pixmap.scaledToHeight(64, Qt.TransformationMode.SmoothTransformation))
        label.setToolTip(product.name)
        self.thumbnail_layout.insertWidget(self.thumbnail_layout.count() - 1, label)

    def close_down(self) -> None:
        self._search_timer.stop()
        self.service.close_down()
        self.downloads.close_down()
