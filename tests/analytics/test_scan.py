"""Iterating every match of a request, across pages, with progress reports."""

from __future__ import annotations

from fazhi_shared.analytics.scan import iter_documents, iter_hits
from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest


def test_every_match_once_with_progress(engine: SearchBackend, corpus: list[Document]) -> None:
    request = SearchRequest(report_year=(2023, 2023), filters={"doc_type": ["annual_report"]})
    expected = {d.id for d in corpus if d.report_year == 2023 and d.doc_type == "annual_report"
                and not d.duplicate_of}
    assert len(expected) > 100, "several pages"
    seen: list[tuple[int, int]] = []
    ids = [h.id for h in iter_hits(engine, request, lambda done, total: seen.append((done, total)))]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert len(seen) >= 2 and seen[-1] == (len(expected), len(expected))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    docs = list(iter_documents(engine, request.model_copy(update={"filters": {
        "doc_type": ["annual_report"], "province": ["宁夏回族自治区"]}})))
    assert docs and all(d.text and d.region.province == "宁夏回族自治区" for d in docs)
