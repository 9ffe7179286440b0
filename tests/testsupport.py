"""Helpers shared by test modules (importable because pyproject puts tests/ on the path)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict

REPO_ROOT = Path(__file__).resolve().parent.parent


def wait_until(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    """Process Qt events until `predicate()` is true: tasks report through the event loop."""
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def run_cli(
    base_url: str,
    *args: str,
    key: str | None = None,
    secret: str | None = None,
    env: Dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """`python3 -m api ARGS` from the repo root against `base_url`, with short retry delays
    and none of the caller's own OS_API_* variables."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OS_API_")}
    environment.update(
        OS_API_BASE_URL=base_url,
        OS_API_RETRY_BASE_DELAY="0.05",
        OS_API_RETRY_MAX_DELAY="0.2",
        OS_API_TIMEOUT="20",
    )
    if key is not None:
        environment["OS_API_KEY"] = key
    if secret is not None:
        environment["OS_API_SECRET"] = secret
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=timeout,
    )
