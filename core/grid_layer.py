"""The 100 km National Grid squares as a temporary, labelled memory layer, and the map tool
that picks squares by clicking on the map."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsPalLayerSettings,
    QgsProject,
    QgsRectangle,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.gui import QgsMapToolEmitPoint
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QColor, QFont

from ..api.national_grid import AREA_CODES, square_at, square_bounds, squares_intersecting
from .compat import LABEL_OVER_POINT, string_field
from .i18n import tr

BNG = QgsCoordinateReferenceSystem("EPSG:27700")
LAYER_PROPERTY = "os_data_hub_loader/grid_layer"


def create_grid_layer(codes: list[str] | None = None) -> QgsVectorLayer:
    """A memory layer with one labelled polygon per square (`code` attribute)."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700", tr("National Grid 100 km squares"), "memory")
    provider = layer.dataProvider()
    provider.addAttributes([string_field("code")])
    layer.updateFields()
    features = []
    for code in codes or AREA_CODES:
        if code == "GB":
            continue
        xmin, ymin, xmax, ymax = square_bounds(code)
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(xmin, ymin, xmax, ymax)))
        feature.setAttribute("code", code)
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": "69,60,144,255", "outline_width": "0.4"}
    )
    layer.renderer().setSymbol(symbol)
    text = QgsTextFormat()
    text.setFont(QFont("Sans Serif", 10, QFont.Weight.Bold))
    text.setColor(QColor(69, 60, 144))
    text.setSize(10)
    labels = QgsPalLayerSettings()
    labels.fieldName = "code"
    labels.placement = LABEL_OVER_POINT
    labels.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)
    layer.setCustomProperty(LAYER_PROPERTY, True)
    layer.setCustomProperty("skipMemoryLayersCheck", 1)
    return layer


def select_codes(layer: QgsVectorLayer, codes: set[str]) -> None:
    """Show the picked squares as the layer's selection."""
    ids = [f.id() for f in layer.getFeatures() if f["code"] in codes]
    layer.selectByIds(ids)


def to_bng_rectangle(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                     project: QgsProject | None = None) -> QgsRectangle:
    if crs == BNG:
        return QgsRectangle(extent)
    transform = QgsCoordinateTransform(crs, BNG, project or QgsProject.instance())
    return transform.transformBoundingBox(extent)


def squares_in_extent(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                      available: list[str]) -> list[str]:
    """The available squares that intersect a map extent given in any CRS."""
    box = to_bng_rectangle(extent, crs)
    return squares_intersecting(box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum(),
                                known=[c for c in available if c != "GB"])


class SquarePickerTool(QgsMapToolEmitPoint):
    """Click on the map to toggle the 100 km square under the cursor."""

    squareClicked = pyqtSignal(str)

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvasClicked.connect(self._clicked)

    def _clicked(self, point, _button) -> None:
        crs = self.canvas().mapSettings().destinationCrs()
        if crs != BNG:
            transform = QgsCoordinateTransform(crs, BNG, QgsProject.instance())
            point = transform.transform(point)
        self.squareClicked.emit(square_at(point.x(), point.y()))
