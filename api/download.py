"""The download engine: stream to disk, resume, verify, retry, rate-limit, in parallel.

Each file goes `API url --(30x)--> signed storage url --> <dest>/<file_name>.part`, and only a
`.part` whose size and md5 match what the API announced is renamed to its final name. The request
(`api.fetch.FileRequest`) follows the redirect by hand so that the API key (or bearer token) goes
to the API host only, and every attempt asks the API for a fresh signed URL (they expire after an
hour; none is kept). A job here orchestrates one file: already there? → fetch with retries →
verify → rename.

The progress callback is called from worker threads, one call at a time: keep it quick and marshal
to a UI thread yourself.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import http.cookiejar
import logging
import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import requests

from .cancel import CancelToken
from .errors import (
    CREATE_FOLDER,
    Cancelled,
    IntegrityError,
    LocalFileError,
    NetworkError,
    OSAPIError,
    UnsafeArchiveError,
    local_file_error,
    redact,
)
from .fetch import Auth, FileRequest, OpenResponses, Retry, origin_of
from .filelock import LOCK_SUFFIX, LockBusy, process_lock
from .http import HttpSettings, RetryPolicy, body_length, make_session
from .phrases import QT_TRANSLATE_NOOP, join
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)


class FileState(str, Enum):
    """Where one file of a batch is. A `str`, so that it crosses Qt signals and compares with
    the text it has always been; `str()` and f-strings give that text too."""

    QUEUED = "queued"
    DOWNLOADING = "downloading"
    VERIFYING = "verifying"
    DONE = "done"
    SKIPPED = "skipped"  # already there and verified
    FAILED = "failed"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        return self.value


FINISHED_STATES = frozenset({FileState.DONE, FileState.SKIPPED, FileState.FAILED,
                             FileState.CANCELLED})
# The short names `_FileJob` uses.
DOWNLOADING, VERIFYING, DONE = FileState.DOWNLOADING, FileState.VERIFYING, FileState.DONE
SKIPPED, FAILED, CANCELLED = FileState.SKIPPED, FileState.FAILED, FileState.CANCELLED

PART_SUFFIX = ".part"
# Our own names beside a download: a listed file named like one is refused (`d.bin.part`
# would be `d.bin`'s unfinished download, and two jobs would write one file).
OWN_SUFFIXES = (PART_SUFFIX, PART_SUFFIX + LOCK_SUFFIX)
# Seconds a download waits for another process downloading the same file into the same
# folder (it then finds the file verified and skips it) before it gives up, saying so.
OTHER_PROCESS_WAIT = 600.0
# Bytes read from the network at a time, at most: each file's reads start at FIRST_READ and
# double up to this, so small files and the first progress come quickly and big files cost few
# Python-level calls per MiB. A connection that drops loses at most the read in progress.
READ_SIZE = 1024 * 1024
FIRST_READ = 64 * 1024
# From this many bytes on, a file's md5 is computed in a thread of its own while the next bytes
# arrive (hashlib releases the GIL): on a fast line, reading and hashing then use two cores.
# Only where that thread has a core of its own (two per file being written): when every core
# already reads or hashes some file, another thread per file only adds switching.
HASH_THREAD_MIN = 4 * 1024 * 1024
CPUS = os.cpu_count() or 1
HASH_BUFFERS = 3  # buffers per threaded file: one being read, up to two waiting to be hashed
DEFAULT_WORKERS = 4  # files downloaded at once
PROGRESS_INTERVAL = 0.1  # seconds between byte updates of one file; state changes always go out
# Characters that reorder how a name is shown (U+202E makes "x\u202egpj.exe" look like
# "xexe.jpg"): a file name from a server never needs them.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")


@dataclass(frozen=True)
class DownloadItem:
    """One file to fetch. `url` is an API URL answering 30x to a signed storage URL (or 200)."""

    url: str
    file_name: str
    size: int | None = None
    md5: str | None = None


@dataclass
class DownloadResult:
    """`path` is the verified final file (None on failure); `skipped` when it was already there."""

    item: DownloadItem
    path: Path | None
    skipped: bool
    error: OSAPIError | None


@dataclass
class FileProgress:
    """One file and its state."""

    file_name: str
    bytes_done: int
    bytes_total: int | None
    state: FileState


@dataclass
class Progress:
    """The whole batch plus the file that changed.

    `bytes_total` sums the sizes the API announced and `bytes_done` counts the bytes of those files
    (resumed bytes included). `files_done` counts files that reached a final state (done, skipped,
    failed or cancelled).
    """

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    file: FileProgress


def check_file_name(name: str) -> str:
    """`name` if it is a plain file name that lands directly in the target folder, else raise.

    The name comes from the server and is not trusted: no folders, `..`, absolute paths, drive
    letters, control characters or names Windows cannot hold.
    """
    problem = None
    if not name or name in (".", ".."):
        problem = QT_TRANSLATE_NOOP("api", "it is empty or a folder reference")
    elif "/" in name or "\\" in name:
        problem = QT_TRANSLATE_NOOP("api", "it contains a folder separator")
    elif ":" in name:
        problem = QT_TRANSLATE_NOOP("api", "it contains ':' (a drive letter or stream name)")
    elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):  # C0, DEL and C1
        problem = QT_TRANSLATE_NOOP("api", "it contains control characters")
    elif any(c in _BIDI_CONTROLS for c in name):
        problem = QT_TRANSLATE_NOOP(
            "api", "it contains right-to-left or other direction controls, which can make a "
            "name look like another")
    elif name != name.rstrip(" .") or name != name.lstrip(" "):
        problem = QT_TRANSLATE_NOOP("api", "it starts or ends with a space or ends with a dot")
    elif _WINDOWS_RESERVED.match(name):
        problem = QT_TRANSLATE_NOOP("api", "it is a reserved device name on Windows")
    elif len(name.encode("utf-8")) > 240:
        problem = QT_TRANSLATE_NOOP("api", "it is too long")
    elif name.lower().endswith(OWN_SUFFIXES):
        problem = QT_TRANSLATE_NOOP(
            "api", "it ends in '.part' or '.part.lock', the names given to unfinished downloads")
    if problem:
        raise UnsafeArchiveError(QT_TRANSLATE_NOOP(
            "api", "Refused to save a download named {name!r}: {problem}. The server sent an "
            "unsafe file name; nothing was written.").format(name=name, problem=problem))
    return name


def md5_of_file(
    path: Path, chunk_size: int = 1 << 20, cancel: CancelToken | None = None
) -> tuple[int, Any]:
    """(size, md5 hash object) of a file, read in chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    size = 0
    with open(path, "rb") as stream:
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            chunk = stream.read(chunk_size)
            if not chunk:
                return size, digest
            digest.update(chunk)
            size += len(chunk)


_FILE_LOCKS: dict[str, threading.Lock] = {}
_FILE_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def _file_lock(final: Path, part: Path, cancel: CancelToken) -> Iterator[None]:
    """One download at a time per target file, across batches and engines in this process
    (the dock and the Browser may both be asked for the same file) and across processes (the
    dock and `qgis_process`, two QGIS sessions on a shared folder): they would share one
    .part. Within the process a thread lock; between processes an OS lock on
    `<name>.part.lock`, waited for at most OTHER_PROCESS_WAIT seconds. Waiting for either can
    be cancelled."""
    key = os.path.normcase(os.path.abspath(final)).lower()
    with _FILE_LOCKS_GUARD:
        lock = _FILE_LOCKS.setdefault(key, threading.Lock())
    while not lock.acquire(timeout=0.2):
        cancel.raise_if_cancelled()
    try:
        with contextlib.ExitStack() as held:
            lock_file = part.with_name(part.name + LOCK_SUFFIX)
            try:
                held.enter_context(
                    process_lock(lock_file, OTHER_PROCESS_WAIT, cancel.raise_if_cancelled))
            except LockBusy:
                raise _busy(final) from None
            except OSError as error:
                raise local_file_error(lock_file, error) from None
            yield
    finally:
        lock.release()


def _busy(final: Path) -> LocalFileError:
    return LocalFileError(QT_TRANSLATE_NOOP(
        "api", "Another download of {name} into {folder} is running (in another QGIS window, "
        "Processing or the command line) and did not finish within {minutes} minutes; this one "
        "was left out so as not to spoil it. Download again once it is done: the file will then "
        "be found verified and kept.").format(
        name=final.name, folder=final.parent, minutes=f"{OTHER_PROCESS_WAIT / 60:g}"))


class _ProgressTracker:
    """Per-file state and batch totals; throttles byte updates, never state changes."""

    def __init__(
        self, items: list[DownloadItem], callback: Callable[[Progress], None] | None
    ) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self._files = [FileProgress(i.file_name, 0, i.size, FileState.QUEUED) for i in items]
        self._sizes = [i.size for i in items]
        self._last_emit = [0.0] * len(items)
        self._bytes_total = sum(size for size in self._sizes if size)
        self._bytes_done = 0
        self._files_done = 0

    def update(
        self, index: int, *, bytes_done: int | None = None, state: FileState | None = None
    ) -> None:
        with self._lock:
            file = self._files[index]
            state_changed = state is not None and state != file.state
            if bytes_done is not None:
                size = self._sizes[index]
                if size:
                    self._bytes_done += min(bytes_done, size) - min(file.bytes_done, size)
                file.bytes_done = bytes_done
            if state is not None and state_changed:
                if state in FINISHED_STATES and file.state not in FINISHED_STATES:
                    self._files_done += 1
                file.state = state
            now = time.monotonic()
            if not state_changed and now - self._last_emit[index] < PROGRESS_INTERVAL:
                return
            self._last_emit[index] = now
            if self._callback is None:
                return
            event = Progress(
                self._bytes_done,
                self._bytes_total,
                self._files_done,
                len(self._files),
                replace(file),
            )
            try:
                self._callback(event)
            except Exception:  # a broken progress display must not break the download
                log.exception("The download progress callback failed")


def _write_all(out: Any, view: memoryview) -> None:
    """Write all of `view` to an unbuffered file (a raw write may take only part of it)."""
    while view:
        count = out.write(view)
        if count is None or count >= len(view):
            return
        view = view[count:]


class _Hasher:
    """The md5 of what was written, and the buffers the network is read into.

    Threaded (big files), the md5 is updated in a thread of its own while the next buffer is
    read: a buffer handed to `update()` comes back to `buffer()` once hashed, so at most
    HASH_BUFFERS buffers exist and a slow hash holds the reading back. Otherwise it hashes in
    the caller's thread and one buffer is reused.
    """

    def __init__(self, digest: Any, buffer_size: int, threaded: bool) -> None:
        self.digest = digest
        self._size = buffer_size
        self._free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(HASH_BUFFERS if threaded else 1):
            self._free.put(bytearray(buffer_size))
        self._work: queue.SimpleQueue[memoryview | None] | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._work = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._run, name="osdh-md5", daemon=True)
            self._thread.start()

    def buffer(self) -> memoryview:
        return memoryview(self._free.get())

    def give_back(self, view: memoryview) -> None:
        owner = view.obj
        if isinstance(owner, bytearray) and len(owner) == self._size:
            self._free.put(owner)

    def update(self, view: memoryview) -> None:
        if self._work is None:
            self.digest.update(view)
            self.give_back(view)
        else:
            self._work.put(view)

    def _run(self) -> None:
        assert self._work is not None
        while True:
            view = self._work.get()
            if view is None:
                return
            self.digest.update(view)
            self.give_back(view)

    def finish(self) -> Any:
        """The digest once everything handed over is hashed."""
        if self._work is not None and self._thread is not None:
            self._work.put(None)
            self._thread.join()
            self._work = None
        return self.digest


class _Batch:
    """What the workers of one `DownloadEngine.download()` call share."""

    def __init__(
        self,
        engine: DownloadEngine,
        dest_dir: Path,
        tracker: _ProgressTracker,
        cancel: CancelToken,
    ) -> None:
        self.engine = engine
        self.dest_dir = dest_dir
        self.tracker = tracker
        self.cancel = cancel
        self.open_responses = OpenResponses()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._writing = 0
        self._writing_lock = threading.Lock()

    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = make_session(self.engine.http)
            # No cookies at all: an API cookie must never reach the storage host.
            session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def writing(self, change: int) -> int:
        """Count a file that starts (+1) or stops (-1) being written; the files being written
        before this one started."""
        with self._writing_lock:
            before = self._writing
            self._writing += change
            return before

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def watch_cancel(self, finished: threading.Event) -> None:
        """Until the batch ends: on cancel, wake workers stuck reading a stalled connection."""
        while not finished.wait(0.05):
            if self.cancel.cancelled:
                self.open_responses.abort_all()
                return


class _FileJob:
    """Fetches one item: skip, resume, retry, verify, rename."""

    def __init__(self, batch: _Batch, index: int, item: DownloadItem) -> None:
        self.batch = batch
        self.engine = batch.engine
        self.index = index
        self.item = item
        self.cancel = batch.cancel
        self.final: Path | None = None
        self.part: Path | None = None
        self.expected_size = item.size
        self.expected_md5 = item.md5.strip().lower() if item.md5 else None
        # md5 state of the .part as this job last wrote it, to resume without re-reading it.
        self._hashed: tuple[int, Any] | None = None
        self._longest_part = 0
        self.request = FileRequest(item.url, item.file_name, batch)

    # -- the job as a whole ------------------------------------------------------------------

    def run(self) -> DownloadResult:
        try:
            if self.cancel.cancelled:
                raise self._cancelled()
            name = check_file_name(self.item.file_name)
            self.final = self.batch.dest_dir / name
            self.part = self.batch.dest_dir / (name + PART_SUFFIX)
            with _file_lock(self.final, self.part, self.cancel):
                if self._already_there():
                    self._state(SKIPPED, bytes_done=self.final.stat().st_size)
                    return DownloadResult(self.item, self.final, True, None)
                self._fetch_with_retries()
            self._state(DONE, bytes_done=self.final.stat().st_size)
            return DownloadResult(self.item, self.final, False, None)
        except Cancelled:
            self._state(CANCELLED)
            return DownloadResult(self.item, None, False, self._cancelled())
        except OSAPIError as error:
            self._state(FAILED)
            return DownloadResult(self.item, None, False, error)
        except Exception as error:  # a bug must not lose the other files' results
            log.error("Downloading %s failed unexpectedly: %s", self.item.file_name,
                      redact(f"{type(error).__name__}: {error}", self.request.secrets()))
            self._state(FAILED)
            failure = OSAPIError(QT_TRANSLATE_NOOP(
                "api", "Downloading {0} failed unexpectedly: {1}").format(
                self.item.file_name, redact(str(error), self.request.secrets())))
            failure.__cause__ = error
            return DownloadResult(self.item, None, False, failure)

    def _cancelled(self) -> Cancelled:
        return Cancelled(QT_TRANSLATE_NOOP(
            "api", "Cancelled: {0} was not finished; what was downloaded is kept and the next "
            "download resumes from there.").format(self.item.file_name))

    def _already_there(self) -> bool:
        """True if the final file exists and matches the announced size and md5."""
        assert self.final is not None and self.part is not None
        if not self.final.is_file() or (self.expected_size is None and not self.expected_md5):
            return False
        if self.expected_size is not None and self.final.stat().st_size != self.expected_size:
            return False
        if self.expected_md5:
            self._state(VERIFYING)
            _, digest = md5_of_file(self.final, self.engine.chunk_size, self.cancel)
            if digest.hexdigest() != self.expected_md5:
                return False
        self.part.unlink(missing_ok=True)
        return True

    def _fetch_with_retries(self) -> None:
        failures = 0
        while True:
            self.cancel.raise_if_cancelled()
            longest_before = self._longest_part
            try:
                self._attempt()
                return
            except Retry as retry:
                # A try that got further than any before is forgiven: a long download over a
                # flaky line must not run out of attempts while it is making progress.
                failures = 1 if self._longest_part > longest_before else failures + 1
                if failures >= self.engine.retry.attempts:
                    raise retry.error from None
                delay = (
                    0.0 if retry.immediate else self.engine.retry.delay(failures, retry.retry_after)
                )
                log.info(
                    "%s: attempt %d failed (%s); trying again in %.1f s",
                    self.item.file_name,
                    failures,
                    retry.error,
                    delay,
                )
                if self.cancel.wait(delay):
                    raise self._cancelled() from None

    # -- one attempt -------------------------------------------------------------------------

    def _attempt(self) -> None:
        assert self.part is not None
        offset = self.part.stat().st_size if self.part.is_file() else 0
        if self.expected_size is not None and offset > self.expected_size:
            self._discard_part()
            offset = 0
        self._state(DOWNLOADING, bytes_done=offset)
        response = self.request.open(offset)
        try:
            if response.status_code == 416:
                self._after_range_not_satisfiable(response, offset)
                return
            if response.status_code == 206:
                start = _content_range(response)[0]
                if start != offset:
                    self._discard_part()
                    raise Retry(
                        NetworkError(QT_TRANSLATE_NOOP(
                            "api", "The server sent the wrong part of {0}; starting that file "
                            "again.").format(self.item.file_name)),
                        immediate=True,
                    )
            else:
                offset = 0  # 200: the server ignored the range, so it sends the whole file
            digest = self._write(response, offset)
        finally:
            self.request.close(response)
        self._verify_and_rename(digest)

    def _write(self, response: requests.Response, offset: int) -> Any:
        """Stream the body into the .part (appending after `offset`); return its md5 state."""
        assert self.part is not None
        digest = self._digest_of_part(offset)
        expected_length = body_length(response)
        limit = self.expected_size
        if limit is None and response.status_code == 206:
            limit = _content_range(response)[1]
        if limit is None and expected_length is not None:
            limit = offset + expected_length
        done = offset
        received = 0
        overflow = False
        self._state(bytes_done=done)
        remaining = limit - offset if limit is not None else None
        others = self.batch.writing(+1)
        big = remaining is None or remaining >= HASH_THREAD_MIN
        hasher = _Hasher(digest, self.engine.chunk_size, threaded=big and 2 * (others + 1) <= CPUS)
        write_failed = False
        try:
            with open(self.part, "ab" if offset else "wb", buffering=0) as out:
                for view in self._chunks(response, hasher):
                    _write_all(out, view)  # what arrived is kept, cancelled or not
                    count = len(view)
                    hasher.update(view)
                    done += count
                    received += count
                    self._state(bytes_done=done)
                    if limit is not None and done > limit:
                        overflow = True  # longer than announced: stop filling the disk
                        break
                    self.cancel.raise_if_cancelled()
        except OSError as error:  # the network's errors come as Retry: this is the disk's
            write_failed = True
            raise local_file_error(self.part, error) from None
        finally:
            self.batch.writing(-1)
            self._longest_part = max(self._longest_part, done)
            digest = hasher.finish()
            # What was written and hashed stays known, so that a resume need not read it back;
            # after a failed write the .part may hold bytes the digest does not.
            self._hashed = None if write_failed else (done, digest)
        if not overflow and expected_length is not None and received < expected_length:
            raise Retry(
                NetworkError(QT_TRANSLATE_NOOP(
                    "api", "The connection dropped while downloading {0} ({1} bytes so far, kept "
                    "to resume).").format(self.item.file_name, done))
            )
        return digest

    def _chunks(self, response: requests.Response, hasher: _Hasher) -> Iterator[memoryview]:
        """The body as sent (never decoded), in chunks of what has arrived, read into the
        hasher's reused buffers; a dropped or timed-out connection becomes a retry."""
        raw = getattr(response.raw, "_fp", None)  # http.client's response, under urllib3's
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            # Asked for as it is (Accept-Encoding: identity): decoding could turn a few KB into
            # gigabytes, and the raw bytes would not be the file. Nothing is written.
            raise IntegrityError(QT_TRANSLATE_NOOP(
                "api", "The server sent {0} compressed (Content-Encoding: {1}) although the file "
                "was asked for as it is; nothing was written. A proxy may be compressing "
                "downloads: try another network or ask its administrator.").format(
                self.item.file_name, encoding[:40]))
        try:
            if raw is None or not hasattr(raw, "readinto1"):
                while True:
                    chunk = response.raw.read(FIRST_READ, decode_content=False)
                    if not chunk:
                        return
                    yield memoryview(chunk)
            size = min(FIRST_READ, self.engine.chunk_size)
            while True:
                buffer = hasher.buffer()
                # What has arrived, up to `size` bytes (one wait for the network at most): a
                # trickling server's bytes are written as they come, and none are lost to a
                # cancel or a timeout in the middle of a long read.
                count = _read_arrived(raw, buffer[:size])
                if not count:
                    hasher.give_back(buffer)
                    break
                yield buffer[:count]
                size = min(size * 2, self.engine.chunk_size)
            # Read to its end through http.client: tell requests, so that closing the response
            # hands the connection back to the pool instead of closing it.
            response._content_consumed = True
        except (requests.RequestException, http.client.HTTPException, OSError) as error:
            self.cancel.raise_if_cancelled()
            raise Retry(self.request.network_error(error)) from None

    def _digest_of_part(self, offset: int) -> Any:
        """The md5 state of the first `offset` bytes of the .part (streaming, or remembered)."""
        assert self.part is not None
        if offset == 0:
            return hashlib.md5(usedforsecurity=False)
        if self._hashed is not None and self._hashed[0] == offset:
            return self._hashed[1].copy()
        self._state(VERIFYING)
        size, digest = md5_of_file(self.part, self.engine.chunk_size, self.cancel)
        self._state(DOWNLOADING)
        if size != offset:
            raise Retry(NetworkError(QT_TRANSLATE_NOOP(
                "api", "{0} changed while resuming.").format(self.part)), immediate=True)
        return digest

    def _after_range_not_satisfiable(self, response: requests.Response, offset: int) -> None:
        """416: the .part is already as long as the file (or longer). Keep it only if right."""
        total = _content_range(response)[1]
        self.request.drain_and_close(response)
        if self.expected_size is None and total is not None:
            self.expected_size = total
        if self.expected_size is None and total is None and not self.expected_md5:
            # Nothing to check the .part against: fetch the whole file again.
            self._discard_part()
            raise Retry(
                NetworkError(QT_TRANSLATE_NOOP(
                    "api", "The server refused to resume {0}.").format(self.item.file_name)),
                immediate=True,
            )
        self._verify_and_rename(self._digest_of_part(offset))

    def _verify_and_rename(self, digest: Any) -> None:
        assert self.part is not None and self.final is not None
        self._state(VERIFYING)
        actual_size = self.part.stat().st_size
        actual_md5 = digest.hexdigest()
        problems = []
        if self.expected_size is not None and actual_size != self.expected_size:
            problems.append(QT_TRANSLATE_NOOP("api", "size {0} bytes instead of {1}").format(
                actual_size, self.expected_size))
        if self.expected_md5 and actual_md5 != self.expected_md5:
            problems.append(QT_TRANSLATE_NOOP("api", "md5 {0} instead of {1}").format(
                actual_md5, self.expected_md5))
        elif self.expected_md5 and not problems:
            # What streamed past is checked; what is renamed is what is on disk: read it back
            # (from the page cache, mostly), in case anything else wrote to the .part meanwhile.
            on_disk = md5_of_file(self.part, self.engine.chunk_size, self.cancel)[1].hexdigest()
            if on_disk != self.expected_md5:
                problems.append(QT_TRANSLATE_NOOP(
                    "api", "md5 {0} on disk instead of {1}: something else wrote to {2} while it "
                    "was downloaded").format(on_disk, self.expected_md5, self.part.name))
        if problems:
            self._discard_part()
            raise Retry(
                IntegrityError(QT_TRANSLATE_NOOP(
                    "api", "{0} arrived damaged ({1}) even after downloading it again; nothing "
                    "was kept. Try again later.").format(
                    self.item.file_name, join(problems, "; ")))
            )
        try:
            os.replace(self.part, self.final)
        except OSError as error:  # e.g. on Windows, the old file is open as a layer
            raise LocalFileError(QT_TRANSLATE_NOOP(
                "api", "{name} was downloaded and verified but could not replace the file "
                "already in {folder} ({error}): close it in QGIS or other programs and download "
                "again (the verified download is kept as {part}).").format(
                name=self.item.file_name, folder=self.final.parent,
                error=error.strerror or error, part=self.part.name)
            ) from None
        self._hashed = None

    # -- small helpers -----------------------------------------------------------------------

    def _discard_part(self) -> bool:
        assert self.part is not None
        self._hashed = None
        existed = self.part.exists()
        self.part.unlink(missing_ok=True)
        return existed

    def _state(self, state: FileState | None = None, *, bytes_done: int | None = None) -> None:
        self.batch.tracker.update(self.index, bytes_done=bytes_done, state=state)


def _read_arrived(raw: Any, view: memoryview) -> int:
    """Like http.client's `readinto()`, but with what has arrived: at most one wait for the
    network. A body of known length is read straight into `view` from the socket's buffered
    reader (http.client's own `readinto1` would copy a `read1()`), keeping http.client's count
    of what is left; a chunked one through `readinto1`."""
    fp = getattr(raw, "fp", None)
    length = getattr(raw, "length", None)
    if fp is None or getattr(raw, "chunked", True) or not length or not hasattr(fp, "readinto1"):
        return int(raw.readinto1(view) if length != 0 else raw.readinto(view))
    count = int(fp.readinto1(view[:length]))
    if not count:
        return int(raw.readinto(view))  # the end before the length: http.client closes
    raw.length = length - count
    if not raw.length:
        raw.readinto(view[:0])  # the whole body: http.client releases the connection
    return count


def _content_range(response: requests.Response) -> tuple[int | None, int | None]:
    """(first byte, complete length) from `Content-Range: bytes a-b/n` or `bytes */n`."""
    match = re.match(
        r"\s*bytes\s+(?:(\d+)-\d+|\*)/(\d+|\*)", response.headers.get("Content-Range", "")
    )
    if not match:
        return None, None
    start = int(match.group(1)) if match.group(1) else None
    total = int(match.group(2)) if match.group(2) != "*" else None
    return start, total


class DownloadEngine:
    """Downloads items in parallel, each to `dest_dir/<file_name>`, verified.

    `api_origin` is the API's scheme://host[:port] (a longer URL is cut to that); only requests
    to it carry `auth.headers()`. Every request to the API waits for `rate_limiter` when one is
    given; the storage host's signed file URLs do not count against OS's limit.
    """

    def __init__(
        self,
        api_origin: str,
        auth: Auth,
        http: HttpSettings,
        retry: RetryPolicy,
        rate_limiter: RateLimiter | None = None,
        workers: int = DEFAULT_WORKERS,
        chunk_size: int = READ_SIZE,
    ) -> None:
        origin = origin_of(api_origin)
        if origin is None or not origin[0] or not origin[1]:
            raise ValueError(f"api_origin must be an absolute URL, not {api_origin!r}")
        if workers < 1 or chunk_size < 1:
            raise ValueError("workers and chunk_size must be at least 1")
        self.api_origin = origin
        self.auth = auth
        self.http = http
        self.retry = retry
        self.rate_limiter = rate_limiter
        self.workers = workers
        self.chunk_size = chunk_size

    def download(
        self,
        items: Iterable[DownloadItem],
        dest_dir: Path,
        progress: Callable[[Progress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> list[DownloadResult]:
        """Fetch every item; one result per item, in the same order. Never raises for a file:
        each result carries its own error (`Cancelled` for files stopped by `cancel`).

        `progress` is called from worker threads (one call at a time): marshal to your UI thread.
        """
        items = list(items)
        if not items:
            return []
        dest_dir = Path(dest_dir)
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise local_file_error(dest_dir, error, CREATE_FOLDER) from None
        cancel = cancel if cancel is not None else CancelToken()
        batch = _Batch(self, dest_dir, _ProgressTracker(items, progress), cancel)
        finished = threading.Event()
        watcher = threading.Thread(
            target=batch.watch_cancel, args=(finished,), name="osdh-download-cancel", daemon=True
        )
        watcher.start()
        try:
            with ThreadPoolExecutor(
                max_workers=min(self.workers, len(items)), thread_name_prefix="osdh-download"
            ) as pool:
                futures = [
                    pool.submit(_FileJob(batch, index, item).run)
                    for index, item in enumerate(items)
                ]
                return [future.result() for future in futures]
        finally:
            finished.set()
            watcher.join()
            batch.close()
