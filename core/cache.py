"""A small disk cache in the plugin's data folder: the product catalogue (shown at once on the
next open while a refresh runs) and product thumbnails. Written atomically; a damaged cache
file is ignored, never an error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import Qgis

from ..api.models import safe_name
from .i18n import tr
from .log import log
from .settings import plugin_data_dir


def _folder(path: Path) -> Path:
    """`path`, created if it can be (a failed write of the cache is logged later, not raised)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return path


def cache_dir() -> Path:
    return _folder(plugin_data_dir() / "cache")


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def save_json(name: str, base_url: str, data: Any) -> None:
    """Cache `data` under `name` for the API at `base_url` (the demo server has its own).
    A cache that cannot be written (read-only profile, full disk) is only logged."""
    payload = {"base_url": base_url, "data": data}
    try:
        _write_atomically(cache_dir() / f"{safe_name(name)}.json",
                          json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except OSError as error:
        log(tr("The cache {0} could not be written: {1}").format(name, error),
            Qgis.MessageLevel.Warning)


def load_json(name: str, base_url: str) -> Any | None:
    path = cache_dir() / f"{safe_name(name)}.json"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("base_url") != base_url:
        return None
    return payload.get("data")


def image_path(base_url: str, product_id: str, version: str | None, index: int) -> Path:
    folder = _folder(cache_dir() / "images" / safe_name(base_url))
    version_part = safe_name(version, default="latest")
    return folder / f"{safe_name(product_id)}_{version_part}_{int(index)}.jpg"


def save_image(path: Path, data: bytes) -> None:
    try:
        _write_atomically(path, data)
    except OSError as error:
        log(tr("A thumbnail could not be cached: {0}").format(error), Qgis.MessageLevel.Warning)
