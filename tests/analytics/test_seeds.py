"""The five real seed reports through the real pipeline into a real index: coverage places
each on its government with the status its own dates imply, and compare lines up their parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_shared.analytics.compare import compare
from fazhi_shared.analytics.coverage import coverage
from fazhi_shared.analytics.indicators import indicator_table
from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest
from fazhi_shared.search.tantivy_backend import TantivyBackend
from tests.conftest import process_seeds

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchBackend, list[Document]]:
    docs = process_seeds()
    backend = TantivyBackend(tmp_path_factory.mktemp("seed-index"))
    backend.upsert(docs)
    yield backend, docs  # type: ignore[misc]
    backend.close()


def test_each_seed_report_sits_on_its_government(seeds: tuple[SearchBackend, list[Document]]) -> None:
    backend, docs = seeds
    reports = [d for d in docs if d.doc_type == "annual_report" and d.region.adcode
               and d.issuer_kind == "government"]
    assert len(reports) >= 3
    statuses = set()
    for doc in reports:
        assert doc.report_year and doc.region.province
        result = coverage(backend, doc.report_year, province=doc.region.province)
        gov = next(g for g in result.governments if g.adcode == doc.region.adcode)
        assert [r.id for r in gov.reports] == [doc.id]
        due = f"{doc.report_year + 1}-04-01"
        expected = ("undated" if not doc.publish_date else
                    "on_time" if doc.publish_date <= due else "late")
        assert gov.status == expected, (doc.issuer, doc.publish_date)
        statuses.add(expected)
        others = [g for g in result.governments if g.adcode != doc.region.adcode]
        assert others and all(g.status == "missing" for g in others)
    assert len(statuses) >= 2, "the seeds hold reports on time and late or undated"


def test_compare_and_indicators_on_real_reports(seeds: tuple[SearchBackend, list[Document]]) -> None:
    backend, docs = seeds
    reports = [d for d in docs if d.doc_type == "annual_report"][:3]
    result = compare(backend, [d.id for d in reports])
    achievements = next(r for r in result.sections if r.kind == "achievements")
    assert all(cell is not None and cell.chars > 100 for cell in achievements.cells)
    for i, doc in enumerate(reports):
        for row in result.indicators:
            stated = sorted((ind.start, ind.value) for ind in doc.indicators if ind.name == row.name)
            assert row.values[i] == (stated[0][1] if stated else None), "the first value stated"
    name = next(ind.name for d in reports for ind in d.indicators)
    table = indicator_table(backend, name, SearchRequest())
    holders = {d.id for d in docs if any(i.name == name for i in d.indicators)}
    assert {v.document_id for v in table.values} == holders
    for v in table.values:
        doc = next(d for d in docs if d.id == v.document_id)
        assert doc.text[v.start:v.end] in v.evidence
