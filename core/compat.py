"""What differs between the QGIS versions the plugin runs on: 3.22 to 3.44 (Qt5) and 4.x (Qt6).

Everything version-specific lives here, so the rest of the code is written once. Each line that
names something only some versions have says so with a `# qt6:` comment, which the Qt6 lint
(`scripts/qt6_lint.py`) reads: such a name is only ever evaluated on the versions that have it.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsField, QgsMapLayer, QgsPalLayerSettings

try:  # Qt6 moved QAction to QtGui; Qt5 has it in QtWidgets
    from qgis.PyQt.QtGui import QAction  # qt6: Qt6 (and Qt5 builds that have it there)
except ImportError:
    from qgis.PyQt.QtWidgets import QAction  # type: ignore[no-redef]  # qt6: Qt5 only

__all__ = ["HAS_API_HEADER_AUTH", "LABEL_OVER_POINT", "QGIS_VERSION_INT", "QAction",
           "set_layer_attribution", "string_field"]

QGIS_VERSION_INT: int = Qgis.versionInt()

# The API-header auth method (QGIS >= 3.24) sends the OS Maps key as a header, so it is in no
# layer URL; on 3.22 the key has to sit in the WMTS layer's URL.
HAS_API_HEADER_AUTH = QGIS_VERSION_INT >= 32400

# QgsField takes a QMetaType.Type from 3.38 on (QVariant.Type is deprecated there, and gone in
# Qt6); 3.22 to 3.36 take only a QVariant.Type.
if QGIS_VERSION_INT >= 33800:
    from qgis.PyQt.QtCore import QMetaType

    _STRING_TYPE = QMetaType.Type.QString  # qt6: QgsField takes QMetaType from 3.38 on
else:
    from qgis.PyQt.QtCore import QVariant

    _STRING_TYPE = QVariant.String  # qt6: only on QGIS < 3.38, where QgsField wants QVariant

# Label placement: 3.22 has QgsPalLayerSettings.Placement; later versions moved it to
# Qgis.LabelPlacement, and `QgsPalLayerSettings.OverPoint` names a member of another enum there.
if hasattr(Qgis, "LabelPlacement"):
    LABEL_OVER_POINT = Qgis.LabelPlacement.OverPoint  # qt6: Qgis.LabelPlacement from 3.26 on
else:
    LABEL_OVER_POINT = QgsPalLayerSettings.Placement.OverPoint  # qt6: QGIS < 3.26


def string_field(name: str) -> QgsField:
    """A text attribute field."""
    return QgsField(name, _STRING_TYPE)


def set_layer_attribution(layer: QgsMapLayer, attribution: str) -> None:
    """The attribution QGIS Server and print layouts show: in the layer's server properties from
    3.38 on (`QgsMapLayer.setAttribution()` is deprecated there), on the layer before."""
    properties = layer.serverProperties() if hasattr(layer, "serverProperties") else None
    if properties is not None and hasattr(properties, "setAttribution"):
        properties.setAttribution(attribution)
    elif hasattr(layer, "setAttribution"):
        layer.setAttribution(attribution)  # qt6: deprecated from 3.38 on, used only before
