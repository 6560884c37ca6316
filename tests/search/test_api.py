"""/v1/search and /v1/documents/{id}/similar through the real API app served by uvicorn on
127.0.0.1, over a real tantivy index and a real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fazhi_shared.models import Document
from fazhi_shared.settings import Settings
from tests.conftest import fresh_database, serve

from .expect import visible, where


@pytest.fixture(scope="module")
def api(corpus: list[Document], redis_server: str,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("api-data"), redis_url=fresh_database(redis_server),
                        api_keys="search-test-key")
    with serve(settings, corpus) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.mark.parametrize(("query", "position"), [
    ('复议 "行政执法', 3), ("(复议 OR 诉讼", 9), ("复议 AND", 6), ("title:", 6),
    ("region:浙江", 0), ("复议 )", 3), ("ＮＯＴ", 3),
])
def test_malformed_query_is_a_400_problem_naming_the_position(api: httpx.Client, query: str,
                                                               position: int) -> None:
    answer = api.get("/v1/search", params={"q": query})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == 400 and body["title"] == "Malformed query"
    assert body["position"] == position and body["query"] == query
    assert body["detail"]


@pytest.mark.parametrize("params", [
    {"report_year": "20x1"}, {"publish_date_from": "2021/01/01"}, {"is_report": "maybe"},
    {"facets": "colour"}, {"stats": "Not An Indicator"}, {"cursor": "garbage"},
    # Misspelt names would match nothing and pass for an answer.
    {"stats": "admin_litigation_case"}, {"has_indicator": "mediation_dispute"},
    {"level": "city"}, {"doc_type": "annual"}, {"issuer_kind": "gov"},
])
def test_bad_parameters_are_400_problems(api: httpx.Client, params: dict[str, str]) -> None:
    answer = api.get("/v1/search", params=params)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["detail"]


def test_search_with_filters_facets_and_stats(api: httpx.Client, corpus: list[Document]) -> None:
    params = [("q", "复议"), ("province", "浙江省"), ("province", "江苏省"), ("report_year", "2020..2022"),
              ("facets", "region,report_year"), ("stats", "admin_reconsideration_received"),
              ("size", "100")]
    body = api.get("/v1/search", params=params).json()
    expected = where(corpus, lambda d: "复议" in d.text and d.region.province in ("浙江省", "江苏省")
                     and d.report_year is not None and 2020 <= d.report_year <= 2022)
    assert {h["id"] for h in body["hits"]} == expected and body["total"] == len(expected)
    assert set(body["facets"]) == {"region", "report_year"}
    assert sum(v["count"] for v in body["facets"]["report_year"]) == len(expected)
    assert body["stats"]["admin_reconsideration_received"]["count"] > 0
    hit = body["hits"][0]
    assert {"id", "title", "issuer", "region", "report_year", "publish_date", "url", "snippets",
            "duplicates"} <= set(hit)
    assert any("<em>复议</em>" in s for s in hit["snippets"])


def test_default_answer_has_every_facet_and_pages_with_cursor(api: httpx.Client, corpus: list[Document]) -> None:
    first = api.get("/v1/search", params={"size": 10}).json()
    assert first["total"] == len(visible(corpus))
    assert {"region", "report_year", "doc_type", "issuer_kind", "topics", "cited", "source",
            "on_time", "publish_month"} == set(first["facets"])
    seen = [h["id"] for h in first["hits"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/v1/search", params={"size": 10, "cursor": cursor, "facets": "none"}).json()
        assert page["facets"] == {}
        seen.extend(h["id"] for h in page["hits"])
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == first["total"]


def test_similar_endpoint(api: httpx.Client, corpus: list[Document]) -> None:
    doc = next(d for d in corpus if d.is_report and not d.duplicate_of)
    answer = api.get(f"/v1/documents/{doc.id}/similar", params={"size": 3})
    assert answer.status_code == 200
    hits = answer.json()["hits"]
    assert 0 < len(hits) <= 3 and doc.id not in {h["id"] for h in hits}
    missing = api.get("/v1/documents/0123456789abcdef0123/similar")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
