"""The fault-injection matrix: the tally of outcomes, the summary line, leak checks and the
small file system for the disk-full case.

Every case injects one fault, runs a download and classifies what the user got:
- recovered: every file present, its size and md5 verified;
- clean failure: a clear error, no final file that is not verified (partial data only in
  `.part` files, resumable);
- corrupt: anything else. The summary line counts them; there must be none.
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

RECOVERED = "recovered"
CLEAN_FAILURE = "clean failure"
CORRUPT = "corrupt"


@dataclass
class Tally:
    cases: list[tuple[str, str, str]] = field(default_factory=list)  # (case, outcome, why)
    disk_full: str = "not run"
    seed: int | None = None

    def add(self, case: str, outcome: str, why: str = "") -> None:
        self.cases.append((case, outcome, why))

    def count(self, outcome: str) -> int:
        return sum(1 for _, kind, _ in self.cases if kind == outcome)

    def line(self) -> str:
        return (f"faults injected: {len(self.cases)}, recovered: {self.count(RECOVERED)}, "
                f"clean failures: {self.count(CLEAN_FAILURE)}, "
                f"corrupt outputs: {self.count(CORRUPT)}")


TALLY = Tally()

# Hostile servers and files (tests/faults/test_hostile_*.py): each case is refused cleanly (a
# clear error, nothing kept as if complete) or not; and whether a secret reached somewhere it
# must not, and whether a corrupt file was called verified.
REFUSED, NOT_REFUSED = "refused cleanly", "not refused"


@dataclass
class HostileTally:
    cases: list[tuple[str, str, bool, bool]] = field(default_factory=list)

    def add(self, case: str, refused: bool, leaked: bool = False, corrupt: bool = False) -> None:
        """`refused`: the case was met with a clear error (or handled safely) and the user was
        told; `leaked`: a secret reached another host, an output or a log; `corrupt`: a file
        that is not what the listing says was kept as verified."""
        self.cases.append((case, REFUSED if refused else NOT_REFUSED, leaked, corrupt))

    def line(self) -> str:
        return (f"hostile cases: {len(self.cases)}, "
                f"refused cleanly: {sum(1 for c in self.cases if c[1] == REFUSED)}, "
                f"secrets leaked: {sum(1 for c in self.cases if c[2])}, "
                f"corrupt files: {sum(1 for c in self.cases if c[3])}")


HOSTILE = HostileTally()


@pytest.fixture(scope="session")
def hostile() -> HostileTally:
    return HOSTILE


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


@pytest.fixture(scope="session")
def seed(tally) -> int:
    """The seed of the random cancel moments: OS_DATA_HUB_FAULT_SEED=N re-runs a failure."""
    value = int(os.environ.get("OS_DATA_HUB_FAULT_SEED") or random.SystemRandom().randrange(10**6))
    tally.seed = value
    print(f"\nfault matrix seed: {value} (re-run with OS_DATA_HUB_FAULT_SEED={value})")
    return value


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if HOSTILE.cases:
        terminalreporter.section("hostile servers and files")
        for case, outcome, leaked, corrupt in HOSTILE.cases:
            if outcome != REFUSED or leaked or corrupt or config.getoption("verbose") > 0:
                terminalreporter.write_line(
                    f"{outcome:>15}: {case}" + (" — SECRET LEAKED" if leaked else "")
                    + (" — CORRUPT FILE KEPT" if corrupt else ""))
        terminalreporter.write_line(HOSTILE.line())
    if not TALLY.cases:
        return
    reporter = terminalreporter
    reporter.section("fault-injection matrix")
    for case, outcome, why in TALLY.cases:
        if outcome == CORRUPT or config.getoption("verbose") > 0:
            reporter.write_line(f"{outcome:>13}: {case}" + (f" — {why}" if why else ""))
    reporter.write_line(f"random cancel seed: {TALLY.seed}; disk full: {TALLY.disk_full}")
    reporter.write_line(TALLY.line())


def pytest_sessionfinish(session, exitstatus):
    if TALLY.count(CORRUPT) and session.exitstatus == 0:
        session.exitstatus = 1


# --- leaks ---------------------------------------------------------------------------------------


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def _fds() -> dict[int, str]:
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            pass  # the listing's own descriptor, gone already
    return found


class LeakCheck:
    """Threads and open files of this process before a case, compared after it. The local
    server's per-connection threads and sockets end once the client closes: wait for that."""

    def __init__(self) -> None:
        self.threads = _threads()
        self.fds = _fds()

    def leaks(self, timeout: float = 5.0, ignore: tuple[str, ...] = ()) -> list[str]:
        """What is still open after `timeout`, except descriptors whose target is in
        `ignore`."""
        deadline = time.monotonic() + timeout
        while True:
            # Dummy entries stand for threads Python did not start (Qt's task pool): not ours.
            threads = [t for t in _threads() - self.threads
                       if t.is_alive() and not isinstance(t, threading._DummyThread)]
            now = _fds()
            fds = [f"fd {fd} -> {target}" for fd, target in now.items()
                   if (fd not in self.fds or self.fds[fd] != target) and target not in ignore]
            if (not threads and not fds) or time.monotonic() > deadline:
                return [f"thread {t.name}" for t in threads] + fds
            time.sleep(0.05)


@pytest.fixture
def leak_check():
    return LeakCheck


# --- a small disk --------------------------------------------------------------------------------


@dataclass
class SmallDisk:
    """A download folder with little free space: on a real tmpfs when we may mount one, else
    simulated (the engine's writes there fail with ENOSPC once `free` bytes were written).
    `make_room()` frees the space again, for the follow-up run."""

    path: Path
    real: bool
    free: int
    make_room: Callable[[], None]


def _try_mount(folder: Path, size: str) -> bool:
    """Mount a tmpfs of `size` on `folder` if we may (OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL=1
    forces the simulated disk, to check that path too)."""
    if os.geteuid() != 0 or os.environ.get("OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL") == "1":
        return False
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                               str(folder)], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path, monkeypatch, tally):
    """`small_disk(free_bytes)`: a folder with about that much free space (a tmpfs rounds it
    down to whole 4 KiB pages). A mounted tmpfs is always unmounted at the end."""
    mounted: list[Path] = []
    budget = {"left": 0}
    real_open = open

    class Limited:
        def __init__(self, handle):
            self._handle = handle

        def write(self, data):
            if len(data) > budget["left"]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            budget["left"] -= len(data)
            return self._handle.write(data)

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

    def make(free: int) -> SmallDisk:
        folder = tmp_path / f"small-disk-{len(mounted)}"
        folder.mkdir()
        if _try_mount(folder, "2m"):  # room for the GeoPackage once the filler is gone
            mounted.append(folder)
            filler = folder / "filler.bin"
            stats = os.statvfs(folder)
            with open(filler, "wb") as handle:
                handle.write(b"\0" * max(0, stats.f_bavail * stats.f_frsize - free))
            tally.disk_full = "real tmpfs (mount -t tmpfs -o size=2m), filled"
            return SmallDisk(folder / "downloads", True, free, lambda: filler.unlink())
        why = ("forced by OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL"
               if os.environ.get("OS_DATA_HUB_FAULT_SIMULATE_DISK_FULL") == "1"
               else "mounting a tmpfs is not permitted here")
        tally.disk_full = f"simulated ENOSPC ({why})"
        budget["left"] = free
        folder_text = str(folder)

        def limited_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            if str(file).startswith(folder_text) and ("w" in mode or "a" in mode):
                return Limited(handle)
            return handle

        import importlib

        for name in ("os_data_hub_loader.api.download",  # downloads
                     "os_data_hub_loader.api.unpack"):  # and unpacking
            module = importlib.import_module(name)
            monkeypatch.setattr(module, "open", limited_open, raising=False)
        return SmallDisk(folder / "downloads", False, free,
                         lambda: budget.update(left=1 << 40))

    try:
        yield make
    finally:
        for folder in mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False, timeout=10)
