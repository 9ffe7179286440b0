"""Helpers shared by test modules (importable because pyproject puts tests/ on the path)."""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List

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


# TCP states in /proc/net/tcp (include/net/tcp_states.h), for the messages.
_TCP_STATES = {"01": "ESTABLISHED", "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT",
               "0A": "LISTEN"}


def open_connections_to(*ports: int) -> List[str]:
    """This process's open TCP sockets connected to one of `ports` (the client side of
    connections to servers on this host), as `fd N -> :port STATE` (Linux: /proc)."""
    inodes: Dict[str, int] = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # the listing's own descriptor, gone already
        if target.startswith("socket:["):
            inodes[target[len("socket:["):-1]] = int(name)
    found = []
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            inode = fields[9]
            if remote_port in ports and inode in inodes:
                state = _TCP_STATES.get(fields[3], fields[3])
                found.append(f"fd {inodes[inode]} -> :{remote_port} {state}")
    return sorted(found)


@contextlib.contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: what is freed there is freed by reference counting,
    as it would be in a process whose next collection is a long way off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_download_server():
    """tests/api/download_server.py (the API and storage servers of the engine's tests), loaded
    once under one module name whichever test folder asks for it."""
    import importlib.util

    name = "osdh_test_download_server"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parent / "api" / "download_server.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def imported_names(path: Path, top_level: bool = False) -> set:
    """The top packages a Python file imports (absolute imports only); `top_level`: only the
    module's own statements, not imports inside functions."""
    import ast

    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body if top_level else ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names
