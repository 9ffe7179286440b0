"""Download, verify, unpack and plan layers in one QgsTask; add the layers when it finishes.

`run()` does the slow work off the main thread (the `api` engine and unpacker, GDAL file
inspection). `finished()`, on the main thread, creates the layers and reports.
"""

from __future__ import annotations

import json
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qgis.core import Qgis, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..api.cancel import CancelToken
from ..api.download import DownloadEngine, DownloadItem, Progress
from ..api.errors import CREATE_FOLDER, Cancelled, OSAPIError, local_file_error, redact
from ..api.unpack import safe_unpack
from .i18n import error_text, tr
from .layer_loader import add_layers
from .layer_plan import LayerSpec, disambiguate, plan_layers
from .log import log

DOWNLOAD_SHARE = 90.0  # percent of the task's progress bar given to downloading


def folder_name(*parts: str | None) -> str:
    """One folder name that every file system accepts, made of API-given names (product id,
    version, package name): never trusted as paths."""
    text = " ".join(p for p in parts if p)
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or "download"


def _unpacked_marker(zip_path: Path) -> Path:
    return zip_path.with_name(zip_path.name + ".unpacked")


def _zip_stamp(zip_path: Path) -> str:
    stat = zip_path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def is_unpacked(zip_path: Path, folder: Path) -> bool:
    """Whether this very zip was unpacked into `folder` already and every file it gave is still
    there with its size: downloading again what is there and verified should be instant,
    unpacking included, but a file deleted from the folder comes back."""
    try:
        record = json.loads(_unpacked_marker(zip_path).read_text(encoding="utf-8"))
        if not folder.is_dir() or record.get("zip") != _zip_stamp(zip_path):
            return False
        files = record["files"]
        return bool(files) and all(
            (folder / name).stat().st_size == size for name, size in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # no record, an older one, or a file gone: unpack again


def mark_unpacked(zip_path: Path, folder: Path, files: list[Path]) -> None:
    record = {"zip": _zip_stamp(zip_path),
              "files": {path.relative_to(folder).as_posix(): path.stat().st_size
                        for path in files}}
    _unpacked_marker(zip_path).write_text(json.dumps(record), encoding="utf-8")


@dataclass
class DownloadRequest:
    """What to fetch and what to do with it. `title` and `version` name the layer group."""

    title: str
    version: str | None
    items: list[DownloadItem]
    folder: Path
    unpack: bool = True
    load: bool = True


@dataclass
class DownloadOutcome:
    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    specs: list[LayerSpec] = field(default_factory=list)
    layers: list = field(default_factory=list)
    failed_layers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False


class DownloadTask(QgsTask):
    """One download request. Per-file progress goes out through `fileProgress` (queued to the
    main thread by Qt, since the task object lives there)."""

    fileProgress = pyqtSignal(str, int, int, str)  # file name, bytes done, bytes total, state

    def __init__(
        self,
        request: DownloadRequest,
        engine: DownloadEngine,
        on_finished: Callable[[DownloadTask], None] | None = None,
    ) -> None:
        super().__init__(tr("Downloading {0}").format(request.title), QgsTask.Flag.CanCancel)
        self.request = request
        self.engine = engine
        self.on_finished = on_finished
        self.cancel_token = CancelToken()
        self.outcome = DownloadOutcome()
        self.group_name = (
            f"{request.title} ({request.version})" if request.version else request.title
        )

    def cancel(self) -> None:
        self.cancel_token.cancel()
        super().cancel()

    # -- worker thread -----------------------------------------------------------------------
    def run(self) -> bool:
        try:
            self._download()
            if self.request.unpack or self.request.load:
                self._unpack_and_plan()
        except (Cancelled, InterruptedError):
            self.outcome.cancelled = True
        except OSAPIError as error:
            self.outcome.errors.append(error_text(error))
        except Exception as error:  # a bug must not take QGIS down; report it instead
            self.outcome.errors.append(
                tr("Unexpected error: {0}").format(redact(f"{type(error).__name__}: {error}", ()))
            )
        self.outcome.cancelled = self.outcome.cancelled or self.cancel_token.cancelled
        return not self.outcome.cancelled and not self.outcome.errors

    def _on_progress(self, progress: Progress) -> None:
        if progress.bytes_total:
            self.setProgress(DOWNLOAD_SHARE * progress.bytes_done / progress.bytes_total)
        file = progress.file
        self.fileProgress.emit(file.file_name, file.bytes_done, file.bytes_total or 0, file.state)

    def _download(self) -> None:
        try:
            self.request.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file in the way, no permission, read-only, no space
            raise local_file_error(self.request.folder, error, CREATE_FOLDER) from None
        results = self.engine.download(
            self.request.items, self.request.folder, progress=self._on_progress,
            cancel=self.cancel_token,
        )
        for result in results:
            if result.path is not None:
                (self.outcome.skipped if result.skipped else self.outcome.files).append(
                    result.path
                )
            elif isinstance(result.error, Cancelled):
                self.outcome.cancelled = True
            elif result.error is not None:
                message = error_text(result.error)
                name = result.item.file_name
                self.outcome.errors.append(message if name in message else f"{name}: {message}")

    def _unpack_and_plan(self) -> None:
        paths = self.outcome.files + self.outcome.skipped
        planned: list[tuple[str, list[LayerSpec]]] = []
        for number, path in enumerate(paths):
            self.cancel_token.raise_if_cancelled()
            try:
                specs = self._unpack_and_plan_one(path)
            except Cancelled:
                raise
            except OSAPIError as error:  # one damaged zip does not stop the others
                message = error_text(error)
                self.outcome.errors.append(
                    message if path.name in message else f"{path.name}: {message}")
                specs = None
            if specs is not None:
                planned.append((path.stem, specs))
            self.setProgress(DOWNLOAD_SHARE + (100 - DOWNLOAD_SHARE) * (number + 1) / len(paths))
        self.outcome.specs = disambiguate(planned)

    def _unpack_and_plan_one(self, path: Path) -> list[LayerSpec] | None:
        is_zip = path.suffix.lower() == ".zip"
        if is_zip and self.request.unpack:
            folder = path.with_suffix("")
            if not is_unpacked(path, folder):
                written = safe_unpack(path, folder, cancel=self.cancel_token)
                mark_unpacked(path, folder, written)
            files = None
        elif is_zip:
            self.outcome.notes.append(
                tr("{0} was not unpacked, so it was not added to the map.").format(path.name))
            return None
        else:
            files, folder = [path], path.parent
        if not self.request.load:
            return None
        return plan_layers(
            folder, self.request.title, lambda: self.cancel_token.cancelled, files=files)

    # -- main thread -------------------------------------------------------------------------
    def finished(self, result: bool) -> None:
        # No exception may leave finished(): QGIS would show its Python error dialog.
        if not result and not self.outcome.errors:
            self.outcome.cancelled = True  # e.g. cancelled while still queued: run() never ran
        try:
            if self.request.load and self.outcome.specs and not self.outcome.cancelled:
                layers, failed = add_layers(
                    self.outcome.specs, self.group_name, self.request.version
                )
                self.outcome.layers = layers
                self.outcome.failed_layers = failed
        except Exception as error:
            self.outcome.errors.append(
                tr("The layers could not be added: {0}").format(f"{type(error).__name__}: {error}"))
        try:
            if self.on_finished is not None:
                self.on_finished(self)
        except Exception:
            log(tr("A download could not report back: {0}").format(
                traceback.format_exc(limit=3)), Qgis.MessageLevel.Critical)
