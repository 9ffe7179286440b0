"""The QGIS side of the shared download pipeline (`api.pipeline`): what to fetch and whether to
load it (`DownloadRequest`), the layers planned from what the pipeline made ready, and the one
report of the outcome (`report`) that the dock, the Browser and Processing all show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from qgis.core import Qgis

from ..api.download import DownloadItem
from ..api.errors import Cancelled
from ..api.importer import Store
from ..api.pipeline import Delivery, FileFailure, Order
from .i18n import error_text, tr, translated
from .layer_plan import LayerSpec, plan_layers


@dataclass(frozen=True)
class DownloadRequest:
    """What the user asked for: an `Order` for the pipeline and whether to add the data to the
    map as layers. Loading imports by default (`Store.GEOPACKAGE`): the layers then come from
    prepared sources, never from scanning the files on the main thread."""

    title: str
    version: str | None
    items: Sequence[DownloadItem]
    folder: Path
    unpack: bool = True
    load: bool = True
    store: Store | None = None
    dataset_id: str | None = None

    @property
    def order(self) -> Order:
        store = self.store if self.store is not None or not self.load else Store.GEOPACKAGE
        return Order(self.title, self.version, self.items, self.folder,
                     unpack=self.unpack or store is not None, store=store,
                     dataset_id=self.dataset_id)

    @property
    def group_name(self) -> str:
        return self.order.group_name


def failure_text(failure: FileFailure) -> str:
    """"<file>: <what went wrong and what to do>" (the name once, even if the message has it)."""
    message = error_text(failure.error)
    name = failure.file_name
    return message if not name or name in message else f"{name}: {message}"


@dataclass
class DownloadOutcome:
    """The pipeline's delivery and what the QGIS side made of it: the layers planned (worker
    thread), added and not opened (main thread), and errors of those steps."""

    delivery: Delivery
    specs: list[LayerSpec] = field(default_factory=list)
    layers: list = field(default_factory=list)
    failed_layers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # planning or adding layers failed
    cancelled_here: bool = False

    @property
    def files(self):
        return self.delivery.files

    @property
    def skipped(self):
        return self.delivery.skipped

    @property
    def cancelled(self) -> bool:
        return self.delivery.cancelled or self.cancelled_here

    @property
    def errors(self) -> list[str]:
        return [failure_text(f) for f in self.delivery.failures] + self.problems

    @property
    def notes(self) -> list[str]:
        notes = [tr("{0} was not unpacked, so it was not added to the map.").format(path.name)
                 for path in self.delivery.packed]
        imported = self.delivery.imported
        for path, why in imported.left_out if imported is not None else []:
            notes.append(tr("{0} was left out: {1}.").format(path.name, translated(why)))
        return notes


def plan(delivery: Delivery, cancelled: Callable[[], bool]) -> list[LayerSpec]:
    """The layers of what the import stage prepared (a GeoPackage's tables, VRTs, MBTiles).
    Reads no data file: the import stage did that in the worker thread. Raises `Cancelled`."""
    if cancelled():
        raise Cancelled()
    return plan_layers(delivery.imported) if delivery.imported is not None else []


# ----- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    message: str
    level: Qgis.MessageLevel
    details: str


def starting_message(order: Order) -> str:
    count = len(order.items)
    return (tr("Downloading 1 file to {1}…") if count == 1 else
            tr("Downloading {0} files to {1}…")).format(count, order.folder)


def report(outcome: DownloadOutcome, loaded: bool = True) -> Report:
    """What to tell the user: a message for the message bar, its level, and the details for
    the log. `loaded`: adding the data as layers was asked for."""
    delivery = outcome.delivery
    order = delivery.order
    errors = outcome.errors
    notes = outcome.notes if loaded else []
    layers = len(outcome.layers)
    details = "\n".join([
        tr("Folder: {0}").format(order.folder),
        *(tr("Downloaded and verified: {0}").format(p.name) for p in delivery.files),
        *(tr("Already there and verified: {0}").format(p.name) for p in delivery.skipped),
        *errors, *notes,
    ])
    if outcome.cancelled:
        return Report(tr("Download cancelled. Partly downloaded files are kept and resume when "
                         "you download again."), Qgis.MessageLevel.Warning, details)
    if errors:
        message = tr("{0} of {1} files failed: {2}").format(
            len(errors), max(len(order.items), len(errors)), errors[0])
        if len(errors) > 1:
            message += " " + tr("(details in the OS Data Hub log)")
        if layers:
            message += " " + (
                tr("1 layer was added from the files that were verified.") if layers == 1 else
                tr("{0} layers were added from the files that were verified.")).format(layers)
        return Report(message, Qgis.MessageLevel.Critical, details)
    ready = len(delivery.verified)
    if loaded and not layers and ready:
        names = ", ".join(p.name for p in delivery.verified)
        why = " ".join(notes) or tr("they hold no data QGIS can show as a layer.")
        return Report(tr("No layer was added from {0}: {1}").format(names, why),
                      Qgis.MessageLevel.Warning, details)
    message = (tr("1 file ready in {1} ({2} already there).") if ready == 1 else
               tr("{0} files ready in {1} ({2} already there).")).format(
        ready, order.folder, len(delivery.skipped))
    if loaded:
        message += " " + (tr("1 layer added.") if layers == 1 else
                          tr("{0} layers added.")).format(layers)
    if outcome.failed_layers:
        message += " " + tr("Could not open: {0}.").format(", ".join(outcome.failed_layers))
    if notes:
        message += " " + " ".join(notes)
    return Report(message, Qgis.MessageLevel.Success, details)
