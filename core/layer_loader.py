"""Turn `LayerSpec`s into QGIS layers and add them to the project (main thread only)."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
    QgsVectorTileLayer,
)

from ..api.importer import attribution_for
from .compat import set_layer_attribution
from .layer_plan import LayerKind, LayerSpec

__all__ = ["add_layers", "attribution_for", "make_layer", "set_attribution"]


def make_layer(spec: LayerSpec) -> QgsMapLayer | None:
    if spec.kind is LayerKind.RASTER:
        layer: QgsMapLayer = QgsRasterLayer(spec.uri, spec.name, spec.provider.value)
    elif spec.kind is LayerKind.VECTOR_TILE:
        layer = QgsVectorTileLayer(spec.uri, spec.name)
    else:
        layer = QgsVectorLayer(spec.uri, spec.name, spec.provider.value)
    if not layer.isValid():
        return None
    if not layer.crs().isValid():
        layer.setCrs(QgsCoordinateReferenceSystem(spec.default_crs))
    return layer


def set_attribution(layer: QgsMapLayer, attribution: str, abstract: str = "") -> None:
    """Put the OS attribution where print layouts and QGIS Server find it."""
    metadata = layer.metadata()
    rights = [r for r in metadata.rights() if r != attribution]
    metadata.setRights([attribution, *rights])
    if abstract and not metadata.abstract():
        metadata.setAbstract(abstract)
    layer.setMetadata(metadata)
    set_layer_attribution(layer, attribution)


def add_layers(
    specs: list[LayerSpec],
    group_name: str,
    version: str | None,
    project: QgsProject | None = None,
) -> tuple[list[QgsMapLayer], list[str]]:
    """Create the layers, put them in a group named `group_name` at the top of the layer tree.

    Returns the layers added and the names of the specs that did not make a valid layer.
    """
    project = project or QgsProject.instance()
    attribution = attribution_for(version)
    layers: list[QgsMapLayer] = []
    failed: list[str] = []
    for spec in specs:
        layer = make_layer(spec)
        if layer is None:
            failed.append(spec.name)
            continue
        set_attribution(layer, attribution)
        layers.append(layer)
    if not layers:
        return layers, failed
    root = project.layerTreeRoot()
    group = root.findGroup(group_name)
    if not isinstance(group, QgsLayerTreeGroup):
        group = root.insertGroup(0, group_name)
    for layer in layers:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return layers, failed
