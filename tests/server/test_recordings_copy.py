"""The project's copy of the recorded OS API responses (served by the local server and used
where ../shared is absent) is byte for byte the shared one."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared" / "os-api" / "recordings"
COPIED = REPO_ROOT / "local_os_api" / "recordings"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside this checkout")
def test_copy_matches_shared_recordings():
    shared = {p.name: p.read_bytes() for p in SHARED.iterdir() if p.is_file()}
    copied = {p.name: p.read_bytes() for p in COPIED.iterdir() if p.is_file()}
    assert copied == shared
