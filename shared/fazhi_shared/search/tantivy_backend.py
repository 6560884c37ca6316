"""The embedded engine: a tantivy index on disk under the data directory.

One writer at a time (the indexer); readers in any process reload after each commit.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import tantivy

from fazhi_shared.models import Document
from fazhi_shared.search import compile_tantivy
from fazhi_shared.search.base import (
    BOOL_FILTERS,
    KEYWORD_FILTERS,
    FacetValue,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    decode_cursor,
    encode_cursor,
)
from fazhi_shared.search.fields import KEYWORD_FIELDS, TEXT_FIELDS, index_fields, stored_document
from fazhi_shared.search.query import parse_query, positive_texts
from fazhi_shared.search.snippets import make_snippets

SCHEMA_VERSION = "v1"
WRITER_HEAP = 128_000_000


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("report_year", stored=False, indexed=True, fast=True)
    sb.add_integer_field("publish_day", stored=False, indexed=True, fast=True)
    sb.add_text_field("doc", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


class TantivyBackend(SearchBackend):
    def __init__(self, path: Path) -> None:
        self.path = path / SCHEMA_VERSION
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self._writer: tantivy.IndexWriter | None = None
        self._lock = threading.Lock()

    # -- writing (the indexer only) -------------------------------------------------
    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(WRITER_HEAP, 1)
        return self._writer

    def _tantivy_doc(self, doc: Document) -> tantivy.Document:
        out = tantivy.Document()
        for name, value in index_fields(doc).items():
            if value is None or value == "" or value == []:
                continue
            if name in ("report_year", "publish_day"):
                out.add_integer(name, int(value))
            elif isinstance(value, list):
                for item in value:
                    out.add_text(name, str(item))
            else:
                out.add_text(name, str(value))
        out.add_text("doc", stored_document(doc))
        return out

    def upsert(self, documents: list[Document]) -> None:
        if not documents:
            return
        with self._lock:
            writer = self._get_writer()
            for doc in documents:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._tantivy_doc(doc))
            writer.commit()
        self.index.reload()

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            writer = self._get_writer()
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            writer.commit()
        self.index.reload()

    # -- reading ----------------------------------------------------------------------
    def _searcher(self) -> tantivy.Searcher:
        self.index.reload()
        return self.index.searcher()

    def get(self, doc_id: str) -> Document | None:
        searcher = self._searcher()
        result = searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1)
        if not result.hits:
            return None
        stored = searcher.doc(result.hits[0][1])
        return Document.model_validate_json(stored.get_first("doc"))

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def health(self) -> dict[str, Any]:
        return {"engine": "tantivy", "path": str(self.path), "documents": self.count()}

    def search(self, request: SearchRequest) -> SearchResponse:
        offset = decode_cursor(request.cursor)
        tree = parse_query(request.q)
        query = compile_tantivy.compile_request(self.schema, tree, request)
        searcher = self._searcher()
        if request.sort == "date":
            result = searcher.search(
                query, request.size, count=True, offset=offset,
                order_by_field="publish_day", order=tantivy.Order.Desc,
            )
        else:
            result = searcher.search(query, request.size, count=True, offset=offset)
        texts = positive_texts(tree)
        hits = []
        for score, address in result.hits:
            doc = Document.model_validate_json(searcher.doc(address).get_first("doc"))
            hits.append(_hit(doc, score if request.sort == "relevance" else None, texts))
        total = int(result.count or 0)
        facets = self._facets(searcher, query, request.facets) if request.facets else {}
        next_offset = offset + len(hits)
        return SearchResponse(
            total=total,
            hits=hits,
            facets=facets,
            next_cursor=encode_cursor(next_offset) if next_offset < total and hits else None,
        )

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, names: tuple[str, ...]
    ) -> dict[str, list[FacetValue]]:
        aggs = {name: {"terms": {"field": name, "size": 100}} for name in names}
        raw = searcher.aggregate(query, aggs)
        return {
            name: [FacetValue(value=b["key"], count=b["doc_count"]) for b in raw[name]["buckets"]]
            for name in names
        }


def _hit(doc: Document, score: float | None, texts: list[str]) -> Hit:
    return Hit(
        id=doc.id, title=doc.title, issuer=doc.issuer, region=doc.region,
        report_year=doc.report_year, publish_date=doc.publish_date, url=doc.url,
        doc_type=doc.doc_type, score=score, snippets=make_snippets(doc.text, texts),
    )


__all__ = ["TantivyBackend", "BOOL_FILTERS", "KEYWORD_FILTERS"]
