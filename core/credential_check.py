"""The settings page's "Test" button: which OS Data Hub services the given credentials open.

Runs inside a task (it makes HTTP calls); the answer says plainly what works and what the user
can do about what does not. Messages never contain the key or secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..api.auth import auth_from
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.errors import AuthenticationError, OSAPIError, PermissionDeniedError
from ..api.http import HttpSettings, RetryPolicy
from ..api.wmts import PREMIUM_AVAILABLE, PREMIUM_UNAVAILABLE, MapsClient
from .credentials import Credentials
from .i18n import error_text, tr

QUICK_RETRY = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)


@dataclass
class ServiceCheck:
    service: str
    ok: bool
    message: str


@dataclass
class CredentialReport:
    checks: list[ServiceCheck] = field(default_factory=list)

    @property
    def key_works(self) -> bool:
        return any(check.ok for check in self.checks[1:])

    def text(self) -> str:
        return "\n".join(
            ("✔ " if check.ok else "✘ ") + f"{check.service}: {check.message}"
            for check in self.checks
        )


def _failure(error: OSAPIError) -> str:
    if isinstance(error, AuthenticationError):
        return tr("the key (or secret) was refused (401): check that you copied the project's "
                  "key from the OS Data Hub, without spaces.")
    if isinstance(error, PermissionDeniedError):
        return tr("the key works but this project has no access to this API (403): add the API "
                  "to the project on the OS Data Hub.")
    return error_text(error)


def check_credentials(
    base_url: str, credentials: Credentials, http: HttpSettings, cancel: CancelToken
) -> CredentialReport:
    """Try OpenData (no key needed), data packages (key) and OS Maps (key)."""
    report = CredentialReport()
    with DownloadsClient(base_url, http=http, retry=QUICK_RETRY, cancel=cancel) as client:
        try:
            count = len(client.products())
            report.checks.append(ServiceCheck(
                tr("OS OpenData"), True,
                tr("reachable, {0} products (no key needed)").format(count)))
        except OSAPIError as error:
            report.checks.append(ServiceCheck(tr("OS OpenData"), False, error_text(error)))

    auth = auth_from(credentials.key, credentials.secret, base_url, http)
    with DownloadsClient(base_url, auth=auth, http=http, retry=QUICK_RETRY,
                         cancel=cancel) as client:
        try:
            packages = client.data_packages()
            message = (
                tr("the key works: {0} data packages").format(len(packages)) if packages else
                tr("the key works; no data packages yet (order them on the OS Data Hub)")
            )
            if credentials.secret:
                message += " " + tr("(signed in with OAuth 2)")
            report.checks.append(ServiceCheck(tr("Data packages"), True, message))
        except OSAPIError as error:
            report.checks.append(ServiceCheck(tr("Data packages"), False, _failure(error)))

    try:
        with MapsClient(base_url, credentials.key, http=http, retry=QUICK_RETRY,
                        cancel=cancel) as maps:
            capabilities, premium = maps.capabilities_and_plan()
            plan = {
                PREMIUM_AVAILABLE: tr("premium zoom levels included"),
                PREMIUM_UNAVAILABLE: tr("open zoom levels (no premium plan)"),
            }.get(premium, tr("premium access unknown"))
            report.checks.append(ServiceCheck(
                tr("OS Maps basemaps"), True,
                tr("the key works: {0} layers, {1}").format(len(capabilities.layers), plan)))
    except OSAPIError as error:
        report.checks.append(ServiceCheck(tr("OS Maps basemaps"), False, _failure(error)))
    return report
