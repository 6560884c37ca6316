"""Which alerts a document matches, with exactly the semantics of `/v1/search`.

Embedded engine: the documents go into an in-memory tantivy index with the search index's
schema and document conversion, and each alert's search, compiled by the search code's own
functions (`compile_node`, `filter_query`, `plan`), runs against it. Compiled queries are
cached per alert revision; the alert set is reloaded when its version in Redis changes.
Elasticsearch: the percolator index (`fazhi_shared.search.es_percolator`) does the same.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

import tantivy

from fazhi_shared.models import Document
from fazhi_shared.search import plan
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.compile_tantivy import compile_node, filter_query
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


Clause = tuple[str, tuple[Any, ...]]


@dataclass
class Compiled:
    rev: int
    alert: Alert
    text: Any  # tantivy.Query of the alert's words
    q: str  # what `text` was compiled from: alerts with the same words share one run
    clauses: tuple[Clause, ...]  # its filters, each one AND'ed


class TantivyMatcher:
    """`compile_request` is the query AND every filter clause, so a document matches iff it
    matches the query (`compile_node`) and each clause (`filter_query` of that clause alone).
    Clauses are shared by many alerts (is_report, a province…): alerts are grouped by their
    clauses, each distinct clause and each distinct query runs at most once per batch, and
    a group's queries run only when all its clauses matched."""

    def __init__(self, store: AlertStore) -> None:
        self.store = store
        self.schema = build_schema()
        self._compiled: dict[str, Compiled] = {}
        self._groups: dict[tuple[Clause, ...], list[Compiled]] = {}
        self._clauses: dict[Clause, Any] = {}
        self._version = -1
        self._lock = threading.Lock()

    def refresh(self) -> None:
        version = self.store.version()
        if version == self._version:
            return
        with self._lock:
            compiled: dict[str, Compiled] = {}
            for alert in self.store.all():
                cached = self._compiled.get(alert.id)
                if cached is not None and cached.rev == alert.rev:
                    compiled[alert.id] = Compiled(alert.rev, alert, cached.text, cached.q,
                                                  cached.clauses)
                    continue
                try:
                    compiled[alert.id] = self._compile(alert)
                except Exception:  # one broken alert must not stop the others
                    log.exception("alert %s cannot be compiled; it is skipped", alert.id)
            groups: dict[tuple[Clause, ...], list[Compiled]] = {}
            for item in compiled.values():
                if item.alert.active:
                    groups.setdefault(item.clauses, []).append(item)
            self._compiled, self._groups = compiled, groups
            self._version = version

    def _compile(self, alert: Alert) -> Compiled:
        request = alert_request(alert)
        clauses: list[Clause] = []
        for field, values in plan.keyword_filters(request):
            clauses.append(("terms", (field, tuple(values))))
        for field, lo, hi in plan.int_ranges(request):
            clauses.append(("range", (field, lo, hi)))
        for clause in clauses:
            if clause not in self._clauses:
                kind, args = clause
                query = (filter_query(self.schema, [(args[0], list(args[1]))], []) if kind == "terms"
                         else filter_query(self.schema, [], [args]))  # type: ignore[list-item]
                self._clauses[clause] = query
        text = compile_node(self.schema, parse_query(request.q))
        # Most selective first: a group is dropped at its first clause that matches nothing.
        clauses.sort(key=lambda c: c[1][0] in ("is_report", "is_duplicate"))
        return Compiled(alert.rev, alert, text, request.q, tuple(clauses))

    def match(self, documents: list[Document]) -> dict[str, list[Alert]]:
        self.refresh()
        documents = list({doc.id: doc for doc in documents}.values())
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

        def run(query: Any) -> frozenset[str]:
            found = searcher.search(query, limit, count=False).hits
            return frozenset(address_to_id[_key(address)] for _score, address in found)

        clause_hits: dict[Clause, frozenset[str]] = {}
        text_hits: dict[str, frozenset[str]] = {}
        everything = frozenset(result)
        for clauses, group in list(self._groups.items()):
            candidates = everything
            for clause in clauses:
                if clause not in clause_hits:
                    clause_hits[clause] = run(self._clauses[clause])
                candidates = candidates & clause_hits[clause]
                if not candidates:
                    break
            if not candidates:
                continue
            for compiled in group:
                if compiled.q not in text_hits:
                    text_hits[compiled.q] = run(compiled.text)
                for doc_id in text_hits[compiled.q] & candidates:
                    result[doc_id].append(compiled.alert)
        return result


def _key(address: Any) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


def make_matcher(settings: Settings, store: AlertStore) -> Matcher:
    if settings.effective_search_url().startswith(("http://", "https://")):
        from fazhi_shared.search.es_percolator import PercolatorMatcher

        return PercolatorMatcher(settings, store)
    return TantivyMatcher(store)


class BatchingMatcher:
    """Concurrent match tasks share one matching pass: building the in-memory index costs
    about as much for 20 documents as for one, so tasks that arrive together go together."""

    def __init__(self, matcher: Matcher, max_batch: int = 64, wait: float = 0.01) -> None:
        self.matcher = matcher
        self.max_batch = max_batch
        self.wait = wait
        self._queue: queue.Queue[tuple[Document, Future[list[Alert]]]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="alerts-matcher", daemon=True)
        self._thread.start()

    def match_one(self, document: Document, timeout: float) -> list[Alert]:
        future: Future[list[Alert]] = Future()
        self._queue.put((document, future))
        return future.result(timeout=timeout)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            deadline = time.monotonic() + self.wait
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            try:
                found = self.matcher.match([doc for doc, _ in batch])
            except Exception as exc:  # every waiting task retries on its own
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for doc, future in batch:
                future.set_result(found.get(doc.id, []))
