"""Small widgets the tabs share."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QProgressBar


def busy_bar(parent) -> QProgressBar:
    """A thin, hidden "working…" bar (no percentage) for lists loading in the background."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setMaximumHeight(6)
    bar.setTextVisible(False)
    bar.hide()
    return bar
