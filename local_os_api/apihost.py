"""The API host: Downloads API (/downloads/v1), OAuth 2 (/oauth2/token/v1), OS Maps
(/maps/raster/v1) and the fault control endpoint (/__faults__)."""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote_plus

from . import keys, maps
from .httpbase import JSON_TYPE, Response, to_json
from .keys import AuthError

if TYPE_CHECKING:
    from .server import LocalOSAPI

DOWNLOADS = "/downloads/v1"
# Headers the gateway added to the recorded 307 (recordings/redirect_307_headers_2021-04.txt).
GATEWAY_HEADERS = [
    ("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
]
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("X-XSS-Protection", "1 ; mode=block"),
    ("Referrer-Policy", "no-referrer"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "origin, x-requested-with, accept"),
    ("Access-Control-Max-Age", "3628800"),
    ("Access-Control-Allow-Methods", "GET"),
]


def _ok(value) -> Response:
    return Response.json(200, value, GATEWAY_HEADERS + SECURITY_HEADERS)


class NotFound(Exception):
    pass


class ApiHost:
    def __init__(self, app: LocalOSAPI) -> None:
        self.app = app
        self.tiles = maps.TileService()

    # --- entry ---------------------------------------------------------------------------------

    def respond(self, handler, method: str) -> Response:
        path = handler.url_path
        if path == "/__faults__":
            return self.control(handler, method)
        failure = self.app.faults.take_failure("api")
        if failure is not None:
            return self.app.failure_response(failure)
        response = self.answer(handler, method, path)
        if response.status == 200 and (response.content_type or "").startswith("application/json"):
            bad = self.app.faults.take_bad_answer(path)
            if bad is not None:
                return spoiled(response, bad.kind, bad.status)
        return response

    def answer(self, handler, method: str, path: str) -> Response:
        if path.rstrip("/") == "/oauth2/token/v1":
            if method != "POST":
                return Response.error(405, "Method not allowed", [("Allow", "POST")])
            return self.token(handler)
        if method not in ("GET", "HEAD"):
            return Response.error(405, "Method not allowed", [("Allow", "GET")])
        try:
            if path.startswith(DOWNLOADS + "/"):
                return self.downloads_api(handler, path[len(DOWNLOADS):].rstrip("/"))
            if path.startswith("/maps/raster/v1/"):
                return self.maps_api(handler, path[len("/maps/raster/v1"):])
        except AuthError as exc:
            return Response.json(401, exc.body, GATEWAY_HEADERS)
        except NotFound as exc:
            return Response.error(404, str(exc) or "Not found", GATEWAY_HEADERS)
        return Response.error(404, f"No such resource: {path}")

    def key(self, handler) -> str | None:
        return keys.resolve_key(handler.headers, handler.params, self.app.tokens)

    # --- OAuth 2 -------------------------------------------------------------------------------

    def token(self, handler) -> Response:
        form = parse_qs(handler.body.decode("utf-8", "replace"))
        client, secret = None, None
        authorization = handler.headers.get("Authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
                client, _, secret = decoded.partition(":")
            except ValueError:
                pass
        client = client or form.get("client_id", [None])[0]
        secret = secret or form.get("client_secret", [None])[0]
        if not client or keys.SECRETS.get(client) != secret:
            return Response.json(401, {"ErrorCode": "invalid_client",
                                       "Error": "ClientId is Invalid"})
        grant = form.get("grant_type", [""])[0]
        if grant != "client_credentials":
            return Response.json(400, {"ErrorCode": "invalid_request",
                                       "Error": f"Unsupported grant type : {grant}"})
        lifetime = int(self.app.token_lifetime)
        token, issued_ms = self.app.tokens.issue(client, lifetime)
        as_text = self.app.token_numbers_as_strings
        return _ok({
            "access_token": token,
            "expires_in": str(lifetime) if as_text else lifetime,
            "issued_at": str(issued_ms) if as_text else issued_ms,
            "token_type": "Bearer",
        })

    # --- fault control -------------------------------------------------------------------------

    def control(self, handler, method: str) -> Response:
        if method != "POST":
            return Response.error(405, "POST a JSON fault description", [("Allow", "POST")])
        try:
            payload = json.loads(handler.body or b"{}")
            for item in payload if isinstance(payload, list) else [payload]:
                item = dict(item)
                self.app.apply_control(item.pop("action"), **item)
        except (ValueError, TypeError, KeyError) as exc:
            return Response.error(400, f"bad fault request: {exc}")
        return Response.json(200, {"ok": True})

    # --- Downloads API -------------------------------------------------------------------------

    def downloads_api(self, handler, path: str) -> Response:
        key = self.key(handler)  # a wrong key is refused even on OpenData endpoints
        parts = path.strip("/").split("/")
        if parts[0] == "products":
            return self.products(handler, parts[1:])
        if parts[0] == "dataPackages":
            return self.packages(handler, keys.require_key(key), parts[1:])
        raise NotFound(f"No such resource: {DOWNLOADS}{path}")

    def base(self) -> str:
        return self.app.url + DOWNLOADS

    def product_body(self, product_id: str, full: bool) -> dict:
        cat = self.app.catalogue
        summary = cat.summary(product_id)
        details = cat.details(product_id)
        url = f"{self.base()}/products/{product_id}"
        if not full:
            return {**{k: summary[k] for k in ("id", "name", "description", "version")},
                    "url": url}
        if "url" in details:  # recorded body: only the host changes
            return json.loads(self.app.rehost(to_json(details).decode("utf-8")))
        body = {k: details[k] for k in ("id", "name", "description", "version")}
        for name in ("documentationUrl", "dataStructures", "category", "formats"):
            if name in details:
                body[name] = details[name]
        body["url"] = url
        if details.get("imageCount"):
            body["imageCount"] = details["imageCount"]
            body["imageTemplate"] = url + "/images/{index}"
        body["downloadsUrl"] = url + "/downloads"
        squares = sorted({d["area"] for d in cat.downloads(product_id)} - {"GB"})
        body["areas"] = ["GB", *squares]
        return body

    def products(self, handler, parts: list[str]) -> Response:
        cat = self.app.catalogue
        if not parts:
            full = "expanded" in handler.params
            return _ok([self.product_body(pid, full) for pid in cat.product_ids()])
        product_id = parts[0]
        if cat.summary(product_id) is None:
            raise NotFound(f"Product not found: {product_id}")
        if len(parts) == 1:
            return _ok(self.product_body(product_id, True))
        if parts[1:] == ["downloads"]:
            return self.product_downloads(handler, product_id)
        if len(parts) == 3 and parts[1] == "images":
            return self.image(handler, product_id, parts[2])
        raise NotFound(f"No such resource: {handler.url_path}")

    def download_body(self, row: dict) -> dict:
        # As os-api/README.md has it: area, format, subformat and a bare `redirect`, even where
        # several files share them (then the URL alone lists them all instead of redirecting:
        # clients must add `fileName`).
        query = [("area", row["area"]), ("format", row["format"])]
        if row.get("subformat"):
            query.append(("subformat", row["subformat"]))
        url = (f"{self.base()}/products/{row['productId']}/downloads?"
               + "&".join(f"{k}={quote_plus(v)}" for k, v in query) + "&redirect")
        body = {"md5": self.app.faults.listed_md5(row["fileName"], row["md5"]),
                "size": row["size"], "url": url, "format": row["format"]}
        if row.get("subformat"):
            body["subformat"] = row["subformat"]
        body["area"] = row["area"]
        body["fileName"] = row["fileName"]
        return body

    def product_downloads(self, handler, product_id: str) -> Response:
        rows = self.app.catalogue.downloads(product_id) + self.app.hostile_rows(product_id)
        params = handler.params
        matches = rows
        for name in ("area", "format", "subformat", "fileName"):
            if name in params:
                wanted = params[name][0]
                if name == "area":
                    matches = [r for r in matches if r["area"].upper() == wanted.upper()]
                else:
                    matches = [r for r in matches if (r.get(name) or "") == wanted]
        bodies = [self.download_body(row) for row in matches]
        if "redirect" in params:
            if not matches:
                raise NotFound("No download matches the given filters")
            if len(matches) == 1:
                return self.redirect(matches[0]["storagePath"], bodies[0])
        return _ok(bodies)

    def redirect(self, storage_path: str, body: dict | None) -> Response:
        query = self.app.signer.sign(storage_path, self.app.faults.current_url_lifetime)
        location = f"{self.app.storage_url}{storage_path}?{query}"
        headers = [*GATEWAY_HEADERS, ("Location", location), *SECURITY_HEADERS]
        payload = to_json(body) if body is not None else b""
        return Response(307, payload, JSON_TYPE, headers)

    def image(self, handler, product_id: str, index_text: str) -> Response:
        size = "large" if "large" in handler.params else "small"
        if not re.fullmatch(r"\d+", index_text) or self.app.catalogue.image(
            product_id, int(index_text), size
        ) is None:
            raise NotFound(f"No image {index_text} for product {product_id}")
        return self.redirect(
            self.app.catalogue.image_storage_path(product_id, int(index_text), size), None
        )

    # --- data packages -------------------------------------------------------------------------

    def visible_packages(self, key: str) -> list[dict]:
        return self.app.catalogue.packages() if key in keys.PACKAGE_KEYS else []

    def version_summary(self, package_id: str, version: dict) -> dict:
        return {
            "id": version["id"],
            "url": f"{self.base()}/dataPackages/{package_id}/versions/{version['id']}",
            **{k: version[k] for k in
               ("createdOn", "reason", "supplyType", "productVersion", "format")},
            "dataPackageUrl": f"{self.base()}/dataPackages/{package_id}",
        }

    def package_body(self, package: dict) -> dict:
        return {
            "id": package["id"], "name": package["name"],
            "url": f"{self.base()}/dataPackages/{package['id']}",
            **{k: package[k] for k in ("createdOn", "productId", "productName")},
            "versions": [self.version_summary(package["id"], v) for v in package["versions"]],
        }

    def packages(self, handler, key: str, parts: list[str]) -> Response:
        visible = {p["id"]: p for p in self.visible_packages(key)}
        if not parts:
            return _ok([self.package_body(p) for p in visible.values()])
        package = visible.get(parts[0])
        if package is None:
            raise NotFound(f"Data package not found: {parts[0]}")
        if len(parts) == 1:
            return _ok(self.package_body(package))
        if parts[1] != "versions":
            raise NotFound(f"No such resource: {handler.url_path}")
        versions = package["versions"]
        if len(parts) == 2:
            return _ok([self.version_summary(package["id"], v) for v in versions])
        if parts[2] == "latest":
            position = max(range(len(versions)), key=lambda i: (versions[i]["createdOn"], i))
        else:
            found = [i for i, v in enumerate(versions) if v["id"] == parts[2]]
            if not found:
                raise NotFound(f"Data package version not found: {parts[2]}")
            position = found[0]
        if len(parts) == 3:
            return _ok(self.version_detail(package, position))
        if parts[3:] == ["downloads"]:
            return self.package_download(handler, package, versions[position])
        raise NotFound(f"No such resource: {handler.url_path}")

    def version_detail(self, package: dict, position: int) -> dict:
        versions = package["versions"]
        version = versions[position]
        body = self.version_summary(package["id"], version)
        folder = body["url"].rsplit("/", 1)[0]
        if position + 1 < len(versions):
            body["nextVersionUrl"] = f"{folder}/{versions[position + 1]['id']}"
        if position > 0:
            body["previousVersionUrl"] = f"{folder}/{versions[position - 1]['id']}"
        body["downloads"] = [
            self.package_file_body(package["id"], version["id"], row)
            for row in self.package_files(package["id"], version["id"])
        ]
        return body

    def package_files(self, package_id: str, version_id: str) -> list[dict]:
        return (self.app.catalogue.package_files(package_id, version_id)
                + self.app.hostile_rows(package=(package_id, version_id)))

    def package_file_body(self, package_id: str, version_id: str, row: dict) -> dict:
        return {
            "url": (f"{self.base()}/dataPackages/{package_id}/versions/{version_id}/downloads"
                    f"?fileName={quote_plus(row['fileName'])}"),
            "fileName": row["fileName"], "size": row["size"],
            "md5": self.app.faults.listed_md5(row["fileName"], row["md5"]),
        }

    def package_download(self, handler, package: dict, version: dict) -> Response:
        if "fileName" not in handler.params:
            return Response.error(400, "The fileName query parameter is required",
                                  GATEWAY_HEADERS)
        name = handler.params["fileName"][0]
        rows = self.package_files(package["id"], version["id"])
        row = next((r for r in rows if r["fileName"] == name), None)
        if row is None:
            raise NotFound(f"No file {name} in this data package version")
        body = self.package_file_body(package["id"], version["id"], row)
        return self.redirect(row["storagePath"], body)

    # --- OS Maps API ---------------------------------------------------------------------------

    def maps_api(self, handler, path: str) -> Response:
        key = keys.require_key(self.key(handler))
        premium = key in keys.PREMIUM_KEYS
        if path.rstrip("/") == "/wmts":
            return self.wmts(handler, key, premium)
        match = re.fullmatch(r"/zxy/([^/]+)/(\d+)/(\d+)/(\d+)\.png", path)
        if match:
            layer, z, x, y = match.groups()
            return self.get_tile(layer, None, z, int(y), int(x), premium)
        raise NotFound(f"No such resource: /maps/raster/v1{path}")

    def wmts(self, handler, key: str, premium: bool) -> Response:
        # KVP names are case-insensitive (only `key` must be lower-case).
        kvp = {name.lower(): values[0] for name, values in handler.params.items()
               if name != "key"}
        request = kvp.get("request", "").lower()
        if request == "getcapabilities" or (not request and "service" in kvp):
            body = maps.capabilities_document(self.app.url, key)
            return Response(200, body, "text/xml", list(GATEWAY_HEADERS))
        if request == "gettile":
            missing = [n for n in ("layer", "tilematrix", "tilerow", "tilecol") if n not in kvp]
            if missing:
                return Response.error(400, f"Missing parameter(s): {', '.join(missing)}")
            if kvp.get("format", "image/png") != "image/png":
                return Response.error(400, f"Unsupported format: {kvp['format']}")
            if kvp.get("style", "default") not in ("default", ""):
                return Response.error(400, f"Unknown style: {kvp['style']}")
            try:
                row, col = int(kvp["tilerow"]), int(kvp["tilecol"])
            except ValueError:
                return Response.error(400, "tileRow and tileCol must be integers")
            return self.get_tile(kvp["layer"], kvp.get("tilematrixset"), kvp["tilematrix"],
                                 row, col, premium)
        return Response.error(400, f"Unsupported request: {kvp.get('request', '')}")

    def get_tile(self, layer: str, matrix_set: str | None, matrix: str, row: int, col: int,
                 premium: bool) -> Response:
        try:
            tms, level = self.tiles.check(layer, matrix_set, matrix, row, col, premium)
        except maps.TileError as exc:
            return Response.error(exc.status, str(exc))
        png = self.tiles.tile(layer, tms, level, row, col)
        return Response(200, png, "image/png", [("Cache-Control", "max-age=86400")])


# --- spoiled answers (the bad_answer fault) -----------------------------------------------------

HTML_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>"
    "<h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream "
    "server.</p><hr><address>local-os-api (injected HTML error page)</address></body></html>\n"
)


def _with_unknown_fields(value):
    if isinstance(value, dict):
        spoiled = {k: _with_unknown_fields(v) for k, v in value.items()}
        spoiled["x-unknown-field"] = {"added": "by the local server", "list": [1, 2]}
        spoiled["newThing2030"] = None
        return spoiled
    if isinstance(value, list):
        return [_with_unknown_fields(v) for v in value]
    return value


def _with_empty_lists(value):
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {k: [] if isinstance(v, list) else v for k, v in value.items()}
    return value


def spoiled(response: Response, kind: str, status: int | None) -> Response:
    """`response` (a 200 JSON answer) as the bad_answer fault `kind` spoils it."""
    if kind == "malformed_json":
        return Response(response.status, response.body[: max(1, len(response.body) // 2)],
                        response.content_type, list(response.headers))
    if kind == "html_error":
        return Response(status or 502, HTML_ERROR_PAGE.encode("utf-8"),
                        "text/html; charset=utf-8", [("Server", "nginx")])
    value = json.loads(response.body)
    value = _with_unknown_fields(value) if kind == "unknown_fields" else _with_empty_lists(value)
    return Response(response.status, to_json(value), response.content_type,
                    list(response.headers))
