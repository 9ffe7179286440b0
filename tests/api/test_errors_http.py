"""Error mapping, redaction, retry delays and Retry-After parsing."""

from __future__ import annotations

import email.utils
import json

import pytest
from os_data_hub_loader.api.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OSAPIError,
    PermissionDeniedError,
    RateLimited,
    ServerError,
    error_for_status,
    redact,
    redact_url,
    server_message,
)
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy, parse_retry_after

KEY = "k3y-ABCdef0123456789"


@pytest.mark.parametrize(
    ("status", "cls", "exit_code"),
    [
        (400, BadRequestError, 6),
        (401, AuthenticationError, 3),
        (403, PermissionDeniedError, 3),
        (404, NotFoundError, 4),
        (405, BadRequestError, 6),
        (429, RateLimited, 6),
        (500, ServerError, 6),
        (503, ServerError, 6),
        (504, ServerError, 6),
    ],
)
def test_status_mapping(status: int, cls: type, exit_code: int) -> None:
    error = error_for_status(status, what="product 'OpenGreenspace'", body=b"", secrets=(KEY,))
    assert type(error) is cls
    assert error.exit_code == exit_code
    assert "product 'OpenGreenspace'" in str(error)
    assert str(status) in str(error)


def test_429_with_and_without_retry_after() -> None:
    with_hint = error_for_status(429, what="x", retry_after=7.0)
    assert isinstance(with_hint, RateLimited) and with_hint.retry_after == 7.0
    without = error_for_status(429, what="x")
    assert isinstance(without, RateLimited) and without.retry_after is None


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Gateway Timeout</body></html>",
        b"",
        None,
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"fault": {"detail": {"errorcode": "x"}}}',
        b"null",
        b'"just a string"',
    ],
)
def test_odd_bodies_never_crash(body: bytes | None) -> None:
    for status in (400, 401, 403, 404, 429, 500, 503):
        error = error_for_status(status, what="the list of products", body=body)
        assert isinstance(error, OSAPIError)
        assert "The server said" not in str(error)


def test_fault_shape_message_shown_and_key_redacted() -> None:
    body = json.dumps(
        {
            "fault": {
                "faultstring": f"Invalid ApiKey {KEY} for url ?key={KEY}",
                "detail": {"errorcode": "oauth.v2.InvalidApiKey"},
            }
        }
    )
    error = error_for_status(401, what="the list of data packages", body=body, secrets=(KEY,))
    assert "Invalid ApiKey" in str(error)
    assert KEY not in str(error)


def test_error_message_shape() -> None:
    body = b'{"error": {"code": 404, "message": "Product not found"}}'
    error = error_for_status(404, what="product 'Nope'", body=body)
    assert "Product not found" in str(error)
    assert server_message(b'{"message": " hi "}') == "hi"


def test_redact_url_removes_key_and_sig() -> None:
    url = (
        "https://x.blob.core.windows.net/downloads/a.zip?sv=2020-04-08&se=2021-04-07T20%3A50%3A49Z"
        "&sr=b&sp=r&sig=XUzbPG%2BeVxhTelvVqBhxGsGcMOwZgv%2FyBACPNwLYlRo%3D"
    )
    cleaned = redact_url(url)
    assert "XUzbPG" not in cleaned and "sig=***" in cleaned and "sv=2020-04-08" in cleaned
    assert redact_url(f"https://api.os.uk/x?key={KEY}&area=HT") == (
        "https://api.os.uk/x?key=***&area=HT"
    )
    assert redact_url("https://api.os.uk/d?area=HT&redirect").endswith("area=HT&redirect")
    assert redact_url("https://api.os.uk/no-query") == "https://api.os.uk/no-query"


def test_redact_text() -> None:
    text = f"failed {KEY} at https://h/?sig=abc&x=1 and key=zzz"
    cleaned = redact(text, (KEY, None, ""))
    assert KEY not in cleaned and "abc" not in cleaned and "zzz" not in cleaned


@pytest.mark.parametrize("attempt", [1, 2, 3, 4, 8])
def test_retry_delay_jitter_bounds(attempt: int) -> None:
    policy = RetryPolicy(attempts=9, base_delay=0.5, max_delay=3.0)
    ceiling = min(3.0, 0.5 * 2 ** (attempt - 1))
    delays = [policy.delay(attempt) for _ in range(300)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len({round(d, 6) for d in delays}) > 10  # jittered, not fixed


def test_retry_delay_honours_retry_after() -> None:
    policy = RetryPolicy(base_delay=0.05, max_delay=1.0)
    assert policy.delay(1, retry_after=2.0) == 2.0
    assert policy.delay(1, retry_after=0.0) <= 0.05
    assert policy.delay(1, retry_after=10_000) == 5.0  # capped at 5 x max_delay


def test_parse_retry_after() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30.0, abs=1.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


def test_tls_verification_cannot_be_switched_off() -> None:
    with pytest.raises(ValueError):
        HttpSettings(verify=False)


def test_local_file_errors_say_what_to_do():
    import errno

    from os_data_hub_loader.api.errors import LocalFileError, local_file_error

    full = local_file_error("/data/x.zip.part", OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(full, LocalFileError) and full.exit_code == 1
    assert "disk is full" in str(full) and "choose another download folder" in str(full)
    denied = local_file_error("/data", PermissionError(errno.EACCES, "Permission denied"))
    assert "no permission" in str(denied)
    other = local_file_error("/data/x", OSError(errno.EIO, "Input/output error"))
    assert "Input/output error" in str(other) and "Check the download folder" in str(other)


def test_a_refused_proxy_is_named_in_the_message():
    import socket

    from os_data_hub_loader.api.client import DownloadsClient
    from os_data_hub_loader.api.errors import NetworkError
    from os_data_hub_loader.api.http import HttpSettings, RetryPolicy

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = HttpSettings(timeout=5, proxies={"http": f"http://127.0.0.1:{port}",
                                            "https": f"http://127.0.0.1:{port}"})
    client = DownloadsClient("http://downloads.example", http=http,
                             retry=RetryPolicy(attempts=1))
    with client, pytest.raises(NetworkError) as caught:
        client.products()
    assert "the proxy refused the connection" in str(caught.value)
    assert "Settings → Options → Network" in str(caught.value)
