"""The OS Downloads API (`/downloads/v1`): its nine GET endpoints as typed Python calls.

Rate limits, retries, redirects (auth only to the API's own origin, never to the storage host)
and redacted errors come from `api.transport.ApiClient`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence
from urllib.parse import quote

from .errors import (
    BadRequestError,
)
from .models import (
    DataPackage,
    DataPackageVersion,
    DataPackageVersionDetail,
    Product,
    ProductDownload,
    parse_list,
    unexpected_answer,
)
from .national_grid import AREA_CODES, GB
from .phrases import QT_TRANSLATE_NOOP
from .transport import ApiClient, Params

API_PATH = "/downloads/v1"

KNOWN_AREAS = frozenset((GB, *AREA_CODES))

MAX_IMAGE_BYTES = 20 * 1024 * 1024


def normalise_area(code: str) -> str:
    """An area code in upper case, or `BadRequestError` naming the unknown code."""
    value = (code or "").strip().upper()
    if value not in KNOWN_AREAS:
        raise BadRequestError(QT_TRANSLATE_NOOP(
            "api", "Unknown area code '{0}': use GB (all of Great Britain) or a 100 km National "
            "Grid square ({1}).").format(code.strip(), ", ".join(AREA_CODES)))
    return value


def _segment(value: str) -> str:
    """A path segment, percent-encoded (ids are user input)."""
    return quote(str(value).strip(), safe="")


class DownloadsClient(ApiClient):
    """The OS Downloads API. One instance may be shared; pass a `CancelToken` to stop waits."""

    ACCEPT = "application/json"

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH


    def products(self, expanded: bool = False) -> List[Product]:
        what = QT_TRANSLATE_NOOP("api", "the list of products")
        data = self._get_json("/products", what, params="expanded" if expanded else None)
        return parse_list(data, Product.from_json, what)

    def product(self, product_id: str) -> Product:
        what = QT_TRANSLATE_NOOP("api", "product '{0}'").format(product_id)
        data = self._get_json(f"/products/{_segment(product_id)}", what)
        return Product.from_json(data)

    def product_downloads(
        self,
        product_id: str,
        *,
        areas: Sequence[str] = (),
        format: str | None = None,
        subformat: str | None = None,
        file_name: str | None = None,
    ) -> List[ProductDownload]:
        """The files of a product, filtered. The API takes one area: for several, ask for all
        and keep the wanted ones here. Format names are compared exactly (`ESRI® Shapefile`)."""
        codes: List[str] = []
        for area in areas:
            code = normalise_area(area)
            if code not in codes:
                codes.append(code)
        params: Dict[str, str] = {}
        if len(codes) == 1:
            params["area"] = codes[0]
        if format:
            params["format"] = format
        if subformat:
            params["subformat"] = subformat
        if file_name:
            params["fileName"] = file_name
        what = QT_TRANSLATE_NOOP("api", "the downloads of product '{0}'").format(product_id)
        data = self._get_json(
            f"/products/{_segment(product_id)}/downloads", what, params=params or None
        )
        downloads = parse_list(data, ProductDownload.from_json, what)
        return [
            d
            for d in downloads
            if (not codes or (d.area or "").upper() in codes)
            and (not format or d.format == format)
            and (not subformat or d.subformat == subformat)
            and (not file_name or d.file_name == file_name)
        ]

    def product_image(self, product_id: str, index: int, large: bool = False) -> bytes:
        """A product's thumbnail (JPEG). The API redirects to another host: no key goes there."""
        what = QT_TRANSLATE_NOOP("api", "image {0} of product '{1}'").format(index, product_id)
        response = self._get(
            f"{self.api_url}/products/{_segment(product_id)}/images/{int(index)}",
            what,
            params="large" if large else None,
            stream=True,
        )
        return self._read_limited(response, MAX_IMAGE_BYTES, what)

    def data_packages(self) -> List[DataPackage]:
        what = QT_TRANSLATE_NOOP("api", "the list of data packages")
        return parse_list(self._get_json("/dataPackages", what), DataPackage.from_json, what)

    def data_package(self, package_id: str) -> DataPackage:
        what = QT_TRANSLATE_NOOP("api", "data package '{0}'").format(package_id)
        return DataPackage.from_json(self._get_json(f"/dataPackages/{_segment(package_id)}", what))

    def data_package_versions(self, package_id: str) -> List[DataPackageVersion]:
        what = QT_TRANSLATE_NOOP("api", "the versions of data package '{0}'").format(package_id)
        data = self._get_json(f"/dataPackages/{_segment(package_id)}/versions", what)
        return parse_list(data, DataPackageVersion.from_json, what)

    def data_package_version(self, package_id: str, version_id: str) -> DataPackageVersionDetail:
        """One version with its files; `version_id` may be `latest`."""
        what = QT_TRANSLATE_NOOP("api", "version '{0}' of data package '{1}'").format(
            version_id, package_id)
        data = self._get_json(
            f"/dataPackages/{_segment(package_id)}/versions/{_segment(version_id)}", what
        )
        return DataPackageVersionDetail.from_json(data)

    def package_file_url(self, package_id: str, version_id: str, file_name: str) -> str:
        """The API URL that redirects to one file of a data package version (needs the key)."""
        return (
            f"{self.api_url}/dataPackages/{_segment(package_id)}/versions/"
            f"{_segment(version_id)}/downloads?fileName={quote(file_name, safe='')}"
        )

    # ----- plumbing -----

    def _get_json(self, path: str, what: str, params: Params = None) -> Any:
        response = self._get(self.api_url + path, what, params=params)
        try:
            return response.json()
        except RecursionError:  # nested deeper than Python's parser goes (no real answer is)
            raise unexpected_answer(QT_TRANSLATE_NOOP(
                "api", "{0} is not valid JSON (nested too deeply); a proxy or a broken server "
                "may be sending it.").format(what)) from None
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            if "json" in kind.lower():
                raise unexpected_answer(QT_TRANSLATE_NOOP(
                    "api", "{0} arrived damaged (cut short or garbled JSON): try again; if it "
                    "keeps happening, a proxy may be changing the answers.").format(what)
                ) from None
            raise unexpected_answer(QT_TRANSLATE_NOOP(
                "api", "{0} did not come as JSON ({1}); a proxy or login page may be in the "
                "way.").format(what, kind)
            ) from None
