"""Switchable faults: dropped connections, error statuses, wrong md5s, short-lived URLs,
slow bytes, a storage host that goes away, garbled API answers and hostile files in the
listings. Thread-safe; `reset()` puts everything back to normal."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

TARGETS = ("api", "storage", "any")
DEFAULT_URL_LIFETIME = 3600
BAD_ANSWERS = ("malformed_json", "html_error", "unknown_fields", "empty_list")
HOSTILE_KINDS = ("zip_slip", "zip_bomb", "dotdot_name", "non_ascii", "empty_file")


@dataclass
class Cut:
    """How a storage file response ends early: after `bytes` body bytes, with a reset (RST)
    or a clean close (FIN, the Content-Length still claiming the whole body)."""

    bytes: int
    reset: bool = False
    graceful: bool = False


@dataclass
class BadAnswer:
    kind: str
    times: int
    path: str | None
    status: int | None


@dataclass(frozen=True)
class HostileFile:
    """A hostile or odd file added to a product's or a data package version's listing."""

    kind: str
    product: str | None
    package: str | None
    version: str | None
    area: str
    format: str


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
            self._truncations: list[list[int]] = []  # [bytes, times left]
            self._drop_resets = False
            self._gone_after: int | None = None  # armed: cut the next file, then go away
            self._gone_for: float | None = None
            self._gone_until = 0.0  # monotonic time until which the storage host is gone
            self._bad_answers: list[BadAnswer] = []
            self._hostile: list[HostileFile] = []

    # --- arming --------------------------------------------------------------------------------

    def drop_after_bytes(self, n: int, times: int = 1, reset: bool = False) -> None:
        """The next `times` storage file responses send `n` body bytes, then cut the
        connection (`reset`: abortively, with a TCP RST)."""
        with self._lock:
            self._drops.append([int(n), int(times)])
            self._drop_resets = bool(reset)

    def truncate_body(self, n: int, times: int = 1) -> None:
        """The next `times` storage file responses claim the whole Content-Length, send `n`
        body bytes and end cleanly (FIN after everything was flushed), like a proxy whose
        upstream went away."""
        with self._lock:
            self._truncations.append([int(n), int(times)])

    def server_gone(self, after_bytes: int = 0, seconds: float | None = None) -> None:
        """The next storage file response stops after `after_bytes`, and from then on the
        storage host hangs up on every request without answering, for `seconds` (None:
        until reset)."""
        with self._lock:
            self._gone_after = int(after_bytes)
            self._gone_for = None if seconds is None else float(seconds)

    def bad_answer(self, kind: str, times: int = 1, path: str | None = None,
                   status: int | None = None) -> None:
        """The next `times` JSON answers of the API host (whose path contains `path`, if
        given) are spoiled: `malformed_json` (cut in half), `html_error` (an HTML error page,
        status `status` or 502), `unknown_fields` (extra fields in every object),
        `empty_list` (every list empty)."""
        if kind not in BAD_ANSWERS:
            raise ValueError(f"kind must be one of {BAD_ANSWERS}, not {kind!r}")
        with self._lock:
            self._bad_answers.append(BadAnswer(kind, int(times), path,
                                               None if status is None else int(status)))

    def hostile_file(self, kind: str, product: str | None = None, package: str | None = None,
                     version: str | None = None, area: str = "GB",
                     format: str = "GeoPackage") -> None:
        """Add a hostile or odd file to `product`'s downloads (area, format) or to data
        package `package` version `version`: `zip_slip` (a member '../..'), `zip_bomb`
        (expands over 1000 times), `dotdot_name` (fileName '../...'), `non_ascii` (Welsh and
        Japanese names, inside too), `empty_file` (0 bytes)."""
        if kind not in HOSTILE_KINDS:
            raise ValueError(f"kind must be one of {HOSTILE_KINDS}, not {kind!r}")
        if (product is None) == (package is None) or (package is not None and not version):
            raise ValueError("give either product, or package and version")
        with self._lock:
            self._hostile.append(HostileFile(kind, product, package, version, area, format))

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

    def take_cut(self) -> Cut | None:
        """How the next storage file response is cut short, if at all (one switch used)."""
        with self._lock:
            if self._gone_after is not None:
                cut = Cut(self._gone_after, reset=True)
                lasting = math.inf if self._gone_for is None else self._gone_for
                self._gone_until = time.monotonic() + lasting
                self._gone_after = None
                return cut
            resets = self._drop_resets
        dropped = self.take_drop()
        if dropped is not None:
            return Cut(dropped, reset=resets)
        with self._lock:
            if not self._truncations:
                return None
            truncation = self._truncations[0]
            truncation[1] -= 1
            if truncation[1] <= 0:
                self._truncations.pop(0)
            return Cut(truncation[0], graceful=True)

    @property
    def storage_gone(self) -> bool:
        with self._lock:
            return time.monotonic() < self._gone_until

    def take_bad_answer(self, path: str) -> BadAnswer | None:
        with self._lock:
            for bad in self._bad_answers:
                if bad.path is None or bad.path in path:
                    bad.times -= 1
                    if bad.times <= 0:
                        self._bad_answers.remove(bad)
                    return bad
        return None

    def hostile_files(self) -> list[HostileFile]:
        with self._lock:
            return list(self._hostile)

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
            "slow": self.slow, "reset": self.reset, "truncate_body": self.truncate_body,
            "server_gone": self.server_gone, "bad_answer": self.bad_answer,
            "hostile_file": self.hostile_file,
        }
        if action not in methods:
            raise ValueError(f"unknown fault {action!r}; known: {', '.join(methods)}")
        methods[action](*args, **kwargs)


def parse_cli_fault(text: str) -> tuple[str, list, dict]:
    """`NAME=VALUE[,key=value...]`, e.g. `fail_next=503,times=2,retry_after=1`,
    `drop_after_bytes=1000`, `wrong_md5=*`, `url_lifetime=0`, `slow=20000`,
    `bad_answer=html_error,status=200`, `hostile_file=zip_slip,product=OpenGreenspace`."""
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
