"""`os_data_hub:list_products`: the OS OpenData catalogue as a table, for models."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ..api.cancel import CancelToken
from ..api.client import DownloadsClient
from ..api.errors import OSAPIError
from ..core.compat import string_field
from .base import FeedbackCancel, OSDataHubAlgorithm, api_context, processing_error

COLUMNS = ("id", "name", "version", "formats", "areas", "category", "structures")


class ListProducts(OSDataHubAlgorithm):
    OUTPUT = "OUTPUT"

    def __init__(self) -> None:
        super().__init__()
        self._cancel = CancelToken()
        self._client: DownloadsClient | None = None

    def name(self) -> str:
        return "list_products"

    def displayName(self) -> str:
        return self.tr("List OS OpenData products")

    def shortHelpString(self) -> str:
        return self.tr(
            "Writes the OS OpenData catalogue of the OS Downloads API as a table without "
            "geometry, one row per product: id (what download_opendata takes as PRODUCT), "
            "name, version, formats (FORMAT / SUBFORMAT, separated by commas), areas (the "
            "National Grid squares and GB it comes in), category and structures (Vector, "
            "Raster)."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("OS OpenData products"), QgsProcessing.SourceType.TypeVector))

    def prepareAlgorithm(self, parameters, context, feedback) -> bool:
        self._cancel = CancelToken()
        try:
            self._client = api_context().downloads_client(cancel=self._cancel)
        except OSAPIError as error:
            raise processing_error(error) from None
        return True

    def processAlgorithm(self, parameters, context, feedback) -> dict[str, Any]:
        fields = QgsFields()
        for column in COLUMNS:
            fields.append(string_field(column))
        assert self._client is not None
        with FeedbackCancel(feedback) as cancel:
            cancel.add(self._cancel)
            try:
                with self._client:
                    products = self._client.products(expanded=True)
            except OSAPIError as error:
                raise processing_error(error) from None
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.NoGeometry,
            QgsCoordinateReferenceSystem())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for number, product in enumerate(sorted(products, key=lambda p: p.id.lower())):
            if feedback.isCanceled():
                break
            feature = QgsFeature(fields)
            feature.setAttributes([
                product.id,
                product.name,
                product.version or "",
                ", ".join(f.label() for f in product.formats),
                ", ".join(product.areas),
                ", ".join(c for c in [product.category, *product.categories] if c),
                ", ".join(product.data_structures),
            ])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100 * (number + 1) / max(1, len(products)))
        feedback.pushInfo(self.tr("{0} products").format(len(products)))
        return {self.OUTPUT: dest_id}
