"""Switchable faults: dropped connections, error statuses, wrong md5s, short-lived URLs,
slow bytes. Thread-safe; `reset()` puts everything back to normal."""

from __future__ import annotations

import threading
from dataclasses import dataclass

TARGETS = ("api", "storage", "any")
DEFAULT_URL_LIFETIME = 3600


@dataclass
class PlannedFailure:
    status: int
    times: int
    retry_after: float | None
    target: str


class Faults:
    """Faults the local server injects. Each method arms one switch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._drops: list[list[int]] = []  # [bytes, times left]
            self._failures: list[PlannedFailure] = []
            self._wrong_md5: set[str | None] = set()
            self._url_lifetime: float = DEFAULT_URL_LIFETIME
            self._bytes_per_second: float | None = None

    # --- arming --------------------------------------------------------------------------------

    def drop_after_bytes(self, n: int, times: int = 1) -> None:
        """The next `times` storage file responses send `n` body bytes, then cut the
        connection."""
        with self._lock:
            self._drops.append([int(n), int(times)])

    def fail_next(self, status: int, times: int = 1, retry_after: float | None = None,
                  target: str = "api") -> None:
        """The next `times` requests to `target` ("api", "storage", "any") answer `status`
        (with `Retry-After` when given)."""
        if target not in TARGETS:
            raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
        with self._lock:
            self._failures.append(PlannedFailure(int(status), int(times), retry_after, target))

    def wrong_md5(self, file_name: str | None = None) -> None:
        """Listings report a wrong md5 for `file_name` (every file if None)."""
        with self._lock:
            self._wrong_md5.add(file_name)

    def url_lifetime(self, seconds: float) -> None:
        """Signed storage URLs issued from now on expire after `seconds` (0: already)."""
        with self._lock:
            self._url_lifetime = float(seconds)

    def slow(self, bytes_per_second: float | None) -> None:
        """The storage host sends file bytes at about this rate (None or 0: full speed)."""
        with self._lock:
            self._bytes_per_second = float(bytes_per_second) if bytes_per_second else None

    # --- consulted by the server ---------------------------------------------------------------

    def take_failure(self, server: str) -> PlannedFailure | None:
        with self._lock:
            for planned in self._failures:
                if planned.target in (server, "any"):
                    planned.times -= 1
                    if planned.times <= 0:
                        self._failures.remove(planned)
                    return planned
        return None

    def take_drop(self) -> int | None:
        with self._lock:
            if not self._drops:
                return None
            drop = self._drops[0]
            drop[1] -= 1
            if drop[1] <= 0:
                self._drops.pop(0)
            return drop[0]

    def listed_md5(self, file_name: str, md5: str) -> str:
        with self._lock:
            wrong = None in self._wrong_md5 or file_name in self._wrong_md5
        if not wrong:
            return md5
        flipped = "".join("0123456789abcdef"[15 - int(c, 16)] for c in md5.lower())
        return flipped.upper() if md5.isupper() else flipped

    @property
    def current_url_lifetime(self) -> float:
        with self._lock:
            return self._url_lifetime

    @property
    def bytes_per_second(self) -> float | None:
        with self._lock:
            return self._bytes_per_second

    def apply(self, action: str, *args, **kwargs) -> None:
        """Arm a switch by name (used by the HTTP control endpoint and the CLI)."""
        methods = {
            "drop_after_bytes": self.drop_after_bytes, "fail_next": self.fail_next,
            "wrong_md5": self.wrong_md5, "url_lifetime": self.url_lifetime,
            "slow": self.slow, "reset": self.reset,
        }
        if action not in methods:
            raise ValueError(f"unknown fault {action!r}; known: {', '.join(methods)}")
        methods[action](*args, **kwargs)


def parse_cli_fault(text: str) -> tuple[str, list, dict]:
    """`NAME=VALUE[,key=value...]`, e.g. `fail_next=503,times=2,retry_after=1`,
    `drop_after_bytes=1000`, `wrong_md5=*`, `url_lifetime=0`, `slow=20000`."""
    name, _, rest = text.partition("=")
    args: list = []
    kwargs: dict = {}
    for index, item in enumerate(p for p in rest.split(",") if p):
        if index > 0 and "=" in item:
            key, _, value = item.partition("=")
            kwargs[key.strip()] = _number(value.strip())
        else:
            args.append(_number(item.strip()))
    if name == "wrong_md5" and args == ["*"]:
        args = []
    return name.strip(), args, kwargs


def _number(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value
