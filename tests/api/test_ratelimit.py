"""The client-side rate limit: a burst, then the steady rate; cancellable waits."""

from __future__ import annotations

import threading
import time

import pytest
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.errors import Cancelled
from os_data_hub_loader.api.ratelimit import RateLimiter


def test_burst_then_steady_rate() -> None:
    limiter = RateLimiter(600)  # 10 a second, a burst of 60
    start = time.monotonic()
    for _ in range(60):
        limiter.acquire()
    burst = time.monotonic() - start
    for _ in range(5):
        limiter.acquire()
    total = time.monotonic() - start
    assert burst < 0.3
    # Five more at 10 a second: about half a second, whatever the machine's speed.
    assert 0.4 <= total < 3.0


def test_shared_between_threads() -> None:
    limiter = RateLimiter(1200)  # 20 a second, a burst of 120
    start = time.monotonic()

    def work() -> None:
        for _ in range(35):
            limiter.acquire()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 140 requests: 120 at once, 20 more at 20 a second.
    assert 0.9 <= time.monotonic() - start < 4.0


def test_waiting_is_cancellable() -> None:
    limiter = RateLimiter(1)  # one a minute
    limiter.acquire()
    cancel = CancelToken()
    threading.Timer(0.1, cancel.cancel).start()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        limiter.acquire(cancel)
    assert time.monotonic() - start < 2.0


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
