"""Access to the recorded OS responses kept next to the code (copied verbatim from
`shared/os-api/recordings/`), which the server serves with only the host rewritten."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "recordings"
OS_API_ROOT = "https://api.os.uk"


@cache
def text(name: str) -> str:
    return (FOLDER / name).read_text(encoding="utf-8")


def load_json(name: str):
    return json.loads(text(name))


def products_sample() -> list:
    return load_json("products_sample_2021-02.json")


def open_greenspace() -> dict:
    return load_json("product_OpenGreenspace_2021-02.json")


def wmts_capabilities() -> str:
    return text("wmts_getcapabilities_2020-10.xml")
