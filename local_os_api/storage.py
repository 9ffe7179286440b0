"""The storage host: serves files behind signed URLs like an Azure blob container
(signature and expiry checked, Range requests, streamed from disk in chunks)."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import socket
import struct
import time
import uuid
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING

from .httpbase import Response

if TYPE_CHECKING:
    from .faults import Cut
    from .server import LocalOSAPI

CHUNK = 256 * 1024
XML_TYPE = "application/xml"
CONTENT_TYPES = {".zip": "application/zip", ".gpkg": "application/geopackage+sqlite3",
                 ".mbtiles": "application/vnd.mapbox-vector-tile", ".jpg": "image/jpeg"}


def azure_error(status: int, code: str, message: str, detail: str | None = None) -> Response:
    request_id = uuid.uuid4()
    when = time.strftime("%Y-%m-%dT%H:%M:%S.0000000Z", time.gmtime())
    body = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code>'
            f"<Message>{message}\nRequestId:{request_id}\nTime:{when}</Message>")
    if detail:
        body += f"<AuthenticationErrorDetail>{detail}</AuthenticationErrorDetail>"
    body += "</Error>"
    headers = [("x-ms-request-id", str(request_id)), ("x-ms-error-code", code)]
    return Response(status, body.encode("utf-8"), XML_TYPE, headers)


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) for a single `bytes=` range; (-1, -1) when unsatisfiable; None to ignore."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # suffix range: the last N bytes
        length = int(last_text)
        if length == 0:
            return (-1, -1)
        return (max(size - length, 0), size - 1)
    first = int(first_text)
    if first >= size:
        return (-1, -1)
    last = int(last_text) if last_text else size - 1
    if last < first:
        return None
    return (first, min(last, size - 1))


class StorageHost:
    def __init__(self, app: LocalOSAPI) -> None:
        self.app = app

    def respond(self, handler, method: str) -> Response:
        if self.app.faults.storage_gone:
            return Response(0, hang_up=True)
        failure = self.app.faults.take_failure("storage")
        if failure is not None:
            return self.app.failure_response(failure)
        if method not in ("GET", "HEAD"):
            return azure_error(405, "UnsupportedHttpVerb",
                               "The resource doesn't support specified Http Verb.")
        problem = self.app.signer.check(handler.url_path, handler.params)
        if problem is not None:
            return azure_error(
                403, "AuthenticationFailed",
                "Server failed to authenticate the request. Make sure the value of "
                "Authorization header is formed correctly including the signature.",
                problem,
            )
        entry = (self.app.hostile_entry(handler.url_path)
                 or self.app.catalogue.storage_entry(handler.url_path))
        if entry is None or not Path(entry["path"]).is_file():
            return azure_error(404, "BlobNotFound", "The specified blob does not exist.")
        return self.file_response(handler, Path(entry["path"]), method)

    def file_response(self, handler, path: Path, method: str) -> Response:
        stat = path.stat()
        size = stat.st_size
        etag = '"0x' + hashlib.md5(f"{path}:{size}:{stat.st_mtime_ns}".encode()).hexdigest()[
            :15].upper() + '"'
        headers = [
            ("Accept-Ranges", "bytes"),
            ("ETag", etag),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
            ("x-ms-request-id", str(uuid.uuid4())),
            ("x-ms-version", "2020-04-08"),
            ("x-ms-blob-type", "BlockBlob"),
        ]
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        status, first, length = 200, 0, size
        range_header = handler.headers.get("Range")
        if range_header:
            span = parse_range(range_header, size)
            if span == (-1, -1):
                refused = azure_error(416, "InvalidRange", "The range specified is invalid "
                                      "for the current size of the resource.")
                refused.headers.append(("Content-Range", f"bytes */{size}"))
                return refused
            if span is not None:
                status, first, length = 206, span[0], span[1] - span[0] + 1
                headers.append(("Content-Range", f"bytes {span[0]}-{span[1]}/{size}"))
        cut = self.app.faults.take_cut() if method == "GET" else None
        rate = self.app.faults.bytes_per_second

        def stream(h) -> None:
            send_file(h, path, first, length, cut, rate)

        return Response(status, b"", content_type, headers, stream=stream, length=length)


def send_file(handler, path: Path, offset: int, length: int, cut: Cut | None,
              rate: float | None) -> None:
    """Write `length` bytes of `path` from `offset`: fast (sendfile) or slowly, and end early
    after `cut.bytes` bytes when a fault asks for it."""
    limit = length if cut is None else min(cut.bytes, length)
    with open(path, "rb") as handle:
        if cut is None and rate is None and hasattr(os, "sendfile"):
            handler.wfile.flush()
            if length:
                handler.connection.sendfile(handle, offset, length)
            return
        handle.seek(offset)
        sent = 0
        chunk_size = CHUNK if rate is None else max(1, int(rate / 20))
        while sent < limit:
            data = handle.read(min(chunk_size, limit - sent))
            if not data:
                break
            handler.wfile.write(data)
            sent += len(data)
            if rate is not None:
                time.sleep(len(data) / rate)
    if cut is not None and cut.bytes < length:
        handler.close_connection = True
        end_connection(handler, reset=cut.reset, graceful=cut.graceful)


def end_connection(handler, reset: bool = False, graceful: bool = False) -> None:
    """Close the client's connection now: abortively (RST), cleanly (FIN once every byte
    written is out) or by shutting both directions down."""
    connection = handler.connection
    try:
        handler.wfile.flush()
        if reset:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        elif graceful:
            connection.shutdown(socket.SHUT_WR)
        else:
            connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
