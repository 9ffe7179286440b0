"""What the OS Downloads API answers, as dataclasses.

Every `from_json()` is tolerant, because the API's bodies changed over the years: `description`
is a string (2021) or a list of strings (current spec), md5 comes in either case, numbers may
come as strings, unknown fields are ignored and optional fields may be missing. Only the fields
that identify a thing (a product's `id`, a file's `url` and `fileName`, ...) are required; when
one is missing, `OSAPIError` says the answer was unexpected. `.raw` keeps the original dict, with
the API's own field names, for `--json` output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Sequence, Tuple
from urllib.parse import quote

from .download import DownloadItem
from .errors import OSAPIError
from .phrases import QT_TRANSLATE_NOOP

# What the messages call the objects of an answer.
A_PACKAGE = QT_TRANSLATE_NOOP("api", "A data package")
A_PACKAGE_FILE = QT_TRANSLATE_NOOP("api", "A data package file")
A_PACKAGE_VERSION = QT_TRANSLATE_NOOP("api", "A data package version")
A_PRODUCT = QT_TRANSLATE_NOOP("api", "A product")
A_PRODUCT_DOWNLOAD = QT_TRANSLATE_NOOP("api", "A product download")
A_PRODUCT_FORMAT = QT_TRANSLATE_NOOP("api", "A product format")


def unexpected_answer(detail: str) -> OSAPIError:
    return OSAPIError(
        QT_TRANSLATE_NOOP("api", "The OS Data Hub sent an unexpected answer: {0}").format(detail))


def _require_dict(data: Any, what: str) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise unexpected_answer(QT_TRANSLATE_NOOP(
            "api", "{what} is not a JSON object but {kind}.").format(
            what=what, kind=type(data).__name__))
    return data


def _text(data: Dict[str, Any], name: str, what: str, required: bool = False) -> str | None:
    """A field as a string: numbers are accepted (ids like 110012), blank means missing."""
    value = data.get(name)
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, float)):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if required:
        raise unexpected_answer(
            QT_TRANSLATE_NOOP("api", "{what} has no '{name}'.").format(what=what, name=name))
    return None


def _integer(data: Dict[str, Any], name: str) -> int | None:
    """A whole number from a JSON number or a numeric string ("4101", "4101.0"); else None."""
    value = data.get(name)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def _strings(data: Dict[str, Any], name: str) -> List[str]:
    """A list of strings; a lone string counts as a list of one."""
    value = data.get(name)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [
        str(item).strip() for item in value if isinstance(item, (str, int)) and str(item).strip()
    ]


_MD5 = re.compile(r"[0-9a-f]{32}")


def _md5(data: Dict[str, Any]) -> str | None:
    """The md5 as 32 lower-case hex digits; None (unknown, not checked) for anything else: a
    base64 or garbled value can never match, and would only cost downloads before 'damaged'."""
    value = _text(data, "md5", "")
    value = value.lower() if value else None
    return value if value and _MD5.fullmatch(value) else None


def _size(data: Dict[str, Any]) -> int | None:
    """The size in bytes; None (unknown) when missing or below zero."""
    value = _integer(data, "size")
    return value if value is not None and value >= 0 else None


def listing_doubts(data: Dict[str, Any]) -> List[str]:
    """What a file's listing gave that cannot be used, and is therefore not checked."""
    doubts: List[str] = []
    md5 = _text(data, "md5", "")
    if md5 and _md5(data) is None:
        doubts.append(QT_TRANSLATE_NOOP(
            "api", "its md5 '{0}' is not 32 hexadecimal digits, so it is treated as unknown "
            "and the download is not checked against it").format(md5[:60]))
    size = _integer(data, "size")
    if size is not None and size < 0:
        doubts.append(QT_TRANSLATE_NOOP(
            "api", "its size {0} is below zero, so it is treated as unknown").format(size))
    return doubts


def _objects(data: Dict[str, Any], name: str) -> List[Dict[str, Any]]:
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def md5_equal(a: str | None, b: str | None) -> bool:
    """True when both are given and equal ignoring case (OS sent upper case in 2021)."""
    if not a or not b:
        return False
    return a.strip().lower() == b.strip().lower()


def parse_list(data: Any, parse: Callable[[Any], Any], what: str) -> List[Any]:
    """`[parse(item) for item in data]`, checking that `data` is a JSON array."""
    if not isinstance(data, list):
        raise unexpected_answer(QT_TRANSLATE_NOOP(
            "api", "{what} is not a JSON array but {kind}.").format(
            what=what, kind=type(data).__name__))
    return [parse(item) for item in data]


@dataclass(frozen=True)
class ProductFormat:
    format: str
    subformat: str | None = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> ProductFormat:
        data = _require_dict(data, A_PRODUCT_FORMAT)
        # The spec once listed `productFormat` as required while the bodies say `format`.
        name = _text(data, "format", A_PRODUCT_FORMAT) or _text(
            data, "productFormat", A_PRODUCT_FORMAT, required=True
        )
        return cls(format=name or "", subformat=_text(data, "subformat", ""), raw=data)

    def label(self) -> str:
        """`GeoPackage`, `GML / 3`, `Vector Tiles / (MBTiles)`: format and subformat apart."""
        return f"{self.format} / {self.subformat}" if self.subformat else self.format


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    description: str
    version: str | None = None
    url: str | None = None
    documentation_url: str | None = None
    areas: List[str] = field(default_factory=list)
    data_structures: List[str] = field(default_factory=list)
    category: str | None = None
    categories: List[str] = field(default_factory=list)
    formats: List[ProductFormat] = field(default_factory=list)
    image_count: int | None = None
    image_template: str | None = None
    downloads_url: str | None = None
    warning: str | None = None
    end_of_life: str | None = None
    description_paragraphs: List[str] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> Product:
        data = _require_dict(data, A_PRODUCT)
        product_id = _text(data, "id", A_PRODUCT, required=True) or ""
        paragraphs = _strings(data, "description")
        return cls(
            id=product_id,
            name=_text(data, "name", "") or product_id,
            description="\n\n".join(paragraphs),
            description_paragraphs=paragraphs,
            version=_text(data, "version", ""),
            url=_text(data, "url", ""),
            documentation_url=_text(data, "documentationUrl", ""),
            areas=[area.upper() for area in _strings(data, "areas")],
            data_structures=_strings(data, "dataStructures"),
            category=_text(data, "category", ""),
            categories=_strings(data, "categories"),
            formats=[ProductFormat.from_json(item) for item in _objects(data, "formats")],
            image_count=_integer(data, "imageCount"),
            image_template=_text(data, "imageTemplate", ""),
            downloads_url=_text(data, "downloadsUrl", ""),
            warning=_text(data, "warning", ""),
            end_of_life=_text(data, "endOfLife", ""),
            raw=data,
        )


@dataclass(frozen=True)
class ProductDownload:
    """One file of a product. `url` is the API's redirecting URL, not the file itself."""

    url: str
    file_name: str
    size: int | None = None
    md5: str | None = None
    format: str | None = None
    subformat: str | None = None
    area: str | None = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> ProductDownload:
        data = _require_dict(data, A_PRODUCT_DOWNLOAD)
        area = _text(data, "area", "")
        return cls(
            url=_text(data, "url", A_PRODUCT_DOWNLOAD, required=True) or "",
            file_name=_text(data, "fileName", A_PRODUCT_DOWNLOAD, required=True) or "",
            size=_size(data),
            md5=_md5(data),
            format=_text(data, "format", ""),
            subformat=_text(data, "subformat", ""),
            area=area.upper() if area else None,
            raw=data,
        )

    @property
    def file_url(self) -> str:
        """`url` naming this very file (`fileName=`): where several files share an area and
        format their `url`s are alike, and the API redirects only when one file matches."""
        if "filename=" in self.url.lower():
            return self.url
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}fileName={quote(self.file_name, safe='')}"

    @property
    def doubts(self) -> List[str]:
        """What the listing gave for this file that is not used (see `listing_doubts`)."""
        return listing_doubts(self.raw)

    def to_item(self) -> DownloadItem:
        """What the download engine fetches for this file."""
        return DownloadItem(self.file_url, self.file_name, self.size, self.md5)


@dataclass(frozen=True)
class PackageDownload:
    """One file of a data package version."""

    url: str
    file_name: str
    size: int | None = None
    md5: str | None = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> PackageDownload:
        data = _require_dict(data, A_PACKAGE_FILE)
        return cls(
            url=_text(data, "url", "") or "",
            file_name=_text(data, "fileName", A_PACKAGE_FILE, required=True) or "",
            size=_size(data),
            md5=_md5(data),
            raw=data,
        )

    @property
    def doubts(self) -> List[str]:
        """What the listing gave for this file that is not used (see `listing_doubts`)."""
        return listing_doubts(self.raw)

    def to_item(self, url: str | None = None) -> DownloadItem:
        """What the download engine fetches for this file: from `url` (the client's
        `package_file_url()`, naming the version resolved once) or the listing's own."""
        return DownloadItem(url or self.url, self.file_name, self.size, self.md5)


def _version_fields(data: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "id": _text(data, "id", A_PACKAGE_VERSION, required=True) or "",
        "url": _text(data, "url", ""),
        "created_on": _text(data, "createdOn", ""),
        "reason": _text(data, "reason", ""),
        "supply_type": _text(data, "supplyType", ""),
        "product_version": _text(data, "productVersion", ""),
        "format": _text(data, "format", ""),
        "data_package_url": _text(data, "dataPackageUrl", ""),
    }


@dataclass(frozen=True)
class DataPackageVersion:
    id: str
    url: str | None = None
    created_on: str | None = None
    reason: str | None = None
    supply_type: str | None = None
    product_version: str | None = None
    format: str | None = None
    data_package_url: str | None = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> DataPackageVersion:
        data = _require_dict(data, A_PACKAGE_VERSION)
        return cls(raw=data, **_version_fields(data))

    @property
    def is_change_only(self) -> bool:
        """A change-only update (COU) rather than a full supply; casing is not documented."""
        return (self.supply_type or "").upper() == "COU"


@dataclass(frozen=True)
class DataPackageVersionDetail(DataPackageVersion):
    next_version_url: str | None = None
    previous_version_url: str | None = None
    downloads: List[PackageDownload] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> DataPackageVersionDetail:
        data = _require_dict(data, A_PACKAGE_VERSION)
        return cls(
            raw=data,
            next_version_url=_text(data, "nextVersionUrl", ""),
            previous_version_url=_text(data, "previousVersionUrl", ""),
            downloads=[PackageDownload.from_json(item) for item in _objects(data, "downloads")],
            **_version_fields(data),
        )


@dataclass(frozen=True)
class DataPackage:
    id: str
    name: str
    url: str | None = None
    created_on: str | None = None
    product_id: str | None = None
    product_name: str | None = None
    versions: List[DataPackageVersion] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> DataPackage:
        data = _require_dict(data, A_PACKAGE)
        package_id = _text(data, "id", A_PACKAGE, required=True) or ""
        return cls(
            id=package_id,
            name=_text(data, "name", "") or package_id,
            url=_text(data, "url", ""),
            created_on=_text(data, "createdOn", ""),
            product_id=_text(data, "productId", ""),
            product_name=_text(data, "productName", ""),
            versions=[DataPackageVersion.from_json(item) for item in _objects(data, "versions")],
            raw=data,
        )


__all__ = [
    "DataPackage",
    "DataPackageVersion",
    "DataPackageVersionDetail",
    "PackageDownload",
    "Product",
    "ProductDownload",
    "ProductFormat",
    "listing_doubts",
    "md5_equal",
    "parse_list",
    "safe_name",
    "unexpected_answer",
]


def safe_name(*parts: str | None, default: str = "download") -> str:
    """One file or folder name that every file system accepts, made of names from the API or
    the user (a product id, a version, a title, a URL): never trusted as a path. Runs of other
    characters than letters, digits, `.`, `-` and `_` become `_`, with none at either end."""
    text = " ".join(p for p in parts if p)
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or default


def human_size(size: int | None) -> str:
    """4101 -> '4.1 kB', 1_234_567_890 -> '1.2 GB' (decimal units, as the OS Data Hub shows)."""
    if size is None:
        return "?"
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000.0
        if value < 999.95 or unit == "TB":
            return f"{value:.1f} {unit}"
    return f"{size} B"  # pragma: no cover - the loop always returns


def newest_first(versions: Sequence[DataPackageVersion]) -> List[DataPackageVersion]:
    """Data package versions, the latest first (by creation date, then numeric id)."""

    def key(version: DataPackageVersion) -> Tuple[str, int]:
        number = int(version.id) if version.id.isdigit() else -1
        return (version.created_on or "", number)

    return sorted(versions, key=key, reverse=True)
