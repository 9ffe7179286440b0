"""Download one product with `osdatahub` (OS's Python client) from the local OS API server.

    build/bench/venv/bin/python tests/bench/osdatahub_run.py URL PRODUCT_ID DEST

osdatahub has the API root written into class attributes (https://api.os.uk/downloads/v1/):
they are pointed at URL here. Its listing rows' `url`s are alike when several files share an
area and format, and the API then lists instead of redirecting, so each one gets the file's
`fileName=`, the very URL the other clients fetch. Then osdatahub downloads them its own way
(default workers: the number of CPUs; no md5 check). Exits 1 if a file is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote


def main() -> int:
    base_url, product_id, dest = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    from osdatahub.DownloadsAPI import downloads_api, opendata

    root = base_url.rstrip("/") + "/downloads/v1/"
    downloads_api._DownloadsAPIBase._ENDPOINT = root
    opendata.OpenDataDownload._ENDPOINT = root + "products"
    product = opendata.OpenDataDownload(product_id)
    files = product.product_list(return_downloadobj=True)
    for item in files:
        if "filename=" not in item.url.lower():
            item.url += "&fileName=" + quote(item.file_name, safe="")
    done = product._download(files, dest, download_multiple=len(files) > 1)
    missing = len(files) - len(done)
    if missing:
        print(f"osdatahub: {missing} of {len(files)} files missing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
