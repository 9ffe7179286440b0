"""The settings page's "Test" button: which OS Data Hub services the given credentials open.

Runs inside a task (it makes HTTP calls) with a connection the settings page took from
`ApiContext.connection(retry=RETRY_QUICK)`; the answer says plainly what works and what the
user can do about what does not. Messages never contain the key or secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..api.auth import NoAuth
from ..api.cancel import CancelToken
from ..api.clients import ApiConnection
from ..api.errors import AuthenticationError, OSAPIError, PermissionDeniedError
from ..api.wmts import PREMIUM_AVAILABLE, PREMIUM_UNAVAILABLE
from .credentials import Credentials
from .i18n import error_text, tr


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
    connection: ApiConnection, credentials: Credentials, cancel: CancelToken
) -> CredentialReport:
    """Try OpenData (no key needed), data packages (key) and OS Maps (key) at the connection's
    address, with `credentials` (those typed in, maybe not saved yet)."""
    report = CredentialReport()
    with connection.with_auth(NoAuth()).downloads_client(cancel) as client:
        try:
            count = len(client.products())
            report.checks.append(ServiceCheck(
                tr("OS OpenData"), True,
                tr("reachable, {0} products (no key needed)").format(count)))
        except OSAPIError as error:
            report.checks.append(ServiceCheck(tr("OS OpenData"), False, error_text(error)))

    signed_in = connection.signed_in(credentials.key, credentials.secret)
    try:
        with signed_in.downloads_client(cancel) as client:
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
    finally:
        signed_in.auth.close()  # an OAuth 2 auth holds a session for its token requests

    try:
        with connection.maps_client(credentials.key, cancel) as maps:
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
