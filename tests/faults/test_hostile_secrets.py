"""Hostile servers on 127.0.0.1 against the secrets (issue 16): a redirect to
`http://<evil>\\@<api-host>/…` (urlsplit reads the API host, urllib3 connects to evil), userinfo,
another origin carrying the API's cookie, https → http, an API that echoes the key into its
listings and its WMTS ExceptionReport, a key printed as its repr.

An "evil" listener records everything it receives; every case checks that no key, bearer token,
secret or API cookie reached it or any output, that the command failed clearly with the
documented exit code, and that nothing was kept as verified. Each case is counted in the
`hostile` tally (tests/faults/conftest.py).
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from os_data_hub_loader.api.auth import ApiKeyAuth, OAuth2ClientCredentials
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import DownloadEngine, DownloadItem
from os_data_hub_loader.api.errors import OSAPIError, redact
from os_data_hub_loader.api.http import HttpSettings, RetryPolicy
from os_data_hub_loader.api.urls import downgrade_reason, origin, plain_http_warning, unsafe_reason
from os_data_hub_loader.api.wmts import MapsClient
from testsupport import run_cli

KEY = "Hostile/Key+With=Chars&0123456789abcdef"
SECRET = "hostile-secret-9876543210fedcba"
TOKEN = "bearer-token-for-hostile-tests-42"
COOKIE = "api-session-cookie-5a5a5a5a5a"
BODY = b"the bytes of the file\n" * 50
MD5 = hashlib.md5(BODY).hexdigest()
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
ENV = {"OS_API_RETRY_ATTEMPTS": "2"}


def secret_forms() -> list[str]:
    out = []
    for secret in (KEY, SECRET, TOKEN, COOKIE):
        out += [secret, quote(secret, safe=""), quote_plus(secret), quote(secret)]
    return out


def leaked_into(text: str) -> bool:
    return any(form in text for form in secret_forms())


class Listener:
    """A real HTTP server on 127.0.0.1 that records each request (line and headers) and answers
    with `answer(handler)`."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.received: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("latin-1") if length else ""
                listener.received.append(f"{self.command} {self.path}\n{self.headers}{body}")
                answer(self)

            do_GET = do_POST = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def saw_secret(self) -> bool:
        return any(leaked_into(text) for text in self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
          headers: dict[str, str] | None = None, content_type: str = "application/json") -> None:
    handler.send_response(status)
    for name, value in {"Content-Type": content_type, **(headers or {})}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def evil():
    def answer(handler: BaseHTTPRequestHandler) -> None:
        reply(handler, 200, BODY, content_type="application/octet-stream")

    listener = Listener(answer)
    yield listener
    listener.close()


def hostile_api(location: Callable[[str], str], echo: bool = False) -> Listener:
    """An API whose file links redirect to `location(api_url)`; its token endpoint hands out
    TOKEN, every answer sets the API's cookie; with `echo`, listings carry the key in URLs."""
    holder: dict[str, Listener] = {}

    def answer(handler: BaseHTTPRequestHandler) -> None:
        api = holder["api"].url
        path = urlsplit(handler.path).path
        cookie = {"Set-Cookie": f"session={COOKIE}; Path=/"}
        echoed = f"key={quote_plus(KEY)}&raw={KEY}&enc={quote(KEY, safe='')}" if echo else ""
        file_url = f"{api}/downloads/v1/dataPackages/7/versions/1/downloads?fileName=f.bin"
        if path.endswith("/oauth2/token/v1"):
            reply(handler, 200, json.dumps({"access_token": TOKEN, "expires_in": 299}).encode())
        elif path.endswith("/dataPackages"):
            reply(handler, 200, json.dumps([{
                "id": "7", "name": f"echo {KEY}" if echo else "seven",
                "url": f"{api}/downloads/v1/dataPackages/7?{echoed}", "versions": [],
            }]).encode(), cookie)
        elif path.endswith("/dataPackages/7/versions/latest"):
            reply(handler, 200, json.dumps({
                "id": "1", "url": f"{api}/downloads/v1/dataPackages/7/versions/1?{echoed}",
                "downloads": [{"fileName": "f.bin", "size": len(BODY), "md5": MD5,
                               "url": file_url + (f"&{echoed}" if echo else "")}],
            }).encode(), cookie)
        elif path.endswith("/downloads"):
            reply(handler, 307, b"", {"Location": location(api), **cookie})
        else:
            reply(handler, 404, b"{}")

    holder["api"] = Listener(answer)
    return holder["api"]


def backslash(evil: Listener) -> Callable[[str], str]:
    """`http://127.0.0.1:<evil>\\@127.0.0.1:<api>/f.bin`: urlsplit says the API, urllib3 evil."""
    return lambda api: f"{evil.url}\\@{api.split('//', 1)[1]}/f.bin"


def engine_for(api: Listener, auth) -> DownloadEngine:
    return DownloadEngine(api_origin=api.url, auth=auth, http=HttpSettings(timeout=5),
                          retry=FAST, workers=1)


def file_item(api: Listener) -> DownloadItem:
    return DownloadItem(f"{api.url}/downloads/v1/dataPackages/7/versions/1/downloads"
                        "?fileName=f.bin", "f.bin", len(BODY), MD5)


LOCATIONS = {
    "backslash authority": backslash,
    "userinfo": lambda evil: lambda api: f"http://user:pw@127.0.0.1:{evil.port}/f.bin",
    "evil\\@api userinfo": lambda evil: lambda api: (
        f"http://evil\\@{api.split('//', 1)[1]}/f.bin"),
}


@pytest.mark.parametrize("auth_kind", ["key", "bearer"])
@pytest.mark.parametrize("case", sorted(LOCATIONS))
def test_engine_sends_nothing_to_an_ambiguous_redirect(case, auth_kind, evil, tmp_path, hostile):
    api = hostile_api(LOCATIONS[case](evil))
    auth = (ApiKeyAuth(KEY) if auth_kind == "key"
            else OAuth2ClientCredentials(KEY, SECRET, api.url + "/oauth2/token/v1"))
    try:
        [result] = engine_for(api, auth).download([file_item(api)], tmp_path)
    finally:
        api.close()
        auth.close()
    kept = (tmp_path / "f.bin").exists()
    message = str(result.error or "")
    refused = result.path is None and not kept and "refused" in message
    hostile.add(f"engine, {auth_kind}: redirect with {case}", refused=refused,
                leaked=evil.saw_secret() or leaked_into(message), corrupt=kept)
    assert evil.received == [], "no request at all goes to an ambiguous URL"
    assert refused, message
    assert not leaked_into(message)


def test_engine_keeps_credentials_and_cookies_from_another_origin(evil, tmp_path, hostile):
    api = hostile_api(lambda api_url: f"{evil.url}/storage/f.bin?sig=abc")
    try:
        [result] = engine_for(api, ApiKeyAuth(KEY)).download([file_item(api)], tmp_path)
    finally:
        api.close()
    hostile.add("engine: redirect to another origin (storage) after an API cookie",
                refused=result.path is not None, leaked=evil.saw_secret())
    assert result.path is not None and result.path.read_bytes() == BODY
    assert len(evil.received) == 1 and not evil.saw_secret(), evil.received


def test_transport_keeps_the_api_cookie_from_another_origin(evil, hostile):
    def answer(handler: BaseHTTPRequestHandler) -> None:
        reply(handler, 302, b"", {"Location": f"{evil.url}/list",
                                  "Set-Cookie": f"session={COOKIE}; Path=/"})

    api = Listener(answer)
    client = DownloadsClient(api.url + "/downloads/v1", auth=ApiKeyAuth(KEY), retry=FAST)
    try:
        client.data_packages()
    except OSAPIError:
        pass  # evil's answer is not a listing; what matters is what evil was sent
    finally:
        client.close()
        api.close()
    hostile.add("transport: API cookie and key towards a redirect on another origin",
                refused=len(evil.received) == 1, leaked=evil.saw_secret())
    assert len(evil.received) == 1, "a redirect to another origin is followed, bare"
    assert not evil.saw_secret(), evil.received


@pytest.mark.parametrize("case", sorted(LOCATIONS))
def test_transport_refuses_an_ambiguous_redirect(case, evil, hostile):
    location = LOCATIONS[case](evil)

    def answer(handler: BaseHTTPRequestHandler) -> None:
        reply(handler, 302, b"", {"Location": location(api.url) + "?x"})

    api = Listener(answer)
    client = DownloadsClient(api.url + "/downloads/v1", auth=ApiKeyAuth(KEY), retry=FAST)
    message = ""
    try:
        client.data_packages()
    except OSAPIError as error:
        message = str(error)
    finally:
        client.close()
        api.close()
    refused = "refused" in message
    hostile.add(f"transport: listing redirected with {case}", refused=refused,
                leaked=evil.saw_secret() or leaked_into(message))
    assert evil.received == []
    assert refused, message


def test_cli_download_package_to_a_backslash_redirect(evil, tmp_path, hostile):
    api = hostile_api(backslash(evil))
    try:
        result = run_cli(api.url, "download-package", "7", "latest", "--dest", str(tmp_path),
                         key=KEY, secret=SECRET, env=ENV)
    finally:
        api.close()
    kept = (tmp_path / "f.bin").exists()
    output = result.stdout + result.stderr
    refused = result.returncode == 6 and "refused" in result.stderr and not kept
    hostile.add("CLI download-package (OAuth 2): redirect to evil\\@api-host", refused=refused,
                leaked=evil.saw_secret() or leaked_into(output), corrupt=kept)
    assert evil.received == []
    assert refused, (result.returncode, result.stderr)
    assert not leaked_into(output)


@pytest.mark.parametrize("command", [["packages"], ["version", "7", "latest"]])
@pytest.mark.parametrize("json_output", [True, False])
def test_cli_listings_never_print_an_echoed_key(command, json_output, hostile):
    api = hostile_api(lambda api_url: api_url, echo=True)
    try:
        result = run_cli(api.url, *command, *(["--json"] if json_output else []), key=KEY,
                         env=ENV)
    finally:
        api.close()
    output = result.stdout + result.stderr
    hostile.add(f"CLI {' '.join(command)}{' --json' if json_output else ''}: the API echoes "
                "the key", refused=result.returncode == 0, leaked=leaked_into(output))
    assert result.returncode == 0, result.stderr
    assert not leaked_into(output), output
    if json_output:
        json.loads(result.stdout)


def test_a_wmts_exception_report_echoing_the_key_is_redacted(hostile):
    report = ('<?xml version="1.0"?>'
              '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1">'
              '<ows:Exception exceptionCode="InvalidParameterValue"><ows:ExceptionText>key '
              f'{html.escape(KEY)} ({quote(KEY, safe="")}) is not valid</ows:ExceptionText>'
              '</ows:Exception></ows:ExceptionReport>').encode()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        reply(handler, 200, report, content_type="text/xml")

    api = Listener(answer)
    message = ""
    try:
        with MapsClient(api.url, key=KEY, retry=FAST) as client:
            client.capabilities()
    except OSAPIError as error:
        message = str(error)
    finally:
        api.close()
    hostile.add("OS Maps ExceptionReport echoing the key (raw and URL-encoded)",
                refused="OS Maps API answered with an error" in message,
                leaked=leaked_into(message))
    assert "OS Maps API answered with an error" in message
    assert not leaked_into(message), message


def test_a_key_with_a_newline_is_not_printed_as_its_repr(hostile):
    key = "newline-key-0123\nsecond-half-4567"
    result = run_cli("http://127.0.0.1:9", "packages", key=key, env=ENV)
    hostile.add("CLI: a key with a newline (its repr in an error)", refused=result.returncode != 0,
                leaked="newline-key-0123" in result.stderr or "second-half-4567" in result.stderr)
    assert result.returncode != 0
    assert "newline-key-0123" not in result.stderr and "second-half-4567" not in result.stderr, (
        result.stderr)


@pytest.mark.parametrize("form", [
    lambda s: s, lambda s: quote(s, safe=""), lambda s: quote_plus(s), lambda s: repr(s),
    lambda s: quote(s, safe="").lower(), lambda s: json.dumps(s),
])
def test_redact_removes_every_form_of_a_secret(form):
    secret = "a key/with+odd=chars&\n\"'é"
    assert "key/with" not in redact(f"before {form(secret)} after", [secret])


@pytest.mark.parametrize("url", [
    "http://evil\\@api.os.uk/x", "http://127.0.0.1:1\\@127.0.0.1:2/", "http://user@api.os.uk/",
    "http://user:pw@api.os.uk/", "https://api.os.uk@evil/", "http://api.os.uk\t.evil/",
    "https://api.os.uk%2f@evil/", "ftp://api.os.uk/", "http:///x", "https://[::1/",
])
def test_ambiguous_urls_are_refused(url, hostile):
    refused = unsafe_reason(url) is not None and origin(url) is None
    hostile.add(f"URL checker: {url!r}", refused=refused)
    assert refused


def test_plain_origins_agree_with_urllib3():
    assert str(origin("HTTPS://API.os.uk/x?y")) == "https://api.os.uk:443"
    assert origin("https://api.os.uk:443/") == origin("https://api.os.uk/downloads")
    assert str(origin("http://[::1]:8080/")) == "http://[::1]:8080"
    assert origin("http://127.0.0.1:1/") != origin("http://127.0.0.1:2/")


def test_https_to_http_redirects_are_refused(hostile):
    refused = downgrade_reason("https://api.os.uk/x", "http://api.os.uk/y") is not None
    hostile.add("redirect https → http", refused=refused)
    assert refused
    assert downgrade_reason("https://api.os.uk/x", "https://blob.example/y") is None
    assert downgrade_reason("http://127.0.0.1:1/x", "http://127.0.0.1:2/y") is None


def test_a_plain_http_api_address_is_warned_about_unless_loopback(hostile):
    assert plain_http_warning("http://127.0.0.1:8080") is None
    assert plain_http_warning("http://localhost:8080") is None
    assert plain_http_warning("https://api.os.uk") is None
    assert plain_http_warning("http://api.example.org") is not None
    result = run_cli("http://192.0.2.1:9", "products", env={**ENV, "OS_API_TIMEOUT": "1",
                                                              "OS_API_RETRY_ATTEMPTS": "1"})
    warned = result.stderr.count("warning: The API address http://192.0.2.1:9 is plain http")
    hostile.add("CLI: a plain http:// API address that is not loopback",
                refused=warned == 1 and result.returncode == 6)
    assert warned == 1, result.stderr
    assert result.returncode == 6
