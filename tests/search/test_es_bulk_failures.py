"""Bulk writes to a cluster that cannot take them now (queues full, shards unavailable) are
retried later by the indexing task, not dead-lettered; documents the cluster refuses for good
still fail at once. Against a local server answering as a cluster does."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fazhi_shared.celery_base import PipelineTask
from fazhi_shared.models import Document
from fazhi_shared.search.es_backend import ElasticsearchBackend
from tests.es_answers import Answer, answering_cluster

ERRORS = {503: "unavailable_shards_exception", 429: "es_rejected_execution_exception",
          400: "document_parsing_exception"}


def _items(body: bytes, status: int) -> list[dict]:
    """One failed item per action of an NDJSON bulk body."""
    items, lines = [], iter(body.decode().splitlines())
    for line in lines:
        op, meta = next(iter(json.loads(line).items()))
        if op != "delete":
            next(lines)  # the document source
        items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": status,
                           "error": {"type": ERRORS[status], "reason": "refused"}}})
    return items


def _bulk_answer(request_status: int, item_status: int) -> Answer:
    def answer(path: str, body: bytes) -> tuple[int, dict] | None:
        if not path.endswith("/_bulk"):
            return None
        if request_status != 200:
            return request_status, {"error": {"type": ERRORS[request_status], "reason": "refused"},
                                    "status": request_status}
        return 200, {"errors": True, "took": 1, "items": _items(body, item_status)}
    return answer


@pytest.fixture
def cluster(request: pytest.FixtureRequest) -> Iterator[ElasticsearchBackend]:
    with answering_cluster(_bulk_answer(*request.param)) as url:
        backend = ElasticsearchBackend(url)
        yield backend
        backend.close()


def _retried(exc: BaseException) -> bool:
    return isinstance(exc, PipelineTask.autoretry_for)


@pytest.mark.parametrize("cluster", [(503, 0), (200, 503)], indirect=True,
                         ids=["bulk-request-503", "items-503"])
def test_a_cluster_that_cannot_take_writes_now_is_retried_later(
    cluster: ElasticsearchBackend, corpus: list[Document]
) -> None:
    with pytest.raises(Exception) as upsert:
        cluster.upsert(corpus[:3])
    assert _retried(upsert.value), repr(upsert.value)
    with pytest.raises(Exception) as delete:
        cluster.delete([d.id for d in corpus[:3]])
    assert _retried(delete.value), repr(delete.value)


@pytest.mark.parametrize("cluster", [(200, 400)], indirect=True)
def test_documents_refused_for_good_are_not_retried(cluster: ElasticsearchBackend,
                                                    corpus: list[Document]) -> None:
    with pytest.raises(Exception) as upsert:
        cluster.upsert(corpus[:3])
    assert not _retried(upsert.value)
    assert "3 bulk actions failed" in str(upsert.value)
