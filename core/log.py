"""The plugin's tab in the QGIS log ("OS Data Hub"): details behind the message-bar texts."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

from ..api.errors import redact

LOG_TAG = "OS Data Hub"


def log(text: str, level=Qgis.MessageLevel.Info) -> None:
    """Write `text` to the plugin's log tab, with every secret the plugin knows redacted."""
    QgsMessageLog.logMessage(redact(text), LOG_TAG, level)
