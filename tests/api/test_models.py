"""The models read every recorded body and tolerate the API's changes over the years."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from os_data_hub_loader.api.errors import OSAPIError
from os_data_hub_loader.api.models import (
    DataPackage,
    DataPackageVersion,
    DataPackageVersionDetail,
    PackageDownload,
    Product,
    ProductDownload,
    ProductFormat,
    md5_equal,
    parse_list,
    safe_name,
)


def load(recordings: Path, name: str) -> Any:
    return json.loads((recordings / name).read_text(encoding="utf-8"))


def test_products_sample_2021(recordings: Path) -> None:
    data = load(recordings, "products_sample_2021-02.json")
    products = parse_list(data, Product.from_json, "the list of products")
    assert [p.id for p in products][:2] == ["250kScaleColourRaster", "BoundaryLine"]
    first = products[0]
    assert first.name == "1:250 000 Scale Colour Raster™"
    assert first.version == "2020-06"
    assert first.description.startswith("Get the regional view")
    assert first.description_paragraphs == [first.description]
    # A non-expanded item carries only the five required fields: the rest is empty, not missing.
    assert first.formats == [] and first.areas == [] and first.image_count is None
    assert first.raw is data[0]


def test_product_open_greenspace_2021(recordings: Path) -> None:
    product = Product.from_json(load(recordings, "product_OpenGreenspace_2021-02.json"))
    assert product.id == "OpenGreenspace"
    assert product.formats[0] == ProductFormat("ESRI® Shapefile", None)
    assert product.formats[1] == ProductFormat("GML", "3")
    assert product.formats[1].label() == "GML / 3"
    assert product.image_count == 3
    assert product.image_template and product.image_template.endswith("/images/{index}")
    assert "GB" in product.areas and "TV" in product.areas
    assert product.data_structures == ["Vector"]
    assert product.category == "Greenspace"
    assert product.raw["documentationUrl"] == product.documentation_url


def test_schema_placeholder_with_list_description(recordings: Path) -> None:
    product = Product.from_json(
        load(recordings, "docs_example_product_details_schema_placeholder.json")
    )
    assert product.description == "text"
    assert product.description_paragraphs == ["text"]
    assert product.formats == [ProductFormat("text", "text")]
    assert product.downloads_url == "https://example.com"
    assert product.end_of_life is None


def test_description_list_joined_by_blank_lines() -> None:
    product = Product.from_json(
        {"id": "X", "name": "X", "description": ["First.", "Second."], "version": "2024-01"}
    )
    assert product.description == "First.\n\nSecond."
    assert product.description_paragraphs == ["First.", "Second."]


def test_unknown_fields_ignored_and_numbers_as_strings() -> None:
    product = Product.from_json(
        {
            "id": "X",
            "name": "Name",
            "description": "d",
            "imageCount": "3",
            "someNewField": {"nested": True},
            "endOfLife": "2030-01-01",
            "formats": [{"productFormat": "CSV"}, "garbage"],
        }
    )
    assert product.image_count == 3
    assert product.end_of_life == "2030-01-01"
    assert product.formats == [ProductFormat("CSV")]
    assert product.raw["someNewField"] == {"nested": True}


def test_product_download_upper_case_md5(recordings: Path) -> None:
    data = load(
        recordings, "product_OpenGreenspace_downloads_area-HT_format-ESRI-Shapefile_2021-02.json"
    )
    (download,) = parse_list(data, ProductDownload.from_json, "downloads")
    assert download.md5 == "38a059aec5a63ffa95f6ffd942a4cbc9"
    assert download.raw["md5"] == "38A059AEC5A63FFA95F6FFD942A4CBC9"  # --json shows the API's own
    assert download.size == 4101
    assert download.format == "ESRI® Shapefile" and download.subformat is None
    assert download.area == "HT"
    assert download.file_name == "opgrsp_essh_ht.zip"
    assert download.url.endswith("format=ESRI%C2%AE+Shapefile&redirect")


def test_product_download_docs_example_lower_case(recordings: Path) -> None:
    (download,) = parse_list(
        load(recordings, "docs_example_product_downloads.json"), ProductDownload.from_json, "x"
    )
    assert download.md5 == "2f9dd13abd56140afa3b5621e8864f59"
    assert download.subformat == "3" and download.area == "GB" and download.size == 1234


def test_product_download_size_as_string_and_missing_optionals() -> None:
    download = ProductDownload.from_json({"url": "u", "fileName": "f.zip", "size": "12345"})
    assert download.size == 12345
    assert download.md5 is None and download.area is None and download.format is None


def test_data_packages(recordings: Path) -> None:
    (package,) = parse_list(
        load(recordings, "docs_example_data_packages.json"), DataPackage.from_json, "x"
    )
    assert package.id == "0040046952"  # kept as a string: leading zeros matter
    assert package.product_id == "ABPOSTSLA" and package.product_name == "AddressBase"
    (version,) = package.versions
    assert version.id == "110012" and version.supply_type == "FULL"
    assert not version.is_change_only


def test_data_package_versions(recordings: Path) -> None:
    (version,) = parse_list(
        load(recordings, "docs_example_data_package_versions.json"),
        DataPackageVersion.from_json,
        "x",
    )
    assert version.product_version == "E37 December 2015 Update"
    assert version.data_package_url and version.data_package_url.endswith("/0040046952")


def test_data_package_version_detail(recordings: Path) -> None:
    detail = DataPackageVersionDetail.from_json(
        load(recordings, "docs_example_data_package_version_detail.json")
    )
    assert detail.id == "110012"
    assert detail.next_version_url and detail.next_version_url.endswith("/110013")
    assert detail.previous_version_url and detail.previous_version_url.endswith("/110011")
    assert detail.downloads == [
        PackageDownload("https://example.com", "data.zip", 1234, "2f9dd13abd56140afa3b5621e8864f59")
    ]


def test_version_detail_without_neighbours_and_numeric_id() -> None:
    detail = DataPackageVersionDetail.from_json({"id": 7, "supplyType": "cou", "downloads": []})
    assert detail.id == "7"
    assert detail.is_change_only
    assert detail.next_version_url is None and detail.previous_version_url is None


@pytest.mark.parametrize(
    ("cls", "data", "missing"),
    [
        (Product, {"name": "No id"}, "id"),
        (ProductDownload, {"url": "u"}, "fileName"),
        (ProductDownload, {"fileName": "f.zip"}, "url"),
        (DataPackage, {"name": "n"}, "id"),
        (DataPackageVersion, {"url": "u"}, "id"),
        (PackageDownload, {"url": "u"}, "fileName"),
    ],
)
def test_missing_required_field_is_a_clear_error(cls: Any, data: dict, missing: str) -> None:
    with pytest.raises(OSAPIError, match=f"unexpected answer.*'{missing}'"):
        cls.from_json(data)


def test_not_an_object_or_not_a_list() -> None:
    with pytest.raises(OSAPIError, match="unexpected answer"):
        Product.from_json(["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(OSAPIError, match="not a JSON array"):
        parse_list({"id": "X"}, Product.from_json, "the list of products")


def test_md5_equal() -> None:
    assert md5_equal("ABC", "abc")
    assert not md5_equal("abc", None)
    assert not md5_equal("", "")


def test_newest_first_orders_versions_by_date_then_number():
    from os_data_hub_loader.api.models import DataPackageVersion, newest_first

    versions = [DataPackageVersion(id="9", created_on="2021-04-01"),
                DataPackageVersion(id="110013", created_on="2021-05-01"),
                DataPackageVersion(id="10", created_on="2021-04-01")]
    assert [v.id for v in newest_first(versions)] == ["110013", "10", "9"]


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("Code-Point Open",), "Code-Point_Open"),
        (("OS Terrain 50", "v1.2"), "OS_Terrain_50_v1.2"),
        (("0040154231", "My package"), "0040154231_My_package"),
        (("Open Roads/../x",), "Open_Roads_.._x"),
        (("../../etc/passwd",), "etc_passwd"),
        (("C:\\evil", None, ""), "C_evil"),
        (("https://api.os.uk/downloads/v1",), "https_api.os.uk_downloads_v1"),
        (("Ffordd Fawr ŵyl",), "Ffordd_Fawr_ŵyl"),
        (("..",), "download"),
        ((None,), "download"),
    ],
)
def test_one_sanitiser_for_file_and_folder_names(parts: tuple, name: str) -> None:
    assert safe_name(*parts) == name


def test_the_sanitiser_falls_back_to_the_given_name() -> None:
    assert safe_name("***", default="layer") == "layer"
    assert safe_name(None, default="latest") == "latest"
