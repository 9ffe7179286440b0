"""A tiny real HTTP pair for the download engine's tests and benchmark: an "API" host that answers
307 to a signed URL on a separate "storage" host (another port) that serves files with Range.

Faults are knobs on `DownloadServers.faults`; every request is recorded. Files are a block of
bytes repeated up to a size, so a benchmark can serve gigabytes without holding them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, quote, unquote, urlsplit

API_KEY = "test-key-0123456789"


@dataclass
class ServedFile:
    name: str
    size: int
    block: bytes
    md5: str = ""

    def __post_init__(self) -> None:
        if not self.md5:
            digest = hashlib.md5()
            for chunk in self.chunks(0, self.size):
                digest.update(chunk)
            self.md5 = digest.hexdigest()

    def chunks(self, start: int, end: int, chunk: int = 1 << 16) -> Iterator[bytes]:
        """Bytes start..end-1."""
        block, n = self.block, len(self.block)
        pos = start
        while pos < end:
            offset = pos % n
            piece = block[offset : min(n, offset + chunk, offset + end - pos)]
            yield piece
            pos += len(piece)


@dataclass
class RecordedRequest:
    server: str  # "api" | "storage"
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    client_port: int = 0  # tells connections apart (reused or new)


@dataclass
class Faults:
    """Each counter is how many more responses get the fault."""

    fail: list[tuple[str, int, float | None]] = field(default_factory=list)  # target, status, RA
    drop_after: tuple[int, int] | None = None  # (bytes, times)
    corrupt_times: int = 0
    ignore_range_times: int = 0
    url_lifetime: float = 3600.0
    stall_seconds: float = 0.0
    bytes_per_second: float | None = None
    redirect_status: int = 307
    redirect_body: bool = True
    storage_hops: int = 0  # extra redirects (relative Location) on the storage host
    set_cookie: bool = True
    direct: bool = False  # the API answers 200 with the file itself
    storage_base: str | None = None  # send the redirect to another storage origin than ours
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(
        self, status: int, times: int = 1, retry_after: float | None = None, target: str = "any"
    ) -> None:
        with self.lock:
            self.fail.extend([(target, status, retry_after)] * times)

    def take_failure(self, server: str) -> tuple[int, float | None] | None:
        with self.lock:
            for i, (target, status, retry_after) in enumerate(self.fail):
                if target in ("any", server):
                    del self.fail[i]
                    return status, retry_after
        return None

    def drop_after_bytes(self, n: int, times: int = 1) -> None:
        self.drop_after = (n, times)

    def take_drop(self) -> int | None:
        with self.lock:
            if self.drop_after and self.drop_after[1] > 0:
                n, times = self.drop_after
                self.drop_after = (n, times - 1)
                return n
        return None

    def take(self, name: str) -> bool:
        with self.lock:
            value = getattr(self, name)
            if value > 0:
                setattr(self, name, value - 1)
                return True
        return False


class DownloadServers:
    """`api_url` + "/downloads/<name>" answers a redirect to `storage_url` + "/files/<name>?...".

    The API wants `key: API_KEY` unless `require_key` is False.
    """

    def __init__(self, require_key: bool = True) -> None:
        self.require_key = require_key
        self.files: dict[str, ServedFile] = {}
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._issued: dict[str, float] = {}  # signature -> expiry (monotonic)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._api = ThreadingHTTPServer(("127.0.0.1", 0), self._handler("api"))
        self._storage = ThreadingHTTPServer(("127.0.0.1", 0), self._handler("storage"))
        self._threads: list[threading.Thread] = []
        for server in (self._api, self._storage):
            server.daemon_threads = True

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._api.server_address[1]}"

    @property
    def storage_url(self) -> str:
        return f"http://127.0.0.1:{self._storage.server_address[1]}"

    def start(self) -> DownloadServers:
        for server in (self._api, self._storage):
            thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for server in (self._api, self._storage):
            server.shutdown()
            server.server_close()

    def __enter__(self) -> DownloadServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_file(self, name: str, data: bytes) -> ServedFile:
        served = ServedFile(name, len(data), data)
        self.files[name] = served
        return served

    def add_large_file(self, name: str, size: int, block: bytes) -> ServedFile:
        served = ServedFile(name, size, block)
        self.files[name] = served
        return served

    def url_for(self, name: str) -> str:
        return f"{self.api_url}/downloads/{quote(name)}"

    def recorded(self, server: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.server == server]

    # -- request handling ------------------------------------------------------------------

    def _handler(self, server_name: str) -> type[BaseHTTPRequestHandler]:
        servers = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with servers._lock:
                    servers.requests.append(
                        RecordedRequest(
                            server_name,
                            "GET",
                            parts.path,
                            parse_qs(parts.query, keep_blank_values=True),
                            dict(self.headers.items()),
                            self.client_address[1],
                        )
                    )
                try:
                    if server_name == "api":
                        servers._api_get(self, unquote(parts.path), parse_qs(parts.query))
                    else:
                        servers._storage_get(self, unquote(parts.path), parse_qs(parts.query))
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        return Handler

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _fault_status(self, handler: BaseHTTPRequestHandler, server: str) -> bool:
        failure = self.faults.take_failure(server)
        if failure is None:
            return False
        status, retry_after = failure
        headers = {"Content-Type": "application/json"}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        body = json.dumps({"fault": {"faultstring": f"injected {status}"}}).encode()
        self._send(handler, status, body, headers)
        return True

    def _api_get(self, handler: BaseHTTPRequestHandler, path: str, query: dict) -> None:
        if self._fault_status(handler, "api"):
            return
        if self.require_key and handler.headers.get("key") != API_KEY:
            self._send(handler, 401, b'{"fault": {"faultstring": "Invalid ApiKey"}}')
            return
        name = path.rsplit("/", 1)[-1]
        served = self.files.get(name)
        if not path.startswith("/downloads/") or served is None:
            self._send(handler, 404, b'{"error": {"message": "No such file"}}')
            return
        if self.faults.direct:
            self._serve_file(handler, served)
            return
        signature = secrets.token_urlsafe(16)
        with self._lock:
            self._issued[signature] = time.monotonic() + self.faults.url_lifetime
        base = self.faults.storage_base or self.storage_url
        location = f"{base}/files/{quote(name)}?sv=2020-04-08&sr=b&sp=r&sig={quote(signature)}"
        headers = {"Location": location, "Content-Type": "application/json;charset=UTF-8"}
        if self.faults.set_cookie:
            headers["Set-Cookie"] = "apisession=secret-cookie; Path=/"
        body = json.dumps({"fileName": name, "size": served.size}).encode()
        status = self.faults.redirect_status
        self._send(handler, status, body if self.faults.redirect_body else b"", headers)

    def _storage_get(self, handler: BaseHTTPRequestHandler, path: str, query: dict) -> None:
        if self._fault_status(handler, "storage"):
            return
        hop = int(query.get("hop", ["0"])[0])
        if hop < self.faults.storage_hops:
            sig = query.get("sig", [""])[0]
            location = f"{path}?sig={quote(sig)}&hop={hop + 1}"
            self._send(handler, 302, b"", {"Location": location})
            return
        signature = query.get("sig", [""])[0]
        with self._lock:
            expiry = self._issued.get(signature)
        if expiry is None or time.monotonic() > expiry:
            self._send(handler, 403, b"<Error><Code>AuthenticationFailed</Code></Error>")
            return
        served = self.files.get(path.rsplit("/", 1)[-1])
        if not path.startswith("/files/") or served is None:
            self._send(handler, 404, b"<Error><Code>BlobNotFound</Code></Error>")
            return
        self._serve_file(handler, served)

    def _serve_file(self, handler: BaseHTTPRequestHandler, served: ServedFile) -> None:
        start, end, status = 0, served.size, 200
        wanted = handler.headers.get("Range")
        headers = {"Content-Type": "application/zip", "Accept-Ranges": "bytes"}
        if wanted and not self.faults.take("ignore_range_times"):
            first = int(wanted.split("=", 1)[1].split("-", 1)[0])
            if first >= served.size:
                headers["Content-Range"] = f"bytes */{served.size}"
                self._send(handler, 416, b"", headers)
                return
            start, status = first, 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{served.size}"
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(end - start))
        handler.end_headers()
        drop = self.faults.take_drop()
        corrupt = self.faults.take("corrupt_times")
        if self.faults.stall_seconds:
            self._stop.wait(self.faults.stall_seconds)
        sent = 0
        for chunk in served.chunks(start, end):
            if drop is not None and sent + len(chunk) > drop:
                handler.wfile.write(chunk[: drop - sent])
                handler.wfile.flush()
                handler.close_connection = True
                return
            if corrupt and sent == 0:
                chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
            handler.wfile.write(chunk)
            sent += len(chunk)
            if self.faults.bytes_per_second:
                if self._stop.wait(len(chunk) / self.faults.bytes_per_second):
                    return
