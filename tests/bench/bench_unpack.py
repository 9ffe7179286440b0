"""Benchmark: unpack one large zip with the safe unpacker; report MB/s and peak memory growth.

    .venv/bin/python tests/bench/bench_unpack.py [--size-mb 512] [--max-growth-mb 64]

The zip (three quarters random bytes stored, one quarter CSV-like text deflated, plus a nested
zip) is built in a child process so that the peak RSS measured here is the unpacker's alone.
Exits 1 if unpacking fails or the peak RSS grows by more than the bound.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from api.unpack import safe_unpack  # noqa: E402

MB = 1024 * 1024


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _write_member(archive: zipfile.ZipFile, name: str, size: int, text: bool) -> None:
    method = zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED
    info = zipfile.ZipInfo(name)
    info.compress_type = method
    with archive.open(info, "w", force_zip64=True) as out:
        written, row = 0, 0
        while written < size:
            if text:
                lines = [
                    f"{row + i},{(row + i) * 7919 % 100003},SU{(row + i) % 9999:04d}\n"
                    for i in range(20_000)
                ]
                chunk = "".join(lines).encode()
                row += 20_000
            else:
                chunk = os.urandom(MB)
            chunk = chunk[: size - written]
            out.write(chunk)
            written += len(chunk)


def build_zip(path: str, size: int) -> None:
    """Child process: the benchmark zip, streamed member by member."""
    folder = Path(path).parent
    inner = folder / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        _write_member(archive, "inner/grid.asc", size // 16, text=True)
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        _write_member(archive, "data/random.bin", size * 3 // 4, text=False)
        _write_member(archive, "data/table.csv", size // 4 - size // 16, text=True)
        archive.write(inner, "data/nested.zip")
    inner.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=512)
    parser.add_argument("--max-growth-mb", type=float, default=64)
    args = parser.parse_args()
    size = int(args.size_mb * MB)
    with tempfile.TemporaryDirectory(prefix="osdh-bench-unpack-") as folder:
        zip_path = Path(folder) / "bench.zip"
        child = multiprocessing.get_context("spawn").Process(
            target=build_zip, args=(str(zip_path), size)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            print("unpack: FAIL could not build the benchmark zip")
            return 1
        baseline = peak_rss_bytes()
        started = time.perf_counter()
        try:
            files = safe_unpack(zip_path, Path(folder) / "out")
        except Exception as error:
            print(f"unpack: FAIL {error}")
            return 1
        elapsed = time.perf_counter() - started
        growth = (peak_rss_bytes() - baseline) / MB
        unpacked = sum(p.stat().st_size for p in files)
        compressed = zip_path.stat().st_size
    ok = growth <= args.max_growth_mb
    print(
        f"unpack: {unpacked / MB:.0f} MB from a {compressed / MB:.0f} MB zip ({len(files)} files, "
        f"nested zip included) in {elapsed:.2f} s = {unpacked / MB / elapsed:.0f} MB/s, peak RSS "
        f"growth {growth:.1f} MB (bound {args.max_growth_mb:.0f} MB) {'OK' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
