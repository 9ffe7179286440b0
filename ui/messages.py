"""Messages in the QGIS message bar, with durations that suit their level."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication

# Seconds on screen; 0 keeps a failure there until the user closes it.
DURATIONS = {Qgis.Info: 6, Qgis.Success: 10, Qgis.Warning: 15, Qgis.Critical: 0}


def notify(iface, text: str, level=Qgis.Info) -> None:
    title = QCoreApplication.translate("@default", "OS Data Hub")
    iface.messageBar().pushMessage(title, text, level, DURATIONS.get(level, 10))
