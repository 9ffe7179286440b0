"""The Data packages tab: the user's premium data packages (needs an API key), their versions
and files; download, verify, unpack and load exactly as for OpenData."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..api.cancel import CancelToken
from ..api.errors import AuthenticationError, OSAPIError, PermissionDeniedError
from ..api.models import (
    DataPackage,
    DataPackageVersion,
    DataPackageVersionDetail,
    human_size,
    newest_first,
    safe_name,
)
from ..api.pipeline import PACKAGES_FOLDER, package_folder
from ..core.context import ApiContext
from ..core.i18n import error_text
from ..core.tasks import ApiTask, TaskRegistry, cancel_task, closing
from .download_controls import DownloadControls
from .settings_page import open_settings
from .widgets import (
    ENTER,
    ColumnFitter,
    ensure_current,
    focus_list,
    on_keys,
    tip,
    toggle_check,
)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
SIGN_UP_URL = "https://osdatahub.os.uk"


def _table(parent, model: QStandardItemModel, tooltip: str, name: str) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.columns = ColumnFitter(table)  # type: ignore[attr-defined]
    table.setToolTip(tip(tooltip))
    table.setAccessibleName(name)
    return table


class PackagesTab(QWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, iface, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.iface = iface
        self.packages: list[DataPackage] = []
        self.package: DataPackage | None = None
        self.version: DataPackageVersionDetail | None = None
        self._task: ApiTask | None = None
        self._rows: dict[str, int] = {}
        self._build()
        self.controls = DownloadControls(context, tasks, iface, self)
        self._connect()
        self._lay_out()
        self._update_total()

    def _build(self) -> None:
        """The message (no key, no packages), the three tables and the total."""
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setOpenExternalLinks(True)
        self.settings_button = QPushButton(self.tr("Open OS Data Hub settings…"), self)
        self.settings_button.setToolTip(tip(self.tr(
            "Open Settings → Options → OS Data Hub to add your project API key.")))
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(tip(self.tr(
            "Load your data packages again from the OS Data Hub.")))

        self.package_model = QStandardItemModel(0, 3, self)
        self.package_model.setHorizontalHeaderLabels(
            [self.tr("Package"), self.tr("Product"), self.tr("Created")])
        self.package_table = _table(
            self, self.package_model,
            self.tr("Your data packages: select one to see its versions. Enter moves to its "
                    "versions."),
            self.tr("Data packages"))
        self.version_model = QStandardItemModel(0, 5, self)
        self.version_model.setHorizontalHeaderLabels([
            self.tr("Product version"), self.tr("Created"), self.tr("Reason"),
            self.tr("Supply"), self.tr("Format")])
        self.version_table = _table(
            self, self.version_model,
            self.tr("The versions of the selected package, the latest first. Enter moves to "
                    "the version's files."),
            self.tr("Versions"))
        self.file_model = QStandardItemModel(0, 3, self)
        self.file_model.setHorizontalHeaderLabels(
            [self.tr("File"), self.tr("Size"), self.tr("Status")])
        self.file_table = _table(
            self, self.file_model,
            self.tr("The files of the selected version. Space ticks or unticks the current "
                    "file; Enter downloads the ticked files."),
            self.tr("Files"))
        self.total = QLabel(self)

    def _connect(self) -> None:
        self.settings_button.clicked.connect(self.open_settings)
        self.refresh_button.clicked.connect(self.refresh)
        self.package_table.selectionModel().currentRowChanged.connect(self._package_changed)
        self.version_table.selectionModel().currentRowChanged.connect(self._version_changed)
        self.file_model.itemChanged.connect(lambda _item: self._update_total())
        self.controls.downloadClicked.connect(self.start_download)
        self.controls.fileStatus.connect(self._set_status)
        self.context.credentials.changed.connect(self.refresh)
        on_keys(self.package_table, ENTER, lambda: focus_list(self.version_table),
                when=lambda: self.package_table.currentIndex().isValid())
        on_keys(self.version_table, ENTER, lambda: focus_list(self.file_table),
                when=lambda: self.version_table.currentIndex().isValid())
        on_keys(self.file_table, [Qt.Key.Key_Space], self.toggle_current,
                when=lambda: self.file_table.currentIndex().isValid())
        on_keys(self.file_table, ENTER, self.controls.request_download)
        self.controls.cancel_on_escape(self.file_table)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.refresh_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for widget in (self.package_table, self.version_table, self.file_table):
            splitter.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.settings_button)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.controls)

    @property
    def busy(self) -> bool:
        """Whether the packages, a package's versions or a version's files are being loaded."""
        return self._task is not None

    def focus_order(self) -> list[QWidget]:
        return [self.message, self.refresh_button, self.settings_button, self.package_table,
                self.version_table, self.file_table, *self.controls.focus_order()]

    # -- packages ------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if not self.packages and self._task is None:
            self.refresh()

    def _show_message(self, text: str, settings: bool = False) -> None:
        self.message.setText(text)
        self.settings_button.setVisible(settings)

    def refresh(self) -> None:
        cancel_task(self._task)
        self._task = None
        self.packages, self.package, self.version = [], None, None
        for model in (self.package_model, self.version_model):
            model.removeRows(0, model.rowCount())
        self._clear_files()
        self._update_total()
        if not self.context.has_credentials:
            self._show_message(self.tr(
                'Data packages are premium OS data ordered on the OS Data Hub. To list and '
                'download yours, add your OS Data Hub project API key in the settings. No '
                'account yet? <a href="{0}">Sign up on the OS Data Hub</a>.').format(SIGN_UP_URL),
                settings=True)
            return
        self._show_message(self.tr("Loading your data packages…"))
        self._run(self.tr("Loading OS data packages"),
                  lambda client: client.data_packages(), self._listed)

    def _run(self, description: str, call, on_done) -> None:
        """Run `call(client)` with the stored credentials in a task."""
        cancel_task(self._task)
        token = CancelToken()
        try:
            client = self.context.downloads_client(cancel=token, auth=self.context.auth())
        except OSAPIError as error:
            self._failed(error_text(error), error)
            return
        task = ApiTask(description, lambda _task: closing(client, lambda: call(client)),
                       on_done=on_done, cancel_token=token)
        # A replaced (cancelled) task's answer is not this tab's news any more.
        task.on_error = lambda message, t=task: (
            self._failed(message, t.error) if t is self._task else None)
        self._task = task
        self.tasks.start(task)

    def _failed(self, message: str, error: Exception | None) -> None:
        self._task = None
        if isinstance(error, (AuthenticationError, PermissionDeniedError)):
            self._show_message(self.tr(
                "The OS Data Hub refused the stored key: {0} Check the key in the settings "
                "(and that the project has the Downloads API).").format(message), settings=True)
        else:
            self._show_message(message)

    def _listed(self, packages: list[DataPackage]) -> None:
        self._task = None
        self.packages = packages
        if not packages:
            self._show_message(self.tr(
                'You have no data packages yet. Data packages must first be ordered on the '
                '<a href="{0}">OS Data Hub</a> web site (Data packages → Add data package); '
                'then they appear here.').format(SIGN_UP_URL))
            return
        self._show_message(self.tr("{0} data packages").format(len(packages)))
        for package in packages:
            name = QStandardItem(package.name)
            name.setData(package, ITEM_ROLE)
            name.setToolTip(package.id)
            self.package_model.appendRow([
                name, QStandardItem(package.product_name or package.product_id or ""),
                QStandardItem(package.created_on or "")])
        self.package_table.selectRow(0)

    def select_package(self, package_id: str) -> bool:
        for row in range(self.package_model.rowCount()):
            package = self.package_model.item(row, 0).data(ITEM_ROLE)
            if package is not None and package.id == package_id:
                self.package_table.selectRow(row)
                return True
        return False

    # -- versions ------------------------------------------------------------------------------
    def _package_changed(self, current, _previous) -> None:
        package = current.siblingAtColumn(0).data(ITEM_ROLE) if current.isValid() else None
        if package is None or package is self.package:
            return
        self.package, self.version = package, None
        self.version_model.removeRows(0, self.version_model.rowCount())
        self._clear_files()
        self._update_total()
        self._run(self.tr("Loading versions of {0}").format(package.name),
                  lambda client: client.data_package_versions(package.id),
                  lambda versions, p=package: self._versions_listed(p, versions))

    def _versions_listed(self, package: DataPackage, versions: list[DataPackageVersion]) -> None:
        self._task = None
        if package is not self.package:
            return
        for version in newest_first(versions):
            product_version = QStandardItem(version.product_version or version.id)
            product_version.setData(version, ITEM_ROLE)
            supply = (version.supply_type or "").upper()
            supply_item = QStandardItem(self.supply_label(supply))
            if supply == "COU":
                supply_item.setToolTip(self.tr(
                    "A change-only update holds only what changed since the previous version: "
                    "it is not a full copy of the data."))
            self.version_model.appendRow([
                product_version, QStandardItem(version.created_on or ""),
                QStandardItem(version.reason or ""), supply_item,
                QStandardItem(version.format or "")])
        if versions:
            self.version_table.selectRow(0)  # the latest

    def supply_label(self, supply: str) -> str:
        if supply == "COU":
            return self.tr("Change-only update (COU)")
        if supply == "FULL":
            return self.tr("Full supply")
        return supply

    def _version_changed(self, current, _previous) -> None:
        version = current.siblingAtColumn(0).data(ITEM_ROLE) if current.isValid() else None
        if version is None or self.package is None:
            return
        package = self.package
        self._clear_files()
        self._update_total()
        self._run(self.tr("Loading the files of {0}").format(package.name),
                  lambda client: client.data_package_version(package.id, version.id),
                  lambda detail, p=package: self._files_listed(p, detail))

    def _files_listed(self, package: DataPackage, detail: DataPackageVersionDetail) -> None:
        self._task = None
        if package is not self.package:
            return
        self.version = detail
        self._rows = {}
        self.file_model.blockSignals(True)
        for download in detail.downloads:
            name = QStandardItem(download.file_name)
            name.setData(download, ITEM_ROLE)
            name.setCheckable(True)
            name.setCheckState(Qt.CheckState.Checked)  # all files by default
            self.file_model.appendRow(
                [name, QStandardItem(human_size(download.size)), QStandardItem("")])
            self._rows[download.file_name] = self.file_model.rowCount() - 1
        self.file_model.blockSignals(False)
        self.file_model.layoutChanged.emit()
        change_only = detail.is_change_only
        count = len(detail.downloads)
        message = (self.tr("{0}, version {1}: 1 file.") if count == 1 else
                   self.tr("{0}, version {1}: {2} files.")).format(
            package.name, detail.product_version or detail.id, count)
        if change_only:
            message += " " + self.tr("This is a change-only update, not a full supply.")
        self._show_message(message)
        self._update_total()
        if self.file_table.hasFocus():  # Enter on the version came before its files
            ensure_current(self.file_table)

    # -- files and download --------------------------------------------------------------------
    def _clear_files(self) -> None:
        self.file_model.removeRows(0, self.file_model.rowCount())
        self._rows = {}

    def toggle_current(self) -> None:
        """Space: tick or untick the current file, whichever column is current."""
        toggle_check(self.file_model.item(self.file_table.currentIndex().row(), 0))

    def chosen(self):
        return [
            self.file_model.item(row, 0).data(ITEM_ROLE)
            for row in range(self.file_model.rowCount())
            if self.file_model.item(row, 0).checkState() == Qt.CheckState.Checked
        ]

    def _update_total(self) -> None:
        chosen = self.chosen()
        size = sum(d.size or 0 for d in chosen)
        self.total.setText((self.tr("1 file ticked, {1}") if len(chosen) == 1 else
                            self.tr("{0} files ticked, {1}")).format(len(chosen), human_size(size)))
        self.controls.set_ready(bool(chosen))

    def _set_status(self, file_name: str, text: str) -> None:
        row = self._rows.get(file_name)
        item = self.file_model.item(row, 2) if row is not None else None
        if item is not None:  # (another version may be shown while a download runs)
            item.setText(text)

    def destination(self) -> Path:
        """One folder per package and version, so that versions sit side by side."""
        package, version = self.package, self.version
        base = self.controls.base_folder()
        if package is None or version is None:
            return base / PACKAGES_FOLDER
        return package_folder(base, package.id, package.name, version.id,
                              version.product_version)

    def start_download(self):
        package, version = self.package, self.version
        if package is None or version is None:
            return None
        items = [d.to_item() for d in self.chosen()]
        title = package.name
        if version.is_change_only:
            title += " " + self.tr("(change-only update)")
        return self.controls.start(title, version.product_version or version.id, items,
                                   self.destination(), self.context.auth(),
                                   dataset_id=safe_name(package.id, package.name))

    def open_settings(self) -> None:
        open_settings(self.iface)

    def close_down(self) -> None:
        cancel_task(self._task)
        self._task = None
        self.controls.close_down()
