"""Benchmark: download one large file with the engine; report MB/s and peak memory growth.

    .venv/bin/python tests/bench/bench_download.py [--size-mb 512] [--max-growth-mb 64]

The server (the project's local OS API server, or the tests' own API/storage pair when GDAL is
missing) runs in a child process, so the peak RSS measured here is the engine's alone. Exits 1
if the download fails or the peak RSS grows by more than the bound: streaming must keep memory
flat whatever the file size.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from api.auth import ApiKeyAuth  # noqa: E402
from api.download import DownloadEngine, DownloadItem  # noqa: E402
from api.http import HttpSettings, RetryPolicy  # noqa: E402

MB = 1024 * 1024


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _own_servers_module():
    path = REPO_ROOT / "tests" / "api" / "download_server.py"
    spec = importlib.util.spec_from_file_location("osdh_bench_download_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def serve(size: int, which: str, conn, stop) -> None:
    """Child process: start a server with a `size`-byte file, send its details, wait for stop."""
    if which in ("auto", "local"):
        try:
            from local_os_api import DEMO_KEY, LocalOSAPI

            server = LocalOSAPI(data_dir=REPO_ROOT / ".cache" / "local-os-api").start()
            listing = server.add_large_file(size)
            conn.send(
                (
                    "local",
                    server.url,
                    DEMO_KEY,
                    listing["url"],
                    listing["fileName"],
                    listing["size"],
                    listing["md5"],
                )
            )
            stop.wait()
            server.stop()
            return
        except ImportError:
            if which == "local":
                raise
    module = _own_servers_module()
    block = bytes(range(256)) * 4096 + b"odd tail"  # 1 MiB + 8: the pattern never aligns
    with module.DownloadServers() as servers:
        served = servers.add_large_file("bench.bin", size, block)
        conn.send(
            (
                "own",
                servers.api_url,
                module.API_KEY,
                servers.url_for("bench.bin"),
                "bench.bin",
                served.size,
                served.md5,
            )
        )
        stop.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=512)
    parser.add_argument("--max-growth-mb", type=float, default=64)
    parser.add_argument("--chunk-kb", type=int, default=1024)
    parser.add_argument("--server", choices=("auto", "local", "own"), default="auto")
    args = parser.parse_args()
    size = int(args.size_mb * MB)

    context = multiprocessing.get_context("spawn")
    parent_conn, child_conn = context.Pipe()
    stop = context.Event()
    child = context.Process(target=serve, args=(size, args.server, child_conn, stop), daemon=True)
    child.start()
    try:
        if not parent_conn.poll(600):
            print("download: FAIL the benchmark server did not start")
            return 1
        which, api_url, key, url, name, file_size, md5 = parent_conn.recv()
        engine = DownloadEngine(
            api_url,
            ApiKeyAuth(key),
            HttpSettings(timeout=30),
            RetryPolicy(),
            None,
            workers=1,
            chunk_size=args.chunk_kb * 1024,
        )
        with tempfile.TemporaryDirectory(prefix="osdh-bench-") as folder:
            dest = Path(folder)
            baseline = peak_rss_bytes()
            started = time.perf_counter()
            (result,) = engine.download([DownloadItem(url, name, file_size, md5)], dest)
            elapsed = time.perf_counter() - started
            growth = (peak_rss_bytes() - baseline) / MB
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.terminate()
    if result.error is not None:
        print(f"download: FAIL {result.error}")
        return 1
    rate = file_size / MB / elapsed
    ok = growth <= args.max_growth_mb
    print(
        f"download: {file_size / MB:.0f} MB in {elapsed:.2f} s = {rate:.0f} MB/s "
        f"(md5 verified, {which} server), peak RSS growth {growth:.1f} MB "
        f"(bound {args.max_growth_mb:.0f} MB) {'OK' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
