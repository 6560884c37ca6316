"""The embedded engine: a tantivy index on disk under the data directory.

Layout: `<path>/CURRENT` names the live version directory (`<schema>-<stamp>`); `rebuild`
builds a new directory and replaces CURRENT atomically. One writer at a time (the indexer);
readers in any process notice a new commit or a new CURRENT on their next search.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy

from fazhi_shared.models import Document
from fazhi_shared.search import plan
from fazhi_shared.search.base import (
    Cursor,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    decode_cursor,
    encode_cursor,
)
from fazhi_shared.search.compile_tantivy import combine, compile_node, filter_query
from fazhi_shared.search.fields import (
    INDICATOR_FIELD,
    INT_FIELDS,
    KEYWORD_FIELDS,
    TEXT_FIELDS,
    index_fields,
    now_ms,
    stored_document,
)
from fazhi_shared.search.query import Node, positive_texts

log = logging.getLogger(__name__)
SCHEMA_VERSION = "v3"
WRITER_HEAP = 128_000_000
REBUILD_BATCH = 20_000  # documents per commit while rebuilding
_Item = tuple[float | int, int, Any]  # (score or date_key, id_key, DocAddress)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        # Phrases run on the precise-token fields only; sub-word fields need no positions.
        option = "freq" if name.endswith("_sub") else "position"
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option=option)
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    for name in INT_FIELDS:
        sb.add_integer_field(name, stored=False, indexed=True, fast=True)
    sb.add_json_field(INDICATOR_FIELD, stored=False, fast=True, tokenizer_name="raw",
                      index_option="basic")
    # Stored, never indexed: a text field would put each whole JSON into the term dictionary.
    sb.add_bytes_field("doc", stored=True, indexed=False)
    return sb.build()


def tantivy_document(doc: Document, indexed_at: int | None = None) -> tantivy.Document:
    out = tantivy.Document()
    for name, value in index_fields(doc, indexed_at).items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if name in INT_FIELDS:
            out.add_integer(name, int(value))
        elif name == INDICATOR_FIELD:
            out.add_json(name, value)
        elif isinstance(value, list):
            for item in value:
                out.add_text(name, str(item))
        else:
            out.add_text(name, str(value))
    out.add_bytes("doc", stored_document(doc).encode())
    return out


class TantivyBackend(SearchBackend):
    def __init__(self, path: Path) -> None:
        self.root = path
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._lock = threading.RLock()
        self._writer: tantivy.IndexWriter | None = None
        self._pointer_stat: tuple[int, int] | None = None
        self.version = ""
        self.index = self._open_current()

    # -- versions -----------------------------------------------------------------------
    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self._pointer.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    @contextlib.contextmanager
    def _root_lock(self) -> Iterator[None]:
        with open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _open_current(self) -> tantivy.Index:
        """Open the version CURRENT names; create the first one when there is none (or when it
        was built for another schema: that data needs `fazhi reindex` from the archive)."""
        with self._root_lock():
            name = self._pointer.read_text().strip() if self._pointer.exists() else ""
            if not name.startswith(f"{SCHEMA_VERSION}-") or not (self.root / name).is_dir():
                if name:
                    log.warning("index version %s is not schema %s: starting an empty index",
                                name, SCHEMA_VERSION)
                name = self._new_version_name()
                (self.root / name).mkdir(parents=True)
                tantivy.Index(self.schema, path=str(self.root / name), reuse=False)
                self._write_pointer(name)
            self._pointer_stat = self._stat()
        self.version = name
        return tantivy.Index(self.schema, path=str(self.root / name), reuse=True)

    def _new_version_name(self) -> str:
        return f"{SCHEMA_VERSION}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"

    def _write_pointer(self, name: str) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(name + "\n")
        with open(tmp) as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self._pointer)

    def _follow_pointer(self) -> None:
        """Another process swapped versions: drop our writer and open the new one."""
        if self._stat() == self._pointer_stat:
            return
        with self._lock:
            if self._stat() == self._pointer_stat:
                return
            self._release_writer()
            self.index = self._open_current()

    # -- writing (the indexer only) -------------------------------------------------
    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            # A rebuild finishing its catch-up holds the lock for a moment: wait for it.
            deadline = time.monotonic() + 30
            while True:
                try:
                    self._writer = self.index.writer(WRITER_HEAP, 1)
                    break
                except ValueError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        return self._writer

    def _release_writer(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            with contextlib.suppress(Exception):
                writer.wait_merging_threads()

    def upsert(self, documents: list[Document]) -> None:
        if not documents:
            return
        self._follow_pointer()
        stamp = now_ms()
        with self._lock:
            writer = self._get_writer()
            for doc in documents:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(tantivy_document(doc, stamp))
            writer.commit()
        self.index.reload()

    def delete(self, ids: list[str]) -> None:
        self._follow_pointer()
        with self._lock:
            writer = self._get_writer()
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            writer.commit()
        self.index.reload()

    def rebuild(self, documents: Iterable[Document]) -> str:
        started = now_ms() - 1000
        name = self._new_version_name()
        path = self.root / name
        path.mkdir(parents=True)
        new_index = tantivy.Index(self.schema, path=str(path), reuse=False)
        writer = new_index.writer(WRITER_HEAP, 1)
        batch = 0
        for doc in documents:
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(tantivy_document(doc, 0))
            batch += 1
            if batch >= REBUILD_BATCH:
                writer.commit()
                batch = 0
        writer.commit()
        previous = self.version
        checkpoint = now_ms() - 1000
        self._copy_changed_since(started, writer)
        with self._root_lock():
            self._write_pointer(name)
        # Writes that reached the old version between the first copy and the swap.
        self._copy_changed_since(checkpoint, writer)
        writer.wait_merging_threads()
        self._follow_pointer()
        self._cleanup(keep={name, previous})
        log.info("rebuilt the index as %s", name)
        return name

    def _copy_changed_since(self, since_ms: int, writer: tantivy.IndexWriter) -> None:
        self.index.reload()
        searcher = self.index.searcher()
        query = tantivy.Query.range_query(self.schema, "indexed_at", tantivy.FieldType.Integer,
                                          since_ms, None)
        found = searcher.search(query, max(1, searcher.num_docs), count=False).hits
        for _, address in found:
            doc = self._load(searcher, address)
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(tantivy_document(doc, 0))
        writer.commit()

    def _cleanup(self, keep: set[str]) -> None:
        for child in self.root.iterdir():
            if child.is_dir() and child.name not in keep and child.name.startswith("v"):
                shutil.rmtree(child, ignore_errors=True)

    # -- reading ----------------------------------------------------------------------
    def _searcher(self) -> tantivy.Searcher:
        self._follow_pointer()
        self.index.reload()
        return self.index.searcher()

    def _load(self, searcher: tantivy.Searcher, address: Any) -> Document:
        return Document.model_validate_json(searcher.doc(address).get_first("doc"))  # type: ignore[arg-type]

    def get(self, doc_id: str) -> Document | None:
        searcher = self._searcher()
        result = searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1)
        return self._load(searcher, result.hits[0][1]) if result.hits else None

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def health(self) -> dict[str, Any]:
        return {"engine": "tantivy", "path": str(self.root), "version": self.version,
                "documents": self.count()}

    def doc_freqs(self, field: str, terms: list[str]) -> tuple[int, dict[str, int]]:
        # Counted by queries, not the term dictionary, so deleted documents do not count
        # (as in Elasticsearch's answer).
        searcher = self._searcher()
        counts = {
            t: int(searcher.search(tantivy.Query.term_query(self.schema, field, t), 1,  # type: ignore[attr-defined]
                                   count=True).count or 0)
            for t in terms
        }
        return int(searcher.num_docs), counts

    def iter_documents(self) -> Iterator[Document]:
        searcher = self._searcher()
        found = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs), count=False,
                                order_by_field="id_key")
        for _, address in found.hits:
            yield self._load(searcher, address)

    def search_tree(self, tree: Node, request: SearchRequest) -> SearchResponse:
        sort = plan.effective_sort(tree, request)
        after = decode_cursor(request.cursor, sort)
        searcher = self._searcher()
        text_query = compile_node(self.schema, tree)
        filters = filter_query(self.schema, plan.keyword_filters(request),
                               plan.int_ranges(request), request.exclude_ids)
        query = combine(text_query, filters)
        # The first top-k pass also counts, so the query runs once for hits and total.
        items: list[_Item] = []
        if not request.size:
            total = _count(searcher, query)
        elif sort == "date":
            items, total = self._by_date(searcher, query, request.size, after)
        else:
            items, total = self._by_score(searcher, query, request.size, after)
        docs = [self._load(searcher, address) for _, _, address in items]
        dups = self._duplicates(searcher, text_query, request, [d.id for d in docs])
        texts = positive_texts(tree)
        hits = [
            plan.make_hit(doc, value if sort == "relevance" else None, texts,
                          dups.get(doc.id, 0), request.snippets)
            for (value, _, _), doc in zip(items, docs, strict=True)
        ]
        raw = searcher.aggregate(query, plan.facet_aggs(request)) if (
            request.facets or request.stats) else {}
        seen = (after.seen if after else 0) + len(hits)
        next_cursor = None
        if hits and seen < total:
            value, key, _ = items[-1]
            cursor = Cursor(sort=sort, after=(value, key, docs[-1].id), seen=seen)  # type: ignore[arg-type]
            next_cursor = encode_cursor(cursor)
        return SearchResponse(
            total=total, hits=hits, facets=plan.read_facets(raw, request),
            stats=plan.read_stats(raw, request), next_cursor=next_cursor,
        )

    def _by_date(
        self, searcher: tantivy.Searcher, query: tantivy.Query, size: int, after: Cursor | None
    ) -> tuple[list[_Item], int]:
        total = None
        if after is not None:
            total = _count(searcher, query)
            # search_after: date_key packs (day, id) so "strictly below" is one range.
            below = tantivy.Query.range_query(self.schema, "date_key", tantivy.FieldType.Integer,
                                              None, int(after.after[0]), include_upper=False)
            query = combine(query, tantivy.Query.const_score_query(below, 0.0))
        result = searcher.search(query, size, count=total is None, order_by_field="date_key",
                                 order=tantivy.Order.Desc)
        if total is None:
            total = int(result.count or 0)  # type: ignore[attr-defined]
        found = result.hits
        keys = searcher.fast_field_values("id_key", [a for _, a in found])
        return [(int(v), int(k or 0), a) for (v, a), k in zip(found, keys, strict=True)], total

    def _by_score(
        self, searcher: tantivy.Searcher, query: tantivy.Query, size: int, after: Cursor | None
    ) -> tuple[list[_Item], int]:
        """Top hits in (score desc, id_key asc) order after the cursor. tantivy cannot start
        after a score, so fetch the top k and widen k until the page is certain: only hits
        scoring above the lowest fetched score are known to be complete."""
        # No more than the index holds: `seen` comes from the client's cursor, and tantivy
        # allocates the whole top-k heap first (a cursor claiming 2**31 seen aborted the process).
        cap = int(searcher.num_docs) + 1
        limit = min((after.seen if after else 0) + size + 20, cap)
        total: int | None = None
        while True:
            result = searcher.search(query, limit, count=total is None)
            if total is None:
                total = int(result.count or 0)  # type: ignore[attr-defined]
            found = result.hits
            exhausted = len(found) < limit
            if after is not None:
                # Hits scoring above the cursor came on earlier pages: skip them unread
                # (bisect over the descending scores), so deep pages stay cheap in Python.
                found = found[bisect.bisect_left(found, -after.after[0], key=lambda h: -h[0]):]
            keys = searcher.fast_field_values("id_key", [a for _, a in found])
            items = sorted(((float(s), int(k or 0), a) for (s, a), k in zip(found, keys, strict=True)),
                           key=lambda it: (-it[0], it[1]))
            if not exhausted and found:
                floor = found[-1][0]
                items = [it for it in items if it[0] > floor]
            if after is not None:
                mark = (-after.after[0], after.after[1])
                items = [it for it in items if (-it[0], it[1]) > mark]
            if len(items) >= size or exhausted:
                return items[:size], total
            limit = min(limit * 2, cap)

    def _duplicates(
        self, searcher: tantivy.Searcher, text_query: tantivy.Query, request: SearchRequest,
        ids: list[str],
    ) -> dict[str, int]:
        if not request.collapse or not ids:
            return {}
        loose = request.model_copy(update={"collapse": False})
        filters = [*plan.keyword_filters(loose), ("duplicate_of", ids)]
        only_copies = filter_query(self.schema, filters, plan.int_ranges(loose))
        assert only_copies is not None  # duplicate_of is always among the filters
        # The filter (a handful of copies, often none) goes first: with the words first, a
        # phrase query ran its position checks over a large part of the index (15 ms at
        # 100k documents for a phrase in 75% of them, against 0.6 ms).
        must = tantivy.Occur.Must
        query = tantivy.Query.boolean_query([(must, only_copies), (must, text_query)])
        return plan.read_duplicates(searcher.aggregate(query, plan.duplicate_aggs(ids)))

    def close(self) -> None:
        with self._lock:
            self._release_writer()


def _count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    return int(searcher.search(query, 1, count=True).count or 0)  # type: ignore[attr-defined]


__all__ = ["TantivyBackend", "SCHEMA_VERSION", "build_schema"]
