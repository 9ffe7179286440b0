"""`python3 -m api`: the OS Downloads API from the command line.

The command and option names are a public interface: scripts depend on them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, Callable, Dict, List, Sequence, Set, TextIO, Tuple

from . import __version__
from .auth import SECRET_HINT, Auth, auth_from
from .cancel import CancelToken
from .client import normalise_area
from .clients import RETRY_DEFAULT, ApiConnection
from .download import (
    DEFAULT_WORKERS,
    FINISHED_STATES,
    DownloadItem,
    Progress,
)
from .errors import (
    SETTINGS_HINT,
    AuthenticationError,
    Cancelled,
    IntegrityError,
    LocalFileError,
    NotFoundError,
    OSAPIError,
    redact,
    redact_data,
)
from .http import HttpSettings, RetryPolicy
from .importer import Imported, Store, gdal_available
from .models import PackageDownload, Product, ProductDownload, human_size
from .pipeline import FileFailure, Order, Pipeline
from .ratelimit import DEVELOPMENT_PROJECT_RPM, LIVE_PROJECT_RPM, RateLimiter
from .transport import DEFAULT_BASE_URL
from .urls import plain_http_warning
from .wmts import layers_table_rows

PROG = "python3 -m api"
# Each exit code is written once, as the `exit_code` of its error (api.errors); these names
# and the --help text are read from there.
EXIT_OK = 0
EXIT_LOCAL = LocalFileError.exit_code
EXIT_USAGE = 2  # argparse's own, for usage errors (and UsageError)
EXIT_AUTH = AuthenticationError.exit_code
EXIT_NOT_FOUND = NotFoundError.exit_code
EXIT_INTEGRITY = IntegrityError.exit_code
EXIT_FAILURE = OSAPIError.exit_code
EXIT_INTERRUPTED = Cancelled.exit_code

NEEDS_KEY = "data packages need an OS Data Hub API key: pass --key or set OS_API_KEY"
NEEDS_MAPS_KEY = "OS Maps needs an OS Data Hub API key: pass --key or set OS_API_KEY"
NO_PACKAGES = (
    "no data packages yet: data packages must be ordered on the OS Data Hub first "
    "(https://osdatahub.os.uk, Data packages), then they are listed here"
)

EPILOG = f"""\
environment:
  OS_API_BASE_URL          the API root instead of {DEFAULT_BASE_URL} (--base-url)
  OS_API_KEY, OS_API_SECRET  the project's API key and secret (--key, --secret)
  OS_API_TIMEOUT           seconds to wait for an answer (default 60)
  OS_API_RETRY_ATTEMPTS    tries per request, the first included (default 5)
  OS_API_RETRY_BASE_DELAY  first backoff delay in seconds, doubled each retry (default 1)
  OS_API_RETRY_MAX_DELAY   longest backoff delay in seconds (default 60)

  OS_API_DEBUG             set to show a traceback on an unexpected error

exit codes:
  {EXIT_OK} success, {EXIT_LOCAL} local or unexpected error (disk, permissions), {EXIT_USAGE} usage,
  {EXIT_AUTH} key refused or no rights (401/403), {EXIT_NOT_FOUND} not found, \
{EXIT_INTEGRITY} damaged download or unsafe zip,
  {EXIT_FAILURE} network or server failure (after retries), {EXIT_INTERRUPTED} interrupted
"""


class UsageError(Exception):
    """A bad value in the environment, reported like argparse's own usage errors."""


# ----- output helpers -----


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Rows aligned under their headers; columns listed in `right` are right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers)] + [line(row) for row in rows])


def _listing(names: Sequence[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def _format_label(fmt: str | None, subformat: str | None) -> str:
    if not fmt:
        return "?"
    return f"{fmt} / {subformat}" if subformat else fmt


class Console:
    """stdout for results, stderr for progress and the one `error:` line. Everything printed is
    redacted: the API may echo the key into the URLs of a listing."""

    def __init__(self, quiet: bool, out: TextIO, err: TextIO,
                 secrets: Callable[[], Sequence[str]] = tuple) -> None:
        self.quiet = quiet
        self.out = out
        self.err = err
        self.secrets = secrets

    def result(self, text: str) -> None:
        print(redact(text, self.secrets()), file=self.out, flush=True)

    def json(self, data: Any) -> None:
        data = redact_data(data, self.secrets())
        print(json.dumps(data, indent=2, ensure_ascii=False), file=self.out, flush=True)

    def note(self, text: str) -> None:
        if not self.quiet:
            print(redact(text, self.secrets()), file=self.err, flush=True)

    def warn(self, text: str) -> None:
        """A warning on stderr, even with --quiet."""
        print(f"warning: {redact(text, self.secrets())}", file=self.err, flush=True)


# ----- the parser -----


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not '{raw}'") from None
    if value < 0:
        raise UsageError(f"{name} must not be negative")
    return value


def _area(value: str) -> str:
    try:
        return normalise_area(value)
    except OSAPIError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _connection_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """Options accepted before and after the command. After it, their default is SUPPRESS so
    that they do not overwrite what was given before it."""

    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help=f"the API root (default: $OS_API_BASE_URL or {DEFAULT_BASE_URL})",
    )
    group.add_argument(
        "--key", default=default(None), help="the project's API key (default: $OS_API_KEY)"
    )
    group.add_argument(
        "--secret",
        default=default(None),
        help="the project's secret: use OAuth 2 bearer tokens (default: $OS_API_SECRET)",
    )
    group.add_argument(
        "--rate-limit",
        metavar="N",
        type=_positive,
        default=default(LIVE_PROJECT_RPM),
        help=(
            f"requests a minute at most (default {LIVE_PROJECT_RPM}; "
            f"{DEVELOPMENT_PROJECT_RPM} for development projects)"
        ),
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="no progress or notes on stderr",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="List and download OS Data Hub products and data packages.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _connection_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def command(name: str, help_text: str, listing: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _connection_options(sub, top=False)
        if listing:
            sub.add_argument(
                "--json", action="store_true", help="print the API's own JSON instead of a table"
            )
        return sub

    def filters(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--area",
            action="append",
            default=[],
            type=_area,
            metavar="A",
            help="GB or a 100 km National Grid square such as SU (repeatable)",
        )
        sub.add_argument("--format", metavar="F", help="exact format name, e.g. 'GeoPackage'")
        sub.add_argument("--subformat", metavar="S", help="exact subformat, e.g. '(MBTiles)'")

    def download_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--dest",
            required=True,
            type=Path,
            metavar="DIR",
            help="folder to write the files to (created if missing)",
        )
        sub.add_argument(
            "--file",
            action="append",
            default=[],
            metavar="NAME",
            help="download only the file with this name (repeatable)",
        )
        sub.add_argument(
            "--unpack",
            action="store_true",
            help="also unpack each zip into DIR/<file name without .zip>/",
        )
        sub.add_argument(
            "--import",
            dest="store",
            choices=[store.value for store in Store],
            default=None,
            help="unpack, then make the data ready for a GIS (needs GDAL's Python bindings): "
            "'geopackage' imports the vector data into one GeoPackage, DIR/<product>_<version>"
            ".gpkg, one table per theme; 'files' keeps the files, with one OGR VRT per theme "
            "that has several; rasters become VRT mosaics either way",
        )
        sub.add_argument(
            "--workers",
            type=_positive,
            default=DEFAULT_WORKERS,
            metavar="N",
            help=f"files downloaded at once (default {DEFAULT_WORKERS})",
        )

    command("products", "list OpenData products", listing=True)
    sub = command("product", "one product's details", listing=True)
    sub.add_argument("product_id", metavar="PRODUCT_ID")
    sub = command("downloads", "list a product's files", listing=True)
    sub.add_argument("product_id", metavar="PRODUCT_ID")
    filters(sub)
    sub = command("download", "download a product's files")
    sub.add_argument("product_id", metavar="PRODUCT_ID")
    filters(sub)
    download_options(sub)
    command("packages", "list data packages (needs a key)", listing=True)
    sub = command("package", "one data package's details (needs a key)", listing=True)
    sub.add_argument("package_id", metavar="PACKAGE_ID")
    sub = command("versions", "list a data package's versions (needs a key)", listing=True)
    sub.add_argument("package_id", metavar="PACKAGE_ID")
    sub = command("version", "one version and its files (needs a key)", listing=True)
    sub.add_argument("package_id", metavar="PACKAGE_ID")
    sub.add_argument("version_id", metavar="VERSION_ID", help="a version id or 'latest'")
    sub = command("download-package", "download a data package version (needs a key)")
    sub.add_argument("package_id", metavar="PACKAGE_ID")
    sub.add_argument("version_id", metavar="VERSION_ID", help="a version id or 'latest'")
    download_options(sub)
    command("basemaps", "list the OS Maps API (WMTS) layers (needs a key)", listing=True)
    return parser


# ----- running a command -----


class Context:
    """What every command needs: the connection (`api.clients.ApiConnection`) built from the
    options and the environment, its Downloads API client, and the cancel token."""

    def __init__(self, args: argparse.Namespace, console: Console) -> None:
        self.args = args
        self.console = console
        env = os.environ
        self.base_url = (args.base_url or env.get("OS_API_BASE_URL") or DEFAULT_BASE_URL).strip()
        self.key = (args.key if args.key is not None else env.get("OS_API_KEY", "")).strip()
        self.secret = (
            args.secret if args.secret is not None else env.get("OS_API_SECRET", "")
        ).strip()
        http = HttpSettings(timeout=_env_float("OS_API_TIMEOUT", 60.0))
        default = RETRY_DEFAULT
        base_delay = _env_float("OS_API_RETRY_BASE_DELAY", default.base_delay)
        retry = RetryPolicy(
            attempts=max(1, int(_env_float("OS_API_RETRY_ATTEMPTS", default.attempts))),
            base_delay=base_delay,
            max_delay=max(base_delay, _env_float("OS_API_RETRY_MAX_DELAY", default.max_delay)),
        )
        self.cancel = CancelToken()
        self.connection = ApiConnection(
            base_url=self.base_url,
            auth=auth_from(self.key, self.secret, self.base_url, http),
            http=http,
            retry=retry,
            rate_limiter=RateLimiter(args.rate_limit),
            workers=getattr(args, "workers", DEFAULT_WORKERS),  # download commands only
        )
        self.auth: Auth = self.connection.auth
        self.client = self.connection.downloads_client(self.cancel)
        console.secrets = self.secrets
        warning = plain_http_warning(self.base_url)
        if warning is not None:
            console.warn(warning)

    def secrets(self) -> Tuple[str, ...]:
        return tuple(s for s in (self.key, self.secret, *self.auth.secrets()) if s)

    def require_key(self) -> None:
        if not self.key:
            raise AuthenticationError(NEEDS_KEY)


def _cmd_products(s: Context) -> int:
    products = s.client.products()
    if s.args.json:
        s.console.json([p.raw for p in products])
        return EXIT_OK
    rows = [[p.id, p.version or "", p.name] for p in products]
    s.console.result(table(["ID", "VERSION", "NAME"], rows))
    return EXIT_OK


def _cmd_product(s: Context) -> int:
    product = s.client.product(s.args.product_id)
    if s.args.json:
        s.console.json(product.raw)
        return EXIT_OK
    fields: List[Tuple[str, str]] = [
        ("id", product.id),
        ("name", product.name),
        ("version", product.version or ""),
        ("category", product.category or ", ".join(product.categories)),
        ("data", ", ".join(product.data_structures)),
        ("formats", "; ".join(f.label() for f in product.formats)),
        ("areas", " ".join(product.areas)),
        ("images", str(product.image_count) if product.image_count is not None else ""),
        ("documentation", product.documentation_url or ""),
        ("end of life", product.end_of_life or ""),
        ("warning", product.warning or ""),
    ]
    width = max(len(name) for name, _ in fields)
    lines = [f"{name + ':':<{width + 1}} {value}" for name, value in fields if value]
    if product.description:
        lines += ["", product.description]
    s.console.result("\n".join(lines))
    return EXIT_OK


def _product_downloads(s: Context) -> List[ProductDownload]:
    """The files matching the filters, or NotFoundError listing what the product offers."""
    args = s.args
    filtered = bool(args.area or args.format or args.subformat)
    try:
        downloads = s.client.product_downloads(
            args.product_id, areas=args.area, format=args.format, subformat=args.subformat
        )
    except NotFoundError:
        if not filtered:
            raise
        downloads = []
    if downloads:
        return downloads
    product: Product | None = s.client.product(args.product_id) if filtered else None
    wanted = []
    if args.area:
        wanted.append(f"area {', '.join(args.area)}")
    if args.format or args.subformat:
        wanted.append(f"format '{_format_label(args.format, args.subformat)}'")
    if product is None:
        raise NotFoundError(f"product '{args.product_id}' has no files to download.")
    formats = ", ".join(f"'{f.label()}'" for f in product.formats) or "none listed"
    raise NotFoundError(
        f"product '{product.id}' has no files for {' in '.join(wanted)}: its formats are "
        f"{formats} (give --format and --subformat, the part after ' / ', exactly as written); "
        f"its areas are "
        f"{' '.join(product.areas) or 'none listed'}."
    )


def _cmd_downloads(s: Context) -> int:
    downloads = _product_downloads(s)
    if s.args.json:
        s.console.json([d.raw for d in downloads])
        return EXIT_OK
    rows = [
        [
            d.file_name,
            d.area or "",
            _format_label(d.format, d.subformat),
            human_size(d.size),
            d.md5 or "",
        ]
        for d in downloads
    ]
    s.console.result(table(["FILE", "AREA", "FORMAT", "SIZE", "MD5"], rows, right=[3]))
    total = sum(d.size or 0 for d in downloads)
    s.console.note(f"{len(downloads)} file(s), {human_size(total)}")
    return EXIT_OK


def _pick_files(
    names: Sequence[str], wanted: Sequence[str], where: str, hint: str = ""
) -> List[str]:
    """The names asked for with --file (exact, else ignoring case), or NotFoundError."""
    if not wanted:
        return list(names)
    picked: List[str] = []
    for name in wanted:
        match = [n for n in names if n == name] or [
            n for n in names if n.casefold() == name.casefold()
        ]
        if not match:
            raise NotFoundError(
                f"no file named '{name}' in {where}: the files are {_listing(sorted(names))}{hint}."
            )
        picked.extend(m for m in match if m not in picked)
    return picked


def _note_doubts(s: Context, downloads: Sequence[ProductDownload | PackageDownload]) -> None:
    """Say which listed md5s and sizes are unusable (they are treated as unknown)."""
    for download in downloads:
        for doubt in download.doubts:
            s.console.note(f"note: {download.file_name}: {doubt}.")


def _cmd_download(s: Context) -> int:
    downloads = _product_downloads(s)
    where = f"product '{s.args.product_id}'"
    hint = "" if s.args.area else " (narrow the list with --area and --format)"
    names = _pick_files([d.file_name for d in downloads], s.args.file, where, hint)
    by_name = {d.file_name: d for d in downloads}
    _note_doubts(s, [by_name[name] for name in names])
    items = [by_name[name].to_item() for name in names]
    version = s.client.product(s.args.product_id).version if s.args.store else None
    return _run_downloads(s, items, s.args.product_id, version)


def _cmd_download_package(s: Context) -> int:
    s.require_key()
    args = s.args
    detail = s.client.data_package_version(args.package_id, args.version_id)
    where = f"version '{detail.id}' of data package '{args.package_id}'"
    if not detail.downloads:
        raise NotFoundError(f"{where} has no files to download.")
    names = _pick_files([d.file_name for d in detail.downloads], args.file, where)
    by_name = {d.file_name: d for d in detail.downloads}
    _note_doubts(s, [by_name[name] for name in names])
    # Resolve `latest` once so that every file comes from the same version.
    items = [by_name[name].to_item(s.client.package_file_url(args.package_id, detail.id, name))
             for name in names]
    return _run_downloads(s, items, args.package_id, detail.id)


_ERROR_RANK = {EXIT_INTERRUPTED: 0, EXIT_AUTH: 1, EXIT_INTEGRITY: 2, EXIT_NOT_FOUND: 3}


def _run_downloads(s: Context, items: Sequence[DownloadItem], title: str,
                   version: str | None) -> int:
    """The shared pipeline (`api.pipeline`): fetch, verify and, with --unpack, unpack (a zip
    unpacked before and still complete is not unpacked again)."""
    engine = s.connection.download_engine()
    store = Store(s.args.store) if s.args.store else None
    if store is not None:
        gdal_available()  # before downloading: GdalMissing says what to do
    reporter = ProgressReporter(s.console)
    order = Order(title, version, list(items), s.args.dest, unpack=s.args.unpack or bool(store),
                  store=store, dataset_id=title)
    with _cancel_on_sigint(s.cancel):
        delivery = Pipeline(engine, cancel=s.cancel, on_file=reporter).run(order)
    reporter.finish()

    for path in delivery.verified:
        s.console.result(str(path))
    for ready in delivery.ready:
        if ready.files is None:
            s.console.result(str(ready.folder))
        elif s.args.unpack:
            s.console.note(f"not a zip, not unpacked: {ready.files[0].name}")
    _print_imported(s, delivery.imported)
    if delivery.cancelled:
        raise Cancelled(
            "interrupted: the partial downloads were kept (.part files); run the same "
            "command again to resume them."
        )
    if delivery.failures:

        def rank(failure: FileFailure) -> int:
            return _ERROR_RANK.get(failure.error.exit_code, 9)

        worst = min(delivery.failures, key=rank)
        error = worst.error
        count = len(delivery.failures)
        prefix = f"{count} of {len(items)} files failed; " if count > 1 else ""
        name = f"{worst.file_name}: " if worst.file_name else ""
        raise type(error)(f"{prefix}{name}{error}", status=error.status)
    return EXIT_OK


def _print_imported(s: Context, imported: Imported | None) -> None:
    """The GeoPackage (or the VRTs), and what was left out and why."""
    if imported is None:
        return
    if imported.geopackage is not None and imported.vectors:
        s.console.result(str(imported.geopackage))
        state = "already there" if imported.reused else "imported"
        for layer in imported.vectors:
            s.console.note(f"{state}: {layer.layer} ({layer.name}, {layer.features} features)")
    for layer in imported.vectors:
        if layer.path != imported.geopackage:
            s.console.result(f"{layer.path}|layername={layer.layer}")
    for raster in imported.rasters:
        s.console.result(str(raster.path))
    for path in imported.tiles:
        s.console.result(str(path))
    for path, why in imported.left_out:
        s.console.note(f"left out: {path.name}: {why}")
    if imported.empty:
        s.console.note("nothing in these files could be imported: no vector, raster or tile "
                       "data was found")


class _cancel_on_sigint:
    """While downloading, the first Ctrl-C cancels the token (workers stop, .part files stay);
    a second one interrupts at once."""

    def __init__(self, cancel: CancelToken) -> None:
        self.cancel = cancel
        self.previous: Any = None
        self.installed = False

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.cancel.cancelled:
            raise KeyboardInterrupt
        self.cancel.cancel()

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handler)
            self.installed = True

    def __exit__(self, *exc_info: object) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.previous)


class ProgressReporter:
    """One line on stderr per finished file; on a terminal also a live bar (overall and current
    file bytes) below them."""

    WIDTH = 24

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = not console.quiet and console.err.isatty()
        self.reported: Set[str] = set()
        self.bar = ""

    def __call__(self, progress: Progress) -> None:
        if self.console.quiet:
            return
        file = progress.file
        if file.state in FINISHED_STATES and file.file_name not in self.reported:
            self.reported.add(file.file_name)
            self._clear()
            size = human_size(file.bytes_total if file.bytes_total is not None else file.bytes_done)
            self.console.note(
                f"{file.state}: {file.file_name} ({size}) "
                f"[{progress.files_done}/{progress.files_total}]"
            )
        if self.live:
            self._draw(progress)

    def _draw(self, progress: Progress) -> None:
        total = progress.bytes_total
        ratio = min(1.0, progress.bytes_done / total) if total else 0.0
        bar = ("#" * int(ratio * self.WIDTH)).ljust(self.WIDTH, ".")
        file = progress.file
        current = ""
        if file.state not in FINISHED_STATES:
            file_ratio = min(1.0, file.bytes_done / file.bytes_total) if file.bytes_total else 0.0
            current = f"  {file.file_name[:32]} {file_ratio:4.0%}"
        self.bar = (
            f"[{bar}] {ratio:4.0%} {human_size(progress.bytes_done)} of {human_size(total)}, "
            f"file {min(progress.files_done + 1, progress.files_total)}/{progress.files_total}"
            f"{current}"
        )
        self.console.err.write("\r" + redact(self.bar, self.console.secrets()) + "\x1b[K")
        self.console.err.flush()

    def _clear(self) -> None:
        if self.bar:
            self.console.err.write("\r\x1b[K")
            self.bar = ""

    def finish(self) -> None:
        self._clear()
        self.console.err.flush()


def _cmd_packages(s: Context) -> int:
    s.require_key()
    packages = s.client.data_packages()
    if s.args.json:
        s.console.json([p.raw for p in packages])
    elif packages:
        rows = [
            [
                p.id,
                p.name,
                p.product_name or p.product_id or "",
                p.created_on or "",
                str(len(p.versions)),
            ]
            for p in packages
        ]
        s.console.result(table(["ID", "NAME", "PRODUCT", "CREATED", "VERSIONS"], rows, [4]))
    if not packages:
        print(NO_PACKAGES, file=s.console.err, flush=True)
    return EXIT_OK


def _version_rows(versions: Sequence[Any]) -> str:
    rows = [
        [
            v.id,
            v.created_on or "",
            v.reason or "",
            v.supply_type or "",
            v.product_version or "",
            v.format or "",
        ]
        for v in versions
    ]
    return table(["VERSION", "CREATED", "REASON", "SUPPLY", "PRODUCT VERSION", "FORMAT"], rows)


def _cmd_package(s: Context) -> int:
    s.require_key()
    package = s.client.data_package(s.args.package_id)
    if s.args.json:
        s.console.json(package.raw)
        return EXIT_OK
    lines = [
        f"id:       {package.id}",
        f"name:     {package.name}",
        f"product:  {package.product_name or ''} ({package.product_id or '?'})",
        f"created:  {package.created_on or ''}",
        "",
        _version_rows(package.versions) if package.versions else "no versions",
    ]
    s.console.result("\n".join(lines))
    return EXIT_OK


def _cmd_versions(s: Context) -> int:
    s.require_key()
    versions = s.client.data_package_versions(s.args.package_id)
    if s.args.json:
        s.console.json([v.raw for v in versions])
    else:
        s.console.result(_version_rows(versions))
    return EXIT_OK


def _cmd_version(s: Context) -> int:
    s.require_key()
    detail = s.client.data_package_version(s.args.package_id, s.args.version_id)
    if s.args.json:
        s.console.json(detail.raw)
        return EXIT_OK
    rows = [[d.file_name, human_size(d.size), d.md5 or ""] for d in detail.downloads]
    lines = [
        _version_rows([detail]),
        "",
        table(["FILE", "SIZE", "MD5"], rows, right=[1]) if rows else "no files",
    ]
    s.console.result("\n".join(lines))
    return EXIT_OK


def _cmd_basemaps(s: Context) -> int:
    if not s.key:
        raise AuthenticationError(NEEDS_MAPS_KEY)
    with s.connection.maps_client(s.key, s.cancel) as client:
        capabilities = client.capabilities()
    if s.args.json:
        s.console.json([layer.summary() for layer in capabilities.layers])
        return EXIT_OK
    headers = ["ID", "STYLE", "CRS", "TILE MATRIX SET", "ZOOM", "PREMIUM FROM", "FORMATS"]
    s.console.result(table(headers, layers_table_rows(capabilities.layers)))
    s.console.note(f"{len(capabilities.layers)} layer(s)")
    return EXIT_OK


COMMANDS: Dict[str, Callable[[Context], int]] = {
    "products": _cmd_products,
    "product": _cmd_product,
    "downloads": _cmd_downloads,
    "download": _cmd_download,
    "packages": _cmd_packages,
    "package": _cmd_package,
    "versions": _cmd_versions,
    "version": _cmd_version,
    "download-package": _cmd_download_package,
    "basemaps": _cmd_basemaps,
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: List[str] | None = None) -> int:
    """Run one command; the exit code is returned (see --help)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    secrets: Tuple[str, ...] = tuple(
        s.strip()
        for s in (
            args.key,
            args.secret,
            os.environ.get("OS_API_KEY"),
            os.environ.get("OS_API_SECRET"),
        )
        if s and s.strip()
    )
    console = Console(args.quiet, sys.stdout, sys.stderr, lambda: secrets)
    session: Context | None = None
    try:
        session = Context(args, console)
        return COMMANDS[args.command](session)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        _fail(f"{exc}", secrets)
        return EXIT_USAGE
    except OSAPIError as exc:
        if session is not None:
            secrets += session.secrets()
        message = str(exc)
        if message and message[0].isupper() and not message[:2].isupper():
            message = message[0].lower() + message[1:]
        _fail(message, secrets)
        return exc.exit_code
    except KeyboardInterrupt:
        _fail("interrupted.", secrets)
        return EXIT_INTERRUPTED
    except OSError as exc:  # the local disk: full, read-only, no permission
        _fail(f"{exc.strerror or exc}: {exc.filename or ''}", secrets)
        return EXIT_LOCAL
    except Exception as exc:
        if os.environ.get("OS_API_DEBUG"):
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (set OS_API_DEBUG=1 to see where)", secrets)
        return EXIT_LOCAL
    finally:
        if session is not None:
            session.client.close()
            session.auth.close()


def _fail(message: str, secrets: Sequence[str]) -> None:
    # The shared messages point at the plugin's settings; here the key comes from options.
    message = message.replace(
        SECRET_HINT, "check --key and --secret (or OS_API_KEY, OS_API_SECRET)"
    )
    message = message.replace(SETTINGS_HINT, "check --key (or OS_API_KEY)")
    print(f"error: {_one_line(redact(message, secrets))}", file=sys.stderr, flush=True)


__all__ = ["build_parser", "main", "human_size", "table"]
