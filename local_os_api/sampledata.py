"""The sample files the local server hands out: small but genuine, zipped the way OS zips them.

`build(target)` writes every file below `target` and a `manifest.json` listing, per file, where
it belongs (product or data package), its size and its md5. Nothing here is committed: the
files are made with GDAL/OGR at first start and cached. What each product's zip holds, and
why, is in its module: `samples_themes` (OpenMap Local, VectorMap District, Open Greenspace),
`samples_vector` (Open Roads, Boundary-Line, Zoomstack), `samples_text` (Code-Point Open,
Open Names, Open UPRN, Built Up Areas, Linked Identifiers), `samples_raster` (Terrain 50,
MiniScale, 1:250 000 raster, VectorMap District raster, GB Overview), `samples_packages`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from . import geo, samples_packages, samples_raster, samples_text, samples_themes, samples_vector
from .samplekit import FileSpec, pad_zip

# Bump when the files or their layout change: the cache is rebuilt.
DATA_VERSION = "11"


def all_specs() -> list[FileSpec]:
    return [
        *samples_raster.raster_specs(), *samples_vector.boundaryline_specs(),
        *samples_text.codepoint_specs(), *samples_text.lids_specs(),
        *samples_themes.greenspace_specs(), *samples_raster.terrain_specs(),
        *samples_vector.zoomstack_specs(), *samples_themes.openmap_local_specs(),
        *samples_themes.vectormap_district_vector_specs(), *samples_vector.open_roads_specs(),
        *samples_text.names_specs(), *samples_text.uprn_specs(),
        *samples_text.built_up_specs(), *samples_packages.package_specs(),
    ]


# --- thumbnails --------------------------------------------------------------------------------

IMAGE_SIZES = {"small": (150, 200), "large": (600, 800)}


def write_images(folder: Path, product_id: str, count: int) -> list[dict]:
    """JPEG thumbnails (GDAL's JPEG driver) for one product; returns manifest rows."""
    rows = []
    for index in range(1, count + 1):
        for size, shape in IMAGE_SIZES.items():
            relpath = f"images/{product_id}/{index}_{size}.jpg"
            path = folder / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            seed = geo.stable_int(product_id, index)
            palette = [*samples_raster.PALETTE[:2], (60 + seed % 150, 90, 60)]
            path.write_bytes(geo.encode_image("JPEG", geo.colour_map(shape, seed, palette),
                                              ["QUALITY=80"]))
            rows.append({"product": product_id, "index": index, "size": size,
                         "path": relpath, "bytes": path.stat().st_size})
    return rows


# --- the build ---------------------------------------------------------------------------------


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build(target: Path, image_counts: dict[str, int]) -> dict:
    """Write every sample file below `target`; return (and save) the manifest."""
    files = []
    for spec in all_specs():
        owner = spec.owner
        if "product" in owner:
            folder = Path("products") / owner["product"]
        else:
            folder = Path("packages") / owner["package"] / owner["version"]
        path = target / folder / spec.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        spec.make(path)
        if spec.pad_to:
            pad_zip(path, spec.pad_to)
        files.append({**owner, "fileName": spec.file_name, "path": str(folder / spec.file_name),
                      "size": path.stat().st_size, "md5": file_md5(path)})
    images = []
    for product_id, count in image_counts.items():
        images += write_images(target, product_id, count)
    manifest = {"version": DATA_VERSION, "files": files, "images": images}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def load_or_build(data_dir: Path, image_counts: dict[str, int]) -> tuple[Path, dict]:
    """The cached sample data in `data_dir` (built there first if missing or out of date)."""
    final = data_dir / f"sample-v{DATA_VERSION}"
    manifest_path = final / "manifest.json"
    if manifest_path.is_file():
        return final, json.loads(manifest_path.read_text(encoding="utf-8"))
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=data_dir))
    try:
        build(staging, image_counts)
        try:
            staging.rename(final)
        except OSError:  # another process finished first: use its copy
            pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in data_dir.glob("sample-v*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final, json.loads(manifest_path.read_text(encoding="utf-8"))
