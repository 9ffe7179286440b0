"""A 0-byte zip (it can verify: the API may list size 0) is reported as empty, not as damaged
in transit with advice to download it again (found by the fault matrix, tests/faults)."""

from __future__ import annotations

import pytest
from os_data_hub_loader.api.errors import UnsafeArchiveError
from os_data_hub_loader.api.unpack import safe_unpack


def test_an_empty_zip_says_empty_not_download_again(tmp_path):
    empty = tmp_path / "fault_empty.zip"
    empty.write_bytes(b"")
    with pytest.raises(UnsafeArchiveError) as caught:
        safe_unpack(empty, tmp_path / "fault_empty")
    message = str(caught.value)
    assert "fault_empty.zip is empty (0 bytes)" in message
    assert "download it again" not in message
    assert not any((tmp_path / "fault_empty").rglob("*"))


def test_a_truncated_zip_is_still_damaged(tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 20)
    with pytest.raises(UnsafeArchiveError, match="damaged.*download it again"):
        safe_unpack(broken, tmp_path / "broken")
