"""What every engine does the same way: filters, sort order, aggregations, facets, hits.

Both engines receive the same filter list and the same Elasticsearch-style aggregation
dicts (tantivy's `searcher.aggregate` speaks the same language), and their raw answers are
read back here, so the two can only differ in how they run a query, not in what they answer.
"""

from __future__ import annotations

from typing import Any

from fazhi_shared.models import Document
from fazhi_shared.search.base import (
    BOOL_FILTERS,
    KEYWORD_FILTERS,
    FacetValue,
    Hit,
    IndicatorStats,
    SearchRequest,
)
from fazhi_shared.search.fields import INDICATOR_FIELD
from fazhi_shared.search.query import MatchAll, Node
from fazhi_shared.search.snippets import make_snippets

# Facet name → keyword field for the plain terms facets.
TERMS_FACETS = {
    "report_year": "report_year", "doc_type": "doc_type", "issuer_kind": "issuer_kind",
    "topics": "topics", "cited": "cited", "source": "source_id", "on_time": "on_time",
}
# Engines compute terms per segment/shard; asking each for more keeps the top N exact.
_TERMS_SLACK = 50
_REGION_SIZES = {"province": 50, "city": 500, "county": 3000}


def effective_sort(tree: Node, request: SearchRequest) -> str:
    """Without words to rank by, every score ties: newest first is the useful order."""
    return "date" if isinstance(tree, MatchAll) else request.sort


def keyword_filters(request: SearchRequest) -> list[tuple[str, list[str]]]:
    """(field, accepted values) pairs, AND'ed; the values of one field are OR'ed."""
    filters = {k: list(v) for k, v in request.filters.items() if v}
    filters.setdefault("is_report", ["true"])
    out: list[tuple[str, list[str]]] = []
    for name in (*KEYWORD_FILTERS, *BOOL_FILTERS):
        values = filters.get(name)
        if not values or (name in BOOL_FILTERS and "any" in values):
            continue
        out.append((name, sorted(set(values))))
    if request.collapse:
        out.append(("is_duplicate", ["false"]))
    return out


def int_ranges(request: SearchRequest) -> list[tuple[str, int | None, int | None]]:
    """(field, lowest, highest) inclusive ranges."""
    out: list[tuple[str, int | None, int | None]] = []
    if request.report_year and any(v is not None for v in request.report_year):
        out.append(("report_year", *request.report_year))
    if request.publish_date and any(request.publish_date):
        lo, hi = request.publish_date
        out.append(("publish_day", _day(lo), _day(hi)))
    return out


def _day(date: str | None) -> int | None:
    return int(date.replace("-", "")) if date else None


def _terms(field: str, size: int, **sub: Any) -> dict[str, Any]:
    agg: dict[str, Any] = {"terms": {"field": field, "size": size}}
    if sub:
        agg["aggs"] = sub
    return agg


def _region_agg(request: SearchRequest) -> dict[str, Any]:
    """Provinces; under the chosen province(s) their cities; under chosen cities the counties."""
    drill_city = bool(request.filters.get("province"))
    drill_county = bool(request.filters.get("city"))
    county = _terms("county", _REGION_SIZES["county"])
    city = (
        _terms("city", _REGION_SIZES["city"], county=county)
        if drill_county
        else _terms("city", _REGION_SIZES["city"])
    )
    if drill_city or drill_county:
        return _terms("province", _REGION_SIZES["province"], city=city)
    return _terms("province", _REGION_SIZES["province"])


def facet_aggs(request: SearchRequest) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for name in request.facets:
        if name == "region":
            aggs[name] = _region_agg(request)
        elif name == "report_year":
            aggs[name] = _terms("report_year", 200)
        elif name == "publish_month":
            # publish_day is YYYYMMDD: buckets of 100 are calendar months.
            aggs[name] = {"histogram": {"field": "publish_day", "interval": 100, "min_doc_count": 1}}
        elif name in TERMS_FACETS:
            aggs[name] = _terms(TERMS_FACETS[name], request.facet_size + _TERMS_SLACK)
        else:
            raise ValueError(f"unknown facet {name!r}")
    for indicator in request.stats:
        aggs[f"stats__{indicator}"] = {"stats": {"field": f"{INDICATOR_FIELD}.{indicator}"}}
    return aggs


def _key(value: Any) -> str | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # type: ignore[no-any-return]


def _buckets(raw: dict[str, Any], limit: int, child: str | None = None) -> list[FacetValue]:
    """Count descending, then value ascending: one order whatever the engine returned."""
    values = []
    for bucket in raw.get("buckets", []):
        children = None
        if child and child in bucket:
            grandchild = "county" if child == "city" else None
            children = _buckets(bucket[child], _REGION_SIZES[child], grandchild)
        values.append(FacetValue(value=_key(bucket["key"]), count=int(bucket["doc_count"]),
                                 children=children))
    values.sort(key=lambda v: (-v.count, str(v.value)))
    return values[:limit]


def read_facets(raw: dict[str, Any], request: SearchRequest) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    for name in request.facets:
        agg = raw.get(name) or {}
        if name == "region":
            out[name] = _buckets(agg, _REGION_SIZES["province"], "city")
        elif name == "report_year":
            out[name] = sorted(_buckets(agg, 200), key=lambda v: -int(v.value))
        elif name == "publish_month":
            months = [
                FacetValue(value=f"{int(b['key']) // 10000:04d}-{int(b['key']) // 100 % 100:02d}",
                           count=int(b["doc_count"]))
                for b in agg.get("buckets", []) if int(b["doc_count"]) > 0
            ]
            out[name] = sorted(months, key=lambda v: str(v.value))
        elif name == "on_time":
            out[name] = [
                FacetValue(value=v.value == "true", count=v.count) for v in _buckets(agg, 2)
            ]
        else:
            out[name] = _buckets(agg, request.facet_size)
    return out


def read_stats(raw: dict[str, Any], request: SearchRequest) -> dict[str, IndicatorStats]:
    out = {}
    for indicator in request.stats:
        agg = raw.get(f"stats__{indicator}") or {}
        count = int(agg.get("count") or 0)
        out[indicator] = IndicatorStats(
            count=count,
            min=agg.get("min") if count else None,
            avg=agg.get("avg") if count else None,
            max=agg.get("max") if count else None,
            sum=agg.get("sum") if count else None,
        )
    return out


def duplicate_aggs(ids: list[str]) -> dict[str, Any]:
    return {"dups": _terms("duplicate_of", max(1, len(ids)))}


def read_duplicates(raw: dict[str, Any]) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in (raw.get("dups") or {}).get("buckets", [])}


def make_hit(
    doc: Document, score: float | None, texts: list[str], duplicates: int, snippets: bool
) -> Hit:
    return Hit(
        id=doc.id, title=doc.title, issuer=doc.issuer, region=doc.region,
        report_year=doc.report_year, publish_date=doc.publish_date, url=doc.url,
        doc_type=doc.doc_type, score=score, duplicates=duplicates,
        snippets=make_snippets(doc.text, texts) if snippets else [],
    )
