"""One path from a list of files to data ready to use: fetch → verify → unpack → import.

The command line, the dock's and the Browser's download task and the Processing algorithms all
run `Pipeline.run()`; what needs QGIS (planning layers, loading them on the main thread) is left
to them. The outcome, a `Delivery`, is reported the same way everywhere (`Delivery.summary`).

Downloading again what is there and verified is instant, unpacking included: a zip unpacked
before is not unpacked again while every file it gave is still there with its size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .cancel import CancelToken
from .download import DownloadEngine, DownloadItem, Progress
from .errors import CREATE_FOLDER, Cancelled, OSAPIError, local_file_error
from .importer import Imported, Importer, Store
from .models import safe_name
from .unpack import safe_unpack

# Percent of the whole given to downloading, unpacking and importing.
SHARES = (90.0, 10.0, 0.0)
SHARES_WITH_IMPORT = (70.0, 10.0, 20.0)
UNPACKED_SUFFIX = ".unpacked"
PACKAGES_FOLDER = "data-packages"  # beside the OpenData products' folders


# One folder name made of API-given names (product id, version, package name).


def product_folder(base: Path, product_id: str, version: str | None) -> Path:
    """Where an OS OpenData product's files go: `<base>/<product>/<version>`."""
    return Path(base) / safe_name(product_id) / safe_name(version or "latest")


def package_folder(base: Path, package_id: str, package_name: str | None, version_id: str,
                   product_version: str | None) -> Path:
    """Where a data package version's files go:
    `<base>/data-packages/<id name>/<version id product version>`."""
    return (Path(base) / PACKAGES_FOLDER / safe_name(package_id, package_name)
            / safe_name(version_id, product_version or ""))


# ----- the "already unpacked" record ------------------------------------------------------------


def _unpacked_marker(zip_path: Path) -> Path:
    return zip_path.with_name(zip_path.name + UNPACKED_SUFFIX)


def _zip_stamp(zip_path: Path) -> str:
    stat = zip_path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def is_unpacked(zip_path: Path, folder: Path) -> bool:
    """Whether this very zip was unpacked into `folder` already and every file it gave is still
    there with its size (a file deleted from the folder comes back)."""
    try:
        record = json.loads(_unpacked_marker(zip_path).read_text(encoding="utf-8"))
        if not folder.is_dir() or record.get("zip") != _zip_stamp(zip_path):
            return False
        files = record["files"]
        return bool(files) and all(
            (folder / name).stat().st_size == size for name, size in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # no record, an older one, or a file gone: unpack again


def mark_unpacked(zip_path: Path, folder: Path, files: Sequence[Path]) -> None:
    record = {"zip": _zip_stamp(zip_path),
              "files": {path.relative_to(folder).as_posix(): path.stat().st_size
                        for path in files}}
    _unpacked_marker(zip_path).write_text(json.dumps(record), encoding="utf-8")


# ----- what to do and what came of it -----------------------------------------------------------


@dataclass(frozen=True)
class Order:
    """What to fetch and what to do with it. `title` and `version` name the data (the layer
    group of the QGIS front ends)."""

    title: str
    version: str | None
    items: Sequence[DownloadItem]
    folder: Path
    unpack: bool = True
    store: Store | None = None  # import what was unpacked (None: leave the files as they are)
    dataset_id: str | None = None  # the product or package id (the GeoPackage's name)

    @property
    def import_name(self) -> str:
        """`<product>_<version>`: the name of the product's GeoPackage and VRTs."""
        version = safe_name(self.version or "latest")
        return f"{safe_name(self.dataset_id or self.title)}_{version}"

    @property
    def group_name(self) -> str:
        """"OS Open Roads (2024-04)": the layer group, the same from every front end."""
        return f"{self.title} ({self.version})" if self.version else self.title


@dataclass(frozen=True)
class Ready:
    """Data ready to use: an unpacked zip's folder (`files` None: all of it) or one file that
    was not a zip (`files` = [it])."""

    name: str
    folder: Path
    files: tuple[Path, ...] | None = None


@dataclass(frozen=True)
class FileFailure:
    file_name: str
    error: OSAPIError


@dataclass
class Delivery:
    """What became of an `Order`: files downloaded now and already there (both verified), the
    data ready to use, the files that failed and why."""

    order: Order
    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    ready: list[Ready] = field(default_factory=list)
    packed: list[Path] = field(default_factory=list)  # zips left as they are (no unpacking)
    imported: Imported | None = None
    failures: list[FileFailure] = field(default_factory=list)
    cancelled: bool = False

    @property
    def verified(self) -> list[Path]:
        return self.files + self.skipped

    def fail(self, file_name: str, error: OSAPIError) -> None:
        if isinstance(error, Cancelled):
            self.cancelled = True
        else:
            self.failures.append(FileFailure(file_name, error))



# ----- the pipeline -----------------------------------------------------------------------------

ProgressCallback = Callable[[float], None]
FileCallback = Callable[[Progress], None]


class Pipeline:
    """Runs orders with one download engine. `on_progress` gets the whole in percent,
    `on_file` each file's state as the engine reports it (both from worker threads)."""

    def __init__(
        self,
        engine: DownloadEngine,
        *,
        cancel: CancelToken | None = None,
        on_progress: ProgressCallback | None = None,
        on_file: FileCallback | None = None,
    ) -> None:
        self.engine = engine
        self.cancel = cancel or CancelToken()
        self.on_progress = on_progress or (lambda _percent: None)
        self.on_file = on_file or (lambda _progress: None)
        self._shares = SHARES

    def run(self, order: Order) -> Delivery:
        """Never raises an `OSAPIError`: failures, per file or for the whole order, are in the
        delivery (a folder that cannot be created fails every file)."""
        delivery = Delivery(order)
        self._shares = SHARES if order.store is None else SHARES_WITH_IMPORT
        try:
            self._download(order, delivery)
            if not delivery.cancelled:
                self._prepare(order, delivery)
            if order.store is not None and delivery.ready and not delivery.cancelled:
                self._import(order, delivery)
        except Cancelled:
            delivery.cancelled = True
        except OSAPIError as error:
            delivery.fail("", error)
        delivery.cancelled = delivery.cancelled or self.cancel.cancelled
        return delivery

    def _progress(self, progress: Progress) -> None:
        if progress.bytes_total:
            self.on_progress(self._shares[0] * progress.bytes_done / progress.bytes_total)
        self.on_file(progress)

    def _download(self, order: Order, delivery: Delivery) -> None:
        try:
            order.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file in the way, no permission, read-only, no space
            raise local_file_error(order.folder, error, CREATE_FOLDER) from None
        results = self.engine.download(
            list(order.items), order.folder, progress=self._progress, cancel=self.cancel)
        for result in results:
            if result.path is not None:
                (delivery.skipped if result.skipped else delivery.files).append(result.path)
            elif result.error is not None:
                delivery.fail(result.item.file_name, result.error)

    def _prepare(self, order: Order, delivery: Delivery) -> None:
        """Each verified file made ready: a zip unpacked (unless the order says not to), any
        other file as it is."""
        paths = delivery.verified
        for number, path in enumerate(paths):
            self.cancel.raise_if_cancelled()
            if path.suffix.lower() != ".zip":
                delivery.ready.append(Ready(path.stem, path.parent, (path,)))
            elif not order.unpack:
                delivery.packed.append(path)
            else:
                try:
                    delivery.ready.append(self._unpack(path))
                except Cancelled:
                    raise
                except OSAPIError as error:  # one damaged zip does not stop the others
                    delivery.fail(path.name, error)
            download, unpack, _import = self._shares
            self.on_progress(download + unpack * (number + 1) / len(paths))

    def _import(self, order: Order, delivery: Delivery) -> None:
        files = sorted({f for ready in delivery.ready for f in (
            ready.files if ready.files is not None else
            (p for p in ready.folder.rglob("*") if p.is_file()))})
        share = self._shares[2]
        importer = Importer(
            order.folder, order.import_name, order.dataset_id or order.title, order.version,
            order.store or Store.GEOPACKAGE, cancel=self.cancel, title=order.title,
            progress=lambda fraction: self.on_progress(100 - share + share * fraction))
        try:
            delivery.imported = importer.run(files)
        except Cancelled:
            raise
        except OSAPIError as error:
            delivery.fail(order.import_name, error)
        self.on_progress(100.0)

    def _unpack(self, path: Path) -> Ready:
        folder = path.with_suffix("")
        if not is_unpacked(path, folder):
            written = safe_unpack(path, folder, cancel=self.cancel)
            mark_unpacked(path, folder, written)
        return Ready(path.stem, folder)
