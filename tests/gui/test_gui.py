"""`make gui-test`: the plugin zip in the real QGIS desktop (under Xvfb), driven like a person.

Runs scripts/gui_test.sh, which builds the zip, installs it in a throwaway profile, starts the
local OS API server and QGIS with scripts/gui_drive.py. Skipped only when `qgis` or `Xvfb` is
not installed. Each run takes about 20 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
STEPS = ["qgis-started", "dock-opened", "searched", "product-selected", "file-chosen",
         "downloaded", "layers-loaded", "basemaps-listed", "basemap-added", "basemap-rendered"]

pytestmark = [
    pytest.mark.skipif(shutil.which("qgis") is None,
                       reason="the QGIS desktop (qgis) is not installed: scripts/setup.sh"),
    pytest.mark.skipif(shutil.which("Xvfb") is None,
                       reason="Xvfb is not installed: scripts/setup.sh"),
    pytest.mark.timeout(300),
]


def run_gui_test(out: Path, **env: str) -> tuple[subprocess.CompletedProcess, dict | None]:
    environment = {**os.environ, "GUI_OUT": str(out), **env}
    result = subprocess.run(["bash", "scripts/gui_test.sh"], cwd=REPO_ROOT, env=environment,
                            capture_output=True, text=True, timeout=280, check=False)
    result_file = out / "result.json"
    return result, json.loads(result_file.read_text()) if result_file.exists() else None


def test_the_plugin_works_in_the_real_qgis_desktop():
    out = REPO_ROOT / "build" / "gui"  # kept for people to look at
    result, report = run_gui_test(out)
    assert result.returncode == 0, result.stderr[-4000:]
    assert report is not None and report["ok"], report
    assert [step["name"] for step in report["steps"]] == STEPS
    assert report["python_errors"] == []
    for step in report["steps"]:
        shot = out / step["screenshot"]
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000, shot
    assert (out / "basemap-alone.png").is_file()


def test_a_failing_step_fails_the_run(tmp_path: Path):
    """Every file arrives damaged: the download step fails, and so does the run."""
    result, report = run_gui_test(tmp_path, GUI_SERVER_ARGS="--fault wrong_md5=*")
    assert result.returncode == 1, result.stderr[-4000:]
    assert report is not None and not report["ok"]
    assert [step["name"] for step in report["steps"]] == STEPS[:6]
    failed = report["steps"][-1]
    assert not failed["ok"] and "arrived damaged" in failed["detail"], failed
    assert "FAIL downloaded" in result.stderr
    assert (tmp_path / failed["screenshot"]).is_file()
