"""A JSON answer cut short or garbled is reported as damaged, not as "not JSON" (found by
the fault-injection matrix, tests/faults)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.errors import OSAPIError
from os_data_hub_loader.api.http import RetryPolicy

API = "/downloads/v1"


@pytest.fixture
def client(scripted: Any) -> Iterator[DownloadsClient]:
    with DownloadsClient(scripted.url, auth=ApiKeyAuth("k"),
                         retry=RetryPolicy(attempts=1)) as made:
        yield made


@pytest.mark.parametrize("body", [b'[{"id": "OpenGreenspace", "na', b"{not json", b"\xff\xfe"])
def test_damaged_json_says_damaged(client: DownloadsClient, scripted: Any, body: bytes) -> None:
    scripted.on(f"{API}/products", scripted.Reply(
        200, body, {"Content-Type": "application/json;charset=UTF-8"}))
    with pytest.raises(OSAPIError) as caught:
        client.products()
    message = str(caught.value)
    assert "the list of products arrived damaged" in message
    assert "did not come as JSON" not in message and "try again" in message


def test_html_still_points_at_a_proxy_or_login_page(client: DownloadsClient, scripted: Any) -> None:
    scripted.on(f"{API}/products", scripted.Reply(200, b"<html>log in</html>",
                                                  {"Content-Type": "text/html"}))
    with pytest.raises(OSAPIError, match=r"did not come as JSON \(text/html\).*login page"):
        client.products()
