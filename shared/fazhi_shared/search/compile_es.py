"""Query tree + filters → Elasticsearch query DSL, clause for clause as compile_tantivy.py.

The text fields hold our own tokens joined by spaces (whitespace tokenizer + lowercase), so
a `term` query on one of our tokens is exactly tantivy's term query, with the same BM25.
"""

from __future__ import annotations

from typing import Any

from fazhi_shared.search import plan
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.fields import FIELD_BOOSTS, PHRASE_FIELD_MAP, QUERY_FIELD_MAP
from fazhi_shared.search.query import And, MatchAll, Node, Not, Or, Phrase, Term
from fazhi_shared.text.segment import query_text, tokens

Json = dict[str, Any]
Filters = list[tuple[str, list[str]]]
Ranges = list[tuple[str, int | None, int | None]]
MATCH_ALL: Json = {"match_all": {}}


def _any_field(fields: tuple[str, ...], token: str) -> Json:
    return {"bool": {"should": [
        {"term": {f: {"value": token, "boost": FIELD_BOOSTS[f]}}} for f in fields
    ]}}


def compile_node(node: Node) -> Json:
    if isinstance(node, MatchAll):
        return MATCH_ALL
    if isinstance(node, Term):
        toks = tokens(query_text(node.text))
        if not toks:
            return MATCH_ALL
        return {"bool": {"must": [_any_field(QUERY_FIELD_MAP[node.field], t) for t in toks]}}
    if isinstance(node, Phrase):
        toks = tokens(query_text(node.text))
        if not toks:
            return MATCH_ALL
        if len(toks) == 1:
            return _any_field(QUERY_FIELD_MAP[node.field], toks[0])  # one word
        return {"bool": {"should": [
            {"match_phrase": {f: {"query": " ".join(toks), "boost": FIELD_BOOSTS[f]}}}
            for f in PHRASE_FIELD_MAP[node.field]
        ]}}
    if isinstance(node, And):
        return {"bool": {"must": [compile_node(n) for n in node.items]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_node(n) for n in node.items]}}
    if isinstance(node, Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [compile_node(node.item)]}}
    raise TypeError(f"unknown query node {node!r}")


def filter_clauses(filters: Filters, ranges: Ranges, exclude_ids: tuple[str, ...] = ()) -> Json:
    """The filter context (no score), as tantivy's const_score(0) filter query."""
    out: Json = {"filter": [{"terms": {field: values}} for field, values in filters]}
    for field, lo, hi in ranges:
        bounds: Json = {}
        if lo is not None:
            bounds["gte"] = lo
        if hi is not None:
            bounds["lte"] = hi
        out["filter"].append({"range": {field: bounds}})
    if exclude_ids:
        out["must_not"] = [{"ids": {"values": list(exclude_ids)}}]
    return out


def combine(query: Json, filters: Json, *extra_filters: Json) -> Json:
    bool_query: Json = {"must": [query], **filters}
    bool_query["filter"] = [*filters.get("filter", []), *extra_filters]
    return {"bool": bool_query}


def compile_request(tree: Node, request: SearchRequest) -> Json:
    """The query and every filter of the request (is_report=true unless asked otherwise)."""
    return combine(
        compile_node(tree),
        filter_clauses(plan.keyword_filters(request), plan.int_ranges(request), request.exclude_ids),
    )
