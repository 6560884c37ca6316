"""The two engines answer alike: same result sets, same facet counts, same order wherever
scores differ clearly, same pages. Runs when FAZHI_TEST_ES_URL points at a cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import FACETS, SearchBackend, SearchRequest
from fazhi_shared.search.es_backend import es_source, template
from fazhi_shared.search.fields import INDICATOR_FIELD

from .expect import result_ids

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = [
    SearchRequest(),
    SearchRequest(q="复议"),
    SearchRequest(q='"行政执法三项制度"'),
    SearchRequest(q="执法 三项 制度"),
    SearchRequest(q="(疫情防控 OR 人民调解) -营商环境"),
    SearchRequest(q="title:要点 OR issuer:司法局"),
    SearchRequest(q="行政復議", filters={"province": ["浙江省"], "doc_type": ["annual_report"]}),
    SearchRequest(q="法治政府", report_year=(2020, 2022), publish_date=("2021-01-01", None)),
    SearchRequest(filters={"is_report": ["any"]}, collapse=False),
    SearchRequest(filters={"topics": ["行政执法"], "on_time": ["true"]}),
]


def _ranked_groups(hits: list[tuple[str, float | None]]) -> list[set[str]]:
    """Hits grouped where neighbouring scores are within 2%: order inside a group may differ
    between engines (float rounding), the order of groups may not."""
    groups: list[set[str]] = []
    last: float | None = None
    for doc_id, score in hits:
        if groups and score is not None and last is not None and abs(score - last) <= 0.02 * max(abs(last), 1e-9):
            groups[-1].add(doc_id)
        else:
            groups.append({doc_id})
        last = score
    return groups


@pytest.mark.es
@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: r.q or "all")
def test_engines_agree(both_engines: tuple[SearchBackend, SearchBackend],
                       request_: SearchRequest) -> None:
    tantivy, es = both_engines
    full = request_.model_copy(update={"size": 100, "facets": FACETS,
                                       "stats": ("admin_reconsideration_received",)})
    a, b = tantivy.search(full), es.search(full)
    assert a.total == b.total
    assert {h.id for h in a.hits} == {h.id for h in b.hits}
    assert a.facets == b.facets
    assert a.stats["admin_reconsideration_received"].count == b.stats["admin_reconsideration_received"].count
    assert a.stats["admin_reconsideration_received"].sum == pytest.approx(b.stats["admin_reconsideration_received"].sum)
    assert [h.duplicates for h in sorted(a.hits, key=lambda h: h.id)] == [
        h.duplicates for h in sorted(b.hits, key=lambda h: h.id)]
    if a.hits and a.hits[0].score is None:  # date order: exactly the same
        assert [h.id for h in a.hits] == [h.id for h in b.hits]
    else:
        assert _ranked_groups([(h.id, h.score) for h in a.hits]) == _ranked_groups(
            [(h.id, h.score) for h in b.hits]) or [h.id for h in a.hits][:3] == [h.id for h in b.hits][:3]
    fields = dict(request_.model_dump(exclude={"size", "cursor"}))
    assert result_ids(tantivy, **fields) == result_ids(es, **fields)


@pytest.mark.es
def test_engines_agree_on_similar_documents(both_engines: tuple[SearchBackend, SearchBackend],
                                            corpus: list[Document]) -> None:
    tantivy, es = both_engines
    doc = next(d for d in corpus if d.is_report)
    a, b = tantivy.similar(doc.id, 10), es.similar(doc.id, 10)
    assert a is not None and b is not None
    assert {h.id for h in a.hits[:3]} & {h.id for h in b.hits[:3]}


def test_deploy_template_is_the_one_the_backend_installs() -> None:
    deployed = json.loads((ROOT / "deploy/elasticsearch/documents-template.json").read_text())
    assert deployed == template("fazhi")


def test_the_mapping_covers_every_indexed_field(corpus: list[Document]) -> None:
    properties = template("fazhi")["template"]["mappings"]["properties"]
    for doc in corpus:
        for name in es_source(doc):
            assert name in properties, f"{name} is indexed but not mapped (the mapping is strict)"
    assert properties[INDICATOR_FIELD].get("dynamic") is True
