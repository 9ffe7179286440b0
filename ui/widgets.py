"""Small widgets and helpers the tabs share: the busy bar, tooltips, keys and tab order."""

from __future__ import annotations

import html
from typing import Callable, Iterable

from qgis.PyQt.QtCore import QEvent, QObject, Qt
from qgis.PyQt.QtWidgets import QAbstractItemView, QProgressBar, QToolButton, QWidget

ENTER = (Qt.Key_Return, Qt.Key_Enter)


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
        if kind not in (QEvent.KeyPress, QEvent.ShortcutOverride):
            return False
        modifiers = int(event.modifiers()) & ~int(Qt.KeypadModifier)
        if event.key() not in self.keys or modifiers != self.modifiers or not self.when():
            return False
        event.accept()  # a ShortcutOverride accepted: the key comes as a KeyPress, not a shortcut
        if kind == QEvent.KeyPress:
            self.action()
        return True


def on_keys(widget: QWidget, keys: Iterable[int], action: Callable[[], object],
            when: Callable[[], bool] = lambda: True, modifiers=Qt.NoModifier) -> KeyBinding:
    return KeyBinding(widget, keys, action, when, modifiers)


def ensure_current(view: QAbstractItemView) -> None:
    """A current (and selected) row, the first if there is none, for the keys to act on."""
    model = view.model()
    if model is not None and model.rowCount() > 0 and not view.currentIndex().isValid():
        view.setCurrentIndex(model.index(0, 0))


def focus_list(view: QAbstractItemView) -> None:
    """Move the keyboard focus to a list, on its current row (the first if there is none)."""
    ensure_current(view)
    view.setFocus(Qt.OtherFocusReason)


def set_tab_order(*widgets: QWidget) -> None:
    """Tab (and Shift+Tab) visit `widgets` in this order; those that take no focus are left
    out (Qt ignores a tab order that names one)."""
    focusable = [w for w in widgets if int(w.focusPolicy()) & int(Qt.TabFocus)]
    for first, second in zip(focusable, focusable[1:]):
        QWidget.setTabOrder(first, second)


def browse_button(file_widget: QWidget) -> QToolButton | None:
    """The "…" button of a QgsFileWidget (QGIS gives no accessor for it)."""
    for button in file_widget.findChildren(QToolButton, "", Qt.FindDirectChildrenOnly):
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
