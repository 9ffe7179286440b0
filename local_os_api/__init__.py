"""The local OS API server: a faithful stand-in for api.os.uk (Downloads API, OAuth 2,
OS Maps WMTS/ZXY) and its blob storage, with switchable faults. A test double and the
offline demo; not shipped in the plugin zip.

    from local_os_api import LocalOSAPI, DEMO_KEY
    with LocalOSAPI() as srv:
        print(srv.url)  # the API root; add /downloads/v1, /oauth2/token/v1, /maps/raster/v1
"""

from __future__ import annotations

from .faults import Faults
from .httpbase import RecordedRequest
from .keys import (
    DEMO_KEY,
    DEMO_SECRET,
    NO_PACKAGES_KEY,
    NO_PACKAGES_SECRET,
    PREMIUM_KEY,
    PREMIUM_SECRET,
)
from .server import LocalOSAPI, default_data_dir

__all__ = [
    "DEMO_KEY",
    "DEMO_SECRET",
    "NO_PACKAGES_KEY",
    "NO_PACKAGES_SECRET",
    "PREMIUM_KEY",
    "PREMIUM_SECRET",
    "Faults",
    "LocalOSAPI",
    "RecordedRequest",
    "default_data_dir",
]
