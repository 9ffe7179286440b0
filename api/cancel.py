"""A cancel flag that any thread can raise and any worker can poll or sleep on."""

from __future__ import annotations

import threading

from .errors import Cancelled


class CancelToken:
    """Set once from any thread; workers poll it or sleep on it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; return True at once if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
