"""`os_data_hub:add_basemap`: an OS Maps layer added to the project, built by
`core.basemap_layers.add_basemap` (the Basemaps tab's own function: key handling, attribution,
premium zoom limits)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterString,
)

from ..api.cancel import CancelToken
from ..api.errors import OSAPIError
from ..api.wmts import PREMIUM_UNKNOWN, Capabilities
from ..core import cache
from ..core.basemap_layers import add_basemap
from ..core.basemap_service import CACHE_NAME
from ..core.i18n import error_text
from .base import FeedbackCancel, OSDataHubAlgorithm, api_context, processing_error

DEFAULT_LAYER = "Road_27700"


class AddBasemap(OSDataHubAlgorithm):
    LAYER = "LAYER"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "add_basemap"

    def displayName(self) -> str:
        return self.tr("Add an OS Maps basemap")

    def shortHelpString(self) -> str:
        return self.tr(
            "Adds an OS Maps API layer (WMTS) to the project, with the OS attribution. Needs "
            "the project's API key, stored in the plugin's settings; it is kept out of saved "
            "projects. Without a premium plan the layer is drawn down to the last open zoom "
            "level and hidden closer in.\n\n"
            "LAYER: Road_27700, Outdoor_27700, Light_27700, Leisure_27700 (British National "
            "Grid) or Road_3857, Outdoor_3857, Light_3857 (Web Mercator).\n\n"
            "Output: OUTPUT, the layer added."
        )

    def flags(self):
        # It adds the layer to the project itself, so it runs on the main thread (a model
        # that holds it does too), like QGIS's own "Load layer into project".
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterString(
            self.LAYER, self.tr("OS Maps layer (e.g. Road_27700)"), defaultValue=DEFAULT_LAYER))
        self.addOutput(QgsProcessingOutputRasterLayer(self.OUTPUT, self.tr("OS Maps layer")))

    def processAlgorithm(self, parameters, context, feedback) -> dict[str, Any]:
        api = api_context()
        stored = api.credentials.load() if api.has_credentials else None
        if stored is None:
            raise QgsProcessingException(self.tr(
                "OS Maps needs an OS Data Hub API key: enter it in the plugin's settings "
                "(Settings → Options → OS Data Hub) first."))
        wanted = self.parameterAsString(parameters, self.LAYER, context).strip()
        base_url = api.settings.base_url
        capabilities, premium = self._capabilities(api, stored.key, base_url, feedback)
        layer = capabilities.layer(wanted) or next(
            (item for item in capabilities.layers if item.id.casefold() == wanted.casefold()),
            None)
        if layer is None:
            raise QgsProcessingException(self.tr(
                "OS Maps has no layer '{0}'. Its layers are: {1}.").format(
                    wanted, ", ".join(item.id for item in capabilities.layers)))
        raster = add_basemap(capabilities, layer, base_url=base_url,
                             credentials=api.credentials, premium=premium,
                             project=context.project())
        if raster is None:
            raise QgsProcessingException(self.tr(
                "QGIS could not open the OS Maps layer {0}: check the API key and the "
                "network.").format(layer.id))
        feedback.pushInfo(self.tr("Added {0}").format(raster.name()))
        return {self.OUTPUT: raster.id()}

    def _capabilities(
        self, api, key: str, base_url: str, feedback
    ) -> tuple[Capabilities, str]:
        """Fresh capabilities and premium access; the saved list when the service cannot be
        reached."""
        token = CancelToken()
        with FeedbackCancel(feedback) as cancel:
            cancel.add(token)
            try:
                with api.maps_client(key, cancel=token) as client:
                    capabilities, premium = client.capabilities_and_plan()
                cache.save_json(CACHE_NAME, base_url, capabilities.to_json())
                return capabilities, premium
            except OSAPIError as error:
                saved = cache.load_json(CACHE_NAME, base_url)
                if not isinstance(saved, dict) or cancel.cancelled:
                    raise processing_error(error) from None
                feedback.pushWarning(self.tr("Using the saved OS Maps layer list: {0}").format(
                    error_text(error)))
                try:
                    return Capabilities.from_json(saved), PREMIUM_UNKNOWN
                except OSAPIError:
                    raise processing_error(error) from None
