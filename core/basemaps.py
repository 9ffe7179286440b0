"""Only for `browser/session.py`, which is being changed on another branch: it still imports
these names from here. Once it imports them from `core.basemap_layers` (layer sources),
`core.basemap_service` (capabilities, premium access, previews) and `api.wmts`, delete this
module. The key guard is `core.key_guard`."""

from .basemap_layers import PREMIUM_UNKNOWN, add_basemap
from .basemap_service import CACHE_NAME

__all__ = ["CACHE_NAME", "PREMIUM_UNKNOWN", "add_basemap"]
