"""QGIS's network settings reach `api`: the proxy (requests really go through it) and the
certificates QGIS trusts (system plus those added to its authentication database)."""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.network import qgis_ca_bundle, qgis_http_settings, qgis_proxies
from qgis.core import QgsApplication, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtNetwork import QSslCertificate


class ForwardProxy(BaseHTTPRequestHandler):
    """A plain HTTP forward proxy: GET with an absolute URL, passed on as it is."""

    seen: list[str] = []

    def do_GET(self) -> None:
        ForwardProxy.seen.append(self.path)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(self.path, headers={
            k: v for k, v in self.headers.items() if k.lower() not in {"host", "proxy-connection"}
        })
        try:
            with opener.open(request, timeout=10) as upstream:
                status, headers, body = upstream.status, upstream.headers, upstream.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ForwardProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ForwardProxy.seen = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture()
def qgis_proxy_settings():
    settings = QgsSettings()

    def use(enabled: bool, port: int = 0, user: str = "", password: str = "") -> None:
        settings.setValue("proxy/proxyEnabled", enabled)
        settings.setValue("proxy/proxyType", "HttpProxy")
        settings.setValue("proxy/proxyHost", "127.0.0.1")
        settings.setValue("proxy/proxyPort", str(port))
        settings.setValue("proxy/proxyUser", user)
        settings.setValue("proxy/proxyPassword", password)
        QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()

    yield use
    use(False)


def test_requests_go_through_the_proxy_set_in_qgis(qgis_proxy_settings, proxy, os_api,
                                                   monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    qgis_proxy_settings(True, proxy)
    assert qgis_proxies() == {"http": f"http://127.0.0.1:{proxy}",
                              "https": f"http://127.0.0.1:{proxy}"}
    with ApiContext().downloads_client() as client:
        products = client.products()
    assert products
    assert ForwardProxy.seen == [f"{os_api.url}/downloads/v1/products"]


def test_proxy_credentials_are_passed_encoded(qgis_proxy_settings):
    qgis_proxy_settings(True, 3128, "corp\\ann", "p@ss word")
    assert qgis_proxies()["https"] == "http://corp%5Cann:p%40ss%20word@127.0.0.1:3128"


def test_without_a_qgis_proxy_the_environment_or_direct_is_used(qgis_proxy_settings):
    qgis_proxy_settings(False)
    assert qgis_proxies() in (None, {})


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command")
def test_the_ca_bundle_holds_certificates_added_to_qgis(auth_db, tmp_path):
    # A corporate proxy's CA, as a user would add it in QGIS's authentication settings.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=Example Corp TLS Inspection CA", "-keyout", str(tmp_path / "ca.key"),
         "-out", str(tmp_path / "ca.pem")], check=True, capture_output=True)
    CERTIFICATE = (tmp_path / "ca.pem").read_text(encoding="ascii")
    manager = QgsApplication.authManager()
    (certificate,) = QSslCertificate.fromData(CERTIFICATE.encode())
    assert manager.storeCertAuthority(certificate)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()
    bundle = qgis_ca_bundle()
    assert isinstance(bundle, str)
    text = Path(bundle).read_text(encoding="ascii")
    assert CERTIFICATE.strip().splitlines()[1] in text
    assert text.count("BEGIN CERTIFICATE") > 1  # the system's CAs are there too
    assert qgis_http_settings().verify == bundle
    manager.removeCertAuthority(certificate)
