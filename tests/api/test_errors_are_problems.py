"""Errors raised outside the routes (routing, body parsing, middleware) are problem bodies
too, and the OpenAPI document says so."""

from __future__ import annotations

import httpx
import pytest

from .conftest import assert_problem

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
