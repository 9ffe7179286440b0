"""The OpenData tab: OS OpenData products, searchable, with their details."""

from __future__ import annotations

import html

from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt, QTimer
from qgis.PyQt.QtGui import QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..api.cancel import CancelToken
from ..core.context import ApiContext
from ..core.tasks import ApiTask, TaskRegistry

PRODUCT_ROLE = Qt.UserRole + 1
SEARCH_ROLE = Qt.UserRole + 2


class OpenDataTab(QWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.iface = iface
        self.products: list = []
        self._load_task: ApiTask | None = None

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search OS OpenData products…"))
        self.search.setClearButtonEnabled(True)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Load the product list again from the OS Data Hub"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QListView.NoEditTriggers)
        self.details = QTextBrowser(self)
        self.details.setOpenExternalLinks(True)

        # Debounce: filter once typing pauses, not on every key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.refresh_button.clicked.connect(self.refresh)
        self.list.selectionModel().currentChanged.connect(self._show_current)

        top = QHBoxLayout()
        top.addWidget(self.search)
        top.addWidget(self.refresh_button)
        splitter = QSplitter(Qt.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter)

    # -- loading ---------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if not self.products and self._load_task is None:
            self.refresh()

    def refresh(self) -> None:
        if self._load_task is not None:
            return
        token = CancelToken()
        client = self.context.downloads_client(cancel=token)
        self.status.setText(self.tr("Loading the OS OpenData products…"))
        self.refresh_button.setEnabled(False)
        self._load_task = ApiTask(
            self.tr("Loading OS OpenData products"),
            lambda task: client.products(expanded=True),
            on_done=self._loaded,
            on_error=self._failed,
            cancel_token=token,
        )
        self.tasks.start(self._load_task)

    def _loaded(self, products) -> None:
        self._load_task = None
        self.refresh_button.setEnabled(True)
        self.products = sorted(products, key=lambda p: p.name.lower())
        self.model.clear()
        for product in self.products:
            item = QStandardItem(f"{product.name}  ({product.version})")
            item.setData(product, PRODUCT_ROLE)
            item.setData(" ".join([product.id, product.name, product.description]), SEARCH_ROLE)
            item.setToolTip(product.id)
            self.model.appendRow(item)
        self.status.setText(self.tr("{0} products").format(len(self.products)))

    def _failed(self, message: str) -> None:
        self._load_task = None
        self.refresh_button.setEnabled(True)
        self.status.setText(message)

    # -- search and details ----------------------------------------------------------------
    def _apply_search(self) -> None:
        self.proxy.setFilterFixedString(self.search.text().strip())

    def _show_current(self, current, _previous) -> None:
        product = current.data(PRODUCT_ROLE) if current.isValid() else None
        if product is None:
            self.details.clear()
            return
        parts = [f"<h3>{html.escape(product.name)}</h3>"]
        parts.append(f"<p>{html.escape(product.description)}</p>")
        parts.append(
            "<p><b>{0}</b> {1}</p>".format(self.tr("Version:"), html.escape(product.version))
        )
        if product.formats:
            names = ", ".join(
                html.escape(f.format + (f" {f.subformat}" if f.subformat else ""))
                for f in product.formats
            )
            parts.append("<p><b>{0}</b> {1}</p>".format(self.tr("Formats:"), names))
        if product.documentation_url:
            parts.append(
                '<p><a href="{0}">{1}</a></p>'.format(
                    html.escape(product.documentation_url, quote=True),
                    self.tr("Product documentation"),
                )
            )
        self.details.setHtml("".join(parts))

    def close_down(self) -> None:
        self._search_timer.stop()
        if self._load_task is not None:
            self._load_task.cancel()
            self._load_task = None
