"""The scale-out engine: Elasticsearch 8 through the official client.

Versioned indices `<prefix>-documents-vN` behind the alias `<prefix>-documents` (reads and
writes go to the alias). The index template (`es_documents_template.json`, kept identical to
deploy/elasticsearch/documents-template.json) gives them one shard, so BM25 statistics are
those of the whole collection, as in the embedded engine. `rebuild` fills a new version and
swaps the alias in one atomic call: readers never see a half-built index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers

from fazhi_shared.celery_base import TransientError
from fazhi_shared.models import Document
from fazhi_shared.search import compile_es, plan
from fazhi_shared.search.base import (
    Cursor,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    decode_cursor,
    encode_cursor,
)
from fazhi_shared.search.fields import index_fields, now_ms, stored_document
from fazhi_shared.search.query import Node, positive_texts

log = logging.getLogger(__name__)
BULK_CHUNK = 500
BULK_RETRIES = 5
# A cluster that cannot take writes now (queues full, shards unavailable) answers these: the
# indexing task is retried later instead of dead-lettered.
BUSY = (429, 502, 503, 504)


def template(prefix: str) -> dict[str, Any]:
    raw = resources.files("fazhi_shared.search").joinpath("es_documents_template.json")
    body: dict[str, Any] = json.loads(raw.read_text("utf-8"))
    body["index_patterns"] = [f"{prefix}-documents-v*"]
    return body


def es_source(doc: Document, indexed_at: int | None = None) -> dict[str, Any]:
    fields = {k: v for k, v in index_fields(doc, indexed_at).items() if v not in (None, "", [])}
    fields["doc"] = json.loads(stored_document(doc))
    return fields


def _status(item: dict[str, Any]) -> Any:
    return next(iter(item.values())).get("status")


@contextlib.contextmanager
def _busy_is_transient() -> Iterator[None]:
    try:
        yield
    except ApiError as exc:
        if exc.meta.status in BUSY:
            raise TransientError(f"Elasticsearch refused a bulk request: {exc}") from exc
        raise


def _raise_failures(failures: list[dict[str, Any]]) -> None:
    if not failures:
        return
    busy = all(_status(item) in BUSY for item in failures)
    error = TransientError if busy else RuntimeError
    raise error(f"{len(failures)} bulk actions failed, first: {failures[0]}")


class ElasticsearchBackend(SearchBackend):
    def __init__(self, url: str, prefix: str = "fazhi") -> None:
        self.client = Elasticsearch(
            url, request_timeout=30, max_retries=3, retry_on_timeout=True,
            retry_on_status=(429, 502, 503, 504),
        )
        self.prefix = prefix
        self.alias = f"{prefix}-documents"
        self._ensure()

    # -- versions -----------------------------------------------------------------------
    def _ensure(self) -> None:
        self._put_template()
        if self.client.indices.exists_alias(name=self.alias):
            return
        first = self._version_name(1)
        try:
            self.client.indices.create(index=first, aliases={self.alias: {"is_write_index": True}})
        except BadRequestError as exc:  # another process created it first
            if "resource_already_exists" not in str(exc):
                raise
            self.client.indices.put_alias(index=first, name=self.alias)

    def _put_template(self) -> None:
        body = template(self.prefix)
        self.client.indices.put_index_template(
            name=self.alias, index_patterns=body["index_patterns"], priority=body["priority"],
            meta=body["_meta"], template=body["template"],
        )

    def _version_name(self, n: int) -> str:
        return f"{self.prefix}-documents-v{n}"

    def versions(self) -> list[str]:
        found = self.client.indices.get(index=f"{self.prefix}-documents-v*",
                                        expand_wildcards="open").body
        pattern = re.compile(rf"^{re.escape(self.prefix)}-documents-v(\d+)$")
        named = [(int(m.group(1)), name) for name in found if (m := pattern.match(name))]
        return [name for _, name in sorted(named)]

    def current(self) -> str:
        return next(iter(self.client.indices.get_alias(name=self.alias).body))

    # -- writing ------------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict[str, Any]], refresh: bool = True) -> None:
        failures = []
        with _busy_is_transient():
            for ok, item in helpers.streaming_bulk(
                self.client, actions, chunk_size=BULK_CHUNK, max_retries=BULK_RETRIES,
                initial_backoff=1, max_backoff=30, raise_on_error=False,
                refresh="wait_for" if refresh else False,
            ):
                if not ok:
                    failures.append(item)
        _raise_failures(failures)

    def upsert(self, documents: list[Document]) -> None:
        if not documents:
            return
        stamp = now_ms()
        self._bulk(
            {"_op_type": "index", "_index": self.alias, "_id": d.id, "_source": es_source(d, stamp)}
            for d in documents
        )

    def delete(self, ids: list[str]) -> None:
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        failures = []
        with _busy_is_transient():
            for _ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False,
                                                    max_retries=BULK_RETRIES, refresh="wait_for",
                                                    ignore_status=(404,)):
                if _status(item) not in (200, 404):
                    failures.append(item)
        _raise_failures(failures)

    def rebuild(self, documents: Iterable[Document]) -> str:
        started = now_ms() - 1000
        old = self.current()
        numbers = [int(name.rsplit("-v", 1)[1]) for name in self.versions()]
        new = self._version_name(max(numbers, default=0) + 1)
        self._put_template()
        self.client.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
        self._bulk(({"_op_type": "index", "_index": new, "_id": d.id, "_source": es_source(d, 0)}
                    for d in documents), refresh=False)
        self.client.indices.put_settings(index=new, settings={"index": {"refresh_interval": "1s"}})
        # Bulk ran with refresh off: without this, a swap with no late writes to copy (whose
        # bulk waits for a refresh) would show readers an empty index for up to a second.
        self.client.indices.refresh(index=new)
        checkpoint = now_ms() - 1000
        self._copy_changed_since(old, new, started)
        self.client.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ])
        self._copy_changed_since(old, new, checkpoint)
        for name in self.versions():
            if name not in (new, old):
                self.client.indices.delete(index=name)
        log.info("rebuilt %s as %s (previous: %s)", self.alias, new, old)
        return new

    def _copy_changed_since(self, source: str, target: str, since_ms: int) -> None:
        self.client.indices.refresh(index=source)
        hits = helpers.scan(self.client, index=source, query={
            "query": {"range": {"indexed_at": {"gte": since_ms}}}, "_source": ["doc"]})
        self._bulk(
            {"_op_type": "index", "_index": target, "_id": h["_id"],
             "_source": es_source(Document.model_validate(h["_source"]["doc"]), 0)}
            for h in hits
        )

    # -- reading ------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        try:
            found = self.client.get(index=self.alias, id=doc_id, source_includes=["doc"])
        except NotFoundError:
            return None
        return Document.model_validate(found["_source"]["doc"])

    def count(self) -> int:
        return int(self.client.count(index=self.alias)["count"])

    def health(self) -> dict[str, Any]:
        cluster = self.client.cluster.health().body
        return {"engine": "elasticsearch", "cluster": cluster.get("status"),
                "version": self.current(), "documents": self.count()}

    def doc_freqs(self, field: str, terms: list[str]) -> tuple[int, dict[str, int]]:
        if not terms:
            return self.count(), {}
        aggs = {"df": {"filters": {"filters": {
            str(i): {"term": {field: t}} for i, t in enumerate(terms)}}}}
        found = self.client.search(index=self.alias, size=0, aggs=aggs, track_total_hits=True)
        buckets = found["aggregations"]["df"]["buckets"]
        total = int(found["hits"]["total"]["value"])
        return total, {t: int(buckets[str(i)]["doc_count"]) for i, t in enumerate(terms)}

    def iter_documents(self) -> Iterator[Document]:
        for hit in helpers.scan(self.client, index=self.alias, query={
                "query": {"match_all": {}}, "sort": ["_doc"], "_source": ["doc"]}):
            yield Document.model_validate(hit["_source"]["doc"])

    def search_tree(self, tree: Node, request: SearchRequest) -> SearchResponse:
        sort = plan.effective_sort(tree, request)
        after = decode_cursor(request.cursor, sort)
        text_query = compile_es.compile_node(tree)
        query = compile_es.combine(text_query, compile_es.filter_clauses(
            plan.keyword_filters(request), plan.int_ranges(request), request.exclude_ids))
        body: dict[str, Any] = {
            "query": query, "size": request.size, "track_total_hits": True,
            "source": ["doc"],
        }
        if sort == "date":
            body["sort"] = [{"date_key": "desc"}, {"id": "asc"}]
            if after is not None:
                body["search_after"] = [after.after[0], after.after[2]]
        else:
            body["sort"] = [{"_score": "desc"}, {"id_key": "asc"}, {"id": "asc"}]
            if after is not None:
                body["search_after"] = list(after.after)
        aggs = plan.facet_aggs(request)
        if aggs:
            body["aggs"] = aggs
        found = self.client.search(index=self.alias, **body)
        total = int(found["hits"]["total"]["value"])
        raw_hits = found["hits"]["hits"]
        docs = [Document.model_validate(h["_source"]["doc"]) for h in raw_hits]
        dups = self._duplicates(text_query, request, [d.id for d in docs])
        texts = positive_texts(tree)
        hits = [
            plan.make_hit(doc, float(h["_score"]) if sort == "relevance" else None, texts,
                          dups.get(doc.id, 0), request.snippets)
            for h, doc in zip(raw_hits, docs, strict=True)
        ]
        seen = (after.seen if after else 0) + len(hits)
        next_cursor = None
        if hits and seen < total:
            last = raw_hits[-1]["sort"]
            value = last[0]
            key = int(last[1]) if sort == "relevance" else 0
            cursor = Cursor(sort=sort, after=(value, key, docs[-1].id), seen=seen)  # type: ignore[arg-type]
            next_cursor = encode_cursor(cursor)
        raw = found.body.get("aggregations") or {}
        return SearchResponse(
            total=total, hits=hits, facets=plan.read_facets(raw, request),
            stats=plan.read_stats(raw, request), next_cursor=next_cursor,
        )

    def _duplicates(self, text_query: dict[str, Any], request: SearchRequest,
                    ids: list[str]) -> dict[str, int]:
        if not request.collapse or not ids:
            return {}
        loose = request.model_copy(update={"collapse": False})
        filters = [*plan.keyword_filters(loose), ("duplicate_of", ids)]
        query = compile_es.combine(text_query,
                                   compile_es.filter_clauses(filters, plan.int_ranges(loose)))
        found = self.client.search(index=self.alias, size=0, query=query,
                                   aggs=plan.duplicate_aggs(ids))
        return plan.read_duplicates(found.body.get("aggregations") or {})

    def close(self) -> None:
        self.client.close()
