"""`os_data_hub:download_data_package`: the files of a premium data package version (needs the
API key stored in the plugin's settings)."""

from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingParameterString

from ..api.client import DownloadsClient
from ..api.download import DownloadItem
from .base import DownloadAlgorithm

LATEST = "latest"


class DownloadDataPackage(DownloadAlgorithm):
    PACKAGE = "PACKAGE"
    VERSION = "VERSION"
    FILE_NAMES = "FILES"  # the input: a subset of the version's files (the output is FILES too)

    def needs_key(self) -> bool:
        return True

    def name(self) -> str:
        return "download_data_package"

    def displayName(self) -> str:
        return self.tr("Download a data package")

    def algorithm_help(self) -> str:
        return self.tr(
            "Downloads a version of a premium data package that you ordered on the OS Data Hub "
            "web site. Needs the project's API key, stored in the plugin's settings. Each file "
            "is checked against its published size and md5, unpacked safely and, if asked, "
            "loaded as layers when the algorithm completes.\n\n"
            "PACKAGE: the data package id, e.g. 0040046952.\n"
            "VERSION: a version id, or latest.\n"
            "FILES: some of the version's file names, separated by commas; empty for all.\n\n"
            "Outputs: FILES (the downloaded files), LAYERS (the layers loaded) and FOLDER."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterString(
            self.PACKAGE, self.tr("Data package id")))
        self.addParameter(QgsProcessingParameterString(
            self.VERSION, self.tr("Version id, or latest"), defaultValue=LATEST))
        self.addParameter(QgsProcessingParameterString(
            self.FILE_NAMES, self.tr("Only these files (comma separated; empty for all)"),
            optional=True))
        self.add_download_parameters()

    def dataset_id(self, parameters, context) -> str | None:
        return self.parameterAsString(parameters, self.PACKAGE, context).strip() or None

    def list_files(
        self, client: DownloadsClient, parameters: dict, context, feedback
    ) -> tuple[str, str | None, list[DownloadItem]]:
        package_id = self.parameterAsString(parameters, self.PACKAGE, context).strip()
        version_id = self.parameterAsString(parameters, self.VERSION, context).strip() or LATEST
        text = self.parameterAsString(parameters, self.FILE_NAMES, context) or ""
        wanted = [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]
        package = client.data_package(package_id)
        # Resolve `latest` once, so that every file comes from the same version.
        detail = client.data_package_version(package_id, version_id)
        names = [d.file_name for d in detail.downloads]
        if not names:
            raise QgsProcessingException(self.tr(
                "Version {0} of data package {1} has no files to download.").format(
                    detail.id, package_id))
        picked = []
        for name in wanted:
            match = [n for n in names if n == name] or [
                n for n in names if n.casefold() == name.casefold()]
            if not match:
                raise QgsProcessingException(self.tr(
                    "Version {0} of data package {1} has no file named '{2}'. Its files are: "
                    "{3}.").format(detail.id, package_id, name, ", ".join(sorted(names))))
            picked += [m for m in match if m not in picked]
        chosen = [d for d in detail.downloads if not wanted or d.file_name in picked]
        feedback.pushInfo(self.tr("Version {0} ({1})").format(
            detail.id, detail.product_version or detail.created_on or ""))
        items = [
            d.to_item(client.package_file_url(package_id, detail.id, d.file_name))
            for d in chosen
        ]
        title = f"{package.name} – {detail.product_version or detail.id}"
        return title, detail.product_version or detail.created_on, items
