"""Query tree + filters → a tantivy Query (compile_es.py is its Elasticsearch twin)."""

from __future__ import annotations

import tantivy

from fazhi_shared.search import plan
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.fields import FIELD_BOOSTS, PHRASE_FIELD_MAP, QUERY_FIELD_MAP
from fazhi_shared.search.query import And, MatchAll, Node, Not, Or, Phrase, Term
from fazhi_shared.text.segment import query_text, tokens

Must = tantivy.Occur.Must
Should = tantivy.Occur.Should
MustNot = tantivy.Occur.MustNot
Filters = list[tuple[str, list[str]]]
Ranges = list[tuple[str, int | None, int | None]]


def _any_field(schema: tantivy.Schema, fields: tuple[str, ...], token: str) -> tantivy.Query:
    clauses = [
        (Should, tantivy.Query.boost_query(tantivy.Query.term_query(schema, f, token), FIELD_BOOSTS[f]))
        for f in fields
    ]
    return tantivy.Query.boolean_query(clauses)


def compile_node(schema: tantivy.Schema, node: Node) -> tantivy.Query:
    if isinstance(node, MatchAll):
        return tantivy.Query.all_query()
    if isinstance(node, Term):
        toks = tokens(query_text(node.text))
        if not toks:
            return tantivy.Query.all_query()
        fields = QUERY_FIELD_MAP[node.field]
        return tantivy.Query.boolean_query([(Must, _any_field(schema, fields, t)) for t in toks])
    if isinstance(node, Phrase):
        toks = tokens(query_text(node.text))
        if not toks:
            return tantivy.Query.all_query()
        if len(toks) == 1:
            return _any_field(schema, QUERY_FIELD_MAP[node.field], toks[0])  # one word
        return tantivy.Query.boolean_query(
            [
                (Should, tantivy.Query.boost_query(tantivy.Query.phrase_query(schema, f, list[str | tuple[int, str]](toks)), FIELD_BOOSTS[f]))
                for f in PHRASE_FIELD_MAP[node.field]
            ]
        )
    if isinstance(node, And):
        return tantivy.Query.boolean_query([(Must, compile_node(schema, n)) for n in node.items])
    if isinstance(node, Or):
        return tantivy.Query.boolean_query([(Should, compile_node(schema, n)) for n in node.items])
    if isinstance(node, Not):
        return tantivy.Query.boolean_query(
            [(Must, tantivy.Query.all_query()), (MustNot, compile_node(schema, node.item))]
        )
    raise TypeError(f"unknown query node {node!r}")


def filter_query(
    schema: tantivy.Schema, filters: Filters, ranges: Ranges, exclude_ids: tuple[str, ...] = ()
) -> tantivy.Query | None:
    """Filters as one query that adds nothing to the score (as Elasticsearch's filter context)."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for field, values in filters:
        clauses.append((Must, tantivy.Query.term_set_query(schema, field, values)))
    for field, lo, hi in ranges:
        clauses.append((Must, tantivy.Query.range_query(
            schema, field, tantivy.FieldType.Integer, lo, hi)))
    if exclude_ids:
        if not clauses:
            clauses.append((Must, tantivy.Query.all_query()))
        clauses.append((MustNot, tantivy.Query.term_set_query(schema, "id", list(exclude_ids))))
    if not clauses:
        return None
    return tantivy.Query.const_score_query(tantivy.Query.boolean_query(clauses), 0.0)


def combine(query: tantivy.Query, *filters: tantivy.Query | None) -> tantivy.Query:
    rest = [f for f in filters if f is not None]
    if not rest:
        return query
    return tantivy.Query.boolean_query([(Must, query), *((Must, f) for f in rest)])


def compile_request(schema: tantivy.Schema, tree: Node, request: SearchRequest) -> tantivy.Query:
    """The query and every filter of the request (is_report=true unless asked otherwise)."""
    return combine(
        compile_node(schema, tree),
        filter_query(schema, plan.keyword_filters(request), plan.int_ranges(request),
                     request.exclude_ids),
    )
