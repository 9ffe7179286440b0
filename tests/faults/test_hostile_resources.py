"""Hostile servers on 127.0.0.1 against memory, time and messages (issue 16, Resources and
Messages): compression bombs, endless and huge answers, trickles, unusable listings, deep JSON,
a key with a typographic character, file names with direction controls.

Memory cases run the CLI in a child process with its address space capped (so that a
regression fails the test instead of the machine) and read the child's own peak RSS.
Each case is counted in the hostile tally (tests/faults/conftest.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.cancel import CancelToken
from os_data_hub_loader.api.download import DownloadEngine, DownloadItem, check_file_name
from os_data_hub_loader.api.errors import Cancelled, UnsafeArchiveError
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from testsupport import REPO_ROOT

KEY = "hostile-key-0123456789"
RSS_LIMIT_MIB = 200  # the CLI's peak RSS on every memory case (it needs about 40 MiB)
ADDRESS_SPACE = 1536 * 1024 * 1024  # the child's cap: a regression fails, the box survives
SERVER_BOUND = 12.0  # seconds an endless answer runs at most
FILE = b"0123456789abcdef" * 4096  # 64 KiB

Handler = Callable[[BaseHTTPRequestHandler], None]


class HostileServer:
    """Routes (path without query -> handler) on a threaded server on 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: Dict[str, Handler] = {}
        self.hits: Dict[str, int] = {}
        self.stop = threading.Event()
        routes, hits = self.routes, self.hits

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                hits[path] = hits.get(path, 0) + 1
                handler = routes.get(path)
                try:
                    if handler is None:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def listing(self, files: list[dict]) -> None:
        body = json.dumps(files).encode()
        self.routes["/downloads/v1/products/P/downloads"] = lambda h: send(h, 200, body)


@pytest.fixture
def server():
    s = HostileServer()
    yield s
    s.close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict | None = None) -> None:
    h.send_response(status)
    headers = {"Content-Type": "application/json", **(headers or {})}
    for name, value in headers.items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def stream(h: BaseHTTPRequestHandler, status: int, pieces, stop: threading.Event,
           pause: float = 0.0, content_type: str = "application/json") -> None:
    """A chunked answer made of `pieces` (an iterator), until it ends, the client goes or
    SERVER_BOUND passes."""
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    end = time.monotonic() + SERVER_BOUND
    for piece in pieces:
        if stop.is_set() or time.monotonic() > end:
            return
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.flush()
        if pause:
            time.sleep(pause)
    h.wfile.write(b"0\r\n\r\n")


def run_cli(server: HostileServer, *args: str, key: str = KEY, **env: str):
    """The CLI in a child capped at ADDRESS_SPACE; (completed process, peak RSS in MiB)."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n"
        "from api.cli import main\n"
        "try:\n"
        "    rc = main(sys.argv[1:])\n"
        "except MemoryError:\n"
        "    rc = 99\n"
        # VmHWM, not getrusage: ru_maxrss keeps the parent's peak across fork and exec.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "sys.stderr.write('\\nMAXRSS %s\\n' % hwm.split()[1])\n"
        "sys.exit(rc)\n"
    )
    environment = {
        "PATH": "/usr/bin:/bin", "OS_API_BASE_URL": server.url, "OS_API_KEY": key,
        "OS_API_RETRY_BASE_DELAY": "0.01", "OS_API_RETRY_MAX_DELAY": "0.05",
        "OS_API_RETRY_ATTEMPTS": "2", "OS_API_TIMEOUT": "5", **env,
    }
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO_ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)
    rss = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS")]
    return done, (rss[-1] / 1024 if rss else float("inf"))


def error_of(done) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    return lines[-1] if lines else done.stderr[-500:]


def clear(message: str) -> bool:
    return message.startswith("error: ") and not re.search(
        r"unexpected \w+(Error|Exception)|Traceback|MemoryError", message)


# --- Resources ---------------------------------------------------------------------------------


def test_gzip_bomb_download_is_refused(server, tmp_path, hostile):
    bomb = gzip.compress(gzip.compress(b"\0" * (200 * 1024 * 1024), 9), 9)  # a few KB
    server.listing([{"url": f"{server.url}/f/bomb.bin", "fileName": "bomb.bin", "size": 12000}])
    server.routes["/f/bomb.bin"] = lambda h: send(
        h, 200, bomb, {"Content-Encoding": "gzip, gzip", "Content-Type": "application/zip"})
    done, rss = run_cli(server, "download", "P", "--dest", str(tmp_path))
    written = sum(p.stat().st_size for p in tmp_path.iterdir())
    ok = done.returncode == 5 and "compressed" in error_of(done) and written == 0 and rss < 200
    hostile.add("gzip, gzip download (5 KB -> 40 GB)", refused=ok, corrupt=(tmp_path / "bomb.bin")
                .exists())
    assert ok, (done.returncode, error_of(done), written, rss)


def test_gzip_json_bomb_is_capped(server, hostile):
    bomb = gzip.compress(b"[" + b" " * (300 * 1024 * 1024) + b"]", 1)
    server.routes["/downloads/v1/products"] = lambda h: send(h, 200, bomb,
                                                             {"Content-Encoding": "gzip"})
    done, rss = run_cli(server, "products")
    ok = done.returncode == 6 and "larger than" in error_of(done) and rss < RSS_LIMIT_MIB
    hostile.add("gzip JSON listing (300 KB -> 300 MB)", refused=ok)
    assert ok, (done.returncode, error_of(done), rss)


def test_huge_json_listing_is_capped(server, hostile):
    entry = json.dumps({"id": "OpenRoads", "name": "x" * 1000}).encode() + b","

    def pieces():
        yield b"["
        for _ in range(300 * 1024):  # 300 MB
            yield entry * 64

    server.routes["/downloads/v1/products"] = lambda h: stream(h, 200, pieces(), server.stop)
    start = time.monotonic()
    done, rss = run_cli(server, "products")
    ok = done.returncode == 6 and "larger than" in error_of(done) and rss < RSS_LIMIT_MIB
    hostile.add("300 MB JSON listing", refused=ok)
    assert ok, (done.returncode, error_of(done), rss, time.monotonic() - start)


def test_endless_500_body_is_read_capped(server, hostile):
    def pieces():
        while True:
            yield b"<html>" + b"x" * 65536

    server.routes["/downloads/v1/products"] = lambda h: stream(
        h, 500, pieces(), server.stop, content_type="text/html")
    start = time.monotonic()
    done, rss = run_cli(server, "products")
    took = time.monotonic() - start
    ok = done.returncode == 6 and "(500)" in error_of(done) and rss < RSS_LIMIT_MIB and took < 10
    hostile.add("endless 500 error body", refused=ok)
    assert ok, (done.returncode, error_of(done), rss, took)


def test_trickling_json_times_out(server, hostile):
    def pieces():
        yield b"["
        while True:
            yield b" "

    server.routes["/downloads/v1/products"] = lambda h: stream(h, 200, pieces(), server.stop,
                                                               pause=0.1)
    start = time.monotonic()
    done, _ = run_cli(server, "products", OS_API_TIMEOUT="0.4", OS_API_RETRY_ATTEMPTS="1")
    took = time.monotonic() - start
    ok = done.returncode == 6 and "in time" in error_of(done) and took < 10
    hostile.add("JSON trickling a byte at a time", refused=ok)
    assert ok, (done.returncode, error_of(done), took)


def test_trickling_file_keeps_its_bytes_on_cancel(server, tmp_path, hostile):
    sent = {"bytes": 0}

    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/zip")
        h.send_header("Content-Length", str(len(FILE)))
        h.end_headers()
        for i in range(0, len(FILE), 100):
            if server.stop.is_set():
                return
            h.wfile.write(FILE[i:i + 100])
            h.wfile.flush()
            sent["bytes"] = i + 100
            time.sleep(0.02)

    server.routes["/f/slow.zip"] = trickle
    engine = DownloadEngine(server.url, ApiKeyAuth(KEY), HttpSettings(timeout=5),
                            RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02))
    cancel = CancelToken()
    threading.Timer(1.0, cancel.cancel).start()
    item = DownloadItem(f"{server.url}/f/slow.zip", "slow.zip", len(FILE),
                        hashlib.md5(FILE).hexdigest())
    result = engine.download([item], tmp_path, cancel=cancel)[0]
    part = tmp_path / "slow.zip.part"
    kept = part.stat().st_size if part.exists() else 0
    ok = isinstance(result.error, Cancelled) and kept >= 2000 and FILE.startswith(
        part.read_bytes() if part.exists() else b"")
    hostile.add("trickling file, cancelled: what arrived is kept", refused=ok,
                corrupt=(tmp_path / "slow.zip").exists())
    assert ok, (result.error, kept, sent)


# --- Messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("md5, size", [("not-hex-" * 4, len(FILE)),
                                       ("ZmFrZWJhc2U2NG1kNWZha2U9PQ==", len(FILE)),
                                       (hashlib.md5(FILE).hexdigest(), -1)])
def test_unusable_md5_or_size_is_treated_as_unknown(server, tmp_path, hostile, md5, size):
    server.listing([{"url": f"{server.url}/f/a.zip", "fileName": "a.zip", "size": size,
                     "md5": md5}])
    server.routes["/f/a.zip"] = lambda h: send(h, 200, FILE, {"Content-Type": "application/zip"})
    done, _ = run_cli(server, "download", "P", "--dest", str(tmp_path))
    ok = (done.returncode == 0 and "treated as unknown" in done.stderr
          and server.hits.get("/f/a.zip") == 1 and (tmp_path / "a.zip").read_bytes() == FILE)
    hostile.add(f"listing with md5 {md5[:12]!r}, size {size}", refused=ok)
    assert ok, (done.returncode, done.stderr[-800:], server.hits)


def test_deep_json_is_not_valid_json(server, hostile):
    server.routes["/downloads/v1/products"] = lambda h: send(h, 200, b"[" * 200_000)
    done, _ = run_cli(server, "products")
    ok = done.returncode == 6 and "not valid JSON" in error_of(done) and clear(error_of(done))
    hostile.add("JSON nested 200 000 deep", refused=ok)
    assert ok, (done.returncode, error_of(done))


def test_key_with_an_en_dash_is_refused_clearly(server, hostile):
    server.routes["/downloads/v1/dataPackages"] = lambda h: send(h, 200, b"[]")
    done, _ = run_cli(server, "packages", key="abc\u2013def0123")
    message = error_of(done)
    ok = done.returncode == 3 and "cannot be sent" in message and "U+2013" in message \
        and clear(message) and "abc" not in message
    hostile.add("API key with an en dash", refused=ok, leaked="abc\u2013def0123" in done.stderr)
    assert ok, (done.returncode, message)


@pytest.mark.parametrize("name", ["report\u202egpj.zip", "a\u2066b.zip", "c1\x85name.zip",
                                  "c1\x9bname.zip"])
def test_direction_and_c1_controls_fail_the_file_name_check(hostile, name):
    try:
        check_file_name(name)
    except UnsafeArchiveError:
        ok = True
    else:
        ok = False
    hostile.add(f"file name {name!r}", refused=ok)
    assert ok


def test_the_cap_does_not_touch_an_ordinary_gzip_listing(server):
    body = gzip.compress(json.dumps([{"id": "OpenRoads", "name": "OS Open Roads"}]).encode())
    server.routes["/downloads/v1/products"] = lambda h: send(h, 200, body,
                                                             {"Content-Encoding": "gzip"})
    done, _ = run_cli(server, "products")
    assert done.returncode == 0 and "OpenRoads" in done.stdout, done.stderr


@pytest.mark.parametrize("length", [246, 250, 255])
def test_members_with_names_too_long_for_the_temporary_name_are_refused_clearly(
        tmp_path, hostile, length):
    import zipfile

    from os_data_hub_loader.api.unpack import safe_unpack

    archive = tmp_path / "long.zip"
    name = "a" * (length - 4) + ".txt"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("short.txt", b"fine")
        out.writestr(name, b"data")
    target = tmp_path / "long"
    try:
        safe_unpack(archive, target)
        ok, why = False, "unpacked"
    except UnsafeArchiveError as error:
        ok, why = "longer than file systems take" in str(error), str(error)
    except OSError as error:  # the raw error the issue found
        ok, why = False, repr(error)
    hostile.add(f"zip member name of {length} bytes", refused=ok)
    assert ok, why
    assert not target.exists() or not any(target.rglob("*"))


def test_a_nested_file_that_is_not_a_zip_does_not_advise_downloading_again(tmp_path, hostile):
    import zipfile

    from os_data_hub_loader.api.unpack import safe_unpack

    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("data/inner.zip", b"this is not a zip file at all")
    try:
        safe_unpack(archive, tmp_path / "outer")
        message = ""
    except UnsafeArchiveError as error:
        message = str(error)
    ok = "is not one" in message and "download it again" not in message
    hostile.add("nested .zip that is not a zip", refused=ok)
    assert ok, message
