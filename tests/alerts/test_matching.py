"""A document reaches an alert if and only if /v1/search with the alert's query and filters
returns it: 100 alerts × 1,000 documents, compared with the real search API."""

from __future__ import annotations

import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from fazhi_shared.search.base import SearchRequest
from fazhi_shared.stores.alerts import AlertStore
from fazhi_shared.stores.redis import redis_client

from .conftest import AlertsEnv, make_env, settings_from
from .factories import make_alert_spec, make_document

pytestmark = pytest.mark.slow


def _search_ids(env: AlertsEnv, q: str, filters: dict[str, Any]) -> set[str]:
    params: list[tuple[str, str]] = [("q", q), ("size", "100")]
    for name, value in filters.items():
        for item in value if isinstance(value, list) else [value]:
            params.append((name, str(item)))
    found: set[str] = set()
    cursor = None
    while True:
        page = env.client.get("/v1/search", params=params + ([("cursor", cursor)] if cursor else []))
        assert page.status_code == 200, page.text
        body = page.json()
        found.update(hit["id"] for hit in body["hits"])
        cursor = body["next_cursor"]
        if not cursor:
            assert len(found) == body["total"]
            return found


def test_100_alerts_by_1000_documents_match_exactly_what_search_returns(alerts_env: AlertsEnv) -> None:
    rng = random.Random(20241)
    # Digest alerts (one call per interval) keep the HTTP traffic small; matching is the same.
    alerts = []
    for n in range(100):
        spec = make_alert_spec(n, rng, "")
        spec.pop("webhook_url")
        alerts.append(alerts_env.create_alert(digest_interval_seconds=1, **spec))
    docs = [make_document(1000 + n, rng) for n in range(1000)]
    started = time.monotonic()
    for start in range(0, len(docs), 200):
        alerts_env.index(*docs[start:start + 200])

    indexed = time.monotonic() - started
    expected = {a["id"]: _search_ids(alerts_env, a["q"], a["filters"]) for a in alerts}
    searched = time.monotonic() - started
    assert sum(map(len, expected.values())) > 1000  # the alerts do match things
    assert sum(1 for ids in expected.values() if not ids) < 20  # and most alerts match some

    def received() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {a["id"]: set() for a in alerts}
        for a in alerts:
            for call in alerts_env.receiver.received(a["path"]):
                assert call.verified, call.error
                out[a["id"]].update(d["id"] for d in call.payload["data"]["documents"])
        return out

    def complete() -> bool:
        return received() == expected

    try:
        alerts_env.wait(complete, timeout=150, what="every alert received its documents")
    finally:
        got = received()
        wrong = {a: (sorted(expected[a] - got[a])[:3], sorted(got[a] - expected[a])[:3])
                 for a in expected if expected[a] != got[a]}
        print(f"indexed {indexed:.1f} s, searched {searched:.1f} s, matched in {time.monotonic() - started:.1f} s; alerts differing: {len(wrong)} {list(wrong.items())[:3]}")
    # Nothing twice: every document reached each alert in exactly one digest.
    for a in alerts:
        listed = [d["id"] for c in alerts_env.receiver.received(a["path"]) for d in c.payload["data"]["documents"]]
        assert len(listed) == len(set(listed))


@pytest.mark.es
@pytest.mark.skipif(not os.environ.get("FAZHI_TEST_ES_URL"),
                    reason="FAZHI_TEST_ES_URL is not set: no Elasticsearch cluster to percolate against")
def test_percolator_matches_exactly_what_elasticsearch_search_returns(
    alerts_redis: str, tmp_path: Path
) -> None:
    from fazhi_shared.search.es_backend import ElasticsearchBackend
    from fazhi_shared.search.es_percolator import PercolatorMatcher

    prefix = f"fazhi-test-{uuid.uuid4().hex[:8]}"
    env = make_env(alerts_redis, tmp_path, FAZHI_SEARCH_URL=os.environ["FAZHI_TEST_ES_URL"],
                   FAZHI_ES_INDEX_PREFIX=prefix)
    settings = settings_from(env)
    store = AlertStore(redis_client(settings))
    rng = random.Random(99)
    alerts = []
    for n in range(60):
        spec = make_alert_spec(n, rng, "https://hooks.example/x")
        request = SearchRequest(q=spec["q"], filters={
            k: v if isinstance(v, list) else [v] for k, v in spec["filters"].items() if k != "report_year"})
        alerts.append(store.create(owner="o", request=request.model_dump(mode="json"), **spec)[0])
    docs = [make_document(n, rng) for n in range(300)]
    backend = ElasticsearchBackend(os.environ["FAZHI_TEST_ES_URL"], prefix=prefix)
    matcher = PercolatorMatcher(settings, store)
    try:
        backend.upsert(docs)
        matched = matcher.match(docs)
        for alert in alerts:
            request = SearchRequest.model_validate({**alert.request, "size": 100})
            expected: set[str] = set()
            while True:
                page = backend.search(request)
                expected.update(h.id for h in page.hits)
                if not page.next_cursor:
                    break
                request = request.model_copy(update={"cursor": page.next_cursor})
            got = {doc_id for doc_id, found in matched.items() if alert in found}
            assert got == expected, alert.q
    finally:
        for index in (f"{prefix}-documents-v*", f"{prefix}-alerts-percolator"):
            backend.client.indices.delete(index=index, ignore_unavailable=True)
        matcher.close()
        backend.close()
