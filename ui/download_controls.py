"""The bottom of every download panel: where to, unpack / add to map, Download and Cancel,
overall progress and the outcome. Runs one `DownloadTask` at a time."""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..api.auth import Auth
from ..api.download import DownloadItem, FileState
from ..api.importer import Store
from ..core.context import ApiContext
from ..core.download_task import DownloadTask, start_download
from ..core.downloads import DownloadRequest, starting_message
from ..core.tasks import TaskRegistry, cancel_task
from .flow_layout import button_group, wrapping_row
from .messages import tell_outcome
from .widgets import describe_file_widget, on_keys, tip


class DownloadControls(QWidget):
    """`downloadClicked` asks the owner to call `start()` with what is ticked; `fileStatus`
    gives each file's state as text for the owner's table; `finishedTask` gives the task."""

    downloadClicked = pyqtSignal()
    fileStatus = pyqtSignal(str, str)
    finishedTask = pyqtSignal(object)

    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.iface = iface
        self.task: DownloadTask | None = None
        self._ready = False
        self._build_options()
        self._build_store()
        self._build_actions()
        self._connect()
        self._lay_out()
        self.set_ready(False)

    def _build_options(self) -> None:
        settings = self.context.settings
        self.folder = QgsFileWidget(self)
        self.folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder.setFilePath(str(settings.download_folder))
        self.folder_parts = describe_file_widget(
            self.folder,
            self.tr("The download folder: downloads go into a sub-folder per product and "
                    "version."),
            self.tr("Download folder"),
            self.tr("Choose the download folder."),
            self.tr("Choose the download folder"),
        )
        self.unpack = QCheckBox(self.tr("Unpack"), self)
        self.unpack.setToolTip(tip(self.tr("Unpack zip files (safely) next to the download.")))
        self.unpack.setChecked(settings.unpack)
        self.add_to_map = QCheckBox(self.tr("Add to map"), self)
        self.add_to_map.setToolTip(tip(self.tr(
            "Load the data as layers when the download is done.")))
        self.add_to_map.setChecked(settings.add_to_map)

    def _build_store(self) -> None:
        """Load: one GeoPackage per product (recommended) | the files as downloaded."""
        self.store_label = QLabel(self.tr("Load:"), self)
        self.store = QComboBox(self)
        self.store.addItem(self.tr("one GeoPackage per product (recommended)"),
                           Store.GEOPACKAGE.value)
        self.store.addItem(self.tr("the files as downloaded"), Store.FILES.value)
        self.store.setCurrentIndex(max(0, self.store.findData(
            self.context.settings.store.value)))
        self.store.setToolTip(tip(self.tr(
            "One GeoPackage per product: every square and tile of a theme goes into one table "
            "of <product>_<version>.gpkg in the download folder, with a spatial index, so even "
            "tens of millions of rows open at once. The files as downloaded: the files stay as "
            "they are, and the files of one theme still make one layer.")))
        self.store_label.setBuddy(self.store)
        # A narrow dock may cut the choice's text (the tooltip says it in full).
        self.store.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.store.setMinimumContentsLength(12)
        self.store.setEnabled(self.add_to_map.isChecked())

    def _build_actions(self) -> None:
        self.download_button = QPushButton(self.tr("Dow&nload"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(tip(self.tr(
            "Stop the download; partly downloaded files are kept and resume next time. Esc "
            "does the same while the focus is in the file list or here.")))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)

    def _connect(self) -> None:
        self.folder.fileChanged.connect(self._folder_changed)
        self.unpack.toggled.connect(self._options_changed)
        self.add_to_map.toggled.connect(self._options_changed)
        self.add_to_map.toggled.connect(self.store.setEnabled)
        self.store.currentIndexChanged.connect(self._options_changed)
        self.download_button.clicked.connect(self.downloadClicked)
        self.cancel_button.clicked.connect(self.cancel)

    def _lay_out(self) -> None:
        # Wraps when the dock is narrow; Download stays at the right.
        options = wrapping_row(self, [
            self.unpack, self.add_to_map,
            button_group(self, [self.cancel_button, self.download_button]),
        ], last_right=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.folder)
        layout.addWidget(options)
        layout.addWidget(wrapping_row(self, [self.store_label, self.store]))
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

    def focus_order(self) -> list[QWidget]:
        return [*self.folder_parts, self.unpack, self.add_to_map, self.store,
                self.cancel_button, self.download_button]

    def cancel_on_escape(self, *areas: QWidget) -> None:
        """Esc with the focus in one of `areas` (or in these controls) cancels a running
        download. Without one, Esc does what it did before."""
        for area in (self, *areas):
            on_keys(area, [Qt.Key.Key_Escape], self.cancel, when=lambda: self.task is not None)

    def request_download(self) -> None:
        """Enter in a file list: download what is ticked, or say how to tick."""
        if self.download_button.isEnabled():
            self.download_button.click()
        elif self.task is None:
            self.status.setText(self.tr(
                "Tick the files to download first: Space ticks the current file."))

    def base_folder(self) -> Path:
        return Path(self.folder.filePath() or self.context.settings.download_folder)

    def set_ready(self, ready: bool) -> None:
        """Whether there is something to download (the owner knows what is ticked)."""
        self._ready = ready
        self.download_button.setEnabled(ready and self.task is None)
        self.download_button.setToolTip(tip(
            self.tr("Download the ticked files. Enter in the file list does the same.")
            if ready else
            self.tr("Tick the files to download first: Space ticks the current file in the "
                    "file list.")))

    def _folder_changed(self, path: str) -> None:
        if path:
            self.context.settings.download_folder = path

    def _options_changed(self) -> None:
        self.context.settings.unpack = self.unpack.isChecked()
        self.context.settings.add_to_map = self.add_to_map.isChecked()
        self.context.settings.store = self.chosen_store()

    def chosen_store(self) -> Store:
        return Store(self.store.currentData() or Store.GEOPACKAGE.value)

    def start(
        self,
        title: str,
        version: str | None,
        items: list[DownloadItem],
        destination: Path,
        auth: Auth | None = None,
        dataset_id: str | None = None,
    ) -> DownloadTask | None:
        if not items or self.task is not None:
            return None
        request = DownloadRequest(
            title=title, version=version, items=items, folder=destination,
            unpack=self.unpack.isChecked(), load=self.add_to_map.isChecked(),
            store=self.chosen_store(), dataset_id=dataset_id,
        )
        return start_download(request, self.context, self.tasks, auth, self._finished,
                              before_start=self._started)

    def _started(self, task: DownloadTask) -> None:
        task.fileProgress.connect(self._file_progress)
        task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        for item in task.request.items:
            self.fileStatus.emit(item.file_name, self._state_text(FileState.QUEUED))
        self.task = task
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.set_ready(self._ready)
        self.status.setText(starting_message(task.request))

    def cancel(self) -> None:
        if self.task is not None:
            cancel_task(self.task)
            self.status.setText(self.tr("Cancelling…"))

    def _file_progress(self, file_name: str, done: int, total: int, state: str) -> None:
        """`state` is a `FileState`'s text (the signal carries a plain str)."""
        if state == FileState.DOWNLOADING and total:
            self.fileStatus.emit(file_name, f"{100 * done // total} %")
            return
        self.fileStatus.emit(file_name, self._state_text(state))

    def _state_text(self, state: str) -> str:
        texts = {
            FileState.QUEUED: self.tr("queued"), FileState.DOWNLOADING: self.tr("downloading"),
            FileState.VERIFYING: self.tr("verifying"), FileState.DONE: self.tr("done"),
            FileState.SKIPPED: self.tr("already there"), FileState.FAILED: self.tr("failed"),
            FileState.CANCELLED: self.tr("cancelled"),
        }
        return texts.get(state, state)  # a FileState equals its text

    def _finished(self, task: DownloadTask) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.setEnabled(False)
        self.set_ready(self._ready)
        told = tell_outcome(self.iface, task)
        self.status.setText(told.message)
        self.finishedTask.emit(task)

    def close_down(self) -> None:
        cancel_task(self.task)
        self.task = None
