"""Query tree + filters → a tantivy Query."""

from __future__ import annotations

import tantivy

from fazhi_shared.search.base import BOOL_FILTERS, KEYWORD_FILTERS, SearchRequest
from fazhi_shared.search.fields import FIELD_BOOSTS, PHRASE_FIELD_MAP, QUERY_FIELD_MAP
from fazhi_shared.search.query import And, MatchAll, Node, Not, Or, Phrase, Term
from fazhi_shared.text.segment import query_text, tokens

Must = tantivy.Occur.Must
Should = tantivy.Occur.Should
MustNot = tantivy.Occur.MustNot


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
            return _any_field(schema, QUERY_FIELD_MAP[node.field], toks[0])
        return tantivy.Query.boolean_query(
            [
                (Should, tantivy.Query.boost_query(tantivy.Query.phrase_query(schema, f, toks), FIELD_BOOSTS[f]))
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


def _one_of(schema: tantivy.Schema, field: str, values: list[str]) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [(Should, tantivy.Query.term_query(schema, field, v)) for v in values]
    )


def compile_request(schema: tantivy.Schema, tree: Node, request: SearchRequest) -> tantivy.Query:
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(Must, compile_node(schema, tree))]
    filters = dict(request.filters)
    filters.setdefault("is_report", ["true"])
    for name, values in filters.items():
        if not values or (name in BOOL_FILTERS and values == ["any"]):
            continue
        if name in KEYWORD_FILTERS or name in BOOL_FILTERS:
            clauses.append((Must, _one_of(schema, name, values)))
    if request.report_year:
        lo, hi = request.report_year
        clauses.append((Must, tantivy.Query.range_query(
            schema, "report_year", tantivy.FieldType.Integer,
            lo if lo is not None else -(2**62), hi if hi is not None else 2**62,
        )))
    if request.publish_date:
        lo_d, hi_d = request.publish_date
        clauses.append((Must, tantivy.Query.range_query(
            schema, "publish_day", tantivy.FieldType.Integer,
            _day(lo_d) if lo_d else 0, _day(hi_d) if hi_d else 99999999,
        )))
    return tantivy.Query.boolean_query(clauses)


def _day(date: str) -> int:
    return int(date.replace("-", ""))
