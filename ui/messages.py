"""Messages for the user: the QGIS message bar (short, with what to do next) and the QGIS log
under an "OS Data Hub" tab (the same text plus any details)."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication

from ..api.errors import redact
from ..core.downloads import Report, report
from ..core.log import log

# Seconds on screen; 0 keeps a failure there until the user closes it.
DURATIONS = {Qgis.MessageLevel.Info: 6, Qgis.MessageLevel.Success: 10,
             Qgis.MessageLevel.Warning: 15, Qgis.MessageLevel.Critical: 0}


def notify(iface, text: str, level=Qgis.MessageLevel.Info, details: str = "") -> None:
    """Show `text` in the message bar and write it, with `details`, to the log."""
    title = QCoreApplication.translate("@default", "OS Data Hub")
    iface.messageBar().pushMessage(title, redact(text), level, DURATIONS.get(level, 10))
    log(f"{text}\n{details}".strip(), level)


def tell_outcome(iface, task) -> Report:
    """The one report of a finished download (dock and Browser alike), in the message bar and,
    with its details, in the log."""
    told = report(task.outcome, loaded=task.request.load)
    notify(iface, told.message, told.level, told.details)
    return told
