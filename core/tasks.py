"""Background work as QgsTasks that run `api` calls off the main thread.

Rules kept here once (`SafeTask`), so that every task follows them:
- `run()` never touches widgets, layers or QgsProject, never raises, and returns True/False;
- results and errors are handed over in `finished()`, on the main thread, which never raises;
- cancelling the task raises the `api` CancelToken so HTTP loops stop promptly;
- every running task is held by `TaskRegistry` (a QgsTask without a live Python reference never
  gets its `finished()` called) and cancelled when the plugin unloads.
"""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any, Callable

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt import sip

from ..api.cancel import CancelToken
from ..api.errors import Cancelled, OSAPIError, redact
from .i18n import error_text, tr
from .log import log


def unexpected_error_text(error: BaseException) -> str:
    """What the user reads about a bug: its type and message, redacted."""
    return tr("Unexpected error: {0}").format(redact(f"{type(error).__name__}: {error}", ()))


class SafeTask(QgsTask):
    """The base of every task here. `work()` runs in the background and returns True/False;
    `run()` calls it and never raises: `Cancelled` sets `was_cancelled`, an `api` error becomes
    `error` and `error_message` (its text for the user), and so does any other exception
    ("Unexpected error: …", redacted), so that a bug cannot take QGIS down. `hand_over(ok)`
    runs in `finished()`, on the main thread; nothing it raises leaves `finished()` (QGIS would
    show its Python error dialog): it is logged."""

    def __init__(
        self,
        description: str,
        flags: QgsTask.Flag = QgsTask.Flag.CanCancel,
        cancel_token: CancelToken | None = None,
    ) -> None:
        super().__init__(description, flags)
        self.cancel_token = cancel_token or CancelToken()
        self.error: Exception | None = None
        self.error_message = ""
        self.was_cancelled = False

    def cancel(self) -> None:
        self.cancel_token.cancel()
        super().cancel()

    def work(self) -> bool:
        """The background work (worker thread: no widgets, layers or QgsProject)."""
        raise NotImplementedError

    def hand_over(self, ok: bool) -> None:
        """Hand the result over (main thread); `ok` is what `run()` returned."""

    def run(self) -> bool:
        try:
            return bool(self.work())
        except Cancelled:
            self.was_cancelled = True
        except OSAPIError as error:
            self.error, self.error_message = error, error_text(error)
        except Exception as error:  # a bug must not take QGIS down; report it instead
            self.error, self.error_message = error, unexpected_error_text(error)
        return False

    def finished(self, result: bool) -> None:
        try:
            self.hand_over(result)
        except Exception:
            log(tr("A background task could not report back: {0}").format(
                traceback.format_exc(limit=3)), Qgis.MessageLevel.Critical)


class ApiTask(SafeTask):
    """Runs `work(task)` in the background; calls `on_done(result)` or `on_error(message)`.

    `work` receives this task: it may call `task.setProgress()`, read `task.cancel_token` and
    must return a value (never a Qt object bound to the main thread).
    """

    def __init__(
        self,
        description: str,
        work: Callable[[ApiTask], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        cancel_token: CancelToken | None = None,
        flags: QgsTask.Flag = QgsTask.Flag.CanCancel,
    ) -> None:
        super().__init__(description, flags, cancel_token)
        self._work = work
        self._on_done = on_done
        self.on_error = on_error
        self.result: Any = None

    def work(self) -> bool:
        self.result = self._run_abandonable()
        return True

    def _run_abandonable(self) -> Any:
        """`work` in a helper thread that the task stops waiting for once cancelled: a request
        already in flight cannot be interrupted, and unload or quit must not wait for it (it
        ends by itself, at the latest at the network timeout, and its answer is dropped)."""
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def target() -> None:
            try:
                outcome["value"] = self._work(self)
            except BaseException as error:  # handed to run() below
                outcome["error"] = error
            finally:
                done.set()

        threading.Thread(target=target, name="osdh-task-work", daemon=True).start()
        while not done.wait(0.05):
            self.cancel_token.raise_if_cancelled()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def hand_over(self, ok: bool) -> None:
        if ok:
            if self._on_done is not None:
                self._on_done(self.result)
            return
        if self.was_cancelled or self.isCanceled():
            self.error_message = self.error_message or tr("Cancelled.")
        if self.on_error is not None:
            self.on_error(self.error_message or tr("Cancelled."))


def closing(client, call: Callable[[], Any]) -> Any:
    """Run `call`, then close the client's connections (each task builds its own client)."""
    with client:
        return call()


def cancel_task(task: QgsTask | None) -> None:
    """Cancel a task if it still runs: the task manager deletes tasks once they end."""
    if task is not None and not sip.isdeleted(task):
        task.cancel()


class TaskRegistry:
    """Holds a Python reference to every running task until it ends."""

    def __init__(self) -> None:
        self._tasks: set[QgsTask] = set()

    def start(self, task: QgsTask) -> QgsTask:
        self._tasks.add(task)
        task.taskCompleted.connect(lambda: self._tasks.discard(task))
        task.taskTerminated.connect(lambda: self._tasks.discard(task))
        QgsApplication.taskManager().addTask(task)
        return task

    @property
    def running(self) -> list[QgsTask]:
        return list(self._tasks)

    def cancel_all(self, wait_ms: int = 5000) -> None:
        """Cancel every task and wait for them to stop, `wait_ms` in all (not per task): used
        on unload and quit. Tasks still running after that stay referenced until they end."""
        tasks = [task for task in self._tasks if not sip.isdeleted(task)]
        for task in tasks:
            task.cancel()
        deadline = time.monotonic() + wait_ms / 1000.0
        active = (QgsTask.TaskStatus.Queued, QgsTask.TaskStatus.OnHold, QgsTask.TaskStatus.Running)
        for task in tasks:
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms > 0 and not sip.isdeleted(task) and task.status() in active:
                task.waitForFinished(left_ms)
        self._tasks = {
            task for task in self._tasks
            if not sip.isdeleted(task) and task.status() in active
        }
