"""Small widgets and helpers the tabs share: the busy bar, tooltips, keys, tab order and
column widths."""

from __future__ import annotations

import html
from typing import Callable, Iterable

from qgis.PyQt.QtCore import QEvent, QObject, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QProgressBar,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def busy_bar(parent) -> QProgressBar:
    """A thin, hidden "working…" bar (no percentage) for lists loading in the background."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setMaximumHeight(6)
    bar.setTextVisible(False)
    bar.hide()
    return bar


def tip(text: str) -> str:
    """A tooltip from (already translated) plain text. As one rich-text paragraph Qt wraps it
    to a readable width; a plain-text tooltip would be one long line across the screen."""
    return f"<p>{html.escape(text, quote=False)}</p>"


class KeyBinding(QObject):
    """`action` for `keys` (with exactly `modifiers`, keypad or not) pressed in `widget` or,
    as key events that a child does not use travel up to its parents, anywhere inside it.

    Only while `when()` is true: the key is then used up, before the widget's own handling and
    before any shortcut of the window (QGIS's own) can take it. Otherwise the key goes on as if
    it were not bound, so that, for example, Esc still does what it did before."""

    def __init__(self, widget: QWidget, keys: Iterable[int], action: Callable[[], object],
                 when: Callable[[], bool], modifiers) -> None:
        super().__init__(widget)
        self.keys = set(keys)
        self.action = action
        self.when = when
        self.modifiers = int(modifiers)
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        modifiers = int(event.modifiers()) & ~int(Qt.KeyboardModifier.KeypadModifier)
        if event.key() not in self.keys or modifiers != self.modifiers or not self.when():
            return False
        event.accept()  # a ShortcutOverride accepted: the key comes as a KeyPress, not a shortcut
        if kind == QEvent.Type.KeyPress:
            self.action()
        return True


def on_keys(widget: QWidget, keys: Iterable[int], action: Callable[[], object],
            when: Callable[[], bool] = lambda: True,
            modifiers=Qt.KeyboardModifier.NoModifier) -> KeyBinding:
    return KeyBinding(widget, keys, action, when, modifiers)


def toggle_check(item) -> None:
    """Space in a file list: tick the item, or untick it (a checkable QStandardItem)."""
    if item is not None and item.isCheckable():
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)


def ensure_current(view: QAbstractItemView) -> None:
    """A current (and selected) row, the first if there is none, for the keys to act on."""
    model = view.model()
    if model is not None and model.rowCount() > 0 and not view.currentIndex().isValid():
        view.setCurrentIndex(model.index(0, 0))


def focus_list(view: QAbstractItemView) -> None:
    """Move the keyboard focus to a list, on its current row (the first if there is none)."""
    ensure_current(view)
    view.setFocus(Qt.FocusReason.OtherFocusReason)


def set_tab_order(*widgets: QWidget) -> None:
    """Tab (and Shift+Tab) visit `widgets` in this order; those that take no focus are left
    out (Qt ignores a tab order that names one)."""
    focusable = [w for w in widgets if int(w.focusPolicy()) & int(Qt.FocusPolicy.TabFocus)]
    for first, second in zip(focusable, focusable[1:]):
        QWidget.setTabOrder(first, second)


def browse_button(file_widget: QWidget) -> QToolButton | None:
    """The "…" button of a QgsFileWidget (QGIS gives no accessor for it)."""
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    for button in file_widget.findChildren(QToolButton, "", direct):
        if button.text() == "\u2026":
            return button
    return None


def describe_file_widget(file_widget, text: str, name: str, button_text: str,
                         button_name: str) -> list[QWidget]:
    """Tooltips and accessible names for a QgsFileWidget and its parts; returns the parts
    that take the focus, in tab order."""
    file_widget.setToolTip(tip(text))
    line = file_widget.lineEdit()
    line.setToolTip(tip(text))
    # QgsFileWidget clears its line edit's tooltip whenever the path changes.
    file_widget.fileChanged.connect(lambda _path: line.setToolTip(tip(text)))
    line.setAccessibleName(name)
    parts: list[QWidget] = [line]
    button = browse_button(file_widget)
    if button is not None:
        button.setToolTip(tip(button_text))
        button.setAccessibleName(button_name)
        parts.append(button)
    return parts


class ColumnFitter(QObject):
    """Sizes a table's (or a tree's) columns for a narrow dock: column `main` (the name) gets
    at least `share` of the width and whatever the others leave; the others are sized to their
    contents, and when there is not room for all, the narrow ones (area, size) keep their width
    and the widest are cut down to the same width (their text elided); columns in `cut_first`
    are cut before the others. No sideways scrolling. Refitted when the rows, the shown columns
    or the width change, until the user resizes a column by hand."""

    def __init__(self, table: QTableView | QTreeView, main: int = 0, share: float = 0.35,
                 cut_first: Iterable[int] = ()) -> None:
        super().__init__(table)
        self.table, self.main, self.share = table, main, share
        self.cut_first = set(cut_first)
        self._fitting = False
        self.by_hand = False
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        model = table.model()
        model.modelReset.connect(self._reset)
        for signal in (model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self.schedule)
        table.viewport().installEventFilter(self)

    def header(self) -> QHeaderView:
        table = self.table
        return table.horizontalHeader() if isinstance(table, QTableView) else table.header()

    def _reset(self) -> None:
        self.by_hand = False
        self.schedule()

    def _resized(self, _column: int, old: int, new: int) -> None:
        if not self._fitting and old and new and self.table.isVisible():
            self.by_hand = True  # the user dragged a column border: leave the widths alone

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def schedule(self, *_args) -> None:
        if not self.by_hand:
            self._timer.start()

    def _title_width(self, column: int) -> int:
        """The column title's width with a little room; Qt's header size hint also keeps room
        for a sort arrow, which the narrow columns cannot spare."""
        header = self.header()
        title = str(self.table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        return header.fontMetrics().horizontalAdvance(title + "0")

    def fit(self) -> None:
        header = self.header()
        columns = [c for c in range(header.count())
                   if c != self.main and not header.isSectionHidden(c)]
        wants = {c: max(self.table.sizeHintForColumn(c), self._title_width(c)) for c in columns}
        width = self.table.viewport().width()
        main_least = max(int(self.share * width), header.minimumSectionSize())
        room = width - main_least
        if sum(wants.values()) > room > 0:
            least = header.minimumSectionSize()
            first = {c: w for c, w in wants.items() if c in self.cut_first}
            kept = sum(w for c, w in wants.items() if c not in first)
            if first and room - kept >= least * len(first):
                wants.update(_share_out(first, room - kept, least))
            else:  # the cut-first columns at their least, the others share what is left
                wants.update({c: least for c in first})
                rest = {c: w for c, w in wants.items() if c not in first}
                wants.update(_share_out(rest, room - least * len(first), least))
        wants[self.main] = max(main_least, width - sum(wants.values()))
        self._fitting = True
        try:
            for column, want in wants.items():
                if header.sectionSize(column) != want:
                    header.resizeSection(column, want)
        finally:
            self._fitting = False


def _share_out(wants: dict[int, int], room: int, least: int) -> dict[int, int]:
    """Widths within `room`: the narrow columns keep theirs, the widest get the same width."""
    shared, left, count = {}, room, len(wants)
    for column, want in sorted(wants.items(), key=lambda item: item[1]):
        shared[column] = max(least, min(want, left // count))
        left -= shared[column]
        count -= 1
    return shared
