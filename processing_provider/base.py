"""What the OS Data Hub algorithms share: the API context, cancelling through the feedback,
and the shared download → verify → unpack pipeline (`api.pipeline`), with the layers planned
from it handed to Processing to load on completion.

Threads: `prepareAlgorithm()` and `postProcessAlgorithm()` run on the main thread (QGIS settings,
network settings, credentials, layers); `processAlgorithm()` may run in Processing's worker
thread and only does `api` work there, never touching the project.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsLayerTreeGroup,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProject,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon

from ..api.auth import Auth, NoAuth
from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.download import DownloadEngine, DownloadItem, FileState, Progress
from ..api.errors import Cancelled, OSAPIError
from ..api.importer import Store
from ..api.pipeline import Pipeline
from ..core.context import ApiContext
from ..core.downloads import DownloadOutcome, DownloadRequest, plan
from ..core.i18n import error_text, tr, translate_from
from ..core.layer_loader import attribution_for, make_layer, set_attribution

PLUGIN_DIR = Path(__file__).resolve().parent.parent

_CONTEXT: ApiContext | None = None


def api_context() -> ApiContext:
    """One context for every algorithm run (its rate limiter counts all their requests).
    Made on first use, on the main thread."""
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = ApiContext()
    return _CONTEXT


def plugin_icon() -> QIcon:
    return QIcon(str(PLUGIN_DIR / "icon.png"))


class FeedbackCancel:
    """Raises `CancelToken`s when Processing's feedback is cancelled, from whatever thread the
    Cancel button's signal comes (a direct connection: no event loop is needed)."""

    def __init__(self, feedback) -> None:
        self.feedback = feedback
        self.tokens: list[CancelToken] = []
        if feedback is not None:
            feedback.canceled.connect(self._cancel, Qt.ConnectionType.DirectConnection)

    def add(self, token: CancelToken) -> CancelToken:
        self.tokens.append(token)
        if self.cancelled:
            token.cancel()
        return token

    @property
    def cancelled(self) -> bool:
        return self.feedback is not None and self.feedback.isCanceled()

    def _cancel(self) -> None:
        for token in list(self.tokens):
            token.cancel()

    def __enter__(self) -> FeedbackCancel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.feedback is not None:
            try:
                self.feedback.canceled.disconnect(self._cancel)
            except TypeError:
                pass


def processing_error(error: OSAPIError) -> QgsProcessingException:
    """The API error's own message (it never carries a key or a signed URL)."""
    return QgsProcessingException(error_text(error))


class IntoGroup(QgsProcessingLayerPostProcessorInterface):
    """Moves a layer that Processing loaded into the layer-tree group of its product, as the
    dock does. Processing keeps only a C++ pointer: `live` holds the Python object until used."""

    live: set[IntoGroup] = set()

    def __init__(self, group_name: str) -> None:
        super().__init__()
        self.group_name = group_name

    @classmethod
    def create(cls, group_name: str) -> IntoGroup:
        processor = cls(group_name)
        cls.live.add(processor)
        return processor

    def postProcessLayer(self, layer, context, feedback) -> None:
        try:
            project = context.project() or QgsProject.instance()
            root = project.layerTreeRoot()
            node = root.findLayer(layer.id())
            if node is None or not self.group_name:
                return
            group = root.findGroup(self.group_name)
            if not isinstance(group, QgsLayerTreeGroup):
                group = root.insertGroup(0, self.group_name)
            if node.parent() is group:
                return
            group.addChildNode(node.clone())
            node.parent().removeChildNode(node)
        finally:
            IntoGroup.live.discard(self)


class OSDataHubAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms."""

    def tr(self, text: str) -> str:
        # The context is the class whose code calls self.tr(), as pylupdate5 files it.
        return translate_from(sys._getframe(1), text)

    def createInstance(self):
        return type(self)()

    def icon(self) -> QIcon:
        return plugin_icon()

    def helpUrl(self) -> str:
        return "https://github.com/os-data-hub-loader/os-data-hub-loader#processing-algorithms"


class DownloadAlgorithm(OSDataHubAlgorithm):
    """An algorithm that downloads files through `DownloadTask`'s pipeline: FOLDER, UNPACK and
    LOAD parameters; FILES, FOLDER and LAYERS outputs. Subclasses say what to fetch."""

    FOLDER = "FOLDER"
    UNPACK = "UNPACK"
    LOAD = "LOAD"
    STORE = "STORE"
    STORES = [Store.GEOPACKAGE.value, Store.FILES.value]
    FILES = "FILES"
    LAYERS = "LAYERS"

    def __init__(self) -> None:
        super().__init__()
        self._client: DownloadsClient | None = None
        self._engine: DownloadEngine | None = None
        self._cancel = CancelToken()
        self._request: DownloadRequest | None = None
        self._outcome: DownloadOutcome | None = None

    # -- to override ----------------------------------------------------------------------------
    def needs_key(self) -> bool:
        return False

    def list_files(
        self, client: DownloadsClient, parameters: dict, context, feedback
    ) -> tuple[str, str | None, list[DownloadItem]]:
        """(title, version, items) of what to download. Runs in Processing's thread."""
        raise NotImplementedError

    def algorithm_help(self) -> str:
        return ""

    def shortHelpString(self) -> str:
        return self.algorithm_help() + "\n\n" + self.store_help()

    def store_help(self) -> str:
        return self.tr(
            "STORE: geopackage (the default) imports the vector data into one GeoPackage per "
            "product and version, <product>_<version>.gpkg in the folder, one table per theme "
            "however many squares; files keeps the files as downloaded, one layer per theme "
            "all the same. Rasters become VRT mosaics either way.")

    def dataset_id(self, parameters, context) -> str | None:
        """The product or package id: the GeoPackage is named after it."""
        return None

    # -- parameters -----------------------------------------------------------------------------
    def add_download_parameters(self) -> None:
        folder = QgsProcessingParameterFolderDestination(
            self.FOLDER, self.tr("Download folder"),
            defaultValue=str(api_context().settings.download_folder),
        )
        folder.setHelp(self.tr("The files go straight into this folder; files already there and "
                               "verified are not downloaded again."))
        self.addParameter(folder)
        self.addParameter(QgsProcessingParameterBoolean(
            self.UNPACK, self.tr("Unpack the zip files (safely)"), defaultValue=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.LOAD, self.tr("Load the layers into the project"), defaultValue=True))
        store = QgsProcessingParameterEnum(
            self.STORE, self.tr("Load: geopackage (one GeoPackage per product, recommended) or "
                                "files (the files as downloaded)"),
            options=self.STORES, defaultValue=Store.GEOPACKAGE.value)
        store.setUsesStaticStrings(True)
        store.setHelp(self.tr("geopackage: every square and tile of a theme goes into one table "
                              "of <product>_<version>.gpkg in the download folder. files: the "
                              "files stay as they are; the files of one theme still make one "
                              "layer."))
        self.addParameter(store)
        self.addOutput(QgsProcessingOutputMultipleLayers(
            self.FILES, self.tr("Downloaded files")))
        self.addOutput(QgsProcessingOutputMultipleLayers(
            self.LAYERS, self.tr("Loaded layers")))

    # -- running --------------------------------------------------------------------------------
    def prepareAlgorithm(self, parameters, context, feedback) -> bool:
        """Main thread: QGIS's network settings and the stored credentials are read here."""
        api = api_context()
        auth: Auth = NoAuth()
        if self.needs_key():
            if not api.has_credentials:
                raise QgsProcessingException(self.tr(
                    "Data packages need an OS Data Hub API key: enter it in the OS Data Hub "
                    "panel's settings (Settings → Options → OS Data Hub) first."))
            auth = api.auth()
        self._cancel = CancelToken()
        try:
            self._client = api.downloads_client(cancel=self._cancel, auth=auth)
            self._engine = api.download_engine(auth)
        except OSAPIError as error:
            raise processing_error(error) from None
        return True

    def processAlgorithm(self, parameters, context, feedback) -> dict[str, Any]:
        folder = Path(self.parameterAsFileOutput(parameters, self.FOLDER, context))
        unpack = self.parameterAsBoolean(parameters, self.UNPACK, context)
        load = self.parameterAsBoolean(parameters, self.LOAD, context)
        store = Store(self.parameterAsEnumString(parameters, self.STORE, context)
                      or Store.GEOPACKAGE.value)
        assert self._client is not None and self._engine is not None
        with FeedbackCancel(feedback) as cancel:
            cancel.add(self._cancel)
            try:
                with self._client:
                    title, version, items = self.list_files(
                        self._client, parameters, context, feedback)
            except OSAPIError as error:
                raise processing_error(error) from None
            if cancel.cancelled:
                raise QgsProcessingException(self.tr("Cancelled."))
            feedback.pushInfo((self.tr("Downloading 1 file of {1} to {2}") if len(items) == 1
                               else self.tr("Downloading {0} files of {1} to {2}")).format(
                len(items), title, folder))
            self._request = DownloadRequest(title, version, items, folder, unpack, load,
                                            store=store, dataset_id=self.dataset_id(parameters,
                                                                                     context))
            self._outcome = run_download(self._request, self._engine, feedback, cancel)
        return self._results([])

    def postProcessAlgorithm(self, context, feedback) -> dict[str, Any]:
        """Main thread: the planned layers become layers, loaded when the algorithm completes."""
        if self._request is None or self._outcome is None:
            return {}
        layers = []
        if self._request.load:
            layers = self._layers_to_load(context, feedback)
        return self._results(layers)

    def _results(self, layer_ids: list[str]) -> dict[str, Any]:
        assert self._request is not None and self._outcome is not None
        files = [str(p) for p in self._outcome.files + self._outcome.skipped]
        return {self.FILES: files, self.FOLDER: str(self._request.folder),
                self.LAYERS: layer_ids}

    def _layers_to_load(self, context: QgsProcessingContext, feedback) -> list[str]:
        assert self._request is not None and self._outcome is not None
        request, outcome = self._request, self._outcome
        group_name = request.group_name
        attribution = attribution_for(request.version)
        ids = []
        for spec in outcome.specs:
            layer = make_layer(spec)
            if layer is None:
                feedback.reportError(self.tr("Could not open {0} as a layer.").format(spec.name))
                continue
            set_attribution(layer, attribution)
            context.temporaryLayerStore().addMapLayer(layer)
            details = QgsProcessingContext.LayerDetails(spec.name, context.project(), self.LAYERS)
            details.forceName = True
            details.setPostProcessor(IntoGroup.create(group_name))
            context.addLayerToLoadOnCompletion(layer.id(), details)
            ids.append(layer.id())
        return ids


def run_download(
    request: DownloadRequest, engine: DownloadEngine, feedback, cancel: FeedbackCancel
) -> DownloadOutcome:
    """The shared pipeline (download, verify, unpack), run here in Processing's thread, and the
    layers planned from it; progress and each file's end go to `feedback`. Failures raise
    `QgsProcessingException` with the same text the dock shows."""

    def report(progress: Progress) -> None:
        file = progress.file
        if file.state == FileState.DONE:
            feedback.pushInfo(tr("{0}: downloaded and verified").format(file.file_name))
        elif file.state == FileState.SKIPPED:
            feedback.pushInfo(tr("{0}: already there").format(file.file_name))

    token = cancel.add(CancelToken())
    pipeline = Pipeline(engine, cancel=token, on_progress=feedback.setProgress, on_file=report)
    outcome = DownloadOutcome(pipeline.run(request.order))
    try:
        if request.load and not outcome.cancelled:
            outcome.specs = plan(outcome.delivery, lambda: token.cancelled)
    except Cancelled:
        outcome.cancelled_here = True
    if outcome.cancelled or cancel.cancelled:
        raise QgsProcessingException(tr(
            "Cancelled. Partly downloaded files are kept and resume when you run it again."))
    if outcome.errors:
        raise QgsProcessingException(" ".join(outcome.errors))
    for note in outcome.notes if request.load else []:
        feedback.pushInfo(note)
    return outcome
