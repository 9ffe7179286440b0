"""`python3 -m local_os_api`: serve the local OS API until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from .faults import parse_cli_fault
from .keys import (
    DEMO_KEY,
    DEMO_SECRET,
    NO_PACKAGES_KEY,
    NO_PACKAGES_SECRET,
    PREMIUM_KEY,
    PREMIUM_SECRET,
)
from .server import LocalOSAPI, default_data_dir

EPILOG = f"""\
demo credentials (key / secret):
  {DEMO_KEY} / {DEMO_SECRET}         OpenData, data packages, OS Maps
  {PREMIUM_KEY} / {PREMIUM_SECRET}   also premium OS Maps zoom levels
  {NO_PACKAGES_KEY} / {NO_PACKAGES_SECRET}       valid key that has ordered no data packages
  any other key is refused (401)

fault switches (--fault NAME=VALUE[,k=v...], repeatable; also POST /__faults__ with JSON
{{"action": NAME, ...}}):
  drop_after_bytes=N[,times=T,reset=1]  storage file responses stop after N body bytes
  truncate_body=N[,times=T]        ... claim the whole Content-Length, send N bytes, end cleanly
  server_gone=N[,seconds=S]        the storage host cuts the next file after N bytes, then
                                   hangs up on every request for S seconds (default: for good)
  bad_answer=KIND[,times=T,path=P,status=S]  spoil API JSON answers: malformed_json,
                                   html_error, unknown_fields, empty_list
  hostile_file=KIND,product=ID[,area=A,format=F] | hostile_file=KIND,package=ID,version=V
                                   list a zip_slip, zip_bomb, dotdot_name, non_ascii or
                                   empty_file file
  fail_next=STATUS[,times=T,retry_after=S,target=api|storage|any]
  wrong_md5=FILENAME | wrong_md5=*  listings report a wrong md5
  url_lifetime=SECONDS             signed storage URLs expire after SECONDS
  slow=BYTES_PER_SECOND            storage sends bytes slowly
  token_lifetime=SECONDS           OAuth 2 tokens expire after SECONDS (default 299)
  token_numbers_as_strings=1       token answer has expires_in/issued_at as strings
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m local_os_api",
        description="Local OS API server (Downloads API, OAuth 2, OS Maps) with sample data.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="API port (0: any free port)")
    parser.add_argument("--storage-port", type=int, default=0, help="storage host port")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help=f"sample data cache (default {default_data_dir()})")
    parser.add_argument("--url-file", type=Path, default=None,
                        help="also write the API root URL to this file")
    parser.add_argument("--fault", action="append", default=[], metavar="NAME=VALUE",
                        help="arm a fault switch at start (see below)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    server = LocalOSAPI(args.data_dir, args.host, args.port, args.storage_port,
                        verbose=args.verbose)
    for text in args.fault:
        name, positional, named = parse_cli_fault(text)
        try:
            if name in ("token_lifetime", "token_numbers_as_strings"):
                server.apply_control(name, value=positional[0] if positional else 1)
            else:
                server.faults.apply(name, *positional, **named)
        except (TypeError, ValueError, IndexError) as exc:
            parser.error(f"--fault {text}: {exc}")

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    if args.url_file:  # written first: whoever reads our first line may look for it next
        args.url_file.write_text(server.url + "\n", encoding="utf-8")
    print(server.url, flush=True)
    print(f"storage host: {server.storage_url}\n"
          f"keys: {DEMO_KEY} (secret {DEMO_SECRET}), {PREMIUM_KEY} (premium), "
          f"{NO_PACKAGES_KEY} (no data packages)\n"
          f"try: curl -s {server.url}/downloads/v1/products   (Ctrl+C to stop)",
          file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
