"""A row of widgets that wraps onto more lines when the dock is too narrow for it, so that
longer translations (Welsh runs a third longer than English) never widen the dock or get cut
off."""

from __future__ import annotations

from qgis.PyQt.QtCore import QPoint, QRect, QSize, Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QLayout, QWidget


class FlowLayout(QLayout):
    """Lays its widgets out left to right, as many to a line as fit, each line as high as its
    tallest widget. With `last_right`, the last widget keeps to the right edge of its line (as
    it would after a stretch in a QHBoxLayout)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6,
                 last_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list = []
        self._gap = spacing
        self.last_right = last_right
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's interface ---------------------------------------------------------------------
    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        items = self._visible()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in items) + self._gap * max(0, len(items) - 1)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the widest widget: the others wrap."""
        items = self._visible()
        margins = self.contentsMargins()
        width = max((item.minimumSize().width() for item in items), default=0)
        height = max((item.minimumSize().height() for item in items), default=0)
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height = self._arrange(rect, apply=True)
        # Owners that ignore height-for-width (a QSplitter, the dock) still make room for the
        # wrapped lines through the row's minimum height.
        parent = self.parentWidget()
        if parent is not None and parent.minimumHeight() != height:
            parent.setMinimumHeight(height)

    # -- placing ---------------------------------------------------------------------------------
    def _visible(self) -> list:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the widgets in `rect` (if `apply`); the height that takes."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list] = [[]]
        x = 0
        for item in self._visible():
            size = item.sizeHint().boundedTo(QSize(max(1, area.width()), 1 << 20))
            if lines[-1] and x + size.width() > area.width():
                lines.append([])
                x = 0
            lines[-1].append((item, x, size))
            x += size.width() + self._gap
        y = area.y()
        for number, line in enumerate(lines):
            line_height = max((size.height() for _item, _x, size in line), default=0)
            if apply:
                for index, (item, left, size) in enumerate(line):
                    last = number == len(lines) - 1 and index == len(line) - 1
                    if last and self.last_right:
                        left = max(left, area.width() - size.width())
                    top = y + (line_height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(area.x() + left, top), size))
            y += line_height + (self._gap if number < len(lines) - 1 else 0)
        return y - rect.y() + margins.bottom()


def wrapping_row(parent: QWidget, widgets: list, last_right: bool = False) -> QWidget:
    """A widget holding `widgets` in a `FlowLayout`."""
    row = QWidget(parent)
    layout = FlowLayout(row, last_right=last_right)
    for widget in widgets:
        layout.addWidget(widget)
    return row


def button_group(parent: QWidget, widgets: list) -> QWidget:
    """Widgets that stay together on one line of a wrapping row."""
    group = QWidget(parent)
    layout = QHBoxLayout(group)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return group
