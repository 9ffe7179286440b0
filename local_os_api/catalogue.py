"""What the local server offers: products, their downloads, data packages and thumbnails.

Product details follow the recorded bodies: the seven recorded products keep their recorded
id, name, description and version (OpenGreenspace its whole recorded body); the others use the
current spec's shape (description as a list of strings). Every download is a file on disk.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from urllib.parse import quote, unquote

from . import recordings

DOCS = "https://www.ordnancesurvey.co.uk/business-government/products/"

# Details beyond the summary fields, per product, in the order of the recorded product body.
PRODUCT_DETAILS: dict[str, dict] = {
    "250kScaleColourRaster": {
        "documentationUrl": DOCS + "250k-raster", "dataStructures": ["Raster"],
        "category": "Backdrop mapping", "formats": [{"format": "TIFF-LZW"}], "imageCount": 1,
    },
    "BoundaryLine": {
        "documentationUrl": DOCS + "boundaryline", "dataStructures": ["Vector"],
        "category": "Boundaries",
        "formats": [{"format": "ESRI® Shapefile"}, {"format": "GML", "subformat": "3"},
                    {"format": "GeoPackage"}, {"format": "MapInfo® TAB"}],
        "imageCount": 2,
    },
    "CodePointOpen": {
        "documentationUrl": DOCS + "code-point-open", "dataStructures": ["Vector"],
        "category": "Addresses", "formats": [{"format": "CSV"}, {"format": "GeoPackage"}],
        "imageCount": 1,
    },
    "GBOverviewMaps": {
        "documentationUrl": DOCS + "gb-overview-maps", "dataStructures": ["Raster"],
        "category": "Backdrop mapping", "formats": [{"format": "GeoTIFF"}], "imageCount": 1,
    },
    "LIDS": {
        "documentationUrl": DOCS + "open-linked-identifiers", "dataStructures": ["Vector"],
        "category": "Identifiers", "formats": [{"format": "CSV"}], "imageCount": 1,
    },
    "MiniScale": {
        "documentationUrl": DOCS + "miniscale", "dataStructures": ["Raster"],
        "category": "Backdrop mapping", "formats": [{"format": "GeoTIFF"}], "imageCount": 1,
    },
    "Terrain50": {
        "documentationUrl": DOCS + "terrain-50", "dataStructures": ["Vector", "Raster"],
        "category": "Height",
        "formats": [{"format": "ASCII Grid and GML (Grid)"},
                    {"format": "ESRI® Shapefile (Contours)"}, {"format": "GML 3 (Contours)"}],
        "imageCount": 2,
    },
    "OpenZoomstack": {
        "documentationUrl": DOCS + "os-open-zoomstack", "dataStructures": ["Vector"],
        "category": "Backdrop mapping",
        "formats": [{"format": "GeoPackage"}, {"format": "Vector Tiles", "subformat": "(MBTiles)"}],
        "imageCount": 2,
    },
    "OpenMapLocal": {
        "documentationUrl": DOCS + "os-open-map-local", "dataStructures": ["Vector"],
        "category": "Backdrop mapping",
        "formats": [{"format": "ESRI® Shapefile"}, {"format": "GeoPackage"}], "imageCount": 1,
    },
    "VectorMapDistrict": {
        "documentationUrl": DOCS + "vectormap-district", "dataStructures": ["Vector", "Raster"],
        "category": "Backdrop mapping",
        "formats": [{"format": "ESRI® Shapefile"}, {"format": "GeoPackage"},
                    {"format": "GeoTIFF"}],
        "imageCount": 1,
    },
    "OpenRoads": {
        "documentationUrl": DOCS + "os-open-roads", "dataStructures": ["Vector"],
        "category": "Transport networks",
        "formats": [{"format": "ESRI® Shapefile"}, {"format": "GML", "subformat": "3"},
                    {"format": "GeoPackage"}],
        "imageCount": 1,
    },
    "OpenNames": {
        "documentationUrl": DOCS + "os-open-names", "dataStructures": ["Vector"],
        "category": "Place names", "formats": [{"format": "CSV"}, {"format": "GeoPackage"}],
        "imageCount": 1,
    },
    "OpenUPRN": {
        "documentationUrl": DOCS + "os-open-uprn", "dataStructures": ["Vector"],
        "category": "Identifiers", "formats": [{"format": "CSV"}, {"format": "GeoPackage"}],
        "imageCount": 1,
    },
    "BuiltUpAreas": {
        "documentationUrl": DOCS + "os-open-built-up-areas", "dataStructures": ["Vector"],
        "category": "Boundaries", "formats": [{"format": "CSV"}, {"format": "GeoPackage"}],
        "imageCount": 1,
    },
}

# Summaries of the products that no recording covers (current spec: description is a list).
EXTRA_SUMMARIES = [
    {
        "id": "OpenZoomstack", "name": "OS Open Zoomstack",
        "description": ["A comprehensive vector basemap showing coverage of Great Britain.",
                        "Available as a GeoPackage and as vector tiles (MBTiles)."],
        "version": "2021-01",
    },
    {
        "id": "Terrain50", "name": "OS Terrain® 50",
        "description": ["Height data for Great Britain on a 50 metre grid.",
                        "Supplied as ASCII grid tiles and as GML contours."],
        "version": "2020-07",
    },
    {
        "id": "OpenMapLocal", "name": "OS OpenMap - Local",
        "description": ["Street-level backdrop mapping: buildings, roads, water, woodland and "
                        "names in themes.", "Supplied per 100 km square or for all of GB."],
        "version": "2024-04",
    },
    {
        "id": "VectorMapDistrict", "name": "OS VectorMap® District",
        "description": ["Mid-scale mapping of Great Britain as vector themes and raster tiles."],
        "version": "2024-05",
    },
    {
        "id": "OpenRoads", "name": "OS Open Roads",
        "description": ["The road network of Great Britain: road links, nodes and motorway "
                        "junctions."],
        "version": "2024-04",
    },
    {
        "id": "OpenNames", "name": "OS Open Names",
        "description": ["Place names, road names and postcodes of Great Britain, with Welsh "
                        "and Gaelic names."],
        "version": "2024-04",
    },
    {
        "id": "OpenUPRN", "name": "OS Open UPRN",
        "description": ["Every Unique Property Reference Number in Great Britain with its "
                        "coordinates."],
        "version": "2024-05",
    },
    {
        "id": "BuiltUpAreas", "name": "OS Open Built Up Areas",
        "description": ["The built up areas of Great Britain: areas, built up extents and "
                        "non built up extents."],
        "version": "2024-03",
    },
]

PACKAGES = [
    {
        "id": "0040046952", "name": "Southampton Addresses", "createdOn": "2021-01-20",
        "productId": "ABPOSTSLA", "productName": "AddressBase",
        "versions": [
            {"id": "110012", "createdOn": "2021-04-01", "reason": "INITIAL", "supplyType": "FULL",
             "productVersion": "E37 December 2015 Update", "format": "CSV"},
            {"id": "110013", "createdOn": "2021-05-01", "reason": "UPDATE", "supplyType": "COU",
             "productVersion": "E38 January 2016 Update", "format": "CSV"},
        ],
    },
    {
        "id": "0040154231", "name": "Topography Southampton", "createdOn": "2021-02-11",
        "productId": "MMTOPO", "productName": "OS MasterMap Topography Layer",
        "versions": [
            {"id": "120045", "createdOn": "2021-02-12", "reason": "INITIAL", "supplyType": "FULL",
             "productVersion": "February 2021", "format": "GeoPackage"},
        ],
    },
]

UPPER_CASE_MD5 = {"OpenGreenspace"}  # as recorded in 2021; later products use lower case


def image_counts() -> dict[str, int]:
    counts = {pid: d["imageCount"] for pid, d in PRODUCT_DETAILS.items()}
    counts["OpenGreenspace"] = recordings.open_greenspace()["imageCount"]
    return counts


def _path_part(text: str) -> str:
    return quote(text, safe="")


class Catalogue:
    """Products, downloads, packages and images backed by files under `root`."""

    def __init__(self, root: Path, manifest: dict) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._products: dict[str, dict] = {}
        self._downloads: dict[str, list[dict]] = {}
        self._package_files: dict[tuple[str, str], list[dict]] = {}
        self._images: dict[tuple[str, int, str], Path] = {}
        self._storage: dict[str, dict] = {}
        for summary in [*recordings.products_sample(), *EXTRA_SUMMARIES]:
            self._add_product(summary)
        for row in manifest["files"]:
            path = root / row["path"]
            if "product" in row:
                self._add_download(row["product"], row, path)
            else:
                self._add_package_file(row, path)
        for row in manifest["images"]:
            key = (row["product"], row["index"], row["size"])
            self._images[key] = root / row["path"]
            self._storage[self.image_storage_path(*key)] = {
                "path": root / row["path"], "md5": None, "fileName": Path(row["path"]).name,
            }

    # --- building ------------------------------------------------------------------------------

    def _add_product(self, summary: dict) -> None:
        pid = summary["id"]
        if pid == "OpenGreenspace":
            details = recordings.open_greenspace()
        else:
            details = {k: summary[k] for k in ("id", "name", "description", "version")}
            details.update(PRODUCT_DETAILS.get(pid, {}))
        self._products[pid] = {"summary": summary, "details": details}
        self._downloads.setdefault(pid, [])

    def _add_download(self, product_id: str, row: dict, path: Path) -> dict:
        product = self._products[product_id]
        md5 = row["md5"].upper() if product_id in UPPER_CASE_MD5 else row["md5"].lower()
        area = row["area"]
        entry = {
            "productId": product_id, "fileName": row["fileName"], "size": row["size"],
            "md5": md5, "area": area, "format": row["format"],
            "subformat": row.get("subformat"), "path": path,
        }
        scope = "allGB" if area == "GB" else "100kmSquares"
        version = product["details"]["version"]
        entry["storagePath"] = "/".join([
            "/downloads", _path_part(product_id), version, scope,
            _path_part(row["format"]), _path_part(row["fileName"]),
        ])
        self._downloads[product_id].append(entry)
        self._storage[unquote(entry["storagePath"])] = entry
        return entry

    def _add_package_file(self, row: dict, path: Path) -> None:
        entry = {
            "packageId": row["package"], "versionId": row["version"],
            "fileName": row["fileName"], "size": row["size"], "md5": row["md5"], "path": path,
            "storagePath": "/".join(["/downloads/dataPackages", row["package"], row["version"],
                                     _path_part(row["fileName"])]),
        }
        self._package_files.setdefault((row["package"], row["version"]), []).append(entry)
        self._storage[unquote(entry["storagePath"])] = entry

    def add_product(self, summary: dict, details: dict, rows: list[dict]) -> list[dict]:
        """Register a product (e.g. the benchmark file) with rows: fileName, area, format,
        size, md5, path (absolute)."""
        with self._lock:
            self._products[summary["id"]] = {"summary": summary, "details": details}
            self._downloads[summary["id"]] = []
            return [self._add_download(summary["id"], row, Path(row["path"])) for row in rows]

    # --- reading -------------------------------------------------------------------------------

    @property
    def products(self) -> list[dict]:
        """Full product details (URL-free), sorted by id like the live list."""
        with self._lock:
            return [copy.deepcopy(self._products[pid]["details"]) for pid in sorted(self._products)]

    def product_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._products)

    def summary(self, product_id: str) -> dict | None:
        with self._lock:
            product = self._products.get(product_id)
            return copy.deepcopy(product["summary"]) if product else None

    def details(self, product_id: str) -> dict | None:
        with self._lock:
            product = self._products.get(product_id)
            return copy.deepcopy(product["details"]) if product else None

    def downloads(self, product_id: str | None = None) -> list[dict]:
        """Download rows (fileName, size, md5 as listed, area, format, subformat, path)."""
        with self._lock:
            ids = [product_id] if product_id else sorted(self._downloads)
            return [dict(row) for pid in ids for row in self._downloads.get(pid, [])]

    def packages(self) -> list[dict]:
        return copy.deepcopy(PACKAGES)

    def package(self, package_id: str) -> dict | None:
        return next((p for p in self.packages() if p["id"] == package_id), None)

    def package_files(self, package_id: str, version_id: str) -> list[dict]:
        return [dict(row) for row in self._package_files.get((package_id, version_id), [])]

    @staticmethod
    def image_storage_path(product_id: str, index: int, size: str) -> str:
        return f"/images/{product_id}/{index}_{size}.jpg"

    def image(self, product_id: str, index: int, size: str) -> Path | None:
        return self._images.get((product_id, index, size))

    def storage_entry(self, storage_path: str) -> dict | None:
        """The file behind a storage path as requested (percent-encoded)."""
        with self._lock:
            return self._storage.get(unquote(storage_path))
