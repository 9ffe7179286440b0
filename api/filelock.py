"""An OS-level lock on a lock file, so that two processes never write one `.part` at once.

Two downloads of one file into one folder (the dock and `qgis_process`, two QGIS sessions on a
shared network folder, two command lines) would share one `.part`: the lock file next to it
(`<name>.part.lock`) is locked with `fcntl.flock` on POSIX and `msvcrt.locking` on Windows for
the whole write, verification and rename. The lock goes with the process: a download that is
killed leaves no stale lock, only perhaps the empty lock file, which the next download reuses.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

if sys.platform == "win32":  # pragma: no cover - tested on Linux; same calls, Windows' names
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


LOCK_SUFFIX = ".lock"
POLL_INTERVAL = 0.2


class LockBusy(Exception):
    """Another process held the lock for longer than we were willing to wait."""


def _same_file(fd: int, path: Path) -> bool:
    """The open lock file is still the one at `path` (its holder may have removed it)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


@contextlib.contextmanager
def process_lock(
    path: Path, wait: float, check: Callable[[], None] = lambda: None
) -> Iterator[None]:
    """Hold an exclusive OS lock on `path` (created if missing) while the block runs.

    Waits up to `wait` seconds for another process to let go, calling `check()` between tries
    (it raises to stop waiting, e.g. on cancel), then raises `LockBusy`. `OSError` if the lock
    file cannot be made. The holder removes the lock file when done where the system allows it
    (Windows refuses while another process has it open); a waiter that then finds its file gone
    opens the new one, so two holders never lock two different files of one name.
    """
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while not _try_lock(fd):
                check()
                if time.monotonic() >= deadline:
                    raise LockBusy(str(path))
                time.sleep(POLL_INTERVAL)
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, path):
            break
        _unlock(fd)  # locked a file its holder had just removed: lock the one there now
        os.close(fd)
    try:
        yield
    finally:
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.unlink(path)  # still locked: a waiter on this file sees it gone, reopens
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                os.unlink(path)  # refused while another process has it open: it stays
