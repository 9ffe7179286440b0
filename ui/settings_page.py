"""Settings → Options → OS Data Hub: the API key and secret (kept in the QGIS authentication
database), a Test button, and the download settings."""

from __future__ import annotations

import os

from qgis.gui import QgsFileWidget, QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..api.cancel import CancelToken
from ..api.clients import RETRY_QUICK
from ..api.ratelimit import DEVELOPMENT_PROJECT_RPM, LIVE_PROJECT_RPM
from ..core.context import ApiContext
from ..core.credential_check import CredentialReport, check_credentials
from ..core.credentials import Credentials, clean
from ..core.settings import DEFAULT_BASE_URL
from ..core.tasks import ApiTask, TaskRegistry, cancel_task
from .widgets import describe_file_widget, set_tab_order, tip

PAGE_NAME = "OSDataHubOptions"
SIGN_UP_URL = "https://osdatahub.os.uk"


def open_settings(iface) -> None:
    """QGIS's Options dialog, opened at this plugin's page."""
    iface.showOptionsDialog(iface.mainWindow(), currentPage=PAGE_NAME)


class OSDataHubOptionsPage(QgsOptionsPageWidget):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(PAGE_NAME)
        self.context = context
        self.tasks = tasks
        self._check_task: ApiTask | None = None
        credentials, intro = self._build_credentials()
        downloads, folder_parts = self._build_downloads()
        self._lay_out(credentials, downloads)
        set_tab_order(intro, self.key, self.secret, self.test_button, self.forget_button,
                      *folder_parts, self.plan, self.workers, self.base_url)
        self._connect()
        self._load()

    def _build_credentials(self) -> tuple[QGroupBox, QLabel]:
        """The key, the secret, Test and Forget, in their group (and its introduction)."""
        intro = QLabel(self.tr(
            'OS OpenData needs no account. Premium data packages and OS Maps basemaps need a '
            'project API key from the <a href="{0}">OS Data Hub</a> (sign up, create a project, '
            'add the Downloads API and OS Maps API to it, and copy its key). The key and secret '
            'are kept encrypted in the QGIS authentication database, never in project files.'
        ).format(SIGN_UP_URL), self)
        intro.setWordWrap(True)
        intro.setOpenExternalLinks(True)

        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setToolTip(tip(self.tr(
            "Your OS Data Hub project API key. It is kept encrypted in the QGIS authentication "
            "database; leave the field empty to keep the stored key.")))
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("optional: then OAuth 2 is used"))
        self.secret.setToolTip(tip(self.tr(
            "The project's API secret, only to sign in with OAuth 2. Leave it empty to send "
            "the key itself.")))
        self.stored = QLabel(self)
        self.test_button = QPushButton(self.tr("&Test"), self)
        self.test_button.setToolTip(tip(self.tr(
            "Check what these credentials (or the stored ones) open.")))
        self.forget_button = QPushButton(self.tr("&Forget credentials"), self)
        self.forget_button.setToolTip(tip(self.tr(
            "Remove the stored key and secret from the QGIS authentication database.")))
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        credentials = QGroupBox(self.tr("OS Data Hub project"), self)
        form = QFormLayout(credentials)
        form.addRow(intro)
        form.addRow(self.tr("API &key"), self.key)
        form.addRow(self.tr("API s&ecret"), self.secret)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch()
        form.addRow(self.stored)
        form.addRow(buttons)
        form.addRow(self.result)
        return credentials, intro

    def _build_downloads(self) -> tuple[QGroupBox, list[QWidget]]:
        """The download settings in their group (and the folder widget's focusable parts)."""
        self.plan = QComboBox(self)
        self.plan.addItem(self.tr("Live project (600 requests a minute)"), LIVE_PROJECT_RPM)
        self.plan.addItem(
            self.tr("Development project (50 requests a minute)"), DEVELOPMENT_PROJECT_RPM)
        self.plan.setToolTip(tip(self.tr(
            "Your project's plan on the OS Data Hub: the plugin keeps its requests under the "
            "plan's limit.")))
        self.workers = QSpinBox(self)
        self.workers.setRange(1, 8)
        self.workers.setToolTip(tip(self.tr("How many files are downloaded at the same time.")))
        self.folder = QgsFileWidget(self)
        self.folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        folder_parts = describe_file_widget(
            self.folder,
            self.tr("Where downloads go; each product and version gets its own sub-folder."),
            self.tr("Download folder"),
            self.tr("Choose the download folder."),
            self.tr("Choose the download folder"),
        )
        self.base_url = QLineEdit(self)
        self.base_url.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url.setToolTip(tip(self.tr(
            "Advanced: another address for the OS APIs (a mirror, or the local test server). "
            "The OS_API_BASE_URL environment variable, when set, wins over this.")))
        downloads = QGroupBox(self.tr("Downloads"), self)
        download_form = QFormLayout(downloads)
        download_form.addRow(self.tr("Do&wnload folder"), self.folder)
        folder_label = download_form.labelForField(self.folder)
        if folder_label is not None:
            folder_label.setBuddy(folder_parts[0])  # the line edit takes the focus
        download_form.addRow(self.tr("&Rate limit"), self.plan)
        download_form.addRow(self.tr("F&iles at once"), self.workers)
        download_form.addRow(self.tr("API &address"), self.base_url)
        override = os.environ.get("OS_API_BASE_URL", "").strip()
        if override:
            note = QLabel(self.tr(
                "The environment variable OS_API_BASE_URL is set: {0} is used instead.").format(
                override), self)
            note.setWordWrap(True)
            download_form.addRow("", note)
        return downloads, folder_parts

    def _lay_out(self, credentials: QGroupBox, downloads: QGroupBox) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(credentials)
        layout.addWidget(downloads)
        layout.addStretch()

    def _connect(self) -> None:
        self.test_button.clicked.connect(self.test)
        self.forget_button.clicked.connect(self.forget)

    @property
    def checking(self) -> bool:
        """Whether *Test* is checking the credentials."""
        return self._check_task is not None

    def _load(self) -> None:
        settings = self.context.settings
        self.plan.setCurrentIndex(max(0, self.plan.findData(settings.requests_per_minute)))
        self.workers.setValue(settings.workers)
        self.folder.setFilePath(str(settings.download_folder))
        base_url = settings.stored_base_url
        self.base_url.setText("" if base_url == DEFAULT_BASE_URL else base_url)
        self._show_stored()

    def _show_stored(self) -> None:
        has = self.context.has_credentials
        self.stored.setText(
            self.tr("A key is stored in the QGIS authentication database. Leave the fields "
                    "empty to keep it, or enter a new key to replace it.")
            if has else self.tr("No key is stored.")
        )
        self.forget_button.setEnabled(has)
        self.key.setPlaceholderText(self.tr("(stored)") if has else self.tr("paste the key"))

    def entered_credentials(self) -> Credentials | None:
        key = clean(self.key.text())
        return Credentials(key, clean(self.secret.text()) or None) if key else None

    def apply(self) -> None:
        """Called by QGIS when the Options dialog is accepted."""
        settings = self.context.settings
        settings.requests_per_minute = int(self.plan.currentData())
        settings.workers = self.workers.value()
        if self.folder.filePath():
            settings.download_folder = self.folder.filePath()
        base_url = clean(self.base_url.text()) or DEFAULT_BASE_URL
        if base_url.lower().startswith(("https://", "http://")):
            settings.base_url = base_url
        else:
            self.result.setText(self.tr(
                "The API address was not changed: it must start with https:// (or http:// "
                "for a local test server)."))
        credentials = self.entered_credentials()
        if credentials is not None:
            if self.context.credentials.save(credentials):
                self.result.setText(self.tr("The key was saved."))
            else:
                self.result.setText(self.tr(
                    "The key was not saved: the QGIS authentication database is locked or its "
                    "master password was not given."))
            self.key.clear()
            self.secret.clear()
        self._show_stored()

    def forget(self) -> None:
        self.context.credentials.forget()
        self.key.clear()
        self.secret.clear()
        self.result.setText(self.tr("The key and secret were removed."))
        self._show_stored()

    def test(self) -> None:
        credentials = self.entered_credentials() or self.context.credentials.load()
        if credentials is None:
            self.result.setText(self.tr(
                "Enter an API key first. OS OpenData works without one."))
            return
        cancel_task(self._check_task)
        token = CancelToken()
        base_url = clean(self.base_url.text()) or self.context.settings.base_url
        connection = self.context.connection(retry=RETRY_QUICK, base_url=base_url)
        self.result.setText(self.tr("Testing…"))
        self.test_button.setEnabled(False)
        self._check_task = ApiTask(
            self.tr("Testing the OS Data Hub key"),
            lambda _task: check_credentials(connection, credentials, token),
            on_done=self._tested,
            on_error=self._test_failed,
            cancel_token=token,
        )
        self.tasks.start(self._check_task)
        self.destroyed.connect(token.cancel)  # the Options dialog closes before the answer

    def _tested(self, report: CredentialReport) -> None:
        if sip.isdeleted(self):  # the Options dialog was closed meanwhile
            return
        self._check_task = None
        self.test_button.setEnabled(True)
        self.result.setText(report.text())

    def _test_failed(self, message: str) -> None:
        if sip.isdeleted(self):
            return
        self._check_task = None
        self.test_button.setEnabled(True)
        self.result.setText(message)

    def closeEvent(self, event) -> None:
        cancel_task(self._check_task)
        super().closeEvent(event)


class OSDataHubOptionsFactory(QgsOptionsWidgetFactory):
    def __init__(self, context: ApiContext, tasks: TaskRegistry, icon: QIcon) -> None:
        super().__init__()
        self.context = context
        self.tasks = tasks
        self.setTitle(self.tr("OS Data Hub"))
        self._icon = icon

    def icon(self) -> QIcon:
        return self._icon

    def createWidget(self, parent) -> OSDataHubOptionsPage:
        return OSDataHubOptionsPage(self.context, self.tasks, parent)
