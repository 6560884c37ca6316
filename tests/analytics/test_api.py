"""/v1/coverage, /v1/indicators, /v1/compare and the exports through the real API app served
by uvicorn on 127.0.0.1, over a real tantivy index holding the known-truth corpus."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest

from fazhi_shared.models import Document
from fazhi_shared.settings import Settings
from tests.conftest import fresh_database, serve

from .corpus import NINGXIA, YEAR, Planned, expected_status


@pytest.fixture(scope="module")
def api(corpus: list[Document], redis_server: str,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("analytics-api"),
                        redis_url=fresh_database(redis_server), api_keys="test-key")
    with serve(settings, corpus) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _all_search_ids(api: httpx.Client, **params: str) -> list[str]:
    ids, cursor = [], None
    while True:
        page = api.get("/v1/search", params={**params, "size": 100, "facets": "none",
                                             **({"cursor": cursor} if cursor else {})}).json()
        ids += [h["id"] for h in page["hits"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def test_search_export_streams_every_page_in_csv_and_json(api: httpx.Client) -> None:
    params = {"report_year": str(YEAR), "doc_type": "annual_report"}
    expected = _all_search_ids(api, **params)
    assert len(expected) > 100, "the corpus must need several pages"
    rows = _csv(api.get("/v1/search/export", params={**params, "format": "csv"}))
    assert sorted(r["id"] for r in rows) == sorted(expected)
    assert {r["province"] for r in rows} == {"宁夏回族自治区", "浙江省"}
    answer = api.get("/v1/search/export", params={**params, "format": "json"})
    assert answer.headers["content-type"].startswith("application/json")
    items = answer.json()
    assert sorted(i["id"] for i in items) == sorted(expected)
    assert all(i["report_year"] == YEAR for i in items)


def test_search_export_takes_the_search_filters(api: httpx.Client) -> None:
    params = {"province": "宁夏回族自治区", "on_time": "false", "q": "法治政府"}
    rows = _csv(api.get("/v1/search/export", params=params))
    assert sorted(r["id"] for r in rows) == sorted(_all_search_ids(api, **params))
    assert rows and all(r["province"] == "宁夏回族自治区" for r in rows)
    bad = api.get("/v1/search/export", params={"q": '"unclosed'})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")


def test_coverage_json_and_csv(api: httpx.Client, planned: list[Planned]) -> None:
    truth = {p.place.adcode: expected_status(p) for p in planned
             if p.place.adcode.startswith(NINGXIA[:2])}
    body = api.get("/v1/coverage", params={"report_year": YEAR, "province": "宁夏"}).json()
    assert {g["adcode"]: g["status"] for g in body["governments"]} == truth
    assert body["totals"]["missing"] == list(truth.values()).count("missing")
    assert "no complete list" in body["departments_note"].lower()
    rows = _csv(api.get("/v1/coverage", params={"report_year": YEAR, "province": "宁夏",
                                                 "format": "csv"}))
    govs = [r for r in rows if r["kind"] == "government"]
    assert {r["adcode"]: r["status"] for r in govs} == truth
    assert [r["name"] for r in rows if r["kind"] == "department"] == [
        "宁夏回族自治区司法厅", "银川市市场监督管理局"]
    late = next(r for r in govs if r["adcode"] == "640200")
    assert late["days_late"] == "14" and late["url"] == "https://gov.example/640200/0.html"
    levels = api.get("/v1/coverage", params={"report_year": YEAR, "province": "宁夏",
                                              "level": "prefecture,province"}).json()
    assert levels["levels"] == ["province", "prefecture"] and len(levels["governments"]) == 6


@pytest.mark.parametrize("params", [
    {"report_year": YEAR, "province": "火星"}, {"report_year": YEAR, "level": "township"},
])
def test_coverage_unknown_scope_is_a_400_problem(api: httpx.Client, params: dict[str, object]) -> None:
    answer = api.get("/v1/coverage", params=params)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert api.get("/v1/coverage").status_code == 422


def test_indicators_json_and_csv(api: httpx.Client) -> None:
    params = {"name": "head_appearance_rate_pct", "report_year": str(YEAR), "group_by": "level"}
    body = api.get("/v1/indicators", params=params).json()
    assert {g["group"] for g in body["groups"]} == {"province", "prefecture", "county"}
    flagged = [v for v in body["values"] if "rate_above_100" in v["flags"]]
    assert [v["issuer"] for v in flagged] == ["石嘴山市人民政府"]
    assert body["flags"]["rate_above_100"]
    rows = _csv(api.get("/v1/indicators", params={**params, "format": "csv"}))
    assert len(rows) == len(body["values"])
    row = next(r for r in rows if r["issuer"] == "石嘴山市人民政府")
    assert "rate_above_100" in row["flags"].split() and row["value"] == "120.0" and "120%" in row["evidence"]
    unknown = api.get("/v1/indicators", params={"name": "cats"})
    assert unknown.status_code == 400 and "admin_reconsideration_received" in unknown.json()["detail"]


def test_compare_over_http(api: httpx.Client, corpus: list[Document]) -> None:
    ids = [d.id for d in corpus[:3]]
    body = api.get("/v1/compare", params={"ids": ",".join(ids)}).json()
    assert [c["id"] for c in body["documents"]] == ids
    assert api.get("/v1/compare", params=[("ids", ids[0]), ("ids", ids[1])]).status_code == 200
    assert api.get("/v1/compare", params={"ids": ids[0]}).status_code == 400
    missing = api.get("/v1/compare", params={"ids": f"{ids[0]},nosuchdocument0000"})
    assert missing.status_code == 404 and "nosuchdocument0000" in missing.json()["detail"]
