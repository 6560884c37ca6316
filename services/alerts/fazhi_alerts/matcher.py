"""Which alerts a document matches, with exactly the semantics of `/v1/search`.

Embedded engine: the documents go into an in-memory tantivy index with the search index's
schema and document conversion, and each alert's query, compiled by the same
`compile_request` the search backend uses, runs against it. Compiled queries are cached per
alert revision; the alert set is reloaded when its version in Redis changes.
Elasticsearch: the percolator index (`fazhi_shared.search.es_percolator`) does the same.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

import tantivy

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.compile_tantivy import compile_request
from fazhi_shared.search.query import parse_query
from fazhi_shared.search.tantivy_backend import build_schema, tantivy_document
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import Alert, AlertStore

log = logging.getLogger(__name__)
MEMORY_HEAP = 15_000_000


def alert_request(alert: Alert) -> SearchRequest:
    """The alert's search as `/v1/search` would run it (paging and facets play no part)."""
    return SearchRequest.model_validate({**alert.request, "q": alert.q, "size": 0, "facets": ()})


class Matcher(Protocol):
    def match(self, documents: list[Document]) -> dict[str, list[Alert]]: ...


class TantivyMatcher:
    def __init__(self, store: AlertStore) -> None:
        self.store = store
        self.schema = build_schema()
        self._compiled: dict[str, tuple[int, Alert, Any]] = {}
        self._version = -1
        self._lock = threading.Lock()

    def refresh(self) -> None:
        version = self.store.version()
        if version == self._version:
            return
        with self._lock:
            alerts = self.store.all()
            compiled: dict[str, tuple[int, Alert, Any]] = {}
            for alert in alerts:
                cached = self._compiled.get(alert.id)
                if cached is not None and cached[0] == alert.rev:
                    compiled[alert.id] = (alert.rev, alert, cached[2])
                    continue
                try:
                    request = alert_request(alert)
                    query = compile_request(self.schema, parse_query(request.q), request)
                except Exception:  # one broken alert must not stop the others
                    log.exception("alert %s cannot be compiled; it is skipped", alert.id)
                    continue
                compiled[alert.id] = (alert.rev, alert, query)
            self._compiled = compiled
            self._version = version

    def match(self, documents: list[Document]) -> dict[str, list[Alert]]:
        self.refresh()
        result: dict[str, list[Alert]] = {doc.id: [] for doc in documents}
        if not documents:
            return result
        index = tantivy.Index(self.schema)
        writer = index.writer(MEMORY_HEAP, 1)
        for doc in documents:
            writer.add_document(tantivy_document(doc))  # the search index's own conversion
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        searcher = index.searcher()
        address_to_id = {}
        for doc in documents:
            hits = searcher.search(tantivy.Query.term_query(self.schema, "id", doc.id), 1).hits
            address_to_id[_key(hits[0][1])] = doc.id
        limit = len(documents)
        for _rev, alert, query in list(self._compiled.values()):
            if not alert.active:
                continue
            for _score, address in searcher.search(query, limit, count=False).hits:
                result[address_to_id[_key(address)]].append(alert)
        return result


def _key(address: Any) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


def make_matcher(settings: Settings, store: AlertStore) -> Matcher:
    if settings.effective_search_url().startswith(("http://", "https://")):
        from fazhi_shared.search.es_percolator import PercolatorMatcher

        return PercolatorMatcher(settings, store)
    return TantivyMatcher(store)
