"""Helpers for the local OS API server tests (the server itself: `os_api` in tests/conftest)."""

from __future__ import annotations

import pytest
import requests


class Client:
    """A thin requests wrapper that never follows redirects and names paths from the root."""

    def __init__(self, server) -> None:
        self.server = server
        self.session = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else self.server.url + path
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 10)
        return self.session.get(url, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.post(self.server.url + path, **kwargs)

    def location(self, path: str, **kwargs) -> str:
        response = self.get(path, **kwargs)
        assert response.status_code == 307, response.text
        return response.headers["Location"]


@pytest.fixture
def client(os_api):
    c = Client(os_api)
    yield c
    c.session.close()
