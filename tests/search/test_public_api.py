"""What other parts build on: `compile_request(schema, tree, request)` over documents
converted by `tantivy_document` (the alerts' embedded matcher) selects exactly what
`/v1/search` returns, and `positive_texts` lists what snippets highlight."""

from __future__ import annotations

import tantivy

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest
from fazhi_shared.search.compile_tantivy import compile_request
from fazhi_shared.search.query import parse_query, positive_texts
from fazhi_shared.search.tantivy_backend import build_schema, tantivy_document

from .expect import result_ids

CASES = [
    SearchRequest(q="复议"),
    SearchRequest(q='"行政执法三项制度" -疫情防控', filters={"province": ["浙江省"]}),
    SearchRequest(q="title:要点", report_year=(2020, 2022)),
    SearchRequest(filters={"is_report": ["any"], "on_time": ["false"]}),
]


def test_matching_agrees_with_the_engine(engine: SearchBackend, corpus: list[Document]) -> None:
    schema = build_schema()
    index = tantivy.Index(schema)
    writer = index.writer(15_000_000, 1)
    for doc in corpus:
        writer.add_document(tantivy_document(doc))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    for request in CASES:
        query = compile_request(schema, parse_query(request.q), request)
        hits = searcher.search(query, len(corpus)).hits
        matched = {Document.model_validate_json(searcher.doc(a).get_first("doc")).id  # type: ignore[arg-type]
                   for _, a in hits}
        assert matched == result_ids(engine, **request.model_dump(exclude={"size", "cursor"}))


def test_positive_texts() -> None:
    tree = parse_query('(复议 OR "行政执法三项制度") NOT 疫情 title:要点')
    assert positive_texts(tree) == ["复议", "行政执法三项制度", "要点"]
