"""The one task base (`SafeTask`) and its two tasks: `run()` never raises, a bug becomes a
redacted "Unexpected error: …", `finished()` never lets an exception out, and the file states
cross `DownloadTask.fileProgress` as the text a `FileState` is."""

from __future__ import annotations

import pytest
from os_data_hub_loader.api.client import DownloadsClient
from os_data_hub_loader.api.download import FileState
from os_data_hub_loader.api.errors import Cancelled, NotFoundError
from os_data_hub_loader.core import tasks
from os_data_hub_loader.core.context import ApiContext
from os_data_hub_loader.core.download_task import DownloadTask
from os_data_hub_loader.core.downloads import DownloadRequest
from os_data_hub_loader.core.tasks import ApiTask, SafeTask
from qgis.PyQt.QtCore import QCoreApplication

SECRET_URL = "https://api.os.uk/downloads/v1/x?key=s3cret-key&sig=s3cret-sig"


@pytest.fixture()
def logged(monkeypatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(tasks, "log", lambda message, level=None: messages.append(message))
    return messages


class Broken(SafeTask):
    def __init__(self, error: BaseException | None = None, report_fails: bool = False) -> None:
        super().__init__("broken")
        self.raise_in_work = error
        self.report_fails = report_fails
        self.handed: list[bool] = []

    def work(self) -> bool:
        if self.raise_in_work is not None:
            raise self.raise_in_work
        return True

    def hand_over(self, ok: bool) -> None:
        self.handed.append(ok)
        if self.report_fails:
            raise RuntimeError("the widget is gone")


def test_a_bug_in_the_work_becomes_a_redacted_message():
    task = Broken(ValueError(f"could not parse {SECRET_URL}"))
    assert task.run() is False
    assert task.error_message.startswith("Unexpected error: ValueError: could not parse https://")
    assert "s3cret" not in task.error_message and "key=***" in task.error_message
    assert isinstance(task.error, ValueError) and not task.was_cancelled


def test_api_errors_and_cancelling_are_told_apart():
    task = Broken(NotFoundError("No product 'Nope'."))
    assert task.run() is False
    assert task.error_message == "No product 'Nope'." and isinstance(task.error, NotFoundError)
    cancelled = Broken(Cancelled())
    assert cancelled.run() is False
    assert cancelled.was_cancelled and cancelled.error_message == "" and cancelled.error is None
    assert Broken().run() is True


def test_finished_never_raises_and_logs_what_went_wrong(logged):
    task = Broken(report_fails=True)
    task.finished(task.run())
    assert task.handed == [True]
    assert len(logged) == 1 and "A background task could not report back" in logged[0]
    assert "the widget is gone" in logged[0]


def test_api_task_reports_each_end_once():
    done: list[object] = []
    errors: list[str] = []

    def start(work) -> ApiTask:
        task = ApiTask("t", work, on_done=done.append, on_error=errors.append)
        task.finished(task.run())
        return task

    start(lambda _task: 42)
    start(lambda _task: {}["missing"])
    start(lambda _task: (_ for _ in ()).throw(NotFoundError("gone")))
    cancelled = start(lambda _task: (_ for _ in ()).throw(Cancelled()))
    assert done == [42]
    assert errors == ["Unexpected error: KeyError: 'missing'", "gone", "Cancelled."]
    assert cancelled.was_cancelled and cancelled.error_message == "Cancelled."


class BrokenEngine:
    def download(self, *args, **kwargs):
        raise RuntimeError(f"engine broke at {SECRET_URL}")


def test_download_task_puts_a_bug_into_its_outcome_and_still_reports(tmp_path, logged):
    reported: list[DownloadTask] = []

    def on_finished(task: DownloadTask) -> None:
        reported.append(task)
        raise RuntimeError("the dock is gone")

    request = DownloadRequest("Broken", "2024-01", [], tmp_path / "dl", load=False)
    task = DownloadTask(request, BrokenEngine(), on_finished)
    assert task.run() is False
    task.finished(False)
    (problem,) = task.outcome.errors
    assert problem.startswith("Unexpected error: RuntimeError: engine broke at")
    assert "s3cret" not in problem
    assert reported == [task] and not task.outcome.cancelled
    assert len(logged) == 1 and "the dock is gone" in logged[0]


def test_file_states_cross_the_progress_signal_as_their_text(os_api, tmp_path, monkeypatch):
    monkeypatch.setenv("OS_API_BASE_URL", os_api.url)
    with DownloadsClient(os_api.url) as client:
        downloads = client.product_downloads("OpenGreenspace", format="GeoPackage", areas=["SU"])
    request = DownloadRequest("OS Open Greenspace", "2024-04", [d.to_item() for d in downloads],
                              tmp_path / "dl", unpack=False, load=False)
    task = DownloadTask(request, ApiContext().download_engine())
    received: list[object] = []
    task.fileProgress.connect(lambda _name, _done, _total, state: received.append(state))
    assert task.run(), task.outcome.errors
    QCoreApplication.processEvents()  # emitted in the engine's threads: queued to this one
    assert received and all(type(state) is str for state in received)
    states = [FileState(state) for state in received]  # each one a FileState's text
    assert states[0] is FileState.DOWNLOADING and states[-1] is FileState.DONE
