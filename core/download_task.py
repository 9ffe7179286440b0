"""The shared download pipeline (`api.pipeline`) in a QgsTask, with the layers planned from
what it made ready; the layers are added when the task finishes, on the main thread.

`run()` does the slow work off the main thread (fetch, verify, unpack, GDAL file inspection).
`finished()`, on the main thread, creates the layers and reports.
"""

from __future__ import annotations

import traceback
from typing import Callable

from qgis.core import Qgis, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..api.cancel import CancelToken
from ..api.download import DownloadEngine, Progress
from ..api.errors import Cancelled, OSAPIError, redact
from ..api.pipeline import Delivery, Pipeline
from .downloads import DownloadOutcome, DownloadRequest, plan
from .i18n import error_text, tr
from .layer_loader import add_layers
from .log import log


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
        self.outcome = DownloadOutcome(Delivery(request.order))
        self.group_name = request.group_name

    def cancel(self) -> None:
        self.cancel_token.cancel()
        super().cancel()

    # -- worker thread -----------------------------------------------------------------------
    def run(self) -> bool:
        pipeline = Pipeline(self.engine, cancel=self.cancel_token,
                            on_progress=self.setProgress, on_file=self._on_file)
        try:
            delivery = self.outcome.delivery = pipeline.run(self.request.order)
            if self.request.load and not delivery.cancelled:
                self.outcome.specs = plan(delivery, lambda: self.cancel_token.cancelled)
        except Cancelled:
            self.outcome.cancelled_here = True
        except OSAPIError as error:
            self.outcome.problems.append(error_text(error))
        except Exception as error:  # a bug must not take QGIS down; report it instead
            self.outcome.problems.append(
                tr("Unexpected error: {0}").format(redact(f"{type(error).__name__}: {error}", ()))
            )
        if self.cancel_token.cancelled:
            self.outcome.cancelled_here = True
        return not self.outcome.cancelled and not self.outcome.errors

    def _on_file(self, progress: Progress) -> None:
        file = progress.file
        self.fileProgress.emit(file.file_name, file.bytes_done, file.bytes_total or 0, file.state)

    # -- main thread -------------------------------------------------------------------------
    def finished(self, result: bool) -> None:
        # No exception may leave finished(): QGIS would show its Python error dialog.
        if not result and not self.outcome.errors:
            self.outcome.cancelled_here = True  # e.g. cancelled while queued: run() never ran
        try:
            if self.request.load and self.outcome.specs and not self.outcome.cancelled:
                layers, failed = add_layers(
                    self.outcome.specs, self.group_name, self.request.version
                )
                self.outcome.layers = layers
                self.outcome.failed_layers = failed
        except Exception as error:
            self.outcome.problems.append(
                tr("The layers could not be added: {0}").format(f"{type(error).__name__}: {error}"))
        try:
            if self.on_finished is not None:
                self.on_finished(self)
        except Exception:
            log(tr("A download could not report back: {0}").format(
                traceback.format_exc(limit=3)), Qgis.MessageLevel.Critical)


def start_download(
    request: DownloadRequest,
    context,
    tasks,
    auth=None,
    on_finished: Callable[[DownloadTask], None] | None = None,
    before_start: Callable[[DownloadTask], None] | None = None,
) -> DownloadTask:
    """The one way the dock and the Browser start a download: a task with the context's engine,
    held and started by the task registry (`before_start` connects to it first)."""
    task = DownloadTask(request, context.download_engine(auth), on_finished)
    if before_start is not None:
        before_start(task)
    tasks.start(task)
    return task
