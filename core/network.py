"""QGIS's network settings, handed to `api` as an `HttpSettings`.

`requests` knows nothing of QGIS: without this, a user behind a corporate proxy or a
TLS-inspecting firewall (whose root CA is in the QGIS authentication database) could browse in
QGIS but not download. Read on the main thread; the result is an immutable value that tasks
carry into their worker threads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping
from urllib.parse import quote

from qgis.core import Qgis, QgsApplication, QgsNetworkAccessManager
from qgis.PyQt.QtNetwork import QNetworkProxy

from ..api.http import USER_AGENT, HttpSettings
from .i18n import tr
from .log import log
from .settings import plugin_data_dir

PLUGIN_USER_AGENT = f"{USER_AGENT} QGIS"

_PROXY_SCHEMES = {
    QNetworkProxy.ProxyType.HttpProxy: "http",
    QNetworkProxy.ProxyType.HttpCachingProxy: "http",
    QNetworkProxy.ProxyType.Socks5Proxy: "socks5h",
}


def _proxy_url(proxy: QNetworkProxy) -> str | None:
    scheme = _PROXY_SCHEMES.get(proxy.type())
    if scheme is None or not proxy.hostName():
        return None
    auth = ""
    if proxy.user():
        auth = quote(proxy.user(), safe="")
        if proxy.password():
            auth += ":" + quote(proxy.password(), safe="")
        auth += "@"
    port = f":{proxy.port()}" if proxy.port() else ""
    return f"{scheme}://{auth}{proxy.hostName()}{port}"


def qgis_proxies() -> Mapping[str, str] | None:
    """The proxy QGIS uses, as requests' `proxies`; None means "the environment's" (system)."""
    manager = QgsNetworkAccessManager.instance()
    proxy = manager.fallbackProxy()
    if proxy.type() in (QNetworkProxy.ProxyType.DefaultProxy,):
        return None
    if proxy.type() == QNetworkProxy.ProxyType.NoProxy:
        return {}
    url = _proxy_url(proxy)
    if url is None:
        return None
    return {"http": url, "https": url}


_written: dict[str, str] = {}  # bundle path -> the text last written there


def qgis_ca_bundle() -> bool | str:
    """A CA bundle of every certificate QGIS trusts (system + authentication database).

    Written to the plugin's data folder (public certificates only). True (requests' default)
    when QGIS lists none.
    """
    try:
        certs = QgsApplication.authManager().trustedCaCertsCache()
    except Exception:  # auth system unavailable (e.g. disabled): fall back to system CAs
        return True
    pems = [bytes(cert.toPem()).decode("ascii", "ignore") for cert in certs]
    pems = [pem for pem in pems if "BEGIN CERTIFICATE" in pem]
    if not pems:
        return True
    path = Path(plugin_data_dir()) / "trusted-ca-bundle.pem"
    text = "".join(pem if pem.endswith("\n") else pem + "\n" for pem in pems)
    if _written.get(str(path)) == text and path.exists():
        return str(path)  # every task asks: no file I/O on the main thread when unchanged
    try:
        if not path.exists() or path.read_text(encoding="ascii", errors="ignore") != text:
            tmp = path.with_suffix(".pem.tmp")
            tmp.write_text(text, encoding="ascii")
            tmp.replace(path)
        _written[str(path)] = text
    except OSError as error:  # a read-only profile: the system's CAs still work
        log(tr("The trusted certificates could not be written to {0}: {1}").format(path, error),
            Qgis.MessageLevel.Warning)
        return True
    return str(path)


def qgis_http_settings() -> HttpSettings:
    """Proxy, timeout and trusted CAs as QGIS has them now (call on the main thread)."""
    timeout_ms = QgsNetworkAccessManager.timeout()
    timeout = max(5.0, timeout_ms / 1000.0) if timeout_ms and timeout_ms > 0 else 60.0
    return HttpSettings(
        timeout=timeout,
        proxies=qgis_proxies(),
        verify=qgis_ca_bundle(),
        user_agent=PLUGIN_USER_AGENT,
    )
