"""The plugin's tab in the QGIS log ("OS Data Hub"): details behind the message-bar texts."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

LOG_TAG = "OS Data Hub"


def log(text: str, level=Qgis.MessageLevel.Info) -> None:
    QgsMessageLog.logMessage(text, LOG_TAG, level)
