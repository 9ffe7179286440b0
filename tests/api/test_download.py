"""The download engine against a real HTTP pair on 127.0.0.1 (API host 307 -> storage host).

Each fault the engine claims to survive is injected by the server (tests/api/download_server.py)
and the test checks what the user gets and that nothing is lost or leaked.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import threading
import time
from pathlib import Path

import os_data_hub_loader.api.download as download_module
import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import (
    FINISHED_STATES,
    DownloadEngine,
    DownloadItem,
    DownloadResult,
    FileProgress,
    FileState,
    Progress,
    check_file_name,
    md5_of_file,
)
from os_data_hub_loader.api.errors import (
    AuthenticationError,
    Cancelled,
    IntegrityError,
    LocalFileError,
    NetworkError,
    NotFoundError,
    OSAPIError,
    PermissionDeniedError,
    RateLimited,
    ServerError,
    UnsafeArchiveError,
)
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.ratelimit import RateLimiter


def _load_server_module():
    path = Path(__file__).with_name("download_server.py")
    spec = importlib.util.spec_from_file_location("osdh_test_download_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


download_server = _load_server_module()
API_KEY = download_server.API_KEY
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def servers():
    with download_server.DownloadServers() as pair:
        yield pair


def make_engine(servers, *, retry=FAST_RETRY, workers=2, chunk_size=16 * 1024, **kw):
    return DownloadEngine(
        servers.api_url,
        ApiKeyAuth(API_KEY),
        HttpSettings(timeout=5),
        retry,
        kw.pop("rate_limiter", None),
        workers=workers,
        chunk_size=chunk_size,
    )


def served_item(servers, name="data.zip", size=200_000, **overrides) -> DownloadItem:
    served = servers.add_file(name, os.urandom(size))
    fields = {"url": servers.url_for(name), "file_name": name, "size": size, "md5": served.md5}
    fields.update(overrides)
    return DownloadItem(**fields)


def content_of(servers, name: str) -> bytes:
    served = servers.files[name]
    return b"".join(served.chunks(0, served.size))


def download_one(engine, item, dest, **kw) -> DownloadResult:
    (result,) = engine.download([item], dest, **kw)
    return result


def assert_no_credentials_reached_storage(servers) -> None:
    for request in servers.recorded("storage"):
        names = {name.lower() for name in request.headers}
        assert "key" not in names and "authorization" not in names and "cookie" not in names
        assert "key" not in {name.lower() for name in request.query}


# -- the normal path ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body"), [(307, True), (307, False), (302, True), (301, False), (308, True)]
)
def test_follows_the_redirect_and_lands_a_verified_file(servers, tmp_path, status, body):
    servers.faults.redirect_status = status
    servers.faults.redirect_body = body
    item = served_item(servers)
    item = DownloadItem(item.url, item.file_name, item.size, item.md5.upper())

    result = download_one(make_engine(servers), item, tmp_path)

    assert result.error is None and not result.skipped
    assert result.path == tmp_path / "data.zip"
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.zip"]  # no .part left
    (api,) = servers.recorded("api")
    assert api.headers.get("key") == API_KEY
    assert len(servers.recorded("storage")) == 1
    assert_no_credentials_reached_storage(servers)


def test_api_answering_200_is_the_file_itself(servers, tmp_path):
    servers.faults.direct = True
    item = served_item(servers)
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert servers.recorded("storage") == []


def test_further_redirects_on_storage_are_followed_without_credentials(servers, tmp_path):
    servers.faults.storage_hops = 3  # relative Location headers on the storage host
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert result.error is None
    assert len(servers.recorded("storage")) == 4
    assert_no_credentials_reached_storage(servers)


def test_endless_redirects_give_up(servers, tmp_path):
    servers.faults.storage_hops = 50
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, OSAPIError)
    assert "redirected more than 5 times" in str(result.error)
    assert len(servers.requests) == 6
    assert not (tmp_path / "data.zip").exists()


def test_key_goes_only_to_the_api_origin(servers, tmp_path):
    engine = DownloadEngine(
        "https://api.os.uk", ApiKeyAuth(API_KEY), HttpSettings(timeout=5), FAST_RETRY, None
    )
    result = download_one(engine, served_item(servers), tmp_path)
    assert isinstance(result.error, AuthenticationError)
    assert all("key" not in r.headers for r in servers.requests)


def test_api_origin_may_be_given_as_the_api_base_url(servers, tmp_path):
    engine = DownloadEngine(
        servers.api_url + "/downloads/v1", ApiKeyAuth(API_KEY), HttpSettings(timeout=5), FAST_RETRY
    )
    assert download_one(engine, served_item(servers), tmp_path).error is None


# -- untrusted file names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../evil.zip",
        "..",
        "sub/evil.zip",
        "sub\\evil.zip",
        "/etc/evil.zip",
        "C:evil.zip",
        "C:\\evil.zip",
        "\\\\server\\share\\evil.zip",
        "evil\x00.zip",
        "",
        "CON.zip",
        "trailing. ",
    ],
)
def test_unsafe_file_names_are_refused_before_any_request(servers, tmp_path, name):
    dest = tmp_path / "dest"
    item = DownloadItem(servers.url_for("x.zip"), name, 10, None)
    result = download_one(make_engine(servers), item, dest)
    assert isinstance(result.error, UnsafeArchiveError)
    assert "Refused to save a download named" in str(result.error)
    assert servers.requests == []
    assert list(tmp_path.rglob("*")) == [dest]  # nothing written anywhere


def test_ordinary_os_file_names_are_accepted():
    for name in ("opmplc_gpkg_gb.zip", "OS Open Greenspace.zip", "..hidden", "a-b_c.1.zip"):
        assert check_file_name(name) == name


def test_file_states_read_as_the_text_they_always_were():
    """Front ends compare with, print and send (Qt signals take str) the state's text."""
    texts = ["queued", "downloading", "verifying", "done", "skipped", "failed", "cancelled"]
    assert [state.value for state in FileState] == texts
    for text in texts:
        state = FileState(text)
        assert state == text and str(state) == text and f"{state}" == text
        assert "{0}".format(state) == text and isinstance(state, str)
    assert FINISHED_STATES == {"done", "skipped", "failed", "cancelled"}


# -- already there, resume ----------------------------------------------------------------------


def test_verified_file_already_there_is_skipped_without_any_request(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip").write_bytes(content_of(servers, "data.zip"))
    events: list[Progress] = []
    result = download_one(make_engine(servers), item, tmp_path, progress=events.append)
    assert result.skipped and result.error is None and result.path == tmp_path / "data.zip"
    assert servers.requests == []
    assert events[-1].file.state is FileState.SKIPPED
    assert events[-1].bytes_done == item.size and events[-1].files_done == 1


def test_wrong_file_already_there_is_downloaded_again(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip").write_bytes(b"x" * item.size)  # right size, wrong md5
    result = download_one(make_engine(servers), item, tmp_path)
    assert not result.skipped and result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")


def test_part_file_is_resumed_with_a_range_request(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip.part").write_bytes(content_of(servers, "data.zip")[:70_000])
    events: list[Progress] = []
    result = download_one(make_engine(servers), item, tmp_path, progress=events.append)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    (storage,) = servers.recorded("storage")
    assert storage.headers["Range"] == "bytes=70000-"
    assert servers.recorded("api")[0].headers["Range"] == "bytes=70000-"
    assert events[0].file.bytes_done == 70_000  # resumed bytes count as done


def test_range_ignored_by_the_server_starts_the_file_over(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip.part").write_bytes(b"stale bytes that must be truncated")
    servers.faults.ignore_range_times = 1
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")


def test_complete_part_answered_416_is_verified_and_kept(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip.part").write_bytes(content_of(servers, "data.zip"))
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert len(servers.recorded("storage")) == 1  # the 416; no second download


def test_wrong_part_answered_416_is_discarded_and_downloaded_again(servers, tmp_path):
    item = served_item(servers)
    item = DownloadItem(item.url, item.file_name, None, None)  # 416's Content-Range gives the size
    (tmp_path / "data.zip.part").write_bytes(b"y" * 250_000)  # longer than the file
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")


def test_part_longer_than_announced_is_discarded_without_asking_for_a_range(servers, tmp_path):
    item = served_item(servers)
    (tmp_path / "data.zip.part").write_bytes(b"y" * 250_000)
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert "Range" not in servers.recorded("storage")[0].headers


# -- faults -------------------------------------------------------------------------------------


def test_dropped_connection_keeps_the_part_and_resumes_with_a_fresh_url(servers, tmp_path):
    item = served_item(servers)
    servers.faults.drop_after_bytes(64 * 1024)
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    first, second = servers.recorded("storage")
    assert "Range" not in first.headers and second.headers["Range"] == "bytes=65536-"
    assert first.query["sig"] != second.query["sig"]  # the signed URL was asked for again
    assert len(servers.recorded("api")) == 2


def test_drops_that_make_progress_do_not_use_up_the_attempts(servers, tmp_path):
    item = served_item(servers, size=400_000)
    servers.faults.drop_after_bytes(50_000, times=6)  # more drops than attempts (3)
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert len(servers.recorded("storage")) == 7


@pytest.fixture
def hashers(monkeypatch):
    """Whether each file's md5 ran in a thread of its own (True) or in the worker (False)."""
    seen: list[bool] = []
    real = download_module._Hasher

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, digest, buffer_size, threaded):
            seen.append(threaded)
            super().__init__(digest, buffer_size, threaded)

    monkeypatch.setattr(download_module, "_Hasher", Recording)
    monkeypatch.setattr(download_module, "HASH_THREAD_MIN", 100_000)
    return seen


def test_big_files_are_hashed_in_a_thread_and_a_drop_resumes_without_reading_back(
    servers, tmp_path, monkeypatch, hashers
):
    """From HASH_THREAD_MIN bytes on, the md5 runs in a thread of its own while the next bytes
    arrive; what was written and hashed before a drop is not read back from the .part to
    resume: only the final check reads it, once, just before the rename."""
    monkeypatch.setattr(download_module, "CPUS", 2)
    read_back = []
    real_md5_of_file = download_module.md5_of_file

    def counting_md5_of_file(*args, **kwargs):
        read_back.append(args[0])
        return real_md5_of_file(*args, **kwargs)

    monkeypatch.setattr(download_module, "md5_of_file", counting_md5_of_file)
    item = served_item(servers, size=600_000)
    servers.faults.drop_after_bytes(250_000)
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert hashers == [True, True]  # the first attempt and the resumed one (350 000 bytes)
    assert read_back == [tmp_path / "data.zip.part"]
    assert not [t for t in threading.enumerate() if t.name == "osdh-md5"]


def test_small_files_and_busy_cores_hash_in_the_worker(servers, tmp_path, monkeypatch, hashers):
    monkeypatch.setattr(download_module, "CPUS", 1)  # no core to spare for a hashing thread
    items = [served_item(servers, f"f{i}.zip", size=size)
             for i, size in enumerate((600_000, 50_000))]
    results = make_engine(servers).download(items, tmp_path)
    assert all(r.error is None for r in results)
    assert hashers == [False, False]
    monkeypatch.setattr(download_module, "CPUS", 2)
    small = served_item(servers, "small.zip", size=50_000)
    assert download_one(make_engine(servers), small, tmp_path).error is None
    assert hashers[-1] is False


def test_storage_connections_are_reused_between_files(servers, tmp_path):
    items = [served_item(servers, f"f{i}.zip", size=300_000) for i in range(6)]
    results = make_engine(servers, workers=1, chunk_size=1 << 20).download(items, tmp_path)
    assert all(r.error is None for r in results)
    ports = {r.client_port for r in servers.recorded("storage")}
    assert len(ports) == 1


def test_wrong_md5_once_is_downloaded_again(servers, tmp_path):
    item = served_item(servers)
    servers.faults.corrupt_times = 1
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert [r.headers.get("Range") for r in servers.recorded("storage")] == [None, None]


def test_md5_that_stays_wrong_is_an_integrity_error_and_nothing_is_kept(servers, tmp_path):
    item = served_item(servers)
    servers.faults.corrupt_times = 99
    result = download_one(make_engine(servers), item, tmp_path)
    assert isinstance(result.error, IntegrityError) and result.path is None
    message = str(result.error)
    assert "data.zip" in message and item.md5 in message
    assert list(tmp_path.iterdir()) == []  # no final file, no .part
    assert len(servers.recorded("storage")) == FAST_RETRY.attempts


def test_size_that_stays_wrong_is_an_integrity_error(servers, tmp_path):
    item = served_item(servers, md5=None)
    item = DownloadItem(item.url, item.file_name, item.size - 1, None)
    result = download_one(make_engine(servers), item, tmp_path)
    assert isinstance(result.error, IntegrityError)
    assert f"instead of {item.size}" in str(result.error)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["api", "storage"])
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_rate_limit_and_server_errors_are_retried(servers, tmp_path, status, target):
    servers.faults.fail_next(status, times=2, target=target)
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert result.error is None
    assert len(servers.recorded("api")) == 3  # every attempt asks the API again


def test_retry_after_is_honoured(servers, tmp_path):
    servers.faults.fail_next(429, retry_after=0.2, target="api")
    started = time.monotonic()
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert result.error is None
    assert time.monotonic() - started >= 0.2


def test_server_errors_that_persist_end_in_a_typed_error(servers, tmp_path):
    servers.faults.fail_next(503, times=10)
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, ServerError) and result.error.status == 503
    assert "data.zip" in str(result.error)
    assert len(servers.recorded("api")) == FAST_RETRY.attempts


def test_persistent_rate_limit_is_rate_limited(servers, tmp_path):
    servers.faults.fail_next(429, times=10, retry_after=0)
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, RateLimited)


@pytest.mark.parametrize(
    ("key", "name", "error_type"),
    [("wrong-key", "data.zip", AuthenticationError), (API_KEY, "missing.zip", NotFoundError)],
)
def test_refused_key_and_missing_file_are_not_retried(servers, tmp_path, key, name, error_type):
    served_item(servers)
    engine = DownloadEngine(servers.api_url, ApiKeyAuth(key), HttpSettings(timeout=5), FAST_RETRY)
    item = DownloadItem(servers.url_for(name), name, 10, None)
    result = download_one(engine, item, tmp_path)
    assert isinstance(result.error, error_type)
    assert len(servers.requests) == 1
    assert key not in str(result.error)


class ExpiringTokenAuth:
    """Like a bearer token the API stopped accepting before its time: renewed on invalidate()."""

    def __init__(self) -> None:
        self.current = "stale-token"
        self.invalidated = 0

    def headers(self) -> dict[str, str]:
        return {"key": self.current}

    def secrets(self) -> tuple[str, ...]:
        return (self.current,)

    def invalidate(self) -> None:
        self.invalidated += 1
        self.current = API_KEY


def test_a_refused_token_is_renewed_once(servers, tmp_path):
    auth = ExpiringTokenAuth()
    engine = DownloadEngine(servers.api_url, auth, HttpSettings(timeout=5), FAST_RETRY)
    result = download_one(engine, served_item(servers), tmp_path)
    assert result.error is None and auth.invalidated == 1
    assert [r.headers["key"] for r in servers.recorded("api")] == ["stale-token", API_KEY]


def test_api_403_is_not_retried(servers, tmp_path):
    servers.faults.fail_next(403, times=5, target="api")
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, PermissionDeniedError)
    assert len(servers.recorded("api")) == 1


def test_expired_signature_asks_the_api_for_a_fresh_url(servers, tmp_path):
    servers.faults.fail_next(403, target="storage")
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert result.error is None
    assert len(servers.recorded("api")) == 2


def test_signatures_that_always_expire_end_in_permission_denied(servers, tmp_path):
    servers.faults.url_lifetime = -1
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, PermissionDeniedError)
    assert len(servers.recorded("api")) == FAST_RETRY.attempts
    assert len({r.query["sig"][0] for r in servers.recorded("storage")}) == FAST_RETRY.attempts


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_storage_is_a_network_error_without_secrets(servers, tmp_path):
    servers.faults.storage_base = f"http://127.0.0.1:{_closed_port()}"
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, NetworkError)
    message = str(result.error)
    assert "data.zip" in message and "proxy" in message
    assert API_KEY not in message
    assert "sig=" not in message or "sig=***" in message
    assert len(servers.recorded("api")) == FAST_RETRY.attempts  # retried, fresh URL each time
    for request in servers.recorded("api"):
        assert request.query == {}


def test_unreachable_api_is_a_network_error(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}"
    engine = DownloadEngine(url, ApiKeyAuth(API_KEY), HttpSettings(timeout=5), FAST_RETRY)
    result = download_one(
        engine, DownloadItem(url + "/downloads/a.zip", "a.zip", 1, None), tmp_path
    )
    assert isinstance(result.error, NetworkError)


def test_storage_never_sees_the_key_authorization_or_api_cookies(servers, tmp_path):
    servers.faults.set_cookie = True
    items = [served_item(servers, f"f{i}.zip", size=30_000) for i in range(4)]
    results = make_engine(servers, workers=1).download(items, tmp_path)  # one reused session
    assert all(r.error is None for r in results)
    assert_no_credentials_reached_storage(servers)
    assert all("cookie" not in {h.lower() for h in r.headers} for r in servers.recorded("api"))


# -- many files ---------------------------------------------------------------------------------


class CountingRateLimiter(RateLimiter):
    def __init__(self) -> None:
        super().__init__(requests_per_minute=60_000)
        self.calls = 0
        self._count_lock = threading.Lock()

    def acquire(self, cancel=None) -> None:
        with self._count_lock:
            self.calls += 1
        super().acquire(cancel)


def test_parallel_downloads_keep_order_and_pass_the_rate_limiter(servers, tmp_path):
    """Every API request waits for the limiter (retries included); the storage host's signed
    URLs do not: OS's rate limit is on the API."""
    items = [served_item(servers, f"file{i}.zip", size=50_000 + i) for i in range(10)]
    limiter = CountingRateLimiter()
    servers.faults.fail_next(503, times=2, target="storage")
    engine = make_engine(servers, workers=4, rate_limiter=limiter)
    results = engine.download(items, tmp_path)
    assert [r.item for r in results] == items
    assert all(r.error is None for r in results)
    for item in items:
        assert (tmp_path / item.file_name).read_bytes() == content_of(servers, item.file_name)
    assert len(servers.requests) == 24
    assert limiter.calls == len(servers.recorded("api")) == 12


def test_one_failing_file_does_not_stop_the_others(servers, tmp_path):
    good = [served_item(servers, f"ok{i}.zip") for i in range(3)]
    missing = DownloadItem(servers.url_for("missing.zip"), "missing.zip", 5, None)
    unsafe = DownloadItem(servers.url_for("ok0.zip"), "../ok0.zip", 5, None)
    results = make_engine(servers, workers=2).download(
        [good[0], missing, good[1], unsafe, good[2]], tmp_path
    )
    assert [type(r.error) for r in results] == [
        type(None),
        NotFoundError,
        type(None),
        UnsafeArchiveError,
        type(None),
    ]
    assert results[1].path is None


def test_duplicate_names_in_one_batch_do_not_collide(servers, tmp_path):
    item = served_item(servers)
    results = make_engine(servers, workers=3).download([item, item, item], tmp_path)
    assert all(r.error is None for r in results)
    assert sum(r.skipped for r in results) == 2
    assert (tmp_path / "data.zip").read_bytes() == content_of(servers, "data.zip")


def test_empty_batch():
    engine = DownloadEngine("http://127.0.0.1:1", ApiKeyAuth(API_KEY), HttpSettings(), FAST_RETRY)
    assert engine.download([], Path("unused")) == []


# -- progress -----------------------------------------------------------------------------------


def test_progress_reports_states_bytes_and_totals(servers, tmp_path):
    items = [served_item(servers, f"p{i}.zip", size=100_000) for i in range(3)]
    unknown = served_item(servers, "nosize.zip", size=10_000)
    unknown = DownloadItem(unknown.url, unknown.file_name, None, unknown.md5)
    events: list[Progress] = []
    lock = threading.Lock()

    def record(event: Progress) -> None:
        with lock:
            events.append(event)

    results = make_engine(servers, workers=2).download(items + [unknown], tmp_path, record)
    assert all(r.error is None for r in results)
    assert all(isinstance(e.file, FileProgress) for e in events)
    assert {e.bytes_total for e in events} == {300_000}  # known sizes only
    last = events[-1]
    assert last.files_done == last.files_total == 4 and last.bytes_done == 300_000
    for item in items:
        states = [e.file.state for e in events if e.file.file_name == item.file_name]
        assert states[0] == FileState.DOWNLOADING
        assert states[-2:] == [FileState.VERIFYING, FileState.DONE]
        assert all(type(state) is FileState for state in states)
        done = [e.file.bytes_done for e in events if e.file.file_name == item.file_name]
        assert done == sorted(done) and done[-1] == 100_000
    assert [e.bytes_done for e in events] == sorted(e.bytes_done for e in events)


def test_progress_is_throttled(servers, tmp_path):
    item = served_item(servers, size=1_000_000)
    events: list[Progress] = []
    result = download_one(
        make_engine(servers, chunk_size=1024), item, tmp_path, progress=events.append
    )
    assert result.error is None
    assert len(events) < 50  # ~1000 chunks, but at most one byte update per 0.1 s


def test_a_failing_progress_callback_does_not_break_the_download(servers, tmp_path):
    def broken(event: Progress) -> None:
        raise RuntimeError("UI gone")

    result = download_one(make_engine(servers), served_item(servers), tmp_path, progress=broken)
    assert result.error is None


# -- cancel -------------------------------------------------------------------------------------


def cancel_after(token: CancelToken, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, token.cancel)
    timer.start()
    return timer


def test_cancel_interrupts_a_stalled_download_promptly(servers, tmp_path):
    items = [served_item(servers, f"s{i}.zip") for i in range(4)]
    servers.faults.stall_seconds = 30
    token = CancelToken()
    cancel_after(token, 0.3)
    started = time.monotonic()
    results = make_engine(servers, workers=2).download(items, tmp_path, cancel=token)
    assert time.monotonic() - started < 3
    assert all(isinstance(r.error, Cancelled) for r in results)
    assert all(r.path is None for r in results)


def test_cancel_interrupts_backoff_sleeps(servers, tmp_path):
    servers.faults.fail_next(503, times=10)
    token = CancelToken()
    cancel_after(token, 0.3)
    started = time.monotonic()
    slow_retry = RetryPolicy(attempts=5, base_delay=30, max_delay=60)
    result = download_one(
        make_engine(servers, retry=slow_retry), served_item(servers), tmp_path, cancel=token
    )
    assert time.monotonic() - started < 3
    assert isinstance(result.error, Cancelled)


def test_cancelled_download_keeps_its_part_and_resumes_later(servers, tmp_path):
    item = served_item(servers, size=600_000)
    servers.faults.bytes_per_second = 400_000
    token = CancelToken()
    events: list[Progress] = []
    cancel_after(token, 0.5)
    result = download_one(
        make_engine(servers, chunk_size=8192), item, tmp_path, cancel=token, progress=events.append
    )
    assert isinstance(result.error, Cancelled)
    assert events[-1].file.state is FileState.CANCELLED
    part = tmp_path / "data.zip.part"
    kept = part.stat().st_size
    assert 0 < kept < item.size
    assert not (tmp_path / "data.zip").exists()

    servers.faults.bytes_per_second = None
    result = download_one(make_engine(servers), item, tmp_path)
    assert result.error is None
    assert result.path.read_bytes() == content_of(servers, "data.zip")
    assert servers.recorded("storage")[-1].headers["Range"] == f"bytes={kept}-"


def test_already_cancelled_token_makes_no_request(servers, tmp_path):
    token = CancelToken()
    token.cancel()
    result = download_one(make_engine(servers), served_item(servers), tmp_path, cancel=token)
    assert isinstance(result.error, Cancelled)
    assert servers.requests == []


# -- end to end against the project's local OS API server (tests/conftest.py `os_api`) ----------


def listing(os_api, product_id: str) -> list[DownloadItem]:
    import requests

    rows = requests.get(f"{os_api.url}/downloads/v1/products/{product_id}/downloads", timeout=10)
    rows.raise_for_status()
    return [DownloadItem(r["url"], r["fileName"], r["size"], r["md5"]) for r in rows.json()]


def local_engine(os_api, **kw) -> DownloadEngine:
    from local_os_api import DEMO_KEY

    return DownloadEngine(
        os_api.url,
        ApiKeyAuth(DEMO_KEY),
        HttpSettings(timeout=10),
        FAST_RETRY,
        RateLimiter(6000),
        **kw,
    )


def storage_requests(os_api) -> list:
    return [r for r in os_api.requests if r.server == "storage"]


def test_local_server_terrain50_downloads_and_unpacks_nested_zips(os_api, tmp_path):
    from os_data_hub_loader.api.unpack import safe_unpack

    from local_os_api import DEMO_KEY

    items = listing(os_api, "Terrain50")  # the grid and the contours (shapefile and GML)
    results = local_engine(os_api).download(items, tmp_path / "dl")
    assert [r.error for r in results] == [None] * len(items) and len(items) >= 2
    grid = next(r.path for r in results if r.item.file_name == "terr50_gagg_gb.zip")
    # As if interrupted after 5000 bytes; then a 503 and a dropped connection on the way.
    part = grid.with_name(grid.name + ".part")
    part.write_bytes(grid.read_bytes()[:5000])
    grid.unlink()
    os_api.faults.fail_next(503, target="storage")
    os_api.faults.drop_after_bytes(20_000)
    again = [item for item in items if item.file_name == grid.name]
    assert local_engine(os_api).download(again, tmp_path / "dl")[0].error is None
    ranges = [r.headers.get("Range") for r in storage_requests(os_api)][-3:]
    assert ranges[:2] == ["bytes=5000-", "bytes=5000-"]
    # The drop comes after 20 000 more bytes were sent. Whether the client got them before the
    # reset depends on timing (a reset discards what is in flight): resume where it got to.
    resumed_at = int(ranges[2].removeprefix("bytes=").rstrip("-"))
    assert 5000 <= resumed_at <= 25000
    files = safe_unpack(grid, tmp_path / "terr50")
    assert files and not any(p.suffix.lower() == ".zip" for p in files)
    assert all(p.is_file() and tmp_path / "terr50" in p.parents for p in files)
    assert storage_requests(os_api)
    for request in storage_requests(os_api):
        assert {"key", "authorization", "cookie"}.isdisjoint(h.lower() for h in request.headers)
        assert "key=" not in request.query.lower() and DEMO_KEY not in request.query


def test_local_server_wrong_md5_in_the_listing_is_an_integrity_error(os_api, tmp_path):
    os_api.faults.wrong_md5("opgrsp_gpkg_hp.zip")
    items = [i for i in listing(os_api, "OpenGreenspace") if i.file_name == "opgrsp_gpkg_hp.zip"]
    (result,) = local_engine(os_api).download(items, tmp_path)
    assert isinstance(result.error, IntegrityError)
    assert "opgrsp_gpkg_hp.zip" in str(result.error)
    assert list(tmp_path.iterdir()) == []


def test_local_server_expired_urls_are_asked_for_again(os_api, tmp_path):
    os_api.faults.url_lifetime(-1)
    items = listing(os_api, "OpenGreenspace")[:1]
    (result,) = local_engine(os_api).download(items, tmp_path)
    assert isinstance(result.error, PermissionDeniedError)
    api_asks = [r for r in os_api.requests if r.server == "api" and "redirect" in r.query]
    assert len(api_asks) == FAST_RETRY.attempts


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_reported_as_such_and_nothing_is_left_looking_complete(servers, tmp_path):
    # The .part file is a link to /dev/full: every write fails with "No space left on device".
    (tmp_path / "data.zip.part").symlink_to("/dev/full")
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, LocalFileError)
    assert "disk is full" in str(result.error)
    assert not (tmp_path / "data.zip").exists()


def test_a_link_that_lists_several_files_is_refused_not_saved(os_api, tmp_path):
    with DownloadsClient(os_api.url) as client:
        shared = client.product_downloads("LIDS")
    assert shared[0].url == shared[1].url  # one listed URL for both files
    item = DownloadItem(shared[0].url, shared[0].file_name, None, None)
    (result,) = local_engine(os_api).download([item], tmp_path)
    assert isinstance(result.error, OSAPIError) and "matches several files" in str(result.error)
    assert not (tmp_path / shared[0].file_name).exists()
    named = DownloadItem(shared[0].file_url, shared[0].file_name, shared[0].size, shared[0].md5)
    (result,) = local_engine(os_api).download([named], tmp_path)
    assert result.error is None and result.path.exists()


def test_two_downloads_of_one_file_at_once_do_not_mix_their_bytes(os_api, tmp_path):
    import threading

    row = os_api.add_large_file(1_500_000)
    item = DownloadItem(row["url"], row["fileName"], row["size"], row["md5"])
    os_api.faults.slow(1_000_000)
    results = []

    def fetch():
        results.append(local_engine(os_api).download([item], tmp_path)[0])

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.error for r in results] == [None, None]
    assert sorted(r.skipped for r in results) == [False, True]  # the second found it done
    assert md5_of_file(tmp_path / row["fileName"])[1].hexdigest() == row["md5"].lower()


def test_a_final_file_that_cannot_be_replaced_keeps_the_verified_part(servers, tmp_path):
    # Something in the way of the final name (on Windows: the old file open as a layer).
    (tmp_path / "data.zip").mkdir()
    (tmp_path / "data.zip" / "in-use").write_text("x")
    result = download_one(make_engine(servers), served_item(servers), tmp_path)
    assert isinstance(result.error, LocalFileError)
    assert "could not replace" in str(result.error) and "close it in QGIS" in str(result.error)
    assert (tmp_path / "data.zip.part").read_bytes() == content_of(servers, "data.zip")
