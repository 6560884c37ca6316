"""Alerts on Elasticsearch: a percolator index holding each alert's search as a stored query.

The index `<prefix>-alerts-percolator` has the documents' own mapping and analysis (so a
stored query reads a document exactly as the documents index does) plus `query`
(percolator), `alert_id`, `rev` and `active`. Each stored query is what `/v1/search` runs for
the alert: `compile_es.compile_request` on the alert's `SearchRequest`. The index follows
the alerts in Redis: whenever their version changes, changed alerts are written (external
versioning by revision, so an older writer can never undo a newer one) and deleted ones
removed, before any document is percolated.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from elasticsearch import Elasticsearch, helpers

from fazhi_shared.models import Document
from fazhi_shared.search import compile_es
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.es_backend import es_source, template
from fazhi_shared.search.query import parse_query
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import Alert, AlertStore

log = logging.getLogger(__name__)
PAGE = 1000


def percolator_index(prefix: str) -> str:
    return f"{prefix}-alerts-percolator"


def percolator_body(prefix: str) -> dict[str, Any]:
    documents = template(prefix)["template"]
    mappings = dict(documents["mappings"])
    mappings["properties"] = {
        **mappings["properties"],
        "query": {"type": "percolator"},
        "alert_id": {"type": "keyword"},
        "rev": {"type": "long"},
        "active": {"type": "boolean"},
    }
    mappings.pop("_source", None)  # the stored query must stay in _source
    return {"settings": documents["settings"], "mappings": mappings}


def alert_query(alert: Alert) -> dict[str, Any]:
    request = SearchRequest.model_validate({**alert.request, "q": alert.q, "size": 0, "facets": ()})
    return compile_es.compile_request(parse_query(request.q), request)


class PercolatorMatcher:
    def __init__(self, settings: Settings, store: AlertStore) -> None:
        self.client = Elasticsearch(settings.effective_search_url(), request_timeout=30,
                                    max_retries=3, retry_on_timeout=True)
        self.index = percolator_index(settings.es_index_prefix)
        self.prefix = settings.es_index_prefix
        self.store = store
        self._version = -1
        self._synced: dict[str, int] = {}
        self._lock = threading.Lock()
        self._ensure()

    def _ensure(self) -> None:
        if not self.client.indices.exists(index=self.index):
            body = percolator_body(self.prefix)
            try:
                self.client.indices.create(index=self.index, **body)
            except Exception as exc:  # another process created it first
                if "resource_already_exists" not in str(exc):
                    raise

    def refresh(self) -> None:
        version = self.store.version()
        if version == self._version:
            return
        with self._lock:
            alerts = {a.id: a for a in self.store.all()}
            actions: list[dict[str, Any]] = []
            for alert in alerts.values():
                if self._synced.get(alert.id) == alert.rev:
                    continue
                try:
                    query = alert_query(alert)
                except Exception:
                    log.exception("alert %s cannot be compiled; it is skipped", alert.id)
                    continue
                actions.append({
                    "_op_type": "index", "_index": self.index, "_id": alert.id,
                    "version": alert.rev, "version_type": "external_gte",
                    "_source": {"query": query, "alert_id": alert.id, "rev": alert.rev,
                                "active": alert.active},
                })
            stored = {hit["_id"] for hit in helpers.scan(
                self.client, index=self.index, query={"query": {"match_all": {}}, "_source": False})}
            actions += [{"_op_type": "delete", "_index": self.index, "_id": alert_id}
                        for alert_id in stored - set(alerts)]
            for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False,
                                                   refresh="wait_for"):
                status = next(iter(item.values())).get("status")
                if not ok and status not in (404, 409):  # 409: a newer revision is there
                    raise RuntimeError(f"percolator update failed: {item}")
            self._synced = {a.id: a.rev for a in alerts.values()}
            self._version = version

    def match(self, documents: list[Document]) -> dict[str, list[Alert]]:
        self.refresh()
        documents = list({doc.id: doc for doc in documents}.values())
        result: dict[str, list[Alert]] = {doc.id: [] for doc in documents}
        if not documents:
            return result
        sources = [es_source(doc) for doc in documents]
        matched: dict[int, set[str]] = {}
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": {"bool": {"filter": [
                    {"percolate": {"field": "query", "documents": sources}},
                    {"term": {"active": True}},
                ]}},
                "size": PAGE, "sort": [{"alert_id": "asc"}], "_source": ["alert_id"],
            }
            if after is not None:
                body["search_after"] = after
            found = self.client.search(index=self.index, **body)["hits"]["hits"]
            for hit in found:
                slots = hit.get("fields", {}).get("_percolator_document_slot", [0])
                for slot in slots:
                    matched.setdefault(int(slot), set()).add(hit["_source"]["alert_id"])
            if len(found) < PAGE:
                break
            after = found[-1]["sort"]
        alerts = {a.id: a for a in self.store.all()} if matched else {}
        for slot, alert_ids in matched.items():
            result[documents[slot].id] = [alerts[i] for i in sorted(alert_ids) if i in alerts]
        return result

    def close(self) -> None:
        self.client.close()
