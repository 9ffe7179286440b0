"""`os_data_hub:download_opendata`: the files of an OS OpenData product, by format and area."""

from __future__ import annotations

import re

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingParameterExtent,
    QgsProcessingParameterString,
)

from ..api.client import DownloadsClient, normalise_area
from ..api.download import DownloadItem
from ..api.models import ProductDownload
from ..api.national_grid import GB, squares_intersecting
from .base import DownloadAlgorithm

BNG = QgsCoordinateReferenceSystem("EPSG:27700")


def split_words(text: str) -> list[str]:
    """`SU, TQ`, `su tq` or `SU;TQ` as words."""
    return [word for word in re.split(r"[\s,;]+", text or "") if word]


def _matching(value: str | None, wanted: str) -> bool:
    return (value or "").casefold() == wanted.casefold()


class DownloadOpenData(DownloadAlgorithm):
    PRODUCT = "PRODUCT"
    FORMAT = "FORMAT"
    SUBFORMAT = "SUBFORMAT"
    AREAS = "AREAS"
    EXTENT = "EXTENT"

    def name(self) -> str:
        return "download_opendata"

    def displayName(self) -> str:
        return self.tr("Download OS OpenData")

    def algorithm_help(self) -> str:
        return self.tr(
            "Downloads the files of an OS OpenData product from the OS Downloads API (no key "
            "needed), checks each against the size and md5 the API publishes, unpacks the zips "
            "safely and, if asked, loads the data as layers (with the OS attribution) when the "
            "algorithm completes.\n\n"
            "PRODUCT: the product id, e.g. OpenGreenspace (the list_products algorithm lists "
            "them).\n"
            "FORMAT: a format of that product, e.g. GeoPackage or ESRI® Shapefile; SUBFORMAT "
            "where the product has them, e.g. (MBTiles).\n"
            "AREAS: 100 km National Grid squares such as SU, TQ, or GB for all of Great "
            "Britain. EXTENT: instead of AREAS, take the squares that this extent touches. "
            "With neither, the GB file is taken (or every file when the product has no GB "
            "file).\n"
            "Downloads resume: files already in the folder and verified are not fetched "
            "again.\n\n"
            "Outputs: FILES (the downloaded files), LAYERS (the layers loaded) and FOLDER."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterString(
            self.PRODUCT, self.tr("Product id (e.g. OpenGreenspace)")))
        self.addParameter(QgsProcessingParameterString(
            self.FORMAT, self.tr("Format (e.g. GeoPackage)")))
        self.addParameter(QgsProcessingParameterString(
            self.SUBFORMAT, self.tr("Subformat"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.AREAS, self.tr("Areas: National Grid squares (SU, TQ) or GB"), optional=True))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, self.tr("…or the squares that this extent touches"), optional=True))
        self.add_download_parameters()

    def dataset_id(self, parameters, context) -> str | None:
        return self.parameterAsString(parameters, self.PRODUCT, context).strip() or None

    def list_files(
        self, client: DownloadsClient, parameters: dict, context, feedback
    ) -> tuple[str, str | None, list[DownloadItem]]:
        product_id = self.parameterAsString(parameters, self.PRODUCT, context).strip()
        format_ = self.parameterAsString(parameters, self.FORMAT, context).strip()
        subformat = self.parameterAsString(parameters, self.SUBFORMAT, context).strip()
        areas = [normalise_area(w) for w in split_words(
            self.parameterAsString(parameters, self.AREAS, context))]
        if not areas and parameters.get(self.EXTENT):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, BNG)
            areas = squares_intersecting(extent.xMinimum(), extent.yMinimum(),
                                         extent.xMaximum(), extent.yMaximum())
            if not areas:
                raise QgsProcessingException(self.tr(
                    "The extent touches no 100 km National Grid square of Great Britain."))
            feedback.pushInfo(self.tr("Squares in the extent: {0}").format(", ".join(areas)))
        product = client.product(product_id)
        downloads = self._of_format(client.product_downloads(product.id), format_, subformat,
                                    product.id)
        chosen = self._in_areas(downloads, areas, product.id)
        items = [d.to_item() for d in chosen]
        return product.name, product.version, items

    def _of_format(
        self, downloads: list[ProductDownload], format_: str, subformat: str, product_id: str
    ) -> list[ProductDownload]:
        # Exact names first (`ESRI® Shapefile`); else ignoring case, for typed command lines.
        for same in (lambda a, b: (a or "") == b, _matching):
            found = [d for d in downloads if same(d.format, format_)
                     and (not subformat or same(d.subformat, subformat))]
            if found:
                return found
        formats = sorted({d.format + (f" / {d.subformat}" if d.subformat else "")
                          for d in downloads if d.format})
        raise QgsProcessingException(self.tr(
            "Product {0} has no files in format '{1}'. Its formats are: {2} (FORMAT / "
            "SUBFORMAT).").format(
                product_id, format_ + (f" / {subformat}" if subformat else ""),
                ", ".join(formats) or self.tr("none")))

    def _in_areas(
        self, downloads: list[ProductDownload], areas: list[str], product_id: str
    ) -> list[ProductDownload]:
        if not areas:
            whole = [d for d in downloads if (d.area or "").upper() == GB]
            return whole or downloads
        chosen = [d for d in downloads if (d.area or "").upper() in areas]
        if not chosen:
            available = sorted({(d.area or "").upper() for d in downloads if d.area})
            raise QgsProcessingException(self.tr(
                "Product {0} has no files for {1} in this format. It has files for: {2}.").format(
                    product_id, ", ".join(areas), ", ".join(available) or self.tr("none")))
        return chosen
