"""`os_data_hub:add_basemap` (placeholder until core/basemaps.py lands)."""
from .base import OSDataHubAlgorithm


class AddBasemap(OSDataHubAlgorithm):
    def name(self):
        return "add_basemap"

    def displayName(self):  # noqa: N802
        return "Add an OS Maps basemap"

    def shortHelpString(self):  # noqa: N802
        return "x"

    def initAlgorithm(self, config=None):  # noqa: N802
        pass

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        return {}
