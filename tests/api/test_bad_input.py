"""Nasty input to the API gets a 4xx problem body that says what is wrong, quickly, or a
valid answer: never a 500. Each case here is one the fuzzer or a hand probe once broke."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from fazhi_shared.search.query import MAX_DEPTH, MAX_TERMS

from .conftest import assert_problem

# Generous for 2 shared cores: what matters is that no query runs for many seconds.
QUICK = 5.0


def search(api: httpx.Client, **params: str) -> httpx.Response:
    started = time.monotonic()
    answer = api.get("/v1/search", params={"facets": "none", **params})
    assert time.monotonic() - started < QUICK, f"{params} took too long"
    return answer


def cursor(kind: str, after: list, seen: int) -> str:
    raw = json.dumps([kind, after, seen]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("q", [
    "(" * 400 + "复议" + ")" * 400,
    "-(" * 300 + "复议" + ")" * 300,
    "NOT " * 240 + "复议",
])
def test_deeply_nested_query_is_a_400_naming_the_limit(api: httpx.Client, q: str) -> None:
    body = assert_problem(search(api, q=q), 400, "Malformed query")
    assert f"deeper than {MAX_DEPTH} levels" in body["detail"]
    assert body["position"] < len(q)


def test_nesting_up_to_the_limit_still_searches(api: httpx.Client) -> None:
    q = "(" * MAX_DEPTH + "复议" + ")" * MAX_DEPTH
    answer = search(api, q=q)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == search(api, q="复议").json()["total"] > 0


def test_too_many_terms_is_a_400_and_the_limit_itself_searches(api: httpx.Client) -> None:
    body = assert_problem(search(api, q="复 " * (MAX_TERMS + 1)), 400, "Malformed query")
    assert f"more than {MAX_TERMS} words" in body["detail"]
    assert body["position"] == 2 * MAX_TERMS
    answer = search(api, q="法治 " * MAX_TERMS)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == search(api, q="法治").json()["total"] > 0


@pytest.mark.parametrize("q", [
    "(" * 1000 + "复议" + ")" * 1000,
    " OR ".join(["复议"] * 1000),
])
def test_query_over_1000_characters_is_a_422(api: httpx.Client, q: str) -> None:
    body = assert_problem(search(api, q=q), 422, "Invalid request")
    assert "at most 1000 characters" in body["detail"]


@pytest.mark.parametrize("q", ['"' + "行政复议案件" * 83 + '"', "复议\x00\x01\x1f\x7f", "\ufffd复议"])
def test_long_phrases_and_control_characters_search(api: httpx.Client, q: str) -> None:
    answer = search(api, q=q)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] >= 0


def test_invalid_utf8_in_the_query_string_searches_as_replacement_characters(api: httpx.Client) -> None:
    answer = api.get("/v1/search?q=%ED%A0%80%FF&facets=none")  # a lone surrogate, then 0xFF
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("value", "detail"), [
    ("99999999999", "report_year must be YYYY"),
    ("99999999999999999999", "report_year must be YYYY"),
    ("0..99999999999999999999", "report_year must be YYYY"),
    ("²⁰²⁰", "report_year must be YYYY"),
])
def test_report_year_out_of_range_is_a_400(api: httpx.Client, value: str, detail: str) -> None:
    body = assert_problem(search(api, report_year=value), 400)
    assert detail in body["detail"] and value in body["detail"]


@pytest.mark.parametrize("value", ["2020-13-45", "2021-02-29", "２０２０-01-01"])
def test_impossible_publish_date_is_a_400(api: httpx.Client, value: str) -> None:
    body = assert_problem(search(api, publish_date_from=value), 400)
    assert "publish_date_from must be a date YYYY-MM-DD" in body["detail"]


@pytest.mark.parametrize("token", [
    "!!!garbage", "W10", "A" * 5000,
    cursor("r", ["a", 1, "x"], 1),
    cursor("r", [1e308 * 10, 1, "x"], 1),  # json.dumps writes Infinity, json.loads reads it
    cursor("r", [1.0, 10**30, "x"], 1),
    cursor("r", [1.0, 1, "x"], 10**30),
    cursor("r", [1.0, 1, "x"], -1),
    cursor("r", [10**400, 1, "x"], 1),  # an int no float can hold
])
def test_bad_cursor_is_a_400(api: httpx.Client, token: str) -> None:
    body = assert_problem(search(api, q="复议", cursor=token), 400, "Bad cursor")
    assert body["detail"] in ("cursor is not one this API returned", "cursor is out of range")


def test_date_cursor_beyond_64_bits_is_a_400(api: httpx.Client) -> None:
    body = assert_problem(search(api, sort="date", cursor=cursor("d", [10**30, 1, "x"], 3)), 400,
                          "Bad cursor")
    assert body["detail"] == "cursor is out of range"


def test_relevance_cursor_claiming_billions_seen_still_answers(api: httpx.Client) -> None:
    answer = search(api, q="法治", size="2", cursor=cursor("r", [1.0, 1, "x"], 2**31))
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] > 0


def test_a_real_cursor_still_pages(api: httpx.Client) -> None:
    first = search(api, q="法治", size="2").json()
    assert first["next_cursor"], first
    second = search(api, q="法治", size="2", cursor=first["next_cursor"])
    assert second.status_code == 200, second.text
    ids = {h["id"] for h in first["hits"]}
    assert second.json()["hits"] and not ids & {h["id"] for h in second.json()["hits"]}


def test_negative_size_and_unknown_facet(api: httpx.Client) -> None:
    assert "query.size" in assert_problem(search(api, size="-1"), 422, "Invalid request")["detail"]
    body = assert_problem(api.get("/v1/search", params={"facets": "unknown"}), 400)
    assert "unknown facets ['unknown']" in body["detail"]
