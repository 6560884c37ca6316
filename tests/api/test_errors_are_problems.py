"""Errors raised outside the routes (routing, body parsing, middleware) are problem bodies
too, and the OpenAPI document says so."""

from __future__ import annotations

import httpx
import pytest

from fazhi_api.routes.alerts import search_request
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import AlertStore, owner_of
from fazhi_shared.stores.redis import redis_client

from .conftest import API_KEY, assert_problem

ALERT = {"name": "a", "q": "复议", "webhook_url": "http://127.0.0.1:9/hook"}


def test_unknown_path_and_wrong_method_are_problems(api: httpx.Client) -> None:
    assert_problem(api.get("/v1/no-such-thing"), 404, "Not Found")
    answer = api.delete("/v1/search")
    assert_problem(answer, 405, "Method Not Allowed")
    assert answer.headers["allow"] == "GET"


@pytest.mark.parametrize("raw", [b"\xff\xfe{", b'{"id": "a\xff"}'])
def test_body_that_is_not_utf8_json_is_a_400_problem(api: httpx.Client, raw: bytes) -> None:
    answer = api.post("/v1/sources", content=raw, headers={"content-type": "application/json"})
    assert "error parsing the body" in assert_problem(answer, 400)["detail"]


@pytest.mark.parametrize(("path", "raw"), [
    ("/v1/sources", '{"id": "ok", "list_urls": ["http://a.example/\\ud800"]}'),
    ("/v1/ingest/urls", '{"urls": ["http://a.example/"], "source_id": "\\udc00"}'),
    ("/v1/alerts", '{"name": "\\ud800", "webhook_url": "http://127.0.0.1:9/"}'),
])
def test_lone_surrogate_in_a_json_body_is_a_400_and_nothing_is_stored(api: httpx.Client, path: str,
                                                                      raw: str) -> None:
    answer = api.post(path, content=raw.encode(), headers={"content-type": "application/json"})
    assert "lone UTF-16 surrogate" in assert_problem(answer, 400, "Invalid request")["detail"]
    assert api.get("/v1/sources/ok").status_code == 404


def test_surrogate_pairs_are_text_and_pass(api: httpx.Client) -> None:
    raw = '{"id": "pair", "name": "\\ud840\\udc00", "list_urls": ["http://a.example/"]}'
    answer = api.post("/v1/sources", content=raw.encode(), headers={"content-type": "application/json"})
    assert answer.status_code == 201, answer.text
    assert api.get("/v1/sources/pair").json()["name"] == "\U00020000"
    assert api.delete("/v1/sources/pair").status_code == 204


@pytest.mark.parametrize(("url", "detail"), [
    ("http://" + "a" * 70 + ".example/", "webhook_url is not a valid URL"),
    ("http://[::1/", "webhook_url is not a valid URL: Invalid IPv6 URL"),
    ("http://a.example:99999/", "bad port"),
])
def test_unusable_webhook_url_is_a_422(api: httpx.Client, url: str, detail: str) -> None:
    body = assert_problem(api.post("/v1/alerts", json={**ALERT, "webhook_url": url}), 422)
    assert detail in body["detail"]
    assert api.get("/v1/alerts").json() == []


def test_openapi_documents_problem_bodies_for_4xx(api: httpx.Client) -> None:
    doc = api.get("/openapi.json").json()
    assert doc["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            problem = operation["responses"].get("4XX")
            assert problem is not None, f"{method.upper()} {path}"
            assert list(problem["content"]) == ["application/problem+json"]
            assert "422" not in operation["responses"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_json_number_that_is_not_finite_is_a_400(api: httpx.Client, number: str) -> None:
    raw = '{"id": "inf", "list_urls": ["http://a.example/"], "interval": ' + number + "}"
    answer = api.put("/v1/sources/inf", content=raw.encode(), headers={"content-type": "application/json"})
    assert "not finite" in assert_problem(answer, 400, "Invalid request")["detail"]
    assert api.get("/v1/sources/inf").status_code == 404


@pytest.mark.parametrize("interval", [-5, 0, "99999999999999999999d", 1e300])
def test_source_interval_out_of_range_is_a_422(api: httpx.Client, interval: object) -> None:
    source = {"id": "iv", "list_urls": ["http://a.example/"], "interval": interval}
    body = assert_problem(api.post("/v1/sources", json=source), 422)
    assert "interval must be from 1 second to 366 days" in body["detail"]
    assert_problem(api.put("/v1/sources/iv", json=source), 422)
    assert api.get("/v1/sources/iv").status_code == 404


@pytest.mark.parametrize("offset", [str(2**63 - 1), str(10**20)])
def test_delivery_log_offset_beyond_its_bound_is_a_422(api: httpx.Client, api_settings: Settings,
                                                       offset: str) -> None:
    # Saved through the store: the API refuses loopback webhooks, and no other host resolves here.
    alert, _ = AlertStore(redis_client(api_settings)).create(
        owner=owner_of(API_KEY), name="log", q="", filters={}, webhook_url="http://127.0.0.1:9/",
        request=search_request("", {}), digest_interval_seconds=None, active=True)
    assert api.get(f"/v1/alerts/{alert.id}/deliveries").json() == {"total": 0, "deliveries": []}
    answer = api.get(f"/v1/alerts/{alert.id}/deliveries", params={"offset": offset})
    assert "query.offset" in assert_problem(answer, 422, "Invalid request")["detail"]


@pytest.mark.parametrize("interval", [[], {}, [60]])
def test_source_interval_of_the_wrong_json_type_is_a_422(api: httpx.Client, interval: object) -> None:
    source = {"id": "wt", "list_urls": ["http://a.example/"], "interval": interval}
    body = assert_problem(api.put("/v1/sources/wt", json=source), 422, "Invalid request")
    assert "body.interval" in body["detail"] and "not a duration" in body["detail"]


def test_an_uploaded_json_document_is_kept_as_is(api: httpx.Client) -> None:
    raw = b'{"title": "\\ud800", "n": NaN}'  # not the API's JSON: a document body, queued
    answer = api.post("/v1/ingest", params={"url": "https://upload.example/a.json"}, content=raw,
                      headers={"content-type": "application/json"})
    assert answer.status_code == 202, answer.text
    assert answer.json()["queued"] == 1


def test_a_large_json_body_passes_the_check_to_the_route(api: httpx.Client) -> None:
    source = {"id": "big", "name": "x" * (2 << 20), "list_urls": ["http://a.example/"]}
    answer = api.put("/v1/sources/big", json=source)
    assert answer.status_code == 200, answer.text[:300]
    assert api.get("/v1/sources/big").json()["name"] == source["name"]
    assert api.delete("/v1/sources/big").status_code == 204
