"""A tiny scripted HTTP server on 127.0.0.1 for the odd cases the local OS API server does not
play (garbled bodies, hand-made redirects, token endpoints with odd fields). Real HTTP, real
sockets: nothing in `requests` is patched."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Union
from urllib.parse import urlsplit

import pytest


@dataclass
class Reply:
    status: int = 200
    body: Union[bytes, str, Any] = b""
    headers: Dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut: Union[int, None] = None  # send only this many bytes of the body, then hang up

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


@dataclass
class Recorded:
    method: str
    path: str  # with its query, exactly as sent
    headers: Dict[str, str]
    body: bytes

    @property
    def route(self) -> str:
        return urlsplit(self.path).path


Route = Union[List[Reply], Callable[[Recorded], Reply]]


class ScriptedServer:
    """`on(path, *replies)`: the replies go out in order, the last one repeats.

    Tests build replies with `server.Reply(...)` (conftest modules are not importable)."""

    Reply = Reply

    def __init__(self) -> None:
        self.routes: Dict[str, Route] = {}
        self.requests: List[Recorded] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                reply = server._reply_for(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if reply.cut is not None:
                    payload = payload[: reply.cut]
                    self.close_connection = True
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def on(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def handle(self, path: str, handler: Callable[[Recorded], Reply]) -> None:
        self.routes[path] = handler

    def _reply_for(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            route: Route | None = self.routes.get(recorded.route)
            if route is None:
                return Reply(404, {"error": {"message": f"no route {recorded.route}"}})
            if callable(route):
                return route(recorded)
            return route.pop(0) if len(route) > 1 else route[0]

    def hits(self, path: str) -> List[Recorded]:
        return [r for r in self.requests if r.route == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture
def storage() -> Iterator[ScriptedServer]:
    """A second host, standing for the storage host that signed URLs point at."""
    server = ScriptedServer()
    yield server
    server.close()
