"""`LocalOSAPI`: the API host and the storage host, each a threading HTTP server on its own
port and thread, sharing the catalogue, the signer, the tokens and the faults."""

from __future__ import annotations

import functools
import hashlib
import os
import random
import sys
import threading
from pathlib import Path

from . import catalogue as catalogue_module
from . import hostile, sampledata
from .apihost import ApiHost
from .faults import Faults, PlannedFailure
from .httpbase import Handler, RecordedRequest, RequestLog, Response, Server
from .keys import TokenStore, fault
from .recordings import OS_API_ROOT
from .signing import UrlSigner
from .storage import StorageHost

LARGE_FILE_PRODUCT = "BenchLargeFile"
REASONS = {400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def default_data_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "os-data-hub-loader" / "local-os-api"


class LocalOSAPI:
    """A local stand-in for api.os.uk and its blob storage. `start()` it, use `url`."""

    def __init__(self, data_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0,
                 storage_port: int = 0, verbose: bool = False) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.host = host
        self.port = port
        self.storage_port = storage_port
        self.verbose = verbose
        self.faults = Faults()
        self.tokens = TokenStore()
        self.signer = UrlSigner()
        self.token_lifetime: float = 299
        self.token_numbers_as_strings = False
        self._log = RequestLog()
        self._catalogue: catalogue_module.Catalogue | None = None
        self._servers: list[Server] = []
        self._threads: list[threading.Thread] = []
        self._api: ApiHost | None = None
        self._storage = StorageHost(self)
        self._lock = threading.Lock()

    # --- life cycle ----------------------------------------------------------------------------

    @property
    def catalogue(self) -> catalogue_module.Catalogue:
        with self._lock:
            if self._catalogue is None:
                root, manifest = sampledata.load_or_build(
                    self.data_dir, catalogue_module.image_counts()
                )
                self._catalogue = catalogue_module.Catalogue(root, manifest)
            return self._catalogue

    def start(self) -> LocalOSAPI:
        if self._servers:
            return self
        self.catalogue  # noqa: B018 -- build or load the sample data before serving
        self._api = ApiHost(self)
        api = Server((self.host, self.port), Handler, self, "api")
        storage = Server((self.host, self.storage_port), Handler, self, "storage")
        self._servers = [api, storage]
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"local-os-api-{server.role}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> LocalOSAPI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _root(self, index: int) -> str:
        if not self._servers:
            raise RuntimeError("the local OS API server is not started")
        host, port = self._servers[index].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The API root, like https://api.os.uk."""
        return self._root(0)

    @property
    def storage_url(self) -> str:
        """The storage host that the signed file URLs point at."""
        return self._root(1)

    # --- requests ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    def record(self, item: RecordedRequest) -> None:
        self._log.add(item)

    def log(self, line: str) -> None:
        if self.verbose:
            print(line, file=sys.stderr, flush=True)

    def respond(self, role: str, handler, method: str) -> Response:
        if role == "storage":
            return self._storage.respond(handler, method)
        assert self._api is not None
        return self._api.respond(handler, method)

    def rehost(self, text: str) -> str:
        return text.replace(OS_API_ROOT, self.url)

    def failure_response(self, failure: PlannedFailure) -> Response:
        status = failure.status
        reason = REASONS.get(status, "Error")
        if status == 429:
            body = fault("Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod="
                         "600, periodInMicroseconds=60000000, maxBurstMessageCount=10.0}",
                         "policies.ratelimit.SpikeArrestViolation")
        else:
            body = fault(f"{reason} (injected by the local server)", f"local.fault.{status}")
        headers = []
        if failure.retry_after is not None:
            value = failure.retry_after
            headers.append(("Retry-After", str(int(value)) if float(value).is_integer()
                            else str(value)))
        return Response.json(status, body, headers)

    # --- hostile files (the hostile_file fault) --------------------------------------------------

    def hostile_rows(self, product: str | None = None,
                     package: tuple[str, str] | None = None) -> list[dict]:
        """Listing rows the hostile_file fault adds to `product` or to (package, version)."""
        folder = self.data_dir / "hostile"
        return [
            hostile.entry(item, folder) for item in self.faults.hostile_files()
            if (product is not None and item.product == product)
            or (package is not None and (item.package, item.version) == package)
        ]

    def hostile_entry(self, storage_path: str) -> dict | None:
        return hostile.find(storage_path, self.faults.hostile_files(), self.data_dir / "hostile")

    def apply_control(self, action: str, **kwargs) -> None:
        """Out-of-process switches (POST /__faults__, --fault): faults and token settings."""
        if action == "token_lifetime":
            self.token_lifetime = float(kwargs.get("seconds", kwargs.get("value", 299)))
        elif action == "token_numbers_as_strings":
            self.token_numbers_as_strings = bool(kwargs.get("value", True))
        elif action == "clear_requests":
            self.clear_requests()
        else:
            self.faults.apply(action, **kwargs)

    # --- benchmark file ------------------------------------------------------------------------

    def add_large_file(self, size: int) -> dict:
        """Register product BenchLargeFile with one `size`-byte file (deterministic content,
        written once to data_dir in chunks, never held in memory). Returns its listing."""
        size = int(size)
        folder = self.data_dir / "large"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{LARGE_FILE_PRODUCT}_{size}.bin"
        md5_path = path.with_suffix(".md5")
        if not (path.is_file() and path.stat().st_size == size and md5_path.is_file()):
            md5 = write_large_file(path, size)
            md5_path.write_text(md5, encoding="ascii")
        md5 = md5_path.read_text(encoding="ascii").strip()
        row = {"fileName": path.name, "path": str(path), "size": size, "md5": md5}
        return self.add_generated_product(
            LARGE_FILE_PRODUCT, [row], name="Benchmark large file",
            description="A large generated file for download benchmarks.")[0]

    def add_generated_product(self, product_id: str, files: list[dict], *, name: str = "",
                              description: str = "Generated files for benchmarks.",
                              format: str = "GeoPackage", area: str = "GB") -> list[dict]:
        """Register an OpenData product whose files already exist on disk (benchmarks: big or
        many generated files). `files` are dicts with fileName, path (absolute), size and md5.
        Returns one listing per file (the API's download body, plus `path`); once the server
        is started it carries the `url`. Registering the same id again replaces the product."""
        summary = {"id": product_id, "name": name or product_id,
                   "description": [description], "version": "2021-01"}
        details = {**summary, "dataStructures": ["Vector"], "category": "Benchmarks",
                   "formats": [{"format": format}]}
        rows = [{"fileName": f["fileName"], "area": area, "format": format,
                 "size": int(f["size"]), "md5": f["md5"], "path": str(f["path"])} for f in files]
        entries = self.catalogue.add_product(summary, details, rows)
        listings = []
        for entry in entries:
            if self._api is None:  # not started yet: no URL to give
                listings.append({"md5": entry["md5"], "size": entry["size"], "format": format,
                                 "area": area, "fileName": entry["fileName"],
                                 "path": entry["path"]})
            else:
                listings.append({**self._api.download_body(entry), "path": entry["path"]})
        return listings


@functools.lru_cache(maxsize=1)
def random_block() -> bytes:
    """One random MiB from a fixed seed: generated files repeat it, stamped per copy."""
    return random.Random(20210104).randbytes(1 << 20)


def write_large_file(path: Path, size: int, seed: int = 0) -> str:
    """`size` incompressible-enough bytes, written atomically in 1 MiB chunks; returns the md5.
    Copies of `random_block()`, each stamped with `seed` and its position (deflate's 32 KiB
    window never sees the repeats, md5 sees every byte): files of other seeds differ."""
    block = random_block()
    digest = hashlib.md5(usedforsecurity=False)
    partial = path.with_name(path.name + ".part")
    written = index = 0
    with open(partial, "wb") as handle:
        while written < size:
            stamp = f"{seed:08d}:{index:08d}|".encode()
            chunk = (stamp + block[len(stamp):])[: size - written]
            handle.write(chunk)
            digest.update(chunk)
            written += len(chunk)
            index += 1
    os.replace(partial, path)
    return digest.hexdigest()
