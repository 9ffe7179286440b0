"""`make bench`: the download engine, the unpacker and the plugin in QGIS, each measured side by
side with a reference tool in the same run, against the local OS API server on 127.0.0.1.

    build/bench/venv/bin/python tests/bench/suite.py [--tiny] [--only NAME[,NAME]] [--repeat N]
        [--slow-repeat N]

NAMEs (also `ONLY=...` in the environment): large, memory, many, resume, unpack, qgis, and the
loading benchmarks of real-layout products (issue 15): uprn, openmap, terrain.
Prints a table (target and PASS/MISS per row) and writes build/bench/results.json (machine,
every raw timing and ratio). Exits 1 if a row missed its target or a benchmark broke.
`--tiny` runs everything on small files (the smoke test); its figures mean nothing.

Timings are wall-clock seconds of whole processes (interpreter start-up included), best of
`--repeat` runs (`--slow-repeat`, default 2, for the sides that take minutes: the 5 M-row
CSV's), ours and the reference taking turns; CPU seconds and peak RSS come from wait4(). The
loading benchmarks time inside QGIS (tests/bench/loading_probe.py), after its start-up. The
server runs in a process of its own (tests/bench/serve.py). A ratio is the reference's time
over ours: above 1, ours is faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(REPO_ROOT))

from generate import (  # noqa: E402
    FULL,
    TINY,
    BenchData,
    write_openmap_local_zips,
    write_terrain50_grid_zip,
    write_uprn_csv_zip,
)

from api.download import DEFAULT_WORKERS  # noqa: E402

BUILD = REPO_ROOT / "build" / "bench"
# Small files of one run (the last stderr, lists, the QGIS probe's input and output); a tiny run
# (the smoke test) has its own, so that it may run while `make bench` does.
SCRATCH = BUILD / "scratch"
BENCH_NAMES = ("large", "memory", "many", "resume", "unpack", "qgis", "uprn", "openmap",
               "terrain")
MIB = 1024 * 1024
NO_RATE_LIMIT = "1000000"  # the live API allows 600 API requests a minute; see README


@dataclass(frozen=True)
class LoadingSizes:
    """The real-layout products of the loading benchmarks (tests/bench/generate.py)."""

    uprn_rows: int  # OS Open UPRN CSV: the timed one and the larger of the memory pair
    uprn_small_rows: int  # the smaller of the memory pair
    openmap_squares: int
    openmap_themes: int
    openmap_features: int  # per theme and square
    terrain_tiles: int
    terrain_cells: int  # per tile side
    render_pixels: int


LOADING_FULL = LoadingSizes(uprn_rows=5_000_000, uprn_small_rows=1_000_000, openmap_squares=10,
                            openmap_themes=20, openmap_features=200, terrain_tiles=2_000,
                            terrain_cells=200, render_pixels=1000)
LOADING_TINY = LoadingSizes(uprn_rows=20_000, uprn_small_rows=4_000, openmap_squares=2,
                            openmap_themes=20, openmap_features=5, terrain_tiles=12,
                            terrain_cells=20, render_pixels=100)


def project_python() -> str:
    """The interpreter the plugin's code runs with: the project's .venv (system QGIS, GDAL and
    requests), else the system python."""
    venv = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else "/usr/bin/python3"


# ----- running and measuring processes ---------------------------------------------------


@dataclass
class Run:
    wall: float
    user: float
    sys: float
    max_rss_mib: float
    returncode: int

    @property
    def cpu(self) -> float:
        return self.user + self.sys


class BenchError(Exception):
    pass


def measure(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None,
            check: bool = True, during: Callable[[subprocess.Popen], None] | None = None,
            stdout: Any = subprocess.DEVNULL, before: Callable[[], Any] | None = None) -> Run:
    """Run `cmd`; its wall time, CPU time and peak RSS (with its waited-for children)."""
    if before is not None:
        before()
    settle()
    err_path = SCRATCH / "last-stderr.txt"
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=err)
        if during is not None:
            during(process)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)
    if check and run.returncode != 0:
        tail = err_path.read_text(errors="replace")[-1500:]
        raise BenchError(f"{' '.join(cmd[:6])}... exited {run.returncode}: {tail}")
    return run


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def settle() -> None:
    """Write back what the last run left dirty, so that no run pays for the one before."""
    os.sync()


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def file_url(listing: dict) -> str:
    url = listing["url"]
    if "filename=" in url.lower():
        return url
    return f"{url}&fileName={quote(listing['fileName'], safe='')}"


# ----- results ---------------------------------------------------------------------------


@dataclass
class Row:
    bench: str
    measure: str
    value: float | None
    unit: str
    target: str  # e.g. ">= 1.2", "< 20", "info"
    reference: str = ""  # what ours is compared with, and whether it verifies md5
    detail: str = ""
    verdict: str = field(default="")

    def judge(self) -> Row:
        if self.value is None:
            self.verdict = "ERROR"
        elif self.target.startswith(">="):
            self.verdict = "PASS" if self.value >= float(self.target[2:]) else "MISS"
        elif self.target.startswith("<"):
            self.verdict = "PASS" if self.value < float(self.target[1:]) else "MISS"
        elif self.target.startswith("="):
            self.verdict = "PASS" if self.value == float(self.target[1:]) else "MISS"
        else:
            self.verdict = "info"
        return self


class Suite:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tiny = args.tiny
        self.sizes = TINY if args.tiny else FULL
        self.loading = LOADING_TINY if args.tiny else LOADING_FULL
        self.repeat = args.repeat
        self.work = BUILD / ("work-tiny" if self.tiny else "work")
        self.cache = BUILD / ("cache-tiny" if self.tiny else "cache")
        global SCRATCH
        SCRATCH = BUILD / ("scratch-tiny" if self.tiny else "scratch")
        SCRATCH.mkdir(parents=True, exist_ok=True)
        self.python = project_python()
        self.bench_python = sys.executable
        self.rows: list[Row] = []
        self.raw: dict[str, Any] = {}
        self.server: subprocess.Popen | None = None
        self.info: dict = {}
        self.cpus = os.cpu_count() or 1

    # -- the server ------------------------------------------------------------------------

    def start_server(self) -> None:
        started = time.perf_counter()
        command = [self.python, str(HERE / "serve.py"), "--cache", str(self.cache)]
        if self.tiny:
            command.append("--tiny")
        self.server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True)
        assert self.server.stdout is not None
        line = self.server.stdout.readline()
        if not line:
            raise BenchError("the benchmark server did not start (see its stderr above)")
        self.info = json.loads(line)
        self.raw["server_start_seconds"] = time.perf_counter() - started
        self.raw["generated_seconds"] = self.info["generated_seconds"]

    def server_command(self, command: str) -> Any:
        assert self.server is not None and self.server.stdin and self.server.stdout
        self.server.stdin.write(command + "\n")
        self.server.stdin.flush()
        return json.loads(self.server.stdout.readline())

    def stop_server(self) -> None:
        if self.server is not None:
            assert self.server.stdin is not None
            self.server.stdin.close()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.server = None

    # -- the clients -----------------------------------------------------------------------

    def listings(self, kind: str) -> list[dict]:
        return self.info["products"][kind]

    def cli(self, kind: str, dest: Path, *extra: str) -> list[str]:
        return [self.python, "-m", "api", "--base-url", self.info["url"], "--rate-limit",
                NO_RATE_LIMIT, "-q", "download", self.info["product_ids"][kind], "--dest",
                str(dest), *extra]

    def run_cli(self, kind: str, dest: Path, **kwargs: Any) -> Run:
        return measure(self.cli(kind, fresh(dest)), cwd=REPO_ROOT, **kwargs)

    def run_curl(self, listing: dict, dest: Path, md5: bool) -> Run:
        target = fresh(dest) / listing["fileName"]
        script = 'curl -sS -f -L -o "$1" "$2"'
        if md5:
            script += ' && md5sum "$1" > /dev/null'
        return measure(["sh", "-c", script, "sh", str(target), file_url(listing)])

    def run_curl_parallel(self, kind: str, dest: Path, workers: int, md5: bool = False) -> Run:
        """curl -o per file, `workers` at a time (xargs -P); with `md5`, each file's md5sum
        right after its curl, in the same slot."""
        fresh(dest)
        pairs = "".join(f"{dest / item['fileName']}\n{file_url(item)}\n"
                        for item in self.listings(kind))
        listing = SCRATCH / "curl-list.txt"
        listing.write_text(pairs, encoding="utf-8")
        each = 'curl -sS -f -L -o "$0" "$1"' + (' && md5sum "$0" > /dev/null' if md5 else "")
        return measure(["sh", "-c", f'xargs -P {workers} -n 2 -d "\\n" sh -c \'{each}\' < "$1"',
                        "sh", str(listing)])

    def md5_speed(self) -> float:
        """MiB/s of hashlib's md5 on this machine (one core), measured once."""
        if "md5_mib_per_s" not in self.raw:
            import hashlib

            block = os.urandom(MIB)
            digest = hashlib.md5(usedforsecurity=False)
            started = time.process_time()
            for _ in range(128):
                digest.update(block)
            self.raw["md5_mib_per_s"] = 128 / (time.process_time() - started)
        return float(self.raw["md5_mib_per_s"])

    def has_osdatahub(self) -> bool:
        probe = subprocess.run([self.bench_python, "-c", "import osdatahub"],
                               capture_output=True)
        return probe.returncode == 0

    def run_osdatahub(self, kind: str, dest: Path) -> Run:
        return measure([self.bench_python, str(HERE / "osdatahub_run.py"), self.info["url"],
                        self.info["product_ids"][kind], str(fresh(dest))])

    def check_downloads(self, kind: str, dest: Path, who: str) -> None:
        """Every file there with its size (the md5 is checked once per kind, by us)."""
        for item in self.listings(kind):
            path = dest / item["fileName"]
            if not path.is_file() or path.stat().st_size != item["size"]:
                raise BenchError(f"{who} did not download {item['fileName']} whole")

    def turns(self, runners: dict[str, Callable[[], Run]]) -> dict[str, Run]:
        """Each runner `repeat` times, taking turns; the best run of each."""
        runs: dict[str, list[Run]] = {name: [] for name in runners}
        for _ in range(self.repeat):
            for name, runner in runners.items():
                runs[name].append(runner())
        return {name: best(items) for name, items in runs.items()}

    # -- the benchmarks --------------------------------------------------------------------

    def bench_large(self) -> None:
        """(1) One large file: our CLI vs curl -o, and vs curl then md5sum."""
        listing = self.listings("large")[0]
        dest = self.work / "large"
        found = self.turns({
            "ours": lambda: self.run_cli("large", dest),
            "curl": lambda: self.run_curl(listing, dest, md5=False),
            "curl+md5sum": lambda: self.run_curl(listing, dest, md5=True),
        })
        self.raw["large"] = {name: asdict(run) for name, run in found.items()}
        size = listing["size"] / MIB
        ours = found["ours"]
        detail = (f"{size:.0f} MiB: ours {ours.wall:.2f} s ({size / ours.wall:.0f} MiB/s, "
                  f"{ours.cpu:.1f} CPU-s)")
        for name, target in (("curl+md5sum", ">= 1.2"),
                             ("curl", ">= 0.9" if self.cpus > 2 else "info")):
            ref = found[name]
            self.rows.append(Row(
                "1 large file", f"CLI throughput / {name}", ref.wall / ours.wall, "x", target,
                f"{name} (md5: {'yes' if 'md5' in name else 'no'})",
                f"{detail}; {name} {ref.wall:.2f} s, {ref.cpu:.1f} CPU-s"
                + ("" if target != "info" else f"; 0.9 x target needs > 2 cores ({self.cpus})"),
            ))
        self.raw["large_ref_md5_wall"] = found["curl+md5sum"].wall

    def bench_memory(self) -> None:
        """(2) Peak RSS of the CLI downloading the small and the large file."""
        small = self.run_cli("memory", self.work / "memory")
        large = self.run_cli("large", self.work / "memory")
        self.raw["memory"] = {"small": asdict(small), "large": asdict(large)}
        sizes = f"{self.sizes.memory // MIB} MiB vs {self.sizes.large // MIB} MiB"
        self.rows.append(Row("memory", "CLI peak RSS growth, small to large file",
                             large.max_rss_mib - small.max_rss_mib, "MiB", "< 20", "",
                             f"{sizes}: {small.max_rss_mib:.1f} -> {large.max_rss_mib:.1f} MiB"))
        self.rows.append(Row("memory", "CLI peak RSS, large file", large.max_rss_mib, "MiB",
                             "< 200", "", sizes.split(" vs ")[1]))

    def bench_many(self) -> None:
        """(3) Many files: our CLI (default workers) vs osdatahub vs curl in parallel."""
        workers = DEFAULT_WORKERS
        with_osdatahub = self.has_osdatahub()
        for kind in ("small", "medium"):
            files = self.listings(kind)
            label = f"{len(files)} x {files[0]['size'] // 1024} KiB"
            if files[0]["size"] >= MIB:
                label = f"{len(files)} x {files[0]['size'] // MIB} MiB"
            dest = self.work / kind
            runners: dict[str, Callable[[], Run]] = {
                "ours": lambda kind=kind: self.run_cli(kind, self.work / kind),
                "curl": lambda kind=kind: self.run_curl_parallel(kind, self.work / kind,
                                                                 workers),
                "curl+md5sum": lambda kind=kind: self.run_curl_parallel(
                    kind, self.work / kind, workers, md5=True),
            }
            if with_osdatahub:
                runners["osdatahub"] = lambda kind=kind: self.run_osdatahub(kind,
                                                                            self.work / kind)
            found = self.turns(runners)
            self.check_downloads(kind, dest, list(runners)[-1])
            self.raw[f"many_{kind}"] = {name: asdict(run) for name, run in found.items()}
            ours = found["ours"]
            total = sum(f["size"] for f in files) / MIB
            base = (f"ours {ours.wall:.2f} s ({total / ours.wall:.0f} MiB/s, "
                    f"{ours.cpu:.1f} CPU-s, {workers} workers)")
            ref = found["curl"]
            # md5 alone, on every core, at this machine's speed: no verifying client beats it.
            floor = total / self.md5_speed() / self.cpus
            self.rows.append(Row(
                "many files", f"{label}: throughput / curl xargs -P {workers}",
                ref.wall / ours.wall, "x", f">= {1 / 1.2:.2f}", "curl (md5: no)",
                f"{base}; curl {ref.wall:.2f} s, {ref.cpu:.1f} CPU-s; md5 alone needs "
                f">= {floor:.2f} s on {self.cpus} cores"))
            ref = found["curl+md5sum"]
            self.rows.append(Row(
                "many files", f"{label}: throughput / curl+md5sum xargs -P {workers}",
                ref.wall / ours.wall, "x", "info", "curl, then md5sum (md5: yes)",
                f"{base}; curl+md5sum {ref.wall:.2f} s, {ref.cpu:.1f} CPU-s"))
            if with_osdatahub:
                ref = found["osdatahub"]
                self.rows.append(Row(
                    "many files", f"{label}: throughput / osdatahub", ref.wall / ours.wall, "x",
                    ">= 1.0", "osdatahub 1.3.5 (md5: no)",
                    f"{base}; osdatahub {ref.wall:.2f} s, {ref.cpu:.1f} CPU-s"))
            else:
                self.rows.append(Row("many files", f"{label}: throughput / osdatahub", None,
                                     "x", "n/a", "osdatahub not installed",
                                     "pip install -r tests/bench/requirements-bench.txt"))
                self.rows[-1].verdict = "skip"

    def bench_resume(self) -> None:
        """(4) The large file interrupted (Ctrl-C) at 90 % and resumed by the same command."""
        listing = self.listings("large")[0]
        size = listing["size"]
        dest = fresh(self.work / "resume")
        part = dest / (listing["fileName"] + ".part")
        seen: dict[str, int] = {}

        def interrupt_at_90(process: subprocess.Popen) -> None:
            while process.poll() is None:
                try:
                    done = part.stat().st_size
                except FileNotFoundError:
                    done = 0
                if done >= 0.9 * size:
                    process.send_signal(signal.SIGINT)
                    return
                time.sleep(0.002)

        if self.tiny:  # a few MiB go by faster than the .part can be watched: slow them
            slow = {"action": "slow", "bytes_per_second": size * 2}
            self.server_command(f"fault {json.dumps(slow)}")
        try:
            first = measure(self.cli("large", dest), cwd=REPO_ROOT, check=False,
                            during=interrupt_at_90)
        finally:
            if self.tiny:
                self.server_command('fault {"action": "reset"}')
        if first.returncode != 130 or not part.is_file():
            raise BenchError(f"the interrupted download exited {first.returncode} "
                             f"({'with' if part.is_file() else 'without'} a .part file)")
        seen["kept"] = part.stat().st_size
        self.server_command("clear")
        second = measure(self.cli("large", dest), cwd=REPO_ROOT)
        requests = self.server_command("requests")
        starts = []
        for request in requests:
            value = request.get("range") or "bytes=0-"
            starts.append(int(value.split("=")[1].split("-")[0] or 0))
        fetched = sum(size - start for start in starts)
        again = fetched - (size - seen["kept"])
        final = dest / listing["fileName"]
        if not final.is_file() or final.stat().st_size != size:
            raise BenchError("the resumed download did not finish")
        self.raw["resume"] = {"interrupted": asdict(first), "resumed": asdict(second),
                              "kept_bytes": seen["kept"], "storage_requests": requests,
                              "fetched_on_resume": fetched, "fetched_again": again}
        self.rows.append(Row(
            "resume", "bytes fetched again after Ctrl-C at 90 %", 100 * again / size, "%",
            "< 1", "", f"kept {seen['kept'] / MIB:.0f} MiB of {size / MIB:.0f}; resumed in "
            f"{second.wall:.2f} s with {len(starts)} storage request(s), {again} bytes again"))

    def bench_unpack(self) -> None:
        """(5) Our unpacker vs unzip -q, on the zip of many files and on the zip of zips."""
        code = ("import sys; sys.path.insert(0, sys.argv[3]); from api.unpack import "
                "safe_unpack; safe_unpack(sys.argv[1], sys.argv[2])")
        nested_unzip = ('unzip -q "$1" -d "$2" && find "$2" -name "*.zip" | while read -r z; do '
                        'unzip -q "$z" -d "${z%.zip}" && rm "$z" || exit 1; done')
        cases = (("many_files.zip", "zip of many files", 'unzip -q "$1" -d "$2"'),
                 ("nested.zip", "zip of zips", nested_unzip))
        out = self.work / "unpack"
        for name, label, script in cases:
            archive = str(BenchData(self.cache, self.sizes).zip_path(name))
            ours_cmd = [self.python, "-c", code, archive, str(out), str(REPO_ROOT)]
            unzip_cmd = ["sh", "-c", script, "sh", archive, str(out)]
            found = self.turns({
                "ours": lambda cmd=ours_cmd: measure(cmd, before=lambda: fresh(out)),
                "unzip": lambda cmd=unzip_cmd: measure(cmd, before=lambda: fresh(out)),
            })
            written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            self.raw[f"unpack_{name}"] = {k: asdict(v) for k, v in found.items()}
            ours, ref = found["ours"], found["unzip"]
            self.rows.append(Row(
                "unpack", f"{label}: throughput / unzip -q", ref.wall / ours.wall, "x", ">= 0.8",
                "unzip -q (checks CRC)", f"{written / MIB:.0f} MiB unpacked: ours "
                f"{ours.wall:.2f} s ({ours.cpu:.1f} CPU-s), unzip {ref.wall:.2f} s "
                f"({ref.cpu:.1f} CPU-s)"))
        shutil.rmtree(self.work / "unpack", ignore_errors=True)

    def bench_qgis(self) -> None:
        """(1) in a QgsTask, (6) main-thread stalls and layer loading, (7) the catalogue."""
        listing = self.listings("large")[0]
        dest = self.work / "qgis"
        config = {
            "url": self.info["url"], "large": listing, "dest": str(fresh(dest)),
            "zips": [str(BenchData(self.cache, self.sizes).zip_path(n))
                     for n in ("many_files.zip", "nested.zip")],
            "profile": str(fresh(self.work / "qgis-profile")),
            "repeat": min(self.repeat, 2),
        }
        config_path = SCRATCH / "qgis-probe.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "QGIS_CUSTOM_CONFIG_PATH": config["profile"]}
        refs: list[Run] = []
        refs.append(self.run_curl(listing, self.work / "qgis-curl", md5=True))
        settle()
        output = SCRATCH / "qgis-probe-out.json"
        measure([self.python, str(HERE / "qgis_probe.py"), str(config_path), str(output)],
                cwd=REPO_ROOT, env=env)
        refs.append(self.run_curl(listing, self.work / "qgis-curl", md5=True))
        shutil.rmtree(self.work / "qgis-curl", ignore_errors=True)
        probe = json.loads(output.read_text(encoding="utf-8"))
        ref = best(refs)
        self.raw["qgis"] = {"probe": probe, "curl+md5sum": [asdict(r) for r in refs]}
        task = probe["download_task_seconds"]
        size = listing["size"] / MIB
        self.rows.append(Row(
            "1 large file", "QgsTask throughput / curl+md5sum", ref.wall / task, "x", ">= 1.2",
            "curl+md5sum (md5: yes)", f"{size:.0f} MiB: task {task:.2f} s "
            f"({size / task:.0f} MiB/s), curl+md5sum {ref.wall:.2f} s"))
        self.rows.append(Row(
            "QGIS responsive", "longest main-thread stall (10 ms timer)",
            probe["longest_stall_ms"], "ms", "< 50", "",
            "during the download and unpack tasks: " + ", ".join(
                f"{k} {v:.0f} ms" for k, v in probe["stalls_ms"].items())))
        self.rows.append(Row(
            "QGIS responsive", "layer loading after the task (sample products)",
            probe["layer_loading_seconds"], "s", "< 1", "",
            f"{probe['layers']} layers from {', '.join(probe['layer_products'])}"))
        self.rows.append(Row("catalogue", "dock opened -> product list filled, cold",
                             probe["catalogue_cold_ms"], "ms", "info", "",
                             "empty cache: the list comes from the server"))
        self.rows.append(Row("catalogue", "dock opened -> product list filled, warm",
                             probe["catalogue_warm_ms"], "ms", "< 100", "",
                             f"from the cache ({probe['products']} products)"))

    # -- loading real-layout products (issue 15, deliverable 6) ----------------------------

    def loading_probe(self, mode: str, config: dict) -> dict:
        """One measurement by tests/bench/loading_probe.py, in a QGIS process of its own; its
        process's wall time, CPU and peak RSS under "process"."""
        config_path = SCRATCH / f"loading-{mode}.json"
        output = SCRATCH / f"loading-{mode}-out.json"
        output.unlink(missing_ok=True)
        config_path.write_text(json.dumps(config), encoding="utf-8")
        profile = self.work / "loading-profile"
        profile.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "QGIS_CUSTOM_CONFIG_PATH": str(profile)}
        run = measure([self.python, str(HERE / "loading_probe.py"), mode, str(config_path),
                       str(output)], cwd=REPO_ROOT, env=env)
        result = json.loads(output.read_text(encoding="utf-8"))
        result["process"] = asdict(run)
        return result

    def probe_turns(self, runners: dict[str, Callable[[], dict]],
                    repeat: int) -> dict[str, dict]:
        """Each runner `repeat` times, taking turns; the fastest run of each, with every run's
        seconds under "runs" (and the longest stall of any run, where there is one)."""
        runs: dict[str, list[dict]] = {name: [] for name in runners}
        for _ in range(repeat):
            for name, runner in runners.items():
                runs[name].append(runner())
        found = {}
        for name, items in runs.items():
            fastest = dict(min(items, key=lambda r: r["seconds"]))
            fastest["runs"] = [r["seconds"] for r in items]
            if "longest_stall_ms" in fastest:
                fastest["longest_stall_ms"] = max(r["longest_stall_ms"] for r in items)
            found[name] = fastest
        return found

    def downloaded(self, folder: Path, zips: list[dict]) -> list[str]:
        """`folder` made afresh with the zips in it, as the engine leaves them once verified."""
        fresh(folder)
        for entry in zips:
            target = folder / entry["fileName"]
            try:
                os.link(entry["path"], target)
            except OSError:
                shutil.copyfile(entry["path"], target)
        return [entry["fileName"] for entry in zips]

    @property
    def slow_repeat(self) -> int:
        """Runs of a side that takes minutes at full size (the UPRN CSV's)."""
        return min(self.repeat, self.args.slow_repeat)

    def bench_uprn(self) -> None:
        """(a) OS Open UPRN CSV: verified zip -> usable layer, ours vs delimitedtext; the main
        thread meanwhile; opening it again; the import's peak memory, 1 M vs 5 M rows."""
        from api.unpack import safe_unpack

        sizes = self.loading
        started = time.perf_counter()
        zipped = write_uprn_csv_zip(self.cache, rows=sizes.uprn_rows)
        small = write_uprn_csv_zip(self.cache, rows=sizes.uprn_small_rows)
        self.raw["uprn_generate_seconds"] = time.perf_counter() - started
        csv_folder = fresh(self.work / "uprn-csv")
        (csv_path,) = [p for p in safe_unpack(Path(zipped["path"]), csv_folder / "unzipped")
                       if p.suffix == ".csv"]
        task_folder = self.work / "uprn-task"
        task_config = {"folder": str(task_folder), "title": "OS Open UPRN",
                       "version": "2024-05", "dataset_id": "OpenUPRN"}
        csv_config = {"csv": str(csv_path), "x": "X_COORDINATE", "y": "Y_COORDINATE"}
        found = self.probe_turns({
            "ours": lambda: self.loading_probe("task", {
                **task_config, "zips": self.downloaded(task_folder, [zipped])}),
            "delimitedtext": lambda: self.loading_probe("delimitedtext", csv_config),
        }, self.slow_repeat)
        ours, ref = found["ours"], found["delimitedtext"]
        if ours["features"] != sizes.uprn_rows or ref["features"] != sizes.uprn_rows:
            raise BenchError(f"features: ours {ours['features']}, delimitedtext "
                             f"{ref['features']}, of {sizes.uprn_rows}")
        rows = f"{sizes.uprn_rows / 1e6:g} M rows"
        self.rows.append(Row(
            "OS Open UPRN", f"{rows}: verified zip -> usable layer / delimitedtext",
            ref["seconds"] / ours["seconds"], "x", ">= 2", "delimitedtext, spatial index",
            f"ours (unpack + import in a QgsTask, layer added in finished()) "
            f"{ours['seconds']:.1f} s; delimitedtext on the unzipped CSV {ref['seconds']:.1f} s "
            f"(layer valid + feature count + extent)"))
        self.rows.append(Row(
            "OS Open UPRN", f"{rows}: longest main-thread stall (10 ms timer)",
            ours["longest_stall_ms"], "ms", "< 50", "",
            f"while the task runs and its layer is added (finished() "
            f"{ours['finished_seconds'] * 1000:.0f} ms); delimitedtext blocks the main thread "
            f"{ref['seconds']:.1f} s"))
        again = self.probe_turns({"ours": lambda: self.loading_probe("open", {
            "uri": ours["sources"][0], "provider": "ogr"})}, self.repeat)["ours"]
        self.rows.append(Row(
            "OS Open UPRN", f"{rows}: open again (reopened project) / delimitedtext",
            ref["seconds"] / again["seconds"], "x", ">= 20", "delimitedtext, spatial index",
            f"a fresh layer on the GeoPackage table {again['seconds'] * 1000:.0f} ms; a fresh "
            f"delimitedtext layer rescans the CSV: {ref['seconds']:.1f} s (the runs above)"))
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
                "from api.importer import Importer; f = Path(sys.argv[2]); "
                "Importer(f, 'OpenUPRN_2024-05', 'OpenUPRN', '2024-05', title='OS Open UPRN')"
                ".run([p for p in f.rglob('*') if p.is_file()])")
        small_folder = fresh(self.work / "uprn-small")
        safe_unpack(Path(small["path"]), small_folder / "unzipped")
        memory = {}
        for label, folder in (("small", small_folder), ("large", csv_folder)):
            for stale in folder.glob("*.gpkg"):
                stale.unlink()
            memory[label] = measure([self.python, "-c", code, str(REPO_ROOT), str(folder)])
        self.raw["uprn"] = {"ours": ours, "delimitedtext": ref, "open_again": again,
                            "import_memory": {k: asdict(v) for k, v in memory.items()}}
        growth = memory["large"].max_rss_mib - memory["small"].max_rss_mib
        self.rows.append(Row(
            "OS Open UPRN", "import peak RSS growth, "
            f"{sizes.uprn_small_rows / 1e6:g} M to {rows}", growth * MIB / 1e6, "MB", "< 100",
            "", f"{memory['small'].max_rss_mib:.0f} -> {memory['large'].max_rss_mib:.0f} MiB; "
            f"import alone {memory['small'].wall:.1f} s -> {memory['large'].wall:.1f} s"))

    def bench_openmap(self) -> None:
        """(b) OpenMap Local, 10 squares x 20 themes of shapefiles: layers, time to loaded, vs
        the 200 shapefiles added one by one."""
        from api.unpack import safe_unpack

        sizes = self.loading
        zips = write_openmap_local_zips(self.cache, sizes.openmap_squares, sizes.openmap_themes,
                                        sizes.openmap_features)
        files = fresh(self.work / "openmap-files")
        for entry in zips:
            safe_unpack(Path(entry["path"]), files / Path(entry["fileName"]).stem)
        task_folder = self.work / "openmap-task"
        found = self.probe_turns({
            "ours": lambda: self.loading_probe("task", {
                "folder": str(task_folder), "zips": self.downloaded(task_folder, zips),
                "title": "OS OpenMap - Local", "version": "2024-04",
                "dataset_id": "OpenMapLocal"}),
            "shapefiles": lambda: self.loading_probe("shapefiles", {"folder": str(files)}),
        }, self.repeat)
        ours, ref = found["ours"], found["shapefiles"]
        self.raw["openmap"] = found
        shape = (f"{sizes.openmap_squares} squares x {sizes.openmap_themes} themes "
                 f"({sizes.openmap_features} features each)")
        self.rows.append(Row(
            "OpenMap Local", f"{shape}: layers produced", ours["layers"], "",
            f"= {sizes.openmap_themes}", f"{ref['layers']} shapefiles",
            ", ".join(ours["names"][:4]) + ", ..."))
        self.rows.append(Row(
            "OpenMap Local", "verified zips -> layers loaded / the shapefiles one by one",
            ref["seconds"] / ours["seconds"], "x", "info", "QgsVectorLayer per .shp",
            f"ours (unpack + import of {ours['features']} features into one GeoPackage, in a "
            f"QgsTask) {ours['seconds']:.2f} s; {ref['layers']} shapefiles already unpacked, "
            f"added one by one on the main thread {ref['seconds']:.2f} s"))
        self.rows.append(Row(
            "OpenMap Local", "main-thread time / the shapefiles one by one",
            ref["seconds"] / ours["finished_seconds"], "x", ">= 2", "QgsVectorLayer per .shp",
            f"ours: {ours['layers']} layers added in finished() "
            f"{ours['finished_seconds'] * 1000:.0f} ms (longest stall "
            f"{ours['longest_stall_ms']:.0f} ms); the {ref['layers']} shapefiles "
            f"{ref['seconds'] * 1000:.0f} ms"))

    def bench_terrain(self) -> None:
        """(c) Terrain 50 ASCII grid mosaic: the full extent drawn once, the import's VRT with
        overviews vs the bare VRT of the same tiles."""
        from osgeo import gdal

        sizes = self.loading
        zipped = write_terrain50_grid_zip(self.cache, sizes.terrain_tiles, sizes.terrain_cells)
        folder = self.work / "terrain"
        self.downloaded(folder, [zipped])
        code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
                "from api.pipeline import Pipeline; from api.importer import Importer; "
                "from api.unpack import safe_unpack; z = Path(sys.argv[2]); "
                "files = safe_unpack(z, z.with_suffix('')); "
                "Importer(z.parent, 'Terrain50_2024-04', 'Terrain50', '2024-04', "
                "title='OS Terrain 50').run(files)")
        imported = measure([self.python, "-c", code, str(REPO_ROOT),
                            str(folder / zipped["fileName"])])
        (ours_vrt,) = folder.glob("Terrain50_2024-04*.vrt")
        tiles = sorted(str(p) for p in folder.rglob("*.asc"))
        bare_vrt = folder / "bare.vrt"
        mosaic = gdal.BuildVRT(str(bare_vrt), tiles)
        width, height = mosaic.RasterXSize, mosaic.RasterYSize
        mosaic = None
        config = {"pixels": sizes.render_pixels}
        found = self.probe_turns({
            "ours": lambda: self.loading_probe("render", {**config, "raster": str(ours_vrt)}),
            "bare": lambda: self.loading_probe("render", {**config, "raster": str(bare_vrt)}),
        }, self.repeat)
        ours, ref = found["ours"], found["bare"]
        self.raw["terrain"] = {**found, "import": asdict(imported), "tiles": len(tiles),
                               "mosaic_pixels": [width, height]}
        px = sizes.render_pixels
        self.rows.append(Row(
            "Terrain 50", f"{len(tiles)} tiles: full extent drawn at {px}x{px} / bare VRT",
            ref["seconds"] / ours["seconds"], "x", ">= 5", "gdal.BuildVRT, no overviews",
            f"{width}x{height} px mosaic: ours (overviews: {ours['overviews']}) "
            f"{ours['seconds']:.2f} s, bare VRT {ref['seconds']:.2f} s "
            f"(QgsMapRendererParallelJob)"))
        self.rows.append(Row(
            "Terrain 50", "import: unpack + VRT mosaic + overviews", imported.wall, "s", "info",
            "", f"{len(tiles)} tiles, {imported.cpu:.1f} CPU-s, peak RSS "
            f"{imported.max_rss_mib:.0f} MiB"))

    # -- the whole run ---------------------------------------------------------------------

    def run(self, names: list[str]) -> int:
        started = time.perf_counter()
        BUILD.mkdir(parents=True, exist_ok=True)
        errors: dict[str, str] = {}
        # Other work on the machine spoils the figures: its load is kept with them.
        self.raw["load_average_before"] = os.getloadavg()
        self.start_server()
        try:
            for name in names:
                bench_started = time.perf_counter()
                try:
                    getattr(self, f"bench_{name}")()
                except BenchError as error:
                    errors[name] = str(error)
                    self.rows.append(Row(name, "benchmark failed", None, "", "", "",
                                         str(error)[:300]))
                self.raw.setdefault("seconds", {})[name] = time.perf_counter() - bench_started
        finally:
            self.stop_server()
            shutil.rmtree(self.work, ignore_errors=True)
        for row in self.rows:
            if not row.verdict:
                row.judge()
        total = time.perf_counter() - started
        self.raw["load_average_after"] = os.getloadavg()
        self.write(names, total, errors)
        print(self.table())
        print(f"\n{len(self.rows)} rows, total {total:.0f} s (of which generating files "
              f"{self.raw['generated_seconds']:.0f} s); load average before "
              f"{self.raw['load_average_before'][0]:.1f}, after "
              f"{self.raw['load_average_after'][0]:.1f}; {self.args.output}")
        # Tiny files only show that every benchmark still runs: their figures mean nothing.
        failing = ("ERROR",) if self.tiny else ("MISS", "ERROR")
        return 1 if any(r.verdict in failing for r in self.rows) else 0

    def table(self) -> str:
        header = ["benchmark", "measure", "value", "target", "result", "reference", "detail"]
        rows = [[r.bench, r.measure, "-" if r.value is None else f"{r.value:.2f} {r.unit}".strip(),
                 r.target, r.verdict, r.reference, r.detail] for r in self.rows]
        widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
                  for i, h in enumerate(header)]
        widths[-1] = len(header[-1])

        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        return "\n".join([line(header)] + [line(r) for r in rows])

    def markdown(self) -> str:
        lines = ["| benchmark | measure | value | target | result | reference (md5?) | detail |",
                 "|---|---|---|---|---|---|---|"]
        for r in self.rows:
            value = "-" if r.value is None else f"{r.value:.2f} {r.unit}".strip()
            lines.append(f"| {r.bench} | {r.measure} | {value} | {r.target} | {r.verdict} | "
                         f"{r.reference} | {r.detail} |")
        return "\n".join(lines)

    def write(self, names: list[str], total: float, errors: dict[str, str]) -> None:
        results = {
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "mode": "tiny" if self.tiny else "full",
            "benchmarks": names,
            "total_seconds": total,
            "repeat": self.repeat,
            "machine": machine(self.python),
            "rows": [asdict(r) for r in self.rows],
            "raw": self.raw,
            "errors": errors,
            "markdown": self.markdown(),
        }
        path = Path(self.args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


def machine(python: str) -> dict:
    def version_of(code: str, interpreter: str) -> str:
        done = subprocess.run([interpreter, "-c", code], capture_output=True, text=True)
        return done.stdout.strip() or done.stderr.strip()[-200:]

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    curl = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout
    unzip = subprocess.run(["unzip", "-v"], capture_output=True, text=True).stdout
    return {
        "cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(memory, 1),
        "kernel": platform.release(), "platform": platform.platform(),
        "python": version_of("import sys; print(sys.version.split()[0])", python),
        "requests (ours)": version_of(
            "import requests, urllib3; print(requests.__version__, urllib3.__version__)", python),
        "requests (osdatahub)": version_of(
            "import requests, urllib3; print(requests.__version__, urllib3.__version__)",
            sys.executable),
        "qgis": version_of("from qgis.core import Qgis; print(Qgis.version())", python),
        "curl": curl.splitlines()[0] if curl else "",
        "unzip": unzip.splitlines()[0] if unzip else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="small files (smoke test)")
    parser.add_argument("--only", default=os.environ.get("ONLY", ""),
                        help=f"comma-separated subset of {', '.join(BENCH_NAMES)}")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each side (default 3, 1 with --tiny)")
    parser.add_argument("--slow-repeat", type=int, default=2,
                        help="at most this many runs of the sides that take minutes (uprn)")
    parser.add_argument("--output", default=str(BUILD / "results.json"))
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 1 if args.tiny else 3
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCH_NAMES)
    unknown = sorted(set(names) - set(BENCH_NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}: choose from "
                     f"{', '.join(BENCH_NAMES)}")
    for tool in ("curl", "unzip", "md5sum", "xargs"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is missing: run scripts/setup.sh (it installs it)")
    return Suite(args).run(names)


if __name__ == "__main__":
    sys.exit(main())
