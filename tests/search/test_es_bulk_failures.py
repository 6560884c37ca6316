"""Bulk writes to a cluster that cannot take them now (queues full, shards unavailable) are
retried later by the indexing task, not dead-lettered; documents the cluster refuses for good
still fail at once. Against a local server answering as a cluster does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fazhi_shared.celery_base import PipelineTask
from fazhi_shared.models import Document
from fazhi_shared.search.es_backend import ElasticsearchBackend

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


def _cluster(request_status: int, item_status: int) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            code, out = 200, {}
            if self.path.split("?")[0].endswith("/_bulk"):
                code = request_status
                out = ({"errors": True, "took": 1, "items": _items(body, item_status)}
                       if code == 200 else
                       {"error": {"type": ERRORS[code], "reason": "refused"}, "status": code})
            data = json.dumps(out).encode()
            self.send_response(code)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    cluster = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=cluster.serve_forever, daemon=True).start()
    return cluster


@pytest.fixture
def cluster(request: pytest.FixtureRequest) -> Iterator[ElasticsearchBackend]:
    server = _cluster(*request.param)
    backend = ElasticsearchBackend(f"http://127.0.0.1:{server.server_address[1]}")
    yield backend
    backend.close()
    server.shutdown()
    server.server_close()


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
