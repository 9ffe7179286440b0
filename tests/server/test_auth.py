"""Authentication: key header, key parameter (lower-case only), OAuth 2 bearer tokens."""

from __future__ import annotations

import time

from local_os_api import DEMO_KEY, DEMO_SECRET, NO_PACKAGES_KEY, PREMIUM_KEY, PREMIUM_SECRET

PACKAGES = "/downloads/v1/dataPackages"
MISSING = {"fault": {"faultstring": "Failed to resolve API Key variable request.header.key",
                     "detail": {"errorcode": "steps.oauth.v2.FailedToResolveAPIKey"}}}
INVALID = {"fault": {"faultstring": "Invalid ApiKey",
                     "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}}


def token(client, key=DEMO_KEY, secret=DEMO_SECRET):
    return client.post("/oauth2/token/v1", auth=(key, secret),
                       data={"grant_type": "client_credentials"})


def test_key_header_and_query_parameter(client):
    assert client.get(PACKAGES, headers={"key": DEMO_KEY}).status_code == 200
    assert client.get(PACKAGES, params={"key": DEMO_KEY}).status_code == 200
    assert client.get(PACKAGES, headers={"KEY": PREMIUM_KEY}).status_code == 200  # header names


def test_upper_case_key_parameter_is_not_recognised(client):
    response = client.get(PACKAGES + f"?KEY={DEMO_KEY}")
    assert response.status_code == 401
    assert response.json() == MISSING


def test_missing_and_invalid_keys(client):
    assert client.get(PACKAGES).json() == MISSING
    response = client.get(PACKAGES, headers={"key": "nope"})
    assert response.status_code == 401 and response.json() == INVALID


def test_open_data_needs_no_key_but_refuses_a_wrong_one(client):
    assert client.get("/downloads/v1/products").status_code == 200
    assert client.get("/downloads/v1/products", headers={"key": DEMO_KEY}).status_code == 200
    response = client.get("/downloads/v1/products", headers={"key": "wrong"})
    assert response.status_code == 401 and response.json() == INVALID


def test_oauth_token_and_bearer(client):
    response = token(client)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "expires_in", "issued_at", "token_type"]
    assert body["expires_in"] == 299 and isinstance(body["issued_at"], int)
    assert abs(body["issued_at"] / 1000 - time.time()) < 5
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(PACKAGES, headers=headers).status_code == 200
    wrong = client.get(PACKAGES, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401


def test_token_numbers_as_strings(client, os_api):
    os_api.token_numbers_as_strings = True
    body = token(client, PREMIUM_KEY, PREMIUM_SECRET).json()
    assert body["expires_in"] == "299" and body["issued_at"].isdigit()


def test_token_expires(client, os_api):
    os_api.token_lifetime = 1
    body = token(client).json()
    assert body["expires_in"] == 1
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(PACKAGES, headers=headers).status_code == 200
    time.sleep(1.2)
    expired = client.get(PACKAGES, headers=headers)
    assert expired.status_code == 401
    assert "expired" in expired.json()["fault"]["faultstring"]
    assert token(client).status_code == 200  # a new one works


def test_token_endpoint_refuses_bad_credentials(client):
    assert token(client, DEMO_KEY, "wrong").status_code == 401
    assert token(client, "nobody", "x").status_code == 401
    bad_grant = client.post("/oauth2/token/v1", auth=(DEMO_KEY, DEMO_SECRET),
                            data={"grant_type": "password"})
    assert bad_grant.status_code == 400
    assert client.get("/oauth2/token/v1").status_code == 405


def test_no_packages_key_is_valid(client):
    response = client.get(PACKAGES, headers={"key": NO_PACKAGES_KEY})
    assert response.status_code == 200 and response.content == b"[]"
