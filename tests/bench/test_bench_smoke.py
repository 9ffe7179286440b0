"""`make bench` in miniature (a few seconds): every benchmark still runs end to end on tiny files
and reports a figure, so that the suite cannot rot between the occasions it is run in full.

The figures of a tiny run mean nothing and are not judged; what is checked is that each row is
there with a value, that the downloads and unpacking it timed really happened (the suite fails
a benchmark whose files are missing or short), and that resuming fetched nothing again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]

pytestmark = pytest.mark.timeout(180)


def _tools_missing() -> list[str]:
    return [t for t in ("curl", "unzip", "md5sum", "xargs") if shutil.which(t) is None]


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory) -> dict:
    missing = _tools_missing()
    if missing:
        pytest.skip(f"the benchmark needs {', '.join(missing)} (scripts/setup.sh installs them)")
    pytest.importorskip("osgeo", reason="the local OS API server needs GDAL")
    output = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, str(HERE / "suite.py"), "--tiny", "--output", str(output)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=170,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "PASS" in done.stdout or "MISS" in done.stdout  # the table was printed
    return json.loads(output.read_text(encoding="utf-8"))


def rows(results: dict, bench: str) -> list[dict]:
    return [r for r in results["rows"] if r["bench"] == bench]


def test_every_benchmark_reports_a_figure(tiny_results):
    assert tiny_results["mode"] == "tiny"
    assert not tiny_results["errors"]
    measures = [(r["bench"], r["measure"]) for r in tiny_results["rows"]]
    assert len(measures) == len(set(measures))
    expected = {
        "1 large file": 3,  # CLI vs curl+md5sum, vs curl; QgsTask vs curl+md5sum
        "memory": 2,
        "many files": 6,  # two sizes: curl, curl+md5sum, osdatahub (skipped if not installed)
        "resume": 1,
        "unpack": 2,
        "QGIS responsive": 2,
        "catalogue": 2,
        # issue 15: zip -> usable layer, stall, open again, import memory
        "OS Open UPRN": 4,
        "OpenMap Local": 3,  # layers produced, time to loaded, main-thread time
        "Terrain 50": 2,  # drawn with overviews vs the bare VRT, the import
    }
    for bench, count in expected.items():
        found = rows(tiny_results, bench)
        assert len(found) == count, (bench, found)
        for row in found:
            if row["verdict"] != "skip":
                assert isinstance(row["value"], (int, float)) and row["value"] >= 0, row
                assert row["verdict"] in ("PASS", "MISS", "info"), row


def test_timings_and_machine_are_recorded(tiny_results):
    raw = tiny_results["raw"]
    for name in ("large", "memory", "many_small", "many_medium", "resume", "qgis", "uprn",
                 "openmap", "terrain"):
        assert name in raw, name
    assert raw["large"]["ours"]["wall"] > 0 and raw["large"]["ours"]["max_rss_mib"] > 0
    assert tiny_results["machine"]["cpus"] >= 1
    assert "| benchmark |" in tiny_results["markdown"]


def test_resuming_fetched_nothing_again(tiny_results):
    (row,) = rows(tiny_results, "resume")
    assert row["verdict"] == "PASS" and row["value"] == 0, row


def test_loading_benchmarks_loaded_what_they_timed(tiny_results):
    raw = tiny_results["raw"]
    uprn = raw["uprn"]
    assert uprn["ours"]["features"] == uprn["delimitedtext"]["features"] > 0
    assert uprn["open_again"]["features"] == uprn["ours"]["features"]
    assert uprn["ours"]["layers"] == 1
    (layers,) = [r for r in rows(tiny_results, "OpenMap Local")
                 if "layers produced" in r["measure"]]
    assert layers["verdict"] == "PASS" and layers["value"] == 20, layers
    assert raw["openmap"]["shapefiles"]["layers"] == 40  # 2 squares x 20 themes
    assert raw["terrain"]["tiles"] == 12
