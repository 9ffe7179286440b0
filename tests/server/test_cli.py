"""`python3 -m local_os_api`: prints its URL first, serves, stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = REPO_ROOT / ".cache" / "local-os-api"  # the session fixture's cache: a fast start


def run(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "local_os_api", *args], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_cli_prints_the_url_and_serves(os_api, tmp_path):
    url_file = tmp_path / "url.txt"
    process = run("--port", "0", "--data-dir", str(CACHE), "--url-file", str(url_file),
                  "--fault", "fail_next=503,times=1,retry_after=2")
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url_file.read_text().strip() == url
        failed = requests.get(url + "/downloads/v1/products", timeout=10)
        assert failed.status_code == 503 and failed.headers["Retry-After"] == "2"
        products = requests.get(url + "/downloads/v1/products", timeout=10)
        assert products.status_code == 200
        assert "OpenGreenspace" in {p["id"] for p in products.json()}
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "local-demo-key" in err


def test_cli_help_lists_keys_and_faults():
    result = subprocess.run([sys.executable, "-m", "local_os_api", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for word in ["local-demo-key", "local-premium-key", "local-empty-key", "drop_after_bytes",
                 "fail_next", "wrong_md5", "url_lifetime", "slow"]:
        assert word in result.stdout
