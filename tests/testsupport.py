"""Helpers shared by test modules (importable because pyproject puts tests/ on the path)."""

from __future__ import annotations

import time


def wait_until(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    """Process Qt events until `predicate()` is true: tasks report through the event loop."""
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")
