"""The benchmark's server: the local OS API server in a process of its own, serving the
generated products next to its sample data.

    python3 tests/bench/serve.py --cache build/bench/cache [--tiny]

Prints one JSON line (api url, storage url, the listings of each generated product), then reads
commands, one a line, on stdin: `requests` prints the storage requests since the last `clear`
as a JSON line ([{path, range}]); `clear` forgets them; `fault {"action": NAME, ...}` arms a
fault switch (`python3 -m local_os_api --help`); end of input stops the server.

Every client in the benchmark fetches the same API URLs (with `fileName=`), answered by the same
307 to a signed storage URL, served by the same code (sendfile from the page cache).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import FULL, TINY, BenchData  # noqa: E402

PRODUCTS = {  # generated kind -> product id
    "large": "BenchLarge",
    "memory": "BenchMemory",
    "small": "BenchSmallFiles",
    "medium": "BenchMediumFiles",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--sample-data", type=Path, default=REPO_ROOT / ".cache" / "local-os-api")
    args = parser.parse_args()

    from local_os_api import LocalOSAPI

    data = BenchData(args.cache, TINY if args.tiny else FULL)
    generated = data.ensure()
    server = LocalOSAPI(data_dir=args.sample_data).start()
    products = {
        kind: server.add_generated_product(product_id, data.files(kind),
                                           name=f"Benchmark: {kind} files")
        for kind, product_id in PRODUCTS.items()
    }
    for listings in products.values():
        for listing in listings:
            listing["path"] = str(listing["path"])
    print(json.dumps({"url": server.url, "storage_url": server.storage_url,
                      "generated_seconds": generated, "product_ids": PRODUCTS,
                      "products": products}), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "clear":
                server.clear_requests()
                print("{}", flush=True)
            elif command.startswith("fault "):  # fault {"action": "slow", ...}: see --help
                fault = json.loads(command[len("fault "):])
                server.apply_control(fault.pop("action"), **fault)
                print("{}", flush=True)
            elif command == "requests":
                seen = [{"path": r.path, "range": r.headers.get("Range")}
                        for r in server.requests if r.server == "storage"]
                print(json.dumps(seen), flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
