"""The Basemaps tab: the OS Maps API layers (style, CRS, zoom range, a preview tile each) and
"Add to map"."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..api.wmts import (
    PREMIUM_AVAILABLE,
    PREMIUM_UNAVAILABLE,
    WmtsLayer,
    open_max_zoom,
    premium_zoom_from,
)
from ..core.basemap_layers import canvas_dpi, default_layer, layer_name, open_scale_limit
from ..core.basemap_service import BasemapService
from ..core.context import ApiContext
from ..core.i18n import translated
from ..core.tasks import TaskRegistry
from .messages import notify
from .widgets import ENTER, ColumnFitter, busy_bar, on_keys, tip

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1
PREVIEW_SIZE = 48


class BasemapsTab(QWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.iface = iface
        self.service = BasemapService(context, tasks, self)
        self._previews: dict[str, QPixmap] = {}
        self._refreshed = False  # refreshed from the API since the tab was made
        self._build()
        self._lay_out()
        self._connect()
        self._show_key_state()

    def _build(self) -> None:
        self.no_key = QLabel(self)
        self.no_key.setWordWrap(True)
        self.no_key.setText(self.tr(
            "OS Maps needs an OS Data Hub API key (a free project on osdatahub.os.uk with the "
            "OS Maps API added). Add the key in Settings → Options → OS Data Hub; the layers "
            "are listed here then."
        ))
        # A long text (Welsh is) wraps instead of setting the dock's width.
        policy = self.no_key.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.no_key.setSizePolicy(policy)
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.premium = QLabel(self)
        self.premium.setWordWrap(True)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Style"), self.tr("CRS"), self.tr("Zoom levels")])
        self.tree.setRootIsDecorated(False)
        self.tree.setIconSize(QSize(PREVIEW_SIZE, PREVIEW_SIZE))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTabKeyNavigation(False)
        self.columns = ColumnFitter(self.tree, cut_first=(2,))  # zoom levels (in the tooltip)
        self.tree.setToolTip(tip(self.tr(
            "The OS Maps layers. Enter or a double click adds the selected one to the map.")))
        self.tree.setAccessibleName(self.tr("OS Maps layers"))

        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.add_button = QPushButton(self.tr("&Add to map"), self)
        self.add_button.setToolTip(tip(self.tr(
            "Add the selected OS Maps layer at the bottom of the layer list. Enter in the list "
            "does the same.")))
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(tip(self.tr("Load the OS Maps layer list again.")))

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch()
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.no_key)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.premium)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.add_selected())
        on_keys(self.tree, ENTER, self.add_selected, when=lambda: (
            self.tree.currentItem() is not None and self.add_button.isEnabled()))
        self.add_button.clicked.connect(self.add_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.service.capabilitiesChanged.connect(self._show_layers)
        self.service.premiumChanged.connect(self._show_premium)
        self.service.failed.connect(self._failed)
        self.context.credentials.changed.connect(self._credentials_changed)

    def focus_order(self) -> list[QWidget]:
        return [self.tree, self.add_button, self.refresh_button]

    # -- loading ---------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """First show: the saved layer list at once, and a refresh in the background."""
        if not self._show_key_state():
            return
        self.service.load_cached()
        if not self.service.busy and (self.service.capabilities is None or not self._refreshed):
            self.refresh()

    def refresh(self) -> None:
        if not self._show_key_state():
            return
        if self.service.capabilities is None:
            self.status.setText(self.tr("Loading the OS Maps layers…"))
        if self.service.refresh(then=self._refresh_ended):
            self._refreshed = True
            self.busy.show()
            self.refresh_button.setEnabled(False)

    def _refresh_ended(self) -> None:
        self.busy.hide()
        self.refresh_button.setEnabled(True)

    def _credentials_changed(self) -> None:
        self._refreshed = False
        if self.isVisible():
            self.ensure_loaded()
        else:
            self._show_key_state()

    def _show_key_state(self) -> bool:
        has_key = self.service.has_key()
        self.no_key.setVisible(not has_key)
        self.add_button.setEnabled(has_key and self.service.capabilities is not None)
        self.refresh_button.setEnabled(has_key and not self.service.busy)
        return has_key

    def _failed(self, message: str) -> None:
        if self.service.capabilities is not None:
            message = self.tr("Showing the saved list: {0}").format(message)
        self.status.setText(message)

    # -- the list --------------------------------------------------------------------------------
    def _show_layers(self) -> None:
        capabilities = self.service.capabilities
        if capabilities is None:
            return
        selected = self.selected_layer()
        self.tree.clear()
        for layer in capabilities.layers:
            item = QTreeWidgetItem([layer.style_name, self._crs_text(layer),
                                    self._zoom_text(layer)])
            item.setData(0, LAYER_ROLE, layer.id)
            item.setToolTip(0, layer_name(layer))
            item.setToolTip(1, layer.crs)
            item.setToolTip(2, item.text(2))  # in full, where the column is too narrow
            if layer.id in self._previews:
                item.setIcon(0, QIcon(self._previews[layer.id]))
            self.tree.addTopLevelItem(item)
            if selected is not None and layer.id == selected.id:
                self.tree.setCurrentItem(item)
            self.service.fetch_preview(layer, lambda data, lid=layer.id: self._preview(lid, data))
        self.status.setText(self.tr("{0} OS Maps layers").format(len(capabilities.layers)))
        self.hint.setText(self.tr(
            "Default for this project: {0} (British National Grid layers for a British "
            "National Grid project, Web Mercator otherwise)."
        ).format(layer_name(default_layer(capabilities))))
        self._show_key_state()
        self._show_premium()

    @staticmethod
    def _crs_text(layer: WmtsLayer) -> str:
        return translated(layer.crs_name) or layer.crs  # the EPSG code is in the tooltip

    def _zoom_text(self, layer: WmtsLayer) -> str:
        if layer.min_zoom is None or layer.max_zoom is None:
            return "?"
        text = f"{layer.min_zoom}–{layer.max_zoom}"
        first = premium_zoom_from(layer)
        if first is not None:
            text += " " + self.tr("(premium from {0})").format(first)
        return text

    def _preview(self, layer_id: str, data: bytes) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return
        pixmap = pixmap.scaled(PREVIEW_SIZE, PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        self._previews[layer_id] = pixmap
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, LAYER_ROLE) == layer_id:
                item.setIcon(0, QIcon(pixmap))

    def _show_premium(self) -> None:
        if self.service.premium == PREMIUM_AVAILABLE:
            text = self.tr("Your API key has an OS Maps premium plan: every zoom level is shown.")
        elif self.service.premium == PREMIUM_UNAVAILABLE:
            text = self.tr(
                "Your API key has no OS Maps premium plan: layers are drawn down to the last "
                "open zoom level and hidden closer in, instead of showing broken tiles."
            )
        else:
            text = self.tr(
                "Not yet known whether your API key has an OS Maps premium plan: open zoom "
                "levels only are assumed."
            )
        self.premium.setText(text)

    def selected_layer(self) -> WmtsLayer | None:
        item = self.tree.currentItem()
        capabilities = self.service.capabilities
        if item is None or capabilities is None:
            return None
        return capabilities.layer(item.data(0, LAYER_ROLE))

    def select(self, layer_id: str) -> bool:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, LAYER_ROLE) == layer_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    # -- adding ----------------------------------------------------------------------------------
    def add_selected(self) -> None:
        capabilities = self.service.capabilities
        if capabilities is None:
            return
        self.add(self.selected_layer() or default_layer(capabilities))

    def add(self, layer: WmtsLayer) -> None:
        dpi = canvas_dpi(self.iface.mapCanvas())
        added = self.service.add(layer, dpi=dpi)
        if added is None:
            notify(self.iface, self.tr(
                "QGIS could not open {0}: check the API key in Settings → Options → "
                "OS Data Hub and the network connection."
            ).format(layer_name(layer)), Qgis.MessageLevel.Warning)
            return
        text = self.tr("Added {0} at the bottom of the layer list.").format(layer_name(layer))
        capabilities = self.service.capabilities
        limit = open_scale_limit(capabilities, layer, dpi) if capabilities else None
        if added.hasScaleBasedVisibility() and limit is not None:
            text += " " + self.tr(
                "It is drawn down to zoom level {0} (about 1:{1}): closer levels need an OS Maps "
                "premium plan."
            ).format(open_max_zoom(layer), f"{round(limit):,}")
        notify(self.iface, text, Qgis.MessageLevel.Success)

    def add_default(self) -> None:
        """The toolbar's one click: the default OS basemap for this project."""
        if not self.service.has_key():
            notify(self.iface, self.no_key.text(), Qgis.MessageLevel.Warning)
            return
        self.service.load_cached()
        if self.service.capabilities is not None and self._refreshed and not self.service.busy:
            self.add(default_layer(self.service.capabilities))
            return
        self._refreshed = True
        self.service.refresh(then=self._add_default_when_loaded)

    def _add_default_when_loaded(self) -> None:
        self._refresh_ended()
        if self.service.capabilities is None:
            notify(self.iface, self.tr("Could not load the OS Maps layers: {0}").format(
                self.service.error or self.tr("unknown error")), Qgis.MessageLevel.Warning)
            return
        self.add(default_layer(self.service.capabilities))

    def close_down(self) -> None:
        try:
            self.context.credentials.changed.disconnect(self._credentials_changed)
        except TypeError:
            pass
        self.service.close_down()
