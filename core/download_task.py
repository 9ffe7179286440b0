"""The shared download pipeline (`api.pipeline`) in a QgsTask, with the layers planned from
what it made ready; the layers are added when the task finishes, on the main thread.

`run()` does the slow work off the main thread (fetch, verify, unpack, GDAL file inspection).
`finished()`, on the main thread, creates the layers and reports.
"""

from __future__ import annotations

from typing import Callable

from qgis.PyQt.QtCore import pyqtSignal

from ..api.download import DownloadEngine, Progress
from ..api.pipeline import Delivery, Pipeline
from .downloads import DownloadOutcome, DownloadRequest, plan
from .i18n import tr
from .layer_loader import add_layers
from .tasks import SafeTask


class DownloadTask(SafeTask):
    """One download request. Per-file progress goes out through `fileProgress` (queued to the
    main thread by Qt, since the task object lives there)."""

    fileProgress = pyqtSignal(str, int, int, str)  # file name, bytes done, bytes total, FileState

    def __init__(
        self,
        request: DownloadRequest,
        engine: DownloadEngine,
        on_finished: Callable[[DownloadTask], None] | None = None,
    ) -> None:
        super().__init__(tr("Downloading {0}").format(request.title))
        self.request = request
        self.engine = engine
        self.on_finished = on_finished
        self.outcome = DownloadOutcome(Delivery(request.order))
        self.group_name = request.group_name

    # -- worker thread -----------------------------------------------------------------------
    def run(self) -> bool:
        """The base's run, with what it caught (an error, a cancel) put into the outcome."""
        ok = super().run()
        if self.error_message:
            self.outcome.problems.append(self.error_message)
        if self.was_cancelled or self.cancel_token.cancelled:
            self.outcome.cancelled_here = True
        return ok and not self.outcome.cancelled and not self.outcome.errors

    def work(self) -> bool:
        pipeline = Pipeline(self.engine, cancel=self.cancel_token,
                            on_progress=self.setProgress, on_file=self._on_file)
        delivery = self.outcome.delivery = pipeline.run(self.request.order)
        if self.request.load and not delivery.cancelled:
            self.outcome.specs = plan(delivery, lambda: self.cancel_token.cancelled)
        return True

    def _on_file(self, progress: Progress) -> None:
        file = progress.file
        self.fileProgress.emit(file.file_name, file.bytes_done, file.bytes_total or 0, file.state)

    # -- main thread -------------------------------------------------------------------------
    def hand_over(self, ok: bool) -> None:
        if not ok and not self.outcome.errors:
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
        if self.on_finished is not None:
            self.on_finished(self)


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
