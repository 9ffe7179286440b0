"""HTTP plumbing shared by the API host and the storage host: a threading HTTP/1.1 server,
responses that always carry Content-Length, and the request log."""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

JSON_TYPE = "application/json;charset=UTF-8"


def to_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def error_body(status: int, message: str) -> dict:
    return {"error": {"statuscode": status, "message": message}}


@dataclass(frozen=True)
class RecordedRequest:
    server: str  # "api" or "storage"
    method: str
    path: str
    query: str
    headers: dict


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = JSON_TYPE
    headers: list = field(default_factory=list)
    # A callable that writes the body itself (streamed files); body is then ignored.
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None
    length: int | None = None
    # Send nothing and close the connection (a host that went away mid-conversation).
    hang_up: bool = False

    @classmethod
    def json(cls, status: int, value, headers: list | None = None) -> Response:
        return cls(status, to_json(value), JSON_TYPE, list(headers or []))

    @classmethod
    def error(cls, status: int, message: str, headers: list | None = None) -> Response:
        return cls.json(status, error_body(status, message), headers)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def add(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_SECRET_PARAMS = re.compile(r"((?:^|[?&])(?:key|sig)=)[^&]*", re.IGNORECASE)


def redact(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1REDACTED", text)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler_class, app, role: str) -> None:
        self.app = app
        self.role = role
        super().__init__(address, handler_class)


class Handler(BaseHTTPRequestHandler):
    """Parses the request, records it, asks the app for a Response and writes it."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: Server

    def version_string(self) -> str:
        return "local-os-api"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self, method: str) -> None:
        app = self.server.app
        parts = urlsplit(self.path)
        self.url_path = parts.path
        self.query_string = parts.query
        self.params = parse_qs(parts.query, keep_blank_values=True)
        self.body = self.read_body()
        if parts.path != "/__faults__":
            app.record(RecordedRequest(self.server.role, method, parts.path, parts.query,
                                       dict(self.headers.items())))
        try:
            response = app.respond(self.server.role, self, method)
        except Exception as exc:  # a bug in the double: say so loudly, answer 500
            import traceback

            traceback.print_exc(file=sys.stderr)
            response = Response.error(500, f"local server error: {exc}")
        if response.hang_up:
            self.close_connection = True
            app.log(f"[{self.server.role}] {method} {redact(self.path)} -> hung up")
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            self.send(response, head_only=method == "HEAD")
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        app.log(f"[{self.server.role}] {method} {redact(self.path)} -> {response.status}")

    def send(self, response: Response, head_only: bool = False) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        length = response.length if response.stream else len(response.body)
        self.send_header("Content-Length", str(length))
        self.send_header("Connection", "keep-alive")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if head_only:
            return
        if response.stream:
            response.stream(self)
        elif response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the app logs each request (redacted) when asked to."""
